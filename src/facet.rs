//! Facets of a whole result set (not just the page shown): the most frequent
//! people, organisations and places among the matching articles, and a
//! histogram of their dates by month or by year. Counting is done by
//! [`crate::tally`]: by term ordinal and by day within each segment, on
//! blocks of matching documents, merged by value once per segment.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::document::from_datetime;
use crate::entity::EntityKind;
use crate::schema::Fields;
use crate::tally::{DayTally, TermTally};

/// Entries kept per entity kind.
pub const TOP_ENTITIES: usize = 10;
/// Above this span (in months) the date histogram counts years instead of months.
const MONTHLY_SPAN_MONTHS: i32 = 36;
/// Matching documents gathered before their columns are read together.
const BLOCK: usize = 128;
/// The entity kinds facets count, in [`Counts::entities`] order.
const KINDS: [EntityKind; 3] = [EntityKind::Person, EntityKind::Org, EntityKind::Place];

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

/// Collects entity and date counts over every matching document.
pub struct FacetCollector {
    kinds: [String; 3],
    date: String,
}

impl FacetCollector {
    /// A collector over the schema's entity and date columns.
    pub fn new(fields: &Fields, schema: &tantivy::schema::Schema) -> FacetCollector {
        FacetCollector {
            kinds: KINDS.map(|k| schema.get_field_name(fields.kind_names(k)).to_string()),
            date: schema.get_field_name(fields.date).to_string(),
        }
    }

    /// The tallies of one segment, empty.
    fn tallies(&self, segment: &SegmentReader) -> tantivy::Result<([TermTally; 3], DayTally)> {
        let [p, o, l] = &self.kinds;
        Ok((
            [
                TermTally::for_segment(segment, p)?,
                TermTally::for_segment(segment, o)?,
                TermTally::for_segment(segment, l)?,
            ],
            DayTally::for_segment(segment, &self.date),
        ))
    }

    /// The counts over every live article of the index, read straight from
    /// each segment's columns (no query, no walk over documents).
    pub fn count_all(&self, searcher: &tantivy::Searcher) -> tantivy::Result<Counts> {
        let mut counts = Counts::default();
        for segment in searcher.segment_readers() {
            let (mut entities, mut days) = self.tallies(segment)?;
            for tally in &mut entities {
                tally.add_all(segment.alive_bitset());
            }
            days.add_all(segment);
            counts.add(entities, days);
        }
        Ok(counts)
    }
}

/// Counts merged from segments, keyed by value.
#[derive(Default)]
pub struct Counts {
    /// Per entity kind, in [`KINDS`] order: name -> articles.
    entities: [HashMap<String, u64>; 3],
    /// Days since the epoch -> articles.
    days: HashMap<i64, u64>,
}

impl Counts {
    fn add(&mut self, entities: [TermTally; 3], days: DayTally) {
        for (tally, totals) in entities.into_iter().zip(&mut self.entities) {
            tally.merge_into(totals);
        }
        days.merge_into(&mut self.days);
    }

    fn merge(&mut self, other: Counts) {
        for (from, into) in other.entities.into_iter().zip(&mut self.entities) {
            if into.is_empty() {
                *into = from;
                continue;
            }
            for (name, n) in from {
                *into.entry(name).or_default() += n;
            }
        }
        for (day, n) in other.days {
            *self.days.entry(day).or_default() += n;
        }
    }
}

/// The per-segment side of [`FacetCollector`].
pub struct FacetSegment {
    entities: [TermTally; 3],
    days: DayTally,
    pending: Vec<DocId>,
}

impl FacetSegment {
    fn flush(&mut self) {
        for tally in &mut self.entities {
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
            entities,
            days,
            pending: Vec::with_capacity(BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut merged = Counts::default();
        for fruit in fruits {
            merged.merge(fruit);
        }
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
        for tally in &mut self.entities {
            tally.add_block(docs);
        }
        self.days.add_block(docs);
    }

    fn harvest(mut self) -> Counts {
        self.flush();
        let mut counts = Counts::default();
        counts.add(self.entities, self.days);
        counts
    }
}

impl Counts {
    /// The top entities per kind and the date histogram.
    pub fn into_facets(self) -> Facets {
        let [person, org, place] = self.entities.map(|counts| top(counts, TOP_ENTITIES));
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
        .filter_map(|(day, n)| {
            from_datetime(tantivy::DateTime::from_timestamp_secs(day * 86_400)).map(|d| (d, *n))
        })
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
    use crate::document::to_datetime;
    use jiff::civil::Date;

    fn day(y: i16, m: i8, d: i8) -> i64 {
        to_datetime(Date::new(y, m, d).unwrap()).into_timestamp_secs() / 86_400
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
        let mut counts = Counts::default();
        counts.entities[0].insert("B".into(), 2);
        counts.entities[0].insert("A".into(), 2);
        counts.entities[0].insert("C".into(), 5);
        counts.entities[1].insert("DEA".into(), 1);
        let f = counts.into_facets();
        let names: Vec<_> = f.person.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(names, vec!["C", "A", "B"]);
        assert_eq!(f.org, vec![("DEA".to_string(), 1)]);
        assert!(f.place.is_empty());
    }
}
