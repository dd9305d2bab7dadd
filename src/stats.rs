//! Index statistics: how many articles, from when to when, from which
//! folders, formats, sources and languages, the most frequent entities, the
//! size on disk, the roots indexed and the last update.
//!
//! Every count is read from the columns of each segment (their value arrays
//! and dictionaries, see [`crate::tally`]), never by visiting articles, and
//! a long-running engine keeps the result until the index changes.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::day;
use crate::deadline::Deadline;
use crate::error::Result;
use crate::search::Engine;
use crate::tally::{DayTally, TermTally, top_terms};

/// Entries listed for folders and sources.
const TOP_LISTED: usize = 20;

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

/// The statistics of the last index version asked for.
#[derive(Default)]
pub struct StatsCache(Mutex<Option<(u64, Arc<Stats>)>>);

impl Engine {
    /// Computes the statistics of the index.
    pub fn stats(&self) -> Result<Stats> {
        self.stats_within(&Deadline::none())
            .map(|s| Stats::clone(&s))
    }

    /// The statistics of the index as it is now, computed once per index
    /// version (a commit or a merge makes a new one); stopped with
    /// [`Error::Cancelled`](crate::Error::Cancelled) once `deadline` passes.
    pub fn stats_within(&self, deadline: &Deadline) -> Result<Arc<Stats>> {
        let searcher = self.searcher();
        let version = searcher.generation().generation_id();
        let cache = &self.stats_cache().0;
        if let Some((v, stats)) = cache.lock().ok().and_then(|c| c.clone())
            && v == version
        {
            return Ok(stats);
        }
        let stats = Arc::new(self.compute_stats(&searcher, deadline)?);
        if let Ok(mut c) = cache.lock() {
            *c = Some((version, Arc::clone(&stats)));
        }
        Ok(stats)
    }

    fn compute_stats(&self, searcher: &tantivy::Searcher, deadline: &Deadline) -> Result<Stats> {
        let store = self.store();
        let schema = store.index.schema();
        let name = |f| schema.get_field_name(f).to_string();
        // Folders and sources can be many: each segment's counts are kept
        // and only the values that can make the lists are looked up.
        let mut folders: Vec<TermTally> = Vec::new();
        let mut sources: Vec<TermTally> = Vec::new();
        let mut formats: HashMap<String, u64> = HashMap::new();
        let mut languages: HashMap<String, u64> = HashMap::new();
        let mut days: HashMap<i64, u64> = HashMap::new();
        let mut undated = 0u64;
        for segment in searcher.segment_readers() {
            deadline.check()?;
            let alive = segment.alive_bitset();
            for (field, kept) in [
                (store.fields.folder, &mut folders),
                (store.fields.source, &mut sources),
            ] {
                let mut tally = TermTally::for_segment(segment, &name(field))?;
                tally.add_all(alive);
                kept.push(tally.into_counts());
            }
            for (field, totals) in [
                (store.fields.format, &mut formats),
                (store.fields.lang, &mut languages),
            ] {
                let mut tally = TermTally::for_segment(segment, &name(field))?;
                tally.add_all(alive);
                tally.merge_into(totals);
            }
            let mut dates = DayTally::for_segment(segment, &name(store.fields.date));
            dates.add_all(segment);
            undated += dates.undated();
            dates.merge_into(&mut days);
        }
        deadline.check()?;
        let day_string = |n: i64| day::date(n).map(|d| d.to_string()).unwrap_or_default();
        let date_range = days
            .keys()
            .min()
            .zip(days.keys().max())
            .map(|(min, max)| (day_string(*min), day_string(*max)));
        let facets = self
            .facet_collector(searcher)
            .count_all(searcher)?
            .into_facets();
        let catalog = store.catalog()?;
        Ok(Stats {
            articles: searcher.num_docs(),
            undated,
            date_range,
            folders: top_terms(&folders, TOP_LISTED),
            formats: formats.into_iter().collect(),
            languages: languages.into_iter().collect(),
            sources: top_terms(&sources, TOP_LISTED),
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
