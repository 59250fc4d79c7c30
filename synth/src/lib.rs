//! synth: program synthesis over a small typed IR.
//!
//! The library behind the `synth` tool: it reads programs and specs (through `frontend`),
//! verifies functions with an SMT solver, searches for cheaper or specified functions, and runs
//! every answer natively (through `backend`). The [`cli`] module is the command-line layer.

#![deny(missing_docs)]

pub mod cli;
pub mod egraph;
pub mod search;
pub mod solve;
pub mod verify;

pub use verify::{
    Counterexample, ProblemVerdict, SpecVerdict, Verdict, VerifyError, VerifyOptions, check_equivalent, check_problem,
    check_spec, prove_equivalent, smt2_equivalence_query,
};
