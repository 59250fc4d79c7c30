//! The last check before an answer is printed: native code (Cranelift JIT) against the reference
//! interpreter on many random inputs, and the problem's constraints on random variable values
//! with the native function substituted for the target.

use std::time::Instant;

use backend::NativeFn;
use ir::{Function, Interpreter, Problem};

use crate::search::Rng;

/// Why a validated answer was rejected (always a bug: the answer was already proved).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// Bug: the backend could not compile the function.
    #[error("native compilation failed: {0}")]
    Compile(String),
    /// Bug: native code and the interpreter disagree.
    #[error("native code returns {native} but the interpreter {interpreted} on inputs {inputs:?}")]
    Mismatch {
        /// The inputs.
        inputs: Vec<u64>,
        /// Native result.
        native: u64,
        /// Interpreter result.
        interpreted: u64,
    },
    /// Bug: a proved answer differs from the reference function.
    #[error("the answer returns {answer} but the reference {reference} on inputs {inputs:?}")]
    Reference {
        /// The inputs.
        inputs: Vec<u64>,
        /// The answer's result (native code).
        answer: u64,
        /// The reference's result (native code).
        reference: u64,
    },
    /// Bug: a proved answer violates a constraint on concrete values.
    #[error("constraint {constraint} fails for variable values {vars:?}")]
    Constraint {
        /// Index of the constraint.
        constraint: usize,
        /// The variable values.
        vars: Vec<u64>,
    },
    /// Bug: a proved answer reaches a guarded case its discipline forbids.
    #[error("the answer reaches {case} on inputs {inputs:?}, which its `defined` discipline forbids")]
    Safety {
        /// The inputs.
        inputs: Vec<u64>,
        /// What it reaches.
        case: String,
    },
}

/// An edge-biased random value of `ty`.
fn random_value(ty: ir::Type, rng: &mut Rng) -> u64 {
    crate::search::interesting_value(ty, &[], rng)
}

/// Fills `rows` (row-major, one value per type per row) with edge-biased random values.
fn fill_random_rows(types: &[ir::Type], rows: &mut [u64], rng: &mut Rng) {
    for row in rows.chunks_mut(types.len().max(1)) {
        for (slot, &t) in row.iter_mut().zip(types) {
            *slot = random_value(t, rng);
        }
    }
}

/// Runs each target's function natively on `rows` random inputs (batch) and compares every
/// result with the interpreter; then checks the problem's constraints on `assignments` random
/// variable values, calling the native functions for the targets. Stops adding inputs at
/// `deadline` (after one batch at least). Returns the number of native runs compared per
/// function (the smallest, with several).
pub fn validate(
    problem: &Problem,
    functions: &[Function],
    rows: usize,
    assignments: usize,
    seed: u64,
    deadline: Instant,
) -> Result<usize, ValidationError> {
    let mut natives = Vec::new();
    let mut compared = rows;
    for (i, f) in functions.iter().enumerate() {
        let (native, n) = compare_native(f, rows, seed.wrapping_add(i as u64), deadline)?;
        natives.push(native);
        compared = compared.min(n);
    }
    let mut rng = Rng::new(seed ^ 0x5eed);
    for i in 0..assignments {
        if i % 256 == 255 && Instant::now() >= deadline {
            break;
        }
        let vars: Vec<u64> = problem.vars.iter().map(|v| random_value(v.sort.ty(), &mut rng)).collect();
        for (ci, c) in problem.constraints.iter().enumerate() {
            if c.eval(problem, &vars, &mut |t, args| natives[t].call(args)) & 1 == 0 {
                return Err(ValidationError::Constraint { constraint: ci, vars });
            }
        }
        if problem.vars.is_empty() {
            break;
        }
    }
    if let (Some(safety), [answer]) = (&problem.safety, functions) {
        check_safety(safety, answer, rows, seed ^ 0x5afe, deadline)?;
    }
    Ok(compared)
}

/// Runs the answer's guard function and the discipline's exemption natively on random inputs:
/// outside the exemption the answer must reach no guarded case.
fn check_safety(
    safety: &ir::Safety,
    answer: &Function,
    rows: usize,
    seed: u64,
    deadline: Instant,
) -> Result<(), ValidationError> {
    use ir::guards::{Evaluation, GuardKind, guard_function};
    let compile = |f: &Function| NativeFn::compile(f).map_err(|e| ValidationError::Compile(e.to_string()));
    let guard = compile(&guard_function(answer, Evaluation::Eager, &GuardKind::ALL))?;
    let exempt = compile(&safety.exempt)?;
    let types = answer.param_types();
    let k = types.len();
    let mut rng = Rng::new(seed);
    const BATCH: usize = 4096;
    let mut inputs = vec![0u64; BATCH * k];
    let (mut hit, mut free) = (vec![0u64; BATCH], vec![0u64; BATCH]);
    let mut done = 0;
    while done < rows {
        let n = BATCH.min(rows - done);
        fill_random_rows(&types, &mut inputs[..n * k], &mut rng);
        guard.call_batch(&inputs[..n * k], &mut hit[..n]);
        exempt.call_batch(&inputs[..n * k], &mut free[..n]);
        if let Some(r) = (0..n).find(|&r| hit[r] & 1 == 1 && free[r] & 1 == 0) {
            let row = inputs[r * k..(r + 1) * k].to_vec();
            let cases = ir::guards::cases_hit(answer, &row, Evaluation::Eager);
            let case = cases.iter().map(ToString::to_string).collect::<Vec<_>>().join(" and ");
            return Err(ValidationError::Safety { inputs: row, case });
        }
        done += n;
        if Instant::now() >= deadline {
            break;
        }
    }
    Ok(())
}

/// Compiles `f` and compares native code with the interpreter on up to `rows` random inputs
/// (stopping at `deadline`, after one batch at least); returns the code and the rows compared.
fn compare_native(
    f: &Function,
    rows: usize,
    seed: u64,
    deadline: Instant,
) -> Result<(NativeFn, usize), ValidationError> {
    let native = NativeFn::compile(f).map_err(|e| ValidationError::Compile(e.to_string()))?;
    let interp = Interpreter::new(f).map_err(|e| ValidationError::Compile(e.to_string()))?;
    let types = f.param_types();
    let mut rng = Rng::new(seed);
    let k = types.len();
    const BATCH: usize = 4096;
    let mut inputs = vec![0u64; BATCH * k];
    let mut out = vec![0u64; BATCH];
    let mut slots = Vec::new();
    let mut done = 0;
    while done < rows {
        let n = BATCH.min(rows - done);
        fill_random_rows(&types, &mut inputs[..n * k], &mut rng);
        native.call_batch(&inputs[..n * k], &mut out[..n]);
        for r in 0..n {
            let args = &inputs[r * k..(r + 1) * k];
            let expected = interp.eval_into(args, &mut slots);
            if out[r] != expected {
                return Err(ValidationError::Mismatch { inputs: args.to_vec(), native: out[r], interpreted: expected });
            }
        }
        done += n;
        if Instant::now() >= deadline {
            break;
        }
    }
    Ok((native, done))
}

/// Runs the answer and the reference function natively on the same `rows` random inputs
/// (those where the precondition `pre` holds, if there is one) and compares them, stopping at
/// `deadline` after one batch at least. Returns the number of inputs compared.
pub fn compare_with_reference(
    f: &Function,
    reference: &Function,
    pre: Option<&Function>,
    rows: usize,
    seed: u64,
    deadline: Instant,
) -> Result<usize, ValidationError> {
    let answer = NativeFn::compile(f).map_err(|e| ValidationError::Compile(e.to_string()))?;
    let expected = NativeFn::compile(reference).map_err(|e| ValidationError::Compile(e.to_string()))?;
    let assumed = pre.map(NativeFn::compile).transpose().map_err(|e| ValidationError::Compile(e.to_string()))?;
    let types = f.param_types();
    let k = types.len();
    let mut rng = Rng::new(seed);
    const BATCH: usize = 4096;
    let mut inputs = vec![0u64; BATCH * k];
    let (mut a, mut b, mut holds) = (vec![0u64; BATCH], vec![0u64; BATCH], vec![1u64; BATCH]);
    let mut done = 0;
    let mut compared = 0;
    while done < rows {
        let n = BATCH.min(rows - done);
        fill_random_rows(&types, &mut inputs[..n * k], &mut rng);
        answer.call_batch(&inputs[..n * k], &mut a[..n]);
        expected.call_batch(&inputs[..n * k], &mut b[..n]);
        if let Some(pre) = &assumed {
            pre.call_batch(&inputs[..n * k], &mut holds[..n]);
        }
        compared += holds[..n].iter().filter(|&&h| h & 1 == 1).count();
        if let Some(r) = (0..n).find(|&r| holds[r] & 1 == 1 && a[r] != b[r]) {
            return Err(ValidationError::Reference {
                inputs: inputs[r * k..(r + 1) * k].to_vec(),
                answer: a[r],
                reference: b[r],
            });
        }
        done += n;
        if Instant::now() >= deadline {
            break;
        }
    }
    Ok(compared)
}
