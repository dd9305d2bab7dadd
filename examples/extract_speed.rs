//! Entity extraction alone on a folder of articles: CPU time of
//! `Extractor::entities` over every file (read into memory first), and a
//! digest of what it found, so that a faster extractor can be checked to
//! find exactly the same entities.
//!
//! ```text
//! cargo run --release --example extract_speed -- DIR [--rounds 3] [--dump FILE] [--check FILE]
//! ```
//!
//! Prints one JSON object: articles, MB, median seconds per round, MB/s and
//! the digest. `--dump FILE` writes every article's entities (one line per
//! article); `--check FILE` compares with such a file and names the first
//! article that differs.

use std::io::Write;

use news_search::entity::{Entity, Extractor};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let (mut rounds, mut dump, mut check) = (3usize, None, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => rounds = args.next().and_then(|r| r.parse().ok()).unwrap_or(3),
            "--dump" => dump = args.next(),
            "--check" => check = args.next(),
            _ => dir = Some(a),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: extract_speed DIR [--rounds N] [--dump FILE] [--check FILE]");
        std::process::exit(2);
    };
    let mut files: Vec<_> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let ex = Extractor::builtin();
    let mut times = Vec::new();
    let mut found: Vec<Vec<Entity>> = Vec::new();
    for _ in 0..rounds.max(1) {
        let started = cpu_seconds();
        found = texts.iter().map(|(_, t)| ex.entities(t)).collect();
        times.push(cpu_seconds() - started);
    }
    times.sort_by(f64::total_cmp);
    let lines: Vec<String> = found.iter().map(|es| line(es)).collect();
    let digest = lines.iter().fold(0u64, |h, l| {
        xxhash_rust::xxh3::xxh3_64_with_seed(l.as_bytes(), h)
    });
    if let Some(path) = dump {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("dump file"));
        for ((name, _), l) in texts.iter().zip(&lines) {
            writeln!(out, "{name}\t{l}").expect("dump");
        }
    }
    let mut same = None;
    if let Some(path) = check {
        let old = std::fs::read_to_string(&path).expect("check file");
        let mut differ = None;
        let mut count = 0;
        for (((name, _), l), old) in texts.iter().zip(&lines).zip(old.lines()) {
            count += 1;
            if old != format!("{name}\t{l}") && differ.is_none() {
                differ = Some(name.clone());
            }
        }
        if count != old.lines().count() || count != texts.len() {
            differ.get_or_insert_with(|| "(article count)".to_string());
        }
        if let Some(name) = &differ {
            eprintln!("first article that differs: {name}");
        }
        same = Some(differ.is_none());
    }
    let median = times[times.len() / 2];
    println!(
        "{}",
        serde_json::json!({
            "articles": texts.len(),
            "mb": bytes as f64 / 1e6,
            "seconds": median,
            "mb_per_s": bytes as f64 / 1e6 / median,
            "digest": format!("{digest:016x}"),
            "same_as_check": same,
        })
    );
}

/// One article's entities on one line: name, kind, aliases, mentions, first.
fn line(entities: &[Entity]) -> String {
    entities
        .iter()
        .map(|e| {
            format!(
                "{}|{}|{}|{}|{}",
                e.name,
                e.kind.name(),
                e.aliases.join(","),
                e.mentions,
                e.first
            )
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// CPU time of this thread, in seconds (the machine is shared: wall time
/// would count other people's work).
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}
