//! `synth solve --certificate DIR`: every answer of a small suite gets a certificate, and every
//! certificate is re-checked independently: the `.smt2` query with the `z3` executable (`unsat`),
//! the `.ir` answer by the independent recheck, the review names what was checked. A query
//! for a wrong answer is `sat`, so the `unsat` is not vacuous.

mod support;

use std::path::Path;

use support::cli::{root, synth, text};
use support::recheck::{recheck_problem, recheck_spec, run_z3};

/// The answers' IR functions in a certificate's `.ir` file.
fn ir_answers(path: &Path) -> Vec<ir::Function> {
    let module = ir::parse_module(&std::fs::read_to_string(path).unwrap()).unwrap();
    module.functions
}

#[test]
fn every_certificate_rechecks_with_the_z3_executable() {
    let dir = std::env::temp_dir().join(format!("synth-certificates-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().unwrap();
    let common = ["--native-checks", "1000", "--certificate", d];
    // (input, task) pairs: equiv with `requires`, a postcondition, a reference with a diff,
    // total semantics, SyGuS without and with a grammar, several targets.
    let runs: Vec<Vec<&str>> = vec![
        vec!["examples/syn/arith.syn", "--task", "abs"],
        vec!["examples/syn/arith.syn", "--task", "avg"],
        vec!["examples/syn/arith.syn", "--task", "sign_fast", "--semantics", "total"],
        vec!["tests/verdicts/requires_equiv.syn"],
        vec!["tests/verdicts/written_answer.sl", "--timeout", "2"],
        vec!["tests/verdicts/constant_grammar_8.sl"],
        vec!["tests/sygus/solve/multi_grammar.sl"],
    ];
    for run in &runs {
        let args: Vec<&str> = run.iter().chain(&common).copied().collect();
        let out = synth(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}{}", text(&out.stdout), text(&out.stderr));
        assert!(text(&out.stdout).contains("certificate: ") || text(&out.stderr).contains("certificate: "), "{args:?}");
    }
    let mut queries = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "smt2") {
            let script = std::fs::read_to_string(&path).unwrap();
            let answer = run_z3(&script).unwrap();
            assert_eq!(answer.trim(), "unsat", "{}: z3 says {answer}", path.display());
            let review = std::fs::read_to_string(path.with_extension("review.md")).unwrap();
            for section in ["**Guarantee:**", "## The spec", "## The answer", "## Cost", "Re-check it yourself"] {
                assert!(review.contains(section), "{}: no {section}", path.display());
            }
            queries += 1;
        }
    }
    assert_eq!(queries, runs.len(), "one certificate per answer");
    let review = std::fs::read_to_string(dir.join("abs.review.md")).unwrap();
    assert!(review.contains("```diff") && review.contains("-    if x < 0"), "{review}");
    assert!(review.contains("with defined behaviour") || review.contains("means the same in Rust and C"));
    // The .ir answers re-check independently of the solver that produced them.
    let syn =
        frontend::syn::parse_syn(&std::fs::read_to_string(root().join("examples/syn/arith.syn")).unwrap()).unwrap();
    for task in ["abs", "avg"] {
        let spec = syn.tasks.iter().find(|t| t.name == task).unwrap();
        recheck_spec(spec, &ir_answers(&dir.join(format!("{task}.ir")))[0]);
    }
    let multi = frontend::sygus::parse_sygus(
        &std::fs::read_to_string(root().join("tests/sygus/solve/multi_grammar.sl")).unwrap(),
    )
    .unwrap();
    recheck_problem(&multi.problem, &ir_answers(&dir.join("multi_grammar.ir")));
    let sl = std::fs::read_to_string(dir.join("multi_grammar.sl")).unwrap();
    assert_eq!(frontend::sygus::parse_solution(&multi, &sl).unwrap().len(), multi.problem.targets.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_query_of_a_wrong_answer_is_sat() {
    let syn =
        frontend::syn::parse_syn(&std::fs::read_to_string(root().join("examples/syn/arith.syn")).unwrap()).unwrap();
    let spec = syn.tasks.iter().find(|t| t.name == "abs").unwrap();
    let problem = ir::Problem::from_spec(spec);
    let wrong = ir::parse_function("fn abs(v0: i32) -> i32 {\n  ret v0\n}\n").unwrap();
    let script = synth::verify::smt2_problem_query(&problem, &[wrong]).unwrap();
    assert_eq!(run_z3(&script).unwrap().trim(), "sat");
    // Right for every input but a shift by the width: sat under the `defined` discipline only.
    let shifty = ir::parse_function(
        "fn abs(v0: i32) -> i32 {\n  v1 = ashr v0, v0\n  v2 = xor v1, v0\n  v3 = sub v2, v1\n  ret v3\n}\n",
    )
    .unwrap();
    assert_eq!(spec.semantics, ir::Semantics::Defined);
    let script = synth::verify::smt2_problem_query(&problem, &[shifty]).unwrap();
    assert_eq!(run_z3(&script).unwrap().trim(), "sat", "the discipline is part of the query");
}
