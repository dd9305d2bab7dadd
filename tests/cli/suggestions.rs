//! "Did you mean": corrections drawn from the index's own words, on a
//! corpus written for the test: a misspelt name, a correct rare word next
//! to a common one, phrases, operators, the other words of the query.

use crate::contract::{Results, Suggestion};
use crate::harness::Env;

/// Paul Volcker in six stories, Donald Trump's tower in two, a waste dump
/// in two, Angela Merkel in two, and Ralph Merkle, a cryptographer, in one.
fn newsroom() -> Env {
    let env = Env::new();
    let volcker = [
        "Volcker warns on inflation\n\nPaul Volcker, the former Federal Reserve chairman, warned that inflation would return if rates were cut too soon.",
        "Fed history\n\nPaul Volcker raised interest rates sharply in 1980, and the economy slowed for two years.",
        "Banking rule debate\n\nThe rule named after Paul Volcker limits how banks trade with their own money.",
        "Central bank memoirs\n\nIn his memoirs Paul Volcker describes the long fight against rising prices.",
        "Obituary\n\nPaul Volcker, who tamed inflation as chairman of the Federal Reserve, has died aged 92.",
        "Tributes pour in\n\nEconomists praised Paul Volcker for his independence from the White House.",
    ];
    for (i, text) in volcker.iter().enumerate() {
        env.write(&format!("volcker-{i}.txt"), text);
    }
    env.write(
        "tower-1.txt",
        "Tower opening\n\nDonald Trump opened the tower on Fifth Avenue with a speech to investors.",
    );
    env.write(
        "tower-2.txt",
        "Tower sale\n\nThe Trump tower in Chicago sold two floors of offices this spring.",
    );
    env.write(
        "waste-1.txt",
        "Waste site closes\n\nThe council closed the waste dump after residents complained about smoke.",
    );
    env.write(
        "waste-2.txt",
        "Waste levy\n\nA new levy on the dump will pay for recycling of household waste.",
    );
    env.write(
        "merkel-1.txt",
        "Berlin talks\n\nAngela Merkel met the French president to discuss the budget.",
    );
    env.write(
        "merkel-2.txt",
        "Coalition deal\n\nAngela Merkel agreed a coalition deal after weeks of talks.",
    );
    env.write(
        "merkle-1.txt",
        "Cryptography prize\n\nRalph Merkle, whose hash trees secure many databases, received a prize.",
    );
    env.index_corpus();
    env
}

fn suggestion(env: &Env, query: &str) -> Option<Suggestion> {
    env.search::<Results>(query, &[]).suggestion
}

fn suggested(query: &str, total: u64) -> Option<Suggestion> {
    Some(Suggestion {
        query: query.to_string(),
        total,
    })
}

#[test]
fn a_misspelt_name_gets_the_name_the_index_holds() {
    let env = newsroom();
    let r: Results = env.search("Volker", &[]);
    assert_eq!(r.total, 0);
    assert_eq!(r.suggestion, suggested("Volcker", 6));
    // The correction is offered, not applied: the results are the query's own.
    assert!(r.hits.is_empty());
    let human = env.run(&["search", "Volker"]);
    human.code(1);
    assert!(
        human.stdout.contains("Did you mean: Volcker  (6 articles)"),
        "{}",
        human.stdout
    );
    // Swapped, replaced and dropped letters alike.
    assert_eq!(suggestion(&env, "Volckre"), suggested("Volcker", 6));
    assert_eq!(suggestion(&env, "VOLCKEP"), suggested("VOLCKER", 6));
}

#[test]
fn correct_words_get_no_suggestion() {
    let env = newsroom();
    for query in ["Volcker", "Paul Volcker inflation", "tower", "Merkel"] {
        let run = env.run(&["search", "--json", query]);
        let raw: serde_json::Value = run.json();
        assert!(raw.get("suggestion").is_none(), "{query}: {raw}");
    }
    // A correct rare word next to a commoner one is left alone: Ralph
    // Merkle is not Angela Merkel.
    let r: Results = env.search("Merkle", &[]);
    assert_eq!(r.total, 1);
    assert_eq!(r.suggestion, None);
    let human = env.run(&["search", "Merkle"]);
    assert!(!human.stdout.contains("Did you mean"), "{}", human.stdout);
}

#[test]
fn phrases_and_operators_are_kept() {
    let env = newsroom();
    assert_eq!(
        suggestion(&env, "\"Paul Volker\""),
        suggested("\"Paul Volcker\"", 6)
    );
    assert_eq!(
        suggestion(&env, "Volker OR Merkle"),
        suggested("Volcker OR Merkle", 7)
    );
    assert_eq!(
        suggestion(&env, "+Volker -(Merkel OR Merkle)"),
        suggested("+Volcker -(Merkel OR Merkle)", 6)
    );
    assert_eq!(
        suggestion(&env, "headline:Volker"),
        suggested("headline:Volcker", 1)
    );
    // An excluded word is never corrected, nor a fuzzy or prefix one.
    for query in ["inflation -Volker", "Volker~1", "Volk*"] {
        assert_eq!(suggestion(&env, query), None, "{query}");
    }
}

#[test]
fn the_other_words_choose_between_corrections() {
    let env = newsroom();
    assert_eq!(suggestion(&env, "tump tower"), suggested("trump tower", 2));
    assert_eq!(suggestion(&env, "tump waste"), suggested("dump waste", 2));
    // When nothing has every word, the query is relaxed; the suggestion
    // still finds articles with every word.
    let r: Results = env.search("Volker inflation", &[]);
    assert!(r.relaxed);
    assert_eq!(r.suggestion, suggested("Volcker inflation", 2));
}

#[test]
fn filters_count_in_the_suggestion() {
    let env = newsroom();
    let r: Results = env.search("Volker", &["--entity", "Federal Reserve"]);
    let Some(s) = r.suggestion else {
        panic!("no suggestion with a filter")
    };
    assert_eq!(s.query, "Volcker");
    assert!(s.total < 6, "the filter was ignored: {s:?}");
}

#[test]
fn batch_lines_carry_suggestions() {
    let env = newsroom();
    let run = env.run_stdin(
        &["search", "--batch", "-"],
        b"Volker\nVolcker\ntump tower\n",
    );
    run.code(0);
    let lines: Vec<Results> = run.json_lines();
    let suggestions: Vec<Option<Suggestion>> = lines.into_iter().map(|r| r.suggestion).collect();
    assert_eq!(
        suggestions,
        vec![suggested("Volcker", 6), None, suggested("trump tower", 2)]
    );
}

#[test]
fn a_word_being_typed_is_completed_before_it_is_corrected() {
    let env = newsroom();
    // "Volc" begins a word the index holds: not a typo yet.
    let r: Results = env.search("Volc", &["--prefix"]);
    assert_eq!(r.total, 6);
    assert_eq!(r.suggestion, None);
    // "Volk" begins none: corrected.
    let r: Results = env.search("Paul Volker", &["--prefix"]);
    assert_eq!(r.suggestion, suggested("Paul Volcker", 6));
}

#[test]
fn the_library_offers_the_correction_a_search_carries() {
    use news_search::request::SearchParams;
    let env = newsroom();
    let engine = news_search::search::Engine::open(&env.index).unwrap();
    for query in ["Volker", "\"Paul Volker\"", "Volker OR Merkle", "Merkle"] {
        let alone = engine.suggestion(&SearchParams::new(query)).unwrap();
        let carried = engine.search(&SearchParams::new(query)).unwrap().suggestion;
        assert_eq!(alone, carried, "{query}");
    }
    let volker = engine.suggestion(&SearchParams::new("Volker")).unwrap();
    assert_eq!(
        volker.map(|s| (s.query, s.total)),
        Some(("Volcker".to_string(), 6))
    );
}
