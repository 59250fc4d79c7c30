//! The lowering of SyGuS terms agrees with z3: every `define-fun` of the public benchmarks and a
//! sample of their constraints are evaluated by `ir::eval` / `Formula::eval` on random and edge
//! inputs and by the `z3` command-line tool (`simplify` of the original text applied to the same
//! literals), one z3 run per file. Calls of synth-funs get a simple stand-in body, given to z3 as
//! a `define-fun` through `check_script`.

mod sygus_support;

use std::path::PathBuf;

use frontend::sygus::{SygusError, check_script, parse_sygus};
use ir::{Sort, Target};
use sygus_support::{Rng, benchmark_files, parse_z3_value, run_z3, short, smt_literal, top_level_forms, z3_available};

/// Rows per define-fun and per constraint, and constraints sampled per file.
const DEF_ROWS: usize = 12;
const CONSTRAINT_ROWS: usize = 6;
const CONSTRAINTS_PER_FILE: usize = 25;

/// A stand-in body for a target: its first parameter of the result sort xor a constant, or the
/// constant. Returns the SMT-LIB body and the constant.
fn stand_in(target: &Target, rng: &mut Rng) -> (String, u64, Option<usize>) {
    let c = rng.value(target.ret.ty());
    let same = target.params.iter().position(|p| p.1 == target.ret);
    let lit = smt_literal(target.ret, c);
    let body = match (same, target.ret) {
        (Some(i), Sort::Bool) => format!("(xor {} {lit})", target.params[i].0),
        (Some(i), Sort::BitVec(_)) => format!("(bvxor {} {lit})", target.params[i].0),
        (None, _) => lit,
    };
    (body, c, same)
}

fn check_path(path: &PathBuf, seed: u64) -> (Vec<String>, usize) {
    let text = std::fs::read_to_string(path).expect("readable benchmark");
    check_text(&short(path), &text, seed, DEF_ROWS)
}

fn check_text(name: &str, text: &str, seed: u64, def_rows: usize) -> (Vec<String>, usize) {
    let file = parse_sygus(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let problem = &file.problem;
    let mut rng = Rng(seed);

    // Stand-in solutions, given to z3 through check_script's prelude.
    let stand_ins: Vec<(String, u64, Option<usize>)> = problem.targets.iter().map(|t| stand_in(t, &mut rng)).collect();
    let solutions: Vec<String> = problem
        .targets
        .iter()
        .zip(&stand_ins)
        .map(|(t, (body, _, _))| {
            let params: Vec<String> = t.params.iter().map(|(n, s)| format!("({n} {s})")).collect();
            format!("(define-fun {} ({}) {} {body})", t.name, params.join(" "), t.ret)
        })
        .collect();
    let script = check_script(text, &solutions.join("\n")).expect("check script");
    let mut lines: Vec<&str> = script.lines().collect();
    assert!(lines.len() >= 2 && lines[lines.len() - 1] == "(check-sat)");
    lines.truncate(lines.len() - 2);
    let mut z3 = lines.join("\n");
    z3.push('\n');

    // (what, expected value) per simplify command, in order.
    let mut expected: Vec<(String, u64)> = Vec::new();
    for (i, def) in file.definitions().iter().enumerate() {
        let f = match file.definition_function(i) {
            Ok(f) => f,
            Err(SygusError::Unsupported { .. }) => continue, // calls a synth-fun or uses a variable
            Err(e) => panic!("{}: define-fun {}: {e}", name, def.name),
        };
        for _ in 0..def_rows {
            let args: Vec<u64> = def.params.iter().map(|p| rng.value(p.1.ty())).collect();
            let lits: Vec<String> = def.params.iter().zip(&args).map(|(p, &a)| smt_literal(p.1, a)).collect();
            let term = if lits.is_empty() { def.name.clone() } else { format!("({} {})", def.name, lits.join(" ")) };
            z3.push_str(&format!("(simplify {term})\n"));
            expected.push((term, ir::eval(&f, &args)));
        }
    }
    let constraint_texts: Vec<String> = top_level_forms(text)
        .into_iter()
        .filter_map(|f| {
            f.strip_prefix("(constraint").and_then(|rest| rest.trim().strip_suffix(')')).map(str::to_string)
        })
        .collect();
    assert_eq!(constraint_texts.len(), problem.constraints.len(), "{}", name);
    let n = problem.constraints.len();
    let step = n.div_ceil(CONSTRAINTS_PER_FILE).max(1);
    for ci in (0..n).step_by(step) {
        let rows = if problem.vars.is_empty() { 1 } else { CONSTRAINT_ROWS };
        for _ in 0..rows {
            let vals: Vec<u64> = problem.vars.iter().map(|v| rng.value(v.sort.ty())).collect();
            let ours = problem.constraints[ci].eval(problem, &vals, &mut |t, args| {
                let (_, c, same) = &stand_ins[t];
                match same {
                    Some(i) => args[*i] ^ c,
                    None => *c,
                }
            });
            let term = if vals.is_empty() {
                constraint_texts[ci].clone()
            } else {
                let binds: Vec<String> = problem
                    .vars
                    .iter()
                    .zip(&vals)
                    .map(|(v, &x)| format!("({} {})", v.name, smt_literal(v.sort, x)))
                    .collect();
                format!("(let ({}) {})", binds.join(" "), constraint_texts[ci])
            };
            z3.push_str(&format!("(simplify {term})\n"));
            expected.push((format!("constraint {ci}: {term}"), ours));
        }
    }
    let out = run_z3(&z3);
    let answers: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
    if answers.len() != expected.len() {
        let message = format!("{}: z3 gave {} answers for {} terms:\n{out}", name, answers.len(), expected.len());
        return (vec![message], 0);
    }
    let mut failures = Vec::new();
    for ((what, ours), answer) in expected.iter().zip(answers) {
        match parse_z3_value(answer) {
            Some(z) if z == *ours => {}
            Some(z) => failures.push(format!("{}: {what}: ours {ours:#x}, z3 {z:#x}", name)),
            None => failures.push(format!("{}: {what}: z3 said {answer}", name)),
        }
    }
    (failures, expected.len())
}

#[test]
fn lowering_agrees_with_z3_on_every_benchmark() {
    let Some(files) = benchmark_files() else { return };
    if !z3_available() {
        return;
    }
    let workers = 2;
    let results: Vec<(Vec<String>, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let files = &files;
                s.spawn(move || {
                    files
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % workers == w)
                        .map(|(i, p)| check_path(p, 0x5eed_0000 + i as u64))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("worker")).collect()
    });
    let evaluations: usize = results.iter().map(|r| r.1).sum();
    let failures: Vec<String> = results.into_iter().flat_map(|r| r.0).collect();
    eprintln!("{evaluations} evaluations compared with z3");
    assert!(evaluations > 5000, "too few evaluations: {evaluations}");
    assert!(
        failures.is_empty(),
        "{} disagreement(s):\n{}",
        failures.len(),
        failures[..failures.len().min(30)].join("\n")
    );
}

/// Every supported operator, including those no benchmark uses, in definitions z3 evaluates.
const OPERATORS: &str = "(set-logic BV)
(define-fun k () (_ BitVec 8) (_ bv300 8))
(define-fun arith ((a (_ BitVec 8)) (b (_ BitVec 8))) (_ BitVec 8)
    (bvadd (bvmul a b k) (bvsub a b) (bvneg a) (bvudiv a b) (bvurem a b) (bvsdiv a b) (bvsrem a b)))
(define-fun bits ((a (_ BitVec 8)) (b (_ BitVec 8))) (_ BitVec 8)
    (bvxor (bvand a b) (bvor a (bvnot b)) (bvnand a b) (bvnor a b) (bvxnor a b)))
(define-fun shifts ((a (_ BitVec 8)) (b (_ BitVec 8))) (_ BitVec 8)
    (bvxor (bvshl a b) (bvlshr a b) (bvashr a b) ((_ rotate_left 3) a) ((_ rotate_right 13) b) ((_ rotate_left 0) a)))
(define-fun widths ((a (_ BitVec 8)) (b (_ BitVec 3))) (_ BitVec 31)
    (concat ((_ extract 6 2) a) b ((_ zero_extend 5) b) ((_ sign_extend 8) ((_ extract 7 7) a)) ((_ repeat 2) b)))
(define-fun wide ((a (_ BitVec 64)) (b (_ BitVec 32))) (_ BitVec 64)
    (bvadd (concat ((_ extract 31 0) a) b) ((_ sign_extend 32) b) ((_ zero_extend 0) a) ((_ extract 63 0) a)))
(define-fun unsigned ((a (_ BitVec 5)) (b (_ BitVec 5))) Bool
    (and (bvult a b) (bvule a b) (not (bvugt a b)) (bvuge b a)))
(define-fun signed ((a (_ BitVec 5)) (b (_ BitVec 5))) Bool
    (xor (bvslt a b) (bvsle a b) (bvsgt a b) (bvsge a b)))
(define-fun logic ((p Bool) (q Bool) (r Bool)) Bool
    (or (=> p q r) (and (= p q r) (distinct p r)) (xor p q r) (ite p (not q) r)))
(define-fun chains ((a (_ BitVec 4)) (b (_ BitVec 4)) (c (_ BitVec 4))) Bool
    (and (=> (= a b c) (= a c)) (or (distinct a b c) (= (bvcomp a b) #b1))))
(define-fun lets ((a (_ BitVec 8)) (b (_ BitVec 8))) (_ BitVec 8)
    (let ((a b) (b a)) (let ((c (bvsub a b)) (a (bvadd a #x01))) (bvmul a c))))
(define-fun bool-ite ((p Bool) (a (_ BitVec 1))) (_ BitVec 1)
    (ite (ite p (= a #b1) (not p)) (bvnot a) (bvcomp a #b0)))
(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
(declare-var x (_ BitVec 8))
(constraint (= (f x) (arith x (bits x k))))
(check-synth)
";

#[test]
fn every_operator_agrees_with_z3() {
    if !z3_available() {
        return;
    }
    let (failures, evaluations) = check_text("operators", OPERATORS, 1, 200);
    assert!(evaluations >= 2400, "only {evaluations} evaluations");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
