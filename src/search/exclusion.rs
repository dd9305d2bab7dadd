//! Excluded clauses (`-"oil exporters"`, `NOT x`) as tantivy's exclusion
//! can ask them safely.
//!
//! tantivy 0.27 asks an excluded clause whether it holds each candidate
//! with `seek_danger`, in candidate order, even when the clause already
//! stands past the candidate; a phrase's scorer asserts that it is never
//! asked about an earlier document, so a debug build panics on some
//! excluded phrases, depending on how documents fall into segments (a
//! release build answers correctly). An excluded clause here answers
//! through `DocSet`'s own `seek_danger`, which looks at where the clause
//! stands before seeking.

use tantivy::query::{AllScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// A clause to exclude.
#[derive(Debug)]
pub struct Excluded(pub Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let scorer = self.0.scorer(reader, boost)?;
        // tantivy drops an exclusion of nothing and answers one of
        // everything at once, when it sees them as such.
        if scorer.is::<EmptyScorer>() || scorer.is::<AllScorer>() {
            return Ok(scorer);
        }
        Ok(Box::new(ExcludedScorer(scorer)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// Forwards everything but `seek_danger`, which keeps the default.
struct ExcludedScorer(Box<dyn Scorer>);

impl DocSet for ExcludedScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for ExcludedScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::Count;
    use tantivy::query::{AllQuery, BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, IndexWriter, doc};

    use super::*;

    #[test]
    fn an_excluded_phrase_is_asked_about_candidates_it_has_passed() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // One segment, documents in this order: the phrase's first document
        // comes after two candidates, so asking about the first moves the
        // phrase past the second.
        for text in [
            "vienna talks",
            "vienna meeting",
            "vienna oil exporters",
            "oil exporters",
        ] {
            writer.add_document(doc!(body => text)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |w: &str| Term::from_field_text(body, w);
        let with = |excluded: Box<dyn Query>| {
            let query = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(term("vienna"), IndexRecordOption::Basic)),
                ),
                (Occur::MustNot, Box::new(Excluded(excluded))),
            ]);
            searcher.search(&query, &Count).unwrap()
        };
        let phrase = PhraseQuery::new(vec![term("oil"), term("exporters")]);
        assert_eq!(with(Box::new(phrase)), 2);
        // Excluding nothing, or everything.
        let absent = TermQuery::new(term("absent"), IndexRecordOption::Basic);
        assert_eq!(with(Box::new(absent)), 3);
        assert_eq!(with(Box::new(AllQuery)), 0);
    }
}
