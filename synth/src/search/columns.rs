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

/// Packs one 0/1 value per point into bits (`out` has `values.len().div_ceil(64)` words).
pub fn pack(values: &[u64], out: &mut [u64]) {
    for (word, chunk) in out.iter_mut().zip(values.chunks(64)) {
        *word = chunk.iter().enumerate().fold(0u64, |w, (k, &v)| w | ((v & 1) << k));
    }
}

/// Unpacks the first `n` bits of a packed column into one 0/1 value per point.
pub fn unpack(words: &[u64], n: usize, out: &mut [u64]) {
    for (p, o) in out.iter_mut().take(n).enumerate() {
        *o = (words[p / 64] >> (p % 64)) & 1;
    }
}

/// Mask of the valid bits of the last word of a packed column of `n` points.
#[inline]
pub fn last_word_mask(n: usize) -> u64 {
    match n % 64 {
        0 => u64::MAX,
        r => (1u64 << r) - 1,
    }
}

/// Applies an `i1` opcode to packed columns (64 points per word), if it has a bitwise form;
/// `out` gets the packed result with the bits past point `n` cleared. Returns false for
/// opcodes that need unpacked evaluation.
pub fn packed(op: Opcode, args: &[&[u64]], n: usize, out: &mut [u64]) -> bool {
    macro_rules! run {
        (|$a:ident| $e:expr) => {
            for (o, &$a) in out.iter_mut().zip(args[0]) {
                *o = $e;
            }
        };
        (|$a:ident, $b:ident| $e:expr) => {
            for ((o, &$a), &$b) in out.iter_mut().zip(args[0]).zip(args[1]) {
                *o = $e;
            }
        };
    }
    match op {
        // On one bit, -a == a, a + b == a - b == a ^ b, a * b == a & b; signed 1 is -1.
        Opcode::Not => run!(|a| !a),
        Opcode::Neg => run!(|a| a),
        Opcode::And | Opcode::Mul => run!(|a, b| a & b),
        Opcode::Or => run!(|a, b| a | b),
        Opcode::Xor | Opcode::Add | Opcode::Sub | Opcode::Ne => run!(|a, b| a ^ b),
        Opcode::Eq => run!(|a, b| !(a ^ b)),
        Opcode::Ult | Opcode::Sgt => run!(|a, b| !a & b),
        Opcode::Ule | Opcode::Sge => run!(|a, b| !a | b),
        Opcode::Ugt | Opcode::Slt => run!(|a, b| a & !b),
        Opcode::Uge | Opcode::Sle => run!(|a, b| a | !b),
        Opcode::Select => {
            for (((o, &c), &a), &b) in out.iter_mut().zip(args[0]).zip(args[1]).zip(args[2]) {
                *o = (c & a) | (!c & b);
            }
        }
        _ => return false,
    }
    if let Some(last) = out.last_mut() {
        *last &= last_word_mask(n);
    }
    true
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
    Fingerprint(finish(a), finish(b))
}

/// The 64-bit finalizer of MurmurHash3: every input bit affects every output bit, so short
/// columns (one packed word) still spread over the whole table.
#[inline]
fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
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

    #[test]
    fn packed_ops_match_the_semantics_on_bits() {
        // 70 points: two words, the second partly used.
        let n = 70;
        let a: Vec<u64> = (0..n).map(|i| (i * 7 / 3) as u64 & 1).collect();
        let b: Vec<u64> = (0..n).map(|i| (i * 5 / 2 + 1) as u64 & 1).collect();
        let mut pa = vec![0u64; 2];
        let mut pb = vec![0u64; 2];
        pack(&a, &mut pa);
        pack(&b, &mut pb);
        for &op in Opcode::ALL {
            let mut out = vec![0u64; 2];
            let args: Vec<&[u64]> = match op.arity() {
                1 => vec![&pa],
                2 => vec![&pa, &pb],
                _ => continue,
            };
            if !packed(op, &args, n, &mut out) {
                continue;
            }
            let mut expected = vec![0u64; n];
            match op.shape() {
                Shape::Unary => unary(op, Type::I1, &a, &mut expected),
                Shape::Binary => binary(op, Type::I1, &a, &b, &mut expected),
                Shape::Compare => compare(op, Type::I1, &a, &b, &mut expected),
                _ => unreachable!(),
            }
            let mut packed_expected = vec![0u64; 2];
            pack(&expected, &mut packed_expected);
            assert_eq!(out, packed_expected, "{op}");
        }
    }
}
