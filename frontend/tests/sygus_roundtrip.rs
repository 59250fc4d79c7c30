//! Printing and reading solutions back: random IR functions (every opcode, odd widths, `i1` as
//! `Bool` or `(_ BitVec 1)`) and random derivations of the benchmark grammars print to text that
//! `parse_solution` reads back as an equivalent function; z3 evaluates printed functions to the
//! same values as the interpreter, which checks the printer independently of our reader.

mod sygus_support;

use frontend::sygus::{Solution, parse_derivations, parse_solution, parse_sygus, print_solution};
use ir::testing::function_from_tape;
use ir::{Derivation, Function, Grammar, Production, Sort, Target, Type};
use proptest::prelude::*;
use sygus_support::{Rng, benchmark_files, parse_z3_value, run_z3, short, smt_literal, z3_available};

const fn ty(w: u32) -> Type {
    match Type::new(w) {
        Some(t) => t,
        None => panic!("bad width"),
    }
}

const WIDTHS: &[Type] = &[Type::I1, ty(3), ty(4), Type::I8, Type::I16, Type::I32, Type::I64];

fn sort_of(t: Type, as_bool: bool) -> Sort {
    if t.is_bool() && as_bool { Sort::Bool } else { Sort::BitVec(t.width()) }
}

/// A one-target problem with `f`'s signature; `i1` is `Bool` where the bit of `bools` says so.
fn problem_for(f: &Function, bools: u64) -> frontend::sygus::SygusFile {
    let params: Vec<String> =
        f.params.iter().enumerate().map(|(i, p)| format!("(x{i} {})", sort_of(p.ty, bools >> i & 1 == 1))).collect();
    let ret = sort_of(f.ret_ty, bools >> 63 & 1 == 1);
    let text = format!("(set-logic BV)\n(synth-fun f ({}) {ret})\n(check-synth)\n", params.join(" "));
    parse_sygus(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn same_function(a: &Function, b: &Function, rng: &mut Rng, rows: usize) -> Result<(), String> {
    for _ in 0..rows {
        let args: Vec<u64> = a.params.iter().map(|p| rng.value(p.ty)).collect();
        let (x, y) = (ir::eval(a, &args), ir::eval(b, &args));
        if x != y {
            return Err(format!("at {args:?}: {x:#x} != {y:#x}"));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn printed_functions_read_back_equivalent(
        tape in proptest::collection::vec(any::<u64>(), 1..48),
        params in 0usize..=3,
        insts in 0usize..=10,
        bools in any::<u64>(),
        seed in any::<u64>(),
    ) {
        let f = function_from_tape(&tape, WIDTHS, params, insts);
        let file = problem_for(&f, bools);
        let target = &file.problem.targets[0];
        let text = print_solution(target, &Solution::Function(f.clone()));
        let back = parse_solution(&file, &text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(back.len(), 1);
        same_function(&f, &back[0], &mut Rng(seed), 24).map_err(|e| TestCaseError::fail(format!("{f}\n{text}\n{e}")))?;
    }
}

#[test]
fn z3_evaluates_printed_functions_like_the_interpreter() {
    if !z3_available() {
        return;
    }
    let mut rng = Rng(42);
    let mut script = String::new();
    let mut expected = Vec::new();
    for k in 0..200 {
        let tape: Vec<u64> = (0..32).map(|_| rng.next()).collect();
        let f = function_from_tape(&tape, WIDTHS, 1 + k % 3, 3 + k % 8);
        let file = problem_for(&f, rng.next());
        let mut target = file.problem.targets[0].clone();
        target.name = format!("f{k}");
        script.push_str(&print_solution(&target, &Solution::Function(f.clone())));
        script.push('\n');
        for _ in 0..4 {
            let args: Vec<u64> = f.params.iter().map(|p| rng.value(p.ty)).collect();
            let lits: Vec<String> = target.params.iter().zip(&args).map(|(p, &a)| smt_literal(p.1, a)).collect();
            script.push_str(&format!("(simplify (f{k} {}))\n", lits.join(" ")));
            expected.push((format!("{f}\n(f{k} {})", lits.join(" ")), ir::eval(&f, &args)));
        }
    }
    let out = run_z3(&script);
    let answers: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(answers.len(), expected.len(), "z3 output:\n{out}");
    for ((what, ours), answer) in expected.iter().zip(answers) {
        assert_eq!(parse_z3_value(answer), Some(*ours), "{what}: z3 says {answer}");
    }
}

/// A random derivation of non-terminal `nt` at most `depth` deep.
fn random_derivation(g: &Grammar, target: &Target, nt: usize, depth: usize, rng: &mut Rng) -> Option<Derivation> {
    let n = &g.nonterminals[nt];
    if n.productions.is_empty() {
        return None;
    }
    for _ in 0..8 {
        let k = rng.below(n.productions.len());
        match &n.productions[k] {
            Production::AnyConstant => {
                return Some(Derivation::Constant { nonterminal: nt, value: rng.value(n.sort.ty()) });
            }
            Production::AnyVariable => {
                let params: Vec<usize> = (0..target.params.len()).filter(|&i| target.params[i].1 == n.sort).collect();
                if !params.is_empty() {
                    return Some(Derivation::Variable { nonterminal: nt, param: params[rng.below(params.len())] });
                }
            }
            Production::Term { children, .. } => {
                if depth == 0 && !children.is_empty() {
                    continue;
                }
                let kids: Option<Vec<Derivation>> =
                    children.iter().map(|&c| random_derivation(g, target, c, depth.saturating_sub(1), rng)).collect();
                if let Some(children) = kids {
                    return Some(Derivation::Apply { nonterminal: nt, production: k, children });
                }
            }
        }
    }
    None
}

#[test]
fn printed_derivations_read_back_equivalent() {
    let Some(files) = benchmark_files() else { return };
    let mut rng = Rng(9);
    let mut checked = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable benchmark");
        let file = parse_sygus(&text).expect("benchmark parses");
        for target in &file.problem.targets {
            let Some(g) = &target.grammar else { continue };
            for _ in 0..12 {
                let depth = 1 + rng.below(4);
                let Some(d) = random_derivation(g, target, 0, depth, &mut rng) else { continue };
                let printed = print_solution(target, &Solution::Derivation(d.clone()));
                let expected = d.to_function(target);
                let back =
                    parse_solution(&file, &printed).unwrap_or_else(|e| panic!("{}: {printed}: {e}", short(path)));
                if let Err(e) = same_function(&expected, &back[0], &mut rng, 16) {
                    panic!("{}: {printed}: {e}", short(path));
                }
                // The text derives again, to a derivation that prints the same.
                let derived =
                    parse_derivations(&file, &printed).unwrap_or_else(|e| panic!("{}: {printed}: {e}", short(path)));
                let again = print_solution(target, &Solution::Derivation(derived[0].1.clone()));
                assert_eq!(again, printed, "{}", short(path));
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} derivations checked");
}

/// Regression (found by `printed_functions_read_back_equivalent`): `popcnt` of `clz` of a 64-bit
/// value repeats its operand 64 times per level; printed without `let` the text grew past the
/// reader's limit of a million nodes. With `let` it stays small and reads back equivalent.
#[test]
fn nested_expansions_are_bound_with_let() {
    let tape = [
        12964039618299474049u64,
        10809674524568642048,
        17545385016155470670,
        14738304715118847814,
        8788060769871718934,
    ];
    let f = function_from_tape(&tape, WIDTHS, 2, 9);
    let file = problem_for(&f, 0);
    let text = print_solution(&file.problem.targets[0], &Solution::Function(f.clone()));
    assert!(text.contains("(let ("), "{text}");
    assert!(text.len() < 100_000, "{} characters", text.len());
    let back = parse_solution(&file, &text).unwrap_or_else(|e| panic!("{text}: {e}"));
    same_function(&f, &back[0], &mut Rng(7), 64).unwrap_or_else(|e| panic!("{f}\n{text}\n{e}"));
}
