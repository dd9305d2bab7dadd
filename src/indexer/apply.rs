//! The writing side of a run: each file's outcome applied to the index
//! writer (its old articles deleted, its new ones added, in the same
//! commit), the counts of the summary, and commits that carry the
//! bookkeeping (roots, untrusted stamps) in their payload.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use tantivy::schema::{Term, Value};
use tantivy::{IndexWriter, TantivyDocument};

use super::pipeline::Outcome;
use super::summary::{Event, IndexSummary};
use super::table::{FileTable, GoneFile};
use crate::corpus::{Skip, SkipReason};
use crate::error::Result;
use crate::schema::path_hash;
use crate::store::{Catalog, Store};

/// Articles added between commits at most, whatever the interval.
const COMMIT_EVERY_DOCS: usize = 100_000;

/// The index writer and everything that goes into its next commit.
pub(super) struct Apply<'a> {
    writer: IndexWriter,
    store: &'a Store,
    table: &'a FileTable,
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

impl<'a> Apply<'a> {
    pub fn new(
        writer: IndexWriter,
        store: &'a Store,
        table: &'a FileTable,
        catalog: Catalog,
        unverified: HashSet<u64>,
    ) -> Apply<'a> {
        Apply {
            writer,
            store,
            table,
            catalog,
            unverified,
            summary: IndexSummary::default(),
            new_files: Vec::new(),
            done: 0,
            since_commit: 0,
            last_commit: Instant::now(),
        }
    }

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

    /// Applies what a worker made of one file.
    pub fn outcome(
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
                    && let Some(old) = self.table.get(key)
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
                counted,
                append,
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
                    return self.append(key, racy, docs);
                }
                // A file new to the index has nothing to replace: a delete
                // would cost a lookup in every segment at commit.
                if self.table.contains(key) {
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
                match self.table.get(key) {
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

    /// Adds the articles of the records appended to a web archive. A record
    /// read before (in a gzip member that was cut short last time) replaces
    /// its old article, so an id is never indexed twice.
    fn append(&mut self, key: u64, racy: bool, docs: Vec<TantivyDocument>) -> Result<()> {
        if racy {
            self.unverified.insert(key);
        }
        if let Some(old) = self.table.get(key) {
            self.summary.unchanged += old.articles;
        }
        self.summary.indexed += docs.len();
        self.since_commit += docs.len();
        for doc in docs {
            if let Some(id) = doc.get_first(self.store.fields.id).and_then(|v| v.as_str()) {
                self.writer
                    .delete_term(Term::from_field_text(self.store.fields.id, id));
            }
            self.writer.add_document(doc)?;
        }
        Ok(())
    }

    /// Whether a commit is due: `interval` has passed since the last one,
    /// or enough articles were added.
    pub fn commit_due(&self, interval: Duration) -> bool {
        self.last_commit.elapsed() >= interval || self.since_commit >= COMMIT_EVERY_DOCS
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

    /// The writer, for the merges to finish, and the summary.
    pub fn finish(self) -> (IndexWriter, IndexSummary) {
        (self.writer, self.summary)
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
