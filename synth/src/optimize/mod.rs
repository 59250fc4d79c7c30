//! Verified optimization of an existing function (`synth optimize`, [`optimize`]): a cheaper
//! function proved equivalent to the input.
//!
//! The pipeline: equality saturation over the IR's rule library and DAG extraction
//! (`crate::egraph`), then Souper-style improvement by the enumerator: each window of the
//! function (a sub-DAG with at most a few inputs, `window.rs`) is handed to the search as a
//! synthesis task "equal to this window, cheaper than it", and a cheaper answer is spliced in
//! (then the e-graph runs again on the result). Finally the whole result is proved equivalent to
//! the input with Z3 (and, in the `defined` semantics, to reach no guarded case the input does
//! not reach itself), compiled and run against the interpreter on random inputs.
//!
//! Invariant: [`Optimized::proof`] is [`Proof::Verified`] only after that final proof of the
//! returned function against the input; with an unknown proof the input is returned unchanged
//! unless [`OptimizeOptions::keep_unproved`] asks otherwise.

mod window;

use std::time::{Duration, Instant};

use ir::{CostModel, Function, Problem, Semantics, Spec};
use serde::Serialize;

use crate::search::cost::function_cost;
use crate::solve::{SolveOptions, Status};
use crate::verify::VerifyOptions;

pub use window::{Window, windows};

/// Settings of [`optimize`].
#[derive(Debug, Clone)]
pub struct OptimizeOptions {
    /// The cost to lower.
    pub cost: CostModel,
    /// `Defined`: the result reaches no division by zero, `MIN / -1` or over-wide shift that
    /// the input does not reach itself (as its source runs); `Total`: the IR's semantics.
    pub semantics: Semantics,
    /// Time for the whole optimization, proof included.
    pub timeout: Duration,
    /// Run equality saturation.
    pub egraph: bool,
    /// Improve windows with the enumerator.
    pub enumerator: bool,
    /// Most inputs of a window given to the enumerator.
    pub window_inputs: usize,
    /// Time for one window's search.
    pub window_timeout: Duration,
    /// Time for all the windows of one enumerator round.
    pub enumerator_budget: Duration,
    /// E-graph node limit.
    pub egraph_nodes: usize,
    /// E-graph iteration limit.
    pub egraph_iterations: usize,
    /// Return the optimized function even if its final proof is unknown (marked so).
    pub keep_unproved: bool,
    /// Random inputs on which native code is compared with the interpreter.
    pub native_checks: usize,
    /// Worker threads of the searches.
    pub threads: usize,
    /// Seed of random tests.
    pub seed: u64,
    /// Keep the e-graph's explanation of each rewrite (for `--explain`).
    pub explain: bool,
}

impl Default for OptimizeOptions {
    fn default() -> Self {
        OptimizeOptions {
            cost: CostModel::Size,
            semantics: Semantics::Total,
            timeout: Duration::from_secs(30),
            egraph: true,
            enumerator: true,
            window_inputs: 3,
            window_timeout: Duration::from_millis(300),
            enumerator_budget: Duration::from_secs(1),
            egraph_nodes: 20_000,
            egraph_iterations: 12,
            keep_unproved: false,
            native_checks: 100_000,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            seed: 1,
            explain: false,
        }
    }
}

/// What the final proof established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Proof {
    /// Z3 proved the result equivalent to the input (and the discipline, if `defined`).
    Verified,
    /// Z3 could not decide; the reason.
    Unknown(String),
}

/// The engine a step came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// Equality saturation and extraction.
    Egraph,
    /// The enumerative search, on a window.
    Enumerator,
}

/// One step of an optimization.
#[derive(Debug, Clone, Serialize)]
pub struct OptimizeStep {
    /// Which engine made it.
    pub engine: Engine,
    /// Cost before and after the step.
    pub cost_before: u32,
    /// Cost after it.
    pub cost_after: u32,
    /// What happened (rules applied, or the window replaced and by what).
    pub detail: String,
}

/// The result of [`optimize`].
#[derive(Debug, Clone, Serialize)]
pub struct Optimized {
    /// The optimized function (the input itself when nothing cheaper was proved).
    #[serde(skip)]
    pub function: Function,
    /// The input's cost.
    pub cost_before: u32,
    /// The result's cost.
    pub cost_after: u32,
    /// What the final proof established.
    pub proof: Proof,
    /// The e-graph rules that rewrote something on the way to the result.
    pub rules_used: Vec<String>,
    /// The steps that lowered the cost, in order.
    pub steps: Vec<OptimizeStep>,
    /// Random inputs on which the result ran natively and agreed with the interpreter and the
    /// input.
    pub native_checks: usize,
    /// Wall-clock time in milliseconds.
    pub time_ms: f64,
}

/// Why [`optimize`] could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptimizeError {
    /// User error: the input function does not verify.
    #[error("invalid function: {0}")]
    Invalid(String),
    /// Bug: a proved result failed its native check.
    #[error("internal error: {0}")]
    Internal(String),
}

/// A cheaper function proved equivalent to `f` (see the module docs).
pub fn optimize(f: &Function, opts: &OptimizeOptions) -> Result<Optimized, OptimizeError> {
    ir::verify_function(f).map_err(|e| OptimizeError::Invalid(e.to_string()))?;
    let start = Instant::now();
    let deadline = crate::search::deadline_after(start, opts.timeout);
    let input = f.without_dead_code();
    let cost_before = function_cost(opts.cost, &input);
    let mut current = crate::search::simplify(&input);
    if function_cost(opts.cost, &current) > cost_before {
        current = input.clone();
    }
    let mut steps = Vec::new();
    let mut rules_used: Vec<String> = Vec::new();
    // Time for the final proof and native check is kept back from the improvement stages.
    let reserve = (opts.timeout / 4).min(Duration::from_secs(10));
    let improve_until = deadline.checked_sub(reserve).unwrap_or(deadline).max(start);
    let mut rounds = 0;
    loop {
        rounds += 1;
        let before_round = function_cost(opts.cost, &current);
        if opts.egraph && Instant::now() < improve_until {
            egraph_stage(&mut current, opts, improve_until, &mut steps, &mut rules_used);
        }
        if opts.enumerator && Instant::now() < improve_until {
            let until = improve_until.min(Instant::now() + opts.enumerator_budget);
            enumerator_stage(&mut current, opts, until, &mut steps);
        }
        let after_round = function_cost(opts.cost, &current);
        if after_round >= before_round || rounds >= 3 || Instant::now() >= improve_until {
            break;
        }
    }
    let cost_after = function_cost(opts.cost, &current);
    if cost_after >= cost_before {
        // Nothing cheaper: the input is its own optimum here (trivially equivalent).
        return Ok(Optimized {
            function: input,
            cost_before,
            cost_after: cost_before,
            proof: Proof::Verified,
            rules_used: Vec::new(),
            steps: Vec::new(),
            native_checks: 0,
            time_ms: start.elapsed().as_secs_f64() * 1000.0,
        });
    }
    let proof = final_proof(&input, &current, opts, deadline)?;
    let (function, cost_after, steps) = match (&proof, opts.keep_unproved) {
        (Proof::Verified, _) | (Proof::Unknown(_), true) => (current, cost_after, steps),
        (Proof::Unknown(_), false) => (input.clone(), cost_before, Vec::new()),
    };
    let native_checks = if function == input { 0 } else { native_check(&input, &function, opts, deadline)? };
    Ok(Optimized {
        function,
        cost_before,
        cost_after,
        proof,
        rules_used,
        steps,
        native_checks,
        time_ms: start.elapsed().as_secs_f64() * 1000.0,
    })
}

/// Equality saturation: replaces `current` by the extracted function if it is cheaper.
fn egraph_stage(
    current: &mut Function,
    opts: &OptimizeOptions,
    until: Instant,
    steps: &mut Vec<OptimizeStep>,
    rules_used: &mut Vec<String>,
) {
    let limits = crate::egraph::Limits {
        nodes: opts.egraph_nodes,
        iterations: opts.egraph_iterations,
        time: until.saturating_duration_since(Instant::now()).min(Duration::from_secs(5)),
        explain: opts.explain,
        ..crate::egraph::Limits::default()
    };
    let Ok(saturated) = crate::egraph::saturate_and_extract(current, opts.cost, &limits) else {
        return;
    };
    let before = function_cost(opts.cost, current);
    let after = function_cost(opts.cost, &saturated.function);
    if after < before && !introduces_guarded_cases(current, &saturated.function, opts.semantics) {
        for r in &saturated.rules_used {
            if !rules_used.iter().any(|u| u == r) {
                rules_used.push(r.to_string());
            }
        }
        let detail = match &saturated.explanation {
            Some(e) if opts.explain => e.clone(),
            _ => format!("rules: {}", saturated.rules_used.join(", ")),
        };
        steps.push(OptimizeStep { engine: Engine::Egraph, cost_before: before, cost_after: after, detail });
        *current = saturated.function;
    }
}

/// True if, in the `defined` semantics, `new` might reach a guarded case `old` does not
/// (checked on edge inputs: a cheap filter; the final proof decides).
fn introduces_guarded_cases(old: &Function, new: &Function, semantics: Semantics) -> bool {
    use ir::guards::{Evaluation, cases_hit, is_guarded};
    if semantics == Semantics::Total || !new.body.iter().any(|i| is_guarded(i.opcode)) {
        return false;
    }
    let types = old.param_types();
    let mut rng = crate::search::Rng::new(7);
    (0..256).any(|_| {
        let args: Vec<u64> = types.iter().map(|&t| crate::search::interesting_value(t, &[], &mut rng)).collect();
        !cases_hit(new, &args, Evaluation::Eager).is_empty() && cases_hit(old, &args, Evaluation::Lazy).is_empty()
    })
}

/// Souper-style: each window with a saving bound of 2 or more is handed to the enumerator with
/// a size budget below that bound; a cheaper equivalent is spliced in.
fn enumerator_stage(current: &mut Function, opts: &OptimizeOptions, until: Instant, steps: &mut Vec<OptimizeStep>) {
    let mut tried = std::collections::HashSet::new();
    'windows: loop {
        for window in windows(current, opts.window_inputs, opts.cost) {
            if Instant::now() >= until {
                return;
            }
            if !tried.insert(window.function.to_string()) {
                continue;
            }
            let left = until.saturating_duration_since(Instant::now());
            let mut spec = Spec::equivalent_to(&window.function, opts.cost, opts.semantics);
            spec.max_size = Some(window.exclusive_cost - 1);
            let solve_opts = SolveOptions {
                timeout: Some(opts.window_timeout.min(left)),
                seed: opts.seed,
                threads: opts.threads,
                native_checks: 1000,
                prove_optimal: false,
                query_timeout: Duration::from_secs(2),
                // The window comes from the e-graph's result already.
                seed_from_reference: false,
                ..SolveOptions::default()
            };
            let Ok(report) = crate::solve::solve_spec(&spec, &solve_opts, &mut |_| {}) else { continue };
            let (Status::Solved, Some(answer)) = (report.status, report.function) else { continue };
            let before = function_cost(opts.cost, current);
            let Some(next) = window::splice(current, &window, &answer) else { continue };
            let after = function_cost(opts.cost, &next);
            if after < before {
                steps.push(OptimizeStep {
                    engine: Engine::Enumerator,
                    cost_before: before,
                    cost_after: after,
                    detail: format!(
                        "window at {} over {} input(s) (cost {}) replaced by a cost-{} equivalent",
                        window.root,
                        window.leaves.len(),
                        window.exclusive_cost,
                        function_cost(opts.cost, &answer)
                    ),
                });
                *current = next;
                // The function changed: its windows are new.
                continue 'windows;
            }
        }
        return;
    }
}

/// Proves `result` equivalent to `input` (with the discipline in `defined` semantics).
fn final_proof(
    input: &Function,
    result: &Function,
    opts: &OptimizeOptions,
    deadline: Instant,
) -> Result<Proof, OptimizeError> {
    let problem = Problem::from_spec(&Spec::equivalent_to(input, opts.cost, opts.semantics));
    let left = deadline.saturating_duration_since(Instant::now()).max(Duration::from_secs(1));
    let verify = VerifyOptions::with_timeout(left.min(Duration::from_secs(60)));
    match crate::verify::check_problem(&problem, std::slice::from_ref(result), &verify) {
        Ok(crate::verify::ProblemVerdict::Holds) => Ok(Proof::Verified),
        Ok(crate::verify::ProblemVerdict::Unknown(why)) => Ok(Proof::Unknown(why)),
        Ok(crate::verify::ProblemVerdict::Violated { vars }) => Err(OptimizeError::Internal(format!(
            "the optimized function differs from the input on {vars:?} (a rule or a splice is unsound)\n{result}"
        ))),
        Err(e) => Err(OptimizeError::Internal(e.to_string())),
    }
}

/// Runs the result natively against the interpreter and the input on random inputs.
fn native_check(
    input: &Function,
    result: &Function,
    opts: &OptimizeOptions,
    deadline: Instant,
) -> Result<usize, OptimizeError> {
    let deadline = deadline.max(Instant::now() + Duration::from_millis(200));
    let problem = Problem::from_spec(&Spec::equivalent_to(input, opts.cost, opts.semantics));
    let n = crate::solve::validate(&problem, std::slice::from_ref(result), opts.native_checks, 0, opts.seed, deadline)
        .map_err(|e| OptimizeError::Internal(e.to_string()))?;
    crate::solve::compare_with_reference(result, input, None, opts.native_checks, opts.seed ^ 1, deadline)
        .map_err(|e| OptimizeError::Internal(e.to_string()))?;
    Ok(n)
}

#[cfg(test)]
mod tests;
