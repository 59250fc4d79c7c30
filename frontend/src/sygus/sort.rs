//! Sorts (`Bool`, `(_ BitVec N)`) and literals (`#x..`, `#b..`, `(_ bvN W)`, `true`, `false`).

use ir::{Sort, Type};

use super::error::{Result, SygusError};
use super::sexp::{Kind, SExp};

/// Reads a numeral (an index, a width, a literal's digits).
pub(crate) fn numeral(e: &SExp) -> Result<u64> {
    match &e.kind {
        Kind::Numeral(digits) => {
            digits.parse::<u64>().map_err(|_| SygusError::unsupported(e.loc, format!("numeral {digits} (too large)")))
        }
        _ => Err(SygusError::syntax(e.loc, format!("expected a numeral, found {}", e.describe()))),
    }
}

/// Checks a bit-vector width written at `e`.
fn width(e: &SExp, w: u64) -> Result<u32> {
    if w == 0 {
        return Err(SygusError::sort(e.loc, "a bit-vector width must be at least 1"));
    }
    if w > u64::from(Type::MAX_WIDTH) {
        return Err(SygusError::unsupported(e.loc, format!("(_ BitVec {w}) (widths above 64)")));
    }
    Ok(w as u32)
}

/// Reads a sort.
pub(crate) fn parse_sort(e: &SExp) -> Result<Sort> {
    match &e.kind {
        Kind::Symbol(s) if s == "Bool" => Ok(Sort::Bool),
        Kind::Symbol(s) => Err(SygusError::unsupported(e.loc, format!("sort {s}"))),
        Kind::List(items) => match items.as_slice() {
            [u, bv, n] if u.symbol() == Some("_") && bv.symbol() == Some("BitVec") => {
                Ok(Sort::BitVec(width(e, numeral(n)?)?))
            }
            _ => Err(SygusError::unsupported(e.loc, format!("sort {e}"))),
        },
        _ => Err(SygusError::syntax(e.loc, format!("expected a sort, found {}", e.describe()))),
    }
}

/// Reads a literal, or returns `None` if `e` is not one. Values are masked bits; `true` is 1.
pub(crate) fn literal(e: &SExp) -> Option<Result<(Sort, u64)>> {
    let digits_literal = |digits: &str, bits_per_digit: u32, radix: u32| {
        let w = digits.len() as u64 * u64::from(bits_per_digit);
        let w = width(e, w)?;
        let value =
            u64::from_str_radix(digits, radix).map_err(|_| SygusError::syntax(e.loc, format!("bad literal {e}")))?;
        Ok((Sort::BitVec(w), value))
    };
    match &e.kind {
        Kind::Hex(s) => Some(digits_literal(&s[2..], 4, 16)),
        Kind::Binary(s) => Some(digits_literal(&s[2..], 1, 2)),
        Kind::Symbol(s) if s == "true" => Some(Ok((Sort::Bool, 1))),
        Kind::Symbol(s) if s == "false" => Some(Ok((Sort::Bool, 0))),
        Kind::List(items) => match items.as_slice() {
            [u, bv, w] if u.symbol() == Some("_") => {
                let name = bv.symbol()?;
                let decimal = name.strip_prefix("bv")?;
                if decimal.is_empty() || !decimal.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                Some(numeral(w).and_then(|n| width(w, n)).map(|w| {
                    // The value is taken modulo 2^w; wrapping arithmetic modulo 2^64 agrees.
                    let v = decimal.bytes().fold(0u64, |acc, d| acc.wrapping_mul(10).wrapping_add(u64::from(d - b'0')));
                    let sort = Sort::BitVec(w);
                    (sort, sort.ty().wrap(v))
                }))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The SMT-LIB text of a constant: `true`/`false` for `Bool`, `#x` digits when the width is a
/// multiple of 4, `#b` digits otherwise.
pub fn literal_text(sort: Sort, bits: u64) -> String {
    match sort {
        Sort::Bool => (if bits & 1 != 0 { "true" } else { "false" }).to_string(),
        Sort::BitVec(w) => {
            let bits = sort.ty().wrap(bits);
            if w % 4 == 0 {
                format!("#x{:0width$x}", bits, width = (w / 4) as usize)
            } else {
                format!("#b{:0width$b}", bits, width = w as usize)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sygus::sexp::read_all;

    fn one(text: &str) -> SExp {
        read_all(text).unwrap().remove(0)
    }

    #[test]
    fn sorts() {
        assert_eq!(parse_sort(&one("Bool")).unwrap(), Sort::Bool);
        assert_eq!(parse_sort(&one("(_ BitVec 64)")).unwrap(), Sort::BitVec(64));
        assert!(matches!(parse_sort(&one("(_ BitVec 128)")), Err(SygusError::Unsupported { .. })));
        assert!(matches!(parse_sort(&one("Int")), Err(SygusError::Unsupported { .. })));
        assert!(matches!(parse_sort(&one("(_ BitVec 0)")), Err(SygusError::Sort { .. })));
    }

    #[test]
    fn literals() {
        let lit = |t: &str| literal(&one(t)).unwrap().unwrap();
        assert_eq!(lit("#x0F"), (Sort::BitVec(8), 15));
        assert_eq!(lit("#b101"), (Sort::BitVec(3), 5));
        assert_eq!(lit("(_ bv300 8)"), (Sort::BitVec(8), 44));
        assert_eq!(lit("(_ bv18446744073709551617 64)"), (Sort::BitVec(64), 1));
        assert_eq!(lit("true"), (Sort::Bool, 1));
        assert!(literal(&one("x")).is_none());
        assert!(literal(&one(&format!("#x{}", "0".repeat(17)))).unwrap().is_err());
    }

    #[test]
    fn literal_texts() {
        assert_eq!(literal_text(Sort::BitVec(32), 1), "#x00000001");
        assert_eq!(literal_text(Sort::BitVec(3), 5), "#b101");
        assert_eq!(literal_text(Sort::BitVec(64), u64::MAX), "#xffffffffffffffff");
        assert_eq!(literal_text(Sort::Bool, 0), "false");
    }
}
