//! No input makes the SyGuS reader, solution reader or check-script writer panic: benchmark
//! texts (or a built-in sample when the benchmarks are absent) are mutated at random, by
//! deleting, duplicating and inserting text and tokens, and every result either reads into a
//! problem that passes `Problem::check` or is a located error.

mod sygus_support;
#[path = "../../tests/fuzz/sygus_tokens.rs"]
mod sygus_tokens;

use frontend::sygus::{check_script, parse_derivations, parse_solution, parse_sygus};
use proptest::prelude::*;
use sygus_support::benchmark;
use sygus_tokens::SYGUS_TOKENS as TOKENS;

const SAMPLE: &str = "(set-logic BV)
(define-fun g ((a (_ BitVec 8)) (b (_ BitVec 8))) (_ BitVec 8) (let ((c (bvadd a b))) (bvxor c ((_ rotate_left 3) a))))
(synth-fun f ((x (_ BitVec 8)) (y Bool)) (_ BitVec 8)
    ((Start (_ BitVec 8)) (B Bool))
    ((Start (_ BitVec 8) (x #x01 (Constant (_ BitVec 8)) (g Start Start) (ite B Start Start) ((_ extract 7 0) Start)))
     (B Bool (y (bvult Start Start) (not B) (Variable Bool)))))
(declare-var x (_ BitVec 8))
(declare-var y Bool)
(constraint (=> y (= (f x y) (g x ((_ zero_extend 4) ((_ extract 3 0) x))))))
(check-synth)
";

const SOURCES: &[&str] = &[
    "hd/hd-14-d1-prog.sl",
    "bv_general/ic_bvsle_bvadd.sl",
    "bv_general/find_inv_bvsge_bvlshr1_4bit.sl",
    "bv_general/btr-am-base-index-solution-0.sl",
    "bv_general/cegist-rank-loop1-mod.sl",
    "bv_bool/parity-NAND-d0.sl",
    "bv_bool/p20.eqn_sygus_iter_50_1.sl",
    "pbe_bv/PRE_106_10.sl",
];

fn texts() -> Vec<String> {
    let mut out: Vec<String> = SOURCES.iter().filter_map(|s| benchmark(s).map(|b| b.1)).collect();
    out.push(SAMPLE.to_string());
    out
}

/// Applies one mutation `(kind, position, argument)` to `text`.
fn mutate(text: &mut String, kind: u8, pos: usize, arg: usize) {
    let boundary = |t: &str, p: usize| {
        let mut p = p % (t.len() + 1);
        while !t.is_char_boundary(p) {
            p -= 1;
        }
        p
    };
    let at = boundary(text, pos);
    match kind % 4 {
        0 => {
            let end = boundary(text, at + arg % 24).max(at);
            text.replace_range(at..end, "");
        }
        1 => {
            let end = boundary(text, at + arg % 40).max(at);
            let piece = text[at..end].to_string();
            text.insert_str(at, &piece);
        }
        2 => text.insert_str(at, TOKENS[arg % TOKENS.len()]),
        _ => {
            let end = boundary(text, at + arg % 8).max(at);
            text.replace_range(at..end, TOKENS[(arg / 7) % TOKENS.len()]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn mutated_inputs_never_panic(
        source in any::<usize>(),
        mutations in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..6),
    ) {
        let sources = texts();
        let original = &sources[source % sources.len()];
        let mut text = original.clone();
        for &(kind, pos, arg) in &mutations {
            mutate(&mut text, kind, pos, arg);
        }
        match parse_sygus(&text) {
            Ok(file) => {
                prop_assert_eq!(file.problem.check(), Ok(()));
                // The original file's solutions text, mutated, read as a solution of this one.
                let _ = parse_solution(&file, &text);
                let _ = parse_derivations(&file, &text);
            }
            Err(e) => prop_assert!(e.location().is_some(), "an error without a location: {}", e),
        }
        let _ = check_script(original, &text);
        let _ = check_script(&text, original);
    }
}

#[test]
fn the_deepest_accepted_nesting_does_not_overflow_the_stack() {
    let depth = 990;
    let term = format!("{}x{}", "(bvnot ".repeat(depth), ")".repeat(depth));
    let text = format!(
        "(set-logic BV)\n(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))\n(declare-var x (_ BitVec 8))\n\
         (constraint (= (f x) {term}))\n(check-synth)\n"
    );
    let file = parse_sygus(&text).expect("deep but within the limit");
    // 990 nots are the identity.
    let c = &file.problem.constraints[0];
    assert_eq!(c.eval(&file.problem, &[5], &mut |_, a| a[0]), 1);
    let solution = format!("(define-fun f ((x (_ BitVec 8))) (_ BitVec 8) {term})");
    assert_eq!(parse_solution(&file, &solution).expect("deep solution").len(), 1);
    let too_deep = format!("{}x{}", "(bvnot ".repeat(1200), ")".repeat(1200));
    assert!(parse_sygus(&text.replace(&term, &too_deep)).is_err());
}

#[test]
fn chains_of_definitions_inline_in_linear_time() {
    // Each definition uses the previous one twice: naive inlining would take 2^60 steps.
    let mut text = String::from("(set-logic BV)\n(define-fun d0 ((x (_ BitVec 8))) (_ BitVec 8) (bvadd x #x01))\n");
    for i in 1..60 {
        text.push_str(&format!(
            "(define-fun d{i} ((x (_ BitVec 8))) (_ BitVec 8) (bvxor (d{p} x) (bvnot (d{p} x))))\n",
            p = i - 1
        ));
    }
    text.push_str(
        "(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))\n(declare-var x (_ BitVec 8))\n\
         (constraint (= (f x) (d59 x)))\n(check-synth)\n",
    );
    let file = parse_sygus(&text).expect("reads");
    assert!(file.problem.constraints[0].nodes.len() < 1_000);
    // Composing a definition with itself doubles the term at each level: refused, not hung.
    let mut text = String::from("(set-logic BV)\n(define-fun d0 ((x (_ BitVec 8))) (_ BitVec 8) (bvadd x #x01))\n");
    for i in 1..60 {
        text.push_str(&format!(
            "(define-fun d{i} ((x (_ BitVec 8))) (_ BitVec 8) (bvxor (d{p} x) (d{p} (d{p} x))))\n",
            p = i - 1
        ));
    }
    text.push_str(
        "(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))\n(declare-var x (_ BitVec 8))\n\
         (constraint (= (f x) (d59 x)))\n(check-synth)\n",
    );
    let err = parse_sygus(&text).unwrap_err();
    // The term's own limit or the file's, whichever comes first.
    let message = err.to_string();
    assert!(
        message.starts_with("unsupported: a term larger than")
            || message.starts_with("unsupported: a file larger than"),
        "{err}"
    );
}

#[test]
fn chains_of_deep_definitions_do_not_overflow_a_small_stack() {
    // 20 definitions, each nested 990 deep and calling the previous one: inlined, one term
    // 20,000 deep. Read on a 2 MiB stack (a test thread's default).
    let mut text = String::from("(set-logic BV)\n(define-fun f0 ((x (_ BitVec 32))) (_ BitVec 32) x)\n");
    for i in 1..=20 {
        text.push_str(&format!(
            "(define-fun f{i} ((x (_ BitVec 32))) (_ BitVec 32) {}(f{} x){})\n",
            "(bvnot ".repeat(988),
            i - 1,
            ")".repeat(988)
        ));
    }
    text.push_str(
        "(synth-fun g ((x (_ BitVec 32))) (_ BitVec 32))\n(declare-var x (_ BitVec 32))\n\
         (constraint (= (g x) (f20 x)))\n(check-synth)\n",
    );
    let reader = std::thread::Builder::new().stack_size(2 << 20).spawn(move || {
        let file = parse_sygus(&text).expect("reads");
        let c = &file.problem.constraints[0];
        // An even number of nots: f20 is the identity.
        assert_eq!(c.eval(&file.problem, &[7], &mut |_, a| a[0]), 1);
        assert!(c.nodes.len() > 19_000);
        let f = file.definition_function(20).expect("no synth-fun or variable in it");
        assert_eq!(ir::eval(&f, &[7]), 7);
    });
    reader.expect("spawns").join().expect("no stack overflow");
}
