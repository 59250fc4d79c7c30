//! Identities of width 1 (`i1`, the booleans), where arithmetic is boolean algebra.
//!
//! Modulo 2, `add` and `sub` are `xor`, `mul` is `and` and `neg` is the identity; the constant
//! 1 is all ones (and, read signed, -1), so a division by it is the identity or negation and a
//! shift by it is over-wide. These rules are wrong at every other width (`1 + 1` is 2 at `i8`,
//! not `1 ^ 1`), so each is restricted to width 1 ([`Widths::Only`]); the compare rules at the
//! end reach `i1` by typing (their right-hand side uses an operand as a boolean).

use super::{RuleSpec, Theory, Widths};

const BOOL: Widths = Widths::Only(&[1]);

const fn rule(name: &'static str, lhs: &'static str, rhs: &'static str) -> RuleSpec {
    RuleSpec::new(Theory::Boolean, name, lhs, rhs).widths(BOOL)
}

/// The width-1 rules.
pub(super) const RULES: &[RuleSpec] = &[
    // x + y == x ^ y; x - y == x ^ y; x * y == x & y; -x == x (mod 2)
    rule("bool-add-to-xor", "(add ?x ?y)", "(xor ?x ?y)"),
    rule("bool-sub-to-xor", "(sub ?x ?y)", "(xor ?x ?y)"),
    rule("bool-mul-to-and", "(mul ?x ?y)", "(and ?x ?y)"),
    rule("bool-neg", "(neg ?x)", "?x"),
    // x / y: by 0 all ones (unsigned) or 1 (signed, both for x = 0 and x = -1); by 1 it is x
    rule("bool-udiv", "(udiv ?x ?y)", "(or ?x (not ?y))"),
    rule("bool-sdiv", "(sdiv ?x ?y)", "(or ?x (not ?y))"),
    // x % y: by 0 it is x; by 1 (or -1) it is 0
    rule("bool-urem", "(urem ?x ?y)", "(and ?x (not ?y))"),
    rule("bool-srem", "(srem ?x ?y)", "(and ?x (not ?y))"),
    // a shift by 1 is over-wide: shl and lshr give 0, ashr keeps the sign (the only bit)
    rule("bool-shl", "(shl ?x ?y)", "(and ?x (not ?y))"),
    rule("bool-lshr", "(lshr ?x ?y)", "(and ?x (not ?y))"),
    rule("bool-ashr", "(ashr ?x ?y)", "?x"),
    // rotating one bit is the identity
    rule("bool-rotl", "(rotl ?x ?y)", "?x"),
    rule("bool-rotr", "(rotr ?x ?y)", "?x"),
    // popcnt x == x; clz x == ctz x == !x (1 for 0, 0 for 1)
    rule("bool-popcnt", "(popcnt ?x)", "?x"),
    rule("bool-clz", "(clz ?x)", "(not ?x)"),
    rule("bool-ctz", "(ctz ?x)", "(not ?x)"),
    // compares of booleans are boolean functions
    rule("bool-eq-to-xnor", "(eq ?x ?y)", "(not (xor ?x ?y))"),
    rule("bool-ne-to-xor", "(ne ?x ?y)", "(xor ?x ?y)"),
    rule("bool-ult", "(ult ?x ?y)", "(and (not ?x) ?y)"),
    rule("bool-ule", "(ule ?x ?y)", "(or (not ?x) ?y)"),
    // read signed, 1 is -1: x <s y iff x is 1 and y is 0
    rule("bool-slt", "(slt ?x ?y)", "(and ?x (not ?y))"),
    rule("bool-sle", "(sle ?x ?y)", "(or ?x (not ?y))"),
    // x == 1 is x; x == 0 is !x; x != 0 is x
    rule("bool-eq-one", "(eq ?x 1)", "?x"),
    rule("bool-eq-zero", "(eq ?x 0)", "(not ?x)"),
    rule("bool-ne-zero", "(ne ?x 0)", "?x"),
];
