//! Constant synthesis: values for the holes of a sketch, found by Z3 (as in Souper).
//!
//! A sketch is a candidate body whose constants are replaced by extra parameters (holes). Given
//! test inputs, the query asks for hole values under which every constraint holds at every
//! test: `exists h. AND over tests t, constraints c: c(t, sketch(.., h))`. The inputs are
//! concrete, so the query is quantifier-free; the search then verifies the instantiated
//! candidate for all inputs and, on a counterexample, asks again with one more test.

use ir::{Function, Problem};
use z3::ast::{BV, Bool};

use super::encoding::{encode_formula_with, encode_function};
use super::z3_terms::{Outcome, Z3Terms, fresh_input, is_true, model_value, solve};
use super::{VerifyError, VerifyOptions, validate};

/// The answer of [`solve_holes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoleVerdict {
    /// Hole values (masked bits, in hole order) that satisfy the constraints on every test.
    Found(Vec<u64>),
    /// No hole values satisfy the constraints on the tests.
    NoneExist,
    /// Z3 could not decide within the timeout.
    Unknown(String),
}

/// Finds values for the holes of `sketch`, a body for the problem's single target whose first
/// parameters are the target's and whose remaining parameters are the holes, such that every
/// constraint holds at each of `tests` (one value per problem variable).
pub fn solve_holes(
    problem: &Problem,
    sketch: &Function,
    tests: &[Vec<u64>],
    opts: &VerifyOptions,
) -> Result<HoleVerdict, VerifyError> {
    validate::function(sketch)?;
    let [target] = problem.targets.as_slice() else {
        return Err(VerifyError::InvalidProblem("hole solving needs exactly one target".into()));
    };
    let n_params = target.params.len();
    if sketch.params.len() < n_params
        || sketch.params.iter().zip(target.param_types()).any(|(p, t)| p.ty != t)
        || sketch.ret_ty != target.ret.ty()
    {
        return Err(VerifyError::InvalidProblem(format!(
            "sketch `{}` does not extend the target's signature",
            sketch.name
        )));
    }
    let holes: Vec<BV> = sketch.params[n_params..]
        .iter()
        .enumerate()
        .map(|(i, p)| fresh_input(&format!("hole{i}"), p.ty.width()))
        .collect();
    let mut conjuncts = Vec::new();
    for test in tests {
        if test.len() != problem.vars.len() {
            return Err(VerifyError::InvalidProblem("a test has the wrong number of variable values".into()));
        }
        let vars: Vec<BV> = problem
            .vars
            .iter()
            .zip(test)
            .map(|(v, &x)| BV::from_u64(v.sort.ty().wrap(x), v.sort.ty().width()))
            .collect();
        for c in &problem.constraints {
            let term = encode_formula_with(&mut Z3Terms, problem, c, &vars, &mut |b, _, args, prefix| {
                let mut all = args.to_vec();
                all.extend(holes.iter().cloned());
                encode_function(b, sketch, &all, prefix)
            });
            conjuncts.push(is_true(&term));
        }
    }
    match solve(&Bool::and(&conjuncts), opts.timeout) {
        Outcome::Unsat => Ok(HoleVerdict::NoneExist),
        Outcome::Unknown(reason) => Ok(HoleVerdict::Unknown(reason)),
        Outcome::Sat(model) => {
            let values: Option<Vec<u64>> = holes.iter().map(|h| model_value(&model, h)).collect();
            match values {
                Some(v) => Ok(HoleVerdict::Found(v)),
                None => Err(VerifyError::Inconsistent { inputs: vec![], message: "Z3 gave no value to a hole".into() }),
            }
        }
    }
}
