//! The independent re-check (`support/recheck.rs`) can fail, and its SMT-LIB encoding
//! (`support/smtlib.rs`) means what `docs/semantics.md` says:
//! - every opcode at widths 1, 2, 3, 4, 8, 12, 32, 33, 63, 64 on all pairs of edge values, and
//!   every cast between those widths, gives the value `ir::semantics` gives (one `z3` process);
//! - every value of random functions (every opcode, standard and odd widths) encodes to the
//!   interpreter's value on edge-biased inputs (one `z3` process);
//! - wrong answers are refuted, also ones that differ from a right answer on a single 32-bit
//!   input (only z3 can find that), while right answers pass, one of them right only under its
//!   precondition;
//! - a z3 answer other than `unsat` (`sat`, `unknown`, an error) fails the re-check.

mod support;

use ir::{Function, Opcode, Shape, Type};
use support::recheck::{
    Claim, EXHAUSTIVE_BITS, RANDOM_ROWS, SplitMix, edge_biased, edge_values, input_rows, prove_all, run_z3,
    try_recheck_all,
};
use support::smtlib::{Script, and, call, lit};

const fn ty(width: u32) -> Type {
    match Type::new(width) {
        Some(t) => t,
        None => panic!("bad width"),
    }
}

/// The widths of the table test: the standard ones and odd ones around each carrier.
const WIDTHS: [Type; 10] = [Type::I1, ty(2), ty(3), ty(4), Type::I8, ty(12), Type::I32, ty(33), ty(63), Type::I64];

/// One group of cases checked by one `check-sat`: its name, the terms and the expected values.
struct Group {
    name: String,
    cases: Vec<(String, String, String)>,
}

impl Group {
    fn new(name: String) -> Self {
        Group { name, cases: Vec::new() }
    }

    /// Adds `op(args) == expected`, where `expected` comes from `ir::semantics`.
    fn case(&mut self, s: &mut Script, op: Opcode, ty: Type, operand_ty: Type, args: &[(Type, u64)]) {
        let bits: Vec<u64> = args.iter().map(|a| a.1).collect();
        let expected = ir::semantics::apply(op, ty, operand_ty, &bits);
        let terms: Vec<String> = args.iter().map(|&(t, v)| lit(t, v)).collect();
        let term = s.apply(op, ty, operand_ty, &terms);
        self.cases.push((format!("{op} {bits:#x?} at {operand_ty} -> {ty}"), term, lit(ty, expected)));
    }
}

/// Every opcode (but `iconst`) on edge values, grouped by opcode and types.
fn table_groups(s: &mut Script) -> Vec<Group> {
    let mut groups = Vec::new();
    for t in WIDTHS {
        let edges = edge_values(t);
        for &op in Opcode::ALL {
            let mut g = Group::new(format!("{op} at {t}"));
            match op.shape() {
                Shape::Const | Shape::Cast => continue,
                Shape::Unary => {
                    for &a in &edges {
                        g.case(s, op, t, t, &[(t, a)]);
                    }
                }
                Shape::Binary | Shape::Compare => {
                    let result = if op.shape() == Shape::Compare { Type::I1 } else { t };
                    for &a in &edges {
                        for &b in &edges {
                            g.case(s, op, result, t, &[(t, a), (t, b)]);
                        }
                    }
                }
                Shape::Select => {
                    for c in [0, 1] {
                        for &a in &edges {
                            for &b in &edges {
                                g.case(s, op, t, t, &[(Type::I1, c), (t, a), (t, b)]);
                            }
                        }
                    }
                }
            }
            groups.push(g);
        }
        for to in WIDTHS {
            let ops: &[Opcode] = match to.width().cmp(&t.width()) {
                std::cmp::Ordering::Greater => &[Opcode::Zext, Opcode::Sext],
                std::cmp::Ordering::Less => &[Opcode::Trunc],
                std::cmp::Ordering::Equal => &[],
            };
            for &op in ops {
                let mut g = Group::new(format!("{op} from {t} to {to}"));
                for &a in &edges {
                    g.case(s, op, to, t, &[(t, a)]);
                }
                groups.push(g);
            }
        }
    }
    groups
}

/// Runs every group as `(assert (not (and cases...)))` in one `z3` process; on failure, shows
/// z3's values of the failing group's terms next to the expected ones.
fn check_groups(mut s: Script, groups: &[Group]) {
    for g in groups {
        let claims: Vec<String> = g.cases.iter().map(|(_, term, expected)| format!("(= {term} {expected})")).collect();
        s.line(&format!("; {}", g.name));
        s.line(&format!("(push 1)\n(assert (not {}))\n(check-sat)\n(pop 1)", and(&claims)));
    }
    let script = s.finish();
    let output = run_z3(&script).unwrap();
    let answers: Vec<&str> = output.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    assert_eq!(answers.len(), groups.len(), "z3 output:\n{output}");
    let helpers: String = script.lines().filter(|l| l.starts_with("(define-fun ir.")).collect::<Vec<_>>().join("\n");
    for (g, answer) in groups.iter().zip(&answers) {
        if *answer == "unsat" {
            continue;
        }
        let terms: Vec<&str> = g.cases.iter().map(|c| c.1.as_str()).collect();
        let values = run_z3(&format!("{helpers}\n(check-sat)\n(get-value ({}))\n", terms.join(" "))).unwrap();
        let expected: Vec<String> = g.cases.iter().map(|(what, _, e)| format!("{what}: expected {e}")).collect();
        panic!(
            "the SMT-LIB encoding of {} disagrees with ir::semantics (z3: {answer})\n--- expected ---\n{}\n--- z3's \
             values ---\n{values}\n--- helpers ---\n{helpers}",
            g.name,
            expected.join("\n")
        );
    }
}

#[test]
fn encoding_matches_the_semantics_table_on_edge_values() {
    let mut s = Script::new();
    let groups = table_groups(&mut s);
    let ops: std::collections::HashSet<String> =
        groups.iter().map(|g| g.name.split(' ').next().unwrap().to_string()).collect();
    assert_eq!(ops.len(), Opcode::ALL.len() - 1, "every opcode but iconst has a group");
    check_groups(s, &groups);
}

/// `f` returning each of its instruction values in turn (dead code included).
fn every_value(f: &Function) -> Vec<Function> {
    (0..f.body.len())
        .map(|k| {
            let mut g = f.clone();
            g.body.truncate(k + 1);
            g.ret = g.body[k].result;
            g.ret_ty = g.body[k].ty;
            g
        })
        .collect()
}

#[test]
fn encoding_matches_the_interpreter_on_random_functions() {
    const ODD: &[Type] = &[Type::I1, ty(3), ty(4), ty(12), ty(33), Type::I64];
    let mut rng = SplitMix(7);
    let mut s = Script::new();
    let mut checks = 0;
    for i in 0..120 {
        let tape: Vec<u64> = (0..48).map(|_| rng.next()).collect();
        let widths = if i % 2 == 0 { ir::testing::DEFAULT_WIDTHS } else { ODD };
        let f = ir::testing::function_from_tape(&tape, widths, i % 4, 1 + i % 14);
        let rows: Vec<Vec<u64>> =
            (0..3).map(|_| f.param_types().iter().map(|&t| edge_biased(t, &mut rng)).collect()).collect();
        for (k, g) in every_value(&f).iter().enumerate() {
            let symbol = format!("f{i}.{k}");
            s.define_function(&symbol, g);
            let claims: Vec<String> = rows
                .iter()
                .map(|row| {
                    let args: Vec<String> = row.iter().zip(&g.params).map(|(&v, p)| lit(p.ty, v)).collect();
                    format!("(= {} {})", call(&symbol, &args), lit(g.ret_ty, ir::eval(g, row)))
                })
                .collect();
            s.line(&format!("(push 1)\n(assert (not {}))\n(check-sat)\n(pop 1)", and(&claims)));
            checks += 1;
        }
    }
    let script = s.finish();
    let output = run_z3(&script).unwrap();
    let answers: Vec<&str> = output.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    assert!(checks > 400, "{checks} checks");
    if answers != vec!["unsat"; checks] {
        let first = answers.iter().position(|a| *a != "unsat").unwrap_or(answers.len());
        panic!("check {first} of {checks} fails: z3 says {:?}\n--- script ---\n{script}", answers.get(first));
    }
}

fn parse(text: &str) -> Function {
    ir::parse_function(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn load_small() -> frontend::syn::SynFile {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let text = std::fs::read_to_string(root.join("tests/solve/small.syn")).unwrap();
    frontend::syn::parse_syn(&text).unwrap_or_else(|d| panic!("{}", d.render("small.syn", &text)))
}

fn refuted(claim: Claim<'_>, needle: &str) {
    let message = try_recheck_all(&[claim]).expect_err("a wrong answer must be refuted");
    assert!(message.contains(needle), "expected `{needle}` in:\n{message}");
}

#[test]
fn wrong_answers_are_refuted_and_right_ones_pass() {
    // Equivalence: wrong on the single input 0x12345678, which only z3 finds.
    let id = parse("fn id(v0: i32) -> i32 {\n  ret v0\n}");
    let almost = parse(
        "fn almost(v0: i32) -> i32 {\n  v1 = iconst.i32 0x12345678\n  v2 = eq v0, v1\n  v3 = iconst.i32 0\n  v4 = select \
         v2, v3, v0\n  ret v4\n}",
    );
    try_recheck_all(&[Claim::Equivalent { f: &id, g: &id }]).unwrap();
    refuted(Claim::Equivalent { f: &id, g: &almost }, "z3 refutes it (sat)");
    refuted(Claim::Equivalent { f: &id, g: &almost }, "#x12345678");

    let small = load_small();
    let task = |name: &str| small.tasks.iter().find(|t| t.name == name).unwrap();
    // t11: ensures result == x * 4 + x (i32).
    let times5 = parse("fn t11(v0: i32) -> i32 {\n  v1 = iconst.i32 5\n  v2 = mul v0, v1\n  ret v2\n}");
    let times5_almost = parse(
        "fn t11(v0: i32) -> i32 {\n  v1 = iconst.i32 5\n  v2 = mul v0, v1\n  v3 = iconst.i32 0x0abcdef0\n  v4 = eq v0, \
         v3\n  v5 = select v4, v1, v2\n  ret v5\n}",
    );
    try_recheck_all(&[Claim::Spec { spec: task("t11"), answer: &times5 }]).unwrap();
    refuted(Claim::Spec { spec: task("t11"), answer: &times5_almost }, "z3 refutes it (sat)");
    // t09: requires x even, ensures result == x / 2 (u16). (x + 1) / 2 is right only for even x.
    let half_of_next = parse(
        "fn t09(v0: i16) -> i16 {\n  v1 = iconst.i16 1\n  v2 = add v0, v1\n  v3 = iconst.i16 2\n  v4 = udiv v2, v3\n  ret v4\n}",
    );
    try_recheck_all(&[Claim::Spec { spec: task("t09"), answer: &half_of_next }]).unwrap();
    let halve_signed = parse("fn t09(v0: i16) -> i16 {\n  v1 = iconst.i16 1\n  v2 = ashr v0, v1\n  ret v2\n}");
    refuted(Claim::Spec { spec: task("t09"), answer: &halve_signed }, "violates the postcondition");
    // t01: equiv clear_lowest8 (x & (x - 1)); a wrong answer differs from the reference natively.
    let clear = parse("fn t01(v0: i8) -> i8 {\n  v1 = iconst.i8 1\n  v2 = sub v0, v1\n  v3 = and v0, v2\n  ret v3\n}");
    try_recheck_all(&[Claim::Spec { spec: task("t01"), answer: &clear }]).unwrap();
    refuted(Claim::Spec { spec: task("t01"), answer: &id_of(Type::I8, "t01") }, "the reference fn");
    // t10: examples only (2x + 1).
    let double_plus_one =
        parse("fn t10(v0: i8) -> i8 {\n  v1 = add v0, v0\n  v2 = iconst.i8 1\n  v3 = add v1, v2\n  ret v3\n}");
    try_recheck_all(&[Claim::Spec { spec: task("t10"), answer: &double_plus_one }]).unwrap();
    refuted(Claim::Spec { spec: task("t10"), answer: &id_of(Type::I8, "t10") }, "on example");

    // A SyGuS problem with two targets, a nested call and a closed constraint.
    let sygus = frontend::sygus::parse_sygus(
        "(set-logic BV)
         (synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
         (synth-fun g ((x (_ BitVec 8)) (y (_ BitVec 8))) (_ BitVec 8))
         (declare-var a (_ BitVec 8))
         (declare-var b (_ BitVec 8))
         (constraint (= (g (f a) b) (bvadd (bvmul a #x02) b)))
         (constraint (= (f #x03) #x06))
         (check-synth)",
    )
    .unwrap();
    let problem = &sygus.problem;
    let f = parse("fn f(v0: i8) -> i8 {\n  v1 = add v0, v0\n  ret v1\n}");
    let g = parse("fn g(v0: i8, v1: i8) -> i8 {\n  v2 = add v0, v1\n  ret v2\n}");
    let g_or = parse("fn g(v0: i8, v1: i8) -> i8 {\n  v2 = or v0, v1\n  ret v2\n}");
    try_recheck_all(&[Claim::Problem { problem, solutions: &[f.clone(), g.clone()] }]).unwrap();
    refuted(Claim::Problem { problem, solutions: &[f.clone(), g_or] }, "constraint 0 is violated");
    refuted(Claim::Problem { problem, solutions: &[g, f] }, "signature");

    // A 32-bit problem whose wrong answer only z3 can find.
    let sygus = frontend::sygus::parse_sygus(
        "(set-logic BV)
         (synth-fun low ((x (_ BitVec 32))) (_ BitVec 32))
         (declare-var x (_ BitVec 32))
         (constraint (= (low x) (bvand x (bvneg x))))
         (check-synth)",
    )
    .unwrap();
    let low = parse("fn low(v0: i32) -> i32 {\n  v1 = neg v0\n  v2 = and v0, v1\n  ret v2\n}");
    let low_almost = parse(
        "fn low(v0: i32) -> i32 {\n  v1 = neg v0\n  v2 = and v0, v1\n  v3 = iconst.i32 0x7654321\n  v4 = eq v0, v3\n  \
         v5 = select v4, v3, v2\n  ret v5\n}",
    );
    let solutions = [low];
    try_recheck_all(&[Claim::Problem { problem: &sygus.problem, solutions: &solutions }]).unwrap();
    refuted(Claim::Problem { problem: &sygus.problem, solutions: &[low_almost] }, "z3 refutes it (sat)");
}

/// The identity of type `ty`, named `name`.
fn id_of(ty: Type, name: &str) -> Function {
    parse(&format!("fn {name}(v0: {ty}) -> {ty} {{\n  ret v0\n}}"))
}

#[test]
fn answers_other_than_unsat_fail() {
    let names = ["claim".to_string()];
    let sat = prove_all(&["(declare-const x (_ BitVec 8))\n(assert (= x #x01))\n(check-sat)\n".into()], &names);
    assert!(sat.unwrap_err().contains("z3 refutes it (sat)"));
    let error = prove_all(&["(assert (= y #x01))\n(check-sat)\n".into()], &names).unwrap_err();
    assert!(error.contains("(error"), "{error}");
    // The `fail` tactic gives up at once: z3 answers `unknown` (no timing involved).
    let unknown = prove_all(&["(check-sat-using fail)\n".into()], &names).unwrap_err();
    assert!(unknown.contains("z3 answered `unknown`"), "{unknown}");
    // A batch where one claim of three fails names that claim.
    let ok = "(check-sat-assuming (false))\n".to_string();
    let names = ["first".to_string(), "second".to_string(), "third".to_string()];
    let batch = prove_all(&[ok.clone(), "(check-sat)\n".into(), ok], &names).unwrap_err();
    assert!(batch.starts_with("second: z3 refutes it"), "{batch}");
}

#[test]
fn inputs_are_exhaustive_up_to_16_bits_and_edge_biased_above() {
    let all = input_rows(&[Type::I8, Type::I8], 1);
    assert_eq!(all.len(), 1 << EXHAUSTIVE_BITS);
    let distinct: std::collections::HashSet<&Vec<u64>> = all.iter().collect();
    assert_eq!(distinct.len(), all.len());
    assert_eq!(input_rows(&[ty(4), ty(12)], 1).len(), 1 << 16);
    assert_eq!(input_rows(&[], 1), vec![Vec::<u64>::new()]);
    let random = input_rows(&[Type::I32, Type::I1], 1);
    assert_eq!(random.len(), RANDOM_ROWS);
    for edge in [0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 31, 32] {
        assert!(random.iter().any(|r| r[0] == edge), "edge value {edge:#x} is tried");
    }
    assert!(random.iter().all(|r| r[0] <= 0xffff_ffff && r[1] <= 1));
}

/// A `.syn`-style task: equal to `reference` on every input, in the given semantics.
fn task(reference: &Function, semantics: ir::Semantics) -> ir::Spec {
    let mut spec = ir::Spec::equivalent_to(reference, ir::CostModel::Size, semantics);
    spec.name = "t".into();
    spec
}

#[test]
fn the_defined_discipline_is_rechecked() {
    use ir::Semantics::{Defined, Total};
    // x >> x equals x >> 7 on every i8 in the IR, but shifts by 8 or more for x >= 8.
    let by_seven = parse("fn r(v0: i8) -> i8 {\n  v1 = iconst.i8 7\n  v2 = ashr v0, v1\n  ret v2\n}");
    let by_self = parse("fn a(v0: i8) -> i8 {\n  v1 = ashr v0, v0\n  ret v1\n}");
    try_recheck_all(&[Claim::Spec { spec: &task(&by_seven, Total), answer: &by_self }]).unwrap();
    refuted(Claim::Spec { spec: &task(&by_seven, Defined), answer: &by_self }, "`semantics defined` forbids");
    // At 32 bits the division by zero happens at one input only: z3 has to find it.
    let id = parse("fn id(v0: i32) -> i32 {\n  ret v0\n}");
    let sneaky = parse(
        "fn s(v0: i32) -> i32 {\n  v1 = iconst.i32 0x12345678\n  v2 = xor v0, v1\n  v3 = udiv v0, v2\n  v4 = iconst.i32 0\n  v5 = and v3, v4\n  v6 = add v0, v5\n  ret v6\n}",
    );
    try_recheck_all(&[Claim::Spec { spec: &task(&id, Total), answer: &sneaky }]).unwrap();
    refuted(Claim::Spec { spec: &task(&id, Defined), answer: &sneaky }, "z3 refutes it (sat)");
    // Where the reference divides by zero itself, the answer may too.
    let hundred_by = parse("fn r(v0: i8) -> i8 {\n  v1 = iconst.i8 100\n  v2 = udiv v1, v0\n  ret v2\n}");
    try_recheck_all(&[Claim::Spec { spec: &task(&hundred_by, Defined), answer: &hundred_by }]).unwrap();
    // A reference that guards its division with an `if` does not divide by zero (only the
    // taken branch runs), so an answer that does is refuted although both agree in the IR.
    let guarded = parse(
        "fn g(v0: i8) -> i8 {\n  v1 = iconst.i8 0\n  v2 = eq v0, v1\n  v3 = iconst.i8 100\n  v4 = udiv v3, v0\n  v5 = iconst.i8 255\n  v6 = select v2, v5, v4\n  ret v6\n}",
    );
    try_recheck_all(&[Claim::Spec { spec: &task(&guarded, Defined), answer: &guarded }]).unwrap_err();
    refuted(Claim::Spec { spec: &task(&guarded, Defined), answer: &hundred_by }, "`semantics defined` forbids");
}
