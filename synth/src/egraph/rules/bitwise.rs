//! Bitwise logic: `and or xor not`.
//!
//! Each bit position is independent, so these are the laws of boolean algebra applied to every
//! bit; they hold at every width. `0` is all zeros and `-1` all ones.

use super::{RuleSpec, Theory};

const fn rule(name: &'static str, lhs: &'static str, rhs: &'static str) -> RuleSpec {
    RuleSpec::new(Theory::Bitwise, name, lhs, rhs)
}

/// The bitwise rules.
pub(super) const RULES: &[RuleSpec] = &[
    // x & y == y & x; x | y == y | x; x ^ y == y ^ x
    rule("and-comm", "(and ?x ?y)", "(and ?y ?x)"),
    rule("or-comm", "(or ?x ?y)", "(or ?y ?x)"),
    rule("xor-comm", "(xor ?x ?y)", "(xor ?y ?x)"),
    // (x & y) & z == x & (y & z), and back; the same for | and ^
    rule("and-assoc", "(and (and ?x ?y) ?z)", "(and ?x (and ?y ?z))"),
    rule("and-assoc-rev", "(and ?x (and ?y ?z))", "(and (and ?x ?y) ?z)"),
    rule("or-assoc", "(or (or ?x ?y) ?z)", "(or ?x (or ?y ?z))"),
    rule("or-assoc-rev", "(or ?x (or ?y ?z))", "(or (or ?x ?y) ?z)"),
    rule("xor-assoc", "(xor (xor ?x ?y) ?z)", "(xor ?x (xor ?y ?z))"),
    rule("xor-assoc-rev", "(xor ?x (xor ?y ?z))", "(xor (xor ?x ?y) ?z)"),
    // x & 0 == 0
    rule("and-zero", "(and ?x 0)", "0"),
    // x & -1 == x
    rule("and-ones", "(and ?x -1)", "?x"),
    // x | 0 == x
    rule("or-zero", "(or ?x 0)", "?x"),
    // x | -1 == -1
    rule("or-ones", "(or ?x -1)", "-1"),
    // x ^ 0 == x
    rule("xor-zero", "(xor ?x 0)", "?x"),
    // x ^ -1 == !x
    rule("xor-ones", "(xor ?x -1)", "(not ?x)"),
    // x & x == x; x | x == x
    rule("and-self", "(and ?x ?x)", "?x"),
    rule("or-self", "(or ?x ?x)", "?x"),
    // x ^ x == 0
    rule("xor-self", "(xor ?x ?x)", "0"),
    // !!x == x
    rule("not-not", "(not (not ?x))", "?x"),
    // x & !x == 0; x | !x == -1; x ^ !x == -1
    rule("and-not-self", "(and ?x (not ?x))", "0"),
    rule("or-not-self", "(or ?x (not ?x))", "-1"),
    rule("xor-not-self", "(xor ?x (not ?x))", "-1"),
    // De Morgan: !(x & y) == !x | !y, and back
    rule("de-morgan-and", "(not (and ?x ?y))", "(or (not ?x) (not ?y))"),
    rule("de-morgan-and-rev", "(or (not ?x) (not ?y))", "(not (and ?x ?y))"),
    // De Morgan: !(x | y) == !x & !y, and back
    rule("de-morgan-or", "(not (or ?x ?y))", "(and (not ?x) (not ?y))"),
    rule("de-morgan-or-rev", "(and (not ?x) (not ?y))", "(not (or ?x ?y))"),
    // absorption: x & (x | y) == x; x | (x & y) == x
    rule("and-absorb", "(and ?x (or ?x ?y))", "?x"),
    rule("or-absorb", "(or ?x (and ?x ?y))", "?x"),
    // x & (!x | y) == x & y; x | (!x & y) == x | y
    rule("and-absorb-not", "(and ?x (or (not ?x) ?y))", "(and ?x ?y)"),
    rule("or-absorb-not", "(or ?x (and (not ?x) ?y))", "(or ?x ?y)"),
    // x & (y | z) == (x & y) | (x & z), and back
    rule("and-distrib-or", "(and ?x (or ?y ?z))", "(or (and ?x ?y) (and ?x ?z))"),
    rule("and-factor-or", "(or (and ?x ?y) (and ?x ?z))", "(and ?x (or ?y ?z))"),
    // (x | y) & (x | z) == x | (y & z)
    rule("or-factor-and", "(and (or ?x ?y) (or ?x ?z))", "(or ?x (and ?y ?z))"),
    // (x & y) ^ (x & z) == x & (y ^ z)
    rule("and-factor-xor", "(xor (and ?x ?y) (and ?x ?z))", "(and ?x (xor ?y ?z))"),
    // (x ^ y) ^ y == x
    rule("xor-xor-cancel", "(xor (xor ?x ?y) ?y)", "?x"),
    // !(x ^ y) == !x ^ y, and back
    rule("not-xor", "(not (xor ?x ?y))", "(xor (not ?x) ?y)"),
    rule("xor-not", "(xor (not ?x) ?y)", "(not (xor ?x ?y))"),
    // !x ^ !y == x ^ y
    rule("xor-not-not", "(xor (not ?x) (not ?y))", "(xor ?x ?y)"),
];
