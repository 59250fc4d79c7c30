//! The backend's error type.
//!
//! Bad input (a function that does not verify, a name that cannot be a symbol) is a user error;
//! Cranelift rejecting what the lowering produced is a bug in this crate; a host Cranelift does not
//! support is an environment problem. Each variant says which.

/// Why a function could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// User error: the function or module does not verify (see [`ir::verify_function`]).
    #[error("the IR does not verify:\n{0}")]
    Invalid(#[from] ir::VerifyErrors),
    /// User error: a function name that an object file cannot export as a C symbol
    /// (names must look like C identifiers; the IR text format only produces such names).
    #[error("fn `{0}` cannot be exported: a symbol name must be a C identifier")]
    BadSymbolName(String),
    /// Environment: Cranelift cannot generate code for this machine.
    #[error("Cranelift does not support this host: {0}")]
    UnsupportedHost(String),
    /// Bug: Cranelift rejected the code the lowering produced, or could not emit it.
    #[error("internal error while compiling fn {function}: {message}")]
    Codegen {
        /// The IR function being compiled.
        function: String,
        /// Cranelift's message.
        message: String,
    },
}

impl Error {
    pub(crate) fn codegen(function: &str, message: impl std::fmt::Display) -> Error {
        Error::Codegen { function: function.to_string(), message: message.to_string() }
    }
}
