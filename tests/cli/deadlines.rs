//! Bounded work in the library: every call a server makes for a request
//! stops once its deadline passes, and statistics are computed once per
//! index version.

use std::sync::Arc;
use std::time::Duration;

use news_search::Error;
use news_search::deadline::Deadline;
use news_search::request::{Page, SearchParams};
use news_search::search::{Engine, Lookup};

use crate::counting;

#[test]
fn work_past_its_deadline_stops_with_cancelled() {
    let engine = counting::engine();
    let passed = Deadline::after(Duration::ZERO);
    assert!(matches!(
        engine.search_within(&SearchParams::new("*"), &passed),
        Err(Error::Cancelled)
    ));
    assert!(matches!(
        engine.stats_within(&passed),
        Err(Error::Cancelled)
    ));
    let id = engine.search(&SearchParams::new("harbour")).unwrap().hits[0]
        .id
        .clone();
    let page = Page::default();
    assert!(matches!(
        engine.similar_within(&id, Lookup::Exact, page, &passed),
        Err(Error::Cancelled)
    ));
    // With time left, the same calls answer.
    let later = Deadline::after(Duration::from_secs(600));
    assert!(
        engine
            .search_within(&SearchParams::new("*"), &later)
            .is_ok()
    );
    assert!(
        engine
            .similar_within(&id, Lookup::Exact, page, &later)
            .is_ok()
    );
    assert_eq!(Error::Cancelled.code(), "timeout");
}

#[test]
fn statistics_are_computed_once_per_index_version() {
    let store = news_search::store::Store::in_memory().unwrap();
    let mut writer = store.writer(1, 20_000_000).unwrap();
    let fields = store.fields.clone();
    let add = |writer: &mut tantivy::IndexWriter, i: u64| {
        let mut doc = tantivy::TantivyDocument::new();
        doc.add_text(fields.id, format!("/a/{i}.txt"));
        doc.add_text(fields.lang, "en");
        doc.add_text(fields.format, "txt");
        writer.add_document(doc).unwrap();
    };
    add(&mut writer, 1);
    writer.commit().unwrap();
    let reader = store.reader().unwrap();
    let engine = Engine::with_reader(store, reader.clone());
    let none = Deadline::none();
    let first = engine.stats_within(&none).unwrap();
    let again = engine.stats_within(&none).unwrap();
    assert!(Arc::ptr_eq(&first, &again), "statistics computed twice");
    assert_eq!(first.articles, 1);
    add(&mut writer, 2);
    writer.commit().unwrap();
    reader.reload().unwrap();
    let after = engine.stats_within(&none).unwrap();
    assert!(!Arc::ptr_eq(&first, &after));
    assert_eq!(after.articles, 2);
}
