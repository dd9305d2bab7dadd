//! Index statistics: how many articles, from when to when, from which
//! folders, formats, sources and languages, the most frequent entities, the
//! size on disk, the roots indexed and the last update.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tantivy::query::AllQuery;

use crate::day;
use crate::error::Result;
use crate::facet::{FacetCollector, OrdCounts};
use crate::search::Engine;

/// Entries listed for folders and sources.
const TOP_LISTED: usize = 20;

/// What `news stats` reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Articles in the index.
    pub articles: u64,
    /// Articles without a date.
    pub undated: u64,
    /// Earliest and latest article dates (`YYYY-MM-DD`).
    pub date_range: Option<(String, String)>,
    /// Articles per folder (the folder holding each file), most first.
    pub folders: Vec<(String, u64)>,
    /// Articles per file format.
    pub formats: BTreeMap<String, u64>,
    /// Articles per language code.
    pub languages: BTreeMap<String, u64>,
    /// Articles per source (publisher), most first.
    pub sources: Vec<(String, u64)>,
    /// Most frequent people, organisations and places.
    pub top_entities: BTreeMap<String, Vec<(String, u64)>>,
    /// Size of the index on disk, in bytes.
    pub index_bytes: u64,
    /// The index folder.
    pub index_dir: String,
    /// Roots indexed so far.
    pub roots: Vec<String>,
    /// Time of the last committed indexing run (RFC 3339).
    pub last_update: Option<String>,
}

impl Engine {
    /// Computes the statistics of the index.
    pub fn stats(&self) -> Result<Stats> {
        let searcher = self.searcher();
        let store = self.store();
        let schema = store.index.schema();
        let name = |f| schema.get_field_name(f).to_string();
        let mut folders: HashMap<String, u64> = HashMap::new();
        let mut formats: BTreeMap<String, u64> = BTreeMap::new();
        let mut languages: BTreeMap<String, u64> = BTreeMap::new();
        let mut sources: HashMap<String, u64> = HashMap::new();
        let (mut min_day, mut max_day, mut undated) = (i64::MAX, i64::MIN, 0u64);
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let column = |field| ff.str(&name(field)).map(OrdCounts::new);
            let mut folder = column(store.fields.folder)?;
            let mut format = column(store.fields.format)?;
            let mut lang = column(store.fields.lang)?;
            let mut source = column(store.fields.source)?;
            let dates = ff.date(&name(store.fields.date)).ok();
            for doc in segment.doc_ids_alive() {
                for counts in [&mut folder, &mut format, &mut lang, &mut source] {
                    counts.add(doc);
                }
                match dates.as_ref().and_then(|c| c.first(doc)) {
                    Some(d) => {
                        let day = day::number(d);
                        min_day = min_day.min(day);
                        max_day = max_day.max(day);
                    }
                    None => undated += 1,
                }
            }
            folder.each(|v, n| *folders.entry(v.to_string()).or_default() += n);
            format.each(|v, n| *formats.entry(v.to_string()).or_default() += n);
            lang.each(|v, n| *languages.entry(v.to_string()).or_default() += n);
            source.each(|v, n| *sources.entry(v.to_string()).or_default() += n);
        }
        let day_string = |n: i64| day::date(n).map(|d| d.to_string()).unwrap_or_default();
        let facets = searcher
            .search(&AllQuery, &FacetCollector::new(&store.fields, &schema))?
            .into_facets();
        let catalog = store.catalog()?;
        Ok(Stats {
            articles: searcher.num_docs(),
            undated,
            date_range: (min_day <= max_day).then(|| (day_string(min_day), day_string(max_day))),
            folders: top(folders),
            formats,
            languages,
            sources: top(sources),
            top_entities: BTreeMap::from([
                ("person".to_string(), facets.person),
                ("org".to_string(), facets.org),
                ("place".to_string(), facets.place),
            ]),
            index_bytes: store.size_on_disk(),
            index_dir: store.dir.to_string_lossy().into_owned(),
            roots: catalog.roots,
            last_update: catalog.last_update,
        })
    }
}

/// The most frequent entries, ties by name.
fn top(counts: HashMap<String, u64>) -> Vec<(String, u64)> {
    let mut list: Vec<(String, u64)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(TOP_LISTED);
    list
}
