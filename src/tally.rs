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
    /// The segment and column counted, when known: values read from the
    /// dictionary are then kept ([`names`]).
    key: Option<names::ColumnKey>,
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
            key: None,
            counts: vec![0; size],
            rows: Vec::new(),
            row_docs: Vec::new(),
            ords: Vec::new(),
        }
    }

    /// The tally of the string column `name` of `segment`.
    pub fn for_segment(segment: &SegmentReader, name: &str) -> tantivy::Result<TermTally> {
        let mut tally = TermTally::new(segment.fast_fields().str(name)?);
        tally.key = Some(names::ColumnKey {
            segment: segment.segment_id(),
            column: name.to_string(),
        });
        Ok(tally)
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

    /// The count of `value` (0 when the segment does not hold it), looked
    /// up by tantivy alone.
    #[cfg(test)]
    pub(crate) fn count_of(&self, value: &str) -> u64 {
        let Some(column) = &self.column else { return 0 };
        match column.dictionary().term_ord(value) {
            Ok(Some(ord)) => self.counts.get(ord as usize).map_or(0, |n| u64::from(*n)),
            _ => 0,
        }
    }

    /// The counts of `values`, as [`TermTally::count_of`] gives them one
    /// by one, each dictionary block read decoded once ([`names::ords`]).
    pub(crate) fn counts_of(&self, values: &[&str]) -> Vec<u64> {
        let Some(column) = &self.column else {
            return vec![0; values.len()];
        };
        names::ords(self.key.as_ref(), column.dictionary(), values)
            .into_iter()
            .map(|ord| {
                ord.and_then(|o| self.counts.get(o as usize))
                    .map_or(0, |n| u64::from(*n))
            })
            .collect()
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
    /// The counts of `values`.
    fn counts_of(&self, values: &[&str]) -> Vec<u64>;
}

impl Counted for TermTally {
    fn counts(&self) -> &[u32] {
        &self.counts
    }

    fn values(&self, ords: &[u64], mut f: impl FnMut(&[u8])) {
        let Some(column) = &self.column else { return };
        let read = |ords: &[u64], f: &mut dyn FnMut(&[u8])| {
            let _ = column.dictionary().sorted_ords_to_term_cb(ords, f);
        };
        match &self.key {
            Some(key) => names::values(key, ords, read, f),
            None => read(ords, &mut f),
        }
    }

    fn counts_of(&self, values: &[&str]) -> Vec<u64> {
        TermTally::counts_of(self, values)
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
        for (s, values) in wanted.iter().enumerate() {
            let counts = segments[s].counts_of(values);
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

mod names;

#[cfg(test)]
mod tests;
