//! `/api/timeline` and `/api/entities/{name}`: the same answers as
//! `news timeline` and `news related`, from the same parameters as
//! `/api/search`.

use serde_json::Value;

use crate::harness::{Env, Server, repo};

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// The same filters as command-line flags and as query-string parameters.
const FILTERS: &[(&[&str], &str)] = &[
    (&[], ""),
    (&["--since", "2021"], "since=2021"),
    (
        &["--until", "2022-06", "--lang", "en"],
        "until=2022-06&lang=en",
    ),
    (&["--entity", "DEA"], "entity=DEA"),
    (&["--person", "Helena Costa"], "person=Helena%20Costa"),
    (
        &["--org", "European Central Bank"],
        "org=European%20Central%20Bank",
    ),
    (
        &["--place", "Europe", "--since", "2020"],
        "place=Europe&since=2020",
    ),
    (&["--fuzzy"], "fuzzy=1"),
];

#[test]
fn the_timeline_api_answers_as_the_command_line_and_counts_as_search() {
    let env = Env::new();
    env.index_path(&repo().join("sample-corpus")).code(0);
    let server = Server::start(&env, &[]);
    for (flags, params) in FILTERS {
        for query in ["", "security", "bank zzqqxx"] {
            let path = format!("/api/timeline?q={}&by=month&{params}", encode(query));
            let (status, api) = server.json(&path);
            assert_eq!(status, 200, "{path}: {api}");
            let mut args = vec!["timeline", "--json", "--by", "month"];
            args.extend_from_slice(flags);
            args.extend(["--", query]);
            let cli: Value = serde_json::from_str(&env.run(&args).stdout).unwrap();
            // The API reads a blank query as `*`; everything else is the same.
            assert_eq!(api["buckets"], cli["buckets"], "{path}");
            assert_eq!(api["undated"], cli["undated"], "{path}");
            assert_eq!(api["total"], cli["total"], "{path}");
            let (_, search) = server.json(&format!("/api/search?q={}&{params}", encode(query)));
            assert_eq!(api["total"], search["total"], "{path}");
        }
    }
    let (status, bad) = server.json("/api/timeline?by=fortnight");
    assert_eq!(
        (status, bad["error"]["code"].as_str()),
        (400, Some("bad_parameter"))
    );
    let (status, _) = server.json("/api/timeline?q=%22unclosed");
    assert_eq!(status, 400);
}

#[test]
fn an_entity_page_has_its_ties_timeline_and_newest_stories() {
    let env = Env::new();
    env.index_path(&repo().join("sample-corpus")).code(0);
    let server = Server::start(&env, &[]);
    let (status, page) = server.json("/api/entities/DEA?kind=org");
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["entity"]["text"], "Drug Enforcement Administration");
    assert_eq!(page["entity"]["type"], "org");
    let articles = page["articles"].as_u64().unwrap();
    assert_eq!(articles, 3);
    assert_eq!(page["timeline"]["total"].as_u64(), Some(articles));
    // The ties are those of `news related` with the same name and kind.
    let cli: Value = serde_json::from_str(
        &env.run(&["related", "--json", "DEA", "--kind", "org"])
            .code(0)
            .stdout,
    )
    .unwrap();
    assert_eq!(page["related"], cli["related"]);
    assert!(!page["related"].as_array().unwrap().is_empty());
    // Every top story names it; the newest come first.
    let top = page["top"].as_array().unwrap();
    assert_eq!(top.len() as u64, articles);
    let dates: Vec<&str> = top.iter().map(|h| h["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    for hit in top {
        let names: Vec<&str> = hit["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["text"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"Drug Enforcement Administration"),
            "{names:?}"
        );
    }
    // Filters narrow the page as they narrow a search.
    let (_, later) = server.json("/api/entities/Marcelo%20Ebrard?since=2021&limit=1");
    let (_, search) = server.json("/api/search?q=*&entity=Marcelo%20Ebrard&since=2021");
    assert_eq!(later["articles"], search["total"]);
    assert_eq!(later["articles"], 2);
    assert_eq!(later["top"].as_array().map(Vec::len), Some(1));
    for (path, status, code) in [
        ("/api/entities/Nobody%20At%20All", 404, "not_found"),
        ("/api/entities/DEA?kind=planet", 400, "bad_parameter"),
        ("/api/entities/DEA?limit=101", 400, "bad_parameter"),
        ("/api/entities/DEA?nonsense=1", 400, "bad_parameter"),
    ] {
        let (s, body) = server.json(path);
        assert_eq!(
            (s, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{path}"
        );
    }
}
