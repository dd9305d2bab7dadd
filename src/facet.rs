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
            for (name, n) in unlisted.iter().zip(tally.counts_of_sorted(&unlisted)) {
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
mod tests {
    use super::*;
    use crate::store::Store;
    use jiff::civil::Date;
    use tantivy::schema::FAST;

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
        // Three years less a month apart: by month; three years: by year.
        let monthly = |from: i64, to: i64| {
            histogram(&HashMap::from([(from, 1), (to, 1)]))[0].0.len() == "2018-01".len()
        };
        assert!(monthly(day(2018, 1, 31), day(2020, 12, 1)));
        assert!(!monthly(day(2018, 1, 31), day(2021, 1, 1)));
        assert!(monthly(day(2018, 12, 1), day(2021, 11, 30)));
        assert!(!monthly(day(2018, 12, 1), day(2021, 12, 1)));
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

    /// What one document of [`archive`] holds.
    struct Doc {
        names: [Vec<String>; 3],
        day: Option<i64>,
        english: bool,
    }

    /// An index of several segments with deletions, and its live documents.
    fn archive() -> (Store, Vec<Doc>) {
        let store = Store::in_memory().unwrap();
        let fields = &store.fields;
        let mut writer = store.writer(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let mut next = crate::testing::numbers(0x9E37_79B9_7F4A_7C15);
        let mut docs: Vec<(u64, Doc)> = Vec::new();
        for _ in 0..4 {
            for _ in 0..250 + next(250) {
                let n = docs.len() as u64;
                let mut doc = tantivy::TantivyDocument::default();
                doc.add_u64(fields.path_hash, n);
                let names = FACET_KINDS.map(|kind| {
                    let mut names: Vec<String> = Vec::new();
                    for _ in 0..next(4) {
                        // Skewed, so that a few names lead; people also go by
                        // the short forms joined below.
                        let most = 1 + next(80);
                        let name = match (kind, next(most)) {
                            (EntityKind::Person, 0) => "Smith".to_string(),
                            (EntityKind::Person, 1) => "J. Smith".to_string(),
                            (EntityKind::Person, 2 | 3) => "Jane Smith".to_string(),
                            (EntityKind::Person, 4) if next(4) == 0 => "Doe".to_string(),
                            // An organisation spelled like a person's short
                            // form: not joined to the person's full name.
                            (EntityKind::Org, 0) => "Doe".to_string(),
                            (_, k) => format!("{} {k}", kind.name()),
                        };
                        names.push(name);
                    }
                    names.sort();
                    names.dedup();
                    for name in &names {
                        doc.add_text(fields.kind_names(kind), name);
                    }
                    names
                });
                let day = (next(6) > 0).then(|| 18_000 + next(700) as i64);
                if let Some(day) = day {
                    let seconds = day * 86_400 + next(86_400) as i64;
                    doc.add_date(fields.date, tantivy::DateTime::from_timestamp_secs(seconds));
                }
                let english = next(3) > 0;
                doc.add_text(fields.lang, if english { "en" } else { "es" });
                writer.add_document(doc).unwrap();
                docs.push((
                    n,
                    Doc {
                        names,
                        day,
                        english,
                    },
                ));
            }
            writer.commit().unwrap();
        }
        docs.retain(|(n, _)| {
            let delete = n % 7 == 3 && *n < 900;
            if delete {
                writer.delete_term(tantivy::Term::from_field_u64(fields.path_hash, *n));
            }
            !delete
        });
        writer.commit().unwrap();
        (store, docs.into_iter().map(|(_, doc)| doc).collect())
    }

    /// "Smith" and "J. Smith" counted under "John Smith", whom no article
    /// names in full; "Doe" under "John Doe".
    fn short_forms() -> ShortForms {
        let mut forms = ShortForms::default();
        for (spellings, canonical) in [
            (&["Smith", "J. Smith"][..], "John Smith"),
            (&["Doe"][..], "John Doe"),
        ] {
            let spellings: Vec<String> = spellings.iter().map(|s| s.to_string()).collect();
            forms.forms.push(form(&spellings, canonical));
        }
        forms
    }

    /// The facets of `docs`, counted one article at a time.
    fn counted(docs: &[&Doc], forms: Option<&ShortForms>) -> Facets {
        let [person, org, place] = [0, 1, 2].map(|k| {
            let mut counts: HashMap<String, u64> = HashMap::new();
            for doc in docs {
                for name in &doc.names[k] {
                    let joined = forms
                        .filter(|_| k == 0)
                        .and_then(|f| f.forms.iter().find(|s| s.spellings.contains(name)))
                        .map_or(name.as_str(), |s| s.canonical.as_str());
                    *counts.entry(joined.to_string()).or_default() += 1;
                }
            }
            top(counts, TOP_ENTITIES)
        });
        let mut days = HashMap::new();
        for day in docs.iter().filter_map(|d| d.day) {
            *days.entry(day).or_default() += 1;
        }
        Facets {
            person,
            org,
            place,
            date: histogram(&days),
        }
    }

    #[test]
    fn facets_count_every_matching_article_whichever_way_they_are_collected() {
        use tantivy::collector::TopDocs;
        use tantivy::query::{AllQuery, Query, TermQuery};
        let (store, docs) = archive();
        let searcher = store.index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 4);
        assert_eq!(searcher.num_docs() as usize, docs.len());
        let schema = store.index.schema();
        let forms = Arc::new(short_forms());
        let english = TermQuery::new(
            tantivy::Term::from_field_text(store.fields.lang, "en"),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let queries: [(&dyn Query, Vec<&Doc>); 2] = [
            (&AllQuery, docs.iter().collect()),
            (&english, docs.iter().filter(|d| d.english).collect()),
        ];
        for (query, matching) in queries {
            let plain = counted(&matching, None);
            let joined = counted(&matching, Some(&forms));
            assert!(joined.person.iter().any(|p| p.0 == "John Smith"));
            assert_ne!(plain.person, joined.person);
            let undated = matching.iter().filter(|d| d.day.is_none()).count() as u64;
            for numbered in [false, true] {
                for joining in [false, true] {
                    let collector = || {
                        let mut collector = FacetCollector::new(&store.fields, &schema);
                        if numbered {
                            collector = collector.with_words(EntityWords::default());
                        }
                        if joining {
                            collector = collector.joining(Arc::clone(&forms));
                        }
                        collector
                    };
                    let expected = if joining { &joined } else { &plain };
                    let case = format!("numbered {numbered}, joining {joining}");
                    // In blocks, and one document at a time beside a scoring collector.
                    let counts = searcher.search(query, &collector()).unwrap();
                    assert_eq!(counts.undated(), undated, "{case}");
                    assert_eq!(&counts.into_facets(), expected, "{case}");
                    let (_, counts) = searcher
                        .search(
                            query,
                            &(TopDocs::with_limit(1).order_by_score(), collector()),
                        )
                        .unwrap();
                    assert_eq!(&counts.into_facets(), expected, "{case}, one by one");
                    if matching.len() == docs.len() {
                        let counts = collector().count_all(&searcher).unwrap();
                        assert_eq!(counts.undated(), undated, "{case}");
                        assert_eq!(&counts.into_facets(), expected, "{case}, read whole");
                    }
                }
            }
        }
    }

    #[test]
    fn a_numbered_collector_numbers_with_the_vocabularies_it_is_given() {
        // Counts made by the collector and counts made with its words (the
        // pairs of names counted together) must number names alike, also
        // after the segments that first numbered them are merged away.
        let store = Store::in_memory().unwrap();
        let words = EntityWords::default();
        let collector = FacetCollector::new(&store.fields, &store.index.schema())
            .with_words(Arc::clone(&words));
        assert!(Arc::ptr_eq(collector.words(), &words));
        let kinds: Vec<EntityKind> = collector.columns().iter().map(|c| c.0).collect();
        assert_eq!(kinds, FACET_KINDS);
    }

    #[test]
    fn numbered_counts_give_every_name_and_day() {
        let (store, docs) = archive();
        let searcher = store.index.reader().unwrap().searcher();
        let forms = Arc::new(short_forms());
        let collector = FacetCollector::new(&store.fields, &store.index.schema())
            .with_words(EntityWords::default())
            .joining(Arc::clone(&forms));
        let counts = collector.count_all(&searcher).unwrap();
        let mut people: HashMap<String, u64> = HashMap::new();
        for (id, n) in (0u32..).zip(counts.entity_counts(EntityKind::Person)) {
            let name = counts.name(EntityKind::Person, id).unwrap();
            if *n > 0 {
                people.insert(name.to_string(), *n);
            }
            // A joined short form counts under its full name's number.
            let to = counts.joined_to(EntityKind::Person, id);
            let full = counts.name(EntityKind::Person, to).unwrap();
            match name.as_ref() {
                "Smith" | "J. Smith" => assert_eq!(full.as_ref(), "John Smith"),
                "Doe" => assert_eq!(full.as_ref(), "John Doe"),
                _ => assert_eq!(to, id),
            }
        }
        let all: Vec<&Doc> = docs.iter().collect();
        let mut expected: HashMap<String, u64> = HashMap::new();
        for doc in &all {
            for name in &doc.names[0] {
                let name = match name.as_str() {
                    "Smith" | "J. Smith" => "John Smith",
                    "Doe" => "John Doe",
                    other => other,
                };
                *expected.entry(name.to_string()).or_default() += 1;
            }
        }
        assert_eq!(people, expected);
        assert!(counts.entity_counts(EntityKind::Other).is_empty());
        let days: Vec<i64> = all.iter().filter_map(|d| d.day).collect();
        assert_eq!(
            counts.day_range(),
            Some((*days.iter().min().unwrap(), *days.iter().max().unwrap()))
        );
        assert_eq!(counts.days().values().sum::<u64>(), days.len() as u64);
    }

    /// The tallies of a column holding, in each segment, each name as many
    /// times as given.
    fn tallies_of(segments: &[HashMap<String, u64>]) -> Vec<TermTally> {
        let mut builder = tantivy::schema::Schema::builder();
        let field = builder.add_text_field("name", tantivy::schema::STRING | FAST);
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for segment in segments {
            for (name, n) in segment {
                for _ in 0..*n {
                    writer
                        .add_document(tantivy::doc!(field => name.clone()))
                        .unwrap();
                }
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let mut tally = TermTally::for_segment(segment, "name").unwrap();
                tally.add_all(segment.alive_bitset());
                tally.into_counts()
            })
            .collect()
    }

    fn form(spellings: &[String], canonical: &str) -> short_form::ShortForm {
        short_form::ShortForm {
            key: canonical.to_string(),
            spellings: spellings.to_vec(),
            canonical: canonical.to_string(),
            canonical_key: String::new(),
            votes: 1,
            against: 0,
            rivals: Vec::new(),
        }
    }

    #[test]
    fn a_full_name_whose_short_forms_each_miss_the_list_can_lead_it() {
        // Forty names of 5 articles fill the first list drawn up; three
        // short forms of 4 articles each are left out of it, yet together
        // they lead.
        let mut segment: HashMap<String, u64> =
            (0..40).map(|k| (format!("filler {k:02}"), 5)).collect();
        let spellings: Vec<String> = ["Ann", "A. Lee", "Lee"].map(String::from).to_vec();
        for s in &spellings {
            segment.insert(s.clone(), 4);
        }
        let mut forms = ShortForms::default();
        forms.forms.push(form(&spellings, "Ann Lee"));
        let tallies = tallies_of(&[segment]);
        assert_eq!(
            top_joined(&tallies, 2, &forms),
            vec![("Ann Lee".to_string(), 12), ("filler 00".to_string(), 5)]
        );
    }

    #[test]
    fn joined_lists_where_ties_meet_the_end_of_the_first_list() {
        let counted = |names: &[(&str, u64)]| -> HashMap<String, u64> {
            names.iter().map(|(k, n)| (k.to_string(), *n)).collect()
        };
        let joined = |segment: HashMap<String, u64>, groups: &[(&str, &[&str])], n| {
            let mut forms = ShortForms::default();
            for (canonical, spellings) in groups {
                let spellings: Vec<String> = spellings.iter().map(|s| s.to_string()).collect();
                forms.forms.push(form(&spellings, canonical));
            }
            top_joined(&tallies_of(&[segment]), n, &forms)
        };
        let pair = |k: &str, n: u64| (k.to_string(), n);
        // A full name and its two short forms, each at the first list's
        // last count and left out of it, add up to the second count: the
        // full name ties there and comes before the other by name.
        let mut segment: HashMap<String, u64> =
            (0..40).map(|k| (format!("filler {k:02}"), 5)).collect();
        segment.extend(counted(&[
            ("big", 15),
            ("zzz big", 15),
            ("zz Abe", 5),
            ("zz a", 5),
            ("zz b", 5),
        ]));
        assert_eq!(
            joined(segment, &[("zz Abe", &["zz a", "zz b"])], 2),
            vec![pair("big", 15), pair("zz Abe", 15)]
        );
        // The first list is mostly one full name's short forms: a name left
        // out of it, tied with the last listed, outranks by name a full
        // name whose total is that same count.
        // And so does it a full name of fewer.
        let spellings: Vec<String> = (0..31).map(|k| format!("s{k:02}")).collect();
        let spelled: Vec<&str> = spellings.iter().map(String::as_str).collect();
        for y in [5, 3] {
            let mut segment: HashMap<String, u64> =
                spellings.iter().map(|s| (s.clone(), 6)).collect();
            segment.extend(counted(&[("b", 5), ("c", 5), ("y", y)]));
            assert_eq!(
                joined(segment, &[("g1", &spelled), ("zz", &["y"])], 3),
                vec![pair("g1", 186), pair("b", 5), pair("c", 5)],
                "y {y}"
            );
        }
        // A full name counted once is listed.
        assert_eq!(
            joined(
                counted(&[("b", 1), ("c", 1), ("zz a", 1)]),
                &[("Abe", &["zz a"])],
                1
            ),
            vec![pair("Abe", 1)]
        );
    }

    #[test]
    fn joined_top_lists_are_those_of_adding_up_every_name() {
        let mut next = crate::testing::numbers(0x2545_F491_4F6C_DD1D);
        for round in 0..40 {
            let names = 5 + next(150);
            let mut counts: HashMap<String, u64> = HashMap::new();
            let mut segments = Vec::new();
            for _ in 0..1 + next(4) {
                // Per name, its articles in this segment: skewed and often
                // tied, or flat (every count 1 or 2: ties at every cut).
                let mut segment: HashMap<String, u64> = HashMap::new();
                if round % 2 == 0 {
                    for _ in 0..next(700) {
                        let most = 1 + next(names);
                        *segment.entry(format!("n{:03}", next(most))).or_default() += 1;
                    }
                } else {
                    for k in 0..names {
                        segment.insert(format!("n{k:03}"), 1 + next(2));
                    }
                }
                for (name, n) in &segment {
                    *counts.entry(name.clone()).or_default() += n;
                }
                segments.push(segment);
            }
            let tallies = tallies_of(&segments);
            // Short forms: a few names each, counted under a full name that
            // is itself counted, or named nowhere; two may share one.
            let mut forms = ShortForms::default();
            let mut taken: Vec<String> = Vec::new();
            for _ in 0..next(5) {
                let canonical = if next(2) == 0 {
                    format!("n{:03}", next(names))
                } else {
                    format!("full {}", next(3))
                };
                let spellings: Vec<String> = (0..1 + next(3))
                    .map(|_| format!("n{:03}", next(names)))
                    .filter(|s| *s != canonical && !taken.contains(s))
                    .collect();
                if taken.contains(&canonical) || spellings.is_empty() {
                    continue;
                }
                taken.extend(spellings.iter().cloned());
                if canonical.starts_with('n') {
                    taken.push(canonical.clone());
                }
                forms.forms.push(form(&spellings, &canonical));
            }
            let mut joined: HashMap<String, u64> = HashMap::new();
            for (name, n) in &counts {
                let to = forms
                    .forms
                    .iter()
                    .find(|f| f.spellings.contains(name))
                    .map_or(name, |f| &f.canonical);
                *joined.entry(to.clone()).or_default() += n;
            }
            for n in [1, 2, 3, 10] {
                assert_eq!(
                    top_joined(&tallies, n, &forms),
                    top(joined.clone(), n),
                    "round {round}, n {n}"
                );
            }
        }
    }
}
