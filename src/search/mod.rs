//! Running searches: a validated [`SearchRequest`] in, [`SearchResults`]
//! out — ranked hits with snippets, the total, facets — through one path
//! shared by the command line, batches and the HTTP server. `build` turns a
//! request into a tantivy query; `alias` expands known aliases of entity
//! names; `vocabulary` reads the index's words, from which `suggest`
//! proposes corrections.

mod alias;
mod bounded;
mod build;
mod exclusion;
mod fold;
mod suggest;
pub mod vocabulary;

pub use alias::Aliases;
pub use bounded::Bounded;
pub use build::{Built, Highlight, QueryBuilder};
pub use fold::Folder;
pub use suggest::Suggestion;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::{DocAddress, IndexReader, Score, Searcher, TantivyDocument};

use crate::analyzer::Analyzers;
use crate::article::Article;
use crate::day;
use crate::deadline::Deadline;
use crate::document::from_document;
use crate::entity::Entity;
use crate::error::{Error, Result};
use crate::extract::fingerprint::Fingerprint;
use crate::facet::{FacetCollector, Facets};
use crate::lang::Lang;
use crate::query::ParsedQuery;
use crate::request::{AsRequest, SearchRequest, SortOrder};
use crate::short_form::ShortForms;
use crate::snippet::{self, Matcher, Snippet};
use crate::store::Store;

/// Half-life of the `--recent` boost, in days.
pub const RECENCY_HALF_LIFE_DAYS: f64 = 180.0;
/// Most candidates examined to fill a page after collapsing duplicates.
const MAX_COLLAPSE_CANDIDATES: usize = 20_000;

/// Articles from which a one-shot command searches segments on all cores.
/// Below, a query's scoring takes a few milliseconds at most, about what
/// starting the threads costs.
const PARALLEL_SEARCH_ARTICLES: u64 = 100_000;

/// When an engine searches segments on a pool of threads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pool {
    /// Always (a server, a batch).
    Always,
    /// When the index holds [`PARALLEL_SEARCH_ARTICLES`] or more.
    WhenLarge,
}

/// One ranked article.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Article id.
    pub id: String,
    /// Source file.
    pub path: String,
    /// Ranking score (after any recency blend).
    pub score: f32,
    /// Headline.
    pub headline: String,
    /// Publication date.
    pub date: Option<Date>,
    /// Publisher, when known.
    pub source: Option<String>,
    /// Authors of the article.
    pub authors: Vec<String>,
    /// Section or desk.
    pub section: Option<String>,
    /// Original URL.
    pub url: Option<String>,
    /// Language of analysis.
    pub lang: Lang,
    /// Every entity of the article, most salient first.
    pub entities: Vec<Entity>,
    /// The best passage, highlighted.
    pub snippet: Snippet,
    /// Ids of near-duplicates collapsed into this hit.
    pub duplicates: Vec<String>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// The query text as given.
    pub query: String,
    /// Every matching article, collapsed or not.
    pub total: usize,
    /// True when no article had every term and any-term matching was used.
    pub relaxed: bool,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Facets of the whole result set, when asked for.
    pub facets: Option<Facets>,
    /// The query with misspelt words corrected, when one looks misspelt.
    pub suggestion: Option<Suggestion>,
    /// The query as read, when it was read leniently (repairs included).
    pub read_as: Option<String>,
}

/// The short forms of the last index version asked for.
#[derive(Default)]
struct ShortFormCache(Mutex<Option<(u64, Arc<ShortForms>)>>);

/// An open index ready to answer searches.
pub struct Engine {
    store: Store,
    reader: IndexReader,
    analyzers: Analyzers,
    aliases: std::sync::OnceLock<Aliases>,
    short_forms: ShortFormCache,
    stats: crate::stats::StatsCache,
    facet_words: crate::facet::EntityWords,
    archive_counts: crate::related::ArchiveCounts,
}

impl Engine {
    /// Opens the index in `dir` for one-shot searches. Segments are searched
    /// on all cores only in a large index: in a small one, starting the
    /// threads costs a one-shot command more than they save.
    pub fn open(dir: &Path) -> Result<Engine> {
        Engine::open_with(dir, Store::reader, Pool::WhenLarge)
    }

    /// Opens the index in `dir` for a run of many searches (a batch), its
    /// segments searched on all cores.
    pub fn open_for_many(dir: &Path) -> Result<Engine> {
        Engine::open_with(dir, Store::reader, Pool::Always)
    }

    /// Opens the index in `dir` following new commits (for a server), its
    /// segments searched on all cores.
    pub fn open_live(dir: &Path) -> Result<Engine> {
        Engine::open_with(dir, Store::live_reader, Pool::Always)
    }

    fn open_with(
        dir: &Path,
        reader: fn(&Store) -> Result<IndexReader>,
        pool: Pool,
    ) -> Result<Engine> {
        let open = || -> Result<Engine> {
            let mut store = Store::open(dir)?;
            if pool == Pool::Always || store.articles()? >= PARALLEL_SEARCH_ARTICLES {
                store = store.searching_segments_in_parallel()?;
            }
            let reader = reader(&store)?;
            Ok(Engine::with_reader(store, reader))
        };
        match open() {
            // A rebuild may switch folders between the reading of the index's
            // metadata and of its segments: the second try finds one whole.
            Err(Error::Tantivy(_)) => open(),
            other => other,
        }
    }

    /// An engine over an already open store.
    pub fn with_reader(store: Store, reader: IndexReader) -> Engine {
        Engine {
            store,
            reader,
            analyzers: Analyzers::default(),
            aliases: std::sync::OnceLock::new(),
            short_forms: ShortFormCache::default(),
            stats: crate::stats::StatsCache::default(),
            facet_words: crate::facet::EntityWords::default(),
            archive_counts: crate::related::ArchiveCounts::default(),
        }
    }

    /// A facet collector for top lists and dates: names are looked up only
    /// for the entries that can make a list; people's short forms count
    /// under their full names.
    pub fn facet_collector(&self, searcher: &Searcher) -> FacetCollector {
        FacetCollector::new(&self.store.fields, &self.store.index.schema())
            .joining(self.short_forms(searcher))
    }

    /// A facet collector numbering entity names with the engine's
    /// vocabularies (made once per segment, forgotten with the segment), so
    /// that every name's count can be read by number.
    pub fn numbered_facet_collector(&self, searcher: &Searcher) -> FacetCollector {
        for words in self.facet_words.iter() {
            words.retain(searcher.segment_readers());
        }
        FacetCollector::new(&self.store.fields, &self.store.index.schema())
            .with_words(std::sync::Arc::clone(&self.facet_words))
            .joining(self.short_forms(searcher))
    }

    /// A query builder over `searcher`, with the engine's aliases and the
    /// short forms of the index version it sees.
    pub fn query_builder<'a>(&'a self, searcher: &'a Searcher) -> QueryBuilder<'a> {
        QueryBuilder::new(
            &self.store.fields,
            &self.analyzers,
            self.aliases(),
            searcher,
        )
        .joining(self.short_forms(searcher))
    }

    /// The short forms of people joined to a full name in the index
    /// version `searcher` sees (read or counted once per version).
    pub fn short_forms(&self, searcher: &Searcher) -> Arc<ShortForms> {
        let version = searcher.generation().generation_id();
        if let Some((v, forms)) = self.short_forms.0.lock().ok().and_then(|c| c.clone())
            && v == version
        {
            return forms;
        }
        let forms = Arc::new(ShortForms::of(&self.store, searcher, &self.analyzers));
        if let Ok(mut c) = self.short_forms.0.lock() {
            *c = Some((version, Arc::clone(&forms)));
        }
        forms
    }

    /// The entity counts of the whole archive kept for related entities.
    pub(crate) fn archive_counts(&self) -> &crate::related::ArchiveCounts {
        &self.archive_counts
    }

    /// The statistics kept for the current index version.
    pub(crate) fn stats_cache(&self) -> &crate::stats::StatsCache {
        &self.stats
    }

    /// The underlying store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The analyzers used for queries and snippets.
    pub fn analyzers(&self) -> &Analyzers {
        &self.analyzers
    }

    /// Known aliases of entity names: the built-in gazetteer and the user
    /// gazetteer the index was built with, read on first use.
    pub fn aliases(&self) -> &Aliases {
        self.aliases.get_or_init(
            || match self.store.catalog().ok().and_then(|c| c.entities_file) {
                Some(path) => Aliases::with_file(path.into()),
                None => Aliases::builtin(),
            },
        )
    }

    /// The current searcher (a fixed snapshot of the index).
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Runs a search: the request's query, or, when no article has every
    /// word, its relaxed form.
    pub fn search(&self, request: &impl AsRequest) -> Result<SearchResults> {
        self.search_within(request, &Deadline::none())
    }

    /// [`Engine::search`], stopped with [`Error::Cancelled`] once
    /// `deadline` passes.
    pub fn search_within(
        &self,
        request: &impl AsRequest,
        deadline: &Deadline,
    ) -> Result<SearchResults> {
        let request = request.as_request()?;
        let request = request.as_ref();
        let searcher = self.reader.searcher();
        let built = self
            .query_builder(&searcher)
            .build(request, &request.query)?;
        let mut run = self.execute(&searcher, request, &*built.query, None, deadline)?;
        let suggestion = self.suggest(&searcher, request, run.total)?;
        let mut relaxed = false;
        let mut highlight = built.highlight;
        if run.total == 0
            && let Some(any) = request.query.relaxed()
        {
            let built = self.query_builder(&searcher).build(request, &any)?;
            run = self.execute(&searcher, request, &*built.query, None, deadline)?;
            relaxed = true;
            highlight = built.highlight;
        }
        let mut results = self.results(&searcher, request, run, relaxed, &highlight)?;
        results.suggestion = suggestion;
        results.read_as = request.query.read_as().map(str::to_string);
        Ok(results)
    }

    /// Runs the collector `make` gives over every article a search of
    /// `request` counts in `searcher`: the matches of its query, or of its
    /// relaxed form when no article has every word, as [`Engine::search`]
    /// decides. Returns the fruit, the number of articles and whether the
    /// relaxed form was used.
    pub fn collect_matching<C: Collector>(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        make: impl Fn() -> C,
        deadline: &Deadline,
    ) -> Result<(C::Fruit, usize, bool)> {
        let build = |query: &ParsedQuery| self.query_builder(searcher).build(request, query);
        let run = |built: Built| {
            searcher
                .search(&*built.query, &Bounded::new((Count, make()), deadline))
                .map_err(|e| deadline.explain(e))
        };
        let (total, fruit) = run(build(&request.query)?)?;
        if total == 0
            && let Some(any) = request.query.relaxed()
        {
            let (total, fruit) = run(build(&any)?)?;
            return Ok((fruit, total, true));
        }
        Ok((fruit, total, false))
    }

    /// The spelling suggestion a search of `request` would carry, alone
    /// (for tools that measure it).
    pub fn suggestion(&self, request: &impl AsRequest) -> Result<Option<Suggestion>> {
        let request = request.as_request()?;
        let request = request.as_ref();
        let searcher = self.reader.searcher();
        let built = self
            .query_builder(&searcher)
            .build(request, &request.query)?;
        let total = searcher.search(&*built.query, &tantivy::collector::Count)?;
        self.suggest(&searcher, request, total)
    }

    /// Turns the requested page of a run into results with snippets.
    pub(crate) fn results(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        run: Run,
        relaxed: bool,
        highlight: &Highlight,
    ) -> Result<SearchResults> {
        let page: Vec<_> = run
            .ranked
            .into_iter()
            .skip(request.page.offset())
            .take(request.page.limit())
            .collect();
        let mut hits = Vec::with_capacity(page.len());
        for (score, address, copies) in page {
            let doc: TantivyDocument = searcher.doc(address)?;
            let article = from_document(&doc, &self.store.fields);
            // Only the page's duplicates are named: their ids come from the
            // document store.
            let mut duplicates = Vec::with_capacity(copies.len());
            for copy in copies {
                let doc: TantivyDocument = searcher.doc(copy)?;
                duplicates.push(
                    doc.get_first(self.store.fields.id)
                        .and_then(|v| tantivy::schema::Value::as_str(&v))
                        .unwrap_or_default()
                        .to_string(),
                );
            }
            hits.push(self.hit(article, score, duplicates, highlight));
        }
        Ok(SearchResults {
            query: request.query.text().to_string(),
            total: run.total,
            relaxed,
            hits,
            facets: run.facets,
            suggestion: None,
            read_as: None,
        })
    }

    fn hit(
        &self,
        article: Article,
        score: Score,
        duplicates: Vec<String>,
        highlight: &Highlight,
    ) -> Hit {
        let matcher = Matcher {
            terms: highlight.terms.get(&article.lang),
            prefixes: &highlight.prefixes,
        };
        let snippet = snippet::make(
            &article.body,
            self.analyzers.text(article.lang),
            &self.analyzers,
            &matcher,
            snippet::DEFAULT_CHARS,
        );
        Hit {
            id: article.id,
            path: article.path,
            score,
            headline: article.headline,
            date: article.date,
            source: article.source,
            authors: article.authors,
            section: article.section,
            url: article.url,
            lang: article.lang,
            entities: article.entities,
            snippet,
            duplicates,
        }
    }

    /// Runs a query: total, ranked candidates (collapsed when asked), facets.
    /// Candidates that are near-duplicates of `exclude` are dropped.
    pub(crate) fn execute(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        query: &dyn Query,
        exclude: Option<Fingerprint>,
        deadline: &Deadline,
    ) -> Result<Run> {
        let wanted = request.page.offset() + request.page.limit();
        let mut fetch = if request.collapse {
            first_candidates(wanted)
        } else {
            wanted
        };
        // The count and the facets cover the whole result set: taken once.
        // Only the candidate list widens when collapsing leaves too few.
        let facets = request.facets.then(|| self.facet_collector(searcher));
        let top = self.top_collector(searcher, request, fetch)?;
        let (mut top_docs, total, counts) = searcher
            .search(query, &Bounded::new((top, Count, facets), deadline))
            .map_err(|e| deadline.explain(e))?;
        loop {
            let exhausted = top_docs.len() < fetch || fetch >= MAX_COLLAPSE_CANDIDATES;
            let ranked: Vec<(Score, DocAddress)> = top_docs
                .into_iter()
                .map(|((_, score), a)| (score, a))
                .collect();
            let ranked = if request.collapse || exclude.is_some() {
                self.collapse(searcher, ranked, request.collapse, exclude, deadline)?
            } else {
                ranked
                    .into_iter()
                    .map(|(s, a)| (s, a, Vec::new()))
                    .collect()
            };
            if ranked.len() >= wanted || exhausted {
                return Ok(Run {
                    total,
                    ranked,
                    facets: counts.map(|c| c.into_facets()),
                });
            }
            fetch = more_candidates(fetch);
            let top = self.top_collector(searcher, request, fetch)?;
            top_docs = searcher
                .search(query, &Bounded::new(top, deadline))
                .map_err(|e| deadline.explain(e))?;
        }
    }

    /// The top-`n` collector for the requested order. Every order ranks by a
    /// (primary, score) key: the primary key is the date for date orders, 0
    /// otherwise; `--recent` scales the score by recency.
    fn top_collector(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        n: usize,
    ) -> Result<impl tantivy::collector::Collector<Fruit = Vec<((i64, Score), DocAddress)>> + use<>>
    {
        let date_name = self
            .store
            .index
            .schema()
            .get_field_name(self.store.fields.date)
            .to_string();
        let sort = request.sort;
        let newest = if request.recent {
            newest_day(searcher, &date_name)
        } else {
            None
        };
        Ok(
            TopDocs::with_limit(n.max(1)).tweak_score(move |segment: &tantivy::SegmentReader| {
                // Plain relevance never looks at dates: every matching
                // document would otherwise pay a column read.
                let needs_dates = sort != SortOrder::Relevance || newest.is_some();
                let dates = needs_dates
                    .then(|| segment.fast_fields().date(&date_name).ok())
                    .flatten();
                move |doc, score: Score| {
                    let day = dates.as_ref().and_then(|c| c.first(doc)).map(day::number);
                    match (sort, day) {
                        (SortOrder::Newest, Some(day)) => (day, score),
                        (SortOrder::Oldest, Some(day)) => (-day, score),
                        (SortOrder::Newest | SortOrder::Oldest, None) => (i64::MIN, score),
                        (SortOrder::Relevance, day) => (0, recency(score, day, newest)),
                    }
                }
            }),
        )
    }

    /// Folds near-duplicates into the best-ranked copy (when `fold`),
    /// keeping rank order, and drops near-duplicates of `exclude`.
    fn collapse(
        &self,
        searcher: &Searcher,
        ranked: Vec<(Score, DocAddress)>,
        fold: bool,
        exclude: Option<Fingerprint>,
        deadline: &Deadline,
    ) -> Result<Vec<Ranked>> {
        let mut columns = HashMap::new();
        let mut folder = Folder::new();
        let mut kept: Vec<Ranked> = Vec::new();
        for (i, (score, address)) in ranked.into_iter().enumerate() {
            if i % 1024 == 1023 {
                deadline.check()?;
            }
            let seg = address.segment_ord;
            if let std::collections::hash_map::Entry::Vacant(slot) = columns.entry(seg) {
                slot.insert(self.fingerprint_columns(searcher, seg)?);
            }
            let fingerprint = columns
                .get(&seg)
                .and_then(|c| fingerprint_at(c, address.doc_id));
            if let (Some(f), Some(x)) = (fingerprint, exclude)
                && f.near_duplicate(&x)
            {
                continue;
            }
            let duplicate_of = fingerprint.filter(|_| fold).and_then(|f| folder.find(&f));
            match duplicate_of {
                Some(group) => kept[group].2.push(address),
                None => {
                    folder.keep(fingerprint);
                    kept.push((score, address, Vec::new()));
                }
            }
        }
        Ok(kept)
    }

    /// Finds an article by id, or by path (the first article of that file);
    /// a relative or linked path is resolved on disk first.
    pub fn article(&self, id_or_path: &str) -> Result<Article> {
        self.locate(id_or_path, Lookup::ResolvePaths)
            .map(|(_, article)| article)
    }

    /// The fingerprint columns of one segment.
    fn fingerprint_columns(&self, searcher: &Searcher, segment: u32) -> Result<Vec<Column<u64>>> {
        let schema = self.store.index.schema();
        let ff = searcher.segment_reader(segment).fast_fields();
        self.store
            .fields
            .fingerprint
            .iter()
            .map(|f| Ok(ff.u64(schema.get_field_name(*f))?))
            .collect()
    }

    /// The near-duplicate fingerprint of a document.
    pub(crate) fn fingerprint(
        &self,
        searcher: &Searcher,
        address: DocAddress,
    ) -> Option<Fingerprint> {
        let columns = self
            .fingerprint_columns(searcher, address.segment_ord)
            .ok()?;
        fingerprint_at(&columns, address.doc_id)
    }

    /// Finds an article and its address by id, or by path.
    pub fn locate(&self, id_or_path: &str, lookup: Lookup) -> Result<(DocAddress, Article)> {
        self.locate_in(&self.reader.searcher(), id_or_path, lookup)
    }

    /// [`Engine::locate`] in a given snapshot: an address is only valid in
    /// the searcher that found it.
    pub(crate) fn locate_in(
        &self,
        searcher: &Searcher,
        id_or_path: &str,
        lookup: Lookup,
    ) -> Result<(DocAddress, Article)> {
        let fields = &self.store.fields;
        let mut candidates = vec![id_or_path.to_string()];
        if lookup == Lookup::ResolvePaths
            && let Ok(canonical) = std::fs::canonicalize(id_or_path)
            && let Some(c) = canonical.to_str()
        {
            candidates.push(c.to_string());
        }
        for candidate in &candidates {
            let by_id = Term::from_field_text(fields.id, candidate);
            let by_path =
                Term::from_field_u64(fields.path_hash, crate::schema::path_hash(candidate));
            for term in [by_id, by_path] {
                let query = tantivy::query::TermQuery::new(term, IndexRecordOption::Basic);
                let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
                if let Some((_, address)) = top.first() {
                    let doc: TantivyDocument = searcher.doc(*address)?;
                    return Ok((*address, from_document(&doc, fields)));
                }
            }
        }
        Err(Error::UnknownArticle(id_or_path.to_string()))
    }

    /// Calls `f` with every live article of the index, segment by segment.
    pub fn for_each_article(&self, mut f: impl FnMut(Article) -> Result<()>) -> Result<()> {
        let searcher = self.reader.searcher();
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(64)
                .map_err(|e| Error::Tantivy(e.into()))?;
            for doc_id in segment.doc_ids_alive() {
                let doc: TantivyDocument = store.get(doc_id)?;
                f(from_document(&doc, &self.store.fields))?;
            }
        }
        Ok(())
    }
}

/// The fingerprint of a document from its segment's columns; `None` for an
/// article too short to have one.
fn fingerprint_at(columns: &[Column<u64>], doc: tantivy::DocId) -> Option<Fingerprint> {
    let mut words = [0u64; 4];
    for (word, column) in words.iter_mut().zip(columns) {
        *word = column.first(doc)?;
    }
    Some(Fingerprint::from_words(words))
}

/// Candidates first examined for a page of `wanted` hits when folding
/// near-duplicates: twice the page and twenty more. A hit lists the copies
/// among the candidates examined.
fn first_candidates(wanted: usize) -> usize {
    (wanted * 2 + 20).min(MAX_COLLAPSE_CANDIDATES)
}

/// Candidates examined next when folding left the page short.
fn more_candidates(examined: usize) -> usize {
    (examined * 4).min(MAX_COLLAPSE_CANDIDATES)
}

/// How an article id or path given by a user is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// As written only: never touches the file system (the HTTP API).
    Exact,
    /// Also as a path resolved on disk (the command line).
    ResolvePaths,
}

/// A ranked candidate with the near-duplicates folded into it.
type Ranked = (Score, DocAddress, Vec<DocAddress>);

/// A query's outcome before paging: total, ranked candidates with their
/// collapsed duplicates, facets.
pub(crate) struct Run {
    total: usize,
    ranked: Vec<Ranked>,
    facets: Option<Facets>,
}

/// Scales a score by recency: `score × (1 + 2^(−age / half-life))`, where
/// age is in days before the newest article of the index. Undated articles
/// are not boosted.
fn recency(score: Score, day: Option<i64>, newest: Option<i64>) -> Score {
    match (day, newest) {
        (Some(day), Some(newest)) => {
            let age = (newest - day).max(0) as f64;
            let factor = 1.0 + (-age / RECENCY_HALF_LIFE_DAYS).exp2();
            (f64::from(score) * factor) as Score
        }
        _ => score,
    }
}

/// The most recent article day in the index.
fn newest_day(searcher: &Searcher, date_name: &str) -> Option<i64> {
    searcher
        .segment_readers()
        .iter()
        .filter_map(|s| s.fast_fields().date(date_name).ok())
        .map(|c| day::number(c.max_value()))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recency_halves_its_boost_every_half_life() {
        let newest = Some(1000);
        assert!((recency(1.0, Some(1000), newest) - 2.0).abs() < 1e-6);
        let half = 1000 - RECENCY_HALF_LIFE_DAYS as i64;
        assert!((recency(1.0, Some(half), newest) - 1.5).abs() < 1e-3);
        assert_eq!(recency(1.0, None, newest), 1.0);
    }

    #[test]
    fn folding_examines_twice_the_page_and_twenty_then_four_times_more() {
        assert_eq!(first_candidates(1), 22);
        assert_eq!(first_candidates(20), 60);
        assert_eq!(more_candidates(22), 88);
        assert_eq!(more_candidates(88), 352);
        // Never more than 20,000, the deepest page included.
        assert_eq!(first_candidates(110_000), MAX_COLLAPSE_CANDIDATES);
        assert_eq!(more_candidates(6_000), MAX_COLLAPSE_CANDIDATES);
        assert_eq!(MAX_COLLAPSE_CANDIDATES, 20_000);
    }

    /// An engine over `n` articles committed at once, each made by `doc`
    /// from the schema's fields and its number.
    fn engine_of(
        n: usize,
        doc: impl Fn(&crate::schema::Fields, usize) -> TantivyDocument,
    ) -> Engine {
        let store = Store::in_memory().unwrap();
        let mut writer = store.writer(1, 50_000_000).unwrap();
        for i in 0..n {
            writer.add_document(doc(&store.fields, i)).unwrap();
        }
        writer.commit().unwrap();
        let reader = store.reader().unwrap();
        Engine::with_reader(store, reader)
    }

    /// An article known by `id` alone.
    fn with_id(fields: &crate::schema::Fields, id: &str) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_text(fields.id, id);
        doc
    }

    #[test]
    fn folding_examines_twenty_thousand_candidates_at_most() {
        // One fingerprint for all: every article is a copy of the first.
        let same = u64::from_le_bytes([1, 2, 3, 4, 5, 6, 7, 8]);
        let engine = engine_of(MAX_COLLAPSE_CANDIDATES + 1, |fields, i| {
            let mut doc = with_id(fields, &format!("/a/{i}.txt"));
            for field in &fields.fingerprint {
                doc.add_u64(*field, same);
            }
            doc
        });
        let mut page_of_two = crate::request::SearchParams::new("*");
        page_of_two.limit = 2;
        let r = engine.search(&page_of_two).unwrap();
        assert_eq!(r.total, MAX_COLLAPSE_CANDIDATES + 1);
        // The page stays short: the last copy is never examined.
        assert_eq!(r.hits.len(), 1);
        assert_eq!(r.hits[0].duplicates.len(), MAX_COLLAPSE_CANDIDATES - 1);
    }

    #[test]
    fn folding_checks_its_deadline_every_1024_candidates() {
        let engine = engine_of(1024, |fields, i| with_id(fields, &format!("/a/{i}.txt")));
        let searcher = engine.searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let ranked = |n: u32| (0..n).map(|doc| (1.0, DocAddress::new(0, doc))).collect();
        let passed = Deadline::after(std::time::Duration::ZERO);
        let fold = |n| engine.collapse(&searcher, ranked(n), true, None, &passed);
        assert_eq!(fold(1023).unwrap().len(), 1023);
        assert!(matches!(fold(1024), Err(Error::Cancelled)));
    }

    #[test]
    fn only_the_command_line_resolves_a_path_on_disk() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("story.txt");
        std::fs::write(&file, "Story\n\nText.").unwrap();
        let id = std::fs::canonicalize(&file).unwrap();
        let id = id.to_str().unwrap();
        let link = tmp.path().join("link.txt");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let link = link.to_str().unwrap();

        let engine = engine_of(1, |fields, _| {
            let mut doc = with_id(fields, id);
            doc.add_u64(fields.path_hash, crate::schema::path_hash(id));
            doc
        });
        for lookup in [Lookup::Exact, Lookup::ResolvePaths] {
            assert_eq!(engine.locate(id, lookup).unwrap().1.id, id);
        }
        assert_eq!(engine.article(link).unwrap().id, id);
        assert!(matches!(
            engine.locate(link, Lookup::Exact),
            Err(Error::UnknownArticle(_))
        ));
    }

    /// A store with one committed article, and its writer for more.
    fn one_article(store: &Store) -> tantivy::IndexWriter {
        let mut writer = store.writer(1, 20_000_000).unwrap();
        add(&mut writer, store, 1);
        writer
    }

    fn add(writer: &mut tantivy::IndexWriter, store: &Store, i: u64) {
        let mut doc = with_id(&store.fields, &format!("/a/{i}.txt"));
        doc.add_u64(store.fields.path_hash, i);
        writer.add_document(doc).unwrap();
        writer.commit().unwrap();
    }

    #[test]
    fn only_many_searches_or_a_large_index_search_segments_on_all_cores() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("idx");
        let store = Store::open_or_create(&dir).unwrap();
        drop(one_article(&store));
        let pooled = |engine: Engine| {
            matches!(
                engine.store().index.search_executor(),
                tantivy::Executor::ThreadPool(_)
            )
        };
        assert!(!pooled(Engine::open(&dir).unwrap()));
        assert!(pooled(Engine::open_for_many(&dir).unwrap()));
        assert!(pooled(Engine::open_live(&dir).unwrap()));
    }

    #[test]
    fn short_forms_are_read_once_per_index_version() {
        let store = Store::in_memory().unwrap();
        let mut writer = one_article(&store);
        let reader = store.reader().unwrap();
        let engine = Engine::with_reader(store.clone(), reader.clone());
        let first = engine.short_forms(&engine.searcher());
        assert!(Arc::ptr_eq(&first, &engine.short_forms(&engine.searcher())));
        add(&mut writer, &store, 2);
        reader.reload().unwrap();
        assert!(!Arc::ptr_eq(
            &first,
            &engine.short_forms(&engine.searcher())
        ));
    }
}
