//! The checked program: every expression typed, every operator resolved to its IR opcode,
//! every name resolved to a local slot or a function index. Lowering reads only this.
//!
//! Invariant: a checked program is well-typed (the checker reports an error instead of building
//! an ill-typed node), so lowering it cannot fail.

use std::time::Duration;

use ir::{CostModel, Opcode, SourceType, SpecParam, Type};

use super::ast::Span;

/// The source type a type name denotes (`bool`, `i8..i64`, `u8..u64`).
pub fn source_type(name: &str) -> Option<SourceType> {
    let (signed, width) = match name.as_bytes().first()? {
        _ if name == "bool" => return Some(SourceType::BOOL),
        b'i' => (true, &name[1..]),
        b'u' => (false, &name[1..]),
        _ => return None,
    };
    let ty = match width {
        "8" => Type::I8,
        "16" => Type::I16,
        "32" => Type::I32,
        "64" => Type::I64,
        _ => return None,
    };
    Some(SourceType { ty, signed })
}

/// A typed expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TExpr {
    /// What it computes.
    pub kind: TKind,
    /// Its source type (the IR type is `ty.ty`).
    pub ty: SourceType,
}

/// The kinds of typed expressions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TKind {
    /// A constant, as masked bits of the type.
    Const(u64),
    /// A parameter or `let` slot of the enclosing body.
    Local(usize),
    /// An IR operation on the operands (casts take their result type from the node's type).
    Op(Opcode, Vec<TExpr>),
    /// `{ let slot = value; ...; tail }`: the bindings in order, then the tail.
    Block(Vec<(usize, TExpr)>, Box<TExpr>),
    /// A call of source function number `.0` (inlined when lowering).
    Call(usize, Vec<TExpr>),
}

impl TExpr {
    /// A constant of type `ty`.
    pub fn constant(ty: SourceType, bits: u64) -> TExpr {
        TExpr { kind: TKind::Const(bits), ty }
    }

    /// An operation whose result has type `ty`.
    pub fn op(opcode: Opcode, ty: SourceType, args: Vec<TExpr>) -> TExpr {
        TExpr { kind: TKind::Op(opcode, args), ty }
    }
}

/// A checked source function.
#[derive(Debug, Clone)]
pub struct CheckedFn {
    /// Its name.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    /// Parameters (slots `0..n` of the body).
    pub params: Vec<SpecParam>,
    /// Result type.
    pub ret: SourceType,
    /// The body.
    pub body: TExpr,
    /// Functions it calls, with the call's span, in source order.
    pub calls: Vec<(usize, Span)>,
    /// The integer literals written in it.
    pub constants: Vec<(Type, u64)>,
}

/// A checked `example` clause.
#[derive(Debug, Clone)]
pub struct CheckedExample {
    /// Constant argument expressions.
    pub args: Vec<TExpr>,
    /// Constant result expression.
    pub value: TExpr,
}

/// A checked `synth` task.
#[derive(Debug, Clone)]
pub struct CheckedTask {
    /// Name of the function to synthesize.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    /// Parameters (slots `0..n` of `requires`/`ensures`; `result` is slot `n` in `ensures`).
    pub params: Vec<SpecParam>,
    /// Result type.
    pub ret: SourceType,
    /// `equiv`: the reference function's index.
    pub equiv: Option<usize>,
    /// `requires` conditions (all must hold).
    pub requires: Vec<TExpr>,
    /// `ensures` conditions (all must hold).
    pub ensures: Vec<TExpr>,
    /// `example` clauses.
    pub examples: Vec<CheckedExample>,
    /// `using`.
    pub allowed_ops: Option<Vec<Opcode>>,
    /// `cost`.
    pub cost: CostModel,
    /// `semantics` (default: defined).
    pub semantics: ir::Semantics,
    /// `timeout`.
    pub timeout: Option<Duration>,
    /// `max_size`.
    pub max_size: Option<u32>,
    /// Functions called from its clauses.
    pub calls: Vec<usize>,
    /// Integer literals written in `requires`/`ensures`.
    pub constants: Vec<(Type, u64)>,
}

/// A checked file.
#[derive(Debug, Clone, Default)]
pub struct Program {
    /// Source functions in file order.
    pub fns: Vec<CheckedFn>,
    /// Tasks in file order.
    pub tasks: Vec<CheckedTask>,
    /// Repairs in file order: the function's index and its spec (a task named after it).
    pub repairs: Vec<(usize, CheckedTask)>,
}
