//! The values of string columns already read from their dictionaries, by
//! segment, column and term ordinal, kept for the life of the process.
//!
//! Turning a term ordinal into its value, or a value into its ordinal,
//! decodes a compressed dictionary block, and zstd sets up a decompression
//! context for every block: on machines where that setup is slow (it asks
//! the CPU for its features, which a virtual machine answers slowly) the
//! lookups were most of the cost of a search with facets. The values facets
//! show are few and asked again and again (the same people head the lists
//! of many searches), so a long-running server reads each once. Segments
//! never change, and their ids are unique, so nothing kept can go stale;
//! the cache is bounded and starts over when full.

use std::sync::{Arc, LazyLock, Mutex};

use rustc_hash::FxHashMap;
use tantivy::columnar::Dictionary;
use tantivy::index::SegmentId;
use tantivy_sstable::value::VoidValueReader;
use tantivy_sstable::{BlockAddr, DeltaReader};

/// Most values kept (a decoded block counts as its bytes over
/// [`AVERAGE_ENTRY_BYTES`]); past it the cache starts over (about 16 MB at
/// most).
const MAX_ENTRIES: usize = 160_000;
/// What one kept value costs, as counted against [`MAX_ENTRIES`].
const AVERAGE_ENTRY_BYTES: usize = 100;

/// Which column of which segment a tally counts.
#[derive(Clone, Debug)]
pub(super) struct ColumnKey {
    pub(super) segment: SegmentId,
    pub(super) column: String,
}

#[derive(Default)]
struct Known {
    by_ord: FxHashMap<u64, Arc<[u8]>>,
    /// Decoded blocks, by the ordinal of their first value.
    blocks: FxHashMap<u64, Arc<Block>>,
}

#[derive(Default)]
struct Names {
    /// Per segment, its columns by name (a handful each).
    segments: FxHashMap<SegmentId, Vec<(String, Known)>>,
    entries: usize,
}

impl Names {
    fn column(&self, key: &ColumnKey) -> Option<&Known> {
        let columns = self.segments.get(&key.segment)?;
        columns
            .iter()
            .find(|(name, _)| *name == key.column)
            .map(|(_, known)| known)
    }

    /// The column's entry, made room for `adding` more values.
    fn column_mut(&mut self, key: &ColumnKey, adding: usize) -> &mut Known {
        if self.entries + adding > MAX_ENTRIES {
            self.segments.clear();
            self.entries = 0;
        }
        self.entries += adding;
        let columns = self.segments.entry(key.segment).or_default();
        let at = match columns.iter().position(|(name, _)| *name == key.column) {
            Some(at) => at,
            None => {
                columns.push((key.column.clone(), Known::default()));
                columns.len() - 1
            }
        };
        &mut columns[at].1
    }
}

static NAMES: LazyLock<Mutex<Names>> = LazyLock::new(Mutex::default);

/// Calls `f` with the value of each ordinal of `ords` (ascending), in
/// order, reading from `read` (as tantivy's `sorted_ords_to_term_cb` does)
/// only the ordinals not known yet. Stops at the first ordinal `read`
/// could not give.
pub(super) fn values(
    key: &ColumnKey,
    ords: &[u64],
    read: impl FnOnce(&[u64], &mut dyn FnMut(&[u8])),
    mut f: impl FnMut(&[u8]),
) {
    let mut found: Vec<Option<Arc<[u8]>>> = match NAMES.lock() {
        Ok(names) => match names.column(key) {
            Some(known) => ords.iter().map(|o| known.by_ord.get(o).cloned()).collect(),
            None => vec![None; ords.len()],
        },
        Err(_) => vec![None; ords.len()],
    };
    let missing: Vec<u64> = ords
        .iter()
        .zip(&found)
        .filter(|(_, v)| v.is_none())
        .map(|(o, _)| *o)
        .collect();
    if !missing.is_empty() {
        let mut read_values: Vec<Arc<[u8]>> = Vec::with_capacity(missing.len());
        read(&missing, &mut |bytes| read_values.push(Arc::from(bytes)));
        let mut fresh = missing.iter().zip(&read_values);
        for slot in found.iter_mut().filter(|v| v.is_none()) {
            match fresh.next() {
                Some((_, value)) => *slot = Some(Arc::clone(value)),
                None => break,
            }
        }
        if let Ok(mut names) = NAMES.lock() {
            let known = names.column_mut(key, read_values.len());
            for (ord, value) in missing.iter().zip(read_values) {
                known.by_ord.insert(*ord, value);
            }
        }
    }
    for value in found {
        match value {
            Some(value) => f(&value),
            None => return,
        }
    }
}

/// The ordinal of each of `values` (`None`: not held) in `dictionary`.
/// A value is found in its dictionary block, decoded once and searched in
/// place; with `key` (the column `dictionary` belongs to) decoded blocks
/// are kept for later calls too.
pub(super) fn ords(
    key: Option<&ColumnKey>,
    dictionary: &Dictionary,
    values: &[&str],
) -> Vec<Option<u64>> {
    let mut blocks: FxHashMap<u64, Arc<Block>> = FxHashMap::default();
    values
        .iter()
        .map(|value| {
            let addr = dictionary
                .sstable_index
                .get_block_with_key(value.as_bytes())?;
            let block = match blocks.get(&addr.first_ordinal) {
                Some(block) => Arc::clone(block),
                None => {
                    let first = addr.first_ordinal;
                    let block = block(key, dictionary, addr)?;
                    blocks.insert(first, Arc::clone(&block));
                    block
                }
            };
            block.ord_of(value.as_bytes())
        })
        .collect()
}

/// The block of `dictionary` at `addr`, decoded: kept under `key`, or read
/// (and kept when there is a key). `None` when it cannot be read (the
/// caller then counts the value as not held, as it does when tantivy's own
/// lookup fails).
fn block(key: Option<&ColumnKey>, dictionary: &Dictionary, addr: BlockAddr) -> Option<Arc<Block>> {
    if let Some(key) = key
        && let Ok(names) = NAMES.lock()
        && let Some(block) = names
            .column(key)
            .and_then(|known| known.blocks.get(&addr.first_ordinal))
    {
        return Some(Arc::clone(block));
    }
    let bytes = dictionary
        .sstable_slice
        .read_bytes_slice(addr.byte_range)
        .ok()?;
    let mut reader = DeltaReader::<VoidValueReader>::new(bytes);
    let mut block = Block {
        first_ordinal: addr.first_ordinal,
        bytes: Vec::new(),
        ends: Vec::new(),
    };
    let mut last: Vec<u8> = Vec::new();
    while reader.advance().ok()? {
        last.truncate(reader.common_prefix_len());
        last.extend_from_slice(reader.suffix());
        block.bytes.extend_from_slice(&last);
        block.ends.push(u32::try_from(block.bytes.len()).ok()?);
    }
    let block = Arc::new(block);
    if let Some(key) = key
        && let Ok(mut names) = NAMES.lock()
    {
        names
            .column_mut(key, block.weight())
            .blocks
            .insert(addr.first_ordinal, Arc::clone(&block));
    }
    Some(block)
}

/// One dictionary block decoded: its values end to end, in order.
struct Block {
    first_ordinal: u64,
    bytes: Vec<u8>,
    /// Where each value ends in `bytes`.
    ends: Vec<u32>,
}

impl Block {
    /// What the block counts against [`MAX_ENTRIES`].
    fn weight(&self) -> usize {
        self.bytes.len() / AVERAGE_ENTRY_BYTES + 1
    }

    fn value(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    fn ord_of(&self, value: &[u8]) -> Option<u64> {
        let mut low = 0;
        let mut high = self.ends.len();
        while low < high {
            let mid = (low + high) / 2;
            match self.value(mid).cmp(value) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(self.first_ordinal + mid as u64),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(column: &str) -> ColumnKey {
        ColumnKey {
            segment: SegmentId::generate_random(),
            column: column.to_string(),
        }
    }

    #[test]
    fn the_cache_starts_over_when_full() {
        let mut names = Names::default();
        let (a, b) = (key("person"), key("org"));
        names
            .column_mut(&a, 10)
            .by_ord
            .insert(1, Arc::from(&b"x"[..]));
        // The same column again, and a second column of another segment.
        assert!(names.column_mut(&a, 0).by_ord.contains_key(&1));
        names.column_mut(&b, 5);
        assert_eq!(names.entries, 15);
        assert!(names.column(&a).is_some() && names.column(&b).is_some());
        names.column_mut(&b, MAX_ENTRIES - 15);
        assert_eq!(names.entries, MAX_ENTRIES);
        assert!(names.column(&a).is_some());
        // One more does not fit: everything kept is forgotten first.
        names.column_mut(&b, 1);
        assert_eq!(names.entries, 1);
        assert!(names.column(&a).is_none());
        assert!(names.column(&b).is_some());
    }

    #[test]
    fn a_decoded_block_finds_each_of_its_values() {
        let values: [&[u8]; 4] = [b"", b"a", b"ab", b"b"];
        let mut block = Block {
            first_ordinal: 10,
            bytes: Vec::new(),
            ends: Vec::new(),
        };
        for value in values {
            block.bytes.extend_from_slice(value);
            block.ends.push(block.bytes.len() as u32);
        }
        for (i, value) in values.iter().enumerate() {
            assert_eq!(block.value(i), *value);
            assert_eq!(block.ord_of(value), Some(10 + i as u64));
        }
        for absent in [&b"aa"[..], b"abc", b"c", b"\xff"] {
            assert_eq!(block.ord_of(absent), None);
        }
        assert_eq!(block.weight(), 1);
        block.bytes.resize(2 * AVERAGE_ENTRY_BYTES + 50, b'z');
        assert_eq!(block.weight(), 3);
    }
}
