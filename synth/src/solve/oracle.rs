//! The Z3 oracle of the search: a candidate is valid when Z3 proves every constraint.

use std::time::Duration;

use ir::{Function, Problem};

use crate::search::{HoleAnswer, Oracle, OracleAnswer};
use crate::verify::{HoleVerdict, ProblemVerdict, VerifyError, VerifyOptions, check_problem, solve_holes};

/// Checks candidates with [`check_problem`], each query limited to `timeout` (and to the
/// search's remaining time).
#[derive(Debug, Clone)]
pub struct Z3Oracle {
    /// Longest time one query may take.
    pub timeout: Duration,
    /// Number of queries asked.
    pub queries: usize,
}

impl Z3Oracle {
    /// An oracle whose queries take at most `timeout` each.
    pub fn new(timeout: Duration) -> Self {
        Z3Oracle { timeout, queries: 0 }
    }
}

impl Oracle for Z3Oracle {
    fn check(&mut self, problem: &Problem, candidate: &Function, remaining: Duration) -> OracleAnswer {
        self.check_all(problem, std::slice::from_ref(candidate), remaining)
    }

    fn solve_holes(
        &mut self,
        problem: &Problem,
        sketch: &Function,
        tests: &[Vec<u64>],
        remaining: Duration,
    ) -> Option<HoleAnswer> {
        self.queries += 1;
        let opts = VerifyOptions::with_timeout(self.timeout.min(remaining).min(Duration::from_secs(2)));
        Some(match solve_holes(problem, sketch, tests, &opts) {
            Ok(HoleVerdict::Found(values)) => HoleAnswer::Found(values),
            Ok(HoleVerdict::NoneExist) => HoleAnswer::NoneExist,
            Ok(HoleVerdict::Unknown(why)) => HoleAnswer::Unknown(why),
            Err(e) => HoleAnswer::Unknown(e.to_string()),
        })
    }

    fn check_all(&mut self, problem: &Problem, candidates: &[Function], remaining: Duration) -> OracleAnswer {
        self.queries += 1;
        let opts = VerifyOptions::with_timeout(self.timeout.min(remaining));
        match check_problem(problem, candidates, &opts) {
            Ok(ProblemVerdict::Holds) => OracleAnswer::Valid,
            Ok(ProblemVerdict::Violated { vars }) => OracleAnswer::Counterexample(vars),
            Ok(ProblemVerdict::Unknown(why)) => OracleAnswer::Unknown(why),
            Err(e @ VerifyError::Inconsistent { .. }) => OracleAnswer::Error(e.to_string()),
            Err(e) => OracleAnswer::Error(format!("the verifier rejected a candidate: {e}")),
        }
    }
}
