//! `news index`: what is indexed, re-indexing without duplicates, symlinks,
//! the summary and the index location.

use crate::contract::Results;
use crate::harness::Env;

fn count(env: &Env) -> u64 {
    env.search::<Results>("*", &["--no-collapse", "--limit", "1"])
        .total
}

#[test]
fn reindexing_replaces_instead_of_duplicating() {
    let env = Env::new();
    let path = env.write("a.txt", "Floods\n\nThe river burst its banks.");
    env.write("b.md", "# Budget\n\nThe council approved the budget.");
    env.index_corpus();
    env.index_corpus();
    assert_eq!(count(&env), 2);
    std::fs::write(&path, "Floods recede\n\nThe water level is falling.").unwrap();
    env.index_corpus();
    assert_eq!(count(&env), 2);
    assert_eq!(env.search::<Results>("burst", &[]).total, 0);
    assert_eq!(env.search::<Results>("falling", &[]).total, 1);
    // Indexing a single file of the same folder keeps the others.
    env.index_path(&path).code(0);
    assert_eq!(count(&env), 2);
}

#[test]
fn summary_reports_indexed_and_skipped() {
    let env = Env::new();
    env.write("a.txt", "Floods\n\nThe river burst its banks.");
    env.write("photo.jpg", [0xFFu8, 0xD8, 0xFF]);
    env.write("notes/empty.txt", "");
    let run = env.run(&["index", "--json", env.corpus.to_str().unwrap()]);
    let summary: serde_json::Value = run.json();
    assert_eq!(summary["indexed"], 1, "{summary}");
    assert_eq!(summary["skipped"]["unsupported"], 1, "{summary}");
    assert_eq!(summary["skipped"]["empty"], 1, "{summary}");
    assert!(summary["seconds"].as_f64().is_some());
    // The empty file is a problem (exit 3, reported); the photo is just counted.
    run.code(3);
    assert!(
        run.stderr.contains("empty") && run.stderr.contains("empty.txt"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("photo.jpg"), "{}", run.stderr);
    let human = env.run(&["index", env.corpus.to_str().unwrap()]);
    assert!(
        human.stdout.contains("unchanged") && human.stdout.contains("skipped"),
        "{}",
        human.stdout
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_do_not_hang_or_duplicate() {
    let env = Env::new();
    let a = env.write("dir/a.txt", "Floods\n\nThe river burst its banks.");
    std::os::unix::fs::symlink(&env.corpus, env.corpus.join("dir/loop")).unwrap();
    std::os::unix::fs::symlink(&a, env.corpus.join("alias.txt")).unwrap();
    std::os::unix::fs::symlink(
        env.corpus.join("missing.txt"),
        env.corpus.join("dangling.txt"),
    )
    .unwrap();
    let run = env.run(&["index", env.corpus.to_str().unwrap()]);
    run.code(3);
    assert!(run.stderr.contains("symlink-loop"), "{}", run.stderr);
    assert!(run.stderr.contains("dangling-symlink"), "{}", run.stderr);
    assert_eq!(count(&env), 1);
}

#[test]
fn index_location_from_environment() {
    let env = Env::new();
    env.write("a.txt", "Floods\n\nThe river burst its banks.");
    let mut cmd = env.command(&["index", env.corpus.to_str().unwrap()]);
    cmd.env("NEWS_INDEX", &env.index);
    assert!(cmd.status().unwrap().success());
    assert!(env.index.join("meta.json").is_file());
    assert_eq!(count(&env), 1);
}

#[test]
fn missing_paths_and_foreign_folders_are_errors() {
    let env = Env::new();
    let run = env.run(&["index", "/no/such/folder"]);
    run.code(2);
    assert!(run.stderr.contains("/no/such/folder"), "{}", run.stderr);
    // An existing non-empty folder that is not an index is never written into.
    env.write("a.txt", "Floods\n\nThe river burst its banks.");
    let run = env.run_raw(&[
        "--index",
        env.corpus.to_str().unwrap(),
        "index",
        env.corpus.to_str().unwrap(),
    ]);
    run.code(2);
    assert!(run.stderr.contains("not a news index"), "{}", run.stderr);
}
