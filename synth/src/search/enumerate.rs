//! Bottom-up enumeration by cost with observational equivalence, resumable across new points.
//!
//! Level `c` holds the terms of cost `c`. A production of cost `k` with children non-terminals
//! `n1..nm` combines, for every split of `c - k` into child costs, every tuple of kept terms
//! from those buckets (a *box* of tuples). A term whose column equals a kept term's column is
//! recorded as a member of that class; otherwise it is kept. Boxes are cut into chunks that are
//! evaluated in parallel against the bank as it was when the batch started, then merged
//! sequentially in chunk order, so the result does not depend on the number of threads.
//!
//! New points (counterexamples) extend every column, split classes whose members now differ,
//! and schedule a *redo*: levels up to the current one are revisited for tuples containing at
//! least one term created since (semi-naive evaluation), before the search goes on.
//!
//! Invariant: a kept term is the cheapest known term of its class. A member that splits from
//! its class is therefore not kept at once: it is offered again when the redo reaches its cost,
//! after every cheaper term (including those built from other split members) has been seen, so
//! that a cheaper equal term found by the redo becomes the class's representative.

use std::collections::VecDeque;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::SearchError;
use super::bank::{Member, Members, NtBank};
use super::columns::{self, Fingerprint};
use super::eval::{eval_packed, eval_prod, is_guarded_prod, reaches_forbidden};
use super::grammar::{ProdKind, SearchGrammar};

/// Tuples per chunk (unit of parallel work).
const CHUNK_TUPLES: usize = 2048;
/// Chunks per batch (unit of sequential merging and deadline checks).
const BATCH_CHUNKS: usize = 64;

/// A box of tuples: for production `prod`, child `i` ranges over positions `ranges[i]` of the
/// bucket `(nt_i, costs[i])`.
#[derive(Debug, Clone)]
struct WorkBox {
    prod: u32,
    costs: Vec<u32>,
    ranges: Vec<(u32, u32)>,
}

impl WorkBox {
    fn is_empty(&self) -> bool {
        self.ranges.iter().any(|r| r.0 >= r.1)
    }
}

#[derive(Debug)]
enum Mode {
    Normal,
    /// Revisiting levels below `return_level` for tuples with a term of generation >= `since`.
    Redo {
        since: u32,
        return_level: u32,
        return_boxes: VecDeque<WorkBox>,
    },
}

/// What one call of [`Enumerator::step`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Kept terms of the start symbol that pass the check on the current points.
    Candidates(Vec<u32>),
    /// Every term of this cost of the start symbol (and of the non-terminals it takes as a
    /// unit) has been enumerated; other non-terminals' terms of this cost come next.
    StartLevelDone(u32),
    /// Every term of this cost has been enumerated.
    LevelDone(u32),
    /// The stop condition fired (deadline).
    Stopped,
    /// The bank reached its memory budget.
    MemoryFull,
}

/// Why points could not be added incrementally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddPointsError {
    /// Members were dropped (memory cap): the classes cannot be split; rebuild from scratch.
    NeedRestart,
    /// The stop condition fired part-way; the enumerator is unusable and must be dropped.
    Stopped,
}

/// Counters for reports and benchmarks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Terms evaluated (tuples combined).
    pub tuples: u64,
    /// Terms kept (distinct classes).
    pub kept: u64,
}

#[derive(Default)]
struct ChunkOut {
    survivor_children: Vec<u32>,
    survivor_hashes: Vec<Fingerprint>,
    survivor_cols: Vec<u64>,
    survivor_pass: Vec<bool>,
    member_children: Vec<u32>,
    member_classes: Vec<u32>,
    tuples: u64,
}

impl ChunkOut {
    fn clear(&mut self) {
        self.survivor_children.clear();
        self.survivor_hashes.clear();
        self.survivor_cols.clear();
        self.survivor_pass.clear();
        self.member_children.clear();
        self.member_classes.clear();
        self.tuples = 0;
    }
}

/// The enumerator's state.
pub struct Enumerator<'g> {
    g: &'g SearchGrammar,
    banks: Vec<NtBank>,
    members: Members,
    order: Vec<(u32, u32)>,
    n_points: usize,
    params: Vec<Vec<u64>>,
    generation: u32,
    level: u32,
    boxes: VecDeque<WorkBox>,
    mode: Mode,
    /// Members split from their class by new points, waiting for the redo to reach their cost
    /// (sorted by cost).
    deferred: VecDeque<Member>,
    /// Per point, with a defined-behaviour discipline: terms may not reach a guarded case there
    /// (empty without one). Such terms are dropped before the equivalence check, so no kept term
    /// reaches one, and neither does any term built from kept terms but for its own operation.
    forbidden: Vec<bool>,
    unit_pos: FxHashMap<(u32, u32), usize>,
    pending: VecDeque<u32>,
    started: bool,
    stats: Stats,
    pool: std::sync::Arc<rayon::ThreadPool>,
    memory_budget: usize,
    chunk_outs: Vec<ChunkOut>,
    /// Non-terminals whose terms can become start terms through unit productions (the start
    /// symbol included): their productions run first in each level.
    start_side: Vec<bool>,
    /// The last level whose start side was reported done.
    start_reported: Option<u32>,
}

impl std::fmt::Debug for Enumerator<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enumerator").field("level", &self.level).field("stats", &self.stats).finish()
    }
}

impl<'g> Enumerator<'g> {
    /// An enumerator over `grammar` whose points give the target parameters the values
    /// `params[i][point]`. Fails if the worker threads cannot be started.
    pub fn new(
        grammar: &'g SearchGrammar,
        params: Vec<Vec<u64>>,
        n_points: usize,
        threads: usize,
        member_cap: usize,
        memory_budget: usize,
    ) -> Result<Self, SearchError> {
        let banks = grammar.nts.iter().map(|nt| NtBank::new(nt.ty.is_bool(), n_points)).collect();
        let pool = shared_pool(threads.max(1))?;
        Ok(Enumerator {
            g: grammar,
            banks,
            members: Members::new(member_cap),
            order: Vec::new(),
            n_points,
            params,
            generation: 0,
            level: 0,
            boxes: VecDeque::new(),
            mode: Mode::Normal,
            deferred: VecDeque::new(),
            forbidden: Vec::new(),
            unit_pos: FxHashMap::default(),
            pending: VecDeque::new(),
            started: false,
            stats: Stats::default(),
            pool,
            memory_budget,
            chunk_outs: Vec::new(),
            start_side: start_side(grammar),
            start_reported: None,
        })
    }

    /// Turns on the defined-behaviour discipline: `forbidden[i]` for each current point.
    pub fn with_forbidden(mut self, forbidden: Vec<bool>) -> Self {
        assert!(forbidden.is_empty() || forbidden.len() == self.n_points, "one flag per point");
        self.forbidden = forbidden;
        self
    }

    /// Counters so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The highest cost `L` such that every term (of every non-terminal) of cost at most `L` is
    /// represented in the bank with the current points, if any. While lower levels are being
    /// revisited after new points this is below the level the search had reached.
    pub fn levels_done(&self) -> Option<u32> {
        if self.started { self.level.checked_sub(1) } else { None }
    }

    /// The cost `c` such that every term of the start symbol of cost below `c` is represented in
    /// the bank with the current points (kept, or a member of a kept class). A start term of cost
    /// at most `c` that passes every test is therefore the cheapest one that does — this is the
    /// bound optimality claims rest on.
    pub fn start_complete_below(&self) -> u32 {
        if !self.started {
            return 0;
        }
        match self.mode {
            Mode::Normal if self.start_reported == Some(self.level) => self.level + 1,
            _ => self.level,
        }
    }

    /// The generation of terms created now (it grows with every call of [`Enumerator::add_points`]).
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// The position in bucket `(nt, cost)` of the first term of generation `since` or later
    /// (buckets are in creation order).
    pub fn bucket_since(&self, nt: usize, cost: u32, since: u32) -> usize {
        let bank = &self.banks[nt];
        bank.bucket(cost).partition_point(|&e| bank.entries[e as usize].generation < since)
    }

    /// Runs `f` in the enumerator's thread pool (for parallel scans of the bank).
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        self.pool.install(f)
    }

    /// The kept terms of a non-terminal.
    pub fn bank(&self, nt: usize) -> &NtBank {
        &self.banks[nt]
    }

    /// The values of a kept term of the start symbol at every point (`buf` is scratch space).
    pub fn start_view<'a>(&'a self, id: u32, buf: &'a mut Vec<u64>) -> &'a [u64] {
        self.banks[self.g.start].view(id, self.n_points, buf)
    }

    /// Total bytes of banks and members.
    pub fn bytes(&self) -> usize {
        self.banks.iter().map(NtBank::bytes).sum::<usize>() + self.members.bytes()
    }

    /// Keeps a term whose values (one per point) are `values` and whose stored column has
    /// fingerprint `hash`.
    fn insert(&mut self, nt: usize, prod: u32, children: &[u32], cost: u32, values: &[u64], hash: Fingerprint) -> u32 {
        let mut buf = Vec::new();
        let bank = &mut self.banks[nt];
        let raw = if bank.packed { bank.encode(values, &mut buf).to_vec() } else { values.to_vec() };
        let id = bank.insert(prod, children, cost, self.generation, &raw, hash);
        self.order.push((nt as u32, id));
        self.stats.kept += 1;
        id
    }

    /// Inserts a term unless an equivalent one is kept (then records it as a member); returns
    /// the new entry, if one was made.
    fn offer(
        &mut self,
        nt: usize,
        prod: u32,
        children: &[u32],
        cost: u32,
        col: &[u64],
        check: &Check<'_>,
    ) -> Option<u32> {
        let hash = self.banks[nt].fingerprint_of(col);
        if let Some(class) = self.banks[nt].lookup(hash) {
            self.members.push(nt as u32, prod, children, cost, class);
            return None;
        }
        let id = self.insert(nt, prod, children, cost, col, hash);
        if nt == self.g.start && check(col) {
            self.pending.push_back(id);
        }
        Some(id)
    }

    fn start(&mut self, check: &Check<'_>) {
        self.started = true;
        let mut temps = Vec::new();
        let mut col = vec![0u64; self.n_points];
        let param_cols = self.params.clone();
        let params: Vec<&[u64]> = param_cols.iter().map(Vec::as_slice).collect();
        let leaves: Vec<usize> = self
            .g
            .prods
            .iter()
            .enumerate()
            .filter(|(_, p)| p.children.is_empty() && p.cost == 0)
            .map(|(i, _)| i)
            .collect();
        for prod in leaves {
            eval_prod(self.g, prod, &[], &params, &mut col, &mut temps);
            let nt = self.g.prods[prod].nt;
            self.offer(nt, prod as u32, &[], 0, &col.clone(), check);
        }
        self.finish_level(check);
    }

    /// Runs until candidates appear, a level completes, the stop condition fires, or memory runs out.
    pub fn step(&mut self, check: &Check<'_>, stop: &(dyn Fn() -> bool + Sync)) -> Step {
        if !self.started {
            self.start(check);
            if !self.pending.is_empty() {
                return Step::Candidates(self.pending.drain(..).collect());
            }
            return Step::LevelDone(0);
        }
        loop {
            if !self.pending.is_empty() {
                return Step::Candidates(self.pending.drain(..).collect());
            }
            if stop() {
                return Step::Stopped;
            }
            if self.bytes() > self.memory_budget {
                return Step::MemoryFull;
            }
            let start_side_done = self.boxes.front().is_none_or(|b| !self.start_side[self.g.prods[b.prod as usize].nt]);
            if start_side_done && matches!(self.mode, Mode::Normal) && self.start_reported != Some(self.level) {
                self.unit_closure(check);
                self.start_reported = Some(self.level);
                if !self.pending.is_empty() {
                    continue;
                }
                return Step::StartLevelDone(self.level);
            }
            if self.boxes.is_empty() {
                if let Some(done) = self.finish_level(check) {
                    return Step::LevelDone(done);
                }
                continue;
            }
            self.run_batch(check);
        }
    }

    /// Completes the current level (unit productions) and moves to the next; returns the level
    /// when a normal (not redo) level finished.
    fn finish_level(&mut self, check: &Check<'_>) -> Option<u32> {
        self.unit_closure(check);
        let finished = self.level;
        self.level += 1;
        self.offer_deferred(check);
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Normal => {
                self.boxes = self.boxes_for(self.level, None);
                Some(finished)
            }
            Mode::Redo { since, return_level, mut return_boxes } => {
                if self.level < return_level {
                    self.boxes = self.boxes_for(self.level, Some(since));
                    self.mode = Mode::Redo { since, return_level, return_boxes };
                } else {
                    // Back at the interrupted level: its remaining boxes plus the tuples with new
                    // terms, the start symbol's side first again (its completion is read from the
                    // front of the queue).
                    return_boxes.extend(self.boxes_for(self.level, Some(since)));
                    let mut boxes: Vec<WorkBox> = return_boxes.into();
                    boxes.sort_by_key(|b| !self.start_side[self.g.prods[b.prod as usize].nt]);
                    self.boxes = boxes.into();
                }
                None
            }
        }
    }

    /// Copies terms along unit productions (`A -> B`) at the current level until nothing changes.
    fn unit_closure(&mut self, check: &Check<'_>) {
        let units: Vec<usize> =
            self.g.prods.iter().enumerate().filter(|(_, p)| p.kind == ProdKind::Unit).map(|(i, _)| i).collect();
        if units.is_empty() {
            return;
        }
        let level = self.level;
        loop {
            let mut changed = false;
            for &u in &units {
                let p = &self.g.prods[u];
                let (a, b) = (p.nt, p.children[0]);
                let key = (u as u32, level);
                let from = self.unit_pos.get(&key).copied().unwrap_or(0);
                let bucket: Vec<u32> = self.banks[b].bucket(level).to_vec();
                if from >= bucket.len() {
                    continue;
                }
                self.unit_pos.insert(key, bucket.len());
                for &e in &bucket[from..] {
                    let mut buf = Vec::new();
                    let col = self.banks[b].view(e, self.n_points, &mut buf).to_vec();
                    self.stats.tuples += 1;
                    if self.offer(a, u as u32, &[e], level, &col, check).is_some() {
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// The boxes of level `level`: all tuples, or (with `since`) only tuples with at least one
    /// term of generation >= `since`.
    fn boxes_for(&self, level: u32, since: Option<u32>) -> VecDeque<WorkBox> {
        let mut out = VecDeque::new();
        for (pi, p) in self.g.prods.iter().enumerate() {
            if p.kind == ProdKind::Unit || p.cost > level {
                continue;
            }
            let k = p.children.len();
            if k == 0 {
                if p.cost == level && p.cost > 0 && since.is_none() {
                    out.push_back(WorkBox { prod: pi as u32, costs: vec![], ranges: vec![] });
                }
                continue;
            }
            let rest = level - p.cost;
            let commutative =
                matches!(p.kind, ProdKind::Op(op) if op.is_commutative()) && k == 2 && p.children[0] == p.children[1];
            let mut costs = vec![0u32; k];
            self.compositions(p, rest, 0, &mut costs, &mut |costs| {
                if commutative && costs[0] > costs[1] {
                    return;
                }
                let lens: Vec<u32> = (0..k).map(|i| self.banks[p.children[i]].bucket(costs[i]).len() as u32).collect();
                match since {
                    None => out.push_back(WorkBox {
                        prod: pi as u32,
                        costs: costs.to_vec(),
                        ranges: lens.iter().map(|&l| (0, l)).collect(),
                    }),
                    Some(s) => {
                        let starts: Vec<u32> = (0..k)
                            .map(|i| {
                                let bank = &self.banks[p.children[i]];
                                bank.bucket(costs[i]).partition_point(|&e| bank.entries[e as usize].generation < s)
                                    as u32
                            })
                            .collect();
                        for j in 0..k {
                            let ranges: Vec<(u32, u32)> = (0..k)
                                .map(|i| match i.cmp(&j) {
                                    std::cmp::Ordering::Less => (0, starts[i]),
                                    std::cmp::Ordering::Equal => (starts[i], lens[i]),
                                    std::cmp::Ordering::Greater => (0, lens[i]),
                                })
                                .collect();
                            let b = WorkBox { prod: pi as u32, costs: costs.to_vec(), ranges };
                            if !b.is_empty() {
                                out.push_back(b);
                            }
                        }
                    }
                }
            });
        }
        out.retain(|b| !b.is_empty() || b.ranges.is_empty());
        // The start symbol's side first, so a level's candidates are complete early.
        let mut out: Vec<WorkBox> = out.into();
        out.sort_by_key(|b| !self.start_side[self.g.prods[b.prod as usize].nt]);
        out.into()
    }

    fn compositions(
        &self,
        p: &super::grammar::Prod,
        rest: u32,
        i: usize,
        costs: &mut Vec<u32>,
        f: &mut dyn FnMut(&[u32]),
    ) {
        let k = p.children.len();
        if i == k - 1 {
            if !self.banks[p.children[i]].bucket(rest).is_empty() {
                costs[i] = rest;
                f(costs);
            }
            return;
        }
        for c in 0..=rest {
            if self.banks[p.children[i]].bucket(c).is_empty() {
                continue;
            }
            costs[i] = c;
            self.compositions(p, rest - c, i + 1, costs, f);
        }
    }

    /// Takes up to a batch of chunks from the boxes, evaluates them in parallel, merges them.
    fn run_batch(&mut self, check: &Check<'_>) {
        let mut chunks: Vec<WorkBox> = Vec::new();
        while chunks.len() < BATCH_CHUNKS {
            let Some(front) = self.boxes.pop_front() else { break };
            let width = |r: &(u32, u32)| u128::from(r.1 - r.0);
            let size: u128 = front.ranges.iter().map(width).product();
            if size <= CHUNK_TUPLES as u128 {
                chunks.push(front);
                continue;
            }
            // Split along the first dimension wider than one: a chunk-sized slab if the later
            // dimensions are small enough, else one index of it (split further next round).
            let d = front
                .ranges
                .iter()
                .position(|r| r.1 - r.0 > 1)
                .expect("a box larger than a chunk has a wide dimension");
            let rest: u128 = front.ranges[d + 1..].iter().map(width).product();
            let (a, b) = front.ranges[d];
            let take = if rest <= CHUNK_TUPLES as u128 { (CHUNK_TUPLES as u128 / rest).max(1) as u32 } else { 1 };
            let mid = (a + take).min(b);
            let mut head = front.clone();
            head.ranges[d] = (a, mid);
            let mut tail = front;
            tail.ranges[d] = (mid, b);
            if mid < b {
                self.boxes.push_front(tail);
            }
            if rest <= CHUNK_TUPLES as u128 {
                chunks.push(head);
            } else {
                self.boxes.push_front(head);
            }
        }
        let mut outs = std::mem::take(&mut self.chunk_outs);
        outs.resize_with(chunks.len().max(outs.len()), ChunkOut::default);
        {
            let this = &*self;
            this.pool.install(|| {
                outs.par_iter_mut().zip(chunks.par_iter()).for_each(|(out, c)| this.process_chunk(c, check, out))
            });
        }
        let level = self.level;
        // Survivors were new to the bank as it was when the batch started; a term kept earlier
        // in this batch may equal one, which the insertion's table probe finds.
        for (chunk, out) in chunks.iter().zip(&outs) {
            self.stats.tuples += out.tuples;
            let p = &self.g.prods[chunk.prod as usize];
            let (nt, k) = (p.nt, p.children.len());
            for (i, &class) in out.member_classes.iter().enumerate() {
                self.members.push(nt as u32, chunk.prod, &out.member_children[i * k..(i + 1) * k], level, class);
            }
            if out.survivor_hashes.is_empty() {
                continue;
            }
            self.banks[nt].reserve_entries(out.survivor_hashes.len());
            for (i, &fp) in out.survivor_hashes.iter().enumerate() {
                if let Some(&ahead) = out.survivor_hashes.get(i + 8) {
                    self.banks[nt].table.prefetch(ahead);
                }
                let words = self.banks[nt].words(self.n_points);
                let col = &out.survivor_cols[i * words..(i + 1) * words];
                let children = &out.survivor_children[i * k..(i + 1) * k];
                match self.banks[nt].insert_new(chunk.prod, children, level, self.generation, col, fp) {
                    Err(class) => self.members.push(nt as u32, chunk.prod, children, level, class),
                    Ok(id) => {
                        self.order.push((nt as u32, id));
                        self.stats.kept += 1;
                        if out.survivor_pass[i] {
                            self.pending.push_back(id);
                        }
                    }
                }
            }
        }
        self.chunk_outs = outs;
    }

    /// Evaluates every tuple of a chunk against the bank as it is (read-only).
    fn process_chunk(&self, chunk: &WorkBox, check: &Check<'_>, out: &mut ChunkOut) {
        let g = self.g;
        let p = &g.prods[chunk.prod as usize];
        let nt = p.nt;
        let k = p.children.len();
        let n = self.n_points;
        let commutative = matches!(p.kind, ProdKind::Op(op) if op.is_commutative())
            && k == 2
            && p.children[0] == p.children[1]
            && chunk.costs[0] == chunk.costs[1];
        let buckets: Vec<&[u32]> = (0..k).map(|i| self.banks[p.children[i]].bucket(chunk.costs[i])).collect();
        let params: Vec<&[u64]> = self.params.iter().map(Vec::as_slice).collect();
        out.clear();
        let mut temps = Vec::new();
        let mut pos: Vec<u32> = chunk.ranges.iter().map(|r| r.0).collect();
        let child_banks: Vec<&NtBank> = p.children.iter().map(|&c| &self.banks[c]).collect();
        let bank = &self.banks[nt];
        let is_start = nt == g.start;
        let guarded = !self.forbidden.is_empty() && is_guarded_prod(g, chunk.prod as usize);
        // Boolean productions over Boolean children work on packed words directly; anything
        // else is evaluated one value per point (packed children unpacked first, a packed
        // result packed after).
        let all_packed = bank.packed && child_banks.iter().all(|b| b.packed);
        let words = bank.words(n);
        let mut unpacked = vec![0u64; n];
        let mut child_bufs: Vec<Vec<u64>> = vec![Vec::new(); k];
        let mut check_buf = Vec::new();
        // Tuples are evaluated in blocks: compute the block's columns and fingerprints, prefetch
        // their table slots, then look them up, so that the cache misses overlap.
        const BLOCK: usize = 16;
        let mut block_cols = vec![0u64; BLOCK * words];
        let mut block_ids = vec![0u32; BLOCK * k];
        let mut block_fps = [Fingerprint(0, 0); BLOCK];
        let mut done = false;
        while !done {
            let mut filled = 0;
            while filled < BLOCK && !done {
                let skip = commutative && pos[0] > pos[1];
                if !skip {
                    let ids = &mut block_ids[filled * k..(filled + 1) * k];
                    for i in 0..k {
                        ids[i] = buckets[i][pos[i] as usize];
                    }
                    let col = &mut block_cols[filled * words..(filled + 1) * words];
                    // Children's columns without allocating: a stack array for the usual arities.
                    let mut small: [&[u64]; 4] = [&[]; 4];
                    let mut dropped = false;
                    let fast = !guarded && all_packed && {
                        let raws: Vec<&[u64]>;
                        let raws: &[&[u64]] = if k <= 4 {
                            for i in 0..k {
                                small[i] = child_banks[i].raw(ids[i], n);
                            }
                            &small[..k]
                        } else {
                            raws = (0..k).map(|i| child_banks[i].raw(ids[i], n)).collect();
                            &raws
                        };
                        eval_packed(g, chunk.prod as usize, raws, n, col)
                    };
                    if !fast {
                        let mut large: Vec<&[u64]> = Vec::new();
                        let mut small: [&[u64]; 4] = [&[]; 4];
                        for (i, buf) in child_bufs.iter_mut().enumerate() {
                            let view = child_banks[i].view(ids[i], n, buf);
                            if k <= 4 {
                                small[i] = view;
                            } else {
                                large.push(view);
                            }
                        }
                        let child_cols: &[&[u64]] = if k <= 4 { &small[..k] } else { &large };
                        if guarded && reaches_forbidden(g, chunk.prod as usize, child_cols, &self.forbidden) {
                            // Breaks the discipline: not a term of the search at all.
                            dropped = true;
                        } else if bank.packed {
                            eval_prod(g, chunk.prod as usize, child_cols, &params, &mut unpacked, &mut temps);
                            columns::pack(&unpacked, col);
                        } else {
                            eval_prod(g, chunk.prod as usize, child_cols, &params, col, &mut temps);
                        }
                    }
                    if dropped {
                        out.tuples += 1;
                    } else {
                        let fp = columns::hash(col);
                        bank.table.prefetch(fp);
                        block_fps[filled] = fp;
                        filled += 1;
                    }
                }
                // Advance the odometer (last child fastest).
                let mut i = k;
                loop {
                    if i == 0 {
                        done = true;
                        break;
                    }
                    i -= 1;
                    pos[i] += 1;
                    if pos[i] < chunk.ranges[i].1 {
                        break;
                    }
                    pos[i] = chunk.ranges[i].0;
                }
            }
            out.tuples += filled as u64;
            for t in 0..filled {
                let ids = &block_ids[t * k..(t + 1) * k];
                match bank.lookup(block_fps[t]) {
                    Some(class) => {
                        out.member_children.extend_from_slice(ids);
                        out.member_classes.push(class);
                    }
                    None => {
                        let col = &block_cols[t * words..(t + 1) * words];
                        out.survivor_children.extend_from_slice(ids);
                        out.survivor_hashes.push(block_fps[t]);
                        out.survivor_cols.extend_from_slice(col);
                        let pass = is_start && {
                            let values = if bank.packed {
                                check_buf.clear();
                                check_buf.resize(n, 0);
                                columns::unpack(col, n, &mut check_buf);
                                check_buf.as_slice()
                            } else {
                                col
                            };
                            check(values)
                        };
                        out.survivor_pass.push(pass);
                    }
                }
            }
        }
    }

    /// Appends points (argument tuples) to every column, splits classes whose members now differ,
    /// and schedules the revisit of lower levels. Fails if members were dropped (memory cap), or
    /// if `stop` fires part-way (then the enumerator must not be used again).
    ///
    /// With a discipline, `new_forbidden` flags the new points; a kept term that reaches a
    /// guarded case at a new forbidden point cannot be removed from the bank, so that also asks
    /// for a restart (rare: the initial tests hold the edge values that trigger guards).
    pub fn add_points(
        &mut self,
        new_params: &[Vec<u64>],
        new_forbidden: &[bool],
        check: &Check<'_>,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<(), AddPointsError> {
        if !self.members.complete {
            return Err(AddPointsError::NeedRestart);
        }
        let old = self.n_points;
        let added = new_params.first().map_or(0, Vec::len);
        let new = old + added;
        if !self.forbidden.is_empty() {
            assert_eq!(new_forbidden.len(), added, "one flag per new point");
            self.forbidden.extend_from_slice(new_forbidden);
        }
        let forbidden_new: &[bool] = if self.forbidden.is_empty() { &[] } else { &self.forbidden[old..new] };
        let forbidden_new = forbidden_new.to_vec();
        for (col, extra) in self.params.iter_mut().zip(new_params) {
            col.extend_from_slice(extra);
        }
        for bank in &mut self.banks {
            bank.reserve_points(new);
        }
        let new_param_cols: Vec<Vec<u64>> = self.params.iter().map(|c| c[old..new].to_vec()).collect();
        let params: Vec<&[u64]> = new_param_cols.iter().map(Vec::as_slice).collect();
        let mut temps = Vec::new();
        let mut buf = vec![0u64; added];
        let mut bufs: Vec<Vec<u64>> = Vec::new();
        let order = std::mem::take(&mut self.order);
        for (done, &(nt, id)) in order.iter().enumerate() {
            if done % 4096 == 4095 && stop() {
                return Err(AddPointsError::Stopped);
            }
            let e = self.banks[nt as usize].entries[id as usize];
            let p = &self.g.prods[e.prod as usize];
            let children = self.banks[nt as usize].children(id, p.children.len()).to_vec();
            {
                let child_cols = child_views(&self.banks, &p.children, &children, old, new, &mut bufs);
                if !forbidden_new.is_empty() && reaches_forbidden(self.g, e.prod as usize, &child_cols, &forbidden_new)
                {
                    return Err(AddPointsError::NeedRestart);
                }
                eval_prod(self.g, e.prod as usize, &child_cols, &params, &mut buf, &mut temps);
            }
            self.banks[nt as usize].set_range(id, old, &buf);
        }
        self.order = order;
        self.n_points = new;
        for bank in &mut self.banks {
            bank.rehash(new);
        }
        // Existing kept terms that now pass (e.g. members' classes) are re-checked by the caller;
        // split the classes.
        self.generation += 1;
        let cap = self.members.cap;
        let members = std::mem::replace(&mut self.members, Members::new(cap));
        let mut idx: Vec<usize> = (0..members.len()).collect();
        idx.sort_by_key(|&i| (members.get(i).cost, i));
        let mut kept = Members::new(members.cap);
        for (done, i) in idx.into_iter().enumerate() {
            if done % 4096 == 4095 && stop() {
                return Err(AddPointsError::Stopped);
            }
            let m = *members.get(i);
            let p = &self.g.prods[m.prod as usize];
            let k = p.children.len();
            let children = &m.children[..k];
            {
                let child_cols = child_views(&self.banks, &p.children, children, old, new, &mut bufs);
                if !forbidden_new.is_empty() && reaches_forbidden(self.g, m.prod as usize, &child_cols, &forbidden_new)
                {
                    // Breaks the discipline at a new point: no longer a term of the search.
                    continue;
                }
                eval_prod(self.g, m.prod as usize, &child_cols, &params, &mut buf, &mut temps);
            }
            let mut class_buf = Vec::new();
            if buf == self.banks[m.nt as usize].view_range(m.class, old, new, &mut class_buf) {
                kept.push(m.nt, m.prod, children, m.cost, m.class);
            } else {
                // Split off: offered again when the redo reaches its cost (module docs).
                self.deferred.push_back(m);
            }
        }
        self.members = kept;
        // Revisit the levels below the current one for tuples with new terms.
        let since = self.generation;
        let current = self.level;
        let (since, return_level, return_boxes) = match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Normal => (since, current, std::mem::take(&mut self.boxes)),
            Mode::Redo { since: s, return_level, return_boxes } => (s, return_level, return_boxes),
        };
        self.level = 0;
        self.boxes = VecDeque::new();
        self.mode = Mode::Redo { since, return_level, return_boxes };
        // The start side of the interrupted level has new tuples to run: report it again.
        self.start_reported = None;
        let mut deferred: Vec<Member> = self.deferred.drain(..).collect();
        deferred.sort_by_key(|m| m.cost);
        self.deferred = deferred.into();
        self.offer_deferred(check);
        Ok(())
    }

    /// Offers the split members whose cost is at most the current level (their columns are
    /// computed from their children's current columns).
    fn offer_deferred(&mut self, check: &Check<'_>) {
        let params: Vec<Vec<u64>> = self.params.clone();
        let params: Vec<&[u64]> = params.iter().map(Vec::as_slice).collect();
        let mut col = vec![0u64; self.n_points];
        let mut temps = Vec::new();
        let mut bufs: Vec<Vec<u64>> = Vec::new();
        while self.deferred.front().is_some_and(|m| m.cost <= self.level) {
            let m = self.deferred.pop_front().expect("checked non-empty");
            let p = &self.g.prods[m.prod as usize];
            let children = &m.children[..p.children.len()];
            {
                let child_cols = child_views(&self.banks, &p.children, children, 0, self.n_points, &mut bufs);
                if !self.forbidden.is_empty()
                    && reaches_forbidden(self.g, m.prod as usize, &child_cols, &self.forbidden)
                {
                    continue;
                }
                eval_prod(self.g, m.prod as usize, &child_cols, &params, &mut col, &mut temps);
            }
            self.stats.tuples += 1;
            self.offer(m.nt as usize, m.prod, children, m.cost, &col.clone(), check);
        }
    }

    /// True if enumeration can produce no new class: every production applied to any tuple of
    /// kept terms has been tried. With every term of the start symbol failing the check, the
    /// grammar has no solution.
    pub fn is_saturated(&self) -> bool {
        if !matches!(self.mode, Mode::Normal) {
            return false;
        }
        let Some(done) = self.levels_done() else { return false };
        let max_cost = |nt: usize| self.banks[nt].buckets.iter().rposition(|b| !b.is_empty()).map(|c| c as u32);
        for p in &self.g.prods {
            let mut need = p.cost;
            let mut possible = true;
            for &c in &p.children {
                match max_cost(c) {
                    Some(m) => need += m,
                    None => possible = false,
                }
            }
            if possible && need > done {
                return false;
            }
        }
        true
    }

    /// The production and children of a kept term.
    pub fn term(&self, nt: usize, id: u32) -> (usize, Vec<u32>) {
        let e = self.banks[nt].entries[id as usize];
        let arity = self.g.prods[e.prod as usize].children.len();
        (e.prod as usize, self.banks[nt].children(id, arity).to_vec())
    }

    /// The cost of a kept term.
    pub fn cost(&self, nt: usize, id: u32) -> u32 {
        self.banks[nt].entries[id as usize].cost
    }

    /// Consistency check for debugging (`SYNTH_DEBUG_VALIDATE=1`): checks stored columns against recomputation and that no two kept terms agree.
    pub fn debug_validate(&self) {
        let params: Vec<&[u64]> = self.params.iter().map(Vec::as_slice).collect();
        let mut buf = vec![0u64; self.n_points];
        let mut temps = Vec::new();
        let mut bufs = Vec::new();
        let mut own = Vec::new();
        for (nt, bank) in self.banks.iter().enumerate() {
            let mut seen = std::collections::HashMap::new();
            for id in 0..bank.entries.len() as u32 {
                let (prod, children) = self.term(nt, id);
                let p = &self.g.prods[prod];
                let cols = child_views(&self.banks, &p.children, &children, 0, self.n_points, &mut bufs);
                eval_prod(self.g, prod, &cols, &params, &mut buf, &mut temps);
                assert_eq!(buf, bank.view(id, self.n_points, &mut own), "stale column nt {nt} id {id}");
                if let Some(other) = seen.insert(buf.clone(), id) {
                    panic!(
                        "duplicate class in nt {nt}: {other} and {id} (costs {} {}) gens {} {}",
                        bank.entries[other as usize].cost,
                        bank.entries[id as usize].cost,
                        bank.entries[other as usize].generation,
                        bank.entries[id as usize].generation
                    );
                }
            }
        }
    }
}

/// The values of each child at points `from..to`, one per point (packed children are unpacked
/// into `bufs`).
fn child_views<'a>(
    banks: &'a [NtBank],
    child_nts: &[usize],
    children: &[u32],
    from: usize,
    to: usize,
    bufs: &'a mut Vec<Vec<u64>>,
) -> Vec<&'a [u64]> {
    if bufs.len() < children.len() {
        bufs.resize_with(children.len(), Vec::new);
    }
    children
        .iter()
        .zip(child_nts)
        .zip(bufs.iter_mut())
        .map(|((&c, &nt), buf)| banks[nt].view_range(c, from, to, buf))
        .collect()
}

/// The worker pool of `threads` threads, shared by every enumerator of the process that asks
/// for that many (a search with many targets, or restarts, would otherwise start threads by
/// the thousand).
fn shared_pool(threads: usize) -> Result<std::sync::Arc<rayon::ThreadPool>, SearchError> {
    use std::sync::{Arc, Mutex, OnceLock};
    /// Pools by thread count.
    type Pools = Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>>;
    static POOLS: OnceLock<Pools> = OnceLock::new();
    let pools = POOLS.get_or_init(|| Mutex::new(Vec::new()));
    let mut pools = pools.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, pool)) = pools.iter().find(|(n, _)| *n == threads) {
        return Ok(pool.clone());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| SearchError::Resource(format!("cannot start {threads} worker threads: {e}")))?;
    let pool = Arc::new(pool);
    pools.push((threads, pool.clone()));
    Ok(pool)
}

/// The non-terminals from which a unit-production chain reaches the start symbol.
fn start_side(g: &SearchGrammar) -> Vec<bool> {
    let mut side = vec![false; g.nts.len()];
    side[g.start] = true;
    loop {
        let mut changed = false;
        for p in &g.prods {
            if p.kind == ProdKind::Unit && side[p.nt] && !side[p.children[0]] {
                side[p.children[0]] = true;
                changed = true;
            }
        }
        if !changed {
            return side;
        }
    }
}

/// The test a candidate column must pass.
pub type Check<'a> = dyn Fn(&[u64]) -> bool + Sync + 'a;
