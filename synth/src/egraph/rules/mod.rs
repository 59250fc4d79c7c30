//! The rewrite-rule library: one table of named rules, grouped by theory.
//!
//! Every rule is a [`RuleSpec`]: a kebab-case name, its theory, a left- and a right-hand side
//! in the typed pattern language below (the same text is compiled into an egg searcher and
//! applier and, by the prover test, into IR functions), an optional side
//! condition over constants, optional type conditions between type variables, and the widths
//! it holds at. [`all`] is the table; [`rewrites`] compiles it for egg. Each theory's file lists
//! its rules with a comment giving the identity, why it holds and what the condition is for.
//!
//! Rules are directed (left to right); a bidirectional identity is two rules, named for each
//! direction. Every rule is sound under the IR's total semantics (docs/semantics.md): the test
//! in `tests.rs` proves `condition => lhs == rhs` with Z3 at widths 1, 4, 8, 16, 32 and 64
//! (every combination, for rules with several type variables) and checks that a rule
//! restricted to some widths does not fire at the others. So, for example, `x / x -> 1` is not
//! in the table: `0 / 0` is all ones.
//!
//! # Pattern syntax
//!
//! A pattern is an s-expression over IR opcode names:
//!
//! - `?x` is a pattern variable (any class); `#c` a variable that only matches a class whose
//!   value the analysis knows (a constant). In proofs both are universally quantified
//!   parameters.
//! - Literals are constants of the node's type, computed from its width: `0`, `1`, `2`, `-1`
//!   (all ones), any decimal or `0x` hex number (wrapped to the width, as in IR text), `min`
//!   (sign bit only), `max` (`min - 1`), `w` (the width) and `w-1`.
//! - `(opcode arg...)` is an operation; a cast names its result type, `(zext.T ?x)`.
//! - Any leaf may be annotated with a type, `?x:S`, `0:i1`, and any operation with its result
//!   type, `(add.T ?x ?y)`. A type is a type variable (a name starting with an upper-case
//!   letter) or a fixed type (`i1`, `i8`, ...).
//!
//! # Pattern types
//!
//! Every node of a rule (its left- and right-hand side and its side condition) has a type
//! variable; the opcodes' typing rules relate them (a binary operation and its operands share
//! one, a compare gives `i1`, `select` takes an `i1` condition, a cast's operand has a type of
//! its own), and unification solves them. A rule matches at every assignment of its free type
//! variables that the e-graph's classes give, so one rule works at every width. The *primary*
//! type variable, the one [`Widths`] restricts, is the one named `N` if there is one, else the
//! type of the left-hand side's root if that is free, else the first free type variable of the
//! left-hand side (so the operand type of a compare).
//!
//! # Conditions
//!
//! A side condition ([`RuleSpec::when`]) is an `i1` pattern over `#` variables, such as
//! `(eq (popcnt #c) 1)` (`c` is a power of two). It is evaluated with `ir::semantics` on the
//! matched constants, so exactly as the IR computes it, and the rule fires only where it is
//! true. Type conditions ([`RuleSpec::types`]) relate the widths of named type variables
//! (`"T < S"`), and [`Widths`] restricts the primary type. All are checked on every match, as
//! is every cast of the right-hand side (a `zext` must widen), so no rule builds an ill-typed
//! node. For example:
//!
//! ```text
//! (mul ?x #c) => (shl ?x (ctz #c))        when (eq (popcnt #c) 1)
//! (trunc.T (zext.U ?x:S)) => (zext.T ?x)  types T > S
//! (add ?x ?y) => (xor ?x ?y)              widths 1
//! ```
//!
//! # Theories
//!
//! | file | theory |
//! |---|---|
//! | `arith.rs` | `add sub mul neg` and division: identities, annihilators, commutativity, associativity, distributivity, negation, multiplication by powers of two |
//! | `bitwise.rs` | `and or xor not`: identities, annihilators, idempotence, complements, absorption, De Morgan |
//! | `hackers.rs` | identities mixing arithmetic and bitwise operations (Hacker's Delight, chapter 2) |
//! | `shift.rs` | shifts and rotates by zero, by constants, by over-wide amounts, and their combinations |
//! | `cmp.rs` | comparison canonicalisation (`ugt a b -> ult b a`), comparisons of a value with itself and with extreme constants |
//! | `select.rs` | `select` simplifications, selects of constants as casts of the condition |
//! | `cast.rs` | `zext sext trunc` chains, and operations moved across casts |
//! | `boolean.rs` | identities that hold only at width 1 (`i1`), where `add` is `xor` and `mul` is `and` |

use std::sync::{Arc, OnceLock};

use egg::Rewrite;

use super::analysis::IrAnalysis;
use super::lang::IrNode;
use super::pattern::{CompiledRule, Rule};

mod arith;
mod bitwise;
mod boolean;
mod cast;
mod cmp;
mod hackers;
mod select;
mod shift;
#[cfg(test)]
mod tests;

/// The theory a rule belongs to (the file it is written in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Theory {
    /// Integer arithmetic.
    Arith,
    /// Bitwise logic.
    Bitwise,
    /// Mixed arithmetic and bitwise identities (Hacker's Delight).
    Hackers,
    /// Shifts and rotates.
    Shift,
    /// Comparisons.
    Cmp,
    /// `select`.
    Select,
    /// Width changes.
    Cast,
    /// Width-1 (boolean) identities.
    Boolean,
}

/// The widths of its primary type (see the [module docs](self)) a rule holds and fires at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Widths {
    /// Every width.
    All,
    /// Only these widths.
    Only(&'static [u32]),
    /// This width and wider.
    AtLeast(u32),
}

impl Widths {
    /// True if the rule may fire at `width`.
    pub fn contains(self, width: u32) -> bool {
        match self {
            Widths::All => true,
            Widths::Only(ws) => ws.contains(&width),
            Widths::AtLeast(w) => width >= w,
        }
    }
}

/// One rewrite rule. See the [module docs](self) for the syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSpec {
    /// Kebab-case name, unique in the table; shown in explanations and reports.
    pub name: &'static str,
    /// The theory (the file the rule is in).
    pub theory: Theory,
    /// Left-hand side: what the rule matches.
    pub lhs: &'static str,
    /// Right-hand side: what a match is made equal to.
    pub rhs: &'static str,
    /// Side condition: an `i1` pattern over `#` (constant) variables that must evaluate to 1.
    pub cond: Option<&'static str>,
    /// Type conditions, comma-separated relations between named type variables' widths
    /// (`"T < S"`, `"T == S"`, `"T > S"`).
    pub types: Option<&'static str>,
    /// The widths of the primary type the rule holds and fires at.
    pub widths: Widths,
}

impl RuleSpec {
    /// A rule of `theory` without conditions, at every width.
    pub const fn new(theory: Theory, name: &'static str, lhs: &'static str, rhs: &'static str) -> RuleSpec {
        RuleSpec { name, theory, lhs, rhs, cond: None, types: None, widths: Widths::All }
    }

    /// The same rule with a side condition.
    pub const fn when(self, cond: &'static str) -> RuleSpec {
        RuleSpec { cond: Some(cond), ..self }
    }

    /// The same rule with type conditions.
    pub const fn types(self, types: &'static str) -> RuleSpec {
        RuleSpec { types: Some(types), ..self }
    }

    /// The same rule restricted to some widths.
    pub const fn widths(self, widths: Widths) -> RuleSpec {
        RuleSpec { widths, ..self }
    }
}

/// The rule table: every rule of every theory, in theory order.
pub fn all() -> Vec<&'static RuleSpec> {
    [arith::RULES, bitwise::RULES, hackers::RULES, shift::RULES, cmp::RULES, select::RULES, cast::RULES, boolean::RULES]
        .into_iter()
        .flatten()
        .collect()
}

/// The table compiled once (an error names the first rule that does not compile: a bug the
/// tests catch).
pub(crate) fn compiled() -> Result<&'static [Arc<CompiledRule>], String> {
    static COMPILED: OnceLock<Result<Vec<Arc<CompiledRule>>, String>> = OnceLock::new();
    COMPILED
        .get_or_init(|| all().into_iter().map(|spec| CompiledRule::compile(spec).map(Arc::new)).collect())
        .as_ref()
        .map(|v| v.as_slice())
        .map_err(Clone::clone)
}

/// The table as egg rewrites, for a [`egg::Runner`] over [`IrNode`] with [`IrAnalysis`].
///
/// # Errors
/// A message naming a rule that does not compile (a bug in the table; the tests compile
/// every rule).
pub fn rewrites() -> Result<Vec<Rewrite<IrNode, IrAnalysis>>, String> {
    compiled()?
        .iter()
        .map(|rule| {
            let r = Rule(Arc::clone(rule));
            Rewrite::new(rule.name(), r.clone(), r)
        })
        .collect()
}
