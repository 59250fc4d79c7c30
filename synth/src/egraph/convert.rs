//! Conversion between IR functions and e-graph terms, with sharing preserved both ways.
//!
//! [`to_recexpr`] turns the live DAG of an [`ir::Function`] into a [`RecExpr`] whose last node
//! is the returned value; structurally equal nodes are stored once (hash-consed), so a
//! sub-term the function uses twice is one node of the term. [`to_function`] turns a term back
//! into a function with the given [`Signature`]: every distinct node reachable from the root
//! becomes one instruction (a parameter node becomes the parameter), in an order where each
//! value is defined before its uses, and the result is checked by the IR verifier.
//!
//! Invariant: `to_function(&to_recexpr(f)?, &Signature::of(f))` computes the same function as
//! `f`, with one instruction per distinct live instruction of `f` (duplicates merged).

use std::collections::HashMap;

use egg::{Id, Language, RecExpr};
use ir::{Function, FunctionBuilder, Opcode, Type, Value};

use super::EgraphError;
use super::lang::IrNode;

/// The name, parameter types and result type a term is turned back into a function with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Signature {
    /// The function's name.
    pub name: String,
    /// Parameter types, in order; [`IrNode::Param`] `i` refers to the `i`-th.
    pub params: Vec<Type>,
    /// The result type.
    pub ret_ty: Type,
}

impl Signature {
    /// The signature of `f`.
    pub fn of(f: &Function) -> Signature {
        Signature { name: f.name.clone(), params: f.param_types(), ret_ty: f.ret_ty }
    }
}

/// The term of `f`'s returned value: its live instructions, each distinct node once.
///
/// # Errors
/// [`EgraphError::InvalidInput`] if `f` does not pass the IR verifier.
pub fn to_recexpr(f: &Function) -> Result<RecExpr<IrNode>, EgraphError> {
    ir::verify_function(f).map_err(|e| EgraphError::InvalidInput(e.to_string()))?;
    let mut expr = RecExpr::default();
    let mut memo: HashMap<IrNode, Id> = HashMap::new();
    let mut ids: HashMap<Value, Id> = HashMap::new();
    let mut add = |expr: &mut RecExpr<IrNode>, node: IrNode| *memo.entry(node).or_insert_with(|| expr.add(node));
    for (index, param) in f.params.iter().enumerate() {
        if param.value == f.ret || f.live_insts().iter().any(|i| i.args.contains(&param.value)) {
            let index = u32::try_from(index).map_err(|_| EgraphError::InvalidInput("too many parameters".into()))?;
            ids.insert(param.value, add(&mut expr, IrNode::Param(index, param.ty)));
        }
    }
    for inst in f.live_insts() {
        let node = if inst.opcode == Opcode::Iconst {
            IrNode::constant(inst.ty, inst.imm)
        } else {
            let args: Vec<Id> = inst.args.iter().map(|a| ids[a]).collect();
            IrNode::op(inst.opcode, inst.ty, &args)
                .ok_or_else(|| EgraphError::Bug(format!("instruction {} has the wrong operand count", inst.result)))?
        };
        ids.insert(inst.result, add(&mut expr, node));
    }
    let root = ids[&f.ret];
    // The root depends on every other node, so it was added last (no earlier node can equal it).
    if usize::from(root) + 1 != expr.len() {
        return Err(EgraphError::Bug(format!("the returned value of `{}` is not the last term node", f.name)));
    }
    Ok(expr)
}

/// The function computing `expr`'s root (its last node) with signature `sig`.
///
/// # Errors
/// [`EgraphError::Bug`] if the term is empty, refers to a parameter the signature does not
/// have (or at another type), or does not pass the IR verifier (an ill-typed term).
pub fn to_function(expr: &RecExpr<IrNode>, sig: &Signature) -> Result<Function, EgraphError> {
    let nodes = expr.as_ref();
    let Some(root) = nodes.len().checked_sub(1) else {
        return Err(EgraphError::Bug("empty term".into()));
    };
    // Which nodes the root needs (children always come before their parents in a RecExpr).
    let mut live = vec![false; nodes.len()];
    live[root] = true;
    for i in (0..nodes.len()).rev() {
        if live[i] {
            for &c in nodes[i].children() {
                live[usize::from(c)] = true;
            }
        }
    }
    let mut b = FunctionBuilder::new(&sig.name, &sig.params, sig.ret_ty);
    let mut values: Vec<Option<Value>> = vec![None; nodes.len()];
    // Hash-cons on the node with its children renamed to values, so duplicates become one value.
    let mut memo: HashMap<IrNode, Value> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        if !live[i] {
            continue;
        }
        let value_of = |id: Id| values[usize::from(id)].expect("children are defined first");
        let renamed = node.map_children(|c| Id::from(value_of(c).0 as usize));
        if let Some(&v) = memo.get(&renamed) {
            values[i] = Some(v);
            continue;
        }
        let v = match *node {
            IrNode::Param(index, ty) => {
                let index = index as usize;
                if sig.params.get(index) != Some(&ty) {
                    return Err(EgraphError::Bug(format!("term parameter p{index}.{ty} is not in the signature")));
                }
                b.param(index)
            }
            IrNode::Const(ty, bits) => b.iconst(ty, bits),
            IrNode::Op(op) => {
                let args: Vec<Value> = op.args().iter().map(|&c| value_of(c)).collect();
                b.inst(op.opcode, op.ty, &args, 0)
            }
        };
        memo.insert(renamed, v);
        values[i] = Some(v);
    }
    let ret = values[root].expect("the root is live");
    b.finish(ret).map_err(|e| EgraphError::Bug(format!("extracted term is ill-typed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(f: &Function) -> Function {
        let expr = to_recexpr(f).unwrap();
        to_function(&expr, &Signature::of(f)).unwrap()
    }

    #[test]
    fn sharing_is_preserved() {
        let m = ir::parse_module(
            "fn f(v0: i32, v1: i32) -> i32 {
               v2 = add v0, v1
               v3 = mul v2, v2
               v4 = iconst.i32 3
               v5 = add v0, v1
               v9 = iconst.i32 3
               v6 = xor v3, v5
               v7 = sub v6, v4
               v8 = shl v7, v9
               v10 = popcnt v1
               ret v8
             }",
        )
        .unwrap();
        let f = &m["f"];
        let expr = to_recexpr(f).unwrap();
        // p0 p1 add mul xor 3 sub shl: the duplicate add and constant and the dead popcnt are gone.
        assert_eq!(expr.len(), 8, "{expr}");
        let g = round_trip(f);
        assert_eq!(g.body.len(), 6);
        assert_eq!(g.op_count(), 5);
        for args in [[0, 0], [1, 2], [u64::MAX, 7], [0x8000_0000, 0xffff_ffff]] {
            assert_eq!(ir::eval(f, &args), ir::eval(&g, &args));
        }
        // A second round trip is the identity.
        assert_eq!(round_trip(&g), g);
    }

    #[test]
    fn returning_a_parameter_or_a_constant() {
        let m = ir::parse_module(
            "fn p(v0: i8, v1: i16) -> i16 {
               ret v1
             }
             fn c(v0: i8) -> i1 {
               v1 = iconst.i1 1
               ret v1
             }",
        )
        .unwrap();
        for name in ["p", "c"] {
            let f = &m[name];
            let g = round_trip(f);
            assert_eq!(g.params.len(), f.params.len());
            let args = &[5, 300][..f.params.len()];
            assert_eq!(ir::eval(&g, args), ir::eval(f, args));
        }
    }

    #[test]
    fn bad_terms_are_errors() {
        let sig = Signature { name: "f".into(), params: vec![Type::I8], ret_ty: Type::I8 };
        for text in ["p1.i8", "p0.i16", "(add.i8 p0.i8 1.i16)", "(zext.i8 p0.i8)"] {
            let e: RecExpr<IrNode> = text.parse().unwrap();
            assert!(matches!(to_function(&e, &sig), Err(EgraphError::Bug(_))), "{text}");
        }
        assert!(to_function(&RecExpr::default(), &sig).is_err());
    }

    #[test]
    fn round_trips_of_random_functions() {
        use proptest::prelude::*;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strategy = ir::testing::arb_function_with_inputs(ir::testing::DEFAULT_WIDTHS, 12, 8);
        runner
            .run(&strategy, |(f, inputs)| {
                let g = round_trip(&f);
                prop_assert!(g.op_count() <= f.live_insts().iter().filter(|i| i.opcode != Opcode::Iconst).count());
                for args in &inputs {
                    prop_assert_eq!(ir::eval(&f, args), ir::eval(&g, args));
                }
                prop_assert_eq!(round_trip(&g), g);
                Ok(())
            })
            .unwrap();
    }
}
