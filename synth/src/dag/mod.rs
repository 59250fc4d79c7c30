//! Straight-line (DAG) synthesis: length-based CEGIS over the linear encoding.
//!
//! The enumerator (`crate::search`) ranks terms by *tree* size, so programs whose intermediate
//! values are used several times are out of its reach. This engine searches programs of `n`
//! instructions directly (Gulwani et al., PLDI'11; Brahma): each instruction chooses an operator
//! (a typed component, `components`) and operands among the parameters, earlier instructions and
//! constants that are Z3 unknowns (`encode`, `program`). For `n = 0, 1, 2, ...` a finite
//! synthesis query (`finite`) asks for a program that meets the problem on the tests; a
//! candidate goes to the oracle (Z3 through `crate::verify::check_problem`, with the discipline),
//! and its counterexample becomes a new test. The first verified program is the answer.
//!
//! Bit-width downscaling (`scale`) first solves the problem at 8 bits, lifts the program to the
//! real width and verifies it there; if the lifted constants do not work, the structure is
//! tried at the real width with its constants as unknowns; what fails is dropped and the search
//! goes on at the real width.
//!
//! Invariants (docs/dag.md):
//! - every answer was proved by the oracle at the real width before it is returned;
//! - "shortest" ([`Optimality::ShortestStraightLine`]) is claimed only when every shorter length
//!   was refuted at the real width by an `unsat` finite query; a length left undecided (a timeout,
//!   a candidate the oracle could not decide) voids the claim, and nothing found or refuted at
//!   the small width counts;
//! - the search honours the deadline and the cancel flag of [`SearchConfig`] (each Z3 query is
//!   limited to the time left and interrupted on cancellation) and answers `Unsupported` for
//!   problems outside its scope (several targets, a grammar) instead of failing.

mod components;
mod encode;
mod finite;
mod program;
mod scale;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ir::{Function, Problem, Type};

use crate::search::{
    self, Budget, FoundBy, Optimality, Oracle, OracleAnswer, Outcome, Report, SearchConfig, SearchError, Solution, cost,
};
use components::Components;
pub use encode::Symmetry;
use finite::{FiniteAnswer, FiniteProblem, FiniteSolver, Z3Finite};
use program::Program;
use scale::{SMALL_WIDTH, Scale};

/// Settings of the straight-line engine.
#[derive(Debug, Clone)]
pub struct DagOptions {
    /// Solve at 8 bits first and lift (problems with one width and liftable constants).
    pub downscale: bool,
    /// Symmetry breaking of the encoding.
    pub symmetry: Symmetry,
    /// Only programs shorter than this many instructions are searched; another thread may
    /// lower it while the search runs (the portfolio does when the enumerator finds an answer).
    pub shorter_than: Option<Arc<AtomicUsize>>,
    /// Longest oracle (verification) query; finite synthesis queries get the time left.
    pub query_timeout: Duration,
    /// Failed lifts tolerated per length at the small width before moving to the next length.
    pub lift_attempts: usize,
}

impl Default for DagOptions {
    fn default() -> Self {
        DagOptions {
            downscale: true,
            symmetry: Symmetry::default(),
            shorter_than: None,
            query_timeout: crate::verify::VerifyOptions::DEFAULT_TIMEOUT,
            lift_attempts: 4,
        }
    }
}

/// The result of the straight-line engine.
#[derive(Debug, Clone)]
pub struct DagReport {
    /// The outcome, in the enumerator's terms (`largest_level` is the longest length refuted).
    pub report: Report,
    /// Every length below this was refuted at the real width by `unsat` (0: none was).
    pub refuted_below: usize,
    /// Whether the answer's structure came from the small width (its constants lifted by rule,
    /// or solved at the real width).
    pub lifted: bool,
}

/// Finds the shortest straight-line program for the single target of `problem` over the
/// allowed opcodes of `config` (all opcodes if `None`), verified by `oracle`.
pub fn synthesize(
    problem: &Problem,
    config: &SearchConfig,
    opts: &DagOptions,
    oracle: &mut dyn Oracle,
) -> Result<DagReport, SearchError> {
    let mut finite = Z3Finite { cancel: config.cancel.clone() };
    run(problem, config, opts, oracle, &mut finite)
}

/// What CEGIS at one length ended with.
enum AtLength {
    /// A program the oracle proved, with its function.
    Verified(Program, Function),
    /// `unsat`: no program of this length meets the tests.
    NoProgram,
    /// Undecided (time, cancellation, a candidate the oracle could not decide).
    Unknown,
}

/// The CEGIS state at one width: the problem, its components, its tests.
struct Width {
    problem: Problem,
    comps: Components,
    tests: Vec<Vec<u64>>,
    symmetry: Symmetry,
}

/// Counters and limits shared by the driver's steps.
struct Run<'o> {
    oracle: &'o mut dyn Oracle,
    deadline: Instant,
    config: SearchConfig,
    query_timeout: Duration,
    candidates: u64,
    counterexamples: usize,
    /// The last candidate the oracle could not decide.
    undecided: Option<(Function, String)>,
}

impl Run<'_> {
    fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    fn stopped(&self) -> Option<Budget> {
        if self.config.is_cancelled() {
            Some(Budget::Cancelled)
        } else if self.remaining().is_zero() {
            Some(Budget::Timeout)
        } else {
            None
        }
    }

    /// CEGIS at length `n` on `w` (its tests grow with the counterexamples), optionally with a
    /// fixed structure.
    fn at_length(
        &mut self,
        w: &mut Width,
        finite: &mut dyn FiniteSolver,
        n: usize,
        structure: Option<&Program>,
        blocked: &[Program],
    ) -> Result<AtLength, SearchError> {
        let target = &w.problem.targets[0];
        let (params, ret) = (target.param_types(), target.ret.ty());
        let mut blocked: Vec<Program> = blocked.to_vec();
        let mut undecided = false;
        loop {
            if self.stopped().is_some() {
                return Ok(AtLength::Unknown);
            }
            let fp = FiniteProblem { problem: &w.problem, comps: &w.comps, symmetry: w.symmetry };
            let answer = finite.solve(&fp, n, &w.tests, &blocked, structure, self.remaining());
            let prog = match answer {
                FiniteAnswer::NoProgram => {
                    return Ok(if undecided { AtLength::Unknown } else { AtLength::NoProgram });
                }
                FiniteAnswer::Unknown(_) => return Ok(AtLength::Unknown),
                FiniteAnswer::Found(p) => p,
            };
            self.candidates += 1;
            let f = prog.to_function(&w.comps, &target.name, &params, ret).map_err(|e| {
                SearchError::Inconsistent(format!("a program read from a model does not type-check: {e}"))
            })?;
            let timeout = self.query_timeout.min(self.remaining());
            match self.oracle.check(&w.problem, &f, timeout) {
                OracleAnswer::Valid => return Ok(AtLength::Verified(prog, f)),
                OracleAnswer::Counterexample(vars) => {
                    if w.tests.contains(&vars) {
                        return Err(SearchError::Inconsistent(format!(
                            "the counterexample {vars:?} to `{f}` is already a test it passes"
                        )));
                    }
                    self.counterexamples += 1;
                    w.tests.push(vars);
                }
                OracleAnswer::Unknown(why) => {
                    self.undecided = Some((f, why));
                    undecided = true;
                    blocked.push(prog);
                }
                OracleAnswer::Error(e) => return Err(SearchError::Inconsistent(e)),
            }
        }
    }
}

/// A few initial tests: a seeded sample of the enumerator's initial tests.
fn first_tests(problem: &Problem, seed: u64) -> Vec<Vec<u64>> {
    let mut all = search::initial_tests(problem, &[], 16, seed);
    all.dedup();
    all.sort();
    all.dedup();
    if all.len() <= 3 {
        return all;
    }
    let mut rng = search::Rng::new(seed ^ 0xda9);
    let mut out: Vec<Vec<u64>> = Vec::new();
    while out.len() < 3 {
        let row = &all[rng.below(all.len())];
        if !out.contains(row) {
            out.push(row.clone());
        }
    }
    out
}

/// The driver, with the finite solver injectable (tests simulate timeouts with it).
fn run(
    problem: &Problem,
    config: &SearchConfig,
    opts: &DagOptions,
    oracle: &mut dyn Oracle,
    finite: &mut dyn FiniteSolver,
) -> Result<DagReport, SearchError> {
    let start = Instant::now();
    problem.check().map_err(SearchError::Invalid)?;
    let [target] = problem.targets.as_slice() else {
        return Err(SearchError::Unsupported("the straight-line engine synthesizes one function at a time".into()));
    };
    if target.grammar.is_some() {
        return Err(SearchError::Unsupported("the straight-line engine does not follow grammars".into()));
    }
    if problem.safety.is_some()
        && target.param_types() != problem.vars.iter().map(|v| v.sort.ty()).collect::<Vec<Type>>()
    {
        return Err(SearchError::Unsupported("a discipline needs the target's parameters to be the variables".into()));
    }
    let ops = config.allowed_ops.clone().unwrap_or_else(search::default_ops);
    let comps = Components::new(&ops, &target.param_types(), target.ret.ty());
    let mut run = Run {
        oracle,
        deadline: search::deadline_after(start, config.timeout),
        config: config.clone(),
        query_timeout: opts.query_timeout,
        candidates: 0,
        counterexamples: 0,
        undecided: None,
    };
    let limit = || {
        let bound = opts.shorter_than.as_ref().map_or(usize::MAX, |b| b.load(Ordering::Relaxed));
        let max = config.max_size.map_or(usize::MAX, |m| (m as usize).saturating_add(1));
        bound.min(max)
    };
    let mut best: Option<(Program, Function)> = None;
    let mut lifted = false;
    let mut full = Width {
        tests: first_tests(problem, config.seed),
        problem: problem.clone(),
        comps: comps.clone(),
        symmetry: opts.symmetry,
    };

    // Phase 1: the small width, for a first answer.
    if opts.downscale
        && let Some(scale) = Scale::for_problem(problem, SMALL_WIDTH)
        && let Some(small_problem) = scale.problem(problem)
    {
        let small_comps = scale.components(&comps);
        let mut small = Width {
            tests: first_tests(&small_problem, config.seed),
            problem: small_problem,
            comps: small_comps,
            symmetry: opts.symmetry,
        };
        best = small_width_answer(&mut run, finite, &scale, &mut small, &mut full, opts, &limit)?;
        lifted = best.is_some();
    }

    // Phase 2: the real width, every length below the best answer's, in order.
    let mut refuted_below = 0;
    let mut all_refuted = true;
    let mut n = 0;
    let mut stop = None;
    while n < limit().min(best.as_ref().map_or(usize::MAX, |b| b.0.len())) {
        if let Some(b) = run.stopped() {
            stop = Some(b);
            break;
        }
        match run.at_length(&mut full, finite, n, None, &[])? {
            AtLength::Verified(p, f) => {
                best = Some((p, f));
                lifted = false;
                break;
            }
            AtLength::NoProgram => {
                if all_refuted {
                    refuted_below = n + 1;
                }
            }
            AtLength::Unknown => all_refuted = false,
        }
        n += 1;
    }

    let elapsed = start.elapsed();
    let outcome = match best {
        Some((p, f)) => {
            let f = f.without_dead_code();
            let optimality =
                if refuted_below >= p.len() { Optimality::ShortestStraightLine } else { Optimality::NotProven };
            Outcome::Solved(Solution {
                cost: cost::function_cost(config.cost, &f),
                search_cost: p.len() as u32,
                function: f,
                derivation: None,
                optimality,
                found_by: FoundBy::StraightLine,
            })
        }
        None => match (run.undecided.take(), stop) {
            (Some((function, reason)), _) => Outcome::Unknown {
                candidate: Solution {
                    cost: cost::function_cost(config.cost, &function),
                    search_cost: function.op_count() as u32,
                    function,
                    derivation: None,
                    optimality: Optimality::NotProven,
                    found_by: FoundBy::StraightLine,
                },
                reason,
            },
            (None, Some(b)) => Outcome::NoSolution(b),
            (None, None) if run.stopped().is_some() => Outcome::NoSolution(run.stopped().unwrap_or(Budget::Timeout)),
            (None, None) => Outcome::NoSolution(Budget::MaxSize),
        },
    };
    Ok(DagReport {
        report: Report {
            outcome,
            candidates: run.candidates,
            kept: 0,
            counterexamples: run.counterexamples,
            largest_level: refuted_below.checked_sub(1).map(|l| l as u32),
            elapsed,
            all_functions: Vec::new(),
            all_derivations: Vec::new(),
        },
        refuted_below,
        lifted,
    })
}

/// Phase 1: lengths in order at the small width; each program found there is lifted and proved
/// at the real width, or its structure is tried there with free constants. Returns the first
/// program proved at the real width.
fn small_width_answer(
    run: &mut Run<'_>,
    finite: &mut dyn FiniteSolver,
    scale: &Scale,
    small: &mut Width,
    full: &mut Width,
    opts: &DagOptions,
    limit: &dyn Fn() -> usize,
) -> Result<Option<(Program, Function)>, SearchError> {
    let ret = full.problem.targets[0].ret.ty();
    let name = full.problem.targets[0].name.clone();
    let params = full.problem.targets[0].param_types();
    let mut n = 0;
    while n < limit() && run.stopped().is_none() {
        let mut blocked: Vec<Program> = Vec::new();
        for _ in 0..opts.lift_attempts.max(1) {
            let found = match run.at_length(small, finite, n, None, &blocked)? {
                AtLength::Verified(p, _) => p,
                AtLength::NoProgram | AtLength::Unknown => break,
            };
            let up = scale.lift(&found, &full.comps, ret);
            let f = up
                .to_function(&full.comps, &name, &params, ret)
                .map_err(|e| SearchError::Inconsistent(format!("a lifted program does not type-check: {e}")))?;
            run.candidates += 1;
            let timeout = run.query_timeout.min(run.remaining());
            match run.oracle.check(&full.problem, &f, timeout) {
                OracleAnswer::Valid => return Ok(Some((up, f))),
                OracleAnswer::Counterexample(vars) => {
                    if !full.tests.contains(&vars) {
                        full.tests.push(vars);
                    }
                }
                OracleAnswer::Unknown(_) => {}
                OracleAnswer::Error(e) => return Err(SearchError::Inconsistent(e)),
            }
            // The lifted constants fail: the same structure with constants solved at the real
            // width.
            if !up.constants().is_empty()
                && let AtLength::Verified(p, f) = run.at_length(full, finite, n, Some(&up), &[])?
            {
                return Ok(Some((p, f)));
            }
            blocked.push(found);
        }
        n += 1;
    }
    Ok(None)
}
