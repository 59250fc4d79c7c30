//! Compiles `frontend::export`'s Rust and C output of many functions (rustc, cc) and runs it
//! against the reference interpreter: each case on every combination of the semantics table's
//! edge values for its parameters, then on its number of edge-biased random rows. Both programs
//! generate the same inputs as the checker from a shared seed (splitmix64, edge-biased like
//! `ir::testing::edge_biased`), so only results cross the pipe. A missing `rustc` or `cc` is a
//! failure: a skipped check is none.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use frontend::export;
use frontend::syn::SourceSignature;
use ir::{Function, Type};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// One function under test, with the number of random rows to run.
pub struct Case {
    /// The function.
    pub function: Function,
    /// Its source signature (parameter names and types of the emitted code).
    pub sig: SourceSignature,
    /// Random rows after the edge combinations.
    pub rows: u64,
}

/// Every function of `examples/ir` and `examples/syn`, 100,000 random rows each.
pub fn example_cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = ["examples/ir", "examples/syn"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root().join(d)).unwrap().map(|e| e.unwrap().path()))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        match path.extension().and_then(|e| e.to_str()) {
            Some("ir") => {
                for f in ir::parse_module(&text).unwrap().functions {
                    let sig = export::unsigned_signature(&f);
                    out.push(Case { function: f, sig, rows: 100_000 });
                }
            }
            Some("syn") => {
                let file = frontend::syn::parse_syn(&text).unwrap();
                for f in &file.module.functions {
                    let sig = file.signature(&f.name).unwrap().clone();
                    out.push(Case { function: f.clone(), sig, rows: 100_000 });
                }
            }
            _ => {}
        }
    }
    out
}

/// `n` random functions over every opcode and odd widths, 3,000 random rows each.
pub fn random_cases(n: usize) -> Vec<Case> {
    let widths: Vec<Type> = [1, 4, 8, 13, 16, 32, 33, 64].iter().map(|&w| Type::new(w).unwrap()).collect();
    let widths: &'static [Type] = Box::leak(widths.into_boxed_slice());
    let mut seed = 0x1234_5678u64;
    (0..n)
        .map(|i| {
            let tape: Vec<u64> = (0..40).map(|_| splitmix(&mut seed)).collect();
            let f = ir::testing::function_from_tape(&tape, widths, i % 4, 1 + i % 12);
            let sig = export::unsigned_signature(&f);
            Case { function: f, sig, rows: 3_000 }
        })
        .collect()
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The inputs of case `index`: every combination of edge values (up to 3 parameters), then
/// `rows` edge-biased random rows. The emitted programs compute the same sequence.
fn inputs(types: &[Type], index: usize, rows: u64) -> Vec<Vec<u64>> {
    let edges = |t: Type| {
        let w = u64::from(t.width());
        [0, 1, t.mask(), t.signed_min(), t.signed_max(), w, w - 1, 2].map(|v| t.wrap(v))
    };
    let combos = 8u64.pow(types.len() as u32);
    let mut out = Vec::new();
    for c in 0..combos {
        out.push(types.iter().enumerate().map(|(i, &t)| edges(t)[((c >> (3 * i)) & 7) as usize]).collect());
    }
    let mut seed = 0xc0ffee_u64 ^ (index as u64).wrapping_mul(0x100_0000_01b3);
    for _ in 0..rows {
        out.push(types.iter().map(|&t| ir::testing::edge_biased(t, splitmix(&mut seed))).collect());
    }
    out
}

/// The generator of `inputs` and a driver that prints every result, in the program's language.
fn rust_main(cases: &[Case]) -> String {
    let mut s = String::from(
        "fn splitmix(state: &mut u64) -> u64 {\n    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);\n    let mut z = *state;\n    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);\n    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);\n    z ^ (z >> 31)\n}\n\
         fn edge(w: u32, r: u64) -> u64 {\n    let m = synth_mask(w);\n    let w64 = w as u64;\n    let edges = [0, 1, m, 1u64 << (w - 1), m >> 1, w64, w64 - 1, 2];\n    let pick = (r >> 56) as usize;\n    if pick < 160 { edges[pick % 8] & m } else { r.rotate_left(7) & m }\n}\n\
         fn combo(w: u32, c: u64, i: u32) -> u64 {\n    let m = synth_mask(w);\n    let w64 = w as u64;\n    let edges = [0, 1, m, 1u64 << (w - 1), m >> 1, w64, w64 - 1, 2];\n    edges[((c >> (3 * i)) & 7) as usize] & m\n}\n\
         fn main() {\n    use std::io::Write;\n    let out = std::io::stdout();\n    let mut out = std::io::BufWriter::new(out.lock());\n",
    );
    for (index, case) in cases.iter().enumerate() {
        let types = case.function.param_types();
        let widths: Vec<String> = types.iter().map(|t| t.width().to_string()).collect();
        let k = types.len();
        let call_args: Vec<String> = case
            .sig
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let bits = format!("a[{i}]");
                if p.ty.ty.is_bool() {
                    format!("{bits} != 0")
                } else {
                    let c = container(p.ty.ty);
                    if p.ty.signed { format!("{bits} as u{c} as i{c}") } else { format!("{bits} as u{c}") }
                }
            })
            .collect();
        let result = if case.sig.ret.ty.is_bool() {
            "r as u64".to_string()
        } else if case.sig.ret.signed {
            format!("r as u{} as u64", container(case.sig.ret.ty))
        } else {
            "r as u64".to_string()
        };
        let _ = write!(
            s,
            "    {{\n        let widths: [u32; {k}] = [{}];\n        let mut seed = 0xc0ffee_u64 ^ ({index}u64).wrapping_mul(0x100_0000_01b3);\n        for n in 0..(8u64.pow({k}) + {rows}) {{\n            let mut a = [0u64; {k}];\n            for i in 0..{k} {{ a[i] = if n < 8u64.pow({k}) {{ combo(widths[i], n, i as u32) }} else {{ 0 }}; }}\n            if n >= 8u64.pow({k}) {{ for i in 0..{k} {{ a[i] = edge(widths[i], splitmix(&mut seed)); }} }}\n            let r = case_{index}({});\n            out.write_all(&({result}).to_le_bytes()).unwrap();\n        }}\n    }}\n",
            widths.join(", "),
            call_args.join(", "),
            rows = case.rows,
        );
    }
    s.push_str("}\n");
    s
}

fn c_main(cases: &[Case]) -> String {
    let mut s = String::from(
        "#include <stdio.h>\n\
         static uint64_t splitmix(uint64_t *state) {\n    *state += UINT64_C(0x9e3779b97f4a7c15);\n    uint64_t z = *state;\n    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);\n    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);\n    return z ^ (z >> 31);\n}\n\
         static uint64_t edge_value(uint32_t w, unsigned k) {\n    uint64_t m = synth_mask(w);\n    uint64_t e[8] = {0, 1, m, UINT64_C(1) << (w - 1), m >> 1, w, (uint64_t)w - 1, 2};\n    return e[k] & m;\n}\n\
         static uint64_t edge(uint32_t w, uint64_t r) {\n    unsigned pick = (unsigned)(r >> 56);\n    if (pick < 160) return edge_value(w, pick % 8);\n    return ((r << 7) | (r >> 57)) & synth_mask(w);\n}\n\
         int main(void) {\n",
    );
    for (index, case) in cases.iter().enumerate() {
        let types = case.function.param_types();
        let k = types.len().max(1);
        let n_params = types.len();
        let widths: Vec<String> = types.iter().map(|t| t.width().to_string()).collect();
        let widths = if widths.is_empty() { "0".to_string() } else { widths.join(", ") };
        let call_args: Vec<String> = case
            .function
            .params
            .iter()
            .enumerate()
            .map(
                |(i, p)| {
                    if p.ty.is_bool() { format!("a[{i}] != 0") } else { format!("(uint{}_t)a[{i}]", container(p.ty)) }
                },
            )
            .collect();
        let combos = 8u64.pow(n_params as u32);
        let _ = write!(
            s,
            "    {{\n        uint32_t widths[{k}] = {{{widths}}};\n        uint64_t seed = UINT64_C(0xc0ffee) ^ ((uint64_t){index} * UINT64_C(0x100000001b3));\n        for (uint64_t n = 0; n < UINT64_C({combos}) + UINT64_C({rows}); n++) {{\n            uint64_t a[{k}] = {{0}};\n            for (int i = 0; i < {n_params}; i++) a[i] = n < UINT64_C({combos}) ? edge_value(widths[i], (unsigned)((n >> (3 * i)) & 7)) : edge(widths[i], splitmix(&seed));\n            (void)a;\n            uint64_t r = (uint64_t)case_{index}({});\n            fwrite(&r, 8, 1, stdout);\n        }}\n        (void)widths;\n    }}\n",
            call_args.join(", "),
            rows = case.rows,
        );
    }
    s.push_str("    return 0;\n}\n");
    s
}

fn container(ty: Type) -> u32 {
    match ty.width() {
        1..=8 => 8,
        9..=16 => 16,
        17..=32 => 32,
        _ => 64,
    }
}

fn renamed(case: &Case, index: usize) -> SourceSignature {
    SourceSignature { name: format!("case_{index}"), ..case.sig.clone() }
}

/// Compiles and runs a program; returns its stdout.
fn build_and_run(dir: &Path, source: &str, lang: &str) -> Vec<u8> {
    let (file, compile): (PathBuf, Vec<String>) = match lang {
        "rust" => (
            dir.join("main.rs"),
            vec!["rustc".into(), "-C".into(), "opt-level=1".into(), "--edition".into(), "2021".into()],
        ),
        _ => (
            dir.join("main.c"),
            vec!["cc".into(), "-std=c99".into(), "-O1".into(), "-Wall".into(), "-Wextra".into(), "-pedantic".into()],
        ),
    };
    std::fs::write(&file, source).unwrap();
    let exe = dir.join(format!("prog-{lang}"));
    let out = Command::new(&compile[0])
        .args(&compile[1..])
        .arg(&file)
        .arg("-o")
        .arg(&exe)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e} (the test needs it)", compile[0]));
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{} failed:\n{warnings}", compile[0]);
    assert!(warnings.trim().is_empty(), "{} warns about emitted code:\n{warnings}", compile[0]);
    let run = Command::new(&exe).stdout(Stdio::piped()).output().unwrap();
    assert!(run.status.success());
    run.stdout
}

fn check(cases: &[Case], output: &[u8], lang: &str) {
    let mut words = output.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap()));
    for (index, case) in cases.iter().enumerate() {
        let interp = ir::Interpreter::new(&case.function).unwrap();
        let mut slots = Vec::new();
        for args in inputs(&case.function.param_types(), index, case.rows) {
            let expected = interp.eval_into(&args, &mut slots);
            let got = words.next().unwrap_or_else(|| panic!("{lang}: output ends early"));
            assert_eq!(
                got,
                expected,
                "{lang}: case {index} on {args:?}\n{}\n{}",
                case.function,
                if lang == "rust" {
                    export::rust_function(&case.function, &renamed(case, index))
                } else {
                    export::c_function(&case.function, &renamed(case, index))
                }
            );
        }
    }
    assert!(words.next().is_none(), "{lang}: output too long");
}

/// Emits every case as Rust and as C, compiles both, runs them and compares every result with
/// the interpreter (panicking on any difference, compiler error or warning).
pub fn check_exports(cases: &[Case]) {
    let dir = std::env::temp_dir().join(format!(
        "synth-export-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let mut rust = export::rust_prelude();
    let mut c = export::c_prelude();
    for (i, case) in cases.iter().enumerate() {
        rust.push_str(&export::rust_function(&case.function, &renamed(case, i)));
        c.push_str(&export::c_function(&case.function, &renamed(case, i)));
    }
    rust.push_str(&rust_main(cases));
    c.push_str(&c_main(cases));
    let _ = std::io::stderr().flush();
    let rust_out = build_and_run(&dir, &rust, "rust");
    check(cases, &rust_out, "rust");
    let c_out = build_and_run(&dir, &c, "c");
    check(cases, &c_out, "c");
    std::fs::remove_dir_all(&dir).unwrap();
}
