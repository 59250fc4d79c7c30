//! Evaluations per second on a batch of 1,024 inputs, reference interpreter vs the JIT batch path,
//! and the time to JIT-compile one function.
//!
//! Run with `cargo bench -p backend`; criterion reports each group's time and throughput
//! (elements = evaluations). The ratio of the `interpreter` and `jit_batch` times for one function
//! is the JIT's speed-up.

use std::hint::black_box;
use std::path::Path;

use backend::NativeFn;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ir::Interpreter;

const BATCH: usize = 1024;

/// (file in examples/ir, function): small to medium examples, 1 or 2 parameters.
const FUNCTIONS: &[(&str, &str)] = &[
    ("avg.ir", "avg_floor"),
    ("mulhi.ir", "mulhi_u32"),
    ("popcount.ir", "popcount_swar"),
    ("round_up_pow2.ir", "round_up_pow2"),
];

/// A function at odd widths with guarded operations (division, shifts, rotates, bit counts).
const ODD: &str = "
fn mixed12(v0: i12, v1: i12) -> i12 {
  v2 = sdiv v0, v1
  v3 = rotl v2, v1
  v4 = ashr v3, v0
  v5 = clz v4
  v6 = urem v5, v1
  v7 = add v6, v3
  ret v7
}";

fn functions() -> Vec<ir::Function> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/ir");
    let mut fs: Vec<ir::Function> = FUNCTIONS
        .iter()
        .map(|(file, name)| {
            let text = std::fs::read_to_string(dir.join(file)).expect("example file");
            ir::parse_module(&text).expect("example parses")[*name].clone()
        })
        .collect();
    fs.push(ir::parse_module(ODD).expect("valid IR")["mixed12"].clone());
    fs
}

/// `BATCH` rows of pseudo-random arguments (xorshift), row-major.
fn rows(params: usize) -> Vec<u64> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    (0..BATCH * params)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        })
        .collect()
}

fn evaluation(c: &mut Criterion) {
    let mut group = c.benchmark_group("eval_1024");
    group.throughput(Throughput::Elements(BATCH as u64));
    for f in functions() {
        let n = f.params.len();
        let input = rows(n);
        let interp = Interpreter::new(&f).expect("verifies");
        let native = NativeFn::compile(&f).expect("compiles");
        let mut out = vec![0u64; BATCH];
        let mut slots = Vec::new();
        group.bench_function(BenchmarkId::new("interpreter", &f.name), |b| {
            b.iter(|| {
                for (row, o) in input.chunks_exact(n).zip(out.iter_mut()) {
                    *o = interp.eval_into(black_box(row), &mut slots);
                }
                black_box(&out);
            })
        });
        group.bench_function(BenchmarkId::new("jit_batch", &f.name), |b| {
            b.iter(|| {
                native.call_batch(black_box(&input), &mut out);
                black_box(&out);
            })
        });
    }
    group.finish();
}

fn compilation(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    for f in functions() {
        group.bench_function(BenchmarkId::new("jit", &f.name), |b| {
            b.iter(|| NativeFn::compile(black_box(&f)).expect("compiles"))
        });
    }
    group.finish();
}

criterion_group!(benches, evaluation, compilation);
criterion_main!(benches);
