//! `news related`: on a corpus written so that the order of ties is known,
//! the strong partners come first, the name found everywhere and the name
//! seen twice do not, and a name found less often than chance scores below
//! zero; `--pairs` finds the strongest pair of the whole set.

use serde::Deserialize;

use crate::harness::Env;

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Named {
    text: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Tie {
    text: String,
    #[serde(rename = "type")]
    kind: String,
    count: u64,
    score: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelatedJson {
    entity: Named,
    articles: u64,
    related: Vec<Tie>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    a: Named,
    b: Named,
    count: u64,
    score: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PairsJson {
    query: String,
    articles: u64,
    pairs: Vec<Pair>,
}

/// 200 articles. Ana Ortega is in the first 40; with her:
/// - Port Authority in 20 of her 40, in 25 of all 200 (her partner);
/// - Lisbon in 12 of hers, 30 of all (a weaker partner);
/// - United States in 36 of hers, 150 of all (found everywhere);
/// - Rare Name in 2 of hers and nowhere else (seen twice);
/// - Mei Chen in 4 of hers, 80 of all (less than chance: 16 expected).
///
/// Articles 0-99 are dated 2021, the others 2022.
fn corpus() -> Env {
    let env = Env::new();
    let mut lines = String::new();
    for i in 0..200usize {
        let mut entities: Vec<(&str, &str)> = Vec::new();
        let within = |a: usize, b: usize| (a..b).contains(&i);
        if i < 40 {
            entities.push(("Ana Ortega", "person"));
        }
        if within(0, 20) || within(40, 45) {
            entities.push(("Port Authority", "org"));
        }
        if within(20, 32) || within(100, 118) {
            entities.push(("Lisbon", "place"));
        }
        if within(0, 36) || within(40, 154) {
            entities.push(("United States", "place"));
        }
        if i < 2 {
            entities.push(("Rare Name", "person"));
        }
        if within(36, 40) || within(120, 196) {
            entities.push(("Mei Chen", "person"));
        }
        let entities: Vec<serde_json::Value> = entities
            .into_iter()
            .map(|(text, kind)| serde_json::json!({"text": text, "type": kind}))
            .collect();
        let year = if i < 100 { 2021 } else { 2022 };
        let line = serde_json::json!({
            "title": format!("report {i}"),
            "text": format!("the weekly report number {i} on trade."),
            "date": format!("{year}-{:02}-10", i % 12 + 1),
            "entities": entities,
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    env.write("wire.jsonl", lines);
    env.index_corpus();
    env
}

fn related(env: &Env, args: &[&str]) -> RelatedJson {
    let mut all = vec!["related", "--json"];
    all.extend_from_slice(args);
    env.run(&all).code(0).json()
}

#[test]
fn partners_come_first_and_neither_the_ubiquitous_nor_the_rare_top_the_list() {
    let env = corpus();
    let r = related(&env, &["Ana Ortega", "--limit", "10"]);
    assert_eq!(
        r.entity,
        Named {
            text: "Ana Ortega".into(),
            kind: "person".into()
        }
    );
    assert_eq!(r.articles, 40);
    let order: Vec<&str> = r.related.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(order[..2], ["Port Authority", "Lisbon"], "{r:?}");
    assert_eq!(order.len(), 5, "{order:?}");
    assert!(
        !order.contains(&"Ana Ortega"),
        "the entity is never its own tie"
    );
    let tie = |name: &str| r.related.iter().find(|t| t.text == name).unwrap();
    assert_eq!(
        (
            tie("Port Authority").count,
            tie("Port Authority").kind.as_str()
        ),
        (20, "org")
    );
    assert_eq!(tie("United States").count, 36);
    assert_eq!(tie("Rare Name").count, 2);
    // Raw counts would put United States first, lift Rare Name.
    assert!(tie("Lisbon").score > tie("United States").score);
    assert!(tie("Lisbon").score > tie("Rare Name").score);
    assert!(tie("United States").score > 0.0 && tie("Rare Name").score > 0.0);
    // Mei Chen is with her four times where chance says sixteen.
    let all = related(&env, &["Ana Ortega", "--limit", "100"]);
    let mei = all.related.iter().find(|t| t.text == "Mei Chen").unwrap();
    assert_eq!(mei.count, 4);
    assert!(mei.score < 0.0, "{}", mei.score);
    assert_eq!(all.related.last().unwrap().text, "Mei Chen");
    // Scores are strongest first.
    for pair in all.related.windows(2) {
        assert!(pair[0].score >= pair[1].score, "{:?}", all.related);
    }
}

#[test]
fn filters_and_kind_narrow_the_articles_as_search_does() {
    let env = corpus();
    // 2022 has none of Ana's articles.
    let run = env.run(&["related", "Ana Ortega", "--since", "2022"]);
    run.code(2);
    assert!(run.stderr.contains("Ana Ortega"), "{}", run.stderr);
    // Only 2021: the background is the first 100 articles, where Lisbon is
    // found with her alone (12 of 12) and Port Authority 20 of 25 times.
    let r = related(&env, &["Ana Ortega", "--until", "2021"]);
    assert_eq!(r.articles, 40);
    let order: Vec<&str> = r.related.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(order[..2], ["Lisbon", "Port Authority"], "{r:?}");
    // A query narrows both the articles of the name and the background.
    let r = related(
        &env,
        &["Ana Ortega", "--query", "report", "--kind", "person"],
    );
    assert_eq!(r.articles, 40);
    let wrong_kind = env.run(&["related", "Ana Ortega", "--kind", "place"]);
    wrong_kind.code(2);
    // Ties of a place, by the same names `--place` takes.
    let r = related(&env, &["lisbon", "--kind", "place"]);
    assert_eq!(r.entity.text, "Lisbon");
    assert_eq!(r.articles, 30);
    let bad = env.run(&["related", "Ana Ortega", "--since", "soon"]);
    bad.code(2);
    assert!(bad.stderr.contains("since"), "{}", bad.stderr);
}

#[test]
fn pairs_rank_the_strongest_ties_of_a_result_set() {
    let env = corpus();
    let run = env.run(&["related", "--pairs", "--json", "--limit", "3"]);
    let p: PairsJson = run.code(0).json();
    assert_eq!(p.articles, 200);
    assert_eq!(p.query, "");
    assert_eq!(p.pairs.len(), 3);
    let top = &p.pairs[0];
    let names = [top.a.text.as_str(), top.b.text.as_str()];
    assert!(
        names.contains(&"Ana Ortega") && names.contains(&"Port Authority"),
        "{:?}",
        p.pairs
    );
    assert_eq!(top.count, 20);
    assert!(p.pairs[0].score >= p.pairs[1].score);
    let every: PairsJson = env
        .run(&["related", "--pairs", "--json", "--limit", "1000"])
        .code(0)
        .json();
    assert!(every.pairs.len() > 3 && every.pairs.iter().all(|p| p.count >= 2));
    // Within 2022 Ana is absent: her pairs are gone.
    let later: PairsJson = env
        .run(&["related", "--pairs", "--json", "--since", "2022"])
        .code(0)
        .json();
    assert_eq!(later.articles, 100);
    assert!(
        later
            .pairs
            .iter()
            .all(|p| p.a.text != "Ana Ortega" && p.b.text != "Ana Ortega")
    );
    let human = env.run(&["related", "--pairs", "--limit", "1"]);
    human.code(0);
    assert!(
        human.stdout.contains("Ana Ortega (person)")
            && human.stdout.contains("Port Authority (org)"),
        "{}",
        human.stdout
    );
    env.run(&["related", "--pairs", "Ana Ortega"]).code(2);
    env.run(&["related"]).code(2);
}

#[test]
fn twenty_ties_unless_asked_for_more() {
    let env = Env::new();
    env.index_path(&crate::harness::repo().join("sample-corpus"))
        .code(0);
    let default = related(&env, &["DEA"]);
    let more = related(&env, &["DEA", "--limit", "100"]);
    assert_eq!(default.related.len(), 20);
    assert!(more.related.len() > 20, "{}", more.related.len());
    assert_eq!(default.related[..], more.related[..20]);
}
