//! Generates a deterministic synthetic news archive for benchmarks.
//!
//! ```text
//! cargo run --release --example synth -- OUT_DIR N [--seed S] [--ndjson FILE] [--touch PERCENT]
//! ```
//!
//! Articles have a log-normal length (median about 350 words), a Zipfian
//! vocabulary of 40,000 invented words, people, organisations and places
//! drawn from name lists (a few of them very frequent), and dates from 2000
//! to 2024 carried by the folder path (`YYYY/MM/DD/`), a front-matter block or
//! a dateline. `--ndjson FILE` also writes the same articles as NDJSON
//! (`id`, `headline`, `body`, `date`) for engines that take ready-made JSON.
//! `--touch PERCENT [--round R]` rewrites that share of an existing
//! archive's articles (same paths, text marked with revision R, default 1)
//! for incremental-run benchmarks.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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
    /// A standard normal sample (Box-Muller).
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.unit().max(1e-12), self.unit());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

const SYLLABLES: [&str; 40] = [
    "ba", "ter", "lo", "mun", "ci", "pra", "vel", "dor", "sa", "ni", "quen", "ri", "tal", "mo",
    "ge", "fra", "lin", "bu", "sto", "pe", "ka", "ron", "de", "vi", "al", "tre", "hos", "ma", "nu",
    "ex", "per", "co", "lis", "ta", "gu", "ben", "or", "si", "fu", "ham",
];
const FIRST: [&str; 24] = [
    "Ana", "Marcus", "Elena", "David", "Sofia", "Jamal", "Ingrid", "Tomás", "Priya", "Olu", "Mei",
    "Lukas", "Fatima", "Jonas", "Aisha", "Pierre", "Zoë", "Ravi", "Carmen", "Hugo", "Nadia",
    "Karl", "Lucía", "Owen",
];
const LAST: [&str; 24] = [
    "Ortega",
    "Lindqvist",
    "Haddad",
    "Moreau",
    "Kowalski",
    "Nakamura",
    "Okafor",
    "Brennan",
    "Rossi",
    "Petrov",
    "Santos",
    "Fischer",
    "Dubois",
    "Mensah",
    "Ibáñez",
    "Larsen",
    "Costa",
    "Kaya",
    "Novak",
    "Wright",
    "Silva",
    "Weber",
    "Jensen",
    "Müller",
];
const PLACES: [&str; 20] = [
    "Mexico", "Brazil", "Germany", "Kenya", "Japan", "Canada", "France", "India", "Egypt", "Spain",
    "Lisbon", "Nairobi", "Osaka", "Toronto", "Lyon", "Mumbai", "Cairo", "Seville", "Hamburg",
    "Recife",
];
const ORGS: [&str; 12] = [
    "the United Nations",
    "the World Bank",
    "the European Union",
    "NATO",
    "the IMF",
    "the WHO",
    "Reuters",
    "the Central Bank",
    "the Supreme Court",
    "the Finance Ministry",
    "FIFA",
    "NASA",
];
const VERBS: [&str; 10] = [
    "said",
    "announced",
    "warned",
    "confirmed",
    "denied",
    "reported",
    "argued",
    "expected",
    "rejected",
    "proposed",
];

/// The invented vocabulary and its Zipfian cumulative weights.
struct Vocab {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocab {
    fn new(rng: &mut Rng, size: usize) -> Vocab {
        let mut words = Vec::with_capacity(size);
        let mut seen = std::collections::HashSet::new();
        while words.len() < size {
            let n = 1 + rng.below(3) + usize::from(words.len() > 2000);
            let w: String = (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=size)
            .map(|rank| {
                total += 1.0 / (rank as f64).powf(1.07);
                total
            })
            .collect();
        Vocab { words, cumulative }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative[self.cumulative.len() - 1];
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|c| *c < x);
        &self.words[i.min(self.words.len() - 1)]
    }
}

struct Article {
    rel: PathBuf,
    headline: String,
    body: String,
    date: String,
    text: String,
}

fn person(rng: &mut Rng) -> String {
    // A few people dominate the news: skew the choice.
    let i = (rng.unit().powi(3) * FIRST.len() as f64) as usize;
    format!(
        "{} {}",
        FIRST[i.min(FIRST.len() - 1)],
        LAST[rng.below(LAST.len())]
    )
}

fn sentence(rng: &mut Rng, vocab: &Vocab, out: &mut String) {
    let words = 8 + rng.below(18);
    for i in 0..words {
        let roll = rng.below(100);
        let token = if roll < 3 {
            person(rng)
        } else if roll < 5 {
            PLACES[rng.below(PLACES.len())].to_string()
        } else if roll < 6 {
            ORGS[rng.below(ORGS.len())].to_string()
        } else if roll < 8 {
            VERBS[rng.below(VERBS.len())].to_string()
        } else {
            vocab.word(rng).to_string()
        };
        if i == 0 {
            let mut chars = token.chars();
            if let Some(c) = chars.next() {
                out.extend(c.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(&token);
        }
    }
    out.push_str(". ");
}

fn article(rng: &mut Rng, vocab: &Vocab, n: usize, round: u64) -> Article {
    let year = 2000 + rng.below(25);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let date = format!("{year:04}-{month:02}-{day:02}");
    let mut headline = String::new();
    sentence(rng, vocab, &mut headline);
    let headline = headline
        .trim_end_matches(". ")
        .split(' ')
        .take(10)
        .collect::<Vec<_>>()
        .join(" ");
    let words = (350.0 * (0.7 * rng.normal()).exp()).clamp(40.0, 4000.0) as usize;
    let mut body = String::new();
    let mut count = 0;
    while count < words {
        let paragraph = 2 + rng.below(4);
        for _ in 0..paragraph {
            let before = body.len();
            sentence(rng, vocab, &mut body);
            count += body[before..].split(' ').count();
        }
        body.push_str("\n\n");
    }
    let body = format!("{}\n(revision {round})", body.trim_end());
    let shard = n / 1000;
    let (rel, text) = match n % 5 {
        // Dated by folder path.
        0 | 1 => (
            PathBuf::from(format!(
                "{shard:04}/{year:04}/{month:02}/{day:02}/story-{n}.txt"
            )),
            format!("{headline}\n\n{body}\n"),
        ),
        // Front matter.
        2 => (
            PathBuf::from(format!("{shard:04}/story-{n}.md")),
            format!(
                "---\ntitle: {headline}\ndate: {date}\nsource: Synthetic Wire\n---\n\n{body}\n"
            ),
        ),
        // Dateline.
        _ => (
            PathBuf::from(format!("{shard:04}/story-{n}.txt")),
            format!(
                "{headline}\n\n{}, {date} (Synthetic Wire) - {body}\n",
                PLACES[rng.below(PLACES.len())].to_uppercase()
            ),
        ),
    };
    Article {
        rel,
        headline,
        body,
        date,
        text,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: synth OUT_DIR N [--seed S] [--ndjson FILE] [--touch PERCENT [--round R]]";
    let (Some(out), Some(count)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let seed: u64 = flag("--seed").and_then(|s| s.parse().ok()).unwrap_or(42);
    let touch: Option<f64> = flag("--touch").and_then(|s| s.parse().ok());
    let touch_round: u64 = flag("--round").and_then(|s| s.parse().ok()).unwrap_or(1);
    let out = Path::new(out);
    let mut vocab_rng = Rng(seed ^ 0x9E37_79B9_7F4A_7C15);
    let vocab = Vocab::new(&mut vocab_rng, 40_000);
    let mut ndjson = flag("--ndjson")
        .map(|p| BufWriter::new(File::create(p).unwrap_or_else(|e| panic!("{p}: {e}"))));
    let mut touched = 0;
    let mut bytes = 0u64;
    for n in 0..count {
        // Each article has its own stream, so a rewrite changes only it.
        let mut rng =
            Rng((seed.wrapping_add(n as u64 + 1)).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut round = 0;
        if let Some(percent) = touch {
            let mut pick = Rng((n as u64 + 7).wrapping_mul(0xD1B5_4A32_D192_ED03) | 1);
            if pick.unit() * 100.0 >= percent {
                continue;
            }
            round = touch_round;
            touched += 1;
        }
        let a = article(&mut rng, &vocab, n, round);
        let path = out.join(&a.rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
        }
        fs::write(&path, &a.text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        bytes += a.text.len() as u64;
        if let Some(w) = ndjson.as_mut() {
            let line = serde_json::json!({
                "id": path.to_string_lossy(),
                "headline": a.headline,
                "body": a.body,
                "date": format!("{}T00:00:00Z", a.date),
            });
            writeln!(w, "{line}").unwrap_or_else(|e| panic!("ndjson: {e}"));
        }
    }
    if let Some(mut w) = ndjson {
        w.flush().unwrap_or_else(|e| panic!("ndjson: {e}"));
    }
    match touch {
        Some(_) => println!("rewrote {touched} articles ({bytes} bytes)"),
        None => println!("wrote {count} articles ({bytes} bytes)"),
    }
}
