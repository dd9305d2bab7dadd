//! `news timeline`: the articles a search counts, per period. Its total is
//! the search's total under every filter, its buckets are those articles'
//! dates counted one by one, and its chart fits the width it is given.

use std::collections::BTreeMap;

use news_search::request::SearchParams;
use news_search::timeline::Period;
use serde::Deserialize;

use crate::harness::{Env, repo};

#[derive(Debug, Deserialize)]
struct Bucket {
    start: String,
    count: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimelineJson {
    query: String,
    total: usize,
    by: String,
    buckets: Vec<Bucket>,
    undated: u64,
}

#[derive(Debug, Deserialize)]
struct Hit {
    date: Option<String>,
}

#[derive(Debug, Deserialize)]
struct SearchJson {
    total: usize,
    hits: Vec<Hit>,
}

fn sample() -> Env {
    let env = Env::new();
    env.index_path(&repo().join("sample-corpus")).code(0);
    env
}

/// The first day of the month of a `YYYY-MM-DD` date.
fn month_of(date: &str) -> String {
    format!("{}-01", &date[..7])
}

/// Every filter `news search` takes, alone and together, each with the
/// queries that exercise it: words, a phrase, everything, and a query with
/// no article holding every word (counted in its relaxed form).
const FILTERS: &[&[&str]] = &[
    &[],
    &["--since", "2021"],
    &["--until", "2022-06"],
    &["--since", "2020-03-15", "--until", "2023"],
    &["--entity", "Marcelo Ebrard"],
    &["--entity", "DEA"],
    &["--person", "Helena Costa"],
    &["--org", "European Central Bank"],
    &["--place", "United States"],
    &["--lang", "en"],
    &["--lang", "es"],
    &["--fuzzy"],
    &["--place", "Europe", "--since", "2020", "--lang", "en"],
];
const QUERIES: &[&str] = &[
    "",
    "security",
    "\"central bank\"",
    "port OR harbour",
    "bank zzqqxx",
];

#[test]
fn the_total_is_the_search_total_and_the_buckets_its_dates_under_every_filter() {
    let env = sample();
    let mut nonempty = 0;
    for filters in FILTERS {
        for query in QUERIES {
            let mut args = vec!["timeline", "--json", "--by", "month"];
            args.extend_from_slice(filters);
            args.extend(["--", query]);
            let run = env.run(&args);
            let timeline: TimelineJson = run.json();
            let mut search_args = vec!["--no-collapse", "--limit", "10000"];
            search_args.extend_from_slice(filters);
            let search: SearchJson = env.search(query, &search_args);
            let what = format!("{query:?} {filters:?}");
            assert_eq!(timeline.total, search.total, "{what}");
            assert_eq!(timeline.query, *query, "{what}");
            assert_eq!(timeline.by, "month");
            assert_eq!(search.hits.len(), search.total, "{what}");
            run.code(if search.total == 0 { 1 } else { 0 });
            // The same articles, counted one by one from their dates.
            let mut months: BTreeMap<String, u64> = BTreeMap::new();
            for hit in &search.hits {
                if let Some(date) = &hit.date {
                    *months.entry(month_of(date)).or_default() += 1;
                }
            }
            let undated = search.hits.iter().filter(|h| h.date.is_none()).count();
            assert_eq!(timeline.undated, undated as u64, "{what}");
            let counted: BTreeMap<String, u64> = timeline
                .buckets
                .iter()
                .filter(|b| b.count > 0)
                .map(|b| (b.start.clone(), b.count))
                .collect();
            assert_eq!(counted, months, "{what}");
            // In order, one per month, none missing between the first and last.
            for pair in timeline.buckets.windows(2) {
                let next = jiff::civil::Date::strptime("%Y-%m-%d", &pair[0].start)
                    .unwrap()
                    .checked_add(jiff::Span::new().months(1))
                    .unwrap();
                assert_eq!(next.to_string(), pair[1].start, "{what}");
            }
            if let (Some(first), Some(last)) = (timeline.buckets.first(), timeline.buckets.last()) {
                assert!(first.count > 0 && last.count > 0, "{what}");
            }
            nonempty += usize::from(search.total > 0);
        }
    }
    // The filters and queries must find something for the test to mean it.
    assert!(nonempty > 30, "only {nonempty} non-empty result sets");
}

#[test]
fn over_segments_with_deleted_articles_the_total_is_the_search_total() {
    let engine = crate::counting::engine();
    let cases = [
        SearchParams::new("harbour"),
        SearchParams::new(""),
        SearchParams {
            since: Some("2020-06".into()),
            until: Some("2021-02".into()),
            ..SearchParams::new("council")
        },
        SearchParams {
            lang: Some("es".into()),
            ..SearchParams::new("")
        },
        SearchParams {
            persons: vec!["Ana Ortega".into()],
            orgs: vec!["DEA".into()],
            ..SearchParams::new("")
        },
        SearchParams {
            places: vec!["Lisbon".into()],
            ..SearchParams::new("harbour OR council")
        },
    ];
    for params in &cases {
        let search = engine.search(params).unwrap();
        for by in Period::ALL {
            let timeline = engine.timeline(params, Some(by)).unwrap();
            assert_eq!(timeline.total, search.total, "{params:?}");
            let dated: u64 = timeline.buckets.iter().map(|b| b.count).sum();
            assert_eq!(dated + timeline.undated, search.total as u64, "{params:?}");
            // Undated articles never pass a date filter; the others have some.
            assert_eq!(timeline.undated > 0, params.since.is_none(), "{params:?}");
        }
    }
}

#[test]
fn the_default_period_gives_twenty_to_sixty_bars() {
    let env = sample();
    let timeline: TimelineJson = env.run(&["timeline", "--json"]).code(0).json();
    // Five years of articles: months.
    assert_eq!(timeline.by, "month");
    assert!((20..=70).contains(&timeline.buckets.len()));
    let narrow: TimelineJson = env
        .run(&["timeline", "--json", "--since", "2022", "--until", "2022"])
        .code(0)
        .json();
    assert_eq!(narrow.by, "week");
    assert!(
        (20..=60).contains(&narrow.buckets.len()),
        "{}",
        narrow.buckets.len()
    );
}

#[test]
fn the_chart_fits_the_width_and_is_plain_when_piped() {
    let env = sample();
    let run = env.run(&["timeline", "--by", "year"]);
    run.code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("46 articles match, by year; 6 undated"),
        "{}",
        run.stdout
    );
    assert_eq!(lines.len(), 1 + 6);
    for line in &lines[1..] {
        assert!(line.chars().count() < 80, "{line:?}");
        assert!(line.is_ascii(), "{line:?}");
    }
    // The longest bar is the year with most articles, and reaches the count column.
    let longest = lines[1..]
        .iter()
        .max_by_key(|l| l.matches('#').count())
        .unwrap();
    assert!(
        longest.starts_with("2022 ") && longest.ends_with(" 10"),
        "{longest}"
    );
    assert_eq!(longest.chars().count(), 79);
    let coloured = env.run(&["timeline", "--by", "year", "--color", "always"]);
    assert!(coloured.stdout.contains("\x1b[36m█"), "{}", coloured.stdout);
    let bad = env.run(&["timeline", "--by", "fortnight"]);
    bad.code(2);
}

#[test]
fn the_readme_chart_is_what_the_sample_corpus_draws() {
    let env = sample();
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let (_, after) = readme
        .split_once("$ news timeline --by year\n")
        .expect("the README shows a timeline");
    let (shown, _) = after.split_once("```").unwrap();
    let run = env.run(&["timeline", "--by", "year"]);
    assert_eq!(run.code(0).stdout, shown);
}
