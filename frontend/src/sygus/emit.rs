//! Where lowered terms go: a constraint [`Formula`], an IR function, or a [`Macro`] (the body
//! of a `define-fun`, lowered once).
//!
//! The term lowering is written once, generic over [`Emitter`]. Every emitter hash-conses, so a
//! sub-term used twice (through `let`, or a `define-fun` applied twice to the same arguments) is
//! one node. Invariant: a [`Macro`] is a DAG in dependency order, and [`Macro::inline`] copies
//! it into any emitter with one loop over its nodes, so inlining needs no recursion however
//! deeply definitions call each other.

use std::hash::Hash;

use rustc_hash::FxHashMap;

use ir::{Formula, Function, FunctionBuilder, Location, Node, NodeId, Opcode, Type, Value};

/// A sink for lowered terms.
pub(crate) trait Emitter {
    /// A handle to an emitted value.
    type H: Copy + Eq + Hash + std::fmt::Debug;
    /// A constant (masked bits).
    fn constant(&mut self, ty: Type, bits: u64) -> Self::H;
    /// An operation with result type `ty` (the cast target for casts).
    fn op(&mut self, opcode: Opcode, ty: Type, args: &[Self::H]) -> Self::H;
    /// The problem variable `index` (written at `loc`), or `None` where variables cannot appear.
    fn var(&mut self, index: usize, loc: Location) -> Option<Self::H>;
    /// A call of target `target` (written at `loc`), or `None` where targets cannot be called.
    fn call(&mut self, target: usize, args: &[Self::H], loc: Location) -> Option<Self::H>;
}

/// A node of a [`Macro`]; operands are indices of earlier nodes. Equality and hashing ignore
/// the locations (they only say where a variable or call was first written).
#[derive(Debug, Clone)]
pub(crate) enum MacroNode {
    /// Parameter `i` of the definition.
    Param(usize),
    /// A constant (masked bits).
    Const(Type, u64),
    /// An operation with its result type.
    Op(Opcode, Type, Vec<usize>),
    /// Problem variable `i`, and where it is first written (for the error where variables are
    /// not allowed).
    Var(usize, Location),
    /// A call of target `t`, and where it is first written.
    Call(usize, Vec<usize>, Location),
}

impl PartialEq for MacroNode {
    fn eq(&self, other: &MacroNode) -> bool {
        match (self, other) {
            (MacroNode::Param(a), MacroNode::Param(b)) => a == b,
            (MacroNode::Const(t, a), MacroNode::Const(u, b)) => t == u && a == b,
            (MacroNode::Op(o, t, a), MacroNode::Op(p, u, b)) => o == p && t == u && a == b,
            (MacroNode::Var(a, _), MacroNode::Var(b, _)) => a == b,
            (MacroNode::Call(t, a, _), MacroNode::Call(u, b, _)) => t == u && a == b,
            _ => false,
        }
    }
}

impl Eq for MacroNode {}

impl Hash for MacroNode {
    fn hash<S: std::hash::Hasher>(&self, state: &mut S) {
        std::mem::discriminant(self).hash(state);
        match self {
            MacroNode::Param(i) | MacroNode::Var(i, _) => i.hash(state),
            MacroNode::Const(t, bits) => (t, bits).hash(state),
            MacroNode::Op(opcode, t, args) => (opcode, t, args).hash(state),
            MacroNode::Call(t, args, _) => (t, args).hash(state),
        }
    }
}

/// A hash-consing index over the items of a vector: finds the position of an item equal to a
/// new one, storing only hashes and positions (not a second copy of every item).
#[derive(Debug, Default)]
struct Interner {
    /// The first item with each hash.
    first: FxHashMap<u64, u32>,
    /// Further items with the same hash (rare).
    more: FxHashMap<u64, Vec<u32>>,
}

impl Interner {
    fn hash<T: Hash>(item: &T) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(item)
    }

    /// The position of an item of `items` equal to `item`, or `item`'s position once pushed.
    fn intern<T: Hash + Eq>(&mut self, items: &mut Vec<T>, item: T) -> usize {
        let h = Self::hash(&item);
        let found = self.first.get(&h).into_iter().chain(self.more.get(&h).into_iter().flatten());
        if let Some(&id) = found.into_iter().find(|&&id| items[id as usize] == item) {
            return id as usize;
        }
        let id = u32::try_from(items.len()).expect("fewer than 2^32 nodes (the work budget is far smaller)");
        items.push(item);
        if let std::collections::hash_map::Entry::Vacant(e) = self.first.entry(h) {
            e.insert(id);
        } else {
            self.more.entry(h).or_default().push(id);
        }
        id as usize
    }
}

/// The body of a `define-fun`, lowered once: a hash-consed DAG over its parameters, in
/// dependency order, holding only the nodes its result depends on (the last one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Macro {
    nodes: Vec<MacroNode>,
}

/// What an emitter refused while a [`Macro`] was inlined into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Problem variable `i`, written at the location.
    Var(usize, Location),
    /// A call of target `t`, written at the location.
    Call(usize, Location),
}

impl Macro {
    /// Number of nodes: the work of one [`Macro::inline`].
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Emits the macro's body with its parameters bound to `args` into `em`, node by node, and
    /// returns the handle of its result.
    pub fn inline<E: Emitter>(&self, em: &mut E, args: &[E::H]) -> Result<E::H, Refused> {
        let mut values: Vec<E::H> = Vec::with_capacity(self.nodes.len());
        for node in &self.nodes {
            let h = match node {
                MacroNode::Param(i) => args[*i],
                MacroNode::Const(ty, bits) => em.constant(*ty, *bits),
                MacroNode::Op(opcode, ty, operands) => {
                    let hs: Vec<E::H> = operands.iter().map(|&a| values[a]).collect();
                    em.op(*opcode, *ty, &hs)
                }
                MacroNode::Var(i, loc) => em.var(*i, *loc).ok_or(Refused::Var(*i, *loc))?,
                MacroNode::Call(t, operands, loc) => {
                    let hs: Vec<E::H> = operands.iter().map(|&a| values[a]).collect();
                    em.call(*t, &hs, *loc).ok_or(Refused::Call(*t, *loc))?
                }
            };
            values.push(h);
        }
        Ok(*values.last().expect("a macro has at least its result node"))
    }
}

/// Builds a [`Macro`].
#[derive(Debug, Default)]
pub(crate) struct MacroEmitter {
    nodes: Vec<MacroNode>,
    index: Interner,
}

impl MacroEmitter {
    fn add(&mut self, node: MacroNode) -> usize {
        self.index.intern(&mut self.nodes, node)
    }

    /// The handle of parameter `i`.
    pub fn param(&mut self, i: usize) -> usize {
        self.add(MacroNode::Param(i))
    }

    /// The macro whose result is `root`, keeping only the nodes `root` depends on.
    pub fn finish(self, root: usize) -> Macro {
        let nodes = self.nodes;
        let mut live = vec![false; root + 1];
        live[root] = true;
        for id in (0..=root).rev() {
            if live[id] {
                match &nodes[id] {
                    MacroNode::Op(_, _, args) | MacroNode::Call(_, args, _) => {
                        args.iter().for_each(|&a| live[a] = true)
                    }
                    MacroNode::Param(_) | MacroNode::Const(..) | MacroNode::Var(..) => {}
                }
            }
        }
        let mut renumber = vec![usize::MAX; root + 1];
        let mut out = Vec::new();
        for (id, node) in nodes.into_iter().enumerate().take(root + 1) {
            if !live[id] {
                continue;
            }
            let mut node = node;
            if let MacroNode::Op(_, _, args) | MacroNode::Call(_, args, _) = &mut node {
                args.iter_mut().for_each(|a| *a = renumber[*a]);
            }
            out.push(node);
            renumber[id] = out.len() - 1;
        }
        Macro { nodes: out }
    }
}

impl Emitter for MacroEmitter {
    type H = usize;
    fn constant(&mut self, ty: Type, bits: u64) -> usize {
        self.add(MacroNode::Const(ty, ty.wrap(bits)))
    }
    fn op(&mut self, opcode: Opcode, ty: Type, args: &[usize]) -> usize {
        self.add(MacroNode::Op(opcode, ty, args.to_vec()))
    }
    fn var(&mut self, index: usize, loc: Location) -> Option<usize> {
        Some(self.add(MacroNode::Var(index, loc)))
    }
    fn call(&mut self, target: usize, args: &[usize], loc: Location) -> Option<usize> {
        Some(self.add(MacroNode::Call(target, args.to_vec(), loc)))
    }
}

/// Builds a constraint formula.
#[derive(Debug, Default)]
pub(crate) struct FormulaEmitter {
    formula: Formula,
    index: Interner,
}

impl FormulaEmitter {
    fn add(&mut self, node: Node) -> NodeId {
        self.index.intern(&mut self.formula.nodes, node)
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
            let mut node = node;
            if let Node::Op { args, .. } | Node::Call { args, .. } = &mut node {
                args.iter_mut().for_each(|a| *a = renumber[*a]);
            }
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
    fn var(&mut self, index: usize, _: Location) -> Option<NodeId> {
        Some(self.add(Node::Var(index)))
    }
    fn call(&mut self, target: usize, args: &[NodeId], _: Location) -> Option<NodeId> {
        Some(self.add(Node::Call { target, args: args.to_vec() }))
    }
}

/// Builds an IR function over given parameters (grammar productions, solutions, helpers).
#[derive(Debug)]
pub(crate) struct FunctionEmitter {
    builder: FunctionBuilder,
    index: FxHashMap<(Opcode, Type, Vec<Value>, u64), Value>,
}

impl FunctionEmitter {
    /// Starts a function with parameters of the given types.
    pub fn new(name: &str, params: &[Type], ret: Type) -> Self {
        FunctionEmitter { builder: FunctionBuilder::new(name, params, ret), index: FxHashMap::default() }
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
    fn var(&mut self, _: usize, _: Location) -> Option<Value> {
        None
    }
    fn call(&mut self, _: usize, _: &[Value], _: Location) -> Option<Value> {
        None
    }
}
