//! Latency of timelines and related entities on a large archive, for a
//! word and an entity each found in about 10% of the articles.
//!
//! ```text
//! cargo run --release --example timeline_latency -- INDEX_DIR [--build N] [--rounds R]
//! ```
//!
//! `--build N` first writes a deterministic synthetic index of N articles
//! into INDEX_DIR (an empty or new folder), straight from documents (no
//! parsing, no extraction): short bodies, one in ten holding the word
//! `harbour`, dates over 25 years (one in twenty undated), and people,
//! organisations, places and other names drawn from lists with a few very
//! frequent names; one in ten articles names Ana Ortega, four in ten the
//! United States. Then each operation runs once to warm up and R times
//! (default 10); the median and the slowest are printed in milliseconds,
//! against the 200 ms target.

use std::path::Path;
use std::time::Instant;

use jiff::civil::Date;
use news_search::article::Article;
use news_search::corpus::Stamp;
use news_search::document;
use news_search::entity::{Entity, EntityKind};
use news_search::format::Format;
use news_search::lang::Lang;
use news_search::request::SearchParams;
use news_search::search::Engine;
use news_search::store::Store;

/// Most milliseconds an operation may take on 10% of the articles.
const TARGET_MS: f64 = 200.0;

/// A small, fast, deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// An index below `n`, log-uniform: the first few come up often.
    fn skewed(&mut self, n: usize) -> usize {
        ((n as f64).powf(self.unit()) as usize)
            .saturating_sub(1)
            .min(n - 1)
    }
}

const WORDS: [&str; 16] = [
    "council", "budget", "report", "market", "court", "school", "river", "talks", "vote", "plan",
    "energy", "health", "trade", "police", "rail", "water",
];

fn entity(name: String, kind: EntityKind) -> Entity {
    Entity {
        name,
        kind,
        aliases: Vec::new(),
        mentions: 1,
        first: 0,
    }
}

fn article(i: usize, rng: &mut Rng) -> Article {
    let mut words: Vec<&str> = (0..12).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    if rng.below(10) == 0 {
        words.push("harbour");
    }
    let mut entities = Vec::new();
    if rng.below(10) == 0 {
        entities.push(entity("Ana Ortega".into(), EntityKind::Person));
    }
    for _ in 0..1 + rng.below(3) {
        entities.push(entity(
            format!("Person {}", rng.skewed(20_000)),
            EntityKind::Person,
        ));
    }
    for _ in 0..rng.below(3) {
        entities.push(entity(
            format!("Org {}", rng.skewed(3_000)),
            EntityKind::Org,
        ));
    }
    if rng.below(10) < 4 {
        entities.push(entity("United States".into(), EntityKind::Place));
    }
    for _ in 0..1 + rng.below(2) {
        entities.push(entity(
            format!("Place {}", rng.skewed(2_000)),
            EntityKind::Place,
        ));
    }
    if rng.below(2) == 0 {
        entities.push(entity(
            format!("Other {}", rng.skewed(500)),
            EntityKind::Other,
        ));
    }
    entities.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    entities.dedup_by(|a, b| a.kind == b.kind && a.name == b.name);
    let date = (rng.below(20) != 0).then(|| {
        Date::new(
            2000 + rng.below(25) as i16,
            1 + rng.below(12) as i8,
            1 + rng.below(28) as i8,
        )
        .unwrap_or(Date::constant(2000, 1, 1))
    });
    let path = format!("/synth/{}/{i}.txt", i % 1000);
    Article {
        id: path.clone(),
        path,
        headline: format!("Report {i}"),
        body: words.join(" "),
        date,
        date_source: None,
        source: None,
        authors: Vec::new(),
        updated: None,
        section: None,
        url: None,
        crawled: None,
        tags: Vec::new(),
        lang: Lang::En,
        entities,
        format: Format::Text,
        fingerprint: None,
    }
}

fn build(dir: &Path, n: usize) -> news_search::Result<()> {
    let store = Store::open_or_create(dir)?;
    let mut writer = store.writer(2, 512 * 1024 * 1024)?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..n {
        let a = article(i, &mut rng);
        let doc = document::to_document(&a, Stamp { size: 1, mtime: 1 }, 0, &store.fields);
        writer.add_document(doc)?;
        if (i + 1) % 200_000 == 0 {
            eprintln!("{} articles written", i + 1);
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// Median and slowest time of `rounds` runs after one warm-up run, in ms.
fn timed<T>(rounds: usize, mut f: impl FnMut() -> T) -> (f64, f64) {
    std::hint::black_box(f());
    let mut times: Vec<f64> = (0..rounds.max(1))
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() - 1])
}

fn report(what: &str, (median, slowest): (f64, f64)) {
    let verdict = if median <= TARGET_MS { "ok" } else { "over" };
    println!(
        "{what:<44} median {median:>7.1} ms  slowest {slowest:>7.1} ms  (target {TARGET_MS} ms: {verdict})"
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: timeline_latency INDEX_DIR [--build N] [--rounds R]");
        std::process::exit(2);
    };
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<usize>().ok())
    };
    let dir = Path::new(dir);
    if let Some(n) = flag("--build") {
        let t = Instant::now();
        if let Err(e) = build(dir, n) {
            eprintln!("{e}");
            std::process::exit(2);
        }
        eprintln!("built {n} articles in {:.1} s", t.elapsed().as_secs_f64());
    }
    let rounds = flag("--rounds").unwrap_or(10);
    let engine = Engine::open(dir).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let articles = engine.searcher().num_docs();
    let word = SearchParams::new("harbour");
    let person = SearchParams {
        persons: vec!["Ana Ortega".into()],
        ..SearchParams::new("")
    };
    let everything = SearchParams::new("");
    let count = |p: &SearchParams| engine.timeline(p, None).map(|t| t.total).unwrap_or(0);
    let share = |n: usize| 100.0 * n as f64 / articles.max(1) as f64;
    let (w, p) = (count(&word), count(&person));
    println!(
        "{articles} articles, {} segments; \"harbour\" in {w} ({:.1}%), Ana Ortega in {p} ({:.1}%)",
        engine.searcher().segment_readers().len(),
        share(w),
        share(p)
    );
    report(
        "timeline \"harbour\"",
        timed(rounds, || engine.timeline(&word, None)),
    );
    report(
        "timeline --person \"Ana Ortega\"",
        timed(rounds, || engine.timeline(&person, None)),
    );
    // The first `related` of an index version counts the whole archive.
    let t = Instant::now();
    let first = engine.related("Ana Ortega", Some(EntityKind::Person), &everything, 20);
    let cold = t.elapsed().as_secs_f64() * 1000.0;
    report(
        "related \"Ana Ortega\" (first, counts archive)",
        (cold, cold),
    );
    if let Ok(r) = &first {
        let top: Vec<&str> = r
            .related
            .iter()
            .take(3)
            .map(|t| t.entity.text.as_str())
            .collect();
        println!("  in {} articles; strongest ties {top:?}", r.articles);
    }
    report(
        "related \"Ana Ortega\"",
        timed(rounds, || {
            engine.related("Ana Ortega", Some(EntityKind::Person), &everything, 20)
        }),
    );
    report(
        "related \"Ana Ortega\" --query harbour",
        timed(rounds, || {
            engine.related("Ana Ortega", Some(EntityKind::Person), &word, 20)
        }),
    );
    report(
        "related --pairs --query harbour",
        timed(rounds, || engine.pairs(&word, 20)),
    );
}
