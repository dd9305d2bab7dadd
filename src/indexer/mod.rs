//! `news index`: keeps the index equal to the article files under its roots.
//!
//! A run resolves its roots (`roots`), reads what the index holds of each
//! file (`table`), walks, reads and extracts on all cores (`pipeline`) and
//! applies each file's outcome to the one writer, committing in batches
//! (`apply`); files the walk did not find are removed at the end, or
//! counted as moved when their content reappeared under another path.
//!
//! Every file's articles are deleted and re-added in the same commit, so a
//! commit never holds two versions of a file; a killed run leaves the last
//! commit, and the next run converges. The bookkeeping (size, mtime, content
//! hash per file; roots in the commit payload) lives in the index itself.

mod apply;
mod archive;
mod pipeline;
mod roots;
mod summary;
mod table;

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use apply::Apply;
use pipeline::Pipeline;
use table::FileTable;

use crate::corpus::WalkOptions;
use crate::entity::Extractor;
use crate::error::Result;
use crate::store::{Catalog, Store};

pub use summary::{Event, IndexSummary};

/// Default memory budget of the index writer, in bytes. Flushing a segment
/// and merging need about as much again on top of it: at 100,000 synthetic
/// articles 96 MB peaked at 390 MB of RSS, 48 MB at 197 MB, at no cost in
/// speed on the news archive.
pub const DEFAULT_MEMORY_BYTES: usize = 48 * 1024 * 1024;

/// Default interval between commits during a long run.
pub const DEFAULT_COMMIT_INTERVAL: Duration = Duration::from_secs(30);

/// A file modified this close to the start of the run may be modified again
/// within the same clock tick without its stamp changing; its stamp is not
/// trusted, so the next run reads and hashes it again.
const RACY_WINDOW_NANOS: i64 = 2_000_000_000;

/// What `news index` is asked to do.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Index folder.
    pub index_dir: PathBuf,
    /// Files and folders to index; empty re-scans the roots indexed before.
    pub paths: Vec<PathBuf>,
    /// Start from an empty index.
    pub rebuild: bool,
    /// Index writer memory budget, in bytes.
    pub memory_bytes: usize,
    /// Worker threads reading and extracting (0: one per core).
    pub threads: usize,
    /// What the walk accepts.
    pub walk: WalkOptions,
    /// A user gazetteer (TSV) adding to or overriding the built-in one.
    pub entities_file: Option<PathBuf>,
    /// Extract entities (off: faster, no entity facets, filters or boosts).
    pub extract_entities: bool,
    /// Longest time between commits.
    pub commit_interval: Duration,
}

impl IndexOptions {
    /// Options with defaults for everything but the index folder and paths.
    pub fn new(index_dir: PathBuf, paths: Vec<PathBuf>) -> IndexOptions {
        IndexOptions {
            index_dir,
            paths,
            rebuild: false,
            memory_bytes: DEFAULT_MEMORY_BYTES,
            threads: 0,
            walk: WalkOptions::default(),
            entities_file: None,
            extract_entities: true,
            commit_interval: DEFAULT_COMMIT_INTERVAL,
        }
    }
}

/// Runs `news index`.
pub fn run(options: &IndexOptions, report: &mut dyn FnMut(Event)) -> Result<IndexSummary> {
    let started = Instant::now();
    let roots = roots::resolve(&options.paths)?;
    let store = if options.rebuild {
        Store::open_for_rebuild(&options.index_dir)?
    } else {
        Store::open_or_create(&options.index_dir)?
    };
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        options.threads
    };
    // The lock comes first: a second indexer must stop before doing any work.
    let writer = store.writer(threads.min(4), options.memory_bytes)?;
    let mut catalog = store.catalog()?;
    let roots = match roots {
        Some(roots) => roots,
        None => roots::previous(&catalog, report)?,
    };
    let custom;
    let extractor: Option<&Extractor> = if !options.extract_entities {
        None
    } else if let Some(file) = gazetteer_file(options, &mut catalog) {
        custom = Extractor::with_gazetteer_file(&file)?;
        Some(&custom)
    } else {
        Some(Extractor::builtin())
    };
    // After a rebuild's wholesale delete the table is empty: every file is
    // new, so nothing is compared or deleted file by file.
    let table = if options.rebuild {
        writer.delete_all_documents()?;
        FileTable::default()
    } else {
        FileTable::load(&store)?
    };
    catalog.roots = roots::merge(&catalog.roots, &roots);

    let unverified: HashSet<u64> = if options.rebuild {
        HashSet::new()
    } else {
        catalog.unverified.iter().copied().collect()
    };
    let pipeline = Pipeline {
        roots: &roots,
        walk: &options.walk,
        threads,
        table: &table,
        unverified: &unverified,
        racy_after: jiff::Timestamp::now().as_nanosecond() as i64 - RACY_WINDOW_NANOS,
        extractor,
        fields: &store.fields,
    };
    let mut apply = Apply::new(writer, &store, &table, catalog, unverified.clone());
    let seen = pipeline.run(|outcome, queued| {
        apply.outcome(outcome, queued, report)?;
        if apply.commit_due(options.commit_interval) {
            report(Event::Committing);
            apply.commit()?;
        }
        Ok(())
    })?;

    apply.add_unchanged(seen.unchanged);
    let gone = table.gone(&store, &seen, apply.new_files())?;
    apply.remove(&gone);
    report(Event::Committing);
    apply.commit()?;
    let (writer, mut summary) = apply.finish();
    writer
        .wait_merging_threads()
        .map_err(crate::Error::Tantivy)?;
    let reader = store.reader()?;
    summary.articles = reader.searcher().num_docs();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// The user gazetteer of this run: the one given, else the one the index
/// was built with (recorded in the catalog).
fn gazetteer_file(options: &IndexOptions, catalog: &mut Catalog) -> Option<PathBuf> {
    let file = options
        .entities_file
        .clone()
        .or_else(|| catalog.entities_file.as_ref().map(PathBuf::from))?;
    let canonical = std::fs::canonicalize(&file).unwrap_or(file);
    catalog.entities_file = canonical.to_str().map(str::to_string);
    Some(canonical)
}
