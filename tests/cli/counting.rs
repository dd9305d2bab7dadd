//! Facets and statistics, read from columns, against plain counts made by
//! reading every stored article: the same numbers, on an index of several
//! segments with deleted articles.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use news_search::article::Article;
use news_search::corpus::Stamp;
use news_search::document::{self, from_document};
use news_search::entity::{Entity, EntityKind};
use news_search::format::Format;
use news_search::lang::Lang;
use news_search::request::SearchParams;
use news_search::search::Engine;
use news_search::store::Store;
use tantivy::TantivyDocument;
use tantivy::collector::DocSetCollector;
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::Term;

const PEOPLE: [&str; 14] = [
    "Ana Ortega",
    "Marcus Lind",
    "Elena Haddad",
    "David Moreau",
    "Sofia Kowalski",
    "Jamal Nakamura",
    "Ingrid Costa",
    "Tomás Reyes",
    "Priya Sen",
    "Olu Adeyemi",
    "Mei Chen",
    "Lukas Berg",
    "Fatima Zahra",
    "Jonas Weber",
];
const ORGS: [&str; 5] = [
    "Central Bank",
    "Port Authority",
    "City Council",
    "DEA",
    "UN",
];
const PLACES: [&str; 6] = [
    "Lisbon",
    "Mexico City",
    "Frankfurt",
    "Bogotá",
    "Oslo",
    "Lagos",
];
const FOLDERS: [&str; 4] = ["/news/a", "/news/b", "/news/b/c", "/wire"];
const SOURCES: [&str; 3] = ["Daily Wire", "The Ledger", "Harbour Post"];

/// A small deterministic generator (xorshift).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed picks: the first names come up far more often.
    fn skewed<'a>(&mut self, names: &[&'a str]) -> &'a str {
        let a = self.below(names.len());
        names[self.below(a + 1)]
    }
}

fn entity(name: &str, kind: EntityKind) -> Entity {
    Entity {
        name: name.to_string(),
        kind,
        aliases: Vec::new(),
        mentions: 1,
        first: 0,
    }
}

fn article(i: usize, g: &mut Gen) -> Article {
    let mut entities = Vec::new();
    for (kind, names, most) in [
        (EntityKind::Person, &PEOPLE[..], 3),
        (EntityKind::Org, &ORGS[..], 2),
        (EntityKind::Place, &PLACES[..], 2),
    ] {
        for _ in 0..g.below(most + 1) {
            let name = g.skewed(names);
            if !entities
                .iter()
                .any(|e: &Entity| e.kind == kind && e.name == name)
            {
                entities.push(entity(name, kind));
            }
        }
    }
    // About a third of the articles mention the harbour; one in nine has no date.
    let harbour = g.below(3) == 0;
    let date = (g.below(9) != 0).then(|| {
        Date::new(
            2020 + g.below(2) as i16,
            1 + g.below(12) as i8,
            1 + g.below(28) as i8,
        )
        .unwrap()
    });
    let folder = FOLDERS[i % FOLDERS.len()];
    let path = format!("{folder}/{i}.txt");
    Article {
        id: path.clone(),
        path,
        headline: format!("Report {i}"),
        body: format!(
            "The {} report number {i} covers the week in {}.",
            if harbour { "harbour" } else { "council" },
            PLACES[g.below(PLACES.len())]
        ),
        date,
        date_source: None,
        source: (g.below(4) != 0).then(|| g.skewed(&SOURCES).to_string()),
        authors: Vec::new(),
        updated: None,
        section: None,
        url: None,
        crawled: None,
        tags: Vec::new(),
        lang: [Lang::En, Lang::En, Lang::Es, Lang::Fr][g.below(4)],
        entities,
        format: [Format::Text, Format::Markdown, Format::Html][g.below(3)],
        fingerprint: None,
    }
}

/// Four segments of 500 articles, with some articles of each deleted.
pub fn engine() -> Engine {
    let store = Store::in_memory().unwrap();
    let mut writer = store.writer(1, 20_000_000).unwrap();
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let mut g = Gen(0x2545_F491_4F6C_DD1D);
    for batch in 0..4 {
        for i in batch * 500..(batch + 1) * 500 {
            let a = article(i, &mut g);
            let doc = document::to_document(&a, Stamp { size: 1, mtime: 1 }, 0, &store.fields);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        // Delete a scattered tenth of the articles written so far.
        for i in (batch * 500..(batch + 1) * 500).step_by(10) {
            let path = format!(
                "{}/{i}.txt",
                ["/news/a", "/news/b", "/news/b/c", "/wire"][i % 4]
            );
            writer.delete_term(Term::from_field_text(store.fields.id, &path));
        }
    }
    writer.commit().unwrap();
    let reader = store.reader().unwrap();
    Engine::with_reader(store, reader)
}

/// Every live article, read from the document store.
fn stored_articles(engine: &Engine) -> Vec<Article> {
    let mut all = Vec::new();
    engine
        .for_each_article(|a| {
            all.push(a);
            Ok(())
        })
        .unwrap();
    all
}

/// The `n` most frequent names of `kind`, ties by name.
fn top(articles: &[&Article], kind: EntityKind, n: usize) -> Vec<(String, u64)> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for a in articles {
        for e in a.entities.iter().filter(|e| e.kind == kind) {
            *counts.entry(e.name.clone()).or_default() += 1;
        }
    }
    let mut list: Vec<(String, u64)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(n);
    list
}

#[test]
fn facets_equal_a_plain_count_of_the_matching_articles() {
    let engine = engine();
    let results = engine
        .search(&SearchParams {
            facets: true,
            ..SearchParams::new("harbour")
        })
        .unwrap();
    let facets = results.facets.expect("facets asked for");

    // The matching articles, one by one from the document store.
    let searcher = engine.searcher();
    let mut matching = Vec::new();
    for lang in [Lang::En, Lang::Es, Lang::Fr] {
        let fields = engine.store().fields.lang(lang);
        let analyzer = engine.analyzers().text(lang);
        let term = news_search::analyzer::Analyzers::tokens(analyzer, "harbour")
            .pop()
            .unwrap()
            .1;
        let q = tantivy::query::TermQuery::new(
            Term::from_field_text(fields.body, &term),
            tantivy::schema::IndexRecordOption::Basic,
        );
        for address in searcher.search(&q, &DocSetCollector).unwrap() {
            let doc: TantivyDocument = searcher.doc(address).unwrap();
            matching.push(from_document(&doc, &engine.store().fields));
        }
    }
    assert_eq!(results.total, matching.len());
    assert!(
        matching.len() > 400 && matching.len() < 1_000,
        "{} matching: the test lost its third",
        matching.len()
    );
    let refs: Vec<&Article> = matching.iter().collect();
    assert_eq!(facets.person, top(&refs, EntityKind::Person, 10));
    assert_eq!(facets.org, top(&refs, EntityKind::Org, 10));
    assert_eq!(facets.place, top(&refs, EntityKind::Place, 10));
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    for a in &matching {
        if let Some(d) = a.date {
            *months
                .entry(format!("{:04}-{:02}", d.year(), d.month()))
                .or_default() += 1;
        }
    }
    assert_eq!(facets.date, months.into_iter().collect::<Vec<_>>());
}

#[test]
fn statistics_equal_a_plain_count_of_every_article() {
    let engine = engine();
    let stats = engine.stats().unwrap();
    let all = stored_articles(&engine);
    assert_eq!(stats.articles, all.len() as u64);
    assert_eq!(all.len(), 2_000 - 200);
    assert_eq!(
        stats.undated,
        all.iter().filter(|a| a.date.is_none()).count() as u64
    );
    let dates: Vec<Date> = all.iter().filter_map(|a| a.date).collect();
    assert_eq!(
        stats.date_range,
        Some((
            dates.iter().min().unwrap().to_string(),
            dates.iter().max().unwrap().to_string()
        ))
    );
    let count = |key: &dyn Fn(&Article) -> Option<String>| {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for a in &all {
            if let Some(k) = key(a) {
                *counts.entry(k).or_default() += 1;
            }
        }
        counts
    };
    let ranked = |counts: BTreeMap<String, u64>| {
        let mut list: Vec<(String, u64)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    };
    assert_eq!(stats.formats, count(&|a| Some(a.format.name().to_string())));
    assert_eq!(stats.languages, count(&|a| Some(a.lang.code().to_string())));
    assert_eq!(stats.sources, ranked(count(&|a| a.source.clone())));
    assert_eq!(
        stats.folders,
        ranked(count(&|a| {
            std::path::Path::new(&a.path)
                .parent()
                .map(|p| p.to_string_lossy().into_owned())
        }))
    );
    let refs: Vec<&Article> = all.iter().collect();
    for (name, kind) in [
        ("person", EntityKind::Person),
        ("org", EntityKind::Org),
        ("place", EntityKind::Place),
    ] {
        assert_eq!(stats.top_entities[name], top(&refs, kind, 10), "{name}");
    }
}
