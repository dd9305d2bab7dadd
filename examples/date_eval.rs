//! Date extraction from article text alone, measured on real news.
//!
//! ```text
//! cargo run --release --example date_eval -- ARCHIVE_DIR [CONLL_DOCS_JSONL]
//! ```
//!
//! For every article file of ARCHIVE_DIR (named `YYYY-MM-DD-...`), the date
//! is looked for in the text only (datelines and bylines at the top, as the
//! indexer does when neither metadata nor the path carries one) and compared
//! with the date in the file name. Every date found is checked to have been
//! read from an absolute expression with a year, never from a relative one
//! ("last week", "on Tuesday", "yesterday"), and the relative expressions
//! near the top of articles are counted to show they occur and are ignored.
//! With CoNLL documents (second line a dateline: a city and `YYYY-MM-DD`),
//! the same function reads their datelines too.

use std::collections::BTreeMap;

use news_search::extract::date;
use news_search::format::{self, Format};

const RELATIVE: [&str; 12] = [
    "yesterday",
    "today",
    "tomorrow",
    "last week",
    "next week",
    "last month",
    "next month",
    "last year",
    "on monday",
    "on tuesday",
    "on friday",
    "this week",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: date_eval ARCHIVE_DIR [CONLL_DOCS_JSONL]");
        std::process::exit(2);
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    let (mut total, mut found, mut agree, mut relative_near_top, mut bad_source) = (0, 0, 0, 0, 0);
    let mut by_source: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut disagreements = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let source = name.split('-').nth(3).unwrap_or("?").to_string();
        let Ok(records) = format::parse(Format::Text, &text) else {
            continue;
        };
        let Some(Ok(raw)) = records.into_iter().next() else {
            continue;
        };
        total += 1;
        let entry = by_source.entry(source).or_default();
        entry.0 += 1;
        let top: String = raw
            .body
            .chars()
            .take(500)
            .collect::<String>()
            .to_lowercase();
        if RELATIVE.iter().any(|r| top.contains(r)) {
            relative_near_top += 1;
        }
        let Some((found_date, span)) = date::dateline(&raw.body) else {
            continue;
        };
        found += 1;
        entry.1 += 1;
        let matched = &raw.body[span];
        let has_year = matched
            .as_bytes()
            .windows(4)
            .any(|w| w.iter().all(u8::is_ascii_digit));
        let lower = matched.to_lowercase();
        if !has_year || RELATIVE.iter().any(|r| lower.contains(r)) {
            bad_source += 1;
            eprintln!("date from a non-absolute expression in {name}: {matched:?}");
        }
        let expected = name.get(..10).and_then(date::parse);
        if expected == Some(found_date) {
            agree += 1;
        } else if disagreements.len() < 8 {
            disagreements.push(format!("{name}: text says {found_date} ({matched:?})"));
        }
    }
    println!("## Dates from article text alone ({dir})\n");
    println!("| source | articles | dated from text | share |");
    println!("|---|---:|---:|---:|");
    for (source, (n, dated)) in &by_source {
        println!(
            "| {source} | {n} | {dated} | {:.1}% |",
            100.0 * *dated as f64 / *n as f64
        );
    }
    println!(
        "| **all** | {total} | {found} | {:.1}% |\n",
        100.0 * found as f64 / total.max(1) as f64
    );
    println!(
        "- agree with the date in the file name: {agree} of {found} ({:.1}%)",
        100.0 * agree as f64 / found.max(1) as f64
    );
    println!(
        "- articles with a relative expression in their first 500 characters: {relative_near_top}"
    );
    println!("- dates read from anything but an absolute expression with a year: {bad_source}");
    for d in &disagreements {
        println!("  - differs: {d}");
    }
    if let Some(conll) = args.get(1) {
        let text = std::fs::read_to_string(conll).unwrap_or_else(|e| panic!("{conll}: {e}"));
        let (mut docs, mut with_line, mut parsed) = (0, 0, 0);
        for line in text.lines() {
            let Ok(doc) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let Some(body) = doc["text"].as_str() else {
                continue;
            };
            docs += 1;
            let second = body.lines().nth(1).unwrap_or("");
            if second
                .split_whitespace()
                .last()
                .is_some_and(|w| w.len() == 10 && w.starts_with("199"))
            {
                with_line += 1;
                if date::from_dateline(second).is_some() {
                    parsed += 1;
                }
            }
        }
        println!(
            "\n- CoNLL documents: {docs}; with a `PLACE YYYY-MM-DD` dateline: {with_line}; read: {parsed}"
        );
    }
}
