//! Article text extraction from HTML pages, scored in process on the
//! annotated pages of `../shared/data/html-eval` exactly as its `score.py`
//! scores `news` (snippets that must or must not be in the body, whitespace
//! collapsed, at most six a side per page), but without indexing, and by
//! halves: even page numbers (development) and odd ones (check).
//!
//! ```text
//! cargo run --release --example html_eval -- [EVAL_DIR] [--show-worst N] [--half even|odd]
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use news_search::corpus;
use news_search::format::{self, Format};

/// Snippets counted per page and side, as `score.py` does.
const CAP: usize = 6;

#[derive(Default, Clone, Copy)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    fn line(&self) -> String {
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        format!("P {p:.3} R {r:.3} F1 {f:.3}")
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn norm(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strings(value: &serde_json::Value, key: &str) -> Vec<String> {
    value[key]
        .as_array()
        .map(|a| {
            a.iter()
                .take(CAP)
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/html-eval"
    ));
    let mut show = 0usize;
    let mut only_half: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--show-worst" => show = it.next().and_then(|n| n.parse().ok()).unwrap_or(10),
            "--half" => only_half = it.next().cloned(),
            other => dir = PathBuf::from(other),
        }
    }
    let eval = dir.join("evaldata.json");
    let Ok(text) = std::fs::read_to_string(&eval) else {
        eprintln!("skipped: {} not found", eval.display());
        return;
    };
    let data: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{}: {e}", eval.display());
            std::process::exit(2);
        }
    };
    let mut totals: HashMap<(&str, &str), Tally> = HashMap::new();
    let mut losses = Vec::new();
    let mut bytes = 0usize;
    let mut seconds = 0f64;
    for (url, item) in &data {
        let Some(file) = item["file"].as_str() else {
            continue;
        };
        let number: usize = file
            .trim_start_matches("page-")
            .split('.')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let half = if number.is_multiple_of(2) {
            "even"
        } else {
            "odd"
        };
        if only_half.as_deref().is_some_and(|h| h != half) {
            continue;
        }
        let (headline, body, size, took) = read_page(&dir.join("pages").join(file));
        bytes += size;
        seconds += took;
        let (with, without) = (strings(item, "with"), strings(item, "without"));
        for field in ["body", "text"] {
            let got = match field {
                "body" => norm(&body),
                _ => norm(&format!("{headline}\n{body}")),
            };
            let missed: Vec<&String> = with.iter().filter(|w| !got.contains(&norm(w))).collect();
            let kept: Vec<&String> = without.iter().filter(|w| got.contains(&norm(w))).collect();
            let t = Tally {
                tp: with.len() - missed.len(),
                fp: kept.len(),
                fn_: missed.len(),
            };
            totals.entry((field, half)).or_default().add(t);
            totals.entry((field, "all")).or_default().add(t);
            if field == "body" && !(missed.is_empty() && kept.is_empty()) {
                let lines: Vec<String> = missed
                    .iter()
                    .map(|m| format!("   missing: {m:?}"))
                    .chain(kept.iter().map(|k| format!("   kept:    {k:?}")))
                    .collect();
                losses.push((missed.len() + kept.len(), format!("{file} {url}"), lines));
            }
        }
    }
    losses.sort_by_key(|l| std::cmp::Reverse(l.0));
    for (_, page, lines) in losses.iter().take(show) {
        println!("{page}");
        for l in lines {
            println!("{l}");
        }
    }
    for field in ["body", "text"] {
        let row: Vec<String> = ["even", "odd", "all"]
            .iter()
            .filter_map(|h| {
                totals
                    .get(&(field, *h))
                    .map(|t| format!("{h}: {}", t.line()))
            })
            .collect();
        println!("{field:5} {}", row.join(" | "));
    }
    println!(
        "{:.1} MB read and extracted in {seconds:.2} s ({:.1} MB/s, one thread)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds.max(1e-9)
    );
}

/// Headline, body, decoded size and seconds spent parsing one page.
fn read_page(path: &Path) -> (String, String, usize, f64) {
    let Ok(bytes) = std::fs::read(path) else {
        eprintln!("{}: unreadable", path.display());
        return Default::default();
    };
    let name = path.to_string_lossy();
    let Ok(decoded) = corpus::decode(&name, bytes, Some(Default::default())) else {
        eprintln!("{name}: skipped (not readable as text)");
        return Default::default();
    };
    let size = decoded.text.len();
    let start = Instant::now();
    let records = format::parse(Format::Html, &decoded.text).unwrap_or_default();
    let took = start.elapsed().as_secs_f64();
    match records.into_iter().next() {
        Some(Ok(raw)) => (raw.headline, raw.body, size, took),
        _ => (String::new(), String::new(), size, took),
    }
}
