//! The term bank: every kept term, per non-terminal, with its column of values at the
//! evaluation points, hashed for observational-equivalence lookup.
//!
//! Layout is struct-of-arrays: one flat `Vec<u64>` of columns per non-terminal (`stride` words
//! per term, so points can be appended in place), term records in creation order, and buckets
//! of term indices by cost. Columns of `i1` non-terminals are *packed*, one bit per point
//! (64 points per word): Boolean problems then take 64 times less memory, and their bitwise
//! operations run on whole words. [`NtBank::raw`] gives the stored form, [`NtBank::view`] one
//! value per point either way. A term is a production plus child term indices (into the children's
//! non-terminals). Terms that turned out observationally equivalent to a kept term are recorded
//! as *members* of that term's class (up to a memory cap), so that a new counterexample point
//! can split classes instead of restarting the search.

use super::columns::{self, Fingerprint};
use super::table::Table;

/// Entries per column segment.
const SEGMENT: usize = 1 << 14;

/// A kept term (the representative of its observational-equivalence class).
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Production index.
    pub prod: u32,
    /// Cost of the whole term.
    pub cost: u32,
    /// Generation (counterexample count) when it was created.
    pub generation: u32,
    /// Offset of its children in the non-terminal's child pool.
    pub child_off: u32,
}

/// The kept terms of one non-terminal.
#[derive(Debug, Default)]
pub struct NtBank {
    /// Term records.
    pub entries: Vec<Entry>,
    /// Children of all entries (entry indices in the children's banks).
    pub child_pool: Vec<u32>,
    /// Columns in segments of `SEGMENT` entries each, so the bank grows without moving (and
    /// copying) what it holds.
    segments: Vec<Vec<u64>>,
    /// Words per column (enough for the points so far, with room to grow).
    pub stride: usize,
    /// True if columns hold one bit per point (`i1` non-terminals).
    pub packed: bool,
    /// Fingerprint -> entry index.
    pub table: Table,
    /// Entry indices by cost.
    pub buckets: Vec<Vec<u32>>,
}

impl NtBank {
    /// An empty bank for `points` points (packed if `packed`), with room to grow.
    pub fn new(packed: bool, points: usize) -> Self {
        let mut bank = NtBank { packed, ..NtBank::default() };
        bank.stride = bank.words(points + (points / 4).max(4));
        bank
    }

    /// Words a column of `n` points takes.
    #[inline]
    pub fn words(&self, n: usize) -> usize {
        if self.packed { n.div_ceil(64) } else { n }
    }

    /// The stored column of entry `i` over the first `n` points (packed bits for `i1`).
    #[inline]
    pub fn raw(&self, i: u32, n: usize) -> &[u64] {
        let (seg, start) = self.locate(i);
        &self.segments[seg][start..start + self.words(n)]
    }

    /// The segment and word offset of entry `i`'s column.
    #[inline]
    fn locate(&self, i: u32) -> (usize, usize) {
        let i = i as usize;
        (i / SEGMENT, (i % SEGMENT) * self.stride)
    }

    /// The values of entry `i` at the first `n` points, one per point (unpacking into `buf`
    /// when the column is packed).
    #[inline]
    pub fn view<'a>(&'a self, i: u32, n: usize, buf: &'a mut Vec<u64>) -> &'a [u64] {
        self.view_range(i, 0, n, buf)
    }

    /// The values of entry `i` at points `from..to`, one per point.
    pub fn view_range<'a>(&'a self, i: u32, from: usize, to: usize, buf: &'a mut Vec<u64>) -> &'a [u64] {
        let (seg, start) = self.locate(i);
        let col = &self.segments[seg][start..start + self.stride];
        if !self.packed {
            return &col[from..to];
        }
        buf.clear();
        buf.extend((from..to).map(|p| (col[p / 64] >> (p % 64)) & 1));
        buf
    }

    /// The stored form of a column given one value per point (packs into `buf` if needed).
    pub fn encode<'a>(&self, values: &'a [u64], buf: &'a mut Vec<u64>) -> &'a [u64] {
        if !self.packed {
            return values;
        }
        buf.clear();
        buf.resize(values.len().div_ceil(64), 0);
        columns::pack(values, buf);
        buf
    }

    /// The fingerprint a column with these values (one per point) has in this bank.
    pub fn fingerprint_of(&self, values: &[u64]) -> Fingerprint {
        let mut buf = Vec::new();
        columns::hash(self.encode(values, &mut buf))
    }

    /// The entry whose values (one per point) are `values`, if any.
    pub fn find(&self, values: &[u64]) -> Option<u32> {
        self.lookup(self.fingerprint_of(values))
    }

    /// Children of entry `i`, given its arity.
    #[inline]
    pub fn children(&self, i: u32, arity: usize) -> &[u32] {
        let off = self.entries[i as usize].child_off as usize;
        &self.child_pool[off..off + arity]
    }

    /// The entry whose column has fingerprint `fp`, if any.
    #[inline]
    pub fn lookup(&self, fp: Fingerprint) -> Option<u32> {
        self.table.get(fp)
    }

    fn table_insert(&mut self, fp: Fingerprint, id: u32) {
        self.table.insert(fp, id);
    }

    /// Adds a term with its column; returns its index.
    pub fn insert(
        &mut self,
        prod: u32,
        children: &[u32],
        cost: u32,
        generation: u32,
        col: &[u64],
        hash: Fingerprint,
    ) -> u32 {
        let id = self.entries.len() as u32;
        self.table_insert(hash, id);
        self.push_entry(prod, children, cost, generation, col);
        id
    }

    /// Adds a term unless one with the same fingerprint is kept; returns `Err(existing)` then.
    pub fn insert_new(
        &mut self,
        prod: u32,
        children: &[u32],
        cost: u32,
        generation: u32,
        col: &[u64],
        hash: Fingerprint,
    ) -> Result<u32, u32> {
        let id = self.entries.len() as u32;
        if let Some(existing) = self.table.get_or_insert(hash, id) {
            return Err(existing);
        }
        self.push_entry(prod, children, cost, generation, col);
        Ok(id)
    }

    fn push_entry(&mut self, prod: u32, children: &[u32], cost: u32, generation: u32, col: &[u64]) {
        self.entries.push(Entry { prod, cost, generation, child_off: self.child_pool.len() as u32 });
        self.child_pool.extend_from_slice(children);
        if self.segments.last().is_none_or(|seg| seg.len() == SEGMENT * self.stride) {
            // The first segment starts small and grows (most banks stay small: many targets,
            // few terms); the later ones are allocated whole, so nothing big is ever copied.
            let entries = if self.segments.is_empty() { 64 } else { SEGMENT };
            self.segments.push(Vec::with_capacity(entries * self.stride));
        }
        let seg = self.segments.last_mut().expect("a segment exists");
        let start = seg.len();
        seg.extend_from_slice(col);
        seg.resize(start + self.stride, 0);
        let c = cost as usize;
        if self.buckets.len() <= c {
            self.buckets.resize_with(c + 1, Vec::new);
        }
        self.buckets[c].push(self.entries.len() as u32 - 1);
    }

    /// Makes room for `n` more entries (avoids repeated growth while merging a batch).
    pub fn reserve_entries(&mut self, n: usize) {
        self.entries.reserve(n);
    }

    /// The bucket of terms of cost `c` (empty if none).
    pub fn bucket(&self, c: u32) -> &[u32] {
        self.buckets.get(c as usize).map_or(&[], Vec::as_slice)
    }

    /// Makes room for `n` points per column, moving columns if the stride must grow.
    pub fn reserve_points(&mut self, n: usize) {
        if self.words(n) <= self.stride {
            return;
        }
        let new_stride = self.words(n + (n / 4).max(4));
        for seg in &mut self.segments {
            let entries = seg.len() / self.stride;
            let mut moved = Vec::with_capacity(seg.capacity() / self.stride * new_stride);
            for e in 0..entries {
                moved.extend_from_slice(&seg[e * self.stride..(e + 1) * self.stride]);
                moved.resize((e + 1) * new_stride, 0);
            }
            *seg = moved;
        }
        self.stride = new_stride;
    }

    /// Sets the values of entry `i` at points `from..from + values.len()`.
    pub fn set_range(&mut self, i: u32, from: usize, values: &[u64]) {
        let (seg, start) = self.locate(i);
        let packed = self.packed;
        let col = &mut self.segments[seg][start..start + self.stride];
        if !packed {
            col[from..from + values.len()].copy_from_slice(values);
            return;
        }
        for (k, &v) in values.iter().enumerate() {
            let p = from + k;
            let word = &mut col[p / 64];
            *word = (*word & !(1 << (p % 64))) | ((v & 1) << (p % 64));
        }
    }

    /// Rebuilds the hash table over the first `n` points of every column.
    pub fn rehash(&mut self, n: usize) {
        self.table.clear();
        for i in 0..self.entries.len() as u32 {
            let h = columns::hash(self.raw(i, n));
            self.table_insert(h, i);
        }
    }

    /// Bytes used (approximately).
    pub fn bytes(&self) -> usize {
        self.segments.iter().map(|s| s.capacity() * 8).sum::<usize>()
            + self.entries.len() * 16
            + self.child_pool.len() * 4
            + self.table.bytes()
    }
}

/// Most children a member can record (a member of a production with more is dropped, which
/// makes the member list incomplete).
pub const MEMBER_ARITY: usize = 4;

/// A term found equivalent (on the points so far) to a kept term.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    /// Its non-terminal.
    pub nt: u32,
    /// Production index.
    pub prod: u32,
    /// Cost.
    pub cost: u32,
    /// The kept term (entry index in `nt`) it is equivalent to.
    pub class: u32,
    /// Its children (the production's arity of them are used).
    pub children: [u32; MEMBER_ARITY],
}

/// Members per segment of the member list.
const MEMBER_SEGMENT: usize = 1 << 16;

/// Members of all classes, up to a cap, in segments so the list grows without moving.
#[derive(Debug, Default)]
pub struct Members {
    segments: Vec<Vec<Member>>,
    len: usize,
    /// False once a member had to be dropped (cap reached): classes can no longer be split
    /// completely, and a counterexample forces a restart.
    pub complete: bool,
    /// Maximum number of members kept.
    pub cap: usize,
}

impl Members {
    /// An empty, complete member list holding at most `cap` members.
    pub fn new(cap: usize) -> Self {
        Members { segments: Vec::new(), len: 0, complete: true, cap }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Member number `i`.
    pub fn get(&self, i: usize) -> &Member {
        &self.segments[i / MEMBER_SEGMENT][i % MEMBER_SEGMENT]
    }

    /// Records a member (or marks the list incomplete when it is full or the term has too many
    /// children to record).
    pub fn push(&mut self, nt: u32, prod: u32, children: &[u32], cost: u32, class: u32) {
        if !self.complete {
            return;
        }
        if self.len >= self.cap || children.len() > MEMBER_ARITY {
            self.complete = false;
            self.segments = Vec::new();
            self.len = 0;
            return;
        }
        let mut kids = [0u32; MEMBER_ARITY];
        kids[..children.len()].copy_from_slice(children);
        if self.segments.last().is_none_or(|s| s.len() == MEMBER_SEGMENT) {
            self.segments.push(Vec::with_capacity(MEMBER_SEGMENT));
        }
        self.segments.last_mut().expect("a segment exists").push(Member { nt, prod, cost, class, children: kids });
        self.len += 1;
    }

    /// Bytes used (approximately).
    pub fn bytes(&self) -> usize {
        self.segments.iter().map(|s| s.capacity() * std::mem::size_of::<Member>()).sum()
    }
}
