//! S-expressions with locations: the reader's first stage, and the printer that re-prints
//! original terms unchanged (for check scripts and grammar surfaces).
//!
//! The reader is iterative and limits nesting to [`MAX_DEPTH`] so that no input can exhaust the
//! stack of the recursive stages that follow.

use std::fmt;

use ir::Location;

use super::error::{Result, SygusError};
use super::lexer::{Token, tokenize};

/// Deepest list nesting accepted.
pub(crate) const MAX_DEPTH: usize = 1000;

/// What an s-expression is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A symbol (quoted symbols are stored without their bars).
    Symbol(String),
    /// A keyword, with its colon.
    Keyword(String),
    /// A decimal numeral.
    Numeral(String),
    /// A decimal with a fraction.
    Decimal(String),
    /// `#x...`, with the prefix.
    Hex(String),
    /// `#b...`, with the prefix.
    Binary(String),
    /// A string literal, with its quotes and escapes as written.
    Str(String),
    /// A parenthesized list.
    List(Vec<SExp>),
}

/// An s-expression and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SExp {
    pub kind: Kind,
    pub loc: Location,
}

impl SExp {
    /// The symbol's name, if this is a symbol.
    pub fn symbol(&self) -> Option<&str> {
        match &self.kind {
            Kind::Symbol(s) => Some(s),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn list(&self) -> Option<&[SExp]> {
        match &self.kind {
            Kind::List(items) => Some(items),
            _ => None,
        }
    }

    /// The head symbol of a non-empty list whose first item is a symbol.
    pub fn head(&self) -> Option<&str> {
        self.list().and_then(|items| items.first()).and_then(SExp::symbol)
    }

    /// A short description for error messages (`a list`, `symbol x`, ...).
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::List(_) => "a list".to_string(),
            Kind::Symbol(s) => format!("symbol `{s}`"),
            _ => format!("`{self}`"),
        }
    }
}

/// True if `s` can be printed without `|...|` quotes.
pub(crate) fn is_simple_symbol(s: &str) -> bool {
    let special = |c: char| "~!@$%^&*_+=<>.?/-".contains(c);
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || special(c) => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || special(c))
}

/// Writes a symbol, quoting it when it is not simple.
pub(crate) fn symbol_text(s: &str) -> String {
    if is_simple_symbol(s) { s.to_string() } else { format!("|{s}|") }
}

impl fmt::Display for SExp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Symbol(s) => f.write_str(&symbol_text(s)),
            Kind::Keyword(s) | Kind::Numeral(s) | Kind::Decimal(s) | Kind::Hex(s) | Kind::Binary(s) | Kind::Str(s) => {
                f.write_str(s)
            }
            Kind::List(items) => {
                f.write_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// Reads every top-level s-expression of `text`.
pub(crate) fn read_all(text: &str) -> Result<Vec<SExp>> {
    let mut stack: Vec<(Location, Vec<SExp>)> = Vec::new();
    let mut top = Vec::new();
    for lexeme in tokenize(text)? {
        let loc = lexeme.loc;
        let atom = |kind: Kind| SExp { kind, loc };
        let item = match lexeme.token {
            Token::Open => {
                if stack.len() >= MAX_DEPTH {
                    return Err(SygusError::unsupported(loc, format!("lists nested deeper than {MAX_DEPTH} levels")));
                }
                stack.push((loc, Vec::new()));
                continue;
            }
            Token::Close => {
                let Some((open, items)) = stack.pop() else {
                    return Err(SygusError::syntax(loc, "unexpected `)`"));
                };
                SExp { kind: Kind::List(items), loc: open }
            }
            Token::Symbol | Token::QuotedSymbol => atom(Kind::Symbol(lexeme.text.to_string())),
            Token::Keyword => atom(Kind::Keyword(lexeme.text.to_string())),
            Token::Numeral => atom(Kind::Numeral(lexeme.text.to_string())),
            Token::Decimal => atom(Kind::Decimal(lexeme.text.to_string())),
            Token::Hex => atom(Kind::Hex(lexeme.text.to_string())),
            Token::Binary => atom(Kind::Binary(lexeme.text.to_string())),
            Token::Str => atom(Kind::Str(lexeme.text.to_string())),
        };
        match stack.last_mut() {
            Some((_, items)) => items.push(item),
            None => top.push(item),
        }
    }
    if let Some((open, _)) = stack.pop() {
        return Err(SygusError::syntax(open, "this `(` is never closed"));
    }
    Ok(top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_reprints() {
        let text = "(define-fun |f g| ((x (_ BitVec 4))) Bool (= x #b0101)) (check-synth)";
        let items = read_all(text).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].to_string(), "(define-fun |f g| ((x (_ BitVec 4))) Bool (= x #b0101))");
        assert_eq!(items[1].head(), Some("check-synth"));
        assert_eq!(items[1].loc, Location { line: 1, col: 57 });
    }

    #[test]
    fn unbalanced_parentheses_are_errors() {
        assert_eq!(read_all("(a (b)").unwrap_err().location(), Some(Location { line: 1, col: 1 }));
        assert_eq!(read_all("(a))").unwrap_err().location(), Some(Location { line: 1, col: 4 }));
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let deep = "(".repeat(MAX_DEPTH + 1) + &")".repeat(MAX_DEPTH + 1);
        assert!(matches!(read_all(&deep), Err(SygusError::Unsupported { .. })));
        let ok = "(".repeat(MAX_DEPTH) + &")".repeat(MAX_DEPTH);
        assert!(read_all(&ok).is_ok());
    }
}
