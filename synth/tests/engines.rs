//! `synth solve --engine enum|dag|both` through the binary: which engine found the answer, the
//! "shortest straight-line program" claim, and a report that does not depend on thread timing
//! with `--threads 1`. Every answer printed is re-checked independently (`support::recheck`).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::recheck::{Claim, recheck_all};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// `synth solve tests/dag/engines.syn --task TASK --json ...`: the JSON report.
fn solve(task: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["solve", "tests/dag/engines.syn", "--task", task, "--json", "--native-checks", "1000"];
    args.extend_from_slice(extra);
    let out = Command::new(env!("CARGO_BIN_EXE_synth")).args(&args).current_dir(root()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(stdout.trim()).unwrap()
}

/// Re-checks the printed `.syn` answer of a report against its task.
fn recheck(report: &serde_json::Value) {
    let text = std::fs::read_to_string(root().join("tests/dag/engines.syn")).unwrap();
    let file = frontend::syn::parse_syn(&text).unwrap();
    let name = report["task"].as_str().unwrap();
    let spec = file.tasks.iter().find(|t| t.name == name).unwrap();
    let solution = report["solution"].as_str().unwrap();
    let answer = frontend::syn::parse_syn(solution).unwrap_or_else(|d| panic!("{}", d.render(name, solution)));
    recheck_all(&[Claim::Spec { spec, answer: &answer.module[name] }]);
}

#[test]
fn the_straight_line_engine_names_itself_and_proves_the_shortest_program() {
    let v = solve("absolute", &["--engine", "dag"]);
    assert_eq!(v["status"], "solved");
    assert_eq!(v["found_by"], "straight-line synthesis");
    assert_eq!(v["optimality"], "shortest_straight_line");
    assert_eq!(v["cost"], 3);
    recheck(&v);
    let v = solve("clear", &["--engine", "dag"]);
    assert_eq!(v["cost"], 2);
    assert_eq!(v["optimality"], "shortest_straight_line");
    recheck(&v);
}

#[test]
fn the_enumerator_alone_never_claims_the_shortest_program() {
    let v = solve("clear", &["--engine", "enum"]);
    assert_eq!(v["status"], "solved");
    assert_ne!(v["found_by"], "straight-line synthesis");
    assert_ne!(v["optimality"], "shortest_straight_line");
    recheck(&v);
}

#[test]
fn both_engines_with_one_thread_give_one_report() {
    let strip = |mut v: serde_json::Value| {
        let obj = v.as_object_mut().unwrap();
        for timing in ["time_ms", "native_checks", "reference_checks"] {
            obj.remove(timing);
        }
        v
    };
    let first = solve("absolute", &["--engine", "both", "--threads", "1"]);
    let second = solve("absolute", &["--engine", "both", "--threads", "1"]);
    assert_eq!(first["cost"], 3);
    recheck(&first);
    assert_eq!(strip(first), strip(second));
}

#[test]
fn both_engines_on_two_threads_stop_each_other() {
    // The enumerator answers first; the straight-line engine is cancelled in the middle of its
    // Z3 queries once its grace period ends (a cancelled query must not hang the task).
    for task in ["absolute", "clear"] {
        let v = solve(task, &["--engine", "both", "--threads", "2", "--timeout", "60"]);
        assert_eq!(v["status"], "solved");
        assert!(v["time_ms"].as_f64().unwrap() < 60_000.0);
        recheck(&v);
    }
}

#[test]
fn an_unknown_engine_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_synth"))
        .args(["solve", "tests/dag/engines.syn", "--engine", "stoke"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
