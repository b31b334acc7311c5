//! Starting the server: the pool, the schema (migrated when this role may,
//! else checked), and the listener, over TLS (rustls with `ring`) or plain
//! behind a proxy that terminates TLS.

use crate::accounts::Accounts;
use crate::accounts::SealingKey;
use crate::db;
use crate::keys::ServerKey;
use crate::person_stores::PgPeople;
use crate::site::Site;
use crate::web::{self, Server};
use anyhow::Context as _;
use deadpool_postgres::Pool;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// How many connections to PostgreSQL one instance keeps.
pub const POOL_SIZE: usize = 16;

/// A pool to `url`, with a clear message for a URL that is not one.
pub fn pool(url: &str) -> anyhow::Result<Pool> {
    db::pool(url, POOL_SIZE).map_err(|e| {
        anyhow::anyhow!("the database URL is not one PostgreSQL takes ({e}); give it as postgres://user:password@host:port/database")
    })
}

/// Applies the migrations when this role may create tables; otherwise
/// checks every one has been applied. Returns those applied now.
pub async fn ready_schema(pool: &Pool) -> anyhow::Result<Vec<&'static str>> {
    let mut client = pool.get().await.context("could not reach the database")?;
    let row = client
        .query_one(
            "SELECT has_schema_privilege(current_schema(), 'CREATE')",
            &[],
        )
        .await?;
    if row.get::<_, bool>(0) {
        return Ok(db::migrate(&mut client).await?);
    }
    let applied = client
        .query("SELECT name FROM schema_migrations", &[])
        .await
        .map(|rows| {
            rows.iter()
                .map(|r| r.get::<_, String>(0))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let missing: Vec<&str> = db::MIGRATIONS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !applied.iter().any(|a| a == name))
        .collect();
    if missing.is_empty() {
        Ok(Vec::new())
    } else {
        anyhow::bail!(
            "the database's schema is not up to date for this server (missing {}), and this role may not change it. \
             Please run `feltsense server migrate --database-url <the owner's URL>` first",
            missing.join(", ")
        )
    }
}

/// Refuses a key file that does not open this database's keys (in an
/// empty database, records that this key is the one), nor its sealed
/// second-factor secrets.
pub async fn verify_key(pool: &Pool, key_file: &Path) -> anyhow::Result<()> {
    ServerKey::load_or_create(key_file)?.verify(pool).await?;
    let sealing = Arc::new(SealingKey::from_file(key_file)?);
    Accounts::new(pool.clone(), sealing).verify_key().await
}

/// The server's state over `pool`, with the server key at `key_file`.
/// Call from within the runtime (person stores block on its handle).
pub fn server(pool: Pool, key_file: &Path, site: Site) -> anyhow::Result<Arc<Server>> {
    let key = Arc::new(ServerKey::load_or_create(key_file)?);
    let sealing = Arc::new(SealingKey::from_file(key_file)?);
    let stores = Arc::new(PgPeople {
        pool: pool.clone(),
        handle: tokio::runtime::Handle::current(),
        key: key.clone(),
    });
    let sharing = crate::web::Sharing {
        pool: pool.clone(),
        key,
    };
    Ok(Server::new(
        Accounts::new(pool, sealing),
        stores,
        site,
        sharing,
    ))
}

/// The TLS configuration from PEM files (a certificate chain and its key).
pub fn tls(cert: &Path, key: &Path) -> anyhow::Result<TlsAcceptor> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            anyhow::anyhow!("could not read the certificates in {}: {e}", cert.display())
        })?;
    let private = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| anyhow::anyhow!("could not read a private key in {}: {e}", key.display()))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_no_client_auth()
    .with_single_cert(chain, private)
    .context("the certificate and the key do not make a TLS configuration")?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    server: Arc<Server>,
) -> std::io::Result<()> {
    let app = web::router(server).into_make_service_with_connect_info::<SocketAddr>();
    match tls {
        None => {
            axum::serve(listener, app)
                .with_graceful_shutdown(stopped())
                .await
        }
        Some(acceptor) => {
            use axum::serve::ListenerExt as _;
            let listener = TlsListener::new(listener, acceptor).tap_io(|_| {});
            axum::serve(listener, app)
                .with_graceful_shutdown(stopped())
                .await
        }
    }
}

async fn stopped() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
    }
}

/// Accepts TCP connections and hands on those whose TLS handshake
/// finished, each handshake in its own task (a slow one delays no one).
struct TlsListener {
    local: SocketAddr,
    ready: tokio::sync::mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
}

/// A handshake not finished by then is dropped.
const HANDSHAKE: std::time::Duration = std::time::Duration::from_secs(10);

impl TlsListener {
    fn new(listener: TcpListener, acceptor: TlsAcceptor) -> TlsListener {
        let local = listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)));
        let (send, ready) = tokio::sync::mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                let Ok((tcp, peer)) = listener.accept().await else {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                };
                let (acceptor, send) = (acceptor.clone(), send.clone());
                tokio::spawn(async move {
                    if let Ok(Ok(tls)) = tokio::time::timeout(HANDSHAKE, acceptor.accept(tcp)).await
                    {
                        let _ = send.send((tls, peer)).await;
                    }
                });
            }
        });
        TlsListener { local, ready }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(ready) => ready,
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}
