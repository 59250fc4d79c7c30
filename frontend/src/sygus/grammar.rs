//! Grammar lowering: the non-terminals of a `synth-fun` and their productions.
//!
//! SyGuS-IF v2 writes `((N1 S1) ...)` (the non-terminals, the first is the start symbol) then
//! `((N1 S1 (g ...)) ...)` (the rules); the v1 form with only the rule list is accepted too.
//! Each production is `(Constant S)`, `(Variable S)`, or a term over operators, literals, the
//! target's parameters, `define-fun` helpers and non-terminals. In a term, every occurrence of a
//! non-terminal is a child hole, numbered left to right; the term becomes an IR function whose
//! parameters are the children's values followed by the target's parameters, and a
//! [`Surface`] that prints it as written. A non-terminal shadows a parameter of the same name.

use std::collections::HashMap;

use ir::{Grammar, NonTerminal, Production, Sort, Surface, Type};

use super::emit::FunctionEmitter;
use super::error::{Result, SygusError};
use super::ops::Typed;
use super::scope::Globals;
use super::sexp::{Kind, SExp};
use super::sort::parse_sort;
use super::term::{Holes, Lowerer};

/// The declared name and sort of a non-terminal, and where it is declared.
struct Declared<'a> {
    name: &'a str,
    sort: Sort,
    at: &'a SExp,
}

fn name_and_sort<'a>(item: &'a SExp, what: &str) -> Result<(Declared<'a>, &'a [SExp])> {
    let items = item.list().unwrap_or_default();
    match items {
        [name, sort, rest @ ..] => {
            let name_text =
                name.symbol().ok_or_else(|| SygusError::syntax(name.loc, "expected a non-terminal name"))?;
            Ok((Declared { name: name_text, sort: parse_sort(sort)?, at: name }, rest))
        }
        _ => Err(SygusError::syntax(item.loc, format!("expected {what}"))),
    }
}

/// Most grammar terms times target parameters (plus one) in one grammar: every production is a
/// function of all the target's parameters, so this bounds the size of the lowered grammar.
pub(crate) const MAX_GRAMMAR_SLOTS: usize = 2_000_000;

/// Lowers the grammar of target `target` from the items after its result sort; the work is
/// taken from `work_left`, the file's budget.
pub(crate) fn lower_grammar(
    globals: &Globals,
    target: usize,
    items: &[SExp],
    work_left: &mut usize,
) -> Result<Grammar> {
    let t = &globals.targets[target];
    let (decls, rules): (Vec<Declared>, &[SExp]) = match items {
        [decls, rules] => {
            let decl_items =
                decls.list().ok_or_else(|| SygusError::syntax(decls.loc, "expected non-terminal declarations"))?;
            let declared = decl_items
                .iter()
                .map(|d| match name_and_sort(d, "a non-terminal declaration (Name Sort)")? {
                    (decl, []) => Ok(decl),
                    _ => Err(SygusError::syntax(d.loc, "expected a non-terminal declaration (Name Sort)")),
                })
                .collect::<Result<Vec<_>>>()?;
            let rules = rules.list().ok_or_else(|| SygusError::syntax(rules.loc, "expected grammar rules"))?;
            (declared, rules)
        }
        [rules] => {
            // SyGuS-IF v1: the rules alone declare the non-terminals, in order.
            let rules = rules.list().ok_or_else(|| SygusError::syntax(rules.loc, "expected grammar rules"))?;
            let declared = rules
                .iter()
                .map(|r| name_and_sort(r, "a grammar rule (Name Sort (terms...))").map(|(d, _)| d))
                .collect::<Result<Vec<_>>>()?;
            (declared, rules)
        }
        _ => return Err(SygusError::syntax(items[0].loc, "expected a grammar after the result sort")),
    };
    let Some(start) = decls.first() else {
        let loc = items[0].loc;
        return Err(SygusError::syntax(loc, "a grammar needs at least one non-terminal"));
    };
    if start.sort != t.ret {
        return Err(SygusError::sort(
            start.at.loc,
            format!("the start symbol `{}` has sort {} but `{}` returns {}", start.name, start.sort, t.name, t.ret),
        ));
    }
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, d) in decls.iter().enumerate() {
        if index.insert(d.name.to_string(), i).is_some() {
            return Err(SygusError::invalid(d.at.loc, format!("non-terminal `{}` is declared twice", d.name)));
        }
    }
    // Each term production is an IR function over its children and all the target's
    // parameters: bound the total size of those signatures.
    let terms: usize =
        rules.iter().filter_map(|r| r.list().and_then(|l| l.get(2)).and_then(SExp::list)).map(<[SExp]>::len).sum();
    let slots = terms.saturating_mul(t.params.len() + 1);
    if slots > MAX_GRAMMAR_SLOTS {
        return Err(SygusError::unsupported(
            items[0].loc,
            format!(
                "a grammar of {terms} terms for a synth-fun of {} parameters (at most {MAX_GRAMMAR_SLOTS} terms times parameters)",
                t.params.len()
            ),
        ));
    }
    let mut productions: Vec<Option<Vec<Production>>> = vec![None; decls.len()];
    let sorts: Vec<Sort> = decls.iter().map(|d| d.sort).collect();
    let names: Vec<&str> = decls.iter().map(|d| d.name).collect();
    let nts = Nonterminals { index: &index, sorts: &sorts, names: &names };
    for rule in rules {
        let (head, rest) = name_and_sort(rule, "a grammar rule (Name Sort (terms...))")?;
        let [terms] = rest else {
            return Err(SygusError::syntax(rule.loc, "expected a grammar rule (Name Sort (terms...))"));
        };
        let Some(&nt) = index.get(head.name) else {
            return Err(SygusError::invalid(head.at.loc, format!("`{}` is not a declared non-terminal", head.name)));
        };
        if head.sort != decls[nt].sort {
            return Err(SygusError::sort(
                head.at.loc,
                format!("`{}` is declared with sort {} but its rule says {}", head.name, decls[nt].sort, head.sort),
            ));
        }
        if productions[nt].is_some() {
            return Err(SygusError::invalid(head.at.loc, format!("`{}` has two rules", head.name)));
        }
        let terms = terms.list().ok_or_else(|| SygusError::syntax(terms.loc, "expected a list of grammar terms"))?;
        let lowered = terms
            .iter()
            .enumerate()
            .map(|(k, term)| production(globals, target, &nts, nt, k, term, work_left))
            .collect::<Result<Vec<_>>>()?;
        productions[nt] = Some(lowered);
    }
    let nonterminals = decls
        .iter()
        .zip(productions)
        .map(|(d, p)| match p {
            Some(productions) => Ok(NonTerminal { name: d.name.to_string(), sort: d.sort, productions }),
            None => Err(SygusError::invalid(d.at.loc, format!("non-terminal `{}` has no rule", d.name))),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Grammar { nonterminals })
}

/// `(Constant S)` / `(Variable S)` with the non-terminal's sort, if `term` is one.
fn any_constant_or_variable(term: &SExp, sort: Sort) -> Result<Option<Production>> {
    let Some([head, s]) = term.list() else { return Ok(None) };
    let production = match head.symbol() {
        Some("Constant") => Production::AnyConstant,
        Some("Variable") => Production::AnyVariable,
        Some(other @ ("InputVariable" | "LocalVariable")) => {
            return Err(SygusError::unsupported(head.loc, format!("grammar term ({other} ...)")));
        }
        _ => return Ok(None),
    };
    let written = parse_sort(s)?;
    if written != sort {
        return Err(SygusError::sort(s.loc, format!("this non-terminal has sort {sort}, not {written}")));
    }
    Ok(Some(production))
}

/// The surface of a grammar term; pushes the non-terminal of each child hole onto `holes`.
fn surface(e: &SExp, nts: &HashMap<String, usize>, holes: &mut Vec<usize>, is_arg: bool) -> Result<Surface> {
    Ok(match &e.kind {
        Kind::Symbol(s) => match nts.get(s) {
            Some(&nt) if is_arg => {
                holes.push(nt);
                Surface::Child(holes.len() - 1)
            }
            _ => Surface::Atom(e.to_string()),
        },
        Kind::List(items) => match items.first().and_then(SExp::symbol) {
            Some("_") => Surface::List(items.iter().map(|i| Surface::Atom(i.to_string())).collect()),
            Some("let") => return Err(SygusError::unsupported(e.loc, "let inside a grammar term")),
            _ => Surface::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| surface(item, nts, holes, i > 0))
                    .collect::<Result<Vec<_>>>()?,
            ),
        },
        _ => Surface::Atom(e.to_string()),
    })
}

/// The non-terminals of a grammar: index by name, sorts and names by index.
struct Nonterminals<'a> {
    index: &'a HashMap<String, usize>,
    sorts: &'a [Sort],
    names: &'a [&'a str],
}

/// Lowers production `k` of non-terminal `nt`.
fn production(
    globals: &Globals,
    target: usize,
    nts: &Nonterminals,
    nt: usize,
    k: usize,
    term: &SExp,
    work_left: &mut usize,
) -> Result<Production> {
    let sorts = nts.sorts;
    if let Some(p) = any_constant_or_variable(term, sorts[nt])? {
        return Ok(p);
    }
    let t = &globals.targets[target];
    let mut children = Vec::new();
    let surface = surface(term, nts.index, &mut children, true)?;
    let mut types: Vec<Type> = children.iter().map(|&c| sorts[c].ty()).collect();
    types.extend(t.params.iter().map(|p| p.1.ty()));
    let name = format!("{}_{}_{k}", t.name, nts.names[nt]);
    let emitter = FunctionEmitter::new(&name, &types, sorts[nt].ty());
    let mut lowerer = Lowerer::new(globals, emitter).with_file_budget(*work_left);
    let values: Vec<Typed<ir::Value>> =
        children.iter().enumerate().map(|(i, &c)| Typed { h: lowerer.emitter.param(i), sort: sorts[c] }).collect();
    for (i, (pname, psort)) in t.params.iter().enumerate() {
        let h = lowerer.emitter.param(children.len() + i);
        lowerer.bind(pname, Typed { h, sort: *psort });
    }
    lowerer.holes = Some(Holes { nonterminals: nts.index, values, next: 0 });
    let ret = lowerer.lower_as(term, sorts[nt], "a production of this non-terminal")?;
    *work_left -= lowerer.steps();
    if lowerer.holes.as_ref().is_none_or(|h| h.next != children.len()) {
        return Err(SygusError::Internal(format!("production {name}: holes and surface disagree")));
    }
    let body = lowerer.emitter.finish(ret).map_err(|e| SygusError::Internal(format!("production {name}: {e}")))?;
    Ok(Production::Term { children, body, surface })
}

#[cfg(test)]
mod tests {
    use ir::{Derivation, Production, Sort, Surface};

    use crate::sygus::{Solution, parse_sygus, print_solution};

    const FILE: &str = "(set-logic BV)
        (define-fun im ((c (_ BitVec 8)) (y (_ BitVec 8)) (z (_ BitVec 8))) (_ BitVec 8) (ite (= c #x01) y z))
        (synth-fun f ((x (_ BitVec 8)) (b Bool)) (_ BitVec 8)
            ((Start (_ BitVec 8)) (B Bool))
            ((Start (_ BitVec 8) (x #x01 (im Start Start Start) (bvadd Start (bvnot Start)) (ite B Start x)
                                  (Constant (_ BitVec 8)) ((_ extract 7 0) Start)))
             (B Bool (b (bvult Start Start) (Variable Bool)))))
        (check-synth)";

    #[test]
    fn productions_have_holes_bodies_and_surfaces() {
        let file = parse_sygus(FILE).unwrap();
        let t = &file.problem.targets[0];
        let g = t.grammar.as_ref().unwrap();
        assert_eq!(g.nonterminals.len(), 2);
        assert_eq!((g.nonterminals[1].name.as_str(), g.nonterminals[1].sort), ("B", Sort::Bool));
        let start = &g.nonterminals[0].productions;
        assert_eq!(start.len(), 7);
        assert_eq!(start[5], Production::AnyConstant);
        assert_eq!(g.nonterminals[1].productions[2], Production::AnyVariable);
        let Production::Term { children, body, surface } = &start[2] else { panic!("im is a term") };
        assert_eq!(children, &[0, 0, 0]);
        assert_eq!(surface.render(&["a".into(), "b".into(), "c".into()]), "(im a b c)");
        // Parameters: the three children, then x and b.
        assert_eq!(ir::eval(body, &[1, 20, 30, 0, 0]), 20);
        assert_eq!(ir::eval(body, &[2, 20, 30, 0, 0]), 30);
        let Production::Term { children, body, .. } = &start[4] else { panic!("ite is a term") };
        assert_eq!(children, &[1, 0]);
        assert_eq!(ir::eval(body, &[0, 20, 7, 0]), 7, "x is the first target parameter");
        let Production::Term { children, surface, .. } = &start[3] else { panic!("bvadd is a term") };
        assert_eq!(children, &[0, 0]);
        assert_eq!(
            surface,
            &Surface::List(vec![
                Surface::Atom("bvadd".into()),
                Surface::Child(0),
                Surface::List(vec![Surface::Atom("bvnot".into()), Surface::Child(1)]),
            ])
        );
    }

    #[test]
    fn derivations_print_with_the_grammar_symbols() {
        let file = parse_sygus(FILE).unwrap();
        let t = &file.problem.targets[0];
        let leaf = |p| Derivation::Apply { nonterminal: 0, production: p, children: vec![] };
        let d = Derivation::Apply {
            nonterminal: 0,
            production: 2,
            children: vec![leaf(1), Derivation::Constant { nonterminal: 0, value: 0xa5 }, leaf(0)],
        };
        assert_eq!(
            print_solution(t, &Solution::Derivation(d.clone())),
            "(define-fun f ((x (_ BitVec 8)) (b Bool)) (_ BitVec 8) (im #x01 #xa5 x))"
        );
        assert_eq!(ir::eval(&d.to_function(t), &[3, 0]), 0xa5);
    }

    #[test]
    fn v1_grammars_are_read_too() {
        let v1 = "(set-logic BV)
            (synth-fun f ((x (_ BitVec 4))) (_ BitVec 4) ((Start (_ BitVec 4) (x (bvneg Start)))))
            (check-synth)";
        let file = parse_sygus(v1).unwrap();
        assert_eq!(file.problem.targets[0].grammar.as_ref().unwrap().nonterminals[0].productions.len(), 2);
    }
}
