//! Turning a kept term back into an IR function (DAG-shared) or a SyGuS derivation.

use std::collections::HashMap;

use ir::{Derivation, Function, FunctionBuilder, Value, inline_into};

use super::enumerate::Enumerator;
use super::grammar::{Origin, ProdKind, SearchGrammar};
use super::unify::Tree;

/// The IR function of term `id` of non-terminal `nt`, named `name`; equal sub-terms are shared.
pub fn to_function(g: &SearchGrammar, en: &Enumerator<'_>, nt: usize, id: u32, name: &str) -> Function {
    let mut b = FunctionBuilder::new(name, &g.params, g.nts[nt].ty);
    let params: Vec<Value> = (0..g.params.len()).map(|i| b.param(i)).collect();
    let mut memo: HashMap<(usize, u32), Value> = HashMap::new();
    let mut consts: HashMap<(ir::Type, u64), Value> = HashMap::new();
    let ret = build(g, en, nt, id, &mut b, &params, &mut memo, &mut consts);
    b.finish(ret).unwrap_or_else(|e| panic!("extracted term does not type-check: {e}"))
}

#[expect(clippy::too_many_arguments, reason = "recursive helper threading its memo tables")]
fn build(
    g: &SearchGrammar,
    en: &Enumerator<'_>,
    nt: usize,
    id: u32,
    b: &mut FunctionBuilder,
    params: &[Value],
    memo: &mut HashMap<(usize, u32), Value>,
    consts: &mut HashMap<(ir::Type, u64), Value>,
) -> Value {
    if let Some(&v) = memo.get(&(nt, id)) {
        return v;
    }
    let (prod, children) = en.term(nt, id);
    let p = &g.prods[prod];
    let ty = g.nts[nt].ty;
    let args: Vec<Value> =
        children.iter().zip(&p.children).map(|(&c, &cnt)| build(g, en, cnt, c, b, params, memo, consts)).collect();
    let v = match &p.kind {
        ProdKind::Param(i) => params[*i],
        ProdKind::Const(c) => *consts.entry((ty, *c)).or_insert_with(|| b.iconst(ty, *c)),
        ProdKind::Unit => args[0],
        ProdKind::Op(op) => b.inst(*op, ty, &args, 0),
        ProdKind::Template(t) => {
            let mut all = args.clone();
            all.extend_from_slice(params);
            inline_into(b, &t.body, &all)
        }
    };
    memo.insert((nt, id), v);
    v
}

/// The IR function of production `prod` (of the start symbol) applied to kept terms.
pub fn root_function(
    g: &SearchGrammar,
    en: &Enumerator<'_>,
    prod: usize,
    children: &[(usize, u32)],
    name: &str,
) -> Function {
    let p = &g.prods[prod];
    let mut b = FunctionBuilder::new(name, &g.params, g.nts[p.nt].ty);
    let params: Vec<Value> = (0..g.params.len()).map(|i| b.param(i)).collect();
    let mut memo: HashMap<(usize, u32), Value> = HashMap::new();
    let mut consts: HashMap<(ir::Type, u64), Value> = HashMap::new();
    let args: Vec<Value> =
        children.iter().map(|&(nt, id)| build(g, en, nt, id, &mut b, &params, &mut memo, &mut consts)).collect();
    let ty = g.nts[p.nt].ty;
    let ret = match &p.kind {
        ProdKind::Op(op) => b.inst(*op, ty, &args, 0),
        ProdKind::Unit => args[0],
        ProdKind::Template(t) => {
            let mut all = args.clone();
            all.extend_from_slice(&params);
            inline_into(&mut b, &t.body, &all)
        }
        ProdKind::Param(i) => params[*i],
        ProdKind::Const(c) => b.iconst(ty, *c),
    };
    b.finish(ret).unwrap_or_else(|e| panic!("extracted term does not type-check: {e}"))
}

/// The derivation of production `prod` applied to kept terms.
pub fn root_derivation(g: &SearchGrammar, en: &Enumerator<'_>, prod: usize, children: &[(usize, u32)]) -> Derivation {
    let p = &g.prods[prod];
    match p.origin {
        Origin::Production { nonterminal, production } => Derivation::Apply {
            nonterminal,
            production,
            children: children.iter().map(|&(nt, id)| to_derivation(g, en, nt, id)).collect(),
        },
        origin => panic!("root production without a grammar origin: {origin:?}"),
    }
}

/// The derivation of term `id` of non-terminal `nt` in the user grammar.
pub fn to_derivation(g: &SearchGrammar, en: &Enumerator<'_>, nt: usize, id: u32) -> Derivation {
    let (prod, children) = en.term(nt, id);
    let p = &g.prods[prod];
    match (p.origin, &p.kind) {
        (Origin::AnyConstant { nonterminal }, ProdKind::Const(value)) => {
            Derivation::Constant { nonterminal, value: *value }
        }
        (Origin::AnyVariable { nonterminal }, ProdKind::Param(param)) => {
            Derivation::Variable { nonterminal, param: *param }
        }
        (Origin::Production { nonterminal, production }, _) => Derivation::Apply {
            nonterminal,
            production,
            children: children.iter().zip(&p.children).map(|(&c, &cnt)| to_derivation(g, en, cnt, c)).collect(),
        },
        (origin, kind) => panic!("term without a grammar origin: {origin:?} {kind:?}"),
    }
}

/// The IR function of a decision tree.
pub fn tree_function(g: &SearchGrammar, en: &Enumerator<'_>, tree: &Tree, name: &str) -> Function {
    let mut b = FunctionBuilder::new(name, &g.params, g.nts[g.start].ty);
    let params: Vec<Value> = (0..g.params.len()).map(|i| b.param(i)).collect();
    let mut memo: HashMap<(usize, u32), Value> = HashMap::new();
    let mut consts: HashMap<(ir::Type, u64), Value> = HashMap::new();
    let ret = build_tree(g, en, tree, &mut b, &params, &mut memo, &mut consts);
    b.finish(ret).unwrap_or_else(|e| panic!("decision tree does not type-check: {e}"))
}

fn build_tree(
    g: &SearchGrammar,
    en: &Enumerator<'_>,
    tree: &Tree,
    b: &mut FunctionBuilder,
    params: &[Value],
    memo: &mut HashMap<(usize, u32), Value>,
    consts: &mut HashMap<(ir::Type, u64), Value>,
) -> Value {
    match tree {
        Tree::Leaf(id) => build(g, en, g.start, *id, b, params, memo, consts),
        Tree::Ite { prod, slots, cond, then, els } => {
            let p = &g.prods[*prod];
            let c = build(g, en, cond.0, cond.1, b, params, memo, consts);
            let t = build_tree(g, en, then, b, params, memo, consts);
            let e = build_tree(g, en, els, b, params, memo, consts);
            let mut args = vec![c; p.children.len()];
            args[slots[0]] = c;
            args[slots[1]] = t;
            args[slots[2]] = e;
            match &p.kind {
                ProdKind::Op(op) => b.inst(*op, g.nts[p.nt].ty, &args, 0),
                ProdKind::Template(tpl) => {
                    args.extend_from_slice(params);
                    inline_into(b, &tpl.body, &args)
                }
                other => panic!("if-then-else production of kind {other:?}"),
            }
        }
    }
}

/// The derivation of a decision tree in the user grammar.
pub fn tree_derivation(g: &SearchGrammar, en: &Enumerator<'_>, tree: &Tree) -> Derivation {
    match tree {
        Tree::Leaf(id) => to_derivation(g, en, g.start, *id),
        Tree::Ite { prod, slots, cond, then, els } => {
            let p = &g.prods[*prod];
            let Origin::Production { nonterminal, production } = p.origin else {
                panic!("if-then-else production without a grammar origin")
            };
            let c = to_derivation(g, en, cond.0, cond.1);
            let mut children = vec![c.clone(); p.children.len()];
            children[slots[0]] = c;
            children[slots[1]] = tree_derivation(g, en, then);
            children[slots[2]] = tree_derivation(g, en, els);
            Derivation::Apply { nonterminal, production, children }
        }
    }
}
