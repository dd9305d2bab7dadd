//! Days: the index keeps an article's date as midnight UTC of its day. This
//! is the one place that converts between civil dates, the index's date
//! values and day numbers (days since 1970-01-01), the unit date columns
//! are counted in by facets, statistics and the recency boost.

use jiff::civil::Date;
use tantivy::DateTime;

const SECONDS_PER_DAY: i64 = 86_400;

/// Seconds either side of the epoch the index's nanosecond dates can hold
/// (about years 1684 to 2255); dates beyond are clamped.
const DATE_LIMIT_SECS: i64 = 9_000_000_000;

/// Converts a civil date to the index's date value (midnight UTC), clamped
/// to the range the index can represent.
pub fn to_datetime(date: Date) -> DateTime {
    let days = date
        .since(Date::constant(1970, 1, 1))
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(0);
    DateTime::from_timestamp_secs((days * SECONDS_PER_DAY).clamp(-DATE_LIMIT_SECS, DATE_LIMIT_SECS))
}

/// Converts an index date value back to its civil date.
pub fn from_datetime(value: DateTime) -> Option<Date> {
    let secs = value.into_timestamp_secs();
    let ts = jiff::Timestamp::from_second(secs).ok()?;
    Some(ts.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// The day number of an index date value.
#[inline]
pub fn number(value: DateTime) -> i64 {
    value.into_timestamp_secs().div_euclid(SECONDS_PER_DAY)
}

/// The civil date of a day number.
pub fn date(day: i64) -> Option<Date> {
    from_datetime(DateTime::from_timestamp_secs(day * SECONDS_PER_DAY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_out_of_range_are_clamped_not_overflowed() {
        let low = to_datetime(Date::constant(1, 1, 1));
        let high = to_datetime(Date::constant(9999, 12, 31));
        assert!(low < to_datetime(Date::constant(1800, 1, 1)));
        assert!(high > to_datetime(Date::constant(2200, 1, 1)));
    }

    #[test]
    fn dates_round_trip() {
        for (y, m, d) in [(1970, 1, 1), (1987, 2, 26), (2021, 10, 8), (1963, 5, 3)] {
            let date = Date::new(y, m, d).unwrap();
            assert_eq!(from_datetime(to_datetime(date)), Some(date));
            assert_eq!(super::date(number(to_datetime(date))), Some(date));
        }
        assert_eq!(number(to_datetime(Date::constant(1970, 1, 2))), 1);
        assert_eq!(number(to_datetime(Date::constant(1969, 12, 31))), -1);
    }
}
