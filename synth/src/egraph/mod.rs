//! E-graph rewriting of IR functions: the language, conversion between functions and terms,
//! the type-and-constant analysis, and the rule library.
//!
//! - [`IrNode`] (`lang.rs`): the egg language, one typed e-node per IR operation;
//! - [`to_recexpr`] / [`to_function`] (`convert.rs`): functions to terms and back, sharing kept;
//! - [`IrAnalysis`] (`analysis.rs`): each class's type and constant value, folded with
//!   `ir::semantics`;
//! - `pattern.rs`: the typed pattern language rules are written in, compiled to egg
//!   searchers and appliers and to IR functions for the prover;
//! - [`rules`]: the rule table ([`rules::all`], [`rules::rewrites`]), grouped by theory, every
//!   rule proved by Z3 in its tests.

mod analysis;
mod convert;
mod lang;
mod pattern;
pub mod rules;

pub use analysis::{ClassData, IrAnalysis, IrEGraph};
pub use convert::{Signature, to_function, to_recexpr};
pub use lang::{Discriminant, IrNode, OpNode, ParseNodeError};
pub use rules::{RuleSpec, Theory, Widths};

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
