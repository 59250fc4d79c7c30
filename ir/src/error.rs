//! Errors of the `ir` crate: located text errors and verifier errors.
//!
//! Every variant is a *user error* (bad input text or an ill-formed function built by a caller);
//! the crate has no "bug" variants because it has no internal invariants that can fail silently.

use std::fmt;

use crate::Value;

/// A 1-based line and column in IR text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    /// Line, starting at 1.
    pub line: u32,
    /// Column in characters, starting at 1.
    pub col: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// Where in a function a verifier error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Site {
    /// The function as a whole (its name or signature).
    Signature,
    /// Parameter number `n`.
    Param(usize),
    /// Instruction number `n` of the body; `operand` is set when one operand is at fault.
    Inst {
        /// Index into [`crate::Function::body`].
        index: usize,
        /// Index into the instruction's operands, if one operand is the culprit.
        operand: Option<usize>,
    },
    /// The `ret` line.
    Ret,
}

/// User error: a function breaks an IR rule (undefined value, type mismatch, bad width change...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("in fn {function}: {message}")]
pub struct VerifyError {
    /// The function's name.
    pub function: String,
    /// Where in the function.
    pub site: Site,
    /// The value concerned, if any.
    pub value: Option<Value>,
    /// What is wrong.
    pub message: String,
}

/// All verifier errors of a function or module (never empty when returned as an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyErrors(pub Vec<VerifyError>);

impl fmt::Display for VerifyErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for VerifyErrors {}

/// A user error in IR text, with its location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// User error: the text is not well-formed IR syntax.
    #[error("{loc}: error: {message}")]
    Syntax {
        /// Where.
        loc: Location,
        /// What was expected or found.
        message: String,
    },
    /// User error: well-formed text that breaks an IR rule.
    #[error("{loc}: error: {error}")]
    Invalid {
        /// Where.
        loc: Location,
        /// The verifier's finding.
        error: VerifyError,
    },
}

impl Error {
    /// The error's location.
    pub fn location(&self) -> Location {
        match self {
            Error::Syntax { loc, .. } | Error::Invalid { loc, .. } => *loc,
        }
    }

    /// The message without the location.
    pub fn message(&self) -> String {
        match self {
            Error::Syntax { message, .. } => message.clone(),
            Error::Invalid { error, .. } => error.to_string(),
        }
    }
}

/// All errors found in one text (never empty when returned as an error), in text order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors(pub Vec<Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}
