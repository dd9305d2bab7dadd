//! Crash safety: `kill -9` at random moments of `news index`. After every
//! kill the index opens at its last commit with no duplicated or phantom
//! articles and no committed article lost; a final run converges to exactly
//! the folder's articles.
//!
//! Where to kill is decided by the run's own progress (`NEWS_PROGRESS_LINES`
//! prints a line per file processed and per commit), not by wall time, so
//! the kills land inside runs on a fast machine as on a slow one.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};

use news_search::search::Engine;

use crate::harness::{Env, Rng};

const FILES: usize = 900;
const KILLS: usize = 20;

fn articles(index: &std::path::Path) -> Option<BTreeMap<String, String>> {
    let engine = match Engine::open(index) {
        Ok(engine) => engine,
        Err(news_search::Error::MissingIndex(_)) => return None,
        Err(e) => panic!("the index does not open after a kill: {e}"),
    };
    let mut out = BTreeMap::new();
    engine
        .for_each_article(|a| {
            assert!(
                out.insert(a.id.clone(), a.headline).is_none(),
                "duplicate article {}",
                a.id
            );
            Ok(())
        })
        .unwrap();
    Some(out)
}

#[test]
fn kill_9_at_random_moments_keeps_the_index_consistent() {
    let env = Env::new();
    let paragraph = "The harbour authority said the works would continue through the winter, \
        with traffic restrictions on the coast road and night closures of the bridge. ";
    // Every version each file has had: a killed run may leave an older
    // version committed, but never a text the file never held.
    let mut versions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let write = |i: usize, round: usize, versions: &mut BTreeMap<String, Vec<String>>| {
        let headline = format!("Harbour works update {i} version {round}");
        let path = env.write(
            &format!("d{}/story-{i}.txt", i % 7),
            format!(
                "{headline}\n\n{}Item {i}.",
                paragraph.repeat(1 + (i + round) % 9)
            ),
        );
        let id = std::fs::canonicalize(path)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        versions.entry(id.clone()).or_default().push(headline);
        id
    };
    for i in 0..FILES {
        write(i, 0, &mut versions);
    }
    let corpus = env.corpus.to_str().unwrap().to_string();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut committed = 0;
    let mut killed_mid_run = 0;
    for round in 1..=KILLS {
        // Each round changes a third of the files, so every run has work.
        for _ in 0..FILES / 3 {
            let i = (rng.next() % FILES as u64) as usize;
            write(i, round, &mut versions);
        }
        let mut child = env
            .command(&[
                "--index",
                env.index.to_str().unwrap(),
                "index",
                "--quiet",
                "--commit-interval",
                "0.05",
                &corpus,
            ])
            .env("NEWS_PROGRESS_LINES", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Kill after a random number of files processed (0: at start-up;
        // always fewer than a round's changed files), or, one round in
        // four, as the run's first commit is being written.
        let (unit, target) = if rng.next().is_multiple_of(4) {
            ("committing", 1)
        } else {
            ("progress", rng.next() % (FILES as u64 / 6))
        };
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let mut seen = 0;
        let mut reached = target == 0;
        if !reached {
            for line in stderr.lines() {
                let Ok(line) = line else { break };
                if line.starts_with(unit) {
                    seen += 1;
                    if seen >= target {
                        reached = true;
                        break;
                    }
                }
            }
        }
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        // Killed, not exited: the kill came while the run was working.
        if reached && status.code().is_none() {
            killed_mid_run += 1;
        }
        let Some(found) = articles(&env.index) else {
            assert_eq!(
                committed, 0,
                "round {round}: the index vanished after commits"
            );
            continue;
        };
        for (id, headline) in &found {
            let known = versions.get(id).is_some_and(|v| v.contains(headline));
            assert!(known, "round {round}: phantom article {id} ({headline})");
        }
        assert!(
            found.len() >= committed,
            "round {round}: {} articles, {committed} were committed",
            found.len()
        );
        committed = found.len();
    }
    // Every target is reached before a run ends; a kill can still come
    // late only when the test itself is not scheduled in time.
    assert!(
        killed_mid_run >= KILLS * 3 / 4,
        "only {killed_mid_run} of {KILLS} kills hit a running indexer"
    );
    env.run(&["index", "--quiet", &corpus]).code(0);
    let latest: BTreeMap<String, String> = versions
        .into_iter()
        .map(|(id, v)| (id, v.last().cloned().unwrap_or_default()))
        .collect();
    assert_eq!(articles(&env.index).map(|a| a.len()), Some(FILES));
    assert_eq!(articles(&env.index), Some(latest));
}
