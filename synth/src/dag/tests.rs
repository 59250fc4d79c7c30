//! Tests of the straight-line engine on small widths: lengths of known programs, read-back,
//! symmetry breaking against brute force, the "shortest" claim under injected timeouts, and
//! lifting from the small width.

use std::collections::HashMap;
use std::time::Duration;

use ir::{Formula, Node, Opcode, Problem, Sort, Target, Type};

use super::components::Components;
use super::encode::Symmetry;
use super::finite::{FiniteAnswer, FiniteProblem, FiniteSolver, Z3Finite};
use super::program::{Instr, Operand, Program};
use super::scale::Scale;
use super::*;
use crate::search::support;
use crate::solve::Z3Oracle;

const I4: Type = match Type::new(4) {
    Some(t) => t,
    None => panic!("i4 is a type"),
};

/// The task named `name` of a `.syn` text, as a problem and its allowed opcodes.
fn task(text: &str) -> (Problem, Vec<Opcode>) {
    let file = frontend::syn::parse_syn(text).unwrap_or_else(|e| panic!("{e:?}"));
    let spec = &file.tasks[0];
    (Problem::from_spec(spec), spec.allowed_ops.clone().unwrap_or_else(search::default_ops))
}

fn config(ops: Vec<Opcode>) -> SearchConfig {
    SearchConfig { allowed_ops: Some(ops), timeout: Duration::from_secs(60), ..SearchConfig::default() }
}

fn solve(problem: &Problem, ops: Vec<Opcode>, opts: &DagOptions, finite: &mut dyn FiniteSolver) -> DagReport {
    let mut oracle = Z3Oracle::new(Duration::from_secs(10));
    run(problem, &config(ops), opts, &mut oracle, finite).unwrap()
}

fn solved(r: &DagReport) -> &Solution {
    match &r.report.outcome {
        Outcome::Solved(s) => s,
        other => panic!("expected an answer, got {other:?}"),
    }
}

fn no_downscale() -> DagOptions {
    DagOptions { downscale: false, ..DagOptions::default() }
}

const CLEAR_LOWEST: &str = "
    fn r(x: u8) -> u8 { x & (x - 1) }
    synth f(x: u8) -> u8 { equiv r; using and, or, add, sub, iconst; }
";

#[test]
fn clear_lowest_bit_takes_two_instructions() {
    let (problem, ops) = task(CLEAR_LOWEST);
    let r = solve(&problem, ops, &no_downscale(), &mut Z3Finite::default());
    let s = solved(&r);
    assert_eq!(s.cost, 2, "{}", s.function);
    assert_eq!(s.optimality, Optimality::ShortestStraightLine);
    assert_eq!(s.found_by, FoundBy::StraightLine);
    assert_eq!(r.refuted_below, 2);
    support::recheck::recheck_problem(&problem, std::slice::from_ref(&s.function));
}

#[test]
fn absolute_value_takes_three_instructions_sharing_the_shift() {
    let (problem, ops) = task(
        "
        fn r(x: i8) -> i8 { if x < 0 { -x } else { x } }
        synth f(x: i8) -> i8 { equiv r; using ashr, xor, sub, iconst; }
    ",
    );
    let r = solve(&problem, ops, &no_downscale(), &mut Z3Finite::default());
    let s = solved(&r);
    assert_eq!(s.cost, 3, "{}", s.function);
    assert_eq!(s.optimality, Optimality::ShortestStraightLine);
    let ops: Vec<Opcode> = s.function.live_insts().iter().map(|i| i.opcode).filter(|&o| o != Opcode::Iconst).collect();
    for op in [Opcode::Ashr, Opcode::Xor, Opcode::Sub] {
        assert!(ops.contains(&op), "{}", s.function);
    }
    support::recheck::recheck_problem(&problem, std::slice::from_ref(&s.function));
}

#[test]
fn programs_read_from_models_type_check() {
    // Several types (i1, i8, i16), compares, select and casts: every model read back is a
    // well-typed function, checked by the IR verifier in `to_function`.
    let ops = [
        Opcode::Add,
        Opcode::Ult,
        Opcode::Eq,
        Opcode::Select,
        Opcode::Zext,
        Opcode::Trunc,
        Opcode::Iconst,
        Opcode::Not,
    ];
    let comps = Components::new(&ops, &[Type::I8, Type::I16], Type::I8);
    let problem = Problem {
        name: "any".into(),
        targets: vec![Target {
            name: "f".into(),
            params: vec![("a".into(), Sort::BitVec(8)), ("b".into(), Sort::BitVec(16))],
            ret: Sort::BitVec(8),
            grammar: None,
        }],
        ..Problem::default()
    };
    let fp = FiniteProblem { problem: &problem, comps: &comps, symmetry: Symmetry::default() };
    let mut finite = Z3Finite::default();
    for n in 1..=3 {
        let mut blocked = Vec::new();
        for _ in 0..12 {
            match finite.solve(&fp, n, &[], &blocked, None, Duration::from_secs(20)) {
                FiniteAnswer::Found(p) => {
                    assert_eq!(p.len(), n);
                    let f = p.to_function(&comps, "f", &[Type::I8, Type::I16], Type::I8);
                    assert!(f.is_ok(), "{p:?}: {f:?}");
                    blocked.push(p);
                }
                other => panic!("length {n}: {other:?}"),
            }
        }
    }
}

/// The function of a program on every `i4` input (one parameter).
fn table(comps: &Components, p: &Program) -> Vec<u64> {
    (0..16)
        .map(|x| {
            let mut vals = vec![x];
            for inst in &p.insts {
                let args: Vec<u64> = inst
                    .operands
                    .iter()
                    .map(|o| match *o {
                        Operand::Loc(k) => vals[k],
                        Operand::Const(c) => c,
                    })
                    .collect();
                vals.push(comps.list[inst.comp].eval(&args));
            }
            match p.out {
                Operand::Loc(k) => vals[k],
                Operand::Const(c) => c,
            }
        })
        .collect()
}

/// Every program of `n` instructions over `comps` (one `i4` parameter, any constants), without
/// symmetry breaking.
fn all_programs(comps: &Components, n: usize) -> Vec<Program> {
    let mut out = vec![Program { insts: vec![], out: Operand::Loc(0) }];
    for i in 0..n {
        let mut next = Vec::new();
        for p in &out {
            for (c, comp) in comps.list.iter().enumerate() {
                let choices: Vec<Operand> = (0..=i).map(Operand::Loc).chain((0..16).map(Operand::Const)).collect();
                let mut operand_lists: Vec<Vec<Operand>> = vec![vec![]];
                for _ in 0..comp.arity() {
                    operand_lists = operand_lists
                        .iter()
                        .flat_map(|l| {
                            choices.iter().map(move |&o| {
                                let mut l = l.clone();
                                l.push(o);
                                l
                            })
                        })
                        .collect();
                }
                for operands in operand_lists {
                    let mut q = p.clone();
                    q.insts.push(Instr { comp: c, operands });
                    q.out = Operand::Loc(1 + i);
                    next.push(q);
                }
            }
        }
        out = next;
    }
    out
}

/// The problem "f(x) = t[x] for every i4 x", as 16 ground constraints.
fn table_problem(t: &[u64]) -> Problem {
    let constraints = t
        .iter()
        .enumerate()
        .map(|(x, &y)| {
            let mut f = Formula::default();
            let arg = f.add(Node::Const(I4, x as u64));
            let call = f.add(Node::Call { target: 0, args: vec![arg] });
            let want = f.add(Node::Const(I4, y));
            f.push_root(Node::Op { opcode: Opcode::Eq, ty: Type::I1, args: vec![call, want] });
            f
        })
        .collect();
    Problem {
        name: "table".into(),
        targets: vec![Target {
            name: "f".into(),
            params: vec![("x".into(), Sort::BitVec(4))],
            ret: Sort::BitVec(4),
            grammar: None,
        }],
        constraints,
        ..Problem::default()
    }
}

#[test]
fn symmetry_breaking_loses_no_shortest_program() {
    let ops = [Opcode::Add, Opcode::Sub, Opcode::And, Opcode::Xor, Opcode::Not, Opcode::Shl, Opcode::Iconst];
    let comps = Components::new(&ops, &[I4], I4);
    // The shortest length of every function of at most two instructions, by brute force.
    let mut shortest: HashMap<Vec<u64>, usize> = HashMap::new();
    for n in 0..=2 {
        for p in all_programs(&comps, n) {
            shortest.entry(table(&comps, &p)).or_insert(n);
        }
    }
    // Constants as results (length 0) too.
    for c in 0..16 {
        shortest.insert(vec![c; 16], 0);
    }
    let mut functions: Vec<(&Vec<u64>, &usize)> = shortest.iter().filter(|(_, n)| **n > 0).collect();
    functions.sort();
    let mut rng = search::Rng::new(7);
    let mut finite = Z3Finite::default();
    let (mut ones, mut twos) = (0, 0);
    // Every function of length 1 and a sample of those of length 2: the encoding (with all
    // symmetry breaking) finds a program of that length and none shorter.
    for (t, &n) in functions {
        if n == 2 && rng.below(8) != 0 {
            continue;
        }
        let problem = table_problem(t);
        let fp = FiniteProblem { problem: &problem, comps: &comps, symmetry: Symmetry::default() };
        let at = |finite: &mut Z3Finite, len| finite.solve(&fp, len, &[vec![]], &[], None, Duration::from_secs(20));
        match at(&mut finite, n) {
            FiniteAnswer::Found(p) => assert_eq!(&table(&comps, &p), t, "{p:?}"),
            other => panic!("{t:?} has a program of length {n}, the encoding says {other:?}"),
        }
        assert_eq!(at(&mut finite, n - 1), FiniteAnswer::NoProgram, "{t:?} needs {n} instructions");
        if n == 1 { ones += 1 } else { twos += 1 }
    }
    assert!(ones > 10 && twos > 10, "{ones} functions of length 1, {twos} of length 2 checked");
}

/// A finite solver that cannot decide one length.
struct UnknownAt(usize, Z3Finite);

impl FiniteSolver for UnknownAt {
    fn solve(
        &mut self,
        fp: &FiniteProblem<'_>,
        n: usize,
        tests: &[Vec<u64>],
        blocked: &[Program],
        structure: Option<&Program>,
        timeout: Duration,
    ) -> FiniteAnswer {
        if n == self.0 {
            FiniteAnswer::Unknown("injected timeout".into())
        } else {
            self.1.solve(fp, n, tests, blocked, structure, timeout)
        }
    }
}

#[test]
fn shortest_is_not_claimed_when_a_shorter_length_was_undecided() {
    let (problem, ops) = task(CLEAR_LOWEST);
    let r = solve(&problem, ops.clone(), &no_downscale(), &mut UnknownAt(1, Z3Finite::default()));
    let s = solved(&r);
    assert_eq!(s.cost, 2);
    assert_eq!(s.optimality, Optimality::NotProven);
    assert_eq!(r.refuted_below, 1, "only length 0 was refuted");
    // An undecided length at or above the answer's does not matter.
    let r = solve(&problem, ops, &no_downscale(), &mut UnknownAt(3, Z3Finite::default()));
    assert_eq!(solved(&r).optimality, Optimality::ShortestStraightLine);
}

#[test]
fn a_lifted_answer_is_proved_at_the_real_width() {
    let (problem, ops) = task(
        "
        fn r(x: i32) -> i32 { if x < 0 { -x } else { x } }
        synth f(x: i32) -> i32 { equiv r; using ashr, xor, sub, iconst; }
    ",
    );
    let r = solve(&problem, ops, &DagOptions::default(), &mut Z3Finite::default());
    let s = solved(&r);
    assert_eq!(s.cost, 3, "{}", s.function);
    assert!(r.lifted, "found at 8 bits and lifted");
    // The sign-bit shift by 7 became a shift by 31.
    assert!(s.function.body.iter().any(|i| i.opcode == Opcode::Iconst && i.imm == 31), "{}", s.function);
    assert_eq!(s.optimality, Optimality::ShortestStraightLine, "lengths 0 to 2 refuted at 32 bits");
    support::recheck::recheck_problem(&problem, std::slice::from_ref(&s.function));
}

#[test]
fn a_lift_that_fails_falls_back_to_the_real_width() {
    // At 8 bits the shift by 16 is over-wide and the scaled task is `f(x) = 0`; its answers lift
    // to programs (the constant 0, a shift by the width, ...) that the real width refutes: the
    // constant 16 is found at the real width (a structure from the small width with its
    // constants solved there, or the real-width search).
    let (problem, ops) = task(
        "
        fn r(x: u32) -> u32 { x >> 16 }
        synth f(x: u32) -> u32 { equiv r; using lshr, and, iconst; semantics total; }
    ",
    );
    let scale = Scale::for_problem(&problem, scale::SMALL_WIDTH).expect("the task scales");
    assert_eq!(scale, Scale { from: 32, to: 8 });
    let r = solve(&problem, ops, &DagOptions::default(), &mut Z3Finite::default());
    let s = solved(&r);
    assert_eq!(s.cost, 1, "{}", s.function);
    assert!(s.function.body.iter().any(|i| i.opcode == Opcode::Iconst && i.imm == 16), "{}", s.function);
    assert_eq!(s.optimality, Optimality::ShortestStraightLine);
    support::recheck::recheck_problem(&problem, std::slice::from_ref(&s.function));
}

#[test]
fn lifting_maps_constants_by_rule() {
    let scale = Scale { from: 32, to: 8 };
    let comps = Components::new(&[Opcode::Ashr, Opcode::And, Opcode::Add, Opcode::Iconst], &[Type::I32], Type::I32);
    let ashr = comps.list.iter().position(|c| c.op == Opcode::Ashr).unwrap();
    let and = comps.list.iter().position(|c| c.op == Opcode::And).unwrap();
    let add = comps.list.iter().position(|c| c.op == Opcode::Add).unwrap();
    let small = Program {
        insts: vec![
            Instr { comp: ashr, operands: vec![Operand::Loc(0), Operand::Const(7)] },
            Instr { comp: and, operands: vec![Operand::Loc(1), Operand::Const(0x7f)] },
            Instr { comp: add, operands: vec![Operand::Loc(2), Operand::Const(0xfe)] },
        ],
        out: Operand::Loc(3),
    };
    let big = scale.lift(&small, &comps, Type::I32);
    assert_eq!(big.constants(), vec![31, 0x7fff_ffff, 0xffff_fffe]);
    assert!(big.to_function(&comps, "f", &[Type::I32], Type::I32).is_ok());
}

#[test]
fn unsupported_problems_are_refused_not_failed() {
    let (mut problem, ops) = task(CLEAR_LOWEST);
    problem.targets.push(problem.targets[0].clone());
    let mut oracle = Z3Oracle::new(Duration::from_secs(1));
    let r = synthesize(&problem, &config(ops), &DagOptions::default(), &mut oracle);
    assert!(matches!(r, Err(SearchError::Unsupported(_)) | Err(SearchError::Invalid(_))), "{r:?}");
}

#[test]
fn a_cancelled_search_stops_without_an_answer() {
    let (problem, ops) = task(CLEAR_LOWEST);
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let config = SearchConfig { cancel: Some(cancel), ..config(ops) };
    let r = synthesize(&problem, &config, &DagOptions::default(), &mut Z3Oracle::new(Duration::from_secs(1))).unwrap();
    assert!(matches!(r.report.outcome, Outcome::NoSolution(Budget::Cancelled)), "{:?}", r.report.outcome);
}
