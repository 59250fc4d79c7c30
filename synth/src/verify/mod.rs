//! SMT verification with Z3: equivalence, pre/postcondition and general problem checking, with
//! counterexamples confirmed by the interpreter.
//!
//! Nothing in synth is called *verified* unless a query here answered it. Functions are encoded
//! into Z3 bit-vectors with exactly the semantics of `docs/semantics.md`, one term per SSA value
//! (`encoding.rs`); each query asserts the negation of its claim and asks Z3 with a timeout
//! ([`VerifyOptions`]), so the answer is a proof, a counterexample, or `Unknown`, never a hang.
//! Counterexamples are re-run through the interpreter before they are returned; a disagreement
//! is an error ([`VerifyError::Inconsistent`]), never ignored.
//!
//! ```
//! use synth::verify::{Verdict, VerifyOptions, check_equivalent};
//! let m = ir::parse_module(
//!     "fn clear_low(v0: i32) -> i32 {
//!        v1 = iconst.i32 1
//!        v2 = sub v0, v1
//!        v3 = and v0, v2
//!        ret v3
//!      }
//!      fn via_neg(v0: i32) -> i32 {
//!        v1 = neg v0
//!        v2 = and v0, v1
//!        v3 = sub v0, v2
//!        ret v3
//!      }
//!      fn wrong(v0: i32) -> i32 {
//!        v1 = iconst.i32 1
//!        v2 = add v0, v1
//!        v3 = and v0, v2
//!        ret v3
//!      }",
//! )
//! .unwrap();
//! let opts = VerifyOptions::default();
//! assert_eq!(check_equivalent(&m["clear_low"], &m["via_neg"], &opts).unwrap(), Verdict::Equivalent);
//! match check_equivalent(&m["clear_low"], &m["wrong"], &opts).unwrap() {
//!     Verdict::NotEquivalent(cex) => assert_ne!(ir::eval(&m["wrong"], &cex.inputs), cex.left),
//!     other => panic!("expected a counterexample, got {other:?}"),
//! }
//! ```
//!
//! Z3 state: the z3 crate keeps one context per thread, created on the thread's first query and
//! reused by all later ones; each query builds its terms there and runs a fresh one-shot solver
//! (`z3_terms.rs`), and one watchdog thread per querying thread enforces the timeout
//! (`watchdog.rs`). Queries on different threads are independent.

mod backend;
mod counterexample;
mod encoding;
mod error;
mod holes;
mod queries;
mod realizable;
mod smt2;
mod validate;
mod watchdog;
mod z3_terms;

use std::time::Duration;

pub(crate) use encoding::{encode_formula_with, encode_op};
pub use error::VerifyError;
pub use holes::{HoleVerdict, solve_holes};
pub use queries::{check_equivalent, check_problem, check_spec, prove_equivalent, z3_eval};
pub use realizable::{EXHAUSTIVE_OUTPUT_BITS, unrealizable_input};
pub use smt2::{smt2_equivalence_query, smt2_problem_query};

pub(crate) use z3_terms::{Outcome as SatOutcome, Z3Terms, is_true, model_value, solve_cancellable};

/// Budgets of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// How long Z3 may search before the verdict is `Unknown` (default 10 s).
    pub timeout: Duration,
}

impl VerifyOptions {
    /// The default timeout.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

    /// Options with this timeout.
    pub fn with_timeout(timeout: Duration) -> Self {
        VerifyOptions { timeout }
    }
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions { timeout: Self::DEFAULT_TIMEOUT }
    }
}

/// Inputs on which two functions differ, with both results (masked bits), confirmed by the
/// interpreter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Counterexample {
    /// One value per parameter.
    pub inputs: Vec<u64>,
    /// The first function's result.
    pub left: u64,
    /// The second function's result.
    pub right: u64,
}

impl std::fmt::Display for Counterexample {
    /// `inputs (0x7, 0x3): 10 vs 9` (unsigned bits).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inputs: Vec<String> = self.inputs.iter().map(|v| format!("{v:#x}")).collect();
        write!(f, "inputs ({}): {:#x} vs {:#x}", inputs.join(", "), self.left, self.right)
    }
}

/// The answer of [`check_equivalent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Equal results for every input (proved by Z3).
    Equivalent,
    /// The functions differ on these inputs.
    NotEquivalent(Counterexample),
    /// Z3 could not decide (timeout or gave up); the reason.
    Unknown(String),
}

/// The answer of [`check_spec`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecVerdict {
    /// The postcondition holds for every input satisfying the precondition (proved by Z3).
    Holds,
    /// These inputs satisfy the precondition, and the function's `result` on them violates the
    /// postcondition.
    Violated {
        /// One value per parameter.
        inputs: Vec<u64>,
        /// The function's result on them.
        result: u64,
    },
    /// Z3 could not decide; the reason.
    Unknown(String),
}

/// The answer of [`check_problem`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemVerdict {
    /// Every constraint holds for all variable values (proved by Z3, or evaluated when the
    /// problem has no variables).
    Holds,
    /// Variable values (one per problem variable) for which some constraint is false.
    Violated {
        /// One value per variable.
        vars: Vec<u64>,
    },
    /// Z3 could not decide; the reason.
    Unknown(String),
}
