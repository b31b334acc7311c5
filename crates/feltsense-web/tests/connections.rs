//! Issue 10, item 4: the accept loop keeps serving through idle floods and
//! half-sent requests, bounds its connections and stops on request.

use feltsense_store::SqliteStore;
use feltsense_web::connections::{serve_until, Limits};
use feltsense_web::{router, Web};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const HOST: &str = "feltsense-test.localhost:7474";

const LIMITS: Limits = Limits {
    connections: 16,
    header_read: Duration::from_secs(1),
    idle: Duration::from_secs(2),
};

/// Starts the app; dropping the sender stops it.
async fn start() -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let store = SqliteStore::open_in_memory("test").unwrap();
    let web = Web::with_secrets(Box::new(store), "s".into(), "c".into()).serving_at(HOST);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let stop = async {
            let _ = stopped.await;
        };
        serve_until(listener, router(Arc::new(web)), LIMITS, stop)
            .await
            .unwrap();
    });
    (address, stop, server)
}

/// The status line of `GET /help-now`, and how long it took.
async fn help_now(address: SocketAddr) -> (String, Duration) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request = format!("GET /help-now HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await.unwrap();
    let text = String::from_utf8_lossy(&reply);
    (
        text.lines().next().unwrap_or_default().to_string(),
        started.elapsed(),
    )
}

/// True once the server has closed `stream` (within `within`).
async fn closed(stream: &mut TcpStream, within: Duration) -> bool {
    let mut byte = [0u8; 1];
    matches!(
        tokio::time::timeout(within, stream.read(&mut byte)).await,
        Ok(Ok(0) | Err(_))
    )
}

#[tokio::test]
async fn idle_connections_cannot_keep_a_person_out() {
    let (address, stop, server) = start().await;
    let mut idle = Vec::new();
    for _ in 0..40 {
        idle.push(TcpStream::connect(address).await.unwrap());
    }
    let (status, took) = help_now(address).await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(took < Duration::from_secs(1), "answered in {took:?}");
    let mut closed_count = 0;
    for stream in &mut idle {
        if closed(stream, Duration::from_millis(50)).await {
            closed_count += 1;
        }
    }
    assert!(
        closed_count > 40 - LIMITS.connections,
        "only {closed_count} of 40 idle connections were closed to stay within {}",
        LIMITS.connections
    );
    drop(stop);
    server.await.unwrap();
}

#[tokio::test]
async fn a_half_sent_request_is_closed_after_the_header_timeout() {
    let (address, stop, server) = start().await;
    let mut slow = TcpStream::connect(address).await.unwrap();
    slow.write_all(b"GET /help-now HTTP/1.1\r\nHost: ")
        .await
        .unwrap();
    let started = Instant::now();
    assert!(
        closed(&mut slow, Duration::from_secs(5)).await,
        "still open after 5 s"
    );
    assert!(started.elapsed() >= Duration::from_millis(900));
    let mut silent = TcpStream::connect(address).await.unwrap();
    assert!(
        closed(&mut silent, Duration::from_secs(5)).await,
        "a silent one too"
    );
    drop(stop);
    server.await.unwrap();
}

#[tokio::test]
async fn stopping_ends_the_server_even_with_connections_open() {
    let (address, stop, server) = start().await;
    let _idle = TcpStream::connect(address).await.unwrap();
    assert_eq!(help_now(address).await.0, "HTTP/1.1 200 OK");
    drop(stop);
    tokio::time::timeout(Duration::from_secs(7), server)
        .await
        .expect("the server stopped")
        .unwrap();
    assert!(
        TcpStream::connect(address).await.is_err(),
        "nothing listens any more"
    );
}

#[test]
fn the_connection_bound_stays_below_the_open_file_limit() {
    let limits = Limits::for_this_process();
    assert!((16..=256).contains(&limits.connections), "{limits:?}");
}
