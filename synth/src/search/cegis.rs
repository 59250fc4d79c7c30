//! The CEGIS driver: runs the enumerator, hands candidates (and root-inversion hits) to the
//! oracle, feeds counterexamples back as new tests, and decides when to stop.
//!
//! Optimality: a candidate found while enumerating level `c` is the cheapest, since every
//! cheaper term was enumerated and refuted. A root-inversion hit of cost `c` found after level
//! `L` completed is the cheapest only if `c <= L + 1`; otherwise it is kept as the best known
//! solution while enumeration continues (with `prove_optimal`), and returned as soon as the
//! levels below it are done, or when a budget runs out (then marked not proven optimal).

use std::time::{Duration, Instant};

use ir::{Interpreter, Problem, Type};

use super::enumerate::{Enumerator, Step};
use super::evidence::{Analysis, Evidence};
use super::grammar::SearchGrammar;
use super::holes::{Sketcher, instantiate};
use super::probe::{Prober, probe_level, still_matches};
use super::unify::Unifier;
use super::{
    Budget, HoleAnswer, Oracle, OracleAnswer, Outcome, Progress, Report, SearchConfig, SearchError, Solution,
    param_columns, solution_of, solution_of_hit, solution_of_tree, tests_gen,
};

/// What the oracle made of one candidate.
enum Tried {
    Valid,
    Refuted,
    Undecided,
}

/// Sketches (terms with constant holes) are made from kept terms up to this cost.
const HOLE_LEVELS: u32 = 3;
/// Most new sketches tried per level.
const SKETCHES_PER_LEVEL: usize = 64;
/// Most counterexample rounds for one sketch.
const ROUNDS_PER_SKETCH: usize = 6;

struct Driver<'a> {
    problem: &'a Problem,
    config: &'a SearchConfig,
    grammar: &'a SearchGrammar,
    analysis: Analysis,
    evidence: Evidence,
    start: Instant,
    deadline: Instant,
    counterexamples: usize,
    best: Option<Solution>,
    undecided: Option<(Solution, String)>,
    /// Times the enumerator was rebuilt (its term indices changed).
    restarts: usize,
    /// Every start term of at most this cost has been enumerated (and refuted).
    start_complete: u32,
}

pub(super) fn run(
    problem: &Problem,
    config: &SearchConfig,
    grammar: &SearchGrammar,
    constants: &[(Type, u64)],
    oracle: &mut dyn Oracle,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, SearchError> {
    let start = Instant::now();
    let analysis = Analysis::new(problem)?;
    let mut evidence = Evidence::new();
    for test in tests_gen::initial_tests(problem, constants, config.initial_tests, config.seed) {
        evidence.add_test(problem, &analysis, test);
    }
    let mut d = Driver {
        problem,
        config,
        grammar,
        analysis,
        evidence,
        start,
        deadline: start + config.timeout,
        counterexamples: 0,
        best: None,
        undecided: None,
        restarts: 0,
        start_complete: 0,
    };
    if let Some(conflict) = d.evidence.conflict.clone() {
        return Ok(d.report(Outcome::Infeasible(conflict), None));
    }
    let mut en = d.new_enumerator();
    let mut prober = Prober::default();
    let mut unifier = Unifier::new(grammar);
    let mut sketcher = Sketcher::default();
    // The restart count the prober and unifier have seen: a rebuilt enumerator renumbers terms.
    let mut seen_restarts = 0;
    let target = &problem.targets[0];
    let deadline = d.deadline;
    let stop = move || Instant::now() >= deadline;
    loop {
        let step = {
            let (ev, an) = (&d.evidence, &d.analysis);
            let check = |col: &[u64]| ev.check(problem, an, col);
            en.step(&check, &stop)
        };
        match step {
            Step::Candidates(ids) => {
                let restarts = d.restarts;
                for id in ids {
                    if d.restarts != restarts {
                        // The enumerator was rebuilt: these indices mean nothing now.
                        break;
                    }
                    let mut view = Vec::new();
                    if !d.evidence.check(problem, &d.analysis, en.start_view(id, &mut view)) {
                        continue;
                    }
                    let cost = en.cost(grammar.start, id);
                    if d.best.as_ref().is_some_and(|b| b.search_cost <= cost) {
                        continue;
                    }
                    let mut candidate = solution_of(grammar, &en, id, target, config.cost);
                    match d.try_candidate(&mut en, &candidate, oracle)? {
                        Tried::Valid => {
                            candidate.optimal = true;
                            return Ok(d.report(Outcome::Solved(candidate), Some(&en)));
                        }
                        Tried::Refuted => {
                            if let Some(conflict) = d.evidence.conflict.clone() {
                                return Ok(d.report(Outcome::Infeasible(conflict), Some(&en)));
                            }
                            // Split classes may complete a root inversion right away.
                            if d.restarts != seen_restarts {
                                seen_restarts = d.restarts;
                                prober = Prober::default();
                                unifier = Unifier::new(grammar);
                            }
                            if d.evidence.is_exact(&d.analysis)
                                && let Some(outcome) = d.try_hits(&mut en, &mut prober, oracle)?
                            {
                                return Ok(d.report(outcome, Some(&en)));
                            }
                        }
                        Tried::Undecided => {}
                    }
                }
            }
            Step::StartLevelDone(level) => {
                // Every start term of cost <= level is enumerated: a known answer of cost
                // level + 1 is the cheapest, and root inversion can complete new ones.
                d.start_complete = level;
                if d.restarts != seen_restarts {
                    seen_restarts = d.restarts;
                    prober = Prober::default();
                    unifier = Unifier::new(grammar);
                }
                if let Some(best) = d.best.take_if(|b| b.search_cost <= level + 1) {
                    return Ok(d.report(Outcome::Solved(Solution { optimal: true, ..best }), Some(&en)));
                }
                if d.evidence.is_exact(&d.analysis)
                    && let Some(outcome) = d.try_hits(&mut en, &mut prober, oracle)?
                {
                    return Ok(d.report(outcome, Some(&en)));
                }
                if let Some(unifier) = unifier.as_mut()
                    && d.evidence.is_functional(&d.analysis)
                    && let Some(outcome) = d.try_unify(&mut en, unifier, oracle)?
                {
                    return Ok(d.report(outcome, Some(&en)));
                }
            }
            Step::LevelDone(level) => {
                d.start_complete = level;
                if d.restarts != seen_restarts {
                    seen_restarts = d.restarts;
                    prober = Prober::default();
                    unifier = Unifier::new(grammar);
                }
                if std::env::var_os("SYNTH_DEBUG_VALIDATE").is_some() {
                    en.debug_validate();
                }
                let stats = en.stats();
                progress(Progress { level, candidates: stats.tuples, kept: stats.kept, elapsed: start.elapsed() });
                if let Some(best) = d.best.take_if(|b| b.search_cost <= level + 1) {
                    return Ok(d.report(Outcome::Solved(Solution { optimal: true, ..best }), Some(&en)));
                }
                // Conditions of this level (other non-terminals) may complete a decision tree.
                if let Some(unifier) = unifier.as_mut()
                    && d.evidence.is_functional(&d.analysis)
                    && let Some(outcome) = d.try_unify(&mut en, unifier, oracle)?
                {
                    return Ok(d.report(outcome, Some(&en)));
                }
                if level <= HOLE_LEVELS
                    && !grammar.user_grammar
                    && let Some(outcome) = d.try_sketches(&mut en, &mut sketcher, level, oracle)?
                {
                    return Ok(d.report(outcome, Some(&en)));
                }
                if en.is_saturated() {
                    let outcome = match (d.best.take(), d.undecided.take()) {
                        (Some(best), _) => Outcome::Solved(best),
                        (None, Some((candidate, reason))) => Outcome::Unknown { candidate, reason },
                        (None, None) => Outcome::Infeasible(format!(
                            "every term of the grammar is equivalent on {} test inputs to one of {} terms up to cost {level}, and each of those violates the spec",
                            d.evidence.tests.len(),
                            stats.kept
                        )),
                    };
                    return Ok(d.report(outcome, Some(&en)));
                }
                if config.max_size.is_some_and(|m| level >= m) {
                    let outcome = d.finish(Budget::MaxSize);
                    return Ok(d.report(outcome, Some(&en)));
                }
            }
            Step::Stopped => {
                let outcome = d.finish(Budget::Timeout);
                return Ok(d.report(outcome, Some(&en)));
            }
            Step::MemoryFull => {
                let outcome = d.finish(Budget::Memory);
                return Ok(d.report(outcome, Some(&en)));
            }
        }
    }
}

impl<'a> Driver<'a> {
    fn new_enumerator(&self) -> Enumerator<'a> {
        Enumerator::new(
            self.grammar,
            param_columns(&self.evidence.points, self.grammar.params.len()),
            self.evidence.n_points(),
            self.config.threads,
            self.config.member_cap,
            self.config.memory_budget,
        )
    }

    fn report(&self, outcome: Outcome, en: Option<&Enumerator<'_>>) -> Report {
        Report {
            outcome,
            candidates: en.map_or(0, |e| e.stats().tuples),
            kept: en.map_or(0, |e| e.stats().kept),
            counterexamples: self.counterexamples,
            largest_level: en.and_then(Enumerator::levels_done),
            elapsed: self.start.elapsed(),
            all_functions: Vec::new(),
            all_derivations: Vec::new(),
        }
    }

    /// The outcome when a budget ran out: the best verified solution if any.
    fn finish(&mut self, budget: Budget) -> Outcome {
        match (self.best.take(), self.undecided.take()) {
            (Some(best), _) => Outcome::Solved(best),
            (None, Some((candidate, reason))) => Outcome::Unknown { candidate, reason },
            (None, None) => Outcome::NoSolution(budget),
        }
    }

    /// Asks the oracle about a candidate; a counterexample becomes a new test.
    fn try_candidate(
        &mut self,
        en: &mut Enumerator<'a>,
        candidate: &Solution,
        oracle: &mut dyn Oracle,
    ) -> Result<Tried, SearchError> {
        let remaining = self.deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
        match oracle.check(self.problem, &candidate.function, remaining) {
            OracleAnswer::Valid => Ok(Tried::Valid),
            OracleAnswer::Error(e) => Err(SearchError::Inconsistent(e)),
            OracleAnswer::Unknown(why) => {
                if self.undecided.is_none() {
                    self.undecided = Some((candidate.clone(), why));
                }
                Ok(Tried::Undecided)
            }
            OracleAnswer::Counterexample(vars) => {
                self.confirm_refutes(candidate, &vars)?;
                self.counterexamples += 1;
                // Split classes give new terms at every level: until the enumerator has revisited
                // them, no level counts as complete for optimality claims.
                self.start_complete = 0;
                let before = self.evidence.n_points();
                self.evidence.add_test(self.problem, &self.analysis, vars);
                let new_points = param_columns(&self.evidence.points[before..], self.grammar.params.len());
                let (ev, an, problem) = (&self.evidence, &self.analysis, self.problem);
                let check = |col: &[u64]| ev.check(problem, an, col);
                if en.add_points(&new_points, &check).is_err() {
                    *en = self.new_enumerator();
                    self.restarts += 1;
                }
                if std::env::var_os("SYNTH_DEBUG_VALIDATE").is_some() {
                    en.debug_validate();
                }
                Ok(Tried::Refuted)
            }
        }
    }

    /// The oracle's counterexample must violate a constraint under our own interpreter.
    fn confirm_refutes(&self, candidate: &Solution, vars: &[u64]) -> Result<(), SearchError> {
        let interp = Interpreter::new(&candidate.function).map_err(|e| SearchError::Inconsistent(e.to_string()))?;
        let holds = self
            .problem
            .constraints
            .iter()
            .all(|c| c.eval(self.problem, vars, &mut |_, args| interp.eval(args)) & 1 == 1);
        if holds {
            return Err(SearchError::Inconsistent(format!(
                "the oracle's counterexample {vars:?} satisfies every constraint for the candidate\n{}",
                candidate.function
            )));
        }
        Ok(())
    }

    /// Tries sketches made from the terms of cost `level` with their constants as holes; an
    /// answer found this way is verified but not proven optimal.
    fn try_sketches(
        &mut self,
        en: &mut Enumerator<'a>,
        sketcher: &mut Sketcher,
        level: u32,
        oracle: &mut dyn Oracle,
    ) -> Result<Option<Outcome>, SearchError> {
        let target = &self.problem.targets[0];
        // Sketches cost solver time; give them a quarter of the time spent so far (at least
        // 20 ms a level), so they never dominate a search that enumeration alone would finish.
        let budget = self.start.elapsed().mul_f64(0.25).max(Duration::from_millis(20));
        let stop = Instant::now() + budget;
        for sketch in sketcher.sketches(self.grammar, en, level, &target.name, SKETCHES_PER_LEVEL) {
            for _ in 0..ROUNDS_PER_SKETCH {
                let now = Instant::now();
                let remaining = self.deadline.saturating_duration_since(now);
                if remaining.is_zero() || now >= stop {
                    return Ok(None);
                }
                let values = match oracle.solve_holes(self.problem, &sketch.function, &self.evidence.tests, remaining) {
                    None => return Ok(None),
                    Some(HoleAnswer::Found(values)) => values,
                    Some(HoleAnswer::NoneExist | HoleAnswer::Unknown(_)) => break,
                };
                let function = super::simplify(&instantiate(&sketch, &values));
                let cost = super::cost::function_cost(self.config.cost, &function);
                if self.config.max_size.is_some_and(|m| cost > m) {
                    break;
                }
                let candidate = Solution { function, derivation: None, cost, search_cost: level, optimal: false };
                match self.try_candidate(en, &candidate, oracle)? {
                    Tried::Valid => return Ok(Some(Outcome::Solved(candidate))),
                    Tried::Refuted => {
                        if let Some(conflict) = self.evidence.conflict.clone() {
                            return Ok(Some(Outcome::Infeasible(conflict)));
                        }
                    }
                    Tried::Undecided => break,
                }
            }
        }
        Ok(None)
    }

    /// Tries a decision tree over the kept terms, repeating while counterexamples come in.
    fn try_unify(
        &mut self,
        en: &mut Enumerator<'a>,
        unifier: &mut Unifier,
        oracle: &mut dyn Oracle,
    ) -> Result<Option<Outcome>, SearchError> {
        let target = &self.problem.targets[0];
        let restarts = self.restarts;
        loop {
            let params = param_columns(&self.evidence.points, self.grammar.params.len());
            unifier.update(self.grammar, en, &self.evidence.target, &self.evidence.care, &params);
            let Some(tree) = unifier.solve(self.grammar) else { return Ok(None) };
            let mut candidate = solution_of_tree(self.grammar, en, &tree, target, self.config.cost);
            if self.best.as_ref().is_some_and(|b| b.search_cost <= candidate.search_cost)
                || self.config.max_size.is_some_and(|m| candidate.search_cost > m)
            {
                return Ok(None);
            }
            let level = self.start_complete;
            match self.try_candidate(en, &candidate, oracle)? {
                Tried::Valid => {
                    candidate.optimal = candidate.search_cost <= level + 1;
                    if candidate.optimal || !self.config.prove_optimal {
                        return Ok(Some(Outcome::Solved(candidate)));
                    }
                    self.best = Some(candidate);
                    return Ok(None);
                }
                Tried::Refuted => {
                    if let Some(conflict) = self.evidence.conflict.clone() {
                        return Ok(Some(Outcome::Infeasible(conflict)));
                    }
                    if Instant::now() >= self.deadline {
                        return Ok(None);
                    }
                    if self.restarts != restarts {
                        *unifier = Unifier::new(self.grammar).expect("the grammar has an if-then-else");
                        return Ok(None);
                    }
                }
                Tried::Undecided => return Ok(None),
            }
        }
    }

    /// Tries the root-inversion hits among terms kept since the last probe, probing again
    /// after each round that added counterexamples (split classes are new terms).
    fn try_hits(
        &mut self,
        en: &mut Enumerator<'a>,
        prober: &mut Prober,
        oracle: &mut dyn Oracle,
    ) -> Result<Option<Outcome>, SearchError> {
        loop {
            let before = self.counterexamples;
            if let Some(outcome) = self.try_hit_round(en, prober, oracle)? {
                return Ok(Some(outcome));
            }
            if self.counterexamples == before || Instant::now() >= self.deadline {
                return Ok(None);
            }
        }
    }

    fn try_hit_round(
        &mut self,
        en: &mut Enumerator<'a>,
        prober: &mut Prober,
        oracle: &mut dyn Oracle,
    ) -> Result<Option<Outcome>, SearchError> {
        let target = &self.problem.targets[0];
        let level = self.start_complete;
        // Proving optimality needs only the hits of the next cost (cheap); a first answer is
        // found sooner by scanning every new term for hits of any cost.
        let hits = if self.config.prove_optimal {
            probe_level(self.grammar, en, &self.evidence.target, level)
        } else {
            prober.probe(self.grammar, en, &self.evidence.target)
        };
        let restarts = self.restarts;
        let mut refuted = false;
        for hit in hits {
            if self.best.as_ref().is_some_and(|b| b.search_cost <= hit.cost)
                || self.config.max_size.is_some_and(|m| hit.cost > m)
            {
                continue;
            }
            if refuted {
                let params = param_columns(&self.evidence.points, self.grammar.params.len());
                if !still_matches(self.grammar, en, &hit, &self.evidence.target, &params) {
                    continue;
                }
            }
            let mut candidate = solution_of_hit(self.grammar, en, &hit, target, self.config.cost);
            match self.try_candidate(en, &candidate, oracle)? {
                Tried::Valid => {
                    candidate.optimal = hit.cost <= level + 1;
                    if candidate.optimal || !self.config.prove_optimal {
                        return Ok(Some(Outcome::Solved(candidate)));
                    }
                    self.best = Some(candidate);
                }
                Tried::Refuted => {
                    refuted = true;
                    if let Some(conflict) = self.evidence.conflict.clone() {
                        return Ok(Some(Outcome::Infeasible(conflict)));
                    }
                    if self.restarts != restarts {
                        *prober = Prober::default();
                        return Ok(None);
                    }
                }
                Tried::Undecided => {}
            }
        }
        Ok(None)
    }
}
