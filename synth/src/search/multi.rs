//! Several targets at once: a joint search over tuples of terms, ordered by total cost.
//!
//! Each target gets its own grammar and enumerator, whose points are the argument tuples at
//! which the constraints call that target. Observational equivalence stays sound per target: two
//! terms with equal values at all of a target's points are interchangeable in every tuple,
//! because the constraints only see those values. For total cost `c`, every split of `c` over
//! the targets is tried, and each tuple is checked by evaluating the constraints on every test;
//! a tuple that passes goes to the oracle, and a counterexample becomes a new test (new points
//! for every target). This is exhaustive, so it suits problems whose targets are small.
//!
//! Optimality: new points split classes, so a counterexample at total `T` can create cheaper
//! terms that form tuples of totals below `T` never checked. The search then revisits totals
//! `0..T` for the tuples with at least one term created since (semi-naive, as the enumerator
//! does for levels), so the first tuple proved is the cheapest one over the enumerated terms.

use std::collections::HashMap;
use std::time::Instant;

use super::enumerate::AddPointsError;

use ir::{Function, Node, Problem, Type};

use super::enumerate::{Enumerator, Step};
use super::grammar::{ConstantPool, SearchGrammar};
use super::{
    Budget, FoundBy, Optimality, Oracle, OracleAnswer, Outcome, Report, SearchConfig, SearchError, Solution, extract,
    grammar_for, param_columns, simplify, tests_gen,
};

/// One constraint at one test: the values of its call-free nodes, and each call node's point.
type Prepared = (Vec<u64>, HashMap<usize, u32>);

/// Tests and, per target, its points and where each call site's point is.
struct Points {
    tests: Vec<Vec<u64>>,
    /// Per target: the distinct argument tuples.
    points: Vec<Vec<Vec<u64>>>,
    index: Vec<HashMap<Vec<u64>, u32>>,
    /// Per test, per constraint: the node values of call-free nodes, and per call node its point.
    cache: Vec<Vec<Prepared>>,
}

fn calls_depend(problem: &Problem) -> Result<Vec<Vec<bool>>, SearchError> {
    let mut out = Vec::new();
    for f in &problem.constraints {
        let mut dep = vec![false; f.nodes.len()];
        for (id, n) in f.nodes.iter().enumerate() {
            dep[id] = match n {
                Node::Call { args, .. } => {
                    if args.iter().any(|&a| dep[a]) {
                        return Err(SearchError::Unsupported("nested calls of functions to synthesize".into()));
                    }
                    true
                }
                Node::Op { args, .. } => args.iter().any(|&a| dep[a]),
                _ => false,
            };
        }
        out.push(dep);
    }
    Ok(out)
}

impl Points {
    fn new(targets: usize) -> Self {
        Points {
            tests: Vec::new(),
            points: vec![Vec::new(); targets],
            index: vec![HashMap::new(); targets],
            cache: Vec::new(),
        }
    }

    /// Adds a test; returns, per target, the points it added.
    fn add_test(&mut self, problem: &Problem, dep: &[Vec<bool>], vars: Vec<u64>) -> Vec<Vec<Vec<u64>>> {
        let mut added = vec![Vec::new(); problem.targets.len()];
        let mut per_constraint = Vec::new();
        for (ci, f) in problem.constraints.iter().enumerate() {
            let mut values = vec![0u64; f.nodes.len()];
            let mut sites = HashMap::new();
            for (id, node) in f.nodes.iter().enumerate() {
                if let Node::Call { target, args } = node {
                    let point: Vec<u64> = args.iter().map(|&a| values[a]).collect();
                    let next = self.points[*target].len() as u32;
                    let p = *self.index[*target].entry(point.clone()).or_insert_with(|| {
                        self.points[*target].push(point.clone());
                        added[*target].push(point);
                        next
                    });
                    sites.insert(id, p);
                } else if !dep[ci][id] {
                    values[id] = f.eval_node(problem, id, &values, &vars);
                }
            }
            per_constraint.push((values, sites));
        }
        self.cache.push(per_constraint);
        self.tests.push(vars);
        added
    }

    /// True if the tuple whose targets have values `cols[t][point]` meets every constraint on every test.
    fn check(&self, problem: &Problem, dep: &[Vec<bool>], cols: &[&[u64]]) -> bool {
        for (t, test) in self.tests.iter().enumerate() {
            for (ci, f) in problem.constraints.iter().enumerate() {
                let (cached, sites) = &self.cache[t][ci];
                let mut values = cached.clone();
                for (id, node) in f.nodes.iter().enumerate() {
                    if !dep[ci][id] {
                        continue;
                    }
                    values[id] = match node {
                        Node::Call { target, .. } => cols[*target][sites[&id] as usize],
                        _ => f.eval_node(problem, id, &values, test),
                    };
                }
                if values[f.root()] & 1 == 0 {
                    return false;
                }
            }
        }
        true
    }
}

/// Tuples of totals below `until` are revisited only if some target's term was created at or
/// after that target's generation `since[t]`.
#[derive(Debug, Clone)]
struct Revisit {
    since: Vec<u32>,
    until: u32,
}

/// The search's per-target grammars and enumerators.
struct Targets<'g> {
    grammars: &'g [SearchGrammar],
    enums: Vec<Enumerator<'g>>,
}

impl<'g> Targets<'g> {
    fn enumerator(
        grammar: &'g SearchGrammar,
        points: &[Vec<u64>],
        config: &SearchConfig,
        k: usize,
    ) -> Result<Enumerator<'g>, SearchError> {
        Enumerator::new(
            grammar,
            param_columns(points, grammar.params.len()),
            points.len(),
            config.threads,
            config.member_cap,
            config.memory_budget / k.max(1),
        )
    }
}

/// Solves a problem with several targets by tuple enumeration (see the module docs).
pub fn synthesize_tuple(
    problem: &Problem,
    config: &SearchConfig,
    constants: &[(Type, u64)],
    oracle: &mut dyn Oracle,
) -> Result<Report, SearchError> {
    let start = Instant::now();
    let deadline = super::deadline_after(start, config.timeout);
    let dep = calls_depend(problem)?;
    let grammars: Vec<SearchGrammar> =
        problem.targets.iter().map(|t| grammar_for(t, config, constants, ConstantPool::Defaults)).collect();
    let k = problem.targets.len();
    let optimality = if grammars.iter().any(SearchGrammar::open_constants) {
        Optimality::OverTriedConstants
    } else {
        Optimality::Optimal
    };
    let mut points = Points::new(k);
    for test in tests_gen::initial_tests(problem, constants, config.initial_tests, config.seed) {
        points.add_test(problem, &dep, test);
    }
    let mut ts = Targets { grammars: &grammars, enums: Vec::new() };
    let never = |_: &[u64]| false;
    let stop = || config.is_cancelled() || Instant::now() >= deadline;
    let stopped = || if config.is_cancelled() { Budget::Cancelled } else { Budget::Timeout };
    for (t, g) in grammars.iter().enumerate() {
        if stop() {
            return Ok(Report {
                outcome: Outcome::NoSolution(stopped()),
                candidates: 0,
                kept: 0,
                counterexamples: 0,
                largest_level: None,
                elapsed: start.elapsed(),
                all_functions: Vec::new(),
                all_derivations: Vec::new(),
            });
        }
        ts.enums.push(Targets::enumerator(g, &points.points[t], config, k)?);
    }
    let mut counterexamples = 0;
    let report = |outcome, enums: &[Enumerator<'_>], cex, level| Report {
        outcome,
        candidates: enums.iter().map(|e| e.stats().tuples).sum(),
        kept: enums.iter().map(|e| e.stats().kept).sum(),
        counterexamples: cex,
        largest_level: level,
        elapsed: start.elapsed(),
        all_functions: Vec::new(),
        all_derivations: Vec::new(),
    };
    let mut total = 0u32;
    let mut done_level: Option<u32> = None;
    let mut revisit: Option<Revisit> = None;
    'levels: loop {
        if revisit.as_ref().is_some_and(|r| total >= r.until) {
            revisit = None;
        }
        if config.max_size.is_some_and(|m| total > m) {
            return Ok(report(Outcome::NoSolution(Budget::MaxSize), &ts.enums, counterexamples, done_level));
        }
        // Every target enumerated up to cost `total` with the current points.
        for en in ts.enums.iter_mut() {
            while en.levels_done().is_none_or(|l| l < total) {
                match en.step(&never, &stop) {
                    Step::Stopped => {
                        return Ok(report(Outcome::NoSolution(stopped()), &ts.enums, counterexamples, done_level));
                    }
                    Step::MemoryFull => {
                        return Ok(report(Outcome::NoSolution(Budget::Memory), &ts.enums, counterexamples, done_level));
                    }
                    Step::Candidates(_) | Step::StartLevelDone(_) | Step::LevelDone(_) => {}
                }
            }
        }
        // Every split of `total` over the targets.
        let mut split = vec![0u32; k];
        loop {
            if split.iter().sum::<u32>() == total {
                let buckets: Vec<Vec<u32>> =
                    (0..k).map(|t| ts.enums[t].bank(grammars[t].start).bucket(split[t]).to_vec()).collect();
                // The ranges of positions to combine: everything, or (revisiting) for each target
                // `j`, tuples whose first new term is target `j`'s.
                let boxes: Vec<Vec<(usize, usize)>> = match &revisit {
                    None => vec![buckets.iter().map(|b| (0, b.len())).collect()],
                    Some(r) => {
                        let firsts: Vec<usize> =
                            (0..k).map(|t| ts.enums[t].bucket_since(grammars[t].start, split[t], r.since[t])).collect();
                        (0..k)
                            .map(|j| {
                                (0..k)
                                    .map(|i| match i.cmp(&j) {
                                        std::cmp::Ordering::Less => (0, firsts[i]),
                                        std::cmp::Ordering::Equal => (firsts[i], buckets[i].len()),
                                        std::cmp::Ordering::Greater => (0, buckets[i].len()),
                                    })
                                    .collect()
                            })
                            .collect()
                    }
                };
                for ranges in boxes {
                    if ranges.iter().any(|r| r.0 >= r.1) {
                        continue;
                    }
                    let mut pos: Vec<usize> = ranges.iter().map(|r| r.0).collect();
                    loop {
                        if stop() {
                            return Ok(report(Outcome::NoSolution(stopped()), &ts.enums, counterexamples, done_level));
                        }
                        let mut views: Vec<Vec<u64>> = vec![Vec::new(); k];
                        let cols: Vec<&[u64]> = views
                            .iter_mut()
                            .enumerate()
                            .map(|(t, buf)| {
                                ts.enums[t].bank(grammars[t].start).view(
                                    buckets[t][pos[t]],
                                    points.points[t].len(),
                                    buf,
                                )
                            })
                            .collect();
                        if points.check(problem, &dep, &cols) {
                            let ids: Vec<u32> = (0..k).map(|t| buckets[t][pos[t]]).collect();
                            let (derivations, solutions) = tuple_functions(problem, &ts, &ids);
                            let remaining = deadline.saturating_duration_since(Instant::now());
                            match oracle.check_all(problem, &solutions, remaining) {
                                OracleAnswer::Valid => {
                                    let cost =
                                        solutions.iter().map(|f| super::cost::function_cost(config.cost, f)).sum();
                                    let solution = Solution {
                                        function: solutions[0].clone(),
                                        derivation: None,
                                        cost,
                                        search_cost: total,
                                        // Nothing costs less than 0.
                                        optimality: if total == 0 { Optimality::Optimal } else { optimality },
                                        found_by: FoundBy::Enumeration,
                                    };
                                    let mut r =
                                        report(Outcome::Solved(solution), &ts.enums, counterexamples, done_level);
                                    r.all_functions = solutions;
                                    r.all_derivations = derivations;
                                    return Ok(r);
                                }
                                OracleAnswer::Counterexample(vars) => {
                                    counterexamples += 1;
                                    let added = points.add_test(problem, &dep, vars);
                                    let mut since: Vec<u32> = vec![u32::MAX; k];
                                    for (t, new) in added.into_iter().enumerate() {
                                        if new.is_empty() {
                                            continue;
                                        }
                                        let cols = param_columns(&new, grammars[t].params.len());
                                        match ts.enums[t].add_points(&cols, &[], &never, &stop) {
                                            Ok(()) => since[t] = ts.enums[t].generation(),
                                            Err(AddPointsError::NeedRestart) => {
                                                // Too many members to split: rebuild this
                                                // target's bank; all its terms are new.
                                                ts.enums[t] =
                                                    Targets::enumerator(&grammars[t], &points.points[t], config, k)?;
                                                since[t] = 0;
                                            }
                                            Err(AddPointsError::Stopped) => {
                                                return Ok(report(
                                                    Outcome::NoSolution(stopped()),
                                                    &ts.enums,
                                                    counterexamples,
                                                    None,
                                                ));
                                            }
                                        }
                                    }
                                    // Revisit the lower totals for tuples with new terms.
                                    revisit = Some(match revisit.take() {
                                        None => Revisit { since, until: total },
                                        Some(r) => Revisit {
                                            since: r.since.iter().zip(&since).map(|(a, b)| (*a).min(*b)).collect(),
                                            until: r.until.max(total),
                                        },
                                    });
                                    total = 0;
                                    done_level = None;
                                    continue 'levels;
                                }
                                OracleAnswer::Unknown(why) => {
                                    let cost =
                                        solutions.iter().map(|f| super::cost::function_cost(config.cost, f)).sum();
                                    return Ok(report(
                                        Outcome::Unknown {
                                            candidate: Solution {
                                                function: solutions[0].clone(),
                                                derivation: None,
                                                cost,
                                                search_cost: total,
                                                optimality: Optimality::NotProven,
                                                found_by: FoundBy::Enumeration,
                                            },
                                            reason: why,
                                        },
                                        &ts.enums,
                                        counterexamples,
                                        done_level,
                                    ));
                                }
                                OracleAnswer::Error(e) => return Err(SearchError::Inconsistent(e)),
                            }
                        }
                        // Next tuple (odometer within the ranges).
                        let mut i = k;
                        let mut wrapped = true;
                        while i > 0 {
                            i -= 1;
                            pos[i] += 1;
                            if pos[i] < ranges[i].1 {
                                wrapped = false;
                                break;
                            }
                            pos[i] = ranges[i].0;
                        }
                        if wrapped {
                            break;
                        }
                    }
                }
            }
            // Next split (odometer over 0..=total).
            let mut i = k;
            let mut wrapped = true;
            while i > 0 {
                i -= 1;
                split[i] += 1;
                if split[i] <= total {
                    wrapped = false;
                    break;
                }
                split[i] = 0;
            }
            if wrapped {
                break;
            }
        }
        if revisit.is_none() {
            done_level = Some(total);
        }
        total += 1;
    }
}

/// Each target's answer for kept terms `ids`: a target with a grammar answers with a derivation
/// (its terms must print in the grammar's symbols), others with a simplified function.
fn tuple_functions(problem: &Problem, ts: &Targets<'_>, ids: &[u32]) -> (Vec<Option<ir::Derivation>>, Vec<Function>) {
    let grammars = ts.grammars;
    let derivations: Vec<Option<ir::Derivation>> = (0..ids.len())
        .map(|t| {
            grammars[t]
                .user_grammar
                .then(|| extract::to_derivation(&grammars[t], &ts.enums[t], grammars[t].start, ids[t]))
        })
        .collect();
    let functions = (0..ids.len())
        .map(|t| match &derivations[t] {
            Some(d) => d.to_function(&problem.targets[t]),
            None => simplify(&extract::to_function(
                &grammars[t],
                &ts.enums[t],
                grammars[t].start,
                ids[t],
                &problem.targets[t].name,
            )),
        })
        .collect();
    (derivations, functions)
}
