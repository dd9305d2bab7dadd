//! Answers kept for repeated requests.
//!
//! The search page asks the same question many times (every keystroke
//! with facets, a reader paging back), and scripts repeat theirs; the
//! answer only changes when the index does. An answer is kept with the
//! index version it was computed on and is served again only while that
//! version is the one readers see, and for at most [`MAX_AGE`] (the
//! ranking blends in recency). Only successful answers are kept, within
//! [`MAX_ENTRIES`] and [`MAX_BYTES`], the least recently used going first.

use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use lru::LruCache;

/// Answers kept at most.
pub const MAX_ENTRIES: usize = 4_096;
/// Bytes of kept answers at most.
pub const MAX_BYTES: usize = 32 << 20;
/// Longest an answer is served again.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// One kept answer.
struct Kept {
    /// The index version it was computed on.
    version: u64,
    at: Instant,
    body: Bytes,
}

/// The answers, by request (endpoint and query string).
pub struct ResponseCache {
    state: Mutex<State>,
}

struct State {
    answers: LruCache<String, Kept>,
    bytes: usize,
}

impl Default for ResponseCache {
    fn default() -> Self {
        Self::new()
    }
}

impl ResponseCache {
    pub fn new() -> ResponseCache {
        ResponseCache {
            state: Mutex::new(State {
                answers: LruCache::new(NonZeroUsize::MIN.saturating_add(MAX_ENTRIES - 1)),
                bytes: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The answer kept for `key` on index `version`, if still good.
    pub fn get(&self, key: &str, version: u64) -> Option<Bytes> {
        let mut state = self.lock();
        let fresh = state
            .answers
            .get(key)
            .map(|kept| kept.version == version && kept.at.elapsed() < MAX_AGE)?;
        if fresh {
            return state.answers.get(key).map(|kept| kept.body.clone());
        }
        if let Some(stale) = state.answers.pop(key) {
            state.bytes -= stale.body.len();
        }
        None
    }

    /// Keeps `body` as the answer to `key` on index `version`.
    pub fn put(&self, key: String, version: u64, body: Bytes) {
        if body.len() > MAX_BYTES / 16 {
            // One answer never pushes out a large share of the others.
            return;
        }
        let mut state = self.lock();
        let size = body.len();
        let kept = Kept {
            version,
            at: Instant::now(),
            body,
        };
        if let Some((_, old)) = state.answers.push(key, kept) {
            // The same key replaced, or the least recent one evicted.
            state.bytes -= old.body.len();
        }
        state.bytes += size;
        while state.bytes > MAX_BYTES {
            match state.answers.pop_lru() {
                Some((_, old)) => state.bytes -= old.body.len(),
                None => break,
            }
        }
    }

    /// Answers kept and their bytes.
    #[cfg(test)]
    fn size(&self) -> (usize, usize) {
        let state = self.lock();
        (state.answers.len(), state.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_served_only_on_its_index_version() {
        let cache = ResponseCache::new();
        cache.put("/api/search?q=a".into(), 1, Bytes::from_static(b"one"));
        assert_eq!(
            cache.get("/api/search?q=a", 1).as_deref(),
            Some(&b"one"[..])
        );
        assert_eq!(cache.get("/api/search?q=b", 1), None);
        // A new version of the index: the old answer goes.
        assert_eq!(cache.get("/api/search?q=a", 2), None);
        assert_eq!(cache.size(), (0, 0));
    }

    #[test]
    fn bytes_and_entries_stay_within_bounds() {
        let cache = ResponseCache::new();
        let body = Bytes::from(vec![b'x'; MAX_BYTES / 20]);
        for i in 0..100 {
            cache.put(format!("k{i}"), 1, body.clone());
        }
        let (entries, bytes) = cache.size();
        assert!(bytes <= MAX_BYTES, "{bytes}");
        assert_eq!(entries, MAX_BYTES / body.len());
        // The most recent answers are the ones kept.
        assert!(cache.get("k99", 1).is_some());
        assert!(cache.get("k0", 1).is_none());
        // An answer too large for its share is not kept.
        cache.put("big".into(), 1, Bytes::from(vec![b'x'; MAX_BYTES / 8]));
        assert!(cache.get("big", 1).is_none());
        for i in 0..MAX_ENTRIES + 10 {
            cache.put(format!("small{i}"), 1, Bytes::from_static(b"s"));
        }
        assert_eq!(cache.size().0, MAX_ENTRIES);
    }

    #[test]
    fn replacing_an_answer_counts_its_bytes_once() {
        let cache = ResponseCache::new();
        cache.put("k".into(), 1, Bytes::from_static(b"12345"));
        cache.put("k".into(), 2, Bytes::from_static(b"123"));
        assert_eq!(cache.size(), (1, 3));
        assert_eq!(cache.get("k", 2).as_deref(), Some(&b"123"[..]));
    }
}
