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
mod watch;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use apply::Apply;
use pipeline::{Pending, Pipeline};
use table::FileTable;
use tantivy::IndexWriter;

use crate::corpus::WalkOptions;
use crate::entity::Extractor;
use crate::error::Result;
use crate::short_form::Refresher;
use crate::store::{Catalog, Store};

pub use summary::{Event, IndexSummary};
pub use watch::watch;

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

/// How long after reading a file a watch reads it again to trust its
/// stamp: past the window above.
pub(crate) const RACY_RECHECK: Duration = Duration::from_millis(2_500);

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
    /// After indexing, keep applying changes as files change.
    pub watch: bool,
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
            watch: false,
        }
    }
}

/// Runs `news index`.
pub fn run(options: &IndexOptions, report: &mut dyn FnMut(Event)) -> Result<IndexSummary> {
    let started = Instant::now();
    // Measured from the start of the run, before opening the index and
    // loading gazetteers: a stamp inside the window is never trusted.
    let racy_after = racy_after();
    let roots = roots::resolve(&options.paths)?;
    if options.rebuild {
        // The new index is built beside the live one, which readers keep
        // seeing until the switch; a run that dies leaves it as it was.
        let staging = Store::begin_rebuild(&options.index_dir)?;
        let mut session = Session::open(staging.store().clone(), options, true, racy_after)?;
        let roots = session.set_roots(roots, report)?;
        session.scan(&roots, None, report)?;
        let summary = session.finish(started)?;
        staging.switch()?;
        return Ok(summary);
    }
    let store = Store::open_or_create(&options.index_dir)?;
    let mut session = Session::open(store, options, false, racy_after)?;
    let roots = session.set_roots(roots, report)?;
    session.scan(&roots, None, report)?;
    session.finish(started)
}

/// The writer of a run and what the index knows of its files, kept between
/// passes: one pass for a run, one per batch of changes for a watch.
pub(crate) struct Session {
    store: Store,
    writer: IndexWriter<Pending>,
    catalog: Catalog,
    /// Files whose stored stamp is not trusted.
    unverified: HashSet<u64>,
    table: FileTable,
    /// The user gazetteer's extractor, when there is one.
    custom: Option<Extractor>,
    entities: bool,
    threads: usize,
    walk: WalkOptions,
    commit_interval: Duration,
    /// More passes follow the first (a watch): files modified while being
    /// read are kept to be read again, and the file table follows each pass.
    watching: bool,
    /// For the first pass, stamps at or after this time are too recent to
    /// trust; later passes measure it when they start.
    first_racy_after: Option<i64>,
    summary: IndexSummary,
    /// The table of people's short forms, written after each commit.
    short_forms: Refresher,
}

impl Session {
    /// Takes the writer lock (first: a second indexer must stop before
    /// doing any work) and reads what the index knows; a `fresh` index is
    /// known to hold nothing. Stamps at or after `racy_after` are too
    /// recent to trust in the first pass: measured at the start of the run,
    /// before opening the index and loading gazetteers, a stamp inside the
    /// window is never trusted.
    pub(crate) fn open(
        store: Store,
        options: &IndexOptions,
        fresh: bool,
        racy_after: i64,
    ) -> Result<Session> {
        let threads = if options.threads == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        } else {
            options.threads
        };
        let writer = store.writer_of(threads.min(4), options.memory_bytes)?;
        let mut catalog = store.catalog()?;
        let custom = match options.extract_entities {
            true => match gazetteer_file(options, &mut catalog) {
                Some(file) => Some(Extractor::with_gazetteer_file(&file)?),
                None => None,
            },
            false => None,
        };
        let (table, unverified) = if fresh {
            (FileTable::default(), HashSet::new())
        } else {
            let unverified = catalog.unverified.iter().copied().collect();
            (FileTable::load(&store)?, unverified)
        };
        Ok(Session {
            writer,
            catalog,
            unverified,
            table,
            custom,
            entities: options.extract_entities,
            threads,
            walk: options.walk.clone(),
            commit_interval: options.commit_interval,
            watching: false,
            first_racy_after: Some(racy_after),
            summary: IndexSummary::default(),
            short_forms: Refresher::new(&store),
            store,
        })
    }

    /// The roots of this run: the ones given, else the ones indexed before
    /// that are still there. They join the catalog's.
    pub(crate) fn set_roots(
        &mut self,
        given: Option<Vec<PathBuf>>,
        report: &mut dyn FnMut(Event),
    ) -> Result<Vec<PathBuf>> {
        let roots = match given {
            Some(roots) => roots,
            None => roots::previous(&self.catalog, report)?,
        };
        self.catalog.roots = roots::merge(&self.catalog.roots, &roots);
        Ok(roots)
    }

    /// The roots recorded in the catalog.
    pub(crate) fn known_roots(&self) -> Vec<PathBuf> {
        self.catalog.roots.iter().map(PathBuf::from).collect()
    }

    /// The index folder.
    pub(crate) fn index_dir(&self) -> &std::path::Path {
        &self.store.dir
    }

    /// Walks `roots` whole, applies what changed, removes what is gone
    /// from under them, and commits. With `stop`, a pass stopped half way
    /// commits what it applied and removes nothing (the next pass
    /// converges). Returns the pass's counts.
    pub(crate) fn scan(
        &mut self,
        roots: &[PathBuf],
        stop: Option<&AtomicBool>,
        report: &mut dyn FnMut(Event),
    ) -> Result<Pass> {
        let racy_after = self.first_racy_after.take().unwrap_or_else(racy_after);
        let unverified = self.unverified.clone();
        let bounds = self.known_roots();
        let pipeline = Pipeline {
            roots,
            bounds: &bounds,
            origins: &[],
            walk: &self.walk,
            threads: self.threads,
            table: &self.table,
            unverified: &unverified,
            racy_after,
            extractor: extractor(&self.custom, self.entities),
            fields: &self.store.fields,
        };
        let mut apply = Apply::new(
            &mut self.writer,
            &self.store,
            &self.table,
            &self.catalog,
            &mut self.unverified,
            &self.short_forms,
        );
        if self.watching {
            apply = apply.watching();
        }
        let interval = self.commit_interval;
        let stopping = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
        let seen = pipeline.run(|outcome, share, queued| {
            let stopped = stopping();
            // Once stopped, only the files half applied are finished (the
            // others are left to the next pass), so that the commit that
            // follows holds no file in part.
            if !stopped || apply.continues(&outcome) {
                apply.outcome(outcome, &share, queued, report)?;
            }
            if stopped && !apply.any_open() {
                return Err(crate::Error::Cancelled);
            }
            if apply.commit_due(interval) {
                report(Event::Committing);
                apply.commit()?;
            }
            Ok(())
        });
        let seen = match seen {
            Err(crate::Error::Cancelled) if stopping() => None,
            other => Some(other?),
        };
        if let Some(seen) = &seen {
            apply.add_unchanged(seen.unchanged);
            let gone = self.table.gone(&self.store, seen, apply.new_files())?;
            apply.remove(&gone);
        }
        report(Event::Committing);
        apply.commit()?;
        let applied = apply.finish();
        Ok(self.absorb(applied, seen.is_none()))
    }

    /// Applies changes to the given paths only, files or folders, as found
    /// on disk now: a path that exists is read (a folder walked), one that
    /// is gone loses its articles; then commits. Paths must be absolute.
    pub(crate) fn apply_paths(
        &mut self,
        paths: &[PathBuf],
        report: &mut dyn FnMut(Event),
    ) -> Result<Pass> {
        let bounds = self.known_roots();
        let mut present = Vec::new();
        let mut origins = Vec::new();
        let mut vanished = Vec::new();
        let mut unknown_gone = Vec::new();
        for reported in paths {
            let path = canonical_parent(reported);
            if std::fs::symlink_metadata(&path).is_ok() {
                let inside = |p: &std::path::Path| bounds.iter().any(|b| p.starts_with(b));
                if !inside(&path) && !self.walk.follow_outside {
                    // Reached through a linked folder leading out of the
                    // roots: the walk of its root reports the link.
                    continue;
                }
                // Its articles record the root it was seen under, as a
                // walk of that root would, so that they leave with the
                // link that led there.
                let origin = bounds
                    .iter()
                    .filter(|b| reported.starts_with(b))
                    .max_by_key(|b| b.as_os_str().len());
                origins.push(origin.unwrap_or(&path).clone());
                present.push(path);
                continue;
            }
            let Some(text) = path.to_str() else { continue };
            let key = crate::schema::path_hash(text);
            if self.table.contains(key) {
                vanished.push(key);
            } else {
                // Perhaps a folder moved or removed whole, or a link whose
                // target the index holds under the target's own path: only
                // a walk of its root knows what it led to.
                unknown_gone.push(path);
            }
        }
        let racy_after = self.first_racy_after.take().unwrap_or_else(racy_after);
        let unverified = self.unverified.clone();
        let pipeline = Pipeline {
            roots: &present,
            bounds: &bounds,
            origins: &origins,
            walk: &self.walk,
            threads: self.threads,
            table: &self.table,
            unverified: &unverified,
            racy_after,
            extractor: extractor(&self.custom, self.entities),
            fields: &self.store.fields,
        };
        let mut apply = Apply::new(
            &mut self.writer,
            &self.store,
            &self.table,
            &self.catalog,
            &mut self.unverified,
            &self.short_forms,
        )
        .watching();
        if !present.is_empty() {
            let seen = pipeline
                .run(|outcome, share, queued| apply.outcome(outcome, &share, queued, report))?;
            apply.add_unchanged(seen.unchanged);
        }
        let gone = self.table.vanished(&vanished, apply.new_files());
        apply.remove(&gone);
        apply.commit()?;
        let applied = apply.finish();
        let mut pass = self.absorb(applied, false);
        pass.unknown_gone = unknown_gone;
        Ok(pass)
    }

    fn absorb(&mut self, applied: apply::Applied, stopped: bool) -> Pass {
        self.table.apply(&applied.changes);
        self.summary.absorb(&applied.summary);
        Pass {
            summary: applied.summary,
            retry: applied.retry,
            racy: applied.racy,
            unknown_gone: Vec::new(),
            stopped,
        }
    }

    /// For a watch: files modified while being read are kept to be read
    /// again rather than reported (a watch gets their next event anyway),
    /// and the file table is kept up to date for the passes that follow.
    pub(crate) fn watching(&mut self) {
        self.watching = true;
    }

    /// Waits for merges and returns the counts of every pass.
    pub(crate) fn finish(self, started: Instant) -> Result<IndexSummary> {
        let Session {
            store,
            writer,
            mut summary,
            short_forms,
            ..
        } = self;
        writer
            .wait_merging_threads()
            .map_err(crate::Error::Tantivy)?;
        // Merges that ended after the last commit replaced its segments:
        // the table written then names segments that are gone, and every
        // reader would count the merged ones again by itself.
        short_forms.refresh_if_stale(&store);
        let reader = store.reader()?;
        summary.articles = reader.searcher().num_docs();
        summary.seconds = started.elapsed().as_secs_f64();
        Ok(summary)
    }
}

/// What one pass did.
#[derive(Debug, Default)]
pub(crate) struct Pass {
    /// Its counts.
    pub summary: IndexSummary,
    /// Files modified while being read, to read again.
    pub retry: Vec<PathBuf>,
    /// Files whose stamp was too recent to trust, to read again later.
    pub racy: Vec<PathBuf>,
    /// Gone paths the index held no file at: perhaps folders.
    pub unknown_gone: Vec<PathBuf>,
    /// Whether a stop request cut the pass short.
    pub stopped: bool,
}

/// Stamps at or after this time, measured now, are too recent to trust.
fn racy_after() -> i64 {
    jiff::Timestamp::now().as_nanosecond() as i64 - RACY_WINDOW_NANOS
}

fn extractor(custom: &Option<Extractor>, entities: bool) -> Option<&Extractor> {
    match custom {
        _ if !entities => None,
        Some(custom) => Some(custom),
        None => Some(Extractor::builtin()),
    }
}

/// The path with its folder resolved, so that a path reported through a
/// linked folder names the file as the walk does.
fn canonical_parent(path: &std::path::Path) -> PathBuf {
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => std::fs::canonicalize(parent)
            .map(|p| p.join(name))
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::path_hash;

    #[test]
    fn a_single_run_keeps_no_file_table_and_a_watch_keeps_it_current() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        std::fs::write(corpus.join("a.txt"), "Port closes\n\nThe port closed.\n").unwrap();
        std::fs::write(corpus.join("b.txt"), "Mill opens\n\nThe mill opened.\n").unwrap();
        let key = |name: &str| {
            let path = std::fs::canonicalize(corpus.join(name)).unwrap();
            path_hash(path.to_str().unwrap())
        };
        let (a, b) = (key("a.txt"), key("b.txt"));
        for watching in [false, true] {
            let options = IndexOptions::new(
                tmp.path().join(format!("idx-{watching}")),
                vec![corpus.clone()],
            );
            let store = Store::open_or_create(&options.index_dir).unwrap();
            let mut session = Session::open(store, &options, false, racy_after()).unwrap();
            if watching {
                session.watching();
            }
            let roots = roots::resolve(&options.paths).unwrap();
            let roots = session.set_roots(roots, &mut |_| {}).unwrap();
            let pass = session.scan(&roots, None, &mut |_| {}).unwrap();
            assert_eq!(pass.summary.indexed, 2);
            // A run that ends after its pass needs no table of a million
            // files; a watch reads it at every batch.
            assert_eq!(session.table.contains(a), watching);
            assert_eq!(session.table.contains(b), watching);
            if watching {
                std::fs::remove_file(corpus.join("b.txt")).unwrap();
                let pass = session.scan(&roots, None, &mut |_| {}).unwrap();
                assert_eq!(pass.summary.deleted, 1);
                assert!(session.table.contains(a));
                assert!(!session.table.contains(b));
            }
        }
    }
}
