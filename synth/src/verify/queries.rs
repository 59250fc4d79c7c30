//! The verification queries: equivalence, pre/postcondition specs, general problems.
//!
//! Each query validates its input, encodes it once on fresh input constants, asserts the
//! negation of the claim and asks Z3 (with the options' timeout). `unsat` proves the claim; a
//! model is a counterexample, confirmed by the interpreter before it is returned.

use ir::{Function, Problem, Type};
use z3::ast::{BV, Bool};

use super::counterexample::{self, SpecValues, read_values};
use super::encoding::{encode_formula, encode_function};
use super::z3_terms::{Outcome, Z3Terms, fresh_input, ground_value, is_true, solve};
use super::{ProblemVerdict, SpecVerdict, Verdict, VerifyError, VerifyOptions, validate};

/// Fresh input constants for parameters of these types, named after `f`'s parameters.
fn inputs_for(f: &Function) -> Vec<BV> {
    f.params.iter().map(|p| fresh_input(&p.value.to_string(), p.ty.width())).collect()
}

fn model_error(inputs: &[u64], message: String) -> VerifyError {
    VerifyError::Inconsistent { inputs: inputs.to_vec(), message }
}

/// Proves or refutes that `f` and `g` (same parameter and result types) return the same value
/// for every input.
pub fn check_equivalent(f: &Function, g: &Function, opts: &VerifyOptions) -> Result<Verdict, VerifyError> {
    validate::function(f)?;
    validate::function(g)?;
    validate::signature(g, &f.param_types(), f.ret_ty, "the second function")?;
    let inputs = inputs_for(f);
    let left = encode_function(&mut Z3Terms, f, &inputs, "");
    let right = encode_function(&mut Z3Terms, g, &inputs, "");
    match solve(&left.eq(&right).not(), opts.timeout) {
        Outcome::Unsat => Ok(Verdict::Equivalent),
        Outcome::Unknown(reason) => Ok(Verdict::Unknown(reason)),
        Outcome::Sat(model) => {
            let values = read_values(&model, &inputs).map_err(|m| model_error(&[], m))?;
            let outputs = read_values(&model, &[left, right]).map_err(|m| model_error(&values, m))?;
            let cex = counterexample::confirm_distinguishes(f, g, values, outputs[0], outputs[1])?;
            Ok(Verdict::NotEquivalent(cex))
        }
    }
}

/// The same as [`check_equivalent`], under the name of the original design's library API.
pub fn prove_equivalent(f: &Function, g: &Function, opts: &VerifyOptions) -> Result<Verdict, VerifyError> {
    check_equivalent(f, g, opts)
}

/// Proves or refutes that for all inputs where `pre(params) -> i1` holds (all inputs if `None`),
/// `post(params..., f(params)) -> i1` holds.
pub fn check_spec(
    f: &Function,
    pre: Option<&Function>,
    post: &Function,
    opts: &VerifyOptions,
) -> Result<SpecVerdict, VerifyError> {
    validate::function(f)?;
    let params = f.param_types();
    if let Some(pre) = pre {
        validate::function(pre)?;
        validate::signature(pre, &params, Type::I1, "precondition")?;
    }
    validate::function(post)?;
    let mut post_params = params.clone();
    post_params.push(f.ret_ty);
    validate::signature(post, &post_params, Type::I1, "postcondition")?;

    let inputs = inputs_for(f);
    let result = encode_function(&mut Z3Terms, f, &inputs, "");
    let pre_term = pre.map(|p| encode_function(&mut Z3Terms, p, &inputs, ""));
    let mut post_args = inputs.clone();
    post_args.push(result.clone());
    let post_term = encode_function(&mut Z3Terms, post, &post_args, "");
    let violated = is_true(&post_term).not();
    let query = match &pre_term {
        Some(p) => Bool::and(&[is_true(p), violated]),
        None => violated,
    };
    match solve(&query, opts.timeout) {
        Outcome::Unsat => Ok(SpecVerdict::Holds),
        Outcome::Unknown(reason) => Ok(SpecVerdict::Unknown(reason)),
        Outcome::Sat(model) => {
            let values = read_values(&model, &inputs).map_err(|m| model_error(&[], m))?;
            let mut terms = vec![result, post_term];
            terms.extend(pre_term);
            let z3 = read_values(&model, &terms).map_err(|m| model_error(&values, m))?;
            let z3 = SpecValues { result: z3[0], post: z3[1], pre: z3.get(2).copied() };
            let result = counterexample::confirm_violates(f, pre, post, &values, z3)?;
            Ok(SpecVerdict::Violated { inputs: values, result })
        }
    }
}

/// Proves or refutes that every constraint of `problem` holds for all values of its variables
/// when target `i` has body `solutions[i]`, and, with a defined-behaviour discipline
/// (`problem.safety`), that the answer reaches no forbidden guarded case.
pub fn check_problem(
    problem: &Problem,
    solutions: &[Function],
    opts: &VerifyOptions,
) -> Result<ProblemVerdict, VerifyError> {
    validate::problem(problem, solutions)?;
    if problem.safety.is_some() {
        // The discipline is one more constraint over the answer's guard function.
        let (augmented, guard) = ir::Safety::augmented(problem, &solutions[0]);
        return check_problem(&augmented, &[solutions[0].clone(), guard], opts);
    }
    if problem.vars.is_empty() {
        // Ground constraints: the interpreter decides them exactly.
        let interpreters: Vec<ir::Interpreter> =
            solutions.iter().map(|f| ir::Interpreter::new(f).expect("validated")).collect();
        let mut call = |target: usize, args: &[u64]| interpreters[target].eval(args);
        let holds = problem.constraints.iter().all(|c| c.eval(problem, &[], &mut call) == 1);
        return Ok(if holds { ProblemVerdict::Holds } else { ProblemVerdict::Violated { vars: Vec::new() } });
    }
    let vars: Vec<BV> = problem.vars.iter().map(|v| fresh_input(&v.name, v.sort.ty().width())).collect();
    let constraints: Vec<BV> =
        problem.constraints.iter().map(|c| encode_formula(&mut Z3Terms, problem, c, &vars, solutions)).collect();
    let violations: Vec<Bool> = constraints.iter().map(|c| is_true(c).not()).collect();
    match solve(&Bool::or(&violations), opts.timeout) {
        Outcome::Unsat => Ok(ProblemVerdict::Holds),
        Outcome::Unknown(reason) => Ok(ProblemVerdict::Unknown(reason)),
        Outcome::Sat(model) => {
            let values = read_values(&model, &vars).map_err(|m| model_error(&[], m))?;
            let z3_values = read_values(&model, &constraints).map_err(|m| model_error(&values, m))?;
            counterexample::confirm_problem_violation(problem, solutions, &values, &z3_values)?;
            Ok(ProblemVerdict::Violated { vars: values })
        }
    }
}

/// Z3's reading of `f` on concrete arguments: the encoding with the arguments as numerals,
/// simplified to a numeral. Agrees with [`ir::eval`] on every input (the property tests check
/// it); meant for such agreement tests, not for fast evaluation. Arguments are masked to the
/// parameter types.
pub fn z3_eval(f: &Function, args: &[u64]) -> Result<u64, VerifyError> {
    validate::function(f)?;
    if args.len() != f.params.len() {
        return Err(VerifyError::SignatureMismatch {
            what: format!("arguments of `{}`", f.name),
            expected: format!("{} argument(s)", f.params.len()),
            found: format!("{} argument(s)", args.len()),
        });
    }
    let inputs: Vec<BV> = f.params.iter().zip(args).map(|(p, &a)| BV::from_u64(p.ty.wrap(a), p.ty.width())).collect();
    let result = encode_function(&mut Z3Terms, f, &inputs, "");
    ground_value(&result).ok_or_else(|| VerifyError::Inconsistent {
        inputs: args.to_vec(),
        message: format!("Z3 does not simplify the result of `{}` to a numeral", f.name),
    })
}
