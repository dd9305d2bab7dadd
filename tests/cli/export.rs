//! `news export`: the Quickwit config parses as JSON with our fields, the
//! Elasticsearch mapping and bulk lines parse, ids are stable across runs.

use std::collections::BTreeSet;

use crate::harness::{Env, repo};

const FIELDS: [&str; 15] = [
    "id", "path", "headline", "body", "date", "entities", "person", "org", "place", "other",
    "lang", "source", "author", "url", "tags",
];

fn exported(env: &Env, format: &str, out: &str) -> std::path::PathBuf {
    let dir = env.corpus.join("..").join(out);
    env.run(&["export", "--format", format, "--out", dir.to_str().unwrap()])
        .code(0);
    dir
}

fn lines(path: &std::path::Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.ends_with('\n'), "NDJSON must end with a newline");
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line ({e}): {l}")))
        .collect()
}

fn sample() -> Env {
    let env = Env::new();
    env.index_path(&repo().join("sample-corpus")).code(0);
    env
}

#[test]
fn quickwit_config_and_documents() {
    let env = sample();
    let dir = exported(&env, "quickwit", "qw");
    let text = std::fs::read_to_string(dir.join("news-index-config.json")).unwrap();
    let config: serde_json::Value = serde_json::from_str(&text).expect("the config is JSON");
    assert_eq!(config["version"].as_str(), Some("0.8"));
    assert_eq!(
        config["doc_mapping"]["timestamp_field"].as_str(),
        Some("date")
    );
    let mappings = config["doc_mapping"]["field_mappings"].as_array().unwrap();
    let names: BTreeSet<&str> = mappings
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, FIELDS.iter().copied().collect());
    let field = |n: &str| {
        mappings
            .iter()
            .find(|m| m["name"].as_str() == Some(n))
            .unwrap()
    };
    assert_eq!(field("entities")["type"].as_str(), Some("array<text>"));
    assert_eq!(field("entities")["fast"].as_bool(), Some(true));
    assert_eq!(field("date")["fast"].as_bool(), Some(true));
    assert_eq!(field("body")["tokenizer"].as_str(), Some("news_folded"));
    let tokenizer = &config["doc_mapping"]["tokenizers"][0];
    let filters: Vec<&str> = tokenizer["filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(filters, vec!["remove_long", "lower_caser", "ascii_folding"]);
    assert!(!text.contains("en_stem"));
    let docs = lines(&dir.join("news.ndjson"));
    assert_eq!(docs.len(), 46);
    for doc in &docs {
        for key in doc.as_object().unwrap().keys() {
            assert!(FIELDS.contains(&key.as_str()), "unknown field {key}");
        }
        if let Some(date) = doc["date"].as_str() {
            assert!(date.len() == 20 && date.ends_with("T00:00:00Z"), "{date}");
        }
    }
    assert!(docs.iter().any(|d| {
        d["person"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "Marcelo Ebrard")
    }));
}

#[test]
fn elasticsearch_mapping_and_bulk_with_stable_ids() {
    let env = sample();
    let dir = exported(&env, "elasticsearch", "es1");
    let mapping: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("news-mapping.json")).unwrap())
            .unwrap();
    let props = mapping["mappings"]["properties"].as_object().unwrap();
    assert_eq!(
        props.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        FIELDS.iter().copied().collect()
    );
    assert_eq!(props["person"]["type"], "keyword");
    assert_eq!(props["date"]["type"], "date");
    let filters = &mapping["settings"]["analysis"]["analyzer"]["news_folded"]["filter"];
    assert_eq!(filters, &serde_json::json!(["lowercase", "asciifolding"]));
    let bulk = lines(&dir.join("news-bulk.ndjson"));
    assert_eq!(bulk.len(), 92, "an action and a document per article");
    let ids: Vec<String> = bulk
        .chunks(2)
        .map(|pair| {
            assert_eq!(pair[0]["index"]["_index"], "news");
            assert!(pair[1]["headline"].is_string());
            pair[0]["index"]["_id"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        46,
        "ids are unique"
    );
    // A second export gives the same ids.
    let again = exported(&env, "elasticsearch", "es2");
    let ids2: BTreeSet<String> = lines(&again.join("news-bulk.ndjson"))
        .chunks(2)
        .map(|p| p[0]["index"]["_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids2, ids.into_iter().collect());
}
