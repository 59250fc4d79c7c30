//! The e-graph language: one e-node per IR operation, with its type.
//!
//! An [`IrNode`] is a function parameter ([`IrNode::Param`]), a constant ([`IrNode::Const`]) or
//! an operation ([`IrNode::Op`]) of any non-constant [`Opcode`], and every variant carries the
//! type of the value it computes. Two nodes that differ only in width are different e-nodes, so
//! hash-consing never shares an `add.i8` with an `add.i16`, and the analysis
//! ([`super::analysis`]) checks on every node that its operands have the types the opcode needs
//! (the same rule as the IR verifier, [`ir::result_type`]) and on every merge that both classes
//! have one type.
//!
//! Invariants kept by the constructors:
//! - an [`OpNode`] never has opcode `iconst` (constants are [`IrNode::Const`]), and has exactly
//!   `opcode.arity()` children; the unused child slots are always `Id(0)`, so the derived
//!   equality, hash and order only see the real children;
//! - a constant's bits are masked to its type.
//!
//! Text form (used by egg's `RecExpr` printing and parsing, and so by explanations): an
//! operation is `opcode.type` (`add.i32`, `zext.i64`, `ult.i1`), a parameter `p<index>.type`
//! (`p0.i32`), a constant its IR spelling and type (`5.i32`, `-1.i32`, `0x8000.i16`).

use std::fmt;

use egg::{FromOp, Id, Language};
use ir::{Opcode, Type};

/// An operation e-node: opcode, result type and operand classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpNode {
    /// The operation (never `iconst`).
    pub opcode: Opcode,
    /// The type of the result.
    pub ty: Type,
    args: [Id; 3],
}

impl OpNode {
    /// The operand classes, `opcode.arity()` of them.
    pub fn args(&self) -> &[Id] {
        &self.args[..self.opcode.arity()]
    }
}

/// One e-node of the IR language: a parameter, a constant or an operation, each with the type
/// of the value it computes (so nodes of different widths are different e-nodes).
///
/// Text form (egg's `RecExpr` printing and parsing, and so explanations): an operation is
/// `opcode.type` (`add.i32`, `zext.i64`, `ult.i1`), a parameter `p<index>.type` (`p0.i32`), a
/// constant its IR spelling and type (`5.i32`, `-1.i32`, `0x8000.i16`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IrNode {
    /// Parameter `index` of the function, of type `ty`.
    Param(u32, Type),
    /// The constant `bits` (masked) of type `ty`.
    Const(Type, u64),
    /// A non-constant operation.
    Op(OpNode),
}

/// What [`Language::discriminant`] groups e-nodes by: the variant, and the opcode of an
/// operation (not its type), so one search can find an opcode at every width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Discriminant {
    /// Any parameter.
    Param,
    /// Any constant.
    Const,
    /// Operations of this opcode, at any type.
    Op(Opcode),
}

impl IrNode {
    /// An operation node, or `None` if `opcode` is `iconst` or `args` does not have
    /// `opcode.arity()` elements.
    pub fn op(opcode: Opcode, ty: Type, args: &[Id]) -> Option<IrNode> {
        if opcode == Opcode::Iconst || args.len() != opcode.arity() {
            return None;
        }
        let mut slots = [Id::from(0); 3];
        slots[..args.len()].copy_from_slice(args);
        Some(IrNode::Op(OpNode { opcode, ty, args: slots }))
    }

    /// A constant node, with `bits` masked to `ty`.
    pub fn constant(ty: Type, bits: u64) -> IrNode {
        IrNode::Const(ty, ty.wrap(bits))
    }

    /// The type of the value this node computes.
    pub fn ty(&self) -> Type {
        match *self {
            IrNode::Param(_, ty) | IrNode::Const(ty, _) => ty,
            IrNode::Op(op) => op.ty,
        }
    }

    /// The opcode this node stands for in IR (`iconst` for a constant, `None` for a parameter).
    pub fn opcode(&self) -> Option<Opcode> {
        match self {
            IrNode::Param(..) => None,
            IrNode::Const(..) => Some(Opcode::Iconst),
            IrNode::Op(op) => Some(op.opcode),
        }
    }
}

impl Language for IrNode {
    type Discriminant = Discriminant;

    fn discriminant(&self) -> Discriminant {
        match self {
            IrNode::Param(..) => Discriminant::Param,
            IrNode::Const(..) => Discriminant::Const,
            IrNode::Op(op) => Discriminant::Op(op.opcode),
        }
    }

    fn matches(&self, other: &Self) -> bool {
        match (self, other) {
            (IrNode::Op(a), IrNode::Op(b)) => a.opcode == b.opcode && a.ty == b.ty,
            _ => self == other,
        }
    }

    fn children(&self) -> &[Id] {
        match self {
            IrNode::Op(op) => op.args(),
            _ => &[],
        }
    }

    fn children_mut(&mut self) -> &mut [Id] {
        match self {
            IrNode::Op(op) => {
                let n = op.opcode.arity();
                &mut op.args[..n]
            }
            _ => &mut [],
        }
    }
}

impl fmt::Display for IrNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            IrNode::Param(index, ty) => write!(f, "p{index}.{ty}"),
            IrNode::Const(ty, bits) => write!(f, "{}.{ty}", ir::constant_text(ty, bits)),
            IrNode::Op(op) => write!(f, "{}.{}", op.opcode, op.ty),
        }
    }
}

/// Error of [`FromOp::from_op`] for [`IrNode`]: the text is no e-node spelling, or the number of
/// children does not fit the opcode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{op}` with {children} children is not an e-node of the IR language")]
pub struct ParseNodeError {
    op: String,
    children: usize,
}

/// Reads an IR constant's text (decimal, negative decimal down to `MIN`, or `0x` hex) at `ty`.
fn parse_constant(text: &str, ty: Type) -> Option<u64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let magnitude = match digits.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok()?,
        None if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits.parse().ok()?,
        None => return None,
    };
    if negative {
        (magnitude <= ty.signed_min()).then(|| ty.wrap(magnitude.wrapping_neg()))
    } else {
        (magnitude <= ty.mask()).then_some(magnitude)
    }
}

impl FromOp for IrNode {
    type Error = ParseNodeError;

    fn from_op(op: &str, children: Vec<Id>) -> Result<Self, Self::Error> {
        let error = || ParseNodeError { op: op.to_string(), children: children.len() };
        let (head, ty) = op.rsplit_once('.').ok_or_else(error)?;
        let ty: Type = ty.parse().map_err(|_| error())?;
        if let Some(index) = head.strip_prefix('p').filter(|i| !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit())) {
            let index = index.parse().map_err(|_| error())?;
            return if children.is_empty() { Ok(IrNode::Param(index, ty)) } else { Err(error()) };
        }
        if let Some(bits) = parse_constant(head, ty) {
            return if children.is_empty() { Ok(IrNode::Const(ty, bits)) } else { Err(error()) };
        }
        let opcode: Opcode = head.parse().map_err(|_| error())?;
        IrNode::op(opcode, ty, &children).ok_or_else(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egg::RecExpr;

    #[test]
    fn node_text_round_trips() {
        let i4 = Type::new(4).unwrap();
        let nodes = [
            IrNode::Param(3, Type::I32),
            IrNode::constant(Type::I32, u64::MAX),
            IrNode::constant(Type::I8, 200),
            IrNode::constant(i4, 8),
            IrNode::constant(Type::I64, 1 << 63),
            IrNode::constant(Type::I1, 1),
            IrNode::op(Opcode::Add, Type::I16, &[Id::from(0), Id::from(1)]).unwrap(),
            IrNode::op(Opcode::Zext, Type::I64, &[Id::from(2)]).unwrap(),
            IrNode::op(Opcode::Select, i4, &[Id::from(2), Id::from(0), Id::from(1)]).unwrap(),
        ];
        for node in nodes {
            let text = node.to_string();
            let back = IrNode::from_op(&text, node.children().to_vec()).unwrap();
            assert_eq!(back, node, "{text}");
        }
    }

    #[test]
    fn malformed_nodes_are_errors() {
        for (op, n) in [("add.i32", 1), ("add", 2), ("p0.i32", 1), ("5.i99", 0), ("300.i8", 0), ("iconst.i8", 0)] {
            assert!(IrNode::from_op(op, vec![Id::from(0); n]).is_err(), "{op}");
        }
        assert!(IrNode::op(Opcode::Iconst, Type::I8, &[]).is_none());
        assert!(IrNode::op(Opcode::Neg, Type::I8, &[]).is_none());
    }

    #[test]
    fn widths_are_distinct_nodes() {
        let a = IrNode::op(Opcode::Add, Type::I8, &[Id::from(0), Id::from(1)]).unwrap();
        let b = IrNode::op(Opcode::Add, Type::I16, &[Id::from(0), Id::from(1)]).unwrap();
        assert_ne!(a, b);
        assert!(!a.matches(&b));
        assert_eq!(a.discriminant(), b.discriminant());
        let e: RecExpr<IrNode> = "(add.i8 p0.i8 (neg.i8 -1.i8))".parse().unwrap();
        assert_eq!(e.to_string(), "(add.i8 p0.i8 (neg.i8 255.i8))");
    }
}
