//! The `.syn` lexer: tokens (a `logos` state machine) and the token stream the parser reads.
//!
//! Invariants: every byte of the input is either skipped (white space, `//` comments) or inside
//! exactly one token; a character or literal the lexer cannot read becomes a [`Tok::Error`]
//! token plus an entry in the lexer's error list, so the parser can recover and the error is
//! reported once (the parser does not report again on an error token).

use std::fmt;

use logos::Logos;

use super::ast::{IntLit, Span};
use super::diag::{ErrorKind, SynError};

/// Why a piece of input is not a token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LexError {
    /// A character that starts no token.
    #[default]
    UnexpectedChar,
    /// A malformed integer literal (the message says what is wrong).
    BadInteger(String),
}

/// A token of the `.syn` language.
#[derive(Logos, Debug, Clone, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n\f]+")]
#[logos(skip(r"//[^\n]*", allow_greedy = true))]
#[logos(error = LexError)]
pub enum Tok {
    /// `fn`
    #[token("fn")]
    Fn,
    /// `synth`
    #[token("synth")]
    Synth,
    #[token("repair")]
    Repair,
    /// `let`
    #[token("let")]
    Let,
    /// `if`
    #[token("if")]
    If,
    /// `else`
    #[token("else")]
    Else,
    /// `as`
    #[token("as")]
    As,
    /// `true`
    #[token("true")]
    True,
    /// `false`
    #[token("false")]
    False,
    /// `equiv`
    #[token("equiv")]
    Equiv,
    /// `requires`
    #[token("requires")]
    Requires,
    /// `ensures`
    #[token("ensures")]
    Ensures,
    /// `example`
    #[token("example")]
    Example,
    /// `using`
    #[token("using")]
    Using,
    /// `cost`
    #[token("cost")]
    Cost,
    /// `semantics`
    #[token("semantics")]
    Semantics,
    /// `timeout`
    #[token("timeout")]
    Timeout,
    /// `max_size`
    #[token("max_size")]
    MaxSize,
    /// `(`
    #[token("(")]
    LParen,
    /// `)`
    #[token(")")]
    RParen,
    /// `{`
    #[token("{")]
    LBrace,
    /// `}`
    #[token("}")]
    RBrace,
    /// `,`
    #[token(",")]
    Comma,
    /// `;`
    #[token(";")]
    Semi,
    /// `:`
    #[token(":")]
    Colon,
    /// `->`
    #[token("->")]
    Arrow,
    /// `=`
    #[token("=")]
    Assign,
    /// `==`
    #[token("==")]
    EqEq,
    /// `!=`
    #[token("!=")]
    NotEq,
    /// `<`
    #[token("<")]
    Lt,
    /// `<=`
    #[token("<=")]
    Le,
    /// `>`
    #[token(">")]
    Gt,
    /// `>=`
    #[token(">=")]
    Ge,
    /// `+`
    #[token("+")]
    Plus,
    /// `-`
    #[token("-")]
    Minus,
    /// `*`
    #[token("*")]
    Star,
    /// `/`
    #[token("/")]
    Slash,
    /// `%`
    #[token("%")]
    Percent,
    /// `<<`
    #[token("<<")]
    Shl,
    /// `>>`
    #[token(">>")]
    Shr,
    /// `&`
    #[token("&")]
    Amp,
    /// `^`
    #[token("^")]
    Caret,
    /// `|`
    #[token("|")]
    Pipe,
    /// `&&`
    #[token("&&")]
    AndAnd,
    /// `||`
    #[token("||")]
    OrOr,
    /// `!`
    #[token("!")]
    Bang,
    /// An identifier (also type names, opcode names, `result`, builtins).
    #[regex("[A-Za-z_][A-Za-z0-9_]*", |lex| lex.slice().to_string())]
    Ident(String),
    /// An integer literal, possibly with a suffix (`5u8`, `30s`).
    #[regex("[0-9][0-9A-Za-z_]*", |lex| int_literal(lex.slice()))]
    Int(IntLit),
    /// Input the lexer could not read (already reported by the lexer).
    Error,
}

/// Reads an integer literal: `0x` hex, `0b` binary or decimal digits with `_` separators,
/// then an optional suffix that starts with a letter that is not a digit of the base.
fn int_literal(text: &str) -> Result<IntLit, LexError> {
    let (radix, body) = if let Some(rest) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        (16, rest)
    } else if let Some(rest) = text.strip_prefix("0b").or_else(|| text.strip_prefix("0B")) {
        (2, rest)
    } else {
        (10, text)
    };
    let digits_end = body.find(|c: char| !(c == '_' || c.is_digit(radix))).unwrap_or(body.len());
    let (digits, suffix) = body.split_at(digits_end);
    let base = match radix {
        16 => "hexadecimal",
        2 => "binary",
        _ => "decimal",
    };
    if !suffix.is_empty() && !suffix.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(LexError::BadInteger(format!("invalid digit `{}` in {base} literal `{text}`", &suffix[..1])));
    }
    let mut value: u128 = 0;
    let mut any = false;
    for c in digits.chars() {
        if let Some(d) = c.to_digit(radix) {
            any = true;
            value = value
                .checked_mul(u128::from(radix))
                .and_then(|v| v.checked_add(u128::from(d)))
                .ok_or_else(|| LexError::BadInteger(format!("integer literal `{text}` is too large")))?;
        }
    }
    if !any {
        return Err(LexError::BadInteger(format!("{base} literal `{text}` has no digits")));
    }
    let suffix = (!suffix.is_empty()).then(|| suffix.to_string());
    Ok(IntLit { value, radix, suffix })
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Tok::Ident(name) => return write!(f, "identifier `{name}`"),
            Tok::Int(lit) => return write!(f, "integer `{lit}`"),
            Tok::Error => return f.write_str("unreadable input"),
            Tok::Fn => "fn",
            Tok::Synth => "synth",
            Tok::Repair => "repair",
            Tok::Let => "let",
            Tok::If => "if",
            Tok::Else => "else",
            Tok::As => "as",
            Tok::True => "true",
            Tok::False => "false",
            Tok::Equiv => "equiv",
            Tok::Requires => "requires",
            Tok::Ensures => "ensures",
            Tok::Example => "example",
            Tok::Using => "using",
            Tok::Cost => "cost",
            Tok::Semantics => "semantics",
            Tok::Timeout => "timeout",
            Tok::MaxSize => "max_size",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::Comma => ",",
            Tok::Semi => ";",
            Tok::Colon => ":",
            Tok::Arrow => "->",
            Tok::Assign => "=",
            Tok::EqEq => "==",
            Tok::NotEq => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            Tok::Percent => "%",
            Tok::Shl => "<<",
            Tok::Shr => ">>",
            Tok::Amp => "&",
            Tok::Caret => "^",
            Tok::Pipe => "|",
            Tok::AndAnd => "&&",
            Tok::OrOr => "||",
            Tok::Bang => "!",
        };
        write!(f, "`{text}`")
    }
}

/// The token stream of `source` in the shape the LALRPOP parser reads (`(start, token, end)`),
/// with the lexical errors collected into `errors` (each also yields one [`Tok::Error`]).
pub fn tokens<'s>(source: &'s str, errors: &'s mut Vec<SynError>) -> impl Iterator<Item = Spanned> + 's {
    Tok::lexer(source).spanned().map(move |(result, range)| {
        let tok = match result {
            Ok(tok) => tok,
            Err(e) => {
                let span = Span::new(range.start, range.end);
                let message = match e {
                    LexError::UnexpectedChar => {
                        let c = source.get(range.clone()).and_then(|s| s.chars().next()).unwrap_or('?');
                        format!("unexpected character `{}`", c.escape_debug())
                    }
                    LexError::BadInteger(message) => message,
                };
                errors.push(SynError::new(ErrorKind::Lex, span, message));
                Tok::Error
            }
        };
        Ok((range.start, tok, range.end))
    })
}

/// One item of the parser's input: a located token (the lexer itself never fails).
pub type Spanned = Result<(usize, Tok, usize), std::convert::Infallible>;

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(text: &str) -> (Vec<Tok>, Vec<SynError>) {
        let mut errors = Vec::new();
        let toks = tokens(text, &mut errors).map(|t| t.map(|t| t.1)).collect::<Result<Vec<_>, _>>();
        (toks.unwrap_or_default(), errors)
    }

    #[test]
    fn integer_literals() {
        let lit =
            |v: u128, radix: u32, s: Option<&str>| Tok::Int(IntLit { value: v, radix, suffix: s.map(String::from) });
        assert_eq!(
            lex("1_000 0xff_FF 0b1010 30s 5u8 0xffu8").0,
            vec![
                lit(1000, 10, None),
                lit(0xffff, 16, None),
                lit(10, 2, None),
                lit(30, 10, Some("s")),
                lit(5, 10, Some("u8")),
                lit(0xff, 16, Some("u8")),
            ]
        );
        for bad in ["0x", "0b2", "0b_", "340282366920938463463374607431768211456"] {
            let (toks, errors) = lex(bad);
            assert_eq!(toks, vec![Tok::Error], "{bad}");
            assert_eq!(errors.len(), 1, "{bad}");
        }
    }

    #[test]
    fn operators_keywords_and_comments() {
        let (toks, errors) = lex("fn f(x: i32) -> i32 { x >> 1 << 2 >= 3 && !y } // done\nmax_size");
        assert!(errors.is_empty());
        assert_eq!(toks.len(), 22);
        assert_eq!(toks[0], Tok::Fn);
        assert_eq!(toks[11], Tok::Shr);
        assert_eq!(toks[13], Tok::Shl);
        assert_eq!(toks[15], Tok::Ge);
        assert_eq!(toks[17], Tok::AndAnd);
        assert_eq!(toks[21], Tok::MaxSize);
        let (toks, errors) = lex("a $ b");
        assert_eq!(toks.len(), 3);
        assert_eq!(errors[0].message, "unexpected character `$`");
    }
}
