//! An SMT-LIB2 encoding of IR functions, specs and problems for the `z3` command-line tool,
//! written from `docs/semantics.md` alone. It shares no code with `synth::verify` (neither its
//! Z3-bindings backend nor its SMT-LIB printer, `synth/src/verify/smt2.rs`), so a bug there does
//! not hide here.
//!
//! The encoding:
//! - A value of type `iN` is a `(_ BitVec N)`, `i1` included (`#b1` is true); a constant is
//!   `(_ bvK N)` with `K` its masked bits in decimal.
//! - Each opcode at each width a script uses is one helper `define-fun` named `ir.OP.iN` (compares:
//!   `ir.OP.iN` of the operand type; casts: `ir.OP.iFROM.iTO`). Its body is the row of the
//!   semantics table with every edge case written out: division by zero and `MIN / -1` by `ite`,
//!   signed division and remainder built from unsigned ones on magnitudes (so `bvsdiv` and
//!   `bvsrem` are not used), amounts `>= N` by `ite` before `bvshl`/`bvlshr`/`bvashr`, rotates as
//!   a chain of constant `rotate_left`/`rotate_right` selected by `amount mod N`, `popcnt` as a
//!   sum of the bits, `clz`/`ctz` as `ite` chains ending in `N` for 0.
//! - An IR function is one `define-fun` over its parameters with one `let` per SSA value, in body
//!   order; a constraint formula is one `define-fun` per node, a call applying the target's
//!   `define-fun`.
//!
//! Invariants: callers pass verified functions and checked problems (this module does not
//! re-check types); helpers are self-contained and printed before every other definition; each
//! symbol a script defines is defined once.

use std::collections::BTreeMap;
use std::fmt::Write;

use ir::{Function, Node, Opcode, Problem, Shape, Spec, Type, Value};

/// The SMT-LIB sort of width `w`.
pub fn sort(w: u32) -> String {
    format!("(_ BitVec {w})")
}

/// The constant `bits` (masked to `ty`) of type `ty`.
pub fn lit(ty: Type, bits: u64) -> String {
    format!("(_ bv{} {})", ty.wrap(bits), ty.width())
}

/// `symbol` applied to `args`; a nullary function is its bare symbol.
pub fn call(symbol: &str, args: &[String]) -> String {
    if args.is_empty() { symbol.to_string() } else { format!("({symbol} {})", args.join(" ")) }
}

/// The conjunction of `items` (`true` for none).
pub fn and(items: &[String]) -> String {
    match items {
        [] => "true".to_string(),
        [one] => one.clone(),
        _ => format!("(and {})", items.join(" ")),
    }
}

/// The name of the helper for `op` with result type `ty` whose first operand (second for
/// `select`) has type `operand_ty`.
fn helper_name(op: Opcode, ty: Type, operand_ty: Type) -> String {
    match op.shape() {
        Shape::Cast => format!("ir.{op}.{operand_ty}.{ty}"),
        Shape::Compare => format!("ir.{op}.{operand_ty}"),
        _ => format!("ir.{op}.{ty}"),
    }
}

/// The `define-fun` of a helper: the semantics table's row for `op` at these types.
///
/// # Panics
/// For `iconst` (constants are literals).
fn helper_definition(op: Opcode, ty: Type, operand_ty: Type) -> String {
    let t = operand_ty;
    let w = t.width();
    let s = sort(w);
    let zero = lit(t, 0);
    let one = lit(t, 1);
    let ones = lit(t, t.mask());
    let min = lit(t, t.signed_min());
    let width = lit(t, u64::from(w)); // fits: w < 2^w for every w >= 1
    let negative = |x: &str| format!("(bvslt {x} {zero})");
    let magnitude = |x: &str| format!("(ite {} (bvneg {x}) {x})", negative(x));
    let bit = |i: u32| format!("((_ extract {i} {i}) a)");
    let (params, ret, body) = match op.shape() {
        Shape::Const => panic!("iconst has no helper"),
        Shape::Unary => {
            let body = match op {
                Opcode::Neg => "(bvneg a)".to_string(),
                Opcode::Not => "(bvnot a)".to_string(),
                Opcode::Popcnt if w == 1 => "a".to_string(),
                Opcode::Popcnt => {
                    let bits: Vec<String> = (0..w).map(|i| format!("((_ zero_extend {}) {})", w - 1, bit(i))).collect();
                    format!("(bvadd {})", bits.join(" "))
                }
                // The first one bit from the top (clz) or the bottom (ctz) decides; none: the width.
                Opcode::Clz => (0..w).rev().fold(width.clone(), |rest, zeros| {
                    format!("(ite (= {} #b1) {} {rest})", bit(w - 1 - zeros), lit(t, u64::from(zeros)))
                }),
                Opcode::Ctz => (0..w).rev().fold(width.clone(), |rest, zeros| {
                    format!("(ite (= {} #b1) {} {rest})", bit(zeros), lit(t, u64::from(zeros)))
                }),
                _ => unreachable!("{op} is not unary"),
            };
            (format!("(a {s})"), s.clone(), body)
        }
        Shape::Binary => {
            let body = match op {
                Opcode::Add => "(bvadd a b)".to_string(),
                Opcode::Sub => "(bvsub a b)".to_string(),
                Opcode::Mul => "(bvmul a b)".to_string(),
                Opcode::And => "(bvand a b)".to_string(),
                Opcode::Or => "(bvor a b)".to_string(),
                Opcode::Xor => "(bvxor a b)".to_string(),
                Opcode::Udiv => format!("(ite (= b {zero}) {ones} (bvudiv a b))"),
                Opcode::Urem => format!("(ite (= b {zero}) a (bvurem a b))"),
                Opcode::Sdiv => format!(
                    "(ite (= b {zero}) (ite {} {one} {ones}) (ite (and (= a {min}) (= b {ones})) {min} \
                     (let ((q (bvudiv {} {}))) (ite (= {} {}) q (bvneg q)))))",
                    negative("a"),
                    magnitude("a"),
                    magnitude("b"),
                    negative("a"),
                    negative("b"),
                ),
                Opcode::Srem => format!(
                    "(ite (= b {zero}) a (ite (and (= a {min}) (= b {ones})) {zero} \
                     (let ((r (bvurem {} {}))) (ite {} (bvneg r) r))))",
                    magnitude("a"),
                    magnitude("b"),
                    negative("a"),
                ),
                Opcode::Shl => format!("(ite (bvuge b {width}) {zero} (bvshl a b))"),
                Opcode::Lshr => format!("(ite (bvuge b {width}) {zero} (bvlshr a b))"),
                Opcode::Ashr => {
                    format!("(ite (bvuge b {width}) (ite {} {ones} {zero}) (bvashr a b))", negative("a"))
                }
                Opcode::Rotl | Opcode::Rotr => {
                    let rotate = if op == Opcode::Rotl { "rotate_left" } else { "rotate_right" };
                    // r = 0 (the innermost case) leaves `a` unchanged.
                    let chain = (1..w).rev().fold("a".to_string(), |rest, k| {
                        format!("(ite (= r {}) ((_ {rotate} {k}) a) {rest})", lit(t, u64::from(k)))
                    });
                    format!("(let ((r (bvurem b {width}))) {chain})")
                }
                _ => unreachable!("{op} is not binary"),
            };
            (format!("(a {s}) (b {s})"), s.clone(), body)
        }
        Shape::Compare => {
            let test = match op {
                Opcode::Eq => "(= a b)",
                Opcode::Ne => "(not (= a b))",
                Opcode::Ult => "(bvult a b)",
                Opcode::Ule => "(bvule a b)",
                Opcode::Ugt => "(bvugt a b)",
                Opcode::Uge => "(bvuge a b)",
                Opcode::Slt => "(bvslt a b)",
                Opcode::Sle => "(bvsle a b)",
                Opcode::Sgt => "(bvsgt a b)",
                Opcode::Sge => "(bvsge a b)",
                _ => unreachable!("{op} is not a compare"),
            };
            (format!("(a {s}) (b {s})"), sort(1), format!("(ite {test} #b1 #b0)"))
        }
        Shape::Select => (format!("(c {}) (a {s}) (b {s})", sort(1)), s.clone(), "(ite (= c #b1) a b)".to_string()),
        Shape::Cast => {
            let to = ty.width();
            let body = match op {
                Opcode::Zext => format!("((_ zero_extend {}) a)", to - w),
                Opcode::Sext => format!("((_ sign_extend {}) a)", to - w),
                Opcode::Trunc => format!("((_ extract {} 0) a)", to - 1),
                _ => unreachable!("{op} is not a cast"),
            };
            (format!("(a {s})"), sort(to), body)
        }
    };
    format!("(define-fun {} ({params}) {ret} {body})", helper_name(op, ty, operand_ty))
}

/// A script under construction: the helpers it needs and the lines after them.
#[derive(Debug, Default)]
pub struct Script {
    helpers: BTreeMap<String, String>,
    lines: String,
}

impl Script {
    /// An empty script.
    pub fn new() -> Self {
        Script::default()
    }

    /// The term `op(args)` with result type `ty`, `operand_ty` the type of the first operand
    /// (second for `select`); registers the helper it uses.
    pub fn apply(&mut self, op: Opcode, ty: Type, operand_ty: Type, args: &[String]) -> String {
        let name = helper_name(op, ty, operand_ty);
        self.helpers.entry(name.clone()).or_insert_with(|| helper_definition(op, ty, operand_ty));
        call(&name, args)
    }

    /// Appends a line (a command or a comment) after the helpers.
    pub fn line(&mut self, text: &str) {
        self.lines.push_str(text);
        self.lines.push('\n');
    }

    /// Defines `symbol` as the function `f`: parameters named by their values (`v0`), one `let`
    /// per instruction.
    pub fn define_function(&mut self, symbol: &str, f: &Function) {
        let (params, body, _) = self.let_bindings(f);
        let close = ")".repeat(f.body.len());
        let ret = sort(f.ret_ty.width());
        self.line(&format!("; {symbol} is fn {}", f.name));
        self.line(&format!("(define-fun {symbol} ({}) {ret}{body}\n  {}{close})", params.join(" "), f.ret));
    }

    /// `f`'s parameter list and one open `(let ((vN term))` per instruction (closed by the
    /// caller), with each value's type.
    fn let_bindings(&mut self, f: &Function) -> (Vec<String>, String, BTreeMap<Value, Type>) {
        let params: Vec<String> = f.params.iter().map(|p| format!("({} {})", p.value, sort(p.ty.width()))).collect();
        let mut types: BTreeMap<Value, Type> = f.params.iter().map(|p| (p.value, p.ty)).collect();
        let mut body = String::new();
        for inst in &f.body {
            let term = if inst.opcode == Opcode::Iconst {
                lit(inst.ty, inst.imm)
            } else {
                let operand = if inst.opcode == Opcode::Select { inst.args[1] } else { inst.args[0] };
                let args: Vec<String> = inst.args.iter().map(Value::to_string).collect();
                self.apply(inst.opcode, inst.ty, types[&operand], &args)
            };
            let _ = write!(body, "\n  (let (({} {term}))", inst.result);
            types.insert(inst.result, inst.ty);
        }
        (params, body, types)
    }

    /// Defines `symbol` as a predicate over `f`'s parameters: true where `f` reaches a guarded
    /// case (division or remainder by zero, signed `MIN / -1`, a shift by the width or more).
    /// `lazy` counts an instruction only when the result demands it (a `select` demands its
    /// condition and the branch it takes); otherwise every instruction counts. Written apart
    /// from `ir::guards`, which the solver path uses.
    pub fn define_guard_hits(&mut self, symbol: &str, f: &Function, lazy: bool) {
        let (params, mut body, types) = self.let_bindings(f);
        let mut closes = f.body.len();
        // Demand of each instruction, from the result back: `d_vN` is let-bound after the uses'.
        let index: BTreeMap<Value, usize> = f.body.iter().enumerate().map(|(i, inst)| (inst.result, i)).collect();
        let mut uses: Vec<Vec<String>> = vec![Vec::new(); f.body.len()];
        if let Some(&r) = index.get(&f.ret) {
            uses[r].push("true".into());
        }
        for i in (0..f.body.len()).rev() {
            let inst = &f.body[i];
            let d = if lazy {
                match uses[i].len() {
                    0 => "false".to_string(),
                    1 => uses[i][0].clone(),
                    _ => format!("(or {})", uses[i].join(" ")),
                }
            } else {
                "true".to_string()
            };
            let _ = write!(body, "\n  (let ((d_{} {d}))", inst.result);
            closes += 1;
            for (k, a) in inst.args.iter().enumerate() {
                let Some(&j) = index.get(a) else { continue };
                let edge = match (inst.opcode, k) {
                    (Opcode::Select, 1) => format!("(and d_{} (= {} #b1))", inst.result, inst.args[0]),
                    (Opcode::Select, 2) => format!("(and d_{} (= {} #b0))", inst.result, inst.args[0]),
                    _ => format!("d_{}", inst.result),
                };
                uses[j].push(edge);
            }
        }
        let mut hits = Vec::new();
        for inst in &f.body {
            let (Some(&a), Some(&b)) = (inst.args.first(), inst.args.get(1)) else { continue };
            let ty = types[&a];
            let w = ty.width();
            let zero = lit(ty, 0);
            let cond = match inst.opcode {
                Opcode::Udiv | Opcode::Urem => format!("(= {b} {zero})"),
                Opcode::Sdiv | Opcode::Srem => format!(
                    "(or (= {b} {zero}) (and (= {a} {}) (= {b} {})))",
                    lit(ty, 1 << (w - 1)),
                    lit(ty, ty.mask())
                ),
                Opcode::Shl | Opcode::Lshr | Opcode::Ashr => format!("(bvuge {b} {})", lit(ty, u64::from(w))),
                _ => continue,
            };
            hits.push(format!("(and d_{} {cond})", inst.result));
        }
        let result = match hits.len() {
            0 => "false".to_string(),
            1 => hits[0].clone(),
            _ => format!("(or {})", hits.join(" ")),
        };
        self.line(&format!(
            "; {symbol}: fn {} reaches a guarded case ({})",
            f.name,
            if lazy { "lazily" } else { "eagerly" }
        ));
        self.line(&format!(
            "(define-fun {symbol} ({}) Bool{body}\n  {result}{})",
            params.join(" "),
            ")".repeat(closes)
        ));
    }

    /// The finished script: the logic, the helpers, then the lines.
    pub fn finish(self) -> String {
        let mut out = String::from("(set-logic QF_BV)\n");
        for definition in self.helpers.values() {
            out.push_str(definition);
            out.push('\n');
        }
        out.push_str(&self.lines);
        out
    }
}

/// Declares one constant per type, `x0`, `x1`, ..., with `names` in comments; returns the symbols.
fn declare_inputs(s: &mut Script, types: &[Type], names: &[String]) -> Vec<String> {
    let mut symbols = Vec::with_capacity(types.len());
    for (i, ty) in types.iter().enumerate() {
        let name = names.get(i).map(String::as_str).unwrap_or("");
        s.line(&format!("(declare-const x{i} {}) ; {name}", sort(ty.width())));
        symbols.push(format!("x{i}"));
    }
    symbols
}

/// A script that is `unsat` exactly when `f` and `g` (same signature) agree on every input.
pub fn equivalence_script(f: &Function, g: &Function) -> String {
    let mut s = Script::new();
    s.line(&format!("; Is fn {} equal to fn {} on every input? unsat: yes.", f.name, g.name));
    s.define_function("left", f);
    s.define_function("right", g);
    let names: Vec<String> = f.params.iter().map(|p| p.value.to_string()).collect();
    let xs = declare_inputs(&mut s, &f.param_types(), &names);
    s.line(&format!("(assert (not (= {} {})))", call("left", &xs), call("right", &xs)));
    s.line("(check-sat)");
    s.finish()
}

/// A script that is `unsat` exactly when `answer` meets `spec`, read directly from the spec's
/// parts: wherever the precondition holds (everywhere without one), the answer equals the
/// reference and the postcondition holds of the inputs and the answer's result; each example
/// holds (examples are explicit demands, not filtered by the precondition).
pub fn spec_script(spec: &Spec, answer: &Function) -> String {
    let mut s = Script::new();
    s.line(&format!("; Does fn {} meet the spec of `{}`? unsat: yes.", answer.name, spec.name));
    s.define_function("answer", answer);
    let names: Vec<String> = spec.params.iter().map(|p| p.name.clone()).collect();
    let mut claims = Vec::new();
    fn define(s: &mut Script, symbol: &str, f: &Option<Function>) -> Option<String> {
        f.as_ref().map(|f| {
            s.define_function(symbol, f);
            symbol.to_string()
        })
    }
    let reference = define(&mut s, "reference", &spec.reference);
    let pre = define(&mut s, "pre", &spec.pre);
    let post = define(&mut s, "post", &spec.post);
    let xs = declare_inputs(&mut s, &spec.param_types(), &names);
    let result = call("answer", &xs);
    let assumed = |holds: String| match &pre {
        Some(pre) => format!("(=> (= {} #b1) {holds})", call(pre, &xs)),
        None => holds,
    };
    if let Some(reference) = reference {
        claims.push(assumed(format!("(= {result} {})", call(&reference, &xs))));
    }
    if let Some(post) = post {
        let mut post_args = xs.clone();
        post_args.push(result.clone());
        claims.push(assumed(format!("(= {} #b1)", call(&post, &post_args))));
    }
    for ex in &spec.examples {
        let args: Vec<String> = ex.args.iter().zip(&spec.params).map(|(&a, p)| lit(p.ty.ty, a)).collect();
        claims.push(format!("(= {} {})", call("answer", &args), lit(spec.ret.ty, ex.result)));
    }
    if spec.semantics == ir::Semantics::Defined {
        // The answer (every instruction) reaches no guarded case where the precondition holds,
        // unless the reference (as its source runs) reaches one there too.
        s.define_guard_hits("answer_hits", answer, false);
        let mut allowed = vec![format!("(not {})", call("answer_hits", &xs))];
        if let Some(reference) = &spec.reference {
            s.define_guard_hits("reference_hits", reference, true);
            allowed.push(call("reference_hits", &xs));
        }
        let safe = if allowed.len() == 1 { allowed[0].clone() } else { format!("(or {})", allowed.join(" ")) };
        claims.push(assumed(safe));
    }
    s.line(&format!("(assert (not {}))", and(&claims)));
    s.line("(check-sat)");
    s.finish()
}

/// A script that is `unsat` exactly when `solutions` (one per target, in target order) make every
/// constraint of `problem` hold for all values of its variables.
pub fn problem_script(problem: &Problem, solutions: &[Function]) -> String {
    let mut s = Script::new();
    s.line(&format!("; Do the answers solve problem `{}`? unsat: yes.", problem.name));
    let targets: Vec<String> = (0..problem.targets.len()).map(|i| format!("target{i}")).collect();
    for (symbol, f) in targets.iter().zip(solutions) {
        s.define_function(symbol, f);
    }
    let names: Vec<String> = problem.vars.iter().map(|v| v.name.clone()).collect();
    let var_types: Vec<Type> = problem.vars.iter().map(|v| v.sort.ty()).collect();
    let xs = declare_inputs(&mut s, &var_types, &names);
    let mut roots = Vec::with_capacity(problem.constraints.len());
    for (c, formula) in problem.constraints.iter().enumerate() {
        let mut types: Vec<Type> = Vec::with_capacity(formula.nodes.len());
        let symbol = |id: usize| format!("c{c}.n{id}");
        for (id, node) in formula.nodes.iter().enumerate() {
            let (term, ty) = match node {
                Node::Var(i) => (xs[*i].clone(), var_types[*i]),
                Node::Const(ty, bits) => (lit(*ty, *bits), *ty),
                Node::Op { opcode, ty, args } => {
                    let operand = if *opcode == Opcode::Select { args[1] } else { args[0] };
                    let operands: Vec<String> = args.iter().map(|&a| symbol(a)).collect();
                    (s.apply(*opcode, *ty, types[operand], &operands), *ty)
                }
                Node::Call { target, args } => {
                    let operands: Vec<String> = args.iter().map(|&a| symbol(a)).collect();
                    (call(&targets[*target], &operands), problem.targets[*target].ret.ty())
                }
            };
            s.line(&format!("(define-fun {} () {} {term})", symbol(id), sort(ty.width())));
            types.push(ty);
        }
        roots.push(format!("(= {} #b1)", symbol(formula.nodes.len() - 1)));
    }
    s.line(&format!("(assert (not {}))", and(&roots)));
    s.line("(check-sat)");
    s.finish()
}
