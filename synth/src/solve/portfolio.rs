//! Which engines run on a task: the enumerator, the straight-line engine, or both side by side
//! within the one budget (`synth solve --engine`).
//!
//! With both, the straight-line engine runs on its own thread (its own Z3 context and oracle)
//! and the enumerator on the caller's thread with the other worker threads (all of them when
//! the first answer is enough, as for SyGuS problems: the straight-line engine then starts only
//! after a quarter of a second, so problems the enumerator answers at once cost nothing extra).
//! Each bounds the other:
//! - when the enumerator answers, the straight-line engine only searches programs with fewer
//!   instructions than that answer, and gets a grace period ([`grace`]: as long as the
//!   enumerator took, at least 0.5 s, at most a tenth of the budget; none when the first answer
//!   is enough, as for SyGuS problems) after the enumerator has finished;
//! - when the first answer is enough, a straight-line answer cancels the enumerator;
//! - when the straight-line engine proves its answer shortest and the cost model is `size`, the
//!   enumerator is cancelled (nothing it could find is cheaper);
//! - when the enumerator proves the task infeasible, the straight-line engine is cancelled.
//!
//! With `--threads 1` the engines run one after the other (the enumerator first), so the report
//! does not depend on thread timing. The better verified answer is kept (lower cost; a tie keeps
//! the enumerator's), and the claims stay separate: an enumerator answer without an optimality
//! claim of its own is called the shortest straight-line program when the straight-line engine
//! refuted every shorter length (a tree claim is kept as it is).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ir::{CostModel, Function, Problem};

use super::{SolveOptions, Z3Oracle};
use crate::dag::{self, DagOptions, DagReport};
use crate::search::{self, Optimality, Outcome, Progress, Report, SearchConfig, SearchError};

/// The search engines of `synth solve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// The enumerator (expression trees by cost).
    #[default]
    Enum,
    /// The straight-line engine (programs by instruction count, `crate::dag`).
    Dag,
    /// Both side by side; the better answer is kept.
    Both,
}

/// How long the straight-line engine may go on after the enumerator answered: as long as the
/// enumerator took, at least half a second, at most a tenth of the task's budget (so `both`
/// costs little more than the enumerator alone where the straight-line engine cannot refute
/// shorter programs quickly); not at all when the first answer is enough (`prove_optimal` off,
/// as for SyGuS problems).
fn grace(enum_time: Duration, config: &SearchConfig) -> Duration {
    if config.prove_optimal {
        enum_time.max(Duration::from_millis(500)).min(config.timeout / 10)
    } else {
        Duration::ZERO
    }
}

/// How long the straight-line engine waits before it starts when the first answer is enough.
const FIRST_ANSWER_DELAY: Duration = Duration::from_millis(250);

/// The number of instructions of an answer (constants are operands, not instructions).
fn length(f: &Function) -> usize {
    f.live_insts().iter().filter(|i| i.opcode != ir::Opcode::Iconst).count()
}

fn dag_options(opts: &SolveOptions, shorter_than: Option<Arc<AtomicUsize>>) -> DagOptions {
    DagOptions { shorter_than, query_timeout: opts.query_timeout, ..DagOptions::default() }
}

/// Runs the engines `opts.engine` names on `problem`.
pub(crate) fn run(
    problem: &Problem,
    config: &SearchConfig,
    opts: &SolveOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, SearchError> {
    match opts.engine {
        Engine::Enum => search::synthesize(problem, config, &mut Z3Oracle::new(opts.query_timeout), progress),
        Engine::Dag => {
            dag::synthesize(problem, config, &dag_options(opts, None), &mut Z3Oracle::new(opts.query_timeout))
                .map(|r| r.report)
        }
        Engine::Both => both(problem, config, opts, progress),
    }
}

fn both(
    problem: &Problem,
    config: &SearchConfig,
    opts: &SolveOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, SearchError> {
    let start = Instant::now();
    let deadline = search::deadline_after(start, config.timeout);
    let bound = Arc::new(AtomicUsize::new(usize::MAX));
    let stop_dag = Arc::new(AtomicBool::new(false));
    let stop_enum = Arc::new(AtomicBool::new(false));
    let outer = config.cancel.clone();
    let dag_config = SearchConfig { cancel: Some(Arc::clone(&stop_dag)), ..config.clone() };
    let dag_opts = dag_options(opts, Some(Arc::clone(&bound)));
    let size_model = config.cost == CostModel::Size;
    let first_is_enough = !config.prove_optimal;
    // When the first answer is enough (SyGuS), most problems are answered by the enumerator in
    // milliseconds: it keeps every worker thread, and the straight-line engine starts only after
    // [`FIRST_ANSWER_DELAY`], so those problems cost nothing extra.
    let enum_config = SearchConfig {
        cancel: Some(Arc::clone(&stop_enum)),
        threads: if first_is_enough { config.threads } else { config.threads.saturating_sub(1).max(1) },
        ..config.clone()
    };
    let run_dag = |config: &SearchConfig, delayed: bool| -> Result<DagReport, SearchError> {
        if delayed {
            let until = start + FIRST_ANSWER_DELAY;
            while Instant::now() < until {
                if stop_dag.load(Ordering::Relaxed) {
                    return Err(SearchError::Unsupported("not started: the enumerator answered first".into()));
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        let result = dag::synthesize(problem, config, &dag_opts, &mut Z3Oracle::new(opts.query_timeout));
        // A proved shortest answer (or any answer when the first one is enough) ends the
        // enumerator's search.
        if let Ok(r) = &result
            && matches!(&r.report.outcome, Outcome::Solved(s)
                if first_is_enough || (size_model && s.optimality == Optimality::ShortestStraightLine))
        {
            stop_enum.store(true, Ordering::Relaxed);
        }
        result
    };
    // The caller's cancel flag stops both engines.
    let forward_cancel = |done: &AtomicBool| {
        while !done.load(Ordering::Relaxed) {
            if outer.as_ref().is_some_and(|c| c.load(Ordering::Relaxed)) {
                stop_enum.store(true, Ordering::Relaxed);
                stop_dag.store(true, Ordering::Relaxed);
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    };
    let done = AtomicBool::new(false);
    /// Sets the flags when dropped, so the cancel forwarder and the straight-line engine end
    /// even if the enumerator panics.
    struct SetOnDrop<'a>(&'a AtomicBool, &'a AtomicBool);
    impl Drop for SetOnDrop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
            self.1.store(true, Ordering::Relaxed);
        }
    }

    let (enumerated, straight) = if config.threads <= 1 {
        std::thread::scope(|s| {
            if outer.is_some() {
                s.spawn(|| forward_cancel(&done));
            }
            let _done = SetOnDrop(&done, &stop_dag);
            let enumerated =
                search::synthesize(problem, &enum_config, &mut Z3Oracle::new(opts.query_timeout), progress);
            let left = deadline.saturating_duration_since(Instant::now());
            let straight = match &enumerated {
                Ok(r) if matches!(r.outcome, Outcome::Infeasible(_)) => None,
                Ok(r) => {
                    if let Outcome::Solved(sol) = &r.outcome {
                        bound.store(length(&sol.function), Ordering::Relaxed);
                    }
                    let timeout =
                        if matches!(r.outcome, Outcome::Solved(_)) { left.min(grace(r.elapsed, config)) } else { left };
                    Some(run_dag(&SearchConfig { timeout, ..dag_config.clone() }, false))
                }
                Err(_) => None,
            };
            (enumerated, straight)
        })
    } else {
        std::thread::scope(|s| {
            if outer.is_some() {
                s.spawn(|| forward_cancel(&done));
            }
            let _done = SetOnDrop(&done, &stop_dag);
            let dag_thread = std::thread::Builder::new()
                .name("synth-dag".into())
                .spawn_scoped(s, || run_dag(&dag_config, first_is_enough))
                .map_err(|e| SearchError::Resource(format!("cannot start the straight-line engine's thread: {e}")));
            let enumerated =
                search::synthesize(problem, &enum_config, &mut Z3Oracle::new(opts.query_timeout), progress);
            match &enumerated {
                Ok(r) if matches!(r.outcome, Outcome::Infeasible(_)) => stop_dag.store(true, Ordering::Relaxed),
                Ok(r) => {
                    if let Outcome::Solved(sol) = &r.outcome {
                        bound.store(length(&sol.function), Ordering::Relaxed);
                    }
                    let until = if matches!(r.outcome, Outcome::Solved(_)) {
                        deadline.min(Instant::now() + grace(r.elapsed, config))
                    } else {
                        deadline
                    };
                    if let Ok(handle) = &dag_thread {
                        while !handle.is_finished() && Instant::now() < until {
                            std::thread::sleep(Duration::from_millis(1));
                        }
                    }
                    stop_dag.store(true, Ordering::Relaxed);
                }
                Err(_) => stop_dag.store(true, Ordering::Relaxed),
            }
            let straight =
                match dag_thread {
                    Ok(handle) => Some(handle.join().unwrap_or_else(|_| {
                        Err(SearchError::Inconsistent("the straight-line engine panicked".into()))
                    })),
                    Err(e) => Some(Err(e)),
                };
            (enumerated, straight)
        })
    };
    let enumerated = enumerated?;
    // The straight-line engine's errors for problems outside its scope leave the enumerator's
    // report; its bugs are errors of the task.
    let straight = match straight {
        Some(Ok(r)) => Some(r),
        Some(Err(SearchError::Unsupported(_))) | None => None,
        Some(Err(e)) => return Err(e),
    };
    Ok(combine(enumerated, straight, config.cost, start.elapsed()))
}

/// The better of the two reports (see the module docs), with the work of both.
fn combine(enumerated: Report, straight: Option<DagReport>, model: CostModel, elapsed: Duration) -> Report {
    let Some(straight) = straight else { return enumerated };
    let mut out = match (&enumerated.outcome, &straight.report.outcome) {
        (Outcome::Solved(e), Outcome::Solved(d)) if d.cost < e.cost => straight.report.clone(),
        (Outcome::Solved(_), _) => enumerated.clone(),
        (_, Outcome::Solved(_)) => straight.report.clone(),
        (Outcome::NoSolution(_), Outcome::Unknown { .. }) => straight.report.clone(),
        _ => enumerated.clone(),
    };
    if let Outcome::Solved(s) = &mut out.outcome
        && s.optimality == Optimality::NotProven
        && model == CostModel::Size
        && straight.refuted_below >= length(&s.function)
    {
        s.optimality = Optimality::ShortestStraightLine;
    }
    out.candidates = enumerated.candidates + straight.report.candidates;
    out.counterexamples = enumerated.counterexamples + straight.report.counterexamples;
    out.kept = enumerated.kept;
    out.largest_level = enumerated.largest_level;
    out.elapsed = elapsed;
    out
}
