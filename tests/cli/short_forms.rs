//! One name, one entity across the archive: a bare surname that the
//! articles spelling out a full name tie to one person is counted as that
//! person in statistics, facets, `--entity`, timelines and related
//! entities; a surname two people share stays apart; a new article that
//! makes a surname ambiguous splits it at the next run, and removing it
//! joins it again. The articles themselves still say what they say.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::harness::{Env, Server, Watcher, eventually};

/// An article of `body` dated by its file name.
fn article(env: &Env, name: &str, headline: &str, body: &str) {
    env.write(&format!("{name}.txt"), format!("{headline}\n\n{body}\n"));
}

/// Two articles spell out John Harlow and call him Harlow; two more say
/// only Harlow. One article alone would neither join nor split a name. Maria Kessler and Paul Kessler are each spelt out with
/// their surname in two articles; one more says only Kessler.
fn corpus() -> Env {
    let env = Env::new();
    for (i, month) in ["01", "02"].iter().enumerate() {
        article(
            &env,
            &format!("2021-{month}-05-full-{i}"),
            "Budget vote ahead",
            "Senator John Harlow said on Monday that the Port Authority budget would pass. \
             Harlow told reporters the vote was close.",
        );
    }
    for (i, month) in ["03", "04"].iter().enumerate() {
        article(
            &env,
            &format!("2021-{month}-05-bare-{i}"),
            "Budget approved",
            "The budget was approved on Tuesday. Mr. Harlow said the deal with the Port \
             Authority was fair, and Harlow thanked the committee.",
        );
    }
    for (i, first) in ["Maria", "Maria", "Paul", "Paul"].iter().enumerate() {
        article(
            &env,
            &format!("2021-05-0{}-kessler-{i}", i + 1),
            "Harbour plans",
            &format!(
                "Councillor {first} Kessler presented the harbour plan on Friday. \
                 Kessler said work would start soon."
            ),
        );
    }
    article(
        &env,
        "2021-06-01-kessler-bare",
        "Harbour delayed",
        "The harbour plan was delayed again. Councillor Kessler said the council would vote \
         in June.",
    );
    env.index_corpus();
    env
}

/// The people of `news stats --json`, name to articles.
fn people(env: &Env) -> BTreeMap<String, u64> {
    let stats: Value = env.run(&["stats", "--json"]).code(0).json();
    stats["top_entities"]["person"]
        .as_array()
        .expect("people listed")
        .iter()
        .map(|p| {
            (
                p[0].as_str().expect("name").to_string(),
                p[1].as_u64().expect("count"),
            )
        })
        .collect()
}

/// Articles `news search --entity NAME` finds.
fn with_entity(env: &Env, name: &str) -> u64 {
    let out: Value = env
        .run(&["search", "", "--entity", name, "--json"])
        .code(0)
        .json();
    out["total"].as_u64().expect("total")
}

fn expected(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(n, c)| (n.to_string(), *c)).collect()
}

#[derive(Debug, Deserialize)]
struct Bucket {
    start: String,
    count: u64,
}

#[derive(Debug, Deserialize)]
struct Timeline {
    total: u64,
    buckets: Vec<Bucket>,
}

#[test]
fn a_surname_the_archive_ties_to_one_person_is_counted_as_that_person() {
    let env = corpus();
    assert_eq!(
        people(&env),
        expected(&[
            ("John Harlow", 4),
            ("Kessler", 1),
            ("Maria Kessler", 2),
            ("Paul Kessler", 2),
        ])
    );
    // Facets of a search count the same.
    let out: Value = env
        .run(&["search", "budget", "--facets", "--json"])
        .code(0)
        .json();
    assert_eq!(out["total"], 4);
    assert_eq!(
        out["facets"]["person"],
        serde_json::json!([["John Harlow", 4]])
    );
    // Either name filters the four articles.
    assert_eq!(with_entity(&env, "Harlow"), 4);
    assert_eq!(with_entity(&env, "John Harlow"), 4);
    // So does the name as a field of the query.
    let out: Value = env
        .run(&["search", "person:Harlow", "--json"])
        .code(0)
        .json();
    assert_eq!(out["total"], 4);
    // A timeline of either name counts them month by month.
    for name in ["Harlow", "John Harlow"] {
        let timeline: Timeline = env
            .run(&["timeline", "--entity", name, "--by", "month", "--json"])
            .code(0)
            .json();
        assert_eq!(timeline.total, 4);
        let months: Vec<(&str, u64)> = timeline
            .buckets
            .iter()
            .map(|b| (b.start.as_str(), b.count))
            .collect();
        assert_eq!(
            months,
            vec![
                ("2021-01-01", 1),
                ("2021-02-01", 1),
                ("2021-03-01", 1),
                ("2021-04-01", 1)
            ]
        );
    }
    // Related entities of the surname are those of the person, named in full.
    let related: Value = env.run(&["related", "Harlow", "--json"]).code(0).json();
    assert_eq!(related["entity"]["text"], "John Harlow");
    assert_eq!(related["articles"], 4);
    let ties = related["related"].as_array().expect("related list");
    let port = ties
        .iter()
        .find(|t| t["text"] == "Port Authority")
        .expect("Port Authority tied to Harlow");
    assert_eq!(port["count"], 4);
    assert!(
        ties.iter().all(|t| t["text"] != "Harlow"),
        "the short form is not its own partner: {ties:?}"
    );
    // Pairs count the person once per article, under the full name.
    let pairs: Value = env.run(&["related", "--pairs", "--json"]).code(0).json();
    let pair = pairs["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .find(|p| {
            let names = [&p["a"]["text"], &p["b"]["text"]];
            names.contains(&&Value::from("John Harlow"))
                && names.contains(&&Value::from("Port Authority"))
        })
        .expect("John Harlow and Port Authority paired");
    assert_eq!(pair["count"], 4);
    // The article still names whom it names.
    let shown: Value = env
        .run(&[
            "show",
            &env.corpus.join("2021-03-05-bare-0.txt").to_string_lossy(),
            "--json",
        ])
        .code(0)
        .json();
    let names: Vec<&str> = shown["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .filter_map(|e| e["text"].as_str())
        .collect();
    assert!(names.contains(&"Harlow"), "{names:?}");
    assert!(!names.contains(&"John Harlow"), "{names:?}");
}

#[test]
fn a_surname_two_people_share_stays_apart() {
    let env = corpus();
    // Each Kessler is counted alone; the bare surname is a name of its own
    // and matches every article that uses it.
    assert_eq!(with_entity(&env, "Maria Kessler"), 2);
    assert_eq!(with_entity(&env, "Paul Kessler"), 2);
    assert_eq!(with_entity(&env, "Kessler"), 5);
    let related: Value = env.run(&["related", "Kessler", "--json"]).code(0).json();
    assert_eq!(related["entity"]["text"], "Kessler");
}

#[test]
fn a_short_form_of_another_kind_stays_apart() {
    let env = corpus();
    article(
        &env,
        "2021-09-01-org",
        "Deal signed",
        "The deal was signed on Tuesday. Harlow said the terms with the Port Authority \
         were fair.",
    );
    env.index_corpus();
    let shown: Value = env.run(&["stats", "--json"]).code(0).json();
    let orgs = shown["top_entities"]["org"]
        .as_array()
        .expect("orgs listed");
    assert!(
        orgs.iter().any(|o| o[0] == "Harlow" && o[1] == 1),
        "Harlow counted as an organisation: {orgs:?}"
    );
    assert_eq!(people(&env)["John Harlow"], 4);
    let count = |flag: &str| -> u64 {
        let out: Value = env
            .run(&["search", "", flag, "Harlow", "--json"])
            .code(0)
            .json();
        out["total"].as_u64().expect("total")
    };
    assert_eq!(count("--person"), 4);
    assert_eq!(count("--org"), 1);
    assert_eq!(count("--entity"), 5);
}

#[test]
fn a_new_article_that_makes_a_surname_ambiguous_splits_it_and_its_removal_joins_it() {
    let env = corpus();
    // One new file, two articles that spell out Sarah Harlow and call her
    // Harlow: as many as spell out John Harlow that year.
    let sarah = env.write("port.jsonl", sarah_harlow());
    env.index_corpus();
    assert_eq!(
        people(&env),
        expected(&[
            ("Harlow", 2),
            ("John Harlow", 2),
            ("Kessler", 1),
            ("Maria Kessler", 2),
            ("Paul Kessler", 2),
            ("Sarah Harlow", 2),
        ])
    );
    assert_eq!(with_entity(&env, "John Harlow"), 2);
    assert_eq!(with_entity(&env, "Sarah Harlow"), 2);
    // The bare surname matches every article that uses it, as before.
    assert_eq!(with_entity(&env, "Harlow"), 6);

    std::fs::remove_file(&sarah).expect("remove the article");
    env.index_corpus();
    assert_eq!(people(&env)["John Harlow"], 4);
    assert_eq!(with_entity(&env, "John Harlow"), 4);
}

/// Two articles spelling out Sarah Harlow, in one file.
fn sarah_harlow() -> String {
    let line = |date: &str| {
        format!(
            r#"{{"title":"Port plans","date":"{date}","body":"Mayor Sarah Harlow opened the new terminal on Monday. Harlow said more ships would come."}}"#
        )
    };
    format!("{}\n{}\n", line("2021-07-01"), line("2021-08-01"))
}

#[test]
fn a_watcher_splits_and_joins_a_surname_as_files_come_and_go() {
    let env = corpus();
    let watcher = Watcher::start(&env, &[]);
    let sarah = env.write("port.jsonl", sarah_harlow());
    let limit = std::time::Duration::from_secs(20);
    eventually(limit, "the surname split by the new file", || {
        let listed = people(&env);
        (listed.get("Harlow") == Some(&2) && listed.get("John Harlow") == Some(&2)).then_some(())
    });
    std::fs::remove_file(&sarah).expect("remove the file");
    eventually(limit, "the surname joined again", || {
        (people(&env).get("John Harlow") == Some(&4)).then_some(())
    });
    assert_eq!(with_entity(&env, "John Harlow"), 4);
    drop(watcher);
}

#[test]
fn the_http_api_counts_as_the_command_line_and_follows_new_commits() {
    let env = corpus();
    let server = Server::start(&env, &[]);
    let (status, stats) = server.json("/api/stats");
    assert_eq!(status, 200, "{stats}");
    let cli: Value = env.run(&["stats", "--json"]).code(0).json();
    assert_eq!(stats["top_entities"], cli["top_entities"]);
    let (_, search) = server.json("/api/search?q=&entity=Harlow&facets=1");
    assert_eq!(search["total"], 4);
    assert_eq!(
        search["facets"]["person"],
        serde_json::json!([["John Harlow", 4]])
    );
    let (status, page) = server.json("/api/entities/Harlow");
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["entity"]["text"], "John Harlow");
    assert_eq!(page["articles"], 4);
    assert_eq!(page["timeline"]["total"], 4);
    // A commit that splits the surname reaches the running server.
    env.write("port.jsonl", sarah_harlow());
    env.index_corpus();
    eventually(
        std::time::Duration::from_secs(20),
        "the server sees the surname split",
        || {
            let (_, search) = server.json("/api/search?q=&entity=John%20Harlow&facets=1");
            (search["total"] == 2).then_some(())
        },
    );
    let (_, page) = server.json("/api/entities/Harlow");
    assert_eq!(page["entity"]["text"], "Harlow");
    assert_eq!(page["articles"], 6);
}

#[test]
fn readers_count_the_table_themselves_when_it_is_missing() {
    let env = corpus();
    let table = env.index.join("short-forms.json");
    let votes = env.index.join("short-forms.votes.json");
    assert!(table.is_file(), "the table is written beside the index");
    assert!(votes.is_file(), "the votes are kept beside the index");
    std::fs::remove_file(&table).expect("remove the table");
    assert_eq!(people(&env)["John Harlow"], 4);
    assert_eq!(with_entity(&env, "Harlow"), 4);
    std::fs::remove_file(&votes).expect("remove the votes");
    assert_eq!(people(&env)["John Harlow"], 4);
    std::fs::write(&votes, "not json").expect("write broken votes");
    assert_eq!(people(&env)["John Harlow"], 4);
    // A table made from other segments is not trusted either.
    std::fs::write(
        &table,
        r#"{"made_from":"elsewhere","forms":[{"key":"person:kessler","spellings":["Kessler"],
            "canonical":"Paul Kessler","canonical_key":"person:paul kessler","votes":9,
            "against":0,"rivals":[]}]}"#,
    )
    .expect("write a stale table");
    assert_eq!(people(&env)["Kessler"], 1);
    assert_eq!(with_entity(&env, "Paul Kessler"), 2);
}
