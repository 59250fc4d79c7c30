//! The `synth check/lower/eval` commands on `.syn` files: the examples check, lower to IR that
//! checks again, evaluate with source-typed arguments; broken files show located diagnostics
//! with the source line and exit 2; unknown and not-yet-supported extensions are refused. The
//! answers `synth FILE.syn` prints for the examples, as source and as IR, read back and pass the
//! independent re-check (`support/recheck.rs`).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::recheck::{Claim, recheck_all};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn synth(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).current_dir(root()).output().unwrap()
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = synth(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
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
fn examples_check_and_lower_to_ir_that_checks() {
    let examples = files("examples/syn", "syn");
    assert!(examples.len() >= 3);
    let tmp = std::env::temp_dir().join(format!("synth-cli-syn-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for path in examples {
        let p = path.to_str().unwrap();
        let (code, stdout, stderr) = run(&["check", p]);
        assert_eq!(code, Some(0), "{p}: {stderr}");
        let file = frontend::syn::parse_syn(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let n = file.module.functions.len();
        assert_eq!(stdout, format!("ok: {n} functions, {} tasks", file.tasks.len()));

        let lowered = synth(&["lower", p]);
        assert!(lowered.status.success());
        let text = String::from_utf8(lowered.stdout).unwrap();
        let m = ir::parse_module(&text).unwrap();
        assert_eq!(&m.functions[..n], &file.module.functions[..], "{p}: lower prints the module first");
        let ir_path = tmp.join(path.with_extension("ir").file_name().unwrap());
        std::fs::write(&ir_path, &text).unwrap();
        let (code, stdout, stderr) = run(&["check", ir_path.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(stdout.starts_with("ok: "));
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn eval_uses_source_types() {
    let eval = |args: &[&str]| {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        stdout
    };
    assert_eq!(eval(&["eval", "examples/syn/arith.syn", "--fn", "abs_branchless", "--", "-5"]), "5");
    assert_eq!(eval(&["eval", "examples/syn/arith.syn", "--fn", "sign", "-7"]), "-1");
    assert_eq!(eval(&["eval", "examples/syn/arith.syn", "--fn", "abs_branchy", "-2147483648"]), "-2147483648");
    assert_eq!(eval(&["eval", "examples/syn/arith.syn", "--fn", "avg_floor", "4294967295", "1"]), "2147483648");
    // --signed forces a signed reading of an unsigned result.
    assert_eq!(
        eval(&["eval", "examples/syn/arith.syn", "--fn", "avg_floor", "--signed", "4294967295", "1"]),
        "-2147483648"
    );
    assert_eq!(
        eval(&["eval", "examples/syn/arith.syn", "--fn", "saturating_add_u32", "0xffff_fff0", "0x20"]),
        "4294967295"
    );
    assert_eq!(eval(&["eval", "examples/syn/bit_tricks.syn", "--fn", "is_pow2", "64"]), "true");
    assert_eq!(eval(&["eval", "examples/syn/bit_tricks.syn", "--fn", "is_pow2", "--signed", "65"]), "false");
    assert_eq!(eval(&["eval", "examples/syn/bytes.syn", "--fn", "bswap16", "0x1234"]), "13330");
    assert_eq!(eval(&["eval", "examples/syn/bytes.syn", "--fn", "byte_at", "0x11223344", "2"]), "34");

    for bad in [
        &["eval", "examples/syn/arith.syn", "--fn", "abs_branchless", "2147483648"][..],
        &["eval", "examples/syn/arith.syn", "--fn", "abs_branchless", "-2147483649"],
        &["eval", "examples/syn/bit_tricks.syn", "--fn", "lowest_set_bit", "--", "-1"],
        &["eval", "examples/syn/bit_tricks.syn", "--fn", "lowest_set_bit", "seven"],
        &["eval", "examples/syn/bit_tricks.syn", "--fn", "lowest_set_bit", "1", "2"],
        &["eval", "examples/syn/bit_tricks.syn", "--fn", "nope", "1"],
        &["eval", "examples/syn/bit_tricks.syn", "1"],
    ] {
        let (code, _, stderr) = run(bad);
        assert_eq!(code, Some(2), "{bad:?}");
        assert!(stderr.starts_with("synth: "), "{bad:?} should explain the error: {stderr}");
    }
}

#[test]
fn broken_files_show_located_diagnostics() {
    let broken = files("tests/frontend", "syn").into_iter().filter(|p| p.with_extension("err").exists());
    let mut count = 0;
    for path in broken {
        count += 1;
        let p = path.to_str().unwrap();
        let (code, stdout, stderr) = run(&["check", p]);
        assert_eq!(code, Some(2), "{p} should exit 2");
        assert!(stdout.is_empty());
        let source = std::fs::read_to_string(&path).unwrap();
        // The golden expectation is the same rendering, with the file name as given here.
        let expected = std::fs::read_to_string(path.with_extension("err"))
            .unwrap()
            .replace(&format!("tests/frontend/{}", path.file_name().unwrap().to_str().unwrap()), p);
        assert_eq!(stderr, expected, "{p}");
        // Each error names FILE:LINE:COL, and a marker line follows the quoted source line.
        let lines: Vec<&str> = stderr.lines().collect();
        for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.starts_with(p)) {
            let mut parts = line[p.len() + 1..].splitn(3, ':');
            let lineno: usize = parts.next().unwrap().parse().unwrap();
            let col: usize = parts.next().unwrap().parse().unwrap();
            assert!(parts.next().unwrap().starts_with(" error: "), "{line}");
            let quoted = format!("{lineno} | ");
            let at = lines[i..].iter().position(|l| l.trim_start().starts_with(&quoted)).expect("source line shown");
            let source_line = lines[i + at];
            assert_eq!(source_line.trim_start()[quoted.len()..], *source.lines().nth(lineno - 1).unwrap());
            // The marker under the primary span starts at the reported column.
            let marker = lines[i + at + 1..].iter().find(|l| l.contains('^')).expect("marker line");
            let gutter = source_line.find(" | ").unwrap() + 3;
            assert_eq!(marker.find('^').unwrap(), gutter + col - 1, "{p}:{lineno}:{col}\n{stderr}");
        }
    }
    assert!(count >= 12);
}

#[test]
fn unknown_and_unsupported_extensions_are_refused() {
    let tmp = std::env::temp_dir().join(format!("synth-ext-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for (name, needle) in [
        ("a.sl", "this command reads .ir and .syn files"),
        ("a.txt", "unknown file type"),
        ("noext", "no file extension"),
    ] {
        let path = tmp.join(name);
        std::fs::write(&path, "fn f(v0: i32) -> i32 {\n  ret v0\n}\n").unwrap();
        for cmd in ["check", "lower", "eval"] {
            let (code, _, stderr) = run(&[cmd, path.to_str().unwrap()]);
            assert_eq!(code, Some(2), "{cmd} {name}");
            // `check` reads SyGuS files: IR text is a located syntax error there.
            let needle = if cmd == "check" && name == "a.sl" { "a.sl:1:8: error: syntax error" } else { needle };
            assert!(stderr.contains(needle), "{cmd} {name}: {stderr}");
        }
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn run_executes_source_functions_natively_like_eval() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    for (args, expected) in [
        (&["--fn", "abs_branchy", "--", "-5"][..], "5"),
        (&["--fn", "abs_branchy", "--", "-2147483648"][..], "-2147483648"),
        (&["--fn", "avg_floor", "4294967295", "4294967293"][..], "4294967294"),
    ] {
        let mut outputs = Vec::new();
        for command in ["eval", "run"] {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_synth"))
                .arg(command)
                .arg("examples/syn/arith.syn")
                .args(args)
                .current_dir(root)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{command} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            outputs.push(String::from_utf8_lossy(&out.stdout).trim().to_string());
        }
        assert_eq!(outputs[0], expected, "{args:?}");
        assert_eq!(outputs[1], expected, "{args:?}");
    }
}

#[test]
fn printed_answers_read_back_and_pass_the_independent_recheck() {
    // Every task of bytes.syn, and the quicker tasks of the other examples: equivalence,
    // postconditions with and without examples, examples only, both cost models; answers printed
    // as source, or as IR. (`abs` is read as IR: its source, `fn abs(...)`, does not read back,
    // because `abs` is also the name of a builtin.)
    let runs: [(&str, &[(&str, &str)]); 3] = [
        ("examples/syn/bytes.syn", &[("bswap16_fast", "syn"), ("mystery", "ir")]),
        ("examples/syn/arith.syn", &[("abs", "ir"), ("avg", "syn"), ("sign_fast", "syn")]),
        ("examples/syn/bit_tricks.syn", &[("lowest_bit", "syn"), ("parity_fast", "ir")]),
    ];
    let mut answers = Vec::new();
    for (path, tasks) in runs {
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        let file = frontend::syn::parse_syn(&text).unwrap();
        for &(name, emit) in tasks {
            let (code, stdout, stderr) = run(&[path, "--task", name, "--emit", emit, "--native-checks", "1000"]);
            assert_eq!(code, Some(0), "{path} {name}: {stdout}\n{stderr}");
            let module = if emit == "ir" {
                ir::parse_module(&stdout).unwrap_or_else(|e| panic!("{path} {name}: {e}\n{stdout}"))
            } else {
                frontend::syn::parse_syn(&stdout).unwrap_or_else(|d| panic!("{}", d.render(name, &stdout))).module
            };
            let spec = file.tasks.iter().find(|t| t.name == name).unwrap().clone();
            answers.push((spec, module[name].clone()));
        }
    }
    assert_eq!(answers.len(), 7);
    let claims: Vec<Claim> = answers.iter().map(|(spec, answer)| Claim::Spec { spec, answer }).collect();
    recheck_all(&claims);
}
