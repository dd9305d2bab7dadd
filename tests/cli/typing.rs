//! Searching as people type: the last word as a prefix (`--prefix`, API
//! `prefix=1`) and lenient reading of unfinished syntax (API `lenient=1`),
//! which the command line never does.

use crate::contract::Results;
use crate::harness::{Env, Server, repo};

const LONG: &str = "The line was planned for a decade and cost more than the city had hoped, \
    but commuters in the northern suburbs said the journey into the centre was now far quicker.";

fn typing_corpus() -> Env {
    let env = Env::new();
    env.write(
        "oil-prices.txt",
        "Oil prices climb\n\nOPEC said oil prices rose for a third week as output fell.",
    );
    env.write(
        "opec-output.txt",
        "OPEC output steady\n\nOPEC kept oil output steady at its meeting in Vienna.",
    );
    env.write(
        "tram.txt",
        format!("New line opens\n\nThe tram now runs every six minutes. {LONG} {LONG}"),
    );
    env.write(
        "tramway.txt",
        "Tramways compared\n\nTramways, tramways, tramways: the tramways of three cities compared.",
    );
    env.index_corpus();
    env
}

#[test]
fn the_last_word_matches_as_a_prefix() {
    let env = typing_corpus();
    let r: Results = env.search("opec oil pric", &["--prefix"]);
    assert!(!r.relaxed, "the unfinished word relaxed the query");
    assert_eq!(r.files(), vec!["oil-prices.txt"]);
    // Highlights cover the whole word the prefix matched.
    assert!(
        r.hits[0].highlighted().contains(&"prices"),
        "{:?}",
        r.hits[0].highlighted()
    );
    // Without --prefix the word is a word, found nowhere.
    let r: Results = env.search("opec oil pric", &[]);
    assert!(r.relaxed);
    // Only the last word is a prefix.
    let r: Results = env.search("pric oil", &["--prefix"]);
    assert!(r.relaxed);
}

#[test]
fn exact_matches_of_the_word_rank_first() {
    let env = typing_corpus();
    let r: Results = env.search("tram", &["--prefix"]);
    assert_eq!(r.files(), vec!["tram.txt", "tramway.txt"]);
    assert_eq!(r.hits[1].highlighted()[0], "Tramways");
    // One letter is too little to complete.
    let r: Results = env.search("oil t", &["--prefix"]);
    assert!(r.relaxed);
}

#[test]
fn the_command_line_keeps_its_exact_errors() {
    let env = typing_corpus();
    for query in ["\"oil pri", "(oil OR gas", "dea^x"] {
        let run = env.run(&["search", "--prefix", "--", query]);
        run.code(2);
        assert!(
            run.stderr.starts_with("news: bad query at position"),
            "{query}: {}",
            run.stderr
        );
    }
}

#[test]
fn the_api_reads_unfinished_queries_leniently() {
    let env = Env::new();
    env.index_path(&repo().join("sample-corpus")).code(0);
    let server = Server::start(&env, &[]);
    let search = |q: &str, extra: &str| {
        let q = form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>();
        server.get(&format!("/api/search?q={q}{extra}"))
    };
    // The search page's own reading of a phrase being typed.
    let (status, body) = search("\"Ebrard DE", "&lenient=1&prefix=1");
    assert_eq!(status, 200, "{body}");
    let r: Results = serde_json::from_str(&body).unwrap();
    assert_eq!(r.read_as.as_deref(), Some("\"Ebrard DE\""));
    // No phrase "Ebrard de..." is written: its words are, in three stories.
    assert!(r.relaxed);
    assert_eq!(r.total, 3, "{body}");
    for hit in &r.hits {
        assert!(
            hit.has_entity("Marcelo Ebrard", "person"),
            "{}",
            hit.headline
        );
    }
    // Every unfinished form is read, and says how.
    for (typed, read) in [
        ("\"oil pri", "\"oil pri\""),
        ("(security OR trade", "(security OR trade)"),
        ("security)", "security "),
        ("security AND", "security AND"),
        ("dea^x", "dea x"),
        ("headline:", "headline "),
        ("date:2021-13 security", "date:2021 13 security"),
        ("\"", "\"\""),
    ] {
        let (status, body) = search(typed, "&lenient=1");
        assert_eq!(status, 200, "{typed}: {body}");
        let r: Results = serde_json::from_str(&body).unwrap();
        assert_eq!(r.read_as.as_deref(), Some(read), "{typed}");
        assert_eq!(r.query, typed);
    }
    // Strictly read, the same text is refused, as on the command line.
    let (status, body) = search("\"Ebrard DE", "");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("bad_query"), "{body}");
    // Limits are not syntax: they hold however leniently the text is read.
    let (status, _) = search(&"a ".repeat(1_200), "&lenient=1");
    assert_eq!(status, 400);
}
