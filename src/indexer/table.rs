//! The file table: what the index knows of each file it holds (stamp,
//! content hash, article count), read back from the index's own fast
//! fields, and the files a run finds gone or moved.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use tantivy::TantivyDocument;

use crate::corpus::Stamp;
use crate::error::{Error, Result};
use crate::store::Store;

/// Per-file bookkeeping read back from the index.
#[derive(Debug, Clone, Copy)]
pub(super) struct FileRecord {
    pub stamp: Stamp,
    pub hash: u64,
    pub articles: usize,
    /// For a web archive, the offset its last read reached.
    pub read_to: u64,
}

impl FileRecord {
    /// Counts one more article of the file. The articles of a web archive
    /// read on from a checkpoint carry the stamp of their own read: the
    /// largest is the latest (the file only grew), whatever order the
    /// segments are read in.
    fn count(&mut self, article: FileRecord) {
        if article.stamp.size > self.stamp.size {
            *self = FileRecord {
                articles: self.articles,
                ..article
            };
        }
        self.articles += 1;
    }
}

/// Every file of the index by path hash.
#[derive(Debug, Default)]
pub(super) struct FileTable {
    files: HashMap<u64, FileRecord>,
}

/// What the walk saw, for the end-of-run deletions.
#[derive(Debug)]
pub(super) struct Seen {
    /// The roots walked.
    pub roots: Vec<PathBuf>,
    /// Path hashes of the index's files that the walk found (files new to
    /// the index are left out: only the index's own can be gone).
    pub files: HashSet<u64>,
    /// Folders the walk could not read: what was under them is not gone.
    pub blind_spots: Vec<String>,
    /// Articles of the files skipped because their stamp did not change.
    pub unchanged: usize,
}

/// A file of the index the walk did not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct GoneFile {
    /// Its path hash.
    pub key: u64,
    /// Its articles.
    pub articles: usize,
    /// Whether its content reappeared under a new path.
    pub moved: bool,
}

impl FileTable {
    /// Reads the per-file bookkeeping of every live article.
    pub fn load(store: &Store) -> Result<FileTable> {
        let reader = store.reader()?;
        let searcher = reader.searcher();
        let schema = store.index.schema();
        let name = |f| schema.get_field_name(f).to_string();
        let mut files: HashMap<u64, FileRecord> = HashMap::new();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let keys = ff.u64(&name(store.fields.path_hash))?;
            let sizes = ff.u64(&name(store.fields.size))?;
            let mtimes = ff.i64(&name(store.fields.mtime))?;
            let hashes = ff.u64(&name(store.fields.file_hash))?;
            let read_to = ff.u64(&name(store.fields.read_to))?;
            for doc in segment.doc_ids_alive() {
                let Some(key) = keys.first(doc) else { continue };
                let seen = FileRecord {
                    stamp: Stamp {
                        size: sizes.first(doc).unwrap_or(0),
                        mtime: mtimes.first(doc).unwrap_or(0),
                    },
                    hash: hashes.first(doc).unwrap_or(0),
                    articles: 0,
                    read_to: read_to.first(doc).unwrap_or(0),
                };
                match files.entry(key) {
                    Entry::Occupied(mut record) => record.get_mut().count(seen),
                    Entry::Vacant(slot) => {
                        slot.insert(FileRecord {
                            articles: 1,
                            ..seen
                        });
                    }
                }
            }
        }
        Ok(FileTable { files })
    }

    /// The record of the file with this path hash.
    pub fn get(&self, key: u64) -> Option<FileRecord> {
        self.files.get(&key).copied()
    }

    /// Whether the index holds the file with this path hash.
    pub fn contains(&self, key: u64) -> bool {
        self.files.contains_key(&key)
    }

    /// Whether the index holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Records what a pass changed: a file's new record, or its removal.
    pub fn apply(&mut self, changes: &[(u64, Option<FileRecord>)]) {
        for (key, record) in changes {
            match record {
                Some(record) => self.files.insert(*key, *record),
                None => self.files.remove(key),
            };
        }
    }

    /// The files with these path hashes, known to be gone from disk; one
    /// whose content reappeared under a new path (`new_files`: content hash
    /// and article count of each file new to the index) is moved.
    pub fn vanished(&self, keys: &[u64], new_files: &[(u64, usize)]) -> Vec<GoneFile> {
        let mut new_by_hash = new_by_hash(new_files);
        let mut seen = HashSet::new();
        let mut gone = Vec::new();
        for &key in keys {
            let Some(record) = self.get(key).filter(|_| seen.insert(key)) else {
                continue;
            };
            let moved = take_moved(&mut new_by_hash, &record);
            gone.push(GoneFile {
                key,
                articles: record.articles,
                moved,
            });
        }
        gone
    }

    /// The files of the walked roots that the walk did not find: files under
    /// them, and files found under them before through a link (wherever the
    /// link led), except where a folder could not be read. A file whose content reappeared
    /// under a new path (`new_files`: content hash and article count of each
    /// file new to the index) is moved rather than gone.
    pub fn gone(
        &self,
        store: &Store,
        seen: &Seen,
        new_files: &[(u64, usize)],
    ) -> Result<Vec<GoneFile>> {
        let unseen: HashSet<u64> = self
            .files
            .keys()
            .filter(|k| !seen.files.contains(k))
            .copied()
            .collect();
        if unseen.is_empty() {
            return Ok(Vec::new());
        }
        let paths = paths_of(store, &unseen)?;
        let mut new_by_hash = new_by_hash(new_files);
        let mut gone = Vec::new();
        let walked = |p: &Path| seen.roots.iter().any(|r| p.starts_with(r));
        for (key, Origin { path, root }) in paths {
            let path = Path::new(&path);
            let root = root.as_deref().map(Path::new);
            let blind = seen.blind_spots.iter().any(|b| {
                let b = Path::new(b);
                // A file reached through a link may have been reached from
                // inside the unreadable folder.
                path.starts_with(b)
                    || root.is_some_and(|r| b.starts_with(r) && !path.starts_with(r))
            });
            if !(walked(path) || root.is_some_and(walked)) || blind {
                continue;
            }
            let Some(record) = self.get(key) else {
                continue;
            };
            let moved = take_moved(&mut new_by_hash, &record);
            gone.push(GoneFile {
                key,
                articles: record.articles,
                moved,
            });
        }
        Ok(gone)
    }
}

/// Articles of new files by content hash.
fn new_by_hash(new_files: &[(u64, usize)]) -> HashMap<u64, usize> {
    let mut by_hash: HashMap<u64, usize> = HashMap::new();
    for (hash, n) in new_files {
        *by_hash.entry(*hash).or_default() += n;
    }
    by_hash
}

/// Whether a gone file's content is among the new files' (each new file
/// accounts for one gone file at most).
fn take_moved(new_by_hash: &mut HashMap<u64, usize>, record: &FileRecord) -> bool {
    match new_by_hash.get_mut(&record.hash) {
        Some(n) if *n >= record.articles => {
            *n -= record.articles;
            true
        }
        _ => false,
    }
}

/// Where a file of the index is, and the root it was found under.
struct Origin {
    path: String,
    root: Option<String>,
}

/// The stored paths and roots of the files with the given path hashes.
fn paths_of(store: &Store, keys: &HashSet<u64>) -> Result<HashMap<u64, Origin>> {
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
            let text = |field| {
                stored
                    .get_first(field)
                    .and_then(|v| tantivy::schema::Value::as_str(&v).map(str::to_string))
            };
            if let Some(path) = text(store.fields.path) {
                let root = text(store.fields.root);
                out.insert(key, Origin { path, root });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(size: u64, read_to: u64) -> FileRecord {
        FileRecord {
            stamp: Stamp { size, mtime: 7 },
            hash: size * 3,
            articles: 0,
            read_to,
        }
    }

    #[test]
    fn each_new_file_is_the_move_of_one_gone_file_at_most() {
        let gone = FileRecord {
            articles: 1,
            ..read(100, 0)
        };
        let mut new = new_by_hash(&[(gone.hash, 1)]);
        assert!(take_moved(&mut new, &gone));
        // Its twin, gone too, was deleted: the new file is taken.
        assert!(!take_moved(&mut new, &gone));
        // Two new copies account for both.
        let mut new = new_by_hash(&[(gone.hash, 1), (gone.hash, 1)]);
        assert!(take_moved(&mut new, &gone) && take_moved(&mut new, &gone));
        // A file of three articles did not move into one of two.
        let three = FileRecord {
            articles: 3,
            ..gone
        };
        assert!(!take_moved(&mut new_by_hash(&[(gone.hash, 2)]), &three));
        assert!(!take_moved(&mut new_by_hash(&[(5, 3)]), &three));
    }

    #[test]
    fn a_grown_archive_keeps_its_latest_read_in_any_order() {
        let reads = [read(100, 90), read(100, 90), read(250, 240), read(400, 400)];
        for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]] {
            let mut record = FileRecord {
                articles: 1,
                ..reads[order[0]]
            };
            for &i in &order[1..] {
                record.count(reads[i]);
            }
            assert_eq!(record.stamp.size, 400, "{order:?}");
            assert_eq!(record.read_to, 400, "{order:?}");
            assert_eq!(record.hash, 1200, "{order:?}");
            assert_eq!(record.articles, 4, "{order:?}");
        }
    }
}
