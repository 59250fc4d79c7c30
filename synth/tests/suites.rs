//! Long suites, ignored by `cargo test` (run them with `cargo test --release -p synth --test
//! suites -- --ignored`): the Hacker's Delight targets of issue 6 and the public SyGuS set.
//! Every answer also passes the independent re-check (`support/recheck.rs`), and the Hacker's
//! Delight answers and every example task's answer are compiled as Rust and C and compared with
//! the interpreter (`support/native_export.rs`).

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use synth::solve::{SolveOptions, Status, solve_problem, solve_spec};

use support::native_export::{Case, check_exports};
use support::recheck::{recheck_problem, recheck_spec, solutions_of};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// P1-P17 are all solved, no larger than the known optimum written in each file
/// (`Known optimum: ..., N operations`), in the default `defined` semantics.
#[test]
#[ignore]
fn hackers_delight_and_example_answers() {
    let opts =
        SolveOptions { timeout: Some(Duration::from_secs(60)), native_checks: 10_000, ..SolveOptions::default() };
    let mut cases = Vec::new();
    for n in 1..=17 {
        let path = root().join(format!("examples/hackers-delight/p{n:02}.syn"));
        let text = std::fs::read_to_string(&path).unwrap();
        let known: u32 = text
            .split("Known optimum: ")
            .nth(1)
            .and_then(|rest| rest.split(" operations").next())
            .and_then(|s| s.rsplit(", ").next())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or_else(|| panic!("{}: no `Known optimum: ..., N operations`", path.display()));
        let file = frontend::syn::parse_syn(&text).unwrap();
        let report = solve_spec(&file.tasks[0], &opts, &mut |_| {}).unwrap();
        assert_eq!(report.status, Status::Solved, "P{n}");
        recheck_spec(&file.tasks[0], report.function.as_ref().unwrap());
        assert!(report.cost.unwrap() <= known, "P{n}: cost {:?} > {known}", report.cost);
        eprintln!("P{n}: cost {} in {:.2} s", report.cost.unwrap(), report.time_ms / 1000.0);
        let spec = &file.tasks[0];
        let sig =
            frontend::syn::SourceSignature { name: spec.name.clone(), params: spec.params.clone(), ret: spec.ret };
        cases.push(Case { function: report.function.unwrap(), sig, rows: 100_000 });
    }
    // Every task of the bundled examples, too.
    for name in ["arith", "bit_tricks", "bytes"] {
        let text = std::fs::read_to_string(root().join(format!("examples/syn/{name}.syn"))).unwrap();
        let file = frontend::syn::parse_syn(&text).unwrap();
        for spec in &file.tasks {
            let report = solve_spec(spec, &opts, &mut |_| {}).unwrap();
            assert_eq!(report.status, Status::Solved, "{}", spec.name);
            recheck_spec(spec, report.function.as_ref().unwrap());
            let sig =
                frontend::syn::SourceSignature { name: spec.name.clone(), params: spec.params.clone(), ret: spec.ret };
            cases.push(Case { function: report.function.unwrap(), sig, rows: 100_000 });
        }
    }
    check_exports(&cases);
}

/// Every public SyGuS problem that cvc5 1.0.3 answers within 60 s is answered too (the list is
/// `cvc5-1.0.3.tsv` next to the benchmarks).
#[test]
#[ignore]
fn sygus_problems_cvc5_answers() {
    let Some(dir) = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/benchmarks/sygus"))
        .find(|p| p.join("cvc5-1.0.3.tsv").exists())
    else {
        eprintln!("skipped: benchmarks not found");
        return;
    };
    let table = std::fs::read_to_string(dir.join("cvc5-1.0.3.tsv")).unwrap();
    let opts = SolveOptions {
        timeout: Some(Duration::from_secs(60)),
        native_checks: 10_000,
        prove_optimal: false,
        ..SolveOptions::default()
    };
    let mut missed = Vec::new();
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if !matches!(cols[2], "solved" | "infeasible") {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(cols[0]).join(cols[1])).unwrap();
        let file = frontend::sygus::parse_sygus(&text).unwrap();
        let report = solve_problem(&file.problem, &opts, &mut |_| {}).unwrap();
        let expected = if cols[2] == "solved" { Status::Solved } else { Status::Infeasible };
        if report.status != expected {
            missed.push(format!("{}/{}: {:?} ({:?})", cols[0], cols[1], report.status, report.reason));
        }
        if report.status == Status::Solved {
            recheck_problem(&file.problem, &solutions_of(&report.functions, report.function.as_ref()));
        }
    }
    assert!(missed.is_empty(), "cvc5 answers these, synth does not:\n{}", missed.join("\n"));
}
