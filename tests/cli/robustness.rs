//! Random and hostile input through the whole query path (parse, build,
//! search, snippets): every query is answered, with hits or a clear error,
//! never a panic or a hang.

use std::time::{Duration, Instant};

use news_search::entity::Extractor;
use news_search::format::{self, Format};
use news_search::request::{SearchParams as SearchRequest, SortOrder};
use news_search::search::Engine;
use news_search::store::Store;
use news_search::{Error, article, corpus::Stamp, document};
use proptest::prelude::*;

const ARTICLES: [&str; 4] = [
    "Security talks\n\nMarcelo Ebrard met the Drug Enforcement Administration (DEA) in Mexico City on March 5, 2021.",
    "Rates rise\n\nThe European Central Bank raised rates in Frankfurt. Christine Lagarde spoke.",
    "Floods\n\nThe river burst its banks in Port Aldren; Helena Costa visited.",
    "Cumbre en Bogotá\n\nLa reunión de ministros terminó sin acuerdo.",
];

fn engine() -> Engine {
    let store = Store::in_memory().unwrap();
    let mut writer = store.writer(1, 20_000_000).unwrap();
    for (i, text) in ARTICLES.iter().enumerate() {
        let path = format!("/corpus/2021-03-0{}-a{i}.txt", i + 1);
        for raw in format::parse(Format::Text, text).unwrap() {
            let a = article::extract(
                raw.unwrap(),
                &path,
                Format::Text,
                Some(Extractor::builtin()),
            );
            writer
                .add_document(document::to_document(
                    &a,
                    Stamp { size: 1, mtime: 1 },
                    i as u64,
                    &store.fields,
                ))
                .unwrap();
        }
    }
    writer.commit().unwrap();
    let reader = store.reader().unwrap();
    Engine::with_reader(store, reader)
}

/// Pieces that hit the grammar's corners, glued at random.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Ebrard".to_string()),
        Just("DEA".to_string()),
        Just("AND".to_string()),
        Just("OR".to_string()),
        Just("NOT".to_string()),
        Just("IN".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("\"".to_string()),
        Just("“".to_string()),
        Just("*".to_string()),
        Just("-".to_string()),
        Just("+".to_string()),
        Just("^".to_string()),
        Just("~".to_string()),
        Just(":".to_string()),
        Just("^2".to_string()),
        Just("~1".to_string()),
        Just("~9".to_string()),
        Just("date:".to_string()),
        Just("date:[".to_string()),
        Just(" TO ".to_string()),
        Just("]".to_string()),
        Just("2021".to_string()),
        Just("2021-03-05".to_string()),
        Just("0000-00-00".to_string()),
        Just("9999".to_string()),
        Just(">=".to_string()),
        Just("headline:".to_string()),
        Just("person:".to_string()),
        Just("lang:".to_string()),
        Just("a:(^".to_string()),
        Just("- *".to_string()),
        Just(" ".to_string()),
        "[a-zA-Z0-9]{1,8}".prop_map(|s| s),
        "\\PC{1,4}".prop_map(|s| s),
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(piece(), 0..24).prop_map(|p| p.concat()),
        "\\PC{0,60}",
        any::<String>(),
    ]
}

fn request() -> impl Strategy<Value = SearchRequest> {
    (
        query(),
        0usize..12_000,
        0usize..120_000,
        prop::option::of("[0-9-]{0,12}"),
        prop::option::of(prop_oneof![Just("2021".to_string()), "\\PC{0,6}"]),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0u8..3,
    )
        .prop_map(
            |(query, limit, offset, since, until, fuzzy, facets, collapse, sort)| SearchRequest {
                query,
                limit,
                offset,
                since,
                until,
                fuzzy,
                facets,
                collapse,
                sort: [SortOrder::Relevance, SortOrder::Newest, SortOrder::Oldest][sort as usize],
                ..SearchRequest::default()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn every_query_is_answered_without_panics_or_hangs(req in request()) {
        thread_local! {
            static ENGINE: Engine = engine();
        }
        ENGINE.with(|engine| {
            let started = Instant::now();
            let result = engine.search(&req);
            prop_assert!(started.elapsed() < Duration::from_secs(5), "slow query {:?}", req.query);
            match result {
                Ok(results) => {
                    prop_assert!(results.hits.len() <= req.limit);
                    for hit in &results.hits {
                        for (a, b) in &hit.snippet.highlights {
                            prop_assert!(a < b && *b <= hit.snippet.text.len());
                            prop_assert!(hit.snippet.text.is_char_boundary(*a) && hit.snippet.text.is_char_boundary(*b));
                        }
                    }
                }
                Err(Error::Query { .. } | Error::Parameter { .. }) => {}
                Err(other) => prop_assert!(false, "query {:?} failed on the engine side: {other}", req.query),
            }
            Ok(())
        })?;
    }
}

#[test]
fn known_hostile_inputs() {
    let engine = engine();
    for q in [
        "a:(^",
        "- *",
        "-*",
        "*:*",
        "(((((((((((((((((a)))))))))))))))))",
        "\"\"",
        "date:[* TO *]",
        "date:0000",
        "~",
        "^",
        "AND OR NOT",
    ] {
        let r = engine.search(&SearchRequest::new(q));
        assert!(matches!(r, Ok(_) | Err(Error::Query { .. })), "{q}: {r:?}");
    }
    let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(matches!(
        engine.search(&SearchRequest::new(deep)),
        Err(Error::Query { .. })
    ));
    let zero = SearchRequest {
        limit: 0,
        ..SearchRequest::new("Ebrard")
    };
    assert!(matches!(engine.search(&zero), Err(Error::Parameter { .. })));
}
