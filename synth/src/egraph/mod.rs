//! E-graph rewriting of IR functions: the language, conversion between functions and terms,
//! and the type-and-constant analysis.
//!
//! - [`IrNode`] (`lang.rs`): the egg language, one typed e-node per IR operation;
//! - [`to_recexpr`] / [`to_function`] (`convert.rs`): functions to terms and back, sharing kept;
//! - [`IrAnalysis`] (`analysis.rs`): each class's type and constant value, folded with
//!   `ir::semantics`.

mod analysis;
mod convert;
mod lang;

pub use analysis::{ClassData, IrAnalysis, IrEGraph};
pub use convert::{Signature, to_function, to_recexpr};
pub use lang::{Discriminant, IrNode, OpNode, ParseNodeError};

/// What went wrong in the e-graph engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EgraphError {
    /// User error: the input function does not pass the IR verifier.
    #[error("invalid input function: {0}")]
    InvalidInput(String),
    /// Bug: a rule merged classes of different types or constants, or the result differs from
    /// the input on some input. Nothing is returned in that case.
    #[error("unsound rewrite detected: {0}")]
    Unsound(String),
    /// Bug: an internal invariant failed (a rule that does not compile, an ill-typed term).
    #[error("e-graph internal error: {0}")]
    Bug(String),
}
