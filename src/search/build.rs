//! From a validated request (its parsed query, or the relaxed form of it,
//! and its filters) to a tantivy query, plus what the snippet must
//! highlight.
//!
//! Each word is analyzed per field (each language's stemmer for its own
//! headline and body fields, folding only for entity words), so one query
//! finds articles in every language the index holds. Fuzzy words are expanded
//! here to the index terms they match: ranking then scores each real term,
//! and the snippet can highlight them (tantivy's snippets cannot for fuzzy
//! queries). An unfinished word (a query being typed) matches as itself and
//! through the most frequent words of the vocabulary it begins, which weigh
//! less, so exact matches rank first.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Bound;
use std::sync::Arc;

use tantivy::Searcher;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term};

use super::alias::Aliases;
use super::exclusion::Excluded;
use super::vocabulary;
use crate::analyzer::Analyzers;
use crate::day::to_datetime;
use crate::entity::EntityKind;
use crate::error::Result;
use crate::lang::Lang;
use crate::query::{DateRange, MIN_PREFIX_CHARS, Modifier, Node, ParsedQuery};
use crate::request::{Filters, SearchRequest};
use crate::schema::{Fields, UserField, meta_key};
use crate::short_form::{self, ShortForms};

/// Weight of a headline match relative to a body match. Measured on the IR
/// collections (bench/ir_eval.py): 1.0-1.5 is best, 3.0 costs 3 points of
/// nDCG@10; 1.5 keeps headlines ahead for news.
pub const HEADLINE_BOOST: f32 = 1.5;
/// Weight of an entity-name match relative to a body match. Entity words
/// have no length normalisation and a high idf (few articles name a word as
/// an entity), so a large weight drowns the text: at 1.5 the IR collections
/// lose 17 points of nDCG@10 against 0.25.
pub const ENTITY_BOOST: f32 = 0.25;
/// Most index terms one fuzzy or prefix word expands to.
const MAX_EXPANSIONS: usize = 50;
/// Words shorter than this are never made fuzzy by `--fuzzy`.
const FUZZY_MIN_CHARS: usize = 4;
/// Most vocabulary words an unfinished word stands for: the most frequent
/// ones it begins.
const MAX_COMPLETIONS: usize = 30;
/// Weight of a completion of an unfinished word against the word itself:
/// low, so that an article with the word as typed ranks above one with
/// only a longer word it begins (a rarer completion has a higher idf).
const COMPLETION_WEIGHT: f32 = 0.1;

/// What the snippet highlights: index terms per language, and prefixes.
#[derive(Debug, Clone, Default)]
pub struct Highlight {
    /// Analyzed terms, per language of analysis.
    pub terms: HashMap<Lang, BTreeSet<String>>,
    /// Folded prefixes of `word*` queries.
    pub prefixes: Vec<String>,
}

/// A built query with its highlight terms.
pub struct Built {
    /// The query to run.
    pub query: Box<dyn Query>,
    /// What to highlight in snippets.
    pub highlight: Highlight,
}

/// Builds tantivy queries for one searcher.
pub struct QueryBuilder<'a> {
    fields: &'a Fields,
    analyzers: &'a Analyzers,
    aliases: &'a Aliases,
    /// People's short forms counted under a full name.
    short_forms: Option<Arc<ShortForms>>,
    searcher: &'a Searcher,
    langs: Vec<Lang>,
    fuzzy_all: bool,
    unfinished: Option<usize>,
    highlight: Highlight,
}

impl<'a> QueryBuilder<'a> {
    /// A builder over `searcher`, searching the languages the index holds.
    pub fn new(
        fields: &'a Fields,
        analyzers: &'a Analyzers,
        aliases: &'a Aliases,
        searcher: &'a Searcher,
    ) -> Self {
        let langs = present_languages(fields, searcher);
        QueryBuilder {
            fields,
            analyzers,
            aliases,
            short_forms: None,
            searcher,
            langs,
            fuzzy_all: false,
            unfinished: None,
            highlight: Highlight::default(),
        }
    }

    /// The same builder matching the short forms of `forms` as their full
    /// names in exact entity filters.
    pub fn joining(mut self, forms: Arc<ShortForms>) -> Self {
        self.short_forms = Some(forms);
        self
    }

    /// Builds the query of a request with `query` as its text (the
    /// request's own query, or its relaxed form) and the request's filters,
    /// which restrict without scoring.
    pub fn build(mut self, request: &SearchRequest, query: &ParsedQuery) -> Result<Built> {
        self.fuzzy_all = request.fuzzy;
        self.unfinished = query.unfinished();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        match self.node(query.tree(), false)? {
            Some(q) => clauses.push((Occur::Must, q)),
            None => {
                return Ok(Built {
                    query: Box::new(EmptyQuery),
                    highlight: self.highlight,
                });
            }
        }
        for filter in self.filters(&request.filters) {
            clauses.push((Occur::Must, Box::new(BoostQuery::new(filter, 0.0))));
        }
        let query: Box<dyn Query> = if clauses.len() == 1 {
            clauses
                .pop()
                .map(|c| c.1)
                .unwrap_or_else(|| Box::new(EmptyQuery))
        } else {
            Box::new(BooleanQuery::new(clauses))
        };
        Ok(Built {
            query,
            highlight: self.highlight,
        })
    }

    fn filters(&self, filters: &Filters) -> Vec<Box<dyn Query>> {
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        if let Some(range) = filters.dates {
            clauses.push(self.date_query(range));
        }
        for entity in &filters.entities {
            clauses.push(self.entity_key_query(entity.kind, &entity.name));
        }
        if let Some(lang) = filters.lang {
            clauses.push(self.lang_query(lang));
        }
        for (filter, value) in &filters.meta {
            let key = self.analyzers.key(&meta_key(*filter, value));
            clauses.push(Box::new(TermQuery::new(
                Term::from_field_text(self.fields.meta_key, &key),
                IndexRecordOption::Basic,
            )));
        }
        clauses
    }

    fn lang_query(&self, lang: Lang) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(self.fields.lang, lang.code()),
            IndexRecordOption::Basic,
        ))
    }

    /// An exact entity name or alias, of one kind or any: its own key and
    /// the keys of the canonical names it is a known alias of. A person's
    /// short form joined to a full name, and the full name, both match the
    /// articles of the full name and those naming the short form without
    /// another full name it could stand for.
    pub fn entity_key_query(&self, kind: Option<EntityKind>, name: &str) -> Box<dyn Query> {
        let kinds = match kind {
            Some(kind) => vec![kind],
            None => EntityKind::ALL.to_vec(),
        };
        let term = |key: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(self.fields.entity_key, key),
                IndexRecordOption::Basic,
            ))
        };
        let mut seen: HashSet<String> = HashSet::new();
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        for k in kinds {
            for key in self.aliases.keys(k, name, self.analyzers) {
                let forms = self
                    .short_forms
                    .as_deref()
                    .filter(|_| k == short_form::KIND);
                let Some(forms) = forms else {
                    if seen.insert(key.clone()) {
                        clauses.push(term(&key));
                    }
                    continue;
                };
                let full = forms.canonical_key(&key).to_string();
                if !seen.insert(full.clone()) {
                    continue;
                }
                clauses.push(term(&full));
                for form in forms.forms_of(&full) {
                    let mut parts: Vec<(Occur, Box<dyn Query>)> =
                        vec![(Occur::Must, term(&form.key))];
                    parts.extend(form.rivals.iter().map(|r| (Occur::MustNot, term(r))));
                    clauses.push(Box::new(BooleanQuery::new(parts)));
                }
            }
        }
        union(clauses).unwrap_or_else(|| Box::new(EmptyQuery))
    }

    fn date_query(&self, range: DateRange) -> Box<dyn Query> {
        let field = self.fields.date;
        let lower = match range.from {
            Some(d) => Bound::Included(Term::from_field_date_for_search(field, to_datetime(d))),
            None => Bound::Unbounded,
        };
        let upper = match range.to.and_then(|d| d.tomorrow().ok()) {
            Some(d) => Bound::Excluded(Term::from_field_date_for_search(field, to_datetime(d))),
            None => Bound::Unbounded,
        };
        if matches!((&lower, &upper), (Bound::Unbounded, Bound::Unbounded)) {
            // Both open: every dated article (undated ones never match a date filter).
            return Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_date_for_search(
                    field,
                    tantivy::DateTime::MIN,
                )),
                Bound::Unbounded,
            ));
        }
        Box::new(RangeQuery::new(lower, upper))
    }

    fn node(&mut self, node: &Node, negated: bool) -> Result<Option<Box<dyn Query>>> {
        Ok(match node {
            Node::Word {
                field,
                text,
                position,
                ..
            } if self.unfinished == Some(*position) && !negated => {
                self.add_highlight(text);
                let mut parts = Vec::new();
                for (f, boost, lang) in self.targets(*field) {
                    if let Some(q) = self.text_query(f, lang, text, 0) {
                        parts.push(boosted(q, boost));
                    }
                }
                parts.extend(self.completions(*field, text)?);
                union(parts)
            }
            Node::Phrase {
                field,
                text,
                position,
                ..
            } if self.unfinished == Some(*position) && !negated => {
                let parts = self
                    .targets(*field)
                    .into_iter()
                    .filter_map(|(f, boost, lang)| {
                        self.prefix_query(f, lang, text, false)
                            .map(|q| boosted(q, boost))
                    })
                    .collect();
                union(parts)
            }
            Node::Word {
                field,
                text,
                prefix,
                fuzzy,
                ..
            } => {
                // `word~0` is the word itself, even with `--fuzzy`.
                let fuzzy = fuzzy
                    .or_else(|| {
                        (self.fuzzy_all && !prefix && text.chars().count() >= FUZZY_MIN_CHARS)
                            .then(|| auto_distance(text))
                    })
                    .filter(|d| *d > 0);
                let targets = self.targets(*field);
                if !negated && !prefix && fuzzy.is_none() {
                    self.add_highlight(text);
                }
                let mut parts = self.alias_key(*field, text);
                for (f, boost, lang) in targets {
                    let q = if *prefix {
                        self.prefix_query(f, lang, text, negated)
                    } else if let Some(d) = fuzzy {
                        self.fuzzy_query(f, lang, text, d, negated)?
                    } else {
                        self.text_query(f, lang, text, 0)
                    };
                    if let Some(q) = q {
                        parts.push(boosted(q, boost));
                    }
                }
                union(parts)
            }
            Node::Phrase {
                field, text, slop, ..
            } => {
                if !negated {
                    self.add_highlight(text);
                }
                let mut parts = self.alias_key(*field, text);
                parts.extend(
                    self.targets(*field)
                        .into_iter()
                        .filter_map(|(f, boost, lang)| {
                            self.text_query(f, lang, text, *slop)
                                .map(|q| boosted(q, boost))
                        }),
                );
                union(parts)
            }
            Node::Lang(lang) => Some(self.lang_query(*lang)),
            Node::Source(source) => Some(Box::new(TermQuery::new(
                Term::from_field_text(self.fields.source, source),
                IndexRecordOption::Basic,
            ))),
            Node::Dates(range) => Some(self.date_query(*range)),
            Node::All => Some(Box::new(AllQuery)),
            Node::Boost(inner, boost) => self
                .node(inner, negated)?
                .map(|q| Box::new(BoostQuery::new(q, *boost)) as Box<dyn Query>),
            Node::Group(clauses) => {
                let mut built: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (modifier, child) in clauses {
                    let occur = match modifier {
                        Modifier::Default | Modifier::Must => Occur::Must,
                        Modifier::MustNot => Occur::MustNot,
                        Modifier::Should => Occur::Should,
                    };
                    let child_negated = negated ^ (occur == Occur::MustNot);
                    if let Some(q) = self.node(child, child_negated)? {
                        let q: Box<dyn Query> = if occur == Occur::MustNot {
                            Box::new(Excluded(q))
                        } else {
                            q
                        };
                        built.push((occur, q));
                    }
                }
                if built.is_empty() {
                    return Ok(None);
                }
                if built.iter().all(|(o, _)| *o == Occur::MustNot) {
                    built.push((Occur::Must, Box::new(AllQuery)));
                }
                if built.len() == 1 && built[0].0 != Occur::MustNot {
                    built.pop().map(|b| b.1)
                } else {
                    Some(Box::new(BooleanQuery::new(built)))
                }
            }
        })
    }

    /// For `entity:`, `person:`... values, the exact name-or-alias key: an
    /// alias ("DEA") finds an article that only spells the name out, since
    /// aliases are exact keys rather than words. A prefix or fuzzy value
    /// (`org:DEA*`, `org:DEA~1`) keeps it too, so it finds at least what the
    /// value as typed finds.
    fn alias_key(&self, field: Option<UserField>, text: &str) -> Vec<Box<dyn Query>> {
        match field {
            Some(UserField::Entity) => vec![self.entity_key_query(None, text)],
            Some(UserField::Kind(kind)) => vec![self.entity_key_query(Some(kind), text)],
            _ => Vec::new(),
        }
    }

    /// The fields a word of `field` searches, with their boost and the
    /// language whose analyzer reads them (`None`: entity words).
    fn targets(&self, field: Option<UserField>) -> Vec<(Field, f32, Option<Lang>)> {
        let f = self.fields;
        let mut out = Vec::new();
        let (headline, body, entities) = match field {
            None => (HEADLINE_BOOST, 1.0, f.kind_words.to_vec()),
            Some(UserField::Headline) => (1.0, 0.0, Vec::new()),
            Some(UserField::Body) => (0.0, 1.0, Vec::new()),
            Some(UserField::Entity) => (0.0, 0.0, f.kind_words.to_vec()),
            Some(UserField::Kind(kind)) => (0.0, 0.0, vec![f.kind_words(kind)]),
            Some(UserField::Date | UserField::Lang | UserField::Source) => (0.0, 0.0, Vec::new()),
        };
        for lang in &self.langs {
            let lf = f.lang(*lang);
            if headline > 0.0 {
                out.push((lf.headline, headline, Some(*lang)));
            }
            if body > 0.0 {
                out.push((lf.body, body, Some(*lang)));
            }
        }
        let boost = if field.is_none() { ENTITY_BOOST } else { 1.0 };
        out.extend(entities.into_iter().map(|e| (e, boost, None)));
        out
    }

    fn analyzer(&self, lang: Option<Lang>) -> tantivy::tokenizer::TextAnalyzer {
        match lang {
            Some(lang) => self.analyzers.text(lang),
            None => self.analyzers.name(),
        }
    }

    /// A term, or a phrase when the text analyzes to several tokens.
    fn text_query(
        &self,
        field: Field,
        lang: Option<Lang>,
        text: &str,
        slop: u32,
    ) -> Option<Box<dyn Query>> {
        let tokens = Analyzers::tokens(self.analyzer(lang), text);
        match tokens.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                Term::from_field_text(field, &tokens[0].1),
                IndexRecordOption::WithFreqs,
            ))),
            // Entity words carry no positions: every word of the name must
            // be there (names are short; a phrase would add little).
            _ if lang.is_none() => Some(Box::new(BooleanQuery::new(
                tokens
                    .into_iter()
                    .map(|(_, t)| -> (Occur, Box<dyn Query>) {
                        let term = Term::from_field_text(field, &t);
                        (
                            Occur::Must,
                            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                        )
                    })
                    .collect(),
            ))),
            _ => {
                let terms = tokens
                    .into_iter()
                    .map(|(pos, t)| (pos, Term::from_field_text(field, &t)))
                    .collect();
                Some(Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop)))
            }
        }
    }

    /// `word*`, or a phrase whose last word is unfinished: the words
    /// before the last as the field's analyzer reads them, then the last
    /// one's folded, unstemmed prefix (a phrase prefix where the field has
    /// positions, every word plus the prefix where it has none).
    fn prefix_query(
        &mut self,
        field: Field,
        lang: Option<Lang>,
        text: &str,
        negated: bool,
    ) -> Option<Box<dyn Query>> {
        let (last_position, last) = Analyzers::tokens(self.analyzers.name(), text).pop()?;
        if !negated && !self.highlight.prefixes.contains(&last) {
            self.highlight.prefixes.push(last.clone());
        }
        let before: Vec<(usize, String)> = Analyzers::tokens(self.analyzer(lang), text)
            .into_iter()
            .filter(|(position, _)| *position < last_position)
            .collect();
        if !negated && let Some(lang) = lang {
            let set = self.highlight.terms.entry(lang).or_default();
            set.extend(before.iter().map(|(_, t)| t.clone()));
        }
        if lang.is_none() && !before.is_empty() {
            // Entity words carry no positions: whole words plus a prefix.
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = before
                .into_iter()
                .map(|(_, t)| -> (Occur, Box<dyn Query>) {
                    let term = Term::from_field_text(field, &t);
                    (
                        Occur::Must,
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    )
                })
                .collect();
            let mut prefix = PhrasePrefixQuery::new(vec![Term::from_field_text(field, &last)]);
            prefix.set_max_expansions(MAX_EXPANSIONS as u32);
            clauses.push((Occur::Must, Box::new(prefix)));
            return Some(Box::new(BooleanQuery::new(clauses)));
        }
        let terms = before
            .into_iter()
            .chain(std::iter::once((last_position, last)))
            .map(|(pos, t)| (pos, Term::from_field_text(field, &t)))
            .collect();
        let mut q = PhrasePrefixQuery::new_with_offset(terms);
        q.set_max_expansions(MAX_EXPANSIONS as u32);
        Some(Box::new(q))
    }

    /// The completions of an unfinished word: the most frequent words of
    /// the vocabulary it begins, read by each field's analyzer (so a
    /// completion matches its other forms too), weighing less than the word.
    fn completions(&mut self, field: Option<UserField>, text: &str) -> Result<Vec<Box<dyn Query>>> {
        let tokens = Analyzers::tokens(self.analyzers.words(), text);
        let [(_, prefix)] = tokens.as_slice() else {
            return Ok(Vec::new());
        };
        if prefix.chars().count() < MIN_PREFIX_CHARS {
            return Ok(Vec::new());
        }
        let words: Vec<String> = vocabulary::completions(self.searcher, self.fields.words, prefix)?
            .into_iter()
            .map(|(word, _)| word)
            .filter(|word| word != prefix)
            .take(MAX_COMPLETIONS)
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut stems: HashMap<Lang, Vec<String>> = HashMap::new();
        for lang in self.langs.clone() {
            let mut analyzer = self.analyzers.text(lang);
            let own = Analyzers::last_token(&mut analyzer, text);
            let mut seen = HashSet::new();
            let list: Vec<String> = words
                .iter()
                .filter_map(|w| Analyzers::last_token(&mut analyzer, w))
                .filter(|stem| Some(stem) != own.as_ref() && seen.insert(stem.clone()))
                .collect();
            self.highlight
                .terms
                .entry(lang)
                .or_default()
                .extend(list.iter().cloned());
            stems.insert(lang, list);
        }
        let mut parts = Vec::new();
        for (f, boost, lang) in self.targets(field) {
            let Some(lang) = lang else { continue };
            let terms: Vec<Box<dyn Query>> = stems
                .get(&lang)
                .into_iter()
                .flatten()
                .map(|stem| -> Box<dyn Query> {
                    Box::new(TermQuery::new(
                        Term::from_field_text(f, stem),
                        IndexRecordOption::WithFreqs,
                    ))
                })
                .collect();
            if let Some(q) = union(terms) {
                parts.push(boosted(q, boost * COMPLETION_WEIGHT));
            }
        }
        Ok(parts)
    }

    /// A fuzzy word, expanded to the index terms within `distance` edits,
    /// each scored as a term of its own.
    fn fuzzy_query(
        &mut self,
        field: Field,
        lang: Option<Lang>,
        text: &str,
        distance: u8,
        negated: bool,
    ) -> Result<Option<Box<dyn Query>>> {
        let tokens = Analyzers::tokens(self.analyzer(lang), text);
        if tokens.len() != 1 {
            return Ok(self.text_query(field, lang, text, 0));
        }
        let token = &tokens[0].1;
        let expansions = expand_fuzzy(self.searcher, field, token, distance)?;
        if !negated {
            for term in &expansions {
                for l in match lang {
                    Some(l) => vec![l],
                    None => self.langs.clone(),
                } {
                    self.highlight
                        .terms
                        .entry(l)
                        .or_default()
                        .insert(term.clone());
                }
            }
        }
        let parts: Vec<Box<dyn Query>> = expansions
            .iter()
            .map(|t| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                ));
                // An exact match outranks a correction.
                if t == token { q } else { boosted(q, 0.8) }
            })
            .collect();
        Ok(union(parts))
    }

    /// Records the analyzed terms of `text` in every language, for snippets.
    fn add_highlight(&mut self, text: &str) {
        for lang in self.langs.clone() {
            let tokens = Analyzers::tokens(self.analyzers.text(lang), text);
            let set = self.highlight.terms.entry(lang).or_default();
            set.extend(tokens.into_iter().map(|(_, t)| t));
        }
    }
}

/// Edit distance `--fuzzy` allows for a word: 1, or 2 for long words.
fn auto_distance(text: &str) -> u8 {
    if text.chars().count() >= 8 { 2 } else { 1 }
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

fn union(mut parts: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Box::new(BooleanQuery::new(
            parts.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))),
    }
}

/// The languages with at least one indexed article, English always included
/// so an empty index still builds queries.
pub(super) fn present_languages(fields: &Fields, searcher: &Searcher) -> Vec<Lang> {
    Lang::ALL
        .iter()
        .copied()
        .filter(|lang| {
            *lang == Lang::En
                || searcher.segment_readers().iter().any(|s| {
                    may_hold(s, fields.lang, *lang)
                        && s.inverted_index(fields.lang(*lang).body)
                            .is_ok_and(|inv| inv.terms().num_terms() > 0)
                })
        })
        .collect()
}

/// Whether a segment may hold articles of `lang`: false only when its
/// language column, which names every article's language, lacks it. A
/// language's text fields are written only for articles of that language,
/// so such a segment has no terms there, and asking for the missing field's
/// terms would build tantivy's empty dictionary for nothing.
fn may_hold(segment: &tantivy::SegmentReader, column: Field, lang: Lang) -> bool {
    let name = segment.schema().get_field_name(column);
    match segment.fast_fields().str(name) {
        Ok(Some(column)) => column
            .dictionary()
            .term_ord(lang.code())
            .map_or(true, |ord| ord.is_some()),
        _ => true,
    }
}

/// The terms of `field` within `distance` edits of `token`, most frequent
/// first, the token itself always kept when present.
fn expand_fuzzy(
    searcher: &Searcher,
    field: Field,
    token: &str,
    distance: u8,
) -> Result<Vec<String>> {
    let mut terms = vocabulary::within_edits(searcher, field, token, distance)?;
    terms.sort_by(|a, b| {
        (b.0 == token)
            .cmp(&(a.0 == token))
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    terms.truncate(MAX_EXPANSIONS);
    Ok(terms.into_iter().map(|(t, _)| t).collect())
}

#[cfg(test)]
mod tests;
