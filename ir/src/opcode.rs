//! The IR's opcodes and their static properties (arity, how the result type is found).
//!
//! Every opcode is one row of the semantics table in `docs/semantics.md`; [`crate::semantics`] gives the
//! meaning, this module only the shape.

use std::fmt;
use std::str::FromStr;

/// How an opcode's operands and result are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// `iconst.T c`: no operands, an immediate, result type named by the opcode suffix.
    Const,
    /// One operand, result of the same type (`neg not popcnt clz ctz`).
    Unary,
    /// Two operands of one type, result of that type.
    Binary,
    /// Two operands of one type, result `i1`.
    Compare,
    /// `select c, a, b`: `c: i1`, `a` and `b` of one type, result of that type.
    Select,
    /// One operand, result type named by the opcode suffix (`zext sext trunc`).
    Cast,
}

macro_rules! opcodes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $shape:ident;)*) => {
        /// An IR operation. See `docs/semantics.md` for the semantics of each.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Opcode {
            $($(#[$doc])* $variant,)*
        }

        impl Opcode {
            /// Every opcode, in table order.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$variant,)*];

            /// The opcode's text spelling (`add`, `iconst`, ...).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Opcode::$variant => $name,)*
                }
            }

            /// How the opcode's operands and result are typed.
            pub const fn shape(self) -> Shape {
                match self {
                    $(Opcode::$variant => Shape::$shape,)*
                }
            }
        }

        impl FromStr for Opcode {
            type Err = UnknownOpcode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok(Opcode::$variant),)*
                    _ => Err(UnknownOpcode(s.to_string())),
                }
            }
        }
    };
}

opcodes! {
    /// Constant of the suffix type.
    Iconst = "iconst", Const;
    /// Wrapping addition.
    Add = "add", Binary;
    /// Wrapping subtraction.
    Sub = "sub", Binary;
    /// Wrapping multiplication (low bits).
    Mul = "mul", Binary;
    /// Two's-complement negation.
    Neg = "neg", Unary;
    /// Unsigned division; `x / 0` is all ones.
    Udiv = "udiv", Binary;
    /// Unsigned remainder; `x % 0` is `x`.
    Urem = "urem", Binary;
    /// Signed truncating division; see the table for `/ 0` and `MIN / -1`.
    Sdiv = "sdiv", Binary;
    /// Signed remainder (sign of the dividend); `x % 0` is `x`.
    Srem = "srem", Binary;
    /// Bitwise and.
    And = "and", Binary;
    /// Bitwise or.
    Or = "or", Binary;
    /// Bitwise exclusive or.
    Xor = "xor", Binary;
    /// Bitwise complement.
    Not = "not", Unary;
    /// Shift left; amounts `>= width` give 0.
    Shl = "shl", Binary;
    /// Logical shift right; amounts `>= width` give 0.
    Lshr = "lshr", Binary;
    /// Arithmetic shift right; amounts `>= width` give all sign bits.
    Ashr = "ashr", Binary;
    /// Rotate left by the amount modulo the width.
    Rotl = "rotl", Binary;
    /// Rotate right by the amount modulo the width.
    Rotr = "rotr", Binary;
    /// Equal.
    Eq = "eq", Compare;
    /// Not equal.
    Ne = "ne", Compare;
    /// Unsigned less than.
    Ult = "ult", Compare;
    /// Unsigned less or equal.
    Ule = "ule", Compare;
    /// Unsigned greater than.
    Ugt = "ugt", Compare;
    /// Unsigned greater or equal.
    Uge = "uge", Compare;
    /// Signed less than.
    Slt = "slt", Compare;
    /// Signed less or equal.
    Sle = "sle", Compare;
    /// Signed greater than.
    Sgt = "sgt", Compare;
    /// Signed greater or equal.
    Sge = "sge", Compare;
    /// `select c, a, b` is `c ? a : b`.
    Select = "select", Select;
    /// Zero extension to the suffix type.
    Zext = "zext", Cast;
    /// Sign extension to the suffix type.
    Sext = "sext", Cast;
    /// Truncation to the suffix type.
    Trunc = "trunc", Cast;
    /// Number of one bits.
    Popcnt = "popcnt", Unary;
    /// Count of leading zero bits; `clz 0` is the width.
    Clz = "clz", Unary;
    /// Count of trailing zero bits; `ctz 0` is the width.
    Ctz = "ctz", Unary;
}

impl Opcode {
    /// Number of value operands.
    pub const fn arity(self) -> usize {
        match self.shape() {
            Shape::Const => 0,
            Shape::Unary | Shape::Cast => 1,
            Shape::Binary | Shape::Compare => 2,
            Shape::Select => 3,
        }
    }

    /// True if the text format writes the result type after the opcode (`iconst.i32`).
    pub const fn has_type_suffix(self) -> bool {
        matches!(self.shape(), Shape::Const | Shape::Cast)
    }

    /// True for binary operations where `op a b == op b a`.
    pub const fn is_commutative(self) -> bool {
        matches!(self, Opcode::Add | Opcode::Mul | Opcode::And | Opcode::Or | Opcode::Xor | Opcode::Eq | Opcode::Ne)
    }
}

impl fmt::Display for Opcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error returned when a string does not name an opcode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown opcode `{0}`")]
pub struct UnknownOpcode(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &op in Opcode::ALL {
            assert_eq!(op.name().parse::<Opcode>(), Ok(op));
        }
        assert_eq!(Opcode::ALL.len(), 35);
    }
}
