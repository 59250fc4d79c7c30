//! Solving tasks end to end: search with the Z3 oracle, final verification, native validation,
//! and a report that says exactly what was checked.
//!
//! [`solve_spec`] handles a `.syn` task ([`ir::Spec`]), [`solve_problem`] a general problem
//! (SyGuS). Both return a [`TaskReport`]; formatting it is the CLI's job.

mod alternatives;
mod oracle;
mod portfolio;
mod validate;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use ir::{CostModel, Derivation, Function, Node, Problem, Semantics, Spec};
use serde::{Deserialize, Serialize};

use crate::search::{self, Optimality, Outcome, Progress, SearchConfig, SearchError};
use crate::verify::VerifyOptions;

pub use alternatives::{Alternative, Sources, alternatives};
pub use oracle::Z3Oracle;
pub use portfolio::Engine;
pub use validate::{ValidationError, compare_with_reference, validate};

/// Settings of a solve (the task's own clauses fill the rest).
#[derive(Debug, Clone)]
pub struct SolveOptions {
    /// Time budget per task (overrides the task's `timeout`; default 60 s).
    pub timeout: Option<Duration>,
    /// Largest cost to explore (overrides the task's `max_size`).
    pub max_size: Option<u32>,
    /// Seed of random tests.
    pub seed: u64,
    /// Worker threads of the search.
    pub threads: usize,
    /// Random inputs on which native code is compared with the interpreter.
    pub native_checks: usize,
    /// Longest single Z3 query.
    pub query_timeout: Duration,
    /// Keep searching for a cheaper answer after the first one (SyGuS: off).
    pub prove_optimal: bool,
    /// Memory budget of the search's term bank, in bytes (default 6 GiB; the CLI uses 60% of
    /// the memory available to the process).
    pub memory_budget: usize,
    /// Set by another thread to stop the task early (it ends as if out of time).
    pub cancel: Option<Arc<AtomicBool>>,
    /// The semantics discipline, overriding the task's (`.syn` default: defined; SyGuS: total).
    pub semantics: Option<Semantics>,
    /// For tasks with a reference function (or a SyGuS answer written in the constraints): the
    /// first answer, which the enumeration then tries to beat, is the e-graph's optimization of
    /// it, or else the reference as written (each only once proved). Off: no first answer.
    pub seed_from_reference: bool,
    /// Operators the answer may not use, on top of the task's own `using` set (alternatives are
    /// searched by banning operators of the answers found so far).
    pub banned_ops: Vec<ir::Opcode>,
    /// Look for up to this many verified answers that are pairwise different programs (0 or
    /// 1: only the answer); see [`alternatives`].
    pub alternatives: usize,
    /// The search engines to run (default: the enumerator; the CLI's default is both).
    pub engine: Engine,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            timeout: None,
            max_size: None,
            seed: 1,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            native_checks: 100_000,
            query_timeout: VerifyOptions::DEFAULT_TIMEOUT,
            prove_optimal: true,
            memory_budget: 6 << 30,
            cancel: None,
            semantics: None,
            seed_from_reference: true,
            banned_ops: Vec::new(),
            alternatives: 0,
            engine: Engine::Enum,
        }
    }
}

/// The operators allowed by `allowed` (`None`: all of `universe`) minus `banned`; `allowed`
/// itself when nothing is banned.
fn without_banned(
    allowed: Option<Vec<ir::Opcode>>,
    universe: &[ir::Opcode],
    banned: &[ir::Opcode],
) -> Option<Vec<ir::Opcode>> {
    if banned.is_empty() {
        return allowed;
    }
    let base = allowed.unwrap_or_else(|| universe.to_vec());
    Some(base.into_iter().filter(|op| !banned.contains(op)).collect())
}

/// How a task ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A verified answer.
    Solved,
    /// A budget ran out first.
    NoSolution,
    /// Proved to have no answer in the allowed terms.
    Infeasible,
    /// A candidate could not be decided by the solver.
    Unknown,
}

/// What the answer was checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Z3 proved every constraint for all inputs.
    Z3,
    /// Only input/output examples constrain the task; the answer matches all of them.
    Examples,
    /// The constraints mention no variable (SyGuS programming by example): each was evaluated
    /// with the answer and holds, which decides them exactly.
    Constraints,
    /// Not verified.
    None,
}

/// The result of one task (read back from `--json` lines by `synth suite --merge`; the answer
/// itself is not part of the JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskReport {
    /// Task name.
    pub task: String,
    /// How it ended.
    pub status: Status,
    /// What the answer was verified against.
    pub verified: Verification,
    /// Number of examples (example-only tasks) or constraints (variable-free problems) checked.
    pub examples: usize,
    /// Random inputs on which native code agreed with the interpreter.
    pub native_checks: usize,
    /// Random inputs on which the answer agreed with the task's reference function (natively).
    pub reference_checks: usize,
    /// The answer's cost.
    pub cost: Option<u32>,
    /// The cost model.
    pub cost_model: String,
    /// True if no cheaper answer exists as an expression tree (every tree of lower cost was
    /// enumerated and refuted; shared sub-terms are counted at each use in that comparison).
    pub optimal: bool,
    /// What is proven about the answer's cost (`optimal` is `optimality == optimal`).
    pub optimality: Optimality,
    /// The semantics discipline the answer was proved under: `defined` (it reaches no division
    /// by zero, `MIN / -1` or over-wide shift where the task forbids one) or `total`.
    pub semantics: String,
    /// In `total` semantics: the guarded cases the answer reaches on some input (where Rust and
    /// C differ from the IR); `possibly ...` when the solver could not decide.
    pub relies_on: Vec<String>,
    /// Which engine produced the answer (enumeration, root inversion, decision tree, constants
    /// solved by z3, e-graph, the spec, straight-line synthesis).
    pub found_by: Option<String>,
    /// Wall-clock time in milliseconds.
    pub time_ms: f64,
    /// Candidate terms evaluated.
    pub candidates: u64,
    /// Counterexamples found by the solver.
    pub counterexamples: usize,
    /// Highest cost level enumerated completely.
    pub largest_size: Option<u32>,
    /// Why there is no answer (budget, infeasibility proof, solver reason).
    pub reason: Option<String>,
    /// Further verified answers, pairwise different programs (with `alternatives`).
    #[serde(default)]
    pub alternatives: Vec<Alternative>,
    /// The answer as an IR function.
    #[serde(skip)]
    pub function: Option<Function>,
    /// The answer as a grammar derivation (SyGuS targets with a grammar).
    #[serde(skip)]
    pub derivation: Option<Derivation>,
    /// For problems with several targets: every target's function, in target order.
    #[serde(skip)]
    pub functions: Vec<Function>,
    /// For problems with several targets: each target's derivation, if it has a grammar.
    #[serde(skip)]
    pub derivations: Vec<Option<Derivation>>,
}

/// Errors that stop a task: bad or unsupported input (user errors) and internal bugs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolveError {
    /// User error or bug reported by the search.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// Bug: a proved answer failed native validation.
    #[error("internal error: {0}")]
    Validation(#[from] ValidationError),
    /// Bug: the final proof of a found answer failed.
    #[error("internal error: {0}")]
    Verification(String),
}

fn search_config(
    problem_budget: Option<Duration>,
    max_size: Option<u32>,
    cost: CostModel,
    opts: &SolveOptions,
) -> SearchConfig {
    SearchConfig {
        cost,
        max_size: opts.max_size.or(max_size),
        timeout: opts.timeout.or(problem_budget).unwrap_or(Duration::from_secs(60)),
        seed: opts.seed,
        threads: opts.threads,
        prove_optimal: opts.prove_optimal,
        memory_budget: opts.memory_budget,
        cancel: opts.cancel.clone(),
        ..SearchConfig::default()
    }
}

/// Solves a `.syn` task.
pub fn solve_spec(
    spec: &Spec,
    opts: &SolveOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<TaskReport, SolveError> {
    let mut spec = spec.clone();
    if let Some(semantics) = opts.semantics {
        spec.semantics = semantics;
    }
    let spec = &spec;
    let problem = spec_problem(spec, opts);
    let mut config = search_config(spec.timeout, spec.max_size, spec.cost, opts);
    config.allowed_ops = without_banned(spec.allowed_ops.clone(), ir::Opcode::ALL, &opts.banned_ops);
    config.constants = spec.constants.clone();
    let start = Instant::now();
    if let Some(reference) = spec.reference.as_ref().filter(|_| opts.seed_from_reference) {
        let budget = (config.timeout / 10).clamp(Duration::from_millis(100), Duration::from_secs(2));
        config.initial = reference_answer(reference, spec.semantics, &problem, &config, opts, budget);
        config.timeout = config.timeout.saturating_sub(start.elapsed());
    }
    let mut report = solve_with(&problem, &config, opts, progress)?;
    // The time includes finding and proving the first answer from the reference.
    report.time_ms = start.elapsed().as_secs_f64() * 1000.0;
    report.task = spec.name.clone();
    if let (Some(reference), Some(f)) = (&spec.reference, &report.function)
        && report.status == Status::Solved
    {
        let deadline = native_deadline(search::deadline_after(start, config.timeout));
        report.reference_checks =
            compare_with_reference(f, reference, spec.pre.as_ref(), opts.native_checks, opts.seed ^ 0x4ef, deadline)?;
    }
    if spec.is_examples_only() && report.status == Status::Solved {
        report.verified = Verification::Examples;
        report.examples = spec.examples.len();
    }
    if let (true, Some(first)) = (opts.alternatives > 1 && report.status == Status::Solved, &report.function) {
        let budget = alternatives_budget(start.elapsed(), config.timeout);
        let mut again = |banned: &[ir::Opcode], timeout: Duration| {
            let opts = alternative_options(opts, banned, timeout);
            let r = solve_spec(spec, &opts, &mut |_| {}).ok()?;
            (r.status == Status::Solved).then_some(())?;
            Some((r.function?, r.found_by))
        };
        let mut accept = |g: &Function| accept_variant(&problem, &config, opts, g);
        let sources = Sources { solve: &mut again, accept: &mut accept };
        report.alternatives = alternatives(first, report.found_by.clone(), opts.alternatives, budget, sources);
    }
    Ok(report)
}

/// True if `g` is a verified answer to `problem` under `config`'s operators and size: proved by
/// Z3 (with the discipline) and agreeing natively with the interpreter.
fn accept_variant(problem: &Problem, config: &SearchConfig, opts: &SolveOptions, g: &Function) -> bool {
    let verify = VerifyOptions::with_timeout(opts.query_timeout.min(Duration::from_secs(2)));
    let deadline = Instant::now() + Duration::from_secs(1);
    proved_within(problem, config, g, &verify)
        && validate(problem, std::slice::from_ref(g), opts.native_checks.min(10_000), 1000, opts.seed, deadline).is_ok()
}

/// True if `g` uses only `config`'s operators, fits its size bound, and is proved by Z3 to meet
/// `problem` (discipline included): what a function found outside the search needs before the
/// search may return it.
fn proved_within(problem: &Problem, config: &SearchConfig, g: &Function, verify: &VerifyOptions) -> bool {
    let allowed = |op: ir::Opcode| config.allowed_ops.as_ref().is_none_or(|ops| ops.contains(&op));
    g.live_insts().iter().all(|i| allowed(i.opcode))
        && config.max_size.is_none_or(|m| crate::search::cost::tree_cost(config.cost, g) <= m)
        && matches!(
            crate::verify::check_problem(problem, std::slice::from_ref(g), verify),
            Ok(crate::verify::ProblemVerdict::Holds)
        )
}

/// The time for alternatives after an answer that took `first`: twice that (at least 0.3 s),
/// within the task's budget.
fn alternatives_budget(first: Duration, budget: Duration) -> Duration {
    (first * 2).max(Duration::from_millis(300)).min(budget)
}

/// The options of one search for an alternative: operators banned, first verified answer
/// wanted, no seed from the reference (it would come back every time), fewer native checks.
fn alternative_options(opts: &SolveOptions, banned: &[ir::Opcode], timeout: Duration) -> SolveOptions {
    let mut banned_ops = opts.banned_ops.clone();
    banned_ops.extend_from_slice(banned);
    SolveOptions {
        timeout: Some(timeout),
        banned_ops,
        alternatives: 0,
        engine: Engine::Enum,
        prove_optimal: false,
        seed_from_reference: false,
        native_checks: opts.native_checks.min(10_000),
        ..opts.clone()
    }
}

/// The first answer a reference function gives (a `.syn` task's `equiv`, or an answer a SyGuS
/// problem writes in its constraints): the e-graph's optimization of it, or else the reference as
/// written, whichever is first within the allowed operators and size and proved to meet the
/// whole problem (requires, ensures, examples, discipline). The search starts from it and tries
/// to beat it; it is reported as found by the e-graph only when that is cheaper than the reference.
fn reference_answer(
    reference: &Function,
    semantics: Semantics,
    problem: &Problem,
    config: &SearchConfig,
    opts: &SolveOptions,
    budget: Duration,
) -> Option<(Function, search::FoundBy)> {
    let optimize_opts = crate::optimize::OptimizeOptions {
        cost: config.cost,
        semantics,
        timeout: budget / 2,
        enumerator: false,
        native_checks: 1000,
        threads: opts.threads,
        seed: opts.seed,
        ..crate::optimize::OptimizeOptions::default()
    };
    let optimized = crate::optimize::optimize(reference, &optimize_opts).ok().map(|o| o.function);
    let written = reference.without_dead_code();
    let verify = VerifyOptions::with_timeout((budget / 2).clamp(Duration::from_millis(50), Duration::from_secs(2)));
    optimized.into_iter().chain(std::iter::once(written.clone())).find_map(|f| {
        let admissible = proved_within(problem, config, &f, &verify);
        let cost_of = |g: &Function| crate::search::cost::function_cost(config.cost, g);
        let by = if cost_of(&f) < cost_of(&written) { search::FoundBy::Egraph } else { search::FoundBy::Spec };
        admissible.then_some((f, by))
    })
}

/// The problem [`solve_spec`] proves answers against: the task's, in the semantics `opts` asks
/// for (else the task's own).
pub fn spec_problem(spec: &Spec, opts: &SolveOptions) -> Problem {
    match opts.semantics {
        Some(semantics) if semantics != spec.semantics => Problem::from_spec(&Spec { semantics, ..spec.clone() }),
        _ => Problem::from_spec(spec),
    }
}

/// The problem [`solve_problem`] proves answers against: `problem`, with the defined-behaviour
/// discipline on every input when `opts` asks for `defined` semantics.
pub fn sygus_problem(problem: &Problem, opts: &SolveOptions) -> Result<Problem, SolveError> {
    let mut problem = problem.clone();
    if opts.semantics == Some(Semantics::Defined) {
        problem.safety = Some(defined_everywhere(&problem)?);
    }
    Ok(problem)
}

/// Solves a general (SyGuS) problem; the first verified answer is returned (with `--optimal`,
/// the cheapest found), and with [`SolveOptions::alternatives`] further ones for a single
/// target without a grammar.
pub fn solve_problem(
    problem: &Problem,
    opts: &SolveOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<TaskReport, SolveError> {
    let start = Instant::now();
    let mut report = solve_problem_once(problem, opts, progress)?;
    if report.status == Status::NoSolution {
        unrealizable_with_time_left(problem, opts, start, &mut report);
    }
    let single = problem.targets.len() == 1 && problem.targets[0].grammar.is_none();
    if let (true, Some(first)) = (opts.alternatives > 1 && single && report.status == Status::Solved, &report.function)
    {
        let budget = alternatives_budget(start.elapsed(), opts.timeout.unwrap_or(Duration::from_secs(60)));
        let mut again = |banned: &[ir::Opcode], timeout: Duration| {
            let opts = alternative_options(opts, banned, timeout);
            let r = solve_problem_once(problem, &opts, &mut |_| {}).ok()?;
            (r.status == Status::Solved).then_some(())?;
            Some((r.function?, r.found_by))
        };
        let checked = sygus_problem(problem, opts)?;
        let mut config = search_config(None, None, CostModel::Size, opts);
        config.allowed_ops = without_banned(Some(search::smtlib_ops()), &[], &opts.banned_ops);
        let mut accept = |g: &Function| accept_variant(&checked, &config, opts, g);
        let sources = Sources { solve: &mut again, accept: &mut accept };
        report.alternatives = alternatives(first, report.found_by.clone(), opts.alternatives, budget, sources);
    }
    Ok(report)
}

/// When the search ended early without an answer (size or memory budget, not time), the rest
/// of the budget (at most 10 s) goes to [`crate::verify::unrealizable_input`]: an input at which
/// no output value meets the constraints proves the problem infeasible for every grammar.
fn unrealizable_with_time_left(problem: &Problem, opts: &SolveOptions, start: Instant, report: &mut TaskReport) {
    let budget = opts.timeout.unwrap_or(Duration::from_secs(60));
    let left = budget.saturating_sub(start.elapsed()).min(Duration::from_secs(10));
    if left < Duration::from_millis(200)
        || opts.cancel.as_ref().is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
    {
        return;
    }
    let Ok(checked) = sygus_problem(problem, opts) else { return };
    if let Ok(Some(x0)) = crate::verify::unrealizable_input(&checked, left) {
        let values: Vec<String> = problem.vars.iter().zip(&x0).map(|(v, x)| format!("{} = {x:#x}", v.name)).collect();
        report.status = Status::Infeasible;
        report.reason = Some(format!(
            "no output value meets the constraints at {} (proved by z3): infeasible for every grammar",
            if values.is_empty() { "any input".to_string() } else { values.join(", ") }
        ));
        report.time_ms = start.elapsed().as_secs_f64() * 1000.0;
    }
}

fn solve_problem_once(
    problem: &Problem,
    opts: &SolveOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<TaskReport, SolveError> {
    let mut config = search_config(None, None, CostModel::Size, opts);
    config.allowed_ops = without_banned(Some(search::smtlib_ops()), &[], &opts.banned_ops);
    let problem = sygus_problem(problem, opts)?;
    // An answer written in the constraints is the fallback when the search runs out of budget
    // (checked then, so that it costs nothing when the search succeeds): the search gets all but
    // a small reserve of the budget for that check.
    // With `--optimal` the e-graph's optimization of that answer is the starting point instead,
    // which the search then tries to beat.
    let written = written_answer(&problem);
    let semantics = if problem.safety.is_some() { Semantics::Defined } else { Semantics::Total };
    if let Some(f) = written.as_ref().filter(|_| opts.prove_optimal && opts.seed_from_reference) {
        let budget = (config.timeout / 10).clamp(Duration::from_millis(100), Duration::from_secs(2));
        let seeding = Instant::now();
        config.initial = reference_answer(f, semantics, &problem, &config, opts, budget);
        config.timeout = config.timeout.saturating_sub(seeding.elapsed());
        let mut report = solve_with(&problem, &config, opts, progress)?;
        report.time_ms = seeding.elapsed().as_secs_f64() * 1000.0;
        return Ok(report);
    }
    let reserve = (config.timeout / 20).min(Duration::from_secs(1));
    if written.is_some() {
        config.timeout = config.timeout.saturating_sub(reserve);
    }
    let report = solve_with(&problem, &config, opts, progress)?;
    match written {
        Some(f) if matches!(report.status, Status::NoSolution | Status::Unknown) => {
            // The e-graph's version of the written answer if it is proved, else the answer as
            // written once it is proved.
            let proved = reference_answer(&f, semantics, &problem, &config, opts, reserve);
            match proved {
                Some(initial) => {
                    let mut fallback = config.clone();
                    fallback.initial = Some(initial);
                    fallback.timeout = Duration::from_millis(1);
                    let mut answered = solve_with(&problem, &fallback, opts, &mut |_| {})?;
                    answered.time_ms += report.time_ms;
                    answered.candidates += report.candidates;
                    answered.counterexamples += report.counterexamples;
                    answered.largest_size = report.largest_size;
                    Ok(answered)
                }
                None => Ok(report),
            }
        }
        _ => Ok(report),
    }
}

/// An answer the problem writes itself: a constraint `f(x1, ..., xn) = E` on distinct
/// variables, with `E` free of calls, for a single target without a grammar (not yet checked
/// against the other constraints).
fn written_answer(problem: &Problem) -> Option<Function> {
    if problem.targets.len() != 1 || problem.targets[0].grammar.is_some() {
        return None;
    }
    let target = &problem.targets[0];
    for formula in &problem.constraints {
        let Node::Op { opcode: ir::Opcode::Eq, args, .. } = &formula.nodes[formula.root()] else { continue };
        for (call, expr) in [(args[0], args[1]), (args[1], args[0])] {
            let Node::Call { args: call_args, .. } = &formula.nodes[call] else { continue };
            // The call's arguments are distinct variables: parameter `j` is variable `vars[j]`.
            let vars: Option<Vec<usize>> =
                call_args.iter().map(|&a| if let Node::Var(v) = formula.nodes[a] { Some(v) } else { None }).collect();
            let Some(vars) = vars else { continue };
            if (1..vars.len()).any(|i| vars[..i].contains(&vars[i])) {
                continue;
            }
            if let Some(f) = formula_as_function(formula, expr, &vars, target) {
                return Some(f);
            }
        }
    }
    None
}

/// Node `root` of `formula` as a function of the target's parameters, parameter `j` standing
/// for variable `vars[j]`; `None` if it calls a target or uses another variable.
fn formula_as_function(
    formula: &ir::Formula,
    root: ir::NodeId,
    vars: &[usize],
    target: &ir::Target,
) -> Option<Function> {
    let mut b = ir::FunctionBuilder::new(&target.name, &target.param_types(), target.ret.ty());
    let mut values: Vec<Option<ir::Value>> = vec![None; formula.nodes.len()];
    for (id, node) in formula.nodes.iter().enumerate().take(root + 1) {
        values[id] = match node {
            Node::Var(v) => vars.iter().position(|w| w == v).map(|j| b.param(j)),
            Node::Const(ty, c) => Some(b.iconst(*ty, *c)),
            Node::Op { opcode, ty, args } => {
                let operands: Option<Vec<ir::Value>> = args.iter().map(|&a| values[a]).collect();
                operands.map(|ops| b.inst(*opcode, *ty, &ops, 0))
            }
            Node::Call { .. } => None,
        };
    }
    let ret = values[root]?;
    b.finish(ret).ok().map(|f| f.without_dead_code())
}

fn solve_with(
    problem: &Problem,
    config: &SearchConfig,
    opts: &SolveOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<TaskReport, SolveError> {
    let start = Instant::now();
    let task_deadline = search::deadline_after(start, config.timeout);
    let result = portfolio::run(problem, config, opts, progress)?;
    let mut report = TaskReport {
        task: problem.name.clone(),
        status: Status::NoSolution,
        verified: Verification::None,
        examples: 0,
        native_checks: 0,
        reference_checks: 0,
        cost: None,
        cost_model: config.cost.to_string(),
        optimal: false,
        optimality: Optimality::NotProven,
        semantics: if problem.safety.is_some() { Semantics::Defined } else { Semantics::Total }.to_string(),
        relies_on: Vec::new(),
        found_by: None,
        time_ms: 0.0,
        candidates: result.candidates,
        counterexamples: result.counterexamples,
        largest_size: result.largest_level,
        reason: None,
        function: None,
        derivation: None,
        functions: Vec::new(),
        derivations: Vec::new(),
        alternatives: Vec::new(),
    };
    match result.outcome {
        Outcome::Solved(solution) => {
            // The oracle's proof (Z3 on the whole problem) accepted the answer; now run it natively.
            let functions = if result.all_functions.is_empty() {
                vec![solution.function.clone()]
            } else {
                result.all_functions.clone()
            };
            let deadline = native_deadline(task_deadline);
            report.native_checks =
                validate(problem, &functions, opts.native_checks, 10_000, opts.seed ^ 0xabcd, deadline)?;
            report.functions = functions;
            report.derivations = result.all_derivations.clone();
            report.status = Status::Solved;
            if is_ground(problem) {
                report.verified = Verification::Constraints;
                report.examples = problem.constraints.len();
            } else {
                report.verified = Verification::Z3;
            }
            report.cost = Some(solution.cost);
            report.optimal = solution.optimality.is_optimal();
            report.optimality = solution.optimality;
            report.found_by = Some(solution.found_by.to_string());
            if problem.safety.is_none() {
                report.relies_on =
                    guarded_cases_reached(&report.functions, opts.query_timeout, native_deadline(task_deadline));
            }
            report.function = Some(solution.function);
            report.derivation = solution.derivation;
        }
        Outcome::NoSolution(budget) => {
            report.reason = Some(budget.to_string());
        }
        Outcome::Infeasible(why) => {
            report.status = Status::Infeasible;
            report.reason = Some(why);
        }
        Outcome::Unknown { candidate, reason } => {
            report.status = Status::Unknown;
            report.reason = Some(reason);
            report.function = Some(candidate.function);
            report.derivation = candidate.derivation;
        }
    }
    report.time_ms = start.elapsed().as_secs_f64() * 1000.0;
    Ok(report)
}

/// The discipline "no guarded case on any input" for a general problem, which must have one
/// target without a grammar whose parameters have the variables' types.
fn defined_everywhere(problem: &Problem) -> Result<ir::Safety, SolveError> {
    let types: Vec<ir::Type> = problem.vars.iter().map(|v| v.sort.ty()).collect();
    let fits =
        problem.targets.len() == 1 && problem.targets[0].grammar.is_none() && problem.targets[0].param_types() == types;
    if !fits {
        return Err(SolveError::Search(SearchError::Unsupported(
            "`--semantics defined` needs one function to synthesize, without a grammar, whose parameters have the types of the declared variables".into(),
        )));
    }
    let mut b = ir::FunctionBuilder::new("exempt", &types, ir::Type::I1);
    let never = b.iconst(ir::Type::I1, 0);
    let exempt = b.finish(never).map_err(|e| SolveError::Verification(e.to_string()))?;
    Ok(ir::Safety { exempt })
}

/// The guarded cases (docs/semantics.md) some answer reaches on some input, by Z3 (each query
/// at most a second, none after `deadline`): `possibly ...` where it could not decide.
fn guarded_cases_reached(functions: &[Function], query_timeout: Duration, deadline: Instant) -> Vec<String> {
    use ir::guards::{Evaluation, GuardKind, guard_function, is_guarded};
    let mut out = Vec::new();
    for kind in GuardKind::ALL {
        let mut reached = None;
        for f in functions.iter().filter(|f| f.body.iter().any(|i| is_guarded(i.opcode))) {
            let left = deadline.saturating_duration_since(Instant::now());
            let opts = VerifyOptions::with_timeout(query_timeout.min(Duration::from_secs(1)).min(left));
            if left.is_zero() {
                reached = reached.or_else(|| Some(format!("possibly {kind} (not checked: out of time)")));
                continue;
            }
            let guard = guard_function(f, Evaluation::Eager, &[kind]);
            let mut never = ir::FunctionBuilder::new("never", &f.param_types(), ir::Type::I1);
            let zero = never.iconst(ir::Type::I1, 0);
            let Ok(never) = never.finish(zero) else { continue };
            match crate::verify::check_equivalent(&guard, &never, &opts) {
                Ok(crate::verify::Verdict::Equivalent) => {}
                Ok(crate::verify::Verdict::NotEquivalent(_)) => reached = Some(kind.to_string()),
                Ok(crate::verify::Verdict::Unknown(_)) | Err(_) => {
                    reached = reached.or_else(|| Some(format!("possibly {kind}")));
                }
            }
        }
        out.extend(reached);
    }
    out
}

/// True if no constraint mentions a variable: evaluating them decides them exactly.
fn is_ground(problem: &Problem) -> bool {
    problem.constraints.iter().all(|c| !c.nodes.iter().any(|n| matches!(n, Node::Var(_))))
}

/// When native validation stops adding rows: the task's deadline, but at least a short moment
/// from now, so that every answer is run natively (one batch at least) before it is printed.
fn native_deadline(task_deadline: Instant) -> Instant {
    task_deadline.max(Instant::now() + Duration::from_millis(200))
}
