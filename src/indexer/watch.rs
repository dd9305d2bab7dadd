//! `news index --watch`: a first run, then the changes the system reports
//! (files new, modified, removed or renamed) applied as they happen.
//!
//! Events are only hints of which paths to look at: each batch reads the
//! paths as they are on disk then, so the order and kind of events do not
//! matter. A batch starts once events pause briefly (or have waited long
//! enough) and is committed whole. Memory stays bounded whatever arrives:
//! the event queue and the batch have fixed sizes, and past them a root is
//! walked again instead (as when the system's own queue overflows). A
//! watched root that disappears keeps its articles, like in a run without
//! paths; when it comes back, or is replaced by another folder, it is
//! watched and walked again.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, TrySendError};
use notify::{RecursiveMode, Watcher};

use super::summary::{Event, IndexSummary};
use super::{IndexOptions, RACY_RECHECK, Session, roots};
use crate::error::{Error, Result};
use crate::store::Store;

/// A batch starts once no event came for this long...
const QUIET: Duration = Duration::from_millis(100);
/// ...or once its oldest path has waited this long, so that a steady
/// stream of events cannot hold changes back. With the commit and a
/// server's reload (half a second), a change is searchable within 2 s.
const MAX_DELAY: Duration = Duration::from_millis(500);
/// Paths read per commit: a burst of files becomes searchable in steps,
/// and a batch's documents stay within the writer's memory budget.
const BATCH_PATHS: usize = 2_000;
/// Events queued between the system and the batcher; more arriving at once
/// means the root is walked again.
const EVENT_QUEUE: usize = 65_536;
/// Paths waiting for a batch; more means the root is walked again.
const MAX_PENDING: usize = 100_000;
/// How often the roots themselves are checked (gone, back, replaced).
const ROOT_CHECK: Duration = Duration::from_secs(1);

/// Runs `news index --watch` until `stop` is set, then returns the counts
/// of everything it did.
pub fn watch(
    options: &IndexOptions,
    stop: &AtomicBool,
    report: &mut dyn FnMut(Event),
) -> Result<IndexSummary> {
    let started = Instant::now();
    let racy_after = super::racy_after();
    let given = roots::resolve(&options.paths)?;
    let store = Store::open_or_create(&options.index_dir)?;
    let mut session = Session::open(store, options, false, racy_after)?;
    session.watching();
    let watched = match &given {
        Some(roots) => roots.clone(),
        // Every known root, present or not: a missing one may come back.
        None => session.known_roots(),
    };
    let present = session.set_roots(given, report)?;
    // Commits change the index's files: were it inside a root, its own
    // events must not be taken for changes.
    let index_dir = std::fs::canonicalize(session.index_dir())
        .or_else(|_| std::path::absolute(session.index_dir()))
        .unwrap_or_default();

    // Watching starts before the first pass, so nothing written during it
    // is missed.
    let overflow = Arc::new(AtomicBool::new(false));
    let (tx, rx) = crossbeam_channel::bounded(EVENT_QUEUE);
    let overflowed = Arc::clone(&overflow);
    let mut watcher = notify::recommended_watcher(move |event| {
        if let Err(TrySendError::Full(_)) = tx.try_send(event) {
            overflowed.store(true, Ordering::Relaxed);
        }
    })
    .map_err(|e| Error::Server(format!("cannot watch for changes: {e}")))?;
    let mut identities = HashMap::new();
    for root in &watched {
        let identity = identity(root);
        if identity.is_some() {
            watcher
                .watch(root, RecursiveMode::Recursive)
                .map_err(|e| watch_error(root, &e))?;
        }
        identities.insert(root.clone(), identity);
    }

    let first = session.scan(&present, Some(stop), report)?;
    let first_racy = first.racy;
    if !first.stopped {
        report(Event::Watching {
            roots: watched.len(),
        });
    }
    let mut batcher = Batcher {
        watched,
        index_dir,
        pending: BTreeSet::new(),
        rescan: BTreeSet::new(),
        oldest: None,
        newest: Instant::now(),
        recheck: std::collections::VecDeque::from([(Instant::now(), first_racy)]),
    };
    let mut last_check = Instant::now();
    while !first.stopped && !stop.load(Ordering::Relaxed) {
        batcher.receive(&rx, &overflow, Duration::from_millis(50));
        batcher.recheck_due();
        if last_check.elapsed() >= ROOT_CHECK {
            last_check = Instant::now();
            batcher.check_roots(&mut identities, &mut watcher, report);
        }
        if batcher.due() {
            batcher.run(&mut session, stop, report)?;
        }
    }
    // What was seen before the stop is applied and committed too.
    batcher.receive(&rx, &overflow, Duration::ZERO);
    if !first.stopped && (!batcher.pending.is_empty() || !batcher.rescan.is_empty()) {
        batcher.run(&mut session, &AtomicBool::new(false), report)?;
    }
    drop(watcher);
    session.finish(started)
}

/// Paths waiting to be applied, and roots to walk again.
struct Batcher {
    watched: Vec<PathBuf>,
    index_dir: PathBuf,
    pending: BTreeSet<PathBuf>,
    rescan: BTreeSet<PathBuf>,
    /// When the oldest waiting change arrived.
    oldest: Option<Instant>,
    /// When the last event arrived.
    newest: Instant,
    /// Files read too soon after a write to trust their stamp, by when they
    /// were read: read again (only hashed, if unchanged) once past the
    /// window, so the index's list of untrusted stamps stays short.
    recheck: std::collections::VecDeque<(Instant, Vec<PathBuf>)>,
}

impl Batcher {
    /// Takes the events that arrive within `wait` (and any already queued).
    fn receive(
        &mut self,
        rx: &Receiver<notify::Result<notify::Event>>,
        overflow: &AtomicBool,
        wait: Duration,
    ) {
        let mut next = rx.recv_timeout(wait).ok();
        while let Some(event) = next {
            self.take(event);
            next = rx.try_recv().ok();
        }
        if overflow.swap(false, Ordering::Relaxed) {
            self.rescan_all();
        }
        if self.pending.len() > MAX_PENDING {
            let pending = std::mem::take(&mut self.pending);
            for path in pending {
                if let Some(root) = self.root_of(&path) {
                    self.rescan.insert(root.to_path_buf());
                }
            }
        }
    }

    fn take(&mut self, event: notify::Result<notify::Event>) {
        let event = match event {
            Ok(event) => event,
            // Events may have been lost: walk everything again.
            Err(_) => return self.rescan_all(),
        };
        if event.need_rescan() {
            if event.paths.is_empty() {
                return self.rescan_all();
            }
            for path in &event.paths {
                if let Some(root) = self.root_of(path) {
                    self.rescan.insert(root.to_path_buf());
                }
            }
            self.touch();
            return;
        }
        // Opening a file, the indexer's own reads included, changes nothing;
        // closing one written to may end a write.
        if let notify::EventKind::Access(access) = event.kind
            && access != notify::event::AccessKind::Close(notify::event::AccessMode::Write)
        {
            return;
        }
        for path in event.paths {
            if self.wanted(&path) {
                self.pending.insert(path);
                self.touch();
            }
        }
    }

    /// Notes that a change arrived now.
    fn touch(&mut self) {
        self.newest = Instant::now();
        self.oldest.get_or_insert(self.newest);
    }

    fn rescan_all(&mut self) {
        self.touch();
        self.rescan.extend(self.watched.iter().cloned());
    }

    /// The watched root holding `path`.
    fn root_of(&self, path: &Path) -> Option<&Path> {
        self.watched
            .iter()
            .find(|r| path.starts_with(r))
            .map(PathBuf::as_path)
    }

    /// Whether a path is one the walk would look at: under a root, not
    /// hidden below it, not inside the index itself.
    fn wanted(&self, path: &Path) -> bool {
        if path.starts_with(&self.index_dir) {
            return false;
        }
        let Some(root) = self.root_of(path) else {
            return false;
        };
        path.strip_prefix(root).is_ok_and(|rel| {
            rel.components()
                .all(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
        })
    }

    /// Moves the files due for a second reading to the waiting paths.
    fn recheck_due(&mut self) {
        while let Some((read, _)) = self.recheck.front() {
            if read.elapsed() < RACY_RECHECK {
                break;
            }
            if let Some((_, paths)) = self.recheck.pop_front() {
                if !paths.is_empty() {
                    self.touch();
                }
                self.pending.extend(paths);
            }
        }
    }

    /// Whether a batch should start.
    fn due(&self) -> bool {
        self.oldest
            .is_some_and(|oldest| self.newest.elapsed() >= QUIET || oldest.elapsed() >= MAX_DELAY)
    }

    /// Applies the waiting paths in batches, each committed, then walks the
    /// roots that need it.
    fn run(
        &mut self,
        session: &mut Session,
        stop: &AtomicBool,
        report: &mut dyn FnMut(Event),
    ) -> Result<()> {
        self.oldest = None;
        // Under a root that is gone (an unmounted drive) nothing is taken
        // for removed: its articles stay until it is back and walked again.
        let pending: Vec<PathBuf> = std::mem::take(&mut self.pending)
            .into_iter()
            .filter(|path| {
                self.root_of(path)
                    .is_some_and(|root| identity(root).is_some())
            })
            .collect();
        let mut retry = Vec::new();
        for (n, chunk) in pending.chunks(BATCH_PATHS).enumerate() {
            if n > 0 && stop.load(Ordering::Relaxed) {
                // Not lost: the next start walks everything.
                break;
            }
            let pass = session.apply_paths(chunk, report)?;
            announce(&pass.summary, report);
            retry.extend(pass.retry);
            self.recheck.push_back((Instant::now(), pass.racy));
            for path in pass.unknown_gone {
                if let Some(root) = self.root_of(&path)
                    && root != path
                {
                    self.rescan.insert(root.to_path_buf());
                }
            }
        }
        for root in std::mem::take(&mut self.rescan) {
            if identity(&root).is_none() {
                continue;
            }
            let pass = session.scan(std::slice::from_ref(&root), Some(stop), report)?;
            announce(&pass.summary, report);
            retry.extend(pass.retry);
            self.recheck.push_back((Instant::now(), pass.racy));
        }
        if !retry.is_empty() {
            // Still being written: read again once it settles.
            self.pending.extend(retry);
            self.oldest = Some(Instant::now());
            self.newest = Instant::now();
        }
        Ok(())
    }

    /// Notices roots that went, came back or were replaced by another
    /// folder: a root back or replaced is watched and walked again; a root
    /// gone keeps its articles.
    fn check_roots(
        &mut self,
        identities: &mut HashMap<PathBuf, Option<(u64, u64)>>,
        watcher: &mut notify::RecommendedWatcher,
        report: &mut dyn FnMut(Event),
    ) {
        for (root, known) in identities.iter_mut() {
            let now = identity(root);
            if now == *known {
                continue;
            }
            let _ = watcher.unwatch(root);
            match now {
                None => report(Event::Note(format!(
                    "{}: watched but not found now; its articles are kept",
                    root.display()
                ))),
                Some(_) => match watcher.watch(root, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.rescan.insert(root.clone());
                        self.oldest.get_or_insert_with(Instant::now);
                    }
                    Err(e) => {
                        report(Event::Note(watch_error(root, &e).to_string()));
                        continue;
                    }
                },
            }
            *known = now;
        }
    }
}

fn announce(summary: &IndexSummary, report: &mut dyn FnMut(Event)) {
    if summary.changed_anything() {
        report(Event::Applied(summary));
    }
}

fn watch_error(root: &Path, err: &notify::Error) -> Error {
    Error::File {
        path: root.to_path_buf(),
        message: format!("cannot watch for changes: {err}"),
    }
}

/// What tells a folder from another one put in its place: its device and
/// inode (on other systems, only whether it is there).
fn identity(path: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0))
    }
}
