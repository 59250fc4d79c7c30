//! Tokens of SMT-LIB / SyGuS-IF text, produced by a `logos` lexer, with 1-based locations.
//!
//! Whitespace and `;` comments are skipped. Quoted symbols `|...|` are returned without their
//! bars, so `|x|` and `x` are the same symbol, as SMT-LIB says. A character that starts no token
//! is a syntax error at its location.

use ir::Location;
use logos::Logos;

use super::error::{Result, SygusError};

/// The kinds of token.
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n\f]+")]
#[logos(skip(r";[^\n]*", allow_greedy = true))]
pub(crate) enum Token {
    /// `(`
    #[token("(")]
    Open,
    /// `)`
    #[token(")")]
    Close,
    /// A decimal numeral such as `32`.
    #[regex(r"[0-9]+")]
    Numeral,
    /// A decimal such as `1.5` (never supported, but lexed to report it well).
    #[regex(r"[0-9]+\.[0-9]+")]
    Decimal,
    /// `#x` followed by hex digits.
    #[regex(r"#x[0-9a-fA-F]+")]
    Hex,
    /// `#b` followed by binary digits.
    #[regex(r"#b[01]+")]
    Binary,
    /// A string literal with `""` as the escaped quote.
    #[regex(r#""([^"]|"")*""#)]
    Str,
    /// A simple symbol.
    #[regex(r"[a-zA-Z~!@$%^&*_+=<>.?/\-][a-zA-Z0-9~!@$%^&*_+=<>.?/\-]*")]
    Symbol,
    /// A quoted symbol `|...|`.
    #[regex(r"\|[^|\\]*\|")]
    QuotedSymbol,
    /// A keyword such as `:named`.
    #[regex(r":[a-zA-Z0-9~!@$%^&*_+=<>.?/\-]+")]
    Keyword,
}

/// One token with its text (without bars for quoted symbols) and location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lexeme<'a> {
    pub token: Token,
    pub text: &'a str,
    pub loc: Location,
}

/// Tracks line and column while moving forward through the text.
struct Cursor<'a> {
    text: &'a str,
    offset: usize,
    loc: Location,
}

impl Cursor<'_> {
    fn advance_to(&mut self, offset: usize) -> Location {
        for c in self.text[self.offset..offset].chars() {
            if c == '\n' {
                self.loc.line += 1;
                self.loc.col = 1;
            } else {
                self.loc.col += 1;
            }
        }
        self.offset = offset;
        self.loc
    }
}

/// Splits `text` into tokens.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Lexeme<'_>>> {
    let mut lexer = Token::lexer(text);
    let mut cursor = Cursor { text, offset: 0, loc: Location { line: 1, col: 1 } };
    let mut out = Vec::new();
    while let Some(token) = lexer.next() {
        let span = lexer.span();
        let loc = cursor.advance_to(span.start);
        let Ok(token) = token else {
            let c = text[span.start..].chars().next().unwrap_or(' ');
            let message = match c {
                '|' => "unterminated quoted symbol".to_string(),
                '"' => "unterminated string".to_string(),
                '#' => "bad literal (expected #x followed by hex digits or #b followed by bits)".to_string(),
                _ => format!("unexpected character `{}`", c.escape_debug()),
            };
            return Err(SygusError::syntax(loc, message));
        };
        let slice = lexer.slice();
        let text = if token == Token::QuotedSymbol { &slice[1..slice.len() - 1] } else { slice };
        out.push(Lexeme { token, text, loc });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_locations() {
        let lexemes = tokenize("(set-logic BV) ; comment\n  (f #x0F #b01 |a b| :named 12)").unwrap();
        let kinds: Vec<Token> = lexemes.iter().map(|l| l.token).collect();
        use Token::*;
        assert_eq!(
            kinds,
            [Open, Symbol, Symbol, Close, Open, Symbol, Hex, Binary, QuotedSymbol, Keyword, Numeral, Close]
        );
        assert_eq!(lexemes[8].text, "a b");
        assert_eq!(lexemes[4].loc, Location { line: 2, col: 3 });
        assert_eq!(lexemes[6].loc, Location { line: 2, col: 6 });
    }

    #[test]
    fn bad_characters_are_located() {
        let err = tokenize("(f\n  #q)").unwrap_err();
        assert_eq!(err.location(), Some(Location { line: 2, col: 3 }));
        assert!(tokenize("(f |open").is_err());
    }
}
