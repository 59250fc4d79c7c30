//! The native-code commands: `synth run` prints exactly what `synth eval` prints (every example
//! and a file of edge cases at odd widths, edge and random arguments, errors included), and `synth compile` writes an object file that a
//! C program links and calls with the results `synth eval` gives, or prints Cranelift IR.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn synth(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).current_dir(root()).output().unwrap()
}

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples/ir"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ir"))
        .collect();
    v.sort();
    v
}

fn load(path: &Path) -> ir::Module {
    ir::parse_module(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// SplitMix64, so the "random" arguments are the same on every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Argument texts for one call: edge values and random ones, in every notation `eval` accepts.
fn argument_rows(f: &ir::Function, rng: &mut SplitMix) -> Vec<Vec<String>> {
    let types = f.param_types();
    let mut rows = Vec::new();
    let edge = |t: ir::Type, k: usize| -> String {
        match k {
            0 => "0".into(),
            1 => "1".into(),
            2 => "-1".into(),
            3 => format!("{:#x}", t.signed_min()),
            4 => format!("{}", t.signed_max()),
            _ => format!("0b{:b}", t.mask() >> 1),
        }
    };
    for k in 0..6 {
        rows.push(types.iter().enumerate().map(|(i, &t)| edge(t, (k + i) % 6)).collect());
    }
    for k in 0..6 {
        rows.push(
            types
                .iter()
                .map(|&t| {
                    let v = t.wrap(rng.next());
                    match k % 3 {
                        0 => v.to_string(),
                        1 => format!("{v:#x}"),
                        _ => t.to_signed(v).to_string(),
                    }
                })
                .collect(),
        );
    }
    rows
}

#[test]
fn run_prints_what_eval_prints_for_every_example() {
    let mut files = examples();
    assert!(files.len() >= 8);
    let edge_cases = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_backend_run_edge_cases.ir");
    std::fs::write(&edge_cases, EDGE_CASES).unwrap();
    files.push(edge_cases);
    let mut calls = 0;
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .iter()
            .enumerate()
            .map(|(n, path)| {
                s.spawn(move || {
                    let mut rng = SplitMix(n as u64);
                    let mut calls = 0;
                    let p = path.to_str().unwrap();
                    for f in &load(path).functions {
                        for row in argument_rows(f, &mut rng) {
                            for signed in [false, true] {
                                let mut args = vec![p, "--fn", &f.name];
                                if signed {
                                    args.push("--signed");
                                }
                                args.extend(row.iter().map(String::as_str));
                                let eval = synth(&[&["eval"], &args[..]].concat());
                                let run = synth(&[&["run"], &args[..]].concat());
                                assert_eq!(eval.status.code(), Some(0), "eval {args:?}");
                                assert_eq!(
                                    run.status.code(),
                                    Some(0),
                                    "run {args:?}: {}",
                                    String::from_utf8_lossy(&run.stderr)
                                );
                                assert_eq!(run.stdout, eval.stdout, "run {args:?}");
                                assert!(run.stderr.is_empty(), "run {args:?}");
                                calls += 1;
                            }
                        }
                    }
                    calls
                })
            })
            .collect();
        for h in handles {
            calls += h.join().unwrap();
        }
    });
    assert!(calls >= 200, "only {calls} calls compared");
}

#[test]
fn run_reports_errors_like_eval() {
    let broken = root().join("tests/fail-ir/types.ir");
    let broken = broken.to_str().unwrap();
    for bad in [
        &["examples/ir/abs.ir", "1", "2"][..],
        &["examples/ir/abs.ir", "4294967296"],
        &["examples/ir/abs.ir", "-2147483649"],
        &["examples/ir/abs.ir", "seven"],
        &["examples/ir/avg.ir", "--fn", "nope", "1", "2"],
        &["examples/ir/avg.ir", "1", "2"],
        &["does/not/exist.ir", "1"],
        &[broken, "1"],
    ] {
        let eval = synth(&[&["eval"], bad].concat());
        let run = synth(&[&["run"], bad].concat());
        assert_eq!(run.status.code(), Some(2), "run {bad:?}");
        assert_eq!(run.status.code(), eval.status.code(), "run {bad:?}");
        assert!(!run.stderr.is_empty(), "run {bad:?} should explain the error");
        assert_eq!(run.stderr, eval.stderr, "run {bad:?}");
        assert!(run.stdout.is_empty());
    }
}

/// Functions at odd widths and the guarded operations (bit counts, divisions, shifts, rotates),
/// to link next to the examples: object files use the baseline CPU, whose code for these differs.
const EDGE_CASES: &str = "
fn nibble_rotl(v0: i4, v1: i4) -> i4 {
  v2 = rotl v0, v1
  ret v2
}
fn sdiv12(v0: i12, v1: i12) -> i12 {
  v2 = sdiv v0, v1
  ret v2
}
fn widen33(v0: i33) -> i63 {
  v1 = sext.i63 v0
  ret v1
}
fn less7(v0: i7, v1: i7) -> i1 {
  v2 = slt v0, v1
  ret v2
}
fn counts7(v0: i7) -> i32 {
  v1 = clz v0
  v2 = ctz v0
  v3 = popcnt v0
  v4 = zext.i32 v1
  v5 = zext.i32 v2
  v6 = zext.i32 v3
  v7 = iconst.i32 8
  v8 = shl v5, v7
  v9 = iconst.i32 16
  v10 = shl v6, v9
  v11 = or v4, v8
  v12 = or v11, v10
  ret v12
}
fn counts64(v0: i64) -> i64 {
  v1 = clz v0
  v2 = ctz v0
  v3 = popcnt v0
  v4 = iconst.i64 8
  v5 = shl v2, v4
  v6 = iconst.i64 16
  v7 = shl v3, v6
  v8 = or v1, v5
  v9 = or v8, v7
  ret v9
}
fn divisions16(v0: i16, v1: i16) -> i16 {
  v2 = srem v0, v1
  v3 = udiv v0, v1
  v4 = sdiv v0, v1
  v5 = urem v0, v1
  v6 = xor v2, v3
  v7 = add v6, v4
  v8 = mul v7, v5
  ret v8
}
fn shifts64(v0: i64, v1: i64) -> i64 {
  v2 = ashr v0, v1
  v3 = rotr v0, v1
  v4 = shl v0, v1
  v5 = lshr v0, v1
  v6 = xor v2, v3
  v7 = add v6, v4
  v8 = sub v7, v5
  ret v8
}
";

fn c_type(t: ir::Type) -> &'static str {
    match t.width() {
        0..=8 => "uint8_t",
        9..=16 => "uint16_t",
        17..=32 => "uint32_t",
        _ => "uint64_t",
    }
}

fn carrier_mask(t: ir::Type) -> u64 {
    match t.width() {
        0..=8 => 0xff,
        9..=16 => 0xffff,
        17..=32 => 0xffff_ffff,
        _ => u64::MAX,
    }
}

fn have_c_compiler() -> bool {
    Command::new("cc").arg("--version").output().is_ok_and(|o| o.status.success())
}

#[test]
fn compiled_objects_link_into_a_c_program_that_agrees_with_eval() {
    if !have_c_compiler() {
        println!("skipped: no C compiler (`cc`) found; install one (e.g. gcc) to run the object-file test");
        return;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_backend_link");
    std::fs::create_dir_all(&dir).unwrap();
    let edge_cases = dir.join("edge_cases.ir");
    std::fs::write(&edge_cases, EDGE_CASES).unwrap();
    let mut sources = examples();
    sources.push(edge_cases);

    let mut objects = Vec::new();
    let mut driver = String::from("#include <stdint.h>\n#include <stdio.h>\n\n");
    let mut body = String::new();
    // (file, function, argument bits as eval gets them) for every line the program prints.
    let mut expected_calls: Vec<(PathBuf, String, Vec<u64>)> = Vec::new();
    let mut rng = SplitMix(42);
    for (i, path) in sources.iter().enumerate() {
        let object = dir.join(format!("{i}.o"));
        let out = synth(&["compile", path.to_str().unwrap(), "-o", object.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "compile {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("wrote "));
        objects.push(object);
        for f in &load(path).functions {
            let params: Vec<&str> = f.params.iter().map(|p| c_type(p.ty)).collect();
            let params = if params.is_empty() { "void".to_string() } else { params.join(", ") };
            writeln!(driver, "{} {}({params});", c_type(f.ret_ty), f.name).unwrap();
            for k in 0..10 {
                // Edge rows (zeros, all ones, MIN, MIN / -1, shift by the width), then random rows.
                let args: Vec<u64> = f
                    .params
                    .iter()
                    .enumerate()
                    .map(|(i, p)| match (k, i) {
                        (0, _) => 0,
                        (1, _) => p.ty.mask(),
                        (2, _) | (3, 0) => p.ty.signed_min(),
                        (3, _) => p.ty.mask(),
                        (4, 0) => p.ty.signed_max(),
                        (4, _) => u64::from(p.ty.width()),
                        _ => p.ty.wrap(rng.next()),
                    })
                    .collect();
                // C passes garbage above odd widths; the function must read only the low bits.
                let c_args: Vec<String> = args
                    .iter()
                    .zip(&f.params)
                    .map(|(&a, p)| {
                        let garbage = carrier_mask(p.ty) & !p.ty.mask() & rng.next();
                        format!("({})UINT64_C({:#x})", c_type(p.ty), a | garbage)
                    })
                    .collect();
                writeln!(body, "    printf(\"%llu\\n\", (unsigned long long){}({}));", f.name, c_args.join(", "))
                    .unwrap();
                expected_calls.push((path.clone(), f.name.clone(), args));
            }
        }
    }
    write!(driver, "\nint main(void) {{\n{body}    return 0;\n}}\n").unwrap();
    let c_file = dir.join("driver.c");
    std::fs::write(&c_file, &driver).unwrap();
    let program = dir.join("driver");
    let cc =
        Command::new("cc").arg("-fno-builtin").arg("-o").arg(&program).arg(&c_file).args(&objects).output().unwrap();
    assert!(cc.status.success(), "cc failed:\n{}\n{driver}", String::from_utf8_lossy(&cc.stderr));
    let run = Command::new(&program).output().unwrap();
    assert!(run.status.success(), "the C program failed");
    let lines: Vec<String> = String::from_utf8(run.stdout).unwrap().lines().map(str::to_string).collect();
    assert_eq!(lines.len(), expected_calls.len());
    for (line, (path, name, args)) in lines.iter().zip(&expected_calls) {
        let texts: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let mut eval_args = vec!["eval", path.to_str().unwrap(), "--fn", name];
        eval_args.extend(texts.iter().map(String::as_str));
        let eval = synth(&eval_args);
        assert_eq!(eval.status.code(), Some(0), "{eval_args:?}");
        assert_eq!(String::from_utf8_lossy(&eval.stdout).trim(), line, "C call of {name}{args:x?} vs {eval_args:?}");
    }
}

#[test]
fn compile_prints_cranelift_ir() {
    let out = synth(&["compile", "examples/ir/avg.ir", "--emit", "clif"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("function %avg_floor(i32, i32) -> i32"), "{text}");
    assert!(text.contains("function %avg_ceil(i32, i32) -> i32"), "{text}");
    assert!(text.contains("ushr"), "{text}");

    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_backend_is_pow2.clif");
    let out = synth(&["compile", "examples/ir/is_pow2.ir", "--emit", "clif", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("function %is_pow2(i32) -> i8 uext"), "{written}");
}

#[test]
fn compile_rejects_bad_input_with_exit_2() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let missing_dir = tmp.join("no/such/dir/out.o");
    let broken = root().join("tests/fail-ir/syntax.ir");
    for (bad, expect) in [
        (vec!["compile", "does/not/exist.ir", "-o", "x.o"], "cannot read"),
        (vec!["compile", broken.to_str().unwrap(), "-o", "x.o"], "error:"),
        (vec!["compile", "examples/ir/avg.ir"], "-o OUT.o"),
        (vec!["compile", "examples/ir/avg.ir", "--emit", "asm", "-o", "x.o"], "asm"),
        (vec!["compile", "examples/ir/avg.ir", "-o", missing_dir.to_str().unwrap()], "cannot write"),
    ] {
        let out = synth(&bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expect), "{bad:?}: {stderr}");
    }
    assert!(!root().join("x.o").exists(), "no object may be written for bad input");
}
