//! The e-class analysis: every class's type, and its value when it is a known constant.
//!
//! [`IrAnalysis::make`](egg::Analysis::make) types each new node with the IR verifier's rule
//! ([`ir::result_type`]) and folds an operation whose operands are all constants with
//! [`ir::semantics::apply`], the executable form of `docs/semantics.md`, so folding follows the
//! semantics table exactly (division by zero, `MIN / -1`, over-wide shifts, bit counts of 0).
//! A class with a known constant gets the [`IrNode::Const`] node added (and, when explanations
//! are off, loses its other nodes: the constant is free and says everything).
//!
//! Invariants: every node of a class has the class's type; a class's constant, when known, is
//! the value of every term the class represents. A violation (a node whose operands do not fit
//! its opcode, a merge of two types or of two different constants) can only come from an
//! unsound or ill-typed rewrite: it is never silently accepted but recorded in
//! [`IrAnalysis::conflicts`], for the caller to report as an error instead of returning a
//! result.

use egg::{Analysis, DidMerge, EGraph, Id, Language};
use ir::{Shape, Type};

use super::lang::IrNode;

/// What the analysis knows about one e-class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassData {
    /// The type of every term in the class.
    pub ty: Type,
    /// The value of every term in the class, if it is a constant (masked bits).
    pub constant: Option<u64>,
}

/// The type-and-constant analysis: every class's type, and its value when every term in it is
/// the same constant (folded with `ir::semantics`, so exactly as docs/semantics.md says). A
/// class with a known constant gets the constant node. Type errors and merges of different
/// types or constants are recorded in [`IrAnalysis::conflicts`], never accepted silently.
#[derive(Debug, Clone)]
pub struct IrAnalysis {
    /// Invariant violations seen so far, as messages (empty unless a rule is unsound or
    /// ill-typed).
    pub conflicts: Vec<String>,
    /// Remove the other nodes of a class once its constant is known (the default; tests turn
    /// it off to inspect every node). Never done with explanations on.
    pub prune: bool,
}

impl Default for IrAnalysis {
    fn default() -> Self {
        IrAnalysis { conflicts: Vec::new(), prune: true }
    }
}

/// An e-graph over the IR language with the type-and-constant analysis.
pub type IrEGraph = EGraph<IrNode, IrAnalysis>;

impl IrAnalysis {
    /// The value of `node` if all its operands' values are known, by `ir::semantics`.
    fn fold(egraph: &IrEGraph, node: &IrNode) -> Option<u64> {
        match *node {
            IrNode::Param(..) => None,
            IrNode::Const(_, bits) => Some(bits),
            IrNode::Op(op) => {
                let args: Option<Vec<u64>> = op.args().iter().map(|&c| egraph[c].data.constant).collect();
                let args = args?;
                let operand = operand_type(egraph, node);
                Some(ir::semantics::apply(op.opcode, op.ty, operand, &args))
            }
        }
    }
}

/// The type `ir::semantics::apply` reads an operation's operands at: the first operand's (the
/// second's for `select`, whose first is the condition).
fn operand_type(egraph: &IrEGraph, node: &IrNode) -> Type {
    match node {
        IrNode::Op(op) => {
            let i = usize::from(op.opcode.shape() == Shape::Select);
            egraph[op.args()[i]].data.ty
        }
        other => other.ty(),
    }
}

/// Why an operation of result type `ty` cannot take operands of these types (the IR
/// verifier's typing rules, docs/semantics.md), if it cannot.
fn type_error(op: ir::Opcode, ty: Type, operands: &[Type]) -> Option<String> {
    use ir::Opcode;
    let ok = match op.shape() {
        Shape::Unary => operands[0] == ty,
        Shape::Binary => operands[0] == ty && operands[1] == ty,
        Shape::Compare => operands[0] == operands[1] && ty == Type::I1,
        Shape::Select => operands[0] == Type::I1 && operands[1] == ty && operands[2] == ty,
        Shape::Cast if op == Opcode::Trunc => ty.width() < operands[0].width(),
        Shape::Cast => ty.width() > operands[0].width(),
        Shape::Const => false,
    };
    (!ok).then(|| format!("`{op}` of {operands:?} cannot have type {ty}"))
}

impl Analysis<IrNode> for IrAnalysis {
    type Data = ClassData;

    fn make(egraph: &mut IrEGraph, enode: &IrNode, _id: Id) -> ClassData {
        let ty = enode.ty();
        if let IrNode::Op(op) = enode {
            let operands: Vec<Type> = op.args().iter().map(|&c| egraph[c].data.ty).collect();
            if let Some(e) = type_error(op.opcode, ty, &operands) {
                egraph.analysis.conflicts.push(format!("{enode} is ill-typed: {e}"));
            }
        }
        if let IrNode::Const(_, bits) = enode
            && ty.wrap(*bits) != *bits
        {
            egraph.analysis.conflicts.push(format!("constant {bits:#x} does not fit {ty}"));
        }
        let constant = Self::fold(egraph, enode).map(|c| ty.wrap(c));
        ClassData { ty, constant }
    }

    fn merge(&mut self, a: &mut ClassData, b: ClassData) -> DidMerge {
        if a.ty != b.ty {
            self.conflicts.push(format!("merged classes of types {} and {}", a.ty, b.ty));
            return DidMerge(false, true);
        }
        match (a.constant, b.constant) {
            (Some(x), Some(y)) if x != y => {
                self.conflicts.push(format!("merged constants {x:#x} and {y:#x} of type {}", a.ty));
                DidMerge(false, true)
            }
            (None, Some(_)) => {
                a.constant = b.constant;
                DidMerge(true, false)
            }
            (Some(_), None) => DidMerge(false, true),
            _ => DidMerge(false, false),
        }
    }

    fn modify(egraph: &mut IrEGraph, id: Id) {
        let data = egraph[id].data;
        let Some(bits) = data.constant else { return };
        let node = IrNode::constant(data.ty, bits);
        if egraph.are_explanations_enabled() {
            let added = egraph.add_uncanonical(node);
            egraph.union_trusted(id, added, "constant-fold");
        } else {
            let added = egraph.add(node);
            egraph.union(id, added);
            // The constant is the cheapest term of the class and rules see it through the
            // analysis, so the other nodes only slow matching down.
            if egraph.analysis.prune {
                egraph[id].nodes.retain(|n| n.is_leaf());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ir::Opcode;

    /// Every opcode at several widths on edge values: folding in the e-graph gives what
    /// `ir::semantics` gives.
    #[test]
    fn folding_agrees_with_the_semantics() {
        let widths = [Type::I1, Type::new(4).unwrap(), Type::I8, Type::I16, Type::I32, Type::I64];
        let mut checked = 0;
        for &ty in &widths {
            let edges =
                [0, 1, 2, ty.mask(), ty.signed_min(), ty.signed_max(), u64::from(ty.width()), 0x5a5a_5a5a_5a5a_5a5a];
            let edges: Vec<u64> = edges.iter().map(|&e| ty.wrap(e)).collect();
            for &op in Opcode::ALL {
                let shape = op.shape();
                if matches!(shape, Shape::Const | Shape::Cast) {
                    continue;
                }
                for &a in &edges {
                    for &b in &edges {
                        let mut g = IrEGraph::default();
                        let ca = g.add(IrNode::constant(ty, a));
                        let cb = g.add(IrNode::constant(ty, b));
                        let cond = g.add(IrNode::constant(Type::I1, a & 1));
                        let (node, args, result_ty) = match shape {
                            Shape::Unary => (IrNode::op(op, ty, &[ca]), vec![a], ty),
                            Shape::Binary => (IrNode::op(op, ty, &[ca, cb]), vec![a, b], ty),
                            Shape::Compare => (IrNode::op(op, Type::I1, &[ca, cb]), vec![a, b], Type::I1),
                            Shape::Select => (IrNode::op(op, ty, &[cond, ca, cb]), vec![a & 1, a, b], ty),
                            _ => unreachable!(),
                        };
                        let id = g.add(node.unwrap());
                        g.rebuild();
                        let expected = ir::semantics::apply(op, result_ty, ty, &args);
                        assert_eq!(g[id].data.constant, Some(expected), "{op}.{ty} {a:#x} {b:#x}");
                        assert!(g[id].nodes.contains(&IrNode::Const(result_ty, expected)));
                        assert!(g.analysis.conflicts.is_empty());
                        checked += 1;
                    }
                }
            }
        }
        // Casts between every pair of widths.
        for &from in &widths {
            for &to in &widths {
                for op in [Opcode::Zext, Opcode::Sext, Opcode::Trunc] {
                    let ok = match op {
                        Opcode::Trunc => to.width() < from.width(),
                        _ => to.width() > from.width(),
                    };
                    if !ok {
                        continue;
                    }
                    for a in [0, 1, from.mask(), from.signed_min(), from.signed_max()] {
                        let mut g = IrEGraph::default();
                        let c = g.add(IrNode::constant(from, a));
                        let id = g.add(IrNode::op(op, to, &[c]).unwrap());
                        g.rebuild();
                        assert_eq!(
                            g[id].data.constant,
                            Some(ir::semantics::cast(op, from, to, a)),
                            "{op} {from} {to} {a:#x}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 10_000);
    }

    #[test]
    fn parameters_are_not_constant_and_types_are_kept() {
        let mut g = IrEGraph::default();
        let x = g.add(IrNode::Param(0, Type::I16));
        let zero = g.add(IrNode::constant(Type::I16, 0));
        let and = g.add(IrNode::op(Opcode::And, Type::I16, &[x, zero]).unwrap());
        let wide = g.add(IrNode::op(Opcode::Zext, Type::I64, &[and]).unwrap());
        g.rebuild();
        assert_eq!(g[x].data, ClassData { ty: Type::I16, constant: None });
        assert_eq!(g[and].data.constant, None, "folding only looks at constant operands");
        assert_eq!(g[wide].data.ty, Type::I64);
        g.union(and, zero);
        g.rebuild();
        assert_eq!(g[wide].data.constant, Some(0), "a merge makes the parent foldable");
        assert!(g.analysis.conflicts.is_empty());
    }

    #[test]
    fn conflicts_are_recorded() {
        let mut g = IrEGraph::default();
        let a = g.add(IrNode::constant(Type::I8, 1));
        let b = g.add(IrNode::constant(Type::I8, 2));
        g.union(a, b);
        g.rebuild();
        let x = g.add(IrNode::Param(0, Type::I8));
        let y = g.add(IrNode::Param(1, Type::I16));
        g.union(x, y);
        g.rebuild();
        let z = g.add(IrNode::Param(2, Type::I32));
        g.add(IrNode::op(Opcode::Add, Type::I8, &[a, z]).unwrap());
        g.rebuild();
        assert_eq!(g.analysis.conflicts.len(), 3, "{:?}", g.analysis.conflicts);
    }
}
