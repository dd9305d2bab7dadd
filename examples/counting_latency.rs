//! In-process cost of facets and statistics: opens an index once, picks a
//! word matching about a given share of the articles (30% by default), and
//! times the same search with and without facets, tantivy's own terms and
//! date-histogram aggregations over the same matches (the anchor), and the
//! statistics of the whole index (each on a freshly opened engine, so no
//! cached answer is reused).
//!
//! ```text
//! cargo run --release --example counting_latency -- INDEX_DIR [--share 0.3] [--rounds 20]
//! ```
//!
//! Prints one JSON object of medians in milliseconds.

use std::path::Path;
use std::time::Instant;

use news_search::lang::Lang;
use news_search::request::SearchParams;
use news_search::search::Engine;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Term};

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(0.0)
}

fn timed<T>(rounds: usize, mut f: impl FnMut() -> T) -> f64 {
    let _ = f();
    median(
        (0..rounds)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

/// The English body word whose article count is closest to `share` of the
/// articles.
fn word_for_share(engine: &Engine, share: f64) -> Option<(String, u64)> {
    let searcher = engine.searcher();
    let field = engine.store().fields.lang(Lang::En).body;
    let target = share * searcher.num_docs() as f64;
    let mut df: std::collections::HashMap<Vec<u8>, u64> = std::collections::HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field).ok()?;
        let mut stream = inverted.terms().stream().ok()?;
        while stream.advance() {
            *df.entry(stream.key().to_vec()).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    df.into_iter()
        .filter(|(term, _)| term.iter().all(u8::is_ascii_lowercase) && term.len() > 3)
        .min_by(|a, b| {
            (a.1 as f64 - target)
                .abs()
                .total_cmp(&(b.1 as f64 - target).abs())
                .then(a.0.cmp(&b.0))
        })
        .and_then(|(t, n)| Some((String::from_utf8(t).ok()?, n)))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: counting_latency INDEX_DIR [--share 0.3] [--rounds 20]");
        std::process::exit(2);
    };
    let flag = |name: &str, default: f64| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let share = flag("--share", 0.3);
    let rounds = flag("--rounds", 20.0) as usize;
    let dir = Path::new(dir);
    let engine = Engine::open(dir).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let Some((word, df)) = word_for_share(&engine, share) else {
        eprintln!("no English word in the index");
        std::process::exit(2);
    };
    let plain = SearchParams::new(word.clone());
    let faceted = SearchParams {
        facets: true,
        ..plain.clone()
    };
    let matched = engine.search(&plain).map(|r| r.total).unwrap_or(0);
    let search_ms = timed(rounds, || engine.search(&plain).ok());
    let facets_ms = timed(rounds, || engine.search(&faceted).ok());

    // tantivy's aggregations over the same articles (the word in English
    // bodies), against our facets alone over the same query.
    let searcher = engine.searcher();
    let query = TermQuery::new(
        Term::from_field_text(engine.store().fields.lang(Lang::En).body, &word),
        IndexRecordOption::Basic,
    );
    let aggs: tantivy::aggregation::agg_req::Aggregations =
        serde_json::from_value(serde_json::json!({
            "person": {"terms": {"field": "person", "size": 10}},
            "org": {"terms": {"field": "org", "size": 10}},
            "place": {"terms": {"field": "place", "size": 10}},
            "date": {"date_histogram": {"field": "date", "fixed_interval": "30d"}},
        }))
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2)
        });
    let tantivy_ms = timed(rounds, || {
        let collector = AggregationCollector::from_aggs(aggs.clone(), AggContextParams::default());
        searcher.search(&query, &(Count, collector)).ok()
    });
    let schema = engine.store().index.schema();
    let ours_ms = timed(rounds, || {
        let collector = news_search::facet::FacetCollector::new(&engine.store().fields, &schema);
        searcher
            .search(&query, &(Count, collector))
            .ok()
            .map(|(n, c)| (n, c.into_facets()))
    });
    let stats_ms = timed(rounds.min(10), || {
        Engine::open(dir).ok().and_then(|e| e.stats().ok())
    });
    println!(
        "{}",
        serde_json::json!({
            "articles": searcher.num_docs(),
            "word": word,
            "doc_freq": df,
            "matched": matched,
            "share": matched as f64 / searcher.num_docs().max(1) as f64,
            "search_ms": search_ms,
            "search_facets_ms": facets_ms,
            "facets_extra_ms": facets_ms - search_ms,
            "facet_collector_ms": ours_ms,
            "tantivy_aggregations_ms": tantivy_ms,
            "stats_ms": stats_ms,
        })
    );
}
