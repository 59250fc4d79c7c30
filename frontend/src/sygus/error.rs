//! The one error type of the SyGuS-IF reader, printer and check-script writer.
//!
//! Every variant but [`SygusError::Internal`] is a user error and carries the 1-based line and
//! column of the offending text; `Display` ends with `at LINE:COL` so that messages read as
//! `unsupported: logic LIA at 1:1`, and [`SygusError::render`] gives the command line's
//! `FILE:LINE:COL: error: unsupported: logic LIA`.

use ir::Location;

/// An error found while reading SyGuS-IF text (or a solution for it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SygusError {
    /// User error: the text is not well-formed s-expressions or SyGuS-IF syntax.
    #[error("syntax error: {message} at {loc}")]
    Syntax {
        /// Where.
        loc: Location,
        /// What was expected or found.
        message: String,
    },
    /// User error: well-formed SyGuS-IF that synth does not support (a logic, sort, command...).
    #[error("unsupported: {construct} at {loc}")]
    Unsupported {
        /// Where.
        loc: Location,
        /// The construct, e.g. `logic LIA` or `command declare-fun`.
        construct: String,
    },
    /// User error: a symbol that is not defined where it is used.
    #[error("unknown symbol `{symbol}` at {loc}")]
    UnknownSymbol {
        /// Where.
        loc: Location,
        /// The symbol.
        symbol: String,
    },
    /// User error: an ill-sorted term (sort mismatch, wrong number of arguments, bad index).
    #[error("sort error: {message} at {loc}")]
    Sort {
        /// Where.
        loc: Location,
        /// What is wrong.
        message: String,
    },
    /// User error: any other rule broken (a redefinition, a missing solution, ...).
    #[error("error: {message} at {loc}")]
    Invalid {
        /// Where.
        loc: Location,
        /// What is wrong.
        message: String,
    },
    /// Bug: the reader built a problem or function that fails the IR's own checks.
    #[error("internal error: {0}")]
    Internal(String),
}

impl SygusError {
    /// Where the error is, if it is a user error.
    pub fn location(&self) -> Option<Location> {
        match self {
            SygusError::Syntax { loc, .. }
            | SygusError::Unsupported { loc, .. }
            | SygusError::UnknownSymbol { loc, .. }
            | SygusError::Sort { loc, .. }
            | SygusError::Invalid { loc, .. } => Some(*loc),
            SygusError::Internal(_) => None,
        }
    }

    /// What is wrong, without the location: `Display` is this followed by ` at LINE:COL`.
    pub fn message(&self) -> String {
        match self {
            SygusError::Syntax { message, .. } => format!("syntax error: {message}"),
            SygusError::Unsupported { construct, .. } => format!("unsupported: {construct}"),
            SygusError::UnknownSymbol { symbol, .. } => format!("unknown symbol `{symbol}`"),
            SygusError::Sort { message, .. } => format!("sort error: {message}"),
            SygusError::Invalid { message, .. } => message.clone(),
            SygusError::Internal(message) => format!("internal error: {message}"),
        }
    }

    /// The error as `FILE:LINE:COL: error: MESSAGE` (`FILE: error: MESSAGE` without a location),
    /// the form the command line prints.
    pub fn render(&self, file: &str) -> String {
        match self.location() {
            Some(loc) => format!("{file}:{loc}: error: {}", self.message()),
            None => format!("{file}: error: {}", self.message()),
        }
    }

    pub(crate) fn syntax(loc: Location, message: impl Into<String>) -> Self {
        SygusError::Syntax { loc, message: message.into() }
    }

    pub(crate) fn unsupported(loc: Location, construct: impl Into<String>) -> Self {
        SygusError::Unsupported { loc, construct: construct.into() }
    }

    pub(crate) fn sort(loc: Location, message: impl Into<String>) -> Self {
        SygusError::Sort { loc, message: message.into() }
    }

    pub(crate) fn invalid(loc: Location, message: impl Into<String>) -> Self {
        SygusError::Invalid { loc, message: message.into() }
    }

    pub(crate) fn unknown(loc: Location, symbol: &str) -> Self {
        SygusError::UnknownSymbol { loc, symbol: symbol.to_string() }
    }
}

/// Result of the SyGuS functions.
pub type Result<T, E = SygusError> = std::result::Result<T, E>;
