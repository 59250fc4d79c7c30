//! Top-down completion by inverting the root operation (a "witness function" step).
//!
//! When the target's value at every point is known (exact functional evidence, column `T`), a
//! solution with root `add` is a pair of kept terms with `A + B == T`, i.e. `B == T - A`: for
//! each kept `A`, compute the column `T - A` and look it up in the bank. This finds every
//! solution `op(A, B)` with an invertible root (`add sub xor neg not`) whose children are both
//! kept, in one linear pass over the terms added since the last probe — solutions of cost up to
//! `2L + 1` after enumerating only to level `L`.

use ir::{Opcode, Type};

use super::columns::{self, Fingerprint};
use super::enumerate::Enumerator;
use super::grammar::{ProdKind, SearchGrammar};

/// A candidate found by inversion: production `prod` of the start symbol applied to kept terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The root production.
    pub prod: usize,
    /// Its children as (non-terminal, kept term).
    pub children: Vec<(usize, u32)>,
    /// Total cost.
    pub cost: u32,
}

/// Remembers how far each non-terminal's terms have been probed.
#[derive(Debug, Clone, Default)]
pub struct Prober {
    probed: Vec<usize>,
}

/// How to compute the missing child from the target and the known child.
#[derive(Debug, Clone, Copy)]
enum Inverse {
    /// Unary: child = f(T).
    Unary(Opcode),
    /// Binary; `known_first` tells whether the known child is the first operand.
    Binary { op: Opcode, known_first: bool },
}

fn invert(inv: Inverse, ty: Type, target: &[u64], known: &[u64], out: &mut [u64]) {
    match inv {
        Inverse::Unary(op) => columns::unary(op, ty, target, out),
        // T = A + B  =>  B = T - A (and A = T - B).
        Inverse::Binary { op: Opcode::Add, .. } => columns::binary(Opcode::Sub, ty, target, known, out),
        // T = A ^ B  =>  B = T ^ A.
        Inverse::Binary { op: Opcode::Xor, .. } => columns::binary(Opcode::Xor, ty, target, known, out),
        // T = A - B  =>  B = A - T, A = T + B.
        Inverse::Binary { op: Opcode::Sub, known_first: true } => columns::binary(Opcode::Sub, ty, known, target, out),
        Inverse::Binary { op: Opcode::Sub, known_first: false } => columns::binary(Opcode::Add, ty, target, known, out),
        Inverse::Binary { op, .. } => unreachable!("no inverse for {op}"),
    }
}

/// True if the hit's column still equals `target` (after points were added).
pub fn still_matches(g: &SearchGrammar, en: &Enumerator<'_>, hit: &Hit, target: &[u64], params: &[Vec<u64>]) -> bool {
    let n = target.len();
    let cols: Vec<&[u64]> = hit.children.iter().map(|&(nt, id)| en.bank(nt).col(id, n)).collect();
    let params: Vec<&[u64]> = params.iter().map(Vec::as_slice).collect();
    let mut out = vec![0u64; n];
    super::eval::eval_prod(g, hit.prod, &cols, &params, &mut out, &mut Vec::new());
    out == target
}

impl Prober {
    /// All hits among terms kept since the last call, cheapest first.
    pub fn probe(&mut self, g: &SearchGrammar, en: &Enumerator<'_>, target: &[u64]) -> Vec<Hit> {
        let n = target.len();
        if self.probed.len() < g.nts.len() {
            self.probed.resize(g.nts.len(), 0);
        }
        let ty = g.nts[g.start].ty;
        let mut hits = Vec::new();
        let mut buf = vec![0u64; n];
        let find = |nt: usize, col: &[u64]| -> Option<u32> {
            let fp: Fingerprint = columns::hash(col);
            en.bank(nt).lookup(fp)
        };
        for (pi, p) in g.prods.iter().enumerate() {
            if p.nt != g.start {
                continue;
            }
            let ProdKind::Op(op) = p.kind else { continue };
            match op {
                Opcode::Neg | Opcode::Not => {
                    // Cheap and complete: look the single child up once per probe.
                    invert(Inverse::Unary(op), ty, target, &[], &mut buf);
                    if let Some(id) = find(p.children[0], &buf) {
                        let cost = p.cost + en.cost(p.children[0], id);
                        hits.push(Hit { prod: pi, children: vec![(p.children[0], id)], cost });
                    }
                }
                Opcode::Add | Opcode::Xor | Opcode::Sub => {
                    let (n0, n1) = (p.children[0], p.children[1]);
                    let symmetric = op != Opcode::Sub && n0 == n1;
                    // Known first child, new: find the second.
                    for id in self.probed[n0]..en.bank(n0).entries.len() {
                        let a = en.bank(n0).col(id as u32, n);
                        invert(Inverse::Binary { op, known_first: true }, ty, target, a, &mut buf);
                        if let Some(b) = find(n1, &buf) {
                            let cost = p.cost + en.cost(n0, id as u32) + en.cost(n1, b);
                            hits.push(Hit { prod: pi, children: vec![(n0, id as u32), (n1, b)], cost });
                        }
                    }
                    if !symmetric {
                        // Known second child, new: find the first (old first children only).
                        for id in self.probed[n1]..en.bank(n1).entries.len() {
                            let b = en.bank(n1).col(id as u32, n);
                            invert(Inverse::Binary { op, known_first: false }, ty, target, b, &mut buf);
                            if let Some(a) = find(n0, &buf)
                                && (a as usize) < self.probed[n0]
                            {
                                let cost = p.cost + en.cost(n0, a) + en.cost(n1, id as u32);
                                hits.push(Hit { prod: pi, children: vec![(n0, a), (n1, id as u32)], cost });
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        for (nt, probed) in self.probed.iter_mut().enumerate() {
            *probed = en.bank(nt).entries.len();
        }
        hits.sort_by_key(|h| h.cost);
        hits.dedup();
        hits
    }
}
