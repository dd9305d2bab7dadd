//! Admission of the requests that cost CPU (searches, similar stories,
//! statistics): a fixed number run at once, a bounded number wait, and the
//! rest are turned away at once (503) instead of piling up. Cheap requests
//! (`/health`, the page, article lookups) never pass through here, so they
//! keep their latency however many searches arrive.
//!
//! A ticket is held by the work itself, not by the request: a request that
//! times out while its search still runs keeps its slot until the search
//! ends, so abandoned work still counts against the limit.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Searches allowed to run at once, per core.
pub const RUNNING_PER_CORE: usize = 2;
/// Searches allowed to wait for a slot, per core.
pub const WAITING_PER_CORE: usize = 8;
/// Seconds a turned-away client is asked to wait (`Retry-After`).
pub const RETRY_AFTER_SECS: u64 = 1;

/// The gate expensive requests pass.
#[derive(Debug, Clone)]
pub struct Admission {
    /// Requests running or waiting.
    admitted: Arc<Semaphore>,
    /// Requests running.
    running: Arc<Semaphore>,
}

/// The right to run one expensive request; released when dropped.
#[derive(Debug)]
pub struct Ticket {
    _admitted: OwnedSemaphorePermit,
    _running: OwnedSemaphorePermit,
}

/// Every slot and every place in the queue is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overloaded;

impl Admission {
    /// A gate letting `running` requests run and `waiting` more wait.
    pub fn new(running: usize, waiting: usize) -> Admission {
        let running = running.max(1);
        Admission {
            admitted: Arc::new(Semaphore::new(running + waiting)),
            running: Arc::new(Semaphore::new(running)),
        }
    }

    /// The gate sized for `cores` cores.
    pub fn for_cores(cores: usize) -> Admission {
        let cores = cores.max(1);
        Admission::new(RUNNING_PER_CORE * cores, WAITING_PER_CORE * cores)
    }

    /// Waits for a slot, or refuses at once when the queue is full.
    pub async fn enter(&self) -> Result<Ticket, Overloaded> {
        let admitted = Arc::clone(&self.admitted)
            .try_acquire_owned()
            .map_err(|_| Overloaded)?;
        let running = Arc::clone(&self.running)
            .acquire_owned()
            .await
            .map_err(|_| Overloaded)?;
        Ok(Ticket {
            _admitted: admitted,
            _running: running,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn runs_some_queues_some_refuses_the_rest_and_frees_slots() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let gate = Admission::new(2, 3);
            let running = [gate.enter().await.unwrap(), gate.enter().await.unwrap()];
            // Three wait: they are admitted but get no slot yet.
            let mut waiting = Vec::new();
            for _ in 0..3 {
                let gate = gate.clone();
                waiting.push(tokio::spawn(async move { gate.enter().await }));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert!(waiting.iter().all(|w| !w.is_finished()));
            // The sixth is refused at once.
            assert_eq!(gate.enter().await.unwrap_err(), Overloaded);
            // A finished run lets one waiter in, and frees a place in the queue.
            drop(running);
            let first = waiting.remove(0).await.unwrap().unwrap();
            let second = waiting.remove(0).await.unwrap().unwrap();
            let late = gate.clone();
            let queued = tokio::spawn(async move { late.enter().await });
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert!(!queued.is_finished());
            drop((first, second));
            assert!(waiting.remove(0).await.unwrap().is_ok());
            assert!(queued.await.unwrap().is_ok());
        });
    }

    #[test]
    fn sized_per_core() {
        let gate = Admission::for_cores(2);
        assert_eq!(gate.running.available_permits(), 4);
        assert_eq!(gate.admitted.available_permits(), 4 + 16);
        assert_eq!(RETRY_AFTER_SECS, 1);
    }
}
