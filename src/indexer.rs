//! `news index`: keeps the index equal to the article files under its roots.
//!
//! ```text
//! walk (one thread; stat only, unchanged files skipped without a read)
//!   -> bounded job channel
//!   -> workers (all cores): read, decode, parse, extract, build documents
//!   -> bounded result channel
//!   -> this thread: delete the file's old articles, add the new, commit in batches
//! ```
//!
//! Every file's articles are deleted and re-added in the same commit, so a
//! commit never holds two versions of a file; a killed run leaves the last
//! commit, and the next run converges. The bookkeeping (size, mtime, content
//! hash per file; roots in the commit payload) lives in the index itself.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::bounded;
use serde::Serialize;
use tantivy::schema::Term;
use tantivy::{IndexWriter, TantivyDocument};
use xxhash_rust::xxh3::xxh3_64;

use crate::article;
use crate::corpus::{self, Candidate, Found, Skip, SkipReason, Stamp, WalkOptions};
use crate::document::to_document;
use crate::entity::{Extractor, Gazetteer};
use crate::error::{Error, Result};
use crate::format;
use crate::schema::{Fields, path_hash};
use crate::store::{Catalog, Store};

/// Default memory budget of the index writer, in bytes. Flushing a segment
/// and merging need about as much again on top of it: at 100,000 synthetic
/// articles 96 MB peaked at 390 MB of RSS, 48 MB at 197 MB, at no cost in
/// speed on the news archive.
pub const DEFAULT_MEMORY_BYTES: usize = 48 * 1024 * 1024;

/// Default interval between commits during a long run.
pub const DEFAULT_COMMIT_INTERVAL: Duration = Duration::from_secs(30);

/// Articles added between commits at most, whatever the interval.
const COMMIT_EVERY_DOCS: usize = 100_000;

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

/// What a run did. Article counts, except `unchanged_files`, `moved` and
/// `skipped`, which count files.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndexSummary {
    /// Articles added from new files.
    pub indexed: usize,
    /// Articles re-indexed because their file changed.
    pub updated: usize,
    /// Articles removed because their file is gone or is no longer an article.
    pub deleted: usize,
    /// Files found under a new path with the same content as a removed one.
    pub moved: usize,
    /// Articles whose files did not change.
    pub unchanged: usize,
    /// Files (or records of multi-article files) not indexed, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Wall time of the run.
    pub seconds: f64,
    /// Articles in the index after the run.
    pub articles: u64,
}

impl IndexSummary {
    /// Whether any file was skipped for a problem (not merely for its format).
    pub fn had_problems(&self) -> bool {
        self.skipped
            .iter()
            .any(|(name, n)| *n > 0 && name != SkipReason::Unsupported.name())
    }
}

/// Progress of a run, for a progress bar and the problem report.
#[derive(Debug)]
pub enum Event<'a> {
    /// Files processed so far, of the files the walk has queued so far.
    Progress {
        /// Files read and processed.
        done: usize,
        /// Files queued for reading (grows until the walk ends).
        queued: usize,
    },
    /// A file or record was skipped.
    Skipped(&'a Skip),
    /// Something worth telling the user (a legacy encoding, a missing root).
    Note(String),
    /// A commit is being written.
    Committing,
}

/// Per-file bookkeeping read back from the index.
#[derive(Debug, Clone, Copy)]
struct FileRecord {
    stamp: Stamp,
    hash: u64,
    articles: usize,
}

/// What a worker made of one file.
enum Outcome {
    /// The file's articles, ready to replace its old ones; `racy` when its
    /// stamp is too recent to be trusted next time.
    Articles {
        path: String,
        hash: u64,
        racy: bool,
        docs: Vec<TantivyDocument>,
        bad_records: Vec<Skip>,
        encoding: Option<&'static str>,
    },
    /// An unverified file read again: same stamp, same content; still
    /// `racy` when its stamp is too recent for this run too.
    Verified {
        key: u64,
        articles: usize,
        racy: bool,
    },
    /// The file could not be indexed; `queued` when it had been queued for
    /// reading (the walk reports some files it never queues).
    Skipped { skip: Skip, queued: bool },
}

/// Runs `news index`.
pub fn run(options: &IndexOptions, report: &mut dyn FnMut(Event)) -> Result<IndexSummary> {
    let started = Instant::now();
    let roots = resolve_roots(options)?;
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
        None => previous_roots(&catalog, report)?,
    };
    let custom;
    let extractor: Option<&Extractor> = if !options.extract_entities {
        None
    } else if let Some(file) = gazetteer_file(options, &mut catalog) {
        custom = load_extractor(&file)?;
        Some(&custom)
    } else {
        Some(Extractor::builtin())
    };
    // After a rebuild's wholesale delete the table is empty: every file is
    // new, so nothing is compared or deleted file by file.
    let table = if options.rebuild {
        writer.delete_all_documents()?;
        HashMap::new()
    } else {
        load_table(&store)?
    };
    catalog.roots = merge_roots(&catalog.roots, &roots);

    let unverified: HashSet<u64> = if options.rebuild {
        HashSet::new()
    } else {
        catalog.unverified.iter().copied().collect()
    };
    let (job_tx, job_rx) = bounded::<(Candidate, Option<FileRecord>)>(threads * 64);
    let (out_tx, out_rx) = bounded::<Outcome>(threads * 2);
    let walk_options = options.walk.clone();
    let fields = store.fields.clone();
    let queued = AtomicUsize::new(0);
    let racy_after = jiff::Timestamp::now().as_nanosecond() as i64 - RACY_WINDOW_NANOS;
    let mut apply = Apply {
        writer,
        store: &store,
        table: &table,
        catalog,
        unverified: unverified.clone(),
        summary: IndexSummary::default(),
        new_files: Vec::new(),
        done: 0,
        since_commit: 0,
        last_commit: Instant::now(),
    };

    let walked = std::thread::scope(|scope| -> Result<Walked> {
        let shared = (&table, &unverified, &queued);
        let walker_out = out_tx.clone();
        let walker = scope.spawn(move || {
            let channels = (&job_tx, &walker_out, shared.2);
            walk_files(&roots, &walk_options, (shared.0, shared.1), channels)
        });
        for _ in 0..threads {
            let jobs = job_rx.clone();
            let out = out_tx.clone();
            let fields = fields.clone();
            let max = options.walk.max_file_size;
            scope.spawn(move || {
                for (candidate, previous) in jobs {
                    let outcome =
                        process(&candidate, previous, max, racy_after, extractor, &fields);
                    if out.send(outcome).is_err() {
                        break;
                    }
                }
            });
        }
        drop(out_tx);
        drop(job_rx);
        for outcome in out_rx.iter() {
            apply.outcome(outcome, queued.load(Ordering::Relaxed), report)?;
            if apply.last_commit.elapsed() >= options.commit_interval
                || apply.since_commit >= COMMIT_EVERY_DOCS
            {
                report(Event::Committing);
                apply.commit()?;
            }
        }
        walker
            .join()
            .map_err(|_| Error::Server("the walk thread panicked".into()))
    })?;

    apply.summary.unchanged += walked.unchanged;
    remove_gone_files(&mut apply, &walked)?;
    report(Event::Committing);
    apply.commit()?;
    let Apply {
        writer,
        mut summary,
        ..
    } = apply;
    writer.wait_merging_threads().map_err(Error::Tantivy)?;
    let reader = store.reader()?;
    summary.articles = reader.searcher().num_docs();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// The writing side of a run: applies each file's outcome to the index and
/// keeps the summary and the bookkeeping that goes into each commit.
struct Apply<'a> {
    writer: IndexWriter,
    store: &'a Store,
    table: &'a HashMap<u64, FileRecord>,
    catalog: Catalog,
    /// Files whose stored stamp is not trusted (written too close to a run).
    unverified: HashSet<u64>,
    summary: IndexSummary,
    /// Content hash and article count of each file new to the index.
    new_files: Vec<(u64, usize)>,
    done: usize,
    since_commit: usize,
    last_commit: Instant,
}

impl Apply<'_> {
    fn delete_file(&mut self, key: u64) {
        self.writer
            .delete_term(Term::from_field_u64(self.store.fields.path_hash, key));
        self.unverified.remove(&key);
    }

    fn progress(&mut self, queued: usize, report: &mut dyn FnMut(Event)) {
        self.done += 1;
        report(Event::Progress {
            done: self.done,
            queued,
        });
    }

    fn outcome(
        &mut self,
        outcome: Outcome,
        queued: usize,
        report: &mut dyn FnMut(Event),
    ) -> Result<()> {
        match outcome {
            Outcome::Skipped {
                skip,
                queued: was_queued,
            } => {
                count_skip(&mut self.summary, &skip, report);
                if was_queued {
                    self.progress(queued, report);
                }
                let key = path_hash(&skip.path);
                if skip.reason.removes_article()
                    && let Some(old) = self.table.get(&key)
                {
                    self.delete_file(key);
                    self.summary.deleted += old.articles;
                }
            }
            Outcome::Verified {
                key,
                articles,
                racy,
            } => {
                self.progress(queued, report);
                if !racy {
                    self.unverified.remove(&key);
                }
                self.summary.unchanged += articles;
            }
            Outcome::Articles {
                path,
                hash,
                racy,
                docs,
                bad_records,
                encoding,
            } => {
                self.progress(queued, report);
                if let Some(encoding) = encoding {
                    report(Event::Note(format!("{path}: decoded as {encoding}")));
                }
                for skip in &bad_records {
                    count_skip(&mut self.summary, skip, report);
                }
                let key = path_hash(&path);
                // A file new to the index has nothing to replace: a delete
                // would cost a lookup in every segment at commit.
                if self.table.contains_key(&key) {
                    self.delete_file(key);
                }
                if racy {
                    self.unverified.insert(key);
                }
                let n = docs.len();
                self.since_commit += n;
                for doc in docs {
                    self.writer.add_document(doc)?;
                }
                match self.table.get(&key) {
                    Some(old) if old.hash == hash => self.summary.unchanged += n,
                    Some(old) => {
                        self.summary.updated += n;
                        self.summary.deleted += old.articles.saturating_sub(n);
                    }
                    None => {
                        self.summary.indexed += n;
                        self.new_files.push((hash, n));
                    }
                }
            }
        }
        Ok(())
    }

    /// Commits with the catalog (roots, unverified stamps) in the payload,
    /// so the bookkeeping always matches the committed articles.
    fn commit(&mut self) -> Result<()> {
        let mut catalog = self.catalog.clone();
        catalog.schema_version = crate::schema::SCHEMA_VERSION;
        catalog.last_update = Some(jiff::Timestamp::now().to_string());
        catalog.unverified = self.unverified.iter().copied().collect();
        catalog.unverified.sort_unstable();
        let payload = serde_json::to_string(&catalog).unwrap_or_default();
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.last_commit = Instant::now();
        self.since_commit = 0;
        Ok(())
    }
}

impl SkipReason {
    /// Whether a file skipped for this reason no longer holds articles, so its
    /// old articles leave the index. Transient problems keep them.
    fn removes_article(self) -> bool {
        matches!(
            self,
            SkipReason::Unsupported
                | SkipReason::Empty
                | SkipReason::TooLarge
                | SkipReason::Binary
                | SkipReason::NotAFile
                | SkipReason::Vanished
        )
    }
}

fn count_skip(summary: &mut IndexSummary, skip: &Skip, report: &mut dyn FnMut(Event)) {
    *summary
        .skipped
        .entry(skip.reason.name().to_string())
        .or_default() += 1;
    if skip.reason.is_problem() {
        report(Event::Skipped(skip));
    }
}

/// Canonical roots from the command line, or `None` to re-scan the catalog's.
fn resolve_roots(options: &IndexOptions) -> Result<Option<Vec<PathBuf>>> {
    if options.paths.is_empty() {
        return Ok(None);
    }
    let mut roots = Vec::new();
    for path in &options.paths {
        let canonical = std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?;
        if canonical.to_str().is_none() {
            return Err(Error::File {
                path: path.clone(),
                message: "path is not valid UTF-8".into(),
            });
        }
        roots.push(canonical);
    }
    Ok(Some(roots))
}

fn previous_roots(catalog: &Catalog, report: &mut dyn FnMut(Event)) -> Result<Vec<PathBuf>> {
    if catalog.roots.is_empty() {
        return Err(Error::parameter(
            "path",
            "no path given and none indexed before: run `news index PATH...`",
        ));
    }
    let mut roots = Vec::new();
    for root in &catalog.roots {
        let path = PathBuf::from(root);
        if path.exists() {
            roots.push(path);
        } else {
            // An unmounted drive must not empty the index: keep its articles.
            report(Event::Note(format!(
                "{root}: indexed before but not found now; its articles are kept"
            )));
        }
    }
    Ok(roots)
}

/// Adds new roots to the known ones, dropping any root inside another.
fn merge_roots(old: &[String], new: &[PathBuf]) -> Vec<String> {
    let mut all: Vec<PathBuf> = old.iter().map(PathBuf::from).collect();
    all.extend(new.iter().cloned());
    all.sort();
    all.dedup();
    let mut kept: Vec<PathBuf> = Vec::new();
    for root in all {
        if !kept.iter().any(|k| root.starts_with(k)) {
            kept.push(root);
        }
    }
    kept.iter()
        .filter_map(|p| p.to_str().map(str::to_string))
        .collect()
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

/// An extractor over the built-in gazetteer extended (and overridden) by a
/// user gazetteer file; a bad line is an error naming the file and line.
pub fn load_extractor(file: &Path) -> Result<Extractor> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
    let user = Gazetteer::parse_tsv(&text).map_err(|e| Error::File {
        path: file.to_path_buf(),
        message: e.to_string(),
    })?;
    let mut gazetteer = Gazetteer::builtin();
    gazetteer.extend(user);
    Ok(Extractor::new(gazetteer))
}

/// Reads the per-file bookkeeping of every live article.
fn load_table(store: &Store) -> Result<HashMap<u64, FileRecord>> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let schema = store.index.schema();
    let name = |f| schema.get_field_name(f).to_string();
    let mut table: HashMap<u64, FileRecord> = HashMap::new();
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let keys = ff.u64(&name(store.fields.path_hash))?;
        let sizes = ff.u64(&name(store.fields.size))?;
        let mtimes = ff.i64(&name(store.fields.mtime))?;
        let hashes = ff.u64(&name(store.fields.file_hash))?;
        for doc in segment.doc_ids_alive() {
            let Some(key) = keys.first(doc) else { continue };
            let record = table.entry(key).or_insert(FileRecord {
                stamp: Stamp {
                    size: sizes.first(doc).unwrap_or(0),
                    mtime: mtimes.first(doc).unwrap_or(0),
                },
                hash: hashes.first(doc).unwrap_or(0),
                articles: 0,
            });
            record.articles += 1;
        }
    }
    Ok(table)
}

/// What the walk saw, for the end-of-run deletions.
struct Walked {
    roots: Vec<PathBuf>,
    seen: HashSet<u64>,
    blind_spots: Vec<String>,
    unchanged: usize,
}

/// The walk's outputs: the job queue, the result channel (for skips) and the
/// count of queued files.
type WalkChannels<'a> = (
    &'a crossbeam_channel::Sender<(Candidate, Option<FileRecord>)>,
    &'a crossbeam_channel::Sender<Outcome>,
    &'a AtomicUsize,
);

fn walk_files(
    roots: &[PathBuf],
    options: &WalkOptions,
    (table, unverified): (&HashMap<u64, FileRecord>, &HashSet<u64>),
    (jobs, out, queued): WalkChannels,
) -> Walked {
    let mut walked = Walked {
        roots: roots.to_vec(),
        seen: HashSet::new(),
        blind_spots: Vec::new(),
        unchanged: 0,
    };
    corpus::walk(roots, options, |found| match found {
        Found::File(candidate) => {
            let key = path_hash(&candidate.path);
            walked.seen.insert(key);
            let previous = table.get(&key).copied();
            if previous.is_some_and(|p| p.stamp == candidate.stamp) && !unverified.contains(&key) {
                walked.unchanged += previous.map_or(0, |p| p.articles);
                return;
            }
            queued.fetch_add(1, Ordering::Relaxed);
            let _ = jobs.send((candidate, previous));
        }
        Found::Skipped(skip) => {
            walked.seen.insert(path_hash(&skip.path));
            let _ = out.send(Outcome::Skipped {
                skip,
                queued: false,
            });
        }
        Found::BlindSpot(skip) => {
            walked.blind_spots.push(skip.path.clone());
            let _ = out.send(Outcome::Skipped {
                skip,
                queued: false,
            });
        }
    });
    walked
}

/// Reads, decodes, parses and extracts one file into documents.
fn process(
    candidate: &Candidate,
    previous: Option<FileRecord>,
    max_size: u64,
    racy_after: i64,
    extractor: Option<&Extractor>,
    fields: &Fields,
) -> Outcome {
    let bytes = match corpus::read(candidate, max_size) {
        Ok(bytes) => bytes,
        Err(skip) => return Outcome::Skipped { skip, queued: true },
    };
    let hash = xxh3_64(&bytes);
    if let Some(previous) = previous
        && previous.stamp == candidate.stamp
        && previous.hash == hash
    {
        return Outcome::Verified {
            key: path_hash(&candidate.path),
            articles: previous.articles,
            racy: candidate.stamp.mtime >= racy_after,
        };
    }
    let decoded = match corpus::decode(&candidate.path, bytes, candidate.gzip) {
        Ok(decoded) => decoded,
        Err(skip) => return Outcome::Skipped { skip, queued: true },
    };
    let records = match format::parse(candidate.format, &decoded.text) {
        Ok(records) => records,
        Err(reason) => {
            let skip = Skip {
                path: candidate.path.clone(),
                reason: SkipReason::BadRecord,
                detail: Some(reason),
            };
            return Outcome::Skipped { skip, queued: true };
        }
    };
    let mut docs = Vec::with_capacity(records.len());
    let mut bad_records = Vec::new();
    for record in records {
        match record {
            Ok(raw) if raw.headline.trim().is_empty() && raw.body.trim().is_empty() => {
                bad_records.push(Skip {
                    path: candidate.path.clone(),
                    reason: SkipReason::Empty,
                    detail: Some("no text".into()),
                });
            }
            Ok(raw) => {
                let article = article::extract(raw, &candidate.path, candidate.format, extractor);
                docs.push(to_document(&article, candidate.stamp, hash, fields));
            }
            Err(reason) => bad_records.push(Skip {
                path: candidate.path.clone(),
                reason: SkipReason::BadRecord,
                detail: Some(reason),
            }),
        }
    }
    if docs.is_empty()
        && !candidate.format.is_multi()
        && let Some(skip) = bad_records.pop()
    {
        return Outcome::Skipped { skip, queued: true };
    }
    Outcome::Articles {
        path: candidate.path.clone(),
        hash,
        // A stamp this close to now may not change on a same-size edit
        // within the same clock tick: the next run hashes the file again.
        racy: candidate.stamp.mtime >= racy_after,
        docs,
        bad_records,
        encoding: decoded.encoding,
    }
}

/// Removes the articles of files under this run's roots that the walk did not
/// find, except under folders it could not read. A removed file whose content
/// reappeared under a new path counts as moved.
fn remove_gone_files(apply: &mut Apply, walked: &Walked) -> Result<()> {
    let table = apply.table;
    let unseen: HashSet<u64> = table
        .keys()
        .filter(|k| !walked.seen.contains(k))
        .copied()
        .collect();
    if unseen.is_empty() {
        return Ok(());
    }
    let paths = paths_of(apply.store, &unseen)?;
    let mut new_by_hash: HashMap<u64, usize> = HashMap::new();
    for (hash, n) in &apply.new_files {
        *new_by_hash.entry(*hash).or_default() += n;
    }
    for (key, path) in paths {
        let path_ref = Path::new(&path);
        let under_root = walked.roots.iter().any(|r| path_ref.starts_with(r));
        let blind = walked
            .blind_spots
            .iter()
            .any(|b| path_ref.starts_with(Path::new(b)));
        if !under_root || blind {
            continue;
        }
        let Some(record) = table.get(&key) else {
            continue;
        };
        apply.delete_file(key);
        match new_by_hash.get_mut(&record.hash) {
            Some(n) if *n >= record.articles => {
                *n -= record.articles;
                apply.summary.moved += 1;
                apply.summary.indexed -= record.articles;
            }
            _ => apply.summary.deleted += record.articles,
        }
    }
    Ok(())
}

/// The stored paths of the files with the given path hashes.
fn paths_of(store: &Store, keys: &HashSet<u64>) -> Result<HashMap<u64, String>> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let schema = store.index.schema();
    let mut out = HashMap::new();
    for segment in searcher.segment_readers() {
        let hashes = segment
            .fast_fields()
            .u64(schema.get_field_name(store.fields.path_hash))?;
        let docs = segment
            .get_store_reader(16)
            .map_err(|e| Error::Tantivy(e.into()))?;
        for doc in segment.doc_ids_alive() {
            let Some(key) = hashes.first(doc) else {
                continue;
            };
            if !keys.contains(&key) || out.contains_key(&key) {
                continue;
            }
            let stored: TantivyDocument = docs.get(doc)?;
            if let Some(path) = stored
                .get_first(store.fields.path)
                .and_then(|v| tantivy::schema::Value::as_str(&v))
            {
                out.insert(key, path.to_string());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_inside_others_are_dropped() {
        let merged = merge_roots(
            &["/a/b".to_string(), "/c".to_string()],
            &[
                PathBuf::from("/a"),
                PathBuf::from("/c/d"),
                PathBuf::from("/e"),
            ],
        );
        assert_eq!(merged, vec!["/a", "/c", "/e"]);
        // A sibling with a common prefix is not inside.
        let merged = merge_roots(&["/a".to_string()], &[PathBuf::from("/ab")]);
        assert_eq!(merged, vec!["/a", "/ab"]);
    }
}
