//! Counting by ordinal and by day against counting the documents one by one.

use super::*;

/// A searcher over one segment of documents with one value each in the
/// string column `name`.
fn one_segment(values: impl Iterator<Item = String>) -> tantivy::Searcher {
    let mut builder = tantivy::schema::Schema::builder();
    let field = builder.add_text_field("name", tantivy::schema::STRING | tantivy::schema::FAST);
    let index = tantivy::Index::create_in_ram(builder.build());
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 20_000_000).unwrap();
    for value in values {
        writer.add_document(tantivy::doc!(field => value)).unwrap();
    }
    writer.commit().unwrap();
    index.reader().unwrap().searcher()
}

#[test]
fn values_looked_up_together_count_as_one_by_one() {
    // Enough values for the column's dictionary to span many blocks.
    let searcher = one_segment((0..20_000u32).flat_map(|i| {
        let value = format!("name {:05} {}", i, "x".repeat((i % 7) as usize));
        std::iter::repeat_n(value, 1 + (i % 3) as usize)
    }));
    let segment = &searcher.segment_readers()[0];
    let mut tally = TermTally::for_segment(segment, "name").unwrap();
    tally.add_all(segment.alive_bitset());
    let mut values: Vec<String> = (0..20_000u32)
        .step_by(37)
        .map(|i| format!("name {:05} {}", i, "x".repeat((i % 7) as usize)))
        .collect();
    // Values the dictionary lacks: before its first, between two, after its last.
    values.extend(["", "a", "name 00001", "name 00037 xx", "name 99999", "zzz"].map(String::from));
    values.sort();
    values.dedup();
    let values: Vec<&str> = values.iter().map(String::as_str).collect();
    let one_by_one: Vec<u64> = values.iter().map(|v| tally.count_of(v)).collect();
    assert_eq!(tally.counts_of(&values), one_by_one);
    assert!(one_by_one.iter().filter(|n| **n > 0).count() > 500);
    // Again, from the blocks kept by the first lookups, and without keeping.
    assert_eq!(tally.counts_of(&values), one_by_one);
    let mut unkept = TermTally::new(segment.fast_fields().str("name").unwrap());
    unkept.add_all(segment.alive_bitset());
    assert!(unkept.key.is_none());
    assert_eq!(unkept.counts_of(&values), one_by_one);
    assert_eq!(tally.counts_of(&[]), Vec::<u64>::new());
    assert_eq!(TermTally::new(None).counts_of(&["a"]), vec![0]);
}

/// A segment of sorted values and their counts.
struct Fake(Vec<(String, u32)>);

impl Fake {
    fn values(&self, ords: &[u64], mut f: impl FnMut(&[u8])) {
        for ord in ords {
            f(self.0[*ord as usize].0.as_bytes());
        }
    }
    fn count_of(&self, value: &str) -> u64 {
        self.0
            .binary_search_by(|p| p.0.as_str().cmp(value))
            .map_or(0, |i| u64::from(self.0[i].1))
    }
}

struct Segment {
    fake: Fake,
    counts: Vec<u32>,
    /// Values read by ordinal, and values looked up by value.
    read: std::cell::Cell<usize>,
    looked_up: std::cell::Cell<usize>,
}

impl Counted for Segment {
    fn counts(&self) -> &[u32] {
        &self.counts
    }
    fn values(&self, ords: &[u64], f: impl FnMut(&[u8])) {
        self.read.set(self.read.get() + ords.len());
        self.fake.values(ords, f)
    }
    fn counts_of(&self, values: &[&str]) -> Vec<u64> {
        self.looked_up.set(self.looked_up.get() + values.len());
        values.iter().map(|v| self.fake.count_of(v)).collect()
    }
}

fn segment<S: AsRef<str>>(counts: &[(S, u32)]) -> Segment {
    let mut pairs: Vec<(String, u32)> = counts
        .iter()
        .map(|(v, n)| (v.as_ref().to_string(), *n))
        .collect();
    pairs.sort();
    let counts = pairs.iter().map(|p| p.1).collect();
    Segment {
        fake: Fake(pairs),
        counts,
        read: Default::default(),
        looked_up: Default::default(),
    }
}

/// Every total, added up by value, the `n` largest, ties by value.
fn brute(segments: &[Segment], n: usize) -> Vec<(String, u64)> {
    let mut totals: HashMap<String, u64> = HashMap::new();
    for s in segments {
        for (v, c) in &s.fake.0 {
            if *c > 0 {
                *totals.entry(v.clone()).or_default() += u64::from(*c);
            }
        }
    }
    crate::facet::top(totals, n)
}

#[test]
fn skewed_counts_settle_on_the_first_values_revealed() {
    // Counts falling as 1/rank, as names in news do, ranked a little
    // differently in each segment: the first 2n values of each settle a
    // list of n, with few looked up elsewhere and nothing else read.
    let n = 10;
    let segments: Vec<Segment> = (0..4)
        .map(|s| {
            let counts: Vec<(String, u32)> = (0..2000u32)
                .map(|rank| {
                    (
                        format!("name{:04}", (rank + 7 * s) % 2000),
                        20_000 / (rank + 1),
                    )
                })
                .collect();
            segment(&counts)
        })
        .collect();
    assert_eq!(top_merged(&segments, n), brute(&segments, n));
    for s in &segments {
        assert_eq!(s.read.get(), 2 * n, "values read by ordinal");
        assert!(s.looked_up.get() <= n, "{} looked up", s.looked_up.get());
    }
}

#[test]
fn a_value_middling_everywhere_can_lead_overall() {
    // "steady" is never among the first 32 of any segment, yet it leads.
    let mut segments = Vec::new();
    for s in 0..6 {
        let mut counts: Vec<(String, u32)> = (0..200)
            .map(|i| (format!("v{s}-{i:03}"), 50 + (200 - i)))
            .collect();
        counts.push(("steady".to_string(), 60));
        segments.push(segment(&counts));
    }
    let top = top_merged(&segments, 3);
    assert_eq!(top[0], ("steady".to_string(), 360));
    assert_eq!(top, brute(&segments, 3));
}

#[test]
fn a_value_revealed_nowhere_yet_can_still_win() {
    // After the first few dozen per segment, "x" (100) leads, but "w",
    // below every value revealed in both segments, adds up to 102.
    let fillers = |prefix: &str| -> Vec<(String, u32)> {
        (0..40).map(|i| (format!("{prefix}{i:02}"), 52)).collect()
    };
    let mut a = fillers("fa");
    a.push(("x".to_string(), 100));
    a.push(("w".to_string(), 51));
    let mut b = fillers("fb");
    b.push(("w".to_string(), 51));
    let segments: Vec<Segment> = [a, b].iter().map(|pairs| segment(pairs)).collect();
    assert_eq!(top_merged(&segments, 1), vec![("w".to_string(), 102)]);
    assert_eq!(top_merged(&segments, 2), brute(&segments, 2));
}

#[test]
fn the_same_list_as_adding_up_every_value() {
    let mut next = crate::testing::numbers(0x9E37_79B9_7F4A_7C15);
    for round in 0..60 {
        let segments: Vec<Segment> = (0..1 + next(6))
            .map(|_| {
                let values = next(3000);
                let counts: Vec<(String, u32)> = (0..values)
                    .map(|_| {
                        // Skewed: small ids are frequent; ties are common.
                        let most = 1 + next(4000);
                        let id = next(most);
                        (format!("name{id}"), (1 + next(5) * next(5)) as u32)
                    })
                    .collect::<HashMap<_, _>>()
                    .into_iter()
                    .collect();
                segment(&counts)
            })
            .collect();
        for n in [1, 3, 10, 20] {
            assert_eq!(
                top_merged(&segments, n),
                brute(&segments, n),
                "round {round}, n {n}"
            );
        }
    }
    assert!(top_merged(&[segment(&[("a", 0)])], 10).is_empty());
    assert!(top_merged(&[segment(&[("a", 4)])], 0).is_empty());
}

#[test]
fn segments_just_longer_than_a_reveal() {
    // A segment reveals 2n values (16 at least), then three times as many:
    // around those lengths the values revealed must be its largest counts,
    // or a larger one stays hidden under too low a bound.
    for len in [15u32, 16, 17, 18, 47, 48, 49, 50, 143, 144, 145] {
        let segments: Vec<Segment> = (0..3u32)
            .map(|s| {
                let counts: Vec<(String, u32)> = (0..len)
                    .map(|i| {
                        (
                            format!("v{:03}", (i * 7 + s * 5) % len),
                            1 + (i * 37 + s) % 23,
                        )
                    })
                    .collect();
                segment(&counts)
            })
            .collect();
        for n in 1..=9 {
            assert_eq!(
                top_merged(&segments, n),
                brute(&segments, n),
                "{len} values, n {n}"
            );
        }
    }
}

/// An index of several segments with deletions, and what each of its
/// documents holds: names (0 to 3, repeats allowed) and a date or none.
struct Model {
    index: tantivy::Index,
    /// Per document id: its names and its day number.
    docs: HashMap<u64, (Vec<String>, Option<i64>)>,
}

fn model() -> Model {
    use tantivy::schema::{DateOptions, FAST, INDEXED, STRING};
    let mut builder = tantivy::schema::Schema::builder();
    let id = builder.add_u64_field("id", INDEXED | FAST);
    let name = builder.add_text_field("name", STRING | FAST);
    let date = builder.add_date_field("date", DateOptions::default().set_fast());
    let index = tantivy::Index::create_in_ram(builder.build());
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let mut next = crate::testing::numbers(0x2545_F491_4F6C_DD1D);
    let mut docs = HashMap::new();
    let mut n = 0u64;
    let mut last_segment = 0;
    // Segment 3 spreads its dates wide, segment 4 has more dated documents
    // than are read in one go, and the last has neither names nor dates.
    for segment in 0..6 {
        last_segment = n;
        let size = if segment == 4 { 4_500 } else { 300 + next(400) };
        for _ in 0..size {
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_u64(id, n);
            let mut names: Vec<String> = Vec::new();
            for _ in 0..if segment == 5 { 0 } else { next(4) } {
                let most = 1 + next(60);
                names.push(format!("name{}", next(most)));
            }
            names.sort();
            names.dedup();
            for value in &names {
                doc.add_text(name, value);
            }
            // One segment spreads its dates over 570 years (of the 584
            // a date column can hold): counted in a hash map.
            let (middle, spread) = if segment == 3 {
                (0, 208_000)
            } else {
                (18_000, 900)
            };
            let dated = match segment {
                4 => true,
                5 => false,
                _ => next(5) > 0,
            };
            let day = dated.then(|| middle - spread / 2 + next(spread as u64) as i64);
            if let Some(day) = day {
                let seconds = day * 86_400 + next(86_400) as i64;
                doc.add_date(date, tantivy::DateTime::from_timestamp_secs(seconds));
            }
            writer.add_document(doc).unwrap();
            docs.insert(n, (names, day));
            n += 1;
        }
        writer.commit().unwrap();
    }
    // Deletions in every segment but the last.
    for d in 0..n {
        if next(4) == 0 && d < last_segment {
            writer.delete_term(tantivy::Term::from_field_u64(id, d));
            docs.remove(&d);
        }
    }
    writer.commit().unwrap();
    Model { index, docs }
}

impl Model {
    /// The ids of a segment's documents, by document number (`None`
    /// for a deleted one).
    fn ids(&self, segment: &SegmentReader) -> Vec<Option<u64>> {
        let column = segment.fast_fields().u64("id").unwrap();
        (0..segment.max_doc())
            .map(|doc| {
                let id = column.first(doc).unwrap();
                self.docs.contains_key(&id).then_some(id)
            })
            .collect()
    }

    /// The names and days of the documents `ids`, counted.
    fn counts(
        &self,
        ids: impl Iterator<Item = u64>,
    ) -> (HashMap<String, u64>, HashMap<i64, u64>, u64) {
        let (mut names, mut days, mut undated) = (HashMap::new(), HashMap::new(), 0);
        for id in ids {
            let (values, day) = &self.docs[&id];
            for value in values {
                *names.entry(value.clone()).or_default() += 1;
            }
            match day {
                Some(day) => *days.entry(*day).or_default() += 1,
                None => undated += 1,
            }
        }
        (names, days, undated)
    }
}

fn each_of(tally: TermTally) -> HashMap<String, u64> {
    let mut seen = HashMap::new();
    tally.merge_into(&mut seen);
    seen
}

fn days_of(tally: DayTally) -> (HashMap<i64, u64>, u64) {
    let undated = tally.undated();
    let mut days = HashMap::new();
    tally.merge_into(&mut days);
    (days, undated)
}

#[test]
fn every_way_of_counting_gives_the_counts_of_the_documents() {
    let model = model();
    let searcher = model.index.reader().unwrap().searcher();
    let segments = searcher.segment_readers();
    assert_eq!(segments.len(), 6);
    // Deletions in all but one segment.
    assert_eq!(segments.iter().filter(|s| s.has_deletes()).count(), 5);
    let mut wide = 0;
    let mut whole = Vec::new();
    let vocabulary = Vocabulary::default();
    let mut numbered: Vec<u64> = Vec::new();
    let mut all_days = HashMap::new();
    for (s, segment) in segments.iter().enumerate() {
        let ids = model.ids(segment);
        let live: Vec<(DocId, u64)> = (0..)
            .zip(&ids)
            .filter_map(|(doc, id)| Some((doc, (*id)?)))
            .collect();
        // A whole segment, deleted documents taken back.
        let (names, days, undated) = model.counts(live.iter().map(|p| p.1));
        let mut tally = TermTally::for_segment(segment, "name").unwrap();
        tally.add_all(segment.alive_bitset());
        for (value, n) in &names {
            assert_eq!(tally.count_of(value), *n, "segment {s}, {value}");
        }
        let mut values: Vec<&str> = names.keys().map(String::as_str).collect();
        values.extend(["", "name-none", "zz"]);
        values.sort_unstable();
        let one_by_one: Vec<u64> = values.iter().map(|v| tally.count_of(v)).collect();
        assert_eq!(tally.counts_of(&values), one_by_one, "segment {s}");
        assert_eq!(one_by_one.iter().sum::<u64>(), names.values().sum::<u64>());
        let ids_of = vocabulary.ids(segment, &tally);
        assert!(Arc::ptr_eq(&ids_of, &vocabulary.ids(segment, &tally)));
        tally.merge_ids(&ids_of, &mut numbered);
        whole.push(tally.into_counts());
        let mut again = TermTally::for_segment(segment, "name").unwrap();
        again.add_all(segment.alive_bitset());
        assert_eq!(each_of(again), names, "segment {s}");
        let mut day_tally = DayTally::for_segment(segment, "date");
        wide += usize::from(!days.is_empty() && day_tally.dense.is_empty());
        day_tally.add_all(segment);
        assert_eq!(days_of(day_tally), (days.clone(), undated), "segment {s}");
        for (day, n) in days {
            *all_days.entry(day).or_default() += n;
        }
        // Some of the live documents, one by one and in blocks.
        let some: Vec<(DocId, u64)> = live.iter().copied().filter(|p| p.1 % 3 != 1).collect();
        let expected = model.counts(some.iter().map(|p| p.1));
        let docs: Vec<DocId> = some.iter().map(|p| p.0).collect();
        let mut one = TermTally::for_segment(segment, "name").unwrap();
        let mut one_day = DayTally::for_segment(segment, "date");
        for doc in &docs {
            one.add(*doc);
            one_day.add(*doc);
        }
        let mut blocks = TermTally::for_segment(segment, "name").unwrap();
        let mut block_days = DayTally::for_segment(segment, "date");
        for block in docs.chunks(1 + s * 37) {
            blocks.add_block(block);
            block_days.add_block(block);
        }
        let (days, undated) = days_of(one_day);
        assert_eq!(
            (each_of(one), days, undated),
            expected,
            "segment {s}, one by one"
        );
        let (days, undated) = days_of(block_days);
        assert_eq!(
            (each_of(blocks), days, undated),
            expected,
            "segment {s}, blocks"
        );
    }
    assert_eq!(wide, 1, "one segment's days are counted in a hash map");
    // A segment without a date column counts every document undated.
    let mut none = DayTally::new(None);
    none.add_block(&[0, 1, 2]);
    none.add_all(&segments[1]);
    assert_eq!(none.undated(), 3 + u64::from(segments[1].num_docs()));
    // Across segments: by value, by number and the top lists.
    let (names, days, _) = model.counts(model.docs.keys().copied());
    assert_eq!(all_days, days);
    let mut by_number = HashMap::new();
    for (id, n) in (0u32..).zip(&numbered) {
        if *n > 0 {
            by_number.insert(vocabulary.name(id).unwrap().to_string(), *n);
        }
    }
    assert_eq!(by_number, names);
    for n in [1, 5, 20, 100] {
        assert_eq!(
            top_terms(&whole, n),
            crate::facet::top(names.clone(), n),
            "top {n}"
        );
    }
    let mut totals = HashMap::new();
    for tally in whole {
        tally.merge_into(&mut totals);
    }
    assert_eq!(totals, names);
    // Numbers stay with their names; segments gone are forgotten.
    let id = vocabulary.id("name7").unwrap();
    assert_eq!(vocabulary.intern("name7"), Some(id));
    let new = vocabulary.intern("somebody new").unwrap();
    assert_eq!(
        new as usize,
        vocabulary.inner.lock().unwrap().names.len() - 1
    );
    assert_eq!(vocabulary.id("somebody new"), Some(new));
    assert_eq!(vocabulary.name(new).as_deref(), Some("somebody new"));
    vocabulary.retain(&segments[..2]);
    assert_eq!(vocabulary.inner.lock().unwrap().segments.len(), 2);
}

#[test]
fn values_kept_are_the_dictionary_values() {
    let searcher = one_segment(
        (0..5_000u32).map(|i| format!("value {i:05} {}", "y".repeat((i % 5) as usize))),
    );
    let segment = &searcher.segment_readers()[0];
    let kept = TermTally::for_segment(segment, "name").unwrap();
    let plain = TermTally::new(segment.fast_fields().str("name").unwrap());
    let read = |tally: &TermTally, ords: &[u64]| {
        let mut out = Vec::new();
        tally.values(ords, |bytes| out.push(bytes.to_vec()));
        out
    };
    let ords: Vec<u64> = (0..5_000).step_by(13).collect();
    let expected = read(&plain, &ords);
    assert_eq!(expected.len(), ords.len());
    assert_eq!(expected[1], b"value 00013 yyy".to_vec());
    // Cold, then some kept and some not, then all kept.
    assert_eq!(read(&kept, &ords[..100]), expected[..100]);
    assert_eq!(read(&kept, &ords), expected);
    assert_eq!(read(&kept, &ords), expected);
}
