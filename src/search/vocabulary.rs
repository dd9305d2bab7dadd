//! The index's own vocabulary, read from term dictionaries: how many
//! articles hold a term, the terms within a few edits of a word (a
//! Levenshtein automaton run over the dictionary), the terms that start
//! with a prefix. Counts are summed over segments, deleted articles
//! included, as tantivy keeps them.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use lru::LruCache;
use tantivy::index::SegmentId;
use tantivy::query::{DfaWrapper, FuzzyTermQuery};
use tantivy::schema::{Field, Term};
use tantivy::{InvertedIndexReader, Searcher};

use crate::error::{Error, Result};

/// Articles holding `term` in `field`.
pub fn doc_freq(searcher: &Searcher, field: Field, term: &str) -> Result<u64> {
    Ok(searcher.doc_freq(&Term::from_field_text(field, term))?)
}

/// The terms of `field` within `distance` edits of `word` (a swap of two
/// neighbouring letters counts as one), with their article counts, the
/// word itself included when present.
///
/// Running the automaton over a large dictionary is most of a fuzzy
/// search's cost, and the answer for one segment never changes (segments
/// are immutable; counts include deleted articles), so each segment's
/// answer is kept (up to [`EXPANSIONS_WEIGHT`], least recently used
/// dropped first): a word asked again, in any search, costs a lookup, and
/// after a commit only the new segments are read.
pub fn within_edits(
    searcher: &Searcher,
    field: Field,
    word: &str,
    distance: u8,
) -> Result<Vec<(String, u64)>> {
    let mut automaton = None;
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        if inverted.terms().num_terms() == 0 {
            // A language no article of the segment is written in.
            continue;
        }
        let key = (segment.segment_id(), field, distance, word.to_string());
        let kept = EXPANSIONS
            .lock()
            .ok()
            .and_then(|mut kept| kept.answers.get(&key).cloned());
        let terms = match kept {
            Some(terms) => terms,
            None => {
                let automaton = match &mut automaton {
                    Some(a) => a,
                    None => automaton.insert(
                        FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true)
                            .automaton()?,
                    ),
                };
                let terms = Arc::new(segment_within(&inverted, automaton)?);
                if let Ok(mut kept) = EXPANSIONS.lock() {
                    kept.keep(key, Arc::clone(&terms));
                }
                terms
            }
        };
        for (term, n) in terms.iter() {
            *found.entry(term.clone()).or_default() += n;
        }
    }
    Ok(found.into_iter().collect())
}

/// Most kept by [`within_edits`], counted in answers plus the terms they
/// hold (about 15 MB at most).
pub const EXPANSIONS_WEIGHT: usize = 200_000;

type ExpansionKey = (SegmentId, Field, u8, String);
type Expansions = Arc<Vec<(String, u64)>>;

/// Answers of single segments kept by [`within_edits`].
struct Kept {
    answers: LruCache<ExpansionKey, Expansions>,
    weight: usize,
}

impl Kept {
    fn keep(&mut self, key: ExpansionKey, terms: Expansions) {
        self.weight += 1 + terms.len();
        if let Some((_, old)) = self.answers.push(key, terms) {
            self.weight -= 1 + old.len();
        }
        while self.weight > EXPANSIONS_WEIGHT {
            match self.answers.pop_lru() {
                Some((_, old)) => self.weight -= 1 + old.len(),
                None => break,
            }
        }
    }
}

static EXPANSIONS: LazyLock<Mutex<Kept>> = LazyLock::new(|| {
    Mutex::new(Kept {
        answers: LruCache::unbounded(),
        weight: 0,
    })
});

/// The terms of one segment's field the automaton accepts, with their
/// article counts.
fn segment_within(
    inverted: &InvertedIndexReader,
    automaton: &DfaWrapper,
) -> Result<Vec<(String, u64)>> {
    let mut stream = inverted
        .terms()
        .search(automaton)
        .into_stream()
        .map_err(|e| Error::Tantivy(e.into()))?;
    let mut terms = Vec::new();
    while stream.advance() {
        if let Ok(term) = std::str::from_utf8(stream.key()) {
            terms.push((term.to_string(), u64::from(stream.value().doc_freq)));
        }
    }
    Ok(terms)
}

/// The terms of `field` that start with `prefix`, with their article
/// counts, most frequent first (ties in dictionary order).
pub fn completions(searcher: &Searcher, field: Field, prefix: &str) -> Result<Vec<(String, u64)>> {
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()
            .map_err(|e| Error::Tantivy(e.into()))?;
        while stream.advance() {
            if !stream.key().starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                *found.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut terms: Vec<(String, u64)> = found.into_iter().collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(terms)
}

/// Whether some term of `field` starts with `prefix` (and is longer).
pub fn extends(searcher: &Searcher, field: Field, prefix: &str) -> Result<bool> {
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .gt(prefix.as_bytes())
            .into_stream()
            .map_err(|e| Error::Tantivy(e.into()))?;
        if stream.advance() && stream.key().starts_with(prefix.as_bytes()) {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut terms: Vec<(String, u64)>) -> Vec<(String, u64)> {
        terms.sort();
        terms
    }

    #[test]
    fn kept_answers_stay_within_their_weight() {
        let mut kept = Kept {
            answers: LruCache::unbounded(),
            weight: 0,
        };
        let segment = SegmentId::generate_random();
        let field = Field::from_field_id(0);
        let key = |i: usize| (segment, field, 1, format!("w{i}"));
        let terms = |n: usize| Arc::new(vec![("t".to_string(), 1); n]);
        kept.keep(key(0), terms(9));
        kept.keep(key(0), terms(4));
        assert_eq!(kept.weight, 5);
        assert_eq!(kept.answers.len(), 1);
        let each = 999;
        let fit = EXPANSIONS_WEIGHT / (each + 1);
        for i in 1..=fit {
            kept.keep(key(i), terms(each));
        }
        // The first answers gave way, least recently used first.
        assert!(kept.weight <= EXPANSIONS_WEIGHT);
        assert!(kept.answers.peek(&key(0)).is_none());
        assert!(kept.answers.peek(&key(1)).is_some());
        assert_eq!(kept.answers.len(), fit);
        assert_eq!(kept.weight, fit * (each + 1));
    }

    #[test]
    fn words_within_edits_follow_new_segments_and_fields() {
        let mut builder = tantivy::schema::Schema::builder();
        let title = builder.add_text_field("title", tantivy::schema::TEXT);
        let body = builder.add_text_field("body", tantivy::schema::TEXT);
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer
            .add_document(tantivy::doc!(title => "hello world", body => "help"))
            .unwrap();
        writer.commit().unwrap();
        let reader = index.reader().unwrap();
        let first = reader.searcher();
        let within =
            |searcher: &Searcher, field| sorted(within_edits(searcher, field, "helo", 1).unwrap());
        assert_eq!(within(&first, title), vec![("hello".to_string(), 1)]);
        assert_eq!(within(&first, body), vec![("help".to_string(), 1)]);
        writer
            .add_document(tantivy::doc!(title => "hello hell"))
            .unwrap();
        writer.commit().unwrap();
        reader.reload().unwrap();
        let second = reader.searcher();
        let expected = vec![("hell".to_string(), 1), ("hello".to_string(), 2)];
        assert_eq!(within(&second, title), expected);
        // Kept answers give the same, and the older searcher still its own.
        assert_eq!(within(&second, title), expected);
        assert_eq!(within(&first, title), vec![("hello".to_string(), 1)]);
        assert_eq!(
            sorted(within_edits(&second, title, "helo", 0).unwrap()),
            Vec::new()
        );
    }
}
