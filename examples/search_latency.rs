//! In-process search latency: opens an index once and runs each query of a
//! file (one per line) through the library, as the server does.
//!
//! ```text
//! cargo run --release --example search_latency -- INDEX_DIR QUERIES_FILE [ROUNDS]
//! ```
//!
//! Prints one JSON object: queries run, p50, p95, p99 and mean latency in
//! milliseconds, and queries per second on one thread.

use std::time::Instant;

use news_search::request::SearchParams;
use news_search::search::Engine;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(index), Some(file)) = (args.first(), args.get(1)) else {
        eprintln!("usage: search_latency INDEX_DIR QUERIES_FILE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let engine = Engine::open(std::path::Path::new(index)).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(2)
    });
    let queries: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    // One warm-up pass loads the index pages, as a long-running server would have.
    for q in &queries {
        let _ = engine.search(&SearchParams::new(*q));
    }
    let mut times = Vec::new();
    let started = Instant::now();
    for _ in 0..rounds {
        for q in &queries {
            let t = Instant::now();
            let _ = engine.search(&SearchParams::new(*q));
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let total = started.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
    println!(
        "{}",
        serde_json::json!({
            "queries": times.len(),
            "p50_ms": percentile(&times, 50.0),
            "p95_ms": percentile(&times, 95.0),
            "p99_ms": percentile(&times, 99.0),
            "mean_ms": mean,
            "qps": times.len() as f64 / total.max(1e-9),
        })
    );
}
