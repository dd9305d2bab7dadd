//! Article dates: parsing the forms news uses ("March 5, 2021", "5 Mar 2021",
//! "26-FEB-1987", "2021-03-05", RFC 3339 and RFC 2822 stamps), and finding one
//! in a file path or in the dateline or byline at the top of an article.
//!
//! Only absolute dates with a year are ever taken: "last week" or "on Tuesday"
//! name no day on their own, and a file's modification time is not a
//! publication date, so neither is ever used.

use std::sync::OnceLock;

use jiff::civil::Date;
use regex::Regex;

/// Where an article's date was found.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::Display, strum::IntoStaticStr, strum::EnumString,
)]
#[strum(serialize_all = "kebab-case")]
pub enum DateSource {
    /// A `date:` key in front matter, a header line or a structured record.
    Metadata,
    /// The file name or a folder of its path.
    Path,
    /// The path of the page's URL (`/2021/03/05/story`).
    Url,
    /// A dateline or byline near the top of the text.
    Text,
}

impl DateSource {
    /// The source stored under `name` (the inverse of [`DateSource::name`]).
    pub fn from_name(name: &str) -> Option<DateSource> {
        name.parse().ok()
    }

    /// The name stored in the index and shown to users.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// Earliest and latest years accepted: outside them a number is not a news date.
const MIN_YEAR: i16 = 1800;
const MAX_YEAR: i16 = 2200;

/// How far into the body a dateline or byline may sit, in bytes.
const TOP_BYTES: usize = 500;
/// How many non-empty lines at the top of the body are searched.
const TOP_LINES: usize = 4;

fn month_number(name: &str) -> Option<i8> {
    let lower = name.to_ascii_lowercase();
    let lower = lower.trim_end_matches('.');
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if lower == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == lower || (lower.len() == 3 && m.starts_with(lower)))
        .map(|i| i as i8 + 1)
}

fn make(year: &str, month: i8, day: &str) -> Option<Date> {
    let year: i16 = year.parse().ok()?;
    let day: i8 = day.parse().ok()?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return None;
    }
    Date::new(year, month, day).ok()
}

const MONTH: &str = r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
const DAY: &str = r"(\d{1,2})(?:st|nd|rd|th)?";

struct Patterns {
    iso: Regex,
    compact: Regex,
    month_day_year: Regex,
    day_month_year: Regex,
    day_mon_year_dashed: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let build = |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("date pattern {p}: {e}"));
        Patterns {
            iso: build(r"(?:^|[^\d])(\d{4})[-/._](\d{1,2})[-/._](\d{1,2})(?:[^\d]|$)"),
            compact: build(r"(?:^|[^\d])(\d{4})(\d{2})(\d{2})(?:[^\d]|$)"),
            // ASCII word boundaries: dates are ASCII, and Unicode ones force
            // the slow backtracking engine.
            month_day_year: build(&format!(r"(?-u:\b)({MONTH})\s+{DAY},?\s+(\d{{4}})(?-u:\b)")),
            day_month_year: build(&format!(
                r"(?-u:\b){DAY}\s+(?:of\s+)?({MONTH}),?\s+(\d{{4}})(?-u:\b)"
            )),
            day_mon_year_dashed: build(&format!(
                r"(?-u:\b)(\d{{1,2}})-({MONTH})-(\d{{4}})(?-u:\b)"
            )),
        }
    })
}

/// Finds the first absolute date written in `text`, in any accepted form,
/// with the byte range of the matched text.
fn find_in_text(text: &str) -> Option<(std::ops::Range<usize>, Date)> {
    let p = patterns();
    let mut best: Option<(std::ops::Range<usize>, Date)> = None;
    let mut consider = |span: std::ops::Range<usize>, date: Option<Date>| {
        if let Some(date) = date
            && best.as_ref().is_none_or(|(b, _)| span.start < b.start)
        {
            best = Some((span, date));
        }
    };
    for c in p.iso.captures_iter(text) {
        let span = c.get(1).map_or(0, |m| m.start())..c.get(3).map_or(0, |m| m.end());
        let month = c[2].parse().ok();
        consider(span, month.and_then(|m| make(&c[1], m, &c[3])));
    }
    let whole = |c: &regex::Captures| c.get(0).map_or(0..0, |m| m.range());
    for c in p.month_day_year.captures_iter(text) {
        consider(
            whole(&c),
            month_number(&c[1]).and_then(|m| make(&c[3], m, &c[2])),
        );
    }
    for c in p.day_month_year.captures_iter(text) {
        consider(
            whole(&c),
            month_number(&c[2]).and_then(|m| make(&c[3], m, &c[1])),
        );
    }
    for c in p.day_mon_year_dashed.captures_iter(text) {
        consider(
            whole(&c),
            month_number(&c[2]).and_then(|m| make(&c[3], m, &c[1])),
        );
    }
    best
}

/// Parses a whole date value from metadata: ISO dates and timestamps
/// (`2021-03-05`, `2021-03-05T10:00:00Z`), compact `20210305`, RFC 2822
/// (`Tue, 09 Mar 2021 10:00:00 +0000`) and the written forms.
pub fn parse(value: &str) -> Option<Date> {
    let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if value.is_empty() {
        return None;
    }
    if let Ok(ts) = value.parse::<jiff::Timestamp>() {
        let date = ts.to_zoned(jiff::tz::TimeZone::UTC).date();
        return (MIN_YEAR..=MAX_YEAR).contains(&date.year()).then_some(date);
    }
    if let Ok(date) = jiff::fmt::rfc2822::parse(value) {
        return Some(date.date());
    }
    if let Some(c) = patterns().compact.captures(value)
        && value.len() == 8
    {
        return c[2].parse().ok().and_then(|m| make(&c[1], m, &c[3]));
    }
    find_in_text(value).map(|(_, d)| d)
}

/// Finds a date in a path: the file name first, then its folders from the
/// deepest up, in the forms `2021-03-05`, `2021_03_05`, `2021/03/05` (folders)
/// and `20210305`.
pub fn from_path(path: &str) -> Option<Date> {
    let p = patterns();
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|s| !s.is_empty()).collect();
    // A date spread over folders: .../2021/03/05/story.txt
    for window in (3..=parts.len()).rev() {
        let slice = &parts[window - 3..window];
        if slice[0].len() == 4
            && slice.iter().all(|s| s.chars().all(|c| c.is_ascii_digit()))
            && slice[1].len() <= 2
            && slice[2].len() <= 2
            && let Some(date) = slice[1]
                .parse()
                .ok()
                .and_then(|m| make(slice[0], m, slice[2]))
        {
            return Some(date);
        }
    }
    for part in parts.iter().rev() {
        let found = p
            .iso
            .captures(part)
            .and_then(|c| c[2].parse().ok().and_then(|m| make(&c[1], m, &c[3])))
            .or_else(|| {
                p.compact
                    .captures(part)
                    .and_then(|c| c[2].parse().ok().and_then(|m| make(&c[1], m, &c[3])))
            });
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Finds a date in the path of a URL (`https://site/2021/03/05/story`,
/// `/news/2021-03-05-story.html`); the host and the query are not read.
pub fn from_url(url: &str) -> Option<Date> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("");
    from_path(path)
}

/// Parses a capture time (`2021-03-05T10:00:00Z`, RFC 2822 `Fri, 5 Mar 2021
/// 10:00:00 -0000`).
pub fn parse_timestamp(value: &str) -> Option<jiff::Timestamp> {
    let value = value.trim();
    value
        .parse::<jiff::Timestamp>()
        .ok()
        .or_else(|| jiff::fmt::rfc2822::parse(value).ok().map(|z| z.timestamp()))
}

/// Finds a dateline or byline date in the first lines of an article's body.
pub fn from_dateline(body: &str) -> Option<Date> {
    dateline(body).map(|(d, _)| d)
}

/// Like [`from_dateline`], with the byte range of the text the date was
/// read from (for evaluation and display).
///
/// A date counts only where a dateline or byline puts it: alone on a short
/// line, or after a place, weekday or byline ("MEXICO CITY, March 5, 2021
/// (Wire) —", "By Ana López | 5 Mar 2021", "Published 2020-11-02") and before
/// the end of the line or dateline punctuation. A date inside a sentence
/// ("effective April 1, 1987") is some other date, not the article's.
pub fn dateline(body: &str) -> Option<(Date, std::ops::Range<usize>)> {
    let mut offset = 0;
    let mut lines = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if line.trim().is_empty() {
            continue;
        }
        lines += 1;
        if lines > TOP_LINES || start >= TOP_BYTES {
            break;
        }
        let mut end = line.len().min(TOP_BYTES);
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        let head = &line[..end];
        if let Some((span, date)) = find_in_text(head)
            && is_dateline(head, &span)
        {
            return Some((date, start + span.start..start + span.end));
        }
    }
    None
}

/// Whether the date at `span` of `line` sits where a dateline or byline
/// puts it.
fn is_dateline(line: &str, span: &std::ops::Range<usize>) -> bool {
    let before = line[..span.start].trim();
    let after = line[span.end..].trim();
    const BYLINE: [&str; 8] = [
        "by",
        "published",
        "updated",
        "posted",
        "date",
        "dated",
        "filed",
        "dateline",
    ];
    let words: Vec<&str> = before.split_whitespace().collect();
    let first = words
        .first()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    let is_weekday = |w: &str| {
        let w = w.to_ascii_lowercase();
        [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]
        .iter()
        .any(|d| w.starts_with(&d[..3]) && d.starts_with(w.as_str()))
    };
    let place = |w: &str| w.len() > 1 && w.chars().all(|c| !c.is_lowercase());
    let capitalised = |w: &&str| !w.starts_with(|c: char| c.is_lowercase());
    let prefix_ok = before.is_empty()
        // "LONDON", "MEXICO CITY,", "NOGALES, Ariz.,", "SANTA CRUZ , Bolivia", "Tuesday,"
        || (before.chars().count() <= 60
            && first.is_some_and(|w| place(w) || is_weekday(w))
            && words.iter().all(capitalised))
        // "By Ana López |", "Published", "Updated:" (the line opens with the marker)
        || first.is_some_and(|w| BYLINE.contains(&w.to_ascii_lowercase().as_str()))
        || before.ends_with(['|', '—', '–', '·']);
    // The date ends the line or is followed by dateline punctuation; a date
    // followed by words ("April 1, 1987, to holders") is part of a sentence.
    let suffix_ok = after.is_empty()
        || after.starts_with(['(', '—', '–', '-', '|', '·', '/', '['])
        || after.starts_with(|c: char| c.is_ascii_digit())
        || after.starts_with("by ");
    prefix_ok && suffix_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_source_names_read_back() {
        for source in [DateSource::Metadata, DateSource::Path, DateSource::Text] {
            assert_eq!(DateSource::from_name(source.name()), Some(source));
        }
        assert_eq!(DateSource::from_name("mtime"), None);
    }

    fn d(y: i16, m: i8, day: i8) -> Option<Date> {
        Some(Date::new(y, m, day).unwrap())
    }

    #[test]
    fn metadata_values() {
        assert_eq!(parse("2021-03-05"), d(2021, 3, 5));
        assert_eq!(parse("\"2021-03-05\""), d(2021, 3, 5));
        assert_eq!(parse("2021-03-05T23:30:00Z"), d(2021, 3, 5));
        assert_eq!(parse("2021-03-05T23:30:00-05:00"), d(2021, 3, 6));
        assert_eq!(parse("Tue, 09 Mar 2021 10:00:00 +0000"), d(2021, 3, 9));
        assert_eq!(parse("20210305"), d(2021, 3, 5));
        assert_eq!(parse("March 5, 2021"), d(2021, 3, 5));
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse("2021-02-30"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn written_forms() {
        let cases = [
            ("MEXICO CITY, March 5, 2021 (Wire) —", d(2021, 3, 5)),
            ("By Ana López | 5 Mar 2021", d(2021, 3, 5)),
            ("Feb 26, 1987", d(1987, 2, 26)),
            ("Feb. 26, 1987", d(1987, 2, 26)),
            ("26-FEB-1987", d(1987, 2, 26)),
            ("Tuesday, 9 March 2021", d(2021, 3, 9)),
            ("the 9th of March, 2021", d(2021, 3, 9)),
            ("September 30th 2019", d(2019, 9, 30)),
            ("Sept 3, 2019", d(2019, 9, 3)),
            ("LEEDS 2004-06-19", d(2004, 6, 19)),
            ("Published 2020-11-02", d(2020, 11, 2)),
        ];
        for (text, want) in cases {
            assert_eq!(find_in_text(text).map(|(_, d)| d), want, "{text}");
        }
    }

    #[test]
    fn relative_and_partial_dates_are_not_dates() {
        for text in [
            "last week",
            "on Tuesday",
            "March 5",
            "in March 2021",
            "the week ended February 22",
            "2021",
            "155,221 bags",
            "call 555-1234",
            "a 5-3 vote in May",
        ] {
            assert_eq!(find_in_text(text), None, "{text}");
        }
    }

    #[test]
    fn paths() {
        assert_eq!(from_path("news/2021-03-05-ebrard.txt"), d(2021, 3, 5));
        assert_eq!(from_path("news/2021_03_05.md"), d(2021, 3, 5));
        assert_eq!(from_path("/a/2021/03/05/story.txt"), d(2021, 3, 5));
        assert_eq!(from_path("/a/20210305-story.txt"), d(2021, 3, 5));
        assert_eq!(
            from_path("/a/2019-01-01/2021-03-05-story.txt"),
            d(2021, 3, 5)
        );
        assert_eq!(from_path("/a/story-123456789.txt"), None);
        assert_eq!(from_path("/a/2021/13/05/story.txt"), None);
        assert_eq!(from_path("/a/story.txt"), None);
    }

    #[test]
    fn dates_inside_sentences_are_not_datelines() {
        for body in [
            "The company said the dividend is payable April 1, 1987, to holders of record.",
            "Effective March 31, 1988, the bank will raise its prime rate to 8 pct.",
            "Shareholders will vote on May 1, 1996 on the proposal.",
        ] {
            assert_eq!(from_dateline(body), None, "{body}");
        }
        for (body, want) in [
            (
                "NOGALES, Ariz., May 11, 2022 (Atlas News Agency) — Agents seized...",
                d(2022, 5, 11),
            ),
            (
                "By Tomás Ibáñez | 5 Mar 2021\n\nThe match...",
                d(2021, 3, 5),
            ),
            (
                "Headline words\nLEEDS 2004-06-19\nText follows here.",
                d(2004, 6, 19),
            ),
            (
                "WASHINGTON, Oct. 15, 2019 (Meridian Wire) — The fund said...",
                d(2019, 10, 15),
            ),
        ] {
            assert_eq!(from_dateline(body), want, "{body}");
        }
    }

    #[test]
    fn datelines_only_near_the_top() {
        assert_eq!(
            from_dateline("LONDON, 14 February 2022 —\nThe bank said..."),
            d(2022, 2, 14)
        );
        let late = format!(
            "{}\nIt happened on March 5, 2021.",
            "Words words words.\n".repeat(10)
        );
        assert_eq!(from_dateline(&late), None);
    }

    #[test]
    fn dates_in_url_paths_only() {
        let d = |u: &str| from_url(u);
        assert_eq!(
            d("https://news.example/2021/03/05/port-strike?ref=2020-01-01"),
            Some(Date::constant(2021, 3, 5))
        );
        assert_eq!(
            d("http://x.test/world/2019-11-02-talks.html"),
            Some(Date::constant(2019, 11, 2))
        );
        assert_eq!(d("https://2021-03-05.example/story"), None);
        assert_eq!(d("https://x.test/story?date=2021-03-05"), None);
        assert_eq!(d("https://x.test/2021/03/story"), None);
        assert_eq!(
            parse_timestamp("2024-05-01T12:00:00.123456Z").map(|t| t.as_second()),
            Some(1714564800)
        );
        assert!(parse_timestamp("Fri, 5 Mar 2021 10:00:00 -0000").is_some());
        assert_eq!(parse_timestamp("yesterday"), None);
    }
}
