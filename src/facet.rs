//! Facets of a whole result set (not just the page shown): the most frequent
//! people, organisations and places among the matching articles, and a
//! histogram of their dates by month or by year. Counting is done by
//! [`crate::tally`]: by term ordinal and by day within each segment, on
//! blocks of matching documents, merged by value once per segment.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::day;
use crate::entity::EntityKind;
use crate::schema::Fields;
use crate::short_form::{self, ShortForms};
use crate::tally::{DayTally, TermTally, Vocabulary};

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
    /// searches by a long-running engine.
    pub fn with_words(mut self, words: EntityWords) -> FacetCollector {
        self.words = words;
        self
    }

    /// The same collector counting the short forms of `forms` under their
    /// full names.
    pub fn joining(mut self, forms: Arc<ShortForms>) -> FacetCollector {
        self.short_forms = Some(forms);
        self
    }

    /// The short forms counted under their full names, if any.
    pub fn short_forms(&self) -> Option<&Arc<ShortForms>> {
        self.short_forms.as_ref()
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
            counts.add(&entities, &ids, days);
        }
        self.join(&mut counts);
        Ok(counts)
    }

    /// Moves the counts of joined short forms to their full names.
    fn join(&self, counts: &mut Counts) {
        if let Some(forms) = &self.short_forms {
            counts.join(forms);
        }
    }

    fn empty_counts(&self) -> Counts {
        Counts {
            words: Arc::clone(&self.words),
            entities: Default::default(),
            days: HashMap::new(),
            undated: 0,
            joined: HashMap::new(),
        }
    }

    /// The id of each term ordinal of the segment's entity columns.
    fn ids(&self, segment: &SegmentReader, tallies: &[KindTally]) -> Vec<Arc<Vec<u32>>> {
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
    /// Per entity kind, in [`EntityKind::ALL`] order: articles per name
    /// number (empty for a kind not counted).
    entities: [Vec<u64>; 4],
    /// Days since the epoch -> articles.
    days: HashMap<i64, u64>,
    /// Articles without a date.
    undated: u64,
    /// Numbers of the short forms counted under a full name, with the
    /// full name's number.
    joined: HashMap<u32, u32>,
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

    fn add(&mut self, entities: &[KindTally], ids: &[Arc<Vec<u32>>], days: DayTally) {
        for ((kind, tally), ids) in entities.iter().zip(ids) {
            tally.merge_ids(ids, &mut self.entities[kind.index()]);
        }
        self.undated += days.undated();
        days.merge_into(&mut self.days);
    }

    fn merge(&mut self, other: Counts) {
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
        counts.add(&self.entities, &self.ids, self.days);
        counts
    }
}

impl Counts {
    /// The top entities per kind and the date histogram.
    pub fn into_facets(self) -> Facets {
        let [person, org, place] = FACET_KINDS.map(|kind| {
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

    /// Articles per name of `kind`, by name number (see [`Counts::name`]).
    pub fn entity_counts(&self, kind: EntityKind) -> &[u64] {
        &self.entities[kind.index()]
    }

    /// The name numbered `id` among names of `kind`.
    pub fn name(&self, kind: EntityKind, id: u32) -> Option<Arc<str>> {
        self.words[kind.index()].name(id)
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
mod tests {
    use super::*;
    use jiff::civil::Date;

    fn day(y: i16, m: i8, d: i8) -> i64 {
        day::number(day::to_datetime(Date::new(y, m, d).unwrap()))
    }

    #[test]
    fn monthly_for_short_spans_yearly_for_long() {
        let mut days = HashMap::new();
        days.insert(day(2021, 3, 5), 2);
        days.insert(day(2021, 3, 9), 1);
        days.insert(day(2021, 10, 8), 4);
        assert_eq!(
            histogram(&days),
            vec![("2021-03".to_string(), 3), ("2021-10".to_string(), 4)]
        );
        days.insert(day(2018, 1, 1), 1);
        assert_eq!(
            histogram(&days),
            vec![("2018".to_string(), 1), ("2021".to_string(), 7)]
        );
        assert!(histogram(&HashMap::new()).is_empty());
    }

    #[test]
    fn top_entities_sorted_by_count_then_name() {
        let names = ["B", "A", "C", "D", "E"];
        let counts = [2, 2, 5, 0, 2];
        let name = |id: u32| names.get(id as usize).map(|n| Arc::from(*n));
        let listed = |n| {
            top_ids(&counts, n, name)
                .into_iter()
                .map(|p| (p.0, p.1))
                .collect::<Vec<_>>()
        };
        let pair = |n: &str, c| (n.to_string(), c);
        assert_eq!(
            listed(10),
            vec![pair("C", 5), pair("A", 2), pair("B", 2), pair("E", 2)]
        );
        // A tie at the cut is broken by name.
        assert_eq!(listed(2), vec![pair("C", 5), pair("A", 2)]);
        assert!(top_ids(&[0, 0], 10, name).is_empty());
    }
}
