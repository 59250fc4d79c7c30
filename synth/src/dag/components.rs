//! The typed operators an instruction may choose from ("components" in Gulwani et al.'s terms).
//!
//! A component is an opcode at fixed operand and result types: `add` at `i32`, `ult` on `i32`
//! operands, `sext` from `i1` to `i32`. The set is built from the allowed opcodes over the types
//! of the problem ([`Components::new`]): the target's parameter and result types, plus `i1` when
//! a compare is allowed (its result has to be usable). Casts only go between those types; no new
//! width is introduced.
//!
//! Invariants:
//! - components are sorted by decreasing arity, so "instruction `i` has an operand in slot `j`"
//!   is the single comparison `op_i < with_arity_above(j)` in the encoding;
//! - a component is left out only when another kept one computes the same function of the same
//!   operands, or when it is the identity of one operand (checked exhaustively on `i1`, where
//!   `add`, `sub` and `ne` are `xor`, `neg`, `ashr` and rotates are the identity, ...). A
//!   program using a dropped component is then as long (or shorter) with a kept one, so the
//!   "shortest over the allowed operators" claim is unaffected;
//! - compares that only mirror another allowed compare with swapped operands (`ugt` when `ult`
//!   is allowed) are left out for the same reason.

use ir::{Opcode, Shape, Type, semantics};

/// One typed operator.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Component {
    /// The opcode (never `iconst`).
    pub op: Opcode,
    /// The result type.
    pub ret: Type,
    /// The operand types, one per operand.
    pub args: Vec<Type>,
}

impl Component {
    /// Number of operands.
    pub fn arity(&self) -> usize {
        self.args.len()
    }

    /// The type `ir::semantics::apply` and the encoding call the operand type: the second
    /// operand's for `select`, the first one's otherwise.
    pub fn operand_ty(&self) -> Type {
        if self.op == Opcode::Select { self.args[1] } else { self.args[0] }
    }

    /// `op a b == op b a` (only for two operands of one type).
    pub fn is_commutative(&self) -> bool {
        self.op.is_commutative()
    }

    /// `op a a == a`: an instruction applying it to one value twice is removable.
    pub fn is_idempotent(&self) -> bool {
        matches!(self.op, Opcode::And | Opcode::Or)
    }

    /// Evaluates the component on masked operands.
    pub fn eval(&self, args: &[u64]) -> u64 {
        semantics::apply(self.op, self.ret, self.operand_ty(), args)
    }

    /// The same operator with every type mapped by `f` (for bit-width scaling).
    pub fn map_types(&self, f: &impl Fn(Type) -> Type) -> Component {
        Component { op: self.op, ret: f(self.ret), args: self.args.iter().map(|&t| f(t)).collect() }
    }
}

/// The components of a problem, with the types they range over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Components {
    /// Sorted by decreasing arity.
    pub list: Vec<Component>,
    /// The value types (parameters, result, `i1` for compares), without repetitions.
    pub types: Vec<Type>,
    /// Whether operands may be constants (`iconst` is allowed).
    pub constants: bool,
}

/// Opcodes preferred when two components compute the same function (the earlier one is kept).
fn preference(op: Opcode) -> usize {
    const ORDER: [Opcode; 6] = [Opcode::And, Opcode::Or, Opcode::Xor, Opcode::Not, Opcode::Eq, Opcode::Ult];
    ORDER.iter().position(|&o| o == op).unwrap_or(ORDER.len())
}

/// The compare that `op` mirrors with swapped operands, if any.
fn mirror(op: Opcode) -> Option<Opcode> {
    match op {
        Opcode::Ugt => Some(Opcode::Ult),
        Opcode::Uge => Some(Opcode::Ule),
        Opcode::Sgt => Some(Opcode::Slt),
        Opcode::Sge => Some(Opcode::Sle),
        _ => None,
    }
}

impl Components {
    /// The components of `ops` over the parameter types `params` and result type `ret`.
    pub fn new(ops: &[Opcode], params: &[Type], ret: Type) -> Components {
        let constants = ops.contains(&Opcode::Iconst);
        let mut types: Vec<Type> = Vec::new();
        let mut add_type = |t: Type| {
            if !types.contains(&t) {
                types.push(t);
            }
        };
        params.iter().copied().for_each(&mut add_type);
        add_type(ret);
        if ops.iter().any(|o| o.shape() == Shape::Compare) {
            add_type(Type::I1);
        }
        types.sort();
        let mut ops: Vec<Opcode> = ops.to_vec();
        ops.sort_by_key(|&o| (preference(o), o));
        ops.dedup();
        let mut list = Vec::new();
        for &op in &ops {
            if mirror(op).is_some_and(|m| ops.contains(&m)) {
                continue;
            }
            match op.shape() {
                Shape::Const => {}
                Shape::Unary | Shape::Binary => {
                    for &t in &types {
                        list.push(Component { op, ret: t, args: vec![t; op.arity()] });
                    }
                }
                Shape::Compare => {
                    for &t in &types {
                        list.push(Component { op, ret: Type::I1, args: vec![t, t] });
                    }
                }
                Shape::Select => {
                    if types.contains(&Type::I1) {
                        for &t in &types {
                            list.push(Component { op, ret: t, args: vec![Type::I1, t, t] });
                        }
                    }
                }
                Shape::Cast => {
                    for &from in &types {
                        for &to in &types {
                            let fits = match op {
                                Opcode::Trunc => to.width() < from.width(),
                                _ => to.width() > from.width(),
                            };
                            if fits {
                                list.push(Component { op, ret: to, args: vec![from] });
                            }
                        }
                    }
                }
            }
        }
        let list = without_redundant(list);
        let mut list = list;
        // Stable: the preference order survives within one arity.
        list.sort_by_key(|c| std::cmp::Reverse(c.arity()));
        Components { list, types, constants }
    }

    /// Number of components.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The number of components with more than `slot` operands (a prefix of the list).
    pub fn with_arity_above(&self, slot: usize) -> usize {
        self.list.iter().take_while(|c| c.arity() > slot).count()
    }

    /// The largest arity.
    pub fn max_arity(&self) -> usize {
        self.list.first().map_or(0, Component::arity)
    }

    /// The same components with every type mapped by `f` (index `i` stays component `i`; `f`
    /// must be injective on [`Components::types`]).
    pub fn map_types(&self, f: &impl Fn(Type) -> Type) -> Components {
        Components {
            list: self.list.iter().map(|c| c.map_types(f)).collect(),
            types: self.types.iter().map(|&t| f(t)).collect(),
            constants: self.constants,
        }
    }

    /// Index of a type in [`Components::types`].
    pub fn type_index(&self, t: Type) -> Option<usize> {
        self.types.iter().position(|&u| u == t)
    }
}

/// Drops components on all-`i1` operands that equal an earlier kept one or the identity of an
/// operand (exhaustively over the at most 8 operand combinations).
fn without_redundant(list: Vec<Component>) -> Vec<Component> {
    let table = |c: &Component| -> Option<Vec<u64>> {
        if c.ret != Type::I1 || c.args.iter().any(|&t| t != Type::I1) {
            return None;
        }
        let n = c.arity();
        Some(
            (0..1u64 << n)
                .map(|bits| {
                    let args: Vec<u64> = (0..n).map(|j| (bits >> j) & 1).collect();
                    c.eval(&args)
                })
                .collect(),
        )
    };
    let mut kept: Vec<Component> = Vec::new();
    let mut tables: Vec<(usize, Vec<u64>)> = Vec::new();
    for c in list {
        if let Some(t) = table(&c) {
            let n = c.arity();
            let identity = (0..n).any(|j| t.iter().enumerate().all(|(bits, &v)| v == ((bits as u64) >> j) & 1));
            if identity || tables.iter().any(|(m, u)| *m == n && *u == t) {
                continue;
            }
            tables.push((n, t));
        }
        kept.push(c);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i1_duplicates_are_dropped_and_arity_sorted() {
        let ops = [Opcode::Add, Opcode::Xor, Opcode::Neg, Opcode::Ne, Opcode::Ugt, Opcode::Ult, Opcode::Select];
        let c = Components::new(&ops, &[Type::I8, Type::I8], Type::I8);
        assert_eq!(c.types, vec![Type::I1, Type::I8]);
        let has = |op, t| c.list.iter().any(|k| k.op == op && k.args[0] == t);
        assert!(has(Opcode::Xor, Type::I1));
        assert!(!has(Opcode::Add, Type::I1), "add on i1 is xor");
        assert!(!has(Opcode::Ne, Type::I1), "ne on i1 is xor");
        assert!(!has(Opcode::Neg, Type::I1), "neg on i1 is the identity");
        assert!(has(Opcode::Add, Type::I8) && has(Opcode::Ne, Type::I8) && has(Opcode::Neg, Type::I8));
        assert!(!c.list.iter().any(|k| k.op == Opcode::Ugt), "ugt mirrors ult");
        assert!(c.list.windows(2).all(|w| w[0].arity() >= w[1].arity()));
        assert_eq!(c.with_arity_above(2), 2, "select on i1 and on i8");
        assert!(!c.constants);
    }
}
