//! Text to syntax tree: runs the lexer and the generated LALRPOP parser, and turns every
//! lexical and syntax error (including those the parser recovered from) into a [`SynError`].
//!
//! LALRPOP's error recovery drops tokens one at a time until one fits, and for each it scans
//! the parser's whole stack, copying it for every state that could recover: on a file that is
//! both deeply nested and long, one syntax error could take minutes. So the cost of recovery is
//! estimated from the tokens first ([`recovery_cost`]); above [`MAX_RECOVERY_COST`] the strict
//! parser (the same grammar without recovery, which stops at the first error) reads the file
//! instead, and only its first syntax error is reported. Invariant: parsing takes time linear in
//! the tokens, or bounded by [`MAX_RECOVERY_COST`].

use lalrpop_util::{ErrorRecovery, ParseError};

use super::ast::{File, Span};
use super::diag::{ErrorKind, SynError};
use super::grammar::FileParser;
use super::grammar_strict::FileParser as StrictFileParser;
use super::token::{Spanned, Tok, tokens};

/// The largest [`recovery_cost`] for which the recovering parser is used (about a third of a
/// second of recovery on a 2 GHz machine in the worst case).
pub const MAX_RECOVERY_COST: u64 = 10_000_000_000;

/// Parses `source`; errors are appended to `errors` and the tree keeps `Error` nodes where the
/// parser skipped input.
pub fn parse(source: &str, errors: &mut Vec<SynError>) -> File {
    let mut lex_errors = Vec::new();
    let toks: Vec<_> = tokens(source, &mut lex_errors).collect();
    errors.append(&mut lex_errors);
    let mut recovered: Vec<ErrorRecovery<usize, Tok, std::convert::Infallible>> = Vec::new();
    if recovery_cost(&toks) > MAX_RECOVERY_COST {
        return match StrictFileParser::new().parse(&mut recovered, toks) {
            Ok(file) => file,
            Err(e) => {
                let note = "only the first syntax error is reported: recovering from errors in a file this large and deeply nested would be slow";
                errors.extend(syntax_error(e, source.len()).map(|e| e.with_note(note)));
                File::default()
            }
        };
    }
    let result = FileParser::new().parse(&mut recovered, toks);
    for r in recovered {
        errors.extend(syntax_error(r.error, source.len()));
    }
    match result {
        Ok(file) => file,
        Err(e) => {
            errors.extend(syntax_error(e, source.len()));
            File::default()
        }
    }
}

/// An upper estimate of the work of error recovery on `toks`, in parser-stack entries visited:
/// (tokens) x (deepest nesting + 1)^2 x 16. Nesting counts open brackets and blocks, `let`s
/// whose value is being read, runs of prefix operators and the `if`s of a statement (a chain
/// `if .. else if ..` nests), each of which can hold about 16 parser states (one per
/// precedence level, and a few more). Recovery scans the stack for each dropped token and
/// copies it for each state that could recover, hence the square.
pub fn recovery_cost(toks: &[Spanned]) -> u64 {
    /// One open bracket: the nesting outside it, and what is open inside it.
    struct Frame {
        below: u64,
        lets: u64,
        chain: u64,
    }
    let mut frames: Vec<Frame> = vec![Frame { below: 0, lets: 0, chain: 0 }];
    let (mut run, mut deepest) = (0u64, 0u64);
    for tok in toks.iter().flatten() {
        let tok = &tok.1;
        run = if matches!(tok, Tok::Minus | Tok::Bang) { run + 1 } else { 0 };
        let open = frames.len();
        let top = frames.last_mut().expect("the outermost frame stays");
        match tok {
            Tok::LParen | Tok::LBrace => {
                let below = top.below + top.lets + top.chain + run + 1;
                frames.push(Frame { below, lets: 0, chain: 0 });
            }
            Tok::RParen | Tok::RBrace if open > 1 => {
                frames.pop();
            }
            Tok::Let => top.lets += 1,
            // Every `if` of a statement counts: a chain `if .. else if ..` nests.
            Tok::If => top.chain += 1,
            Tok::Semi | Tok::Comma => {
                top.lets = top.lets.saturating_sub(1);
                top.chain = 0;
            }
            _ => {}
        }
        let top = frames.last().expect("the outermost frame stays");
        deepest = deepest.max(top.below + top.lets + top.chain + run);
    }
    let n = toks.len() as u64;
    n.saturating_mul((deepest + 1).saturating_mul(deepest + 1)).saturating_mul(16)
}

/// Tokens that can start an expression, summarized as "an expression" in messages.
const EXPRESSION_START: &[&str] = &["-", "!", "(", "{", "if", "identifier", "integer", "true", "false"];
/// Binary operators, summarized as "an operator" in messages.
const OPERATORS: &[&str] =
    &["*", "/", "%", "+", "-", "<<", ">>", "&", "^", "|", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "as"];

/// The error for one parse failure, or `None` when the culprit is a token the lexer already
/// reported.
fn syntax_error(e: ParseError<usize, Tok, std::convert::Infallible>, len: usize) -> Option<SynError> {
    let (span, found, expected) = match e {
        ParseError::UnrecognizedToken { token: (_, Tok::Error, _), .. }
        | ParseError::ExtraToken { token: (_, Tok::Error, _) } => return None,
        ParseError::UnrecognizedToken { token: (l, tok, r), expected } => (Span::new(l, r), tok.to_string(), expected),
        ParseError::ExtraToken { token: (l, tok, r) } => (Span::new(l, r), tok.to_string(), Vec::new()),
        ParseError::UnrecognizedEof { location, expected } => {
            (Span::new(location.min(len), location.min(len)), "end of file".to_string(), expected)
        }
        ParseError::InvalidToken { location } => (Span::new(location, location + 1), "token".to_string(), Vec::new()),
        ParseError::User { error } => match error {},
    };
    let mut names: Vec<String> = expected.iter().map(|s| s.trim_matches('"').to_string()).collect();
    names.retain(|n| n != "error");
    let has_all = |set: &[&str]| set.iter().all(|t| names.iter().any(|n| n == t));
    let (expression, operator) = (has_all(EXPRESSION_START), has_all(OPERATORS));
    let mut summary: Vec<&str> = Vec::new();
    if expression {
        names.retain(|n| !EXPRESSION_START.contains(&n.as_str()));
        summary.push("an expression");
    }
    if operator {
        names.retain(|n| !OPERATORS.contains(&n.as_str()));
        summary.push("an operator");
    }
    let described = names.into_iter().map(|n| match n.as_str() {
        "identifier" => "an identifier".to_string(),
        "integer" => "an integer".to_string(),
        _ => format!("`{n}`"),
    });
    let all: Vec<String> = described.chain(summary.into_iter().map(String::from)).collect();
    let message = match all.len() {
        0 => format!("unexpected {found}"),
        1 => format!("unexpected {found}, expected {}", all[0]),
        2 => format!("unexpected {found}, expected {} or {}", all[0], all[1]),
        _ => format!("unexpected {found}, expected one of {}", all.join(", ")),
    };
    let mut err = SynError::new(ErrorKind::Syntax, span, message);
    if ["`==`", "`!=`", "`<`", "`<=`", "`>`", "`>=`"].contains(&found.as_str()) {
        err = err.with_note("comparison operators cannot be chained; write `a < b && b < c`");
    }
    Some(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syn::ast::{ExprKind, Item};

    fn parse_ok(text: &str) -> File {
        let mut errors = Vec::new();
        let f = parse(text, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        f
    }

    fn body(file: &File) -> &ExprKind {
        match &file.items[0] {
            Item::Fn(f) => match &f.body.kind {
                ExprKind::Block(_, e) => &e.kind,
                k => k,
            },
            i => panic!("not a fn: {i:?}"),
        }
    }

    #[test]
    fn precedence_follows_rust() {
        let f = parse_ok("fn f(a: i32, b: i32) -> i32 { a + b * 2 << 1 & 3 }");
        // ((a + (b * 2)) << 1) & 3
        let ExprKind::Binary(op, lhs, _) = body(&f) else { panic!() };
        assert_eq!(op.symbol(), "&");
        let ExprKind::Binary(op, lhs, _) = &lhs.kind else { panic!() };
        assert_eq!(op.symbol(), "<<");
        let ExprKind::Binary(op, _, rhs) = &lhs.kind else { panic!() };
        assert_eq!(op.symbol(), "+");
        assert!(matches!(&rhs.kind, ExprKind::Binary(op, _, _) if op.symbol() == "*"));

        let f = parse_ok("fn f(a: i32) -> u32 { -a as u32 }");
        assert!(matches!(body(&f), ExprKind::Cast(e, _) if matches!(e.kind, ExprKind::Unary(..))));
    }

    #[test]
    fn recovers_and_reports_several_errors() {
        let mut errors = Vec::new();
        let f = parse(
            "fn f(x: i32) -> i32 { let y = x + ; y }\nfn g( -> i32 { 1 }\nsynth h(x: i32) -> i32 { ensures + ; equiv f; }\n",
            &mut errors,
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors.iter().all(|e| e.kind == ErrorKind::Syntax));
        assert!(matches!(f.items.last(), Some(Item::Synth(s)) if s.clauses.len() == 2));
    }

    #[test]
    fn chained_comparisons_are_rejected() {
        let mut errors = Vec::new();
        parse("fn f(a: i32) -> bool { 1 < a < 3 }", &mut errors);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.starts_with("unexpected `<`"), "{}", errors[0].message);
    }

    #[test]
    fn deep_long_files_get_the_strict_parser_and_their_first_error() {
        let shallow = format!("fn f(x: u8) -> u8 {{ {} }}", "x + ".repeat(1000) + "x");
        let mut lex = Vec::new();
        let toks: Vec<_> = tokens(&shallow, &mut lex).collect();
        assert!(recovery_cost(&toks) < MAX_RECOVERY_COST);
        // 5,000 open blocks and then code: recovery would scan 5,000 states per skipped token.
        let deep = format!("fn f(x: u8) -> u8 {}\n{}", "{ ".repeat(5000), "fn g(x: u8) -> u8 { x }\n".repeat(200));
        let toks: Vec<_> = tokens(&deep, &mut lex).collect();
        assert!(recovery_cost(&toks) > MAX_RECOVERY_COST);
        let start = std::time::Instant::now();
        let mut errors = Vec::new();
        parse(&deep, &mut errors);
        assert!(start.elapsed().as_secs() < 2, "took {:?}", start.elapsed());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].notes[0].starts_with("only the first syntax error"), "{errors:?}");
        // A valid deep file still parses (the checker then limits its depth).
        let valid = format!("fn f(x: u8) -> u8 {}x{}", "{ ".repeat(5000), " }".repeat(5000));
        parse_ok(&valid);
    }
}
