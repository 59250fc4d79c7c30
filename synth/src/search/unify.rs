//! Divide-and-conquer synthesis with if-then-else (decision-tree unification, as in EUSolver).
//!
//! When the target's value at every point is known, a term need not be right everywhere: a
//! term right on some points, another on others, and conditions that tell them apart can be
//! joined with the grammar's if-then-else production. For every kept term of the start symbol
//! this module records the points where it is right (a bitset), for every kept term usable as a
//! condition the points where the condition holds, and then learns a decision tree: a leaf is a
//! term right on all points that reach it; an inner node splits the points with the condition
//! that leaves the two halves best covered by single terms.
//!
//! If-then-else productions are `select` (`Op(Select)`), or templates whose body ends in a
//! `select` between two of their children; the condition's value on a term is found by
//! evaluating the template with the two branch children replaced by the columns 1 and 0.

use ir::Opcode;

use super::enumerate::Enumerator;
use super::eval::eval_prod;
use super::grammar::{ProdKind, SearchGrammar};

/// A bitset over points.
type Mask = Vec<u64>;

fn mask_len(n: usize) -> usize {
    n.div_ceil(64)
}

fn count(m: &[u64]) -> u32 {
    m.iter().map(|w| w.count_ones()).sum()
}

fn and(a: &[u64], b: &[u64]) -> Mask {
    a.iter().zip(b).map(|(x, y)| x & y).collect()
}

fn and_not(a: &[u64], b: &[u64]) -> Mask {
    a.iter().zip(b).map(|(x, y)| x & !y).collect()
}

fn covers(term: &[u64], points: &[u64]) -> bool {
    term.iter().zip(points).all(|(t, p)| p & !t == 0)
}

fn overlap(a: &[u64], b: &[u64]) -> u32 {
    a.iter().zip(b).map(|(x, y)| (x & y).count_ones()).sum()
}

/// An if-then-else production of the start symbol.
#[derive(Debug, Clone)]
struct Ite {
    prod: usize,
    cond: usize,
    then: usize,
    els: usize,
}

/// A decision tree over kept terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tree {
    /// A kept term of the start symbol.
    Leaf(u32),
    /// `prod(cond, then, else)` with the children in the production's order.
    Ite {
        /// The if-then-else production.
        prod: usize,
        /// Child positions of condition, then-branch and else-branch in the production.
        slots: [usize; 3],
        /// The condition: a kept term of the condition child's non-terminal.
        cond: (usize, u32),
        /// Taken where the condition holds.
        then: Box<Tree>,
        /// Taken elsewhere.
        els: Box<Tree>,
    },
}

impl Tree {
    /// Derivation size (kept terms' costs plus one per if-then-else).
    pub fn cost(&self, en: &Enumerator<'_>, g: &SearchGrammar) -> u32 {
        match self {
            Tree::Leaf(id) => en.cost(g.start, *id),
            Tree::Ite { prod, cond, then, els, .. } => {
                g.prods[*prod].cost + en.cost(cond.0, cond.1) + then.cost(en, g) + els.cost(en, g)
            }
        }
    }
}

/// Incremental state: term masks and condition masks seen so far.
#[derive(Debug, Default)]
pub struct Unifier {
    ites: Vec<Ite>,
    n: usize,
    /// The points whose value is fixed (the others may take any value).
    care: Mask,
    /// The expected values the masks were computed against.
    target: Vec<u64>,
    /// Maximal right-point masks of start terms (no kept mask is a subset of another).
    terms: Vec<(Mask, u32, u32)>,
    /// Per if-then-else production: distinct condition masks with their cheapest term.
    conds: Vec<Vec<(Mask, u32, u32)>>,
    cond_index: Vec<std::collections::HashMap<Mask, usize>>,
    seen: Vec<usize>,
}

impl Unifier {
    /// A unifier for `g`, or `None` if the start symbol has no if-then-else production.
    pub fn new(g: &SearchGrammar) -> Option<Unifier> {
        let mut ites = Vec::new();
        for (pi, p) in g.prods.iter().enumerate() {
            if p.nt != g.start || p.children.len() < 3 {
                continue;
            }
            let slots = match &p.kind {
                ProdKind::Op(Opcode::Select) => Some((0, 1, 2)),
                ProdKind::Template(t) => t.select_slots(),
                _ => None,
            };
            if let Some((c, t, e)) = slots
                && p.children[t] == g.start
                && p.children[e] == g.start
            {
                ites.push(Ite { prod: pi, cond: c, then: t, els: e });
            }
        }
        if ites.is_empty() {
            return None;
        }
        let k = ites.len();
        Some(Unifier {
            ites,
            conds: vec![Vec::new(); k],
            cond_index: vec![Default::default(); k],
            ..Unifier::default()
        })
    }

    /// Approximate heap bytes held (term and condition masks).
    pub fn bytes(&self) -> usize {
        let mask_bytes = mask_len(self.n) * 8;
        let terms = self.terms.len() * (mask_bytes + 32);
        let conds: usize = self.conds.iter().map(|c| c.len() * 2 * (mask_bytes + 32)).sum();
        terms + conds + self.care.len() * 8 + self.target.len() * 8
    }

    /// Resets everything when the points or their expected values change (counterexamples).
    fn reset(&mut self, n: usize, nts: usize) {
        self.n = n;
        self.care = vec![0; mask_len(n)];
        self.terms.clear();
        self.conds.iter_mut().for_each(Vec::clear);
        self.cond_index.iter_mut().for_each(|m| m.clear());
        self.seen = vec![0; nts];
    }

    /// Takes in the terms kept since the last call. `care[i]` tells whether point `i` has a
    /// fixed expected value `target[i]`; the tree must be right on those points only.
    pub fn update(
        &mut self,
        g: &SearchGrammar,
        en: &Enumerator<'_>,
        target: &[u64],
        care: &[bool],
        params: &[Vec<u64>],
        stop: &super::probe::Stop<'_>,
    ) {
        let n = target.len();
        let words = mask_len(n);
        let mut care_mask = vec![0u64; words];
        for (i, _) in care.iter().enumerate().filter(|(_, c)| **c) {
            care_mask[i / 64] |= 1 << (i % 64);
        }
        if n != self.n || self.seen.len() != g.nts.len() || care_mask != self.care || target != self.target {
            self.reset(n, g.nts.len());
            self.care = care_mask;
            self.target = target.to_vec();
        }
        // Start terms: the points where each is right.
        let start = g.start;
        for id in self.seen[start]..en.bank(start).entries.len() {
            if id % 4096 == 4095 && stop() {
                // Left incomplete: the caller stops the search.
                return;
            }
            let mut view = Vec::new();
            let col = en.bank(start).view(id as u32, n, &mut view);
            let mut mask = vec![0u64; words];
            for (i, (&v, &t)) in col.iter().zip(target).enumerate() {
                if v == t {
                    mask[i / 64] |= 1 << (i % 64);
                }
            }
            let mask = and(&mask, &self.care);
            if count(&mask) == 0 || self.terms.iter().any(|(m, _, _)| covers(m, &mask)) {
                continue;
            }
            self.terms.retain(|(m, _, _)| !covers(&mask, m));
            self.terms.push((mask, id as u32, en.cost(start, id as u32)));
        }
        // Conditions, per if-then-else production.
        let param_cols: Vec<&[u64]> = params.iter().map(Vec::as_slice).collect();
        let ones = vec![1u64; n];
        let zeros = vec![0u64; n];
        let mut out = vec![0u64; n];
        let mut temps = Vec::new();
        for (k, ite) in self.ites.iter().enumerate() {
            let p = &g.prods[ite.prod];
            let cnt = p.children[ite.cond];
            for id in self.seen[cnt]..en.bank(cnt).entries.len() {
                let mut view = Vec::new();
                let col = en.bank(cnt).view(id as u32, n, &mut view);
                let mut children: Vec<&[u64]> = vec![&zeros; p.children.len()];
                children[ite.cond] = col;
                children[ite.then] = &ones;
                children[ite.els] = &zeros;
                eval_prod(g, ite.prod, &children, &param_cols, &mut out, &mut temps);
                let mut mask = vec![0u64; words];
                for (i, &v) in out.iter().enumerate() {
                    if v == 1 {
                        mask[i / 64] |= 1 << (i % 64);
                    }
                }
                let mask = and(&mask, &self.care);
                if count(&mask) == 0 || mask == self.care || self.cond_index[k].contains_key(&mask) {
                    continue;
                }
                self.cond_index[k].insert(mask.clone(), self.conds[k].len());
                self.conds[k].push((mask, id as u32, en.cost(cnt, id as u32)));
            }
        }
        for (nt, seen) in self.seen.iter_mut().enumerate() {
            *seen = en.bank(nt).entries.len();
        }
    }

    /// A decision tree right on every point, if the terms and conditions so far allow one
    /// (`None` too when `stop` fires first).
    pub fn solve(&self, g: &SearchGrammar, stop: &super::probe::Stop<'_>) -> Option<Tree> {
        if self.terms.is_empty() || count(&self.care) == 0 {
            return None;
        }
        let mut budget = 4 * self.n + 64;
        self.learn(g, &self.care, &mut budget, stop)
    }

    fn best_cover(&self, points: &[u64]) -> u32 {
        self.terms.iter().map(|(m, _, _)| overlap(m, points)).max().unwrap_or(0)
    }

    fn learn(
        &self,
        g: &SearchGrammar,
        points: &[u64],
        budget: &mut usize,
        stop: &super::probe::Stop<'_>,
    ) -> Option<Tree> {
        if *budget == 0 || stop() {
            return None;
        }
        *budget -= 1;
        if let Some((_, id, _)) =
            self.terms.iter().filter(|(m, _, _)| covers(m, points)).min_by_key(|(_, _, cost)| *cost)
        {
            return Some(Tree::Leaf(*id));
        }
        let size = count(points);
        let mut best: Option<(u32, u32, usize, usize)> = None;
        for (k, conds) in self.conds.iter().enumerate() {
            for (ci, (m, _, cost)) in conds.iter().enumerate() {
                let inside = overlap(m, points);
                if inside == 0 || inside == size {
                    continue;
                }
                let yes = and(points, m);
                let no = and_not(points, m);
                let score = self.best_cover(&yes) + self.best_cover(&no);
                let better = match best {
                    None => true,
                    Some((s, c, _, _)) => score > s || (score == s && *cost < c),
                };
                if better {
                    best = Some((score, *cost, k, ci));
                }
            }
        }
        let (_, _, k, ci) = best?;
        let (m, id, _) = &self.conds[k][ci];
        let ite = &self.ites[k];
        let then = self.learn(g, &and(points, m), budget, stop)?;
        let els = self.learn(g, &and_not(points, m), budget, stop)?;
        Some(Tree::Ite {
            prod: ite.prod,
            slots: [ite.cond, ite.then, ite.els],
            cond: (g.prods[ite.prod].children[ite.cond], *id),
            then: Box::new(then),
            els: Box::new(els),
        })
    }
}
