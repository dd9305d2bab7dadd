//! Similar stories: the articles closest to a given one by content (its most
//! distinctive words, weighted by tf-idf) and by the entities they share,
//! excluding the article itself and its near-duplicate copies.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Term};

use crate::analyzer::Analyzers;
use crate::deadline::Deadline;
use crate::error::Result;
use crate::query::ParsedQuery;
use crate::request::{Page, SearchRequest};
use crate::search::{Engine, Highlight, Lookup, SearchResults};

/// Distinctive words taken from the article.
const MAX_TERMS: usize = 30;
/// Entities taken from the article, most salient first.
const MAX_ENTITIES: usize = 10;
/// Weight of a shared entity relative to a shared word.
const ENTITY_WEIGHT: f32 = 1.5;
/// Weight of a word in a candidate's headline relative to its body.
const HEADLINE_WEIGHT: f32 = 0.5;

impl Engine {
    /// One page of the articles similar to the one with this id or path,
    /// best first, with near-duplicates folded (`duplicates`) and the
    /// article's own copies left out.
    pub fn similar(&self, id_or_path: &str, lookup: Lookup, page: Page) -> Result<SearchResults> {
        self.similar_within(id_or_path, lookup, page, &Deadline::none())
    }

    /// [`Engine::similar`], stopped with
    /// [`Error::Cancelled`](crate::Error::Cancelled) once `deadline` passes.
    pub fn similar_within(
        &self,
        id_or_path: &str,
        lookup: Lookup,
        page: Page,
        deadline: &Deadline,
    ) -> Result<SearchResults> {
        // The ranking query is built here from the article; the request
        // carries the page and the defaults every search has.
        let request = SearchRequest {
            page,
            ..SearchRequest::new(ParsedQuery::everything())
        };
        let searcher = self.searcher();
        let (address, article) = self.locate_in(&searcher, id_or_path, lookup)?;
        let fields = &self.store().fields;
        let text_fields = fields.lang(article.lang);

        let text = format!("{}\n{}", article.headline, article.body);
        let mut tf: HashMap<String, u32> = HashMap::new();
        for (_, token) in Analyzers::tokens(self.analyzers().text(article.lang), &text) {
            if token.chars().count() > 2 && !token.chars().all(|c| c.is_ascii_digit()) {
                *tf.entry(token).or_default() += 1;
            }
        }
        let docs = searcher.num_docs().max(1) as f32;
        let mut weighted: Vec<(String, f32)> = Vec::new();
        for (term, n) in tf {
            let df = searcher.doc_freq(&Term::from_field_text(text_fields.body, &term))? as f32;
            // A word only this article has finds nothing; a word half the
            // archive has says nothing.
            if df < 2.0 || df > docs / 2.0 {
                continue;
            }
            let idf = (docs / df).ln();
            weighted.push((term, (1.0 + (n as f32).ln()) * idf));
        }
        weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        weighted.truncate(MAX_TERMS);

        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let top = weighted.first().map_or(1.0, |w| w.1);
        for (term, weight) in &weighted {
            let boost = weight / top;
            for (field, factor) in [
                (text_fields.body, 1.0),
                (text_fields.headline, HEADLINE_WEIGHT),
            ] {
                let q = TermQuery::new(
                    Term::from_field_text(field, term),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(q), boost * factor)),
                ));
            }
        }
        for entity in article.entities.iter().take(MAX_ENTITIES) {
            let key = self.analyzers().entity_key(entity.kind, &entity.name);
            let q = TermQuery::new(
                Term::from_field_text(fields.entity_key, &key),
                IndexRecordOption::Basic,
            );
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(q), ENTITY_WEIGHT)),
            ));
        }
        if clauses.is_empty() {
            return Ok(SearchResults {
                query: article.id,
                total: 0,
                relaxed: false,
                hits: Vec::new(),
                facets: None,
                suggestion: None,
                read_as: None,
            });
        }
        clauses.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(fields.id, &article.id),
                IndexRecordOption::Basic,
            )),
        ));
        let query = BooleanQuery::new(clauses);
        let own = self.fingerprint(&searcher, address);
        let run = self.execute(&searcher, &request, &query, own, deadline)?;
        let mut highlight = Highlight::default();
        highlight
            .terms
            .insert(article.lang, weighted.into_iter().map(|(t, _)| t).collect());
        let mut results = self.results(&searcher, &request, run, false, &highlight)?;
        results.query = article.id;
        Ok(results)
    }
}
