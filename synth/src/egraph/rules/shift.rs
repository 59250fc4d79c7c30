//! Shifts and rotates.
//!
//! The total semantics fix over-wide amounts: `shl`/`lshr` by `N` or more give 0, `ashr` by `N`
//! or more is `ashr` by `N - 1`, rotates take the amount modulo `N`. Rules combining two shifts
//! by constants state when the sum of the amounts stays below the width: the amounts are
//! `N`-bit values, so the conditions keep each amount below `N` before adding (for `N >= 2`,
//! `2N <= 2^N`, so the sum of two amounts below `N` does not wrap).

use super::{RuleSpec, Theory, Widths};

const fn rule(name: &'static str, lhs: &'static str, rhs: &'static str) -> RuleSpec {
    RuleSpec::new(Theory::Shift, name, lhs, rhs)
}

/// The shift and rotate rules.
pub(super) const RULES: &[RuleSpec] = &[
    // a shift or rotate by 0 is the identity
    rule("shl-zero", "(shl ?x 0)", "?x"),
    rule("lshr-zero", "(lshr ?x 0)", "?x"),
    rule("ashr-zero", "(ashr ?x 0)", "?x"),
    rule("rotl-zero", "(rotl ?x 0)", "?x"),
    rule("rotr-zero", "(rotr ?x 0)", "?x"),
    // shifting or rotating 0 gives 0
    rule("shl-of-zero", "(shl 0 ?y)", "0"),
    rule("lshr-of-zero", "(lshr 0 ?y)", "0"),
    rule("ashr-of-zero", "(ashr 0 ?y)", "0"),
    rule("rotl-of-zero", "(rotl 0 ?y)", "0"),
    rule("rotr-of-zero", "(rotr 0 ?y)", "0"),
    // ashr, rotl and rotr of all ones give all ones
    rule("ashr-of-ones", "(ashr -1 ?y)", "-1"),
    rule("rotl-of-ones", "(rotl -1 ?y)", "-1"),
    rule("rotr-of-ones", "(rotr -1 ?y)", "-1"),
    // x << c == 0 and x >>u c == 0, if c >= N (total semantics)
    rule("shl-overwide", "(shl ?x #c)", "0").when("(uge #c w)"),
    rule("lshr-overwide", "(lshr ?x #c)", "0").when("(uge #c w)"),
    // x >>s c == x >>s (N - 1), if c >= N (total semantics)
    rule("ashr-overwide", "(ashr ?x #c)", "(ashr ?x w-1)").when("(uge #c w)"),
    // rotates take their amount modulo N
    rule("rotl-mod", "(rotl ?x #c)", "(rotl ?x (urem #c w))").when("(uge #c w)"),
    rule("rotr-mod", "(rotr ?x #c)", "(rotr ?x (urem #c w))").when("(uge #c w)"),
    // rotr x c == rotl x (N - c), if c < N (c == 0 gives a rotate by N, which is by 0)
    rule("rotr-to-rotl", "(rotr ?x #c)", "(rotl ?x (sub w #c))").when("(ult #c w)"),
    // (x << a) << b == x << (a + b), if a < N, b < N and a + b < N
    rule("shl-shl", "(shl (shl ?x #a) #b)", "(shl ?x (add #a #b))")
        .when("(and (ult #a w) (and (ult #b w) (ult (add #a #b) w)))"),
    // (x << a) << b == 0, if a + b >= N (if the sum wraps, one amount is >= N already)
    rule("shl-shl-overwide", "(shl (shl ?x #a) #b)", "0").when("(uge (add #a #b) w)"),
    // (x >>u a) >>u b == x >>u (a + b), if a < N, b < N and a + b < N
    rule("lshr-lshr", "(lshr (lshr ?x #a) #b)", "(lshr ?x (add #a #b))")
        .when("(and (ult #a w) (and (ult #b w) (ult (add #a #b) w)))"),
    // (x >>u a) >>u b == 0, if a + b >= N
    rule("lshr-lshr-overwide", "(lshr (lshr ?x #a) #b)", "0").when("(uge (add #a #b) w)"),
    // (x >>s a) >>s b == x >>s (a + b), if a < N, b < N and a + b < N
    rule("ashr-ashr", "(ashr (ashr ?x #a) #b)", "(ashr ?x (add #a #b))")
        .when("(and (ult #a w) (and (ult #b w) (ult (add #a #b) w)))"),
    // (x >>s a) >>s b == x >>s (N - 1), if a + b >= N
    rule("ashr-ashr-overwide", "(ashr (ashr ?x #a) #b)", "(ashr ?x w-1)").when("(uge (add #a #b) w)"),
    // (x << y) >>u y == x & (-1 >>u y), for every y (both 0 when y >= N)
    rule("shl-lshr-to-and", "(lshr (shl ?x ?y) ?y)", "(and ?x (lshr -1 ?y))"),
    // (x >>u y) << y == x & (-1 << y), for every y
    rule("lshr-shl-to-and", "(shl (lshr ?x ?y) ?y)", "(and ?x (shl -1 ?y))"),
    // x >>u (N - 1) is the sign bit: zext (x <s 0); at N >= 2 (at i1 there is no zext to i1)
    rule("lshr-sign-to-zext", "(lshr ?x w-1)", "(zext.N (slt ?x 0))").widths(Widths::AtLeast(2)),
    // x >>s (N - 1) is all sign bits: sext (x <s 0); at N >= 2
    rule("ashr-sign-to-sext", "(ashr ?x w-1)", "(sext.N (slt ?x 0))").widths(Widths::AtLeast(2)),
    // x << 1 == x + x
    rule("shl-one-to-add", "(shl ?x 1)", "(add ?x ?x)"),
    // shifts by one amount distribute over bitwise operations (and shl over add):
    // (x op y) shifted == (x shifted) op (y shifted), used right to left to share the shift
    rule("shl-factor-and", "(and (shl ?x ?z) (shl ?y ?z))", "(shl (and ?x ?y) ?z)"),
    rule("shl-factor-or", "(or (shl ?x ?z) (shl ?y ?z))", "(shl (or ?x ?y) ?z)"),
    rule("shl-factor-xor", "(xor (shl ?x ?z) (shl ?y ?z))", "(shl (xor ?x ?y) ?z)"),
    rule("shl-factor-add", "(add (shl ?x ?z) (shl ?y ?z))", "(shl (add ?x ?y) ?z)"),
    rule("lshr-factor-and", "(and (lshr ?x ?z) (lshr ?y ?z))", "(lshr (and ?x ?y) ?z)"),
    rule("lshr-factor-or", "(or (lshr ?x ?z) (lshr ?y ?z))", "(lshr (or ?x ?y) ?z)"),
    rule("lshr-factor-xor", "(xor (lshr ?x ?z) (lshr ?y ?z))", "(lshr (xor ?x ?y) ?z)"),
    rule("ashr-factor-and", "(and (ashr ?x ?z) (ashr ?y ?z))", "(ashr (and ?x ?y) ?z)"),
    rule("ashr-factor-or", "(or (ashr ?x ?z) (ashr ?y ?z))", "(ashr (or ?x ?y) ?z)"),
    rule("ashr-factor-xor", "(xor (ashr ?x ?z) (ashr ?y ?z))", "(ashr (xor ?x ?y) ?z)"),
];
