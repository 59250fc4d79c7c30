//! Unit tests of the optimization pipeline (the examples and random functions are in
//! synth/tests/optimize.rs).

use super::*;

fn parse(text: &str) -> Function {
    ir::parse_function(text).unwrap()
}

fn quick() -> OptimizeOptions {
    OptimizeOptions { timeout: Duration::from_secs(20), native_checks: 2000, threads: 2, ..OptimizeOptions::default() }
}

#[test]
fn a_cheaper_version_is_proved_and_equivalent() {
    // (x + x) * 4 - x * 8 + (y ^ y) is 0.
    let f = parse(
        "fn f(v0: i32, v1: i32) -> i32 {\n  v2 = add v0, v0\n  v3 = iconst.i32 4\n  v4 = mul v2, v3\n  v5 = iconst.i32 8\n  v6 = mul v0, v5\n  v7 = sub v4, v6\n  v8 = xor v1, v1\n  v9 = add v7, v8\n  ret v9\n}\n",
    );
    let r = optimize(&f, &quick()).unwrap();
    assert_eq!(r.proof, Proof::Verified);
    assert_eq!((r.cost_before, r.cost_after), (6, 0), "{}", r.function);
    assert!(!r.steps.is_empty() && r.native_checks > 0);
    for (x, y) in [(0u64, 0u64), (5, 7), (0xffff_ffff, 3)] {
        assert_eq!(ir::eval(&r.function, &[x, y]), 0);
    }
}

#[test]
fn an_optimal_input_comes_back_unchanged() {
    let f = parse("fn f(v0: i32, v1: i32) -> i32 {\n  v2 = add v0, v1\n  ret v2\n}\n");
    let r = optimize(&f, &quick()).unwrap();
    assert_eq!(r.function, f);
    assert_eq!((r.cost_before, r.cost_after, r.proof), (1, 1, Proof::Verified));
    assert!(r.steps.is_empty());
}

#[test]
fn the_enumerator_alone_improves_a_window() {
    // x - (x & y) is x & !y: two instructions either way; (x ^ y) ^ y in a larger function is x.
    let f =
        parse("fn f(v0: i8, v1: i8) -> i8 {\n  v2 = xor v0, v1\n  v3 = xor v2, v1\n  v4 = add v3, v1\n  ret v4\n}\n");
    let opts = OptimizeOptions { egraph: false, ..quick() };
    let r = optimize(&f, &opts).unwrap();
    assert_eq!(r.proof, Proof::Verified);
    assert!(r.cost_after <= 1, "{}", r.function);
    assert!(r.steps.iter().all(|s| s.engine == Engine::Enumerator));
}

#[test]
fn defined_semantics_never_introduces_a_guarded_case() {
    // Under `total`, x >> 31 may become x >> x elsewhere; under `defined` the result must not
    // shift by 32 or more where the input does not.
    let f = parse(
        "fn f(v0: i32) -> i32 {\n  v1 = iconst.i32 31\n  v2 = ashr v0, v1\n  v3 = xor v0, v2\n  v4 = sub v3, v2\n  v5 = add v4, v4\n  v6 = sub v5, v4\n  ret v6\n}\n",
    );
    let opts = OptimizeOptions { semantics: Semantics::Defined, ..quick() };
    let r = optimize(&f, &opts).unwrap();
    assert_eq!(r.proof, Proof::Verified);
    for x in [0u64, 1, 31, 32, 33, 100, 0x8000_0000, 0xffff_ffff] {
        assert!(ir::guards::cases_hit(&r.function, &[x], ir::guards::Evaluation::Eager).is_empty(), "{}", r.function);
    }
}
