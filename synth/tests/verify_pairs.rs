//! File-driven equivalence tests: every file in `examples/equiv/` holds pairs of functions (the
//! 1st with the 2nd, the 3rd with the 4th, ...) and a header line `// expect: equivalent` or
//! `// expect: not equivalent`. Equivalent pairs must be proved; non-equivalent pairs must give a
//! counterexample that the interpreter confirms; the SMT-LIB2 script of every pair must get the
//! same verdict from the `z3` command-line tool. A `// slow: REASON` header keeps a file out of
//! these tests (it takes Z3 many seconds); the ignored measurement runs it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use ir::{Function, FunctionBuilder, Module, Opcode, Shape, Type};
use synth::verify::{Verdict, VerifyOptions, check_equivalent, smt2_equivalence_query};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Equivalent,
    NotEquivalent,
}

struct PairFile {
    path: PathBuf,
    expect: Expect,
    slow: Option<String>,
    module: Module,
}

impl PairFile {
    fn pairs(&self) -> impl Iterator<Item = (&Function, &Function)> {
        self.module.functions.chunks(2).map(|p| (&p[0], &p[1]))
    }
}

fn header<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    text.lines().find_map(|l| l.strip_prefix("// ")?.strip_prefix(key)?.strip_prefix(": ")).map(str::trim)
}

fn pair_files() -> Vec<PairFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/equiv");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ir"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let expect = match header(&text, "expect") {
                Some("equivalent") => Expect::Equivalent,
                Some("not equivalent") => Expect::NotEquivalent,
                other => panic!("{}: bad or missing `// expect:` header: {other:?}", path.display()),
            };
            let slow = header(&text, "slow").map(str::to_string);
            let module = ir::parse_module(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                !module.functions.is_empty() && module.functions.len().is_multiple_of(2),
                "{}: functions must come in pairs",
                path.display()
            );
            PairFile { path, expect, slow, module }
        })
        .collect()
}

/// The pairs the tests run, and a note for every skipped file.
fn fast_pairs(files: &[PairFile]) -> Vec<(&PairFile, &Function, &Function)> {
    let mut pairs = Vec::new();
    for file in files {
        match &file.slow {
            Some(reason) => eprintln!("skipping {} (slow: {reason})", file.path.display()),
            None => pairs.extend(file.pairs().map(|(f, g)| (file, f, g))),
        }
    }
    pairs
}

fn check_pair(file: &PairFile, f: &Function, g: &Function) -> Result<(), String> {
    let what = format!("{}: {} vs {}", file.path.display(), f.name, g.name);
    let verdict = check_equivalent(f, g, &VerifyOptions::default()).map_err(|e| format!("{what}: {e}"))?;
    match (file.expect, verdict) {
        (Expect::Equivalent, Verdict::Equivalent) => Ok(()),
        (Expect::NotEquivalent, Verdict::NotEquivalent(cex)) => {
            let (left, right) = (ir::eval(f, &cex.inputs), ir::eval(g, &cex.inputs));
            if left == cex.left && right == cex.right && left != right {
                Ok(())
            } else {
                Err(format!("{what}: counterexample {cex:?} not confirmed (interpreter: {left}, {right})"))
            }
        }
        (_, verdict) => Err(format!("{what}: expected {:?}, got {verdict:?}", file.expect)),
    }
}

#[test]
fn pairs_get_the_expected_verdicts() {
    let files = pair_files();
    let pairs = fast_pairs(&files);
    let equivalent = pairs.iter().filter(|p| p.0.expect == Expect::Equivalent).count();
    assert!(equivalent >= 10 && pairs.len() - equivalent >= 5, "too few pairs");
    let failures: Vec<String> = pairs.iter().filter_map(|(file, f, g)| check_pair(file, f, g).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs `z3 -smt2` on a script and returns its first output line.
fn z3_cli(script: &str, name: &str) -> String {
    let path = std::env::temp_dir().join(format!("synth-verify-{}-{name}.smt2", std::process::id()));
    std::fs::write(&path, script).unwrap();
    let out = Command::new("z3")
        .arg("-smt2")
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the z3 command-line tool (apt-get install z3): {e}"));
    let _ = std::fs::remove_file(&path);
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout.lines().next().unwrap_or_default().trim().to_string()
}

#[test]
fn smt2_scripts_get_the_same_verdict_from_the_z3_tool() {
    let files = pair_files();
    let mut failures = Vec::new();
    for (file, f, g) in fast_pairs(&files) {
        let script = smt2_equivalence_query(f, g).unwrap();
        assert!(script.contains("(set-logic QF_BV)") && script.contains("(check-sat)"));
        let expected = match file.expect {
            Expect::Equivalent => "unsat",
            Expect::NotEquivalent => "sat",
        };
        let got = z3_cli(&script, &format!("{}-{}", f.name, g.name));
        if got != expected {
            failures.push(format!(
                "{}: {} vs {}: z3 says `{got}`, expected `{expected}`",
                file.path.display(),
                f.name,
                g.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A 1 ms budget on pairs that take Z3 seconds: the answer is `Unknown` (or, on a very fast
/// machine, the right verdict), never a wrong verdict and never a hang.
#[test]
fn timeout_gives_unknown_not_a_wrong_answer() {
    let opts = VerifyOptions::with_timeout(Duration::from_millis(1));
    let files = pair_files();
    let slow: Vec<&PairFile> = files.iter().filter(|f| f.slow.is_some()).collect();
    assert!(!slow.is_empty());
    let easy = files.iter().find(|f| f.path.ends_with("abs.ir")).unwrap();
    let (easy_f, easy_g) = easy.pairs().last().unwrap();
    for file in slow {
        for (f, g) in file.pairs() {
            match check_equivalent(f, g, &opts).unwrap() {
                Verdict::Unknown(reason) => assert!(reason.contains("timeout"), "{reason}"),
                Verdict::Equivalent => assert_eq!(file.expect, Expect::Equivalent),
                Verdict::NotEquivalent(cex) => {
                    assert_eq!(file.expect, Expect::NotEquivalent);
                    assert_ne!(ir::eval(f, &cex.inputs), ir::eval(g, &cex.inputs));
                }
            }
            // A timed-out query leaves nothing behind: the next one (default budget) is proved.
            let next = check_equivalent(easy_f, easy_g, &VerifyOptions::default()).unwrap();
            assert_eq!(next, Verdict::Equivalent);
        }
    }
}

/// Not a test: prints the time of every pair query, slow ones included, and the median per
/// widest type. Run with `cargo test --release -p synth --test verify_pairs -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_pair_query_times() {
    let mut by_width: std::collections::BTreeMap<u32, Vec<Duration>> = Default::default();
    for file in pair_files() {
        for (f, g) in file.pairs() {
            let width = f.params.iter().map(|p| p.ty.width()).chain([f.ret_ty.width()]).max().unwrap_or(0);
            let start = Instant::now();
            let verdict = check_equivalent(f, g, &VerifyOptions::default()).unwrap();
            let took = start.elapsed();
            let short = match verdict {
                Verdict::Equivalent => "equivalent",
                Verdict::NotEquivalent(_) => "not equivalent",
                Verdict::Unknown(_) => "unknown",
            };
            println!("{:>10.3} ms  i{width:<3} {:<16} {} vs {}", took.as_secs_f64() * 1e3, short, f.name, g.name);
            by_width.entry(width).or_default().push(took);
        }
    }
    for (width, mut times) in by_width {
        times.sort();
        let median = times[times.len() / 2];
        println!("i{width}: {} queries, median {:.3} ms", times.len(), median.as_secs_f64() * 1e3);
    }
}

/// Not a test: how hard each opcode is for Z3. For every opcode and width, proves `op(x, y)`
/// equal to `op(x', y)` where `x' = (x & m) | (x & ~m)`: the same function, but Z3 has to see
/// through the rewritten operand, so the query costs what the opcode's circuit costs. Run with
/// `cargo test --release -p synth --test verify_pairs measure_opcode -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure_opcode_query_times() {
    use Opcode::*;
    let ops = [
        Add, Sub, Mul, Udiv, Urem, Sdiv, Srem, And, Or, Xor, Shl, Lshr, Ashr, Rotl, Rotr, Ult, Slt, Neg, Not, Popcnt,
        Clz, Ctz,
    ];
    let opts = VerifyOptions::default();
    for ty in [Type::I8, Type::I16, Type::I32, Type::I64] {
        for op in ops {
            let ret = if op.shape() == Shape::Compare { Type::I1 } else { ty };
            let build = |rewritten: bool| {
                let mut b = FunctionBuilder::new("f", &[ty, ty, ty], ret);
                let (mut x, y, m) = (b.param(0), b.param(1), b.param(2));
                if rewritten {
                    let kept = b.binary(And, x, m);
                    let not_m = b.unary(Not, m);
                    let rest = b.binary(And, x, not_m);
                    x = b.binary(Or, kept, rest);
                }
                let r = if op.arity() == 1 { b.unary(op, x) } else { b.binary(op, x, y) };
                b.finish(r).unwrap()
            };
            let start = Instant::now();
            let verdict = check_equivalent(&build(false), &build(true), &opts).unwrap();
            let took = start.elapsed().as_secs_f64() * 1e3;
            assert!(!matches!(verdict, Verdict::NotEquivalent(_)));
            let short = if let Verdict::Unknown(reason) = verdict { reason } else { "equivalent".into() };
            println!("{ty:<4} {:<7} {took:>10.1} ms  {short}", op.name());
        }
    }
}
