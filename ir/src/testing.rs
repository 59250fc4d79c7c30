//! Property-test support (feature `proptest`): random well-typed functions and edge-biased inputs.
//!
//! The generator builds a function from a tape of random numbers, so proptest can shrink a
//! failing case by shrinking the tape. Every opcode and every requested width can appear;
//! constants and inputs favour the values where semantics have edge cases: 0, 1, -1, MIN, MAX,
//! the width and width - 1.

use proptest::prelude::*;

use crate::{Function, FunctionBuilder, Opcode, Shape, Type, Value};

/// The widths the generators use by default: the standard ones plus an odd one.
pub const DEFAULT_WIDTHS: &[Type] = &[Type::I1, Type::I8, Type::I16, Type::I32, Type::I64];

/// An edge-biased value of type `ty` drawn from `r`.
pub fn edge_biased(ty: Type, r: u64) -> u64 {
    let w = u64::from(ty.width());
    let edges = [0, 1, ty.mask(), ty.signed_min(), ty.signed_max(), w, w - 1, 2];
    let pick = (r >> 56) as usize;
    if pick < 160 { ty.wrap(edges[pick % edges.len()]) } else { ty.wrap(r.rotate_left(7)) }
}

struct Tape<'a> {
    tape: &'a [u64],
    pos: usize,
}

impl Tape<'_> {
    fn next(&mut self) -> u64 {
        let v = self.tape.get(self.pos % self.tape.len().max(1)).copied().unwrap_or(0);
        self.pos += 1;
        // Mix in the position so a short tape still gives varied choices.
        v ^ (self.pos as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Builds a random well-typed function from `tape` with `params` parameters and `insts`
/// instructions over `widths` (which should contain `i1` so compares and selects appear).
pub fn function_from_tape(tape: &[u64], widths: &[Type], params: usize, insts: usize) -> Function {
    let mut t = Tape { tape, pos: 0 };
    let param_types: Vec<Type> = (0..params).map(|_| widths[t.below(widths.len())]).collect();
    let mut b = FunctionBuilder::new("f", &param_types, Type::I8);
    let mut values: Vec<(Value, Type)> = (0..params).map(|i| (b.param(i), param_types[i])).collect();

    let operand = |b: &mut FunctionBuilder, t: &mut Tape, values: &mut Vec<(Value, Type)>, ty: Type| -> Value {
        let candidates: Vec<Value> = values.iter().filter(|v| v.1 == ty).map(|v| v.0).collect();
        if !candidates.is_empty() && t.below(4) != 0 {
            candidates[t.below(candidates.len())]
        } else {
            let c = b.iconst(ty, edge_biased(ty, t.next()));
            values.push((c, ty));
            c
        }
    };

    let ops: Vec<Opcode> = Opcode::ALL.iter().copied().filter(|&o| o != Opcode::Iconst).collect();
    for _ in 0..insts {
        let op = ops[t.below(ops.len())];
        let ty = widths[t.below(widths.len())];
        let v = match op.shape() {
            Shape::Unary => {
                let a = operand(&mut b, &mut t, &mut values, ty);
                b.unary(op, a)
            }
            Shape::Binary | Shape::Compare => {
                let a = operand(&mut b, &mut t, &mut values, ty);
                let c = operand(&mut b, &mut t, &mut values, ty);
                b.binary(op, a, c)
            }
            Shape::Select => {
                let c = operand(&mut b, &mut t, &mut values, Type::I1);
                let x = operand(&mut b, &mut t, &mut values, ty);
                let y = operand(&mut b, &mut t, &mut values, ty);
                b.select(c, x, y)
            }
            Shape::Cast => {
                let narrower: Vec<Type> = widths.iter().copied().filter(|w| w.width() < ty.width()).collect();
                let wider: Vec<Type> = widths.iter().copied().filter(|w| w.width() > ty.width()).collect();
                let from = match op {
                    Opcode::Trunc if !wider.is_empty() => wider[t.below(wider.len())],
                    Opcode::Zext | Opcode::Sext if !narrower.is_empty() => narrower[t.below(narrower.len())],
                    _ => continue,
                };
                let a = operand(&mut b, &mut t, &mut values, from);
                b.cast(op, ty, a)
            }
            Shape::Const => unreachable!("iconst is filtered out"),
        };
        let vty = b.type_of(v);
        values.push((v, vty));
    }
    if values.is_empty() {
        let ty = widths[t.below(widths.len())];
        operand(&mut b, &mut t, &mut values, ty);
    }
    // Return the last value defined (a parameter if the body is empty).
    let (ret, ret_ty) = *values.last().expect("at least one value");
    b.set_return_type(ret_ty);
    b.finish(ret).unwrap_or_else(|e| panic!("generator built an ill-typed function: {e}"))
}

/// Random well-typed functions with 0..=3 parameters and up to `max_insts` instructions.
pub fn arb_function(widths: &'static [Type], max_insts: usize) -> impl Strategy<Value = Function> {
    (proptest::collection::vec(any::<u64>(), 1..64), 0usize..=3, 0usize..=max_insts)
        .prop_map(move |(tape, params, insts)| function_from_tape(&tape, widths, params, insts))
}

/// A function together with `rows` edge-biased argument rows for it.
pub fn arb_function_with_inputs(
    widths: &'static [Type],
    max_insts: usize,
    rows: usize,
) -> impl Strategy<Value = (Function, Vec<Vec<u64>>)> {
    (arb_function(widths, max_insts), proptest::collection::vec(any::<u64>(), rows * 3)).prop_map(move |(f, raw)| {
        let tys = f.param_types();
        let inputs =
            (0..rows).map(|r| tys.iter().enumerate().map(|(i, &t)| edge_biased(t, raw[r * 3 + i])).collect()).collect();
        (f, inputs)
    })
}
