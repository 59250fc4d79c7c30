//! Turning a kept term back into an IR function (DAG-shared) or a SyGuS derivation.

use std::collections::HashMap;

use ir::{Derivation, Function, FunctionBuilder, Value, inline_into};

use super::enumerate::Enumerator;
use super::grammar::{Origin, ProdKind, SearchGrammar};

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
