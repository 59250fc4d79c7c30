//! Input checks run before anything is encoded: functions verify, signatures fit the query,
//! problems are well-formed. After these pass the encoding can index and cast without checks.

use ir::{Function, Problem, Sort, Type};

use super::VerifyError;

/// Runs the IR verifier on `f`.
pub(crate) fn function(f: &Function) -> Result<(), VerifyError> {
    ir::verify_function(f).map_err(VerifyError::InvalidFunction)
}

/// `fn(i32, i8) -> i32`.
pub(crate) fn signature_text(params: &[Type], ret: Type) -> String {
    let params: Vec<String> = params.iter().map(Type::to_string).collect();
    format!("fn({}) -> {ret}", params.join(", "))
}

/// Checks that `f` takes `params` and returns `ret`; `what` names `f`'s role in the message.
pub(crate) fn signature(f: &Function, params: &[Type], ret: Type, what: &str) -> Result<(), VerifyError> {
    let found = f.param_types();
    if found == params && f.ret_ty == ret {
        Ok(())
    } else {
        Err(VerifyError::SignatureMismatch {
            what: format!("{what} `{}`", f.name),
            expected: signature_text(params, ret),
            found: signature_text(&found, f.ret_ty),
        })
    }
}

fn sort_type(sort: Sort, what: impl FnOnce() -> String) -> Result<Type, VerifyError> {
    let width = match sort {
        Sort::Bool => 1,
        Sort::BitVec(w) => w,
    };
    Type::new(width).ok_or_else(|| VerifyError::InvalidProblem(format!("{} has width {width}, outside 1..=64", what())))
}

/// Checks `problem`: sorts of at most 64 bits, operand types, node order, call signatures and
/// constants.
pub(crate) fn problem_alone(problem: &Problem) -> Result<(), VerifyError> {
    for v in &problem.vars {
        sort_type(v.sort, || format!("variable `{}`", v.name))?;
    }
    for t in &problem.targets {
        for (name, sort) in &t.params {
            sort_type(*sort, || format!("parameter `{name}` of target `{}`", t.name))?;
        }
        sort_type(t.ret, || format!("the result of target `{}`", t.name))?;
    }
    // After the sorts, which it assumes valid.
    problem.check().map_err(VerifyError::InvalidProblem)
}

/// Checks `problem` and that `solutions[i]` is a verified body of the signature of target `i`.
pub(crate) fn problem(problem: &Problem, solutions: &[Function]) -> Result<(), VerifyError> {
    problem_alone(problem)?;
    if solutions.len() != problem.targets.len() {
        return Err(VerifyError::SignatureMismatch {
            what: format!("solutions of problem `{}`", problem.name),
            expected: format!("{} function(s), one per target", problem.targets.len()),
            found: format!("{} function(s)", solutions.len()),
        });
    }
    for (t, f) in problem.targets.iter().zip(solutions) {
        function(f)?;
        signature(f, &t.param_types(), t.ret.ty(), &format!("solution for target `{}`", t.name))?;
    }
    Ok(())
}
