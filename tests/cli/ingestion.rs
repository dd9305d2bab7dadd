//! `news index` at archive scale: formats, encodings, bad input, incremental
//! runs and the writer lock.

use std::io::Write;

use crate::contract::Results;
use crate::harness::Env;

fn summary(env: &Env, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let corpus = env.corpus.to_str().unwrap().to_string();
    let mut args = vec!["index", "--json"];
    args.extend_from_slice(extra);
    args.push(&corpus);
    let run = env.run(&args);
    (run.code, run.json(), run.stderr.clone())
}

fn only_hit(env: &Env, query: &str) -> crate::contract::Hit {
    let mut r: Results = env.search(query, &[]);
    assert_eq!(r.total, 1, "{query}: {:?}", r.files());
    r.hits.remove(0)
}

#[test]
fn html_pages() {
    let env = Env::new();
    env.write(
        "page.html",
        r#"<html lang="en"><head><title>Site | Floods</title>
<meta property="og:title" content="River bursts its banks">
<meta property="article:published_time" content="2021-03-09T08:00:00Z">
<meta property="og:site_name" content="Harbour Ledger">
<script>var menu = "navigation script";</script><style>.x{}</style></head>
<body><nav>Home World Sport</nav><article><h1>River bursts its banks</h1>
<p>Residents of Port Aldren were evacuated on Tuesday.</p><p>The council opened a shelter.</p></article>
<footer>Copyright footer text</footer></body></html>"#,
    );
    env.index_corpus();
    let hit = only_hit(&env, "evacuated");
    assert_eq!(hit.headline, "River bursts its banks");
    assert_eq!(hit.date.as_deref(), Some("2021-03-09"));
    for noise in ["navigation", "footer", "World"] {
        assert_eq!(
            env.search::<Results>(noise, &[]).total,
            0,
            "{noise} is page chrome"
        );
    }
}

#[test]
fn json_and_json_lines_give_one_article_per_record() {
    let env = Env::new();
    env.write(
        "one.json",
        r#"{"headline": "Port reopens", "content": "The port reopened after the storm.", "published_at": "2022-01-02T10:00:00Z", "url": "https://x.test/1"}"#,
    );
    env.write(
        "many.json",
        r#"[{"title": "Alpha record", "body": "First record text."}, {"title": "Bravo record", "text": "Second record text.", "date": "2020-05-06"}]"#,
    );
    env.write(
        "feed.jsonl",
        "{\"title\": \"Charlie line\", \"body\": \"Line one.\", \"pubDate\": \"Tue, 09 Mar 2021 10:00:00 +0000\"}\n\
         not json at all\n\
         {\"title\": \"Delta line\", \"body\": \"Line three.\", \"entities\": [{\"text\": \"Port Aldren\", \"type\": \"place\"}]}\n",
    );
    let (code, s, stderr) = summary(&env, &[]);
    assert_eq!(code, 3, "a bad line is a problem: {stderr}");
    assert_eq!(s["indexed"], 5, "{s}");
    assert_eq!(s["skipped"]["bad-record"], 1, "{s}");
    assert!(
        stderr.contains("feed.jsonl") && stderr.contains("line 2"),
        "{stderr}"
    );
    let one = only_hit(&env, "reopened");
    assert!(one.id.ends_with("one.json"), "{}", one.id);
    assert_eq!(one.date.as_deref(), Some("2022-01-02"));
    let bravo = only_hit(&env, "bravo");
    assert!(bravo.id.ends_with("many.json#2"), "{}", bravo.id);
    assert_eq!(bravo.date.as_deref(), Some("2020-05-06"));
    let charlie = only_hit(&env, "charlie");
    assert!(charlie.id.ends_with("feed.jsonl#1"), "{}", charlie.id);
    assert_eq!(charlie.date.as_deref(), Some("2021-03-09"));
    let delta = only_hit(&env, "delta");
    assert!(delta.id.ends_with("feed.jsonl#3"), "{}", delta.id);
    assert!(
        delta.has_entity("Port Aldren", "place"),
        "{:?}",
        delta.entities
    );
}

#[test]
fn markdown_toml_front_matter_and_gzip() {
    let env = Env::new();
    env.write("a.markdown", "+++\ntitle = \"Tram line approved\"\ndate = 2024-06-03\n+++\nThe tram will reach the airport.\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"Ferry contract signed\n\nThe shipyard will build three ferries.")
        .unwrap();
    env.write("b.txt.gz", gz.finish().unwrap());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"{\"title\": \"Zipped record\", \"body\": \"Compressed lines work.\"}\n")
        .unwrap();
    env.write("c.jsonl.gz", gz.finish().unwrap());
    env.index_corpus();
    let tram = only_hit(&env, "airport");
    assert_eq!(tram.headline, "Tram line approved");
    assert_eq!(tram.date.as_deref(), Some("2024-06-03"));
    assert_eq!(only_hit(&env, "ferries").headline, "Ferry contract signed");
    assert!(only_hit(&env, "compressed").id.ends_with("c.jsonl.gz#1"));
}

#[test]
fn extra_extensions_and_unsupported_files() {
    let env = Env::new();
    env.write("wire.log", "Wire copy\n\nMarkets rallied.");
    env.write("scan.pdf", "%PDF-1.4");
    let (code, s, _) = summary(&env, &[]);
    assert_eq!(code, 0);
    assert_eq!(s["indexed"], 0);
    assert_eq!(s["skipped"]["unsupported"], 2);
    let (_, s, _) = summary(&env, &["--ext", "log"]);
    assert_eq!(s["indexed"], 1, "{s}");
    assert_eq!(only_hit(&env, "rallied").headline, "Wire copy");
}

#[test]
fn encodings_are_decoded_with_a_note() {
    let env = Env::new();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "Cumbre en Bogotá\n\nLa reunión terminó."
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        )
        .collect();
    env.write("utf16.txt", utf16);
    env.write(
        "latin1.txt",
        b"Visita a M\xe9xico\n\nJos\xe9 Mart\xednez lleg\xf3 a la capital.",
    );
    env.write("binary.txt", b"GIF89a\x00\x01\x02 binary");
    let (code, s, stderr) = summary(&env, &[]);
    assert_eq!(code, 3);
    assert_eq!(s["indexed"], 2, "{s}");
    assert_eq!(s["skipped"]["binary"], 1, "{s}");
    assert!(
        stderr.contains("latin1.txt") && stderr.contains("decoded as"),
        "{stderr}"
    );
    assert_eq!(only_hit(&env, "Bogota").headline, "Cumbre en Bogotá");
    assert_eq!(only_hit(&env, "Martinez").headline, "Visita a México");
}

#[cfg(unix)]
#[test]
fn a_salted_corpus_reports_every_bad_file_and_indexes_every_good_one() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    // Run as root, `news` could read a file of mode 000.
    let env = Env::unprivileged();
    let good: Vec<String> = (0..6).map(|i| format!("good{i}.txt")).collect();
    for (i, name) in good.iter().enumerate() {
        env.write(
            &format!("sub{}/{name}", i % 2),
            format!("Good story {i}\n\nUniqueword{i} appears here."),
        );
    }
    env.write("empty.txt", "");
    env.write("huge.txt", "x".repeat(5000));
    env.write("binary.md", b"\x00\x01\x02\x03");
    symlink(
        env.corpus.join("nowhere.txt"),
        env.corpus.join("dangling.txt"),
    )
    .unwrap();
    symlink(&env.corpus, env.corpus.join("sub0/loop")).unwrap();
    let fifo = env.corpus.join("pipe.txt");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let locked = env.write("locked.txt", "Locked story\n\nSecret.");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (code, s, stderr) = summary(&env, &["--max-file-size", "1000"]);
    assert_eq!(code, 3, "{stderr}");
    for (class, file) in [
        ("empty", "empty.txt"),
        ("too-large", "huge.txt"),
        ("binary", "binary.md"),
        ("dangling-symlink", "dangling.txt"),
        ("symlink-loop", "sub0/loop"),
        ("not-a-file", "pipe.txt"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not reported: {stderr}"));
        assert!(line.contains(class), "{file} reported as {line}");
        assert_eq!(
            stderr.matches(file).count(),
            1,
            "{file} reported once: {stderr}"
        );
        assert_eq!(s["skipped"][class], 1, "{class}: {s}");
    }
    let line = stderr
        .lines()
        .find(|l| l.contains("locked.txt"))
        .unwrap_or_else(|| panic!("locked.txt not reported: {stderr}"));
    assert!(line.contains("unreadable"), "locked.txt reported as {line}");
    assert_eq!(s["skipped"]["unreadable"], 1, "{s}");
    for i in 0..good.len() {
        assert_eq!(
            env.search::<Results>(&format!("uniqueword{i}"), &[]).total,
            1
        );
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn incremental_runs_touch_only_what_changed() {
    let env = Env::new();
    let a = env.write("a.txt", "Alpha\n\nFirst text.");
    let b = env.write("b.txt", "Bravo\n\nSecond text.");
    env.write("c.txt", "Charlie\n\nThird text.");
    let (_, s, _) = summary(&env, &[]);
    assert_eq!(
        (s["indexed"].as_u64(), s["unchanged"].as_u64()),
        (Some(3), Some(0)),
        "{s}"
    );
    let (_, s, _) = summary(&env, &[]);
    assert_eq!(
        (s["indexed"].as_u64(), s["unchanged"].as_u64()),
        (Some(0), Some(3)),
        "{s}"
    );
    std::fs::write(&a, "Alpha revised\n\nFirst text, longer now.").unwrap();
    std::fs::remove_file(&b).unwrap();
    env.write("d.txt", "Delta\n\nFourth text.");
    let (_, s, _) = summary(&env, &[]);
    assert_eq!(s["updated"], 1, "{s}");
    assert_eq!(s["deleted"], 1, "{s}");
    assert_eq!(s["indexed"], 1, "{s}");
    assert_eq!(env.search::<Results>("bravo", &[]).total, 0);
    // A rename is a move: same content, new id, nothing re-counted as new.
    std::fs::rename(env.corpus.join("c.txt"), env.corpus.join("c-moved.txt")).unwrap();
    let (_, s, _) = summary(&env, &[]);
    assert_eq!(
        (
            s["moved"].as_u64(),
            s["indexed"].as_u64(),
            s["deleted"].as_u64()
        ),
        (Some(1), Some(0), Some(0)),
        "{s}"
    );
    assert!(only_hit(&env, "charlie").id.ends_with("c-moved.txt"));
}

#[test]
fn no_path_rescans_the_roots_and_rebuild_starts_over() {
    let env = Env::new();
    env.write("one/a.txt", "Alpha\n\nFirst.");
    env.write("two/b.txt", "Bravo\n\nSecond.");
    env.index_path(&env.corpus.join("one")).code(0);
    env.index_path(&env.corpus.join("two")).code(0);
    env.write("one/c.txt", "Charlie\n\nThird.");
    std::fs::remove_file(env.corpus.join("two/b.txt")).unwrap();
    let run = env.run(&["index", "--json"]);
    run.code(0);
    let s: serde_json::Value = run.json();
    assert_eq!(
        (s["indexed"].as_u64(), s["deleted"].as_u64()),
        (Some(1), Some(1)),
        "{s}"
    );
    let (_, s, _) = summary(&env, &["--rebuild"]);
    assert_eq!(s["indexed"], 2, "{s}");
    assert_eq!(s["articles"], 2, "{s}");
    // Without roots there is nothing to re-scan.
    let fresh = Env::new();
    let run = fresh.run(&["index"]);
    run.code(2);
    assert!(run.stderr.contains("no path given"), "{}", run.stderr);
}

#[test]
fn a_second_writer_exits_at_once() {
    let env = Env::new();
    env.write("a.txt", "Alpha\n\nFirst.");
    env.index_corpus();
    let store = news_search::store::Store::open(&env.index).unwrap();
    let held = store.writer(1, 20_000_000).unwrap();
    let started = std::time::Instant::now();
    let run = env.run(&["index", env.corpus.to_str().unwrap()]);
    run.code(2);
    assert!(
        run.stderr.contains("is being written by another process"),
        "{}",
        run.stderr
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    drop(held);
    env.run(&["index", env.corpus.to_str().unwrap()]).code(0);
}

#[test]
fn a_lock_left_by_a_killed_writer_never_blocks() {
    use std::io::{BufRead, BufReader};
    let env = Env::new();
    for i in 0..400 {
        env.write(
            &format!("s{i}.txt"),
            format!("Story {i}\n\nThe council met on the harbour works, item {i}."),
        );
    }
    let mut writer = env
        .command(&[
            "--index",
            env.index.to_str().unwrap(),
            "index",
            env.corpus.to_str().unwrap(),
        ])
        .env("NEWS_PROGRESS_LINES", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The lock is taken before the first file is read: once a file is
    // processed, the writer holds it.
    let mut lines = BufReader::new(writer.stderr.take().unwrap()).lines();
    let first = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    assert!(first.starts_with("progress "), "{first}");
    writer.kill().unwrap(); // SIGKILL: no destructor releases anything
    let status = writer.wait().unwrap();
    assert_eq!(status.code(), None, "the writer finished before the kill");
    assert!(
        env.index.join(".tantivy-writer.lock").exists(),
        "the killed writer left no lock file"
    );
    let (code, s, stderr) = summary(&env, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(s["articles"], 400, "{s}");
}
