//! Vectorized evaluation: one production applied to whole columns of values.
//!
//! A column holds a term's values at every evaluation point, as masked bits. Each function
//! matches on the opcode once and then runs a tight loop with the opcode fixed, which the
//! compiler specializes (and vectorizes where the operation allows). The scalar meaning comes
//! from `ir::semantics`, the single definition of the IR's semantics.

use ir::{Opcode, Shape, Type, semantics};

/// `out[i] = op(a[i])` for a unary opcode at type `ty`.
pub fn unary(op: Opcode, ty: Type, a: &[u64], out: &mut [u64]) {
    macro_rules! run {
        ($op:expr) => {
            for (o, &x) in out.iter_mut().zip(a) {
                *o = semantics::unary($op, ty, x);
            }
        };
    }
    match op {
        Opcode::Neg => run!(Opcode::Neg),
        Opcode::Not => run!(Opcode::Not),
        Opcode::Popcnt => run!(Opcode::Popcnt),
        Opcode::Clz => run!(Opcode::Clz),
        Opcode::Ctz => run!(Opcode::Ctz),
        _ => panic!("columns::unary with {op}"),
    }
}

/// `out[i] = op(a[i], b[i])` for a binary opcode at type `ty`.
pub fn binary(op: Opcode, ty: Type, a: &[u64], b: &[u64], out: &mut [u64]) {
    macro_rules! run {
        ($op:expr) => {
            for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
                *o = semantics::binary($op, ty, x, y);
            }
        };
    }
    match op {
        Opcode::Add => run!(Opcode::Add),
        Opcode::Sub => run!(Opcode::Sub),
        Opcode::Mul => run!(Opcode::Mul),
        Opcode::Udiv => run!(Opcode::Udiv),
        Opcode::Urem => run!(Opcode::Urem),
        Opcode::Sdiv => run!(Opcode::Sdiv),
        Opcode::Srem => run!(Opcode::Srem),
        Opcode::And => run!(Opcode::And),
        Opcode::Or => run!(Opcode::Or),
        Opcode::Xor => run!(Opcode::Xor),
        Opcode::Shl => run!(Opcode::Shl),
        Opcode::Lshr => run!(Opcode::Lshr),
        Opcode::Ashr => run!(Opcode::Ashr),
        Opcode::Rotl => run!(Opcode::Rotl),
        Opcode::Rotr => run!(Opcode::Rotr),
        _ => panic!("columns::binary with {op}"),
    }
}

/// `out[i] = op(a[i], b[i])` as 0/1 for a comparison of operands of type `ty`.
pub fn compare(op: Opcode, ty: Type, a: &[u64], b: &[u64], out: &mut [u64]) {
    macro_rules! run {
        ($op:expr) => {
            for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
                *o = u64::from(semantics::compare($op, ty, x, y));
            }
        };
    }
    match op {
        Opcode::Eq => run!(Opcode::Eq),
        Opcode::Ne => run!(Opcode::Ne),
        Opcode::Ult => run!(Opcode::Ult),
        Opcode::Ule => run!(Opcode::Ule),
        Opcode::Ugt => run!(Opcode::Ugt),
        Opcode::Uge => run!(Opcode::Uge),
        Opcode::Slt => run!(Opcode::Slt),
        Opcode::Sle => run!(Opcode::Sle),
        Opcode::Sgt => run!(Opcode::Sgt),
        Opcode::Sge => run!(Opcode::Sge),
        _ => panic!("columns::compare with {op}"),
    }
}

/// `out[i] = c[i] ? a[i] : b[i]`.
pub fn select(c: &[u64], a: &[u64], b: &[u64], out: &mut [u64]) {
    for (((o, &c), &x), &y) in out.iter_mut().zip(c).zip(a).zip(b) {
        *o = if c & 1 != 0 { x } else { y };
    }
}

/// `out[i] = op(a[i])` for a width change from `from` to `to`.
pub fn cast(op: Opcode, from: Type, to: Type, a: &[u64], out: &mut [u64]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = semantics::cast(op, from, to, x);
    }
}

/// Applies any non-constant opcode: `operand_ty` is the type of the first operand (the second
/// for `select`), `ty` the result type, `args` one column per operand.
pub fn apply(op: Opcode, ty: Type, operand_ty: Type, args: &[&[u64]], out: &mut [u64]) {
    match op.shape() {
        Shape::Unary => unary(op, ty, args[0], out),
        Shape::Binary => binary(op, ty, args[0], args[1], out),
        Shape::Compare => compare(op, operand_ty, args[0], args[1], out),
        Shape::Select => select(args[0], args[1], args[2], out),
        Shape::Cast => cast(op, operand_ty, ty, args[0], out),
        Shape::Const => panic!("columns::apply with iconst"),
    }
}

/// A 128-bit fingerprint of a column: two independent 64-bit hashes computed in one pass.
///
/// The bank treats equal fingerprints as equal columns, so lookups never touch the columns
/// themselves (the enumerator is bound by memory latency). Two different columns collide with
/// probability about 2^-128 per pair: with 10^9 terms the chance of any collision is below
/// 10^-20, far below the chance of a hardware fault.
#[inline]
pub fn hash(col: &[u64]) -> Fingerprint {
    let mut a: u64 = 0x243f_6a88_85a3_08d3 ^ col.len() as u64;
    let mut b: u64 = 0x1319_8a2e_0370_7344;
    for &v in col {
        a = (a ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        a ^= a >> 29;
        b = (b ^ v.rotate_left(17)).wrapping_mul(0xd6e8_feb8_6659_fd93);
        b ^= b >> 32;
    }
    Fingerprint(a, b)
}

/// A column's fingerprint (see [`hash`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub u64, pub u64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_scalar_semantics() {
        let ty = Type::I8;
        let a = [0u64, 1, 0x80, 0xff, 7];
        let b = [0u64, 0xff, 0xff, 9, 3];
        let mut out = [0u64; 5];
        for &op in Opcode::ALL {
            match op.shape() {
                Shape::Binary => {
                    binary(op, ty, &a, &b, &mut out);
                    for i in 0..5 {
                        assert_eq!(out[i], semantics::binary(op, ty, a[i], b[i]), "{op}");
                    }
                }
                Shape::Unary => {
                    unary(op, ty, &a, &mut out);
                    for i in 0..5 {
                        assert_eq!(out[i], semantics::unary(op, ty, a[i]), "{op}");
                    }
                }
                Shape::Compare => {
                    compare(op, ty, &a, &b, &mut out);
                    for i in 0..5 {
                        assert_eq!(out[i], u64::from(semantics::compare(op, ty, a[i], b[i])), "{op}");
                    }
                }
                _ => {}
            }
        }
        assert_ne!(hash(&a), hash(&b));
    }
}
