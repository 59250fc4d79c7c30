//! Every function in `examples/ir/` runs natively and agrees with the interpreter on edge values
//! and pseudo-random inputs (a few thousand rows each), row by row and in batches.

use std::path::{Path, PathBuf};

use backend::NativeFn;
use ir::Interpreter;

fn example_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/ir");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ir"))
        .collect();
    files.sort();
    files
}

/// SplitMix64: a tiny deterministic generator, so failures reproduce.
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

/// Every combination of edge values (for up to two parameters), then random rows; values are not
/// pre-masked, so the masking of arguments is exercised too.
fn input_rows(f: &ir::Function, random_rows: usize, rng: &mut SplitMix) -> Vec<Vec<u64>> {
    let types = f.param_types();
    let edges = |t: ir::Type| {
        let w = u64::from(t.width());
        vec![0, 1, 2, t.mask(), t.signed_min(), t.signed_max(), t.signed_min() + 1, w, w - 1, u64::MAX]
    };
    let mut rows: Vec<Vec<u64>> = vec![Vec::new()];
    if types.len() <= 2 {
        for &t in &types {
            rows = rows.iter().flat_map(|r| edges(t).into_iter().map(move |e| [r.clone(), vec![e]].concat())).collect();
        }
    }
    for _ in 0..random_rows {
        // Mix full-range words with small numbers, where many functions have their edges.
        rows.push(
            types.iter().map(|_| if rng.next().is_multiple_of(4) { rng.next() % 64 } else { rng.next() }).collect(),
        );
    }
    rows
}

#[test]
fn every_example_agrees_with_the_interpreter() {
    let files = example_files();
    assert!(files.len() >= 8, "expected the bundled examples");
    let mut rng = SplitMix(0x5eed);
    let mut checked = 0;
    for path in files {
        let m = ir::parse_module(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for f in &m.functions {
            let name = format!("{}: fn {}", path.display(), f.name);
            let native = NativeFn::compile(f).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(native.param_types(), f.param_types().as_slice(), "{name}");
            assert_eq!(native.ret_type(), f.ret_ty, "{name}");
            let interp = Interpreter::new(f).unwrap();
            let rows = input_rows(f, 4096, &mut rng);
            let expected: Vec<u64> = rows.iter().map(|r| interp.eval(r)).collect();
            for (row, want) in rows.iter().zip(&expected).take(256) {
                assert_eq!(native.call(row), *want, "{name} on {row:#x?}");
            }
            let mut out = vec![0; rows.len()];
            native.call_batch(&rows.concat(), &mut out);
            for ((row, got), want) in rows.iter().zip(&out).zip(&expected) {
                assert_eq!(got, want, "{name} (batch) on {row:#x?}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} example functions");
}
