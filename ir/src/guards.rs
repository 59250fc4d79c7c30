//! Guarded cases: operand values on which an operation's IR result is fixed by the semantics
//! table but the same operation in Rust or C panics, is undefined, or masks the shift amount
//! (docs/semantics.md, "How this differs from Rust and C"): division or remainder by zero,
//! signed division or remainder of `MIN` by `-1`, and shifts by the width or more.
//!
//! The *defined* discipline of `.syn` tasks forbids answers from reaching them (docs/search.md).
//! This module says when an instruction reaches one ([`guarded_case`]), which cases a function
//! reaches on given arguments ([`cases_hit`]), and builds the IR function that is true exactly
//! on the inputs where a function reaches one ([`guard_function`]), so that the discipline is
//! checked by the same solver, interpreter and native code as everything else.
//!
//! Two readings of a function: [`Evaluation::Eager`] evaluates every instruction (how the
//! straight-line code synth prints runs); [`Evaluation::Lazy`] evaluates only what the result
//! demands, with `select` demanding its condition and the branch it takes (how source with
//! `if`/`else` runs).

use std::fmt;

use crate::{Function, FunctionBuilder, Interpreter, Opcode, Type, Value};

/// A kind of guarded case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GuardKind {
    /// `udiv urem sdiv srem` by zero.
    DivisionByZero,
    /// `sdiv srem` of `MIN` by `-1` (the quotient overflows).
    SignedOverflow,
    /// `shl lshr ashr` by an amount of at least the width.
    OverwideShift,
}

impl GuardKind {
    /// Every kind.
    pub const ALL: [GuardKind; 3] = [GuardKind::DivisionByZero, GuardKind::SignedOverflow, GuardKind::OverwideShift];
}

impl fmt::Display for GuardKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GuardKind::DivisionByZero => "a division or remainder by zero",
            GuardKind::SignedOverflow => "a signed division of MIN by -1",
            GuardKind::OverwideShift => "a shift by the width or more",
        })
    }
}

/// How a function is evaluated when deciding which guarded cases it reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Evaluation {
    /// Every instruction is evaluated.
    Eager,
    /// Only what the result demands: a `select` demands its condition and its taken branch.
    Lazy,
}

/// True if `opcode` may reach a guarded case at all.
pub fn is_guarded(opcode: Opcode) -> bool {
    matches!(
        opcode,
        Opcode::Udiv | Opcode::Urem | Opcode::Sdiv | Opcode::Srem | Opcode::Shl | Opcode::Lshr | Opcode::Ashr
    )
}

/// The guarded case `opcode` reaches on operands `args` (masked bits of type `ty`), if any.
pub fn guarded_case(opcode: Opcode, ty: Type, args: &[u64]) -> Option<GuardKind> {
    match opcode {
        Opcode::Udiv | Opcode::Urem if args[1] == 0 => Some(GuardKind::DivisionByZero),
        Opcode::Sdiv | Opcode::Srem if args[1] == 0 => Some(GuardKind::DivisionByZero),
        Opcode::Sdiv | Opcode::Srem if args[0] == ty.signed_min() && args[1] == ty.mask() => {
            Some(GuardKind::SignedOverflow)
        }
        Opcode::Shl | Opcode::Lshr | Opcode::Ashr if args[1] >= u64::from(ty.width()) => Some(GuardKind::OverwideShift),
        _ => None,
    }
}

/// The guarded cases `f` reaches on `args` (sorted, without repetitions).
///
/// # Panics
/// If `f` does not verify or `args` has the wrong length.
pub fn cases_hit(f: &Function, args: &[u64], evaluation: Evaluation) -> Vec<GuardKind> {
    let interp = Interpreter::new(f).unwrap_or_else(|e| panic!("cases_hit of an invalid function: {e}"));
    let mut slots = Vec::new();
    interp.eval_into(args, &mut slots);
    let slot = slot_map(f);
    let slot_of = |v: Value| slot[&v];
    let demanded = demand(f, &slots, &slot, evaluation);
    let mut out: Vec<GuardKind> = f
        .body
        .iter()
        .enumerate()
        .filter(|(k, _)| demanded[*k])
        .filter_map(|(_, inst)| {
            let operands: Vec<u64> = inst.args.iter().map(|&a| slots[slot_of(a)]).collect();
            let ty = inst.args.first().and_then(|&a| f.value_type(a)).unwrap_or(inst.ty);
            guarded_case(inst.opcode, ty, &operands)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Each value's slot in the interpreter's order: parameters, then one per instruction.
fn slot_map(f: &Function) -> std::collections::HashMap<Value, usize> {
    let n = f.params.len();
    f.params
        .iter()
        .enumerate()
        .map(|(i, p)| (p.value, i))
        .chain(f.body.iter().enumerate().map(|(i, inst)| (inst.result, n + i)))
        .collect()
}

/// Per instruction: whether it is evaluated, given every value's bits (`slots`).
fn demand(
    f: &Function,
    slots: &[u64],
    slot: &std::collections::HashMap<Value, usize>,
    evaluation: Evaluation,
) -> Vec<bool> {
    let k = f.body.len();
    if evaluation == Evaluation::Eager {
        return vec![true; k];
    }
    let index: std::collections::HashMap<Value, usize> =
        f.body.iter().enumerate().map(|(i, inst)| (inst.result, i)).collect();
    let mut demanded = vec![false; k];
    if let Some(&r) = index.get(&f.ret) {
        demanded[r] = true;
    }
    for i in (0..k).rev() {
        if !demanded[i] {
            continue;
        }
        let inst = &f.body[i];
        let operands: Vec<Value> = if inst.opcode == Opcode::Select {
            let taken = slots[slot[&inst.args[0]]] & 1 == 1;
            vec![inst.args[0], if taken { inst.args[1] } else { inst.args[2] }]
        } else {
            inst.args.clone()
        };
        for a in operands {
            if let Some(&j) = index.get(&a) {
                demanded[j] = true;
            }
        }
    }
    demanded
}

/// An IR function with `f`'s parameters returning `i1`: 1 exactly on the inputs where `f`
/// reaches a guarded case of one of `kinds` under `evaluation`. Built from IR operations only
/// (compares, `and`, `or`, `select`), so every implementation of the IR can evaluate it.
pub fn guard_function(f: &Function, evaluation: Evaluation, kinds: &[GuardKind]) -> Function {
    let mut b = FunctionBuilder::new(&format!("{}_guard", f.name), &f.param_types(), Type::I1);
    let mut map: std::collections::HashMap<Value, Value> =
        f.params.iter().enumerate().map(|(i, p)| (p.value, b.param(i))).collect();
    for inst in &f.body {
        let args: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
        let v = b.inst(inst.opcode, inst.ty, &args, inst.imm);
        map.insert(inst.result, v);
    }
    let t = b.iconst(Type::I1, 1);
    let false_ = b.iconst(Type::I1, 0);
    // Demand of each instruction, from the result back (uses come after definitions).
    let index: std::collections::HashMap<Value, usize> =
        f.body.iter().enumerate().map(|(i, inst)| (inst.result, i)).collect();
    let mut demand: Vec<Option<Value>> = vec![None; f.body.len()];
    let or = |b: &mut FunctionBuilder, acc: Option<Value>, v: Value| match acc {
        Some(a) => b.binary(Opcode::Or, a, v),
        None => v,
    };
    if evaluation == Evaluation::Lazy {
        let mut uses: Vec<Vec<Value>> = vec![Vec::new(); f.body.len()];
        if let Some(&r) = index.get(&f.ret) {
            uses[r].push(t);
        }
        for i in (0..f.body.len()).rev() {
            let d = uses[i].iter().copied().reduce(|a, v| b.binary(Opcode::Or, a, v));
            demand[i] = d;
            let Some(d) = d else { continue };
            let inst = &f.body[i];
            for (k, a) in inst.args.iter().enumerate() {
                let Some(&j) = index.get(a) else { continue };
                let edge = if inst.opcode == Opcode::Select && k > 0 {
                    let c = map[&inst.args[0]];
                    let taken = if k == 1 { c } else { b.unary(Opcode::Not, c) };
                    b.binary(Opcode::And, d, taken)
                } else {
                    d
                };
                uses[j].push(edge);
            }
        }
    }
    let mut hit: Option<Value> = None;
    for (i, inst) in f.body.iter().enumerate() {
        if !is_guarded(inst.opcode) {
            continue;
        }
        let ty = f.value_type(inst.args[0]).unwrap_or(inst.ty);
        let (x, y) = (map[&inst.args[0]], map[&inst.args[1]]);
        let mut cond: Option<Value> = None;
        if matches!(inst.opcode, Opcode::Udiv | Opcode::Urem | Opcode::Sdiv | Opcode::Srem)
            && kinds.contains(&GuardKind::DivisionByZero)
        {
            let zero = b.iconst(ty, 0);
            let c = b.binary(Opcode::Eq, y, zero);
            cond = Some(or(&mut b, cond, c));
        }
        if matches!(inst.opcode, Opcode::Sdiv | Opcode::Srem) && kinds.contains(&GuardKind::SignedOverflow) {
            let min = b.iconst(ty, ty.signed_min());
            let minus_one = b.iconst(ty, ty.mask());
            let a_min = b.binary(Opcode::Eq, x, min);
            let b_m1 = b.binary(Opcode::Eq, y, minus_one);
            let c = b.binary(Opcode::And, a_min, b_m1);
            cond = Some(or(&mut b, cond, c));
        }
        if matches!(inst.opcode, Opcode::Shl | Opcode::Lshr | Opcode::Ashr) && kinds.contains(&GuardKind::OverwideShift)
        {
            // The width fits in the type (`2^N - 1 >= N`).
            let width = b.iconst(ty, u64::from(ty.width()));
            let c = b.binary(Opcode::Uge, y, width);
            cond = Some(or(&mut b, cond, c));
        }
        let Some(cond) = cond else { continue };
        let reached = match evaluation {
            Evaluation::Eager => cond,
            Evaluation::Lazy => match demand[i] {
                Some(d) => b.binary(Opcode::And, d, cond),
                None => continue,
            },
        };
        hit = Some(or(&mut b, hit, reached));
    }
    let ret = hit.unwrap_or(false_);
    b.finish(ret).unwrap_or_else(|e| panic!("guard function does not verify: {e}")).without_dead_code()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_function;

    fn exhaustive_agreement(text: &str) {
        let f = parse_function(text).unwrap();
        let bits: u32 = f.param_types().iter().map(|t| t.width()).sum();
        assert!(bits <= 12);
        for evaluation in [Evaluation::Eager, Evaluation::Lazy] {
            for kinds in [&GuardKind::ALL[..], &[GuardKind::DivisionByZero], &[GuardKind::OverwideShift]] {
                let g = guard_function(&f, evaluation, kinds);
                for mut i in 0..1u64 << bits {
                    let args: Vec<u64> = f
                        .param_types()
                        .iter()
                        .map(|t| {
                            let v = i & t.mask();
                            i >>= t.width();
                            v
                        })
                        .collect();
                    let hit = cases_hit(&f, &args, evaluation).iter().any(|k| kinds.contains(k));
                    assert_eq!(crate::eval(&g, &args) == 1, hit, "{evaluation:?} {kinds:?} on {args:?}\n{g}");
                }
            }
        }
    }

    #[test]
    fn guard_functions_agree_with_the_interpreter() {
        // A division inside one branch of a select: lazily it counts only when taken.
        exhaustive_agreement(
            "fn f(v0: i4, v1: i4) -> i4 {\n  v2 = iconst.i4 0\n  v3 = eq v1, v2\n  v4 = sdiv v0, v1\n  v5 = select v3, v2, v4\n  ret v5\n}\n",
        );
        // Shifts, a remainder, and a value used both inside and outside a select.
        exhaustive_agreement(
            "fn f(v0: i4, v1: i4) -> i4 {\n  v2 = shl v0, v1\n  v3 = ult v0, v1\n  v4 = urem v1, v0\n  v5 = select v3, v4, v2\n  v6 = ashr v5, v0\n  v7 = add v6, v4\n  ret v7\n}\n",
        );
        // Width 1 shifts and signed overflow at width 3.
        exhaustive_agreement("fn f(v0: i1, v1: i1) -> i1 {\n  v2 = lshr v0, v1\n  ret v2\n}\n");
        exhaustive_agreement("fn f(v0: i3, v1: i3) -> i3 {\n  v2 = srem v0, v1\n  v3 = sdiv v2, v1\n  ret v3\n}\n");
    }

    #[test]
    fn cases_are_named() {
        let f = parse_function("fn f(v0: i8) -> i8 {\n  v1 = lshr v0, v0\n  ret v1\n}\n").unwrap();
        assert_eq!(cases_hit(&f, &[8], Evaluation::Eager), vec![GuardKind::OverwideShift]);
        assert!(cases_hit(&f, &[7], Evaluation::Eager).is_empty());
        let g = parse_function("fn f(v0: i8) -> i8 {\n  v1 = iconst.i8 -1\n  v2 = sdiv v0, v1\n  ret v2\n}\n").unwrap();
        assert_eq!(cases_hit(&g, &[0x80], Evaluation::Eager), vec![GuardKind::SignedOverflow]);
    }
}
