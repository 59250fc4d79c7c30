//! The encoding of IR functions and constraint formulas as bit-vector terms.
//!
//! One term per SSA value (or formula node), built once and shared by every use; the backend's
//! `share` marks each of them. Every opcode of the `docs/semantics.md` table is encoded with exactly its
//! semantics:
//! - arithmetic, bitwise, division, shift and compare opcodes map to the SMT-LIB operation of the
//!   same meaning ([`super::backend::direct_smtlib_name`]);
//! - `rotl`/`rotr` by `r = amount urem width`: `(a << r) | (a >> (width - r))`, which is `a` for
//!   `r = 0` because a shift by the full width gives 0;
//! - `popcnt` is a balanced adder tree over the extracted bits, each level one bit wider, so a
//!   64-bit count costs 63 narrow additions;
//! - `clz` is the popcount of the complement of the operand "smeared" right
//!   (`s |= s >> 1; s |= s >> 2; ...`), `ctz` the popcount of `~a & (a - 1)`; both give the width
//!   for 0 without a special case;
//! - `select` tests its 1-bit condition, `zext`/`sext`/`trunc` extend or extract.
//!
//! Callers pass verified functions and validated formulas ([`super::validate`]); the encoding
//! itself does not re-check types.

use ir::{Formula, Function, Node, Opcode, Problem, Shape, Type, Value};
use rustc_hash::FxHashMap;

use super::backend::{BvBackend, direct_smtlib_name};

/// Encodes one non-constant instruction `op` with result type `ty` whose first operand (second
/// for `select`) has type `operand_ty`. `name` is the printing hint for helper terms.
pub(crate) fn encode_op<B: BvBackend>(
    b: &mut B,
    op: Opcode,
    ty: Type,
    operand_ty: Type,
    args: &[B::Term],
    name: &str,
) -> B::Term {
    let w = ty.width();
    match op.shape() {
        Shape::Const => unreachable!("iconst is encoded as a constant by the caller"),
        Shape::Select => b.select(&args[0], &args[1], &args[2]),
        Shape::Cast => match op {
            Opcode::Zext => b.zero_extend(w - operand_ty.width(), &args[0]),
            Opcode::Sext => b.sign_extend(w - operand_ty.width(), &args[0]),
            _ => b.extract(w - 1, 0, &args[0]),
        },
        Shape::Unary | Shape::Binary | Shape::Compare => {
            if direct_smtlib_name(op).is_some() {
                let refs: Vec<&B::Term> = args.iter().collect();
                return b.apply(op, &refs);
            }
            match op {
                Opcode::Rotl | Opcode::Rotr => rotate(b, op == Opcode::Rotl, w, &args[0], &args[1], name),
                Opcode::Popcnt => popcount(b, w, &args[0]),
                Opcode::Clz => count_leading_zeros(b, w, &args[0], name),
                Opcode::Ctz => count_trailing_zeros(b, w, &args[0], name),
                _ => unreachable!("opcode {op} has neither a direct SMT-LIB operation nor an encoding"),
            }
        }
    }
}

/// `rotl`/`rotr` of the `w`-bit `a` by `amount` modulo `w`.
fn rotate<B: BvBackend>(b: &mut B, left: bool, w: u32, a: &B::Term, amount: &B::Term, name: &str) -> B::Term {
    if w == 1 {
        return a.clone();
    }
    // `w < 2^w` for every width >= 1, so the width fits in the operand type.
    let width = b.constant(w, u64::from(w));
    let r = b.apply(Opcode::Urem, &[amount, &width]);
    let r = b.share(r, &format!("{name}.amount"));
    let rest = b.apply(Opcode::Sub, &[&width, &r]);
    let (first, second) = if left { (Opcode::Shl, Opcode::Lshr) } else { (Opcode::Lshr, Opcode::Shl) };
    let hi = b.apply(first, &[a, &r]);
    let lo = b.apply(second, &[a, &rest]);
    b.apply(Opcode::Or, &[&hi, &lo])
}

/// The number of one bits of the `w`-bit `a`, as a `w`-bit vector.
fn popcount<B: BvBackend>(b: &mut B, w: u32, a: &B::Term) -> B::Term {
    let mut level: Vec<B::Term> = (0..w).map(|i| b.extract(i, i, a)).collect();
    let mut width = 1;
    while level.len() > 1 {
        let mut next = Vec::with_capacity(level.len().div_ceil(2));
        for pair in level.chunks(2) {
            let x = b.zero_extend(1, &pair[0]);
            next.push(match pair.get(1) {
                Some(y) => {
                    let y = b.zero_extend(1, y);
                    b.apply(Opcode::Add, &[&x, &y])
                }
                None => x,
            });
        }
        level = next;
        width += 1;
    }
    let sum = level.pop().expect("widths are at least 1");
    // The sum is at most w, which fits in w bits; the tree may be wider or narrower than w.
    match width.cmp(&w) {
        std::cmp::Ordering::Less => b.zero_extend(w - width, &sum),
        std::cmp::Ordering::Equal => sum,
        std::cmp::Ordering::Greater => b.extract(w - 1, 0, &sum),
    }
}

/// Leading zeros: copy the highest one bit into every lower position, then count the zeros left.
fn count_leading_zeros<B: BvBackend>(b: &mut B, w: u32, a: &B::Term, name: &str) -> B::Term {
    let mut smeared = a.clone();
    let mut shift = 1;
    while shift < w {
        let amount = b.constant(w, u64::from(shift));
        let shifted = b.apply(Opcode::Lshr, &[&smeared, &amount]);
        let next = b.apply(Opcode::Or, &[&smeared, &shifted]);
        smeared = b.share(next, &format!("{name}.smear{shift}"));
        shift *= 2;
    }
    let zeros = b.apply(Opcode::Not, &[&smeared]);
    let zeros = b.share(zeros, &format!("{name}.zeros"));
    popcount(b, w, &zeros)
}

/// Trailing zeros: `~a & (a - 1)` has exactly the trailing zeros of `a` set (all bits for 0).
fn count_trailing_zeros<B: BvBackend>(b: &mut B, w: u32, a: &B::Term, name: &str) -> B::Term {
    let one = b.constant(w, 1);
    let below = b.apply(Opcode::Sub, &[a, &one]);
    let inverted = b.apply(Opcode::Not, &[a]);
    let mask = b.apply(Opcode::And, &[&inverted, &below]);
    let mask = b.share(mask, &format!("{name}.mask"));
    popcount(b, w, &mask)
}

/// Encodes the verified function `f` applied to `args` (one term per parameter) and returns the
/// term of its result. Dead instructions are skipped; `prefix` names the printed terms.
pub(crate) fn encode_function<B: BvBackend>(b: &mut B, f: &Function, args: &[B::Term], prefix: &str) -> B::Term {
    let mut values: FxHashMap<Value, (B::Term, Type)> = FxHashMap::default();
    for (p, a) in f.params.iter().zip(args) {
        values.insert(p.value, (a.clone(), p.ty));
    }
    for inst in f.live_insts() {
        let term = if inst.opcode == Opcode::Iconst {
            b.constant(inst.ty.width(), inst.imm)
        } else {
            let operands: Vec<B::Term> = inst.args.iter().map(|a| values[a].0.clone()).collect();
            let operand_ty = match inst.opcode {
                Opcode::Select => values[&inst.args[1]].1,
                _ => values[&inst.args[0]].1,
            };
            let name = format!("{prefix}{}", inst.result);
            let term = encode_op(b, inst.opcode, inst.ty, operand_ty, &operands, &name);
            b.share(term, &name)
        };
        values.insert(inst.result, (term, inst.ty));
    }
    values.remove(&f.ret).expect("a verified function defines its returned value").0
}

/// Encodes every node of a validated `formula` of `problem`, with `vars` the terms of the
/// problem's variables and `solutions[i]` the body of target `i`; returns the root's term.
/// A call instantiates the solution's encoding on the argument terms (calls may nest).
pub(crate) fn encode_formula<B: BvBackend>(
    b: &mut B,
    problem: &Problem,
    formula: &Formula,
    vars: &[B::Term],
    solutions: &[Function],
) -> B::Term {
    encode_formula_with(b, problem, formula, vars, &mut |b, target, args, prefix| {
        encode_function(b, &solutions[target], args, prefix)
    })
}

/// Encodes the term a call of a target on argument terms stands for.
pub(crate) type CallEncoder<'a, B> =
    dyn FnMut(&mut B, usize, &[<B as BvBackend>::Term], &str) -> <B as BvBackend>::Term + 'a;

/// Like [`encode_formula`], with calls encoded by `call(backend, target, args, name prefix)`.
pub(crate) fn encode_formula_with<B: BvBackend>(
    b: &mut B,
    problem: &Problem,
    formula: &Formula,
    vars: &[B::Term],
    call: &mut CallEncoder<'_, B>,
) -> B::Term {
    let mut terms: Vec<B::Term> = Vec::with_capacity(formula.nodes.len());
    for (id, node) in formula.nodes.iter().enumerate() {
        let name = format!("n{id}");
        let term = match node {
            Node::Var(i) => vars[*i].clone(),
            Node::Const(ty, bits) => b.constant(ty.width(), *bits),
            Node::Op { opcode, ty, args } => {
                let operands: Vec<B::Term> = args.iter().map(|&a| terms[a].clone()).collect();
                let operand = if *opcode == Opcode::Select { args[1] } else { args[0] };
                let operand_ty = formula.node_type(problem, operand);
                let term = encode_op(b, *opcode, *ty, operand_ty, &operands, &name);
                b.share(term, &name)
            }
            Node::Call { target, args } => {
                let operands: Vec<B::Term> = args.iter().map(|&a| terms[a].clone()).collect();
                call(b, *target, &operands, &format!("{name}."))
            }
        };
        terms.push(term);
    }
    terms.pop().expect("a validated formula has a root")
}
