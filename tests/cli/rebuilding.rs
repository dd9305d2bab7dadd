//! `news index --rebuild` on a live index: readers, a running server
//! included, see the old index until the new one is complete, and a
//! rebuild that dies leaves the old index as it was.

use std::io::{BufRead, BufReader, Lines};
use std::os::fd::AsRawFd;
use std::process::{Child, ChildStderr, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::harness::{Env, Server, eventually};

fn story(i: usize) -> String {
    format!(
        "Harbour report {i}\n\nThe harbour authority said the works on pier {i} would continue \
         through the winter, with night closures of the bridge."
    )
}

fn write_stories(env: &Env, range: std::ops::Range<usize>) {
    for i in range {
        env.write(&format!("d{}/s{i}.txt", i % 8), story(i));
    }
}

/// Articles matching "harbour", from a separate `news search` process;
/// `None` when the search failed.
fn searched_total(env: &Env) -> Option<u64> {
    let run = env.run(&["search", "--json", "--", "harbour"]);
    (run.code == 0 || run.code == 1)
        .then(|| serde_json::from_str::<serde_json::Value>(&run.stdout).ok())
        .flatten()
        .and_then(|v| v["total"].as_u64())
}

/// A slow rebuild (one thread, a commit every tenth of a second, which an
/// in-place rebuild would expose to every reader) that reports each file
/// and each commit as a line on a pipe of one page: while the test does not
/// read, the rebuild soon waits on the pipe, so the test decides how far it
/// goes, however fast the machine.
fn start_rebuild(env: &Env) -> (Child, Lines<BufReader<ChildStderr>>) {
    let index = env.index.to_string_lossy().into_owned();
    let mut rebuild = env
        .command(&[
            "--index",
            &index,
            "index",
            "--rebuild",
            "--threads",
            "1",
            "--commit-interval",
            "0.1",
        ])
        .env("NEWS_PROGRESS_LINES", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the rebuild");
    let stderr = rebuild.stderr.take().expect("the rebuild's stderr");
    // SAFETY: a plain fcntl on a pipe this test owns.
    let resized = unsafe { libc::fcntl(stderr.as_raw_fd(), libc::F_SETPIPE_SZ, 4096) };
    assert!(resized >= 4096, "the pipe was not resized");
    (rebuild, BufReader::new(stderr).lines())
}

#[test]
fn readers_never_see_the_count_drop_during_a_rebuild() {
    const OLD: usize = 400;
    // The server is asked every 100 files: about 30 times over the rebuild.
    const NEW: usize = 3000;
    let env = Env::new();
    write_stories(&env, 0..OLD);
    env.index_corpus();
    let server = Server::start(&env, &[]);
    let served = |server: &Server| {
        server.json("/api/search?q=harbour").1["total"]
            .as_u64()
            .unwrap_or(0)
    };
    assert_eq!(served(&server), OLD as u64);
    write_stories(&env, OLD..NEW);

    let (mut rebuild, lines) = start_rebuild(&env);
    let done = Arc::new(AtomicBool::new(false));
    // Another process searching the whole time.
    let poller = {
        let done = Arc::clone(&done);
        let index = env.index.clone();
        let corpus = env.corpus.clone();
        std::thread::spawn(move || {
            let env = Env::with_paths(corpus, index);
            let mut seen = Vec::new();
            while !done.load(Ordering::Relaxed) {
                seen.push(searched_total(&env));
            }
            seen
        })
    };
    // The server asked at every commit of the rebuild and every 100 files.
    let mut served_counts = vec![served(&server)];
    let mut files = 0;
    for line in lines {
        let line = line.expect("the rebuild's progress");
        files += usize::from(line.starts_with("progress"));
        if line == "committing" || (line.starts_with("progress") && files % 100 == 0) {
            served_counts.push(served(&server));
        }
    }
    let status = rebuild.wait().expect("wait for the rebuild");
    done.store(true, Ordering::Relaxed);
    let searched = poller.join().expect("poller");
    assert!(status.success(), "the rebuild failed: {status:?}");
    assert!(
        served_counts.len() > 30,
        "the server was asked {} times",
        served_counts.len()
    );
    for total in &served_counts {
        assert!(
            *total == OLD as u64 || *total == NEW as u64,
            "the server saw {total} articles during the rebuild: {served_counts:?}"
        );
    }
    for total in &searched {
        assert!(
            *total == Some(OLD as u64) || *total == Some(NEW as u64),
            "a search saw {total:?} during the rebuild: {searched:?}"
        );
    }
    // The server follows the switch to the new index.
    eventually(
        Duration::from_secs(5),
        "the server on the new index",
        || (served(&server) == NEW as u64).then_some(()),
    );
    assert_eq!(searched_total(&env), Some(NEW as u64));
}

#[test]
fn a_rebuild_killed_midway_leaves_the_old_index_searchable() {
    const OLD: usize = 300;
    const NEW: usize = 3_000;
    let env = Env::new();
    write_stories(&env, 0..OLD);
    env.index_corpus();
    write_stories(&env, OLD..OLD + NEW);
    let staging = env
        .index
        .parent()
        .expect("index parent")
        .join(".index.rebuild");
    // Killed once it has committed into the new index: the test stops
    // reading at the first commit, so the rebuild cannot finish (and
    // switch) before the kill.
    let (mut rebuild, mut lines) = start_rebuild(&env);
    assert!(
        lines.any(|line| line.is_ok_and(|line| line == "committing")),
        "the rebuild ended before its first commit"
    );
    eventually(Duration::from_secs(60), "a commit of the rebuild", || {
        let holds_articles = std::fs::read_to_string(staging.join("meta.json"))
            .is_ok_and(|meta| meta.contains("\"max_doc\""));
        holds_articles.then_some(())
    });
    rebuild.kill().expect("kill the rebuild");
    let status = rebuild.wait().expect("wait for the rebuild");
    assert_eq!(status.code(), None, "the rebuild was not stopped midway");
    drop(lines);
    assert_eq!(searched_total(&env), Some(OLD as u64));
    // The next rebuild completes over what the dead one left.
    let index = env.index.to_string_lossy().into_owned();
    env.run_raw(&["--index", &index, "index", "--rebuild"])
        .code(0);
    assert_eq!(searched_total(&env), Some((OLD + NEW) as u64));
    assert!(!staging.exists());
}
