//! Reading counterexamples from Z3 models and confirming them with the reference interpreter.
//!
//! A counterexample is only returned after the interpreter reproduces it: the inputs must really
//! distinguish the functions (or violate the spec), and every value Z3's model gives the encoded
//! terms must equal the interpreter's. Any disagreement is [`VerifyError::Inconsistent`], a bug in
//! the encoding, Z3 or the interpreter, and is never ignored.

use ir::{Function, Interpreter, Problem};
use z3::Model;
use z3::ast::BV;

use super::z3_terms::model_value;
use super::{Counterexample, VerifyError};

/// The values of `terms` in `model`, or why they cannot be read.
pub(crate) fn read_values(model: &Model, terms: &[BV]) -> Result<Vec<u64>, String> {
    terms.iter().map(|t| model_value(model, t).ok_or_else(|| format!("Z3's model gives no numeral for {t}"))).collect()
}

fn interpreter(f: &Function) -> Interpreter {
    Interpreter::new(f).expect("functions are verified before they are encoded")
}

fn inconsistent(inputs: &[u64], message: String) -> VerifyError {
    VerifyError::Inconsistent { inputs: inputs.to_vec(), message }
}

/// Confirms that `inputs` distinguish `f` and `g`, and that Z3's values `z3_left`/`z3_right` of
/// their results are the interpreter's.
pub(crate) fn confirm_distinguishes(
    f: &Function,
    g: &Function,
    inputs: Vec<u64>,
    z3_left: u64,
    z3_right: u64,
) -> Result<Counterexample, VerifyError> {
    let left = interpreter(f).eval(&inputs);
    let right = interpreter(g).eval(&inputs);
    if (left, right) != (z3_left, z3_right) {
        return Err(inconsistent(
            &inputs,
            format!(
                "Z3 evaluates {} to {z3_left} and {} to {z3_right}; the interpreter gives {left} and {right}",
                f.name, g.name
            ),
        ));
    }
    if left == right {
        return Err(inconsistent(&inputs, format!("Z3 claims the results differ, but both are {left}")));
    }
    Ok(Counterexample { inputs, left, right })
}

/// Z3's values at a spec counterexample: the result, the precondition (if any) and the
/// postcondition.
pub(crate) struct SpecValues {
    pub result: u64,
    pub pre: Option<u64>,
    pub post: u64,
}

/// Confirms that `inputs` satisfy `pre` and violate `post` for `f`'s result, with the values Z3
/// gave; returns `f`'s result.
pub(crate) fn confirm_violates(
    f: &Function,
    pre: Option<&Function>,
    post: &Function,
    inputs: &[u64],
    z3: SpecValues,
) -> Result<u64, VerifyError> {
    let result = interpreter(f).eval(inputs);
    let pre_value = pre.map(|p| interpreter(p).eval(inputs));
    let mut post_args = inputs.to_vec();
    post_args.push(result);
    let post_value = interpreter(post).eval(&post_args);
    if (result, pre_value, post_value) != (z3.result, z3.pre, z3.post) {
        return Err(inconsistent(
            inputs,
            format!(
                "Z3 gives result {}, pre {:?}, post {}; the interpreter gives result {result}, pre {pre_value:?}, post {post_value}",
                z3.result, z3.pre, z3.post
            ),
        ));
    }
    if pre_value == Some(0) || post_value != 0 {
        return Err(inconsistent(inputs, "Z3 claims a violation, but the interpreter finds none".into()));
    }
    Ok(result)
}

/// Confirms that the variable values `vars` violate a constraint of `problem` with `solutions`,
/// and that Z3's value of every constraint (`z3_values`) is the interpreter's.
pub(crate) fn confirm_problem_violation(
    problem: &Problem,
    solutions: &[Function],
    vars: &[u64],
    z3_values: &[u64],
) -> Result<(), VerifyError> {
    let interpreters: Vec<Interpreter> = solutions.iter().map(interpreter).collect();
    let mut call = |target: usize, args: &[u64]| interpreters[target].eval(args);
    let values: Vec<u64> = problem.constraints.iter().map(|c| c.eval(problem, vars, &mut call)).collect();
    if values != z3_values {
        return Err(inconsistent(
            vars,
            format!("Z3 gives the constraints the values {z3_values:?}; the interpreter gives {values:?}"),
        ));
    }
    if values.iter().all(|&v| v == 1) {
        return Err(inconsistent(vars, "Z3 claims a violated constraint, but the interpreter finds none".into()));
    }
    Ok(())
}
