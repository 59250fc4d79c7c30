//! Alternatives (`--alternatives N`): up to `N` verified answers that are pairwise different
//! programs, so a person can pick by size, latency or readability.
//!
//! Every alternative comes out of the ordinary solve pipeline (search, Z3 proof of the whole
//! task with its discipline, native check), run again with some operators banned: first each
//! operator of the answer on its own, then, for each new answer, the bans so far plus one of
//! its operators (breadth first). Banning an operator the answer uses forces a different
//! program; two answers are the same program when their simplified IR texts are equal, and
//! duplicates are dropped. Each answer is costed under both cost models, and the ones no
//! other answer beats in both (Pareto-optimal) are marked.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use ir::{CostModel, Function, Opcode};
use serde::{Deserialize, Serialize};

use crate::search::cost::function_cost;

/// One verified answer among the alternatives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alternative {
    /// The answer as IR text.
    pub ir: String,
    /// Its cost under the `size` model.
    pub size: u32,
    /// Its cost under the `latency` model.
    pub latency: u32,
    /// No other alternative is at most as costly under both models and cheaper under one.
    pub pareto: bool,
    /// The operators banned when it was found (empty for the first answer).
    pub banned: Vec<String>,
    /// The engine that found it.
    pub found_by: Option<String>,
    /// The answer (not part of the JSON).
    #[serde(skip)]
    pub function: Option<Function>,
}

/// The program's identity for deduplication: its simplified IR text under a fixed name.
fn identity(f: &Function) -> String {
    let mut g = crate::search::simplify(f);
    g.name = "f".into();
    g.to_string()
}

/// The distinct operators of `f` in order of first use (constants included).
fn operators(f: &Function) -> Vec<Opcode> {
    let mut out = Vec::new();
    for inst in f.live_insts() {
        if !out.contains(&inst.opcode) {
            out.push(inst.opcode);
        }
    }
    out
}

/// A verified answer and the engine that found it.
pub type Found = (Function, Option<String>);

/// Up to `count` pairwise different verified answers, `first` (the printed answer) first.
/// `solve(banned, timeout)` solves the task again with those operators banned and returns a
/// verified answer and the engine that found it, if any; all calls together take at most
/// `budget`.
pub fn alternatives(
    first: &Function,
    first_found_by: Option<String>,
    count: usize,
    budget: Duration,
    solve: &mut dyn FnMut(&[Opcode], Duration) -> Option<Found>,
) -> Vec<Alternative> {
    let deadline = Instant::now() + budget;
    let mut found: Vec<(Function, Vec<Opcode>, Option<String>)> = vec![(first.clone(), Vec::new(), first_found_by)];
    let mut seen: HashSet<String> = HashSet::from([identity(first)]);
    let mut queue: VecDeque<Vec<Opcode>> = operators(first).into_iter().map(|op| vec![op]).collect();
    let mut tried: HashSet<Vec<Opcode>> = HashSet::new();
    while found.len() < count {
        let Some(mut bans) = queue.pop_front() else { break };
        bans.sort();
        if !tried.insert(bans.clone()) {
            continue;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left < Duration::from_millis(20) {
            break;
        }
        // Share what is left among the answers still wanted.
        let share = (left / (count - found.len()) as u32).max(Duration::from_millis(50)).min(left);
        let Some((g, by)) = solve(&bans, share) else { continue };
        if seen.insert(identity(&g)) {
            for op in operators(&g) {
                let mut next = bans.clone();
                if !next.contains(&op) {
                    next.push(op);
                    queue.push_back(next);
                }
            }
            found.push((g, bans, by));
        }
    }
    let costs: Vec<(u32, u32)> = found
        .iter()
        .map(|(f, _, _)| (function_cost(CostModel::Size, f), function_cost(CostModel::Latency, f)))
        .collect();
    let dominated = |k: usize| {
        let (s, l) = costs[k];
        costs.iter().any(|&(s2, l2)| s2 <= s && l2 <= l && (s2 < s || l2 < l))
    };
    found
        .into_iter()
        .enumerate()
        .map(|(k, (f, banned, found_by))| Alternative {
            ir: f.to_string(),
            size: costs[k].0,
            latency: costs[k].1,
            pareto: !dominated(k),
            banned: banned.iter().map(ToString::to_string).collect(),
            found_by,
            function: Some(f),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(text: &str) -> Function {
        ir::parse_function(text).unwrap()
    }

    #[test]
    fn bans_force_different_programs_and_pareto_is_marked() {
        // x * 2 (size 1), then with `mul` banned x + x (size 1), then with `add` too x << 1.
        let mul = f("fn f(v0: i8) -> i8 {\n  v1 = iconst.i8 2\n  v2 = mul v0, v1\n  ret v2\n}\n");
        let add = f("fn f(v0: i8) -> i8 {\n  v1 = add v0, v0\n  ret v1\n}\n");
        let shl = f("fn f(v0: i8) -> i8 {\n  v1 = iconst.i8 1\n  v2 = shl v0, v1\n  ret v2\n}\n");
        let mut calls: Vec<Vec<Opcode>> = Vec::new();
        let mut solve = |banned: &[Opcode], _: Duration| {
            calls.push(banned.to_vec());
            let pick = if !banned.contains(&Opcode::Add) {
                add.clone()
            } else if !banned.contains(&Opcode::Shl) {
                shl.clone()
            } else {
                return None;
            };
            Some((pick, Some("enumeration".into())))
        };
        let alts = alternatives(&mul, None, 3, Duration::from_secs(10), &mut solve);
        assert_eq!(alts.len(), 3);
        let texts: HashSet<&str> = alts.iter().map(|a| a.ir.as_str()).collect();
        assert_eq!(texts.len(), 3, "pairwise different");
        assert!(alts[0].banned.is_empty() && alts[1].banned == ["iconst"], "{alts:?}");
        assert!(alts[2].banned.contains(&"add".to_string()), "{alts:?}");
        // `mul` is slower than `add` and `shl`: the first answer is not Pareto-optimal.
        assert!(!alts[0].pareto && alts[1].pareto && alts[2].pareto, "{alts:?}");
        assert!(calls.iter().all(|b| !b.is_empty()));
    }

    #[test]
    fn duplicates_are_dropped_and_the_budget_ends_the_search() {
        let add = f("fn f(v0: i8) -> i8 {\n  v1 = add v0, v0\n  ret v1\n}\n");
        let same = f("fn g(v0: i8) -> i8 {\n  v3 = add v0, v0\n  ret v3\n}\n");
        let mut solve = |_: &[Opcode], _: Duration| Some((same.clone(), None));
        let alts = alternatives(&add, None, 3, Duration::from_secs(5), &mut solve);
        assert_eq!(alts.len(), 1, "the same program under another name is no alternative");
        let mut never = |_: &[Opcode], _: Duration| -> Option<Found> { panic!("no budget") };
        assert_eq!(alternatives(&add, None, 3, Duration::ZERO, &mut never).len(), 1);
    }
}
