//! Property tests of the Z3 encoding against the reference interpreter (the Z3 side of the
//! three-way agreement): random well-typed functions over standard and odd widths, random
//! edge-biased inputs.

use ir::testing::{DEFAULT_WIDTHS, arb_function_with_inputs};
use ir::{Function, Opcode, Shape, Type};
use proptest::prelude::*;
use synth::verify::{Verdict, VerifyOptions, check_equivalent, smt2_equivalence_query, z3_eval};

const fn ty(width: u32) -> Type {
    match Type::new(width) {
        Some(t) => t,
        None => panic!("bad width"),
    }
}

/// Odd widths, where encodings that assume a power of two (rotates, bit counts) would break.
const ODD_WIDTHS: &[Type] = &[Type::I1, ty(3), ty(4), ty(12), ty(33), Type::I64];

/// Replaces the opcode of instruction `at` (if it is binary, unary or a comparison) by another
/// opcode of the same shape: a function that is usually, but not always, different.
fn mutate(f: &Function, at: usize, pick: usize) -> Function {
    let mut g = f.clone();
    g.name = "g".into();
    if g.body.is_empty() {
        return g;
    }
    let inst = &mut g.body[at % f.body.len()];
    let shape = inst.opcode.shape();
    if matches!(shape, Shape::Binary | Shape::Unary | Shape::Compare) {
        let same: Vec<Opcode> = Opcode::ALL.iter().copied().filter(|o| o.shape() == shape).collect();
        inst.opcode = same[pick % same.len()];
    }
    g
}

/// `f` returning each of its instructions' values in turn: random functions return their last
/// value, whose live cone is often small, so this tests every instruction the generator made.
fn every_value(f: &Function) -> Vec<Function> {
    f.body
        .iter()
        .filter(|i| i.opcode != Opcode::Iconst)
        .map(|i| Function { ret: i.result, ret_ty: i.ty, ..f.clone() }.without_dead_code())
        .collect()
}

fn check_rows(f: &Function, rows: &[Vec<u64>]) -> Result<(), TestCaseError> {
    for g in every_value(f) {
        for row in rows {
            let expected = ir::eval(&g, row);
            let got = z3_eval(&g, row).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(got, expected, "inputs {:?} of\n{}", row, g);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Z3's evaluation of the encoding (numeral inputs, simplified) equals the interpreter.
    #[test]
    fn z3_evaluation_matches_interpreter((f, rows) in arb_function_with_inputs(DEFAULT_WIDTHS, 12, 4)) {
        check_rows(&f, &rows)?;
    }

    #[test]
    fn z3_evaluation_matches_interpreter_at_odd_widths((f, rows) in arb_function_with_inputs(ODD_WIDTHS, 12, 4)) {
        check_rows(&f, &rows)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// The solver's answers (bit-blasted, not only simplified) agree with the interpreter: a
    /// function and a mutant are proved equivalent only if they agree on the random rows, and a
    /// counterexample is confirmed by the interpreter inside `check_equivalent` (an
    /// `Inconsistent` error would fail the test).
    #[test]
    fn solver_agrees_with_interpreter_on_mutants(
        (f, rows) in arb_function_with_inputs(ODD_WIDTHS, 6, 8),
        at in any::<usize>(),
        pick in any::<usize>(),
    ) {
        let g = mutate(&f, at, pick);
        let verdict = check_equivalent(&f, &g, &VerifyOptions::default())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{f}\n{g}")))?;
        match verdict {
            Verdict::Equivalent => {
                for row in &rows {
                    prop_assert_eq!(ir::eval(&f, row), ir::eval(&g, row), "proved equivalent but differ on {:?}", row);
                }
            }
            Verdict::NotEquivalent(cex) => {
                prop_assert_ne!(ir::eval(&f, &cex.inputs), ir::eval(&g, &cex.inputs));
            }
            Verdict::Unknown(_) => {}
        }
    }
}

/// The lines `z3 -smt2` prints for a script (`sat`, `unsat`, `unknown`, `timeout`, errors).
fn z3_cli_lines(script: &str) -> Vec<String> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("synth-verify-prop-{}-{n}.smt2", std::process::id()));
    std::fs::write(&path, script).unwrap();
    // -T is z3's own hard time limit: a hard random query reads as `timeout`, not a hang.
    let out = std::process::Command::new("z3")
        .args(["-smt2", "-T:20"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the z3 command-line tool (apt-get install z3): {e}"));
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&out.stdout).lines().map(|l| l.trim().to_string()).collect()
}

/// `f` with its body replaced by the constant `bits`.
fn constant_like(f: &Function, bits: u64) -> Function {
    let mut g = f.clone();
    g.name = "expected".into();
    let ret =
        ir::Value(f.params.iter().map(|p| p.value.0).chain(f.body.iter().map(|i| i.result.0)).max().unwrap_or(0) + 1);
    g.body = vec![ir::Inst { result: ret, opcode: Opcode::Iconst, ty: f.ret_ty, args: vec![], imm: bits }];
    g.ret = ret;
    g
}

/// A script that pins `f`'s parameters to each row in turn (push/pop) and asserts that `f`'s
/// result differs from the interpreter's: every `check-sat` must answer `unsat`.
fn pinned_script(f: &Function, rows: &[Vec<u64>]) -> Result<String, TestCaseError> {
    let script = smt2_equivalence_query(f, &constant_like(f, 0)).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let (prefix, _) = script.split_once("(assert (not").expect("the script asserts a negated equality");
    let result = script
        .lines()
        .find_map(|l| l.strip_prefix("(assert (not (= "))
        .and_then(|l| l.split(' ').next())
        .expect("the asserted equality names f's result");
    let mut text = prefix.to_string();
    for row in rows {
        text.push_str("(push 1)\n");
        for (p, &v) in f.params.iter().zip(row) {
            text.push_str(&format!("(assert (= {} (_ bv{v} {})))\n", p.value, p.ty.width()));
        }
        let expected = ir::eval(f, row);
        let w = f.ret_ty.width();
        text.push_str(&format!("(assert (not (= {result} (_ bv{expected} {w}))))\n(check-sat)\n(pop 1)\n"));
    }
    Ok(text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The printed SMT-LIB2 script (the second backend of the encoding) means what the
    /// interpreter means, for every value of random functions at odd widths: with the
    /// parameters pinned to a row, "the result differs from the interpreter's" is `unsat` for
    /// the z3 tool. One z3 process per case (`reset` between functions).
    #[test]
    fn smt2_scripts_evaluate_like_the_interpreter((f, rows) in arb_function_with_inputs(ODD_WIDTHS, 12, 3)) {
        let values = every_value(&f);
        let mut text = String::new();
        for g in &values {
            text.push_str(&pinned_script(g, &rows)?);
            text.push_str("(reset)\n");
        }
        let answers = z3_cli_lines(&text);
        prop_assert_eq!(answers, vec!["unsat".to_string(); rows.len() * values.len()], "rows {:?}\n{}", rows, text);
    }
}
