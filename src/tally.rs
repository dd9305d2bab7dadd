//! Counting column values over sets of documents, one segment at a time:
//! string values by term ordinal, dates by day. Facets, statistics and any
//! other per-value count (entities over a result set, articles per day)
//! are built from these.
//!
//! Within a segment nothing is looked up by string: a document's values are
//! term ordinals, counted in a flat array; only the ordinals that were
//! counted are turned into strings, once per segment, in dictionary order
//! (one pass over the sorted dictionary blocks). Documents come in blocks,
//! so column reads are batched; a whole segment is counted straight from
//! its value array without visiting documents at all, minus its deleted
//! documents.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::AliveBitSet;
use tantivy::index::SegmentId;
use tantivy::{DateTime, DocId, SegmentReader};

use crate::day;

/// Widest span of days counted in a flat array (about 550 years); a
/// segment whose dates spread wider is counted in a hash map.
const MAX_DENSE_DAYS: i64 = 200_000;

/// Counts of the values of one string column over documents of one
/// segment, by term ordinal.
pub struct TermTally {
    column: Option<StrColumn>,
    counts: Vec<u32>,
    rows: Vec<u32>,
    row_docs: Vec<DocId>,
    ords: Vec<u64>,
}

impl TermTally {
    /// A tally of `column` (`None`: a segment without the column, which
    /// counts nothing).
    pub fn new(column: Option<StrColumn>) -> TermTally {
        let size = column.as_ref().map_or(0, |c| c.num_terms());
        TermTally {
            column,
            counts: vec![0; size],
            rows: Vec::new(),
            row_docs: Vec::new(),
            ords: Vec::new(),
        }
    }

    /// The tally of the string column `name` of `segment`.
    pub fn for_segment(segment: &SegmentReader, name: &str) -> tantivy::Result<TermTally> {
        Ok(TermTally::new(segment.fast_fields().str(name)?))
    }

    /// Counts the values of one document.
    pub fn add(&mut self, doc: DocId) {
        if let Some(column) = &self.column {
            for ord in column.term_ords(doc) {
                if let Some(c) = self.counts.get_mut(ord as usize) {
                    *c += 1;
                }
            }
        }
    }

    /// Counts the values of a block of documents (ascending ids).
    pub fn add_block(&mut self, docs: &[DocId]) {
        let Some(column) = &self.column else { return };
        let ords_column = column.ords();
        self.rows.clear();
        self.row_docs.clear();
        ords_column.row_ids_for_docs(docs, &mut self.row_docs, &mut self.rows);
        self.ords.clear();
        self.ords.resize(self.rows.len(), 0);
        ords_column.values.get_vals(&self.rows, &mut self.ords);
        for &ord in &self.ords {
            if let Some(c) = self.counts.get_mut(ord as usize) {
                *c += 1;
            }
        }
    }

    /// Counts the values of every live document of the segment: the whole
    /// value array at once, then the deleted documents' values taken back.
    pub fn add_all(&mut self, alive: Option<&AliveBitSet>) {
        let Some(column) = &self.column else { return };
        let values = &column.ords().values;
        let mut chunk = vec![0u64; 4096];
        let total = u64::from(values.num_vals());
        let mut start = 0u64;
        while start < total {
            let n = (total - start).min(chunk.len() as u64) as usize;
            values.get_range(start, &mut chunk[..n]);
            for &ord in &chunk[..n] {
                if let Some(c) = self.counts.get_mut(ord as usize) {
                    *c += 1;
                }
            }
            start += n as u64;
        }
        for doc in deleted(alive, column.num_rows()) {
            for ord in column.term_ords(doc) {
                if let Some(c) = self.counts.get_mut(ord as usize) {
                    *c = c.saturating_sub(1);
                }
            }
        }
    }

    /// Calls `f` with each value counted at least once and its count, in
    /// dictionary order.
    pub fn each(self, mut f: impl FnMut(&str, u64)) {
        let Some(column) = self.column else { return };
        let ords: Vec<u64> = (0u64..)
            .zip(&self.counts)
            .filter(|(_, n)| **n > 0)
            .map(|(ord, _)| ord)
            .collect();
        let mut counts = ords.iter().map(|&ord| self.counts[ord as usize]);
        // The dictionary is read once, block by block, in ordinal order.
        let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let (Ok(term), Some(n)) = (std::str::from_utf8(bytes), counts.next()) {
                f(term, u64::from(n));
            }
        });
    }

    /// Adds the counts into `totals`, indexed by the ids `ids` gives each
    /// term ordinal (see [`Vocabulary`]): no string is read or hashed.
    pub fn merge_ids(&self, ids: &[u32], totals: &mut Vec<u64>) {
        for (ord, &n) in self.counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            if let Some(&id) = ids.get(ord) {
                let id = id as usize;
                if id >= totals.len() {
                    totals.resize(id + 1, 0);
                }
                totals[id] += u64::from(n);
            }
        }
    }

    /// The tally with its working buffers freed, kept for merging.
    pub fn into_counts(self) -> TermTally {
        TermTally {
            rows: Vec::new(),
            row_docs: Vec::new(),
            ords: Vec::new(),
            ..self
        }
    }

    /// The column counted (`None` for a segment without it).
    pub fn column(&self) -> Option<&StrColumn> {
        self.column.as_ref()
    }

    /// The count of `value` (0 when the segment does not hold it).
    pub(crate) fn count_of(&self, value: &str) -> u64 {
        let Some(column) = &self.column else { return 0 };
        match column.dictionary().term_ord(value) {
            Ok(Some(ord)) => self.counts.get(ord as usize).map_or(0, |n| u64::from(*n)),
            _ => 0,
        }
    }

    /// The counts of `values`, sorted and without repeats, as
    /// [`TermTally::count_of`] gives them one by one. Each lookup decodes a
    /// compressed dictionary block (and zstd sets up a decompression
    /// context for it, most of a lookup's cost); the values of one block are
    /// found here in one pass over it, decoded once.
    pub(crate) fn counts_of_sorted(&self, values: &[&str]) -> Vec<u64> {
        let mut counts = vec![0; values.len()];
        let Some(column) = &self.column else {
            return counts;
        };
        let dictionary = column.dictionary();
        let block = |value: &str| {
            dictionary
                .sstable_index
                .get_block_with_key(value.as_bytes())
                .map(|b| b.first_ordinal)
        };
        let mut i = 0;
        while i < values.len() {
            let Some(first) = block(values[i]) else {
                // Past the dictionary's last block: not held.
                i += 1;
                continue;
            };
            let mut j = i + 1;
            while j < values.len() && block(values[j]) == Some(first) {
                j += 1;
            }
            let group = &values[i..j];
            let streamed = dictionary
                .range()
                .ge(group[0].as_bytes())
                .le(group[group.len() - 1].as_bytes())
                .into_stream();
            match streamed {
                Ok(mut stream) => {
                    let mut k = 0;
                    while k < group.len() && stream.advance() {
                        let key = stream.key();
                        while k < group.len() && group[k].as_bytes() < key {
                            k += 1;
                        }
                        if k < group.len() && group[k].as_bytes() == key {
                            counts[i + k] = self
                                .counts
                                .get(stream.term_ord() as usize)
                                .map_or(0, |n| u64::from(*n));
                            k += 1;
                        }
                    }
                }
                Err(_) => {
                    for (k, value) in group.iter().enumerate() {
                        counts[i + k] = self.count_of(value);
                    }
                }
            }
            i = j;
        }
        counts
    }

    /// Adds the counts into `totals`, keyed by value.
    pub fn merge_into(self, totals: &mut HashMap<String, u64>) {
        self.each(|value, n| match totals.get_mut(value) {
            Some(total) => *total += n,
            None => {
                totals.insert(value.to_string(), n);
            }
        });
    }
}

/// One segment's counts of a column's values by term ordinal, as
/// [`top_terms`] reads them.
trait Counted {
    /// Counts by term ordinal.
    fn counts(&self) -> &[u32];
    /// Calls `f` with the value of each ordinal of `ords` (ascending).
    fn values(&self, ords: &[u64], f: impl FnMut(&[u8]));
    /// The count of `value`.
    fn count_of(&self, value: &str) -> u64;
    /// The counts of `values` (sorted, without repeats).
    fn counts_of_sorted(&self, values: &[&str]) -> Vec<u64> {
        values.iter().map(|v| self.count_of(v)).collect()
    }
}

impl Counted for TermTally {
    fn counts(&self) -> &[u32] {
        &self.counts
    }

    fn values(&self, ords: &[u64], f: impl FnMut(&[u8])) {
        if let Some(column) = &self.column {
            let _ = column.dictionary().sorted_ords_to_term_cb(ords, f);
        }
    }

    fn count_of(&self, value: &str) -> u64 {
        TermTally::count_of(self, value)
    }

    fn counts_of_sorted(&self, values: &[&str]) -> Vec<u64> {
        TermTally::counts_of_sorted(self, values)
    }
}

/// The `n` most counted values over the tallies of one column in several
/// segments, with their exact totals, most first, ties by value.
///
/// No segment's dictionary is read whole. Each segment's counts are
/// revealed most first, twice the list's length at first, and the values revealed are
/// read in one pass over the dictionary. A value's total is then known
/// where it was revealed and bounded elsewhere by the smallest count
/// revealed there; only the values whose bound could still reach the list
/// are looked up in the segments that did not reveal them (a lookup reads
/// a compressed dictionary block, the costly step). Revealing stops once
/// the `n`-th exact total exceeds what a value revealed nowhere could add
/// up to. With counts as skewed as names in news, the first few dozen per
/// segment settle the list.
pub fn top_terms(tallies: &[TermTally], n: usize) -> Vec<(String, u64)> {
    top_merged(tallies, n)
}

fn top_merged<S: Counted>(segments: &[S], n: usize) -> Vec<(String, u64)> {
    if n == 0 {
        return Vec::new();
    }
    // Per segment: (count, ordinal) of every value counted; the first
    // `revealed` are the largest, in no particular order.
    let mut lists: Vec<Vec<(u32, u32)>> = segments
        .iter()
        .map(|s| {
            (0u32..)
                .zip(s.counts())
                .filter(|(_, c)| **c > 0)
                .map(|(ord, c)| (*c, ord))
                .collect()
        })
        .collect();
    let mut revealed = vec![0usize; segments.len()];
    // Per value seen: its count in each segment, where known.
    let mut known: HashMap<String, Vec<Option<u64>>> = HashMap::new();
    let mut depth = 2 * n.max(8);
    loop {
        // The most a value not revealed in a segment can count there.
        let mut bounds = vec![0u64; segments.len()];
        for (s, list) in lists.iter_mut().enumerate() {
            let from = revealed[s];
            let to = depth.min(list.len());
            if to > from {
                let rest = &mut list[from..];
                let k = to - from;
                if k < rest.len() {
                    rest.select_nth_unstable_by(k - 1, |a, b| b.0.cmp(&a.0));
                }
                let mut newly: Vec<(u32, u32)> = rest[..k].to_vec();
                newly.sort_unstable_by_key(|p| p.1);
                let ords: Vec<u64> = newly.iter().map(|p| u64::from(p.1)).collect();
                let mut counts = newly.iter().map(|p| u64::from(p.0));
                segments[s].values(&ords, |bytes| {
                    let n = counts.next();
                    let Ok(value) = std::str::from_utf8(bytes) else {
                        return;
                    };
                    let slots = match known.get_mut(value) {
                        Some(slots) => slots,
                        None => known
                            .entry(value.to_string())
                            .or_insert_with(|| vec![None; segments.len()]),
                    };
                    slots[s] = n;
                });
                revealed[s] = to;
            }
            if to < list.len() {
                bounds[s] = list[..to].iter().map(|p| u64::from(p.0)).min().unwrap_or(0);
            }
        }
        let unseen: u64 = bounds.iter().sum();
        if known.len() < n && unseen > 0 {
            depth *= 3;
            continue;
        }
        // The n-th largest total known for sure: a value whose bound stays
        // below it cannot make the list.
        let mut floors: Vec<u64> = known
            .values()
            .map(|slots| slots.iter().flatten().sum())
            .collect();
        let floor = if floors.len() >= n {
            *floors.select_nth_unstable_by(n - 1, |a, b| b.cmp(a)).1
        } else {
            0
        };
        // The values to look up in each segment, looked up together.
        let mut wanted: Vec<Vec<&str>> = vec![Vec::new(); segments.len()];
        for (value, slots) in &known {
            let ceiling: u64 = (0..slots.len())
                .map(|s| slots[s].unwrap_or(bounds[s]))
                .sum();
            if ceiling >= floor {
                for (s, slot) in slots.iter().enumerate() {
                    if slot.is_none() {
                        wanted[s].push(value);
                    }
                }
            }
        }
        let mut found: Vec<(usize, String, u64)> = Vec::new();
        for (s, values) in wanted.iter_mut().enumerate() {
            values.sort_unstable();
            let counts = segments[s].counts_of_sorted(values);
            found.extend(
                values
                    .iter()
                    .zip(counts)
                    .map(|(v, n)| (s, v.to_string(), n)),
            );
        }
        for (s, value, n) in found {
            if let Some(slots) = known.get_mut(&value) {
                slots[s] = Some(n);
            }
        }
        let exact: HashMap<String, u64> = known
            .iter()
            .filter(|(_, slots)| slots.iter().all(Option::is_some))
            .map(|(value, slots)| (value.clone(), slots.iter().flatten().sum()))
            .collect();
        let best = crate::facet::top(exact, n);
        if unseen == 0 || best.get(n - 1).is_some_and(|last| last.1 > unseen) {
            return best;
        }
        depth *= 3;
        // Counts too even to settle early (folders of one day each): every
        // value read once, in order, costs less than lookups one by one.
        if depth * 8 > lists.iter().map(Vec::len).max().unwrap_or(0) {
            return every_value(segments, &lists, n);
        }
    }
}

/// The `n` most counted values, every counted value of every segment read
/// and added up by value.
fn every_value<S: Counted>(
    segments: &[S],
    lists: &[Vec<(u32, u32)>],
    n: usize,
) -> Vec<(String, u64)> {
    let mut totals: HashMap<String, u64> = HashMap::new();
    for (segment, list) in segments.iter().zip(lists) {
        let mut pairs = list.clone();
        pairs.sort_unstable_by_key(|p| p.1);
        let ords: Vec<u64> = pairs.iter().map(|p| u64::from(p.1)).collect();
        let mut counts = pairs.iter().map(|p| u64::from(p.0));
        segment.values(&ords, |bytes| {
            let count = counts.next().unwrap_or(0);
            if let Ok(value) = std::str::from_utf8(bytes) {
                match totals.get_mut(value) {
                    Some(total) => *total += count,
                    None => {
                        totals.insert(value.to_string(), count);
                    }
                }
            }
        });
    }
    crate::facet::top(totals, n)
}

/// The values of one string column across segments, each given a number
/// once: a segment's term ordinals map to these numbers through an array
/// made the first time the segment is counted, so counts of several
/// segments add up by number, and strings are read only for the few
/// values shown. A long-running engine keeps one per column; segments
/// gone from the index are forgotten when a new one comes.
#[derive(Default)]
pub struct Vocabulary {
    inner: Mutex<Words>,
}

#[derive(Default)]
struct Words {
    ids: FxHashMap<Arc<str>, u32>,
    names: Vec<Arc<str>>,
    segments: HashMap<SegmentId, Arc<Vec<u32>>>,
}

impl Vocabulary {
    /// The id of each term ordinal of `tally`'s column in `segment`.
    pub fn ids(&self, segment: &SegmentReader, tally: &TermTally) -> Arc<Vec<u32>> {
        let id = segment.segment_id();
        let Ok(mut words) = self.inner.lock() else {
            return Arc::new(Vec::new());
        };
        if let Some(ids) = words.segments.get(&id) {
            return Arc::clone(ids);
        }
        let mut ids = Vec::with_capacity(tally.counts.len());
        if let Some(column) = tally.column()
            && let Ok(mut stream) = column.dictionary().stream()
        {
            while stream.advance() {
                let name = String::from_utf8_lossy(stream.key());
                let next = words.names.len() as u32;
                let id = match words.ids.get(name.as_ref()) {
                    Some(id) => *id,
                    None => {
                        let name: Arc<str> = Arc::from(name.as_ref());
                        words.ids.insert(Arc::clone(&name), next);
                        words.names.push(name);
                        next
                    }
                };
                ids.push(id);
            }
        }
        let ids = Arc::new(ids);
        words.segments.insert(id, Arc::clone(&ids));
        ids
    }

    /// Forgets the segments not in `live` (merged away or deleted).
    pub fn retain(&self, live: &[SegmentReader]) {
        if let Ok(mut words) = self.inner.lock()
            && words.segments.len() > live.len()
        {
            let keep: std::collections::HashSet<SegmentId> =
                live.iter().map(SegmentReader::segment_id).collect();
            words.segments.retain(|id, _| keep.contains(id));
        }
    }

    /// The number of the value `name`, if it was numbered.
    pub fn id(&self, name: &str) -> Option<u32> {
        self.inner.lock().ok()?.ids.get(name).copied()
    }

    /// The number of the value `name`, numbering it when it is new (a
    /// value no segment counted yet keeps its number when one does).
    pub fn intern(&self, name: &str) -> Option<u32> {
        let mut words = self.inner.lock().ok()?;
        if let Some(id) = words.ids.get(name) {
            return Some(*id);
        }
        let id = words.names.len() as u32;
        let name: Arc<str> = Arc::from(name);
        words.ids.insert(Arc::clone(&name), id);
        words.names.push(name);
        Some(id)
    }

    /// The value numbered `id`.
    pub fn name(&self, id: u32) -> Option<Arc<str>> {
        self.inner.lock().ok()?.names.get(id as usize).cloned()
    }
}

/// Counts of the days of one date column over documents of one segment,
/// and the documents without a date.
pub struct DayTally {
    column: Option<Column<DateTime>>,
    /// Day of `dense[0]`.
    first_day: i64,
    dense: Vec<u32>,
    sparse: HashMap<i64, u64>,
    undated: u64,
    dates: Vec<Option<DateTime>>,
}

impl DayTally {
    /// A tally of `column` (`None`: a segment without dates).
    pub fn new(column: Option<Column<DateTime>>) -> DayTally {
        let (first_day, span) = match &column {
            Some(c) if c.values.num_vals() > 0 => {
                let first = day::number(c.min_value());
                (first, day::number(c.max_value()) - first + 1)
            }
            _ => (0, 0),
        };
        let dense = if span <= MAX_DENSE_DAYS {
            vec![0; span.max(0) as usize]
        } else {
            Vec::new()
        };
        DayTally {
            column,
            first_day,
            dense,
            sparse: HashMap::new(),
            undated: 0,
            dates: Vec::new(),
        }
    }

    /// The tally of the date column `name` of `segment`.
    pub fn for_segment(segment: &SegmentReader, name: &str) -> DayTally {
        DayTally::new(segment.fast_fields().date(name).ok())
    }

    fn count(&mut self, date: Option<DateTime>) {
        let Some(date) = date else {
            self.undated += 1;
            return;
        };
        let d = day::number(date);
        match self.dense.get_mut((d - self.first_day) as usize) {
            Some(n) if d >= self.first_day => *n += 1,
            _ => *self.sparse.entry(d).or_default() += 1,
        }
    }

    /// Counts the date of one document.
    pub fn add(&mut self, doc: DocId) {
        let date = self.column.as_ref().and_then(|c| c.first(doc));
        self.count(date);
    }

    /// Counts the dates of a block of documents.
    pub fn add_block(&mut self, docs: &[DocId]) {
        let Some(column) = &self.column else {
            self.undated += docs.len() as u64;
            return;
        };
        let mut dates = std::mem::take(&mut self.dates);
        dates.clear();
        dates.resize(docs.len(), None);
        column.first_vals(docs, &mut dates);
        for date in &dates {
            self.count(*date);
        }
        self.dates = dates;
    }

    /// Counts the dates of every live document of the segment `segment`.
    pub fn add_all(&mut self, segment: &SegmentReader) {
        let alive = segment.alive_bitset();
        let Some(column) = self.column.clone() else {
            self.undated += u64::from(segment.num_docs());
            return;
        };
        let mut chunk = vec![DateTime::MIN; 4096];
        let total = u64::from(column.values.num_vals());
        let mut start = 0u64;
        while start < total {
            let n = (total - start).min(chunk.len() as u64) as usize;
            column.values.get_range(start, &mut chunk[..n]);
            for &date in &chunk[..n] {
                self.count(Some(date));
            }
            start += n as u64;
        }
        // Documents without a date are those the column index leaves out.
        let dated_rows = total;
        self.undated += u64::from(segment.max_doc()).saturating_sub(dated_rows);
        for doc in deleted(alive, segment.max_doc()) {
            match column.first(doc) {
                Some(date) => self.uncount(day::number(date)),
                None => self.undated = self.undated.saturating_sub(1),
            }
        }
    }

    fn uncount(&mut self, d: i64) {
        match self.dense.get_mut((d - self.first_day) as usize) {
            Some(n) if d >= self.first_day => *n = n.saturating_sub(1),
            _ => {
                if let Some(n) = self.sparse.get_mut(&d) {
                    *n = n.saturating_sub(1);
                }
            }
        }
    }

    /// Documents counted without a date.
    pub fn undated(&self) -> u64 {
        self.undated
    }

    /// Adds the day counts (days since the epoch) into `totals`.
    pub fn merge_into(self, totals: &mut HashMap<i64, u64>) {
        for (i, n) in self.dense.iter().enumerate() {
            if *n > 0 {
                *totals.entry(self.first_day + i as i64).or_default() += u64::from(*n);
            }
        }
        for (d, n) in self.sparse {
            if n > 0 {
                *totals.entry(d).or_default() += n;
            }
        }
    }
}

/// The deleted documents of a segment of `max_doc` documents.
fn deleted(alive: Option<&AliveBitSet>, max_doc: u32) -> impl Iterator<Item = DocId> + '_ {
    alive
        .into_iter()
        .flat_map(move |a| (0..max_doc).filter(move |d| a.is_deleted(*d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_looked_up_together_count_as_one_by_one() {
        // Enough values for the column's dictionary to span many blocks.
        let mut builder = tantivy::schema::Schema::builder();
        let field = builder.add_text_field("name", tantivy::schema::STRING | tantivy::schema::FAST);
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 20_000_000).unwrap();
        for i in 0..20_000u32 {
            let value = format!("name {:05} {}", i, "x".repeat((i % 7) as usize));
            for _ in 0..=(i % 3) {
                writer
                    .add_document(tantivy::doc!(field => value.clone()))
                    .unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let mut tally = TermTally::for_segment(segment, "name").unwrap();
        tally.add_all(segment.alive_bitset());
        let mut values: Vec<String> = (0..20_000u32)
            .step_by(37)
            .map(|i| format!("name {:05} {}", i, "x".repeat((i % 7) as usize)))
            .collect();
        // Values the dictionary lacks: before its first, between two, after its last.
        values.extend(
            ["", "a", "name 00001", "name 00037 xx", "name 99999", "zzz"].map(String::from),
        );
        values.sort();
        values.dedup();
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        let one_by_one: Vec<u64> = values.iter().map(|v| tally.count_of(v)).collect();
        assert_eq!(tally.counts_of_sorted(&values), one_by_one);
        assert!(one_by_one.iter().filter(|n| **n > 0).count() > 500);
        assert_eq!(tally.counts_of_sorted(&[]), Vec::<u64>::new());
        assert_eq!(TermTally::new(None).counts_of_sorted(&["a"]), vec![0]);
    }

    /// A segment of sorted values and their counts.
    struct Fake(Vec<(String, u32)>);

    impl Fake {
        fn values(&self, ords: &[u64], mut f: impl FnMut(&[u8])) {
            for ord in ords {
                f(self.0[*ord as usize].0.as_bytes());
            }
        }
        fn count_of(&self, value: &str) -> u64 {
            self.0
                .binary_search_by(|p| p.0.as_str().cmp(value))
                .map_or(0, |i| u64::from(self.0[i].1))
        }
    }

    struct Segment {
        fake: Fake,
        counts: Vec<u32>,
    }

    impl Counted for Segment {
        fn counts(&self) -> &[u32] {
            &self.counts
        }
        fn values(&self, ords: &[u64], f: impl FnMut(&[u8])) {
            self.fake.values(ords, f)
        }
        fn count_of(&self, value: &str) -> u64 {
            self.fake.count_of(value)
        }
    }

    fn segment(counts: &[(&str, u32)]) -> Segment {
        let mut pairs: Vec<(String, u32)> =
            counts.iter().map(|(v, n)| (v.to_string(), *n)).collect();
        pairs.sort();
        let counts = pairs.iter().map(|p| p.1).collect();
        Segment {
            fake: Fake(pairs),
            counts,
        }
    }

    /// Every total, added up by value, the `n` largest, ties by value.
    fn brute(segments: &[Segment], n: usize) -> Vec<(String, u64)> {
        let mut totals: HashMap<String, u64> = HashMap::new();
        for s in segments {
            for (v, c) in &s.fake.0 {
                if *c > 0 {
                    *totals.entry(v.clone()).or_default() += u64::from(*c);
                }
            }
        }
        crate::facet::top(totals, n)
    }

    #[test]
    fn a_value_middling_everywhere_can_lead_overall() {
        // "steady" is never among the first 32 of any segment, yet it leads.
        let mut segments = Vec::new();
        for s in 0..6 {
            let mut counts: Vec<(String, u32)> = (0..200)
                .map(|i| (format!("v{s}-{i:03}"), 50 + (200 - i)))
                .collect();
            counts.push(("steady".to_string(), 60));
            let refs: Vec<(&str, u32)> = counts.iter().map(|(v, n)| (v.as_str(), *n)).collect();
            segments.push(segment(&refs));
        }
        let top = top_merged(&segments, 3);
        assert_eq!(top[0], ("steady".to_string(), 360));
        assert_eq!(top, brute(&segments, 3));
    }

    #[test]
    fn a_value_revealed_nowhere_yet_can_still_win() {
        // After the first few dozen per segment, "x" (100) leads, but "w",
        // below every value revealed in both segments, adds up to 102.
        let fillers = |prefix: &str| -> Vec<(String, u32)> {
            (0..40).map(|i| (format!("{prefix}{i:02}"), 52)).collect()
        };
        let mut a = fillers("fa");
        a.push(("x".to_string(), 100));
        a.push(("w".to_string(), 51));
        let mut b = fillers("fb");
        b.push(("w".to_string(), 51));
        let segments: Vec<Segment> = [a, b]
            .iter()
            .map(|pairs| {
                let refs: Vec<(&str, u32)> = pairs.iter().map(|(v, n)| (v.as_str(), *n)).collect();
                segment(&refs)
            })
            .collect();
        assert_eq!(top_merged(&segments, 1), vec![("w".to_string(), 102)]);
        assert_eq!(top_merged(&segments, 2), brute(&segments, 2));
    }

    #[test]
    fn the_same_list_as_adding_up_every_value() {
        let mut next = crate::testing::numbers(0x9E37_79B9_7F4A_7C15);
        for round in 0..60 {
            let segments: Vec<Segment> = (0..1 + next(6))
                .map(|_| {
                    let values = next(3000);
                    let counts: Vec<(String, u32)> = (0..values)
                        .map(|_| {
                            // Skewed: small ids are frequent; ties are common.
                            let most = 1 + next(4000);
                            let id = next(most);
                            (format!("name{id}"), (1 + next(5) * next(5)) as u32)
                        })
                        .collect::<HashMap<_, _>>()
                        .into_iter()
                        .collect();
                    let refs: Vec<(&str, u32)> =
                        counts.iter().map(|(v, n)| (v.as_str(), *n)).collect();
                    segment(&refs)
                })
                .collect();
            for n in [1, 3, 10, 20] {
                assert_eq!(
                    top_merged(&segments, n),
                    brute(&segments, n),
                    "round {round}, n {n}"
                );
            }
        }
        assert!(top_merged(&[segment(&[("a", 0)])], 10).is_empty());
        assert!(top_merged(&[segment(&[("a", 4)])], 0).is_empty());
    }

    /// An index of several segments with deletions, and what each of its
    /// documents holds: names (0 to 3, repeats allowed) and a date or none.
    struct Model {
        index: tantivy::Index,
        /// Per document id: its names and its day number.
        docs: HashMap<u64, (Vec<String>, Option<i64>)>,
    }

    fn model() -> Model {
        use tantivy::schema::{DateOptions, FAST, INDEXED, STRING};
        let mut builder = tantivy::schema::Schema::builder();
        let id = builder.add_u64_field("id", INDEXED | FAST);
        let name = builder.add_text_field("name", STRING | FAST);
        let date = builder.add_date_field("date", DateOptions::default().set_fast());
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let mut next = crate::testing::numbers(0x2545_F491_4F6C_DD1D);
        let mut docs = HashMap::new();
        let mut n = 0u64;
        let mut last_segment = 0;
        for segment in 0..5 {
            last_segment = n;
            for _ in 0..300 + next(400) {
                let mut doc = tantivy::TantivyDocument::default();
                doc.add_u64(id, n);
                let mut names: Vec<String> = Vec::new();
                for _ in 0..next(4) {
                    let most = 1 + next(60);
                    names.push(format!("name{}", next(most)));
                }
                names.sort();
                names.dedup();
                for value in &names {
                    doc.add_text(name, value);
                }
                // One segment spreads its dates over 570 years (of the 584
                // a date column can hold): counted in a hash map.
                let (middle, spread) = if segment == 3 {
                    (0, 208_000)
                } else {
                    (18_000, 900)
                };
                let day = (next(5) > 0).then(|| middle - spread / 2 + next(spread as u64) as i64);
                if let Some(day) = day {
                    let seconds = day * 86_400 + next(86_400) as i64;
                    doc.add_date(date, tantivy::DateTime::from_timestamp_secs(seconds));
                }
                writer.add_document(doc).unwrap();
                docs.insert(n, (names, day));
                n += 1;
            }
            writer.commit().unwrap();
        }
        // Deletions in every segment but the last.
        for d in 0..n {
            if next(4) == 0 && d < last_segment {
                writer.delete_term(tantivy::Term::from_field_u64(id, d));
                docs.remove(&d);
            }
        }
        writer.commit().unwrap();
        Model { index, docs }
    }

    impl Model {
        /// The ids of a segment's documents, by document number (`None`
        /// for a deleted one).
        fn ids(&self, segment: &SegmentReader) -> Vec<Option<u64>> {
            let column = segment.fast_fields().u64("id").unwrap();
            (0..segment.max_doc())
                .map(|doc| {
                    let id = column.first(doc).unwrap();
                    self.docs.contains_key(&id).then_some(id)
                })
                .collect()
        }

        /// The names and days of the documents `ids`, counted.
        fn counts(
            &self,
            ids: impl Iterator<Item = u64>,
        ) -> (HashMap<String, u64>, HashMap<i64, u64>, u64) {
            let (mut names, mut days, mut undated) = (HashMap::new(), HashMap::new(), 0);
            for id in ids {
                let (values, day) = &self.docs[&id];
                for value in values {
                    *names.entry(value.clone()).or_default() += 1;
                }
                match day {
                    Some(day) => *days.entry(*day).or_default() += 1,
                    None => undated += 1,
                }
            }
            (names, days, undated)
        }
    }

    fn each_of(tally: TermTally) -> HashMap<String, u64> {
        let mut seen = HashMap::new();
        tally.merge_into(&mut seen);
        seen
    }

    fn days_of(tally: DayTally) -> (HashMap<i64, u64>, u64) {
        let undated = tally.undated();
        let mut days = HashMap::new();
        tally.merge_into(&mut days);
        (days, undated)
    }

    #[test]
    fn every_way_of_counting_gives_the_counts_of_the_documents() {
        let model = model();
        let searcher = model.index.reader().unwrap().searcher();
        let segments = searcher.segment_readers();
        assert_eq!(segments.len(), 5);
        // Deletions in all but one segment.
        assert_eq!(segments.iter().filter(|s| s.has_deletes()).count(), 4);
        let mut wide = 0;
        let mut whole = Vec::new();
        let vocabulary = Vocabulary::default();
        let mut numbered: Vec<u64> = Vec::new();
        let mut all_days = HashMap::new();
        for (s, segment) in segments.iter().enumerate() {
            let ids = model.ids(segment);
            let live: Vec<(DocId, u64)> = (0..)
                .zip(&ids)
                .filter_map(|(doc, id)| Some((doc, (*id)?)))
                .collect();
            // A whole segment, deleted documents taken back.
            let (names, days, undated) = model.counts(live.iter().map(|p| p.1));
            let mut tally = TermTally::for_segment(segment, "name").unwrap();
            tally.add_all(segment.alive_bitset());
            for (value, n) in &names {
                assert_eq!(tally.count_of(value), *n, "segment {s}, {value}");
            }
            let mut values: Vec<&str> = names.keys().map(String::as_str).collect();
            values.extend(["", "name-none", "zz"]);
            values.sort_unstable();
            let one_by_one: Vec<u64> = values.iter().map(|v| tally.count_of(v)).collect();
            assert_eq!(tally.counts_of_sorted(&values), one_by_one, "segment {s}");
            assert_eq!(one_by_one.iter().sum::<u64>(), names.values().sum::<u64>());
            let ids_of = vocabulary.ids(segment, &tally);
            assert!(Arc::ptr_eq(&ids_of, &vocabulary.ids(segment, &tally)));
            tally.merge_ids(&ids_of, &mut numbered);
            whole.push(tally.into_counts());
            let mut again = TermTally::for_segment(segment, "name").unwrap();
            again.add_all(segment.alive_bitset());
            assert_eq!(each_of(again), names, "segment {s}");
            let mut day_tally = DayTally::for_segment(segment, "date");
            wide += usize::from(day_tally.dense.is_empty());
            day_tally.add_all(segment);
            assert_eq!(days_of(day_tally), (days.clone(), undated), "segment {s}");
            for (day, n) in days {
                *all_days.entry(day).or_default() += n;
            }
            // Some of the live documents, one by one and in blocks.
            let some: Vec<(DocId, u64)> = live.iter().copied().filter(|p| p.1 % 3 != 1).collect();
            let expected = model.counts(some.iter().map(|p| p.1));
            let docs: Vec<DocId> = some.iter().map(|p| p.0).collect();
            let mut one = TermTally::for_segment(segment, "name").unwrap();
            let mut one_day = DayTally::for_segment(segment, "date");
            for doc in &docs {
                one.add(*doc);
                one_day.add(*doc);
            }
            let mut blocks = TermTally::for_segment(segment, "name").unwrap();
            let mut block_days = DayTally::for_segment(segment, "date");
            for block in docs.chunks(1 + s * 37) {
                blocks.add_block(block);
                block_days.add_block(block);
            }
            let (days, undated) = days_of(one_day);
            assert_eq!(
                (each_of(one), days, undated),
                expected,
                "segment {s}, one by one"
            );
            let (days, undated) = days_of(block_days);
            assert_eq!(
                (each_of(blocks), days, undated),
                expected,
                "segment {s}, blocks"
            );
        }
        assert_eq!(wide, 1, "one segment's days are counted in a hash map");
        // Across segments: by value, by number and the top lists.
        let (names, days, _) = model.counts(model.docs.keys().copied());
        assert_eq!(all_days, days);
        let mut by_number = HashMap::new();
        for (id, n) in (0u32..).zip(&numbered) {
            if *n > 0 {
                by_number.insert(vocabulary.name(id).unwrap().to_string(), *n);
            }
        }
        assert_eq!(by_number, names);
        for n in [1, 5, 20, 100] {
            assert_eq!(
                top_terms(&whole, n),
                crate::facet::top(names.clone(), n),
                "top {n}"
            );
        }
        let mut totals = HashMap::new();
        for tally in whole {
            tally.merge_into(&mut totals);
        }
        assert_eq!(totals, names);
        // Numbers stay with their names; segments gone are forgotten.
        let id = vocabulary.id("name7").unwrap();
        assert_eq!(vocabulary.intern("name7"), Some(id));
        let new = vocabulary.intern("somebody new").unwrap();
        assert_eq!(
            new as usize,
            vocabulary.inner.lock().unwrap().names.len() - 1
        );
        assert_eq!(vocabulary.id("somebody new"), Some(new));
        assert_eq!(vocabulary.name(new).as_deref(), Some("somebody new"));
        vocabulary.retain(&segments[..2]);
        assert_eq!(vocabulary.inner.lock().unwrap().segments.len(), 2);
    }
}
