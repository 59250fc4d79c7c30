//! Errors of the `.syn` frontend and their rendering (codespan-reporting).
//!
//! Every error is a [`SynError`] with a kind, a primary span and a message; [`Diagnostics`]
//! holds all errors of one file (never empty when returned as an error), sorted by position.
//! [`Diagnostics::render`] prints each as `FILE:LINE:COL: error: MESSAGE` followed by the
//! source line with a `^^^` marker under the span, like rustc.

use std::fmt;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Chars, Config, DisplayStyle};

use super::ast::Span;

/// What went wrong; every kind except [`ErrorKind::Internal`] is a user error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// User error: a character or an integer literal the lexer cannot read.
    Lex,
    /// User error: tokens that do not form a valid item, clause or expression.
    Syntax,
    /// User error: a variable, function, type, cost model or opcode that does not exist.
    UnknownName,
    /// User error: an expression has the wrong type, or operands of different types meet.
    Type,
    /// User error: an integer literal does not fit its type.
    LiteralRange,
    /// User error: functions call each other in a cycle (the IR has no calls, so they could
    /// not be inlined).
    Recursion,
    /// User error: a name defined twice (functions and tasks, parameters, clauses).
    Duplicate,
    /// User error: a call or example with the wrong number of arguments.
    Arity,
    /// User error: a task clause that does not make sense (an `equiv` function of another
    /// signature, an example for another function, a bad timeout or size).
    Clause,
    /// User error: the input exceeds a documented limit (a function that expands to too many
    /// instructions once calls are inlined).
    TooLarge,
    /// Bug: lowering produced IR that does not verify.
    Internal,
}

/// One located error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SynError {
    /// What kind of error.
    pub kind: ErrorKind,
    /// The source text at fault.
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// Text under the marker of the primary span (may be empty).
    pub label: String,
    /// Other places worth showing, each with a short text.
    pub secondary: Vec<(Span, String)>,
    /// Extra lines printed after the source excerpt (`= note: ...`).
    pub notes: Vec<String>,
}

impl SynError {
    /// An error with no label text, secondary spans or notes.
    pub fn new(kind: ErrorKind, span: Span, message: impl Into<String>) -> SynError {
        SynError { kind, span, message: message.into(), label: String::new(), secondary: Vec::new(), notes: Vec::new() }
    }

    /// Sets the text under the primary marker.
    pub fn with_label(mut self, label: impl Into<String>) -> SynError {
        self.label = label.into();
        self
    }

    /// Adds a secondary span with its text.
    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> SynError {
        self.secondary.push((span, label.into()));
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> SynError {
        self.notes.push(note.into());
        self
    }

    /// The primary span, then the secondary ones.
    fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        std::iter::once(self.span).chain(self.secondary.iter().map(|s| s.0))
    }
}

/// Most errors [`Diagnostics::render`] prints.
pub const MAX_RENDERED: usize = 100;

/// Longest source line (in bytes) shown in an excerpt.
pub const MAX_EXCERPT_LINE: usize = 500;

/// Most source lines one label of an excerpt may cover.
pub const MAX_EXCERPT_LINES: usize = 20;

/// True if the excerpt for `span` would show a line longer than [`MAX_EXCERPT_LINE`] or more
/// than [`MAX_EXCERPT_LINES`] lines.
fn excerpt_too_long(source: &str, span: Span) -> bool {
    let range = clamp(span, source);
    let start = source[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = source[range.end..].find('\n').map_or(source.len(), |i| range.end + i);
    let lines = &source[start..end];
    lines.split('\n').count() > MAX_EXCERPT_LINES || lines.split('\n').any(|l| l.len() > MAX_EXCERPT_LINE)
}

/// All errors found in one `.syn` file, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics {
    errors: Vec<SynError>,
}

impl Diagnostics {
    /// Wraps a list of errors, sorted by position (stable for errors at the same place).
    pub fn new(mut errors: Vec<SynError>) -> Diagnostics {
        errors.sort_by_key(|e| (e.span.start, e.span.end));
        Diagnostics { errors }
    }

    /// The errors, in source order.
    pub fn errors(&self) -> &[SynError] {
        &self.errors
    }

    /// True if there are no errors.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Renders every error as `FILE:LINE:COL: error: MESSAGE`, then the source line(s) with a
    /// marker under the span, secondary spans and notes; errors are separated by blank lines.
    ///
    /// At most 100 errors are rendered (then a line says how many more there are), and an error
    /// whose excerpt would show a line of more than 500 bytes or more than 20 lines is rendered
    /// without it, so the output stays readable on any input.
    pub fn render(&self, file_name: &str, source: &str) -> String {
        let file = SimpleFile::new(file_name, source);
        let short = Config { display_style: DisplayStyle::Short, ..Config::default() };
        let rich = Config { chars: Chars::ascii(), ..Config::default() };
        let mut out = String::new();
        for e in self.errors.iter().take(MAX_RENDERED) {
            let diagnostic = to_codespan(e, source);
            let header = emit(&short, &file, &diagnostic);
            out.push_str(header.trim_end());
            out.push('\n');
            if e.spans().any(|span| excerpt_too_long(source, span)) {
                for note in &e.notes {
                    out.push_str(&format!("  = {note}\n"));
                }
                continue;
            }
            let body = emit(&rich, &file, &diagnostic);
            // The rich form starts with `error: MESSAGE` and ` --> FILE:LINE:COL`, which the
            // header line already says; keep the excerpt, labels and notes.
            for line in body.lines().skip_while(|l| !l.trim_start().starts_with("-->")).skip(1) {
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
        if let Some(more) = self.errors.len().checked_sub(MAX_RENDERED).filter(|&n| n > 0) {
            out.push_str(&format!("{file_name}: and {more} more error{}\n", if more == 1 { "" } else { "s" }));
        }
        out
    }
}

fn emit(config: &Config, file: &SimpleFile<&str, &str>, diagnostic: &Diagnostic<()>) -> String {
    let mut writer = term::termcolor::NoColor::new(Vec::<u8>::new());
    if term::emit(&mut writer, config, file, diagnostic).is_err() {
        return String::new();
    }
    String::from_utf8_lossy(&writer.into_inner()).into_owned()
}

/// Clamps a span into the source and onto character boundaries (codespan slices the text).
fn clamp(span: Span, source: &str) -> std::ops::Range<usize> {
    let mut start = span.start.min(source.len());
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, source.len());
    while !source.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

fn to_codespan(e: &SynError, source: &str) -> Diagnostic<()> {
    let mut labels = vec![Label::primary((), clamp(e.span, source)).with_message(&e.label)];
    for (span, text) in &e.secondary {
        labels.push(Label::secondary((), clamp(*span, source)).with_message(text));
    }
    Diagnostic::error().with_message(&e.message).with_labels(labels).with_notes(e.notes.clone())
}

impl fmt::Display for Diagnostics {
    /// One line per error: `BYTE..BYTE: error: MESSAGE` (use [`Diagnostics::render`] for lines
    /// and columns).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}..{}: error: {}", e.span.start, e.span.end, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_line_and_marker() {
        let source = "fn f(x: i32) -> i32 {\n    x + y\n}\n";
        let start = source.find('y').unwrap();
        let d = Diagnostics::new(vec![
            SynError::new(ErrorKind::UnknownName, Span::new(start, start + 1), "unknown variable `y`")
                .with_label("not defined here"),
        ]);
        let text = d.render("t.syn", source);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "t.syn:2:9: error: unknown variable `y`");
        assert!(lines.iter().any(|l| l.ends_with("|     x + y")), "{text}");
        let marker = lines.iter().find(|l| l.contains('^')).unwrap();
        assert_eq!(marker.find('^'), lines.iter().find(|l| l.ends_with("x + y")).unwrap().find('y'));
        assert!(marker.ends_with("^ not defined here"));
    }

    #[test]
    fn spans_off_char_boundaries_do_not_panic() {
        let source = "é$";
        let d = Diagnostics::new(vec![SynError::new(ErrorKind::Lex, Span::new(1, 9), "x")]);
        assert!(d.render("t.syn", source).starts_with("t.syn:1:1: error: x"));
    }
}

/// Edit distance between two short names (insertions, deletions, substitutions).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// A "did you mean ...?" note for a misspelled `name`: the candidates within a small edit
/// distance, or containing it (`shr` suggests `lshr` and `ashr`).
pub fn did_you_mean<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    let limit = if name.chars().count() >= 5 { 2 } else { 1 };
    let mut close: Vec<&str> = candidates
        .into_iter()
        .filter(|c| *c != name && (distance(name, c) <= limit || (name.len() >= 3 && c.contains(name))))
        .collect();
    close.dedup();
    close.truncate(4);
    let quoted: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

#[cfg(test)]
mod suggestion_tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(distance("mull", "mul"), 1);
        assert_eq!(did_you_mean("mull", ["mul", "add"]), Some("did you mean `mul`?".to_string()));
        assert_eq!(
            did_you_mean("shr", ["shl", "lshr", "ashr", "add"]),
            Some("did you mean `shl`, `lshr` or `ashr`?".to_string())
        );
        assert_eq!(did_you_mean("zzz", ["mul"]), None);
    }
}
