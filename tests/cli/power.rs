//! Search power: filters, sorting, query forms, typo tolerance, similar
//! stories, inspection and batches.

use crate::contract::Results;
use crate::harness::{Env, repo};

/// A small dated archive with known entities.
fn archive() -> Env {
    let env = Env::new();
    env.write(
        "2021-03-05-talks.txt",
        "Security talks in Mexico City\n\nForeign Minister Marcelo Ebrard met agents of the Drug Enforcement Administration (DEA) in Mexico City.",
    );
    env.write(
        "2021-03-20-trade.txt",
        "Trade mission to Washington\n\nMarcelo Ebrard led a trade mission to Washington to discuss tariffs.",
    );
    env.write(
        "2022-07-14-seizure.txt",
        "Record drug seizure in Arizona\n\nThe DEA seized fentanyl near the border in Arizona, officials said.",
    );
    env.write(
        "2019-11-02-museum.txt",
        "Museum reopens in Lisbon\n\nThe city museum in Lisbon reopened after a long restoration.",
    );
    env.write(
        "undated.txt",
        "Security drill held\n\nPolice held a security drill at the port.",
    );
    env.index_corpus();
    env
}

fn files(env: &Env, query: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["--no-collapse", "--limit", "50"];
    args.extend_from_slice(extra);
    env.search::<Results>(query, &args).files()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn date_filters_are_inclusive_and_skip_undated_articles() {
    let env = archive();
    assert_eq!(
        sorted(files(&env, "*", &["--since", "2021", "--until", "2021"])),
        vec!["2021-03-05-talks.txt", "2021-03-20-trade.txt"]
    );
    assert_eq!(
        files(&env, "*", &["--since", "2021-03-20", "--until", "2021-03"]),
        vec!["2021-03-20-trade.txt"]
    );
    assert_eq!(
        files(&env, "*", &["--until", "2019-11-02"]),
        vec!["2019-11-02-museum.txt"]
    );
    assert_eq!(
        files(&env, "date:2022", &[]),
        vec!["2022-07-14-seizure.txt"]
    );
    assert_eq!(
        sorted(files(&env, "date:[2021-03-01 TO 2021-03-31]", &[])),
        vec!["2021-03-05-talks.txt", "2021-03-20-trade.txt"]
    );
    assert_eq!(
        files(&env, "security date:>=2020", &[]),
        vec!["2021-03-05-talks.txt"]
    );
    assert_eq!(
        files(&env, "date:[* TO *]", &[]).len(),
        4,
        "undated never matches a date filter"
    );
}

#[test]
fn entity_filters_exact_typed_and_in_query_text() {
    let env = archive();
    assert_eq!(
        sorted(files(&env, "*", &["--entity", "Marcelo Ebrard"])),
        vec!["2021-03-05-talks.txt", "2021-03-20-trade.txt"]
    );
    assert_eq!(
        files(
            &env,
            "*",
            &["--entity", "marcelo ebrard", "--entity", "DEA"]
        ),
        vec!["2021-03-05-talks.txt"]
    );
    assert_eq!(
        files(&env, "*", &["--entity", "Ebrard Marcelo"]),
        Vec::<String>::new(),
        "exact, not words"
    );
    assert_eq!(
        sorted(files(&env, "*", &["--org", "DEA"])),
        vec!["2021-03-05-talks.txt", "2022-07-14-seizure.txt"]
    );
    assert_eq!(
        files(&env, "*", &["--place", "Lisbon"]),
        vec!["2019-11-02-museum.txt"]
    );
    assert_eq!(
        files(&env, "*", &["--person", "Lisbon"]),
        Vec::<String>::new()
    );
    assert_eq!(
        sorted(files(&env, "person:Ebrard", &[])),
        vec!["2021-03-05-talks.txt", "2021-03-20-trade.txt"]
    );
    assert_eq!(
        files(&env, "entity:\"Marcelo Ebrard\" trade", &[]),
        vec!["2021-03-20-trade.txt"]
    );
    assert_eq!(
        files(&env, "place:Arizona", &[]),
        vec!["2022-07-14-seizure.txt"]
    );
    assert_eq!(
        files(&env, "lang:en museum", &[]),
        vec!["2019-11-02-museum.txt"]
    );
    // An alias finds the article that only spelt the name out.
    assert_eq!(
        files(&env, "org:\"Drug Enforcement Administration\"", &[]).len(),
        2
    );
}

#[test]
fn sorting_by_date_and_recency() {
    let env = archive();
    assert_eq!(
        files(&env, "*", &["--sort", "newest"]),
        vec![
            "2022-07-14-seizure.txt",
            "2021-03-20-trade.txt",
            "2021-03-05-talks.txt",
            "2019-11-02-museum.txt",
            "undated.txt"
        ]
    );
    assert_eq!(
        files(&env, "*", &["--sort", "oldest"])[0],
        "2019-11-02-museum.txt"
    );
    assert_eq!(
        files(&env, "*", &["--sort", "oldest"])
            .last()
            .map(String::as_str),
        Some("undated.txt")
    );
    // Two equally relevant articles: --recent puts the newer first.
    let env = Env::new();
    let text = "Harbour bridge closes\n\nThe harbour bridge closes for repairs.";
    env.write("2010-01-01-old.txt", text);
    env.write("2020-01-01-new.txt", text.replace("closes", "closes again"));
    env.index_corpus();
    assert_eq!(
        files(&env, "harbour bridge", &["--recent"])[0],
        "2020-01-01-new.txt"
    );
}

#[test]
fn phrases_with_slop_prefixes_and_grouping() {
    let env = archive();
    assert_eq!(files(&env, "\"Ebrard agents\"", &[]), Vec::<String>::new());
    assert_eq!(
        files(&env, "\"Ebrard agents\"~3", &[]),
        vec!["2021-03-05-talks.txt"]
    );
    assert_eq!(
        sorted(files(&env, "secur*", &[])),
        vec!["2021-03-05-talks.txt", "undated.txt"]
    );
    assert_eq!(
        files(&env, "(trade OR seizure) AND Arizona", &[]),
        vec!["2022-07-14-seizure.txt"]
    );
    assert_eq!(
        files(&env, "headline:(museum OR drill) -port", &[]),
        vec!["2019-11-02-museum.txt"]
    );
}

#[test]
fn fuzzy_finds_misspellings_and_highlights_what_matched() {
    let env = archive();
    assert_eq!(env.search::<Results>("Ebrad", &[]).total, 0);
    let r: Results = env.search("Ebrad", &["--fuzzy"]);
    assert_eq!(r.total, 2);
    for hit in &r.hits {
        assert!(
            hit.highlighted().contains(&"Ebrard"),
            "{:?}: {}",
            hit.highlighted(),
            hit.snippet.text
        );
    }
    let r: Results = env.search("Ebrad~1 tarifs~1", &[]);
    assert_eq!(r.files(), vec!["2021-03-20-trade.txt"]);
    assert!(r.hits[0].highlighted().contains(&"tariffs"));
}

#[test]
fn similar_stories_exclude_the_article_and_its_copies() {
    let env = Env::new();
    let corpus = repo().join("sample-corpus");
    env.index_path(&corpus).code(0);
    let key = corpus.join("economy/ecb-raises-rates-record-margin.txt");
    let run = env.run(&["similar", "--json", key.to_str().unwrap(), "--limit", "5"]);
    run.code(0);
    let r: Results = run.json();
    assert!(!r.hits.is_empty());
    for hit in &r.hits {
        assert!(
            !hit.id.contains("ecb-"),
            "the article or a copy came back: {}",
            hit.id
        );
        assert!(
            !hit.id.contains("european-central-bank-lifts"),
            "a copy came back: {}",
            hit.id
        );
    }
    // The ECB story's nearest other stories are economic ones.
    assert!(r.hits[0].path.contains("/economy/"), "{:?}", r.files());
    let missing = env.run(&["similar", "/no/such/article.txt"]);
    missing.code(2);
    assert!(missing.stderr.contains("no article"), "{}", missing.stderr);
}

#[test]
fn show_prints_the_stored_article() {
    let env = archive();
    let path = env.corpus.join("2021-03-05-talks.txt");
    let run = env.run(&["show", "--json", path.to_str().unwrap()]);
    run.code(0);
    let a: serde_json::Value = run.json();
    assert_eq!(a["headline"], "Security talks in Mexico City");
    assert_eq!(a["date"], "2021-03-05");
    assert_eq!(a["date_source"], "path");
    assert!(
        a["body"]
            .as_str()
            .unwrap()
            .contains("Drug Enforcement Administration")
    );
    let human = env.run(&["show", path.to_str().unwrap()]);
    assert!(
        human.stdout.contains("Security talks in Mexico City")
            && human.stdout.contains("2021-03-05")
    );
    env.run(&["show", "nope"]).code(2);
}

#[test]
fn stats_describe_the_index() {
    let env = archive();
    let run = env.run(&["stats", "--json"]);
    run.code(0);
    let s: serde_json::Value = run.json();
    assert_eq!(s["articles"], 5);
    assert_eq!(s["undated"], 1);
    assert_eq!(
        s["date_range"],
        serde_json::json!(["2019-11-02", "2022-07-14"])
    );
    assert_eq!(s["formats"]["txt"], 5);
    assert_eq!(s["languages"]["en"], 5);
    assert!(s["index_bytes"].as_u64().unwrap() > 0);
    assert_eq!(s["roots"].as_array().unwrap().len(), 1);
    assert!(s["last_update"].is_string());
    let people = s["top_entities"]["person"].as_array().unwrap();
    assert_eq!(people[0], serde_json::json!(["Marcelo Ebrard", 2]));
}

#[test]
fn batch_runs_one_query_per_line() {
    let env = archive();
    let queries = env.write(
        "../queries.txt",
        "Ebrard\n\nmuseum\n\"unclosed\nnothingmatchesthis\n",
    );
    let run = env.run(&["search", "--batch", queries.to_str().unwrap()]);
    run.code(0);
    let lines: Vec<serde_json::Value> = run.json_lines();
    assert_eq!(
        lines.len(),
        4,
        "one line per non-empty query: {}",
        run.stdout
    );
    assert_eq!(lines[0]["query"], "Ebrard");
    assert_eq!(lines[0]["total"], 2);
    assert_eq!(lines[1]["hits"][0]["headline"], "Museum reopens in Lisbon");
    assert_eq!(lines[2]["error"]["code"], "bad_query");
    assert_eq!(lines[3]["total"], 0);
    // From standard input, one hit per line.
    let run = env.run_stdin(
        &["search", "--batch", "-", "--format", "ndjson"],
        b"Ebrard\nLisbon\n",
    );
    let hits: Vec<serde_json::Value> = run.json_lines();
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[2]["query"], "Lisbon");
}
