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
