//! Unit tests of the search on small problems, with an exhaustive oracle (inputs of at most 16
//! bits in total) so that they do not depend on the SMT solver.

use std::time::Duration;

use ir::{CostModel, Example, Opcode, Problem, SourceType, Spec, SpecParam, Type};

use super::*;

/// Checks candidates on every input (only for small input spaces).
use super::verdict_tests::BruteForce as Exhaustive;

fn spec(params: &[Type], ret: Type, reference: &str) -> Spec {
    let reference = ir::parse_function(reference).unwrap();
    Spec {
        name: "f".into(),
        params: params
            .iter()
            .enumerate()
            .map(|(i, &t)| SpecParam { name: format!("x{i}"), ty: SourceType::unsigned(t) })
            .collect(),
        ret: SourceType::unsigned(ret),
        reference: Some(reference),
        pre: None,
        post: None,
        examples: vec![],
        allowed_ops: None,
        cost: CostModel::Size,
        timeout: None,
        max_size: None,
        constants: vec![],
        semantics: ir::Semantics::Total,
    }
}

fn config() -> SearchConfig {
    SearchConfig { timeout: Duration::from_secs(60), threads: 2, ..SearchConfig::default() }
}

/// The operations of the SyGuS "d1" Hacker's Delight grammars.
fn d1_ops() -> Vec<Opcode> {
    use Opcode::*;
    vec![Add, Sub, Not, Neg, And, Or, Xor, Lshr, Ashr, Iconst]
}

fn solve(problem: &Problem, config: &SearchConfig) -> Report {
    let report = synthesize(problem, config, &mut Exhaustive, &mut |_| {}).unwrap();
    recheck_report(problem, &report);
    report
}

fn solved(report: &Report) -> &Solution {
    match &report.outcome {
        Outcome::Solved(s) => s,
        other => panic!("not solved: {other:?}"),
    }
}

const CLEAR_LOWEST: &str =
    "fn r(v0: i8) -> i8 {\n  v1 = iconst.i8 1\n  v2 = sub v0, v1\n  v3 = and v0, v2\n  ret v3\n}\n";

#[test]
fn finds_turn_off_rightmost_one_bit() {
    let problem = Problem::from_spec(&spec(&[Type::I8], Type::I8, CLEAR_LOWEST));
    let report = solve(&problem, &config());
    let s = solved(&report);
    assert_eq!(s.cost, 2, "{}", s.function);
    for x in 0..=255u64 {
        assert_eq!(ir::eval(&s.function, &[x]), x & x.wrapping_sub(1));
    }
}

#[test]
fn counterexamples_refine_without_losing_optimality() {
    // With only a few initial tests many wrong candidates pass; the oracle's counterexamples
    // must steer the search to the same optimal answer.
    let problem = Problem::from_spec(&spec(
        &[Type::I8, Type::I8],
        Type::I8,
        "fn r(v0: i8, v1: i8) -> i8 {\n  v2 = and v0, v1\n  v3 = xor v0, v1\n  v4 = iconst.i8 1\n  v5 = lshr v3, v4\n  v6 = add v2, v5\n  ret v6\n}\n",
    ));
    let few = SearchConfig { initial_tests: 2, allowed_ops: Some(d1_ops()), ..config() };
    let report = solve(&problem, &few);
    let s = solved(&report);
    assert!(report.counterexamples > 0, "expected the oracle to refute some candidates");
    for x in 0..=255u64 {
        for y in (0..=255u64).step_by(7) {
            assert_eq!(ir::eval(&s.function, &[x, y]), (x + y) / 2);
        }
    }
    let plenty = solve(&problem, &SearchConfig { allowed_ops: Some(d1_ops()), ..config() });
    assert_eq!(s.cost, solved(&plenty).cost, "counterexample path lost optimality");
    assert_eq!(s.cost, 4);
}

#[test]
fn respects_allowed_opcodes() {
    let mut sp = spec(&[Type::I8], Type::I8, CLEAR_LOWEST);
    sp.allowed_ops = Some(vec![Opcode::And, Opcode::Neg, Opcode::Not, Opcode::Add, Opcode::Iconst]);
    let problem = Problem::from_spec(&sp);
    let cfg = SearchConfig { allowed_ops: sp.allowed_ops.clone(), ..config() };
    let report = solve(&problem, &cfg);
    let s = solved(&report);
    for inst in &s.function.body {
        assert!(sp.allowed_ops.as_ref().unwrap().contains(&inst.opcode), "{}", s.function);
    }
    for x in 0..=255u64 {
        assert_eq!(ir::eval(&s.function, &[x]), x & x.wrapping_sub(1));
    }
}

#[test]
fn relational_spec_max() {
    // result >= x, result >= y, result == x || result == y (unsigned max).
    let post = ir::parse_function(
        "fn post(v0: i8, v1: i8, v2: i8) -> i1 {\n  v3 = uge v2, v0\n  v4 = uge v2, v1\n  v5 = eq v2, v0\n  v6 = eq v2, v1\n  v7 = or v5, v6\n  v8 = and v3, v4\n  v9 = and v7, v8\n  ret v9\n}\n",
    )
    .unwrap();
    let mut sp = spec(&[Type::I8, Type::I8], Type::I8, CLEAR_LOWEST);
    sp.reference = None;
    sp.post = Some(post);
    let problem = Problem::from_spec(&sp);
    let report = solve(&problem, &config());
    let s = solved(&report);
    assert_eq!(s.cost, 2, "{}", s.function);
    for x in (0..=255u64).step_by(3) {
        for y in (0..=255u64).step_by(5) {
            assert_eq!(ir::eval(&s.function, &[x, y]), x.max(y));
        }
    }
}

#[test]
fn examples_only() {
    let mut sp = spec(&[Type::I16], Type::I16, CLEAR_LOWEST.replace("i8", "i16").as_str());
    sp.reference = None;
    sp.examples = vec![
        Example { args: vec![3], result: 7 },
        Example { args: vec![10], result: 21 },
        Example { args: vec![0], result: 1 },
    ];
    let problem = Problem::from_spec(&sp);
    let report = solve(&problem, &config());
    let s = solved(&report);
    for ex in &sp.examples {
        assert_eq!(ir::eval(&s.function, &ex.args), ex.result);
    }
    assert!(s.cost <= 2);
}

#[test]
fn infeasible_with_too_few_operations() {
    // x + 1 cannot be built from `and` and `or` alone: at i4 the classes saturate quickly.
    let reference = "fn r(v0: i4) -> i4 {\n  v1 = iconst.i4 1\n  v2 = add v0, v1\n  ret v2\n}\n";
    let problem = Problem::from_spec(&spec(&[Type::new(4).unwrap()], Type::new(4).unwrap(), reference));
    let cfg = SearchConfig { allowed_ops: Some(vec![Opcode::And, Opcode::Or, Opcode::Iconst]), ..config() };
    let report = solve(&problem, &cfg);
    assert!(matches!(report.outcome, Outcome::Infeasible(_)), "{:?}", report.outcome);
}

#[test]
fn same_answer_with_one_or_two_threads() {
    let problem = Problem::from_spec(&spec(
        &[Type::I8, Type::I8],
        Type::I8,
        "fn r(v0: i8, v1: i8) -> i8 {\n  v2 = or v0, v1\n  v3 = xor v0, v1\n  v4 = iconst.i8 1\n  v5 = lshr v3, v4\n  v6 = sub v2, v5\n  ret v6\n}\n",
    ));
    let one = solve(&problem, &SearchConfig { threads: 1, initial_tests: 3, allowed_ops: Some(d1_ops()), ..config() });
    let two = solve(&problem, &SearchConfig { threads: 2, initial_tests: 3, allowed_ops: Some(d1_ops()), ..config() });
    assert_eq!(solved(&one).function, solved(&two).function);
    assert_eq!(one.candidates, two.candidates);
}

#[test]
fn max_size_budget_gives_no_solution() {
    let problem = Problem::from_spec(&spec(
        &[Type::I8, Type::I8],
        Type::I8,
        "fn r(v0: i8, v1: i8) -> i8 {\n  v2 = and v0, v1\n  v3 = xor v0, v1\n  v4 = iconst.i8 1\n  v5 = lshr v3, v4\n  v6 = add v2, v5\n  ret v6\n}\n",
    ));
    let report = solve(&problem, &SearchConfig { max_size: Some(2), ..config() });
    assert!(matches!(report.outcome, Outcome::NoSolution(Budget::MaxSize)), "{:?}", report.outcome);
    assert_eq!(report.largest_level, Some(2));
}
