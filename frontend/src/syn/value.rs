//! Values as the source language writes them: `iN` signed, `uN` unsigned, `bool` as
//! `true`/`false`. Used for examples in messages and by the command line (`synth eval`).

use ir::SourceType;

/// Formats masked bits of type `ty`: signed decimal for `iN`, unsigned for `uN`, `true`/`false`.
pub fn format_value(bits: u64, ty: SourceType) -> String {
    if ty.ty.is_bool() {
        if bits & 1 == 1 { "true" } else { "false" }.to_string()
    } else if ty.signed {
        ty.ty.to_signed(bits).to_string()
    } else {
        ty.ty.wrap(bits).to_string()
    }
}

/// Parses a value of type `ty` with the rules of literals: `true`/`false` for `bool`; decimal
/// in the type's range (`-5` for `i32`, no negatives for `uN`); `0x`/`0b` for any bit pattern
/// of the width; `_` separators. Returns the masked bits or a message.
pub fn parse_value(text: &str, ty: SourceType) -> Result<u64, String> {
    if ty.ty.is_bool() {
        return match text {
            "true" => Ok(1),
            "false" => Ok(0),
            _ => Err(format!("`{text}` is not a bool (write true or false)")),
        };
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let digits = body.replace('_', "");
    let (radix, digits) = if let Some(d) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        (16, d.to_string())
    } else if let Some(d) = digits.strip_prefix("0b").or_else(|| digits.strip_prefix("0B")) {
        (2, d.to_string())
    } else {
        (10, digits)
    };
    if digits.is_empty() || digits.starts_with('+') || digits.starts_with('-') {
        return Err(format!("`{text}` is not an integer (use decimal, 0x hex or 0b binary)"));
    }
    let magnitude = u128::from_str_radix(&digits, radix)
        .map_err(|_| format!("`{text}` is not an integer (use decimal, 0x hex or 0b binary)"))?;
    let w = ty.ty.width();
    let mask = u128::from(ty.ty.mask());
    let fits = if negative {
        ty.signed && magnitude <= 1u128 << (w - 1)
    } else if ty.signed && radix == 10 {
        magnitude <= mask >> 1
    } else {
        magnitude <= mask
    };
    if !fits {
        let range = if ty.signed {
            format!("{}..={}", -(1i128 << (w - 1)), (1i128 << (w - 1)) - 1)
        } else {
            format!("0..={mask}")
        };
        return Err(format!("`{text}` does not fit in {ty} ({range})"));
    }
    let m = magnitude as u64;
    Ok(ty.ty.wrap(if negative { m.wrapping_neg() } else { m }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ir::Type;

    #[test]
    fn parses_by_source_type() {
        let i32t = SourceType::signed(Type::I32);
        let u8t = SourceType::unsigned(Type::I8);
        assert_eq!(parse_value("-5", i32t), Ok(0xffff_fffb));
        assert_eq!(parse_value("-2147483648", i32t), Ok(0x8000_0000));
        assert_eq!(parse_value("0xffff_ffff", i32t), Ok(0xffff_ffff));
        assert!(parse_value("2147483648", i32t).is_err());
        assert!(parse_value("-2147483649", i32t).is_err());
        assert_eq!(parse_value("255", u8t), Ok(255));
        assert!(parse_value("256", u8t).is_err());
        assert!(parse_value("-1", u8t).is_err());
        assert!(parse_value("--1", i32t).is_err());
        assert!(parse_value("+1", i32t).is_err());
        assert!(parse_value("x", i32t).is_err());
        assert_eq!(parse_value("true", SourceType::BOOL), Ok(1));
        assert!(parse_value("1", SourceType::BOOL).is_err());
    }

    #[test]
    fn formats_by_source_type() {
        assert_eq!(format_value(0xff, SourceType::signed(Type::I8)), "-1");
        assert_eq!(format_value(0xff, SourceType::unsigned(Type::I8)), "255");
        assert_eq!(format_value(1, SourceType::BOOL), "true");
    }
}
