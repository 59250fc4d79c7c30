//! The CEGIS driver: runs the enumerator, hands candidates (and root-inversion hits, decision
//! trees, constant sketches) to the oracle, feeds counterexamples back as new tests, and decides
//! when to stop and what the answer's cost claim is.
//!
//! Optimality invariant (docs/search.md, "What an answer guarantees"): an answer of search cost
//! `c` is claimed optimal only when
//! 1. every start term of cost below `c` is represented in the bank with the *current* tests
//!    (`Enumerator::start_complete_below() >= c`), so each one fails a test or was refuted by
//!    the oracle — after a counterexample this drops until the revisit of the lower levels is
//!    done;
//! 2. no candidate of cost below `c` was left undecided by the oracle; and
//! 3. the grammar's constants are all enumerated — otherwise the claim is restricted to terms
//!    over the constant pool ([`Optimality::OverTriedConstants`]).
//!
//! A verified answer that fails (1) is kept as the best known while enumeration continues (with
//! `prove_optimal`), and is returned as soon as (1) holds for it, or when a budget runs out
//! (then [`Optimality::NotProven`]).
//!
//! Infeasibility is claimed only from a saturation proof over a grammar whose constants are all
//! enumerated (or from two tests demanding different results at one point). With a constant
//! pool, saturation proves nothing about other constants: the driver then tries every kept
//! term's constants as holes solved by the oracle, and otherwise reports
//! [`Budget::ConstantPool`].

use std::time::{Duration, Instant};

use ir::{Interpreter, Problem, Type};

use super::enumerate::{AddPointsError, Enumerator, Step};
use super::evidence::{Analysis, Evidence};
use super::grammar::SearchGrammar;
use super::holes::Sketcher;
use super::probe::{Prober, probe_level, still_matches};
use super::unify::Unifier;
use super::{
    Budget, FoundBy, HoleAnswer, Optimality, Oracle, OracleAnswer, Outcome, Progress, Report, SearchConfig,
    SearchError, Solution, param_columns, solution_from, solution_of, solution_of_hit, solution_of_tree, tests_gen,
};

/// What the oracle made of one candidate.
enum Tried {
    /// Proved for all inputs.
    Valid(Solution),
    /// A counterexample was added as a test.
    Refuted,
    /// The oracle could not decide.
    Undecided,
    /// The stop condition fired while the counterexample was being added: the enumerator is
    /// unusable and the search must end.
    Stopped,
}

/// Sketches (terms with constant holes) are made from kept terms up to this cost while the
/// enumeration runs (all kept terms once it saturates).
const HOLE_LEVELS: u32 = 3;
/// Most new sketches tried per level.
const SKETCHES_PER_LEVEL: usize = 64;
/// Most counterexample rounds for one sketch.
const ROUNDS_PER_SKETCH: usize = 6;

/// The helpers whose state refers to the enumerator's term indices.
struct Tools {
    prober: Prober,
    unifier: Option<Unifier>,
    sketcher: Sketcher,
    /// The restart count the prober and unifier were built for.
    restarts: usize,
}

impl Tools {
    fn new(grammar: &SearchGrammar) -> Self {
        Tools { prober: Prober::default(), unifier: Unifier::new(grammar), sketcher: Sketcher::default(), restarts: 0 }
    }

    /// Drops index-based state after the enumerator was rebuilt.
    fn sync(&mut self, restarts: usize, grammar: &SearchGrammar) {
        if self.restarts != restarts {
            self.restarts = restarts;
            self.prober = Prober::default();
            self.unifier = Unifier::new(grammar);
        }
    }

    fn bytes(&self) -> usize {
        self.unifier.as_ref().map_or(0, Unifier::bytes)
    }
}

struct Driver<'a> {
    problem: &'a Problem,
    config: &'a SearchConfig,
    grammar: &'a SearchGrammar,
    analysis: Analysis,
    evidence: Evidence,
    start: Instant,
    deadline: Instant,
    counterexamples: usize,
    /// A verified answer not yet proven optimal.
    best: Option<Solution>,
    /// The first candidate the oracle could not decide, with its reason.
    undecided: Option<(Solution, String)>,
    /// The lowest search cost of any candidate the oracle could not decide.
    min_undecided: Option<u32>,
    /// Times the enumerator was rebuilt (its term indices changed).
    restarts: usize,
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
    let deadline = super::deadline_after(start, config.timeout);
    let mut interrupted = false;
    for (i, test) in
        tests_gen::initial_tests(problem, constants, config.initial_tests, config.seed).into_iter().enumerate()
    {
        // Evaluating the constraints of a huge problem on many tests takes time too.
        if i % 16 == 15 && (config.is_cancelled() || Instant::now() >= deadline) {
            interrupted = true;
            break;
        }
        evidence.add_test(problem, &analysis, test);
    }
    let mut d = Driver {
        problem,
        config,
        grammar,
        analysis,
        evidence,
        start,
        deadline,
        counterexamples: 0,
        best: None,
        undecided: None,
        min_undecided: None,
        restarts: 0,
    };
    if let Some(conflict) = d.evidence.conflict.clone() {
        return Ok(d.report(Outcome::Infeasible(conflict), None));
    }
    if interrupted {
        let outcome = d.finish_stopped(None);
        return Ok(d.report(outcome, None));
    }
    if let Some((f, found_by)) = config.initial.as_ref().filter(|_| !grammar.user_grammar) {
        let function = super::simplify(f);
        d.best = Some(Solution {
            cost: super::cost::function_cost(config.cost, &function),
            search_cost: super::cost::tree_cost(config.cost, &function),
            function,
            derivation: None,
            optimality: Optimality::NotProven,
            found_by: *found_by,
        });
    }
    let mut en = d.new_enumerator()?;
    let mut tools = Tools::new(grammar);
    loop {
        let step = {
            let (ev, an) = (&d.evidence, &d.analysis);
            let check = |col: &[u64]| ev.check(problem, an, col);
            let stop = || d.stopped();
            en.step(&check, &stop)
        };
        let outcome = match step {
            Step::Candidates(ids) => d.try_ids(&mut en, &ids, &mut tools, oracle)?,
            Step::StartLevelDone(_) => d.after_start_level(&mut en, &mut tools, oracle)?,
            Step::LevelDone(level) => {
                let stats = en.stats();
                progress(Progress { level, candidates: stats.tuples, kept: stats.kept, elapsed: start.elapsed() });
                d.after_level(&mut en, &mut tools, level, oracle)?
            }
            Step::Stopped => Some(d.finish_stopped(Some(&en))),
            Step::MemoryFull => Some(d.finish(Budget::Memory, Some(&en))),
        };
        if let Some(outcome) = outcome {
            return Ok(d.report(outcome, Some(&en)));
        }
        if en.bytes() + tools.bytes() > config.memory_budget {
            let outcome = d.finish(Budget::Memory, Some(&en));
            return Ok(d.report(outcome, Some(&en)));
        }
    }
}

impl<'a> Driver<'a> {
    fn new_enumerator(&self) -> Result<Enumerator<'a>, SearchError> {
        Ok(Enumerator::new(
            self.grammar,
            param_columns(&self.evidence.points, self.grammar.params.len()),
            self.evidence.n_points(),
            self.config.threads,
            self.config.member_cap,
            self.config.memory_budget,
        )?
        .with_forbidden(self.evidence.forbidden.clone()))
    }

    /// True once the deadline passed or the caller cancelled.
    fn stopped(&self) -> bool {
        self.config.is_cancelled() || Instant::now() >= self.deadline
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

    /// What is proven about a verified answer of search cost `search_cost` (module docs).
    fn optimality(&self, en: &Enumerator<'_>, search_cost: u32) -> Optimality {
        if search_cost > en.start_complete_below() || self.min_undecided.is_some_and(|u| u < search_cost) {
            Optimality::NotProven
        } else if self.grammar.open_constants() && search_cost > 0 {
            Optimality::OverTriedConstants
        } else {
            Optimality::Optimal
        }
    }

    /// A verified candidate: the outcome to report now, or `None` if it was kept as the best
    /// known answer while the levels below it complete.
    fn accept(&mut self, en: &Enumerator<'_>, mut candidate: Solution) -> Option<Outcome> {
        candidate.optimality = self.optimality(en, candidate.search_cost);
        let incomplete = candidate.search_cost > en.start_complete_below();
        if candidate.optimality == Optimality::NotProven && incomplete && self.config.prove_optimal {
            if self.best.as_ref().is_none_or(|b| candidate.search_cost < b.search_cost) {
                self.best = Some(candidate);
            }
            return None;
        }
        Some(Outcome::Solved(candidate))
    }

    /// The best known answer, once every start term cheaper than it has been enumerated.
    fn take_proven_best(&mut self, en: &Enumerator<'_>) -> Option<Outcome> {
        let below = en.start_complete_below();
        let best = self.best.take_if(|b| b.search_cost <= below)?;
        let optimality = self.optimality(en, best.search_cost);
        Some(Outcome::Solved(Solution { optimality, ..best }))
    }

    /// The outcome when a budget ran out: the best verified solution if any (`en` is `None`
    /// when the enumerator is in an unusable state).
    fn finish(&mut self, budget: Budget, en: Option<&Enumerator<'_>>) -> Outcome {
        match (self.best.take(), self.undecided.take()) {
            (Some(best), _) => {
                let optimality = en.map_or(Optimality::NotProven, |en| self.optimality(en, best.search_cost));
                Outcome::Solved(Solution { optimality, ..best })
            }
            (None, Some((candidate, reason))) => Outcome::Unknown { candidate, reason },
            (None, None) => Outcome::NoSolution(budget),
        }
    }

    /// The outcome when the stop condition fired.
    fn finish_stopped(&mut self, en: Option<&Enumerator<'_>>) -> Outcome {
        let budget = if self.config.is_cancelled() { Budget::Cancelled } else { Budget::Timeout };
        self.finish(budget, en)
    }

    /// Checks the candidates the enumerator produced.
    fn try_ids(
        &mut self,
        en: &mut Enumerator<'a>,
        ids: &[u32],
        tools: &mut Tools,
        oracle: &mut dyn Oracle,
    ) -> Result<Option<Outcome>, SearchError> {
        let restarts = self.restarts;
        let target = &self.problem.targets[0];
        for &id in ids {
            if self.restarts != restarts {
                // The enumerator was rebuilt: these indices mean nothing now.
                break;
            }
            if self.stopped() {
                return Ok(Some(self.finish_stopped(Some(en))));
            }
            let mut view = Vec::new();
            if !self.evidence.check(self.problem, &self.analysis, en.start_view(id, &mut view)) {
                continue;
            }
            let cost = en.cost(self.grammar.start, id);
            if self.best.as_ref().is_some_and(|b| b.search_cost <= cost) {
                continue;
            }
            let candidate = solution_of(self.grammar, en, id, target, self.config.cost);
            match self.try_candidate(en, candidate, oracle)? {
                Tried::Valid(candidate) => {
                    if let Some(outcome) = self.accept(en, candidate) {
                        return Ok(Some(outcome));
                    }
                }
                Tried::Refuted => {
                    if let Some(conflict) = self.evidence.conflict.clone() {
                        return Ok(Some(Outcome::Infeasible(conflict)));
                    }
                    // Split classes may complete a root inversion right away.
                    tools.sync(self.restarts, self.grammar);
                    if self.evidence.is_exact(&self.analysis)
                        && let Some(outcome) = self.try_hits(en, &mut tools.prober, oracle)?
                    {
                        return Ok(Some(outcome));
                    }
                }
                Tried::Undecided => {}
                Tried::Stopped => return Ok(Some(self.finish_stopped(None))),
            }
        }
        Ok(None)
    }

    /// Every start term of the level just finished is enumerated: a known answer one cost up is
    /// proven the cheapest, and root inversion and decision trees can complete new ones.
    fn after_start_level(
        &mut self,
        en: &mut Enumerator<'a>,
        tools: &mut Tools,
        oracle: &mut dyn Oracle,
    ) -> Result<Option<Outcome>, SearchError> {
        tools.sync(self.restarts, self.grammar);
        if let Some(outcome) = self.take_proven_best(en) {
            return Ok(Some(outcome));
        }
        if self.evidence.is_exact(&self.analysis)
            && let Some(outcome) = self.try_hits(en, &mut tools.prober, oracle)?
        {
            return Ok(Some(outcome));
        }
        self.try_unify(en, tools, oracle)
    }

    /// A whole level is done: decision trees over the new conditions, constant sketches,
    /// saturation, the size budget.
    fn after_level(
        &mut self,
        en: &mut Enumerator<'a>,
        tools: &mut Tools,
        level: u32,
        oracle: &mut dyn Oracle,
    ) -> Result<Option<Outcome>, SearchError> {
        tools.sync(self.restarts, self.grammar);
        if std::env::var_os("SYNTH_DEBUG_VALIDATE").is_some() {
            en.debug_validate();
        }
        if let Some(outcome) = self.take_proven_best(en) {
            return Ok(Some(outcome));
        }
        // Conditions of this level (other non-terminals) may complete a decision tree.
        if let Some(outcome) = self.try_unify(en, tools, oracle)? {
            return Ok(Some(outcome));
        }
        if level <= HOLE_LEVELS && self.grammar.open_constants() {
            // Sketches cost solver time; give them a quarter of the time spent so far (at least
            // 20 ms a level), so they never dominate a search that enumeration alone would finish.
            let budget = self.start.elapsed().mul_f64(0.25).max(Duration::from_millis(20));
            let stop = Instant::now() + budget;
            if let Some(outcome) = self.try_sketches(en, tools, &[level], SKETCHES_PER_LEVEL, stop, oracle)? {
                return Ok(Some(outcome));
            }
        }
        if en.is_saturated() {
            return self.saturated(en, tools, level, oracle);
        }
        if self.config.max_size.is_some_and(|m| level >= m) {
            return Ok(Some(self.finish(Budget::MaxSize, Some(en))));
        }
        Ok(None)
    }

    /// Every production applied to every tuple of kept terms gives a known class. With every
    /// constant of the grammar enumerated this proves that no term is a solution; with a
    /// constant pool it proves nothing about other constants, so every kept term's constants
    /// are tried as holes first.
    fn saturated(
        &mut self,
        en: &mut Enumerator<'a>,
        tools: &mut Tools,
        level: u32,
        oracle: &mut dyn Oracle,
    ) -> Result<Option<Outcome>, SearchError> {
        if self.grammar.open_constants() {
            let before = self.counterexamples;
            let levels: Vec<u32> = (0..=level).collect();
            if let Some(outcome) = self.try_sketches(en, tools, &levels, usize::MAX, self.deadline, oracle)? {
                return Ok(Some(outcome));
            }
            if self.counterexamples != before {
                // New tests split classes: the enumeration goes on.
                return Ok(None);
            }
            if self.stopped() {
                return Ok(Some(self.finish_stopped(Some(en))));
            }
            return Ok(Some(self.finish(Budget::ConstantPool, Some(en))));
        }
        let outcome = match (self.best.take(), self.undecided.take()) {
            (Some(best), _) => Outcome::Solved(Solution { optimality: self.optimality(en, best.search_cost), ..best }),
            (None, Some((candidate, reason))) => Outcome::Unknown { candidate, reason },
            (None, None) => Outcome::Infeasible(format!(
                "every term of the grammar is equivalent on {} test inputs to one of {} terms up to cost {level}, and each of those violates the spec",
                self.evidence.tests.len(),
                en.stats().kept
            )),
        };
        Ok(Some(outcome))
    }

    /// Asks the oracle about a candidate; a counterexample becomes a new test.
    fn try_candidate(
        &mut self,
        en: &mut Enumerator<'a>,
        candidate: Solution,
        oracle: &mut dyn Oracle,
    ) -> Result<Tried, SearchError> {
        let remaining = self.deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
        match oracle.check(self.problem, &candidate.function, remaining) {
            OracleAnswer::Valid => Ok(Tried::Valid(candidate)),
            OracleAnswer::Error(e) => Err(SearchError::Inconsistent(e)),
            OracleAnswer::Unknown(why) => {
                let cost = candidate.search_cost;
                self.min_undecided = Some(self.min_undecided.map_or(cost, |c| c.min(cost)));
                if self.undecided.is_none() {
                    self.undecided = Some((candidate, why));
                }
                Ok(Tried::Undecided)
            }
            OracleAnswer::Counterexample(vars) => {
                self.confirm_refutes(&candidate, &vars)?;
                self.counterexamples += 1;
                let before = self.evidence.n_points();
                self.evidence.add_test(self.problem, &self.analysis, vars);
                let new_points = param_columns(&self.evidence.points[before..], self.grammar.params.len());
                let added = {
                    let (ev, an, problem) = (&self.evidence, &self.analysis, self.problem);
                    let check = |col: &[u64]| ev.check(problem, an, col);
                    let stop = || self.stopped();
                    let new_forbidden = ev.forbidden.get(before..).unwrap_or(&[]);
                    en.add_points(&new_points, new_forbidden, &check, &stop)
                };
                match added {
                    Ok(()) => {}
                    Err(AddPointsError::NeedRestart) => {
                        *en = self.new_enumerator()?;
                        self.restarts += 1;
                    }
                    Err(AddPointsError::Stopped) => return Ok(Tried::Stopped),
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
            .all(|c| c.eval(self.problem, vars, &mut |_, args| interp.eval(args)) & 1 == 1)
            && !self.problem.safety.as_ref().is_some_and(|s| s.violated_by(&candidate.function, vars));
        if holds {
            return Err(SearchError::Inconsistent(format!(
                "the oracle's counterexample {vars:?} satisfies every constraint for the candidate\n{}",
                candidate.function
            )));
        }
        Ok(())
    }

    /// Tries sketches made from the kept start terms of the given costs with their constants as
    /// holes, until `stop`, at most `limit` new sketches per level.
    fn try_sketches(
        &mut self,
        en: &mut Enumerator<'a>,
        tools: &mut Tools,
        levels: &[u32],
        limit: usize,
        stop: Instant,
        oracle: &mut dyn Oracle,
    ) -> Result<Option<Outcome>, SearchError> {
        let target = &self.problem.targets[0];
        for &level in levels {
            for sketch in tools.sketcher.sketches(self.grammar, en, level, target, limit) {
                for _ in 0..ROUNDS_PER_SKETCH {
                    if self.stopped() || Instant::now() >= stop {
                        return Ok(None);
                    }
                    let remaining = self.deadline.saturating_duration_since(Instant::now());
                    let values =
                        match oracle.solve_holes(self.problem, &sketch.function, &self.evidence.tests, remaining) {
                            None => return Ok(None),
                            Some(HoleAnswer::Found(values)) => values,
                            Some(HoleAnswer::NoneExist | HoleAnswer::Unknown(_)) => break,
                        };
                    let (function, derivation) = sketch.instantiate(&values, target);
                    let candidate = solution_from(
                        self.grammar,
                        target,
                        self.config.cost,
                        level,
                        FoundBy::ConstantHoles,
                        || derivation.expect("a grammar's sketch has a derivation"),
                        || function,
                    );
                    if self.config.max_size.is_some_and(|m| candidate.cost > m)
                        || self.best.as_ref().is_some_and(|b| b.search_cost <= candidate.search_cost)
                    {
                        break;
                    }
                    match self.try_candidate(en, candidate, oracle)? {
                        Tried::Valid(candidate) => {
                            if let Some(outcome) = self.accept(en, candidate) {
                                return Ok(Some(outcome));
                            }
                            break;
                        }
                        Tried::Refuted => {
                            if let Some(conflict) = self.evidence.conflict.clone() {
                                return Ok(Some(Outcome::Infeasible(conflict)));
                            }
                        }
                        Tried::Undecided => break,
                        Tried::Stopped => return Ok(Some(self.finish_stopped(None))),
                    }
                }
            }
        }
        Ok(None)
    }

    /// Tries a decision tree over the kept terms, repeating while counterexamples come in.
    fn try_unify(
        &mut self,
        en: &mut Enumerator<'a>,
        tools: &mut Tools,
        oracle: &mut dyn Oracle,
    ) -> Result<Option<Outcome>, SearchError> {
        if !self.evidence.is_functional(&self.analysis) {
            return Ok(None);
        }
        let Some(unifier) = tools.unifier.as_mut() else { return Ok(None) };
        let target = &self.problem.targets[0];
        let restarts = self.restarts;
        loop {
            let params = param_columns(&self.evidence.points, self.grammar.params.len());
            let stop = || self.stopped();
            unifier.update(self.grammar, en, &self.evidence.target, &self.evidence.care, &params, &stop);
            if self.stopped() {
                return Ok(None);
            }
            let Some(tree) = unifier.solve(self.grammar, &stop) else { return Ok(None) };
            let candidate = solution_of_tree(self.grammar, en, &tree, target, self.config.cost);
            if self.best.as_ref().is_some_and(|b| b.search_cost <= candidate.search_cost)
                || self.config.max_size.is_some_and(|m| candidate.search_cost > m)
            {
                return Ok(None);
            }
            match self.try_candidate(en, candidate, oracle)? {
                Tried::Valid(candidate) => return Ok(self.accept(en, candidate)),
                Tried::Refuted => {
                    if let Some(conflict) = self.evidence.conflict.clone() {
                        return Ok(Some(Outcome::Infeasible(conflict)));
                    }
                    if self.stopped() || self.restarts != restarts {
                        // After a rebuild the unifier's indices are stale: the next level's
                        // `Tools::sync` replaces it before it is used again.
                        return Ok(None);
                    }
                }
                Tried::Undecided => return Ok(None),
                Tried::Stopped => return Ok(Some(self.finish_stopped(None))),
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
            if self.counterexamples == before || self.stopped() {
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
        // Proving optimality needs only the hits of the cost every cheaper start term is done
        // below (cheap); a first answer is found sooner by scanning every new term for hits of
        // any cost.
        let stop = || self.stopped();
        let hits = if self.config.prove_optimal {
            match en.start_complete_below().checked_sub(1) {
                Some(level) => probe_level(self.grammar, en, &self.evidence.target, level, &stop),
                None => Vec::new(),
            }
        } else {
            prober.probe(self.grammar, en, &self.evidence.target, &stop)
        };
        let restarts = self.restarts;
        let mut refuted = false;
        for hit in hits {
            if self.stopped() {
                return Ok(None);
            }
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
            let candidate = solution_of_hit(self.grammar, en, &hit, target, self.config.cost);
            match self.try_candidate(en, candidate, oracle)? {
                Tried::Valid(candidate) => {
                    if let Some(outcome) = self.accept(en, candidate) {
                        return Ok(Some(outcome));
                    }
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
                Tried::Stopped => return Ok(Some(self.finish_stopped(None))),
            }
        }
        Ok(None)
    }
}
