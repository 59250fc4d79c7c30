//! End-to-end tests of the e-graph engine: extraction counts shared sub-terms once and handles
//! cycles, bloated functions shrink to known costs, and results are equivalent to their
//! inputs (by Z3 on examples, by the interpreter on random functions).

use std::time::Duration;

use egg::{Id, Language};
use ir::{CostModel, Function, Opcode, Type};

use super::*;
use crate::verify::{Verdict, VerifyOptions, check_equivalent};

fn parse(text: &str) -> Function {
    ir::parse_function(text).unwrap()
}

fn op(g: &mut IrEGraph, opcode: Opcode, ty: Type, args: &[Id]) -> Id {
    g.add(IrNode::op(opcode, ty, args).unwrap())
}

fn assert_equivalent(f: &Function, g: &Function) {
    match check_equivalent(f, g, &VerifyOptions::default()).unwrap() {
        Verdict::Equivalent => {}
        other => panic!("not proved equivalent: {other:?}\n{f}\n{g}"),
    }
}

/// An e-graph whose root has a term with a shared expensive sub-term (cheap as a DAG, dear as
/// a tree) and one without sharing (in between).
fn shared_subterm_egraph() -> (IrEGraph, Id) {
    let t = Type::I32;
    let mut g = IrEGraph::default();
    let p0 = g.add(IrNode::Param(0, t));
    let p1 = g.add(IrNode::Param(1, t));
    // r1 = (s + p0) & (s - p1) with s = p0 / p1: tree 1 + 21 + 21 = 43, DAG 1 + 1 + 1 + 20 = 23
    let s = op(&mut g, Opcode::Udiv, t, &[p0, p1]);
    let a = op(&mut g, Opcode::Add, t, &[s, p0]);
    let b = op(&mut g, Opcode::Sub, t, &[s, p1]);
    let r1 = op(&mut g, Opcode::And, t, &[a, b]);
    // r2 = (p1 / p0) | (p1 * p1 * p0): tree = DAG = 1 + 20 + 6 = 27
    let c = op(&mut g, Opcode::Udiv, t, &[p1, p0]);
    let m = op(&mut g, Opcode::Mul, t, &[p1, p1]);
    let d = op(&mut g, Opcode::Mul, t, &[m, p0]);
    let r2 = op(&mut g, Opcode::Or, t, &[c, d]);
    // Not equal functions: only the extractors' choice is under test.
    g.union(r1, r2);
    g.rebuild();
    let root = g.find(r1);
    (g, root)
}

#[test]
fn dag_extraction_counts_shared_subterms_once() {
    let (g, root) = shared_subterm_egraph();
    let model = CostModel::Latency;
    let tree = extract_tree(&g, root, model);
    assert_eq!(tree.cost, 27, "the tree extractor prefers the unshared term: {}", tree.expr);
    let greedy = extract_greedy(&g, root, model);
    assert_eq!(greedy.cost, 23, "{}", greedy.expr);
    assert_eq!(greedy.method, ExtractMethod::Greedy);
    let ilp = extract_ilp(&g, root, model, Duration::from_secs(5), None).unwrap();
    assert_eq!((ilp.cost, ilp.method), (23, ExtractMethod::IlpOptimal), "{}", ilp.expr);
    // The division appears once in the term and in the function.
    let f = to_function(&greedy.expr, &Signature { name: "f".into(), params: vec![Type::I32; 2], ret_ty: Type::I32 })
        .unwrap();
    assert_eq!(f.body.iter().filter(|i| i.opcode == Opcode::Udiv).count(), 1, "{f}");
    assert_eq!(crate::search::cost::function_cost(model, &f), 23);
    assert_eq!(dag_cost(&greedy.expr, model), 23);
}

#[test]
fn extraction_avoids_cycles() {
    // x == x & x == x | (x & x): every operation's class contains itself through x.
    let t = Type::I8;
    let mut g = IrEGraph::default();
    let x = g.add(IrNode::Param(0, t));
    let y = g.add(IrNode::Param(1, t));
    let and = op(&mut g, Opcode::And, t, &[x, x]);
    let or = op(&mut g, Opcode::Or, t, &[x, and]);
    g.union(x, and);
    g.union(x, or);
    let root = op(&mut g, Opcode::Add, t, &[x, y]);
    g.rebuild();
    for model in [CostModel::Size, CostModel::Latency] {
        for e in [
            extract_greedy(&g, root, model),
            extract_tree(&g, root, model),
            extract_ilp(&g, root, model, Duration::from_secs(5), None).unwrap(),
            extract(&g, root, model, Extraction::default()),
        ] {
            assert_eq!(e.cost, 1, "{}", e.expr);
            let sig = Signature { name: "f".into(), params: vec![t, t], ret_ty: t };
            let f = to_function(&e.expr, &sig).unwrap();
            assert_eq!(ir::eval(&f, &[3, 4]), 7);
        }
    }
}

#[test]
fn ilp_is_warm_started_and_never_worse_than_greedy() {
    let (g, root) = shared_subterm_egraph();
    let greedy = extract_greedy(&g, root, CostModel::Size);
    let ilp = extract_ilp(&g, root, CostModel::Size, Duration::from_secs(5), Some(&greedy)).unwrap();
    assert!(ilp.cost <= greedy.cost);
    // Size: r2 costs 4 (udiv, mul, mul, or) and r1 costs 4 too (udiv, add, sub, and).
    assert_eq!(ilp.cost, 4);
}

/// `text` saturated under `model` shrinks to `cost` (proved equivalent by Z3).
fn shrinks_to(text: &str, model: CostModel, cost: u32) -> Saturated {
    let f = parse(text);
    let s = saturate_and_extract(&f, model, &Limits::default()).unwrap();
    assert_eq!(s.cost_after, cost, "{}\n=> {}\n{s:?}", f, s.function);
    assert!(s.cost_after <= s.cost_before);
    assert_equivalent(&f, &s.function);
    s
}

#[test]
fn bloated_arithmetic_folds_to_zero() {
    // (x + x) * 4 - x * 8 + (y ^ y) == 0
    let s = shrinks_to(
        "fn f(v0: i32, v1: i32) -> i32 {
           v2 = add v0, v0
           v3 = iconst.i32 4
           v4 = mul v2, v3
           v5 = iconst.i32 8
           v6 = mul v0, v5
           v7 = sub v4, v6
           v8 = xor v1, v1
           v9 = add v7, v8
           ret v9
         }",
        CostModel::Size,
        0,
    );
    assert_eq!(s.cost_before, 6);
    assert_eq!(ir::eval(&s.function, &[123, 456]), 0);
}

#[test]
fn hackers_delight_forms_shrink() {
    // (x | y) - (x & y) == x ^ y
    shrinks_to(
        "fn f(v0: i16, v1: i16) -> i16 {
           v2 = or v0, v1
           v3 = and v0, v1
           v4 = sub v2, v3
           ret v4
         }",
        CostModel::Size,
        1,
    );
    // x - (x & y) == x & !y: as cheap by size, so the input is kept; the rule still fires.
    let f = parse(
        "fn f(v0: i64, v1: i64) -> i64 {
           v2 = and v0, v1
           v3 = sub v0, v2
           ret v3
         }",
    );
    let s = saturate_and_extract(&f, CostModel::Size, &Limits::default()).unwrap();
    assert_eq!((s.cost_before, s.cost_after), (2, 2));
    assert!(s.rules_used.contains(&"sub-and-to-and-not"), "{:?}", s.rules_used);
    // -x computed as !x + 1, and !(x - 1): both are one negation.
    shrinks_to(
        "fn f(v0: i8) -> i8 {
           v1 = not v0
           v2 = iconst.i8 1
           v3 = add v1, v2
           v4 = sub v0, v2
           v5 = not v4
           v6 = xor v3, v5
           ret v6
         }",
        CostModel::Size,
        0,
    );
}

#[test]
fn shift_pairs_become_masks_only_when_cheaper() {
    // (x << 3) >>u 3 == x & 0x1fffffff: one operation instead of two.
    let s = shrinks_to(
        "fn f(v0: i32) -> i32 {
           v1 = iconst.i32 3
           v2 = shl v0, v1
           v3 = lshr v2, v1
           ret v3
         }",
        CostModel::Size,
        1,
    );
    assert!(s.function.body.iter().any(|i| i.opcode == Opcode::And), "{}", s.function);
    // (x << 3) >>s 3 sign-extends bit 28: no cheaper form, the input stays.
    let f = parse(
        "fn f(v0: i32) -> i32 {
           v1 = iconst.i32 3
           v2 = shl v0, v1
           v3 = ashr v2, v1
           ret v3
         }",
    );
    let s = saturate_and_extract(&f, CostModel::Size, &Limits::default()).unwrap();
    assert_eq!((s.cost_after, s.extraction), (2, None));
    assert_eq!(s.function, f);
}

#[test]
fn latency_prefers_shifts_and_masks() {
    // x * 8 + x /u 16 at latency: 3 + 20 + 1 -> 1 + 1 + 1.
    let s = shrinks_to(
        "fn f(v0: i32) -> i32 {
           v1 = iconst.i32 8
           v2 = mul v0, v1
           v3 = iconst.i32 16
           v4 = udiv v0, v3
           v5 = add v2, v4
           ret v5
         }",
        CostModel::Latency,
        3,
    );
    assert_eq!(s.cost_before, 24);
}

#[test]
fn widths_and_casts() {
    // trunc (zext x + zext y) == x + y at i8.
    shrinks_to(
        "fn f(v0: i8, v1: i8) -> i8 {
           v2 = zext.i32 v0
           v3 = zext.i32 v1
           v4 = add v2, v3
           v5 = trunc.i8 v4
           ret v5
         }",
        CostModel::Size,
        1,
    );
    // select c, 1, 0 at i32 is zext c; at i1 it is c.
    shrinks_to(
        "fn f(v0: i32, v1: i32) -> i32 {
           v2 = ult v0, v1
           v3 = iconst.i32 1
           v4 = iconst.i32 0
           v5 = select v2, v3, v4
           ret v5
         }",
        CostModel::Size,
        2,
    );
    shrinks_to(
        "fn f(v0: i32, v1: i32) -> i1 {
           v2 = ugt v1, v0
           v3 = iconst.i1 1
           v4 = iconst.i1 0
           v5 = select v2, v3, v4
           v6 = not v5
           v7 = not v6
           ret v7
         }",
        CostModel::Size,
        1,
    );
}

#[test]
fn division_by_zero_follows_the_semantics() {
    // x / 0 is all ones and x % 0 is x: the whole thing is -1 ^ x == !x.
    let s = shrinks_to(
        "fn f(v0: i16) -> i16 {
           v1 = iconst.i16 0
           v2 = udiv v0, v1
           v3 = urem v0, v1
           v4 = xor v2, v3
           ret v4
         }",
        CostModel::Size,
        1,
    );
    assert_eq!(ir::eval(&s.function, &[5]), 0xfffa);
    // x / x is not 1 (0 / 0 is all ones): nothing may fold it.
    let f = parse(
        "fn f(v0: i16) -> i16 {
           v1 = udiv v0, v0
           ret v1
         }",
    );
    let s = saturate_and_extract(&f, CostModel::Size, &Limits::default()).unwrap();
    assert_eq!(s.cost_after, 1);
    assert_eq!(ir::eval(&s.function, &[0]), 0xffff);
}

#[test]
fn explanations_name_the_rules() {
    let f = parse(
        "fn f(v0: i32, v1: i32) -> i32 {
           v2 = or v0, v1
           v3 = and v0, v1
           v4 = sub v2, v3
           ret v4
         }",
    );
    let limits = Limits { explain: true, ..Limits::default() };
    let s = saturate_and_extract(&f, CostModel::Size, &limits).unwrap();
    assert_eq!(s.cost_after, 1);
    let explanation = s.explanation.as_deref().unwrap();
    assert!(explanation.contains("or-sub-and-to-xor"), "{explanation}");
    assert_eq!(s.rules_used, vec!["or-sub-and-to-xor"], "{explanation}");
}

#[test]
fn invalid_input_is_an_error() {
    let mut f = parse(
        "fn f(v0: i32) -> i32 {
           v1 = neg v0
           ret v1
         }",
    );
    f.ret = ir::Value(9);
    assert!(matches!(saturate_and_extract(&f, CostModel::Size, &Limits::default()), Err(EgraphError::InvalidInput(_))));
}

#[test]
fn limits_are_outcomes() {
    let f = parse(
        "fn f(v0: i32, v1: i32, v2: i32) -> i32 {
           v3 = mul v0, v1
           v4 = mul v3, v2
           v5 = add v4, v0
           v6 = mul v5, v1
           v7 = add v6, v2
           ret v7
         }",
    );
    let limits = Limits { iterations: 2, ..Limits::default() };
    let s = saturate_and_extract(&f, CostModel::Size, &limits).unwrap();
    assert_eq!(s.stop_reason, StopReason::IterationLimit);
    assert_eq!(s.iterations, 2);
    let limits = Limits { nodes: 50, ..Limits::default() };
    let s = saturate_and_extract(&f, CostModel::Size, &limits).unwrap();
    assert_eq!(s.stop_reason, StopReason::NodeLimit);
    assert!(s.cost_after <= s.cost_before);
}

/// Random functions of every opcode: the result is never dearer and agrees with the input on
/// edge and random inputs (and, for the first few, is proved equivalent by Z3).
#[test]
fn random_functions_stay_equivalent_and_never_get_dearer() {
    use proptest::prelude::*;
    let limits = Limits { iterations: 6, nodes: 3000, time: Duration::from_millis(300), ..Limits::default() };
    let proved = std::cell::Cell::new(0);
    let improved = std::cell::Cell::new(0);
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let config = Config { cases: 96, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let widths: &[Type] = &[Type::I1, Type::I8, Type::I32];
    runner
        .run(&(proptest::collection::vec(any::<u64>(), 8..48), 1usize..=3, 2usize..=10), |(tape, params, insts)| {
            let f = ir::testing::function_from_tape(&tape, widths, params, insts);
            for model in [CostModel::Size, CostModel::Latency] {
                let s = saturate_and_extract(&f, model, &limits).unwrap_or_else(|e| panic!("{e}\n{f}"));
                prop_assert!(s.cost_after <= s.cost_before);
                prop_assert_eq!(s.cost_after, crate::search::cost::function_cost(model, &s.function));
                prop_assert_eq!(s.function.param_types(), f.param_types());
                if s.cost_after < s.cost_before {
                    improved.set(improved.get() + 1);
                    if proved.get() < 24 {
                        proved.set(proved.get() + 1);
                        assert_equivalent(&f, &s.function);
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    eprintln!("{} results improved, {} proved by Z3", improved.get(), proved.get());
    assert!(improved.get() > 5, "{}", improved.get());
}

/// Every e-node of every class of `g` computes the same values: each node with its children
/// replaced by their cheapest terms, run on the same random inputs.
fn classes_are_consistent(g: &IrEGraph, sig: &Signature, rows: &[Vec<u64>]) -> Result<(), String> {
    let extractor = egg::Extractor::new(g, egg::AstSize);
    for class in g.classes() {
        let mut expected: Option<Vec<u64>> = None;
        for node in &class.nodes {
            if node.children().iter().any(|&c| g.find(c) == class.id) {
                continue; // a node using its own class has no finite term
            }
            let expr = node.join_recexprs(|c| extractor.find_best(c).1);
            let sig = Signature { ret_ty: class.data.ty, ..sig.clone() };
            let f = to_function(&expr, &sig).map_err(|e| e.to_string())?;
            let values: Vec<u64> = rows.iter().map(|r| ir::eval(&f, r)).collect();
            if let Some(c) = class.data.constant
                && values.iter().any(|&v| v != c)
            {
                return Err(format!("class {} is constant {c:#x} but {expr} is not", class.id));
            }
            match &expected {
                None => expected = Some(values),
                Some(e) if *e != values => return Err(format!("class {} has unequal nodes, one is {expr}", class.id)),
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// Saturated e-graphs of random functions: every class holds only equal terms (this checks
/// the matcher and applier, which the rule proofs do not cover).
#[test]
fn saturated_classes_hold_equal_terms() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let limits = Limits { iterations: 5, nodes: 2000, time: Duration::from_millis(300), ..Limits::default() };
    let config = Config { cases: 96, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let widths: &[Type] = &[Type::I1, Type::new(4).unwrap(), Type::I8, Type::I64];
    runner
        .run(
            &(
                proptest::collection::vec(any::<u64>(), 8..48),
                1usize..=3,
                2usize..=8,
                proptest::collection::vec(any::<u64>(), 48),
            ),
            |(tape, params, insts, raw)| {
                let f = ir::testing::function_from_tape(&tape, widths, params, insts);
                let input = to_recexpr(&f).unwrap();
                let analysis = IrAnalysis { prune: false, ..IrAnalysis::default() };
                let runner =
                    saturate(&input, &limits, analysis).map_err(|e| TestCaseError::fail(format!("{e}\n{f}")))?;
                let types = f.param_types();
                let rows: Vec<Vec<u64>> = raw
                    .chunks(3)
                    .map(|c| types.iter().zip(c).map(|(&t, &r)| ir::testing::edge_biased(t, r)).collect())
                    .collect();
                let result = classes_are_consistent(&runner.egraph, &Signature::of(&f), &rows);
                prop_assert!(result.is_ok(), "{}\n{f}", result.unwrap_err());
                Ok(())
            },
        )
        .unwrap();
}

/// A random i32 function of `insts` arithmetic and bitwise instructions over 3 parameters,
/// most of them live (the result combines the last few).
fn random_dag(seed: &mut u64, insts: usize) -> Function {
    let mut next = || {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        *seed >> 33
    };
    let ops = [Opcode::Add, Opcode::Sub, Opcode::Mul, Opcode::And, Opcode::Or, Opcode::Xor, Opcode::Shl, Opcode::Lshr];
    let mut b = ir::FunctionBuilder::new("f", &[Type::I32; 3], Type::I32);
    let mut values: Vec<ir::Value> = (0..3).map(|i| b.param(i)).collect();
    for _ in 0..insts {
        let op = ops[next() as usize % ops.len()];
        let x = values[next() as usize % values.len()];
        let y = if matches!(op, Opcode::Shl | Opcode::Lshr) || next() % 4 == 0 {
            b.iconst(Type::I32, [1, 2, 3, 4, 8, 0xff][next() as usize % 6])
        } else {
            values[next() as usize % values.len()]
        };
        let v = b.binary(op, x, y);
        values.push(v);
    }
    let mut r = values[values.len() - 1];
    for &v in values.iter().rev().skip(1).take(3) {
        r = b.binary(Opcode::Xor, r, v);
    }
    b.finish(r).unwrap()
}

/// Measures the ILP extractor on saturated e-graphs of growing size (run with `--ignored
/// --nocapture`): reachable nodes, the ILP's outcome and time within a 1 s limit, and its cost
/// against the greedy extractor's.
#[test]
#[ignore = "a measurement, not a check"]
fn measure_ilp_extraction() {
    use std::time::Instant;
    let mut seed = 0x1234_5678_9abc_def0u64;
    for node_limit in [250, 500, 1000, 2000, 4000, 8000] {
        for insts in [6, 12, 20] {
            for _ in 0..2 {
                let f = random_dag(&mut seed, insts);
                let limits =
                    Limits { iterations: 100, nodes: node_limit, time: Duration::from_secs(5), ..Limits::default() };
                let input = to_recexpr(&f).unwrap();
                let runner = saturate(&input, &limits, IrAnalysis::default()).unwrap();
                let g = &runner.egraph;
                let root = g.find(runner.roots[0]);
                let t0 = Instant::now();
                let greedy = extract_greedy(g, root, CostModel::Latency);
                let tg = t0.elapsed();
                let t1 = Instant::now();
                let ilp = extract_ilp(g, root, CostModel::Latency, Duration::from_secs(1), Some(&greedy));
                let ti = t1.elapsed();
                eprintln!(
                    "limit {node_limit:5} insts {insts:2} (cost {:3}): nodes {:5} classes {:5} | greedy {:3} in {:6.1} ms | ilp {:?} in {:6.1} ms",
                    crate::search::cost::function_cost(CostModel::Latency, &f),
                    g.total_number_of_nodes(),
                    g.number_of_classes(),
                    greedy.cost,
                    tg.as_secs_f64() * 1e3,
                    ilp.map(|e| (e.cost, e.method)),
                    ti.as_secs_f64() * 1e3
                );
            }
        }
    }
}
