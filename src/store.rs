//! The index on disk: where it lives, opening and creating it (with the
//! analyzers registered every time), the writer lock, and the catalog record
//! committed atomically with the data as the commit payload.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::directory::error::LockError;
use tantivy::indexer::IndexWriterOptions;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

use crate::error::{Error, Result};
use crate::schema::{self, Fields};

/// Decompressed document-store blocks kept per segment (16 KB each): hits
/// of a batch or a server cluster in recent and popular articles, and every
/// avoided block saves a zstd decompression.
const DOC_STORE_CACHE_BLOCKS: usize = 512;

/// Environment variable naming the index folder when `--index` is not given.
pub const INDEX_ENV: &str = "NEWS_INDEX";

/// Resolves the index folder: an explicit path, else `$NEWS_INDEX`, else the
/// per-user data folder (`~/.local/share/news/index` on Linux).
pub fn location(explicit: Option<&Path>) -> PathBuf {
    if let Some(path) = explicit {
        return path.to_path_buf();
    }
    if let Some(path) = std::env::var_os(INDEX_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(path);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("news")
        .join("index")
}

/// What the index records about itself, in each commit's payload.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// Schema version the index was written with.
    pub schema_version: u32,
    /// Folders and files indexed so far (canonical paths), re-scanned by a
    /// `news index` without paths.
    #[serde(default)]
    pub roots: Vec<String>,
    /// When the last indexing run committed (RFC 3339).
    #[serde(default)]
    pub last_update: Option<String>,
    /// Path of the user gazetteer in use, if any.
    #[serde(default)]
    pub entities_file: Option<String>,
    /// Path hashes of files whose stored stamp is not trusted: they were
    /// written within a clock tick of an indexing run, so a same-size edit
    /// may not have changed their stamp. The next run hashes them again.
    #[serde(default)]
    pub unverified: Vec<u64>,
}

/// An open index with its field handles.
#[derive(Clone)]
pub struct Store {
    /// The tantivy index.
    pub index: Index,
    /// Handles to the schema's fields.
    pub fields: Fields,
    /// The index folder.
    pub dir: PathBuf,
}

impl Store {
    /// Opens an existing index; [`Error::MissingIndex`] when there is none.
    pub fn open(dir: &Path) -> Result<Store> {
        if !dir.join("meta.json").is_file() {
            return Err(Error::MissingIndex(dir.to_path_buf()));
        }
        let directory = MmapDirectory::open(dir).map_err(|e| Error::NotAnIndex {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let index = Index::open(directory).map_err(|e| Error::NotAnIndex {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        Store::wrap(index, dir)
    }

    /// Opens the index in `dir`, creating the folder and an empty index first
    /// when there is none.
    pub fn open_or_create(dir: &Path) -> Result<Store> {
        if dir.join("meta.json").is_file() {
            return Store::open(dir);
        }
        if dir.exists() && !dir.is_dir() {
            return Err(Error::NotAnIndex {
                path: dir.to_path_buf(),
                reason: "it is a file".into(),
            });
        }
        if dir.is_dir()
            && std::fs::read_dir(dir)
                .map_err(|e| Error::io(dir, e))?
                .any(|e| e.is_ok_and(|e| !e.file_name().to_string_lossy().starts_with('.')))
        {
            return Err(Error::NotAnIndex {
                path: dir.to_path_buf(),
                reason: "the folder is not empty; choose an empty or new folder".into(),
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        Store::create(dir)
    }

    /// Creates an empty index of the current schema in the folder `dir`.
    fn create(dir: &Path) -> Result<Store> {
        let settings = tantivy::IndexSettings {
            // Stored text is most of an index; zstd halves it against lz4 at
            // a decompression cost only paid for the hits shown.
            docstore_compression: tantivy::store::Compressor::Zstd(
                tantivy::store::ZstdCompressor {
                    compression_level: Some(3),
                },
            ),
            docstore_blocksize: 16_384,
            ..tantivy::IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema::build())
            .settings(settings)
            .create_in_dir(dir)?;
        Store::wrap(index, dir)
    }

    /// Opens the index in `dir` to be rebuilt: as [`Store::open_or_create`]
    /// does, except that an index of an older schema (one this version
    /// cannot open) is replaced by an empty one of the current schema. Its
    /// catalog (roots, gazetteer) is kept, so `news index --rebuild`
    /// re-scans the folders indexed before.
    pub fn open_for_rebuild(dir: &Path) -> Result<Store> {
        let outdated = match Store::open_or_create(dir) {
            Err(Error::NotAnIndex { .. }) if dir.join("meta.json").is_file() => {
                MmapDirectory::open(dir)
                    .ok()
                    .and_then(|d| Index::open(d).ok())
            }
            other => return other,
        };
        let Some(old) = outdated else {
            return Store::open(dir);
        };
        let catalog: Option<Catalog> = old
            .load_metas()?
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok());
        // Holding the old index's writer lock while checking proves no other
        // process is writing it.
        drop(
            old.writer_with_num_threads::<tantivy::TantivyDocument>(1, 15_000_000)
                .map_err(|e| match e {
                    TantivyError::LockFailure(LockError::LockBusy, _) => {
                        Error::Locked(dir.to_path_buf())
                    }
                    other => Error::Tantivy(other),
                })?,
        );
        drop(old);
        for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
            let path = entry.map_err(|e| Error::io(dir, e))?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if is_index_file(name) {
                std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            }
        }
        let store = Store::create(dir)?;
        if let Some(catalog) = catalog {
            let catalog = Catalog {
                schema_version: schema::SCHEMA_VERSION,
                ..catalog
            };
            let mut writer = store.writer(1, 15_000_000)?;
            let mut commit = writer.prepare_commit()?;
            commit.set_payload(&serde_json::to_string(&catalog).unwrap_or_default());
            commit.commit()?;
        }
        Ok(store)
    }

    /// An index in memory, for tests and tools.
    pub fn in_memory() -> Result<Store> {
        Store::wrap(Index::create_in_ram(schema::build()), Path::new(":memory:"))
    }

    fn wrap(index: Index, dir: &Path) -> Result<Store> {
        let fields = Fields::from_schema(&index.schema()).map_err(|reason| Error::NotAnIndex {
            path: dir.to_path_buf(),
            reason: format!("{reason}; re-create it with `news index --rebuild`"),
        })?;
        crate::analyzer::register(index.tokenizers());
        let store = Store {
            index,
            fields,
            dir: dir.to_path_buf(),
        };
        let catalog = store.catalog()?;
        if catalog.schema_version > schema::SCHEMA_VERSION {
            return Err(Error::NotAnIndex {
                path: dir.to_path_buf(),
                reason: format!(
                    "written by a newer version (schema {}, this one reads {})",
                    catalog.schema_version,
                    schema::SCHEMA_VERSION
                ),
            });
        }
        Ok(store)
    }

    /// The catalog of the last commit (defaults for a fresh index).
    pub fn catalog(&self) -> Result<Catalog> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or(Catalog {
                schema_version: schema::SCHEMA_VERSION,
                ..Catalog::default()
            }))
    }

    /// Searches the segments of one query on all cores. A large index keeps
    /// several segments (merges join segments of similar size), and a
    /// query's time is mostly spent scoring each segment's matches.
    pub fn searching_segments_in_parallel(mut self) -> Result<Store> {
        self.index.set_default_multithread_executor()?;
        Ok(self)
    }

    /// A reader that reloads only when told to (one-shot commands).
    pub fn reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()?)
    }

    /// A reader that follows new commits by itself (long-running server).
    pub fn live_reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()?)
    }

    /// Takes the writer lock. A lock held by a live process is reported as
    /// [`Error::Locked`]; the OS releases it when that process dies, so a
    /// leftover lock file never blocks.
    pub fn writer(&self, threads: usize, memory_bytes: usize) -> Result<IndexWriter> {
        let threads = threads.max(1);
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(memory_bytes / threads)
            .num_merge_threads(1)
            .build();
        self.index
            .writer_with_options(options)
            .map_err(|e| match e {
                TantivyError::LockFailure(LockError::LockBusy, _) => {
                    Error::Locked(self.dir.clone())
                }
                other => Error::Tantivy(other),
            })
    }

    /// Total size of the index files on disk, in bytes.
    pub fn size_on_disk(&self) -> u64 {
        std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }
}

/// Whether a file name is one tantivy writes in an index folder: its
/// metadata, or a segment file (32 hex digits, a dot, a component name).
fn is_index_file(name: &str) -> bool {
    if matches!(name, "meta.json" | ".managed.json") {
        return true;
    }
    name.split_once('.').is_some_and(|(stem, ext)| {
        stem.len() == 32
            && stem.bytes().all(|b| b.is_ascii_hexdigit())
            && ext.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_precedence() {
        assert_eq!(location(Some(Path::new("/x"))), PathBuf::from("/x"));
        // The per-user default ends in news/index.
        let default = location(None);
        if std::env::var_os(INDEX_ENV).is_none() {
            assert!(default.ends_with("news/index"));
        }
    }

    #[test]
    fn open_missing_and_create() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("idx");
        assert!(matches!(Store::open(&dir), Err(Error::MissingIndex(_))));
        let store = Store::open_or_create(&dir).unwrap();
        assert_eq!(
            store.catalog().unwrap().schema_version,
            schema::SCHEMA_VERSION
        );
        drop(store);
        assert!(Store::open(&dir).is_ok());
    }

    #[test]
    fn an_index_of_an_older_schema_is_replaced_on_rebuild_keeping_its_roots() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("idx");
        std::fs::create_dir_all(&dir).unwrap();
        // An index of another schema, with a catalog naming its roots.
        let mut old_schema = tantivy::schema::Schema::builder();
        let text = old_schema.add_text_field("text", tantivy::schema::TEXT);
        let old = Index::create_in_dir(&dir, old_schema.build()).unwrap();
        let mut writer: IndexWriter = old.writer_with_num_threads(1, 15_000_000).unwrap();
        writer
            .add_document(tantivy::doc!(text => "an old article"))
            .unwrap();
        let catalog = Catalog {
            schema_version: 1,
            roots: vec!["/archive".into()],
            ..Catalog::default()
        };
        let mut commit = writer.prepare_commit().unwrap();
        commit.set_payload(&serde_json::to_string(&catalog).unwrap());
        commit.commit().unwrap();
        drop(writer);
        drop(old);
        std::fs::write(dir.join("notes.txt"), "kept").unwrap();

        let refused = Store::open(&dir)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(refused.contains("--rebuild"), "{refused}");
        let store = Store::open_for_rebuild(&dir).unwrap();
        let catalog = store.catalog().unwrap();
        assert_eq!(catalog.roots, vec!["/archive".to_string()]);
        assert_eq!(catalog.schema_version, schema::SCHEMA_VERSION);
        assert_eq!(store.reader().unwrap().searcher().num_docs(), 0);
        drop(store);
        assert!(Store::open(&dir).is_ok());
        // Only the index's own files went.
        assert!(dir.join("notes.txt").is_file());
        assert!(is_index_file("meta.json"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(!is_index_file("notes.txt"));
    }

    #[test]
    fn refuses_non_empty_folders() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("notes.txt"), "x").unwrap();
        assert!(matches!(
            Store::open_or_create(tmp.path()),
            Err(Error::NotAnIndex { .. })
        ));
    }

    #[test]
    fn second_writer_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(tmp.path()).unwrap();
        let _w = store.writer(1, 20_000_000).unwrap();
        assert!(matches!(store.writer(1, 20_000_000), Err(Error::Locked(_))));
    }
}
