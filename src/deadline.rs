//! Deadlines of work done for one request: a time past which it is no
//! longer wanted, and a flag its caller sets when it goes away. Every loop
//! whose length grows with the index (matching documents, candidates to
//! fold, segments to count) checks one now and then and stops with
//! [`Error::Cancelled`], so work nobody waits for does not keep a core.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// When the work of one request must stop.
#[derive(Debug, Clone, Default)]
pub struct Deadline {
    at: Option<Instant>,
    abandoned: Option<Arc<AtomicBool>>,
}

impl Deadline {
    /// No deadline: the work runs to its end (the command line).
    pub fn none() -> Deadline {
        Deadline::default()
    }

    /// A deadline `limit` from now.
    pub fn after(limit: Duration) -> Deadline {
        Deadline {
            at: Instant::now().checked_add(limit),
            abandoned: None,
        }
    }

    /// The same deadline, also reached as soon as `flag` is set.
    pub fn or_when(mut self, flag: Arc<AtomicBool>) -> Deadline {
        self.abandoned = Some(flag);
        self
    }

    /// Whether the work should stop.
    pub fn passed(&self) -> bool {
        self.abandoned
            .as_ref()
            .is_some_and(|f| f.load(Ordering::Relaxed))
            || self.at.is_some_and(|at| Instant::now() >= at)
    }

    /// `Err(Cancelled)` once the deadline has passed.
    pub fn check(&self) -> Result<()> {
        if self.passed() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// [`Deadline::check`] as tantivy's error, for code called by tantivy.
    pub(crate) fn check_tantivy(&self) -> tantivy::Result<()> {
        if self.passed() {
            Err(tantivy::TantivyError::InternalError(
                Error::Cancelled.to_string(),
            ))
        } else {
            Ok(())
        }
    }

    /// Maps a tantivy error met after the deadline to [`Error::Cancelled`]:
    /// the deadline is why the search stopped.
    pub(crate) fn explain(&self, err: tantivy::TantivyError) -> Error {
        if self.passed() {
            Error::Cancelled
        } else {
            Error::Tantivy(err)
        }
    }
}

/// Sets its flag when dropped: held by a request's future, it tells the
/// work done for the request that nobody waits for it any more.
#[derive(Debug)]
pub struct AbandonOnDrop(pub Arc<AtomicBool>);

impl Drop for AbandonOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_at_its_time_or_when_abandoned() {
        assert!(!Deadline::none().passed());
        assert!(Deadline::after(Duration::ZERO).passed());
        assert!(!Deadline::after(Duration::from_secs(60)).passed());
        let flag = Arc::new(AtomicBool::new(false));
        let deadline = Deadline::after(Duration::from_secs(60)).or_when(Arc::clone(&flag));
        assert!(deadline.check().is_ok());
        drop(AbandonOnDrop(Arc::clone(&flag)));
        assert!(matches!(deadline.check(), Err(Error::Cancelled)));
    }
}
