//! Where lowered terms go: a constraint [`Formula`], an IR function, or nowhere (sort checking).
//!
//! The term lowering is written once, generic over [`Emitter`]. Every emitter hash-conses, so a
//! sub-term used twice (through `let`, or a `define-fun` applied twice to the same arguments) is
//! one node.

use std::collections::HashMap;
use std::hash::Hash;

use ir::{Formula, Function, FunctionBuilder, Node, NodeId, Opcode, Type, Value};

/// A sink for lowered terms.
pub(crate) trait Emitter {
    /// A handle to an emitted value.
    type H: Copy + Eq + Hash + std::fmt::Debug;
    /// True if only sorts matter (the handles carry nothing): calls of `define-fun`s are then
    /// checked against their signatures instead of being inlined.
    fn sorts_only(&self) -> bool {
        false
    }
    /// A constant (masked bits).
    fn constant(&mut self, ty: Type, bits: u64) -> Self::H;
    /// An operation with result type `ty` (the cast target for casts).
    fn op(&mut self, opcode: Opcode, ty: Type, args: &[Self::H]) -> Self::H;
    /// The problem variable `index`, or `None` where variables cannot appear.
    fn var(&mut self, index: usize) -> Option<Self::H>;
    /// A call of target `target`, or `None` where targets cannot be called.
    fn call(&mut self, target: usize, args: &[Self::H]) -> Option<Self::H>;
}

/// Checks sorts only.
#[derive(Debug, Default)]
pub(crate) struct SortsOnly;

impl Emitter for SortsOnly {
    type H = ();
    fn sorts_only(&self) -> bool {
        true
    }
    fn constant(&mut self, _: Type, _: u64) {}
    fn op(&mut self, _: Opcode, _: Type, _: &[()]) {}
    fn var(&mut self, _: usize) -> Option<()> {
        Some(())
    }
    fn call(&mut self, _: usize, _: &[()]) -> Option<()> {
        Some(())
    }
}

/// Builds a constraint formula.
#[derive(Debug, Default)]
pub(crate) struct FormulaEmitter {
    formula: Formula,
    index: HashMap<Node, NodeId>,
}

impl FormulaEmitter {
    fn add(&mut self, node: Node) -> NodeId {
        if let Some(&id) = self.index.get(&node) {
            return id;
        }
        self.formula.nodes.push(node.clone());
        let id = self.formula.nodes.len() - 1;
        self.index.insert(node, id);
        id
    }

    /// The formula whose value is `root`, keeping only the nodes `root` depends on.
    pub fn finish(self, root: NodeId) -> Formula {
        let nodes = self.formula.nodes;
        let mut live = vec![false; nodes.len()];
        live[root] = true;
        for id in (0..=root).rev() {
            if live[id] {
                match &nodes[id] {
                    Node::Op { args, .. } | Node::Call { args, .. } => args.iter().for_each(|&a| live[a] = true),
                    Node::Var(_) | Node::Const(..) => {}
                }
            }
        }
        let mut renumber = vec![usize::MAX; nodes.len()];
        let mut out = Formula::default();
        for (id, node) in nodes.into_iter().enumerate().take(root + 1) {
            if !live[id] {
                continue;
            }
            let node = match node {
                Node::Op { opcode, ty, args } => {
                    Node::Op { opcode, ty, args: args.iter().map(|&a| renumber[a]).collect() }
                }
                Node::Call { target, args } => Node::Call { target, args: args.iter().map(|&a| renumber[a]).collect() },
                other => other,
            };
            out.nodes.push(node);
            renumber[id] = out.nodes.len() - 1;
        }
        out
    }
}

impl Emitter for FormulaEmitter {
    type H = NodeId;
    fn constant(&mut self, ty: Type, bits: u64) -> NodeId {
        self.add(Node::Const(ty, ty.wrap(bits)))
    }
    fn op(&mut self, opcode: Opcode, ty: Type, args: &[NodeId]) -> NodeId {
        self.add(Node::Op { opcode, ty, args: args.to_vec() })
    }
    fn var(&mut self, index: usize) -> Option<NodeId> {
        Some(self.add(Node::Var(index)))
    }
    fn call(&mut self, target: usize, args: &[NodeId]) -> Option<NodeId> {
        Some(self.add(Node::Call { target, args: args.to_vec() }))
    }
}

/// Builds an IR function over given parameters (grammar productions, solutions, helpers).
#[derive(Debug)]
pub(crate) struct FunctionEmitter {
    builder: FunctionBuilder,
    index: HashMap<(Opcode, Type, Vec<Value>, u64), Value>,
}

impl FunctionEmitter {
    /// Starts a function with parameters of the given types.
    pub fn new(name: &str, params: &[Type], ret: Type) -> Self {
        FunctionEmitter { builder: FunctionBuilder::new(name, params, ret), index: HashMap::new() }
    }

    /// The value of parameter `i`.
    pub fn param(&self, i: usize) -> Value {
        self.builder.param(i)
    }

    /// Ends the function returning `ret`, without the instructions `ret` does not use.
    pub fn finish(self, ret: Value) -> Result<Function, ir::VerifyErrors> {
        self.builder.finish(ret).map(|f| f.without_dead_code())
    }

    fn inst(&mut self, opcode: Opcode, ty: Type, args: &[Value], imm: u64) -> Value {
        let key = (opcode, ty, args.to_vec(), imm);
        if let Some(&v) = self.index.get(&key) {
            return v;
        }
        let v = self.builder.inst(opcode, ty, args, imm);
        self.index.insert(key, v);
        v
    }
}

impl Emitter for FunctionEmitter {
    type H = Value;
    fn constant(&mut self, ty: Type, bits: u64) -> Value {
        self.inst(Opcode::Iconst, ty, &[], ty.wrap(bits))
    }
    fn op(&mut self, opcode: Opcode, ty: Type, args: &[Value]) -> Value {
        self.inst(opcode, ty, args, 0)
    }
    fn var(&mut self, _: usize) -> Option<Value> {
        None
    }
    fn call(&mut self, _: usize, _: &[Value]) -> Option<Value> {
        None
    }
}
