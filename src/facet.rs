//! Facets of a whole result set (not just the page shown): the most frequent
//! people, organisations and places among the matching articles, and a
//! histogram of their dates by month or by year.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::day;
use crate::entity::EntityKind;
use crate::schema::Fields;

/// Entries kept per entity kind.
pub const TOP_ENTITIES: usize = 10;
/// Above this span (in months) the date histogram counts years instead of months.
const MONTHLY_SPAN_MONTHS: i32 = 36;

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
    kinds: Vec<(EntityKind, String)>,
    date: String,
}

impl FacetCollector {
    /// A collector over the schema's entity and date columns.
    pub fn new(fields: &Fields, schema: &tantivy::schema::Schema) -> FacetCollector {
        let kinds = [EntityKind::Person, EntityKind::Org, EntityKind::Place]
            .into_iter()
            .map(|k| (k, schema.get_field_name(fields.kind_names(k)).to_string()))
            .collect();
        FacetCollector {
            kinds,
            date: schema.get_field_name(fields.date).to_string(),
        }
    }
}

/// Counts gathered from one segment, already keyed by value.
#[derive(Default)]
pub struct Counts {
    entities: HashMap<(EntityKind, String), u64>,
    /// Days since the epoch -> articles.
    days: HashMap<i64, u64>,
}

/// Counts of the values of one string column over documents of one segment,
/// by term ordinal: each value's string is looked up once, not per document.
pub(crate) struct OrdCounts {
    column: Option<StrColumn>,
    counts: Vec<u32>,
}

impl OrdCounts {
    /// Counts for `column` (`None`: a segment without the column).
    pub(crate) fn new(column: Option<StrColumn>) -> OrdCounts {
        let size = column.as_ref().map_or(0, |c| c.num_terms());
        OrdCounts {
            column,
            counts: vec![0; size],
        }
    }

    /// Counts the values of `doc`.
    pub(crate) fn add(&mut self, doc: DocId) {
        if let Some(column) = &self.column {
            for ord in column.term_ords(doc) {
                if let Some(c) = self.counts.get_mut(ord as usize) {
                    *c += 1;
                }
            }
        }
    }

    /// Calls `f` with each counted value and its count.
    pub(crate) fn each(self, mut f: impl FnMut(&str, u64)) {
        let Some(column) = self.column else { return };
        let mut buf = String::new();
        for (ord, n) in self.counts.into_iter().enumerate() {
            if n == 0 {
                continue;
            }
            buf.clear();
            if column.ord_to_str(ord as u64, &mut buf).unwrap_or(false) {
                f(&buf, u64::from(n));
            }
        }
    }
}

/// The per-segment side of [`FacetCollector`].
pub struct FacetSegment {
    columns: Vec<(EntityKind, OrdCounts)>,
    date: Option<Column<tantivy::DateTime>>,
    days: HashMap<i64, u64>,
}

impl Collector for FacetCollector {
    type Fruit = Counts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let ff = segment.fast_fields();
        let mut columns = Vec::new();
        for (kind, name) in &self.kinds {
            columns.push((*kind, OrdCounts::new(ff.str(name)?)));
        }
        Ok(FacetSegment {
            columns,
            date: ff.date(&self.date).ok(),
            days: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut merged = Counts::default();
        for fruit in fruits {
            for (key, n) in fruit.entities {
                *merged.entities.entry(key).or_default() += n;
            }
            for (day, n) in fruit.days {
                *merged.days.entry(day).or_default() += n;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (_, counts) in &mut self.columns {
            counts.add(doc);
        }
        if let Some(date) = self.date.as_ref().and_then(|c| c.first(doc)) {
            *self.days.entry(day::number(date)).or_default() += 1;
        }
    }

    fn harvest(self) -> Counts {
        let mut entities = HashMap::new();
        for (kind, counts) in self.columns {
            counts.each(|name, n| *entities.entry((kind, name.to_string())).or_default() += n);
        }
        Counts {
            entities,
            days: self.days,
        }
    }
}

impl Counts {
    /// The top entities per kind and the date histogram.
    pub fn into_facets(self) -> Facets {
        let mut by_kind: HashMap<EntityKind, Vec<(String, u64)>> = HashMap::new();
        for ((kind, name), n) in self.entities {
            by_kind.entry(kind).or_default().push((name, n));
        }
        let mut top = |kind| {
            let mut list = by_kind.remove(&kind).unwrap_or_default();
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            list.truncate(TOP_ENTITIES);
            list
        };
        Facets {
            person: top(EntityKind::Person),
            org: top(EntityKind::Org),
            place: top(EntityKind::Place),
            date: histogram(&self.days),
        }
    }
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
        let mut counts = Counts::default();
        counts.entities.insert((EntityKind::Person, "B".into()), 2);
        counts.entities.insert((EntityKind::Person, "A".into()), 2);
        counts.entities.insert((EntityKind::Person, "C".into()), 5);
        counts.entities.insert((EntityKind::Org, "DEA".into()), 1);
        let f = counts.into_facets();
        let names: Vec<_> = f.person.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(names, vec!["C", "A", "B"]);
        assert_eq!(f.org, vec![("DEA".to_string(), 1)]);
        assert!(f.place.is_empty());
    }
}
