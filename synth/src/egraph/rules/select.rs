//! `select c, a, b` (`c ? a : b`).
//!
//! Both arms are ordinary values (the IR has no effects), so hoisting and merging arms is
//! always sound. A select of two constants is a cast of the condition: `c ? 1 : 0` is
//! `zext c`, `c ? -1 : 0` is `sext c` (at widths of 2 and more; at `i1` it is `c` itself).
//! Rules whose right-hand side uses the condition as a value of the arms' type (`c & x`) only
//! type-check, and so only match, at `i1`.

use super::{RuleSpec, Theory, Widths};

const fn rule(name: &'static str, lhs: &'static str, rhs: &'static str) -> RuleSpec {
    RuleSpec::new(Theory::Select, name, lhs, rhs)
}

/// The select rules.
pub(super) const RULES: &[RuleSpec] = &[
    // c ? a : a == a
    rule("select-same", "(select ?c ?a ?a)", "?a"),
    // true ? a : b == a; false ? a : b == b
    rule("select-true", "(select 1 ?a ?b)", "?a"),
    rule("select-false", "(select 0 ?a ?b)", "?b"),
    // !c ? a : b == c ? b : a
    rule("select-not", "(select (not ?c) ?a ?b)", "(select ?c ?b ?a)"),
    // c ? (c ? a : b) : d == c ? a : d; c ? a : (c ? b : d) == c ? a : d
    rule("select-then-same-cond", "(select ?c (select ?c ?a ?b) ?d)", "(select ?c ?a ?d)"),
    rule("select-else-same-cond", "(select ?c ?a (select ?c ?b ?d))", "(select ?c ?a ?d)"),
    // (a == b) ? a : b == b; (a != b) ? a : b == a
    rule("select-eq-arms", "(select (eq ?a ?b) ?a ?b)", "?b"),
    rule("select-ne-arms", "(select (ne ?a ?b) ?a ?b)", "?a"),
    // c ? x op y : x op z == x op (c ? y : z): one operation instead of two
    rule("select-hoist-add", "(select ?c (add ?x ?y) (add ?x ?z))", "(add ?x (select ?c ?y ?z))"),
    rule("select-hoist-sub", "(select ?c (sub ?x ?y) (sub ?x ?z))", "(sub ?x (select ?c ?y ?z))"),
    rule("select-hoist-and", "(select ?c (and ?x ?y) (and ?x ?z))", "(and ?x (select ?c ?y ?z))"),
    rule("select-hoist-or", "(select ?c (or ?x ?y) (or ?x ?z))", "(or ?x (select ?c ?y ?z))"),
    rule("select-hoist-xor", "(select ?c (xor ?x ?y) (xor ?x ?z))", "(xor ?x (select ?c ?y ?z))"),
    // c ? 1 : 0 == zext c; c ? 0 : 1 == zext !c (N >= 2: there is no zext to i1)
    rule("select-one-zero-to-zext", "(select ?c 1 0)", "(zext.N ?c)").widths(Widths::AtLeast(2)),
    rule("select-zero-one-to-zext", "(select ?c 0 1)", "(zext.N (not ?c))").widths(Widths::AtLeast(2)),
    // c ? -1 : 0 == sext c; c ? 0 : -1 == sext !c (N >= 2)
    rule("select-ones-zero-to-sext", "(select ?c -1 0)", "(sext.N ?c)").widths(Widths::AtLeast(2)),
    rule("select-zero-ones-to-sext", "(select ?c 0 -1)", "(sext.N (not ?c))").widths(Widths::AtLeast(2)),
    // at i1 (forced by typing): c ? 1 : 0 == c; c ? 0 : 1 == !c
    rule("select-to-cond", "(select ?c 1 0)", "?c"),
    rule("select-to-not-cond", "(select ?c 0 1)", "(not ?c)"),
    // at i1: c ? x : 0 == c & x; c ? 1 : x == c | x; c ? 0 : x == !c & x; c ? x : 1 == !c | x
    rule("select-to-and", "(select ?c ?x 0)", "(and ?c ?x)"),
    rule("select-to-or", "(select ?c 1 ?x)", "(or ?c ?x)"),
    rule("select-to-and-not", "(select ?c 0 ?x)", "(and (not ?c) ?x)"),
    rule("select-to-or-not", "(select ?c ?x 1)", "(or (not ?c) ?x)"),
];
