//! Top-down completion by inverting the root operation (a "witness function" step).
//!
//! When the target's value at every point is known (exact functional evidence, column `T`), a
//! solution with root `add` is a pair of kept terms with `A + B == T`, i.e. `B == T - A`: for
//! each kept `A`, compute the column `T - A` and look it up in the bank. This finds every
//! solution `op(A, B)` with an invertible root (`add sub xor neg not`) whose children are both
//! kept, in one linear pass over the terms added since the last probe — solutions of cost up to
//! `2L + 1` after enumerating only to level `L`.

use ir::{Opcode, Type};

use super::columns;
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
    let mut bufs: Vec<Vec<u64>> = vec![Vec::new(); hit.children.len()];
    let cols: Vec<&[u64]> =
        hit.children.iter().zip(bufs.iter_mut()).map(|(&(nt, id), buf)| en.bank(nt).view(id, n, buf)).collect();
    let params: Vec<&[u64]> = params.iter().map(Vec::as_slice).collect();
    let mut out = vec![0u64; n];
    super::eval::eval_prod(g, hit.prod, &cols, &params, &mut out, &mut Vec::new());
    out == target
}

/// For every kept term of `known_nt` from index `from` on, computes the partner column with
/// `partner` and looks it up in `other_nt`; returns the (known, partner) pairs found. Runs in
/// parallel blocks, prefetching table slots to hide memory latency.
fn scan(
    en: &Enumerator<'_>,
    known_nt: usize,
    from: usize,
    n: usize,
    partner: impl Fn(&[u64], &mut [u64]) + Sync,
    other_nt: usize,
    stop: &Stop<'_>,
) -> Vec<(u32, u32)> {
    use rayon::prelude::*;
    const BLOCK: usize = 512;
    let total = en.bank(known_nt).entries.len();
    if from >= total {
        return Vec::new();
    }
    let starts: Vec<usize> = (from..total).step_by(BLOCK).collect();
    let table = &en.bank(other_nt).table;
    let blocks: Vec<Vec<(u32, u32)>> = en.install(|| {
        starts
            .par_iter()
            .map(|&start| {
                if stop() {
                    return Vec::new();
                }
                let end = (start + BLOCK).min(total);
                let mut cols = vec![0u64; (end - start) * n];
                let mut fps = Vec::with_capacity(end - start);
                for (i, id) in (start..end).enumerate() {
                    let out = &mut cols[i * n..(i + 1) * n];
                    let mut view = Vec::new();
                    partner(en.bank(known_nt).view(id as u32, n, &mut view), out);
                    let fp = en.bank(other_nt).fingerprint_of(out);
                    table.prefetch(fp);
                    fps.push(fp);
                }
                fps.iter()
                    .enumerate()
                    .filter_map(|(i, &fp)| table.get(fp).map(|other| ((start + i) as u32, other)))
                    .collect()
            })
            .collect()
    });
    blocks.into_iter().flatten().collect()
}

/// The stop condition of a scan (the search's deadline): a stopped scan returns the hits found
/// so far.
pub type Stop<'a> = dyn Fn() -> bool + Sync + 'a;

/// Every hit of total cost `level + 1` (root cost plus children's costs), found by iterating the
/// smaller bucket of each split of the children's costs: cheap, because low-cost buckets are
/// small. A hit of that cost is the cheapest answer once every start term of cost `level` has
/// been enumerated.
pub fn probe_level(g: &SearchGrammar, en: &Enumerator<'_>, target: &[u64], level: u32, stop: &Stop<'_>) -> Vec<Hit> {
    let n = target.len();
    let ty = g.nts[g.start].ty;
    let mut hits = Vec::new();
    let mut buf = vec![0u64; n];
    let find = |nt: usize, col: &[u64]| -> Option<u32> { en.bank(nt).find(col) };
    for (pi, p) in g.prods.iter().enumerate() {
        let ProdKind::Op(op) = p.kind else { continue };
        if p.nt != g.start || !matches!(op, Opcode::Add | Opcode::Xor | Opcode::Sub) || p.cost > level + 1 {
            continue;
        }
        let rest = level + 1 - p.cost;
        let (n0, n1) = (p.children[0], p.children[1]);
        let symmetric = op != Opcode::Sub && n0 == n1;
        for a in 0..=rest {
            let b = rest - a;
            if symmetric && a > b {
                break;
            }
            let (first, second) = (en.bank(n0).bucket(a), en.bank(n1).bucket(b));
            if first.is_empty() || second.is_empty() {
                continue;
            }
            // Iterate the smaller side, computing the other child's column.
            let (known, other, known_first) =
                if first.len() <= second.len() { (first, n1, true) } else { (second, n0, false) };
            let known_nt = if known_first { n0 } else { n1 };
            for (scanned, &id) in known.iter().enumerate() {
                if scanned % 4096 == 4095 && stop() {
                    break;
                }
                let mut view = Vec::new();
                invert(
                    Inverse::Binary { op, known_first },
                    ty,
                    target,
                    en.bank(known_nt).view(id, n, &mut view),
                    &mut buf,
                );
                if let Some(partner) = find(other, &buf) {
                    let children =
                        if known_first { vec![(n0, id), (n1, partner)] } else { vec![(n0, partner), (n1, id)] };
                    let cost = p.cost + children.iter().map(|&(nt, t)| en.cost(nt, t)).sum::<u32>();
                    hits.push(Hit { prod: pi, children, cost });
                }
            }
        }
    }
    hits.sort_by_key(|h| h.cost);
    hits.dedup();
    hits
}

impl Prober {
    /// All hits among terms kept since the last call, cheapest first.
    pub fn probe(&mut self, g: &SearchGrammar, en: &Enumerator<'_>, target: &[u64], stop: &Stop<'_>) -> Vec<Hit> {
        let n = target.len();
        if self.probed.len() < g.nts.len() {
            self.probed.resize(g.nts.len(), 0);
        }
        let ty = g.nts[g.start].ty;
        let mut hits = Vec::new();
        let mut buf = vec![0u64; n];
        let find = |nt: usize, col: &[u64]| -> Option<u32> { en.bank(nt).find(col) };
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
                    let probed = &self.probed;
                    // Known first child, new: find the second.
                    let found = scan(
                        en,
                        n0,
                        probed[n0],
                        n,
                        |col, out| invert(Inverse::Binary { op, known_first: true }, ty, target, col, out),
                        n1,
                        stop,
                    );
                    for (a, b) in found {
                        let cost = p.cost + en.cost(n0, a) + en.cost(n1, b);
                        hits.push(Hit { prod: pi, children: vec![(n0, a), (n1, b)], cost });
                    }
                    if !symmetric {
                        // Known second child, new: find the first (old first children only).
                        let found = scan(
                            en,
                            n1,
                            probed[n1],
                            n,
                            |col, out| invert(Inverse::Binary { op, known_first: false }, ty, target, col, out),
                            n0,
                            stop,
                        );
                        for (b, a) in found {
                            if (a as usize) < probed[n0] {
                                let cost = p.cost + en.cost(n0, a) + en.cost(n1, b);
                                hits.push(Hit { prod: pi, children: vec![(n0, a), (n1, b)], cost });
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
