//! `--emit rust` / `--emit c` output is correct where it runs: the Rust and C renderings of
//! example functions, random functions and example *answers* (synthesized here, in the default
//! `defined` semantics) are compiled with rustc and cc and agree with the interpreter on
//! 100,000 random inputs each (3,000 for random functions) plus every combination of the
//! semantics table's edge values (`support::native_export`).

mod support;

use std::path::Path;
use std::time::Duration;

use support::native_export::{Case, check_exports, example_cases, random_cases};
use synth::solve::{SolveOptions, Status, solve_spec};

#[test]
fn emitted_rust_and_c_compute_exactly_the_ir_function() {
    let mut cases = example_cases();
    assert!(cases.len() >= 20, "the examples should give a few dozen functions");
    cases.extend(random_cases(240));
    check_exports(&cases);
}

#[test]
fn answers_to_example_tasks_compile_and_agree_natively() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    // Tasks that solve in well under a second each: the bundled examples and Hacker's Delight
    // P1-P12 (the rest are in the ignored suites).
    let mut files = vec![root.join("examples/syn/arith.syn"), root.join("examples/syn/bit_tricks.syn")];
    files.extend((1..=12).map(|i| root.join(format!("examples/hackers-delight/p{i:02}.syn"))));
    let opts = SolveOptions { native_checks: 1000, timeout: Some(Duration::from_secs(60)), ..SolveOptions::default() };
    let mut cases = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = frontend::syn::parse_syn(&text).unwrap();
        for spec in
            file.tasks.iter().filter(|t| !["sign_fast", "saturating_add", "round_up"].contains(&t.name.as_str()))
        {
            let report = solve_spec(spec, &opts, &mut |_| {}).unwrap();
            assert_eq!(report.status, Status::Solved, "{}: {:?}", spec.name, report.reason);
            let sig =
                frontend::syn::SourceSignature { name: spec.name.clone(), params: spec.params.clone(), ret: spec.ret };
            cases.push(Case { function: report.function.unwrap(), sig, rows: 100_000 });
        }
    }
    assert!(cases.len() >= 15, "{} answers", cases.len());
    check_exports(&cases);
}
