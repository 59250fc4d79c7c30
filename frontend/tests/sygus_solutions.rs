//! Hand-written solutions of public problems: each is a term of its grammar (derived by
//! `parse_derivations` and printed back unchanged), satisfies the constraints under our own
//! evaluation, and is confirmed by `z3` through `check_script` (unsat); a wrong solution of each
//! problem is refuted by z3 (sat).
//!
//! The Hacker's Delight formulas are those of `../shared/benchmarks/brahma.md`, written in the
//! grammar's symbols (literals spelled as the grammar spells them); the others were worked out
//! from the problems' examples and constraints.

mod sygus_support;

use frontend::sygus::{Solution, check_script, parse_derivations, parse_solution, parse_sygus, print_solution};
use sygus_support::{Rng, benchmark, run_z3, z3_available};

/// A problem, a correct solution, and a wrong one.
struct Known {
    file: &'static str,
    solution: &'static str,
    wrong: &'static str,
}

const HD: &[(&str, &str, &str)] = &[
    ("02", "(bvand x (bvadd x #x00000001))", "(bvand x (bvadd x x))"),
    ("03", "(bvand x (bvneg x))", "(bvand x (bvneg (bvneg x)))"),
    ("05", "(bvor x (bvsub x #x00000001))", "(bvor x (bvsub x x))"),
    ("07", "(bvand (bvnot x) (bvadd x #x00000001))", "(bvand (bvnot x) (bvadd x x))"),
    (
        "09",
        "(bvsub (bvxor x (bvashr x #x0000001F)) (bvashr x #x0000001F))",
        "(bvsub (bvxor x (bvashr x #x0000001F)) x)",
    ),
    ("13", "(bvor (bvashr x #x0000001F) (bvlshr (bvneg x) #x0000001F))", "(bvor (bvashr x #x0000001F) (bvneg x))"),
    ("14", "(bvadd (bvand x y) (bvlshr (bvxor x y) #x00000001))", "(bvadd (bvand x y) (bvxor x y))"),
    (
        "17",
        "(bvand (bvadd (bvor x (bvsub x #x00000001)) #x00000001) x)",
        "(bvand (bvadd (bvor x (bvsub x #x00000001)) x) x)",
    ),
];

const BV32: &str = "(_ BitVec 32)";

fn hd_cases() -> Vec<(String, String, String)> {
    let mut cases = Vec::new();
    for (n, body, wrong) in HD {
        let params = if *n == "14" { format!("((x {BV32}) (y {BV32}))") } else { format!("((x {BV32}))") };
        for d in ["d0", "d1", "d5"] {
            cases.push((
                format!("hd/hd-{n}-{d}-prog.sl"),
                format!("(define-fun f {params} {BV32} {body})"),
                format!("(define-fun f {params} {BV32} {wrong})"),
            ));
        }
    }
    cases
}

const OTHERS: &[Known] = &[
    // Examples: x * 2 when the two lowest bits are set, else x >> 16.
    Known {
        file: "pbe_bv/if0_70_10.sl",
        solution: "(define-fun f ((x (_ BitVec 64))) (_ BitVec 64) \
                   (if0 (bvand #x0000000000000001 (bvand x (ehad x))) (smol x) (shesh x)))",
        wrong: "(define-fun f ((x (_ BitVec 64))) (_ BitVec 64) \
                (if0 (bvand #x0000000000000001 x) (smol x) (shesh x)))",
    },
    Known {
        file: "pbe_bv/if0_70_1000.sl",
        solution: "(define-fun f ((x (_ BitVec 64))) (_ BitVec 64) \
                   (if0 (bvand #x0000000000000001 (bvand x (ehad x))) (smol x) (shesh x)))",
        wrong: "(define-fun f ((x (_ BitVec 64))) (_ BitVec 64) (smol x))",
    },
    // Invertibility condition: some x has (x & s) >s t iff t <s (s & 0111).
    Known {
        file: "bv_general/ic_bvsgt_bvand.sl",
        solution: "(define-fun SC ((s (_ BitVec 4)) (t (_ BitVec 4))) Bool (bvslt t (bvand s #x7)))",
        wrong: "(define-fun SC ((s (_ BitVec 4)) (t (_ BitVec 4))) Bool (bvslt t s))",
    },
    // Two targets without grammars: f1 x1 + f2 x2 = 2 x2 + x1 + 8.
    Known {
        file: "bv_general/cegist-twolets10.sl",
        solution: "(\n(define-fun f1 ((x (_ BitVec 32))) (_ BitVec 32) (bvadd x #x00000008))\n\
                   (define-fun f2 ((x (_ BitVec 32))) (_ BitVec 32) (bvadd x x))\n)",
        wrong: "(\n(define-fun f1 ((x (_ BitVec 32))) (_ BitVec 32) (bvadd x #x00000008))\n\
                (define-fun f2 ((x (_ BitVec 32))) (_ BitVec 32) (bvshl x #x00000002))\n)",
    },
    // Nine targets tied by equations; f1 is free.
    Known {
        file: "bv_general/cegist-ninefuncs.sl",
        solution: "(define-fun f1 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) p1)
                   (define-fun f2 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvadd p1 p1))
                   (define-fun f3 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvsub (bvadd p1 (bvadd p1 p1)) P1))
                   (define-fun f4 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvmul p1 #x00000004))
                   (define-fun f5 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvmul p1 #x00000005))
                   (define-fun g1 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvsub p1 P1))
                   (define-fun g2 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvadd (bvsub p1 P1) #x00000001))
                   (define-fun g3 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvadd (bvsub p1 P1) #x00000002))
                   (define-fun g4 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvshl (bvadd (bvsub p1 P1) #x00000002) #x00000001))",
        wrong: "(define-fun f1 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) p1)
                (define-fun f2 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvadd p1 p1))
                (define-fun f3 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvsub (bvadd p1 (bvadd p1 p1)) P1))
                (define-fun f4 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvmul p1 #x00000004))
                (define-fun f5 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvmul p1 #x00000005))
                (define-fun g1 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvsub p1 P1))
                (define-fun g2 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvadd (bvsub p1 P1) #x00000001))
                (define-fun g3 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvadd (bvsub p1 P1) #x00000002))
                (define-fun g4 ((p1 (_ BitVec 32)) (P1 (_ BitVec 32))) (_ BitVec 32) (bvshl (bvadd (bvsub p1 P1) #x00000001) #x00000001))",
    },
];

/// Checks one case; returns how many z3 checks ran.
fn check_case(rel: &str, solution: &str, wrong: &str, z3: bool) -> usize {
    let Some((_, text)) = benchmark(rel) else {
        eprintln!("skipped {rel}: benchmarks not found");
        return 0;
    };
    let file = parse_sygus(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let problem = &file.problem;

    // In the grammar, and printed back as written.
    if problem.targets.iter().all(|t| t.grammar.is_some()) {
        let derived = parse_derivations(&file, solution).unwrap_or_else(|e| panic!("{rel}: {e}"));
        for (t, d) in &derived {
            let printed = print_solution(&problem.targets[*t], &Solution::Derivation(d.clone()));
            assert!(solution.contains(&printed), "{rel}: printed {printed}\nnot in {solution}");
        }
    }

    // Our own evaluation of the constraints agrees on random inputs.
    let functions = parse_solution(&file, solution).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(functions.len(), problem.targets.len(), "{rel}");
    let mut rng = Rng(7);
    for _ in 0..64 {
        let vars: Vec<u64> = problem.vars.iter().map(|v| rng.value(v.sort.ty())).collect();
        for (ci, c) in problem.constraints.iter().enumerate() {
            let held = c.eval(problem, &vars, &mut |t, args| {
                let name = &problem.targets[t].name;
                let f = functions.iter().find(|f| &f.name == name).expect("a function per target");
                ir::eval(f, args)
            });
            assert_eq!(held, 1, "{rel}: constraint {ci} fails at {vars:?}");
        }
    }

    if !z3 {
        return 0;
    }
    let good = run_z3(&check_script(&text, solution).unwrap_or_else(|e| panic!("{rel}: {e}")));
    assert_eq!(good.trim(), "unsat", "{rel}: z3 does not confirm the solution");
    let bad = run_z3(&check_script(&text, wrong).unwrap_or_else(|e| panic!("{rel}: {e}")));
    assert_eq!(bad.trim(), "sat", "{rel}: z3 does not refute the wrong solution");
    2
}

#[test]
fn hackers_delight_solutions_are_confirmed() {
    let z3 = z3_available();
    let mut checks = 0;
    for (rel, solution, wrong) in hd_cases() {
        checks += check_case(&rel, &solution, &wrong, z3);
    }
    eprintln!("{checks} z3 checks");
}

/// `p xor q` with `and` and `not` only.
fn aig_xor(p: &str, q: &str) -> String {
    format!("(and (not (and {p} {q})) (not (and (not {p}) (not {q}))))")
}

/// Boolean circuits, worked out by hand.
fn circuit_cases() -> Vec<(String, String, String)> {
    let aig = |body: String| format!("(define-fun AIG ((a Bool) (b Bool) (c Bool) (d Bool)) Bool {body})");
    let skel = |body: &str| format!("(define-fun skel ((i_4 Bool) (i_8 Bool) (i_6 Bool)) Bool {body})");
    vec![
        // The constraint fixes AIG except when a xor b and c xor d: a xor b xor c xor d fits.
        (
            "bv_bool/parity-AIG-d0.sl".to_string(),
            aig(aig_xor(&aig_xor("a", "b"), &aig_xor("c", "d"))),
            aig(aig_xor(&aig_xor("a", "b"), "c")),
        ),
        // origCir is (ite i_6 (not i_8) (not i_4)); the two cases are disjoint, so xor is or.
        (
            "bv_bool/longest_1bit-opt.eqn_sygus_iter_124_1.sl".to_string(),
            skel("(xor (and i_6 (not i_8)) (and (not i_6) (not i_4)))"),
            skel("(xor (and i_6 (not i_8)) (and (not i_6) i_4))"),
        ),
    ]
}

#[test]
fn other_solutions_are_confirmed() {
    let z3 = z3_available();
    for k in OTHERS {
        check_case(k.file, k.solution, k.wrong, z3);
    }
    for (rel, solution, wrong) in circuit_cases() {
        check_case(&rel, &solution, &wrong, z3);
    }
}

#[test]
fn a_solution_outside_the_grammar_is_not_derived() {
    let Some((_, text)) = benchmark("hd/hd-03-d0-prog.sl") else { return };
    let file = parse_sygus(&text).unwrap();
    // hd-03-d0 offers bvneg, bvand and x only.
    let outside = "(define-fun f ((x (_ BitVec 32))) (_ BitVec 32) (bvand x (bvsub #x00000000 x)))";
    let err = parse_derivations(&file, outside).unwrap_err();
    assert!(err.to_string().contains("not a term of its grammar"), "{err}");
    // The same function is still a valid IR function.
    assert_eq!(parse_solution(&file, outside).unwrap().len(), 1);
}

#[test]
fn check_script_places_a_solution_after_the_helpers_it_uses() {
    let original = "(set-logic BV)
        (synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
        (define-fun twice ((y (_ BitVec 8))) (_ BitVec 8) (bvadd y y))
        (declare-var x (_ BitVec 8))
        (constraint (= (f x) (bvshl x #x01)))
        (check-synth)";
    let solution = "(define-fun f ((x (_ BitVec 8))) (_ BitVec 8) (twice x))";
    let script = check_script(original, solution).unwrap();
    let lines: Vec<&str> = script.lines().collect();
    assert_eq!(
        lines,
        [
            "(declare-fun x () (_ BitVec 8))",
            "(define-fun twice ((y (_ BitVec 8))) (_ BitVec 8) (bvadd y y))",
            "(define-fun f ((x (_ BitVec 8))) (_ BitVec 8) (twice x))",
            "(assert (not (= (f x) (bvshl x #x01))))",
            "(check-sat)",
        ]
    );
    if z3_available() {
        assert_eq!(run_z3(&script).trim(), "unsat");
    }
    let missing = check_script(original, "").unwrap_err();
    assert!(missing.to_string().contains("no solution for synth-fun `f`"), "{missing}");
}
