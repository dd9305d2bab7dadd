//! What a built query highlights and matches, on a small index written by
//! the real indexer.

use std::collections::BTreeSet;

use tantivy::collector::{Count, TopDocs};

use super::*;
use crate::indexer::{self, IndexOptions};
use crate::query::Reading;
use crate::search::Engine;

struct Fixture {
    _tmp: tempfile::TempDir,
    engine: Engine,
}

const ARTICLES: &[(&str, &str)] = &[
    (
        "talks.txt",
        "Trade talks stall\n\nOfficials said trade talks with oil exporters stalled on Tuesday \
         after a week of meetings in Vienna.",
    ),
    (
        "trader.txt",
        "Trader fined\n\nA trader at a Vienna bank was fined for rigging prices, regulators said.",
    ),
    (
        "agency.txt",
        "Agents arrested\n\nAgents of the Drug Enforcement Administration arrested two men \
         in Texas.",
    ),
    (
        "harvest.txt",
        "Harvest ends early\n\nFarmers brought in the wheat harvest two weeks early this year.",
    ),
];

fn fixture() -> Fixture {
    fixture_of(ARTICLES)
}

fn fixture_of(articles: &[(&str, &str)]) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for (name, text) in articles {
        std::fs::write(corpus.join(name), text).unwrap();
    }
    let index = tmp.path().join("index");
    indexer::run(&IndexOptions::new(index.clone(), vec![corpus]), &mut |_| {}).unwrap();
    let engine = Engine::open(&index).unwrap();
    Fixture { _tmp: tmp, engine }
}

/// The English terms and prefixes `text` highlights, and how many articles
/// its query matches.
fn build(fixture: &Fixture, text: &str, typing: bool) -> (BTreeSet<String>, Vec<String>, usize) {
    let (built, matches) = run(fixture, text, typing, false);
    let terms = built
        .highlight
        .terms
        .get(&Lang::En)
        .cloned()
        .unwrap_or_default();
    (terms, built.highlight.prefixes, matches)
}

/// The built query of `text` and how many articles it matches.
fn run(fixture: &Fixture, text: &str, typing: bool, fuzzy: bool) -> (Built, usize) {
    // As the search page reads what is being typed.
    let reading = Reading {
        lenient: typing,
        prefix: typing,
    };
    let query = ParsedQuery::read(text, 1000, reading).unwrap();
    let mut request = SearchRequest::new(query.clone());
    request.fuzzy = fuzzy;
    let searcher = fixture.engine.searcher();
    let built = fixture
        .engine
        .query_builder(&searcher)
        .build(&request, &query)
        .unwrap();
    let matches = searcher.search(&*built.query, &Count).unwrap();
    (built, matches)
}

/// The best-ranked article of `text`.
fn first(fixture: &Fixture, text: &str) -> tantivy::DocAddress {
    let (built, _) = run(fixture, text, false, false);
    let top = fixture
        .engine
        .searcher()
        .search(&*built.query, &TopDocs::with_limit(1).order_by_score())
        .unwrap();
    top[0].1
}

fn set(words: &[&str]) -> BTreeSet<String> {
    words.iter().map(|w| w.to_string()).collect()
}

#[test]
fn excluded_words_and_phrases_are_never_highlighted() {
    let f = fixture();
    let (terms, _, matches) = build(&f, "Vienna -oil", false);
    assert_eq!((terms, matches), (set(&["vienna"]), 1));
    let (terms, _, matches) = build(&f, "Vienna -\"oil exporters\"", false);
    assert_eq!((terms, matches), (set(&["vienna"]), 1));
    let (terms, prefixes, _) = build(&f, "Vienna -trad*", false);
    assert_eq!((terms, prefixes), (set(&["vienna"]), Vec::<String>::new()));
    // An exclusion of an exclusion asks for the word: it is highlighted.
    let (terms, _, matches) = build(&f, "Vienna -(-oil)", false);
    assert_eq!((terms, matches), (set(&["vienna", "oil"]), 1));
    // A group that only excludes matches what it does not exclude, and
    // highlights nothing of what it excludes.
    let (terms, _, matches) = build(&f, "harvest OR (-oil)", false);
    assert_eq!((terms, matches), (set(&["harvest"]), 3));
}

#[test]
fn phrases_are_highlighted_as_their_words() {
    let f = fixture();
    let (terms, _, matches) = build(&f, "\"trade talks\"", false);
    assert_eq!((terms, matches), (set(&["trade", "talk"]), 1));
}

#[test]
fn a_prefix_is_highlighted_once_as_a_prefix_and_not_as_a_word() {
    let f = fixture();
    let (terms, prefixes, matches) = build(&f, "trad*", false);
    assert_eq!(
        (terms, prefixes, matches),
        (BTreeSet::new(), vec!["trad".to_string()], 2)
    );
    let (_, prefixes, _) = build(&f, "trad* OR trad*", false);
    assert_eq!(prefixes, vec!["trad".to_string()]);
}

#[test]
fn a_fuzzy_word_highlights_what_it_matched_not_what_was_typed() {
    let f = fixture();
    let (terms, _, matches) = build(&f, "tradr~1", false);
    assert_eq!((terms, matches), (set(&["trade", "trader"]), 2));
    // No edit allowed: the word itself, highlighted as such.
    let (terms, _, matches) = build(&f, "trades~0", false);
    assert_eq!((terms, matches), (set(&["trade"]), 1));
}

#[test]
fn only_the_word_being_typed_completes() {
    let f = fixture();
    // Not typing: a word is itself, never the beginning of others.
    let (terms, _, matches) = build(&f, "trad", false);
    assert_eq!((terms, matches), (set(&["trad"]), 0));
    // Typing: the last word completes to the words it begins.
    let (terms, _, matches) = build(&f, "trad", true);
    assert!(
        terms.contains("trade") && terms.contains("trader"),
        "{terms:?}"
    );
    assert_eq!(matches, 2);
    // Typing an exclusion excludes the word as typed so far, not every
    // word it begins.
    let (terms, _, matches) = build(&f, "Vienna -trad", true);
    assert_eq!((terms, matches), (set(&["vienna"]), 2));
}

#[test]
fn a_phrase_being_typed_ends_in_a_prefix() {
    let f = fixture();
    let (terms, prefixes, matches) = build(&f, "\"trade tal", true);
    assert_eq!(
        (terms, prefixes, matches),
        (set(&["trade"]), vec!["tal".to_string()], 1)
    );
    // Finished, the same words are a phrase of whole words.
    let (_, prefixes, matches) = build(&f, "\"trade tal\"", true);
    assert_eq!((prefixes, matches), (Vec::<String>::new(), 0));
    // An excluded phrase being typed excludes only the phrase as typed.
    let (_, prefixes, matches) = build(&f, "Vienna -\"trade tal", true);
    assert_eq!((prefixes, matches), (Vec::<String>::new(), 2));
}

#[test]
fn an_alias_finds_the_spelled_out_name_as_a_word_a_prefix_or_a_fuzzy_value() {
    let f = fixture();
    for query in ["org:DEA", "org:DEA*", "org:DEA~1", "entity:DEA*"] {
        let (_, _, matches) = build(&f, query, false);
        assert_eq!(matches, 1, "{query}");
    }
}

#[test]
fn an_exact_match_outranks_a_correction() {
    let f = fixture();
    // `trade` and `trader` are one edit apart, each in one article's
    // headline and body; the shorter article holds `trader`.
    assert_eq!(run(&f, "trade~1", false, false).1, 2);
    assert_eq!(first(&f, "trade~1"), first(&f, "trade"));
    assert_eq!(first(&f, "trader~1"), first(&f, "trader"));
}

#[test]
fn fuzzy_search_allows_two_edits_from_eight_letters_and_one_below() {
    let f = fixture();
    // Entity words are folded, not stemmed: `enforcement` is two letters
    // away from this eleven-letter word.
    assert_eq!(run(&f, "enforsemant", false, true).1, 1);
    assert_eq!(run(&f, "enforsemant", false, false).1, 0);
    // Seven letters: one edit (`harvest`), not two.
    assert_eq!(run(&f, "harvast", false, true).1, 1);
    assert_eq!(run(&f, "harvazt", false, true).1, 0);
}

#[test]
fn a_word_no_field_can_read_drops_out_of_the_query() {
    let f = fixture();
    // `&` analyzes to nothing in every field: it asks for nothing, rather
    // than for something no article holds.
    let (terms, _, matches) = build(&f, "Vienna &", false);
    assert_eq!((terms, matches), (set(&["vienna"]), 2));
}

#[test]
fn a_fuzzy_word_keeps_itself_among_more_corrections_than_are_searched() {
    // A hundred words one letter away from `zorb`, each as common as it.
    let variants: Vec<String> = (0..4)
        .flat_map(|at| {
            ('a'..='y').map(move |c| {
                let mut word: Vec<char> = "zorb".chars().collect();
                word[at] = if word[at] == c { 'y' } else { c };
                word.into_iter().collect()
            })
        })
        .filter(|w: &String| w != "zorb")
        .collect();
    assert!(variants.len() > MAX_EXPANSIONS, "{}", variants.len());
    let many = format!("Many words\n\n{}.", variants.join(" "));
    let f = fixture_of(&[("many.txt", &many), ("one.txt", "One word\n\nA zorb.")]);
    assert_eq!(run(&f, "zorb", false, false).1, 1);
    assert_eq!(run(&f, "zorb~1", false, false).1, 2);
}
