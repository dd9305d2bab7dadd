//! The index's own vocabulary, read from term dictionaries: how many
//! articles hold a term, the terms within a few edits of a word (a
//! Levenshtein automaton run over the dictionary), the terms that start
//! with a prefix. Counts are summed over segments, deleted articles
//! included, as tantivy keeps them.

use std::collections::HashMap;

use tantivy::Searcher;
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::{Field, Term};

use crate::error::{Error, Result};

/// Articles holding `term` in `field`.
pub fn doc_freq(searcher: &Searcher, field: Field, term: &str) -> Result<u64> {
    Ok(searcher.doc_freq(&Term::from_field_text(field, term))?)
}

/// The terms of `field` within `distance` edits of `word` (a swap of two
/// neighbouring letters counts as one), with their article counts, the
/// word itself included when present.
pub fn within_edits(
    searcher: &Searcher,
    field: Field,
    word: &str,
    distance: u8,
) -> Result<Vec<(String, u64)>> {
    let query = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true);
    let automaton = query.automaton()?;
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .search(&automaton)
            .into_stream()
            .map_err(|e| Error::Tantivy(e.into()))?;
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                *found.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    Ok(found.into_iter().collect())
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
