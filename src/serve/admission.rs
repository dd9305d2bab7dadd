//! Admission of the requests that cost CPU (searches, similar stories,
//! statistics): a fixed number run at once, a bounded number wait, and the
//! rest are turned away at once (503) instead of piling up. Cheap requests
//! (`/health`, the page, article lookups) never pass through here, so they
//! keep their latency however many searches arrive.
//!
//! Requests take one of two lanes, each with its own slots and queue: the
//! ordinary lane, and the deep lane for requests whose work grows with the
//! page asked for (deep pages fold and rank up to 20,000 candidates, a
//! thousand times an ordinary page). A burst of deep pages fills its own
//! lane and is shed there; ordinary searches never wait behind it. Deep
//! work also runs on threads of the lowest priority, so on a busy machine
//! the ordinary lane gets the CPU first.
//!
//! A ticket is held by the work itself, not by the request: a request that
//! times out while its search still runs keeps its slot until the search
//! ends (it stops at its deadline), so abandoned work still counts against
//! the limit.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Ordinary searches allowed to run at once, per core.
pub const RUNNING_PER_CORE: usize = 2;
/// Ordinary searches allowed to wait for a slot, per core: 16 clients
/// sending back to back on 2 cores never see a 503.
pub const WAITING_PER_CORE: usize = 16;
/// Deep-page requests allowed to run at once, whatever the cores.
pub const DEEP_RUNNING: usize = 1;
/// Deep-page requests allowed to wait, per core.
pub const DEEP_WAITING_PER_CORE: usize = 8;
/// A request whose page ends past this many hits takes the deep lane.
pub const DEEP_PAGE_END: usize = 1_000;
/// Seconds a turned-away client is asked to wait (`Retry-After`).
pub const RETRY_AFTER_SECS: u64 = 1;

/// Which queue a request waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Pages near the top, statistics, similar stories.
    Ordinary,
    /// Pages deep in the results.
    Deep,
}

impl Lane {
    /// The lane of a search whose page ends after `page_end` hits.
    pub fn for_page_end(page_end: usize) -> Lane {
        if page_end > DEEP_PAGE_END {
            Lane::Deep
        } else {
            Lane::Ordinary
        }
    }
}

/// One lane: requests running, and running or waiting.
#[derive(Debug, Clone)]
struct Gate {
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
}

impl Gate {
    fn new(running: usize, waiting: usize) -> Gate {
        let running = running.max(1);
        Gate {
            admitted: Arc::new(Semaphore::new(running + waiting)),
            running: Arc::new(Semaphore::new(running)),
        }
    }

    async fn enter(&self) -> Result<Ticket, Overloaded> {
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

/// The gate expensive requests pass.
#[derive(Debug, Clone)]
pub struct Admission {
    ordinary: Gate,
    deep: Gate,
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
    /// A gate letting `running` ordinary requests run and `waiting` more
    /// wait, and `deep_running` and `deep_waiting` deep ones.
    pub fn new(
        running: usize,
        waiting: usize,
        deep_running: usize,
        deep_waiting: usize,
    ) -> Admission {
        Admission {
            ordinary: Gate::new(running, waiting),
            deep: Gate::new(deep_running, deep_waiting),
        }
    }

    /// The gate sized for `cores` cores.
    pub fn for_cores(cores: usize) -> Admission {
        let cores = cores.max(1);
        Admission::new(
            RUNNING_PER_CORE * cores,
            WAITING_PER_CORE * cores,
            DEEP_RUNNING,
            DEEP_WAITING_PER_CORE * cores,
        )
    }

    /// Waits for a slot in `lane`, or refuses at once when its queue is full.
    pub async fn enter(&self, lane: Lane) -> Result<Ticket, Overloaded> {
        match lane {
            Lane::Ordinary => self.ordinary.enter().await,
            Lane::Deep => self.deep.enter().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    #[test]
    fn runs_some_queues_some_refuses_the_rest_and_frees_slots() {
        runtime().block_on(async {
            let gate = Admission::new(2, 3, 1, 1);
            let lane = Lane::Ordinary;
            let running = [
                gate.enter(lane).await.unwrap(),
                gate.enter(lane).await.unwrap(),
            ];
            // Three wait: they are admitted but get no slot yet.
            let mut waiting = Vec::new();
            for _ in 0..3 {
                let gate = gate.clone();
                waiting.push(tokio::spawn(async move { gate.enter(lane).await }));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert!(waiting.iter().all(|w| !w.is_finished()));
            // The sixth is refused at once.
            assert_eq!(gate.enter(lane).await.unwrap_err(), Overloaded);
            // A finished run lets one waiter in, and frees a place in the queue.
            drop(running);
            let first = waiting.remove(0).await.unwrap().unwrap();
            let second = waiting.remove(0).await.unwrap().unwrap();
            let late = gate.clone();
            let queued = tokio::spawn(async move { late.enter(lane).await });
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert!(!queued.is_finished());
            drop((first, second));
            assert!(waiting.remove(0).await.unwrap().is_ok());
            assert!(queued.await.unwrap().is_ok());
        });
    }

    #[test]
    fn ordinary_requests_never_wait_behind_deep_ones() {
        runtime().block_on(async {
            let gate = Admission::new(1, 1, 1, 2);
            // The deep lane full: one running, two waiting, the next shed.
            let deep = gate.enter(Lane::Deep).await.unwrap();
            let mut queued = Vec::new();
            for _ in 0..2 {
                let gate = gate.clone();
                queued.push(tokio::spawn(async move { gate.enter(Lane::Deep).await }));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert_eq!(gate.enter(Lane::Deep).await.unwrap_err(), Overloaded);
            // An ordinary request gets a slot at once.
            let ordinary = tokio::time::timeout(Duration::from_secs(1), gate.enter(Lane::Ordinary))
                .await
                .expect("an ordinary request waited behind deep ones");
            assert!(ordinary.is_ok());
            drop(deep);
            for q in queued {
                drop(q.await.unwrap().unwrap());
            }
        });
    }

    #[test]
    fn sized_per_core_and_lanes_by_page_depth() {
        let gate = Admission::for_cores(2);
        assert_eq!(gate.ordinary.running.available_permits(), 4);
        assert_eq!(gate.ordinary.admitted.available_permits(), 4 + 32);
        assert_eq!(gate.deep.running.available_permits(), 1);
        assert_eq!(gate.deep.admitted.available_permits(), 1 + 16);
        assert_eq!(RETRY_AFTER_SECS, 1);
        assert_eq!(Lane::for_page_end(10), Lane::Ordinary);
        assert_eq!(Lane::for_page_end(DEEP_PAGE_END), Lane::Ordinary);
        assert_eq!(Lane::for_page_end(10_100), Lane::Deep);
    }
}
