//! Spelling suggestions measured on an index: generated typos of words
//! the index holds, and the words themselves.
//!
//! ```text
//! cargo run --release --example suggest_eval -- INDEX_DIR [SAMPLE] [MIN_ARTICLES] [SEED]
//! ```
//!
//! Draws SAMPLE words (default 2,000) of at least four letters held by at
//! least MIN_ARTICLES articles (default 20) from the index's vocabulary,
//! half of them names (words of people, organisations and places) when
//! there are enough. Each gets one typo (a deleted letter, two neighbours
//! swapped, or a letter replaced, at a random place; deterministic seed).
//! Prints one JSON object: how often the suggestion for the typo is the
//! word (over all typos, and over the typos that are not themselves words
//! of the index), how often the correctly spelt word gets no suggestion,
//! and the time suggestions take (whole `Engine::suggestion` calls, on one
//! thread): wall-time percentiles, and the mean CPU time per call where
//! `/proc/thread-self/schedstat` tells it (the load of a shared machine
//! stretches wall time, not CPU time; the counter ticks too coarsely for
//! one call, so only the mean over all calls is given).

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use news_search::request::SearchParams;
use news_search::search::Engine;
use news_search::store::Store;
use tantivy::schema::Field;

/// A small deterministic generator (xorshift), so runs repeat.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Every term of `field` with the articles holding it.
fn vocabulary(engine: &Engine, field: Field) -> HashMap<String, u64> {
    let mut terms = HashMap::new();
    for segment in engine.searcher().segment_readers() {
        let inverted = segment.inverted_index(field).expect("inverted index");
        let mut stream = inverted.terms().stream().expect("term stream");
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                *terms.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    terms
}

/// One typo of `word`: a deletion, a swap of neighbours or a substitution.
fn typo(word: &str, rng: &mut Rng) -> (String, &'static str) {
    let chars: Vec<char> = word.chars().collect();
    loop {
        let mut out = chars.clone();
        let kind = match rng.below(3) {
            0 => {
                out.remove(rng.below(chars.len()));
                "deletion"
            }
            1 => {
                let i = rng.below(chars.len() - 1);
                out.swap(i, i + 1);
                "transposition"
            }
            _ => {
                let i = rng.below(chars.len());
                out[i] = (b'a' + rng.below(26) as u8) as char;
                "substitution"
            }
        };
        let out: String = out.into_iter().collect();
        if out != word {
            return (out, kind);
        }
    }
}

/// This thread's CPU time in milliseconds, when the system tells it.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e6)
}

/// What `f` returns, with the wall and CPU milliseconds it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64, Option<f64>) {
    let (cpu, wall) = (cpu_ms(), Instant::now());
    let value = f();
    let cpu = cpu.zip(cpu_ms()).map(|(a, b)| b - a);
    (value, wall.elapsed().as_secs_f64() * 1000.0, cpu)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[(((p / 100.0) * (sorted.len() - 1) as f64).round() as usize).min(sorted.len() - 1)]
}

#[derive(Default)]
struct Tally {
    n: usize,
    right: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.n += 1;
        self.right += usize::from(ok);
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "n": self.n,
            "rate": if self.n == 0 { 0.0 } else { self.right as f64 / self.n as f64 },
        })
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(index) = args.first() else {
        eprintln!("usage: suggest_eval INDEX_DIR [SAMPLE] [MIN_ARTICLES]");
        std::process::exit(2);
    };
    let sample: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2_000);
    let min_articles: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    // Searched on this thread alone, so that its CPU time is the whole cost.
    let engine = Store::open(std::path::Path::new(index))
        .and_then(|store| {
            let reader = store.reader()?;
            Ok(Engine::with_reader(store, reader))
        })
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2)
        });
    let fields = &engine.store().fields;
    let words = vocabulary(&engine, fields.words);
    let mut names: HashMap<String, u64> = HashMap::new();
    for field in &fields.kind_words[..3] {
        for (term, df) in vocabulary(&engine, *field) {
            *names.entry(term).or_default() += df;
        }
    }
    let mut eligible: Vec<(&String, bool)> = words
        .iter()
        .filter(|(w, df)| **df >= min_articles && w.chars().count() >= 4)
        .map(|(w, _)| (w, names.get(w).is_some_and(|n| *n * 2 >= min_articles)))
        .collect();
    eligible.sort();
    let mut rng = Rng(0x5eed_cafe_f00d_0000 ^ seed.max(1));
    let mut picked = Vec::new();
    for want_name in [true, false] {
        let mut pool: Vec<&String> = eligible
            .iter()
            .filter(|(_, is_name)| *is_name == want_name)
            .map(|(w, _)| *w)
            .collect();
        let quota = if want_name {
            sample / 2
        } else {
            sample - picked.len()
        };
        while picked.len() < if want_name { quota } else { sample } && !pool.is_empty() {
            let i = rng.below(pool.len());
            picked.push((pool.swap_remove(i).clone(), want_name));
        }
    }
    // One warm-up query loads the vocabulary's pages, as a running server has.
    let _ = engine.suggestion(&SearchParams::new("warmup"));

    let mut by_kind: BTreeMap<&str, Tally> = BTreeMap::new();
    let (mut all, mut non_words, mut names_t, mut others_t) = (
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
    );
    let mut correct = Tally::default();
    let mut typo_ms = Vec::new();
    let mut slow: Vec<(f64, String)> = Vec::new();
    let (mut typo_cpu, mut correct_cpu) = (0.0, 0.0);
    let mut correct_ms = Vec::new();
    let mut misses: Vec<String> = Vec::new();
    let mut false_alarms: Vec<String> = Vec::new();
    for (word, is_name) in &picked {
        let (typed, kind) = typo(word, &mut rng);
        let (got, ms, cpu) = timed(|| engine.suggestion(&SearchParams::new(typed.as_str())));
        let got = got.expect("suggestion");
        typo_ms.push(ms);
        typo_cpu += cpu.unwrap_or(f64::NAN);
        slow.push((ms, typed.clone()));
        let ok = got
            .as_ref()
            .is_some_and(|s| s.query.to_lowercase() == **word);
        all.add(ok);
        by_kind.entry(kind).or_default().add(ok);
        if !words.contains_key(&typed) {
            non_words.add(ok);
        }
        if *is_name {
            names_t.add(ok)
        } else {
            others_t.add(ok)
        }
        if !ok && misses.len() < 40 {
            misses.push(format!(
                "{kind}: {typed} -> {} (meant {word}){}",
                got.map_or("-".to_string(), |s| s.query),
                if words.contains_key(&typed) {
                    " [word]"
                } else {
                    ""
                }
            ));
        }
        let (got, ms, cpu) = timed(|| engine.suggestion(&SearchParams::new(word.as_str())));
        let got = got.expect("suggestion");
        correct_ms.push(ms);
        correct_cpu += cpu.unwrap_or(f64::NAN);
        correct.add(got.is_none());
        if let Some(s) = got
            && false_alarms.len() < 40
        {
            false_alarms.push(format!("{word} -> {}", s.query));
        }
    }
    typo_ms.sort_by(f64::total_cmp);
    slow.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<String> = slow
        .iter()
        .take(10)
        .map(|(ms, q)| format!("{q}: {ms:.1} ms"))
        .collect();
    correct_ms.sort_by(f64::total_cmp);
    let kinds: serde_json::Map<String, serde_json::Value> = by_kind
        .iter()
        .map(|(k, t)| (k.to_string(), t.json()))
        .collect();
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "index_articles": engine.searcher().num_docs(),
            "words_sampled": picked.len(),
            "min_articles": min_articles,
            "seed": seed,
            "typo_corrected": all.json(),
            "typo_corrected_non_words": non_words.json(),
            "typo_corrected_names": names_t.json(),
            "typo_corrected_other_words": others_t.json(),
            "typo_corrected_by_kind": kinds,
            "correct_without_suggestion": correct.json(),
            "typo_cpu_ms_mean": (typo_cpu / picked.len().max(1) as f64).is_finite().then(|| typo_cpu / picked.len().max(1) as f64),
            "correct_cpu_ms_mean": (correct_cpu / picked.len().max(1) as f64).is_finite().then(|| correct_cpu / picked.len().max(1) as f64),
            "typo_ms": {"p50": percentile(&typo_ms, 50.0), "p95": percentile(&typo_ms, 95.0), "p99": percentile(&typo_ms, 99.0), "max": typo_ms.last()},
            "correct_ms": {"p50": percentile(&correct_ms, 50.0), "p95": percentile(&correct_ms, 95.0), "p99": percentile(&correct_ms, 99.0), "max": correct_ms.last()},
            "slowest_typos": slowest,
            "misses": misses,
            "false_alarms": false_alarms,
        }))
        .unwrap_or_default()
    );
}
