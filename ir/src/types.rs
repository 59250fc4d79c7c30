//! Bit-vector types of the IR.
//!
//! A [`Type`] is a bit width between 1 and 64. `i1` doubles as the boolean type (compares produce it,
//! `select` consumes it). `i1 i8 i16 i32 i64` are the usual widths; other widths (`i4`, `i12`, ...)
//! are accepted too because SyGuS problems use them, and every layer (interpreter, Z3 encoding, native
//! code) treats them with the same masked-bits semantics (`docs/semantics.md`).
//!
//! Values are carried as `u64` holding the value's bits zero-extended ("masked bits").

use std::fmt;
use std::str::FromStr;

/// An integer (bit-vector) type of width 1..=64.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Type(u8);

impl Type {
    /// The boolean / 1-bit type.
    pub const I1: Type = Type(1);
    /// 8-bit integers.
    pub const I8: Type = Type(8);
    /// 16-bit integers.
    pub const I16: Type = Type(16);
    /// 32-bit integers.
    pub const I32: Type = Type(32);
    /// 64-bit integers.
    pub const I64: Type = Type(64);
    /// The largest supported width.
    pub const MAX_WIDTH: u32 = 64;

    /// The type of the given width, if it is in 1..=64.
    pub const fn new(width: u32) -> Option<Type> {
        if width >= 1 && width <= Self::MAX_WIDTH { Some(Type(width as u8)) } else { None }
    }

    /// Width in bits.
    pub const fn width(self) -> u32 {
        self.0 as u32
    }

    /// True for `i1`.
    pub const fn is_bool(self) -> bool {
        self.0 == 1
    }

    /// True for the widths native machines have registers for (`i1 i8 i16 i32 i64`).
    pub const fn is_standard(self) -> bool {
        matches!(self.0, 1 | 8 | 16 | 32 | 64)
    }

    /// All ones in the low `width` bits.
    pub const fn mask(self) -> u64 {
        if self.0 == 64 { u64::MAX } else { (1u64 << self.0) - 1 }
    }

    /// Keeps the low `width` bits of `bits`.
    pub const fn wrap(self, bits: u64) -> u64 {
        bits & self.mask()
    }

    /// The sign bit (the most significant bit of the width).
    pub const fn sign_bit(self) -> u64 {
        1u64 << (self.0 - 1)
    }

    /// Bits of the most negative signed value (`MIN`).
    pub const fn signed_min(self) -> u64 {
        self.sign_bit()
    }

    /// Bits of the most positive signed value (`MAX`).
    pub const fn signed_max(self) -> u64 {
        self.mask() >> 1
    }

    /// Interprets masked bits as a signed number.
    pub const fn to_signed(self, bits: u64) -> i64 {
        let shift = 64 - self.0 as u32;
        ((bits << shift) as i64) >> shift
    }

    /// True if the sign bit of `bits` is set.
    pub const fn is_negative(self, bits: u64) -> bool {
        bits & self.sign_bit() != 0
    }

    /// The standard types, narrowest first.
    pub const STANDARD: [Type; 5] = [Type::I1, Type::I8, Type::I16, Type::I32, Type::I64];
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "i{}", self.0)
    }
}

impl fmt::Debug for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Error returned when a string does not name a type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown type `{0}` (expected i1, i8, i16, i32, i64 or iN with 1 <= N <= 64)")]
pub struct UnknownType(pub String);

impl FromStr for Type {
    type Err = UnknownType;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = s.strip_prefix('i').ok_or_else(|| UnknownType(s.to_string()))?;
        if digits.is_empty() || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(UnknownType(s.to_string()));
        }
        digits.parse::<u32>().ok().and_then(Type::new).ok_or_else(|| UnknownType(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_signs() {
        assert_eq!(Type::I8.mask(), 0xff);
        assert_eq!(Type::I64.mask(), u64::MAX);
        assert_eq!(Type::I1.mask(), 1);
        assert_eq!(Type::I8.to_signed(0xff), -1);
        assert_eq!(Type::I8.to_signed(0x7f), 127);
        assert_eq!(Type::I32.signed_min(), 0x8000_0000);
        assert_eq!(Type::I32.signed_max(), 0x7fff_ffff);
        assert_eq!(Type::new(4).unwrap().to_signed(0x8), -8);
    }

    #[test]
    fn parses_types() {
        assert_eq!("i32".parse::<Type>(), Ok(Type::I32));
        assert_eq!("i4".parse::<Type>().map(Type::width), Ok(4));
        assert!("i0".parse::<Type>().is_err());
        assert!("i65".parse::<Type>().is_err());
        assert!("i08".parse::<Type>().is_err());
        assert!("u32".parse::<Type>().is_err());
    }
}
