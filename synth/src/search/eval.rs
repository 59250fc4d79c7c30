//! Evaluating one production on columns (whole columns or a range of points).

use ir::Shape;

use super::columns;
use super::grammar::{ProdKind, SearchGrammar};

/// Computes production `prod` into `out` from its children's values `children` and the target
/// parameters' values `params` (all slices cover the same points as `out`); `temps` is scratch
/// space for templates.
pub fn eval_prod(
    grammar: &SearchGrammar,
    prod: usize,
    children: &[&[u64]],
    params: &[&[u64]],
    out: &mut [u64],
    temps: &mut Vec<Vec<u64>>,
) {
    let p = &grammar.prods[prod];
    match &p.kind {
        ProdKind::Param(i) => out.copy_from_slice(params[*i]),
        ProdKind::Const(c) => out.fill(*c),
        ProdKind::Unit => out.copy_from_slice(children[0]),
        ProdKind::Op(op) => {
            let operand_ty = match op.shape() {
                Shape::Select => p.child_type(grammar, 1),
                _ => p.child_type(grammar, 0),
            };
            columns::apply(*op, grammar.nts[p.nt].ty, operand_ty, children, out);
        }
        ProdKind::Template(t) => t.eval(children, params, out, temps),
    }
}

/// True if production `prod` is a guarded operation ([`ir::guards::is_guarded`]).
pub fn is_guarded_prod(grammar: &SearchGrammar, prod: usize) -> bool {
    matches!(grammar.prods[prod].kind, ProdKind::Op(op) if ir::guards::is_guarded(op))
}

/// True if production `prod` applied to `children` (one value per point) reaches a guarded case
/// at some point `i` with `forbidden[i]` (the defined-behaviour discipline). Only the
/// production's own operation is looked at: the children are kept terms, which never reach one
/// at a forbidden point.
pub fn reaches_forbidden(grammar: &SearchGrammar, prod: usize, children: &[&[u64]], forbidden: &[bool]) -> bool {
    let p = &grammar.prods[prod];
    let ProdKind::Op(op) = p.kind else { return false };
    if !ir::guards::is_guarded(op) {
        return false;
    }
    let ty = p.child_type(grammar, 0);
    forbidden
        .iter()
        .enumerate()
        .any(|(i, &f)| f && ir::guards::guarded_case(op, ty, &[children[0][i], children[1][i]]).is_some())
}

/// Computes production `prod` on packed (`i1`, one bit per point) children into packed `out`,
/// for productions whose result and children are all `i1` and which have a bitwise form.
/// Returns false (leaving `out` unspecified) when the production needs unpacked evaluation.
pub fn eval_packed(grammar: &SearchGrammar, prod: usize, children: &[&[u64]], n: usize, out: &mut [u64]) -> bool {
    let p = &grammar.prods[prod];
    let all_bool = grammar.nts[p.nt].ty.is_bool() && p.children.iter().all(|&c| grammar.nts[c].ty.is_bool());
    if !all_bool {
        return false;
    }
    match &p.kind {
        ProdKind::Unit => {
            out.copy_from_slice(children[0]);
            true
        }
        ProdKind::Op(op) => columns::packed(*op, children, n, out),
        _ => false,
    }
}
