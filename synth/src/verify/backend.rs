//! The primitive bit-vector operations an encoding target provides.
//!
//! [`super::encoding`] translates every IR opcode into these SMT-LIB `FixedSizeBitVectors`
//! operations exactly once. Two backends implement them: [`super::z3_terms`] builds Z3 terms for
//! the solver and [`super::smt2`] prints SMT-LIB2 text, so the solver's query and the printed
//! script cannot drift apart.
//!
//! Invariants: every term is a bit-vector (the IR's `i1` is a 1-bit vector, `#b1` meaning true;
//! comparisons and `select` convert to and from SMT-LIB's `Bool` inside the backend), and the
//! encoding only passes opcodes for which [`direct_smtlib_name`] is `Some`.

use ir::Opcode;

/// A target for the encoding: builds terms for the primitive SMT-LIB bit-vector operations.
pub(crate) trait BvBackend {
    /// A bit-vector term.
    type Term: Clone;

    /// The constant `bits` (already masked) of `width` bits.
    fn constant(&mut self, width: u32, bits: u64) -> Self::Term;

    /// A unary, binary or comparison opcode whose SMT-LIB operation has exactly the IR's
    /// semantics (see [`direct_smtlib_name`]). Comparisons give a 1-bit vector.
    fn apply(&mut self, op: Opcode, args: &[&Self::Term]) -> Self::Term;

    /// `cond ? a : b` for a 1-bit `cond`.
    fn select(&mut self, cond: &Self::Term, a: &Self::Term, b: &Self::Term) -> Self::Term;

    /// Bits `high..=low` of `a`.
    fn extract(&mut self, high: u32, low: u32, a: &Self::Term) -> Self::Term;

    /// `a` with `extra` zero bits on top.
    fn zero_extend(&mut self, extra: u32, a: &Self::Term) -> Self::Term;

    /// `a` with `extra` copies of its sign bit on top.
    fn sign_extend(&mut self, extra: u32, a: &Self::Term) -> Self::Term;

    /// Marks a term that is used more than once (an SSA value, or a helper term of an
    /// encoding); returns the term to use in its place. `name` is a hint for printed output.
    fn share(&mut self, a: Self::Term, name: &str) -> Self::Term;
}

/// The SMT-LIB operation that implements `op` exactly, for the opcodes where one exists.
///
/// SMT-LIB's division, remainder and shift operations are total with the same edge cases as the
/// `docs/semantics.md` table (`bvudiv x 0 = ~0`, `bvurem x 0 = x`, `bvsdiv` truncating, over-wide shifts give
/// 0 or the sign), so they are used as they are. Rotates, bit counts, `select` and width changes
/// are built from these by [`super::encoding`].
pub(crate) fn direct_smtlib_name(op: Opcode) -> Option<&'static str> {
    use Opcode::*;
    Some(match op {
        Add => "bvadd",
        Sub => "bvsub",
        Mul => "bvmul",
        Neg => "bvneg",
        Udiv => "bvudiv",
        Urem => "bvurem",
        Sdiv => "bvsdiv",
        Srem => "bvsrem",
        And => "bvand",
        Or => "bvor",
        Xor => "bvxor",
        Not => "bvnot",
        Shl => "bvshl",
        Lshr => "bvlshr",
        Ashr => "bvashr",
        Eq => "=",
        Ne => "distinct",
        Ult => "bvult",
        Ule => "bvule",
        Ugt => "bvugt",
        Uge => "bvuge",
        Slt => "bvslt",
        Sle => "bvsle",
        Sgt => "bvsgt",
        Sge => "bvsge",
        Iconst | Rotl | Rotr | Select | Zext | Sext | Trunc | Popcnt | Clz | Ctz => return None,
    })
}
