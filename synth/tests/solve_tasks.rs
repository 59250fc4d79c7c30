//! The main job on small tasks (tests/solve/*.syn): every answer is re-checked here, independently
//! of the search: Z3 again (equivalence or spec), direct evaluation with the interpreter,
//! the `using` clause, and the known optimal cost; then once more by a path that shares no code
//! with `synth::verify` (`support/recheck.rs`: our own SMT-LIB for the `z3` tool, native code
//! against the interpreter), for the answers of the library and for those the CLI prints.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use ir::{Function, Spec, Type};
use synth::search::{Optimality, Rng};
use synth::solve::{SolveOptions, Status, Verification, solve_spec};
use synth::{SpecVerdict, Verdict, VerifyOptions, check_equivalent, check_spec};

use support::recheck::{Claim, recheck_all};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn load(name: &str) -> (String, frontend::syn::SynFile) {
    let text = std::fs::read_to_string(root().join("tests/solve").join(name)).unwrap();
    let file = frontend::syn::parse_syn(&text).unwrap_or_else(|d| panic!("{}", d.render(name, &text)));
    (text, file)
}

/// `// ... cost: N` on the comment lines right before `synth NAME`.
fn expected_costs(text: &str) -> HashMap<String, u32> {
    let mut out = HashMap::new();
    let mut pending = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(c) = line.strip_prefix("//").and_then(|c| c.split("cost: ").nth(1)) {
            pending = c.trim().parse::<u32>().ok();
        } else if let Some(rest) = line.strip_prefix("synth ") {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if let Some(c) = pending.take() {
                out.insert(name, c);
            }
        }
    }
    out
}

/// Inputs to compare on: all of them for at most 16 bits, else edge-biased random ones.
fn inputs(types: &[Type]) -> Vec<Vec<u64>> {
    let bits: u32 = types.iter().map(|t| t.width()).sum();
    if bits <= 16 {
        return synth::search::every_input(types);
    }
    let mut rng = Rng::new(99);
    (0..20_000).map(|_| types.iter().map(|&t| synth::search::interesting_value(t, &[], &mut rng)).collect()).collect()
}

fn check_answer(spec: &Spec, f: &Function) {
    let opts = VerifyOptions::with_timeout(Duration::from_secs(30));
    let types = spec.param_types();
    let assumed = |args: &[u64]| spec.pre.as_ref().is_none_or(|pre| ir::eval(pre, args) == 1);
    if let Some(reference) = &spec.reference {
        // With `requires`, the answer may differ outside it (z3 checks that in the re-check).
        if spec.pre.is_none() {
            assert_eq!(
                check_equivalent(f, reference, &opts).unwrap(),
                Verdict::Equivalent,
                "{}: z3 disagrees\n{f}",
                spec.name
            );
        }
        for args in inputs(&types).into_iter().filter(|a| assumed(a)) {
            assert_eq!(ir::eval(f, &args), ir::eval(reference, &args), "{} on {args:?}\n{f}", spec.name);
        }
    }
    if let Some(post) = &spec.post {
        let verdict = check_spec(f, spec.pre.as_ref(), post, &opts).unwrap();
        assert_eq!(verdict, SpecVerdict::Holds, "{}: z3 disagrees\n{f}", spec.name);
        for args in inputs(&types) {
            if !assumed(&args) {
                continue;
            }
            let mut with_result = args.clone();
            with_result.push(ir::eval(f, &args));
            assert_eq!(ir::eval(post, &with_result), 1, "{} violates ensures on {args:?}\n{f}", spec.name);
        }
    }
    for ex in &spec.examples {
        assert_eq!(ir::eval(f, &ex.args), ex.result, "{} misses example {ex:?}\n{f}", spec.name);
    }
    if let Some(allowed) = &spec.allowed_ops {
        for inst in &f.body {
            assert!(
                allowed.contains(&inst.opcode),
                "{} uses `{}` outside its `using` clause\n{f}",
                spec.name,
                inst.opcode
            );
        }
    }
}

#[test]
fn small_tasks_are_solved_verified_and_optimal() {
    let (text, file) = load("small.syn");
    let costs = expected_costs(&text);
    assert!(file.tasks.len() >= 12, "the suite should hold a dozen tasks");
    let opts =
        SolveOptions { native_checks: 10_000, timeout: Some(Duration::from_secs(120)), ..SolveOptions::default() };
    let mut answers = Vec::new();
    for spec in &file.tasks {
        let report = solve_spec(spec, &opts, &mut |_| {}).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        assert_eq!(report.status, Status::Solved, "{}: {:?}", spec.name, report.reason);
        assert_eq!(report.native_checks, 10_000);
        match (&spec.reference, &spec.pre) {
            (None, _) => assert_eq!(report.reference_checks, 0),
            (Some(_), None) => assert_eq!(report.reference_checks, 10_000),
            // Only the inputs that meet `requires` are compared with the reference.
            (Some(_), Some(_)) => assert!((1..=10_000).contains(&report.reference_checks), "{}", spec.name),
        }
        let expected_verification = if spec.is_examples_only() { Verification::Examples } else { Verification::Z3 };
        assert_eq!(report.verified, expected_verification, "{}", spec.name);
        let f = report.function.as_ref().unwrap();
        check_answer(spec, f);
        let expected = costs.get(&spec.name).unwrap_or_else(|| panic!("{}: no `cost:` comment", spec.name));
        assert!(report.cost.unwrap() <= *expected, "{}: cost {:?} > known {expected}\n{f}", spec.name, report.cost);
        // Optimality is proved over the constants the enumerator tries (all of them when the
        // task allows no `iconst`); an answer whose constants were solved for by Z3 (holes) is
        // verified and may be proven optimal among the trees over the tried constants.
        let enumerated =
            |ty: Type, c: u64| synth::search::default_constants(ty).contains(&c) || spec.constants.contains(&(ty, c));
        let from_holes = f.body.iter().any(|i| i.opcode == ir::Opcode::Iconst && !enumerated(i.ty, i.imm));
        let any_constant = spec.allowed_ops.as_ref().is_none_or(|ops| ops.contains(&ir::Opcode::Iconst));
        // Nothing is cheaper than a constant or a parameter (cost 0).
        let expected =
            if any_constant && report.cost != Some(0) { Optimality::OverTriedConstants } else { Optimality::Optimal };
        assert!(
            report.optimality == expected || (from_holes && report.optimality == Optimality::NotProven),
            "{}: the answer should be proven {expected:?}, not {:?}\n{f}",
            spec.name,
            report.optimality
        );
        answers.push((spec, f.clone()));
    }
    let claims: Vec<Claim> = answers.iter().map(|(spec, answer)| Claim::Spec { spec, answer }).collect();
    recheck_all(&claims);
}

#[test]
fn budgets_and_infeasibility_are_reported_not_guessed() {
    let (_, file) = load("unsolvable.syn");
    let opts = SolveOptions { native_checks: 1000, timeout: Some(Duration::from_secs(60)), ..SolveOptions::default() };
    let by_name: HashMap<&str, &Spec> = file.tasks.iter().map(|t| (t.name.as_str(), t)).collect();
    let too_small = solve_spec(by_name["too_small"], &opts, &mut |_| {}).unwrap();
    assert_eq!(too_small.status, Status::NoSolution);
    assert_eq!(too_small.largest_size, Some(2));
    assert!(too_small.function.is_none());
    let impossible = solve_spec(by_name["impossible"], &opts, &mut |_| {}).unwrap();
    assert_eq!(impossible.status, Status::Infeasible, "{:?}", impossible.reason);
}

fn synth_cli(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_synth")).args(args).current_dir(root()).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_prints_headers_source_and_json() {
    let (_, file) = load("small.syn");
    let task = |name: &str| file.tasks.iter().find(|t| t.name == name).unwrap();
    let mut printed = Vec::new();
    let (code, stdout, stderr) = synth_cli(&["tests/solve/small.syn", "--task", "t04", "--native-checks", "1000"]);
    assert_eq!(code, Some(0), "{stderr}");
    let mut lines = stdout.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("// t04: verified by z3 for all inputs, with defined behaviour in Rust and C; native code agrees with the interpreter on 1000 random inputs and with the reference function on 1000; cost 4 (size, optimal among expression trees over the tried constants);"),
        "{header}"
    );
    // The printed source is itself a valid .syn function with the task's signature.
    let source: String = lines.collect::<Vec<_>>().join("\n");
    let reparsed = frontend::syn::parse_syn(&source).unwrap_or_else(|d| panic!("{}", d.render("out.syn", &source)));
    assert!(source.starts_with("fn t04(x: u8, y: u8) -> u8 {"), "{source}");
    let f = &reparsed.module["t04"];
    for (x, y) in [(0u64, 0u64), (255, 255), (3, 8), (200, 101)] {
        assert_eq!(ir::eval(f, &[x, y]), (x + y) / 2);
    }
    printed.push((task("t04"), f.clone()));

    let (code, stdout, _) =
        synth_cli(&["solve", "tests/solve/small.syn", "--task", "t10", "--json", "--native-checks", "100"]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["task"], "t10");
    assert_eq!(v["status"], "solved");
    assert_eq!(v["verified"], "examples");
    assert_eq!(v["examples"], 4);
    assert!(v["time_ms"].as_f64().unwrap() >= 0.0);
    let solution = v["solution"].as_str().unwrap();
    assert!(solution.starts_with("fn t10(x: u8) -> u8"));
    let reparsed = frontend::syn::parse_syn(solution).unwrap_or_else(|d| panic!("{}", d.render("t10", solution)));
    printed.push((task("t10"), reparsed.module["t10"].clone()));

    let (code, stdout, _) =
        synth_cli(&["tests/solve/small.syn", "--task", "t01", "--emit", "ir", "--native-checks", "100"]);
    assert_eq!(code, Some(0));
    let ir_text: String = stdout.lines().skip(1).collect::<Vec<_>>().join("\n");
    let module = ir::parse_module(&ir_text).unwrap();
    assert_eq!(module.functions[0].name, "t01");
    printed.push((task("t01"), module.functions[0].clone()));

    let claims: Vec<Claim> = printed.iter().map(|(spec, answer)| Claim::Spec { spec, answer }).collect();
    recheck_all(&claims);
}

#[test]
fn cli_exit_codes() {
    let (code, stdout, _) = synth_cli(&["tests/solve/unsolvable.syn", "--native-checks", "100"]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("// too_small: no solution within budget"), "{stdout}");
    assert!(stdout.contains("// impossible: infeasible"), "{stdout}");
    let (code, _, stderr) = synth_cli(&["tests/solve/small.syn", "--task", "nope"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no task named `nope`"));
    let (code, _, stderr) = synth_cli(&["examples/ir/avg.ir"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no synthesis tasks"), "{stderr}");
    let (code, _, _) = synth_cli(&["tests/solve/small.syn", "--timeout", "-3"]);
    assert_eq!(code, Some(2));
}

#[test]
fn constants_missing_from_the_spec_are_solved_for() {
    let (_, file) = load("holes.syn");
    let opts = SolveOptions { native_checks: 1000, timeout: Some(Duration::from_secs(60)), ..SolveOptions::default() };
    let mut answers = Vec::new();
    for spec in &file.tasks {
        let report = solve_spec(spec, &opts, &mut |_| {}).unwrap();
        assert_eq!(report.status, Status::Solved, "{}: {:?}", spec.name, report.reason);
        let f = report.function.as_ref().unwrap();
        check_answer(spec, f);
        // The answer multiplies by the inverse of the divisor, which the spec never writes.
        let constants: Vec<u64> = f.body.iter().filter(|i| i.opcode == ir::Opcode::Iconst).map(|i| i.imm).collect();
        assert!(constants.iter().any(|c| !spec.constants.iter().any(|s| s.1 == *c)), "{}: {f}", spec.name);
        answers.push((spec, f.clone()));
    }
    let claims: Vec<Claim> = answers.iter().map(|(spec, answer)| Claim::Spec { spec, answer }).collect();
    recheck_all(&claims);
}
