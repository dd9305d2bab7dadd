//! The pipeline of a run:
//!
//! ```text
//! walk (one thread; stat only, unchanged files skipped without a read)
//!   -> bounded job channel
//!   -> workers (all cores): read, decode, parse, extract, build documents
//!   -> bounded result channel
//!   -> the calling thread, which applies each outcome to the writer
//! ```

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crossbeam_channel::{Sender, bounded};
use tantivy::TantivyDocument;
use xxhash_rust::xxh3::xxh3_64;

use super::table::{FileRecord, FileTable, Seen};
use crate::article;
use crate::corpus::{self, Candidate, Found, Skip, SkipReason, WalkOptions};
use crate::document::to_document;
use crate::entity::Extractor;
use crate::error::{Error, Result};
use crate::format;
use crate::schema::{Fields, path_hash};

/// What a worker made of one file.
pub(super) enum Outcome {
    /// The file's articles, ready to replace its old ones; `racy` when its
    /// stamp is too recent to be trusted next time.
    Articles {
        path: String,
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

/// What the pipeline reads and how.
pub(super) struct Pipeline<'a> {
    /// Roots to walk.
    pub roots: &'a [PathBuf],
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
    /// thread with each outcome and the count of files queued so far; an
    /// error from `apply` ends the run. Returns what the walk saw.
    pub fn run(&self, mut apply: impl FnMut(Outcome, usize) -> Result<()>) -> Result<Seen> {
        let (job_tx, job_rx) = bounded::<(Candidate, Option<FileRecord>)>(self.threads * 64);
        let (out_tx, out_rx) = bounded::<Outcome>(self.threads * 2);
        let queued = AtomicUsize::new(0);
        std::thread::scope(|scope| -> Result<Seen> {
            let walker_out = out_tx.clone();
            let queued = &queued;
            let walker = scope.spawn(move || self.walk_files(&job_tx, &walker_out, queued));
            for _ in 0..self.threads {
                let jobs = job_rx.clone();
                let out = out_tx.clone();
                scope.spawn(move || {
                    for (candidate, previous) in jobs {
                        if out.send(self.process(&candidate, previous)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(out_tx);
            drop(job_rx);
            for outcome in out_rx.iter() {
                apply(outcome, queued.load(Ordering::Relaxed))?;
            }
            walker
                .join()
                .map_err(|_| Error::Server("the walk thread panicked".into()))
        })
    }

    fn walk_files(
        &self,
        jobs: &Sender<(Candidate, Option<FileRecord>)>,
        out: &Sender<Outcome>,
        queued: &AtomicUsize,
    ) -> Seen {
        let mut seen = Seen {
            roots: self.roots.to_vec(),
            files: HashSet::new(),
            blind_spots: Vec::new(),
            unchanged: 0,
        };
        corpus::walk(self.roots, self.walk, |found| match found {
            Found::File(candidate) => {
                let key = path_hash(&candidate.path);
                seen.files.insert(key);
                let previous = self.table.get(key);
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
                seen.files.insert(path_hash(&skip.path));
                let _ = out.send(Outcome::Skipped {
                    skip,
                    queued: false,
                });
            }
            Found::BlindSpot(skip) => {
                seen.blind_spots.push(skip.path.clone());
                let _ = out.send(Outcome::Skipped {
                    skip,
                    queued: false,
                });
            }
        });
        seen
    }

    /// Reads, decodes, parses and extracts one file into documents.
    fn process(&self, candidate: &Candidate, previous: Option<FileRecord>) -> Outcome {
        match candidate.format {
            format::Format::Warc => return self.process_warc(candidate, previous),
            format::Format::Mhtml => return self.process_mhtml(candidate, previous),
            _ => {}
        }
        let max_size = self.walk.max_file_size;
        let bytes = match corpus::read(candidate, max_size) {
            Ok(bytes) => bytes,
            Err(skip) => return Outcome::Skipped { skip, queued: true },
        };
        let hash = xxh3_64(&bytes);
        // A stamp this close to now may not change on a same-size edit
        // within the same clock tick: the next run hashes the file again.
        let racy = candidate.stamp.mtime >= self.racy_after;
        if let Some(previous) = previous
            && previous.stamp == candidate.stamp
            && previous.hash == hash
        {
            return Outcome::Verified {
                key: path_hash(&candidate.path),
                articles: previous.articles,
                racy,
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
                    let article =
                        article::extract(raw, &candidate.path, candidate.format, self.extractor);
                    docs.push(to_document(&article, candidate.stamp, hash, self.fields));
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
            racy,
            docs,
            bad_records,
            encoding: decoded.encoding,
            counted: BTreeMap::new(),
            append: false,
        }
    }
}
