//! The accept loop: every connection is bounded in number and in time, and
//! nothing a client does (or does not do) stops the server.
//!
//! - An accept error (too many open files, say) is counted, the connection
//!   idle the longest is closed to free its descriptor, and serving goes on.
//! - At most `Limits::connections` are open; a new one closes the one idle
//!   the longest, so idle connections cannot keep a person out.
//! - The request head must arrive within `Limits::header_read` (this also
//!   ends a kept-alive connection that sends nothing more), and a connection
//!   that moves no byte for `Limits::idle` while no request is being
//!   answered is closed (a body sent a byte a minute).
//! - Ctrl-C stops accepting, lets open requests finish (up to 5 s) and ends.

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

/// How many connections, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub connections: usize,
    pub header_read: Duration,
    pub idle: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connections: 256,
            header_read: Duration::from_secs(10),
            idle: Duration::from_secs(30),
        }
    }
}

impl Limits {
    /// The defaults, with room kept below this process's open-file limit
    /// (the store, its journal, the listener, the runtime), so connections
    /// are closed to make room before accept fails for want of descriptors.
    pub fn for_this_process() -> Limits {
        let default = Limits::default();
        let connections = open_file_limit().map_or(default.connections, |files| {
            default.connections.min(files.saturating_sub(64)).max(16)
        });
        Limits {
            connections,
            ..default
        }
    }
}

/// The soft limit on open files, from `/proc/self/limits` (Linux).
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// How long open requests may take to finish after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// One open connection, as the accept loop sees it.
struct Entry {
    /// Milliseconds since the server started, at the last byte moved.
    active: AtomicU64,
    /// Requests being answered on it now.
    busy: AtomicUsize,
    /// Told to close (to make room, or at the end).
    close: Notify,
}

/// The open connections.
struct Open {
    started: Instant,
    entries: Mutex<HashMap<u64, Arc<Entry>>>,
    emptied: Notify,
}

impl Open {
    fn entries(&self) -> MutexGuard<'_, HashMap<u64, Arc<Entry>>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn add(&self, id: u64) -> Arc<Entry> {
        let entry = Arc::new(Entry {
            active: AtomicU64::new(self.now()),
            busy: AtomicUsize::new(0),
            close: Notify::new(),
        });
        self.entries().insert(id, Arc::clone(&entry));
        entry
    }

    fn remove(&self, id: u64) {
        let mut entries = self.entries();
        entries.remove(&id);
        if entries.is_empty() {
            self.emptied.notify_waiters();
        }
    }

    /// Closes the connection idle the longest that answers no request now;
    /// false if every one is answering.
    fn close_longest_idle(&self) -> bool {
        let mut entries = self.entries();
        let oldest = entries
            .iter()
            .filter(|(_, e)| e.busy.load(Ordering::Relaxed) == 0)
            .min_by_key(|(_, e)| e.active.load(Ordering::Relaxed))
            .map(|(&id, _)| id);
        oldest
            .and_then(|id| entries.remove(&id))
            .inspect(|e| e.close.notify_one())
            .is_some()
    }
}

/// Serves `router` on `listener` within `limits` until `stop` resolves.
pub async fn serve_until(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let open = Arc::new(Open {
        started: Instant::now(),
        entries: Mutex::new(HashMap::new()),
        emptied: Notify::new(),
    });
    let (shutdown, stopping) = watch::channel(false);
    tokio::pin!(stop);
    let mut failed_accepts = 0u64;
    for id in 0u64.. {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                failed_accepts += 1;
                survive_accept_error(&open, &e, failed_accepts).await;
                continue;
            }
        };
        if open.entries().len() >= limits.connections && !open.close_longest_idle() {
            continue; // every connection is answering a request: refuse this one
        }
        let entry = open.add(id);
        let (open, router, stopping) = (Arc::clone(&open), router.clone(), stopping.clone());
        tokio::spawn(async move {
            connection(stream, router, limits, &entry, &open, stopping).await;
            open.remove(id);
        });
    }
    let _ = shutdown.send(true);
    let emptied = open.emptied.notified();
    if !open.entries().is_empty() {
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, emptied).await;
    }
    Ok(())
}

/// After a failed accept: say so now and then (never what anyone sent),
/// free a descriptor if one can be freed, and wait a moment.
async fn survive_accept_error(open: &Open, error: &std::io::Error, count: u64) {
    if count.is_power_of_two() {
        eprintln!(
            "feltsense could not take a new connection ({error}); {count} so far. It keeps serving."
        );
    }
    let pause = if open.close_longest_idle() { 1 } else { 20 };
    tokio::time::sleep(Duration::from_millis(pause)).await;
}

/// Serves one connection until it ends, is closed to make room, stays idle
/// too long, or the server stops.
async fn connection(
    stream: TcpStream,
    router: Router,
    limits: Limits,
    entry: &Arc<Entry>,
    open: &Arc<Open>,
    mut stopping: watch::Receiver<bool>,
) {
    let io = TokioIo::new(Watched {
        stream,
        entry: Arc::clone(entry),
        open: Arc::clone(open),
    });
    let answering = Arc::clone(entry);
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let busy = Busy::new(&answering);
        let router = router.clone();
        async move {
            let _busy = busy;
            router.oneshot(request.map(axum::body::Body::new)).await
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .serve_connection(io, service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        () = entry.close.notified() => {}
        () = idle_too_long(entry, open, limits.idle) => {}
        _ = stopping.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, conn).await;
        }
    }
}

/// Resolves once the connection has moved no byte for `idle` while it
/// answered no request.
async fn idle_too_long(entry: &Entry, open: &Open, idle: Duration) {
    let idle_ms = u64::try_from(idle.as_millis()).unwrap_or(u64::MAX);
    loop {
        let quiet = open
            .now()
            .saturating_sub(entry.active.load(Ordering::Relaxed));
        if quiet >= idle_ms && entry.busy.load(Ordering::Relaxed) == 0 {
            return;
        }
        let wait = idle_ms.saturating_sub(quiet).max(100);
        tokio::time::sleep(Duration::from_millis(wait)).await;
    }
}

/// Counts a request being answered on a connection while it lives.
struct Busy(Arc<Entry>);

impl Busy {
    fn new(entry: &Arc<Entry>) -> Busy {
        entry.busy.fetch_add(1, Ordering::Relaxed);
        Busy(Arc::clone(entry))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The connection's socket, noting when a byte last moved.
struct Watched {
    stream: TcpStream,
    entry: Arc<Entry>,
    open: Arc<Open>,
}

impl Watched {
    fn moved<T>(&self, poll: &Poll<std::io::Result<T>>, bytes: bool) {
        if bytes && matches!(poll, Poll::Ready(Ok(_))) {
            self.entry.active.store(self.open.now(), Ordering::Relaxed);
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.stream).poll_read(cx, buf);
        self.moved(&poll, buf.filled().len() > before);
        poll
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write(cx, buf);
        let wrote = matches!(poll, Poll::Ready(Ok(n)) if n > 0);
        self.moved(&poll, wrote);
        poll
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
