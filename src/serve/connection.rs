//! Connections of `news serve`: the accept loop, the cap on open
//! connections, the open-file limit, and the timeouts that keep slow or
//! idle clients from holding a connection.
//!
//! A connection must deliver a complete request head within
//! [`HEADER_TIMEOUT`] of being opened or of its previous response, so a
//! client trickling a header line a second and an idle keep-alive
//! connection are both closed after that time (hyper's header-read timer
//! runs whenever the connection waits for a request). A client that stops
//! reading its answer is dropped once a write has made no progress for
//! [`WRITE_STALL_TIMEOUT`]. Only HTTP/1.1 is spoken: browsers use nothing
//! else over plain HTTP.

use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::{Instant, Sleep};

/// Most connections open at once (fewer when the open-file limit is low).
pub const MAX_CONNECTIONS: usize = 1024;
/// Longest wait for a complete request head, idle keep-alive included.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest time a response write may make no progress.
pub const WRITE_STALL_TIMEOUT: Duration = Duration::from_secs(10);
/// File descriptors kept for everything but connections (index files,
/// standard streams, the runtime's own).
const RESERVED_FILES: u64 = 128;
/// Fewest connections allowed, however low the open-file limit.
const MIN_CONNECTIONS: usize = 16;
/// Pause after an accept error such as running out of file descriptors,
/// so the loop does not spin while the condition lasts.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);
/// How long open connections may finish their requests after shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Raises the soft open-file limit as far as the connection cap needs and
/// the hard limit allows, and returns the number of connections to allow.
pub fn connection_cap() -> usize {
    let wanted = MAX_CONNECTIONS as u64 + RESERVED_FILES;
    match rlimit::increase_nofile_limit(wanted) {
        Ok(limit) => cap_for_files(limit),
        Err(_) => MAX_CONNECTIONS.min(cap_for_files(1024)),
    }
}

/// The connection cap under an open-file limit of `files`.
fn cap_for_files(files: u64) -> usize {
    let spare = usize::try_from(files.saturating_sub(RESERVED_FILES)).unwrap_or(usize::MAX);
    spare.clamp(MIN_CONNECTIONS, MAX_CONNECTIONS)
}

/// Serves `app` on `listener` with at most `cap` connections open, until
/// `shutdown` completes; then lets open connections finish for a moment.
/// At the cap, new clients wait in the kernel's accept queue until a
/// connection closes, which the timeouts above guarantee happens soon.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    cap: usize,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(cap));
    let (closing, closed) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) => {
                    if !is_per_connection(&err) {
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let mut closed = closed.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let service = TowerToHyperService::new(app);
            let io = TokioIo::new(StallGuard::new(stream, WRITE_STALL_TIMEOUT));
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .keep_alive(true);
            let mut connection = pin!(builder.serve_connection(io, service));
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = closed.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    let _ = closing.send(true);
    // Every slot back means every connection is closed.
    let all = u32::try_from(cap).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, slots.acquire_many(all)).await;
}

/// Errors that concern one failed connection, not the listener.
fn is_per_connection(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// A stream whose writes fail with `TimedOut` once one has waited for the
/// peer longer than the limit.
struct StallGuard {
    stream: TcpStream,
    limit: Duration,
    deadline: Pin<Box<Sleep>>,
    armed: bool,
}

impl StallGuard {
    fn new(stream: TcpStream, limit: Duration) -> StallGuard {
        StallGuard {
            stream,
            limit,
            deadline: Box::pin(tokio::time::sleep(limit)),
            armed: false,
        }
    }

    /// Passes a write's result on, timing the waits.
    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        match poll {
            Poll::Ready(result) => {
                self.armed = false;
                Poll::Ready(result)
            }
            Poll::Pending => {
                if !self.armed {
                    self.armed = true;
                    let at = Instant::now() + self.limit;
                    self.deadline.as_mut().reset(at);
                }
                match self.deadline.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "client stopped reading",
                    ))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl AsyncRead for StallGuard {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for StallGuard {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.watch(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.stream).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_room_for_the_index_and_never_exceeds_the_maximum() {
        assert_eq!(cap_for_files(1_048_576), 1024);
        assert_eq!(cap_for_files(1024), 896);
        assert_eq!(cap_for_files(256), 128);
        assert_eq!(cap_for_files(160), 32);
        assert_eq!(cap_for_files(20), 16);
    }
}
