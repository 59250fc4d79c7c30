//! Alternatives (`--alternatives N`): up to `N` verified answers that are pairwise different
//! programs, so a person can pick by size, latency or readability.
//!
//! Every alternative comes out of the ordinary solve pipeline (search, Z3 proof of the whole
//! task with its discipline, native check), run again with some operators banned: first each
//! operator of the answer on its own, then, for each new answer, the bans so far plus one of
//! its operators (breadth first). Banning an operator the answer uses forces a different
//! program; two answers are the same program when their simplified IR texts are equal, and
//! duplicates are dropped (operand order of commutative operators does not count). When
//! that does not give enough within the budget, the e-graph's variants of the first answer
//! (each root e-node over the cheapest children) are tried, each proved like any answer.
//! Each answer is costed under both cost models, and the ones no other answer beats in both
//! (Pareto-optimal) are marked.

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

/// The program's identity for deduplication: a hash of its simplified DAG in which the
/// operands of commutative operators are unordered, so `a & b` and `b & a` are one program.
fn identity(f: &Function) -> u64 {
    use std::hash::{Hash, Hasher};
    let g = crate::search::simplify(f);
    let mut hashes: std::collections::HashMap<ir::Value, u64> = std::collections::HashMap::new();
    let hash_of = |parts: &dyn Fn(&mut std::collections::hash_map::DefaultHasher)| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        parts(&mut h);
        h.finish()
    };
    for (i, p) in g.params.iter().enumerate() {
        hashes.insert(p.value, hash_of(&|h| ("param", i, p.ty.width()).hash(h)));
    }
    for inst in &g.body {
        let mut args: Vec<u64> = inst.args.iter().map(|a| hashes.get(a).copied().unwrap_or(0)).collect();
        if inst.opcode.is_commutative() {
            args.sort_unstable();
        }
        let h = hash_of(&|h| (inst.opcode, inst.ty.width(), inst.imm, &args).hash(h));
        hashes.insert(inst.result, h);
    }
    hashes.get(&g.ret).copied().unwrap_or(0)
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

/// How [`alternatives`] gets answers: `solve(banned, timeout)` solves the task again with those
/// operators banned and returns a verified answer and the engine that found it, if any;
/// `accept(f)` proves a candidate (an e-graph variant of the first answer) a verified answer
/// to the task (allowed operators, size, Z3 proof, native check).
pub struct Sources<'a> {
    /// Solves with operators banned.
    pub solve: &'a mut dyn FnMut(&[Opcode], Duration) -> Option<Found>,
    /// Proves a candidate.
    pub accept: &'a mut dyn FnMut(&Function) -> bool,
}

impl std::fmt::Debug for Sources<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sources { .. }")
    }
}

/// Up to `count` pairwise different verified answers, `first` (the printed answer) first:
/// searches with operators banned (breadth first, module docs) for about three quarters of
/// `budget`, then the e-graph's variants of `first` that `accept` proves, cheapest first.
pub fn alternatives(
    first: &Function,
    first_found_by: Option<String>,
    count: usize,
    budget: Duration,
    sources: Sources<'_>,
) -> Vec<Alternative> {
    let start = Instant::now();
    let deadline = start + budget * 3 / 4;
    let solve = sources.solve;
    let mut found: Vec<(Function, Vec<Opcode>, Option<String>)> = vec![(first.clone(), Vec::new(), first_found_by)];
    let mut seen: HashSet<u64> = HashSet::from([identity(first)]);
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
    let end = start + budget;
    if found.len() < count && Instant::now() < end {
        let left = end.saturating_duration_since(Instant::now());
        let limits = crate::egraph::Limits { time: left / 2, ..crate::egraph::Limits::default() };
        let variants = crate::egraph::variants(first, CostModel::Size, &limits, 4 * count).unwrap_or_default();
        for g in variants {
            if found.len() >= count || Instant::now() >= end {
                break;
            }
            if !seen.contains(&identity(&g)) && (sources.accept)(&g) {
                seen.insert(identity(&g));
                found.push((g, Vec::new(), Some("e-graph".into())));
            }
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
        let alts =
            alternatives(&mul, None, 3, Duration::from_secs(10), Sources { solve: &mut solve, accept: &mut |_| false });
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
        let alts =
            alternatives(&add, None, 3, Duration::from_secs(5), Sources { solve: &mut solve, accept: &mut |_| false });
        assert_eq!(alts.len(), 1, "the same program under another name is no alternative");
        let mut never = |_: &[Opcode], _: Duration| -> Option<Found> { panic!("no budget") };
        let mut never_accept = |_: &Function| -> bool { panic!("no budget") };
        let none = Sources { solve: &mut never, accept: &mut never_accept };
        assert_eq!(alternatives(&add, None, 3, Duration::ZERO, none).len(), 1);
    }

    #[test]
    fn commuted_operands_are_the_same_program_and_egraph_variants_fill_up() {
        let a = f("fn f(v0: i8, v1: i8) -> i8 {\n  v2 = and v0, v1\n  ret v2\n}\n");
        let b = f("fn f(v0: i8, v1: i8) -> i8 {\n  v2 = and v1, v0\n  ret v2\n}\n");
        assert_eq!(identity(&a), identity(&b));
        let c = f("fn f(v0: i8, v1: i8) -> i8 {\n  v2 = sub v0, v1\n  ret v2\n}\n");
        let d = f("fn f(v0: i8, v1: i8) -> i8 {\n  v2 = sub v1, v0\n  ret v2\n}\n");
        assert_ne!(identity(&c), identity(&d), "sub is not commutative");
        // Nothing from the banned searches: the e-graph's variants of x - (x & y) are proved
        // (accepted) and fill up.
        let first = f("fn f(v0: i8, v1: i8) -> i8 {\n  v2 = and v0, v1\n  v3 = sub v0, v2\n  ret v3\n}\n");
        let mut nothing = |_: &[Opcode], _: Duration| -> Option<Found> { None };
        let mut accepted = 0;
        let mut accept = |g: &Function| {
            accepted += 1;
            (0..=255u64).all(|x| (0..=255u64).all(|y| ir::eval(&first, &[x, y]) == ir::eval(g, &[x, y])))
        };
        let alts =
            alternatives(&first, None, 3, Duration::from_secs(5), Sources { solve: &mut nothing, accept: &mut accept });
        assert!(alts.len() >= 2, "{alts:?}");
        assert!(alts[1..].iter().all(|a| a.found_by.as_deref() == Some("e-graph")));
    }
}
