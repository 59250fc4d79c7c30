//! Finite synthesis: is there a program of exactly `n` instructions that meets the problem on a
//! finite set of tests? One Z3 query over the linear encoding ([`Skeleton`]).
//!
//! For each test (one value per problem variable) every constraint is encoded by
//! [`crate::verify`]'s formula encoder, each call of the target replaced by the skeleton's
//! circuit on the call's argument terms. With a defined-behaviour discipline (`problem.safety`)
//! the circuit on the test's variables must reach no guarded case unless the test is exempt,
//! which is decided here by the interpreter (the test is concrete).
//!
//! Invariant: `unsat` ([`FiniteAnswer::NoProgram`]) means no program of `n` instructions (up to
//! the symmetries of [`super::encode`], which lose no shortest program) meets the problem on
//! these tests, hence none meets it for all inputs.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use ir::Problem;
use z3::ast::{BV, Bool};

use super::components::Components;
use super::encode::{Skeleton, Symmetry};
use super::program::Program;
use crate::verify::{SatOutcome, Z3Terms, encode_formula_with, is_true, solve_cancellable};

/// The answer of a finite synthesis query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FiniteAnswer {
    /// A program that meets the problem on every test.
    Found(Program),
    /// No program of this length does (`unsat`).
    NoProgram,
    /// Z3 could not decide (timeout, cancellation), with its reason.
    Unknown(String),
}

/// What a finite query is about: the problem (single target, no grammar), its components and
/// the symmetry breaking.
#[derive(Debug, Clone)]
pub(crate) struct FiniteProblem<'a> {
    pub problem: &'a Problem,
    pub comps: &'a Components,
    pub symmetry: Symmetry,
}

/// Finite synthesis as the driver sees it; the Z3 implementation is [`Z3Finite`], tests inject
/// others (to simulate timeouts).
pub(crate) trait FiniteSolver {
    /// A program of exactly `n` instructions meeting `fp` on `tests`, other than the `blocked`
    /// ones, and with the structure of `structure` if given (its constants free).
    fn solve(
        &mut self,
        fp: &FiniteProblem<'_>,
        n: usize,
        tests: &[Vec<u64>],
        blocked: &[Program],
        structure: Option<&Program>,
        timeout: Duration,
    ) -> FiniteAnswer;
}

/// Finite synthesis by Z3, interrupted when `cancel` is set.
#[derive(Debug, Clone, Default)]
pub(crate) struct Z3Finite {
    pub cancel: Option<Arc<AtomicBool>>,
}

impl FiniteSolver for Z3Finite {
    fn solve(
        &mut self,
        fp: &FiniteProblem<'_>,
        n: usize,
        tests: &[Vec<u64>],
        blocked: &[Program],
        structure: Option<&Program>,
        timeout: Duration,
    ) -> FiniteAnswer {
        let problem = fp.problem;
        let target = &problem.targets[0];
        let params = target.param_types();
        let ret = target.ret.ty();
        let sk = Skeleton::new(fp.comps, &params, ret, n);
        let mut conjuncts = sk.wellformed(fp.symmetry);
        conjuncts.extend(blocked.iter().filter(|p| p.len() == n).map(|p| sk.block(p)));
        if let Some(s) = structure {
            conjuncts.extend(sk.fix_structure(s));
        }
        for test in tests {
            let vars: Vec<BV> = problem
                .vars
                .iter()
                .zip(test)
                .map(|(v, &x)| BV::from_u64(v.sort.ty().wrap(x), v.sort.ty().width()))
                .collect();
            for c in &problem.constraints {
                let term = encode_formula_with(&mut Z3Terms, problem, c, &vars, &mut |_, _, args, _| {
                    sk.circuit(args, false).0
                });
                conjuncts.push(is_true(&term));
            }
            if let Some(safety) = &problem.safety
                && ir::eval(&safety.exempt, test) & 1 == 0
            {
                conjuncts.extend(sk.circuit(&vars, true).1);
            }
        }
        match solve_cancellable(&Bool::and(&conjuncts), timeout, self.cancel.as_ref()) {
            SatOutcome::Unsat => FiniteAnswer::NoProgram,
            SatOutcome::Unknown(why) => FiniteAnswer::Unknown(why),
            SatOutcome::Sat(model) => match sk.read(&model) {
                Ok(p) => FiniteAnswer::Found(p),
                Err(why) => FiniteAnswer::Unknown(format!("unreadable model: {why}")),
            },
        }
    }
}
