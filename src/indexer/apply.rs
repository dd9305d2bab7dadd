//! The writing side of a run: each file's outcome applied to the index
//! writer (its old articles deleted, its new ones added, in the same
//! commit), the counts of the summary, and commits that carry the
//! bookkeeping (roots, untrusted stamps) in their payload.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::schema::{Term, Value};
use tantivy::{IndexWriter, TantivyDocument};

use super::pipeline::{Outcome, Pending, Share};
use super::summary::{Event, IndexSummary};
use super::table::{FileRecord, FileTable, GoneFile};
use crate::corpus::{Skip, SkipReason, Stamp};
use crate::error::Result;
use crate::schema::path_hash;
use crate::short_form::Refresher;
use crate::store::{Catalog, Store};

/// Articles added between commits at most, whatever the interval.
const COMMIT_EVERY_DOCS: usize = 100_000;

/// The index writer and everything that goes into its next commit, for one
/// pass over some files (a whole run, or one batch of a watch).
pub(super) struct Apply<'a> {
    writer: &'a mut IndexWriter<Pending>,
    store: &'a Store,
    table: &'a FileTable,
    catalog: &'a Catalog,
    /// Files whose stored stamp is not trusted (written too close to a run).
    unverified: &'a mut HashSet<u64>,
    /// Writes the table of short forms after each commit.
    short_forms: &'a Refresher,
    summary: IndexSummary,
    /// Content hash and article count of each file new to the index, kept
    /// only when the index held files before (otherwise none can have
    /// moved): a first run of a million files would keep a million.
    new_files: Vec<(u64, usize)>,
    /// Files whose first parts were added but not their last: articles
    /// added so far, by path hash. No commit happens while any is open.
    open: HashMap<u64, usize>,
    /// What the pass changed in the file table, in order, for the passes
    /// of a watch that follow; `None` when no pass follows (a record per
    /// file of a million would outweigh the rest of a run's bookkeeping).
    changes: Option<Vec<(u64, Option<FileRecord>)>>,
    /// Files modified while being read, to read again instead of reporting
    /// them (a watch gets their next event anyway); `None` reports them.
    retry: Option<Vec<PathBuf>>,
    /// Files whose stamp was too recent to trust, for a watch to read again
    /// once it can be trusted.
    racy: Vec<PathBuf>,
    done: usize,
    since_commit: usize,
    last_commit: Instant,
}

/// What a pass leaves behind: its counts, the file table's changes and the
/// files to read again.
pub(super) struct Applied {
    pub summary: IndexSummary,
    pub changes: Vec<(u64, Option<FileRecord>)>,
    pub retry: Vec<PathBuf>,
    pub racy: Vec<PathBuf>,
}

impl<'a> Apply<'a> {
    pub fn new(
        writer: &'a mut IndexWriter<Pending>,
        store: &'a Store,
        table: &'a FileTable,
        catalog: &'a Catalog,
        unverified: &'a mut HashSet<u64>,
        short_forms: &'a Refresher,
    ) -> Apply<'a> {
        Apply {
            writer,
            store,
            table,
            catalog,
            unverified,
            short_forms,
            summary: IndexSummary::default(),
            new_files: Vec::new(),
            open: HashMap::new(),
            changes: None,
            retry: None,
            racy: Vec::new(),
            done: 0,
            since_commit: 0,
            last_commit: Instant::now(),
        }
    }

    /// For a watch: files modified while being read are kept to be read
    /// again rather than reported, files whose stamp is too recent to
    /// trust are listed, to be read again once it can be trusted, and the
    /// file table's changes are kept for the next pass.
    pub fn watching(mut self) -> Apply<'a> {
        self.retry = Some(Vec::new());
        self.changes = Some(Vec::new());
        self
    }

    /// Notes a change of the file table for the passes that follow.
    fn change(&mut self, key: u64, record: Option<FileRecord>) {
        if let Some(changes) = &mut self.changes {
            changes.push((key, record));
        }
    }

    fn delete_file(&mut self, key: u64) {
        self.writer
            .delete_term(Term::from_field_u64(self.store.fields.path_hash, key));
        self.unverified.remove(&key);
        self.change(key, None);
    }

    /// Starts or continues replacing a file's articles: its old ones are
    /// deleted before its first new ones are added. Returns the articles
    /// added so far.
    fn begin(&mut self, key: u64) -> usize {
        if let Some(so_far) = self.open.remove(&key) {
            return so_far;
        }
        // A file new to the index has nothing to replace: a delete
        // would cost a lookup in every segment at commit.
        if self.table.contains(key) {
            self.delete_file(key);
        }
        0
    }

    fn add(&mut self, docs: Vec<TantivyDocument>, share: &Arc<Share>) -> Result<usize> {
        let n = docs.len();
        self.since_commit += n;
        for doc in docs {
            self.writer.add_document(Pending::new(doc, share))?;
        }
        Ok(n)
    }

    fn progress(&mut self, queued: usize, report: &mut dyn FnMut(Event)) {
        self.done += 1;
        report(Event::Progress {
            done: self.done,
            queued,
        });
    }

    /// Applies what a worker made of one file.
    pub fn outcome(
        &mut self,
        outcome: Outcome,
        share: &Arc<Share>,
        queued: usize,
        report: &mut dyn FnMut(Event),
    ) -> Result<()> {
        match outcome {
            Outcome::Part {
                path,
                docs,
                bad_records,
            } => {
                for skip in &bad_records {
                    count_skip(&mut self.summary, skip, report);
                }
                let key = path_hash(&path);
                let so_far = self.begin(key);
                let n = self.add(docs, share)?;
                self.open.insert(key, so_far + n);
            }
            Outcome::Skipped {
                skip,
                queued: was_queued,
            } => {
                if let Some(retry) = &mut self.retry
                    && skip.reason == SkipReason::Changed
                {
                    retry.push(PathBuf::from(&skip.path));
                    if was_queued {
                        self.progress(queued, report);
                    }
                    return Ok(());
                }
                count_skip(&mut self.summary, &skip, report);
                if was_queued {
                    self.progress(queued, report);
                }
                let key = path_hash(&skip.path);
                if skip.reason.removes_article()
                    && let Some(old) = self.table.get(key)
                {
                    self.delete_file(key);
                    self.summary.deleted += old.articles;
                }
            }
            Outcome::Verified {
                path,
                key,
                articles,
                racy,
            } => {
                self.progress(queued, report);
                if !racy {
                    self.unverified.remove(&key);
                } else if self.retry.is_some() {
                    self.racy.push(PathBuf::from(path));
                }
                self.summary.unchanged += articles;
            }
            Outcome::Articles {
                path,
                stamp,
                hash,
                racy,
                docs,
                bad_records,
                encoding,
                counted,
                append,
                read_to,
            } => {
                self.progress(queued, report);
                if let Some(encoding) = encoding {
                    report(Event::Note(format!("{path}: decoded as {encoding}")));
                }
                for skip in &bad_records {
                    count_skip(&mut self.summary, skip, report);
                }
                for (reason, n) in counted {
                    *self
                        .summary
                        .skipped
                        .entry(reason.name().to_string())
                        .or_default() += n;
                }
                let key = path_hash(&path);
                if append {
                    return self.append(&path, key, (stamp, hash, read_to), racy, docs, share);
                }
                let so_far = self.begin(key);
                if racy {
                    self.unverified.insert(key);
                    if self.retry.is_some() {
                        self.racy.push(PathBuf::from(&path));
                    }
                }
                let n = so_far + self.add(docs, share)?;
                // Written once the file's last part is in: its record
                // counts every article of every part.
                let record = (n > 0).then_some(FileRecord {
                    stamp,
                    hash,
                    articles: n,
                    read_to,
                });
                self.change(key, record);
                match self.table.get(key) {
                    Some(old) if old.hash == hash => self.summary.unchanged += n,
                    Some(old) => {
                        self.summary.updated += n;
                        self.summary.deleted += old.articles.saturating_sub(n);
                    }
                    None => {
                        self.summary.indexed += n;
                        if !self.table.is_empty() {
                            self.new_files.push((hash, n));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Adds the articles of the records appended to a web archive. A record
    /// read before (in a gzip member that was cut short last time) replaces
    /// its old article, so an id is never indexed twice.
    fn append(
        &mut self,
        path: &str,
        key: u64,
        (stamp, hash, read_to): (Stamp, u64, u64),
        racy: bool,
        docs: Vec<TantivyDocument>,
        share: &Arc<Share>,
    ) -> Result<()> {
        if racy {
            self.unverified.insert(key);
            if self.retry.is_some() {
                self.racy.push(PathBuf::from(path));
            }
        }
        let before = self.table.get(key).map_or(0, |old| old.articles);
        self.summary.unchanged += before;
        self.summary.indexed += docs.len();
        self.since_commit += docs.len();
        let n = docs.len();
        for doc in docs {
            if let Some(id) = doc.get_first(self.store.fields.id).and_then(|v| v.as_str()) {
                self.writer
                    .delete_term(Term::from_field_text(self.store.fields.id, id));
            }
            self.writer.add_document(Pending::new(doc, share))?;
        }
        // A record read again replaces its article: the count is exact
        // again when the table is next read from the index.
        self.change(
            key,
            Some(FileRecord {
                stamp,
                hash,
                articles: before + n,
                read_to,
            }),
        );
        Ok(())
    }

    /// Whether a commit is due: `interval` has passed since the last one,
    /// or enough articles were added, and no file is half applied (a
    /// commit holds every article of a file or none of its new ones).
    pub fn commit_due(&self, interval: Duration) -> bool {
        self.open.is_empty()
            && (self.last_commit.elapsed() >= interval || self.since_commit >= COMMIT_EVERY_DOCS)
    }

    /// Whether some file is half applied: its first parts added, not its
    /// last.
    pub fn any_open(&self) -> bool {
        !self.open.is_empty()
    }

    /// Whether `outcome` continues a file half applied.
    pub fn continues(&self, outcome: &Outcome) -> bool {
        match outcome {
            Outcome::Part { path, .. } | Outcome::Articles { path, .. } => {
                self.open.contains_key(&path_hash(path))
            }
            _ => false,
        }
    }

    /// Articles of files whose stamps the walk found unchanged.
    pub fn add_unchanged(&mut self, articles: usize) {
        self.summary.unchanged += articles;
    }

    /// Content hash and article count of each file new to the index.
    pub fn new_files(&self) -> &[(u64, usize)] {
        &self.new_files
    }

    /// Removes the articles of gone files; a moved file counts as moved, not
    /// as deleted and indexed again.
    pub fn remove(&mut self, gone: &[GoneFile]) {
        for file in gone {
            self.delete_file(file.key);
            if file.moved {
                self.summary.moved += 1;
                self.summary.indexed -= file.articles;
            } else {
                self.summary.deleted += file.articles;
            }
        }
    }

    /// Commits with the catalog (roots, unverified stamps) in the payload,
    /// so the bookkeeping always matches the committed articles.
    pub fn commit(&mut self) -> Result<()> {
        commit(self.writer, self.catalog, self.unverified)?;
        self.short_forms.refresh(self.store);
        self.last_commit = Instant::now();
        self.since_commit = 0;
        Ok(())
    }

    /// The pass's counts, table changes and files to read again.
    pub fn finish(self) -> Applied {
        Applied {
            summary: self.summary,
            changes: self.changes.unwrap_or_default(),
            retry: self.retry.unwrap_or_default(),
            racy: self.racy,
        }
    }
}

/// Commits what `writer` holds with the catalog and the untrusted stamps
/// in the payload.
pub(super) fn commit(
    writer: &mut IndexWriter<Pending>,
    catalog: &Catalog,
    unverified: &HashSet<u64>,
) -> Result<()> {
    let mut catalog = catalog.clone();
    catalog.schema_version = crate::schema::SCHEMA_VERSION;
    catalog.last_update = Some(jiff::Timestamp::now().to_string());
    catalog.unverified = unverified.iter().copied().collect();
    catalog.unverified.sort_unstable();
    let payload = serde_json::to_string(&catalog).unwrap_or_default();
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
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
