//! What a run tells its caller: progress and problems as they happen
//! ([`Event`]), and the counts at the end ([`IndexSummary`]).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::corpus::{Skip, SkipReason};

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
    /// Adds the counts of another pass to these.
    pub fn absorb(&mut self, other: &IndexSummary) {
        self.indexed += other.indexed;
        self.updated += other.updated;
        self.deleted += other.deleted;
        self.moved += other.moved;
        self.unchanged += other.unchanged;
        for (reason, n) in &other.skipped {
            *self.skipped.entry(reason.clone()).or_default() += n;
        }
    }

    /// Whether the pass changed the index.
    pub fn changed_anything(&self) -> bool {
        self.indexed + self.updated + self.deleted + self.moved > 0
    }

    /// Whether any file was skipped for a problem (not merely for its format).
    pub fn had_problems(&self) -> bool {
        self.skipped.iter().any(|(name, n)| {
            *n > 0
                && name
                    .parse::<SkipReason>()
                    .map_or(true, SkipReason::is_problem)
        })
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
    /// The first pass of a watch is done: changes are applied from now on.
    Watching {
        /// The folders and files watched.
        roots: usize,
    },
    /// A watch applied a batch of changes (its counts; `articles` unset).
    Applied(&'a IndexSummary),
}
