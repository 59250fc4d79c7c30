//! Parsing and printing function arguments and results on the command line.

use ir::Type;

/// Parses one argument for a parameter of type `ty`: decimal (a negative number wraps to the
/// width), or `0x` hex / `0b` binary. Returns the masked bits or a message naming the problem.
pub fn parse_arg(text: &str, ty: Type) -> Result<u64, String> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let body = body.replace('_', "");
    let magnitude = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        u128::from_str_radix(hex, 16)
    } else if let Some(bin) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        u128::from_str_radix(bin, 2)
    } else {
        body.parse::<u128>()
    }
    .map_err(|_| format!("`{text}` is not an integer (use decimal, 0x hex or 0b binary)"))?;
    let fits = if negative { magnitude <= u128::from(ty.signed_min()) } else { magnitude <= u128::from(ty.mask()) };
    if !fits {
        return Err(format!("`{text}` does not fit in {ty}"));
    }
    Ok(if negative { ty.wrap((magnitude as u64).wrapping_neg()) } else { magnitude as u64 })
}

/// Formats a result: unsigned decimal, or signed decimal with `signed` (`i1` prints 0 or 1).
pub fn format_result(bits: u64, ty: Type, signed: bool) -> String {
    if signed && !ty.is_bool() { ty.to_signed(bits).to_string() } else { bits.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arguments() {
        assert_eq!(parse_arg("-1", Type::I32), Ok(0xffff_ffff));
        assert_eq!(parse_arg("0xff", Type::I8), Ok(255));
        assert_eq!(parse_arg("0b101", Type::I8), Ok(5));
        assert_eq!(parse_arg("-128", Type::I8), Ok(0x80));
        assert!(parse_arg("-129", Type::I8).is_err());
        assert!(parse_arg("256", Type::I8).is_err());
        assert!(parse_arg("abc", Type::I8).is_err());
        assert!(parse_arg("2", Type::I1).is_err());
    }

    #[test]
    fn formats_results() {
        assert_eq!(format_result(0xff, Type::I8, true), "-1");
        assert_eq!(format_result(0xff, Type::I8, false), "255");
        assert_eq!(format_result(1, Type::I1, true), "1");
    }
}
