//! Facets counted every way against counting article by article.

use super::*;
use crate::store::Store;
use jiff::civil::Date;
use tantivy::schema::FAST;

fn day(y: i16, m: i8, d: i8) -> i64 {
    day::number(day::to_datetime(Date::new(y, m, d).unwrap()))
}

#[test]
fn monthly_for_short_spans_yearly_for_long() {
    let mut days = HashMap::new();
    days.insert(day(2021, 3, 5), 2);
    days.insert(day(2021, 3, 9), 1);
    days.insert(day(2021, 10, 8), 4);
    assert_eq!(
        histogram(&days),
        vec![("2021-03".to_string(), 3), ("2021-10".to_string(), 4)]
    );
    days.insert(day(2018, 1, 1), 1);
    assert_eq!(
        histogram(&days),
        vec![("2018".to_string(), 1), ("2021".to_string(), 7)]
    );
    assert!(histogram(&HashMap::new()).is_empty());
    // Three years less a month apart: by month; three years: by year.
    let monthly = |from: i64, to: i64| {
        histogram(&HashMap::from([(from, 1), (to, 1)]))[0].0.len() == "2018-01".len()
    };
    assert!(monthly(day(2018, 1, 31), day(2020, 12, 1)));
    assert!(!monthly(day(2018, 1, 31), day(2021, 1, 1)));
    assert!(monthly(day(2018, 12, 1), day(2021, 11, 30)));
    assert!(!monthly(day(2018, 12, 1), day(2021, 12, 1)));
}

#[test]
fn top_entities_sorted_by_count_then_name() {
    let names = ["B", "A", "C", "D", "E"];
    let counts = [2, 2, 5, 0, 2];
    let name = |id: u32| names.get(id as usize).map(|n| Arc::from(*n));
    let listed = |n| {
        top_ids(&counts, n, name)
            .into_iter()
            .map(|p| (p.0, p.1))
            .collect::<Vec<_>>()
    };
    let pair = |n: &str, c| (n.to_string(), c);
    assert_eq!(
        listed(10),
        vec![pair("C", 5), pair("A", 2), pair("B", 2), pair("E", 2)]
    );
    // A tie at the cut is broken by name.
    assert_eq!(listed(2), vec![pair("C", 5), pair("A", 2)]);
    assert!(top_ids(&[0, 0], 10, name).is_empty());
}

/// What one document of [`archive`] holds.
struct Doc {
    names: [Vec<String>; 3],
    day: Option<i64>,
    english: bool,
}

/// An index of several segments with deletions, and its live documents.
fn archive() -> (Store, Vec<Doc>) {
    let store = Store::in_memory().unwrap();
    let fields = &store.fields;
    let mut writer = store.writer(1, 15_000_000).unwrap();
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let mut next = crate::testing::numbers(0x9E37_79B9_7F4A_7C15);
    let mut docs: Vec<(u64, Doc)> = Vec::new();
    for _ in 0..4 {
        for _ in 0..250 + next(250) {
            let n = docs.len() as u64;
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_u64(fields.path_hash, n);
            let names = FACET_KINDS.map(|kind| {
                let mut names: Vec<String> = Vec::new();
                for _ in 0..next(4) {
                    // Skewed, so that a few names lead; people also go by
                    // the short forms joined below.
                    let most = 1 + next(80);
                    let name = match (kind, next(most)) {
                        (EntityKind::Person, 0) => "Smith".to_string(),
                        (EntityKind::Person, 1) => "J. Smith".to_string(),
                        (EntityKind::Person, 2 | 3) => "Jane Smith".to_string(),
                        (EntityKind::Person, 4) if next(4) == 0 => "Doe".to_string(),
                        // An organisation spelled like a person's short
                        // form: not joined to the person's full name.
                        (EntityKind::Org, 0) => "Doe".to_string(),
                        (_, k) => format!("{} {k}", kind.name()),
                    };
                    names.push(name);
                }
                names.sort();
                names.dedup();
                for name in &names {
                    doc.add_text(fields.kind_names(kind), name);
                }
                names
            });
            let day = (next(6) > 0).then(|| 18_000 + next(700) as i64);
            if let Some(day) = day {
                let seconds = day * 86_400 + next(86_400) as i64;
                doc.add_date(fields.date, tantivy::DateTime::from_timestamp_secs(seconds));
            }
            let english = next(3) > 0;
            doc.add_text(fields.lang, if english { "en" } else { "es" });
            writer.add_document(doc).unwrap();
            docs.push((
                n,
                Doc {
                    names,
                    day,
                    english,
                },
            ));
        }
        writer.commit().unwrap();
    }
    docs.retain(|(n, _)| {
        let delete = n % 7 == 3 && *n < 900;
        if delete {
            writer.delete_term(tantivy::Term::from_field_u64(fields.path_hash, *n));
        }
        !delete
    });
    writer.commit().unwrap();
    (store, docs.into_iter().map(|(_, doc)| doc).collect())
}

/// "Smith" and "J. Smith" counted under "John Smith", whom no article
/// names in full; "Doe" under "John Doe".
fn short_forms() -> ShortForms {
    let mut forms = ShortForms::default();
    for (spellings, canonical) in [
        (&["Smith", "J. Smith"][..], "John Smith"),
        (&["Doe"][..], "John Doe"),
    ] {
        let spellings: Vec<String> = spellings.iter().map(|s| s.to_string()).collect();
        forms.forms.push(form(&spellings, canonical));
    }
    forms
}

/// The facets of `docs`, counted one article at a time.
fn counted(docs: &[&Doc], forms: Option<&ShortForms>) -> Facets {
    let [person, org, place] = [0, 1, 2].map(|k| {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for doc in docs {
            for name in &doc.names[k] {
                let joined = forms
                    .filter(|_| k == 0)
                    .and_then(|f| f.forms.iter().find(|s| s.spellings.contains(name)))
                    .map_or(name.as_str(), |s| s.canonical.as_str());
                *counts.entry(joined.to_string()).or_default() += 1;
            }
        }
        top(counts, TOP_ENTITIES)
    });
    let mut days = HashMap::new();
    for day in docs.iter().filter_map(|d| d.day) {
        *days.entry(day).or_default() += 1;
    }
    Facets {
        person,
        org,
        place,
        date: histogram(&days),
    }
}

#[test]
fn facets_count_every_matching_article_whichever_way_they_are_collected() {
    use tantivy::collector::TopDocs;
    use tantivy::query::{AllQuery, Query, TermQuery};
    let (store, docs) = archive();
    let searcher = store.index.reader().unwrap().searcher();
    assert_eq!(searcher.segment_readers().len(), 4);
    assert_eq!(searcher.num_docs() as usize, docs.len());
    let schema = store.index.schema();
    let forms = Arc::new(short_forms());
    let english = TermQuery::new(
        tantivy::Term::from_field_text(store.fields.lang, "en"),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let queries: [(&dyn Query, Vec<&Doc>); 2] = [
        (&AllQuery, docs.iter().collect()),
        (&english, docs.iter().filter(|d| d.english).collect()),
    ];
    for (query, matching) in queries {
        let plain = counted(&matching, None);
        let joined = counted(&matching, Some(&forms));
        assert!(joined.person.iter().any(|p| p.0 == "John Smith"));
        assert_ne!(plain.person, joined.person);
        let undated = matching.iter().filter(|d| d.day.is_none()).count() as u64;
        for numbered in [false, true] {
            for joining in [false, true] {
                let collector = || {
                    let mut collector = FacetCollector::new(&store.fields, &schema);
                    if numbered {
                        collector = collector.with_words(EntityWords::default());
                    }
                    if joining {
                        collector = collector.joining(Arc::clone(&forms));
                    }
                    collector
                };
                let expected = if joining { &joined } else { &plain };
                let case = format!("numbered {numbered}, joining {joining}");
                // In blocks, and one document at a time beside a scoring collector.
                let counts = searcher.search(query, &collector()).unwrap();
                assert_eq!(counts.undated(), undated, "{case}");
                assert_eq!(&counts.into_facets(), expected, "{case}");
                let (_, counts) = searcher
                    .search(
                        query,
                        &(TopDocs::with_limit(1).order_by_score(), collector()),
                    )
                    .unwrap();
                assert_eq!(&counts.into_facets(), expected, "{case}, one by one");
                if matching.len() == docs.len() {
                    let counts = collector().count_all(&searcher).unwrap();
                    assert_eq!(counts.undated(), undated, "{case}");
                    assert_eq!(&counts.into_facets(), expected, "{case}, read whole");
                }
            }
        }
    }
}

#[test]
fn a_numbered_collector_numbers_with_the_vocabularies_it_is_given() {
    // Pairs of names are counted by number with the collector's words:
    // they must be the vocabularies the names were counted with.
    let store = Store::in_memory().unwrap();
    let words = EntityWords::default();
    let collector =
        FacetCollector::new(&store.fields, &store.index.schema()).with_words(Arc::clone(&words));
    assert!(Arc::ptr_eq(collector.words(), &words));
    let kinds: Vec<EntityKind> = collector.columns().iter().map(|c| c.0).collect();
    assert_eq!(kinds, FACET_KINDS);
}

#[test]
fn numbered_counts_give_every_name_and_day() {
    let (store, docs) = archive();
    let searcher = store.index.reader().unwrap().searcher();
    let forms = Arc::new(short_forms());
    let collector = FacetCollector::new(&store.fields, &store.index.schema())
        .with_words(EntityWords::default())
        .joining(Arc::clone(&forms));
    let counts = collector.count_all(&searcher).unwrap();
    let mut people: HashMap<String, u64> = HashMap::new();
    for (id, n) in (0u32..).zip(counts.entity_counts(EntityKind::Person)) {
        let name = counts.name(EntityKind::Person, id).unwrap();
        if *n > 0 {
            people.insert(name.to_string(), *n);
        }
        // A joined short form counts under its full name's number.
        let to = counts.joined_to(EntityKind::Person, id);
        let full = counts.name(EntityKind::Person, to).unwrap();
        match name.as_ref() {
            "Smith" | "J. Smith" => assert_eq!(full.as_ref(), "John Smith"),
            "Doe" => assert_eq!(full.as_ref(), "John Doe"),
            _ => assert_eq!(to, id),
        }
    }
    let all: Vec<&Doc> = docs.iter().collect();
    let mut expected: HashMap<String, u64> = HashMap::new();
    for doc in &all {
        for name in &doc.names[0] {
            let name = match name.as_str() {
                "Smith" | "J. Smith" => "John Smith",
                "Doe" => "John Doe",
                other => other,
            };
            *expected.entry(name.to_string()).or_default() += 1;
        }
    }
    assert_eq!(people, expected);
    assert!(counts.entity_counts(EntityKind::Other).is_empty());
    let days: Vec<i64> = all.iter().filter_map(|d| d.day).collect();
    assert_eq!(
        counts.day_range(),
        Some((*days.iter().min().unwrap(), *days.iter().max().unwrap()))
    );
    assert_eq!(counts.days().values().sum::<u64>(), days.len() as u64);
}

/// The tallies of a column holding, in each segment, each name as many
/// times as given.
fn tallies_of(segments: &[HashMap<String, u64>]) -> Vec<TermTally> {
    let mut builder = tantivy::schema::Schema::builder();
    let field = builder.add_text_field("name", tantivy::schema::STRING | FAST);
    let index = tantivy::Index::create_in_ram(builder.build());
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    for segment in segments {
        for (name, n) in segment {
            for _ in 0..*n {
                writer
                    .add_document(tantivy::doc!(field => name.clone()))
                    .unwrap();
            }
        }
        writer.commit().unwrap();
    }
    let searcher = index.reader().unwrap().searcher();
    searcher
        .segment_readers()
        .iter()
        .map(|segment| {
            let mut tally = TermTally::for_segment(segment, "name").unwrap();
            tally.add_all(segment.alive_bitset());
            tally.into_counts()
        })
        .collect()
}

fn form(spellings: &[String], canonical: &str) -> short_form::ShortForm {
    short_form::ShortForm {
        key: canonical.to_string(),
        spellings: spellings.to_vec(),
        canonical: canonical.to_string(),
        canonical_key: String::new(),
        votes: 1,
        against: 0,
        rivals: Vec::new(),
    }
}

#[test]
fn a_full_name_whose_short_forms_each_miss_the_list_can_lead_it() {
    // Forty names of 5 articles fill the first list drawn up; three
    // short forms of 4 articles each are left out of it, yet together
    // they lead.
    let mut segment: HashMap<String, u64> =
        (0..40).map(|k| (format!("filler {k:02}"), 5)).collect();
    let spellings: Vec<String> = ["Ann", "A. Lee", "Lee"].map(String::from).to_vec();
    for s in &spellings {
        segment.insert(s.clone(), 4);
    }
    let mut forms = ShortForms::default();
    forms.forms.push(form(&spellings, "Ann Lee"));
    let tallies = tallies_of(&[segment]);
    assert_eq!(
        top_joined(&tallies, 2, &forms),
        vec![("Ann Lee".to_string(), 12), ("filler 00".to_string(), 5)]
    );
}

#[test]
fn joined_lists_where_ties_meet_the_end_of_the_first_list() {
    let counted = |names: &[(&str, u64)]| -> HashMap<String, u64> {
        names.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    };
    let joined = |segment: HashMap<String, u64>, groups: &[(&str, &[&str])], n| {
        let mut forms = ShortForms::default();
        for (canonical, spellings) in groups {
            let spellings: Vec<String> = spellings.iter().map(|s| s.to_string()).collect();
            forms.forms.push(form(&spellings, canonical));
        }
        top_joined(&tallies_of(&[segment]), n, &forms)
    };
    let pair = |k: &str, n: u64| (k.to_string(), n);
    // A full name and its two short forms, each at the first list's
    // last count and left out of it, add up to the second count: the
    // full name ties there and comes before the other by name.
    let mut segment: HashMap<String, u64> =
        (0..40).map(|k| (format!("filler {k:02}"), 5)).collect();
    segment.extend(counted(&[
        ("big", 15),
        ("zzz big", 15),
        ("zz Abe", 5),
        ("zz a", 5),
        ("zz b", 5),
    ]));
    assert_eq!(
        joined(segment, &[("zz Abe", &["zz a", "zz b"])], 2),
        vec![pair("big", 15), pair("zz Abe", 15)]
    );
    // The first list is mostly one full name's short forms: a name left
    // out of it, tied with the last listed, outranks by name a full
    // name whose total is that same count.
    // And so does it a full name of fewer.
    let spellings: Vec<String> = (0..31).map(|k| format!("s{k:02}")).collect();
    let spelled: Vec<&str> = spellings.iter().map(String::as_str).collect();
    for y in [5, 3] {
        let mut segment: HashMap<String, u64> = spellings.iter().map(|s| (s.clone(), 6)).collect();
        segment.extend(counted(&[("b", 5), ("c", 5), ("y", y)]));
        assert_eq!(
            joined(segment, &[("g1", &spelled), ("zz", &["y"])], 3),
            vec![pair("g1", 186), pair("b", 5), pair("c", 5)],
            "y {y}"
        );
    }
    // A full name counted once is listed.
    assert_eq!(
        joined(
            counted(&[("b", 1), ("c", 1), ("zz a", 1)]),
            &[("Abe", &["zz a"])],
            1
        ),
        vec![pair("Abe", 1)]
    );
}

#[test]
fn joined_top_lists_are_those_of_adding_up_every_name() {
    let mut next = crate::testing::numbers(0x2545_F491_4F6C_DD1D);
    for round in 0..40 {
        let names = 5 + next(150);
        let mut counts: HashMap<String, u64> = HashMap::new();
        let mut segments = Vec::new();
        for _ in 0..1 + next(4) {
            // Per name, its articles in this segment: skewed and often
            // tied, or flat (every count 1 or 2: ties at every cut).
            let mut segment: HashMap<String, u64> = HashMap::new();
            if round % 2 == 0 {
                for _ in 0..next(700) {
                    let most = 1 + next(names);
                    *segment.entry(format!("n{:03}", next(most))).or_default() += 1;
                }
            } else {
                for k in 0..names {
                    segment.insert(format!("n{k:03}"), 1 + next(2));
                }
            }
            for (name, n) in &segment {
                *counts.entry(name.clone()).or_default() += n;
            }
            segments.push(segment);
        }
        let tallies = tallies_of(&segments);
        // Short forms: a few names each, counted under a full name that
        // is itself counted, or named nowhere; two may share one.
        let mut forms = ShortForms::default();
        let mut taken: Vec<String> = Vec::new();
        for _ in 0..next(5) {
            let canonical = if next(2) == 0 {
                format!("n{:03}", next(names))
            } else {
                format!("full {}", next(3))
            };
            let spellings: Vec<String> = (0..1 + next(3))
                .map(|_| format!("n{:03}", next(names)))
                .filter(|s| *s != canonical && !taken.contains(s))
                .collect();
            if taken.contains(&canonical) || spellings.is_empty() {
                continue;
            }
            taken.extend(spellings.iter().cloned());
            if canonical.starts_with('n') {
                taken.push(canonical.clone());
            }
            forms.forms.push(form(&spellings, &canonical));
        }
        let mut joined: HashMap<String, u64> = HashMap::new();
        for (name, n) in &counts {
            let to = forms
                .forms
                .iter()
                .find(|f| f.spellings.contains(name))
                .map_or(name, |f| &f.canonical);
            *joined.entry(to.clone()).or_default() += n;
        }
        for n in [1, 2, 3, 10] {
            assert_eq!(
                top_joined(&tallies, n, &forms),
                top(joined.clone(), n),
                "round {round}, n {n}"
            );
        }
    }
}
