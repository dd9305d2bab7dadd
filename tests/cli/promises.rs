//! Behaviours and numbers the README states that no other test pins down:
//! change detection and its racy window, the folding threshold and which
//! copy is kept, the headline weight, the JSON keys of every command, the
//! server's limits, the walk, the remembered gazetteer, missing roots and
//! the query language's precedence and limits.

use std::path::Path;
use std::time::{Duration, SystemTime};

use news_search::extract::fingerprint::Fingerprint;

use crate::contract::{IndexSummary, Mentions, Results, Shown, Stats};
use crate::harness::{Env, Server};

/// Sets a file's modification time.
fn set_mtime(path: &Path, when: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(when))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn index_summary(env: &Env, extra: &[&str]) -> IndexSummary {
    let corpus = env.corpus.to_str().unwrap().to_string();
    let mut args = vec!["index", "--json"];
    args.extend_from_slice(extra);
    args.push(&corpus);
    let run = env.run(&args);
    run.code(0);
    run.json()
}

// ------------------------------------------------------------- indexing

#[cfg(unix)]
#[test]
fn a_file_with_unchanged_size_and_mtime_is_not_even_read() {
    use std::os::unix::fs::PermissionsExt;
    // Unprivileged, so that a file of mode 000 cannot be read.
    let env = Env::unprivileged();
    let old = SystemTime::now() - Duration::from_secs(3600);
    let a = env.write(
        "a.txt",
        "Harbour report\n\nThe quay reopened after repairs.",
    );
    let b = env.write("b.txt", "Tram report\n\nThe tram line opened on time.");
    set_mtime(&a, old);
    set_mtime(&b, old);
    assert_eq!(index_summary(&env, &[]).indexed, 2);
    // Same size and time, other words: a read would see them.
    std::fs::write(&a, "Harbour report\n\nThe quay reopened after rebuild.").unwrap();
    set_mtime(&a, old);
    // Unreadable, same stamp: a read would fail.
    std::fs::set_permissions(&b, std::fs::Permissions::from_mode(0o000)).unwrap();
    let s = index_summary(&env, &[]);
    std::fs::set_permissions(&b, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!((s.unchanged, s.updated), (2, 0), "{s:?}");
    assert!(s.skipped.is_empty(), "{s:?}");
    assert_eq!(env.search::<Results>("repairs", &[]).total, 1);
    assert_eq!(env.search::<Results>("rebuild", &[]).total, 0);
}

#[cfg(unix)]
#[test]
fn a_touched_file_counts_as_unchanged_and_its_new_stamp_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::unprivileged();
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let a = env.write(
        "a.txt",
        "Harbour report\n\nThe quay reopened after repairs.",
    );
    set_mtime(&a, hour_ago - Duration::from_secs(3600));
    assert_eq!(index_summary(&env, &[]).indexed, 1);
    // A new checkout: same content, another time.
    set_mtime(&a, hour_ago);
    let s = index_summary(&env, &[]);
    assert_eq!((s.unchanged, s.updated, s.indexed), (1, 0, 0), "{s:?}");
    // The new stamp was recorded: the next run does not read the file.
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o000)).unwrap();
    let s = index_summary(&env, &[]);
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(s.unchanged, 1, "{s:?}");
    assert!(s.skipped.is_empty(), "{s:?}");
}

#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_read_keeps_its_articles() {
    use std::os::unix::fs::PermissionsExt;
    // Run as root, `news` could read a folder of mode 000.
    let env = Env::unprivileged();
    env.write(
        "closed/harbour.txt",
        "Harbour report\n\nThe quay reopened after repairs.",
    );
    let other = env.write("other.txt", "Ferry report\n\nThe ferry left at noon.");
    env.write("kept.txt", "Market report\n\nThe market opened early.");
    assert_eq!(index_summary(&env, &[]).indexed, 3);
    let closed = env.corpus.join("closed");
    let mode = |m| std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(m));
    mode(0o000).unwrap();
    std::fs::remove_file(&other).unwrap();
    let run = env.run(&["index", "--json", env.corpus.to_str().unwrap()]);
    mode(0o755).unwrap();
    let s: IndexSummary = run.json();
    // The file removed beside it leaves; what the folder held stays.
    assert_eq!((s.deleted, s.articles), (1, 2), "{s:?}");
    assert!(run.stderr.contains("closed"), "{}", run.stderr);
    assert_eq!(env.search::<Results>("quay", &[]).total, 1);
    assert_eq!(env.search::<Results>("ferry", &[]).total, 0);
    // Readable again and emptied: its file leaves too.
    std::fs::remove_file(closed.join("harbour.txt")).unwrap();
    let s = index_summary(&env, &[]);
    assert_eq!((s.deleted, s.articles), (1, 1), "{s:?}");
    assert_eq!(env.search::<Results>("quay", &[]).total, 0);
}

#[test]
fn a_file_written_within_two_seconds_of_a_run_is_hashed_again() {
    let env = Env::new();
    // Stamps set explicitly, one second and four seconds before the run
    // starts (the window is measured from the start, before any work).
    let now = SystemTime::now();
    let (inside, outside) = (now - Duration::from_secs(1), now - Duration::from_secs(4));
    let recent = env.write("recent.txt", "Recent ferry\n\nThe ferry left at noon.");
    let older = env.write("older.txt", "Older ferry\n\nThe ferry left at dawn.");
    set_mtime(&recent, inside);
    set_mtime(&older, outside);
    assert_eq!(index_summary(&env, &[]).indexed, 2);
    // Same-size edits that keep the stamps, as within one clock tick.
    std::fs::write(&recent, "Recent ferry\n\nThe ferry left at nine.").unwrap();
    std::fs::write(&older, "Older ferry\n\nThe ferry left at dusk.").unwrap();
    set_mtime(&recent, inside);
    set_mtime(&older, outside);
    let s = index_summary(&env, &[]);
    assert_eq!((s.updated, s.unchanged), (1, 1), "{s:?}");
    assert_eq!(env.search::<Results>("nine", &[]).total, 1);
    // Outside the window the stamp is trusted: the documented limit.
    assert_eq!(env.search::<Results>("dusk", &[]).total, 0);
    assert_eq!(env.search::<Results>("dawn", &[]).total, 1);
}

#[test]
fn hidden_files_and_folders_are_skipped() {
    let env = Env::new();
    env.write(
        "visible.txt",
        "Visible story\n\nThe lighthouse keeper retired.",
    );
    env.write(".hidden.txt", "Hidden story\n\nThe lighthouse was sold.");
    env.write(
        ".git/notes.txt",
        "Hidden folder\n\nThe lighthouse was painted.",
    );
    env.write("sub/.draft.md", "# Hidden draft\n\nThe lighthouse closed.");
    let s = index_summary(&env, &[]);
    assert_eq!((s.indexed, s.articles), (1, 1), "{s:?}");
    let r: Results = env.search("lighthouse", &[]);
    assert_eq!(r.files(), vec!["visible.txt"]);
}

#[test]
fn the_entities_file_is_remembered_for_later_runs() {
    let gazetteer = "# name\ttype\taliases\nZentara Veld\tplace\tVeld\n";
    let story = "Ferry news\n\nthe ferry to Zentara Veld was cancelled again today.";
    // Without the gazetteer the name is not a place.
    let plain = Env::new();
    plain.write("b.txt", story);
    plain.index_corpus();
    let hit = &plain.search::<Results>("ferry", &[]).hits[0];
    assert!(
        !hit.has_entity("Zentara Veld", "place"),
        "{:?}",
        hit.entities
    );

    let env = Env::new();
    let file = env.write("../gazetteer.tsv", gazetteer);
    env.write("a.txt", "Port news\n\nthe port of Veld reopened.");
    let corpus = env.corpus.to_str().unwrap().to_string();
    env.run(&["index", "--entities-file", file.to_str().unwrap(), &corpus])
        .code(0);
    env.write("b.txt", story);
    // No flag: the file given before is used again.
    env.run(&["index"]).code(0);
    let hit = &env.search::<Results>("ferry", &[]).hits[0];
    assert!(
        hit.has_entity("Zentara Veld", "place"),
        "{:?}",
        hit.entities
    );
    // Searches read the file's aliases too: a filter by the short form
    // finds the story that only spells the name out.
    let by_alias: Results = env.search("*", &["--place", "Veld", "--no-collapse"]);
    let mut files = by_alias.files();
    files.sort();
    assert_eq!(files, vec!["a.txt", "b.txt"]);
}

#[test]
fn a_missing_root_keeps_its_articles() {
    let env = Env::new();
    env.write("one/a.txt", "Alpha\n\nThe first root holds this story.");
    env.write("two/b.txt", "Bravo\n\nThe second root holds this story.");
    env.index_path(&env.corpus.join("one")).code(0);
    env.index_path(&env.corpus.join("two")).code(0);
    // As an unmounted drive: the folder is gone.
    std::fs::rename(env.corpus.join("two"), env.corpus.join("elsewhere")).unwrap();
    env.write("one/c.txt", "Charlie\n\nThe first root gets a new story.");
    let run = env.run(&["index", "--json"]);
    run.code(0);
    let s: IndexSummary = run.json();
    assert_eq!((s.indexed, s.deleted, s.articles), (1, 0, 3), "{s:?}");
    assert!(run.stderr.contains("two"), "no note of the missing root");
    assert_eq!(env.search::<Results>("bravo", &[]).total, 1);
}

#[test]
fn no_entities_skips_extraction() {
    let story =
        "Talks\n\nMarcelo Ebrard met the Drug Enforcement Administration (DEA) in Mexico City.";
    let with = Env::new();
    with.write("a.txt", story);
    with.index_corpus();
    assert_eq!(with.search::<Results>("org:DEA", &[]).total, 1);
    let without = Env::new();
    without.write("a.txt", story);
    let corpus = without.corpus.to_str().unwrap().to_string();
    without.run(&["index", "--no-entities", &corpus]).code(0);
    assert_eq!(without.search::<Results>("org:DEA", &[]).total, 0);
    let r: Results = without.search("Ebrard", &[]);
    assert_eq!(r.total, 1);
    assert!(r.hits[0].entities.is_empty(), "{:?}", r.hits[0].entities);
}

// ------------------------------------------------- duplicates and ranking

/// A made-up word per number, distinct from every other and from English.
fn word(i: usize) -> String {
    const C: &[u8] = b"bdfgklmnprstvz";
    const V: &[u8] = b"aeiou";
    let mut w = String::from("q");
    let mut n = i + 1;
    while n > 0 {
        w.push(C[n % C.len()] as char);
        n /= C.len();
        w.push(V[n % V.len()] as char);
    }
    w
}

/// A body of 100 words: the first `shared` are those of the original, the
/// rest its own.
fn body(shared: usize, own_from: usize) -> String {
    let words: Vec<String> = (0..shared)
        .map(word)
        .chain((own_from..own_from + 100 - shared).map(word))
        .collect();
    format!("harbour {}.", words.join(" "))
}

/// A copy of `body(100, 0)` whose estimated similarity to it lies in
/// `range` (the estimate is deterministic: the copy is found by trying).
fn copy_with_similarity(range: std::ops::Range<f32>) -> (String, f32) {
    let original = Fingerprint::of(&body(100, 0)).unwrap();
    (0..100)
        .find_map(|shared| {
            let copy = body(shared, 1_000);
            let s = original.similarity(&Fingerprint::of(&copy)?);
            range.contains(&s).then_some((copy, s))
        })
        .unwrap_or_else(|| panic!("no copy with a similarity in {range:?}"))
}

#[test]
fn near_duplicates_fold_at_an_estimated_jaccard_of_one_half() {
    for (range, folds) in [(0.5..0.57, true), (0.43..0.5, false)] {
        let (copy, similarity) = copy_with_similarity(range);
        let env = Env::new();
        env.write("original.txt", format!("Original\n\n{}", body(100, 0)));
        env.write("copy.txt", format!("Copy\n\n{copy}"));
        env.index_corpus();
        let r: Results = env.search("harbour", &[]);
        assert_eq!(r.total, 2);
        assert_eq!(
            r.hits.len(),
            if folds { 1 } else { 2 },
            "similarity {similarity}: {:?}",
            r.files()
        );
        assert_eq!(
            r.hits[0].duplicates.len(),
            usize::from(folds),
            "similarity {similarity}"
        );
    }
}

#[test]
fn near_duplicates_fold_into_the_best_ranked_copy() {
    let text = body(100, 0);
    // Either name first, so that the order of files decides nothing.
    for (best, other) in [("a.txt", "b.txt"), ("b.txt", "a.txt")] {
        let env = Env::new();
        env.write(best, format!("Harbour talks resume\n\n{text}"));
        env.write(other, format!("Port talks resume\n\n{text}"));
        env.index_corpus();
        let all: Results = env.search("harbour", &["--no-collapse"]);
        assert_eq!(
            all.files(),
            vec![best, other],
            "the headline match ranks first"
        );
        let r: Results = env.search("harbour", &[]);
        assert_eq!(r.files(), vec![best]);
        assert_eq!(r.total, 2);
        assert_eq!(r.hits[0].duplicates.len(), 1);
        assert!(r.hits[0].duplicates[0].ends_with(other));
    }
}

#[test]
fn a_headline_match_counts_one_and_a_half_times_a_body_match() {
    // The same words, swapped between headline and body: each field has
    // the same length and statistics, so only the field weight differs.
    let env = Env::new();
    env.write("head.txt", "zorbix quell\n\nvantor plim.");
    env.write("body.txt", "vantor plim\n\nzorbix quell.");
    let corpus = env.corpus.to_str().unwrap().to_string();
    env.run(&["index", "--no-entities", &corpus]).code(0);
    let r: Results = env.search("zorbix", &[]);
    assert_eq!(r.files(), vec!["head.txt", "body.txt"]);
    let ratio = r.hits[0].score / r.hits[1].score;
    assert!((ratio - 1.5).abs() < 0.01, "headline / body score {ratio}");
}

// -------------------------------------------------------------- queries

#[test]
fn source_queries_match_the_exact_source() {
    let env = Env::new();
    env.write(
        "a.md",
        "---\ntitle: Tide tables\nsource: Meridian Wire\n---\n\nThe tide tables changed.",
    );
    env.write(
        "b.md",
        "---\ntitle: Tide gauges\nsource: Meridian Post\n---\n\nThe tide gauges failed.",
    );
    env.write(
        "c.txt",
        "Tide news\n\nMeridian Wire said the tide was high.",
    );
    env.index_corpus();
    let r: Results = env.search("source:\"Meridian Wire\"", &[]);
    assert_eq!(r.files(), vec!["a.md"]);
    assert_eq!(r.hits[0].source.as_deref(), Some("Meridian Wire"));
    let r: Results = env.search("tide source:\"Meridian Post\"", &[]);
    assert_eq!(r.files(), vec!["b.md"]);
    assert_eq!(env.search::<Results>("source:Meridian", &[]).total, 0);
}

#[test]
fn and_binds_tighter_than_or() {
    let env = Env::new();
    env.write("a.txt", "One\n\nalpha stands alone here.");
    env.write("b.txt", "Two\n\nbravo stands alone here.");
    env.write("bc.txt", "Three\n\nbravo and charlie stand together.");
    env.write("c.txt", "Four\n\ncharlie stands alone here.");
    env.index_corpus();
    // alpha OR (bravo AND charlie), not (alpha OR bravo) AND charlie.
    for q in ["alpha OR bravo AND charlie", "bravo AND charlie OR alpha"] {
        let mut files = env.search::<Results>(q, &[]).files();
        files.sort();
        assert_eq!(files, vec!["a.txt", "bc.txt"], "{q}");
    }
}

#[test]
fn query_limits_are_the_stated_numbers() {
    let env = Env::new();
    env.write("a.txt", "Floods\n\nThe river burst its banks.");
    env.index_corpus();
    let ok = |args: &[&str]| {
        let run = env.run(args);
        assert!(
            run.code == 0 || run.code == 1,
            "{}: {}",
            run.cmdline,
            run.stderr
        );
    };
    let refused = |args: &[&str], says: &str| {
        let run = env.run(args);
        run.code(2);
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains(says), "{}: {}", run.cmdline, run.stderr);
    };
    let terms = |n: usize| vec!["r"; n].join(" ");
    ok(&["search", &terms(1_024)]);
    refused(&["search", &terms(1_025)], "terms");
    let nested = |n: usize| format!("{}river{}", "(".repeat(n), ")".repeat(n));
    ok(&["search", &nested(16)]);
    refused(&["search", &nested(17)], "nest");
    let long = |n: usize| format!("river {}", "x".repeat(n - 6));
    ok(&["search", &long(4_096)]);
    refused(&["search", &long(4_097)], "too long");
    ok(&["search", "--limit", "10000", "river"]);
    refused(&["search", "--limit", "10001", "river"], "limit");
    ok(&["search", "--offset", "100000", "river"]);
    refused(&["search", "--offset", "100001", "river"], "offset");
}

// ---------------------------------------------------------- JSON contract

#[test]
fn every_documented_key_is_present_with_null_where_empty() {
    let env = Env::new();
    let undated = env.write("undated.txt", "Quiet day\n\nNothing happened at the quay.");
    env.write(
        "2021-03-05-talks.md",
        "---\ntitle: Security talks\nsource: Meridian Wire\n---\n\nMarcelo Ebrard met the Drug Enforcement Administration (DEA) at the quay.",
    );
    let s: IndexSummary = {
        let run = env.run(&["index", "--json", env.corpus.to_str().unwrap()]);
        run.code(0);
        run.json()
    };
    assert_eq!(s.indexed, 2);
    let r: Results = env.search("quay", &[]);
    let by_file = |f: &str| r.hits.iter().find(|h| h.path.ends_with(f)).unwrap();
    let quiet = by_file("undated.txt");
    assert_eq!(
        (quiet.date.as_deref(), quiet.source.as_deref()),
        (None, None)
    );
    assert_eq!(quiet.lang, "en");
    let talks = by_file("talks.md");
    assert_eq!(talks.date.as_deref(), Some("2021-03-05"));
    assert_eq!(talks.source.as_deref(), Some("Meridian Wire"));
    assert!(talks.has_entity("DEA", "org"), "{:?}", talks.entities);

    let run = env.run(&["show", "--json", undated.to_str().unwrap()]);
    run.code(0);
    let shown: Shown = run.json();
    assert_eq!(
        (shown.date, shown.date_source, shown.url, shown.crawled),
        (None, None, None, None)
    );
    assert_eq!(shown.format, "txt");
    assert_eq!(shown.headline, "Quiet day");

    let run = env.run(&["stats", "--json"]);
    run.code(0);
    let stats: Stats = run.json();
    assert_eq!((stats.articles, stats.undated), (2, 1));

    let text = env.write("../text.txt", "Marcelo Ebrard flew to Lisbon.");
    let run = env.run(&["entities", "--json", text.to_str().unwrap()]);
    run.code(0);
    let mentions: Mentions = run.json();
    let m = &mentions.entities[0];
    assert_eq!(
        (m.text.as_str(), m.kind.as_str(), m.start, m.end),
        ("Marcelo Ebrard", "person", 0, 14)
    );
}

#[test]
fn a_renamed_or_missing_key_breaks_the_contract() {
    let env = Env::new();
    env.write("a.txt", "Floods\n\nThe river burst its banks.");
    env.index_corpus();
    let run = env.run(&["search", "--json", "river"]);
    run.code(0);
    let good: serde_json::Value = run.json();
    assert!(serde_json::from_value::<Results>(good.clone()).is_ok());
    let renamed = {
        let mut v = good.clone();
        let hit = v["hits"][0].as_object_mut().unwrap();
        let lang = hit.remove("lang").unwrap();
        hit.insert("language".into(), lang);
        v
    };
    assert!(serde_json::from_value::<Results>(renamed).is_err());
    for key in ["date", "source", "duplicates", "lang"] {
        let mut v = good.clone();
        v["hits"][0].as_object_mut().unwrap().remove(key);
        assert!(
            serde_json::from_value::<Results>(v).is_err(),
            "{key} may be left out"
        );
    }
}

// --------------------------------------------------------------- server

#[test]
fn the_server_takes_twenty_entity_filters_and_bodies_of_16_kb() {
    let env = Env::new();
    env.write("a.txt", "Floods\n\nThe river burst its banks.");
    env.index_corpus();
    let server = Server::start(&env, &[]);
    let filters = |n: usize| format!("/api/search?q=river{}", "&entity=Port%20Aldren".repeat(n));
    assert_eq!(server.json(&filters(20)).0, 200);
    let (status, body) = server.json(&filters(21));
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("bad_parameter"))
    );
    let with_body = |n: usize| {
        let mut request = format!(
            "GET /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n"
        )
        .into_bytes();
        request.extend(std::iter::repeat_n(b'x', n));
        server.raw(&request).0
    };
    assert_eq!(with_body(16 * 1024), 200);
    assert_eq!(with_body(16 * 1024 + 1), 413);
}

#[test]
fn requests_are_limited_to_ten_seconds() {
    assert_eq!(news_search::serve::REQUEST_TIMEOUT, Duration::from_secs(10));
}

/// Starts `news serve --listen ADDR`; returns what it printed on stderr
/// by the time it said where it listens.
fn serve_stderr(env: &Env, listen: &str) -> String {
    use std::io::{BufRead, BufReader};
    let mut child = env
        .command(&[
            "--index",
            env.index.to_str().unwrap(),
            "serve",
            "--listen",
            listen,
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let _ = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("http://"), "the server did not start: {line}");
    let mut err = String::new();
    let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
    err
}

#[test]
fn listening_beyond_loopback_prints_a_warning() {
    let env = Env::new();
    env.write("a.txt", "Floods\n\nThe river burst its banks.");
    env.index_corpus();
    let shared = serve_stderr(&env, "0.0.0.0:0");
    assert!(
        shared.contains("warning") && shared.contains("anyone on the network"),
        "{shared}"
    );
    let local = serve_stderr(&env, "127.0.0.1:0");
    assert!(!local.contains("warning"), "{local}");
}

#[test]
fn the_api_pages_ten_hits_by_default_up_to_100_and_takes_2000_characters() {
    let env = Env::new();
    for i in 0..12 {
        env.write(
            &format!("a{i}.txt"),
            format!("Story {i}\n\nThe river rose again, item {i}."),
        );
    }
    env.index_corpus();
    let server = Server::start(&env, &[]);
    let hits = |path: &str| {
        let (status, body) = server.json(path);
        assert_eq!(status, 200, "{path}: {body}");
        let r: Results = serde_json::from_value(body).unwrap();
        r.hits.len()
    };
    assert_eq!(hits("/api/search?q=river"), 10);
    assert_eq!(hits("/api/search?q=river&limit=100"), 12);
    assert_eq!(hits("/api/search?q=river&offset=10000"), 0);
    let query = |n: usize| format!("/api/search?q=river%20{}", "x".repeat(n - 6));
    assert_eq!(server.json(&query(2_000)).0, 200);
    let (status, body) = server.json(&query(2_001));
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("bad_query"))
    );
}

#[test]
fn the_date_histogram_counts_years_once_the_matches_span_three_years() {
    let histogram = |dates: &[&str]| {
        let env = Env::new();
        for d in dates {
            env.write(
                &format!("{d}.txt"),
                format!("Report {d}\n\nThe river rose."),
            );
        }
        env.index_corpus();
        let r: Results = env.search("river", &["--facets"]);
        r.facets.expect("facets").date
    };
    let months = histogram(&["2019-01-05", "2021-12-20"]);
    assert_eq!(
        months,
        vec![("2019-01".to_string(), 1), ("2021-12".to_string(), 1)]
    );
    let years = histogram(&["2019-01-05", "2022-01-03"]);
    assert_eq!(
        years,
        vec![("2019".to_string(), 1), ("2022".to_string(), 1)]
    );
}

#[test]
fn query_forms_of_the_syntax_table() {
    let env = Env::new();
    env.write(
        "2020-06-01-a.txt",
        "Alpha\n\nThe quay report of the year, zulu.",
    );
    env.write(
        "2021-03-01-b.txt",
        "Bravo\n\nThe quay report of the month, yankee.",
    );
    env.write(
        "2021-06-01-c.txt",
        "Charlie\n\nThe quay report of the week, xray.",
    );
    env.write(
        "2022-06-01-d.txt",
        "Delta\n\nThe quay report of the day, whiskey.",
    );
    env.write(
        "undated-e.txt",
        "Echo\n\nThe quay report of no date, victor.",
    );
    env.index_corpus();
    let files = |q: &str| {
        let mut f = env.search::<Results>(q, &["--no-collapse"]).files();
        f.sort();
        f
    };
    assert_eq!(
        files("date:{2020 TO 2022}"),
        vec!["2021-03-01-b.txt", "2021-06-01-c.txt"]
    );
    assert_eq!(files("date:[2020 TO 2022]").len(), 4);
    assert_eq!(files("date:2021-03"), vec!["2021-03-01-b.txt"]);
    assert_eq!(files("title:charlie"), files("headline:charlie"));
    assert_eq!(files("title:charlie"), vec!["2021-06-01-c.txt"]);
    assert_eq!(files("text:xray"), vec!["2021-06-01-c.txt"]);
    assert_eq!(files("text:charlie"), Vec::<String>::new());
    // An unknown name: is plain text.
    assert_eq!(files("week:xray"), vec!["2021-06-01-c.txt"]);
    // A boost puts its clause first among otherwise equal articles.
    let first = |q: &str| env.search::<Results>(q, &[]).files()[0].clone();
    assert_eq!(first("zulu^3 OR whiskey"), "2020-06-01-a.txt");
    assert_eq!(first("zulu OR whiskey^3"), "2022-06-01-d.txt");
}

/// On x86-64 GNU/Linux the binary is a fixed-address executable, so the
/// dynamic loader has nothing of ours to relocate at start; elsewhere, or
/// built with `NEWS_LINK_PIE=1`, it stays position-independent.
#[test]
fn the_binary_links_at_a_fixed_address_where_that_is_known_to_work() {
    use std::io::Read;
    let mut head = [0u8; 18];
    std::fs::File::open(crate::harness::BIN)
        .and_then(|mut f| f.read_exact(&mut head))
        .unwrap();
    // ELF header: the file type is the little-endian u16 at byte 16
    // (2: executable at a fixed address, 3: shared object, as PIE is).
    let kind = u16::from_le_bytes([head[16], head[17]]);
    let fixed = cfg!(all(
        target_os = "linux",
        target_arch = "x86_64",
        target_env = "gnu"
    )) && option_env!("NEWS_LINK_PIE").is_none_or(|v| v.is_empty() || v == "0");
    if cfg!(target_os = "linux") {
        assert_eq!(&head[..4], b"\x7fELF");
        assert_eq!(kind, if fixed { 2 } else { 3 });
    }
}
