//! Each edge case of the semantics table (`docs/semantics.md`), run natively at standard and odd widths, with
//! the expected values written out from the table (not taken from the interpreter).
//!
//! Every case runs four ways: operands as parameters (inlined batch body), through the exported
//! C-ABI function built for the baseline CPU (as in object files), with the last operand a constant, and with every operand a constant (a
//! function without parameters), because Cranelift may fold constant operands differently.

use backend::{BatchBody, CompileOptions, CpuFeatures, NativeFn};
use ir::{FunctionBuilder, Opcode, Type};

/// Standard and odd widths, covering every carrier (i8, i16, i32, i64) narrow and full.
const WIDTHS: [u32; 13] = [1, 2, 3, 4, 7, 8, 12, 16, 31, 32, 33, 63, 64];

fn ty(w: u32) -> Type {
    Type::new(w).unwrap()
}

/// Bits of the smallest machine integer holding `ty` (8, 16, 32 or 64).
fn carrier_bits(ty: Type) -> u32 {
    ty.width().next_power_of_two().max(8)
}

/// `op` applied to `operands` of type `operand_ty`: each `Some(c)` operand is an `iconst`,
/// each `None` a parameter.
fn function(op: Opcode, operand_ty: Type, result_ty: Type, operands: &[Option<u64>]) -> ir::Function {
    let params: Vec<Type> = operands.iter().filter(|o| o.is_none()).map(|_| operand_ty).collect();
    let mut b = FunctionBuilder::new("f", &params, result_ty);
    let mut next_param = 0;
    let mut args = Vec::new();
    for o in operands {
        args.push(match o {
            Some(c) => b.iconst(operand_ty, *c),
            None => {
                next_param += 1;
                b.param(next_param - 1)
            }
        });
    }
    let v = b.inst(op, result_ty, &args, 0);
    b.finish(v).unwrap()
}

/// Runs `op` on `operands` natively in every way described in the module docs.
fn run(op: Opcode, operand_ty: Type, result_ty: Type, operands: &[u64]) -> Vec<u64> {
    let n = operands.len();
    let all_params = function(op, operand_ty, result_ty, &vec![None; n]);
    let mut last_const = vec![None; n];
    last_const[n - 1] = Some(operands[n - 1]);
    let last_const = function(op, operand_ty, result_ty, &last_const);
    let all_const = function(op, operand_ty, result_ty, &operands.iter().map(|&c| Some(c)).collect::<Vec<_>>());

    let inline = NativeFn::compile(&all_params).unwrap();
    let as_in_objects = CompileOptions { body: BatchBody::CallExported, cpu: CpuFeatures::Baseline };
    let exported = NativeFn::compile_with(&all_params, as_in_objects).unwrap();
    let mut results = vec![inline.call(operands), exported.call(operands)];
    results.push(NativeFn::compile(&last_const).unwrap().call(&operands[..n - 1]));
    let mut out = [0u64; 3];
    NativeFn::compile(&all_const).unwrap().call_batch(&[], &mut out);
    assert!(out.iter().all(|&r| r == out[0]), "a constant function gave different results: {out:?}");
    results.push(out[0]);
    results
}

fn check(op: Opcode, ty: Type, operands: &[u64], expected: u64) {
    let result_ty = if op.shape() == ir::Shape::Compare { Type::I1 } else { ty };
    for (way, got) in ["params", "exported", "const rhs", "all const"].iter().zip(run(op, ty, result_ty, operands)) {
        assert_eq!(got, expected, "{op}.{ty} {operands:x?} ({way}): got {got:#x}, expected {expected:#x}");
    }
}

fn edge_values(t: Type) -> Vec<u64> {
    let mut v = vec![0, 1, t.mask(), t.signed_min(), t.signed_max(), t.wrap(2), t.wrap(0x5a5a_5a5a_5a5a_5a5a)];
    v.sort_unstable();
    v.dedup();
    v
}

#[test]
fn division_by_zero() {
    for w in WIDTHS {
        let t = ty(w);
        for a in edge_values(t) {
            check(Opcode::Udiv, t, &[a, 0], t.mask());
            check(Opcode::Urem, t, &[a, 0], a);
            check(Opcode::Srem, t, &[a, 0], a);
            let negative = a & t.sign_bit() != 0;
            check(Opcode::Sdiv, t, &[a, 0], if negative { 1 } else { t.mask() });
        }
    }
}

#[test]
fn signed_division_overflow_and_truncation() {
    for w in WIDTHS {
        let t = ty(w);
        let (min, minus_one) = (t.signed_min(), t.mask());
        check(Opcode::Sdiv, t, &[min, minus_one], min);
        check(Opcode::Srem, t, &[min, minus_one], 0);
        check(Opcode::Udiv, t, &[min, minus_one], u64::from(w == 1));
        if w >= 4 {
            // -7 / 2 = -3 and -7 % 2 = -1 (truncating); 7 % -2 = 1 (sign of the dividend).
            let neg = |x: u64| t.wrap(x.wrapping_neg());
            check(Opcode::Sdiv, t, &[neg(7), 2], neg(3));
            check(Opcode::Srem, t, &[neg(7), 2], neg(1));
            check(Opcode::Srem, t, &[7, neg(2)], 1);
            check(Opcode::Udiv, t, &[t.mask(), 2], t.signed_max());
        }
    }
}

#[test]
fn shifts_by_the_width_and_more() {
    for w in WIDTHS {
        let t = ty(w);
        let wide = u64::from(w);
        let cw = u64::from(carrier_bits(t));
        // Amounts >= width, including ones that Cranelift's modulo-carrier masking would turn small.
        let amounts = [wide, wide + 1, cw, cw + 1, 2 * cw + 3, t.mask(), t.signed_min(), u64::MAX];
        let negative = t.signed_min() | 1;
        for amount in amounts.map(|a| t.wrap(a)).into_iter().filter(|&a| a >= wide) {
            for a in [1, t.mask(), negative & t.mask()] {
                check(Opcode::Shl, t, &[a, amount], 0);
                check(Opcode::Lshr, t, &[a, amount], 0);
            }
            check(Opcode::Ashr, t, &[negative & t.mask(), amount], t.mask());
            check(Opcode::Ashr, t, &[t.signed_max(), amount], 0);
        }
        check(Opcode::Shl, t, &[1, wide - 1], t.sign_bit());
        check(Opcode::Lshr, t, &[t.sign_bit(), wide - 1], 1);
        check(Opcode::Ashr, t, &[t.sign_bit(), wide - 1], t.mask());
        if w >= 3 {
            check(Opcode::Ashr, t, &[t.sign_bit(), 1], t.sign_bit() | (t.sign_bit() >> 1));
            check(Opcode::Shl, t, &[t.mask(), 1], t.wrap(t.mask() << 1));
        }
    }
}

/// Rotation by moving bits one at a time, independent of any shift formula.
fn rotate_reference(t: Type, a: u64, amount: u64, left: bool) -> u64 {
    let w = u64::from(t.width());
    let mut r = 0;
    for i in 0..w {
        if a >> i & 1 != 0 {
            let j = if left { (i + amount % w) % w } else { (i + w - amount % w) % w };
            r |= 1 << j;
        }
    }
    r
}

#[test]
fn rotates_take_the_amount_modulo_the_width() {
    for w in WIDTHS {
        let t = ty(w);
        let wide = u64::from(w);
        let cw = u64::from(carrier_bits(t));
        let amounts = [0, 1, wide - 1, wide, wide + 1, 2 * wide + 3, cw, cw + 1, t.mask(), t.signed_min()];
        for amount in amounts.map(|a| t.wrap(a)) {
            for a in [1, t.sign_bit(), t.wrap(0x8000_0000_0000_0001 | 0x0123_4567_89ab_cdef)] {
                check(Opcode::Rotl, t, &[a, amount], rotate_reference(t, a, amount, true));
                check(Opcode::Rotr, t, &[a, amount], rotate_reference(t, a, amount, false));
            }
        }
    }
}

#[test]
fn bit_counts_of_zero_are_the_width() {
    for w in WIDTHS {
        let t = ty(w);
        let wide = u64::from(w);
        check(Opcode::Clz, t, &[0], wide);
        check(Opcode::Ctz, t, &[0], wide);
        check(Opcode::Popcnt, t, &[0], 0);
        check(Opcode::Clz, t, &[1], wide - 1);
        check(Opcode::Ctz, t, &[t.sign_bit()], wide - 1);
        check(Opcode::Clz, t, &[t.mask()], 0);
        check(Opcode::Ctz, t, &[t.mask()], 0);
        check(Opcode::Popcnt, t, &[t.mask()], wide);
    }
}

#[test]
fn booleans_stay_zero_or_one() {
    let b = Type::I1;
    check(Opcode::Not, b, &[0], 1);
    check(Opcode::Not, b, &[1], 0);
    check(Opcode::Add, b, &[1, 1], 0);
    check(Opcode::Sub, b, &[0, 1], 1);
    check(Opcode::Neg, b, &[1], 1);
    check(Opcode::Mul, b, &[1, 1], 1);
    check(Opcode::Slt, b, &[1, 0], 1);
    check(Opcode::Ugt, b, &[1, 0], 1);
    for w in WIDTHS {
        let t = ty(w);
        check(Opcode::Eq, t, &[t.mask(), t.mask()], 1);
        // MIN < MAX signed but not unsigned (for i1: MIN = 1 = -1 and MAX = 0).
        check(Opcode::Slt, t, &[t.signed_min(), t.signed_max()], 1);
        check(Opcode::Ult, t, &[t.signed_min(), t.signed_max()], 0);
        check(Opcode::Sge, t, &[0, t.mask()], 1);
    }
    // An i1 argument reads only bit 0.
    let not = NativeFn::compile(&function(Opcode::Not, b, b, &[None])).unwrap();
    assert_eq!(not.call(&[2]), 1);
    assert_eq!(not.call(&[3]), 0);
}

#[test]
fn casts_between_odd_and_standard_widths() {
    let cases: [(Opcode, u32, u32, u64, u64); 10] = [
        (Opcode::Sext, 1, 64, 1, u64::MAX),
        (Opcode::Sext, 1, 3, 1, 0b111),
        (Opcode::Sext, 4, 8, 0x8, 0xf8),
        (Opcode::Sext, 4, 7, 0x7, 0x7),
        (Opcode::Sext, 12, 33, 0x800, 0x1_ffff_f800),
        (Opcode::Sext, 33, 63, 1 << 32, 0x7fff_ffff_0000_0000),
        (Opcode::Zext, 12, 64, 0xfff, 0xfff),
        (Opcode::Trunc, 64, 4, 0xffff_ffff_ffff_fff5, 0x5),
        (Opcode::Trunc, 33, 32, 0x1_8000_0001, 0x8000_0001),
        (Opcode::Trunc, 12, 1, 0x801, 1),
    ];
    for (op, from, to, a, expected) in cases {
        let native = run(op, ty(from), ty(to), &[a]);
        assert!(
            native.iter().all(|&r| r == expected),
            "{op}.i{to} (i{from} {a:#x}) = {native:x?}, expected {expected:#x}"
        );
    }
}

#[test]
fn arguments_are_masked_to_their_types() {
    for w in WIDTHS {
        let t = ty(w);
        let b = FunctionBuilder::new("id", &[t], t);
        let x = b.param(0);
        let id = NativeFn::compile(&b.finish(x).unwrap()).unwrap();
        assert_eq!(id.call(&[u64::MAX]), t.mask());
        let mut out = [0; 2];
        id.call_batch(&[0xdead_beef_dead_beef, 1 << 63 | 1], &mut out);
        assert_eq!(out, [t.wrap(0xdead_beef_dead_beef), t.wrap(1 << 63 | 1)]);
    }
}
