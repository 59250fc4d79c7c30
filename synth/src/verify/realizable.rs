//! Infeasibility of single-invocation problems, for every grammar at once: an input at which no
//! output value meets the constraints.
//!
//! A problem is *single-invocation* when every call of each target, in every constraint, takes
//! the same argument terms (`f(x, y)` everywhere; not `f(x, y)` and `f(y, x)`, not `f(f(x))`).
//! Then at any assignment of the variables each target contributes one unknown output value,
//! and the problem is infeasible for every function (whatever the grammar) if some assignment
//! `x0` leaves no output values that satisfy all the constraints: `∃x ∀y. ¬φ(x, y)`.
//!
//! Invariants of [`unrealizable_input`]:
//! - the quantified query only *proposes* `x0`; the verdict rests on a quantifier-free query,
//!   `φ(x0, y)` unsatisfiable, answered `unsat` by Z3 (and, when the outputs have at most
//!   [`EXHAUSTIVE_OUTPUT_BITS`] bits together, on the interpreter refuting every output value);
//! - anything else (not single-invocation, `unknown`, timeout, a proposal that does not check)
//!   is `None`: no claim.

use std::time::{Duration, Instant};

use ir::Problem;
use z3::ast::{Ast, BV, Bool};
use z3::{Params, SatResult, Solver};

use super::encoding::encode_formula_with;
use super::z3_terms::{Outcome, Z3Terms, fresh_input, is_true, model_value, solve};
use super::{VerifyError, validate, watchdog};

/// Outputs of at most this many bits in total are also refuted one by one by the interpreter.
pub const EXHAUSTIVE_OUTPUT_BITS: u32 = 12;

/// An assignment of the problem's variables at which no values of the targets' outputs satisfy
/// all constraints (so no function, in any grammar, is an answer), proved as the module docs
/// say; `None` when that is not established within `timeout` (no claim either way).
pub fn unrealizable_input(problem: &Problem, timeout: Duration) -> Result<Option<Vec<u64>>, VerifyError> {
    validate::problem_alone(problem)?;
    let start = Instant::now();
    let vars: Vec<BV> = problem.vars.iter().map(|v| fresh_input(&v.name, v.sort.ty().width())).collect();
    let outputs: Vec<BV> =
        problem.targets.iter().map(|t| fresh_input(&format!("{}_out", t.name), t.ret.ty().width())).collect();
    let mut calls: Vec<Option<Vec<BV>>> = vec![None; problem.targets.len()];
    let mut single = true;
    let mut conjuncts: Vec<Bool> = Vec::with_capacity(problem.constraints.len());
    for c in &problem.constraints {
        let term = encode_formula_with(&mut Z3Terms, problem, c, &vars, &mut |_, target, args, _| {
            match &calls[target] {
                None => calls[target] = Some(args.to_vec()),
                Some(first) => single &= first.len() == args.len() && first.iter().zip(args).all(|(a, b)| a == b),
            }
            outputs[target].clone()
        });
        conjuncts.push(is_true(&term));
    }
    if !single || conjuncts.is_empty() {
        return Ok(None);
    }
    let phi = Bool::and(&conjuncts);
    let bounds: Vec<&dyn Ast> = outputs.iter().map(|o| o as &dyn Ast).collect();
    let no_output = z3::ast::forall_const(&bounds, &[], &phi.not());
    let Some(x0) = propose(&no_output, &vars, timeout)? else { return Ok(None) };
    // The proof: with the variables fixed to `x0`, no output values satisfy the constraints.
    let numerals: Vec<BV> = problem.vars.iter().zip(&x0).map(|(v, &x)| BV::from_u64(x, v.sort.ty().width())).collect();
    let pairs: Vec<(&BV, &BV)> = vars.iter().zip(&numerals).collect();
    let at_x0 = phi.substitute(&pairs);
    let left = timeout.saturating_sub(start.elapsed()).max(Duration::from_millis(100));
    if !matches!(solve(&at_x0, left), Outcome::Unsat) {
        return Ok(None);
    }
    if !interpreter_agrees(problem, &x0) {
        return Err(VerifyError::Inconsistent {
            inputs: x0,
            message: "Z3 found no output values here, but the interpreter found some".into(),
        });
    }
    Ok(Some(x0))
}

/// Asks Z3 for a model of the quantified `claim` (free constants: `vars`); `None` unless `sat`.
fn propose(claim: &Bool, vars: &[BV], timeout: Duration) -> Result<Option<Vec<u64>>, VerifyError> {
    let solver = Solver::new();
    let mut params = Params::new();
    let millis = timeout.as_millis().clamp(1, u128::from(u32::MAX - 1)) as u32;
    params.set_u32("timeout", millis);
    solver.set_params(&params);
    solver.assert(claim);
    if watchdog::guarded_cancellable(solver.get_context(), timeout, None, || solver.check()) != SatResult::Sat {
        return Ok(None);
    }
    let Some(model) = solver.get_model() else { return Ok(None) };
    // A variable the claim does not constrain has no value in the model: any value will do.
    Ok(Some(vars.iter().map(|v| model_value(&model, v).unwrap_or(0)).collect()))
}

/// With few output bits: the interpreter also finds no output values that satisfy every
/// constraint at `x0` (true without checking when the outputs are wider).
fn interpreter_agrees(problem: &Problem, x0: &[u64]) -> bool {
    let widths: Vec<u32> = problem.targets.iter().map(|t| t.ret.ty().width()).collect();
    let bits: u32 = widths.iter().sum();
    if bits > EXHAUSTIVE_OUTPUT_BITS {
        return true;
    }
    (0u64..1 << bits).all(|packed| {
        let mut shift = 0;
        let values: Vec<u64> = widths
            .iter()
            .map(|&w| {
                let v = (packed >> shift) & ((1u64 << w) - 1);
                shift += w;
                v
            })
            .collect();
        let mut call = |target: usize, _: &[u64]| values[target];
        !problem.constraints.iter().all(|c| c.eval(problem, x0, &mut call) == 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> Problem {
        frontend::sygus::parse_sygus(text).unwrap_or_else(|e| panic!("{e}")).problem
    }

    const SECOND: Duration = Duration::from_secs(10);

    #[test]
    fn an_input_with_no_output_proves_infeasibility() {
        // f(x) > x and f(x) <= x cannot both hold at any x.
        let p = problem(
            "(set-logic BV)(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))(declare-var x (_ BitVec 8))\
             (constraint (bvugt (f x) x))(check-synth)",
        );
        // Only x = #xff has no greater value.
        assert_eq!(unrealizable_input(&p, SECOND).unwrap(), Some(vec![0xff]));
    }

    #[test]
    fn realizable_problems_get_no_claim() {
        let p = problem(
            "(set-logic BV)(synth-fun f ((x (_ BitVec 32))) (_ BitVec 32))(declare-var x (_ BitVec 32))\
             (constraint (= (f x) (bvadd x #x00000001)))(check-synth)",
        );
        assert_eq!(unrealizable_input(&p, SECOND).unwrap(), None);
    }

    #[test]
    fn calls_on_different_arguments_are_not_single_invocation() {
        // f(x) = x + 1 at x and f(x + 1) = x: infeasible (f(1) = 2 and f(1) = 0), but not by this
        // argument: the calls take different arguments.
        let p = problem(
            "(set-logic BV)(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))(declare-var x (_ BitVec 8))\
             (constraint (= (f x) (bvadd x #x01)))(constraint (= (f (bvadd x #x01)) x))(check-synth)",
        );
        assert_eq!(unrealizable_input(&p, SECOND).unwrap(), None);
    }

    #[test]
    fn several_targets_and_free_variables() {
        // g(x, y) and h(x, y) must both equal y and differ: impossible at every input.
        let p = problem(
            "(set-logic BV)(synth-fun g ((x (_ BitVec 4)) (y (_ BitVec 4))) (_ BitVec 4))\
             (synth-fun h ((x (_ BitVec 4)) (y (_ BitVec 4))) (_ BitVec 4))\
             (declare-var x (_ BitVec 4))(declare-var y (_ BitVec 4))\
             (constraint (= (g x y) (h x y)))(constraint (distinct (g x y) (h x y)))(check-synth)",
        );
        let x0 = unrealizable_input(&p, SECOND).unwrap().expect("infeasible everywhere");
        assert_eq!(x0.len(), 2);
    }
}

/// Time and verdict per file of a folder:
/// `SYNTH_REALIZABLE_DIR=... cargo test -p synth --lib realizable::measure -- --ignored --nocapture`.
#[cfg(test)]
mod measure {
    #[test]
    #[ignore]
    fn every_file() {
        let Ok(dir) = std::env::var("SYNTH_REALIZABLE_DIR") else {
            eprintln!("set SYNTH_REALIZABLE_DIR to a folder of .sl files");
            return;
        };
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else { continue };
            let Ok(file) = frontend::sygus::parse_sygus(&text) else { continue };
            let t = std::time::Instant::now();
            let r = super::unrealizable_input(&file.problem, std::time::Duration::from_secs(5));
            println!(
                "{:60} {:?} {:.3}s",
                f.file_name().unwrap().to_string_lossy(),
                r.map(|o| o.is_some()),
                t.elapsed().as_secs_f64()
            );
        }
    }
}
