//! The index on disk: where it lives, opening and creating it (with the
//! analyzers registered every time), the writer lock, and the catalog record
//! committed atomically with the data as the commit payload.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::indexer::IndexWriterOptions;
use tantivy::schema::document::Document;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

use crate::error::{Error, Result};
use crate::schema::{self, Fields};

/// Decompressed document-store blocks kept per segment (32 KB each, 8 MB
/// in all; indexes made before the store's blocks grew keep 16 KB blocks,
/// 4 MB): hits of a batch or a server cluster in recent and popular
/// articles, and every avoided block saves a zstd decompression.
const DOC_STORE_CACHE_BLOCKS: usize = 256;

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

/// What [`Store::light_metas`] reads of `meta.json`; the other keys (the
/// schema, the settings) are skipped unread.
#[derive(Deserialize)]
struct LightMetas {
    segments: Vec<LightSegment>,
    #[serde(default)]
    payload: Option<String>,
}

#[derive(Deserialize)]
struct LightSegment {
    max_doc: u32,
    #[serde(default)]
    deletes: Option<LightDeletes>,
}

#[derive(Deserialize)]
struct LightDeletes {
    num_deleted_docs: u32,
}

impl LightSegment {
    fn articles(&self) -> u64 {
        let deleted = self.deletes.as_ref().map_or(0, |d| d.num_deleted_docs);
        u64::from(self.max_doc.saturating_sub(deleted))
    }
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
            // a decompression cost only paid for the hits shown. Level 1 in
            // blocks of 32 KB: tantivy sets up a new compression context for
            // every block, and level 3's (about 480 KB, mapped and zeroed
            // afresh each time) cost more than compressing 16 KB; level 1's
            // is a fraction of it, and blocks twice as long win back what
            // level 1 loses in size (the same store as level 3 in 16 KB).
            docstore_compression: tantivy::store::Compressor::Zstd(
                tantivy::store::ZstdCompressor {
                    compression_level: Some(1),
                },
            ),
            docstore_blocksize: 32_768,
            ..tantivy::IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema::build())
            .settings(settings)
            .create_in_dir(dir)?;
        Store::wrap(index, dir)
    }

    /// Starts rebuilding the index in `dir`: an empty index of the current
    /// schema is created in a hidden sibling folder, where the run writes,
    /// while the live index stays as it is (readers keep searching it) and
    /// its writer lock is held (no other writer starts meanwhile).
    /// [`Staging::switch`] then puts the new index in its place. The live
    /// index may be of an older schema, one this version cannot search; its
    /// catalog (roots, gazetteer) is carried over, so `news index
    /// --rebuild` re-scans the folders indexed before. With no index in
    /// `dir` yet, the index is built in place.
    pub fn begin_rebuild(dir: &Path) -> Result<Staging> {
        if !dir.join("meta.json").is_file() {
            return Ok(Staging {
                store: Store::open_or_create(dir)?,
                live: None,
            });
        }
        let not_an_index = |reason: String| Error::NotAnIndex {
            path: dir.to_path_buf(),
            reason,
        };
        let old = MmapDirectory::open(dir)
            .map_err(|e| not_an_index(e.to_string()))
            .and_then(|d| Index::open(d).map_err(|e| not_an_index(e.to_string())))?;
        let lock = old
            .directory()
            .acquire_lock(&INDEX_WRITER_LOCK)
            .map_err(|e| match e {
                LockError::LockBusy => Error::Locked(dir.to_path_buf()),
                LockError::IoError(e) => Error::Io {
                    path: dir.to_path_buf(),
                    source: std::io::Error::other(e.to_string()),
                },
            })?;
        let catalog: Option<Catalog> = old
            .load_metas()?
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok());
        drop(old);
        let staging = staging_dir(dir)?;
        // A folder left by a rebuild that died: nobody writes it, since
        // every rebuild holds the live lock we now hold.
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        }
        std::fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        let store = Store::create(&staging)?;
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
        Ok(Staging {
            store,
            live: Some(Live {
                dir: dir.to_path_buf(),
                _lock: lock,
            }),
        })
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
        let payload = match self.light_metas() {
            Some(metas) => metas.payload,
            None => self.index.load_metas()?.payload,
        };
        Ok(payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or(Catalog {
                schema_version: schema::SCHEMA_VERSION,
                ..Catalog::default()
            }))
    }

    /// Articles in the last commit (deleted ones left out).
    pub fn articles(&self) -> Result<u64> {
        if let Some(metas) = self.light_metas() {
            return Ok(metas.segments.iter().map(LightSegment::articles).sum());
        }
        Ok(self
            .index
            .searchable_segment_metas()?
            .iter()
            .map(|meta| u64::from(meta.num_docs()))
            .sum())
    }

    /// The index's `meta.json` read for its payload and segment sizes only:
    /// tantivy's own reading also builds the schema, a field at a time,
    /// which a command asking for the catalog does not need. `None` when
    /// the file cannot be read so; tantivy's reading then tells why.
    fn light_metas(&self) -> Option<LightMetas> {
        let bytes = self
            .index
            .directory()
            .atomic_read(Path::new("meta.json"))
            .ok()?;
        serde_json::from_slice(&bytes).ok()
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
        self.writer_of(threads, memory_bytes)
    }

    /// [`Store::writer`] for documents of another type than tantivy's own.
    pub fn writer_of<D: Document>(
        &self,
        threads: usize,
        memory_bytes: usize,
    ) -> Result<IndexWriter<D>> {
        let threads = threads.max(1);
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(memory_bytes / threads)
            .num_merge_threads(1)
            .build();
        let writer = self
            .index
            .writer_with_options(options)
            .map_err(|e| match e {
                TantivyError::LockFailure(LockError::LockBusy, _) => {
                    Error::Locked(self.dir.clone())
                }
                other => Error::Tantivy(other),
            })?;
        // A new writer's first operation stamp equals the last commit's, and
        // a merge takes a segment whose deletes were committed at that stamp
        // for up to date: a first delete would be lost in the merged segment,
        // leaving a replaced article beside its new copy. Spending one stamp
        // here puts every operation of the run after the last commit.
        writer.run(Vec::new())?;
        Ok(writer)
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

/// An index being rebuilt beside the live one.
pub struct Staging {
    store: Store,
    /// The live index, when there is one to replace.
    live: Option<Live>,
}

struct Live {
    dir: PathBuf,
    /// The live index's writer lock, held until the switch is done.
    _lock: tantivy::directory::DirectoryLock,
}

impl Staging {
    /// The index the rebuild writes.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Puts the new index in the live index's place, in one step where the
    /// system can swap two folders (Linux), so a reader opening the index
    /// finds one or the other, whole; a running server's reader follows the
    /// folder's `meta.json` and reloads onto the new index. The old index is
    /// then removed, except for files in its folder that are not its own.
    pub fn switch(self) -> Result<()> {
        let Staging { store, live } = self;
        let Some(live) = live else {
            return Ok(());
        };
        let staging = store.dir.clone();
        drop(store);
        exchange(&live.dir, &staging)?;
        // `staging` now holds the old index. Files the user kept beside it
        // move to the new one.
        if let Ok(entries) = std::fs::read_dir(&staging) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                let text = name.to_string_lossy();
                if is_index_file(&text) || text.starts_with(".tantivy-") {
                    continue;
                }
                let target = live.dir.join(&name);
                if !target.exists() {
                    let _ = std::fs::rename(entry.path(), target);
                }
            }
        }
        drop(live);
        // A leftover is removed by the next rebuild.
        let _ = std::fs::remove_dir_all(&staging);
        Ok(())
    }
}

/// The hidden sibling folder where the index in `dir` is rebuilt.
fn staging_dir(dir: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(dir).map_err(|e| Error::io(dir, e))?;
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => {
            let mut staging = std::ffi::OsString::from(".");
            staging.push(name);
            staging.push(".rebuild");
            Ok(parent.join(staging))
        }
        _ => Err(Error::File {
            path: dir.to_path_buf(),
            message: "cannot rebuild an index at the root of the file system".into(),
        }),
    }
}

/// Swaps two folders: atomically on Linux; elsewhere (or on a file system
/// that cannot) by two renames, a moment apart.
fn exchange(live: &Path, staging: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).ok();
        if let (Some(a), Some(b)) = (c(live), c(staging)) {
            // SAFETY: both are valid NUL-terminated paths that outlive the call.
            let rc = unsafe {
                libc::syscall(
                    libc::SYS_renameat2,
                    libc::AT_FDCWD,
                    a.as_ptr(),
                    libc::AT_FDCWD,
                    b.as_ptr(),
                    libc::RENAME_EXCHANGE,
                )
            };
            if rc == 0 {
                return Ok(());
            }
            let err = std::io::Error::last_os_error();
            if !matches!(err.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
                return Err(Error::io(live, err));
            }
        }
    }
    let mut aside = staging.as_os_str().to_owned();
    aside.push(".old");
    let aside = PathBuf::from(aside);
    std::fs::rename(live, &aside).map_err(|e| Error::io(live, e))?;
    if let Err(e) = std::fs::rename(staging, live) {
        let _ = std::fs::rename(&aside, live);
        return Err(Error::io(staging, e));
    }
    std::fs::rename(&aside, staging).map_err(|e| Error::io(&aside, e))
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

    /// Commits with a catalog of `schema_version` naming one root.
    fn commit_with_catalog(writer: &mut IndexWriter, schema_version: u32) -> Catalog {
        let catalog = Catalog {
            schema_version,
            roots: vec!["/archive".into()],
            ..Catalog::default()
        };
        let mut commit = writer.prepare_commit().unwrap();
        commit.set_payload(&serde_json::to_string(&catalog).unwrap());
        commit.commit().unwrap();
        catalog
    }

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
    fn a_new_writers_first_delete_survives_a_merge() {
        // Tantivy starts a new writer's operation stamps at the last commit's
        // stamp, and takes a segment whose deletes were committed at that
        // stamp for up to date when merging. A run whose first operation
        // replaces an article of such a segment, with a merge finishing
        // before the run's commit, would keep both copies.
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(&tmp.path().join("idx")).unwrap();
        let key = store.fields.path_hash;
        let term = |hash: u64| tantivy::Term::from_field_u64(key, hash);
        let mut writer = store.writer(1, 50_000_000).unwrap();
        writer.add_document(tantivy::doc!(key => 1u64)).unwrap();
        writer.commit().unwrap();
        writer.add_document(tantivy::doc!(key => 2u64)).unwrap();
        writer.add_document(tantivy::doc!(key => 3u64)).unwrap();
        writer.commit().unwrap();
        writer.delete_term(term(3));
        writer.commit().unwrap();
        writer.wait_merging_threads().unwrap();

        // The segment with committed deletes goes last in the merge.
        let mut metas = store.index.searchable_segment_metas().unwrap();
        assert_eq!(metas.len(), 2);
        metas.sort_by_key(|meta| meta.has_deletes());
        let segments: Vec<_> = metas.iter().map(|meta| meta.id()).collect();

        let mut writer = store.writer(1, 50_000_000).unwrap();
        writer.delete_term(term(2));
        writer.add_document(tantivy::doc!(key => 2u64)).unwrap();
        writer.merge(&segments).wait().unwrap();
        writer.commit().unwrap();
        writer.wait_merging_threads().unwrap();

        let reader = store.reader().unwrap();
        reader.reload().unwrap();
        let searcher = reader.searcher();
        let live = |hash: u64| {
            let query = tantivy::query::TermQuery::new(
                term(hash),
                tantivy::schema::IndexRecordOption::Basic,
            );
            searcher.search(&query, &tantivy::collector::Count).unwrap()
        };
        assert_eq!(live(2), 1, "one live copy of the replaced article");
        assert_eq!((live(1), live(3)), (1, 0));
    }

    #[test]
    fn the_light_reading_of_the_metadata_agrees_with_tantivys() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(&tmp.path().join("idx")).unwrap();
        assert!(store.light_metas().is_some());
        assert_eq!(store.articles().unwrap(), 0);
        let key = store.fields.path_hash;
        let mut writer = store.writer(1, 15_000_000).unwrap();
        for hash in 1..=3u64 {
            writer.add_document(tantivy::doc!(key => hash)).unwrap();
        }
        writer.commit().unwrap();
        writer.delete_term(tantivy::Term::from_field_u64(key, 2));
        let catalog = commit_with_catalog(&mut writer, schema::SCHEMA_VERSION);
        drop(writer);

        let store = Store::open(&store.dir).unwrap();
        let light = store.light_metas().unwrap();
        let full = store.index.load_metas().unwrap();
        assert_eq!(light.payload, full.payload);
        assert_eq!(store.catalog().unwrap(), catalog);
        let counted: u64 = store
            .index
            .searchable_segment_metas()
            .unwrap()
            .iter()
            .map(|meta| u64::from(meta.num_docs()))
            .sum();
        assert_eq!((store.articles().unwrap(), counted), (2, 2));
        // An index in memory is read the same way.
        let memory = Store::in_memory().unwrap();
        assert!(memory.light_metas().is_some());
        assert_eq!(memory.articles().unwrap(), 0);
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
        commit_with_catalog(&mut writer, 1);
        drop(writer);
        drop(old);
        std::fs::write(dir.join("notes.txt"), "kept").unwrap();

        let refused = Store::open(&dir)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(refused.contains("--rebuild"), "{refused}");
        let staging = Store::begin_rebuild(&dir).unwrap();
        // The new index is built beside the old one, which stays as it was.
        assert_ne!(staging.store().dir, dir);
        assert!(Store::open(&dir).is_err());
        let catalog = staging.store().catalog().unwrap();
        assert_eq!(catalog.roots, vec!["/archive".to_string()]);
        assert_eq!(catalog.schema_version, schema::SCHEMA_VERSION);
        // No other writer while the rebuild runs.
        assert!(matches!(Store::begin_rebuild(&dir), Err(Error::Locked(_))));
        let staging_dir = staging.store().dir.clone();
        staging.switch().unwrap();
        let store = Store::open(&dir).unwrap();
        assert_eq!(store.catalog().unwrap().roots, vec!["/archive".to_string()]);
        assert_eq!(store.reader().unwrap().searcher().num_docs(), 0);
        assert!(!staging_dir.exists());
        // Files of the user's beside the index stay.
        assert!(dir.join("notes.txt").is_file());
        assert!(is_index_file("meta.json"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(!is_index_file("notes.txt"));
    }

    #[test]
    fn a_rebuild_that_dies_leaves_the_index_and_the_next_one_starts_clean() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("idx");
        let store = Store::open_or_create(&dir).unwrap();
        let mut writer = store.writer(1, 15_000_000).unwrap();
        writer
            .add_document(tantivy::doc!(store.fields.id => "a"))
            .unwrap();
        writer.commit().unwrap();
        drop(writer);
        let staging = Store::begin_rebuild(&dir).unwrap();
        let leftover = staging.store().dir.clone();
        drop(staging);
        assert!(leftover.join("meta.json").is_file());
        let live = Store::open(&dir).unwrap();
        assert_eq!(live.reader().unwrap().searcher().num_docs(), 1);
        // The next rebuild clears what the dead one left and completes.
        let staging = Store::begin_rebuild(&dir).unwrap();
        staging.switch().unwrap();
        assert_eq!(
            Store::open(&dir)
                .unwrap()
                .reader()
                .unwrap()
                .searcher()
                .num_docs(),
            0
        );
        assert!(!leftover.exists());
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
