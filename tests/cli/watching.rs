//! `news index --watch`: real file events applied while another process
//! searches; bursts, a killed watcher that restarts, stop signals, and the
//! writer lock.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use news_search::search::Engine;

use crate::contract::Results;
use crate::harness::{Env, Server, Watcher, eventually};

/// What the README promises: a change is searchable within this time.
const PROMISED: Duration = Duration::from_secs(2);

/// Total hits of `query` from a separate `news search` process.
fn total(env: &Env, query: &str) -> usize {
    env.search::<Results>(query, &[]).total as usize
}

/// Waits until the index, opened afresh by this test's process as `news
/// search` opens it, satisfies `check`, and asserts that happened within
/// the promised time after `since`. (A `news search` process per poll would
/// measure its own start-up on a busy machine.)
#[track_caller]
fn visible_within_promise(
    env: &Env,
    what: &str,
    since: Instant,
    check: impl Fn(&BTreeMap<String, String>) -> bool,
) {
    let seen = eventually(Duration::from_secs(10), what, || {
        check(&articles(&env.index)).then(|| since.elapsed())
    });
    assert!(seen < PROMISED, "{what}: only after {seen:?}");
}

fn has_headline(articles: &BTreeMap<String, String>, headline: &str) -> bool {
    articles.values().any(|h| h == headline)
}

/// Every article of the index: id to headline.
fn articles(index: &Path) -> BTreeMap<String, String> {
    let engine = Engine::open(index).expect("the index opens");
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
        .expect("read the articles");
    out
}

/// Every article file of the folder: canonical path to headline (first line).
fn folder(corpus: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(corpus) {
        let entry = entry.expect("walk the corpus");
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).expect("read an article");
            let path = std::fs::canonicalize(entry.path()).expect("canonical path");
            let headline = text.lines().next().unwrap_or_default().to_string();
            out.insert(path.to_string_lossy().into_owned(), headline);
        }
    }
    out
}

fn story(headline: &str) -> String {
    format!(
        "{headline}\n\nThe harbour authority said the works would continue through the winter, \
         with night closures of the bridge and traffic restrictions on the coast road."
    )
}

#[test]
fn creations_edits_renames_and_deletions_are_searchable_from_another_process() {
    let env = Env::new();
    env.write("first.txt", story("Harbour works begin"));
    let watcher = Watcher::start(&env, &["--json"]);
    assert_eq!(total(&env, "harbour"), 1);

    let written = Instant::now();
    env.write("zebra.txt", story("A zebra escaped from the zoo"));
    visible_within_promise(&env, "a new file", written, |a| {
        has_headline(a, "A zebra escaped from the zoo")
    });
    assert_eq!(total(&env, "zebra"), 1);

    let edited = Instant::now();
    env.write("zebra.txt", story("A giraffe escaped from the zoo"));
    visible_within_promise(&env, "an edited file", edited, |a| {
        has_headline(a, "A giraffe escaped from the zoo") && a.len() == 2
    });
    assert_eq!(total(&env, "giraffe"), 1);
    assert_eq!(total(&env, "zebra"), 0, "the old text of an edited file");

    std::fs::create_dir_all(env.corpus.join("moved")).unwrap();
    let renamed = Instant::now();
    std::fs::rename(
        env.corpus.join("zebra.txt"),
        env.corpus.join("moved").join("giraffe.txt"),
    )
    .unwrap();
    visible_within_promise(&env, "a renamed file", renamed, |a| {
        a.len() == 2 && a.keys().any(|id| id.ends_with("/moved/giraffe.txt"))
    });
    let hits = env.search::<Results>("giraffe", &[]).hits;
    assert_eq!(hits.len(), 1);
    assert!(hits[0].id.ends_with("moved/giraffe.txt"), "{}", hits[0].id);

    let deleted = Instant::now();
    std::fs::remove_file(env.corpus.join("moved").join("giraffe.txt")).unwrap();
    visible_within_promise(&env, "a removed file", deleted, |a| a.len() == 1);
    assert_eq!(total(&env, "giraffe"), 0);

    // Bad files are reported as by a run.
    env.write("blank.txt", "");
    // Hidden files (editors' temporary copies) are left alone, as by a run.
    env.write(".draft.txt", story("A hidden okapi draft"));
    std::thread::sleep(Duration::from_millis(30));
    let run = watcher.signal(libc::SIGTERM);
    run.code(0);
    assert_eq!(total(&env, "okapi"), 0);
    assert!(
        run.stderr.contains("skipped [empty]") && run.stderr.contains("blank.txt"),
        "{}",
        run.stderr
    );
    // One summary of the whole watch: the rename counted as a move.
    let summary: serde_json::Value = run.json();
    assert_eq!(summary["indexed"], 2, "{summary}");
    assert_eq!(summary["updated"], 1, "{summary}");
    assert_eq!(summary["moved"], 1, "{summary}");
    assert_eq!(summary["deleted"], 1, "{summary}");
    assert_eq!(summary["skipped"]["empty"], 1, "{summary}");
    assert_eq!(summary["articles"], 1, "{summary}");
    let mut expected = folder(&env.corpus);
    expected.retain(|path, _| !path.ends_with("/.draft.txt") && !path.ends_with("/blank.txt"));
    assert_eq!(articles(&env.index), expected);
}

#[test]
fn a_running_server_sees_new_and_removed_files() {
    let env = Env::new();
    env.write("first.txt", story("Harbour works begin"));
    let watcher = Watcher::start(&env, &[]);
    let server = Server::start(&env, &[]);
    let hits = |q: &str| server.json(&format!("/api/search?q={q}")).1["total"].clone();
    let written = Instant::now();
    env.write("volcano.txt", story("Volcano erupts on the island"));
    eventually(
        Duration::from_secs(10),
        "the server sees the new file",
        || (hits("volcano") == 1).then_some(()),
    );
    assert!(written.elapsed() < PROMISED, "{:?}", written.elapsed());
    let removed = Instant::now();
    std::fs::remove_file(env.corpus.join("volcano.txt")).unwrap();
    eventually(
        Duration::from_secs(10),
        "the server forgets the file",
        || (hits("volcano") == 0).then_some(()),
    );
    assert!(removed.elapsed() < PROMISED, "{:?}", removed.elapsed());
    watcher.signal(libc::SIGINT).code(0);
}

#[test]
fn a_burst_of_two_thousand_files_is_indexed_in_bounded_memory() {
    let env = Env::new();
    env.write("first.txt", story("Harbour works begin"));
    let watcher = Watcher::start(&env, &[]);
    const FILES: usize = 2_000;
    for i in 0..FILES {
        env.write(
            &format!("burst/d{}/s{i}.txt", i % 10),
            story(&format!("Pier {i} report uniq{i}tag")),
        );
    }
    let engine_count = || {
        Engine::open(&env.index)
            .ok()
            .map(|e| e.searcher().num_docs() as usize)
    };
    eventually(Duration::from_secs(120), "all the burst's files", || {
        (engine_count() == Some(FILES + 1)).then_some(())
    });
    for i in [0, 777, FILES - 1] {
        assert_eq!(total(&env, &format!("uniq{i}tag")), 1, "file {i}");
    }
    // Files read right after being written have stamps too recent to
    // trust; the watch reads them again later, so the index's list of
    // such files empties instead of growing with every new file.
    eventually(Duration::from_secs(30), "stamps trusted", || {
        let catalog = news_search::store::Store::open(&env.index)
            .and_then(|store| store.catalog())
            .ok()?;
        catalog.unverified.is_empty().then_some(())
    });
    let peak_kb = peak_memory_kb(watcher.pid());
    let run = watcher.signal(libc::SIGTERM);
    run.code(0);
    assert!(
        run.stdout
            .contains(&format!("{} articles in the index", FILES + 1)),
        "{}",
        run.stdout
    );
    // The writer's budget is 48 MB; flushing and merging need about as much
    // again. A burst held whole in memory would show far above.
    if let Some(kb) = peak_kb {
        assert!(kb < 400 * 1024, "peak memory {kb} kB");
    }
    assert_eq!(articles(&env.index), folder(&env.corpus));
}

/// The process's peak resident memory, where the system tells.
fn peak_memory_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[test]
fn a_watcher_killed_and_restarted_converges_to_the_folder() {
    let env = Env::new();
    for i in 0..50 {
        env.write(
            &format!("d{}/s{i}.txt", i % 5),
            story(&format!("Story {i}")),
        );
    }
    let mut watcher = Watcher::start(&env, &[]);
    // Changes while it runs, killed in the middle of them.
    for i in 50..250 {
        env.write(
            &format!("d{}/s{i}.txt", i % 5),
            story(&format!("Story {i}")),
        );
        if i == 150 {
            watcher.kill();
        }
    }
    // More changes while nothing watches: edits, deletions, a renamed folder.
    for i in (0..50).step_by(3) {
        env.write(
            &format!("d{}/s{i}.txt", i % 5),
            story(&format!("Story {i} edited")),
        );
    }
    for i in (1..50).step_by(7) {
        let _ = std::fs::remove_file(env.corpus.join(format!("d{}/s{i}.txt", i % 5)));
    }
    std::fs::rename(env.corpus.join("d4"), env.corpus.join("d4-renamed")).unwrap();

    let watcher = Watcher::start(&env, &[]);
    assert_eq!(articles(&env.index), folder(&env.corpus));
    // And it goes on applying changes after the restart.
    std::fs::rename(env.corpus.join("d3"), env.corpus.join("d3-renamed")).unwrap();
    std::fs::remove_dir_all(env.corpus.join("d2")).unwrap();
    env.write("d1/late.txt", story("A late story"));
    let expected = folder(&env.corpus);
    eventually(Duration::from_secs(20), "the folder's state", || {
        (articles(&env.index) == expected).then_some(())
    });
    watcher.signal(libc::SIGTERM).code(0);
}

#[test]
fn sigterm_applies_what_was_seen_commits_and_exits_zero() {
    let env = Env::new();
    env.write("first.txt", story("Harbour works begin"));
    let watcher = Watcher::start(&env, &[]);
    env.write("last.txt", story("The last ferry leaves"));
    // Long enough for the event to arrive, shorter than a batch's pause.
    std::thread::sleep(Duration::from_millis(30));
    let run = watcher.signal(libc::SIGTERM);
    run.code(0);
    assert!(
        run.stdout.contains("2 articles in the index"),
        "{}",
        run.stdout
    );
    assert_eq!(total(&env, "ferry"), 1);
}

#[test]
fn a_second_writer_is_refused_while_watching() {
    let env = Env::new();
    env.write("first.txt", story("Harbour works begin"));
    let watcher = Watcher::start(&env, &[]);
    let corpus = env.corpus.to_string_lossy().into_owned();
    for args in [
        vec!["index", corpus.as_str()],
        vec!["index", "--rebuild"],
        vec!["index", "--watch", corpus.as_str()],
    ] {
        let run = env.run(&args);
        run.code(2);
        assert!(
            run.stderr.contains("being written by another process"),
            "{}",
            run.stderr
        );
    }
    watcher.signal(libc::SIGTERM).code(0);
}

#[test]
fn a_folder_moved_out_or_a_root_replaced_is_walked_again() {
    let env = Env::new();
    env.write("keep/a.txt", story("Kept story"));
    env.write("leave/b.txt", story("Leaving story okapi"));
    let outside = env.corpus.parent().unwrap().join("outside");
    let watcher = Watcher::start(&env, &[]);
    assert_eq!(total(&env, "okapi"), 1);
    // A folder moved out whole is one event for the folder only.
    std::fs::rename(env.corpus.join("leave"), &outside).unwrap();
    eventually(
        Duration::from_secs(10),
        "the moved-out folder's articles",
        || (total(&env, "okapi") == 0).then_some(()),
    );
    // The root gone (an unmounted drive): its articles are kept, past the
    // watcher's check of its roots (every second).
    let aside = env.corpus.parent().unwrap().join("corpus-old");
    std::fs::rename(&env.corpus, &aside).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(total(&env, "kept"), 1, "a missing root's articles");
    // Then replaced by another folder.
    std::fs::create_dir_all(&env.corpus).unwrap();
    env.write("new/c.txt", story("A new root with a walrus"));
    eventually(
        Duration::from_secs(10),
        "the replaced root's articles",
        || (total(&env, "walrus") == 1 && total(&env, "kept") == 0).then_some(()),
    );
    // And changes inside the new folder are watched.
    env.write("new/d.txt", story("A narwhal in the new root"));
    eventually(Duration::from_secs(10), "a file in the new root", || {
        (total(&env, "narwhal") == 1).then_some(())
    });
    let run = watcher.signal(libc::SIGTERM);
    run.code(0);
    assert!(
        run.stderr.contains("its articles are kept"),
        "{}",
        run.stderr
    );
    assert_eq!(articles(&env.index), folder(&env.corpus));
}

#[test]
fn a_watch_follows_no_link_out_of_the_roots() {
    use std::os::unix::fs::symlink;
    let env = Env::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("news")).unwrap();
    symlink(outside.path().join("news"), env.corpus.join("news")).unwrap();
    env.write("first.txt", story("Harbour works begin"));
    let watcher = Watcher::start(&env, &[]);

    // The system reports the file through the linked folder; the walk of
    // the root would skip the link, and so does the watch.
    std::fs::write(
        outside.path().join("news").join("zebra.txt"),
        story("A zebra escaped from the zoo"),
    )
    .unwrap();
    env.write("second.txt", story("A giraffe escaped from the zoo"));
    eventually(Duration::from_secs(10), "the file written last", || {
        (total(&env, "giraffe") == 1).then_some(())
    });
    assert_eq!(total(&env, "zebra"), 0, "a file outside the roots");
    watcher.signal(libc::SIGTERM).code(0);
    assert_eq!(articles(&env.index).len(), 2);
}

#[test]
fn links_removed_during_a_watch_take_their_targets_articles_along() {
    use std::os::unix::fs::symlink;
    let env = Env::new();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("okapi.txt");
    std::fs::write(&target, story("An okapi seen in the forest")).unwrap();
    std::fs::create_dir_all(outside.path().join("news")).unwrap();
    symlink(&target, env.corpus.join("okapi.txt")).unwrap();
    symlink(outside.path().join("news"), env.corpus.join("news")).unwrap();
    env.write("first.txt", story("Harbour works begin"));
    let watcher = Watcher::start(&env, &["--follow-outside"]);
    assert_eq!(total(&env, "okapi"), 1);

    // Written in the linked folder while watched: found through the link,
    // so it leaves with the link, as after a walk.
    std::fs::write(
        outside.path().join("news").join("zebra.txt"),
        story("A zebra escaped from the zoo"),
    )
    .unwrap();
    eventually(
        Duration::from_secs(10),
        "the file in the linked folder",
        || (total(&env, "zebra") == 1).then_some(()),
    );

    std::fs::remove_file(env.corpus.join("okapi.txt")).unwrap();
    eventually(
        Duration::from_secs(10),
        "the target of a removed link",
        || (total(&env, "okapi") == 0).then_some(()),
    );
    assert_eq!(total(&env, "zebra"), 1, "a file whose link is still there");
    std::fs::remove_file(env.corpus.join("news")).unwrap();
    eventually(
        Duration::from_secs(10),
        "the files of a removed link",
        || (total(&env, "zebra") == 0).then_some(()),
    );
    watcher.signal(libc::SIGTERM).code(0);
    assert!(target.exists(), "a link's target is left alone");
    let left = articles(&env.index);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left.keys().all(|id| id.ends_with("/first.txt")), "{left:?}");
}

/// `n` JSON Lines records, each an article whose text carries `word`.
fn feed(n: usize, word: &str) -> String {
    (1..=n)
        .map(|i| format!("{{\"title\":\"Note {i}\",\"body\":\"Entry {i} {word} text\"}}\n"))
        .collect()
}

#[test]
fn a_stop_during_the_first_pass_commits_no_file_in_part() {
    const RECORDS: usize = 6_000;
    let env = Env::new();
    let corpus = env.corpus.to_str().unwrap().to_string();
    let index = env.index.to_str().unwrap().to_string();
    env.write("feed.jsonl", feed(RECORDS, "original"));
    let started = Instant::now();
    env.run(&["index", "--quiet", "--no-entities", &corpus]);
    let whole = started.elapsed();
    let of_feed = |env: &Env| {
        articles(&env.index)
            .keys()
            .filter(|id| id.contains("/feed.jsonl"))
            .count()
    };
    assert_eq!(of_feed(&env), RECORDS);
    let mut inside = 0;
    let mut rng = crate::harness::Rng(0x7A7C_4E11_0B3D_95F1);
    for round in 1..=4 {
        // The file changes, so the first pass replaces all its articles,
        // in parts; the stop lands somewhere in that pass or after it.
        env.write("feed.jsonl", feed(RECORDS, &format!("round{round}")));
        let mut child = env
            .command(&[
                "--index",
                &index,
                "index",
                "--watch",
                "--no-entities",
                "--threads",
                "2",
                "--commit-interval",
                "0",
                &corpus,
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = crate::harness::drain(child.stderr.take().unwrap());
        let span = whole.as_millis() as u64;
        std::thread::sleep(Duration::from_millis(
            span / 4 + rng.next() % (span / 2 + 1),
        ));
        // SAFETY: a plain kill(2) of our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let status = child.wait().unwrap();
        let stderr = stderr.join().unwrap();
        assert_eq!(status.code(), Some(0), "round {round}: {stderr}");
        if !stderr.contains("watching ") {
            inside += 1;
        }
        let n = of_feed(&env);
        assert_eq!(
            n, RECORDS,
            "round {round}: the commit holds {n} of the file's {RECORDS} articles"
        );
        let hits = env.search::<Results>(&format!("round{round}"), &[]).total as usize;
        assert!(
            hits == 0 || hits == RECORDS,
            "round {round}: {hits} articles of the new text"
        );
    }
    assert!(inside >= 2, "only {inside} stops landed in the first pass");
}
