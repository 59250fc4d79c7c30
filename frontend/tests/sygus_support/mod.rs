//! Shared helpers of the SyGuS tests: where the public benchmarks are, running `z3`, a small
//! deterministic random number generator, and edge-biased values.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("frontend has a parent").to_path_buf()
}

/// The public SyGuS benchmarks: `$SYNTH_SYGUS_BENCHMARKS`, or `shared/benchmarks/sygus` next to
/// the repository or next to one of its ancestors (worktrees live one level deeper).
pub fn benchmarks_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("SYNTH_SYGUS_BENCHMARKS") {
        return Some(PathBuf::from(dir)).filter(|d| d.is_dir());
    }
    repo_root().ancestors().skip(1).map(|a| a.join("shared/benchmarks/sygus")).find(|d| d.is_dir())
}

/// Every `.sl` file of the benchmarks, sorted; `None` (with the reason printed) if absent.
pub fn benchmark_files() -> Option<Vec<PathBuf>> {
    let Some(dir) = benchmarks_dir() else {
        eprintln!("skipped: ../shared/benchmarks/sygus not found (set SYNTH_SYGUS_BENCHMARKS)");
        return None;
    };
    let mut files = Vec::new();
    for sub in ["hd", "bv_general", "bv_bool", "pbe_bv"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else { continue };
        files.extend(
            entries.map(|e| e.expect("readable directory").path()).filter(|p| p.extension().is_some_and(|e| e == "sl")),
        );
    }
    files.sort();
    Some(files)
}

/// A benchmark by its path relative to the benchmarks folder.
pub fn benchmark(rel: &str) -> Option<(PathBuf, String)> {
    let path = benchmarks_dir()?.join(rel);
    let text = std::fs::read_to_string(&path).ok()?;
    Some((path, text))
}

/// A short name for a benchmark path (`hd/hd-02-d0-prog.sl`).
pub fn short(path: &Path) -> String {
    let parent =
        path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!("{parent}/{}", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default())
}

/// True if the `z3` command-line tool runs; prints the reason when not.
pub fn z3_available() -> bool {
    let ok = Command::new("z3").arg("-version").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: the z3 command-line tool is not installed");
    }
    ok
}

/// Runs `z3 -in` on a script and returns its standard output.
pub fn run_z3(script: &str) -> String {
    let mut child = Command::new("z3")
        .args(["-in", "-smt2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("z3 starts");
    child.stdin.take().expect("stdin").write_all(script.as_bytes()).expect("z3 reads the script");
    let out = child.wait_with_output().expect("z3 finishes");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// SplitMix64: a small deterministic generator.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A value of `ty`, edge values (0, 1, -1, MIN, MAX, small) half of the time.
    pub fn value(&mut self, ty: ir::Type) -> u64 {
        let edges = [0, 1, 2, 3, ty.mask(), ty.mask() - 1, ty.signed_min(), ty.signed_max(), u64::from(ty.width())];
        if self.next() & 1 == 0 { ty.wrap(edges[self.below(edges.len())]) } else { ty.wrap(self.next()) }
    }
}

/// The SMT-LIB literal of a value of `sort` (always `#b` digits, independent of the printer).
pub fn smt_literal(sort: ir::Sort, bits: u64) -> String {
    match sort {
        ir::Sort::Bool => (if bits & 1 == 1 { "true" } else { "false" }).to_string(),
        ir::Sort::BitVec(w) => format!("#b{:0width$b}", sort.ty().wrap(bits), width = w as usize),
    }
}

/// Reads a value printed by z3 (`true`, `false`, `#x..`, `#b..`).
pub fn parse_z3_value(text: &str) -> Option<u64> {
    let t = text.trim();
    match t {
        "true" => Some(1),
        "false" => Some(0),
        _ => {
            if let Some(h) = t.strip_prefix("#x") {
                u64::from_str_radix(h, 16).ok()
            } else if let Some(b) = t.strip_prefix("#b") {
                u64::from_str_radix(b, 2).ok()
            } else {
                None
            }
        }
    }
}

/// The top-level parenthesized forms of SMT-LIB text, as written (comments dropped); an
/// independent splitter so the tests do not rely on the reader under test.
pub fn top_level_forms(text: &str) -> Vec<String> {
    let mut forms = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ';' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                if depth > 0 {
                    current.push(' ');
                }
                continue;
            }
            '|' | '"' => {
                current.push(c);
                for d in chars.by_ref() {
                    current.push(d);
                    if d == c {
                        break;
                    }
                }
                continue;
            }
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > 0 || c == ')' {
            current.push(c);
        }
        if depth == 0 && c == ')' {
            forms.push(std::mem::take(&mut current));
        }
    }
    forms
}
