//! Tests of the search's verdicts against independent brute force: a claim of *optimal* must
//! match the true cheapest expression tree, *infeasible* must never be claimed over a constant
//! pool, an undecided cheaper candidate voids optimality, and the enumerator's completeness
//! bounds (which optimality claims rest on) hold after every step, counterexamples included.

use std::collections::HashSet;
use std::time::Duration;

use ir::{CostModel, Function, Grammar, NonTerminal, Problem, Production, Sort, Surface, Target, Type};

use super::enumerate::{Enumerator, Step};
use super::grammar::{ConstantPool, OpSet, ProdKind, SearchGrammar};
use super::*;

/// Checks candidates on every input (at most 16 bits in total) and solves holes by trying every
/// value (at most 16 bits of holes): no SMT solver involved.
pub(super) struct BruteForce;

fn all_inputs(types: &[Type]) -> Vec<Vec<u64>> {
    let bits: u32 = types.iter().map(|t| t.width()).sum();
    assert!(bits <= 16, "brute force over {bits} bits");
    tests_gen::every_input(types)
}

fn holds_on(problem: &Problem, f: &Function, vars: &[u64]) -> bool {
    let interp = ir::Interpreter::new(f).unwrap();
    problem.constraints.iter().all(|c| c.eval(problem, vars, &mut |_, args| interp.eval(args)) & 1 == 1)
}

impl Oracle for BruteForce {
    fn check(&mut self, problem: &Problem, candidate: &Function, _timeout: Duration) -> OracleAnswer {
        let types: Vec<Type> = problem.vars.iter().map(|v| v.sort.ty()).collect();
        match all_inputs(&types).into_iter().find(|vars| !holds_on(problem, candidate, vars)) {
            Some(vars) => OracleAnswer::Counterexample(vars),
            None => OracleAnswer::Valid,
        }
    }

    fn solve_holes(
        &mut self,
        problem: &Problem,
        sketch: &Function,
        tests: &[Vec<u64>],
        _timeout: Duration,
    ) -> Option<HoleAnswer> {
        let n = problem.targets[0].params.len();
        let hole_types = sketch.param_types()[n..].to_vec();
        for values in all_inputs(&hole_types) {
            let f = holes::instantiate(
                &holes::Sketch { function: sketch.clone(), holes: values.len(), derivation: None },
                &values,
            );
            if tests.iter().all(|t| holds_on(problem, &f, t)) {
                return Some(HoleAnswer::Found(values));
            }
        }
        Some(HoleAnswer::NoneExist)
    }
}

/// Answers "unknown" for every candidate cheaper than `below` (size), else defers to brute force.
struct UndecidedBelow(u32);

impl Oracle for UndecidedBelow {
    fn check(&mut self, problem: &Problem, candidate: &Function, timeout: Duration) -> OracleAnswer {
        if cost::function_cost(CostModel::Size, candidate) < self.0 {
            return OracleAnswer::Unknown("test oracle: undecided on purpose".into());
        }
        BruteForce.check(problem, candidate, timeout)
    }
}

fn config() -> SearchConfig {
    SearchConfig { timeout: Duration::from_secs(60), threads: 2, ..SearchConfig::default() }
}

fn bv(w: u32) -> Type {
    Type::new(w).unwrap()
}

/// `f(params) == reference(params)` for all inputs.
fn equiv_problem(reference: &str) -> Problem {
    let reference = ir::parse_function(reference).unwrap();
    let mut spec = ir::Spec::equivalent_to(&reference, CostModel::Size, ir::Semantics::Total);
    spec.name = "f".into();
    Problem::from_spec(&spec)
}

fn solve_with(problem: &Problem, config: &SearchConfig, oracle: &mut dyn Oracle) -> Report {
    let report = synthesize(problem, config, oracle, &mut |_| {}).unwrap();
    recheck_report(problem, &report);
    report
}

#[test]
fn an_undecided_cheaper_candidate_voids_optimality() {
    // x * 2 is x + x (cost 1); the oracle will not decide anything of cost 1, so the answer
    // costs 2 and must not be called optimal.
    let problem = equiv_problem("fn r(v0: i8) -> i8 {\n  v1 = add v0, v0\n  ret v1\n}\n");
    let cfg = SearchConfig { allowed_ops: Some(vec![Opcode::Add, Opcode::Sub, Opcode::Shl, Opcode::Not]), ..config() };
    let report = solve_with(&problem, &cfg, &mut UndecidedBelow(2));
    match &report.outcome {
        Outcome::Solved(s) => {
            assert!(s.search_cost >= 2, "{}", s.function);
            assert_eq!(s.optimality, Optimality::NotProven, "{}", s.function);
        }
        // Reporting the undecided candidate is honest too.
        Outcome::Unknown { .. } => {}
        other => panic!("{other:?}"),
    }
    // Without the undecided candidates the same search proves the cost-1 answer optimal.
    let report = solve_with(&problem, &cfg, &mut BruteForce);
    let Outcome::Solved(s) = &report.outcome else { panic!("{:?}", report.outcome) };
    assert_eq!((s.search_cost, s.optimality), (1, Optimality::Optimal), "{}", s.function);
}

/// `S -> (and x C)`, `C -> (Constant (_ BitVec w))`, with `f(x) == x & mask` where the mask is
/// computed, not written, so it is not a literal of the spec.
fn constant_grammar_problem(w: u32, mask: u64) -> Problem {
    let t = bv(w);
    let and_body =
        ir::parse_function(&format!("fn p(v0: {t}, v1: {t}) -> {t} {{\n  v2 = and v1, v0\n  ret v2\n}}\n")).unwrap();
    let grammar = Grammar {
        nonterminals: vec![
            NonTerminal {
                name: "S".into(),
                sort: Sort::BitVec(w),
                productions: vec![Production::Term {
                    children: vec![1],
                    body: and_body,
                    surface: Surface::List(vec![
                        Surface::Atom("bvand".into()),
                        Surface::Atom("x".into()),
                        Surface::Child(0),
                    ]),
                }],
            },
            NonTerminal { name: "C".into(), sort: Sort::BitVec(w), productions: vec![Production::AnyConstant] },
        ],
    };
    let target = Target {
        name: "f".into(),
        params: vec![("x".into(), Sort::BitVec(w))],
        ret: Sort::BitVec(w),
        grammar: Some(grammar),
    };
    // mask = (m1 ^ m2) with m1, m2 in the formula: the literal `mask` itself never appears.
    let (m1, m2) = (t.wrap(0x5a5a_5a5a_5a5a_5a5a), t.wrap(mask ^ 0x5a5a_5a5a_5a5a_5a5a));
    let mut f = ir::Formula::default();
    let x = f.add(ir::Node::Var(0));
    let call = f.add(ir::Node::Call { target: 0, args: vec![x] });
    let a = f.add(ir::Node::Const(t, m1));
    let b = f.add(ir::Node::Const(t, m2));
    let m = f.add(ir::Node::Op { opcode: Opcode::Xor, ty: t, args: vec![a, b] });
    let expected = f.add(ir::Node::Op { opcode: Opcode::And, ty: t, args: vec![x, m] });
    f.push_root(ir::Node::Op { opcode: Opcode::Eq, ty: Type::I1, args: vec![call, expected] });
    Problem {
        name: "c".into(),
        targets: vec![target],
        vars: vec![ir::Var { name: "x".into(), sort: Sort::BitVec(w) }],
        constraints: vec![f],
        safety: None,
    }
}

#[test]
fn a_constant_outside_the_pool_is_found_never_called_infeasible() {
    for (w, mask) in [(8, 0x3c), (12, 0x5a3), (16, 0x0f0f)] {
        let problem = constant_grammar_problem(w, mask);
        problem.check().unwrap();
        let report = solve_with(&problem, &config(), &mut BruteForce);
        let Outcome::Solved(s) = &report.outcome else { panic!("width {w}: {:?}", report.outcome) };
        for x in [0, 1, mask, bv(w).mask(), 0x1234 & bv(w).mask()] {
            assert_eq!(ir::eval(&s.function, &[x]), x & mask, "width {w}\n{}", s.function);
        }
        assert!(s.derivation.is_some(), "a grammar's answer is a derivation");
    }
}

#[test]
fn without_hole_solving_a_constant_pool_gives_no_solution_not_infeasible() {
    // An oracle that cannot solve holes: the 16-bit pool saturates without the constant, which
    // proves nothing; at 8 bits every constant is then enumerated and the answer found.
    struct NoHoles;
    impl Oracle for NoHoles {
        fn check(&mut self, problem: &Problem, candidate: &Function, timeout: Duration) -> OracleAnswer {
            BruteForce.check(problem, candidate, timeout)
        }
    }
    let report = solve_with(&constant_grammar_problem(16, 0x0f0f), &config(), &mut NoHoles);
    assert!(matches!(report.outcome, Outcome::NoSolution(Budget::ConstantPool)), "{:?}", report.outcome);
    let report = solve_with(&constant_grammar_problem(8, 0x3c), &config(), &mut NoHoles);
    let Outcome::Solved(s) = &report.outcome else { panic!("{:?}", report.outcome) };
    assert_eq!(s.optimality, Optimality::Optimal, "every 8-bit constant was enumerated");
}

#[test]
fn saturation_over_every_constant_is_a_proof() {
    // x + 1 from and/or and any 4-bit constant: the pool saturates, then all 16 constants do.
    let problem = equiv_problem("fn r(v0: i4) -> i4 {\n  v1 = iconst.i4 1\n  v2 = add v0, v1\n  ret v2\n}\n");
    let cfg = SearchConfig { allowed_ops: Some(vec![Opcode::And, Opcode::Or, Opcode::Iconst]), ..config() };
    let report = solve_with(&problem, &cfg, &mut BruteForce);
    assert!(matches!(report.outcome, Outcome::Infeasible(_)), "{:?}", report.outcome);
}

// ---------------------------------------------------------------------------------------------
// Brute force over a search grammar: every term's column at given points, by cost, each
// column kept once per non-terminal (the cheapest). Written independently of the enumerator.

/// `by_cost[nt][c]`: the columns first reached at cost `c`.
struct Closure {
    by_cost: Vec<Vec<Vec<Vec<u64>>>>,
}

fn closure(g: &SearchGrammar, points: &[Vec<u64>], max_cost: u32) -> Closure {
    let n = points.len();
    let params: Vec<Vec<u64>> = (0..g.params.len()).map(|i| points.iter().map(|p| p[i]).collect()).collect();
    let param_refs: Vec<&[u64]> = params.iter().map(Vec::as_slice).collect();
    let mut seen: Vec<HashSet<Vec<u64>>> = vec![HashSet::new(); g.nts.len()];
    let mut by_cost: Vec<Vec<Vec<Vec<u64>>>> = vec![Vec::new(); g.nts.len()];
    let mut temps = Vec::new();
    for c in 0..=max_cost {
        for level in by_cost.iter_mut() {
            level.push(Vec::new());
        }
        // Repeat for unit productions and zero-cost productions within a level.
        loop {
            let mut added = false;
            for (pi, p) in g.prods.iter().enumerate() {
                if p.cost > c {
                    continue;
                }
                let rest = c - p.cost;
                let k = p.children.len();
                if k == 0 {
                    if rest != 0 {
                        continue;
                    }
                    let mut out = vec![0u64; n];
                    super::eval::eval_prod(g, pi, &[], &param_refs, &mut out, &mut temps);
                    if seen[p.nt].insert(out.clone()) {
                        by_cost[p.nt][c as usize].push(out);
                        added = true;
                    }
                    continue;
                }
                // Every split of `rest` over the children.
                let mut splits = vec![vec![]];
                for _ in 0..k {
                    splits = splits
                        .into_iter()
                        .flat_map(|s: Vec<u32>| {
                            let used: u32 = s.iter().sum();
                            (0..=rest - used).map(move |x| {
                                let mut t = s.clone();
                                t.push(x);
                                t
                            })
                        })
                        .collect();
                }
                for split in splits.into_iter().filter(|s| s.iter().sum::<u32>() == rest) {
                    let pools: Vec<Vec<Vec<u64>>> =
                        (0..k).map(|i| by_cost[p.children[i]][split[i] as usize].clone()).collect();
                    if pools.iter().any(Vec::is_empty) {
                        continue;
                    }
                    let mut pos = vec![0usize; k];
                    'tuples: loop {
                        let cols: Vec<&[u64]> = (0..k).map(|i| pools[i][pos[i]].as_slice()).collect();
                        let mut out = vec![0u64; n];
                        super::eval::eval_prod(g, pi, &cols, &param_refs, &mut out, &mut temps);
                        if seen[p.nt].insert(out.clone()) {
                            by_cost[p.nt][c as usize].push(out);
                            added = true;
                        }
                        let mut i = k;
                        loop {
                            if i == 0 {
                                break 'tuples;
                            }
                            i -= 1;
                            pos[i] += 1;
                            if pos[i] < pools[i].len() {
                                break;
                            }
                            pos[i] = 0;
                        }
                    }
                }
            }
            if !added {
                break;
            }
        }
    }
    Closure { by_cost }
}

/// A small random grammar: two parameters of `w` bits, a few operations, and (with `boolean`)
/// a boolean result built from compares, so that the start symbol has another non-terminal
/// beside it.
fn random_grammar(rng: &mut Rng, w: u32, boolean: bool) -> SearchGrammar {
    let t = bv(w);
    let ret = if boolean { Type::I1 } else { t };
    let target = Target {
        name: "f".into(),
        params: vec![("a".into(), Sort::BitVec(w)), ("b".into(), Sort::BitVec(w))],
        ret: if boolean { Sort::Bool } else { Sort::BitVec(w) },
        grammar: None,
    };
    let _ = ret;
    let pool = [
        Opcode::Add,
        Opcode::Sub,
        Opcode::And,
        Opcode::Or,
        Opcode::Xor,
        Opcode::Not,
        Opcode::Neg,
        Opcode::Lshr,
        Opcode::Mul,
    ];
    let mut ops: Vec<Opcode> = pool.iter().copied().filter(|_| rng.below(2) == 0).collect();
    if ops.is_empty() {
        ops.push(Opcode::Add);
    }
    if boolean {
        ops.extend([Opcode::Ult, Opcode::Eq, Opcode::Xor, Opcode::And]);
        ops.dedup();
    }
    SearchGrammar::from_ops(&target, &OpSet { ops, constants: vec![], pool: ConstantPool::Defaults }, CostModel::Size)
}

#[test]
fn enumerator_completeness_bounds_hold_after_every_step_and_counterexample() {
    let mut rng = Rng::new(7);
    for round in 0..60 {
        let w = 4;
        let boolean = round % 2 == 1;
        let g = random_grammar(&mut rng, w, boolean);
        let mut points: Vec<Vec<u64>> = (0..3).map(|_| vec![rng.below(16) as u64, rng.below(16) as u64]).collect();
        let params: Vec<Vec<u64>> = (0..2).map(|i| points.iter().map(|p| p[i]).collect()).collect();
        let mut en = Enumerator::new(&g, params, points.len(), 2, 1 << 20, 1 << 30).unwrap();
        let never = |_: &[u64]| false;
        let stop = || false;
        for _ in 0..40 {
            let step = en.step(&never, &stop);
            // The bounds must hold at every step, whatever it returned.
            let below = en.start_complete_below();
            let full = en.levels_done();
            let top = below.max(full.map_or(0, |l| l + 1));
            if top > 4 {
                break;
            }
            let truth = closure(&g, &points, top);
            // Each term of cost `c` below the bound has a kept representative of cost at most `c`
            // (a costlier representative would hide it from the tuples of the next levels).
            let represented =
                |nt: usize, c: u32, col: &[u64]| en.bank(nt).find(col).is_some_and(|id| en.cost(nt, id) <= c);
            for c in 0..below {
                for col in &truth.by_cost[g.start][c as usize] {
                    assert!(represented(g.start, c, col), "round {round}: start term of cost {c} missing ({step:?})");
                }
            }
            if let Some(l) = full {
                for nt in 0..g.nts.len() {
                    for c in 0..=l {
                        for col in &truth.by_cost[nt][c as usize] {
                            assert!(represented(nt, c, col), "round {round}: nt {nt} cost {c} missing ({step:?})");
                        }
                    }
                }
            }
            // Now and then a counterexample (often right after a start level completes, when
            // the rest of the level is still queued): a new point for every column.
            let odds = if matches!(step, Step::StartLevelDone(_)) { 2 } else { 4 };
            if rng.below(odds) == 0 {
                let p = vec![rng.below(16) as u64, rng.below(16) as u64];
                if !points.contains(&p) {
                    points.push(p.clone());
                    en.add_points(&[vec![p[0]], vec![p[1]]], &[], &never, &stop).unwrap();
                }
            }
        }
    }
}

/// The text of a random function of two `t` parameters with `n_ops` operations from `ops`.
fn random_reference(rng: &mut Rng, ops: &[Opcode], t: Type, n_ops: usize) -> String {
    let mut text = format!("fn r(v0: {t}, v1: {t}) -> {t} {{\n");
    let mut values = vec!["v0".to_string(), "v1".to_string()];
    for i in 0..n_ops {
        let op = ops[rng.below(ops.len())];
        let a = values[rng.below(values.len())].clone();
        let b = values[rng.below(values.len())].clone();
        let v = format!("v{}", i + 2);
        if op.shape() == ir::Shape::Unary {
            text.push_str(&format!("  {v} = {op} {a}\n"));
        } else {
            text.push_str(&format!("  {v} = {op} {a}, {b}\n"));
        }
        values.push(v);
    }
    text.push_str(&format!("  ret {}\n}}\n", values.last().unwrap()));
    text
}

/// The cheapest tree cost of `target_col` in the closure, if reached.
fn true_cost(c: &Closure, start: usize, target_col: &[u64]) -> Option<u32> {
    c.by_cost[start].iter().position(|level| level.iter().any(|col| col == target_col)).map(|c| c as u32)
}

#[test]
fn optimal_claims_match_the_true_cheapest_tree() {
    // Random references over 2 x 5 bits (1024 inputs: the search starts from a few random tests
    // and needs counterexamples), checked against brute force over every input.
    let mut rng = Rng::new(11);
    let w = 5;
    let t = bv(w);
    let mut checked = 0;
    for round in 0..24 {
        let g = random_grammar(&mut rng, w, false);
        let ops: Vec<Opcode> = g
            .prods
            .iter()
            .filter_map(|p| match p.kind {
                ProdKind::Op(op) => Some(op),
                _ => None,
            })
            .collect();
        let n_ops = 1 + rng.below(3);
        let text = random_reference(&mut rng, &ops, t, n_ops);
        let reference = ir::parse_function(&text).unwrap();
        let problem = equiv_problem(&text);
        let cfg = SearchConfig {
            allowed_ops: Some(ops.clone()),
            initial_tests: 4,
            seed: round,
            max_size: Some(4),
            ..config()
        };
        let report = solve_with(&problem, &cfg, &mut BruteForce);
        let inputs = all_inputs(&[t, t]);
        let target_col: Vec<u64> = inputs.iter().map(|x| ir::eval(&reference, x)).collect();
        let truth = closure(&g, &inputs, 4);
        let cheapest = true_cost(&truth, g.start, &target_col);
        match &report.outcome {
            Outcome::Solved(s) => {
                assert!(cheapest.is_some_and(|c| c <= s.search_cost), "round {round}: {text}\n{}", s.function);
                if s.optimality == Optimality::Optimal {
                    assert_eq!(
                        Some(s.search_cost),
                        cheapest,
                        "round {round}: false optimality claim for\n{text}\nanswer\n{}",
                        s.function
                    );
                    checked += 1;
                }
            }
            Outcome::Infeasible(why) => {
                panic!("round {round}: infeasible ({why}) but reachable at {cheapest:?}\n{text}")
            }
            Outcome::NoSolution(_) | Outcome::Unknown { .. } => {}
        }
    }
    assert!(checked >= 12, "only {checked} optimal claims were checked");
}

#[test]
fn several_targets_claim_optimality_only_for_the_cheapest_tuple() {
    // f(a, b) == r1(a, b) and g(a, b) == r2(a, b): the cheapest tuple costs the sum of the
    // cheapest of each, whatever counterexamples did to the search in between.
    let mut rng = Rng::new(5);
    let w = 5;
    let t = bv(w);
    for round in 0..10 {
        let g = random_grammar(&mut rng, w, false);
        let ops: Vec<Opcode> = g
            .prods
            .iter()
            .filter_map(|p| match p.kind {
                ProdKind::Op(op) => Some(op),
                _ => None,
            })
            .collect();
        let refs: Vec<Function> =
            (0..2).map(|_| ir::parse_function(&random_reference(&mut rng, &ops, t, 2)).unwrap()).collect();
        let target = |name: &str| Target {
            name: name.into(),
            params: vec![("a".into(), Sort::BitVec(w)), ("b".into(), Sort::BitVec(w))],
            ret: Sort::BitVec(w),
            grammar: None,
        };
        let mut constraints = Vec::new();
        for (ti, r) in refs.iter().enumerate() {
            let mut f = ir::Formula::default();
            let xs = vec![f.add(ir::Node::Var(0)), f.add(ir::Node::Var(1))];
            let call = f.add(ir::Node::Call { target: ti, args: xs.clone() });
            let expected = f.inline(r, &xs);
            f.push_root(ir::Node::Op { opcode: Opcode::Eq, ty: Type::I1, args: vec![call, expected] });
            constraints.push(f);
        }
        let problem = Problem {
            name: "two".into(),
            targets: vec![target("f"), target("g")],
            vars: vec![
                ir::Var { name: "a".into(), sort: Sort::BitVec(w) },
                ir::Var { name: "b".into(), sort: Sort::BitVec(w) },
            ],
            constraints,
            safety: None,
        };
        let cfg = SearchConfig {
            allowed_ops: Some(ops.clone()),
            initial_tests: 3,
            seed: round,
            max_size: Some(5),
            ..config()
        };
        let report = solve_with(&problem, &cfg, &mut MultiBruteForce);
        let inputs = all_inputs(&[t, t]);
        let truth = closure(&g, &inputs, 4);
        let cheapest: Option<u32> = refs
            .iter()
            .map(|r| {
                let col: Vec<u64> = inputs.iter().map(|x| ir::eval(r, x)).collect();
                true_cost(&truth, g.start, &col)
            })
            .sum();
        if let Outcome::Solved(s) = &report.outcome
            && s.optimality == Optimality::Optimal
        {
            assert_eq!(Some(s.search_cost), cheapest, "round {round}: {refs:?}");
        }
    }
}

/// Brute force for several targets.
struct MultiBruteForce;

impl Oracle for MultiBruteForce {
    fn check(&mut self, problem: &Problem, candidate: &Function, timeout: Duration) -> OracleAnswer {
        self.check_all(problem, std::slice::from_ref(candidate), timeout)
    }

    fn check_all(&mut self, problem: &Problem, candidates: &[Function], _timeout: Duration) -> OracleAnswer {
        let interps: Vec<ir::Interpreter> = candidates.iter().map(|f| ir::Interpreter::new(f).unwrap()).collect();
        let types: Vec<Type> = problem.vars.iter().map(|v| v.sort.ty()).collect();
        for vars in all_inputs(&types) {
            let ok = problem
                .constraints
                .iter()
                .all(|c| c.eval(problem, &vars, &mut |t, args| interps[t].eval(args)) & 1 == 1);
            if !ok {
                return OracleAnswer::Counterexample(vars);
            }
        }
        OracleAnswer::Valid
    }
}
