//! Enumerative CEGIS synthesis.
//!
//! [`synthesize`] finds the cheapest body for a problem's target: bottom-up enumeration by cost
//! with observational equivalence over test inputs (module `enumerate`), each candidate that passes
//! the tests checked by an [`Oracle`] (Z3 in the tool), and every counterexample added as a new
//! test without restarting the search. Module map:
//!
//! - `grammar`: the productions searched (from a SyGuS grammar or from allowed opcodes);
//! - `evidence`: tests, evaluation points, and the check a candidate column must pass;
//! - `bank`, `columns`, `eval`, `template`: term storage and vectorized evaluation;
//! - `enumerate`: the level-by-level, parallel, resumable enumerator;
//! - `extract`, `simplify`: kept terms back to IR functions or SyGuS derivations;
//! - `tests_gen`: the initial test inputs; `cost`: the cost models.

mod bank;
mod cegis;
mod columns;
pub mod cost;
mod enumerate;
mod eval;
mod evidence;
mod extract;
mod grammar;
mod holes;
mod multi;
mod probe;
mod simplify;
mod table;
mod template;
mod tests_gen;
mod unify;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ir::{CostModel, Derivation, Function, Node, Opcode, Problem, Type};

use enumerate::Enumerator;
use grammar::{ConstantPool, OpSet, SearchGrammar};

pub use grammar::default_constants;
pub use simplify::simplify;
pub(crate) use tests_gen::initial_tests;
pub use tests_gen::{Rng, every_input, interesting as interesting_value};

/// User error or unsupported input: the search could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// User error: the problem uses something the engine does not handle yet.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// User error: the problem is malformed.
    #[error("invalid problem: {0}")]
    Invalid(String),
    /// Bug: the oracle's counterexample does not refute the candidate on our own evaluation.
    #[error("internal inconsistency: {0}")]
    Inconsistent(String),
    /// Environment error: the machine refused a resource the search needs (threads).
    #[error("{0}")]
    Resource(String),
}

/// What an oracle says about a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OracleAnswer {
    /// The candidate meets every constraint for all inputs.
    Valid,
    /// Values of the problem variables where a constraint fails.
    Counterexample(Vec<u64>),
    /// The oracle could not decide (timeout, solver gave up).
    Unknown(String),
    /// The oracle failed in a way that indicates a bug (the search stops with an error).
    Error(String),
}

/// What an oracle says about the holes of a sketch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoleAnswer {
    /// Values for the holes, in order.
    Found(Vec<u64>),
    /// No values work on the given tests.
    NoneExist,
    /// Undecided.
    Unknown(String),
}

/// Decides whether a candidate solves the problem for all inputs.
pub trait Oracle {
    /// Checks `candidate` (the body of the problem's single target) within `timeout`.
    fn check(&mut self, problem: &Problem, candidate: &Function, timeout: Duration) -> OracleAnswer;

    /// Finds values for the holes of `sketch` (its parameters after the target's) that make every
    /// constraint hold on every one of `tests`; `None` if this oracle cannot solve holes.
    fn solve_holes(
        &mut self,
        _problem: &Problem,
        _sketch: &Function,
        _tests: &[Vec<u64>],
        _timeout: Duration,
    ) -> Option<HoleAnswer> {
        None
    }

    /// Checks bodies for all of the problem's targets (in target order) within `timeout`.
    fn check_all(&mut self, problem: &Problem, candidates: &[Function], timeout: Duration) -> OracleAnswer {
        match candidates {
            [one] => self.check(problem, one, timeout),
            _ => OracleAnswer::Error("this oracle checks single targets only".into()),
        }
    }
}

/// Search settings.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    /// How candidates are ranked.
    pub cost: CostModel,
    /// Largest cost to explore.
    pub max_size: Option<u32>,
    /// Wall-clock budget for the whole search, oracle calls included.
    pub timeout: Duration,
    /// Seed of the random test inputs.
    pub seed: u64,
    /// Worker threads (results do not depend on it).
    pub threads: usize,
    /// Opcodes a target without a grammar may use (`None`: every opcode).
    pub allowed_ops: Option<Vec<Opcode>>,
    /// Extra constants to try, by type (spec literals are added automatically).
    pub constants: Vec<(Type, u64)>,
    /// Number of initial random/edge tests (ignored when inputs are tested exhaustively).
    pub initial_tests: usize,
    /// Maximum number of equivalent terms remembered for class splitting.
    pub member_cap: usize,
    /// Memory budget of the term bank, in bytes.
    pub memory_budget: usize,
    /// Keep searching after a verified solution until it is proven the cheapest (within the
    /// budgets); otherwise return the first verified solution.
    pub prove_optimal: bool,
    /// Set by another thread to stop the search early (it then ends as if out of time, with
    /// [`Budget::Cancelled`]).
    pub cancel: Option<Arc<AtomicBool>>,
    /// An answer already verified against the problem by the caller (the e-graph's optimization
    /// of a reference function, or an answer the spec writes itself), with where it came from:
    /// the search starts with it as the best known answer, returns a cheaper one if it finds one,
    /// and proves it the cheapest tree otherwise (single targets without a grammar).
    pub initial: Option<(Function, FoundBy)>,
}

impl SearchConfig {
    /// True if the caller asked the search to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

/// The longest time budget anything accepts (ten years): longer ones are clamped, so that
/// adding a budget to the current time never overflows.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// `start + timeout`, with `timeout` clamped to [`MAX_TIMEOUT`].
pub fn deadline_after(start: Instant, timeout: Duration) -> Instant {
    let timeout = timeout.min(MAX_TIMEOUT);
    start.checked_add(timeout).unwrap_or(start + Duration::from_secs(365 * 24 * 3600))
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            cost: CostModel::Size,
            max_size: None,
            timeout: Duration::from_secs(60),
            seed: 1,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            allowed_ops: None,
            constants: Vec::new(),
            initial_tests: 16,
            member_cap: 1 << 25,
            memory_budget: 6 << 30,
            prove_optimal: true,
            cancel: None,
            initial: None,
        }
    }
}

/// Why a search stopped without an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// The time budget ran out.
    Timeout,
    /// Every term up to the size budget was tried.
    MaxSize,
    /// The term bank filled its memory budget.
    Memory,
    /// Every term built from the enumerated constants was tried and refuted (the enumeration
    /// saturated), but the grammar allows other constants: no proof of infeasibility.
    ConstantPool,
    /// The caller cancelled the search.
    Cancelled,
}

impl std::fmt::Display for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Budget::Timeout => "time budget exhausted",
            Budget::MaxSize => "size budget exhausted",
            Budget::Memory => "memory budget exhausted",
            Budget::ConstantPool => {
                "every term over the constants tried is refuted, and constant holes solved by z3 found none; terms with other constants were not ruled out"
            }
            Budget::Cancelled => "cancelled",
        })
    }
}

/// What is proven about the cost of an answer.
///
/// The proof behind [`Optimality::Optimal`] is that every term of lower search cost (tree cost:
/// a shared sub-term counts at each use) was enumerated with the current tests and refuted:
/// it fails a test, or the oracle gave a counterexample. A cheaper term the oracle left
/// undecided, a level not finished after a counterexample, or a term the enumeration cannot
/// build (a constant outside the pool) each void the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Optimality {
    /// No term of the grammar with lower search cost is a solution.
    Optimal,
    /// No term of lower search cost whose constants come from the enumerated pool is a
    /// solution; terms with other constants were not ruled out (the grammar allows any
    /// constant: `iconst`, `(Constant S)`).
    OverTriedConstants,
    /// Cheaper terms were not all refuted (a budget ran out first, the solver left one
    /// undecided, or the answer came from a shortcut such as a decision tree or constant holes).
    NotProven,
    /// No straight-line program over the allowed operators (any constants, shared values
    /// counted once) has fewer instructions: the straight-line engine refuted every shorter
    /// length with an `unsat` answer of Z3. Says nothing about tree cost.
    ShortestStraightLine,
}

impl Optimality {
    /// True for the unconditional claim.
    pub fn is_optimal(self) -> bool {
        self == Optimality::Optimal
    }
}

/// A found answer.
#[derive(Debug, Clone)]
pub struct Solution {
    /// The function (simplified when the target has no grammar).
    pub function: Function,
    /// Its derivation, when the target has a grammar.
    pub derivation: Option<Derivation>,
    /// Its cost under the search's cost model (derivation size for grammars), each shared
    /// sub-term counted once.
    pub cost: u32,
    /// The cost the search ranked it by (sub-terms counted at every use).
    pub search_cost: u32,
    /// What is proven about its cost.
    pub optimality: Optimality,
    /// Which part of the search produced it.
    pub found_by: FoundBy,
}

/// Which part of the search produced an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// Bottom-up enumeration (one term, or a tuple of terms for several targets).
    Enumeration,
    /// Root inversion: an invertible operation applied to two enumerated terms.
    RootInversion,
    /// A decision tree over enumerated terms and conditions.
    DecisionTree,
    /// An enumerated term whose constants were solved by Z3.
    ConstantHoles,
    /// Equality saturation of the reference function ([`SearchConfig::initial`]), kept because
    /// the enumeration found nothing cheaper.
    Egraph,
    /// Written in the spec itself (a constraint `f(x) = E`), kept because nothing cheaper was
    /// found.
    Spec,
    /// The straight-line (DAG) engine: a program of instructions found by SMT, length by
    /// length (`crate::dag`).
    StraightLine,
}

impl std::fmt::Display for FoundBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FoundBy::Enumeration => "enumeration",
            FoundBy::RootInversion => "root inversion",
            FoundBy::DecisionTree => "decision tree",
            FoundBy::ConstantHoles => "constants solved by z3",
            FoundBy::Egraph => "e-graph",
            FoundBy::Spec => "the spec",
            FoundBy::StraightLine => "straight-line synthesis",
        })
    }
}

/// The result of a search.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The oracle accepted this solution.
    Solved(Solution),
    /// The grammar has no solution: every term fails some test (a proof, see `enumerate`).
    Infeasible(String),
    /// A budget ran out.
    NoSolution(Budget),
    /// A candidate passed every test but the oracle could not decide it.
    Unknown {
        /// The undecided candidate.
        candidate: Solution,
        /// The oracle's reason.
        reason: String,
    },
}

/// Outcome plus evidence of the work done.
#[derive(Debug, Clone)]
pub struct Report {
    /// What happened.
    pub outcome: Outcome,
    /// Terms evaluated.
    pub candidates: u64,
    /// Distinct terms kept.
    pub kept: u64,
    /// Counterexamples received.
    pub counterexamples: usize,
    /// The highest cost level enumerated completely.
    pub largest_level: Option<u32>,
    /// Wall-clock time.
    pub elapsed: Duration,
    /// For problems with several targets: every target's function, in target order.
    pub all_functions: Vec<Function>,
    /// For problems with several targets: each target's derivation if it has a grammar.
    pub all_derivations: Vec<Option<Derivation>>,
}

/// Progress of a running search (for progress bars).
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Cost level just completed.
    pub level: u32,
    /// Terms evaluated so far.
    pub candidates: u64,
    /// Distinct terms kept so far.
    pub kept: u64,
    /// Time so far.
    pub elapsed: Duration,
}

/// Every opcode usable by default.
pub fn default_ops() -> Vec<Opcode> {
    Opcode::ALL.to_vec()
}

/// Opcodes without a standard SMT-LIB counterpart (excluded for SyGuS targets without grammar).
pub fn smtlib_ops() -> Vec<Opcode> {
    Opcode::ALL
        .iter()
        .copied()
        .filter(|o| !matches!(o, Opcode::Popcnt | Opcode::Clz | Opcode::Ctz | Opcode::Rotl | Opcode::Rotr))
        .collect()
}

/// The constants written in the problem's constraints, by type.
fn problem_constants(problem: &Problem) -> Vec<(Type, u64)> {
    let mut out = Vec::new();
    for f in &problem.constraints {
        for n in &f.nodes {
            if let Node::Const(t, c) = n
                && !out.contains(&(*t, *c))
            {
                out.push((*t, *c));
            }
        }
    }
    out
}

/// Drops compare variants that only mirror another allowed one with swapped operands.
fn without_mirrored_compares(ops: &[Opcode]) -> Vec<Opcode> {
    let mirror = |op: Opcode| match op {
        Opcode::Ugt => Some(Opcode::Ult),
        Opcode::Uge => Some(Opcode::Ule),
        Opcode::Sgt => Some(Opcode::Slt),
        Opcode::Sge => Some(Opcode::Sle),
        _ => None,
    };
    ops.iter().copied().filter(|&o| mirror(o).is_none_or(|m| !ops.contains(&m))).collect()
}

/// Transposes points (argument tuples) into one column per parameter.
fn param_columns(points: &[Vec<u64>], n_params: usize) -> Vec<Vec<u64>> {
    (0..n_params).map(|i| points.iter().map(|p| p[i]).collect()).collect()
}

/// Finds the cheapest solution of a single-target problem.
pub fn synthesize(
    problem: &Problem,
    config: &SearchConfig,
    oracle: &mut dyn Oracle,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, SearchError> {
    problem.check().map_err(SearchError::Invalid)?;
    let mut constants = problem_constants(problem);
    for &c in &config.constants {
        if !constants.contains(&c) {
            constants.push(c);
        }
    }
    match problem.targets.len() {
        0 => return Err(SearchError::Invalid("nothing to synthesize".into())),
        1 => {}
        _ => return multi::synthesize_tuple(problem, config, &constants, oracle),
    }
    let target = &problem.targets[0];
    let grammar = grammar_for(target, config, &constants, ConstantPool::Defaults);
    let first = cegis::run(problem, config, &grammar, &constants, oracle, progress)?;
    if !(matches!(first.outcome, Outcome::NoSolution(Budget::ConstantPool)) && grammar.completable()) {
        return Ok(first);
    }
    // Every term over the default constants is refuted, and the open constants are narrow:
    // enumerate all their values, which makes saturation a proof (or finds the answer).
    let full = grammar_for(target, config, &constants, ConstantPool::Full);
    let remaining = config.timeout.saturating_sub(first.elapsed);
    if remaining.is_zero() {
        return Ok(first);
    }
    let second_config = SearchConfig { timeout: remaining, ..config.clone() };
    let second = cegis::run(problem, &second_config, &full, &constants, oracle, progress)?;
    // A budget that ran out in the second run says less than the first run's finding.
    let mut out = if matches!(second.outcome, Outcome::NoSolution(_)) { first.clone() } else { second.clone() };
    out.candidates = first.candidates + second.candidates;
    out.counterexamples = first.counterexamples + second.counterexamples;
    out.elapsed = first.elapsed + second.elapsed;
    Ok(out)
}

/// The search grammar of a target: its SyGuS grammar, or the allowed opcodes over the types of
/// its signature.
fn grammar_for(
    target: &ir::Target,
    config: &SearchConfig,
    constants: &[(Type, u64)],
    pool: ConstantPool,
) -> SearchGrammar {
    match &target.grammar {
        Some(_) => SearchGrammar::from_user_grammar(target, constants, pool, config.cost),
        None => {
            let ops = config.allowed_ops.clone().unwrap_or_else(default_ops);
            SearchGrammar::from_ops(
                target,
                &OpSet { ops: without_mirrored_compares(&ops), constants: constants.to_vec(), pool },
                config.cost,
            )
        }
    }
}

/// A solution from a found term: its SyGuS derivation when the target has a grammar (the
/// function follows from it), else its simplified IR function.
fn solution_from(
    g: &SearchGrammar,
    target: &ir::Target,
    model: CostModel,
    search_cost: u32,
    found_by: FoundBy,
    derivation: impl FnOnce() -> Derivation,
    function: impl FnOnce() -> Function,
) -> Solution {
    if g.user_grammar {
        let derivation = derivation();
        let function = derivation.to_function(target);
        Solution {
            cost: derivation.size() as u32,
            function,
            derivation: Some(derivation),
            search_cost,
            optimality: Optimality::NotProven,
            found_by,
        }
    } else {
        let function = simplify(&function());
        let cost = cost::function_cost(model, &function);
        Solution { function, derivation: None, cost, search_cost, optimality: Optimality::NotProven, found_by }
    }
}

fn solution_of(g: &SearchGrammar, en: &Enumerator<'_>, id: u32, target: &ir::Target, model: CostModel) -> Solution {
    solution_from(
        g,
        target,
        model,
        en.cost(g.start, id),
        FoundBy::Enumeration,
        || extract::to_derivation(g, en, g.start, id),
        || extract::to_function(g, en, g.start, id, &target.name),
    )
}

fn solution_of_tree(
    g: &SearchGrammar,
    en: &Enumerator<'_>,
    tree: &unify::Tree,
    target: &ir::Target,
    model: CostModel,
) -> Solution {
    solution_from(
        g,
        target,
        model,
        tree.cost(en, g),
        FoundBy::DecisionTree,
        || extract::tree_derivation(g, en, tree),
        || extract::tree_function(g, en, tree, &target.name),
    )
}

fn solution_of_hit(
    g: &SearchGrammar,
    en: &Enumerator<'_>,
    hit: &probe::Hit,
    target: &ir::Target,
    model: CostModel,
) -> Solution {
    solution_from(
        g,
        target,
        model,
        hit.cost,
        FoundBy::RootInversion,
        || extract::root_derivation(g, en, hit.prod, &hit.children),
        || extract::root_function(g, en, hit.prod, &hit.children, &target.name),
    )
}

/// The independent re-check of the integration tests (own SMT-LIB for the `z3` tool, native code
/// against the interpreter), for the answers of the unit tests too.
#[cfg(test)]
#[path = "../../tests/support/mod.rs"]
pub(crate) mod support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod verdict_tests;

/// Re-checks a test's answer independently of the search and of the Z3 bindings.
#[cfg(test)]
fn recheck_report(problem: &Problem, report: &Report) {
    if let Outcome::Solved(s) = &report.outcome {
        let functions =
            if report.all_functions.is_empty() { vec![s.function.clone()] } else { report.all_functions.clone() };
        support::recheck::recheck_problem(problem, &functions);
    }
}
