//! Printing solutions as SyGuS-IF `define-fun`s, the way cvc5 prints them.
//!
//! A [`Solution::Derivation`] prints each production's surface with its children filled in, so
//! a solution uses exactly the grammar's symbols (helper `define-fun` names included); constants
//! of `(Constant S)` print as `#x` digits when the width is a multiple of 4, `#b` digits
//! otherwise, and `true`/`false` for `Bool`.
//!
//! A [`Solution::Function`] (targets without a grammar) is translated opcode by opcode. Shared
//! sub-terms are repeated (like cvc5 with `--dag-thresh=0`) while they are short: a value whose
//! text would appear more than once and is longer than [`LET_THRESHOLD`] characters is bound
//! once with `let` (names `_let_N`, never a parameter's name), so the printed size stays linear
//! in the function's size times the widest expansion below (repeating shared values verbatim
//! would grow exponentially with the nesting of, e.g., `popcnt` of `clz`). Bindings that do not
//! depend on each other share one `let`, so the nesting depth is at most the DAG's depth.
//! An `i1` value is printed as a
//! `Bool` or a `(_ BitVec 1)` term as its consumer needs: comparisons are `Bool`, `and`/`or`/
//! `xor`/`not`/`select`/constants on `i1` are printed in whichever form is asked for, and the
//! remaining conversions are `(ite b #b1 #b0)` and `(= v #b1)`. Opcodes without an SMT-LIB
//! operator are expanded into equivalent terms, never refused:
//! - `rotl`/`rotr` by a constant are `(_ rotate_left k)`/`(_ rotate_right k)`; by a variable
//!   amount `r` they are `(bvor (bvshl a (bvurem r W)) (bvlshr a (bvsub W (bvurem r W))))` (and
//!   mirrored), which is right for `r mod W = 0` because shifting by `W` gives 0;
//! - `popcnt a` is the sum of the zero-extended bits `((_ extract i i) a)`;
//! - `clz a`/`ctz a` are `ite` chains testing the bits from the top/bottom.

use std::collections::HashMap;

use ir::{Derivation, Function, Inst, Opcode, Production, Shape, Sort, Target, Type, Value};

use super::sexp::symbol_text;
use super::sort::literal_text;

/// A body for a target: a term of its grammar, or any IR function (for targets without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Solution {
    /// A term of the target's grammar.
    Derivation(Derivation),
    /// An IR function with the target's signature.
    Function(Function),
}

/// The answer to `check-synth` when no term can satisfy the constraints (a proof, not a guess).
pub fn print_infeasible() -> String {
    "infeasible".to_string()
}

/// The answer to `check-synth` when no solution was found (budget exhausted, unknown): the SyGuS
/// convention is `fail`.
pub fn print_fail() -> String {
    "fail".to_string()
}

/// The `define-fun` of one target, e.g.
/// `(define-fun f ((x (_ BitVec 32))) (_ BitVec 32) (bvand x (bvsub x #x00000001)))`.
///
/// # Panics
/// If `body` does not fit `target` (a derivation outside its grammar, a function with another
/// signature): those are bugs of the caller, not user errors.
pub fn print_solution(target: &Target, body: &Solution) -> String {
    let params: Vec<String> = target.params.iter().map(|(n, s)| format!("({} {s})", symbol_text(n))).collect();
    let text = match body {
        Solution::Derivation(d) => derivation_text(target, d),
        Solution::Function(f) => function_text(target, f),
    };
    format!("(define-fun {} ({}) {} {text})", symbol_text(&target.name), params.join(" "), target.ret)
}

/// The answer to `check-synth` for several targets, as cvc5 1.0 prints it: `(`, one
/// `define-fun` per line, `)` (no final newline).
///
/// # Panics
/// As [`print_solution`], and if the lengths differ.
pub fn print_solutions(targets: &[Target], bodies: &[Solution]) -> String {
    assert_eq!(targets.len(), bodies.len(), "one body per target");
    let mut out = String::from("(\n");
    for (t, b) in targets.iter().zip(bodies) {
        out.push_str(&print_solution(t, b));
        out.push('\n');
    }
    out.push(')');
    out
}

fn derivation_text(target: &Target, d: &Derivation) -> String {
    let grammar = target.grammar.as_ref().expect("a derivation needs a target with a grammar");
    match d {
        Derivation::Constant { nonterminal, value } => literal_text(grammar.nonterminals[*nonterminal].sort, *value),
        Derivation::Variable { param, .. } => symbol_text(&target.params[*param].0),
        Derivation::Apply { nonterminal, production, children } => {
            let Production::Term { surface, .. } = &grammar.nonterminals[*nonterminal].productions[*production] else {
                panic!("Derivation::Apply names a production that is not a term");
            };
            let texts: Vec<String> = children.iter().map(|c| derivation_text(target, c)).collect();
            surface.render(&texts)
        }
    }
}

/// The two ways an `i1` value can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Bool,
    Bv,
}

/// The texts of one value: `bv` always; `boolean` for `i1` values.
#[derive(Debug, Clone)]
struct Texts {
    bv: String,
    boolean: Option<String>,
}

struct Printer<'a> {
    texts: HashMap<Value, Texts>,
    defs: HashMap<Value, &'a Inst>,
    types: HashMap<Value, Type>,
}

impl Printer<'_> {
    fn get(&self, v: Value, form: Form) -> &str {
        let t = &self.texts[&v];
        match (form, &t.boolean) {
            (Form::Bool, Some(b)) => b,
            _ => &t.bv,
        }
    }

    fn bv(&self, v: Value) -> &str {
        self.get(v, Form::Bv)
    }

    fn width(&self, v: Value) -> u32 {
        self.types[&v].width()
    }

    /// Texts of an `i1` value whose natural form is `form`.
    fn from_natural(text: String, form: Form) -> Texts {
        match form {
            Form::Bool => Texts { bv: format!("(ite {text} #b1 #b0)"), boolean: Some(text) },
            Form::Bv => Texts { boolean: Some(format!("(= {text} #b1)")), bv: text },
        }
    }

    /// Texts of a value that is a bit-vector by nature.
    fn bitvector(text: String, ty: Type) -> Texts {
        if ty.is_bool() { Self::from_natural(text, Form::Bv) } else { Texts { bv: text, boolean: None } }
    }

    fn inst(&self, inst: &Inst) -> Texts {
        let ty = inst.ty;
        let w = ty.width();
        let a = |i: usize| inst.args[i];
        let lit = |bits: u64| literal_text(Sort::BitVec(w), bits);
        match inst.opcode {
            Opcode::Iconst if ty.is_bool() => {
                Texts { bv: lit(inst.imm), boolean: Some(literal_text(Sort::Bool, inst.imm)) }
            }
            Opcode::Iconst => Texts { bv: lit(inst.imm), boolean: None },
            op @ (Opcode::And | Opcode::Or | Opcode::Xor) if ty.is_bool() => {
                let (b, v) = match op {
                    Opcode::And => ("and", "bvand"),
                    Opcode::Or => ("or", "bvor"),
                    _ => ("xor", "bvxor"),
                };
                Texts {
                    boolean: Some(format!("({b} {} {})", self.get(a(0), Form::Bool), self.get(a(1), Form::Bool))),
                    bv: format!("({v} {} {})", self.bv(a(0)), self.bv(a(1))),
                }
            }
            Opcode::Not if ty.is_bool() => Texts {
                boolean: Some(format!("(not {})", self.get(a(0), Form::Bool))),
                bv: format!("(bvnot {})", self.bv(a(0))),
            },
            Opcode::Select => {
                let c = self.get(a(0), Form::Bool);
                let branch = |form| format!("(ite {c} {} {})", self.get(a(1), form), self.get(a(2), form));
                Texts { bv: branch(Form::Bv), boolean: ty.is_bool().then(|| branch(Form::Bool)) }
            }
            Opcode::Eq | Opcode::Ne => {
                let form = if self.types[&a(0)].is_bool() { Form::Bool } else { Form::Bv };
                let eq = format!("(= {} {})", self.get(a(0), form), self.get(a(1), form));
                let text = if inst.opcode == Opcode::Ne { format!("(not {eq})") } else { eq };
                Self::from_natural(text, Form::Bool)
            }
            op if op.shape() == Shape::Compare => {
                Self::from_natural(format!("({} {} {})", smt_name(op), self.bv(a(0)), self.bv(a(1))), Form::Bool)
            }
            Opcode::Zext | Opcode::Sext => {
                let name = if inst.opcode == Opcode::Zext { "zero_extend" } else { "sign_extend" };
                let k = w - self.width(a(0));
                Self::bitvector(format!("((_ {name} {k}) {})", self.bv(a(0))), ty)
            }
            Opcode::Trunc => Self::bitvector(format!("((_ extract {} 0) {})", w - 1, self.bv(a(0))), ty),
            op @ (Opcode::Rotl | Opcode::Rotr) => Self::bitvector(self.rotate(op, a(0), a(1), w), ty),
            Opcode::Popcnt => Self::bitvector(self.popcnt(a(0), w), ty),
            op @ (Opcode::Clz | Opcode::Ctz) => Self::bitvector(self.count_zeros(op, a(0), w), ty),
            op if op.shape() == Shape::Unary => Self::bitvector(format!("({} {})", smt_name(op), self.bv(a(0))), ty),
            op => Self::bitvector(format!("({} {} {})", smt_name(op), self.bv(a(0)), self.bv(a(1))), ty),
        }
    }

    fn rotate(&self, op: Opcode, x: Value, amount: Value, w: u32) -> String {
        let x_text = self.bv(x);
        if let Some(inst) = self.defs.get(&amount).filter(|i| i.opcode == Opcode::Iconst) {
            let k = inst.imm % u64::from(w);
            if k == 0 {
                return x_text.to_string();
            }
            let name = if op == Opcode::Rotl { "rotate_left" } else { "rotate_right" };
            return format!("((_ {name} {k}) {x_text})");
        }
        let width = literal_text(Sort::BitVec(w), u64::from(w));
        let r = format!("(bvurem {} {width})", self.bv(amount));
        let (first, second) = if op == Opcode::Rotl { ("bvshl", "bvlshr") } else { ("bvlshr", "bvshl") };
        format!("(bvor ({first} {x_text} {r}) ({second} {x_text} (bvsub {width} {r})))")
    }

    fn popcnt(&self, x: Value, w: u32) -> String {
        let x_text = self.bv(x);
        if w == 1 {
            return x_text.to_string();
        }
        let bit = |i: u32| format!("((_ zero_extend {}) ((_ extract {i} {i}) {x_text}))", w - 1);
        (1..w).fold(bit(0), |acc, i| format!("(bvadd {acc} {})", bit(i)))
    }

    fn count_zeros(&self, op: Opcode, x: Value, w: u32) -> String {
        let x_text = self.bv(x);
        let lit = |k: u32| literal_text(Sort::BitVec(w), u64::from(k));
        // Innermost: no bit set, the count is the width. Outermost: the first bit tested.
        (0..w).rev().fold(lit(w), |acc, k| {
            let bit = if op == Opcode::Clz { w - 1 - k } else { k };
            format!("(ite (= ((_ extract {bit} {bit}) {x_text}) #b1) {} {acc})", lit(k))
        })
    }
}

/// The SMT-LIB name of an opcode that has one.
fn smt_name(op: Opcode) -> &'static str {
    match op {
        Opcode::Add => "bvadd",
        Opcode::Sub => "bvsub",
        Opcode::Mul => "bvmul",
        Opcode::Neg => "bvneg",
        Opcode::Udiv => "bvudiv",
        Opcode::Urem => "bvurem",
        Opcode::Sdiv => "bvsdiv",
        Opcode::Srem => "bvsrem",
        Opcode::And => "bvand",
        Opcode::Or => "bvor",
        Opcode::Xor => "bvxor",
        Opcode::Not => "bvnot",
        Opcode::Shl => "bvshl",
        Opcode::Lshr => "bvlshr",
        Opcode::Ashr => "bvashr",
        Opcode::Ult => "bvult",
        Opcode::Ule => "bvule",
        Opcode::Ugt => "bvugt",
        Opcode::Uge => "bvuge",
        Opcode::Slt => "bvslt",
        Opcode::Sle => "bvsle",
        Opcode::Sgt => "bvsgt",
        Opcode::Sge => "bvsge",
        other => panic!("opcode {other} has no single SMT-LIB operator"),
    }
}

/// Longest text that is repeated verbatim where a value is used several times; longer texts are
/// bound with `let`.
pub const LET_THRESHOLD: usize = 80;

/// How many times each value's text appears in the printed body if nothing is bound: the result
/// once, and each consumer's count times how often its expansion repeats the operand.
fn occurrences(f: &Function, defs: &HashMap<Value, &Inst>) -> HashMap<Value, u64> {
    let mut occ: HashMap<Value, u64> = HashMap::new();
    occ.insert(f.ret, 1);
    for inst in f.body.iter().rev() {
        let n = occ.get(&inst.result).copied().unwrap_or(0);
        if n == 0 {
            continue;
        }
        let w = u64::from(inst.ty.width());
        let per_use: &[u64] = match inst.opcode {
            Opcode::Popcnt | Opcode::Clz | Opcode::Ctz => &[w],
            Opcode::Rotl | Opcode::Rotr => {
                let constant = defs.get(&inst.args[1]).is_some_and(|d| d.opcode == Opcode::Iconst);
                if constant { &[1, 0] } else { &[2, 2] }
            }
            _ => &[1, 1, 1],
        };
        for (arg, k) in inst.args.iter().zip(per_use) {
            let e = occ.entry(*arg).or_insert(0);
            *e = e.saturating_add(n.saturating_mul(*k));
        }
    }
    occ
}

fn function_text(target: &Target, f: &Function) -> String {
    assert_eq!(f.param_types(), target.param_types(), "function parameters differ from the target's");
    assert_eq!(f.ret_ty, target.ret.ty(), "function result type differs from the target's");
    let f = f.without_dead_code();
    let mut p = Printer { texts: HashMap::new(), defs: HashMap::new(), types: HashMap::new() };
    for (param, (name, sort)) in f.params.iter().zip(&target.params) {
        let text = symbol_text(name);
        let texts = match sort {
            Sort::Bool => Printer::from_natural(text, Form::Bool),
            Sort::BitVec(_) => Printer::bitvector(text, param.ty),
        };
        p.texts.insert(param.value, texts);
        p.types.insert(param.value, param.ty);
    }
    for inst in &f.body {
        p.defs.insert(inst.result, inst);
        p.types.insert(inst.result, inst.ty);
    }
    let occ = occurrences(&f, &p.defs);
    let taken: std::collections::HashSet<&str> = target.params.iter().map(|(n, _)| n.as_str()).collect();
    let mut fresh = (0usize..).map(|k| format!("_let_{k}")).filter(|n| !taken.contains(n.as_str()));
    // Bindings grouped by level: a binding's level is one more than the highest level of the
    // bound names its text uses; `level[v]` is that highest level for any value's text.
    let mut groups: Vec<Vec<(String, String)>> = Vec::new();
    let mut level: HashMap<Value, usize> = HashMap::new();
    for inst in &f.body {
        let mut texts = p.inst(inst);
        let mut lvl = inst.args.iter().map(|a| level.get(a).copied().unwrap_or(0)).max().unwrap_or(0);
        let repeated = occ.get(&inst.result).is_some_and(|&n| n > 1);
        if repeated && texts.bv.len().max(texts.boolean.as_ref().map_or(0, String::len)) > LET_THRESHOLD {
            let name = fresh.next().unwrap_or_default();
            let (text, form) = match texts.boolean {
                Some(b) => (b, Form::Bool),
                None => (texts.bv, Form::Bv),
            };
            if groups.len() <= lvl {
                groups.resize_with(lvl + 1, Vec::new);
            }
            groups[lvl].push((name.clone(), text));
            lvl += 1;
            texts =
                if inst.ty.is_bool() { Printer::from_natural(name, form) } else { Texts { bv: name, boolean: None } };
        }
        level.insert(inst.result, lvl);
        p.texts.insert(inst.result, texts);
    }
    let form = if target.ret == Sort::Bool { Form::Bool } else { Form::Bv };
    let mut text = p.get(f.ret, form).to_string();
    for group in groups.iter().rev().filter(|g| !g.is_empty()) {
        let bindings: Vec<String> = group.iter().map(|(n, t)| format!("({n} {t})")).collect();
        text = format!("(let ({}) {text})", bindings.join(" "));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(params: &[(&str, Sort)], ret: Sort) -> Target {
        Target {
            name: "f".into(),
            params: params.iter().map(|(n, s)| (n.to_string(), *s)).collect(),
            ret,
            grammar: None,
        }
    }

    fn print(t: &Target, ir_text: &str) -> String {
        print_solution(t, &Solution::Function(ir::parse_function(ir_text).unwrap()))
    }

    #[test]
    fn prints_like_cvc5() {
        let t = target(&[("x", Sort::BitVec(32))], Sort::BitVec(32));
        let f = "fn f(v0: i32) -> i32 {\n  v1 = iconst.i32 1\n  v2 = sub v0, v1\n  v3 = and v0, v2\n  ret v3\n}\n";
        assert_eq!(print(&t, f), "(define-fun f ((x (_ BitVec 32))) (_ BitVec 32) (bvand x (bvsub x #x00000001)))");
        let nullary = target(&[], Sort::BitVec(3));
        assert_eq!(
            print(&nullary, "fn f() -> i3 {\n  v0 = iconst.i3 5\n  ret v0\n}\n"),
            "(define-fun f () (_ BitVec 3) #b101)"
        );
    }

    #[test]
    fn i1_values_print_as_bool_or_bitvec_as_needed() {
        let f = "fn f(v0: i8, v1: i8) -> i1 {\n  v2 = ult v0, v1\n  v3 = not v2\n  ret v3\n}\n";
        let params = [("x", Sort::BitVec(8)), ("y", Sort::BitVec(8))];
        assert_eq!(
            print(&target(&params, Sort::Bool), f),
            "(define-fun f ((x (_ BitVec 8)) (y (_ BitVec 8))) Bool (not (bvult x y)))"
        );
        assert!(
            print(&target(&params, Sort::BitVec(1)), f).ends_with(" (_ BitVec 1) (bvnot (ite (bvult x y) #b1 #b0)))")
        );
        let g = "fn f(v0: i1, v1: i1) -> i8 {\n  v2 = and v0, v1\n  v3 = zext.i8 v2\n  ret v3\n}\n";
        let t = target(&[("a", Sort::Bool), ("b", Sort::BitVec(1))], Sort::BitVec(8));
        assert!(print(&t, g).ends_with(" ((_ zero_extend 7) (bvand (ite a #b1 #b0) b)))"));
    }

    #[test]
    fn opcodes_without_smtlib_operators_are_expanded() {
        let t = target(&[("x", Sort::BitVec(4)), ("r", Sort::BitVec(4))], Sort::BitVec(4));
        let rotl_const = "fn f(v0: i4, v1: i4) -> i4 {\n  v2 = iconst.i4 7\n  v3 = rotl v0, v2\n  ret v3\n}\n";
        assert!(print(&t, rotl_const).ends_with(" ((_ rotate_left 3) x))"));
        let rotr_var = "fn f(v0: i4, v1: i4) -> i4 {\n  v2 = rotr v0, v1\n  ret v2\n}\n";
        assert!(
            print(&t, rotr_var).ends_with(" (bvor (bvlshr x (bvurem r #x4)) (bvshl x (bvsub #x4 (bvurem r #x4)))))")
        );
        let popcnt = "fn f(v0: i4, v1: i4) -> i4 {\n  v2 = popcnt v0\n  ret v2\n}\n";
        assert!(print(&t, popcnt).contains("(bvadd (bvadd (bvadd ((_ zero_extend 3) ((_ extract 0 0) x))"));
        let clz = "fn f(v0: i4, v1: i4) -> i4 {\n  v2 = clz v0\n  ret v2\n}\n";
        assert!(print(&t, clz).ends_with(" (ite (= ((_ extract 3 3) x) #b1) #x0 (ite (= ((_ extract 2 2) x) #b1) #x1 (ite (= ((_ extract 1 1) x) #b1) #x2 (ite (= ((_ extract 0 0) x) #b1) #x3 #x4)))))"));
    }

    #[test]
    fn several_solutions_and_other_answers() {
        let t = target(&[("x", Sort::Bool)], Sort::Bool);
        let body = Solution::Function(ir::parse_function("fn f(v0: i1) -> i1 {\n  ret v0\n}\n").unwrap());
        assert_eq!(
            print_solutions(&[t.clone(), t], &[body.clone(), body]),
            "(\n(define-fun f ((x Bool)) Bool x)\n(define-fun f ((x Bool)) Bool x)\n)"
        );
        assert_eq!(print_infeasible(), "infeasible");
        assert_eq!(print_fail(), "fail");
    }
}
