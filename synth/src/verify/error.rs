//! The error type of verification queries.
//!
//! Verdicts (equivalent, refuted, unknown) are outcomes, not errors; errors are for bad input
//! (user errors) and for internal disagreements between Z3 and the interpreter (bugs).

/// Why a verification query could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// User error: the functions do not have the signatures the query needs (different parameter
    /// or result types, a pre/postcondition of the wrong shape, a solution that does not fit its
    /// target).
    #[error("signature mismatch: {what}: expected {expected}, found {found}")]
    SignatureMismatch {
        /// Which function or argument does not fit.
        what: String,
        /// The signature the query needs.
        expected: String,
        /// The signature given.
        found: String,
    },
    /// Bug: Z3 and the reference interpreter disagree about a counterexample (the model's values
    /// do not reproduce under [`ir::eval`]). Never ignored: it means the Z3 encoding, Z3 or the
    /// interpreter is wrong.
    #[error("internal inconsistency between Z3 and the interpreter on inputs {inputs:?}: {message}")]
    Inconsistent {
        /// The inputs read from Z3's model.
        inputs: Vec<u64>,
        /// What disagrees.
        message: String,
    },
    /// User error: a function does not pass the IR verifier.
    #[error("invalid function: {0}")]
    InvalidFunction(ir::VerifyErrors),
    /// User error: an ill-formed [`ir::Problem`] (bad sorts, node references or casts).
    #[error("invalid problem: {0}")]
    InvalidProblem(String),
}
