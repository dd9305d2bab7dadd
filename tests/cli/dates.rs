//! Article parsing seen from outside: each date source, headlines, and page
//! debris on the seed article.

use crate::contract::Results;
use crate::harness::{Env, shared};

fn date_of(env: &Env, word: &str) -> Option<String> {
    let r: Results = env.search(word, &[]);
    assert_eq!(r.total, 1, "{word}: {:?}", r.files());
    r.hits[0].date.clone()
}

#[test]
fn each_date_source_in_priority_order() {
    let env = Env::new();
    env.write(
        "front.md",
        "---\ntitle: Alpha story\ndate: 2021-10-08\n---\nBody alpha.\n",
    );
    env.write(
        "2019-06-12-bravo.txt",
        "Bravo story\n\nBody bravo. LONDON, 14 February 2022.",
    );
    env.write("2020/07/14/charlie.txt", "Charlie story\n\nBody charlie.");
    env.write("20230119-delta.txt", "Delta story\n\nBody delta.");
    env.write(
        "echo.txt",
        "Echo story\n\nMEXICO CITY, March 5, 2021 (Wire) — Body echo.",
    );
    env.write(
        "foxtrot.txt",
        "Foxtrot story\n\nBy Ana López | 5 Mar 2021\n\nBody foxtrot.",
    );
    env.write(
        "golf.txt",
        "Title: Golf story\nDate: 2019-06-12\n\nBody golf.",
    );
    env.write(
        "hotel.txt",
        "Hotel story\n\nIt happened last week, on Tuesday.",
    );
    env.write(
        "india.txt",
        "India story\n\nTuesday, 9 March 2021\n\nBody india.",
    );
    env.index_corpus();
    assert_eq!(date_of(&env, "alpha").as_deref(), Some("2021-10-08"));
    assert_eq!(date_of(&env, "bravo").as_deref(), Some("2019-06-12"));
    assert_eq!(date_of(&env, "charlie").as_deref(), Some("2020-07-14"));
    assert_eq!(date_of(&env, "delta").as_deref(), Some("2023-01-19"));
    assert_eq!(date_of(&env, "echo").as_deref(), Some("2021-03-05"));
    assert_eq!(date_of(&env, "foxtrot").as_deref(), Some("2021-03-05"));
    assert_eq!(date_of(&env, "golf").as_deref(), Some("2019-06-12"));
    // Never invented: no mtime, no relative expressions.
    assert_eq!(date_of(&env, "hotel"), None);
    assert_eq!(date_of(&env, "india").as_deref(), Some("2021-03-09"));
}

#[test]
fn headlines_from_first_line_markdown_and_front_matter() {
    let env = Env::new();
    env.write("a.md", "\n# Harbour bridge to close\n\nRepairs start soon.");
    env.write(
        "b.md",
        "---\ntitle: \"Tram line approved\"\n---\n\nThe tram will run soon.",
    );
    env.index_corpus();
    let r: Results = env.search("repairs", &[]);
    assert_eq!(r.hits[0].headline, "Harbour bridge to close");
    let r: Results = env.search("tram", &[]);
    assert_eq!(r.hits[0].headline, "Tram line approved");
}

#[test]
#[cfg_attr(not(news_shared), ignore = "needs ../shared/seed-article.txt")]
fn seed_article_debris_is_dropped_and_its_entities_found() {
    let seed = shared("seed-article.txt").expect("../shared/seed-article.txt is missing");
    let env = Env::new();
    std::fs::copy(&seed, env.corpus.join("seed.txt")).unwrap();
    env.index_corpus();
    // The related-story lines are not indexed...
    for debris in ["Puerto Rico", "CPI"] {
        let r: Results = env.search(debris, &[]);
        assert_eq!(r.total, 0, "{debris} is debris but matched");
    }
    // ...but the real closing paragraph is.
    let r: Results = env.search("\"intelligence operations\"", &[]);
    assert_eq!(r.total, 1);
    let hit = &r.hits[0];
    for (name, kind) in [
        ("Marcelo Ebrard", "person"),
        ("Rosa Icela Rodríguez", "person"),
        ("Roberto Velasco", "person"),
        ("Antony Blinken", "person"),
        ("Joe Biden", "person"),
        ("DEA", "org"),
        ("Mexico", "place"),
        ("United States", "place"),
    ] {
        assert!(
            hit.has_entity(name, kind),
            "{name} ({kind}) not in {:?}",
            hit.entities
        );
    }
    for word in ["The", "As", "Also", "According", "Meanwhile"] {
        assert!(
            !hit.entities.iter().any(|e| e.text == word),
            "{word} taken for an entity"
        );
    }
}
