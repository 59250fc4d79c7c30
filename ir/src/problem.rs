//! General synthesis problems: several target functions, universally quantified variables, and
//! constraints that call the targets anywhere (the shape of SyGuS-IF).
//!
//! A [`Formula`] is a small DAG over the problem's variables whose nodes are IR operations or
//! calls to targets; the synthesizer evaluates it with candidates substituted and encodes it for
//! the solver. A target may carry a [`Grammar`] restricting the terms it may be built from.

use std::fmt;

use crate::{Function, FunctionBuilder, Opcode, Semantics, Shape, Spec, Type, Value};

/// A SyGuS sort. Both map to IR types; the distinction matters only when printing SyGuS text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sort {
    /// `Bool` (IR `i1`).
    Bool,
    /// `(_ BitVec N)` (IR `iN`).
    BitVec(u32),
}

impl Sort {
    /// The IR type of values of this sort.
    ///
    /// # Panics
    /// If a bit-vector width is outside 1..=64 (frontends reject those).
    pub fn ty(self) -> Type {
        match self {
            Sort::Bool => Type::I1,
            Sort::BitVec(w) => Type::new(w).expect("bit-vector width outside 1..=64"),
        }
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sort::Bool => f.write_str("Bool"),
            Sort::BitVec(w) => write!(f, "(_ BitVec {w})"),
        }
    }
}

/// A universally quantified variable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Var {
    /// Name.
    pub name: String,
    /// Sort.
    pub sort: Sort,
}

/// Index of a node in a [`Formula`].
pub type NodeId = usize;

/// A node of a formula DAG. Operands always refer to earlier nodes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    /// The problem variable with this index.
    Var(usize),
    /// A constant of a type, as masked bits.
    Const(Type, u64),
    /// An IR operation (not `iconst`) with its result type.
    Op {
        /// The operation.
        opcode: Opcode,
        /// Its result type.
        ty: Type,
        /// Operand nodes.
        args: Vec<NodeId>,
    },
    /// A call of the target function with this index.
    Call {
        /// Index into [`Problem::targets`].
        target: usize,
        /// Argument nodes, one per target parameter.
        args: Vec<NodeId>,
    },
}

/// A formula: a DAG of nodes whose last node is the value of the formula.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Formula {
    /// Nodes in dependency order.
    pub nodes: Vec<Node>,
}

impl Formula {
    /// The root (last) node.
    ///
    /// # Panics
    /// If the formula is empty.
    pub fn root(&self) -> NodeId {
        assert!(!self.nodes.is_empty(), "empty formula");
        self.nodes.len() - 1
    }

    /// Appends a node, reusing an identical existing node (hash-consing by a linear search: for
    /// building small formulas; [`Formula::inline`] shares nodes in linear time), and returns its id.
    pub fn add(&mut self, node: Node) -> NodeId {
        if let Some(i) = self.nodes.iter().position(|n| *n == node) {
            return i;
        }
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Appends a node that becomes the new root even if an identical node exists.
    pub fn push_root(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Inlines `f` applied to argument nodes and returns the node of its result. Nodes equal to
    /// existing ones are shared; the work is linear in the sizes of `f` and the formula.
    pub fn inline(&mut self, f: &Function, args: &[NodeId]) -> NodeId {
        let mut existing: std::collections::HashMap<Node, NodeId> =
            self.nodes.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect();
        let mut map = std::collections::HashMap::new();
        for (p, &a) in f.params.iter().zip(args) {
            map.insert(p.value, a);
        }
        for inst in &f.body {
            let node = if inst.opcode == Opcode::Iconst {
                Node::Const(inst.ty, inst.imm)
            } else {
                Node::Op { opcode: inst.opcode, ty: inst.ty, args: inst.args.iter().map(|a| map[a]).collect() }
            };
            let id = *existing.entry(node).or_insert_with_key(|node| {
                self.nodes.push(node.clone());
                self.nodes.len() - 1
            });
            map.insert(inst.result, id);
        }
        map[&f.ret]
    }

    /// The type of a node's value, given the problem it belongs to.
    pub fn node_type(&self, problem: &Problem, id: NodeId) -> Type {
        match &self.nodes[id] {
            Node::Var(v) => problem.vars[*v].sort.ty(),
            Node::Const(t, _) => *t,
            Node::Op { ty, .. } => *ty,
            Node::Call { target, .. } => problem.targets[*target].ret.ty(),
        }
    }

    /// Evaluates the formula (its root) for variable values `vars`, calling `call(target, args)`
    /// for every target call. Values are masked bits.
    ///
    /// # Panics
    /// If the formula is ill-formed (see [`Problem::check`]).
    pub fn eval(&self, problem: &Problem, vars: &[u64], call: &mut dyn FnMut(usize, &[u64]) -> u64) -> u64 {
        let mut values: Vec<u64> = Vec::with_capacity(self.nodes.len());
        for (id, node) in self.nodes.iter().enumerate() {
            let v = match node {
                Node::Call { target, args } => {
                    let a: Vec<u64> = args.iter().map(|&i| values[i]).collect();
                    problem.targets[*target].ret.ty().wrap(call(*target, &a))
                }
                _ => self.eval_node(problem, id, &values, vars),
            };
            values.push(v);
        }
        values[self.root()]
    }

    /// The value of node `id` (not a call) given the values of the nodes before it and of the
    /// variables.
    ///
    /// # Panics
    /// If `id` is a call, or the formula is ill-formed.
    pub fn eval_node(&self, problem: &Problem, id: NodeId, values: &[u64], vars: &[u64]) -> u64 {
        match &self.nodes[id] {
            Node::Var(i) => problem.vars[*i].sort.ty().wrap(vars[*i]),
            Node::Const(_, c) => *c,
            Node::Op { opcode, ty, args } => {
                let mut a = [0u64; 3];
                for (slot, &i) in a.iter_mut().zip(args) {
                    *slot = values[i];
                }
                let operand = if *opcode == Opcode::Select { args[1] } else { args[0] };
                crate::semantics::apply(*opcode, *ty, self.node_type(problem, operand), &a[..args.len()])
            }
            Node::Call { .. } => panic!("eval_node on a call"),
        }
    }

    /// True if the formula calls any target.
    pub fn has_calls(&self) -> bool {
        self.nodes.iter().any(|n| matches!(n, Node::Call { .. }))
    }
}

/// How a grammar production prints in SyGuS syntax: an s-expression with holes for children.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Surface {
    /// A symbol or literal.
    Atom(String),
    /// The term chosen for child number `n`.
    Child(usize),
    /// A parenthesized list.
    List(Vec<Surface>),
}

impl Surface {
    /// Renders the surface with the children's texts filled in.
    pub fn render(&self, children: &[String]) -> String {
        match self {
            Surface::Atom(a) => a.clone(),
            Surface::Child(i) => children[*i].clone(),
            Surface::List(items) => {
                let parts: Vec<String> = items.iter().map(|s| s.render(children)).collect();
                format!("({})", parts.join(" "))
            }
        }
    }
}

/// One production of a non-terminal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Production {
    /// A term built from children non-terminals.
    Term {
        /// The non-terminals of the children, in hole order.
        children: Vec<usize>,
        /// Computes the term: its parameters are the children's values followed by the target's
        /// parameters.
        body: Function,
        /// How the term prints.
        surface: Surface,
    },
    /// `(Constant S)`: any constant of the non-terminal's sort.
    AnyConstant,
    /// `(Variable S)`: any target parameter of the non-terminal's sort.
    AnyVariable,
}

/// A non-terminal of a grammar.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NonTerminal {
    /// Name in the source.
    pub name: String,
    /// Sort of its terms.
    pub sort: Sort,
    /// Its productions.
    pub productions: Vec<Production>,
}

/// A grammar restricting a target's body. Non-terminal 0 is the start symbol.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Grammar {
    /// Non-terminals; the first is the start symbol.
    pub nonterminals: Vec<NonTerminal>,
}

/// A term of a grammar, as the choices that derive it from a non-terminal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Derivation {
    /// A [`Production::Term`] applied to derivations of its children.
    Apply {
        /// The non-terminal.
        nonterminal: usize,
        /// Index of the production in the non-terminal.
        production: usize,
        /// One derivation per child, in hole order.
        children: Vec<Derivation>,
    },
    /// A [`Production::AnyConstant`] instantiated with a value (masked bits).
    Constant {
        /// The non-terminal.
        nonterminal: usize,
        /// The constant.
        value: u64,
    },
    /// A [`Production::AnyVariable`] instantiated with target parameter `param`.
    Variable {
        /// The non-terminal.
        nonterminal: usize,
        /// Index into the target's parameters.
        param: usize,
    },
}

impl Derivation {
    /// The IR function the derivation denotes, named after the target.
    ///
    /// # Panics
    /// If the derivation does not fit the target's grammar (wrong indices or child counts).
    pub fn to_function(&self, target: &Target) -> Function {
        let grammar = target.grammar.as_ref().expect("a derivation needs a grammar");
        let mut b = FunctionBuilder::new(&target.name, &target.param_types(), target.ret.ty());
        let params: Vec<Value> = (0..target.params.len()).map(|i| b.param(i)).collect();
        let ret = self.build(grammar, &mut b, &params, &mut |b, ty, value| b.iconst(ty, value));
        b.finish(ret).unwrap_or_else(|e| panic!("derivation does not type-check: {e}"))
    }

    /// The derivation's `(Constant S)` leaves as `(nonterminal, value)`, in depth-first order.
    pub fn constants(&self) -> Vec<(usize, u64)> {
        let mut out = Vec::new();
        self.visit_constants(&mut |nt, value| out.push((nt, value)));
        out
    }

    fn visit_constants(&self, f: &mut dyn FnMut(usize, u64)) {
        match self {
            Derivation::Constant { nonterminal, value } => f(*nonterminal, *value),
            Derivation::Variable { .. } => {}
            Derivation::Apply { children, .. } => children.iter().for_each(|c| c.visit_constants(f)),
        }
    }

    /// The derivation with its `(Constant S)` leaves set to `values`, in depth-first order
    /// (leaves past the end of `values` keep their value).
    pub fn with_constants(&self, values: &[u64]) -> Derivation {
        let mut next = 0;
        self.replace_constants(values, &mut next)
    }

    fn replace_constants(&self, values: &[u64], next: &mut usize) -> Derivation {
        match self {
            Derivation::Constant { nonterminal, value } => {
                let v = values.get(*next).copied().unwrap_or(*value);
                *next += 1;
                Derivation::Constant { nonterminal: *nonterminal, value: v }
            }
            Derivation::Variable { .. } => self.clone(),
            Derivation::Apply { nonterminal, production, children } => Derivation::Apply {
                nonterminal: *nonterminal,
                production: *production,
                children: children.iter().map(|c| c.replace_constants(values, next)).collect(),
            },
        }
    }

    /// The function of the derivation with each `(Constant S)` leaf made a parameter: the
    /// target's parameters come first, then one per constant leaf in depth-first order (a
    /// *sketch* whose holes are the constants).
    ///
    /// # Panics
    /// As [`Derivation::to_function`].
    pub fn to_sketch(&self, target: &Target) -> Function {
        let grammar = target.grammar.as_ref().expect("a derivation needs a grammar");
        let mut types = target.param_types();
        types.extend(self.constants().iter().map(|&(nt, _)| grammar.nonterminals[nt].sort.ty()));
        let mut b = FunctionBuilder::new(&target.name, &types, target.ret.ty());
        let n = target.params.len();
        let params: Vec<Value> = (0..n).map(|i| b.param(i)).collect();
        let holes: Vec<Value> = (n..types.len()).map(|i| b.param(i)).collect();
        let mut next = 0;
        let ret = self.build(grammar, &mut b, &params, &mut |_, _, _| {
            next += 1;
            holes[next - 1]
        });
        b.finish(ret).unwrap_or_else(|e| panic!("derivation does not type-check: {e}"))
    }

    fn build(
        &self,
        grammar: &Grammar,
        b: &mut FunctionBuilder,
        params: &[Value],
        constant: &mut dyn FnMut(&mut FunctionBuilder, Type, u64) -> Value,
    ) -> Value {
        match self {
            Derivation::Constant { nonterminal, value } => {
                constant(b, grammar.nonterminals[*nonterminal].sort.ty(), *value)
            }
            Derivation::Variable { param, .. } => params[*param],
            Derivation::Apply { nonterminal, production, children } => {
                let Production::Term { body, .. } = &grammar.nonterminals[*nonterminal].productions[*production] else {
                    panic!("Derivation::Apply names a production that is not a term");
                };
                let mut args: Vec<Value> = children.iter().map(|c| c.build(grammar, b, params, constant)).collect();
                args.extend_from_slice(params);
                inline_into(b, body, &args)
            }
        }
    }

    /// Number of nodes (productions used) in the derivation.
    pub fn size(&self) -> usize {
        match self {
            Derivation::Apply { children, .. } => 1 + children.iter().map(Derivation::size).sum::<usize>(),
            _ => 1,
        }
    }
}

/// Appends the body of `f` applied to `args` to a builder and returns the value of its result.
pub fn inline_into(b: &mut FunctionBuilder, f: &Function, args: &[Value]) -> Value {
    let mut map: std::collections::HashMap<Value, Value> =
        f.params.iter().map(|p| p.value).zip(args.iter().copied()).collect();
    for inst in &f.body {
        let operands: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
        let v = b.inst(inst.opcode, inst.ty, &operands, inst.imm);
        map.insert(inst.result, v);
    }
    map[&f.ret]
}

/// A function to synthesize.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// Name.
    pub name: String,
    /// Parameters with their sorts.
    pub params: Vec<(String, Sort)>,
    /// Result sort.
    pub ret: Sort,
    /// Allowed terms (`None`: any term over the IR's operations).
    pub grammar: Option<Grammar>,
}

impl Target {
    /// IR types of the parameters.
    pub fn param_types(&self) -> Vec<Type> {
        self.params.iter().map(|p| p.1.ty()).collect()
    }
}

/// A synthesis problem: find bodies for all targets such that every constraint holds for all
/// values of the variables.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Problem {
    /// Name (for reports).
    pub name: String,
    /// Functions to synthesize.
    pub targets: Vec<Target>,
    /// Universally quantified variables.
    pub vars: Vec<Var>,
    /// Constraints; each is an `i1` formula.
    pub constraints: Vec<Formula>,
    /// The defined-behaviour discipline, if the answer must follow it (`.syn` tasks in
    /// `defined` semantics); `None` is the IR's total semantics.
    pub safety: Option<Safety>,
}

/// The defined-behaviour discipline of a problem with one target whose parameters have the
/// types of the variables: on every argument tuple `x` of the target, the answer evaluated
/// eagerly (every instruction) reaches no guarded case ([`crate::guards`]) unless `exempt(x)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Safety {
    /// `exempt(params) -> i1`: the inputs where the answer may reach a guarded case (where
    /// `requires` does not hold, or where the reference reaches one itself).
    pub exempt: Function,
}

impl Safety {
    /// True if `answer` reaches a forbidden guarded case on `args`.
    pub fn violated_by(&self, answer: &Function, args: &[u64]) -> bool {
        crate::eval(&self.exempt, args) & 1 == 0
            && !crate::guards::cases_hit(answer, args, crate::guards::Evaluation::Eager).is_empty()
    }

    /// The problem whose solutions are `answer` and its guard function: the constraints of
    /// `problem` plus `exempt(vars) || !guard(vars)`, with the guard function as a second
    /// target. Verifying `[answer, guard]` against it verifies `answer` against `problem` with
    /// its discipline, with any solver that handles general problems.
    pub fn augmented(problem: &Problem, answer: &Function) -> (Problem, Function) {
        let safety = problem.safety.as_ref().expect("augmented needs a discipline");
        let guard =
            crate::guards::guard_function(answer, crate::guards::Evaluation::Eager, &crate::guards::GuardKind::ALL);
        let mut out = Problem { safety: None, ..problem.clone() };
        let target = problem.targets[0].clone();
        out.targets.push(Target { name: format!("{}_guard", target.name), ret: Sort::Bool, grammar: None, ..target });
        let mut f = Formula::default();
        let xs: Vec<NodeId> = (0..problem.vars.len()).map(|i| f.add(Node::Var(i))).collect();
        let exempt = f.inline(&safety.exempt, &xs);
        let hit = f.add(Node::Call { target: out.targets.len() - 1, args: xs });
        let safe = f.add(Node::Op { opcode: Opcode::Not, ty: Type::I1, args: vec![hit] });
        f.push_root(Node::Op { opcode: Opcode::Or, ty: Type::I1, args: vec![exempt, safe] });
        out.constraints.push(f);
        (out, guard)
    }
}

fn sort_of(ty: Type) -> Sort {
    if ty.is_bool() { Sort::Bool } else { Sort::BitVec(ty.width()) }
}

impl Problem {
    /// The general problem equivalent to a single-function task: variables are the parameters,
    /// `equiv g` becomes `pre(x) => f(x) == g(x)`, `ensures` becomes `pre(x) => post(x, f(x))`
    /// (`pre` is `requires`, true when absent: inputs outside it are unconstrained), and each
    /// example becomes `f(args) == result` (an example is an explicit demand, so `requires` does
    /// not filter it).
    pub fn from_spec(spec: &Spec) -> Problem {
        let target = Target {
            name: spec.name.clone(),
            params: spec.params.iter().map(|p| (p.name.clone(), sort_of(p.ty.ty))).collect(),
            ret: sort_of(spec.ret.ty),
            grammar: None,
        };
        let vars: Vec<Var> = spec.params.iter().map(|p| Var { name: p.name.clone(), sort: sort_of(p.ty.ty) }).collect();
        let n_vars = vars.len();
        // `pre(x) => holds`, built as `!pre(x) || holds` (the guard form the search recognizes).
        let guarded = |build: &dyn Fn(&mut Formula, &[NodeId], NodeId) -> NodeId| {
            let mut f = Formula::default();
            let xs: Vec<NodeId> = (0..n_vars).map(|i| f.add(Node::Var(i))).collect();
            let call = f.add(Node::Call { target: 0, args: xs.clone() });
            let holds = build(&mut f, &xs, call);
            match &spec.pre {
                Some(pre) => {
                    let assumed = f.inline(pre, &xs);
                    let not_pre = f.add(Node::Op { opcode: Opcode::Not, ty: Type::I1, args: vec![assumed] });
                    f.push_root(Node::Op { opcode: Opcode::Or, ty: Type::I1, args: vec![not_pre, holds] });
                }
                None if f.root() != holds => {
                    // Make the clause's value the root.
                    f.push_root(Node::Op { opcode: Opcode::And, ty: Type::I1, args: vec![holds, holds] });
                }
                None => {}
            }
            f
        };
        let mut constraints = Vec::new();
        if let Some(reference) = &spec.reference {
            constraints.push(guarded(&|f, xs, call| {
                let expected = f.inline(reference, xs);
                f.add(Node::Op { opcode: Opcode::Eq, ty: Type::I1, args: vec![call, expected] })
            }));
        }
        if let Some(post) = &spec.post {
            constraints.push(guarded(&|f, xs, call| {
                let mut post_args = xs.to_vec();
                post_args.push(call);
                f.inline(post, &post_args)
            }));
        }
        for ex in &spec.examples {
            let mut f = Formula::default();
            let args: Vec<NodeId> =
                ex.args.iter().zip(&spec.params).map(|(&a, p)| f.add(Node::Const(p.ty.ty, a))).collect();
            let call = f.add(Node::Call { target: 0, args });
            let expected = f.add(Node::Const(spec.ret.ty, ex.result));
            f.push_root(Node::Op { opcode: Opcode::Eq, ty: Type::I1, args: vec![call, expected] });
            constraints.push(f);
        }
        let safety = (spec.semantics == Semantics::Defined).then(|| Safety { exempt: spec.exempt() });
        Problem { name: spec.name.clone(), targets: vec![target], vars, constraints, safety }
    }

    /// Checks that every node is well-typed and refers to earlier nodes; the message names the
    /// first problem found (frontends call this as a consistency check).
    pub fn check(&self) -> Result<(), String> {
        for (ci, f) in self.constraints.iter().enumerate() {
            if f.nodes.is_empty() {
                return Err(format!("constraint {ci} is empty"));
            }
            for (id, node) in f.nodes.iter().enumerate() {
                let earlier = |args: &[NodeId]| args.iter().all(|&a| a < id);
                match node {
                    Node::Var(v) if *v >= self.vars.len() => return Err(format!("constraint {ci}: no variable {v}")),
                    Node::Const(t, c) if t.wrap(*c) != *c => {
                        return Err(format!("constraint {ci}: node {id}: constant {c:#x} does not fit in {t}"));
                    }
                    Node::Op { args, opcode, ty } => {
                        if !earlier(args) {
                            return Err(format!("constraint {ci}: node {id} refers forward"));
                        }
                        let tys: Vec<Type> = args.iter().map(|&a| f.node_type(self, a)).collect();
                        let explicit = matches!(opcode.shape(), Shape::Cast).then_some(*ty);
                        match crate::verify::result_type(*opcode, explicit, &tys) {
                            Ok(t) if t != *ty => {
                                return Err(format!("constraint {ci}: node {id} has type {ty}, expected {t}"));
                            }
                            // The operand rules of the function verifier (equal operand types,
                            // i1 conditions, casts that really widen or narrow).
                            Ok(_) => {
                                if let Some(e) = crate::verify::type_error(*opcode, *ty, &tys, 0) {
                                    return Err(format!("constraint {ci}: node {id}: {e}"));
                                }
                            }
                            Err(e) => return Err(format!("constraint {ci}: node {id}: {e}")),
                        }
                    }
                    Node::Call { target, args } => {
                        let Some(t) = self.targets.get(*target) else {
                            return Err(format!("constraint {ci}: no target {target}"));
                        };
                        if !earlier(args) || args.len() != t.params.len() {
                            return Err(format!("constraint {ci}: bad call of {}", t.name));
                        }
                        for (&a, p) in args.iter().zip(&t.params) {
                            if f.node_type(self, a) != p.1.ty() {
                                return Err(format!("constraint {ci}: argument type mismatch calling {}", t.name));
                            }
                        }
                    }
                    _ => {}
                }
            }
            if f.node_type(self, f.root()) != Type::I1 {
                return Err(format!("constraint {ci} is not boolean"));
            }
        }
        if let Some(safety) = &self.safety {
            let types: Vec<Type> = self.vars.iter().map(|v| v.sort.ty()).collect();
            if self.targets.len() != 1 || self.targets[0].param_types() != types || self.targets[0].grammar.is_some() {
                return Err(
                    "the defined discipline needs one target, without a grammar, whose parameters are the variables"
                        .into(),
                );
            }
            if safety.exempt.param_types() != types || safety.exempt.ret_ty != Type::I1 {
                return Err("the discipline's exemption must map the variables to a boolean".into());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CostModel, SourceType, SpecParam};

    fn spec_with_reference() -> Spec {
        let reference = crate::parse_function(
            "fn r(v0: i8) -> i8 {\n  v1 = iconst.i8 1\n  v2 = sub v0, v1\n  v3 = and v0, v2\n  ret v3\n}\n",
        )
        .unwrap();
        Spec {
            name: "f".into(),
            params: vec![SpecParam { name: "x".into(), ty: SourceType::unsigned(Type::I8) }],
            ret: SourceType::unsigned(Type::I8),
            reference: Some(reference),
            pre: None,
            post: None,
            examples: vec![crate::Example { args: vec![12], result: 8 }],
            allowed_ops: None,
            cost: CostModel::Size,
            timeout: None,
            max_size: None,
            constants: vec![],
            semantics: crate::Semantics::Total,
        }
    }

    #[test]
    fn check_applies_the_verifier_operand_rules() {
        let var = |w| Var { name: format!("x{w}"), sort: Sort::BitVec(w) };
        let problem = |nodes: Vec<Node>| Problem {
            safety: None,
            name: "p".into(),
            targets: vec![],
            vars: vec![var(8), var(16)],
            constraints: vec![Formula { nodes }],
        };
        let eq = |a, b| Node::Op { opcode: Opcode::Eq, ty: Type::I1, args: vec![a, b] };
        let good = problem(vec![Node::Var(0), eq(0, 0)]);
        assert!(good.check().is_ok());
        let bad = [
            // `add` of an i8 and an i16.
            vec![
                Node::Var(0),
                Node::Var(1),
                Node::Op { opcode: Opcode::Add, ty: Type::I8, args: vec![0, 1] },
                eq(2, 2),
            ],
            // `select` with an i8 condition.
            vec![Node::Var(0), Node::Op { opcode: Opcode::Select, ty: Type::I8, args: vec![0, 0, 0] }, eq(1, 1)],
            // `zext` that narrows.
            vec![Node::Var(1), Node::Op { opcode: Opcode::Zext, ty: Type::I8, args: vec![0] }, eq(1, 1)],
            // A constant that does not fit.
            vec![Node::Const(Type::I8, 0x100), eq(0, 0)],
        ];
        for nodes in bad {
            assert!(problem(nodes.clone()).check().is_err(), "{nodes:?}");
        }
    }

    #[test]
    fn problem_from_spec_evaluates_like_the_reference() {
        let problem = Problem::from_spec(&spec_with_reference());
        problem.check().unwrap();
        assert_eq!(problem.constraints.len(), 2);
        // A correct candidate satisfies both constraints, a wrong one fails the reference one.
        let good = |_: usize, a: &[u64]| a[0] & a[0].wrapping_sub(1);
        let bad = |_: usize, a: &[u64]| a[0];
        for x in 0..=255u64 {
            assert_eq!(problem.constraints[0].eval(&problem, &[x], &mut { good }), 1);
        }
        assert_eq!(problem.constraints[0].eval(&problem, &[12], &mut { bad }), 0);
        assert_eq!(problem.constraints[1].eval(&problem, &[], &mut { good }), 1);
        assert_eq!(problem.constraints[1].eval(&problem, &[], &mut { bad }), 0);
    }
}
