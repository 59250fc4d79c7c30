//! The `synth check/eval/fmt` commands on IR files: good examples, broken files with their
//! expected errors (`// error: TEXT` on the offending line), arguments and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn synth(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).current_dir(root()).output().unwrap()
}

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

#[test]
fn every_example_checks_and_formats_to_a_fixed_point() {
    let examples = files("examples/ir", "ir");
    assert!(examples.len() >= 8, "examples/ir should hold at least 8 files");
    for path in examples {
        let p = path.to_str().unwrap();
        let out = synth(&["check", p]);
        assert!(out.status.success(), "{p}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok: "));
        let formatted = synth(&["fmt", p]).stdout;
        let text = String::from_utf8(formatted).unwrap();
        let reparsed = ir::parse_module(&text).unwrap();
        assert_eq!(reparsed.to_string(), text, "{p}: fmt is not canonical");
        assert_eq!(reparsed, ir::parse_module(&std::fs::read_to_string(&path).unwrap()).unwrap());
    }
}

/// Each `// error: TEXT` comment expects an error on its line whose message contains TEXT;
/// no other errors may be reported.
#[test]
fn broken_files_report_expected_errors() {
    let broken = files("tests/fail-ir", "ir");
    assert!(!broken.is_empty());
    for path in broken {
        let p = path.to_str().unwrap();
        let out = synth(&["check", p]);
        assert_eq!(out.status.code(), Some(2), "{p} should exit 2");
        let stderr = String::from_utf8(out.stderr).unwrap();
        let mut reported: Vec<(usize, String)> = Vec::new();
        for line in stderr.lines() {
            let rest = line.strip_prefix(&format!("{p}:")).unwrap_or_else(|| panic!("bad error line: {line}"));
            let mut parts = rest.splitn(3, ':');
            let lineno: usize = parts.next().unwrap().parse().unwrap();
            let _col: usize = parts.next().unwrap().parse().unwrap();
            let msg = parts.next().unwrap();
            assert!(msg.starts_with(" error: "), "{line}");
            reported.push((lineno, msg.to_string()));
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let mut expected = Vec::new();
        for (i, line) in source.lines().enumerate() {
            if let Some((_, text)) = line.split_once("// error: ") {
                expected.push((i + 1, text.trim().to_string()));
            }
        }
        for (lineno, text) in &expected {
            assert!(
                reported.iter().any(|(l, m)| l == lineno && m.contains(text.as_str())),
                "{p}:{lineno}: expected error containing `{text}`; got:\n{stderr}"
            );
        }
        for (lineno, msg) in &reported {
            assert!(
                expected.iter().any(|(l, t)| l == lineno && msg.contains(t.as_str())),
                "{p}:{lineno}: unexpected error{msg}"
            );
        }
    }
}

#[test]
fn eval_parses_arguments_and_prints_results() {
    let run = |args: &[&str]| {
        let out = synth(args);
        (out.status.code(), String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    assert_eq!(run(&["eval", "examples/ir/avg.ir", "--fn", "avg_floor", "7", "10"]), (Some(0), "8".into()));
    assert_eq!(run(&["eval", "examples/ir/abs.ir", "--", "-5"]), (Some(0), "5".into()));
    assert_eq!(run(&["eval", "examples/ir/abs.ir", "-2147483648"]), (Some(0), "2147483648".into()));
    assert_eq!(run(&["eval", "examples/ir/abs.ir", "--signed", "-2147483648"]), (Some(0), "-2147483648".into()));
    assert_eq!(run(&["eval", "examples/ir/sign.ir", "--signed", "0x80000000"]), (Some(0), "-1".into()));
    assert_eq!(run(&["eval", "examples/ir/is_pow2.ir", "64"]), (Some(0), "1".into()));
    assert_eq!(run(&["eval", "examples/ir/is_pow2.ir", "--signed", "64"]), (Some(0), "1".into()));
    // Bad arguments: wrong count, out of range, not a number, unknown function, no --fn.
    for bad in [
        &["eval", "examples/ir/abs.ir", "1", "2"][..],
        &["eval", "examples/ir/abs.ir", "4294967296"],
        &["eval", "examples/ir/abs.ir", "-2147483649"],
        &["eval", "examples/ir/abs.ir", "seven"],
        &["eval", "examples/ir/avg.ir", "--fn", "nope", "1", "2"],
        &["eval", "examples/ir/avg.ir", "1", "2"],
        &["eval", "does/not/exist.ir", "1"],
    ] {
        let out = synth(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(!out.stderr.is_empty(), "{bad:?} should explain the error");
    }
}
