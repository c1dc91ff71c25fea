//! The arrays of the index: keyed lists of `u32` and dense level columns, with the checksums
//! the bench streams them with.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::hint::black_box;
use std::ops::RangeInclusive;

use super::{LEVEL_BITS, LEVEL_MASK};

/// Lists of `u32` keyed by a `u32`, stored as sorted keys, offsets and one value array.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lists {
    keys: Vec<u32>,
    offsets: Vec<usize>,
    values: Vec<u32>,
}

impl Lists {
    /// The list of `key`, empty when the key is absent.
    pub fn get(&self, key: u32) -> &[u32] {
        match self.keys.binary_search(&key) {
            Ok(i) => self.list(i),
            Err(_) => &[],
        }
    }

    /// The lists of the keys in `keys`, in key order.
    pub fn range(&self, keys: RangeInclusive<u32>) -> impl Iterator<Item = &[u32]> {
        let from = self.keys.partition_point(|k| k < keys.start());
        let to = self.keys.partition_point(|k| k <= keys.end());
        (from..to.max(from)).map(|i| self.list(i))
    }

    fn list(&self, i: usize) -> &[u32] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => self.values.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    #[cfg(test)]
    pub fn keys(&self) -> &[u32] {
        &self.keys
    }

    pub fn bytes(&self) -> usize {
        self.keys.len() * 4 + self.offsets.len() * size_of::<usize>() + self.values.len() * 4
    }

    pub fn checksum(&self) -> u64 {
        sum_u32(&self.keys) ^ sum_usize(&self.offsets) ^ sum_u32(&self.values)
    }

    fn from_sorted(lists: Vec<(u32, Vec<u32>)>) -> Lists {
        let total = lists.iter().map(|(_, l)| l.len()).sum();
        let mut out =
            Lists { keys: Vec::with_capacity(lists.len()), offsets: vec![0], values: Vec::with_capacity(total) };
        for (key, list) in lists {
            out.keys.push(key);
            out.values.extend_from_slice(&list);
            out.offsets.push(out.values.len());
        }
        out
    }
}

/// Skills held by at least a quarter of the profiles, as one level byte per profile (0 = not
/// held): smaller than their lists, and added to the scores by a vectorised pass.
#[derive(Clone, Debug, Default)]
pub(crate) struct DenseColumns {
    keys: Vec<u32>,
    levels: Vec<u8>,
}

impl DenseColumns {
    pub fn get(&self, key: u32, profiles: usize) -> Option<&[u8]> {
        let i = self.keys.binary_search(&key).ok()?;
        self.levels.get(i * profiles..(i + 1) * profiles)
    }

    pub fn bytes(&self) -> usize {
        self.keys.len() * 4 + self.levels.len()
    }

    pub fn checksum(&self) -> u64 {
        sum_u32(&self.keys) ^ sum_u8(&self.levels)
    }
}

// The checksums read every element once with the cheapest combining operation, so that the
// baseline is as fast as streaming can be.
fn sum_u32(xs: &[u32]) -> u64 {
    u64::from(black_box(xs).iter().fold(0u32, |a, &x| a.wrapping_add(x)))
}

fn sum_u8(xs: &[u8]) -> u64 {
    let chunks = black_box(xs).chunks_exact(8);
    let tail = chunks.remainder().iter().fold(0u64, |a, &x| a.wrapping_add(u64::from(x)));
    chunks.fold(tail, |a, c| a.wrapping_add(c.try_into().map_or(0, u64::from_le_bytes)))
}

fn sum_usize(xs: &[usize]) -> u64 {
    black_box(xs).iter().fold(0u64, |a, &x| a.wrapping_add(x as u64))
}

/// A multiplicative hash for the builder's integer keys (ids, not attacker-chosen text).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(u32::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Collects lists in first-seen key order; appending in increasing value order keeps them
/// sorted, and a value equal to the last one is not repeated.
#[derive(Debug, Default)]
pub(crate) struct ListsBuilder {
    ids: HashMap<u32, usize, BuildHasherDefault<KeyHasher>>,
    lists: Vec<(u32, Vec<u32>)>,
}

impl ListsBuilder {
    pub fn add(&mut self, key: u32, value: u32) {
        let next = self.lists.len();
        let id = *self.ids.entry(key).or_insert(next);
        if id == next {
            self.lists.push((key, Vec::new()));
        }
        if let Some((_, list)) = self.lists.get_mut(id)
            && list.last() != Some(&value)
        {
            list.push(value);
        }
    }

    fn into_sorted(mut self) -> Vec<(u32, Vec<u32>)> {
        self.lists.sort_unstable_by_key(|(k, _)| *k);
        self.lists
    }

    pub fn build(self) -> Lists {
        Lists::from_sorted(self.into_sorted())
    }

    /// Builds skill lists of `profiles` profiles: lists holding at least a quarter of the
    /// profiles become dense columns (one byte per profile instead of four per holder).
    pub fn build_skills(self, profiles: usize) -> (Lists, DenseColumns) {
        let (dense, sparse): (Vec<_>, Vec<_>) =
            self.into_sorted().into_iter().partition(|(_, l)| profiles > 0 && l.len() * 4 >= profiles);
        let mut columns =
            DenseColumns { keys: Vec::with_capacity(dense.len()), levels: vec![0; dense.len() * profiles] };
        for ((key, list), column) in dense.into_iter().zip(columns.levels.chunks_exact_mut(profiles.max(1))) {
            columns.keys.push(key);
            for p in list {
                if let Some(level) = column.get_mut((p >> LEVEL_BITS) as usize) {
                    *level = (p & LEVEL_MASK) as u8;
                }
            }
        }
        (Lists::from_sorted(sparse), columns)
    }
}
