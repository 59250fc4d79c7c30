//! Lowering an IR function body to Cranelift instructions, with the guards that make native code
//! total and faithful to the semantics table of `docs/semantics.md` (`ir::semantics` is the reference).
//!
//! Invariants kept for every lowered value:
//! - An IR value of width `w` lives in its *carrier*, the narrowest Cranelift integer type with at
//!   least `w` bits (`i8` for `i1..i8`, then `i16`, `i32`, `i64`), as its zero-extended masked bits.
//!   So `i1` is 0 or 1 in an `i8`, and an `i4` is 0..=15 in an `i8`.
//! - Operations that can set bits above `w` (add, sub, mul, neg, not, shl, ashr, sdiv, srem,
//!   rotates, sext, trunc) re-mask; the others cannot leave the range and need no mask.
//! - Signed operations (sdiv, srem, ashr, signed compares, sext) first sign-extend from the true
//!   width inside the carrier.
//! - Nothing traps: division and remainder never see a zero divisor nor `MIN / -1` at the carrier
//!   width, shift amounts are checked against the true width (Cranelift takes them modulo the
//!   carrier width), and clz/ctz/rotates are computed relative to the true width.

use std::collections::HashMap;

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{InstBuilder, Value, types};
use cranelift_frontend::FunctionBuilder;
use ir::{Opcode, Shape, Type};

/// The Cranelift type that carries values of IR type `ty`.
pub(crate) fn carrier(ty: Type) -> types::Type {
    match ty.width() {
        0..=8 => types::I8,
        9..=16 => types::I16,
        17..=32 => types::I32,
        _ => types::I64,
    }
}

/// True if `ty` is narrower than its carrier, so values need masking and sign-extension by hand.
fn is_narrow(ty: Type) -> bool {
    ty.width() < carrier(ty).bits()
}

/// Emits the body of `f` at the builder's current position and returns the value `f` returns.
///
/// `params` are the carrier values of `f`'s parameters, already masked to their types.
///
/// # Panics
/// If `f` does not verify (callers verify first) or `params` has the wrong length.
pub(crate) fn lower_body(b: &mut FunctionBuilder<'_>, f: &ir::Function, params: &[Value]) -> Value {
    assert_eq!(params.len(), f.params.len(), "lower_body: parameter count");
    let mut values: HashMap<ir::Value, (Value, Type)> = HashMap::with_capacity(params.len() + f.body.len());
    for (p, &v) in f.params.iter().zip(params) {
        values.insert(p.value, (v, p.ty));
    }
    let mut l = Lowerer { b };
    for inst in &f.body {
        let operand = |k: usize| values[&inst.args[k]];
        let v = match inst.opcode.shape() {
            Shape::Const => l.constant(inst.ty, inst.imm),
            Shape::Unary => l.unary(inst.opcode, inst.ty, operand(0).0),
            Shape::Binary => l.binary(inst.opcode, inst.ty, operand(0).0, operand(1).0),
            Shape::Compare => {
                let (a, ty) = operand(0);
                l.compare(inst.opcode, ty, a, operand(1).0)
            }
            Shape::Select => l.b.ins().select(operand(0).0, operand(1).0, operand(2).0),
            Shape::Cast => {
                let (a, from) = operand(0);
                l.cast(inst.opcode, from, inst.ty, a)
            }
        };
        values.insert(inst.result, (v, inst.ty));
    }
    values[&f.ret].0
}

/// Emits instructions for one IR type at a time; every method keeps the module invariants.
struct Lowerer<'a, 'b> {
    b: &'a mut FunctionBuilder<'b>,
}

impl Lowerer<'_, '_> {
    /// `bits` (already masked to `ty`) as a carrier constant.
    fn constant(&mut self, ty: Type, bits: u64) -> Value {
        self.b.ins().iconst(carrier(ty), bits as i64)
    }

    /// Keeps the low `ty.width()` bits of a carrier value.
    fn mask(&mut self, ty: Type, v: Value) -> Value {
        if is_narrow(ty) {
            let m = self.constant(ty, ty.mask());
            self.b.ins().band(v, m)
        } else {
            v
        }
    }

    /// Sign-extends a masked value from the true width to the whole carrier.
    fn signed(&mut self, ty: Type, v: Value) -> Value {
        if is_narrow(ty) {
            let s = self.constant(ty, u64::from(carrier(ty).bits() - ty.width()));
            let up = self.b.ins().ishl(v, s);
            self.b.ins().sshr(up, s)
        } else {
            v
        }
    }

    fn icmp_const(&mut self, cc: IntCC, ty: Type, v: Value, bits: u64) -> Value {
        let k = self.constant(ty, bits);
        self.b.ins().icmp(cc, v, k)
    }

    fn unary(&mut self, op: Opcode, ty: Type, a: Value) -> Value {
        match op {
            Opcode::Neg => {
                let r = self.b.ins().ineg(a);
                self.mask(ty, r)
            }
            Opcode::Not => {
                let r = self.b.ins().bnot(a);
                self.mask(ty, r)
            }
            // `a` has no bits above the width, so the carrier's count is the count.
            Opcode::Popcnt => self.b.ins().popcnt(a),
            // Cranelift's clz of 0 is the carrier width; the extra leading zeros of the carrier
            // are subtracted, which also gives `clz 0 = width`.
            Opcode::Clz => {
                let r = self.b.ins().clz(a);
                if is_narrow(ty) {
                    let extra = self.constant(ty, u64::from(carrier(ty).bits() - ty.width()));
                    self.b.ins().isub(r, extra)
                } else {
                    r
                }
            }
            // A sentinel bit just above the width makes `ctz 0 = width` without a branch.
            Opcode::Ctz => {
                if is_narrow(ty) {
                    let sentinel = self.b.ins().iconst(carrier(ty), 1i64 << ty.width());
                    let a = self.b.ins().bor(a, sentinel);
                    self.b.ins().ctz(a)
                } else {
                    self.b.ins().ctz(a)
                }
            }
            _ => unreachable!("{op} is not unary"),
        }
    }

    fn binary(&mut self, op: Opcode, ty: Type, a: Value, b: Value) -> Value {
        match op {
            Opcode::Add => {
                let r = self.b.ins().iadd(a, b);
                self.mask(ty, r)
            }
            Opcode::Sub => {
                let r = self.b.ins().isub(a, b);
                self.mask(ty, r)
            }
            Opcode::Mul => {
                let r = self.b.ins().imul(a, b);
                self.mask(ty, r)
            }
            Opcode::And => self.b.ins().band(a, b),
            Opcode::Or => self.b.ins().bor(a, b),
            Opcode::Xor => self.b.ins().bxor(a, b),
            Opcode::Udiv | Opcode::Urem => self.unsigned_division(op, ty, a, b),
            Opcode::Sdiv | Opcode::Srem => self.signed_division(op, ty, a, b),
            Opcode::Shl | Opcode::Lshr | Opcode::Ashr => self.shift(op, ty, a, b),
            Opcode::Rotl | Opcode::Rotr => self.rotate(op, ty, a, b),
            _ => unreachable!("{op} is not binary"),
        }
    }

    /// `udiv x 0 = all ones`, `urem x 0 = x`; a zero divisor is replaced by 1 so nothing traps.
    fn unsigned_division(&mut self, op: Opcode, ty: Type, a: Value, b: Value) -> Value {
        let by_zero = self.icmp_const(IntCC::Equal, ty, b, 0);
        let one = self.constant(ty, 1);
        let divisor = self.b.ins().select(by_zero, one, b);
        if op == Opcode::Udiv {
            let q = self.b.ins().udiv(a, divisor);
            let all_ones = self.constant(ty, ty.mask());
            self.b.ins().select(by_zero, all_ones, q)
        } else {
            let r = self.b.ins().urem(a, divisor);
            self.b.ins().select(by_zero, a, r)
        }
    }

    /// `sdiv x 0 = (x <s 0 ? 1 : -1)`, `srem x 0 = x`, `sdiv MIN -1 = MIN`, `srem MIN -1 = 0`.
    ///
    /// The operands are sign-extended to the carrier. A zero divisor is replaced by 1. For `sdiv`
    /// at a full carrier width, `MIN / -1` (which traps in Cranelift) gets divisor 1 too, which
    /// yields the wrapped answer `MIN`; narrower widths cannot reach the carrier's `MIN`. For `srem`
    /// every `-1` divisor is replaced by 1: `x % -1 = x % 1 = 0` for all `x` (Cranelift's own
    /// `srem` gives 0 for `MIN % -1` too, but the guard keeps this independent of the target).
    fn signed_division(&mut self, op: Opcode, ty: Type, a: Value, b: Value) -> Value {
        let sa = self.signed(ty, a);
        let sb = self.signed(ty, b);
        let by_zero = self.icmp_const(IntCC::Equal, ty, b, 0);
        let by_minus_one = self.icmp_const(IntCC::Equal, ty, b, ty.mask());
        let one = self.constant(ty, 1);
        if op == Opcode::Sdiv {
            let unsafe_divisor = if is_narrow(ty) {
                by_zero
            } else {
                let a_is_min = self.icmp_const(IntCC::Equal, ty, a, ty.signed_min());
                let overflow = self.b.ins().band(a_is_min, by_minus_one);
                self.b.ins().bor(by_zero, overflow)
            };
            let divisor = self.b.ins().select(unsafe_divisor, one, sb);
            let q = self.b.ins().sdiv(sa, divisor);
            let q = self.mask(ty, q);
            let zero = self.constant(ty, 0);
            let negative = self.b.ins().icmp(IntCC::SignedLessThan, sa, zero);
            let all_ones = self.constant(ty, ty.mask());
            let when_zero = self.b.ins().select(negative, one, all_ones);
            self.b.ins().select(by_zero, when_zero, q)
        } else {
            let unsafe_divisor = self.b.ins().bor(by_zero, by_minus_one);
            let divisor = self.b.ins().select(unsafe_divisor, one, sb);
            let r = self.b.ins().srem(sa, divisor);
            let r = self.mask(ty, r);
            self.b.ins().select(by_zero, a, r)
        }
    }

    /// Amounts `>= width` give 0 (`shl`, `lshr`) or all sign bits (`ashr`). Cranelift takes the
    /// amount modulo the carrier width, so the comparison with the true width is explicit.
    fn shift(&mut self, op: Opcode, ty: Type, a: Value, amount: Value) -> Value {
        let w = u64::from(ty.width());
        let over_wide = self.icmp_const(IntCC::UnsignedGreaterThanOrEqual, ty, amount, w);
        match op {
            Opcode::Shl | Opcode::Lshr => {
                let r = if op == Opcode::Shl {
                    let r = self.b.ins().ishl(a, amount);
                    self.mask(ty, r)
                } else {
                    self.b.ins().ushr(a, amount)
                };
                let zero = self.constant(ty, 0);
                self.b.ins().select(over_wide, zero, r)
            }
            _ => {
                let last = self.constant(ty, w - 1);
                let amount = self.b.ins().select(over_wide, last, amount);
                let sa = self.signed(ty, a);
                let r = self.b.ins().sshr(sa, amount);
                self.mask(ty, r)
            }
        }
    }

    /// Rotates by the amount modulo the true width. At a full carrier width (a power of two)
    /// Cranelift's own rotate already takes the amount modulo the width; narrower widths build the
    /// rotate from two shifts, which cannot be over-wide because `width < carrier width`.
    fn rotate(&mut self, op: Opcode, ty: Type, a: Value, amount: Value) -> Value {
        let w = ty.width();
        if w == 1 {
            return a;
        }
        if !is_narrow(ty) {
            return if op == Opcode::Rotl { self.b.ins().rotl(a, amount) } else { self.b.ins().rotr(a, amount) };
        }
        let r = if w.is_power_of_two() {
            let m = self.constant(ty, u64::from(w - 1));
            self.b.ins().band(amount, m)
        } else if carrier(ty).bits() < 32 {
            // Cranelift turns a remainder by a constant into a multiplication only at 32 and 64 bits.
            let wide = self.b.ins().uextend(types::I32, amount);
            let width = self.b.ins().iconst(types::I32, i64::from(w));
            let r = self.b.ins().urem(wide, width);
            self.b.ins().ireduce(carrier(ty), r)
        } else {
            let width = self.constant(ty, u64::from(w));
            self.b.ins().urem(amount, width)
        };
        let width = self.constant(ty, u64::from(w));
        let complement = self.b.ins().isub(width, r);
        let (left, right) = if op == Opcode::Rotl { (r, complement) } else { (complement, r) };
        let hi = self.b.ins().ishl(a, left);
        let lo = self.b.ins().ushr(a, right);
        let both = self.b.ins().bor(hi, lo);
        self.mask(ty, both)
    }

    /// Compares operands of type `ty`; the result is an `i1` carrier (0 or 1 in an `i8`).
    fn compare(&mut self, op: Opcode, ty: Type, a: Value, b: Value) -> Value {
        let (cc, signed) = match op {
            Opcode::Eq => (IntCC::Equal, false),
            Opcode::Ne => (IntCC::NotEqual, false),
            Opcode::Ult => (IntCC::UnsignedLessThan, false),
            Opcode::Ule => (IntCC::UnsignedLessThanOrEqual, false),
            Opcode::Ugt => (IntCC::UnsignedGreaterThan, false),
            Opcode::Uge => (IntCC::UnsignedGreaterThanOrEqual, false),
            Opcode::Slt => (IntCC::SignedLessThan, true),
            Opcode::Sle => (IntCC::SignedLessThanOrEqual, true),
            Opcode::Sgt => (IntCC::SignedGreaterThan, true),
            Opcode::Sge => (IntCC::SignedGreaterThanOrEqual, true),
            _ => unreachable!("{op} is not a comparison"),
        };
        if signed {
            let sa = self.signed(ty, a);
            let sb = self.signed(ty, b);
            self.b.ins().icmp(cc, sa, sb)
        } else {
            self.b.ins().icmp(cc, a, b)
        }
    }

    fn cast(&mut self, op: Opcode, from: Type, to: Type, a: Value) -> Value {
        let (src, dst) = (carrier(from), carrier(to));
        match op {
            // Masked bits are already zero-extended within the carrier.
            Opcode::Zext => {
                if dst == src {
                    a
                } else {
                    self.b.ins().uextend(dst, a)
                }
            }
            Opcode::Sext => {
                let sa = self.signed(from, a);
                let wide = if dst == src { sa } else { self.b.ins().sextend(dst, sa) };
                self.mask(to, wide)
            }
            Opcode::Trunc => {
                let narrow = if dst == src { a } else { self.b.ins().ireduce(dst, a) };
                self.mask(to, narrow)
            }
            _ => unreachable!("{op} is not a cast"),
        }
    }
}
