//! Enumerator throughput: candidates per second on a fixed task, one thread vs all cores.
//!
//! The task is Hacker's Delight P14 (floor of the average) at 32 bits with the SyGuS "d1"
//! operations, stopped at size 3 (before the answer, which has size 4) so every run enumerates
//! the same 1M+ terms. Run with `cargo bench -p synth`.

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ir::{CostModel, Opcode, Problem, Spec};
use synth::search::{Oracle, OracleAnswer, Outcome, SearchConfig, synthesize};

/// Never called: the size budget stops the search before any candidate passes the tests.
struct Unreachable;

impl Oracle for Unreachable {
    fn check(&mut self, _: &Problem, _: &ir::Function, _: Duration) -> OracleAnswer {
        OracleAnswer::Unknown("benchmark oracle".into())
    }
}

fn problem() -> Problem {
    let reference = ir::parse_function(
        "fn avg(v0: i32, v1: i32) -> i32 {\n  v2 = and v0, v1\n  v3 = xor v0, v1\n  v4 = iconst.i32 1\n  v5 = lshr v3, v4\n  v6 = add v2, v5\n  ret v6\n}\n",
    )
    .expect("valid IR");
    Problem::from_spec(&Spec::equivalent_to(&reference, CostModel::Size, ir::Semantics::Total))
}

fn config(threads: usize) -> SearchConfig {
    use Opcode::*;
    SearchConfig {
        threads,
        max_size: Some(3),
        allowed_ops: Some(vec![Add, Sub, Not, Neg, And, Or, Xor, Lshr, Ashr, Iconst]),
        timeout: Duration::from_secs(600),
        ..SearchConfig::default()
    }
}

fn bench(c: &mut Criterion) {
    let problem = problem();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let probe = synthesize(&problem, &config(1), &mut Unreachable, &mut |_| {}).expect("search runs");
    assert!(matches!(probe.outcome, Outcome::NoSolution(_)));
    let mut group = c.benchmark_group("enumerate_p14_to_size_3");
    group.sample_size(10);
    group.throughput(Throughput::Elements(probe.candidates));
    for threads in [1, cores] {
        group.bench_function(format!("{threads}_threads"), |b| {
            b.iter(|| synthesize(&problem, &config(threads), &mut Unreachable, &mut |_| {}).expect("search runs"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
