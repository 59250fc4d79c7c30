//! Generated hostile inputs: valid files of each format (the bundled examples and test inputs)
//! are mutated at random (byte ranges deleted, duplicated or swapped, tokens inserted, deep
//! nesting, huge numbers, truncation, bytes that are not UTF-8, and gentler edits that keep
//! the file well-formed more often: a word replaced, a line duplicated, a literal's digits
//! changed) and run through the real binary:
//! `synth check FILE` always, and for some `.syn` and `.sl` cases also
//! `synth FILE --timeout 1 --native-checks 1000 --threads 1`. Every run must end by itself with
//! status 0, 1, 2 or 3, without a panic or a signal, within its time limit.
//!
//! `SYNTH_FUZZ_CASES=N` sets the number of cases per format (default 64, which keeps
//! `cargo test` fast); a failing case is shrunk by proptest and its input saved under the
//! system's temporary directory (the message gives the path). Each test prints how many runs
//! ended with each status (`--nocapture` shows it).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[path = "../../tests/fuzz/sygus_tokens.rs"]
mod sygus_tokens;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Longest a `synth check` run may take.
const CHECK_LIMIT: Duration = Duration::from_secs(5);
/// Longest a `synth FILE --timeout 1` run may take.
const SOLVE_LIMIT: Duration = Duration::from_secs(10);
/// One case in this many also runs `synth FILE` (for `.syn` and `.sl`).
const SOLVE_EVERY: u64 = 8;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("synth has a parent").to_path_buf()
}

/// The number of cases per format.
fn cases() -> u32 {
    std::env::var("SYNTH_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
}

/// The files with extension `ext` in the repository folders `dirs` (sorted).
fn files_in(dirs: &[&str], ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else { continue };
        out.extend(
            entries.map(|e| e.expect("readable entry").path()).filter(|p| p.extension().is_some_and(|e| e == ext)),
        );
    }
    out.sort();
    out
}

/// The public SyGuS benchmarks under 16 KB, when they are present (`$SYNTH_SYGUS_BENCHMARKS`
/// or `shared/benchmarks/sygus` next to an ancestor of the repository).
fn benchmark_seeds() -> Vec<PathBuf> {
    let dir = std::env::var("SYNTH_SYGUS_BENCHMARKS")
        .ok()
        .map(PathBuf::from)
        .or_else(|| root().ancestors().map(|a| a.join("shared/benchmarks/sygus")).find(|d| d.is_dir()));
    let Some(dir) = dir else { return Vec::new() };
    let mut files: Vec<PathBuf> = ["hd", "bv_general", "bv_bool", "pbe_bv"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(dir.join(sub)).into_iter().flatten())
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sl") && p.metadata().is_ok_and(|m| m.len() < 16_384))
        .collect();
    files.sort();
    files
}

/// Small well-formed SyGuS problems that exercise definitions, `let`, grammars and several
/// targets (the repository has few `.sl` files of its own).
const SYGUS_SAMPLES: &[&str] = &[
    "(set-logic BV)
(define-fun g ((a (_ BitVec 8)) (b (_ BitVec 8))) (_ BitVec 8) (let ((c (bvadd a b))) (bvxor c ((_ rotate_left 3) a))))
(synth-fun f ((x (_ BitVec 8)) (y Bool)) (_ BitVec 8)
    ((Start (_ BitVec 8)) (B Bool))
    ((Start (_ BitVec 8) (x #x01 (Constant (_ BitVec 8)) (g Start Start) (ite B Start Start) ((_ extract 7 0) Start)))
     (B Bool (y (bvult Start Start) (not B) (Variable Bool)))))
(declare-var x (_ BitVec 8))
(declare-var y Bool)
(constraint (=> y (= (f x y) (g x ((_ zero_extend 4) ((_ extract 3 0) x))))))
(check-synth)
",
    "(set-logic BV)
(synth-fun f ((x (_ BitVec 32))) (_ BitVec 32))
(declare-var x (_ BitVec 32))
(constraint (= (f x) (bvand x (bvsub x #x00000001))))
(check-synth)
",
    "(set-logic QF_BV)
(define-fun d0 ((x (_ BitVec 4))) (_ BitVec 4) (bvmul x x))
(define-fun d1 ((x (_ BitVec 4))) (_ BitVec 4) (bvadd (d0 x) (d0 (bvnot x))))
(synth-fun f ((x (_ BitVec 4)) (y (_ BitVec 4))) (_ BitVec 4))
(synth-fun h () Bool)
(declare-var a (_ BitVec 4))
(declare-var b (_ BitVec 4))
(constraint (distinct (f a b) (bvadd (f a b) #x1)))
(constraint (= (f a b) (ite h (d1 a) (d1 b))))
(constraint (or h (not h)))
(check-synth)
",
];

/// The seed files of a format.
fn seeds(ext: &str) -> Vec<Vec<u8>> {
    let mut paths = match ext {
        "ir" => files_in(&["examples/ir", "examples/equiv", "tests/fail-ir"], "ir"),
        "syn" => files_in(&["examples/syn", "examples/hackers-delight", "tests/frontend", "tests/solve"], "syn"),
        _ => {
            let mut p = files_in(&["tests/sygus/solve"], "sl");
            p.extend(files_in(&["tests/sygus/fail"], "sl").into_iter().take(8));
            p.extend(benchmark_seeds());
            p
        }
    };
    if ext == "ir" {
        // The golden lowered outputs of the .syn tests are valid IR too.
        paths.extend(files_in(&["tests/frontend"], "ir"));
    }
    let mut seeds: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).expect("readable seed")).collect();
    if ext == "sl" {
        seeds.extend(SYGUS_SAMPLES.iter().map(|s| s.as_bytes().to_vec()));
    }
    assert!(seeds.len() >= 3, "too few .{ext} seed files");
    seeds
}

/// Tokens worth inserting, per format.
fn tokens(ext: &str) -> &'static [&'static str] {
    match ext {
        "ir" => &[
            "fn",
            "f",
            "v0",
            "v1",
            "v4294967295",
            "v99999999999",
            "iconst.i64",
            "iconst.i1",
            "i65",
            "i0",
            "i64",
            "add",
            "select",
            "zext.i8",
            "trunc.i1",
            "popcnt",
            "ret",
            "{",
            "}",
            "(",
            ")",
            ",",
            "=",
            "->",
            "-",
            ".",
            ":",
            "\n",
            "//",
            "0x",
            "0xffffffffffffffffff",
            "18446744073709551616",
            "-9223372036854775809",
            "\u{e9}",
        ],
        "syn" => &[
            "fn",
            "synth",
            "let",
            "if",
            "else",
            "as",
            "{",
            "}",
            "(",
            ")",
            ";",
            ",",
            ":",
            "->",
            "=",
            "==",
            "<<",
            ">>",
            "-",
            "!",
            "&&",
            "x",
            "result",
            "u8",
            "i64",
            "bool",
            "abs(",
            "min(",
            "popcnt(",
            "as u64",
            "as bool",
            "0xffffffffffffffffffffffffffffffff",
            "340282366920938463463374607431768211456",
            "-128i8",
            "5u7",
            "timeout 18446744073709551615;",
            "timeout 99999999999999ms;",
            "max_size 4294967295;",
            "max_size 0;",
            "equiv f;",
            "using add, frob;",
            "cost latency;",
            "example f(1, 2, 3) == 4;",
            "requires x > 1;",
            "ensures result == x;",
            "//",
            "\n",
            "\u{e9}",
        ],
        _ => sygus_tokens::SYGUS_TOKENS,
    }
}

/// One mutation; positions and lengths are taken modulo the text's length.
#[derive(Debug, Clone)]
enum Mutation {
    /// Deletes `len` bytes at `at`.
    Delete { at: usize, len: usize },
    /// Inserts a copy of the `len` bytes at `at` right after them.
    Duplicate { at: usize, len: usize },
    /// Swaps the `len` bytes at `a` with those at `b` (when they do not overlap).
    Swap { a: usize, b: usize, len: usize },
    /// Inserts token number `token` at `at`.
    Token { at: usize, token: usize },
    /// Replaces the word around `at` (a run without spaces or brackets) with token `token`,
    /// which keeps the brackets of the file balanced more often than not.
    Word { at: usize, token: usize },
    /// Inserts `depth` copies of an opening bracket (or of `-`) at `at`, and as many closing
    /// ones at `close` when `balanced`.
    Nest { at: usize, close: usize, depth: usize, kind: usize, balanced: bool },
    /// Replaces the run of digits around `at` (or inserts) with huge number `which`.
    HugeNumber { at: usize, which: usize },
    /// Duplicates the line around `at`.
    Line { at: usize },
    /// Replaces the digits of the number or `#x`/`#b` literal around `at` with as many
    /// digits derived from `value` (the file stays well-formed more often than not).
    Digits { at: usize, value: u64 },
    /// Keeps only the first `at` bytes.
    Truncate { at: usize },
    /// Inserts bytes that are not UTF-8.
    NotUtf8 { at: usize, which: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let pos = any::<usize>();
    prop_oneof![
        2 => (pos, 0usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        2 => (pos, 0usize..64).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        1 => (pos, pos, 0usize..32).prop_map(|(a, b, len)| Mutation::Swap { a, b, len }),
        2 => (pos, any::<usize>()).prop_map(|(at, token)| Mutation::Token { at, token }),
        10 => (pos, any::<usize>()).prop_map(|(at, token)| Mutation::Word { at, token }),
        1 => (pos, pos, 1usize..20_000, 0usize..3, any::<bool>())
            .prop_map(|(at, close, depth, kind, balanced)| Mutation::Nest { at, close, depth, kind, balanced }),
        2 => (pos, 0usize..6).prop_map(|(at, which)| Mutation::HugeNumber { at, which }),
        3 => pos.prop_map(|at| Mutation::Line { at }),
        4 => (pos, any::<u64>()).prop_map(|(at, value)| Mutation::Digits { at, value }),
        1 => pos.prop_map(|at| Mutation::Truncate { at }),
        1 => (pos, 0usize..4).prop_map(|(at, which)| Mutation::NotUtf8 { at, which }),
    ]
}

const HUGE: &[&str] = &[
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211455",
    "340282366920938463463374607431768211456",
    "99999999999999999999999999999999999999999999999999",
    "4294967296",
];

const NOT_UTF8: &[&[u8]] = &[b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"];

/// Applies a mutation to the bytes of a file of format `ext`.
fn apply(text: &mut Vec<u8>, m: &Mutation, ext: &str) {
    let n = text.len();
    let pos = |p: usize| p % (n + 1);
    match *m {
        Mutation::Delete { at, len } => {
            let at = pos(at);
            let end = (at + len).min(n);
            text.drain(at..end);
        }
        Mutation::Duplicate { at, len } => {
            let at = pos(at);
            let end = (at + len).min(n);
            let piece = text[at..end].to_vec();
            text.splice(end..end, piece);
        }
        Mutation::Swap { a, b, len } => {
            let (a, b) = (pos(a).min(pos(b)), pos(a).max(pos(b)));
            if a + len <= b && b + len <= n {
                let (first, second) = (text[a..a + len].to_vec(), text[b..b + len].to_vec());
                text.splice(b..b + len, first);
                text.splice(a..a + len, second);
            }
        }
        Mutation::Token { at, token } => {
            let list = tokens(ext);
            let t = list[token % list.len()];
            let at = pos(at);
            text.splice(at..at, t.bytes());
        }
        Mutation::Word { at, token } => {
            let list = tokens(ext);
            let t = list[token % list.len()];
            let word = |i: usize| text.get(i).is_some_and(|b| !b" \t\n(){};,".contains(b));
            let (mut start, mut end) = (pos(at), pos(at));
            while start > 0 && word(start - 1) {
                start -= 1;
            }
            while word(end) {
                end += 1;
            }
            text.splice(start..end, t.bytes());
        }
        Mutation::Nest { at, close, depth, kind, balanced } => {
            let (open, shut) = match (ext, kind) {
                ("syn", 1) => ("{ ", " }"),
                ("syn", 2) => ("-", ""),
                ("sl", 1) => ("(bvnot ", ")"),
                _ => ("(", ")"),
            };
            let (at, close) = (pos(at).min(pos(close)), pos(at).max(pos(close)));
            if balanced {
                text.splice(close..close, shut.repeat(depth).into_bytes());
            }
            text.splice(at..at, open.repeat(depth).into_bytes());
        }
        Mutation::HugeNumber { at, which } => {
            let at = pos(at);
            let digit = |i: usize| text.get(i).is_some_and(u8::is_ascii_digit);
            let (mut start, mut end) = (at, at);
            while start > 0 && digit(start - 1) {
                start -= 1;
            }
            while digit(end) {
                end += 1;
            }
            text.splice(start..end, HUGE[which % HUGE.len()].bytes());
        }
        Mutation::Line { at } => {
            let at = pos(at);
            let start = text[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let end = text[at..].iter().position(|&b| b == b'\n').map_or(n, |i| at + i + 1);
            let mut line = text[start..end].to_vec();
            if !line.ends_with(b"\n") {
                line.push(b'\n');
            }
            text.splice(end..end, line);
        }
        Mutation::Digits { at, mut value } => {
            // The word around `at`: `#x` digits, `#b` digits or a decimal number keep their base.
            let at = pos(at);
            let alnum = |i: usize| text.get(i).is_some_and(u8::is_ascii_alphanumeric);
            let (mut start, mut end) = (at, at);
            while start > 0 && alnum(start - 1) {
                start -= 1;
            }
            while alnum(end) {
                end += 1;
            }
            let literal = start >= 1 && text[start - 1] == b'#' && end > start + 1;
            let (first, radix) = match text.get(start) {
                Some(b'x') if literal => (start + 1, 16),
                Some(b'b') if literal => (start + 1, 2),
                _ if end > start && text[start..end].iter().all(u8::is_ascii_digit) => (start, 10),
                _ => return,
            };
            for byte in &mut text[first..end] {
                let d = (value % radix) as u32;
                value = (value / radix).wrapping_add(value.rotate_left(17));
                *byte = char::from_digit(d, radix as u32).map_or(b'0', |c| c as u8);
            }
        }
        Mutation::Truncate { at } => text.truncate(pos(at)),
        Mutation::NotUtf8 { at, which } => {
            let at = pos(at);
            text.splice(at..at, NOT_UTF8[which % NOT_UTF8.len()].iter().copied());
        }
    }
}

/// Runs `synth ARGS` on `file`, killing it after `limit`; returns its exit status, or an error
/// for any sign of a crash, a hang or an undocumented status.
fn run_checked(args: &[&str], file: &Path, limit: Duration) -> Result<i32, String> {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_synth"))
        .args(args.iter().map(|a| if *a == "FILE" { file.as_os_str() } else { std::ffi::OsStr::new(a) }))
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start synth: {e}"))?;
    let mut err = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut v);
        v
    });
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(s) => break s,
            None if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("`synth {}` did not finish within {} s", args.join(" "), limit.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let stderr = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    let tail: String = stderr.chars().take(2000).collect();
    match status.code() {
        None => Err(format!("`synth {}` was killed by a signal:\n{tail}", args.join(" "))),
        Some(c) if !(0..=3).contains(&c) => Err(format!("`synth {}` exited with {c}:\n{tail}", args.join(" "))),
        Some(_) if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") => {
            Err(format!("`synth {}` panicked:\n{tail}", args.join(" ")))
        }
        Some(c) => Ok(c),
    }
}

/// Mutates seed files of format `ext` and runs them through the binary.
fn fuzz(ext: &str) {
    let seeds = seeds(ext);
    let dir = std::env::temp_dir().join(format!("synth-hostile-{}-{ext}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("writable temporary directory");
    let mut runner = TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() });
    let strategy = (any::<usize>(), proptest::collection::vec(mutation(), 1..3), any::<u64>());
    // Runs by command (check, solve) and exit status, for the summary.
    let tally: [[AtomicUsize; 4]; 2] = Default::default();
    let count = |command: usize, status: i32| {
        if let Some(slot) = usize::try_from(status).ok().and_then(|s| tally[command].get(s)) {
            slot.fetch_add(1, Ordering::Relaxed);
        }
    };
    let started = Instant::now();
    let result = runner.run(&strategy, |(seed, mutations, salt)| {
        let mut text = seeds[seed % seeds.len()].clone();
        for m in &mutations {
            apply(&mut text, m, ext);
        }
        let file = dir.join(format!("case.{ext}"));
        std::fs::write(&file, &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let save = |e: String| {
            let kept = std::env::temp_dir().join(format!("synth-hostile-failure-{}.{ext}", std::process::id()));
            let _ = std::fs::write(&kept, &text);
            TestCaseError::fail(format!("{e}\ninput saved as {}", kept.display()))
        };
        count(0, run_checked(&["check", "FILE"], &file, CHECK_LIMIT).map_err(save)?);
        if ext != "ir" && salt % SOLVE_EVERY == 0 {
            let solve = ["FILE", "--timeout", "1", "--native-checks", "1000", "--threads", "1"];
            count(1, run_checked(&solve, &file, SOLVE_LIMIT).map_err(save)?);
        }
        Ok(())
    });
    let line = |c: usize| tally[c].iter().map(|n| n.load(Ordering::Relaxed).to_string()).collect::<Vec<_>>().join("/");
    eprintln!(
        ".{ext}: {} cases in {:.0} s; exit 0/1/2/3: check {}, solve {}",
        cases(),
        started.elapsed().as_secs_f64(),
        line(0),
        line(1)
    );
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn mutated_ir_files_are_handled() {
    fuzz("ir");
}

#[test]
fn mutated_syn_files_are_handled() {
    fuzz("syn");
}

#[test]
fn mutated_sygus_files_are_handled() {
    fuzz("sl");
}

#[test]
fn mutations_do_what_they_say() {
    let mut t = b"fn f(x: u32) -> u32 { x + 12 }".to_vec();
    apply(&mut t, &Mutation::HugeNumber { at: 27, which: 1 }, "syn");
    assert_eq!(t, b"fn f(x: u32) -> u32 { x + 18446744073709551616 }");
    let mut t = b"(a b)".to_vec();
    apply(&mut t, &Mutation::Nest { at: 1, close: 4, depth: 2, kind: 0, balanced: true }, "sl");
    assert_eq!(t, b"(((a b)))");
    let mut t = b"(bvadd x y)".to_vec();
    apply(&mut t, &Mutation::Word { at: 9, token: 14 }, "sl");
    assert_eq!(t, b"(bvadd x Start)");
    let mut t = b"(= x #x0f)\n".to_vec();
    apply(&mut t, &Mutation::Digits { at: 7, value: 0 }, "sl");
    assert_eq!(t, b"(= x #x00)\n");
    apply(&mut t, &Mutation::Line { at: 2 }, "sl");
    assert_eq!(t, b"(= x #x00)\n(= x #x00)\n");
    let mut t = b"abcdef".to_vec();
    apply(&mut t, &Mutation::Swap { a: 0, b: 4, len: 2 }, "ir");
    assert_eq!(t, b"efcdab");
    apply(&mut t, &Mutation::Truncate { at: 3 }, "ir");
    assert_eq!(t, b"efc");
}
