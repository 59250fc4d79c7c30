//! synth: program synthesis and verified refactoring over a small typed IR.
//!
//! The library behind the `synth` tool. It reads programs and specs (`.ir`, `.syn`, SyGuS-IF),
//! proves functions equivalent with the Z3 SMT solver, finds cheaper proven-equivalent versions
//! of a function (equality saturation and enumerative search), synthesizes functions from specs,
//! and runs every answer natively (Cranelift) against the reference interpreter before returning
//! it. The IR's meaning is the contract of docs/semantics.md.
//!
//! A verified refactoring in a few lines: prove two functions equivalent, then get a cheaper
//! proven-equivalent version of one.
//!
//! ```
//! let m = synth::parse_syn("
//!     fn old(x: u32, y: u32) -> u32 { (x | y) - (x & y) }
//!     fn new(x: u32, y: u32) -> u32 { x ^ y }
//! ").unwrap().module;
//! let verdict = synth::prove_equivalent(&m["old"], &m["new"], &synth::VerifyOptions::default()).unwrap();
//! assert_eq!(verdict, synth::Verdict::Equivalent);
//!
//! let opts = synth::OptimizeOptions { native_checks: 1000, ..Default::default() };
//! let better = synth::optimize(&m["old"], &opts).unwrap();
//! assert_eq!(better.proof, synth::Proof::Verified);
//! assert!(better.cost_after < better.cost_before);
//! ```
//!
//! Synthesis from a spec (here a `.syn` task) goes through [`synthesize`]; budgets and outcomes
//! are values in the report, errors are for bad input and bugs. `cargo run --example refactor`
//! shows the same from a program. The [`cli`] module is the command-line layer, not the API.

#![deny(missing_docs)]

pub mod cli;
pub mod dag;
pub mod egraph;
pub mod optimize;
pub mod repair;
pub mod search;
pub mod solve;
pub mod verify;

pub use ir::{CostModel, Function, Module, Problem, Semantics, Spec};
pub use optimize::{OptimizeOptions, Optimized, Proof, optimize};
pub use solve::{SolveOptions, Status, TaskReport, solve_problem, solve_spec as synthesize};
pub use verify::{
    Counterexample, ProblemVerdict, SpecVerdict, Verdict, VerifyError, VerifyOptions, check_equivalent, check_problem,
    check_spec, prove_equivalent, smt2_equivalence_query,
};

/// Why a text did not parse; its `Display` gives every error with `LINE:COL`.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ParseError {
    /// IR text errors.
    #[error("{0}")]
    Ir(ir::Errors),
    /// `.syn` errors, rendered with the offending lines.
    #[error("{0}")]
    Syn(String),
    /// SyGuS-IF errors.
    #[error("{0}")]
    Sygus(frontend::sygus::SygusError),
}

/// Parses IR text (docs/ir-text-format.md) into a module of functions.
pub fn parse_ir(text: &str) -> Result<ir::Module, ParseError> {
    ir::parse_module(text).map_err(ParseError::Ir)
}

/// Parses a `.syn` file (docs/syn-language.md): its functions lowered to IR and its tasks as
/// [`Spec`]s.
pub fn parse_syn(text: &str) -> Result<frontend::syn::SynFile, ParseError> {
    frontend::syn::parse_syn(text).map_err(|d| ParseError::Syn(d.render("input.syn", text)))
}

/// Parses a SyGuS-IF v2 problem (docs/sygus.md) into its [`Problem`] and definitions.
pub fn parse_sygus(text: &str) -> Result<frontend::sygus::SygusFile, ParseError> {
    frontend::sygus::parse_sygus(text).map_err(ParseError::Sygus)
}
