//! Reading solutions back: printed `define-fun`s to IR functions ([`parse_solution`]) and to
//! grammar derivations ([`parse_derivations`]), for round-trip tests and for checking that a
//! solution is a term of its grammar.
//!
//! Solutions may be wrapped in one pair of parentheses, as cvc5 1.0 prints them; their bodies
//! may call the problem's `define-fun`s (PBE grammars are built from such helpers).

use std::collections::{HashMap, HashSet};

use ir::{Derivation, Function, Location, Production, Sort, Surface};

use super::SygusFile;
use super::command::sorted_vars;
use super::emit::FunctionEmitter;
use super::error::{Result, SygusError};
use super::ops::Typed;
use super::sexp::{SExp, read_all};
use super::sort::{literal, parse_sort};
use super::term::Lowerer;

/// One `define-fun` of a solution.
pub(crate) struct SolutionDef<'a> {
    pub name: &'a str,
    pub name_loc: Location,
    pub params: &'a SExp,
    pub ret: &'a SExp,
    pub body: &'a SExp,
    pub whole: &'a SExp,
}

/// The `define-fun`s of a solution text, unwrapping cvc5's outer parentheses.
pub(crate) fn solution_defs(items: &[SExp]) -> Result<Vec<SolutionDef<'_>>> {
    let items = match items {
        [single] if single.head() != Some("define-fun") && single.list().is_some_and(|l| !l.is_empty()) => {
            single.list().unwrap_or_default()
        }
        _ => items,
    };
    let mut defs: Vec<SolutionDef> = Vec::new();
    let mut names: HashSet<&str> = HashSet::new();
    for item in items {
        match item.list() {
            Some([head, name, params, ret, body]) if head.symbol() == Some("define-fun") => {
                let name_text =
                    name.symbol().ok_or_else(|| SygusError::syntax(name.loc, "expected a function name"))?;
                if !names.insert(name_text) {
                    return Err(SygusError::invalid(name.loc, format!("two solutions for `{name_text}`")));
                }
                defs.push(SolutionDef { name: name_text, name_loc: name.loc, params, ret, body, whole: item });
            }
            _ => {
                let what = match item.symbol() {
                    Some(answer @ ("infeasible" | "fail" | "unknown")) => format!("`{answer}` is not a solution"),
                    _ => "expected (define-fun name ((param Sort) ...) Sort body)".to_string(),
                };
                return Err(SygusError::syntax(item.loc, what));
            }
        }
    }
    Ok(defs)
}

/// Finds the target a solution defines and checks its signature.
fn target_of(file: &SygusFile, d: &SolutionDef) -> Result<(usize, Vec<(String, Sort)>)> {
    let t = file
        .target_index(d.name)
        .ok_or_else(|| SygusError::invalid(d.name_loc, format!("`{}` is not a synth-fun of the problem", d.name)))?;
    let target = &file.problem.targets[t];
    let params: Vec<(String, Sort)> = sorted_vars(d.params)?.into_iter().map(|(n, s, _)| (n, s)).collect();
    let ret = parse_sort(d.ret)?;
    let sorts: Vec<Sort> = params.iter().map(|p| p.1).collect();
    let expected: Vec<Sort> = target.params.iter().map(|p| p.1).collect();
    if sorts != expected || ret != target.ret {
        return Err(SygusError::sort(d.whole.loc, format!("the signature of `{}` differs from its synth-fun", d.name)));
    }
    Ok((t, params))
}

/// Parses printed `define-fun`s for the problem's targets into IR functions (named after the
/// targets, in the order written).
pub fn parse_solution(problem: &SygusFile, text: &str) -> Result<Vec<Function>> {
    let items = read_all(text)?;
    let mut out = Vec::new();
    for d in solution_defs(&items)? {
        let (t, params) = target_of(problem, &d)?;
        let target = &problem.problem.targets[t];
        let emitter = FunctionEmitter::new(&target.name, &target.param_types(), target.ret.ty());
        let mut lowerer = Lowerer::new(&problem.globals, emitter);
        for (i, (name, sort)) in params.iter().enumerate() {
            let h = lowerer.emitter.param(i);
            lowerer.bind(name, Typed { h, sort: *sort });
        }
        let ret = lowerer.lower_as(d.body, target.ret, &format!("the body of `{}`", d.name))?;
        let f = lowerer.emitter.finish(ret).map_err(|e| SygusError::Internal(format!("solution {}: {e}", d.name)))?;
        out.push(f);
    }
    Ok(out)
}

/// Parses printed `define-fun`s and derives each body in its target's grammar: returns the
/// target index and a derivation per `define-fun`, or an error naming the first body that is
/// not a term of its grammar. Parameter names must be the synth-fun's; literals match grammar
/// literals of the same sort and value however they are written (`#x0f` matches `#b00001111`).
pub fn parse_derivations(problem: &SygusFile, text: &str) -> Result<Vec<(usize, Derivation)>> {
    let items = read_all(text)?;
    let mut out = Vec::new();
    for d in solution_defs(&items)? {
        let (t, params) = target_of(problem, &d)?;
        let target = &problem.problem.targets[t];
        if params.iter().zip(&target.params).any(|(a, b)| a.0 != b.0) {
            return Err(SygusError::invalid(d.params.loc, "parameter names differ from the synth-fun's"));
        }
        let Some(grammar) = &target.grammar else {
            return Err(SygusError::invalid(d.name_loc, format!("`{}` has no grammar", d.name)));
        };
        let mut deriver = Deriver { grammar, target, path: HashSet::new(), memo: HashMap::new(), cut: false };
        let derivation = deriver.derive(0, d.body).ok_or_else(|| {
            SygusError::invalid(d.body.loc, format!("the body of `{}` is not a term of its grammar", d.name))
        })?;
        out.push((t, derivation));
    }
    Ok(out)
}

/// Top-down matching of a term against a grammar, with backtracking over productions.
///
/// Results are memoized per (non-terminal, sub-term), so ambiguous grammars cost polynomial
/// time, not exponential: a derivation found is always valid, and a failure is remembered only
/// if no cycle was cut while looking for it (a cut failure may succeed from elsewhere).
struct Deriver<'a> {
    grammar: &'a ir::Grammar,
    target: &'a ir::Target,
    /// (non-terminal, term) pairs being derived, to cut cycles of unit productions.
    path: HashSet<(usize, *const SExp)>,
    /// Results known for (non-terminal, term) pairs.
    memo: HashMap<(usize, *const SExp), Option<Derivation>>,
    /// Set when a cycle was cut.
    cut: bool,
}

impl Deriver<'_> {
    fn derive(&mut self, nt: usize, e: &SExp) -> Option<Derivation> {
        let key = (nt, e as *const SExp);
        if let Some(known) = self.memo.get(&key) {
            return known.clone();
        }
        if !self.path.insert(key) {
            self.cut = true;
            return None;
        }
        let outer_cut = std::mem::replace(&mut self.cut, false);
        let result = self.try_productions(nt, e);
        self.path.remove(&key);
        if result.is_some() || !self.cut {
            self.memo.insert(key, result.clone());
        }
        self.cut |= outer_cut;
        result
    }

    fn try_productions(&mut self, nt: usize, e: &SExp) -> Option<Derivation> {
        let sort = self.grammar.nonterminals[nt].sort;
        for (k, production) in self.grammar.nonterminals[nt].productions.iter().enumerate() {
            match production {
                Production::AnyConstant => {
                    if let Some(Ok((s, value))) = literal(e)
                        && s == sort
                    {
                        return Some(Derivation::Constant { nonterminal: nt, value });
                    }
                }
                Production::AnyVariable => {
                    let found = e
                        .symbol()
                        .and_then(|name| self.target.params.iter().position(|(n, s)| n == name && *s == sort));
                    if let Some(param) = found {
                        return Some(Derivation::Variable { nonterminal: nt, param });
                    }
                }
                Production::Term { children, surface, .. } => {
                    let mut bound: Vec<Option<&SExp>> = vec![None; children.len()];
                    if !matches_surface(surface, e, &mut bound) {
                        continue;
                    }
                    let derived: Option<Vec<Derivation>> =
                        children.iter().zip(&bound).map(|(&c, b)| b.and_then(|sub| self.derive(c, sub))).collect();
                    if let Some(children) = derived {
                        return Some(Derivation::Apply { nonterminal: nt, production: k, children });
                    }
                }
            }
        }
        None
    }
}

/// Matches a surface against a term, binding child holes to sub-terms.
fn matches_surface<'e>(surface: &Surface, e: &'e SExp, bound: &mut Vec<Option<&'e SExp>>) -> bool {
    match surface {
        Surface::Child(i) => {
            bound[*i] = Some(e);
            true
        }
        Surface::Atom(text) => {
            if e.list().is_some() {
                return false;
            }
            if *text == e.to_string() {
                return true;
            }
            let parsed = read_all(text).ok();
            match (parsed.as_deref(), literal(e)) {
                (Some([atom]), Some(Ok(value))) => literal(atom).and_then(Result::ok) == Some(value),
                _ => false,
            }
        }
        Surface::List(items) => {
            if let (Some(Ok(value)), [first, ..]) = (literal(e), items.as_slice())
                && matches!(first, Surface::Atom(a) if a == "_")
            {
                // An indexed literal such as (_ bv1 32) in the grammar.
                let text = Surface::List(items.clone()).render(&[]);
                return read_all(&text).ok().and_then(|p| p.first().and_then(literal)).and_then(Result::ok)
                    == Some(value);
            }
            match e.list() {
                Some(list) if list.len() == items.len() => {
                    items.iter().zip(list).all(|(s, sub)| matches_surface(s, sub, bound))
                }
                _ => false,
            }
        }
    }
}
