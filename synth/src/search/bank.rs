//! The term bank: every kept term, per non-terminal, with its column of values at the
//! evaluation points, hashed for observational-equivalence lookup.
//!
//! Layout is struct-of-arrays: one flat `Vec<u64>` of columns per non-terminal (`stride` words
//! per term, so points can be appended in place), term records in creation order, and buckets
//! of term indices by cost. A term is a production plus child term indices (into the children's
//! non-terminals). Terms that turned out observationally equivalent to a kept term are recorded
//! as *members* of that term's class (up to a memory cap), so that a new counterexample point
//! can split classes instead of restarting the search.

use super::columns::{self, Fingerprint};
use super::table::Table;

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
    cols: Vec<u64>,
    /// Words per column (>= number of points).
    pub stride: usize,
    /// Fingerprint -> entry index.
    pub table: Table,
    /// Entry indices by cost.
    pub buckets: Vec<Vec<u32>>,
}

impl NtBank {
    /// An empty bank whose columns have room for `stride` points.
    pub fn with_stride(stride: usize) -> Self {
        NtBank { stride, ..NtBank::default() }
    }

    /// The column of entry `i` (its values at the first `n` points).
    #[inline]
    pub fn col(&self, i: u32, n: usize) -> &[u64] {
        let start = i as usize * self.stride;
        &self.cols[start..start + n]
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
        self.cols.extend_from_slice(col);
        self.cols.resize(self.entries.len() * self.stride, 0);
        let c = cost as usize;
        if self.buckets.len() <= c {
            self.buckets.resize_with(c + 1, Vec::new);
        }
        self.buckets[c].push(self.entries.len() as u32 - 1);
    }

    /// Makes room for `n` more entries (avoids repeated growth while merging a batch).
    pub fn reserve_entries(&mut self, n: usize) {
        self.entries.reserve(n);
        self.cols.reserve(n * self.stride);
    }

    /// The bucket of terms of cost `c` (empty if none).
    pub fn bucket(&self, c: u32) -> &[u32] {
        self.buckets.get(c as usize).map_or(&[], Vec::as_slice)
    }

    /// Makes room for `n` points per column, moving columns if the stride must grow.
    pub fn reserve_points(&mut self, n: usize) {
        if n <= self.stride {
            return;
        }
        let new_stride = n + (n / 4).max(4);
        let mut cols = vec![0u64; self.entries.len() * new_stride];
        for i in 0..self.entries.len() {
            let old = &self.cols[i * self.stride..(i + 1) * self.stride];
            cols[i * new_stride..i * new_stride + self.stride].copy_from_slice(old);
        }
        self.cols = cols;
        self.stride = new_stride;
    }

    /// Mutable access to the values of entry `i` at points `from..to`.
    pub fn col_range_mut(&mut self, i: u32, from: usize, to: usize) -> &mut [u64] {
        let start = i as usize * self.stride;
        &mut self.cols[start + from..start + to]
    }

    /// Rebuilds the hash table over the first `n` points of every column.
    pub fn rehash(&mut self, n: usize) {
        self.table.clear();
        for i in 0..self.entries.len() as u32 {
            let h = columns::hash(self.col(i, n));
            self.table_insert(h, i);
        }
    }

    /// Bytes used (approximately).
    pub fn bytes(&self) -> usize {
        self.cols.len() * 8 + self.entries.len() * 16 + self.child_pool.len() * 4 + self.table.bytes()
    }
}

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
    /// Offset of its children in the member child pool.
    pub child_off: u32,
}

/// Members of all classes, up to a cap.
#[derive(Debug, Default)]
pub struct Members {
    /// The members in creation order.
    pub list: Vec<Member>,
    /// Their children.
    pub child_pool: Vec<u32>,
    /// False once a member had to be dropped (cap reached): classes can no longer be split
    /// completely, and a counterexample forces a restart.
    pub complete: bool,
    /// Maximum number of members kept.
    pub cap: usize,
}

impl Members {
    /// An empty, complete member list holding at most `cap` members.
    pub fn new(cap: usize) -> Self {
        Members { list: Vec::new(), child_pool: Vec::new(), complete: true, cap }
    }

    /// Records a member (or marks the list incomplete when full).
    pub fn push(&mut self, nt: u32, prod: u32, children: &[u32], cost: u32, class: u32) {
        if !self.complete {
            return;
        }
        if self.list.len() >= self.cap {
            self.complete = false;
            self.list = Vec::new();
            self.child_pool = Vec::new();
            return;
        }
        self.list.push(Member { nt, prod, cost, class, child_off: self.child_pool.len() as u32 });
        self.child_pool.extend_from_slice(children);
    }

    /// Bytes used (approximately).
    pub fn bytes(&self) -> usize {
        self.list.len() * std::mem::size_of::<Member>() + self.child_pool.len() * 4
    }
}
