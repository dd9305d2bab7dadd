//! Web archives in the pipeline: a WARC file is streamed record by record
//! (never read whole, so the largest-file cap holds each page rather than
//! the crawl), and a file that grew since the last run with the same bytes
//! before its last checkpoint is read on from there; an MHTML file is one
//! page.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use tantivy::TantivyDocument;
use xxhash_rust::xxh3::xxh3_64;

use super::pipeline::{Outcome, Pipeline};
use super::table::FileRecord;
use crate::archive::{self, warc};
use crate::article;
use crate::corpus::{self, Candidate, Skip, SkipReason};
use crate::document::to_document_under;
use crate::format::Format;
use crate::schema::path_hash;

/// Room for a response's HTTP head on top of the page size cap, so that a
/// page just under the cap is not cut.
const HEAD_ROOM: u64 = 64 * 1024;

/// Buffer of the WARC file reader.
const READ_BUFFER: usize = 256 * 1024;

impl Pipeline<'_> {
    /// Reads the pages of a WARC file, or of its part past the last run's
    /// checkpoint when only records were appended since.
    pub(super) fn process_warc(
        &self,
        candidate: &Candidate,
        previous: Option<FileRecord>,
    ) -> Outcome {
        let path = Path::new(&candidate.path);
        let open = || -> Result<_, Skip> {
            let file = File::open(path).map_err(|e| corpus::io_skip(path, &e))?;
            // Only the bytes the walk saw: records a crawler appends while
            // this run reads are left to the next run.
            let file = file.take(candidate.stamp.size);
            Ok(warc::Hashed::new(BufReader::with_capacity(
                READ_BUFFER,
                file,
            )))
        };
        let mut input = match open() {
            Ok(input) => input,
            Err(skip) => return Outcome::Skipped { skip, queued: true },
        };
        let racy = candidate.stamp.mtime >= self.racy_after;
        let mut start = warc::Checkpoint::default();
        if let Some(previous) = previous.filter(|p| p.read_to > 0) {
            let same = previous.read_to <= candidate.stamp.size
                && input.skip(previous.read_to).ok() == Some(previous.read_to)
                && input.checkpoint().hash == previous.hash;
            if same && previous.stamp == candidate.stamp {
                return Outcome::Verified {
                    path: candidate.path.clone(),
                    key: path_hash(&candidate.path),
                    articles: previous.articles,
                    racy,
                };
            }
            if same {
                start = input.checkpoint();
            } else {
                input = match open() {
                    Ok(input) => input,
                    Err(skip) => return Outcome::Skipped { skip, queued: true },
                };
            }
        }
        let max_size = self.walk.max_file_size;
        let limits = warc::ReadLimits {
            block: usize::try_from(max_size.saturating_add(HEAD_ROOM)).unwrap_or(usize::MAX),
            gzip: self.walk.decompression,
        };
        let mut articles = Vec::new();
        let mut bad_records = Vec::new();
        let mut counted: BTreeMap<SkipReason, usize> = BTreeMap::new();
        let skip = |reason, detail: String| Skip {
            path: candidate.path.clone(),
            reason,
            detail: Some(detail),
        };
        let end = warc::read(&mut input, limits, start, &mut |item| match item {
            warc::Item::Record(record) => {
                let id = if record.header.id.is_empty() {
                    format!("offset-{}", record.offset)
                } else {
                    record.header.id.clone()
                };
                match archive::record_page(&record, limits.gzip, max_size) {
                    Ok(page)
                        if page.raw.headline.trim().is_empty()
                            && page.raw.body.trim().is_empty() =>
                    {
                        bad_records.push(skip(SkipReason::Empty, format!("record {id}: no text")));
                    }
                    Ok(page) => {
                        let article = article::extract_archived(
                            page,
                            &candidate.path,
                            Some(&id),
                            Format::Warc,
                            self.extractor,
                        );
                        articles.push(article);
                    }
                    Err((reason, _)) if !reason.is_problem() => {
                        *counted.entry(reason).or_default() += 1;
                    }
                    Err((reason, detail)) => {
                        bad_records.push(skip(reason, format!("record {id}: {detail}")));
                    }
                }
            }
            warc::Item::Bad(reason) => bad_records.push(skip(SkipReason::BadRecord, reason)),
        });
        // The checkpoint is known once the file is read: every page of this
        // read carries it, and the newest read's pages speak for the file.
        let docs: Vec<TantivyDocument> = articles
            .iter()
            .map(|article| {
                let mut doc = to_document_under(
                    &candidate.root,
                    article,
                    candidate.stamp,
                    end.hash,
                    self.fields,
                );
                doc.add_u64(self.fields.read_to, end.offset);
                doc
            })
            .collect();
        Outcome::Articles {
            path: candidate.path.clone(),
            stamp: candidate.stamp,
            hash: end.hash,
            racy,
            docs,
            bad_records,
            encoding: None,
            counted,
            append: start.offset > 0,
            read_to: end.offset,
        }
    }

    /// Reads the page of an MHTML file.
    pub(super) fn process_mhtml(
        &self,
        candidate: &Candidate,
        previous: Option<FileRecord>,
    ) -> Outcome {
        let path = Path::new(&candidate.path);
        let bytes = match corpus::read(candidate, self.walk.max_file_size) {
            Ok(bytes) => bytes,
            Err(skip) => return Outcome::Skipped { skip, queued: true },
        };
        let hash = xxh3_64(&bytes);
        let racy = candidate.stamp.mtime >= self.racy_after;
        if let Some(previous) = previous
            && previous.stamp == candidate.stamp
            && previous.hash == hash
        {
            return Outcome::Verified {
                path: candidate.path.clone(),
                key: path_hash(&candidate.path),
                articles: previous.articles,
                racy,
            };
        }
        let bytes = match candidate.gzip {
            Some(limits) => match crate::compression::gunzip(&bytes, limits) {
                Ok(bytes) => bytes,
                Err(e) => {
                    return Outcome::Skipped {
                        skip: corpus::decompression_skip(path, &e),
                        queued: true,
                    };
                }
            },
            None => bytes,
        };
        let skipped = |reason, detail| Outcome::Skipped {
            skip: Skip {
                path: candidate.path.clone(),
                reason,
                detail: Some(detail),
            },
            queued: true,
        };
        let page = match archive::mhtml_page(&bytes) {
            Ok(page) => page,
            Err((reason, detail)) => return skipped(reason, detail),
        };
        if page.raw.headline.trim().is_empty() && page.raw.body.trim().is_empty() {
            return skipped(SkipReason::Empty, "no text".into());
        }
        let article =
            article::extract_archived(page, &candidate.path, None, Format::Mhtml, self.extractor);
        Outcome::Articles {
            path: candidate.path.clone(),
            stamp: candidate.stamp,
            hash,
            racy,
            docs: vec![to_document_under(
                &candidate.root,
                &article,
                candidate.stamp,
                hash,
                self.fields,
            )],
            bad_records: Vec::new(),
            encoding: None,
            counted: BTreeMap::new(),
            append: false,
            read_to: 0,
        }
    }
}
