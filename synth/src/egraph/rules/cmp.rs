//! Comparisons: canonical forms, comparisons of a value with itself and with the extreme
//! constants, and comparisons of two values under the same bijection.
//!
//! Canonical forms: `ugt`, `uge`, `sgt`, `sge` become `ult`, `ule`, `slt`, `sle` with swapped
//! operands, and a negated comparison becomes the complementary one. The extremes are `0` and
//! `-1` unsigned, `min` and `max` signed.

use super::{RuleSpec, Theory};

const fn rule(name: &'static str, lhs: &'static str, rhs: &'static str) -> RuleSpec {
    RuleSpec::new(Theory::Cmp, name, lhs, rhs)
}

/// The comparison rules.
pub(super) const RULES: &[RuleSpec] = &[
    // a >u b == b <u a; a >=u b == b <=u a; the same signed
    rule("ugt-to-ult", "(ugt ?a ?b)", "(ult ?b ?a)"),
    rule("uge-to-ule", "(uge ?a ?b)", "(ule ?b ?a)"),
    rule("sgt-to-slt", "(sgt ?a ?b)", "(slt ?b ?a)"),
    rule("sge-to-sle", "(sge ?a ?b)", "(sle ?b ?a)"),
    // a <=u b == !(b <u a), and back; the same signed
    rule("ule-to-not-ult", "(ule ?a ?b)", "(not (ult ?b ?a))"),
    rule("not-ult-to-ule", "(not (ult ?a ?b))", "(ule ?b ?a)"),
    rule("sle-to-not-slt", "(sle ?a ?b)", "(not (slt ?b ?a))"),
    rule("not-slt-to-sle", "(not (slt ?a ?b))", "(sle ?b ?a)"),
    // !(a == b) == (a != b); !(a != b) == (a == b)
    rule("not-eq-to-ne", "(not (eq ?a ?b))", "(ne ?a ?b)"),
    rule("not-ne-to-eq", "(not (ne ?a ?b))", "(eq ?a ?b)"),
    // equality is symmetric
    rule("eq-comm", "(eq ?a ?b)", "(eq ?b ?a)"),
    rule("ne-comm", "(ne ?a ?b)", "(ne ?b ?a)"),
    // a value compared with itself
    rule("eq-self", "(eq ?x ?x)", "1"),
    rule("ne-self", "(ne ?x ?x)", "0"),
    rule("ult-self", "(ult ?x ?x)", "0"),
    rule("ule-self", "(ule ?x ?x)", "1"),
    rule("slt-self", "(slt ?x ?x)", "0"),
    rule("sle-self", "(sle ?x ?x)", "1"),
    // nothing is below 0 unsigned, everything is at most -1 unsigned
    rule("ult-zero", "(ult ?x 0)", "0"),
    rule("zero-ule", "(ule 0 ?x)", "1"),
    rule("ule-ones", "(ule ?x -1)", "1"),
    rule("ones-ult", "(ult -1 ?x)", "0"),
    // x <=u 0 == (x == 0); 0 <u x == (x != 0); x <u 1 == (x == 0)
    rule("ule-zero-to-eq", "(ule ?x 0)", "(eq ?x 0)"),
    rule("zero-ult-to-ne", "(ult 0 ?x)", "(ne ?x 0)"),
    rule("ult-one-to-eq", "(ult ?x 1)", "(eq ?x 0)"),
    // x <u -1 == (x != -1); -1 <=u x == (x == -1)
    rule("ult-ones-to-ne", "(ult ?x -1)", "(ne ?x -1)"),
    rule("ones-ule-to-eq", "(ule -1 ?x)", "(eq ?x -1)"),
    // nothing is below MIN signed, everything is at most MAX signed
    rule("slt-min", "(slt ?x min)", "0"),
    rule("min-sle", "(sle min ?x)", "1"),
    rule("sle-max", "(sle ?x max)", "1"),
    rule("max-slt", "(slt max ?x)", "0"),
    // x - y == 0 iff x == y; x ^ y == 0 iff x == y (and != likewise)
    rule("eq-sub-zero", "(eq (sub ?x ?y) 0)", "(eq ?x ?y)"),
    rule("eq-xor-zero", "(eq (xor ?x ?y) 0)", "(eq ?x ?y)"),
    rule("ne-sub-zero", "(ne (sub ?x ?y) 0)", "(ne ?x ?y)"),
    rule("ne-xor-zero", "(ne (xor ?x ?y) 0)", "(ne ?x ?y)"),
    // not, neg and adding a value are bijections: they keep (in)equality
    rule("eq-not-not", "(eq (not ?x) (not ?y))", "(eq ?x ?y)"),
    rule("eq-neg-neg", "(eq (neg ?x) (neg ?y))", "(eq ?x ?y)"),
    rule("eq-add-cancel", "(eq (add ?x ?z) (add ?y ?z))", "(eq ?x ?y)"),
    // not reverses both orders: !x <u !y == y <u x; !x <s !y == y <s x
    rule("ult-not-not", "(ult (not ?x) (not ?y))", "(ult ?y ?x)"),
    rule("slt-not-not", "(slt (not ?x) (not ?y))", "(slt ?y ?x)"),
    // flipping the sign bit turns a signed order into the unsigned one
    rule("slt-to-ult-flip", "(slt ?a ?b)", "(ult (xor ?a min) (xor ?b min))"),
    rule("ult-flip-to-slt", "(ult (xor ?a min) (xor ?b min))", "(slt ?a ?b)"),
];
