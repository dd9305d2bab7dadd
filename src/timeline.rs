//! Timelines: how many articles a search matches per day, week, month or
//! year. The articles are the ones a search of the same request counts
//! (its query, its filters, its relaxed form when nothing has every word),
//! and their dates are counted from the date column by [`crate::facet`],
//! block by block, without reading any stored article.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use crate::day;
use crate::deadline::Deadline;
use crate::error::{Error, Result};
use crate::request::AsRequest;
use crate::search::Engine;

/// The fewest bars a default period aims for.
const FEWEST_BARS: i64 = 20;
/// The most bars a default period aims for.
const MOST_BARS: i64 = 60;

/// The length of a timeline's periods, named `day`, `week`, `month` or
/// `year` on every edge. Weeks begin on Monday.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    strum::Display,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantNames,
)]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum Period {
    /// One day.
    Day,
    /// Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
    /// A calendar year.
    Year,
}

impl Period {
    /// Every period, shortest first.
    pub const ALL: [Period; 4] = [Period::Day, Period::Week, Period::Month, Period::Year];

    /// Parses `day`, `week`, `month` or `year`, case-insensitively.
    pub fn parse(value: &str) -> Result<Period> {
        use strum::VariantNames;
        let value = value.trim();
        value.parse().map_err(|_| {
            Error::parameter(
                "by",
                format!(
                    "'{}' is not one of {}",
                    value.to_ascii_lowercase(),
                    Period::VARIANTS.join(", ")
                ),
            )
        })
    }

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The first day of the period holding `date`.
    pub fn start(self, date: Date) -> Date {
        match self {
            Period::Day => date,
            Period::Week => {
                let back = i64::from(date.weekday().to_monday_zero_offset());
                date.checked_sub(jiff::Span::new().days(back))
                    .unwrap_or(date)
            }
            Period::Month => date.first_of_month(),
            Period::Year => date.first_of_year(),
        }
    }

    /// The first day of the period after the one starting on `start`.
    fn next(self, start: Date) -> Option<Date> {
        let step = match self {
            Period::Day => jiff::Span::new().days(1),
            Period::Week => jiff::Span::new().weeks(1),
            Period::Month => jiff::Span::new().months(1),
            Period::Year => jiff::Span::new().years(1),
        };
        start.checked_add(step).ok()
    }

    /// How many periods of this length the days `first..=last` touch.
    fn bars(self, first: Date, last: Date) -> i64 {
        let (a, b) = (self.start(first), self.start(last));
        let months = |d: Date| i64::from(d.year()) * 12 + i64::from(d.month());
        match self {
            Period::Day | Period::Week => {
                let days = b.since(a).map_or(0, |s| i64::from(s.get_days()));
                days / if self == Period::Day { 1 } else { 7 } + 1
            }
            Period::Month => months(b) - months(a) + 1,
            Period::Year => i64::from(b.year()) - i64::from(a.year()) + 1,
        }
    }

    /// The period that shows `first..=last` in 20 to 60 bars, or the one
    /// closest to that (the shorter one on a tie).
    pub fn fitting(first: Date, last: Date) -> Period {
        let distance = |bars: i64| {
            if bars < FEWEST_BARS {
                FEWEST_BARS - bars
            } else {
                (bars - MOST_BARS).max(0)
            }
        };
        Period::ALL
            .into_iter()
            .min_by_key(|p| (distance(p.bars(first, last)), *p))
            .unwrap_or(Period::Month)
    }
}

/// Articles in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    /// The first day of the period.
    pub start: Date,
    /// Matching articles dated within it.
    pub count: u64,
}

/// The answer to a timeline request.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The query text as given.
    pub query: String,
    /// Every matching article, dated or not (a search's total).
    pub total: usize,
    /// The length of each period.
    pub by: Period,
    /// Every period from the first matching date to the last, in order,
    /// empty ones included.
    pub buckets: Vec<Bucket>,
    /// Matching articles without a date.
    pub undated: u64,
}

/// Groups day counts (days since the epoch) into periods of `by`, or of
/// the period that fits their span: every period from the first to the
/// last, in order.
pub fn buckets(days: &HashMap<i64, u64>, by: Option<Period>) -> (Period, Vec<Bucket>) {
    let dated: Vec<(Date, u64)> = days
        .iter()
        .filter(|(_, n)| **n > 0)
        .filter_map(|(d, n)| Some((day::date(*d)?, *n)))
        .collect();
    let (Some(first), Some(last)) = (
        dated.iter().map(|d| d.0).min(),
        dated.iter().map(|d| d.0).max(),
    ) else {
        return (by.unwrap_or(Period::Month), Vec::new());
    };
    let by = by.unwrap_or_else(|| Period::fitting(first, last));
    let mut counts: BTreeMap<Date, u64> = BTreeMap::new();
    for (date, n) in dated {
        *counts.entry(by.start(date)).or_default() += n;
    }
    let end = by.start(last);
    let mut list = Vec::new();
    let mut start = Some(by.start(first));
    while let Some(s) = start.filter(|s| *s <= end) {
        list.push(Bucket {
            start: s,
            count: counts.get(&s).copied().unwrap_or(0),
        });
        start = by.next(s);
    }
    (by, list)
}

impl Engine {
    /// The timeline of a search: its matching articles per period of `by`
    /// (or of the period that fits their span).
    pub fn timeline(&self, request: &impl AsRequest, by: Option<Period>) -> Result<Timeline> {
        self.timeline_within(request, by, &Deadline::none())
    }

    /// [`Engine::timeline`], stopped with [`Error::Cancelled`] once
    /// `deadline` passes.
    pub fn timeline_within(
        &self,
        request: &impl AsRequest,
        by: Option<Period>,
        deadline: &Deadline,
    ) -> Result<Timeline> {
        let request = request.as_request()?;
        let request = request.as_ref();
        let searcher = self.searcher();
        let schema = self.store().index.schema();
        let dates_only = || {
            self.facet_collector(&searcher)
                .counting(&self.store().fields, &schema, &[])
        };
        let (counts, total, _) = self.collect_matching(&searcher, request, dates_only, deadline)?;
        let (by, buckets) = buckets(counts.days(), by);
        Ok(Timeline {
            query: request.query.text().to_string(),
            total,
            by,
            buckets,
            undated: counts.undated(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn days(dates: &[(Date, u64)]) -> HashMap<i64, u64> {
        dates
            .iter()
            .map(|(date, n)| (day::number(day::to_datetime(*date)), *n))
            .collect()
    }

    #[test]
    fn periods_start_on_their_first_day() {
        // 2021-10-08 was a Friday.
        assert_eq!(Period::Week.start(d(2021, 10, 8)), d(2021, 10, 4));
        assert_eq!(Period::Week.start(d(2021, 10, 4)), d(2021, 10, 4));
        assert_eq!(Period::Week.start(d(2021, 10, 10)), d(2021, 10, 4));
        assert_eq!(Period::Month.start(d(2021, 10, 8)), d(2021, 10, 1));
        assert_eq!(Period::Year.start(d(2021, 10, 8)), d(2021, 1, 1));
        assert_eq!(Period::Day.start(d(2021, 10, 8)), d(2021, 10, 8));
    }

    #[test]
    fn empty_periods_between_are_kept_in_order() {
        let (by, list) = buckets(
            &days(&[(d(2021, 1, 30), 2), (d(2021, 4, 2), 1), (d(2021, 1, 3), 1)]),
            Some(Period::Month),
        );
        assert_eq!(by, Period::Month);
        let got: Vec<(String, u64)> = list
            .iter()
            .map(|b| (b.start.to_string(), b.count))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2021-01-01".to_string(), 3),
                ("2021-02-01".to_string(), 0),
                ("2021-03-01".to_string(), 0),
                ("2021-04-01".to_string(), 1),
            ]
        );
        assert!(buckets(&HashMap::new(), None).1.is_empty());
    }

    #[test]
    fn the_default_period_gives_twenty_to_sixty_bars() {
        for (first, last, expected) in [
            (d(2021, 10, 1), d(2021, 10, 31), Period::Day),
            (d(2021, 1, 1), d(2021, 9, 30), Period::Week),
            (d(2018, 1, 1), d(2021, 12, 31), Period::Month),
            (d(1970, 1, 1), d(2021, 12, 31), Period::Year),
            // Too short for 20 bars of anything: days.
            (d(2021, 10, 1), d(2021, 10, 3), Period::Day),
        ] {
            let by = Period::fitting(first, last);
            assert_eq!(by, expected, "{first}..{last}");
            let (_, list) = buckets(&days(&[(first, 1), (last, 1)]), None);
            assert_eq!(list.len() as i64, by.bars(first, last));
            if expected != Period::Day || last > d(2021, 10, 3) {
                assert!((20..=60).contains(&list.len()), "{first}..{last}");
            }
        }
        // Five centuries: years, however many.
        assert_eq!(Period::fitting(d(1700, 1, 1), d(2200, 1, 1)), Period::Year);
    }

    #[test]
    fn period_names() {
        assert_eq!(Period::parse("Week").unwrap(), Period::Week);
        assert_eq!(Period::Month.name(), "month");
        assert!(matches!(
            Period::parse("fortnight"),
            Err(Error::Parameter { name: "by", .. })
        ));
    }
}
