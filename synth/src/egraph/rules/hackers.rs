//! Identities mixing arithmetic and bitwise operations, after Hacker's Delight (2nd ed.),
//! chapter 2 ("Basics"): two's complement negation, the carry decomposition of addition, and
//! the rightmost-bit manipulations.
//!
//! They follow from `-x == !x + 1` and `x + y == (x ^ y) + 2 (x & y)` (the sum without carries
//! plus the carries), which hold modulo `2^N` at every width.

use super::{RuleSpec, Theory};

const fn rule(name: &'static str, lhs: &'static str, rhs: &'static str) -> RuleSpec {
    RuleSpec::new(Theory::Hackers, name, lhs, rhs)
}

/// The Hacker's Delight rules.
pub(super) const RULES: &[RuleSpec] = &[
    // -x == !x + 1 (HD 2-2), and back
    rule("neg-to-not-add-one", "(neg ?x)", "(add (not ?x) 1)"),
    rule("not-add-one-to-neg", "(add (not ?x) 1)", "(neg ?x)"),
    // !x == -x - 1 == -1 - x
    rule("neg-sub-one-to-not", "(sub (neg ?x) 1)", "(not ?x)"),
    rule("ones-sub-to-not", "(sub -1 ?x)", "(not ?x)"),
    // !(x - 1) == -x
    rule("not-sub-one-to-neg", "(not (sub ?x 1))", "(neg ?x)"),
    // -!x == x + 1
    rule("neg-not-to-add-one", "(neg (not ?x))", "(add ?x 1)"),
    // !-x == x - 1
    rule("not-neg-to-sub-one", "(not (neg ?x))", "(sub ?x 1)"),
    // x - (x & y) == x & !y: subtracting the common bits clears them
    rule("sub-and-to-and-not", "(sub ?x (and ?x ?y))", "(and ?x (not ?y))"),
    // (x | y) - y == x & !y
    rule("or-sub-to-and-not", "(sub (or ?x ?y) ?y)", "(and ?x (not ?y))"),
    // (x | y) - (x & y) == x ^ y
    rule("or-sub-and-to-xor", "(sub (or ?x ?y) (and ?x ?y))", "(xor ?x ?y)"),
    // (x & y) + (x | y) == x + y
    rule("and-add-or-to-add", "(add (and ?x ?y) (or ?x ?y))", "(add ?x ?y)"),
    // (x ^ y) + 2 (x & y) == x + y (sum without carries plus carries)
    rule("xor-add-carries-to-add", "(add (xor ?x ?y) (shl (and ?x ?y) 1))", "(add ?x ?y)"),
    // (x ^ y) + (x & y) == x | y (disjoint bits add without carries)
    rule("xor-add-and-to-or", "(add (xor ?x ?y) (and ?x ?y))", "(or ?x ?y)"),
    // (x ^ y) | (x & y) == x | y
    rule("xor-or-and-to-or", "(or (xor ?x ?y) (and ?x ?y))", "(or ?x ?y)"),
    // (x ^ y) ^ (x & y) == x | y
    rule("xor-xor-and-to-or", "(xor (xor ?x ?y) (and ?x ?y))", "(or ?x ?y)"),
    // (x | y) ^ (x & y) == x ^ y
    rule("or-xor-and-to-xor", "(xor (or ?x ?y) (and ?x ?y))", "(xor ?x ?y)"),
    // (x | y) & !(x & y) == x ^ y
    rule("or-and-nand-to-xor", "(and (or ?x ?y) (not (and ?x ?y)))", "(xor ?x ?y)"),
    // x - (x & -x) == x & (x - 1): both clear the rightmost set bit
    rule("clear-lowest-bit", "(sub ?x (and ?x (neg ?x)))", "(and ?x (sub ?x 1))"),
    // x ^ (x & (x - 1)) == x & -x: both isolate the rightmost set bit
    rule("isolate-lowest-bit", "(xor ?x (and ?x (sub ?x 1)))", "(and ?x (neg ?x))"),
];
