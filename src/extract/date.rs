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
    /// A `date:` key in front matter, a header line or a structured record;
    /// a web page's publication meta tag.
    Metadata,
    /// A web page's schema.org JSON-LD (`datePublished`).
    JsonLd,
    /// The path of the page's own URL (`/2021/03/05/`).
    Url,
    /// A date shown on a web page near its headline (a `<time>` element, a
    /// byline or date line).
    Markup,
    /// The file name or a folder of its path.
    Path,
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

/// Month names and their usual abbreviations in the languages the index
/// analyses (English, German, French, Spanish, Portuguese, Italian) and
/// Dutch, lower case.
const MONTH_NAMES: &[(&str, i8)] = &[
    ("january", 1),
    ("januar", 1),
    ("janvier", 1),
    ("janv", 1),
    ("jan", 1),
    ("jänner", 1),
    ("enero", 1),
    ("ene", 1),
    ("janeiro", 1),
    ("gennaio", 1),
    ("gen", 1),
    ("januari", 1),
    ("february", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("feb", 2),
    ("febrero", 2),
    ("fevereiro", 2),
    ("febbraio", 2),
    ("februari", 2),
    ("march", 3),
    ("märz", 3),
    ("maerz", 3),
    ("mars", 3),
    ("marzo", 3),
    ("março", 3),
    ("maart", 3),
    ("mar", 3),
    ("mär", 3),
    ("april", 4),
    ("avril", 4),
    ("abril", 4),
    ("aprile", 4),
    ("apr", 4),
    ("avr", 4),
    ("abr", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("maio", 5),
    ("maggio", 5),
    ("mei", 5),
    ("june", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("junho", 6),
    ("giugno", 6),
    ("jun", 6),
    ("july", 7),
    ("juli", 7),
    ("juillet", 7),
    ("juil", 7),
    ("julio", 7),
    ("julho", 7),
    ("luglio", 7),
    ("jul", 7),
    ("august", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("augustus", 8),
    ("aug", 8),
    ("ago", 8),
    ("september", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setembro", 9),
    ("settembre", 9),
    ("sept", 9),
    ("sep", 9),
    ("set", 9),
    ("october", 10),
    ("oktober", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("outubro", 10),
    ("ottobre", 10),
    ("oct", 10),
    ("okt", 10),
    ("out", 10),
    ("ott", 10),
    ("november", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("nov", 11),
    ("december", 12),
    ("dezember", 12),
    ("décembre", 12),
    ("diciembre", 12),
    ("dicembre", 12),
    ("dezembro", 12),
    ("dec", 12),
    ("dez", 12),
    ("dic", 12),
    ("déc", 12),
    // Russian and Ukrainian, in the genitive a date uses.
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    ("січня", 1),
    ("лютого", 2),
    ("березня", 3),
    ("квітня", 4),
    ("травня", 5),
    ("червня", 6),
    ("липня", 7),
    ("серпня", 8),
    ("вересня", 9),
    ("жовтня", 10),
    ("листопада", 11),
    ("грудня", 12),
];

fn month_number(name: &str) -> Option<i8> {
    let lower = name.to_lowercase();
    let lower = lower.trim_end_matches('.');
    MONTH_NAMES
        .iter()
        .find(|(m, _)| *m == lower)
        .map(|&(_, n)| n)
}

/// The month-name alternation of the patterns, longest names first so that
/// "march" wins over "mar".
fn month_alternation() -> String {
    let mut names: Vec<&str> = MONTH_NAMES.iter().map(|(m, _)| *m).collect();
    names.sort_by_key(|m| std::cmp::Reverse(m.chars().count()));
    format!("(?i:{})\\.?", names.join("|"))
}

fn make(year: &str, month: i8, day: &str) -> Option<Date> {
    let year: i16 = year.parse().ok()?;
    let day: i8 = day.parse().ok()?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return None;
    }
    Date::new(year, month, day).ok()
}

const DAY: &str = r"(\d{1,2})(?:st|nd|rd|th|er|º)?";

struct Patterns {
    iso: Regex,
    compact: Regex,
    month_day_year: Regex,
    day_month_year: Regex,
    day_mon_year_dashed: Regex,
    dotted: Regex,
    slashed: Regex,
    short: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let build = |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("date pattern {p}: {e}"));
        let month = month_alternation();
        Patterns {
            iso: build(r"(?:^|[^\d])(\d{4})[-/._](\d{1,2})[-/._](\d{1,2})(?:[^\d]|$)"),
            compact: build(r"(?:^|[^\d])(\d{4})(\d{2})(\d{2})(?:[^\d]|$)"),
            // ASCII word boundaries: dates are ASCII, and Unicode ones force
            // the slow backtracking engine.
            month_day_year: build(&format!(r"(?-u:\b)({month})\s+{DAY},?\s+(\d{{4}})(?-u:\b)")),
            // "5 March 2021", "5. März 2021", "5 de marzo de 2021", "9th of March, 2021"
            day_month_year: build(&format!(
                r"(?-u:\b){DAY}\.?\s*(?:of\s+|de\s+)?({month}),?\s+(?:de\s+)?(\d{{4}})(?-u:\b)"
            )),
            day_mon_year_dashed: build(&format!(
                r"(?-u:\b)(\d{{1,2}})-({month})-(\d{{4}})(?-u:\b)"
            )),
            // "05.03.2021", "5.3.2021": day first, as Europe writes it.
            dotted: build(r"(?:^|[^\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:[^\d]|$)"),
            // "26/10/2018", "10/26/2018": read only when one order is impossible.
            slashed: build(r"(?:^|[^\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?:[^\d/]|$)"),
            // "31.10.23", "26/10/13": day first, a year of two digits.
            short: build(
                r"(?:^|[^\d./])(\d{1,2})([./])(\d{1,2})[./](\d{2})(?:[^\d./]|[./](?:[^\d]|$)|$)",
            ),
        }
    })
}

/// Like [`all_in_text`], also reading the short forms a web page shows in
/// its byline or date line: a year of two digits (`31.10.23`, `26/10/13`,
/// day first), read as the latest such year not after `latest`.
pub fn all_in_page_text(text: &str, latest: Date) -> Vec<(std::ops::Range<usize>, Date)> {
    let mut found = all_in_text(text);
    for c in patterns().short.captures_iter(text) {
        let span = c.get(1).map_or(0, |m| m.start())..c.get(4).map_or(0, |m| m.end());
        if found
            .iter()
            .any(|(s, _)| s.start < span.end && span.start < s.end)
        {
            continue;
        }
        let (Ok(day), Ok(month), Ok(yy)) =
            (c[1].parse::<i8>(), c[3].parse::<i8>(), c[4].parse::<i16>())
        else {
            continue;
        };
        let century = latest.year() - latest.year() % 100;
        let year = if century + yy <= latest.year() {
            century + yy
        } else {
            century - 100 + yy
        };
        if let Ok(date) = Date::new(year, month, day) {
            found.push((span, date));
        }
    }
    found.sort_by_key(|(s, _)| s.start);
    found
}

/// Every absolute date written in `text`, in any accepted form, with the
/// byte range of the matched text, in text order.
pub fn all_in_text(text: &str) -> Vec<(std::ops::Range<usize>, Date)> {
    let p = patterns();
    let mut found: Vec<(std::ops::Range<usize>, Date)> = Vec::new();
    let mut consider = |span: std::ops::Range<usize>, date: Option<Date>| {
        if let Some(date) = date
            && !found
                .iter()
                .any(|(s, _)| s.start < span.end && span.start < s.end)
        {
            found.push((span, date));
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
    for c in p.dotted.captures_iter(text) {
        let span = c.get(1).map_or(0, |m| m.start())..c.get(3).map_or(0, |m| m.end());
        let month = c[2].parse().ok();
        consider(span, month.and_then(|m| make(&c[3], m, &c[1])));
    }
    for c in p.slashed.captures_iter(text) {
        let span = c.get(1).map_or(0, |m| m.start())..c.get(3).map_or(0, |m| m.end());
        let (a, b): (i8, i8) = (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0));
        let date = match (a > 12, b > 12) {
            (true, false) => make(&c[3], b, &c[1]),
            (false, true) => make(&c[3], a, &c[2]),
            // `08/08/2017` reads the same both ways.
            (false, false) if a == b => make(&c[3], a, &c[2]),
            _ => None,
        };
        consider(span, date);
    }
    found.sort_by_key(|(s, _)| s.start);
    found
}

/// A date written `11/01/2023` in a metadata value: month first, as the
/// systems that write such values do, unless the first number cannot be a
/// month.
fn slashed_value(value: &str) -> Option<Date> {
    let c = patterns().slashed.captures(value)?;
    if c.get(1)?.start() != 0 {
        return None;
    }
    let (a, b): (i8, i8) = (c[1].parse().ok()?, c[2].parse().ok()?);
    if a > 12 {
        make(&c[3], b, &c[1])
    } else {
        make(&c[3], a, &c[2])
    }
}

/// Finds the first absolute date written in `text`, in any accepted form,
/// with the byte range of the matched text.
fn find_in_text(text: &str) -> Option<(std::ops::Range<usize>, Date)> {
    all_in_text(text).into_iter().next()
}

/// Parses a whole date value from metadata: ISO dates and timestamps
/// (`2021-03-05`, `2021-03-05T10:00:00Z`), compact `20210305`, RFC 2822
/// (`Tue, 09 Mar 2021 10:00:00 +0000`) and the written forms.
pub fn parse(value: &str) -> Option<Date> {
    let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if value.is_empty() {
        return None;
    }
    // A stamp's day is the day as written where it was published: the
    // offset that follows it is not applied ("2021-03-05T23:30:00-05:00"
    // was published on the 5th).
    if let Some(day) = value.get(..10)
        && value[10..].starts_with(['T', 't', ' '])
        && let Ok(date) = day.parse::<Date>()
    {
        return (MIN_YEAR..=MAX_YEAR).contains(&date.year()).then_some(date);
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
    slashed_value(value).or_else(|| find_in_text(value).map(|(_, d)| d))
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

/// Finds a full date in the path of a URL: folders `/2021/03/05/`, or one
/// segment holding `2021-03-05`, `2021_03_05` or `20210305` (a compact date
/// only from years 19xx and 20xx, so that an article number is not read as
/// one).
pub fn from_url_path(path: &str) -> Option<Date> {
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    for w in parts.windows(3) {
        if w[0].len() == 4
            && (1..=2).contains(&w[1].len())
            && w.iter().all(|s| s.bytes().all(|b| b.is_ascii_digit()))
            && let Some(date) = w[1].parse().ok().and_then(|m| make(w[0], m, w[2]))
        {
            return Some(date);
        }
        // `/2020/oct/02/story`: the month by its name
        if w[0].len() == 4
            && w[0].bytes().chain(w[2].bytes()).all(|b| b.is_ascii_digit())
            && (1..=2).contains(&w[2].len())
            && w[1].bytes().all(|b| b.is_ascii_alphabetic())
            && let Some(date) = month_number(w[1]).and_then(|m| make(w[0], m, w[2]))
        {
            return Some(date);
        }
        // `/2021/03/05-story.html`
        if w[0].len() == 4
            && w[1].len() == 2
            && w[0].bytes().chain(w[1].bytes()).all(|b| b.is_ascii_digit())
            && w[2].len() > 2
            && w[2].as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && !w[2].as_bytes()[2].is_ascii_digit()
            && let Some(date) = w[1].parse().ok().and_then(|m| make(w[0], m, &w[2][..2]))
        {
            return Some(date);
        }
    }
    static ISO: OnceLock<Regex> = OnceLock::new();
    let iso = ISO.get_or_init(|| {
        Regex::new(r"(?:^|[^\d])((?:19|20)\d{2})[-_]?(\d{2})[-_]?(\d{2})(?:[^\d]|$)")
            .unwrap_or_else(|e| panic!("url date pattern: {e}"))
    });
    static DMY: OnceLock<Regex> = OnceLock::new();
    let dmy = DMY.get_or_init(|| {
        Regex::new(r"(?:^|[^\d])(\d{2})-(\d{2})-((?:19|20)\d{2})(?:[^\d]|$)")
            .unwrap_or_else(|e| panic!("url date pattern: {e}"))
    });
    parts.iter().rev().find_map(|part| {
        iso.captures_iter(part)
            .find_map(|c| c[2].parse().ok().and_then(|m| make(&c[1], m, &c[3])))
            .or_else(|| {
                dmy.captures_iter(part)
                    .find_map(|c| c[2].parse().ok().and_then(|m| make(&c[3], m, &c[1])))
            })
    })
}

/// Finds a date in the path of a URL (`https://site/2021/03/05/story`,
/// `/news/2021-03-05-story.html`); the host and the query are not read.
pub fn from_url(url: &str) -> Option<Date> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("");
    from_url_path(path)
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
        for source in [
            DateSource::Metadata,
            DateSource::JsonLd,
            DateSource::Url,
            DateSource::Markup,
            DateSource::Path,
            DateSource::Text,
        ] {
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
        assert_eq!(parse("2021-03-05T23:30:00-05:00"), d(2021, 3, 5));
        assert_eq!(parse("Tue, 09 Mar 2021 10:00:00 +0000"), d(2021, 3, 9));
        assert_eq!(parse("20210305"), d(2021, 3, 5));
        assert_eq!(parse("March 5, 2021"), d(2021, 3, 5));
        assert_eq!(parse("11/01/2023 12:43:42"), d(2023, 11, 1));
        assert_eq!(parse("26/10/2018"), d(2018, 10, 26));
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
    fn url_paths() {
        assert_eq!(from_url_path("/news/2021/03/05/floods"), d(2021, 3, 5));
        assert_eq!(from_url_path("/2021/03/05-floods.html"), d(2021, 3, 5));
        assert_eq!(
            from_url_path("/education/2020/oct/02/halls"),
            d(2020, 10, 2)
        );
        assert_eq!(from_url_path("/2020/Sept/2/halls"), d(2020, 9, 2));
        assert_eq!(from_url_path("/2020/news/02/halls"), None);
        assert_eq!(from_url_path("/a/20210305/floods.html"), d(2021, 3, 5));
        assert_eq!(from_url_path("/a/floods-2021-03-05.html"), d(2021, 3, 5));
        assert_eq!(from_url_path("/a/~05-03-2021-floods"), d(2021, 3, 5));
        assert_eq!(from_url_path("/a/2021/03/floods"), None);
        assert_eq!(from_url_path("/a/article-45120305.html"), None);
        assert_eq!(from_url_path("/a/2021/13/05/x"), None);
    }

    #[test]
    fn european_forms() {
        let cases = [
            ("5. März 2021", d(2021, 3, 5)),
            ("Veröffentlicht am 05.03.2021, 10:00 Uhr", d(2021, 3, 5)),
            ("le 5 mars 2021", d(2021, 3, 5)),
            ("5 de marzo de 2021", d(2021, 3, 5)),
            ("1er août 2019", d(2019, 8, 1)),
            ("12 dicembre 2020", d(2020, 12, 12)),
        ];
        for (text, want) in cases {
            assert_eq!(find_in_text(text).map(|(_, d)| d), want, "{text}");
        }
        assert_eq!(find_in_text("1.000.2021"), None);
        assert_eq!(
            find_in_text("am 26/10/2018").map(|(_, d)| d),
            d(2018, 10, 26)
        );
        assert_eq!(
            find_in_text("on 10/26/2018").map(|(_, d)| d),
            d(2018, 10, 26)
        );
        assert_eq!(find_in_text("on 10/06/2018"), None);
        assert_eq!(find_in_text("am 08/08/2017").map(|(_, d)| d), d(2017, 8, 8));
        assert_eq!(
            find_in_text("Германия 15 августа 2016, 13:43").map(|(_, d)| d),
            d(2016, 8, 15)
        );
    }

    #[test]
    fn two_digit_years_only_in_page_text() {
        let latest = Date::constant(2024, 1, 1);
        let first = |t: &str| all_in_page_text(t, latest).first().map(|(_, d)| *d);
        assert_eq!(first("Von: Björn Jahner | 31.10.23"), d(2023, 10, 31));
        assert_eq!(first("von lupa am 26/10/13, 03:48"), d(2013, 10, 26));
        assert_eq!(first("Schöppner, 8.5.12 Die Wahl"), d(2012, 5, 8));
        // A two-digit year after the latest one is of the last century.
        assert_eq!(first("am 02.12.98"), d(1998, 12, 2));
        // The long form is read whole, not as a short one.
        assert_eq!(first("am 05.03.2021"), d(2021, 3, 5));
        // Version numbers and parts of longer numbers are not dates.
        assert_eq!(first("Version 1.2.3.4"), None);
        assert_eq!(first("Tel. 12.10.2.5"), None);
        assert_eq!(first("Seite 40.13.2"), None);
        assert!(all_in_text("Von: Björn Jahner | 31.10.23").is_empty());
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
    fn each_stretch_of_text_is_read_as_one_date() {
        let days = |found: Vec<(std::ops::Range<usize>, Date)>| {
            found.into_iter().map(|(_, d)| d).collect::<Vec<_>>()
        };
        let dates = |t: &str| days(all_in_text(t));
        let page = |t: &str| days(all_in_page_text(t, Date::constant(2024, 1, 1)));
        let day = Date::constant;
        // Dates apart are all read, in text order.
        assert_eq!(
            dates("from March 9, 2021 to 2021-03-05"),
            [day(2021, 3, 9), day(2021, 3, 5)]
        );
        assert_eq!(
            page("am 31.10.23, geändert 01.11.23"),
            [day(2023, 10, 31), day(2023, 11, 1)]
        );
        // Two forms sharing digits are one date, not two.
        assert_eq!(dates("5 March 2021-03-05"), [day(2021, 3, 5)]);
        assert_eq!(page("12.10.23 March 2021"), [day(2021, 3, 23)]);
        // Spans that touch share nothing: a month in another script may
        // follow a digit with no space, and both dates count.
        assert_eq!(
            dates("2021-03-05марта 6, 2021"),
            [day(2021, 3, 5), day(2021, 3, 6)]
        );
        assert_eq!(
            dates("5.3.2021марта 6, 2021"),
            [day(2021, 3, 5), day(2021, 3, 6)]
        );
        assert_eq!(
            page("31.10.23марта 6, 2021"),
            [day(2023, 10, 31), day(2021, 3, 6)]
        );
        // A slashed date is read in the one order that can be a date.
        assert_eq!(dates("on 12/13/2020"), [day(2020, 12, 13)]);
        assert_eq!(dates("on 13/12/2020"), [day(2020, 12, 13)]);
    }

    #[test]
    fn metadata_values_month_first_and_quoted() {
        // Systems writing slashed values put the month first when it can be one.
        assert_eq!(parse("12/11/2023"), d(2023, 12, 11));
        assert_eq!(parse("13/11/2023"), d(2023, 11, 13));
        // Quotes around a value are not part of it (a compact date is read
        // only as a whole value).
        assert_eq!(parse("'20210305'"), d(2021, 3, 5));
        assert_eq!(parse("\"20210305\""), d(2021, 3, 5));
    }

    #[test]
    fn dateline_range_and_reach() {
        // The range is in the body, not in its line.
        assert_eq!(
            dateline("Headline words\nLEEDS 2004-06-19\nText follows."),
            Some((Date::constant(2004, 6, 19), 21..31))
        );
        let line = "LONDON, 14 February 2022 —\n";
        // The fourth line that is not blank is read; the fifth is not.
        let fourth = format!("One\n\nTwo\n\n\nThree\n{line}");
        assert_eq!(from_dateline(&fourth), d(2022, 2, 14));
        let fifth = format!("One\nTwo\nThree\nFour\n{line}");
        assert_eq!(from_dateline(&fifth), None);
        // Nor is a line that starts past the first 500 bytes.
        let near = format!("{}\n{line}", "word ".repeat(80));
        assert_eq!(from_dateline(&near), d(2022, 2, 14));
        let far = format!("{}\n{line}", "word ".repeat(120));
        assert_eq!(from_dateline(&far), None);
        // A long line is cut at a character boundary at most 500 bytes in:
        // a date ending right before the cut ends the line.
        let long = format!("By {} 2021-03-05é and more", "x".repeat(485));
        assert_eq!(long.find('é'), Some(499));
        assert_eq!(from_dateline(&long), d(2021, 3, 5));
    }

    #[test]
    fn what_may_stand_before_and_after_a_dateline() {
        for line in [
            "Tue, 5 March 2021",
            "Tues. 5 March 2021",
            "Ana López | 5 Mar 2021",
            "Published on 5 March 2021",
            "5 March 2021 by Ana López",
            "SANTA CRUZ , Bolivia 5 March 2021 —",
        ] {
            assert_eq!(from_dateline(line), d(2021, 3, 5), "{line}");
        }
        for line in [
            // Not a weekday, a place or a byline marker.
            "Sunny 5 March 2021",
            "A 5 March 2021",
            "LONDON police said 5 March 2021",
            // A sentence goes on after the date.
            "LONDON, 5 March 2021 was a Friday",
            "the fund said 5 March 2021 —",
        ] {
            assert_eq!(from_dateline(line), None, "{line}");
        }
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
