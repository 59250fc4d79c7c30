//! The meaning of every opcode on concrete values: the executable form of the table
//! in `docs/semantics.md`, which is the contract every implementation follows.
//!
//! Values are masked bits (`u64` holding the value zero-extended). Every function here is total
//! and expects its inputs already masked to the operand type; results are masked to the result
//! type. The interpreter, the enumerator's column evaluation and the tests all call these, so
//! there is exactly one definition of the semantics on the Rust side.

use crate::{Opcode, Shape, Type};

/// Applies a [`Shape::Unary`] opcode at type `ty`.
///
/// # Panics
/// If `op` is not unary.
#[inline]
pub fn unary(op: Opcode, ty: Type, a: u64) -> u64 {
    let w = ty.width();
    match op {
        Opcode::Neg => ty.wrap(a.wrapping_neg()),
        Opcode::Not => ty.wrap(!a),
        Opcode::Popcnt => u64::from(a.count_ones()),
        Opcode::Clz => {
            if a == 0 {
                u64::from(w)
            } else {
                u64::from(a.leading_zeros() - (64 - w))
            }
        }
        Opcode::Ctz => {
            if a == 0 {
                u64::from(w)
            } else {
                u64::from(a.trailing_zeros())
            }
        }
        _ => panic!("semantics::unary called with non-unary opcode {op}"),
    }
}

/// Applies a [`Shape::Binary`] opcode at type `ty`.
///
/// # Panics
/// If `op` is not binary.
#[inline]
pub fn binary(op: Opcode, ty: Type, a: u64, b: u64) -> u64 {
    let w = u64::from(ty.width());
    match op {
        Opcode::Add => ty.wrap(a.wrapping_add(b)),
        Opcode::Sub => ty.wrap(a.wrapping_sub(b)),
        Opcode::Mul => ty.wrap(a.wrapping_mul(b)),
        Opcode::Udiv => a.checked_div(b).unwrap_or(ty.mask()),
        Opcode::Urem => a.checked_rem(b).unwrap_or(a),
        Opcode::Sdiv => {
            if b == 0 {
                if ty.is_negative(a) { 1 } else { ty.mask() }
            } else {
                ty.wrap(ty.to_signed(a).wrapping_div(ty.to_signed(b)) as u64)
            }
        }
        Opcode::Srem => {
            if b == 0 {
                a
            } else {
                ty.wrap(ty.to_signed(a).wrapping_rem(ty.to_signed(b)) as u64)
            }
        }
        Opcode::And => a & b,
        Opcode::Or => a | b,
        Opcode::Xor => a ^ b,
        Opcode::Shl => {
            if b >= w {
                0
            } else {
                ty.wrap(a << b)
            }
        }
        Opcode::Lshr => {
            if b >= w {
                0
            } else {
                a >> b
            }
        }
        Opcode::Ashr => {
            let shift = b.min(w - 1);
            ty.wrap((ty.to_signed(a) >> shift) as u64)
        }
        Opcode::Rotl => {
            let r = b % w;
            if r == 0 { a } else { ty.wrap((a << r) | (a >> (w - r))) }
        }
        Opcode::Rotr => {
            let r = b % w;
            if r == 0 { a } else { ty.wrap((a >> r) | (a << (w - r))) }
        }
        _ => panic!("semantics::binary called with non-binary opcode {op}"),
    }
}

/// Applies a [`Shape::Compare`] opcode to operands of type `ty`.
///
/// # Panics
/// If `op` is not a comparison.
#[inline]
pub fn compare(op: Opcode, ty: Type, a: u64, b: u64) -> bool {
    match op {
        Opcode::Eq => a == b,
        Opcode::Ne => a != b,
        Opcode::Ult => a < b,
        Opcode::Ule => a <= b,
        Opcode::Ugt => a > b,
        Opcode::Uge => a >= b,
        Opcode::Slt => ty.to_signed(a) < ty.to_signed(b),
        Opcode::Sle => ty.to_signed(a) <= ty.to_signed(b),
        Opcode::Sgt => ty.to_signed(a) > ty.to_signed(b),
        Opcode::Sge => ty.to_signed(a) >= ty.to_signed(b),
        _ => panic!("semantics::compare called with non-compare opcode {op}"),
    }
}

/// Applies a [`Shape::Cast`] opcode converting from type `from` to type `to`.
///
/// # Panics
/// If `op` is not a cast.
#[inline]
pub fn cast(op: Opcode, from: Type, to: Type, a: u64) -> u64 {
    match op {
        Opcode::Zext => a,
        Opcode::Sext => to.wrap(from.to_signed(a) as u64),
        Opcode::Trunc => to.wrap(a),
        _ => panic!("semantics::cast called with non-cast opcode {op}"),
    }
}

/// Applies any non-constant opcode.
///
/// `ty` is the result type and `operand_ty` the type of the first operand (of the second for
/// `select`, whose first operand is the `i1` condition).
///
/// # Panics
/// If `op` is `iconst` or `args` has the wrong length.
#[inline]
pub fn apply(op: Opcode, ty: Type, operand_ty: Type, args: &[u64]) -> u64 {
    match op.shape() {
        Shape::Unary => unary(op, ty, args[0]),
        Shape::Binary => binary(op, ty, args[0], args[1]),
        Shape::Compare => u64::from(compare(op, operand_ty, args[0], args[1])),
        Shape::Select => {
            if args[0] & 1 != 0 {
                args[1]
            } else {
                args[2]
            }
        }
        Shape::Cast => cast(op, operand_ty, ty, args[0]),
        Shape::Const => panic!("semantics::apply called with iconst"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Opcode::*;

    const I4: Type = match Type::new(4) {
        Some(t) => t,
        None => unreachable!(),
    };

    fn all_widths() -> [Type; 6] {
        [Type::I1, I4, Type::I8, Type::I16, Type::I32, Type::I64]
    }

    #[test]
    fn division_by_zero() {
        for ty in all_widths() {
            let m = ty.mask();
            for a in [0, 1, m, ty.signed_min(), ty.signed_max()] {
                assert_eq!(binary(Udiv, ty, a, 0), m, "{ty} udiv {a} 0");
                assert_eq!(binary(Urem, ty, a, 0), a, "{ty} urem {a} 0");
                assert_eq!(binary(Srem, ty, a, 0), a, "{ty} srem {a} 0");
                let expected = if ty.is_negative(a) { 1 } else { m };
                assert_eq!(binary(Sdiv, ty, a, 0), expected, "{ty} sdiv {a} 0");
            }
        }
    }

    #[test]
    fn signed_overflow() {
        for ty in all_widths() {
            let min = ty.signed_min();
            assert_eq!(binary(Sdiv, ty, min, ty.mask()), min, "{ty}");
            assert_eq!(binary(Srem, ty, min, ty.mask()), 0, "{ty}");
        }
    }

    #[test]
    fn signed_division_truncates() {
        let t = Type::I8;
        assert_eq!(t.to_signed(binary(Sdiv, t, t.wrap(-7i64 as u64), 2)), -3);
        assert_eq!(t.to_signed(binary(Srem, t, t.wrap(-7i64 as u64), 2)), -1);
        assert_eq!(t.to_signed(binary(Srem, t, 7, t.wrap(-2i64 as u64))), 1);
        assert_eq!(binary(Udiv, t, 200, 7), 28);
        assert_eq!(binary(Urem, t, 200, 7), 4);
    }

    #[test]
    fn over_wide_shifts() {
        for ty in all_widths() {
            let w = u64::from(ty.width());
            let neg = ty.signed_min() | 1 & ty.mask();
            for amt in [w, w + 1, ty.mask(), 63, 64, 200] {
                let amt = ty.wrap(amt);
                if amt < w {
                    continue;
                }
                assert_eq!(binary(Shl, ty, 1, amt), 0, "{ty} shl by {amt}");
                assert_eq!(binary(Lshr, ty, ty.mask(), amt), 0, "{ty} lshr by {amt}");
                assert_eq!(binary(Ashr, ty, neg, amt), ty.mask(), "{ty} ashr by {amt}");
                assert_eq!(binary(Ashr, ty, ty.signed_max(), amt), 0, "{ty} ashr by {amt}");
            }
            assert_eq!(binary(Shl, ty, 1, w - 1), ty.sign_bit());
            assert_eq!(binary(Lshr, ty, ty.sign_bit(), w - 1), 1);
            assert_eq!(binary(Ashr, ty, ty.sign_bit(), w - 1), ty.mask());
        }
    }

    #[test]
    fn rotates_take_amount_modulo_width() {
        assert_eq!(binary(Rotl, Type::I8, 0x81, 1), 0x03);
        assert_eq!(binary(Rotl, Type::I8, 0x81, 9), 0x03);
        assert_eq!(binary(Rotr, Type::I8, 0x81, 1), 0xc0);
        assert_eq!(binary(Rotr, Type::I8, 0x81, 8), 0x81);
        assert_eq!(binary(Rotl, I4, 0b1001, 1), 0b0011);
        assert_eq!(binary(Rotr, I4, 0b1001, 5), 0b1100);
        assert_eq!(binary(Rotl, Type::I64, 1 << 63, 1), 1);
        assert_eq!(binary(Rotl, Type::I1, 1, 1), 1);
    }

    #[test]
    fn bit_counts() {
        for ty in all_widths() {
            let w = u64::from(ty.width());
            assert_eq!(unary(Clz, ty, 0), w);
            assert_eq!(unary(Ctz, ty, 0), w);
            assert_eq!(unary(Clz, ty, 1), w - 1);
            assert_eq!(unary(Ctz, ty, ty.sign_bit()), w - 1);
            assert_eq!(unary(Clz, ty, ty.mask()), 0);
            assert_eq!(unary(Popcnt, ty, ty.mask()), w);
        }
        assert_eq!(unary(Popcnt, Type::I32, 0xf0f0), 8);
    }

    #[test]
    fn arithmetic_wraps() {
        for ty in all_widths() {
            assert_eq!(binary(Add, ty, ty.mask(), 1), 0);
            assert_eq!(binary(Sub, ty, 0, 1), ty.mask());
            assert_eq!(unary(Neg, ty, 1), ty.mask());
            assert_eq!(unary(Neg, ty, ty.signed_min()), ty.signed_min());
            assert_eq!(unary(Not, ty, 0), ty.mask());
            assert_eq!(binary(Mul, ty, ty.mask(), ty.mask()), 1);
        }
    }

    #[test]
    fn compares_respect_signedness() {
        let t = Type::I8;
        assert!(compare(Ult, t, 1, 0xff));
        assert!(!compare(Slt, t, 1, 0xff));
        assert!(compare(Sgt, t, 1, 0xff));
        assert!(compare(Sle, t, 0x80, 0x7f));
        assert!(compare(Uge, t, 0x80, 0x7f));
        assert!(compare(Eq, t, 5, 5) && compare(Ne, t, 5, 6));
        assert!(compare(Sge, Type::I1, 0, 1), "i1: 1 is -1 when signed");
    }

    #[test]
    fn casts() {
        assert_eq!(cast(Sext, Type::I8, Type::I32, 0x80), 0xffff_ff80);
        assert_eq!(cast(Zext, Type::I8, Type::I32, 0x80), 0x80);
        assert_eq!(cast(Trunc, Type::I32, Type::I8, 0x1234), 0x34);
        assert_eq!(cast(Sext, Type::I1, Type::I64, 1), u64::MAX);
        assert_eq!(cast(Sext, I4, Type::I8, 0x8), 0xf8);
    }

    #[test]
    fn select_picks_by_condition() {
        assert_eq!(apply(Select, Type::I8, Type::I8, &[1, 3, 4]), 3);
        assert_eq!(apply(Select, Type::I8, Type::I8, &[0, 3, 4]), 4);
    }
}
