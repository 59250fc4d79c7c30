//! Issue 7's acceptance test: synth solves every problem of the public SyGuS-Comp set that cvc5
//! solves within 0.5 s (`ci-fast.txt`), and each printed answer is checked independently: the
//! `define-fun`s are substituted into the original problem and the `z3` command-line tool must
//! find the negated conjunction of constraints unsatisfiable. Answers also read back (print ->
//! parse) and satisfy the constraints under the interpreter, and pass the independent re-check
//! (`support/recheck.rs`): our own SMT-LIB encoding for the `z3` tool, and native code run against
//! the interpreter with the constraints evaluated on edge-biased inputs.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use synth::search::Rng;

use support::recheck::{Claim, in_target_order, recheck_problem, try_recheck_all};

/// The benchmark folder: `$SYNTH_SYGUS_BENCHMARKS`, or `shared/benchmarks/sygus` next to the
/// repository or to one of its parents.
fn benchmarks() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SYNTH_SYGUS_BENCHMARKS") {
        return Some(PathBuf::from(dir));
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/benchmarks/sygus"))
        .find(|p| p.join("ci-fast.txt").exists())
}

fn z3_says_unsat(script: &str) -> Result<(), String> {
    let mut child = Command::new("z3")
        .args(["-smt2", "-in", "-T:60"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run z3: {e}"))?;
    child.stdin.take().unwrap().write_all(script.as_bytes()).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let answer = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if answer == "unsat" { Ok(()) } else { Err(format!("z3 answered `{answer}`")) }
}

fn check_one(dir: &Path, rel: &str) -> Result<(), String> {
    let path = dir.join(rel);
    let original = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let out = Command::new(env!("CARGO_BIN_EXE_synth"))
        .arg(&path)
        .args(["--timeout", "30", "--native-checks", "10000", "--threads", "1"])
        .output()
        .map_err(|e| e.to_string())?;
    let answer = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.code() != Some(0) || !answer.contains("define-fun") {
        return Err(format!("exit {:?}: {answer} {}", out.status.code(), String::from_utf8_lossy(&out.stderr)));
    }
    // Independent check with the z3 tool.
    let script = frontend::sygus::check_script(&original, &answer).map_err(|e| format!("check script: {e}"))?;
    z3_says_unsat(&script)?;
    // Print -> parse: the answer reads back and meets the constraints on random values.
    let file = frontend::sygus::parse_sygus(&original).map_err(|e| e.to_string())?;
    let functions =
        frontend::sygus::parse_solution(&file, &answer).map_err(|e| format!("reading the answer back: {e}"))?;
    let problem = &file.problem;
    let functions = in_target_order(problem, &functions)?;
    let interps: Vec<ir::Interpreter> = functions.iter().map(|f| ir::Interpreter::new(f).unwrap()).collect();
    let mut rng = Rng::new(5);
    for _ in 0..200 {
        let vars: Vec<u64> =
            problem.vars.iter().map(|v| synth::search::interesting_value(v.sort.ty(), &[], &mut rng)).collect();
        for c in &problem.constraints {
            if c.eval(problem, &vars, &mut |t, args| interps[t].eval(args)) != 1 {
                return Err(format!("the answer read back violates a constraint at {vars:?}"));
            }
        }
    }
    // Native code against the interpreter, and the independent SMT-LIB re-check.
    try_recheck_all(&[Claim::Problem { problem, solutions: &functions }])
}

#[test]
fn solves_every_ci_fast_problem_and_z3_agrees() {
    let Some(dir) = benchmarks() else {
        eprintln!("skipped: the SyGuS benchmarks (shared/benchmarks/sygus) are not on this machine");
        return;
    };
    if Command::new("z3").arg("-version").output().is_err() {
        eprintln!("skipped: the z3 command-line tool is not installed (apt-get install z3)");
        return;
    }
    let list = std::fs::read_to_string(dir.join("ci-fast.txt")).unwrap();
    let problems: Vec<&str> = list.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    assert_eq!(problems.len(), 85);
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(rel) = problems.get(i) else { break };
                    if let Err(e) = check_one(&dir, rel) {
                        failures.lock().unwrap().push(format!("{rel}: {e}"));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), problems.len(), failures.join("\n"));
}

#[test]
fn unsupported_and_malformed_sygus_input_exits_2_with_a_location() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let fail_dir = root.join("tests/sygus/fail");
    let mut count = 0;
    for entry in std::fs::read_dir(&fail_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "sl") {
            continue;
        }
        count += 1;
        let expected = std::fs::read_to_string(path.with_extension("err")).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_synth")).arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        assert!(out.stdout.is_empty(), "{}: nothing on stdout", path.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The reader's message `MESSAGE at LINE:COL` is printed as `FILE:LINE:COL: error: MESSAGE`.
        let first = expected.lines().next().unwrap();
        let (message, location) = first.rsplit_once(" at ").expect("the message ends with LINE:COL");
        assert!(
            location.split(':').all(|n| n.parse::<u32>().is_ok()),
            "{}: the message ends with LINE:COL",
            path.display()
        );
        let printed = format!("{}:{location}: error: {}", path.display(), message.trim_start_matches("error: "));
        assert!(stderr.contains(&printed), "{}: expected `{printed}` in `{stderr}`", path.display());
    }
    assert!(count >= 8);
}

#[test]
fn infeasible_boolean_circuit_is_proved_not_guessed() {
    let Some(dir) = benchmarks() else {
        eprintln!("skipped: the SyGuS benchmarks are not on this machine");
        return;
    };
    // cvc5 answers `infeasible` here too; synth must prove it by saturating the finite grammar.
    let out = Command::new(env!("CARGO_BIN_EXE_synth"))
        .arg(dir.join("bv_bool/CrCy_10-sbox2-D5-sIn73.sl"))
        .args(["--timeout", "60"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "infeasible");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn several_targets_are_solved_and_checked_by_z3() {
    if Command::new("z3").arg("-version").output().is_err() {
        eprintln!("skipped: the z3 command-line tool is not installed");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = vec![root.join("tests/sygus/solve/multi_grammar.sl")];
    if let Some(dir) = benchmarks() {
        for name in ["cegist-General_plus10.sl", "cegist-twolets10.sl", "cegist-polynomial4.sl"] {
            files.push(dir.join("bv_general").join(name));
        }
    }
    for path in files {
        let original = std::fs::read_to_string(&path).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_synth")).arg(&path).args(["--timeout", "60"]).output().unwrap();
        let answer = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(out.status.code(), Some(0), "{}: {answer}", path.display());
        let file = frontend::sygus::parse_sygus(&original).unwrap();
        assert_eq!(answer.matches("define-fun").count(), file.problem.targets.len(), "{answer}");
        // Every answer of a target with a grammar is a term of that grammar (one `define-fun` per
        // line), and z3 confirms the answers together.
        for target in file.problem.targets.iter().filter(|t| t.grammar.is_some()) {
            let line = answer
                .lines()
                .find(|l| l.contains(&format!("(define-fun {} ", target.name)))
                .unwrap_or_else(|| panic!("no answer for {}", target.name));
            frontend::sygus::parse_derivations(&file, line)
                .unwrap_or_else(|e| panic!("{}: {e}\n{answer}", path.display()));
        }
        let script = frontend::sygus::check_script(&original, &answer).unwrap();
        z3_says_unsat(&script).unwrap_or_else(|e| panic!("{}: {e}\n{answer}", path.display()));
        let functions = frontend::sygus::parse_solution(&file, &answer).unwrap();
        recheck_problem(&file.problem, &in_target_order(&file.problem, &functions).unwrap());
    }
}
