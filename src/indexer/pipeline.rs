//! The pipeline of a run:
//!
//! ```text
//! walk (one thread; stat only, unchanged files skipped without a read)
//!   -> bounded job channel
//!   -> workers (all cores): read, decode, parse, extract, build documents
//!   -> result channel, bounded in messages
//!   -> the calling thread, which applies each outcome to the writer
//!   -> the writer's own queue (up to 10,000 documents) and its threads
//! ```
//!
//! Documents are bounded in bytes from the worker that builds them until
//! the writer's thread has indexed them: each outcome holds a [`Share`] of
//! the budget that every one of its [`Pending`] documents keeps, and that
//! goes back when the last of them is dropped. The writer's queue is
//! counted in documents only; ten thousand long articles waiting there
//! were the largest part of the heap at a million articles.
//!
//! A file of many records (JSON, JSON Lines) goes to the writer in parts of
//! at most [`PART_DOCS`] documents or [`PART_BYTES`] bytes, each parsed and
//! built only when the previous ones have left the worker, so its memory is
//! that of a part, not of the whole file; the writer commits no file half
//! applied.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use crossbeam_channel::{Sender, bounded};
use tantivy::TantivyDocument;
use tantivy::schema::document::Document;
use xxhash_rust::xxh3::xxh3_64;

use super::table::{FileRecord, FileTable, Seen};
use crate::article;
use crate::corpus::{self, Candidate, Found, Skip, SkipReason, Stamp, WalkOptions};
use crate::document::{to_document_under, weight};
use crate::entity::Extractor;
use crate::error::{Error, Result};
use crate::format;
use crate::schema::{Fields, path_hash};

/// Documents in one part of a multi-article file, at most.
pub(super) const PART_DOCS: usize = 1_000;

/// Estimated bytes of the documents in one part, at most.
pub(super) const PART_BYTES: usize = 4 << 20;

/// Estimated bytes of documents built and not yet indexed, at most (a
/// single larger document still passes, alone).
const IN_FLIGHT_BYTES: usize = 32 << 20;

/// What a worker made of one file.
pub(super) enum Outcome {
    /// Some articles of a multi-article file, ahead of the rest: the file's
    /// old articles are replaced by these and the parts that follow, ended
    /// by its `Articles`.
    Part {
        path: String,
        docs: Vec<TantivyDocument>,
        bad_records: Vec<Skip>,
    },
    /// The file's articles (its last ones, after any `Part`), ready to
    /// replace its old ones; `racy` when its stamp is too recent to be
    /// trusted next time.
    Articles {
        path: String,
        stamp: Stamp,
        hash: u64,
        racy: bool,
        docs: Vec<TantivyDocument>,
        bad_records: Vec<Skip>,
        encoding: Option<&'static str>,
        /// Records of a web archive that hold no article, by reason.
        counted: BTreeMap<SkipReason, usize>,
        /// Whether `docs` add to the file's articles (a web archive read on
        /// from its checkpoint) rather than replace them.
        append: bool,
        /// For a web archive, the offset its read reached; 0 for other
        /// files.
        read_to: u64,
    },
    /// An unverified file read again: same stamp, same content; still
    /// `racy` when its stamp is too recent for this run too.
    Verified {
        path: String,
        key: u64,
        articles: usize,
        racy: bool,
    },
    /// The file could not be indexed; `queued` when it had been queued for
    /// reading (the walk reports some files it never queues).
    Skipped { skip: Skip, queued: bool },
}

/// What the pipeline reads and how.
pub(super) struct Pipeline<'a> {
    /// Roots to walk.
    pub roots: &'a [PathBuf],
    /// Every root of the index: links are followed only into these.
    pub bounds: &'a [PathBuf],
    /// For each of `roots` in order, the index root its articles record
    /// when it is not one itself (a path a watch saw change lies under an
    /// index root, or was reached from one through a link); empty when
    /// every root walked is an index root.
    pub origins: &'a [PathBuf],
    /// What the walk accepts.
    pub walk: &'a WalkOptions,
    /// Worker threads.
    pub threads: usize,
    /// The files the index holds.
    pub table: &'a FileTable,
    /// Files whose stored stamp is not trusted: read again whatever it says.
    pub unverified: &'a HashSet<u64>,
    /// Stamps at or after this time (nanoseconds) are too recent to trust.
    pub racy_after: i64,
    /// The entity extractor, unless entities are off.
    pub extractor: Option<&'a Extractor>,
    /// The index fields documents are built for.
    pub fields: &'a Fields,
}

impl Pipeline<'_> {
    /// Walks, reads and extracts on all cores, calling `apply` on this
    /// thread with each outcome, its share of the in-flight budget (for
    /// its documents to keep until they are indexed) and the count of files
    /// queued so far; an error from `apply` ends the run. Returns what the
    /// walk saw.
    pub fn run(
        &self,
        mut apply: impl FnMut(Outcome, Arc<Share>, usize) -> Result<()>,
    ) -> Result<Seen> {
        let (job_tx, job_rx) = bounded::<(Candidate, Option<FileRecord>)>(self.threads * 64);
        let (out_tx, out_rx) = bounded::<(Outcome, usize)>(self.threads * 2);
        let queued = AtomicUsize::new(0);
        let budget = Arc::new(Budget::new(IN_FLIGHT_BYTES));
        std::thread::scope(|scope| -> Result<Seen> {
            // Owned here, so that an early return drops it before the scope
            // joins the threads, and their sends fail instead of blocking.
            let out_rx = out_rx;
            let _closed = Closing(&budget);
            let walker_out = out_tx.clone();
            let queued = &queued;
            let budget = &budget;
            let walker = scope.spawn(move || self.walk_files(&job_tx, &walker_out, queued));
            for _ in 0..self.threads {
                let jobs = job_rx.clone();
                let out = out_tx.clone();
                scope.spawn(move || {
                    let mut send = |outcome: Outcome| {
                        let bytes = outcome.weight();
                        budget.take(bytes) && out.send((outcome, bytes)).is_ok()
                    };
                    for (candidate, previous) in jobs {
                        let last = self.process(&candidate, previous, &mut send);
                        if !last.is_some_and(&mut send) {
                            break;
                        }
                    }
                });
            }
            drop(out_tx);
            drop(job_rx);
            for (outcome, bytes) in out_rx.iter() {
                let share = Arc::new(Share {
                    budget: Arc::clone(budget),
                    bytes,
                });
                apply(outcome, share, queued.load(Ordering::Relaxed))?;
            }
            walker
                .join()
                .map_err(|_| Error::Server("the walk thread panicked".into()))
        })
    }

    fn walk_files(
        &self,
        jobs: &Sender<(Candidate, Option<FileRecord>)>,
        out: &Sender<(Outcome, usize)>,
        queued: &AtomicUsize,
    ) -> Seen {
        let mut seen = Seen {
            roots: self.roots.to_vec(),
            files: HashSet::new(),
            blind_spots: Vec::new(),
            unchanged: 0,
        };
        let origin: HashMap<String, String> = self
            .roots
            .iter()
            .zip(self.origins)
            .map(|(r, o)| {
                (
                    r.to_string_lossy().into_owned(),
                    o.to_string_lossy().into_owned(),
                )
            })
            .collect();
        corpus::walk(self.roots, self.bounds, self.walk, |found| match found {
            Found::File(mut candidate) => {
                if let Some(root) = origin.get(&candidate.root) {
                    candidate.root.clone_from(root);
                }
                let key = path_hash(&candidate.path);
                let previous = self.table.get(key);
                if previous.is_some() {
                    seen.files.insert(key);
                }
                if previous.is_some_and(|p| p.stamp == candidate.stamp)
                    && !self.unverified.contains(&key)
                {
                    seen.unchanged += previous.map_or(0, |p| p.articles);
                    return;
                }
                queued.fetch_add(1, Ordering::Relaxed);
                let _ = jobs.send((candidate, previous));
            }
            Found::Skipped(skip) => {
                let key = path_hash(&skip.path);
                if self.table.contains(key) {
                    seen.files.insert(key);
                }
                let _ = out.send((
                    Outcome::Skipped {
                        skip,
                        queued: false,
                    },
                    0,
                ));
            }
            Found::BlindSpot(skip) => {
                seen.blind_spots.push(skip.path.clone());
                let _ = out.send((
                    Outcome::Skipped {
                        skip,
                        queued: false,
                    },
                    0,
                ));
            }
        });
        seen
    }

    /// Reads, decodes, parses and extracts one file into documents. The
    /// documents of a multi-article file go to `send` in parts as they are
    /// built; the outcome returned ends the file. `None` when `send` failed
    /// (the run is over).
    fn process(
        &self,
        candidate: &Candidate,
        previous: Option<FileRecord>,
        send: &mut dyn FnMut(Outcome) -> bool,
    ) -> Option<Outcome> {
        match candidate.format {
            format::Format::Warc => return Some(self.process_warc(candidate, previous)),
            format::Format::Mhtml => return Some(self.process_mhtml(candidate, previous)),
            _ => {}
        }
        let max_size = self.walk.max_file_size;
        let bytes = match corpus::read(candidate, max_size) {
            Ok(bytes) => bytes,
            Err(skip) => return Some(Outcome::Skipped { skip, queued: true }),
        };
        let hash = xxh3_64(&bytes);
        // A stamp this close to now may not change on a same-size edit
        // within the same clock tick: the next run hashes the file again.
        let racy = candidate.stamp.mtime >= self.racy_after;
        if let Some(previous) = previous
            && previous.stamp == candidate.stamp
            && previous.hash == hash
        {
            return Some(Outcome::Verified {
                path: candidate.path.clone(),
                key: path_hash(&candidate.path),
                articles: previous.articles,
                racy,
            });
        }
        let decoded = match corpus::decode(&candidate.path, bytes, candidate.gzip) {
            Ok(decoded) => decoded,
            Err(skip) => return Some(Outcome::Skipped { skip, queued: true }),
        };
        let bad_file = |reason: String| Outcome::Skipped {
            skip: Skip {
                path: candidate.path.clone(),
                reason: SkipReason::BadRecord,
                detail: Some(reason),
            },
            queued: true,
        };
        let mut part = Part::default();
        let mut checked = false;
        let mut sent_any = false;
        let mut gone = false;
        let mut failed: Option<Outcome> = None;
        // A reader's bug on one file (a panic) costs that file's remaining
        // records, reported as a bad record, not the run.
        let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            format::each_record(candidate.format, &decoded.text, &mut |record| {
                part.add(record, candidate, hash, self);
                if !part.is_full() {
                    return ControlFlow::Continue(());
                }
                // Nothing leaves before the whole file is known to parse, so a
                // file failing late (a truncated array) keeps its old articles.
                if !checked {
                    checked = true;
                    if let Err(reason) = format::check(candidate.format, &decoded.text) {
                        failed = Some(bad_file(reason));
                        return ControlFlow::Break(());
                    }
                }
                sent_any = true;
                if send(part.take(&candidate.path)) {
                    ControlFlow::Continue(())
                } else {
                    gone = true;
                    ControlFlow::Break(())
                }
            })
        }))
        .unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            part.bad(
                candidate,
                SkipReason::BadRecord,
                format!("internal error while reading: {what}"),
            );
            Ok(())
        });
        if gone {
            return None;
        }
        if let Some(outcome) = failed {
            return Some(outcome);
        }
        if let Err(reason) = parsed {
            // Only reached with nothing sent: a failing file is checked
            // before its first part leaves.
            return Some(bad_file(reason));
        }
        let Part {
            mut docs,
            mut bad_records,
            ..
        } = part;
        if docs.is_empty()
            && !sent_any
            && !candidate.format.is_multi()
            && let Some(skip) = bad_records.pop()
        {
            return Some(Outcome::Skipped { skip, queued: true });
        }
        docs.shrink_to_fit();
        Some(Outcome::Articles {
            path: candidate.path.clone(),
            stamp: candidate.stamp,
            hash,
            racy,
            docs,
            bad_records,
            encoding: decoded.encoding,
            counted: BTreeMap::new(),
            append: false,
            read_to: 0,
        })
    }
}

/// The documents of a file being built, up to a part's worth.
#[derive(Default)]
struct Part {
    docs: Vec<TantivyDocument>,
    bad_records: Vec<Skip>,
    bytes: usize,
}

impl Part {
    fn add(&mut self, record: format::Record, candidate: &Candidate, hash: u64, p: &Pipeline) {
        match record {
            Ok(raw) if raw.headline.trim().is_empty() && raw.body.trim().is_empty() => {
                self.bad(candidate, SkipReason::Empty, "no text".into());
            }
            Ok(raw) => {
                // The tests' stand-in for a reader's bug.
                #[cfg(test)]
                if raw.body.contains(tests::PANIC_MARK) {
                    panic!("a planted bug");
                }
                let article = article::extract(raw, &candidate.path, candidate.format, p.extractor);
                let doc =
                    to_document_under(&candidate.root, &article, candidate.stamp, hash, p.fields);
                self.bytes += weight(&doc);
                self.docs.push(doc);
            }
            Err(reason) => self.bad(candidate, SkipReason::BadRecord, reason),
        }
    }

    fn bad(&mut self, candidate: &Candidate, reason: SkipReason, detail: String) {
        self.bytes += candidate.path.len() + detail.len() + std::mem::size_of::<Skip>();
        self.bad_records.push(Skip {
            path: candidate.path.clone(),
            reason,
            detail: Some(detail),
        });
    }

    fn is_full(&self) -> bool {
        self.docs.len() + self.bad_records.len() >= PART_DOCS || self.bytes >= PART_BYTES
    }

    /// The part so far, as an outcome; the next one starts empty.
    fn take(&mut self, path: &str) -> Outcome {
        self.bytes = 0;
        Outcome::Part {
            path: path.to_string(),
            docs: std::mem::take(&mut self.docs),
            bad_records: std::mem::take(&mut self.bad_records),
        }
    }
}

impl Outcome {
    /// Estimated bytes the outcome holds, as the in-flight budget counts.
    fn weight(&self) -> usize {
        match self {
            Outcome::Part { docs, .. } | Outcome::Articles { docs, .. } => {
                docs.iter().map(weight).sum()
            }
            _ => 0,
        }
    }
}

/// Bytes of documents between the workers and the index: a worker takes
/// its outcome's weight before sending and waits while the budget is spent;
/// the outcome's [`Share`] gives it back once its documents are indexed.
struct Budget {
    state: Mutex<(usize, bool)>,
    freed: Condvar,
    capacity: usize,
}

impl Budget {
    fn new(capacity: usize) -> Budget {
        Budget {
            state: Mutex::new((0, false)),
            freed: Condvar::new(),
            capacity,
        }
    }

    fn lock(&self) -> MutexGuard<'_, (usize, bool)> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes `bytes`, waiting until they fit (or nothing else is in
    /// flight); false once the run is over.
    fn take(&self, bytes: usize) -> bool {
        let mut state = self.lock();
        while !state.1 && state.0 > 0 && state.0 + bytes > self.capacity {
            state = self.freed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        if state.1 {
            return false;
        }
        state.0 += bytes;
        true
    }

    fn give_back(&self, bytes: usize) {
        let mut state = self.lock();
        state.0 = state.0.saturating_sub(bytes);
        self.freed.notify_all();
    }

    fn close(&self) {
        self.lock().1 = true;
        self.freed.notify_all();
    }
}

/// Closes the budget when the writer's side ends, however it ends, so no
/// worker waits on it forever.
struct Closing<'a>(&'a Budget);

impl Drop for Closing<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// An outcome's bytes of the in-flight budget, given back when the last of
/// its documents is dropped: indexed by the writer, or dropped unindexed
/// when the run ends early.
pub(super) struct Share {
    budget: Arc<Budget>,
    bytes: usize,
}

impl Drop for Share {
    fn drop(&mut self) {
        self.budget.give_back(self.bytes);
    }
}

/// A document on its way to the index, keeping its outcome's share of the
/// budget until the writer's thread has indexed it.
pub(crate) struct Pending {
    doc: TantivyDocument,
    _share: Arc<Share>,
}

impl Pending {
    pub(super) fn new(doc: TantivyDocument, share: &Arc<Share>) -> Pending {
        Pending {
            doc,
            _share: Arc::clone(share),
        }
    }
}

impl std::ops::Deref for Pending {
    type Target = TantivyDocument;

    fn deref(&self) -> &TantivyDocument {
        &self.doc
    }
}

impl Document for Pending {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }

    fn into_tantivy_document(self) -> TantivyDocument {
        self.doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::time::Duration;

    pub(super) const PANIC_MARK: &str = "\u{1}panic\u{1}";

    #[test]
    fn a_panic_reading_one_file_costs_that_file_only() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        std::fs::write(corpus.join("a.txt"), "Port closes\n\nThe port closed.\n").unwrap();
        std::fs::write(corpus.join("b.txt"), format!("Bad\n\nText {PANIC_MARK}\n")).unwrap();
        // In a file of records, those before the panic are kept.
        let lines = [
            r#"{"title":"Floods","text":"Rain fell."}"#.to_string(),
            format!(
                r#"{{"title":"Bad","text":"{}"}}"#,
                PANIC_MARK.replace('\u{1}', "\\u0001")
            ),
        ];
        std::fs::write(corpus.join("c.jsonl"), lines.join("\n")).unwrap();
        let options = crate::indexer::IndexOptions::new(tmp.path().join("index"), vec![corpus]);
        let mut skipped = Vec::new();
        let summary = crate::indexer::run(&options, &mut |event| {
            if let crate::indexer::Event::Skipped(skip) = event {
                skipped.push((skip.path.clone(), skip.detail.clone().unwrap_or_default()));
            }
        })
        .unwrap();
        assert_eq!(summary.indexed, 2, "{summary:?}");
        assert_eq!(summary.skipped.get("bad-record"), Some(&2), "{summary:?}");
        skipped.sort();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert!(skipped[0].0.ends_with("b.txt"), "{skipped:?}");
        assert!(skipped[1].0.ends_with("c.jsonl"), "{skipped:?}");
        for (_, detail) in &skipped {
            assert_eq!(detail, "internal error while reading: a planted bug");
        }
    }

    #[test]
    fn a_share_comes_back_when_the_last_of_its_documents_is_dropped() {
        let budget = Arc::new(Budget::new(100));
        assert!(budget.take(80));
        let share = Arc::new(Share {
            budget: Arc::clone(&budget),
            bytes: 80,
        });
        let first = Pending::new(TantivyDocument::new(), &share);
        let second = Pending::new(TantivyDocument::new(), &share);
        // Applied: the outcome is gone, its documents wait in the writer.
        drop(share);
        assert_eq!(budget.lock().0, 80);
        drop(first);
        assert_eq!(budget.lock().0, 80);
        drop(second);
        assert_eq!(budget.lock().0, 0);
    }

    #[test]
    fn documents_indexed_by_the_writer_give_their_bytes_back() {
        let tmp = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open_or_create(&tmp.path().join("idx")).unwrap();
        let mut writer = store.writer_of::<Pending>(1, 15_000_000).unwrap();
        let budget = Arc::new(Budget::new(1 << 20));
        assert!(budget.take(1_000));
        let share = Arc::new(Share {
            budget: Arc::clone(&budget),
            bytes: 1_000,
        });
        for id in ["a", "b", "c"] {
            let doc = tantivy::doc!(store.fields.id => id);
            writer.add_document(Pending::new(doc, &share)).unwrap();
        }
        drop(share);
        writer.commit().unwrap();
        assert_eq!(budget.lock().0, 0);
        let reader = store.reader().unwrap();
        reader.reload().unwrap();
        assert_eq!(reader.searcher().num_docs(), 3);
    }

    #[test]
    fn the_budget_holds_senders_until_bytes_come_back() {
        let budget = Budget::new(100);
        assert!(budget.take(60));
        let sent = AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                // 60 + 50 is over the budget: waits for the first 60.
                assert!(budget.take(50));
                sent.store(true, Ordering::SeqCst);
            });
            std::thread::sleep(Duration::from_millis(100));
            assert!(!sent.load(Ordering::SeqCst));
            budget.give_back(60);
        });
        assert!(sent.load(Ordering::SeqCst));
        budget.give_back(50);
        // More than the whole budget still passes, alone.
        assert!(budget.take(500));
        std::thread::scope(|scope| {
            let waiting = scope.spawn(|| budget.take(1));
            std::thread::sleep(Duration::from_millis(50));
            // The writer's side ends: a waiting sender gives up.
            budget.close();
            assert!(!waiting.join().unwrap());
        });
    }
}
