//! Single-function synthesis tasks as written in `.syn` files (format-neutral data).
//!
//! A [`Spec`] says what one function must do (reference function, pre/postcondition, examples)
//! plus the search controls of the task. The `.syn` frontend produces it; the synthesizer turns
//! it into a general [`crate::Problem`] with [`crate::Problem::from_spec`].

use std::fmt;
use std::time::Duration;

use crate::{Function, Opcode, Type};

/// A type as the source language spells it: bits plus signedness (`u32` vs `i32`, `bool`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceType {
    /// The IR type.
    pub ty: Type,
    /// True for `iN`, false for `uN` and `bool`.
    pub signed: bool,
}

impl SourceType {
    /// `bool`.
    pub const BOOL: SourceType = SourceType { ty: Type::I1, signed: false };

    /// A signed (`iN`) type.
    pub fn signed(ty: Type) -> Self {
        SourceType { ty, signed: true }
    }

    /// An unsigned (`uN`) type.
    pub fn unsigned(ty: Type) -> Self {
        SourceType { ty, signed: false }
    }
}

impl fmt::Display for SourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ty.is_bool() {
            f.write_str("bool")
        } else {
            write!(f, "{}{}", if self.signed { 'i' } else { 'u' }, self.ty.width())
        }
    }
}

/// A named, typed parameter of a task.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SpecParam {
    /// Source name.
    pub name: String,
    /// Source type.
    pub ty: SourceType,
}

/// One input/output example: `f(args) == result`, as masked bits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Example {
    /// Arguments, one per parameter.
    pub args: Vec<u64>,
    /// Expected result.
    pub result: u64,
}

/// How the search ranks candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CostModel {
    /// Number of instructions, constants not counted.
    #[default]
    Size,
    /// Sum of per-opcode latencies (see the synthesizer's cost table).
    Latency,
}

impl fmt::Display for CostModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CostModel::Size => "size",
            CostModel::Latency => "latency",
        })
    }
}

/// Which meaning of the IR operations an answer may rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Semantics {
    /// The IR's total semantics (SMT-LIB's): `x / 0`, `MIN / -1` and over-wide shifts have
    /// defined results that answers may use.
    #[default]
    Total,
    /// Answers must mean the same in Rust and C: they reach no guarded case
    /// ([`crate::guards`]) on inputs that meet `requires`, except where the reference does.
    Defined,
}

impl fmt::Display for Semantics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Semantics::Total => "total",
            Semantics::Defined => "defined",
        })
    }
}

/// A synthesis task for one function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Name of the function to synthesize.
    pub name: String,
    /// Its parameters.
    pub params: Vec<SpecParam>,
    /// Its result type.
    pub ret: SourceType,
    /// `equiv g`: the answer must equal this function (same signature) on every input.
    pub reference: Option<Function>,
    /// `requires`: a function `pre(params) -> i1`; inputs where it is false are unconstrained.
    pub pre: Option<Function>,
    /// `ensures`: a function `post(params, result) -> i1` that must hold.
    pub post: Option<Function>,
    /// `example` clauses.
    pub examples: Vec<Example>,
    /// `using`: the opcodes the answer may use (`None`: all).
    pub allowed_ops: Option<Vec<Opcode>>,
    /// `cost`.
    pub cost: CostModel,
    /// `timeout`.
    pub timeout: Option<Duration>,
    /// `max_size`.
    pub max_size: Option<u32>,
    /// Integer literals written in the task and the functions it refers to (constant hints).
    pub constants: Vec<(Type, u64)>,
    /// The semantics discipline answers follow.
    pub semantics: Semantics,
}

impl Spec {
    /// The task "a function equal to `reference` on every input": unsigned parameters named
    /// `x0, x1, ...`, no other clause, the given cost model and semantics.
    pub fn equivalent_to(reference: &Function, cost: CostModel, semantics: Semantics) -> Spec {
        Spec {
            name: reference.name.clone(),
            params: reference
                .params
                .iter()
                .enumerate()
                .map(|(i, p)| SpecParam { name: format!("x{i}"), ty: SourceType::unsigned(p.ty) })
                .collect(),
            ret: SourceType::unsigned(reference.ret_ty),
            reference: Some(reference.clone()),
            pre: None,
            post: None,
            examples: Vec::new(),
            allowed_ops: None,
            cost,
            timeout: None,
            max_size: None,
            constants: Vec::new(),
            semantics,
        }
    }

    /// The IR types of the parameters.
    pub fn param_types(&self) -> Vec<Type> {
        self.params.iter().map(|p| p.ty.ty).collect()
    }

    /// True if only examples constrain the answer, so it cannot be verified for all inputs.
    pub fn is_examples_only(&self) -> bool {
        self.reference.is_none() && self.post.is_none()
    }

    /// `exempt(params) -> i1`: the inputs on which an answer in [`Semantics::Defined`] may
    /// reach a guarded case: where `requires` does not hold, or where the reference reaches one
    /// itself (read lazily, as its source runs: only the taken branch of an `if`).
    pub fn exempt(&self) -> Function {
        use crate::guards::{Evaluation, GuardKind, guard_function};
        let types = self.param_types();
        let mut b = crate::FunctionBuilder::new(&format!("{}_exempt", self.name), &types, Type::I1);
        let args: Vec<crate::Value> = (0..types.len()).map(|i| b.param(i)).collect();
        let mut exempt = b.iconst(Type::I1, 0);
        if let Some(pre) = &self.pre {
            let holds = crate::inline_into(&mut b, pre, &args);
            let outside = b.unary(Opcode::Not, holds);
            exempt = b.binary(Opcode::Or, exempt, outside);
        }
        if let Some(reference) = &self.reference {
            let guard = guard_function(reference, Evaluation::Lazy, &GuardKind::ALL);
            let reached = crate::inline_into(&mut b, &guard, &args);
            exempt = b.binary(Opcode::Or, exempt, reached);
        }
        b.finish(exempt).unwrap_or_else(|e| panic!("exemption does not verify: {e}")).without_dead_code()
    }
}
