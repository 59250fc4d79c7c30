//! Arithmetic: `add sub mul neg` and the divisions.
//!
//! Everything wraps modulo `2^N`, so the ring laws (commutativity, associativity,
//! distributivity, negation) hold at every width. Division rules only use divisors whose
//! results the total semantics fix: `x / 0` is all ones and `x % 0` is `x` (so `x / x -> 1` is
//! *not* a rule: `0 / 0` is all ones), `MIN / -1` is `MIN`.

use super::{RuleSpec, Theory};

const fn rule(name: &'static str, lhs: &'static str, rhs: &'static str) -> RuleSpec {
    RuleSpec::new(Theory::Arith, name, lhs, rhs)
}

/// The arithmetic rules.
pub(super) const RULES: &[RuleSpec] = &[
    // x + y == y + x
    rule("add-comm", "(add ?x ?y)", "(add ?y ?x)"),
    // (x + y) + z == x + (y + z), and back
    rule("add-assoc", "(add (add ?x ?y) ?z)", "(add ?x (add ?y ?z))"),
    rule("add-assoc-rev", "(add ?x (add ?y ?z))", "(add (add ?x ?y) ?z)"),
    // x * y == y * x
    rule("mul-comm", "(mul ?x ?y)", "(mul ?y ?x)"),
    // (x * y) * z == x * (y * z), and back
    rule("mul-assoc", "(mul (mul ?x ?y) ?z)", "(mul ?x (mul ?y ?z))"),
    rule("mul-assoc-rev", "(mul ?x (mul ?y ?z))", "(mul (mul ?x ?y) ?z)"),
    // x + 0 == x
    rule("add-zero", "(add ?x 0)", "?x"),
    // x - 0 == x
    rule("sub-zero", "(sub ?x 0)", "?x"),
    // 0 - x == -x
    rule("zero-sub", "(sub 0 ?x)", "(neg ?x)"),
    // x - x == 0
    rule("sub-self", "(sub ?x ?x)", "0"),
    // x * 0 == 0
    rule("mul-zero", "(mul ?x 0)", "0"),
    // x * 1 == x
    rule("mul-one", "(mul ?x 1)", "?x"),
    // x * -1 == -x
    rule("mul-ones", "(mul ?x -1)", "(neg ?x)"),
    // x - y == x + -y, and back
    rule("sub-to-add-neg", "(sub ?x ?y)", "(add ?x (neg ?y))"),
    rule("add-neg-to-sub", "(add ?x (neg ?y))", "(sub ?x ?y)"),
    // x - -y == x + y
    rule("sub-neg", "(sub ?x (neg ?y))", "(add ?x ?y)"),
    // -(-x) == x
    rule("neg-neg", "(neg (neg ?x))", "?x"),
    // -(x - y) == y - x
    rule("neg-sub", "(neg (sub ?x ?y))", "(sub ?y ?x)"),
    // -x * y == -(x * y)
    rule("mul-neg", "(mul (neg ?x) ?y)", "(neg (mul ?x ?y))"),
    // -x * -y == x * y
    rule("mul-neg-neg", "(mul (neg ?x) (neg ?y))", "(mul ?x ?y)"),
    // (x + y) - y == x
    rule("add-sub-cancel", "(sub (add ?x ?y) ?y)", "?x"),
    // (x - y) + y == x
    rule("sub-add-cancel", "(add (sub ?x ?y) ?y)", "?x"),
    // x - (x - y) == y
    rule("sub-sub-cancel", "(sub ?x (sub ?x ?y))", "?y"),
    // x + x == x * 2, and back
    rule("add-self-to-mul", "(add ?x ?x)", "(mul ?x 2)"),
    rule("mul-two-to-add", "(mul ?x 2)", "(add ?x ?x)"),
    // x * (y + z) == x * y + x * z, and back
    rule("mul-distrib-add", "(mul ?x (add ?y ?z))", "(add (mul ?x ?y) (mul ?x ?z))"),
    rule("mul-factor-add", "(add (mul ?x ?y) (mul ?x ?z))", "(mul ?x (add ?y ?z))"),
    // x * (y - z) == x * y - x * z, and back
    rule("mul-distrib-sub", "(mul ?x (sub ?y ?z))", "(sub (mul ?x ?y) (mul ?x ?z))"),
    rule("mul-factor-sub", "(sub (mul ?x ?y) (mul ?x ?z))", "(mul ?x (sub ?y ?z))"),
    // x * y + x == x * (y + 1)
    rule("mul-factor-add-self", "(add (mul ?x ?y) ?x)", "(mul ?x (add ?y 1))"),
    // x * y - x == x * (y - 1)
    rule("mul-factor-sub-self", "(sub (mul ?x ?y) ?x)", "(mul ?x (sub ?y 1))"),
    // x * c == x << log2(c), if c is a power of two (log2 c is ctz c)
    rule("mul-pow2-to-shl", "(mul ?x #c)", "(shl ?x (ctz #c))").when("(eq (popcnt #c) 1)"),
    // x << c == x * (1 << c), for a constant c < N (beyond, `shl-overwide` applies)
    rule("shl-to-mul", "(shl ?x #c)", "(mul ?x (shl 1 #c))").when("(ult #c w)"),
    // x /u 1 == x, x /s 1 == x (at i1 the constant 1 is -1, and x /s -1 == -x == x there)
    rule("udiv-one", "(udiv ?x 1)", "?x"),
    rule("sdiv-one", "(sdiv ?x 1)", "?x"),
    // x /s -1 == -x (MIN /s -1 == MIN == -MIN)
    rule("sdiv-ones", "(sdiv ?x -1)", "(neg ?x)"),
    // x %u 1 == 0, x %s 1 == 0, x %s -1 == 0 (MIN %s -1 == 0)
    rule("urem-one", "(urem ?x 1)", "0"),
    rule("srem-one", "(srem ?x 1)", "0"),
    rule("srem-ones", "(srem ?x -1)", "0"),
    // x /u 0 == -1 (total semantics)
    rule("udiv-zero", "(udiv ?x 0)", "-1"),
    // x %u 0 == x, x %s 0 == x (total semantics)
    rule("urem-zero", "(urem ?x 0)", "?x"),
    rule("srem-zero", "(srem ?x 0)", "?x"),
    // x /u c == x >> log2(c), if c is a power of two
    rule("udiv-pow2", "(udiv ?x #c)", "(lshr ?x (ctz #c))").when("(eq (popcnt #c) 1)"),
    // x %u c == x & (c - 1), if c is a power of two
    rule("urem-pow2", "(urem ?x #c)", "(and ?x (sub #c 1))").when("(eq (popcnt #c) 1)"),
];
