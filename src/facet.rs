//! Facets of a whole result set (not just the page shown): the most frequent
//! people, organisations and places among the matching articles, and a
//! histogram of their dates by month or by year. Counting is done by
//! [`crate::tally`]: by term ordinal and by day within each segment, on
//! blocks of matching documents. The top names are merged across segments
//! by looking up only the names that can make the list
//! ([`crate::tally::top_terms`]); a collector given vocabularies instead
//! numbers every name, for callers that need every count.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::day;
use crate::entity::EntityKind;
use crate::schema::Fields;
use crate::short_form::{self, ShortForms};
use crate::tally::{DayTally, TermTally, Vocabulary, top_terms};

/// Entries kept per entity kind.
pub const TOP_ENTITIES: usize = 10;
/// Above this span (in months) the date histogram counts years instead of months.
const MONTHLY_SPAN_MONTHS: i32 = 36;
/// Matching documents gathered before their columns are read together.
const BLOCK: usize = 128;
/// The entity kinds facets show.
pub const FACET_KINDS: [EntityKind; 3] = [EntityKind::Person, EntityKind::Org, EntityKind::Place];

/// Facet counts of a result set.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facets {
    /// Most frequent people, with article counts.
    pub person: Vec<(String, u64)>,
    /// Most frequent organisations.
    pub org: Vec<(String, u64)>,
    /// Most frequent places.
    pub place: Vec<(String, u64)>,
    /// Articles per period (`YYYY` or `YYYY-MM`), in order.
    pub date: Vec<(String, u64)>,
}

/// The entity names of the columns of each kind, numbered (see
/// [`Vocabulary`]), in [`EntityKind::ALL`] order.
pub type EntityWords = Arc<[Vocabulary; 4]>;

/// Collects entity and date counts over every matching document.
pub struct FacetCollector {
    /// The kinds counted, with their column names.
    kinds: Vec<(EntityKind, String)>,
    date: String,
    words: EntityWords,
    /// Whether names are numbered through `words` (every count kept by
    /// number) rather than each segment's counts kept for the top lists.
    numbered: bool,
    /// Short forms counted under their full name.
    short_forms: Option<Arc<ShortForms>>,
}

impl FacetCollector {
    /// A collector over the schema's date column and the entity columns
    /// facets show.
    pub fn new(fields: &Fields, schema: &tantivy::schema::Schema) -> FacetCollector {
        FacetCollector {
            kinds: Vec::new(),
            date: schema.get_field_name(fields.date).to_string(),
            words: EntityWords::default(),
            numbered: false,
            short_forms: None,
        }
        .counting(fields, schema, &FACET_KINDS)
    }

    /// The same collector counting the entities of `kinds` only (none: the
    /// dates alone).
    pub fn counting(
        mut self,
        fields: &Fields,
        schema: &tantivy::schema::Schema,
        kinds: &[EntityKind],
    ) -> FacetCollector {
        self.kinds = kinds
            .iter()
            .map(|k| (*k, schema.get_field_name(fields.kind_names(*k)).to_string()))
            .collect();
        self
    }

    /// The same collector numbering names with `words`, kept between
    /// searches by a long-running engine, so that every name's count can
    /// be read by number ([`Counts::entity_counts`]).
    pub fn with_words(mut self, words: EntityWords) -> FacetCollector {
        self.words = words;
        self.numbered = true;
        self
    }

    /// The same collector counting the short forms of `forms` under their
    /// full names.
    pub fn joining(mut self, forms: Arc<ShortForms>) -> FacetCollector {
        self.short_forms = Some(forms);
        self
    }

    /// The entity kinds counted, with the names of their columns.
    pub fn columns(&self) -> &[(EntityKind, String)] {
        &self.kinds
    }

    /// The vocabularies numbering entity names, one per kind.
    pub fn words(&self) -> &EntityWords {
        &self.words
    }

    /// The tallies of one segment, empty.
    fn tallies(&self, segment: &SegmentReader) -> tantivy::Result<(Vec<KindTally>, DayTally)> {
        let entities = self
            .kinds
            .iter()
            .map(|(kind, column)| Ok((*kind, TermTally::for_segment(segment, column)?)))
            .collect::<tantivy::Result<_>>()?;
        Ok((entities, DayTally::for_segment(segment, &self.date)))
    }

    /// The counts over every live article of the index, read straight from
    /// each segment's columns (no query, no walk over documents).
    pub fn count_all(&self, searcher: &tantivy::Searcher) -> tantivy::Result<Counts> {
        let mut counts = self.empty_counts();
        for segment in searcher.segment_readers() {
            let (mut entities, mut days) = self.tallies(segment)?;
            for (_, tally) in &mut entities {
                tally.add_all(segment.alive_bitset());
            }
            days.add_all(segment);
            let ids = self.ids(segment, &entities);
            counts.add(entities, &ids, days);
        }
        self.join(&mut counts);
        Ok(counts)
    }

    /// Moves the counts of joined short forms to their full names (numbered
    /// names; top lists join as they are drawn up).
    fn join(&self, counts: &mut Counts) {
        if let Some(forms) = &self.short_forms
            && self.numbered
        {
            counts.join(forms);
        }
    }

    fn empty_counts(&self) -> Counts {
        Counts {
            words: Arc::clone(&self.words),
            numbered: self.numbered,
            entities: Default::default(),
            segments: Default::default(),
            days: HashMap::new(),
            undated: 0,
            joined: HashMap::new(),
            short_forms: self.short_forms.clone(),
        }
    }

    /// The id of each term ordinal of the segment's entity columns (none
    /// unless names are numbered).
    fn ids(&self, segment: &SegmentReader, tallies: &[KindTally]) -> Vec<Arc<Vec<u32>>> {
        if !self.numbered {
            return Vec::new();
        }
        tallies
            .iter()
            .map(|(kind, tally)| self.words[kind.index()].ids(segment, tally))
            .collect()
    }
}

/// The tally of one entity kind's column.
type KindTally = (EntityKind, TermTally);

/// Counts merged from segments: entities by their number in the
/// collector's vocabularies, days by day.
pub struct Counts {
    words: EntityWords,
    numbered: bool,
    /// Per entity kind, in [`EntityKind::ALL`] order: articles per name
    /// number (empty for a kind not counted, or when names are not
    /// numbered).
    entities: [Vec<u64>; 4],
    /// Per entity kind, when names are not numbered: each segment's counts
    /// by term ordinal.
    segments: [Vec<TermTally>; 4],
    /// Days since the epoch -> articles.
    days: HashMap<i64, u64>,
    /// Articles without a date.
    undated: u64,
    /// Numbers of the short forms counted under a full name, with the
    /// full name's number.
    joined: HashMap<u32, u32>,
    /// Short forms counted under their full name.
    short_forms: Option<Arc<ShortForms>>,
}

impl Counts {
    /// Moves the counts of the short forms of `forms` to their full names.
    fn join(&mut self, forms: &ShortForms) {
        let words = &self.words[short_form::KIND.index()];
        let counts = &mut self.entities[short_form::KIND.index()];
        for form in &forms.forms {
            let mut target = None;
            for spelling in &form.spellings {
                let Some(id) = words.id(spelling) else {
                    continue;
                };
                let Some(to) = target.or_else(|| words.intern(&form.canonical)) else {
                    return;
                };
                target = Some(to);
                if id == to {
                    continue;
                }
                self.joined.insert(id, to);
                let n = counts.get(id as usize).copied().unwrap_or(0);
                if n > 0 {
                    counts[id as usize] = 0;
                    if counts.len() <= to as usize {
                        counts.resize(to as usize + 1, 0);
                    }
                    counts[to as usize] += n;
                }
            }
        }
    }

    /// The number of the full name a name of `kind` is counted under: its
    /// own, or its full name's when it is a joined short form.
    pub fn joined_to(&self, kind: EntityKind, id: u32) -> u32 {
        if kind == short_form::KIND {
            self.joined.get(&id).copied().unwrap_or(id)
        } else {
            id
        }
    }

    fn add(&mut self, entities: Vec<KindTally>, ids: &[Arc<Vec<u32>>], days: DayTally) {
        if self.numbered {
            for ((kind, tally), ids) in entities.iter().zip(ids) {
                tally.merge_ids(ids, &mut self.entities[kind.index()]);
            }
        } else {
            for (kind, tally) in entities {
                self.segments[kind.index()].push(tally.into_counts());
            }
        }
        self.undated += days.undated();
        days.merge_into(&mut self.days);
    }

    fn merge(&mut self, other: Counts) {
        for (from, into) in other.segments.into_iter().zip(&mut self.segments) {
            into.extend(from);
        }
        for (from, into) in other.entities.into_iter().zip(&mut self.entities) {
            if into.len() < from.len() {
                into.resize(from.len(), 0);
            }
            for (total, n) in into.iter_mut().zip(from) {
                *total += n;
            }
        }
        for (day, n) in other.days {
            *self.days.entry(day).or_default() += n;
        }
        self.undated += other.undated;
    }
}

/// The per-segment side of [`FacetCollector`].
pub struct FacetSegment {
    entities: Vec<KindTally>,
    ids: Vec<Arc<Vec<u32>>>,
    days: DayTally,
    pending: Vec<DocId>,
    counts: Counts,
}

impl FacetSegment {
    fn flush(&mut self) {
        for (_, tally) in &mut self.entities {
            tally.add_block(&self.pending);
        }
        self.days.add_block(&self.pending);
        self.pending.clear();
    }
}

impl Collector for FacetCollector {
    type Fruit = Counts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let (entities, days) = self.tallies(segment)?;
        Ok(FacetSegment {
            ids: self.ids(segment, &entities),
            entities,
            days,
            pending: Vec::with_capacity(BLOCK),
            counts: self.empty_counts(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut merged = self.empty_counts();
        for fruit in fruits {
            merged.merge(fruit);
        }
        self.join(&mut merged);
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.pending.push(doc);
        if self.pending.len() == BLOCK {
            self.flush();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for (_, tally) in &mut self.entities {
            tally.add_block(docs);
        }
        self.days.add_block(docs);
    }

    fn harvest(mut self) -> Counts {
        self.flush();
        let mut counts = self.counts;
        counts.add(self.entities, &self.ids, self.days);
        counts
    }
}

impl Counts {
    /// The top entities per kind and the date histogram.
    pub fn into_facets(self) -> Facets {
        let [person, org, place] = FACET_KINDS.map(|kind| {
            if !self.numbered {
                let tallies = &self.segments[kind.index()];
                return match &self.short_forms {
                    Some(forms) if kind == short_form::KIND && !forms.forms.is_empty() => {
                        top_joined(tallies, TOP_ENTITIES, forms)
                    }
                    _ => top_terms(tallies, TOP_ENTITIES),
                };
            }
            let words = &self.words[kind.index()];
            top_ids(&self.entities[kind.index()], TOP_ENTITIES, |id| {
                words.name(id)
            })
        });
        Facets {
            person,
            org,
            place,
            date: histogram(&self.days),
        }
    }

    /// The earliest and latest day counted (days since the epoch).
    pub fn day_range(&self) -> Option<(i64, i64)> {
        Some((*self.days.keys().min()?, *self.days.keys().max()?))
    }

    /// Articles per day counted (days since the epoch).
    pub fn days(&self) -> &HashMap<i64, u64> {
        &self.days
    }

    /// Articles counted without a date.
    pub fn undated(&self) -> u64 {
        self.undated
    }

    /// Articles per name of `kind`, by name number (see [`Counts::name`]);
    /// empty unless the collector numbered names
    /// ([`FacetCollector::with_words`]).
    pub fn entity_counts(&self, kind: EntityKind) -> &[u64] {
        &self.entities[kind.index()]
    }

    /// The name numbered `id` among names of `kind`.
    pub fn name(&self, kind: EntityKind, id: u32) -> Option<Arc<str>> {
        self.words[kind.index()].name(id)
    }
}

/// The `n` most counted names over the tallies of one column, each short
/// form of `forms` counted under its full name.
///
/// The names outside `forms` come from a longer top list; a short form's
/// full name is counted exactly (its spellings looked up in each segment)
/// only when its spellings and full name could together make the list.
/// The list is lengthened until its last count falls below the `n`-th
/// total, so no name left out could have made it.
fn top_joined(tallies: &[TermTally], n: usize, forms: &ShortForms) -> Vec<(String, u64)> {
    // Each full name with every name counted under it, itself first.
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for form in &forms.forms {
        let names = groups
            .entry(form.canonical.as_str())
            .or_insert_with(|| vec![form.canonical.as_str()]);
        for spelling in &form.spellings {
            if !names.contains(&spelling.as_str()) {
                names.push(spelling);
            }
        }
    }
    let member: std::collections::HashSet<&str> = groups.values().flatten().copied().collect();
    let mut m = 4 * n.max(8);
    loop {
        let list = top_terms(tallies, m);
        // Every name counted is listed, or none left out counts more than
        // the last listed.
        let complete = list.len() < m;
        let last = if complete {
            0
        } else {
            list.last().map_or(0, |p| p.1)
        };
        let listed: HashMap<&str, u64> = list.iter().map(|(k, c)| (k.as_str(), *c)).collect();
        let mut totals: HashMap<String, u64> = list
            .iter()
            .filter(|(name, _)| !member.contains(name.as_str()))
            .cloned()
            .collect();
        let floor = {
            let mut kept: Vec<u64> = totals.values().copied().collect();
            if kept.len() >= n && n > 0 {
                *kept.select_nth_unstable_by(n - 1, |a, b| b.cmp(a)).1
            } else {
                0
            }
        };
        // The groups whose total may count, and the names of theirs to
        // look up in every segment, looked up together.
        let mut counted: Vec<(&str, &Vec<&str>)> = Vec::new();
        let mut unlisted: Vec<&str> = Vec::new();
        for (canonical, names) in &groups {
            let known: u64 = names.iter().filter_map(|k| listed.get(k)).sum();
            let missing = names.iter().filter(|k| !listed.contains_key(*k)).count() as u64;
            let bound = known + missing * last;
            // Below the n-th total known for sure, a group cannot make it.
            if bound == 0 || bound < floor {
                continue;
            }
            counted.push((canonical, names));
            if !complete {
                unlisted.extend(names.iter().filter(|k| !listed.contains_key(*k)));
            }
        }
        unlisted.sort_unstable();
        unlisted.dedup();
        let mut looked_up: HashMap<&str, u64> = HashMap::new();
        for tally in tallies {
            for (name, n) in unlisted.iter().zip(tally.counts_of(&unlisted)) {
                *looked_up.entry(name).or_default() += n;
            }
        }
        for (canonical, names) in counted {
            let total: u64 = names
                .iter()
                .map(|k| match listed.get(k) {
                    Some(c) => *c,
                    None => looked_up.get(k).copied().unwrap_or(0),
                })
                .sum();
            if total > 0 {
                totals.insert(canonical.to_string(), total);
            }
        }
        let best = top(totals, n);
        let settled = best.len() == n && best[n - 1].1 > last;
        if complete || settled {
            return best;
        }
        m *= 4;
    }
}

/// The `n` largest counts of a dense array of counts by id, ties by name:
/// only the names that can make the list are looked up.
fn top_ids(counts: &[u64], n: usize, name: impl Fn(u32) -> Option<Arc<str>>) -> Vec<(String, u64)> {
    let mut nonzero: Vec<u64> = counts.iter().copied().filter(|c| *c > 0).collect();
    if nonzero.is_empty() || n == 0 {
        return Vec::new();
    }
    // The n-th largest count: every entry at or above it may make the list.
    let at = n.min(nonzero.len()) - 1;
    let (_, nth, _) = nonzero.select_nth_unstable_by(at, |a, b| b.cmp(a));
    let floor = *nth;
    let candidates: HashMap<String, u64> = (0u32..)
        .zip(counts)
        .filter(|(_, c)| **c >= floor)
        .filter_map(|(id, c)| Some((name(id)?.to_string(), *c)))
        .collect();
    top(candidates, n)
}

/// The `n` largest counts, ties by name; only those are sorted.
pub fn top(counts: HashMap<String, u64>, n: usize) -> Vec<(String, u64)> {
    let order = |a: &(String, u64), b: &(String, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0));
    let mut list: Vec<(String, u64)> = counts.into_iter().collect();
    if list.len() > n && n > 0 {
        list.select_nth_unstable_by(n - 1, order);
        list.truncate(n);
    }
    list.sort_by(order);
    list.truncate(n);
    list
}

/// Groups day counts by month, or by year when they span more than three years.
fn histogram(days: &HashMap<i64, u64>) -> Vec<(String, u64)> {
    let dates: Vec<(jiff::civil::Date, u64)> = days
        .iter()
        .filter_map(|(number, n)| day::date(*number).map(|d| (d, *n)))
        .collect();
    let (Some(min), Some(max)) = (
        dates.iter().map(|d| d.0).min(),
        dates.iter().map(|d| d.0).max(),
    ) else {
        return Vec::new();
    };
    let months = (i32::from(max.year()) - i32::from(min.year())) * 12 + i32::from(max.month())
        - i32::from(min.month());
    let monthly = months < MONTHLY_SPAN_MONTHS;
    let mut periods: BTreeMap<String, u64> = BTreeMap::new();
    for (date, n) in dates {
        let key = if monthly {
            format!("{:04}-{:02}", date.year(), date.month())
        } else {
            format!("{:04}", date.year())
        };
        *periods.entry(key).or_default() += n;
    }
    periods.into_iter().collect()
}

#[cfg(test)]
mod tests;
