//! `synth equiv`: verdicts, counterexample output, exit codes, bad input, and `--smt2` scripts
//! that the `z3` command-line tool answers the same way.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn synth(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).current_dir(root()).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn proves_an_equivalent_pair() {
    let out = synth(&[
        "equiv",
        "examples/equiv/abs.ir",
        "examples/equiv/abs.ir",
        "--fn",
        "abs_select_i32",
        "--fn2",
        "abs_xor_i32",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout(&out), "equivalent\n");
}

#[test]
fn single_function_files_need_no_names() {
    let out = synth(&["equiv", "examples/ir/abs.ir", "examples/ir/abs.ir"]);
    assert_eq!((out.status.code(), stdout(&out)), (Some(0), "equivalent\n".to_string()));
}

/// The counterexample lines name A's parameters and both results, and the interpreter (`synth
/// eval`) reproduces both results.
#[test]
fn refutes_with_a_counterexample_the_interpreter_reproduces() {
    let file = "examples/equiv/ne_avg_overflow.ir";
    let out = synth(&["equiv", file, file, "--fn", "avg_floor", "--fn2", "avg_naive"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert_eq!(lines[0], "not equivalent");
    let x = lines[1].strip_prefix("v0 = ").unwrap();
    let y = lines[2].strip_prefix("v1 = ").unwrap();
    for (line, name) in [(lines[3], "avg_floor"), (lines[4], "avg_naive")] {
        let (call, result) = line.split_once(" = ").unwrap();
        assert_eq!(call, format!("{name}({x}, {y})"));
        let eval = synth(&["eval", file, "--fn", name, x, y]);
        assert_eq!(stdout(&eval).trim(), result, "{name}");
    }
    let floor = lines[3].split_once(" = ").unwrap().1;
    let naive = lines[4].split_once(" = ").unwrap().1;
    assert_ne!(floor, naive);
}

#[test]
fn same_names_in_two_files_are_labelled_by_file() {
    let dir = std::env::temp_dir().join(format!("synth-cli-equiv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let other = dir.join("abs.ir");
    std::fs::write(&other, "fn abs(v0: i32) -> i32 {\n  ret v0\n}\n").unwrap();
    let out = synth(&["equiv", "examples/ir/abs.ir", other.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("examples/ir/abs.ir:abs("), "{text}");
    assert!(text.contains(&format!("{}:abs(", other.display())), "{text}");
}

#[test]
fn timeout_gives_unknown_with_exit_3() {
    let file = "examples/equiv/udiv_by_3.ir";
    let out =
        synth(&["equiv", file, file, "--fn", "udiv3_i32", "--fn2", "udiv3_by_multiply_i32", "--timeout", "0.001"]);
    // A fast enough machine might prove it; it can never refute it.
    match out.status.code() {
        Some(3) => assert!(stdout(&out).starts_with("unknown: timeout"), "{}", stdout(&out)),
        Some(0) => assert_eq!(stdout(&out), "equivalent\n"),
        other => panic!("unexpected exit {other:?}: {}", stdout(&out)),
    }
}

#[test]
fn bad_input_exits_2_with_a_message() {
    for args in [
        &["equiv", "examples/ir/abs.ir", "examples/ir/avg.ir"][..],
        &["equiv", "examples/ir/abs.ir", "examples/ir/avg.ir", "--fn2", "avg_floor"],
        &["equiv", "examples/ir/abs.ir", "does/not/exist.ir"],
        &["equiv", "examples/ir/abs.ir", "tests/fail-ir/types.ir"],
        &["equiv", "examples/ir/avg.ir", "examples/ir/avg.ir"],
        &["equiv", "examples/ir/avg.ir", "examples/ir/avg.ir", "--fn", "nope"],
        &["equiv", "examples/ir/abs.ir", "examples/ir/abs.ir", "--timeout", "-1"],
        &["equiv", "examples/ir/abs.ir", "examples/ir/avg.ir", "--fn2", "avg_floor", "--smt2"],
    ] {
        let out = synth(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?} should explain the error");
    }
    let out = synth(&["equiv", "examples/ir/abs.ir", "examples/ir/avg.ir", "--fn2", "avg_floor"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("signature mismatch"));
}

/// `--fn2` defaults to the `--fn` name.
#[test]
fn second_name_defaults_to_the_first() {
    let out = synth(&["equiv", "examples/ir/avg.ir", "examples/ir/avg.ir", "--fn", "avg_ceil"]);
    assert_eq!((out.status.code(), stdout(&out)), (Some(0), "equivalent\n".to_string()));
}

#[test]
fn smt2_output_gets_the_same_verdict_from_the_z3_tool() {
    let cases = [
        ("examples/equiv/max.ir", "smax_select_i32", "smax_xor_mask_i32", "unsat"),
        ("examples/equiv/ne_sdiv_ashr.ir", "sdiv2", "ashr1", "sat"),
    ];
    for (file, f, g, expected) in cases {
        let out = synth(&["equiv", file, file, "--fn", f, "--fn2", g, "--smt2"]);
        assert_eq!(out.status.code(), Some(0));
        let script = stdout(&out);
        assert!(script.contains("(set-logic QF_BV)") && script.contains("(declare-const v0 (_ BitVec 32))"));
        let path = std::env::temp_dir().join(format!("synth-cli-equiv-{}-{f}.smt2", std::process::id()));
        std::fs::write(&path, &script).unwrap();
        let z3 = Command::new("z3").arg("-smt2").arg(&path).output().expect("the z3 command-line tool is installed");
        let _ = std::fs::remove_file(&path);
        assert_eq!(stdout(&z3).trim(), expected, "{f} vs {g}");
        let verdict = synth(&["equiv", file, file, "--fn", f, "--fn2", g]);
        assert_eq!(verdict.status.code(), Some(if expected == "unsat" { 0 } else { 1 }));
    }
}
