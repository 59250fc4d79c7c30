//! Width changes: `zext sext trunc`.
//!
//! Rules name the types involved: in `(trunc.T (zext.U ?x:S))` the operand has width `S`, is
//! widened to `U` and cut to `T` (so `S < U` and `T < U`). A rule whose right-hand side depends
//! on how `T` and `S` compare is split in three with type conditions. The operations that only
//! look at low bits (`add sub mul neg and or xor not`, and `select`) commute with `trunc`; the
//! bitwise ones and the comparisons commute with the extensions.

use super::{RuleSpec, Theory};

const fn rule(name: &'static str, lhs: &'static str, rhs: &'static str) -> RuleSpec {
    RuleSpec::new(Theory::Cast, name, lhs, rhs)
}

/// The cast rules.
pub(super) const RULES: &[RuleSpec] = &[
    // zext (zext x) == zext x; sext (sext x) == sext x
    rule("zext-zext", "(zext.T (zext.U ?x))", "(zext.T ?x)"),
    rule("sext-sext", "(sext.T (sext.U ?x))", "(sext.T ?x)"),
    // sext (zext x) == zext x: the widened value's sign bit is 0
    rule("sext-zext", "(sext.T (zext.U ?x))", "(zext.T ?x)"),
    // trunc (trunc x) == trunc x
    rule("trunc-trunc", "(trunc.T (trunc.U ?x))", "(trunc.T ?x)"),
    // trunc (zext x): narrower than x, a trunc of x; as wide, x; wider, a zext of x
    rule("trunc-zext-narrow", "(trunc.T (zext.U ?x:S))", "(trunc.T ?x)").types("T < S"),
    rule("trunc-zext-same", "(trunc.T (zext.U ?x:S))", "?x").types("T == S"),
    rule("trunc-zext-wide", "(trunc.T (zext.U ?x:S))", "(zext.T ?x)").types("T > S"),
    // trunc (sext x): the same, with sext
    rule("trunc-sext-narrow", "(trunc.T (sext.U ?x:S))", "(trunc.T ?x)").types("T < S"),
    rule("trunc-sext-same", "(trunc.T (sext.U ?x:S))", "?x").types("T == S"),
    rule("trunc-sext-wide", "(trunc.T (sext.U ?x:S))", "(sext.T ?x)").types("T > S"),
    // the low T bits of x op y only depend on the low T bits of x and y
    rule("trunc-add", "(trunc.T (add ?x ?y))", "(add (trunc.T ?x) (trunc.T ?y))"),
    rule("trunc-sub", "(trunc.T (sub ?x ?y))", "(sub (trunc.T ?x) (trunc.T ?y))"),
    rule("trunc-mul", "(trunc.T (mul ?x ?y))", "(mul (trunc.T ?x) (trunc.T ?y))"),
    rule("trunc-and", "(trunc.T (and ?x ?y))", "(and (trunc.T ?x) (trunc.T ?y))"),
    rule("trunc-or", "(trunc.T (or ?x ?y))", "(or (trunc.T ?x) (trunc.T ?y))"),
    rule("trunc-xor", "(trunc.T (xor ?x ?y))", "(xor (trunc.T ?x) (trunc.T ?y))"),
    rule("trunc-neg", "(trunc.T (neg ?x))", "(neg (trunc.T ?x))"),
    rule("trunc-not", "(trunc.T (not ?x))", "(not (trunc.T ?x))"),
    rule("trunc-select", "(trunc.T (select ?c ?a ?b))", "(select ?c (trunc.T ?a) (trunc.T ?b))"),
    // zext x op zext y == zext (x op y) for bitwise op; the same for sext
    rule("zext-factor-and", "(and (zext.T ?x) (zext.T ?y))", "(zext.T (and ?x ?y))"),
    rule("zext-factor-or", "(or (zext.T ?x) (zext.T ?y))", "(zext.T (or ?x ?y))"),
    rule("zext-factor-xor", "(xor (zext.T ?x) (zext.T ?y))", "(zext.T (xor ?x ?y))"),
    rule("sext-factor-and", "(and (sext.T ?x) (sext.T ?y))", "(sext.T (and ?x ?y))"),
    rule("sext-factor-or", "(or (sext.T ?x) (sext.T ?y))", "(sext.T (or ?x ?y))"),
    rule("sext-factor-xor", "(xor (sext.T ?x) (sext.T ?y))", "(sext.T (xor ?x ?y))"),
    // extensions are injective and monotone: zext keeps == and <u; sext keeps ==, <s and <u
    rule("zext-eq", "(eq (zext.T ?x) (zext.T ?y))", "(eq ?x ?y)"),
    rule("zext-ult", "(ult (zext.T ?x) (zext.T ?y))", "(ult ?x ?y)"),
    rule("sext-eq", "(eq (sext.T ?x) (sext.T ?y))", "(eq ?x ?y)"),
    rule("sext-slt", "(slt (sext.T ?x) (sext.T ?y))", "(slt ?x ?y)"),
    rule("sext-ult", "(ult (sext.T ?x) (sext.T ?y))", "(ult ?x ?y)"),
    // zext x == 0 iff x == 0; sext x <s 0 iff x <s 0
    rule("zext-eq-zero", "(eq (zext.T ?x) 0)", "(eq ?x 0)"),
    rule("sext-slt-zero", "(slt (sext.T ?x) 0)", "(slt ?x 0)"),
];
