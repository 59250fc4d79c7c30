//! E-graph rewriting of IR functions: equality saturation with a named, proved rule library,
//! then extraction of the cheapest equivalent function as a DAG.
//!
//! The pieces, each in its own file:
//!
//! - [`IrNode`] (`lang.rs`): the egg language, one typed e-node per IR operation;
//! - [`to_recexpr`] / [`to_function`] (`convert.rs`): functions to terms and back, sharing kept;
//! - [`IrAnalysis`] (`analysis.rs`): each class's type and constant value, folded with
//!   `ir::semantics`;
//! - `pattern.rs`: the typed pattern language rules are written in, compiled to egg
//!   searchers and appliers and to IR functions for the prover;
//! - [`rules`]: the rule table ([`rules::all`], [`rules::rewrites`]), grouped by theory, every
//!   rule proved by Z3 in its tests;
//! - [`extract()`] (`extract.rs`): DAG-aware greedy extraction and exact extraction by ILP.
//!
//! [`saturate_and_extract`] ties them together:
//!
//! ```
//! use synth::egraph::{Limits, saturate_and_extract};
//! let f = ir::parse_function(
//!     "fn f(v0: i32, v1: i32) -> i32 {
//!        v2 = and v0, v1
//!        v3 = sub v0, v2
//!        ret v3
//!      }",
//! )
//! .unwrap();
//! let s = saturate_and_extract(&f, ir::CostModel::Size, &Limits::default()).unwrap();
//! assert_eq!((s.cost_before, s.cost_after), (2, 2)); // x & !y: no cheaper
//! assert_eq!(ir::eval(&s.function, &[12, 10]), 4);
//! ```
//!
//! Guarantees of [`saturate_and_extract`]: the returned function has the input's signature,
//! costs at most what the input costs, and computes the same function. The last point rests
//! on the rules' proofs and on the analysis's checks (an unsound merge is reported as
//! [`EgraphError::Unsound`], never returned), and is re-checked on every call by running both
//! functions in the interpreter on edge and pseudo-random inputs. Budgets running out is an
//! outcome ([`StopReason`]), not an error: the best function found so far is returned.

mod analysis;
mod convert;
mod extract;
mod lang;
mod pattern;
pub mod rules;
#[cfg(test)]
mod tests;

use std::time::{Duration, Instant};

use egg::{FlatTerm, Language, RecExpr, Runner};
use ir::{CostModel, Function};

pub use analysis::{ClassData, IrAnalysis, IrEGraph};
pub use convert::{Signature, to_function, to_recexpr};
pub use extract::{
    ExtractMethod, Extracted, Extraction, dag_cost, extract, extract_greedy, extract_ilp, extract_tree, node_cost,
};
pub use lang::{Discriminant, IrNode, OpNode, ParseNodeError};
pub use rules::{RuleSpec, Theory, Widths};

use crate::search::cost::function_cost;

/// The name explanations and [`Saturated::rules_used`] give to constant folding by the
/// analysis (not a rule of the table).
pub const CONSTANT_FOLD: &str = "constant-fold";

/// What went wrong in [`saturate_and_extract`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EgraphError {
    /// User error: the input function does not pass the IR verifier.
    #[error("invalid input function: {0}")]
    InvalidInput(String),
    /// Bug: a rule merged classes of different types or constants, or the result differs from
    /// the input on some input. Nothing is returned in that case.
    #[error("unsound rewrite detected: {0}")]
    Unsound(String),
    /// Bug: an internal invariant failed (a rule that does not compile, an ill-typed term).
    #[error("e-graph internal error: {0}")]
    Bug(String),
}

/// Budgets and options of [`saturate_and_extract`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most rewrite iterations (egg's iteration limit).
    pub iterations: usize,
    /// Most e-nodes (egg's node limit; checked between iterations, so it may be exceeded by
    /// one iteration's growth).
    pub nodes: usize,
    /// Most time for saturation (egg's time limit; extraction has its own, in `extraction`).
    pub time: Duration,
    /// Which extractor to use.
    pub extraction: Extraction,
    /// Record egg explanations and return the one for input == output (slower).
    pub explain: bool,
}

impl Default for Limits {
    /// 30 iterations, 20,000 nodes, 2 s, [`Extraction::default`], no explanation.
    fn default() -> Self {
        Limits {
            iterations: 30,
            nodes: 20_000,
            time: Duration::from_secs(2),
            extraction: Extraction::default(),
            explain: false,
        }
    }
}

/// Why saturation stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// No rule changes the e-graph any more: every equivalent the rules can reach is in it.
    Saturated,
    /// [`Limits::iterations`] was reached.
    IterationLimit,
    /// [`Limits::nodes`] was reached.
    NodeLimit,
    /// [`Limits::time`] ran out.
    TimeLimit,
    /// Another reason, as egg gives it.
    Other(String),
}

/// The result of [`saturate_and_extract`].
#[derive(Debug, Clone)]
pub struct Saturated {
    /// The cheapest equivalent function found, with the input's signature (the input itself
    /// when nothing cheaper was found).
    pub function: Function,
    /// The input's cost (each live instruction once).
    pub cost_before: u32,
    /// The result's cost; never more than `cost_before`.
    pub cost_after: u32,
    /// With [`Limits::explain`]: the rules (and [`CONSTANT_FOLD`]) the explanation of
    /// input == output uses. Without: every rule that changed the e-graph (a superset). In
    /// table order, each once.
    pub rules_used: Vec<&'static str>,
    /// How many times each rule changed the e-graph, in table order (rules that never did
    /// are left out).
    pub rule_applications: Vec<(&'static str, usize)>,
    /// Rewrite iterations run.
    pub iterations: usize,
    /// E-nodes at the end.
    pub nodes: usize,
    /// E-classes at the end.
    pub classes: usize,
    /// Why saturation stopped.
    pub stop_reason: StopReason,
    /// The extractor that produced `function` (`None` if the input was kept).
    pub extraction: Option<ExtractMethod>,
    /// With [`Limits::explain`] and a changed function: egg's flat explanation of
    /// input == output, one rewrite per line.
    pub explanation: Option<String>,
    /// Time spent in total.
    pub elapsed: Duration,
}

/// Up to `most` functions equivalent to `f` that differ at the root: for each e-node of the
/// root's class after saturation, that node over the cheapest terms of its children (greedy DAG
/// extraction), cheapest first, `f`'s own text excluded. Each is checked against `f` by
/// evaluation like [`saturate_and_extract`]'s result; they are meant as candidates for
/// alternatives, which the caller still proves.
pub fn variants(f: &Function, cost: CostModel, limits: &Limits, most: usize) -> Result<Vec<Function>, EgraphError> {
    let input = to_recexpr(f)?;
    let runner = saturate(&input, limits, IrAnalysis::default())?;
    let egraph = &runner.egraph;
    let root = egraph.find(runner.roots[0]);
    let sig = Signature::of(f);
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::from([f.to_string()]);
    let mut out: Vec<(u32, Function)> = Vec::new();
    for node in &egraph[root].nodes {
        let mut expr: RecExpr<IrNode> = RecExpr::default();
        let mut known: std::collections::HashMap<IrNode, egg::Id> = std::collections::HashMap::new();
        let mut add = |expr: &mut RecExpr<IrNode>, n: IrNode| *known.entry(n).or_insert_with(|| expr.add(n));
        let top = (*node).map_children(|child| {
            let sub = extract::extract_greedy(egraph, egraph.find(child), cost).expr;
            let mut ids: Vec<egg::Id> = Vec::with_capacity(sub.as_ref().len());
            for n in sub.as_ref() {
                let mapped = (*n).map_children(|c| ids[usize::from(c)]);
                ids.push(add(&mut expr, mapped));
            }
            *ids.last().expect("an extracted term has a root")
        });
        add(&mut expr, top);
        let Ok(g) = to_function(&expr, &sig) else { continue };
        if seen.insert(g.to_string()) {
            check_by_evaluation(f, &g)?;
            out.push((function_cost(cost, &g), g));
        }
    }
    out.sort_by_key(|(c, _)| *c);
    Ok(out.into_iter().take(most).map(|(_, g)| g).collect())
}

/// Rewrites `f` with the rule table until saturation or a limit, and returns the cheapest
/// equivalent function under `cost` (see the [module docs](self) for the guarantees).
///
/// # Errors
/// [`EgraphError::InvalidInput`] if `f` does not verify; [`EgraphError::Unsound`] and
/// [`EgraphError::Bug`] only on bugs.
pub fn saturate_and_extract(f: &Function, cost: CostModel, limits: &Limits) -> Result<Saturated, EgraphError> {
    let start = Instant::now();
    let input = to_recexpr(f)?;
    let mut runner = saturate(&input, limits, IrAnalysis::default())?;
    let root = runner.egraph.find(runner.roots[0]);
    let extracted = extract(&runner.egraph, root, cost, limits.extraction);
    let sig = Signature::of(f);
    let cost_before = function_cost(cost, f);
    let candidate = to_function(&extracted.expr, &sig)?;
    let candidate_cost = function_cost(cost, &candidate);
    let improved = candidate_cost < cost_before;
    let (function, cost_after) = if improved { (candidate, candidate_cost) } else { (f.clone(), cost_before) };
    if improved {
        check_by_evaluation(f, &function)?;
    }

    let order: Vec<&'static str> = rules::all().iter().map(|r| r.name).collect();
    let mut counts: Vec<usize> = vec![0; order.len()];
    for iteration in &runner.iterations {
        for (name, n) in &iteration.applied {
            if let Some(i) = order.iter().position(|r| *r == name.as_str()) {
                counts[i] += n;
            }
        }
    }
    let rule_applications: Vec<(&'static str, usize)> =
        order.iter().zip(&counts).filter(|(_, n)| **n > 0).map(|(r, n)| (*r, *n)).collect();
    let (rules_used, explanation) = if limits.explain && improved {
        let mut explanation = runner.explain_equivalence(&input, &extracted.expr);
        let mut used: Vec<&str> = Vec::new();
        fn collect(term: &FlatTerm<IrNode>, used: &mut Vec<String>) {
            used.extend(term.backward_rule.iter().chain(&term.forward_rule).map(|s| s.to_string()));
            for child in &term.children {
                collect(child, used);
            }
        }
        let mut names = Vec::new();
        for term in explanation.make_flat_explanation() {
            collect(term, &mut names);
        }
        if names.iter().any(|n| n == CONSTANT_FOLD) {
            used.push(CONSTANT_FOLD);
        }
        used.extend(order.iter().filter(|r| names.iter().any(|n| n == *r)));
        (used, Some(explanation.get_flat_string()))
    } else {
        (rule_applications.iter().map(|(r, _)| *r).collect(), None)
    };
    let stop_reason = match &runner.stop_reason {
        Some(egg::StopReason::Saturated) => StopReason::Saturated,
        Some(egg::StopReason::IterationLimit(_)) => StopReason::IterationLimit,
        Some(egg::StopReason::NodeLimit(_)) => StopReason::NodeLimit,
        Some(egg::StopReason::TimeLimit(_)) => StopReason::TimeLimit,
        Some(egg::StopReason::Other(s)) => StopReason::Other(s.clone()),
        None => StopReason::Other("not run".into()),
    };
    Ok(Saturated {
        function,
        cost_before,
        cost_after,
        rules_used,
        rule_applications,
        iterations: runner.iterations.len(),
        nodes: runner.egraph.total_number_of_nodes(),
        classes: runner.egraph.number_of_classes(),
        stop_reason,
        extraction: improved.then_some(extracted.method),
        explanation,
        elapsed: start.elapsed(),
    })
}

/// Runs the rule table on `input` within `limits`; the runner, its e-graph checked for
/// analysis conflicts.
fn saturate(
    input: &egg::RecExpr<IrNode>,
    limits: &Limits,
    analysis: IrAnalysis,
) -> Result<Runner<IrNode, IrAnalysis>, EgraphError> {
    let rewrites = rules::rewrites().map_err(EgraphError::Bug)?;
    let mut runner = Runner::<IrNode, IrAnalysis>::new(analysis)
        .with_iter_limit(limits.iterations)
        .with_node_limit(limits.nodes)
        .with_time_limit(limits.time);
    if limits.explain {
        runner = runner.with_explanations_enabled();
    }
    let runner = runner.with_expr(input).run(&rewrites);
    if !runner.egraph.analysis.conflicts.is_empty() {
        return Err(EgraphError::Unsound(runner.egraph.analysis.conflicts.join("; ")));
    }
    Ok(runner)
}

/// Runs `f` and `g` on edge values and pseudo-random inputs; an error on the first difference.
fn check_by_evaluation(f: &Function, g: &Function) -> Result<(), EgraphError> {
    let fi = ir::Interpreter::new(f).map_err(|e| EgraphError::InvalidInput(e.to_string()))?;
    let gi = ir::Interpreter::new(g).map_err(|e| EgraphError::Bug(format!("result does not verify: {e}")))?;
    let types = f.param_types();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for row in 0..256u64 {
        let args: Vec<u64> = types
            .iter()
            .map(|ty| {
                // splitmix64
                state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^= z >> 31;
                let edges = [0, 1, 2, ty.mask(), ty.signed_min(), ty.signed_max(), u64::from(ty.width())];
                ty.wrap(if row < 64 { edges[(z % edges.len() as u64) as usize] } else { z })
            })
            .collect();
        let (a, b) = (fi.eval(&args), gi.eval(&args));
        if a != b {
            return Err(EgraphError::Unsound(format!(
                "`{}` gives {a:#x} and its rewrite {b:#x} on {args:?}\n{f}\n{g}",
                f.name
            )));
        }
    }
    Ok(())
}
