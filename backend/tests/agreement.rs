//! Property test: native code agrees with the reference interpreter on random well-typed
//! functions (every opcode) and edge-biased inputs, at the standard widths and at odd ones.
//!
//! Each case checks `NativeFn::call` row by row, `NativeFn::call_batch` on all rows (also with
//! garbage above each argument's width, which both sides must ignore), and the batch loop through
//! the exported C-ABI function that object files contain, built for the baseline CPU as they are. `PROPTEST_CASES` sets the number of cases
//! per width set (default 512); failures are minimized and saved under `proptest-regressions/`.

use backend::{BatchBody, CompileOptions, CpuFeatures, NativeFn};
use ir::testing::{DEFAULT_WIDTHS, arb_function_with_inputs};
use ir::{Interpreter, Type};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

const fn ty(width: u32) -> Type {
    match Type::new(width) {
        Some(t) => t,
        None => panic!("width out of range"),
    }
}

/// Odd widths in every carrier (narrow i8, i16, i64) next to full ones, so casts cross carriers.
const ODD_WIDTHS: &[Type] = &[ty(1), ty(3), ty(4), ty(7), ty(8), ty(12), ty(33), ty(63), ty(64)];

const MAX_INSTS: usize = 24;
const ROWS: usize = 24;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512);
    ProptestConfig { cases, ..ProptestConfig::default() }
}

/// Sets bits above each argument's width, from a fixed pattern.
fn with_garbage(row: &[u64], types: &[Type], salt: usize) -> Vec<u64> {
    row.iter()
        .zip(types)
        .enumerate()
        .map(|(i, (&v, t))| v | (!t.mask() & 0xa5c3_5a3c_f00f_9669u64.rotate_left((salt * 7 + i * 13) as u32)))
        .collect()
}

fn check_agreement(f: &ir::Function, rows: &[Vec<u64>]) -> Result<(), TestCaseError> {
    let interp = Interpreter::new(f).expect("generated functions verify");
    let native = NativeFn::compile(f).map_err(|e| TestCaseError::fail(format!("compile failed: {e}\n{f}")))?;
    let types = f.param_types();
    let expected: Vec<u64> = rows.iter().map(|r| interp.eval(r)).collect();

    for (row, &want) in rows.iter().zip(&expected) {
        prop_assert_eq!(native.call(row), want, "call{:x?} of\n{}", row, f);
    }

    let flat: Vec<u64> = rows.concat();
    let mut out = vec![0u64; rows.len()];
    native.call_batch(&flat, &mut out);
    prop_assert_eq!(&out, &expected, "call_batch of\n{}", f);

    let noisy: Vec<Vec<u64>> = rows.iter().enumerate().map(|(i, r)| with_garbage(r, &types, i)).collect();
    let noisy_expected: Vec<u64> = noisy.iter().map(|r| interp.eval(r)).collect();
    prop_assert_eq!(&noisy_expected, &expected, "the interpreter must mask its arguments");
    native.call_batch(&noisy.concat(), &mut out);
    prop_assert_eq!(&out, &expected, "call_batch with high garbage bits of\n{}", f);

    let as_in_objects = CompileOptions { body: BatchBody::CallExported, cpu: CpuFeatures::Baseline };
    let exported = NativeFn::compile_with(f, as_in_objects)
        .map_err(|e| TestCaseError::fail(format!("compile (exported) failed: {e}\n{f}")))?;
    exported.call_batch(&noisy.concat(), &mut out);
    prop_assert_eq!(&out, &expected, "exported C-ABI function (baseline CPU) of\n{}", f);
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn native_agrees_with_interpreter_at_standard_widths(
        (f, rows) in arb_function_with_inputs(DEFAULT_WIDTHS, MAX_INSTS, ROWS)
    ) {
        check_agreement(&f, &rows)?;
    }

    #[test]
    fn native_agrees_with_interpreter_at_odd_widths(
        (f, rows) in arb_function_with_inputs(ODD_WIDTHS, MAX_INSTS, ROWS)
    ) {
        check_agreement(&f, &rows)?;
    }
}
