//! An open-addressing hash table from column fingerprints to term indices, built for the
//! enumerator's access pattern: many lookups from several threads against a table that only
//! the merge step mutates.
//!
//! Each slot is 16 bytes: the first fingerprint word (0 marks an empty slot) and, packed in the
//! second word, 32 more fingerprint bits and the term index. Linear probing, load factor at
//! most 1/2. [`Table::prefetch`] lets callers hide memory latency by touching the slots of a
//! block of fingerprints before looking them up.

use super::columns::Fingerprint;

/// The fingerprint-to-index table.
#[derive(Debug, Clone)]
pub struct Table {
    slots: Vec<[u64; 2]>,
    len: usize,
}

impl Default for Table {
    fn default() -> Self {
        Table { slots: vec![[0, 0]; 16], len: 0 }
    }
}

#[inline]
fn key(fp: Fingerprint) -> (u64, u64) {
    let first = if fp.0 == 0 { 1 } else { fp.0 };
    (first, fp.1 & 0xffff_ffff_0000_0000)
}

impl Table {
    #[inline]
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Hints the CPU to load the slot of `fp` into cache.
    #[inline]
    pub fn prefetch(&self, fp: Fingerprint) {
        let i = (key(fp).0 as usize) & self.mask();
        let ptr = self.slots[i..].as_ptr();
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `_mm_prefetch` only hints the cache; it never faults or reads into Rust values,
        // and `ptr` points into `self.slots`.
        unsafe {
            std::arch::x86_64::_mm_prefetch(ptr.cast::<i8>(), std::arch::x86_64::_MM_HINT_T0);
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = ptr;
    }

    /// The index stored for `fp`, if any.
    #[inline]
    pub fn get(&self, fp: Fingerprint) -> Option<u32> {
        let (first, high) = key(fp);
        let mask = self.mask();
        let mut i = (first as usize) & mask;
        loop {
            let [a, b] = self.slots[i];
            if a == 0 {
                return None;
            }
            if a == first && b & 0xffff_ffff_0000_0000 == high {
                return Some(b as u32);
            }
            i = (i + 1) & mask;
        }
    }

    /// The index stored for `fp`, or, if there is none, stores `id` for it and returns `None`
    /// (one probe sequence for both).
    #[inline]
    pub fn get_or_insert(&mut self, fp: Fingerprint, id: u32) -> Option<u32> {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let (first, high) = key(fp);
        let mask = self.mask();
        let mut i = (first as usize) & mask;
        loop {
            let [a, b] = self.slots[i];
            if a == 0 {
                self.slots[i] = [first, high | u64::from(id)];
                self.len += 1;
                return None;
            }
            if a == first && b & 0xffff_ffff_0000_0000 == high {
                return Some(b as u32);
            }
            i = (i + 1) & mask;
        }
    }

    /// Stores `id` for `fp` (which must not be present).
    pub fn insert(&mut self, fp: Fingerprint, id: u32) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        self.place(key(fp), id);
        self.len += 1;
    }

    fn place(&mut self, (first, high): (u64, u64), id: u32) {
        let mask = self.mask();
        let mut i = (first as usize) & mask;
        while self.slots[i][0] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = [first, high | u64::from(id)];
    }

    fn grow(&mut self) {
        let doubled = vec![[0, 0]; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        for [a, b] in old {
            if a != 0 {
                self.place((a, b & 0xffff_ffff_0000_0000), b as u32);
            }
        }
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.slots.iter_mut().for_each(|s| *s = [0, 0]);
        self.len = 0;
    }

    /// Bytes used.
    pub fn bytes(&self) -> usize {
        self.slots.len() * 16
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_finds() {
        let mut t = Table::default();
        for i in 0..1000u64 {
            t.insert(Fingerprint(i.wrapping_mul(0x9e37_79b9_7f4a_7c15), i << 32), i as u32);
        }
        for i in 0..1000u64 {
            assert_eq!(t.get(Fingerprint(i.wrapping_mul(0x9e37_79b9_7f4a_7c15), i << 32)), Some(i as u32));
        }
        assert_eq!(t.get(Fingerprint(12345, 0)), None);
        // Same first word, different second word: distinct keys.
        t.insert(Fingerprint(7, 1 << 40), 5);
        t.insert(Fingerprint(7, 2 << 40), 6);
        assert_eq!(t.get(Fingerprint(7, 1 << 40)), Some(5));
        assert_eq!(t.get(Fingerprint(7, 2 << 40)), Some(6));
    }
}
