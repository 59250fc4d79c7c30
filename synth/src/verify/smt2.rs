//! SMT-LIB2 output: the equivalence query, and the query that proves an answer to a whole
//! problem, as self-contained scripts for any solver.
//!
//! The scripts are printed by a second backend of the same encoding the solver uses
//! ([`super::encoding`]), so they ask exactly the questions [`super::check_equivalent`] and
//! [`super::check_problem`] ask. They use only standard `QF_BV` operations: one `declare-const`
//! per parameter or variable, one `define-fun` per SSA value (and per shared helper term), the
//! negated claim as the single assertion, and `check-sat`: `unsat` means the claim holds for
//! every input, `sat` that it does not.

use std::collections::HashSet;
use std::fmt::Write;

use ir::{Function, Opcode, Problem};

use super::backend::{BvBackend, direct_smtlib_name};
use super::encoding::{encode_formula, encode_function};
use super::{VerifyError, validate};

/// A printed term: its text (a symbol or an expression) and its width.
#[derive(Debug, Clone)]
struct Term {
    text: String,
    width: u32,
}

/// The SMT-LIB backend: collects `define-fun` lines.
#[derive(Debug, Default)]
struct Script {
    definitions: Vec<String>,
    names: HashSet<String>,
}

fn sort(width: u32) -> String {
    format!("(_ BitVec {width})")
}

/// True if `name` can be written as an SMT-LIB simple symbol.
fn is_simple_symbol(name: &str) -> bool {
    const EXTRA: &str = "~!@$%^&*_-+=<>.?/";
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || EXTRA.contains(c))
}

/// `name` as an SMT-LIB symbol, quoted with `|...|` when it is not a simple one.
fn symbol(name: &str) -> String {
    if is_simple_symbol(name) { name.to_string() } else { format!("|{}|", name.replace(['|', '\\'], "_")) }
}

impl Script {
    /// A fresh symbol based on `name`.
    fn fresh(&mut self, name: &str) -> String {
        let mut candidate = symbol(name);
        let mut n = 1;
        while !self.names.insert(candidate.clone()) {
            candidate = symbol(&format!("{name}.{n}"));
            n += 1;
        }
        candidate
    }
}

impl BvBackend for Script {
    type Term = Term;

    fn constant(&mut self, width: u32, bits: u64) -> Term {
        let text = if width.is_multiple_of(4) {
            format!("#x{bits:0digits$x}", digits = (width / 4) as usize)
        } else {
            format!("#b{bits:0width$b}", width = width as usize)
        };
        Term { text, width }
    }

    fn apply(&mut self, op: Opcode, args: &[&Term]) -> Term {
        let name = direct_smtlib_name(op).expect("the encoding only applies direct operations");
        let operands: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
        let call = format!("({name} {})", operands.join(" "));
        match op.shape() {
            ir::Shape::Compare => Term { text: format!("(ite {call} #b1 #b0)"), width: 1 },
            _ => Term { text: call, width: args[0].width },
        }
    }

    fn select(&mut self, cond: &Term, a: &Term, b: &Term) -> Term {
        Term { text: format!("(ite (= {} #b1) {} {})", cond.text, a.text, b.text), width: a.width }
    }

    fn extract(&mut self, high: u32, low: u32, a: &Term) -> Term {
        Term { text: format!("((_ extract {high} {low}) {})", a.text), width: high - low + 1 }
    }

    fn zero_extend(&mut self, extra: u32, a: &Term) -> Term {
        Term { text: format!("((_ zero_extend {extra}) {})", a.text), width: a.width + extra }
    }

    fn sign_extend(&mut self, extra: u32, a: &Term) -> Term {
        Term { text: format!("((_ sign_extend {extra}) {})", a.text), width: a.width + extra }
    }

    fn share(&mut self, a: Term, name: &str) -> Term {
        let symbol = self.fresh(name);
        self.definitions.push(format!("(define-fun {symbol} () {} {})", sort(a.width), a.text));
        Term { text: symbol, width: a.width }
    }
}

/// Prefixes for the SSA values of the two functions: their names, or `f`/`g` when the names are
/// equal or not usable in symbols.
fn prefixes(f: &Function, g: &Function) -> (String, String) {
    if f.name != g.name && is_simple_symbol(&f.name) && is_simple_symbol(&g.name) {
        (format!("{}.", f.name), format!("{}.", g.name))
    } else {
        ("f.".into(), "g.".into())
    }
}

/// A self-contained SMT-LIB2 script (logic `QF_BV`) that is unsatisfiable exactly when `f` and
/// `g` are equivalent; a model of it is a counterexample. Parameters are declared with `f`'s
/// value names (`v0`, ...).
pub fn smt2_equivalence_query(f: &Function, g: &Function) -> Result<String, VerifyError> {
    validate::function(f)?;
    validate::function(g)?;
    validate::signature(g, &f.param_types(), f.ret_ty, "the second function")?;
    let mut script = Script::default();
    let mut out = String::new();
    let _ = writeln!(out, "; Is fn {} equivalent to fn {}?", f.name, g.name);
    let _ = writeln!(out, "; unsat: equivalent for every input; sat: not equivalent (add (get-model) for inputs).");
    let _ = writeln!(out, "; Semantics: synth's IR (docs/semantics.md); i1 is (_ BitVec 1) with #b1 = true.");
    out.push_str("(set-logic QF_BV)\n");
    let mut inputs = Vec::with_capacity(f.params.len());
    for p in &f.params {
        let name = script.fresh(&p.value.to_string());
        let _ = writeln!(out, "(declare-const {name} {})", sort(p.ty.width()));
        inputs.push(Term { text: name, width: p.ty.width() });
    }
    let (left_prefix, right_prefix) = prefixes(f, g);
    let left = encode_function(&mut script, f, &inputs, &left_prefix);
    let right = encode_function(&mut script, g, &inputs, &right_prefix);
    for line in &script.definitions {
        out.push_str(line);
        out.push('\n');
    }
    let _ = writeln!(out, "(assert (not (= {} {})))", left.text, right.text);
    out.push_str("(check-sat)\n");
    Ok(out)
}

/// A self-contained SMT-LIB2 script (logic `QF_BV`) that is unsatisfiable exactly when
/// `solutions` (one function per target) meet every constraint of `problem` for all values of
/// its variables, and, with a defined-behaviour discipline (`problem.safety`), reach no forbidden
/// guarded case: the query [`super::check_problem`] asks. Variables are declared with their
/// names in the problem (quoted or renamed only where SMT-LIB needs it).
pub fn smt2_problem_query(problem: &Problem, solutions: &[Function]) -> Result<String, VerifyError> {
    validate::problem(problem, solutions)?;
    if problem.safety.is_some() {
        let (augmented, guard) = ir::Safety::augmented(problem, &solutions[0]);
        let mut text = smt2_problem_query(&augmented, &[solutions[0].clone(), guard])?;
        let note = format!(
            "; The last constraint is the defined-behaviour discipline: `{}` reaches no division by\n\
             ; zero, MIN / -1 or shift by >= width where the task forbids it.\n",
            problem.targets[0].name
        );
        let at = text.find("(set-logic").unwrap_or(0);
        text.insert_str(at, &note);
        return Ok(text);
    }
    let mut script = Script::default();
    let mut out = String::new();
    let names: Vec<&str> = problem.targets.iter().map(|t| t.name.as_str()).collect();
    let _ = writeln!(out, "; Do {} meet every constraint of `{}` for all inputs?", names.join(", "), problem.name);
    let _ = writeln!(out, "; unsat: yes, for every value of the variables; sat: no (add (get-model) for inputs).");
    let _ = writeln!(out, "; Semantics: synth's IR (docs/semantics.md); i1 is (_ BitVec 1) with #b1 = true.");
    out.push_str("(set-logic QF_BV)\n");
    let mut vars = Vec::with_capacity(problem.vars.len());
    for v in &problem.vars {
        let width = v.sort.ty().width();
        let name = script.fresh(&v.name);
        let _ = writeln!(out, "(declare-const {name} {})", sort(width));
        vars.push(Term { text: name, width });
    }
    let holds: Vec<Term> = problem
        .constraints
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let term = encode_formula(&mut script, problem, c, &vars, solutions);
            script.share(term, &format!("constraint{k}"))
        })
        .collect();
    for line in &script.definitions {
        out.push_str(line);
        out.push('\n');
    }
    let all: Vec<String> = holds.iter().map(|t| format!("(= {} #b1)", t.text)).collect();
    let conjunction = match all.len() {
        0 => "true".to_string(),
        1 => all[0].clone(),
        _ => format!("(and {})", all.join(" ")),
    };
    let _ = writeln!(out, "(assert (not {conjunction}))");
    out.push_str("(check-sat)\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_quoted_only_when_needed() {
        assert_eq!(symbol("v3"), "v3");
        assert_eq!(symbol("abs.v3.amount"), "abs.v3.amount");
        assert_eq!(symbol("3x"), "|3x|");
        assert_eq!(symbol("a b"), "|a b|");
        assert_eq!(symbol("a|b"), "|a_b|");
    }

    #[test]
    fn constants_use_hex_or_binary_by_width() {
        let mut s = Script::default();
        assert_eq!(s.constant(32, 31).text, "#x0000001f");
        assert_eq!(s.constant(12, 5).text, "#x005");
        assert_eq!(s.constant(3, 5).text, "#b101");
        assert_eq!(s.constant(1, 1).text, "#b1");
        assert_eq!(s.constant(64, u64::MAX).text, format!("#x{}", "f".repeat(16)));
    }

    #[test]
    fn shared_names_stay_unique() {
        let mut s = Script::default();
        let a = s.constant(8, 1);
        let first = s.share(a.clone(), "f.v1");
        let second = s.share(a, "f.v1");
        assert_ne!(first.text, second.text);
        assert_eq!(s.definitions.len(), 2);
    }

    #[test]
    fn script_declares_parameters_and_asserts_the_negation() {
        let m = ir::parse_module(
            "fn a(v0: i8, v5: i8) -> i1 {\n v2 = ult v0, v5\n ret v2\n}\nfn a2(v0: i8, v1: i8) -> i1 {\n v2 = ugt v1, v0\n ret v2\n}",
        )
        .unwrap();
        let script = smt2_equivalence_query(&m["a"], &m["a2"]).unwrap();
        assert!(script.contains("(set-logic QF_BV)\n"));
        assert!(script.contains("(declare-const v0 (_ BitVec 8))\n(declare-const v5 (_ BitVec 8))\n"));
        assert!(script.contains("(define-fun a.v2 () (_ BitVec 1) (ite (bvult v0 v5) #b1 #b0))"));
        assert!(script.contains("(define-fun a2.v2 () (_ BitVec 1) (ite (bvugt v5 v0) #b1 #b0))"));
        assert!(script.ends_with("(assert (not (= a.v2 a2.v2)))\n(check-sat)\n"));
    }
}
