//! Files of many records (JSON Lines, JSON arrays) go to the writer in
//! parts: the same articles as one piece, incremental runs that replace a
//! changed file exactly, a file failing late keeping its old articles, no
//! commit holding half a file, and memory that does not grow with the
//! number of records.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use news_search::search::Engine;

use crate::harness::{Env, Rng};
use crate::hostile_input::run_measured;

/// A JSON Lines file of `n` short records, one of them (`changed`) with
/// another text; a blank line and a broken one among them.
fn jsonl(n: usize, changed: Option<usize>) -> String {
    let mut out = String::new();
    for i in 1..=n {
        let word = if Some(i) == changed {
            "revised"
        } else {
            "original"
        };
        out.push_str(&format!(
            "{{\"title\":\"Note {i}\",\"body\":\"Entry {i} {word} text marker{i}\"}}\n"
        ));
        if i == 7 {
            out.push('\n');
            out.push_str("{not json\n");
        }
    }
    out
}

/// A JSON array of `n` short records.
fn json_array(n: usize) -> String {
    let items: Vec<String> = (1..=n)
        .map(|i| format!("{{\"title\":\"Item {i}\",\"text\":\"Listed item {i} arrayword\"}}"))
        .collect();
    format!("[{}]", items.join(",\n"))
}

/// Every article of the index: id to headline.
fn articles(env: &Env) -> BTreeMap<String, String> {
    let engine = Engine::open(&env.index).unwrap();
    let mut out = BTreeMap::new();
    engine
        .for_each_article(|a| {
            assert!(
                out.insert(a.id.clone(), a.headline).is_none(),
                "duplicate {}",
                a.id
            );
            Ok(())
        })
        .unwrap();
    out
}

/// Indexes the corpus; the broken line makes every run that reads the
/// file report a bad record (exit code 3).
fn summary(env: &Env, code: i32) -> serde_json::Value {
    let corpus = env.corpus.to_str().unwrap().to_string();
    let run = env.run(&["index", "--json", "--no-entities", &corpus]);
    run.code(code);
    run.json()
}

fn canonical(path: std::path::PathBuf) -> String {
    std::fs::canonicalize(path)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn many_records_are_indexed_in_parts_and_replaced_exactly() {
    let env = Env::new();
    let lines = canonical(env.write("feed.jsonl", jsonl(2_500, None)));
    let array = canonical(env.write("list.json", json_array(2_300)));
    env.write("single.txt", "Harbour\n\nThe harbour reopened.");

    let s = summary(&env, 3);
    assert_eq!(s["indexed"], 2_500 + 2_300 + 1, "{s}");
    assert_eq!(s["skipped"]["bad-record"], 1, "{s}");
    let found = articles(&env);
    assert_eq!(found.len(), 2_500 + 2_300 + 1);
    // Ids are line numbers, and lines 8 and 9 are a blank and a broken one.
    for i in [1, 7, 8, 1_000, 1_001, 2_500] {
        let line = if i <= 7 { i } else { i + 2 };
        assert_eq!(found[&format!("{lines}#{line}")], format!("Note {i}"));
    }
    for i in [1, 999, 1_000, 1_001, 2_300] {
        assert_eq!(found[&format!("{array}#{i}")], format!("Item {i}"));
    }

    // A run with nothing changed reads nothing.
    let s = summary(&env, 0);
    assert_eq!(s["unchanged"], 2_500 + 2_300 + 1, "{s}");
    assert_eq!(s["indexed"], 0, "{s}");

    // One record changes: the file is replaced whole, once.
    env.write("feed.jsonl", jsonl(2_500, Some(1_800)));
    let s = summary(&env, 3);
    assert_eq!(s["updated"], 2_500, "{s}");
    assert_eq!(s["deleted"], 0, "{s}");
    assert_eq!(articles(&env).len(), 2_500 + 2_300 + 1);
    let hits = |q: &str| {
        env.search::<crate::contract::Results>(q, &["--no-collapse"])
            .total
    };
    assert_eq!(hits("revised"), 1);
    assert_eq!(hits("original"), 2_499);

    // Fewer records: the ones past the end leave.
    env.write("feed.jsonl", jsonl(1_200, None));
    let s = summary(&env, 3);
    assert_eq!(s["updated"], 1_200, "{s}");
    assert_eq!(s["deleted"], 1_300, "{s}");
    assert_eq!(articles(&env).len(), 1_200 + 2_300 + 1);
}

#[test]
fn a_json_array_failing_past_its_first_part_keeps_its_old_articles() {
    let env = Env::new();
    let array = canonical(env.write("list.json", json_array(3_000)));
    let corpus = env.corpus.to_str().unwrap().to_string();
    env.run(&["index", "--no-entities", &corpus]).code(0);
    assert_eq!(articles(&env).len(), 3_000);

    // Cut short after more than a part's worth of records.
    let text = json_array(3_100);
    env.write("list.json", &text[..text.len() - 40]);
    let run = env.run(&["index", "--json", "--no-entities", &corpus]);
    run.code(3);
    assert!(run.stderr.contains("list.json"), "{}", run.stderr);
    let s: serde_json::Value = run.json();
    assert_eq!(s["skipped"]["bad-record"], 1, "{s}");
    let found = articles(&env);
    assert_eq!(found.len(), 3_000);
    assert_eq!(found[&format!("{array}#3000")], "Item 3000");
}

#[test]
fn no_commit_holds_part_of_a_file() {
    let env = Env::new();
    const RECORDS: usize = 6_000;
    const NOTES: usize = 10;
    let corpus = env.corpus.to_str().unwrap().to_string();
    let feed = canonical(env.write("feed.jsonl", jsonl(RECORDS, None)));
    let notes = |round: usize| {
        for i in 0..NOTES {
            env.write(
                &format!("notes/n{i}.txt"),
                format!("Note {i} round {round}\n\nA small note."),
            );
        }
    };
    notes(0);
    // A first whole run tells how long one takes on this machine.
    let started = Instant::now();
    env.run(&["index", "--quiet", "--no-entities", &corpus]);
    let whole = started.elapsed().as_millis() as u64;
    assert_eq!(articles(&env).len(), RECORDS + NOTES);
    let mut rng = Rng(0x51ED_2701_44A9_B3C5);
    let (mut kills, mut looks) = (0, 0);
    for round in 1..=4 {
        // Every round changes the file and the notes, and commits are due
        // all the time: each commit seen while the run goes on, and the
        // one left by the kill, must hold all of the file's articles.
        env.write("feed.jsonl", jsonl(RECORDS, Some(round)));
        notes(round);
        let mut child = env
            .command(&[
                "--index",
                env.index.to_str().unwrap(),
                "index",
                "--quiet",
                "--no-entities",
                "--threads",
                "2",
                "--commit-interval",
                "0",
                &corpus,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let delay = Duration::from_millis(whole / 5 + rng.next() % (whole + 1));
        let started = Instant::now();
        loop {
            let running = child.try_wait().unwrap().is_none();
            let found = articles(&env);
            looks += 1;
            let of_feed = found.keys().filter(|id| id.starts_with(&feed)).count();
            assert_eq!(
                of_feed, RECORDS,
                "round {round}: a commit holds {of_feed} of the file's {RECORDS} articles"
            );
            if !running || started.elapsed() >= delay {
                break;
            }
        }
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let of_feed = articles(&env)
            .keys()
            .filter(|id| id.starts_with(&feed))
            .count();
        assert_eq!(of_feed, RECORDS, "round {round}: after the kill");
    }
    assert!(kills >= 2, "only {kills} kills hit a running indexer");
    assert!(looks >= 20, "only {looks} looks at the index");
    env.run(&["index", "--quiet", "--no-entities", &corpus]);
    assert_eq!(articles(&env).len(), RECORDS + NOTES);
}

#[test]
fn memory_does_not_grow_with_the_records_of_one_file() {
    let env = Env::new();
    // 300,000 records of about 20 bytes: 6 MB of text.
    let mut text = String::with_capacity(7 << 20);
    for i in 0..300_000 {
        text.push_str(&format!("{{\"title\":\"t{i}\"}}\n"));
    }
    env.write("many.jsonl", &text);
    let corpus = env.corpus.to_str().unwrap().to_string();
    let run = run_measured(
        &env,
        &["index", "--json", "--threads", "2", &corpus],
        Duration::from_secs(600),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(s["indexed"], 300_000, "{s}");
    eprintln!("peak RSS {} MB", run.peak_rss_bytes >> 20);
    assert!(
        run.peak_rss_bytes < 250 << 20,
        "peak {} MB",
        run.peak_rss_bytes >> 20
    );
}
