//! What web pages state about their articles: JSON-LD and meta tags read
//! into `news show --json`, and the author, section and source filters of
//! `news search` and the HTTP API.

use crate::harness::{Env, Server};

/// A page whose JSON-LD names two authors, a section, a publisher and the
/// dates; its title carries the site's name.
const STATED: &str = r##"<!doctype html><html lang="en"><head>
<title>Harbour wall to be rebuilt | The Quay Gazette</title>
<meta property="og:site_name" content="The Quay Gazette">
<meta name="DC.date.issued" content="2020-01-01T10:00:00Z">
<link rel="canonical" href="https://quay.test/news/harbour-wall">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebPage","@id":"https://quay.test/news/harbour-wall"},
 {"@type":"NewsArticle","headline":"Harbour wall to be rebuilt | The Quay Gazette",
  "datePublished":"2024-03-04T08:30:00+00:00","dateModified":"2024-03-06T12:00:00+00:00",
  "author":[{"@type":"Person","name":"Ana Ferreira"},{"@id":"#tom"}],
  "publisher":{"@type":"Organization","name":"The Quay Gazette"},
  "articleSection":"Local News","keywords":["harbour","council"]},
 {"@type":"Person","@id":"#tom","name":"Tom Reyes"}]}</script>
</head><body><h1>Harbour wall to be rebuilt</h1>
<p>Posted 2 February 2019</p>
<p>The town council of Port Aldren voted on Tuesday to rebuild the harbour wall, which the winter storm broke in two places.</p>
<p>Engineers said the repair would take eighteen months and cost about three million pounds.</p>
<footer>© 2024 The Quay Gazette</footer></body></html>"##;

/// A page with meta tags only and a broken JSON-LD script.
const TAGGED: &str = r#"<!doctype html><html lang="en"><head>
<title>Ferry timetable changes for spring - Coast Herald</title>
<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": </script>
<meta property="og:site_name" content="Coast Herald">
<meta name="author" content="Jo Park">
<meta property="article:section" content="Transport">
<meta name="sailthru.date" content="2023-05-06 09:00:00">
</head><body><article><h1>Ferry timetable changes for spring</h1>
<p>The ferry company will run two more crossings a day from April, the harbour office said on Monday.</p>
<p>Passengers can book the new crossings from next week.</p></article></body></html>"#;

/// A page with no stated date: the day comes from its URL.
const DATED_URL: &str = r#"<!doctype html><html><head><title>Lighthouse reopens</title>
<meta property="og:url" content="https://quay.test/2022/07/09/lighthouse-reopens">
</head><body><h1>Lighthouse reopens</h1><p>The lighthouse on the point reopened to visitors on Saturday after two years of repairs.</p>
<p>© 2024</p></body></html>"#;

fn index_pages() -> Env {
    let env = Env::new();
    env.write("pages/harbour.html", STATED);
    env.write("pages/ferry.html", TAGGED);
    env.write("pages/lighthouse.html", DATED_URL);
    env.index_corpus().code(0);
    env
}

fn show(env: &Env, rel: &str) -> serde_json::Value {
    let path = env.corpus.join(rel);
    env.run(&["show", "--json", path.to_str().expect("utf-8 path")])
        .code(0)
        .json()
}

#[test]
fn page_metadata_in_show_json() {
    let env = index_pages();
    let a = show(&env, "pages/harbour.html");
    assert_eq!(a["headline"], "Harbour wall to be rebuilt");
    // JSON-LD outranks a Dublin Core tag and a date announced in the text.
    assert_eq!(a["date"], "2024-03-04");
    assert_eq!(a["date_source"], "json-ld");
    assert_eq!(a["updated"], "2024-03-06");
    assert_eq!(
        a["author"],
        serde_json::json!(["Ana Ferreira", "Tom Reyes"])
    );
    assert_eq!(a["section"], "Local News");
    assert_eq!(a["source"], "The Quay Gazette");
    assert_eq!(a["url"], "https://quay.test/news/harbour-wall");
    assert_eq!(a["tags"], serde_json::json!(["harbour", "council"]));

    let b = show(&env, "pages/ferry.html");
    assert_eq!(b["headline"], "Ferry timetable changes for spring");
    assert_eq!(b["date"], "2023-05-06");
    assert_eq!(b["date_source"], "metadata");
    assert_eq!(b["author"], serde_json::json!(["Jo Park"]));
    assert_eq!(b["section"], "Transport");
    assert_eq!(b["updated"], serde_json::Value::Null);

    let c = show(&env, "pages/lighthouse.html");
    assert_eq!(c["date"], "2022-07-09");
    assert_eq!(c["date_source"], "url");
    assert_eq!(c["author"], serde_json::json!([]));
}

fn hit_paths(results: &serde_json::Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            let p = h["path"].as_str().expect("path");
            p.rsplit('/').next().unwrap_or(p).to_string()
        })
        .collect()
}

#[test]
fn author_section_and_source_filters_on_the_command_line() {
    let env = index_pages();
    let search = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["search", "*", "--format", "json"];
        args.extend_from_slice(extra);
        env.run(&args).json()
    };
    // Exact names, case and accents ignored.
    assert_eq!(
        hit_paths(&search(&["--author", "tom reyes"])),
        ["harbour.html"]
    );
    assert_eq!(hit_paths(&search(&["--author", "Jo Park"])), ["ferry.html"]);
    assert_eq!(
        hit_paths(&search(&["--section", "TRANSPORT"])),
        ["ferry.html"]
    );
    assert_eq!(
        hit_paths(&search(&["--source", "the quay gazette"])),
        ["harbour.html"]
    );
    let none = env.run(&["search", "*", "--author", "Ana", "--format", "json"]);
    assert_eq!(hit_paths(&none.json()), Vec::<String>::new());
    // The hits carry the fields.
    let r = search(&["--section", "Local News"]);
    assert_eq!(r["hits"][0]["section"], "Local News");
    assert_eq!(
        r["hits"][0]["author"],
        serde_json::json!(["Ana Ferreira", "Tom Reyes"])
    );
    assert_eq!(r["hits"][0]["url"], "https://quay.test/news/harbour-wall");

    for flag in ["--author", "--section", "--source"] {
        let bad = env.run(&["search", "*", flag, "  "]);
        bad.code(2);
        let name = flag.trim_start_matches('-');
        assert!(
            bad.stderr.contains(name) && bad.stderr.contains("empty"),
            "{flag}: {}",
            bad.stderr
        );
    }
}

#[test]
fn author_section_and_source_filters_over_http() {
    let env = index_pages();
    let server = Server::start(&env, &[]);
    let (status, r) = server.json("/api/search?q=*&author=Ana%20Ferreira");
    assert_eq!(status, 200);
    assert_eq!(hit_paths(&r), ["harbour.html"]);
    let (_, r) = server.json("/api/search?q=*&section=transport");
    assert_eq!(hit_paths(&r), ["ferry.html"]);
    let (_, r) = server.json("/api/search?q=*&source=Coast%20Herald");
    assert_eq!(hit_paths(&r), ["ferry.html"]);
    for name in ["author", "section", "source"] {
        let (status, body) = server.json(&format!("/api/search?q=*&{name}="));
        assert_eq!(status, 400, "{name}: {body}");
        assert!(body.to_string().contains(name), "{body}");
    }
}
