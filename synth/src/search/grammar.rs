//! The search grammar: non-terminals (each with one IR type) and productions the enumerator
//! combines bottom-up.
//!
//! Built either from a SyGuS grammar ([`ir::Grammar`]) or, for targets without one, from the
//! allowed opcodes and the types the signature needs (one non-terminal per type, `i1` when
//! something can consume booleans, width changes only between those types). Productions whose
//! body is a single IR operation on their children get a fast kind (`Op`); anything else (a
//! define-fun helper, a nested term) is a `Template` evaluated instruction by instruction.

use ir::{CostModel, Function, Opcode, Shape, Target, Type};

use super::cost::op_cost;
use super::template::Template;

/// Index of a non-terminal.
pub type NtId = usize;

/// What a production computes.
#[derive(Debug, Clone, PartialEq)]
pub enum ProdKind {
    /// Target parameter number `n`.
    Param(usize),
    /// A constant.
    Const(u64),
    /// One IR operation applied to the children in order (`iconst` excluded).
    Op(Opcode),
    /// The single child unchanged (`A -> B`).
    Unit,
    /// A general body: parameters are the children's values, then the target's parameters.
    Template(Template),
}

/// Where a production came from, to rebuild a SyGuS derivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Built from opcodes (no user grammar).
    Synthetic,
    /// Production `production` of non-terminal `nonterminal` of the user grammar.
    Production { nonterminal: usize, production: usize },
    /// An instance of `(Constant S)` of the user grammar's non-terminal.
    AnyConstant { nonterminal: usize },
    /// An instance of `(Variable S)` of the user grammar's non-terminal.
    AnyVariable { nonterminal: usize },
}

/// One production `nt -> kind(children...)`.
#[derive(Debug, Clone)]
pub struct Prod {
    /// The non-terminal it produces.
    pub nt: NtId,
    /// What it computes.
    pub kind: ProdKind,
    /// The children's non-terminals.
    pub children: Vec<NtId>,
    /// Its own cost (children not included).
    pub cost: u32,
    /// Where it came from.
    pub origin: Origin,
}

impl Prod {
    /// Type of child `i`'s values.
    pub fn child_type(&self, grammar: &SearchGrammar, i: usize) -> Type {
        grammar.nts[self.children[i]].ty
    }
}

/// A non-terminal.
#[derive(Debug, Clone)]
pub struct Nt {
    /// Type of its terms.
    pub ty: Type,
}

/// The grammar the enumerator works on.
#[derive(Debug, Clone)]
pub struct SearchGrammar {
    /// Non-terminals.
    pub nts: Vec<Nt>,
    /// Productions.
    pub prods: Vec<Prod>,
    /// The start symbol (the target's result).
    pub start: NtId,
    /// The target's parameter types.
    pub params: Vec<Type>,
    /// True if built from a user grammar (answers are derivations).
    pub user_grammar: bool,
    /// The types for which some production stands for *any* constant (`iconst`, `(Constant S)`)
    /// but only a pool of values is enumerated: terms with other constants exist that the
    /// enumeration never builds, so saturation and "every cheaper term refuted" cover only the
    /// terms over the pool. Empty when every constant of the grammar is enumerated.
    pub open_constant_types: Vec<Type>,
}

/// What the no-grammar construction may use.
#[derive(Debug, Clone)]
pub struct OpSet {
    /// Allowed opcodes (`iconst` allows constants).
    pub ops: Vec<Opcode>,
    /// Extra constants (spec literals) by type.
    pub constants: Vec<(Type, u64)>,
    /// Which values `iconst` enumerates.
    pub pool: ConstantPool,
}

/// True if `pool` holds every value of `ty`.
fn covers_type(ty: Type, pool: &[u64]) -> bool {
    ty.width() < 64 && pool.len() as u64 >= 1u64 << ty.width()
}

/// Widest type whose every value can be enumerated as a constant ([`ConstantPool::Full`]).
pub const FULL_POOL_MAX_WIDTH: u32 = 8;

/// Which constants stand for "any constant of a type".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstantPool {
    /// The defaults of the type and the literals of the spec (fast; other constants are not
    /// enumerated).
    Defaults,
    /// Every value of types up to [`FULL_POOL_MAX_WIDTH`] bits (the defaults for wider ones):
    /// with it, saturation over such types is a proof.
    Full,
}

/// The constants of `ty` to enumerate: the pool's values plus the spec's literals of that type.
fn pool_values(ty: Type, pool: ConstantPool, literals: &[(Type, u64)]) -> Vec<u64> {
    let mut consts = match pool {
        ConstantPool::Full if ty.width() <= FULL_POOL_MAX_WIDTH => (0..=ty.mask()).collect(),
        _ => default_constants(ty),
    };
    for &(t, c) in literals {
        if t == ty && !consts.contains(&c) {
            consts.push(c);
        }
    }
    consts
}

/// The default constants of a type: 0, 1, 2, -1, width-1, MIN, MAX, and a few small powers of two.
pub fn default_constants(ty: Type) -> Vec<u64> {
    let w = u64::from(ty.width());
    let mut out = Vec::new();
    let mut push = |v: u64| {
        let v = ty.wrap(v);
        if !out.contains(&v) {
            out.push(v);
        }
    };
    for v in [0, 1, 2, ty.mask(), w - 1, ty.signed_min(), ty.signed_max()] {
        push(v);
    }
    if ty.width() >= 8 {
        for v in [4, 8, 16] {
            push(v);
        }
    }
    out
}

impl SearchGrammar {
    /// True if some constant production enumerates only a pool of its type's values.
    pub fn open_constants(&self) -> bool {
        !self.open_constant_types.is_empty()
    }

    /// True if [`ConstantPool::Full`] would enumerate every constant of the grammar.
    pub fn completable(&self) -> bool {
        self.open_constants() && self.open_constant_types.iter().all(|t| t.width() <= FULL_POOL_MAX_WIDTH)
    }

    /// The grammar for a target without a user grammar: one non-terminal per needed type.
    pub fn from_ops(target: &Target, set: &OpSet, cost: CostModel) -> SearchGrammar {
        let params = target.param_types();
        let ret = target.ret.ty();
        let allowed = |op: Opcode| set.ops.contains(&op);
        let mut types: Vec<Type> = vec![ret];
        for &t in &params {
            if !types.contains(&t) {
                types.push(t);
            }
        }
        let can_use_bool = allowed(Opcode::Select)
            || ret == Type::I1
            || ((allowed(Opcode::Zext) || allowed(Opcode::Sext)) && types.iter().any(|t| !t.is_bool()));
        let has_compare = set.ops.iter().any(|o| o.shape() == Shape::Compare);
        if has_compare && can_use_bool && !types.contains(&Type::I1) {
            types.push(Type::I1);
        }
        let nt_of = |t: Type| types.iter().position(|&u| u == t);
        let nts: Vec<Nt> = types.iter().map(|t| Nt { ty: *t }).collect();
        let mut prods = Vec::new();
        let mut open_constant_types = Vec::new();
        let mut push = |nt: NtId, kind: ProdKind, children: Vec<NtId>, cost: u32| {
            prods.push(Prod { nt, kind, children, cost, origin: Origin::Synthetic });
        };
        for (nt, &ty) in types.iter().enumerate() {
            for (i, &p) in params.iter().enumerate() {
                if p == ty {
                    push(nt, ProdKind::Param(i), vec![], 0);
                }
            }
            if allowed(Opcode::Iconst) {
                let consts = pool_values(ty, set.pool, &set.constants);
                if !covers_type(ty, &consts) {
                    open_constant_types.push(ty);
                }
                for c in consts {
                    push(nt, ProdKind::Const(c), vec![], 0);
                }
            }
        }
        for &op in &set.ops {
            let c = op_cost(cost, op);
            for (nt, &ty) in types.iter().enumerate() {
                match op.shape() {
                    Shape::Const => {}
                    Shape::Unary => push(nt, ProdKind::Op(op), vec![nt], c),
                    Shape::Binary => push(nt, ProdKind::Op(op), vec![nt, nt], c),
                    Shape::Compare => {
                        if let Some(b) = nt_of(Type::I1) {
                            push(b, ProdKind::Op(op), vec![nt, nt], c);
                        }
                    }
                    Shape::Select => {
                        if let Some(b) = nt_of(Type::I1) {
                            push(nt, ProdKind::Op(op), vec![b, nt, nt], c);
                        }
                    }
                    Shape::Cast => {
                        for (from_nt, &from) in types.iter().enumerate() {
                            let ok = match op {
                                Opcode::Trunc => from.width() > ty.width(),
                                _ => from.width() < ty.width(),
                            };
                            if ok {
                                push(nt, ProdKind::Op(op), vec![from_nt], c);
                            }
                        }
                    }
                }
            }
        }
        // On booleans `ne` is `xor` (same cost): drop it when `xor` is allowed. The other
        // compares of booleans cost two operations any other way, so they stay.
        if let Some(b) = nt_of(Type::I1) {
            prods.retain(|p| {
                !(p.nt == b
                    && p.children.first() == Some(&b)
                    && p.kind == ProdKind::Op(Opcode::Ne)
                    && allowed(Opcode::Xor))
            });
        }
        SearchGrammar { nts, prods, start: 0, params, user_grammar: false, open_constant_types }
    }

    /// The grammar of a target with a user grammar. Constants for `(Constant S)` come from
    /// `pool` plus `literals`.
    pub fn from_user_grammar(
        target: &Target,
        literals: &[(Type, u64)],
        pool: ConstantPool,
        cost: CostModel,
    ) -> SearchGrammar {
        let grammar = target.grammar.as_ref().expect("from_user_grammar needs a grammar");
        let params = target.param_types();
        let nts: Vec<Nt> = grammar.nonterminals.iter().map(|n| Nt { ty: n.sort.ty() }).collect();
        let mut prods = Vec::new();
        let mut open_constant_types = Vec::new();
        for (nt, n) in grammar.nonterminals.iter().enumerate() {
            let ty = n.sort.ty();
            for (pi, p) in n.productions.iter().enumerate() {
                match p {
                    ir::Production::AnyConstant => {
                        let consts = pool_values(ty, pool, literals);
                        if !covers_type(ty, &consts) && !open_constant_types.contains(&ty) {
                            open_constant_types.push(ty);
                        }
                        for c in consts {
                            prods.push(Prod {
                                nt,
                                kind: ProdKind::Const(c),
                                children: vec![],
                                cost: 0,
                                origin: Origin::AnyConstant { nonterminal: nt },
                            });
                        }
                    }
                    ir::Production::AnyVariable => {
                        for (i, &pt) in params.iter().enumerate() {
                            if pt == ty {
                                prods.push(Prod {
                                    nt,
                                    kind: ProdKind::Param(i),
                                    children: vec![],
                                    cost: 0,
                                    origin: Origin::AnyVariable { nonterminal: nt },
                                });
                            }
                        }
                    }
                    ir::Production::Term { children, body, .. } => {
                        let kind = classify(body, children.len());
                        let ops: u32 = body.live_insts().iter().map(|i| op_cost(cost, i.opcode)).sum();
                        let cost = match kind {
                            ProdKind::Param(_) | ProdKind::Const(_) | ProdKind::Unit => 0,
                            _ => ops.max(1),
                        };
                        prods.push(Prod {
                            nt,
                            kind,
                            children: children.clone(),
                            cost,
                            origin: Origin::Production { nonterminal: nt, production: pi },
                        });
                    }
                }
            }
        }
        SearchGrammar { nts, prods, start: 0, params, user_grammar: true, open_constant_types }
    }
}

/// Finds the fast kind of a production body with `n_children` leading child parameters.
fn classify(body: &Function, n_children: usize) -> ProdKind {
    let live = body.live_insts();
    let param_index = |v: ir::Value| body.params.iter().position(|p| p.value == v);
    if live.is_empty() {
        let j = param_index(body.ret).expect("verified body returns a parameter");
        return if j >= n_children {
            if n_children == 0 {
                ProdKind::Param(j)
            } else {
                ProdKind::Template(Template::new(body.clone(), n_children))
            }
        } else if n_children == 1 {
            ProdKind::Unit
        } else {
            ProdKind::Template(Template::new(body.clone(), n_children))
        };
    }
    if live.len() == 1 {
        let inst = live[0];
        if inst.opcode == Opcode::Iconst && n_children == 0 {
            return ProdKind::Const(inst.imm);
        }
        let args_are_children =
            inst.args.len() == n_children && inst.args.iter().enumerate().all(|(i, &a)| param_index(a) == Some(i));
        if inst.opcode != Opcode::Iconst && args_are_children {
            return ProdKind::Op(inst.opcode);
        }
    }
    ProdKind::Template(Template::new(body.clone(), n_children))
}
