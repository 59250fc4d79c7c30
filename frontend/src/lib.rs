//! Source languages of synth, lowered to the IR.
//!
//! - [`syn`]: the `.syn` language of source functions and synthesis tasks (logos lexer,
//!   LALRPOP grammar, type checking, lowering to [`ir::Module`] and [`ir::Spec`], diagnostics
//!   with source excerpts, and a printer from IR back to `.syn` source).
//!
//! Architecture invariant: the frontend parses and lowers; it never searches or verifies.

#![deny(missing_docs)]

pub mod syn;
