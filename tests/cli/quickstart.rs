//! The README's quick start on the bundled sample corpus.

use crate::contract::Results;
use crate::harness::{Env, repo};

const KEY_STORY: &str = "mexico-us-security-dialogue.md";

fn indexed_sample() -> Env {
    let env = Env::new();
    let corpus = repo().join("sample-corpus");
    env.index_path(&corpus).code(0);
    env
}

#[test]
fn the_security_meeting_story_ranks_first() {
    let env = indexed_sample();
    let r: Results = env.search("Ebrard DEA", &[]);
    assert!(!r.relaxed);
    let first = &r.hits[0];
    assert!(
        first.path.ends_with(KEY_STORY),
        "first hit: {:?}",
        r.files()
    );
    assert!(
        first.headline.to_lowercase().contains("security"),
        "{}",
        first.headline
    );
    assert_eq!(first.date.as_deref(), Some("2021-10-08"));
    let words = first.highlighted();
    assert!(
        words.contains(&"Ebrard") && words.contains(&"DEA"),
        "{words:?} in {}",
        first.snippet.text
    );
    for (name, kind) in [
        ("Marcelo Ebrard", "person"),
        ("Mexico", "place"),
        ("United States", "place"),
    ] {
        assert!(
            first.has_entity(name, kind),
            "{name} ({kind}) missing: {:?}",
            first.entities
        );
    }
    assert!(
        first
            .entities
            .iter()
            .any(|e| e.kind == "org" && (e.text == "DEA" || e.text.contains("Drug Enforcement"))),
        "{:?}",
        first.entities
    );
}

#[test]
fn the_quick_start_with_the_default_index_location() {
    // Exactly the README's commands, with the per-user data folder in a sandbox.
    let env = Env::new();
    let corpus = repo().join("sample-corpus");
    let corpus = corpus.to_string_lossy();
    env.run_raw(&["index", &corpus]).code(0);
    let run = env.run_raw(&["search", "Ebrard DEA"]);
    run.code(0);
    let first_hit = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("1."))
        .unwrap_or("");
    assert!(
        first_hit.to_lowercase().contains("security"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("[Ebrard]") && run.stdout.contains("[DEA]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("2021-10-08"), "{}", run.stdout);
    assert!(!run.stdout.contains('\x1b'), "no colour when piped");
}

#[test]
fn every_sample_article_is_indexed_once() {
    let env = indexed_sample();
    let corpus = repo().join("sample-corpus");
    let files = walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    let r: Results = env.search("*", &["--limit", "500", "--no-collapse"]);
    assert_eq!(r.total as usize, files);
    assert!(files >= 40, "the sample corpus has {files} articles");
    // Indexing again changes nothing.
    env.index_path(&corpus).code(0);
    let again: Results = env.search("*", &["--limit", "500", "--no-collapse"]);
    assert_eq!(again.total, r.total);
}
