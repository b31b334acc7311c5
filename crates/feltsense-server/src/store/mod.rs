//! [`PgStore`]: one person's data in PostgreSQL behind the synchronous
//! [`Store`] trait.
//!
//! Every method is one transaction that first sets `feltsense.tenant` and
//! `feltsense.person` (row-level security) and still says
//! `WHERE tenant = $1 AND person = $2` itself. Every write first raises
//! `people.version`, which also makes this person's writers wait their
//! turn (the row lock), whichever server instance they run on, and ends
//! by recomputing the person's caseload summaries (`sharing::summary`).
//!
//! The trait is synchronous and the driver async: each method runs the
//! async work with [`Handle::block_on`], so it must be called from a thread
//! outside the runtime's workers (the web app calls every store method on
//! tokio's blocking pool with `spawn_blocking`).

pub(crate) mod import;
pub(crate) mod kept;
pub(crate) mod kinds;
mod methods;

use crate::keys::{Secret, ServerKey};
use crate::sharing::summary;
use deadpool_postgres::{Client, Pool, Transaction};
use feltsense_core::CheckIn;
use feltsense_store::{StoreError, Unreadable};
use kept::{Kept, Touches};
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::sync::Arc;
use tokio::runtime::Handle;
use uuid::Uuid;

/// Why a key, person or database operation of the server failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    #[error("could not use the server key file {path}: {source}")]
    KeyFile {
        path: String,
        source: std::io::Error,
    },
    #[error("the server key file {0} exists already")]
    KeyFileExists(String),
    #[error("the server key file {path} can be read or changed by other users (mode {mode:o}); make it owner-only with `chmod 600 {path}`")]
    KeyFileExposed { path: String, mode: u32 },
    #[error("the server key file {path} is not a feltsense server key: it holds {len} bytes, a key is 32")]
    KeyFileMalformed { path: String, len: usize },
    #[error("this key file does not open the keys in this database; start the server with the key file the database was set up with")]
    WrongServerKey,
    #[error("person {person} of tenant {tenant} exists already")]
    PersonExists { tenant: Uuid, person: Uuid },
    #[error("there is no person {person} in tenant {tenant}")]
    NoPerson { tenant: Uuid, person: Uuid },
    #[error("database: {0}")]
    Database(String),
}

impl From<tokio_postgres::Error> for DataError {
    fn from(e: tokio_postgres::Error) -> DataError {
        DataError::Database(describe(&e))
    }
}

impl From<deadpool_postgres::PoolError> for DataError {
    fn from(e: deadpool_postgres::PoolError) -> DataError {
        DataError::Database(e.to_string())
    }
}

/// The driver's error with the server's own message (which never holds a
/// parameter's value).
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{e}: {}", db.message()),
        None => e.to_string(),
    }
}

/// Any failure inside a store method, turned into a [`StoreError`] at the
/// trait's boundary.
pub(crate) struct Fail(StoreError);

impl Fail {
    /// What went wrong, for a reader's view (which reads with these
    /// functions but reports its own errors).
    pub(crate) fn message(&self) -> String {
        self.0.to_string()
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Fail {
        Fail(e)
    }
}

impl From<tokio_postgres::Error> for Fail {
    fn from(e: tokio_postgres::Error) -> Fail {
        Fail(StoreError::Backend(describe(&e)))
    }
}

impl From<deadpool_postgres::PoolError> for Fail {
    fn from(e: deadpool_postgres::PoolError) -> Fail {
        Fail(StoreError::Backend(e.to_string()))
    }
}

pub(crate) type Done<T> = Result<T, Fail>;

/// Whose data, and the key that seals it.
pub(crate) struct Scope {
    pub tenant: Uuid,
    pub person: Uuid,
    pub key: Secret,
}

/// One person's data in PostgreSQL. See the module documentation.
pub struct PgStore {
    pool: Pool,
    handle: Handle,
    scope: Scope,
    skipped: RefCell<BTreeSet<Unreadable>>,
    /// The check-ins as last read or written here (see `kept.rs`).
    kept: RefCell<Option<Kept>>,
    /// Whether the questionnaires summary is known to be stored (a
    /// check-in write stores it only when it is not).
    summarised: Cell<bool>,
}

// The web app keeps one store per person behind `Box<dyn Store + Send>`.
const _: fn() = || {
    fn send<T: Send>() {}
    send::<PgStore>();
};

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("tenant", &self.scope.tenant)
            .field("person", &self.scope.person)
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// The store of `person` in `tenant`, their data key unwrapped with
    /// `key`. Blocks on `handle`: call it outside the runtime's workers
    /// (else use [`PgStore::open_async`]).
    pub fn open(
        pool: Pool,
        handle: Handle,
        key: &ServerKey,
        tenant: Uuid,
        person: Uuid,
    ) -> Result<PgStore, DataError> {
        handle
            .clone()
            .block_on(PgStore::open_async(pool, handle, key, tenant, person))
    }

    /// [`PgStore::open`] from async code.
    pub async fn open_async(
        pool: Pool,
        handle: Handle,
        key: &ServerKey,
        tenant: Uuid,
        person: Uuid,
    ) -> Result<PgStore, DataError> {
        let mut client = pool.get().await?;
        let tx = scoped(&mut client, tenant, person).await?;
        let row = tx
            .query_opt(
                "SELECT wrapped_key FROM people WHERE tenant = $1 AND id = $2",
                &[&tenant, &person],
            )
            .await?
            .ok_or(DataError::NoPerson { tenant, person })?;
        let data_key = key.unwrap(tenant, person, row.get(0))?;
        tx.commit().await?;
        drop(client);
        Ok(PgStore {
            pool,
            handle,
            scope: Scope {
                tenant,
                person,
                key: data_key,
            },
            skipped: RefCell::default(),
            kept: RefCell::default(),
            summarised: Cell::new(false),
        })
    }

    /// Runs `work` in one read-only transaction scoped to this person.
    fn read<T>(&self, work: impl AsyncFnOnce(&Transaction<'_>, &Scope) -> Done<T>) -> Done<T> {
        self.handle.block_on(async {
            let mut client = self.pool.get().await?;
            let tx = scoped_read(&mut client, self.scope.tenant, self.scope.person).await?;
            let value = work(&tx, &self.scope).await?;
            tx.commit().await?;
            Ok(value)
        })
    }

    /// Runs `work` in one transaction scoped to this person that first
    /// raises their version (and so waits for their other writers), then
    /// brings the summaries `touches` changes up to date. The kept
    /// check-ins follow the write when nothing else was written between.
    fn write<T>(
        &self,
        touches: Touches<'_>,
        work: impl AsyncFnOnce(&Transaction<'_>, &Scope) -> Done<T>,
    ) -> Done<T> {
        self.handle.block_on(async {
            let mut client = self.pool.get().await?;
            let tx = scoped(&mut client, self.scope.tenant, self.scope.person).await?;
            let version = raise_version(&tx, &self.scope).await?;
            let value = work(&tx, &self.scope).await?;
            // Taken, so the list can change in place; until the commit
            // nothing is kept (a failed write is read again).
            let kept = Kept::after(self.kept.borrow_mut().take(), version, &touches);
            let how = summary::Refresh::new(&touches, kept.as_ref(), self.summarised.get());
            summary::refresh(&tx, &self.scope, how).await?;
            tx.commit().await?;
            *self.kept.borrow_mut() = kept;
            self.summarised.set(true);
            Ok(value)
        })
    }

    /// Every check-in, newest first: the kept list when the version read
    /// now is the kept one, else all of them read again (and kept).
    fn kept_checkins(&self) -> Done<Arc<Vec<CheckIn>>> {
        let kept = self.kept.borrow().clone();
        let (version, loaded) = self.read(async |tx, scope| {
            let version = stored_version(tx, scope).await?;
            if kept.as_ref().is_some_and(|k| k.version == version) {
                return Ok((version, None));
            }
            let loaded = kinds::load::<CheckIn>(tx, scope, kinds::Filter::All).await?;
            Ok((version, Some(loaded)))
        })?;
        match (loaded, kept) {
            (None, Some(kept)) => Ok(kept.checkins),
            (Some(loaded), _) => {
                let checkins = Arc::new(self.keep(loaded));
                let fresh = Kept {
                    version,
                    checkins: Arc::clone(&checkins),
                };
                *self.kept.borrow_mut() = Some(fresh);
                Ok(checkins)
            }
            (None, None) => unreachable!("a kept list was there when the read began"),
        }
    }

    /// The records `loaded` found; what it skipped is kept for
    /// [`feltsense_store::Store::skipped`].
    fn keep<T>(&self, loaded: kinds::Loaded<T>) -> Vec<T> {
        self.skipped.borrow_mut().extend(loaded.skipped);
        loaded.found
    }
}

/// Raises the person's version (taking their row lock); the new value.
async fn raise_version(tx: &Transaction<'_>, scope: &Scope) -> Done<i64> {
    let raise = tx
        .prepare_cached(
            "UPDATE people SET version = version + 1 WHERE tenant = $1 AND id = $2 RETURNING version",
        )
        .await?;
    match tx
        .query_opt(&raise, &[&scope.tenant, &scope.person])
        .await?
    {
        Some(row) => Ok(row.get(0)),
        None => Err(Fail(StoreError::Backend(format!(
            "person {} of tenant {} is no longer in the database",
            scope.person, scope.tenant
        )))),
    }
}

/// The person's version as stored now.
pub(crate) async fn stored_version(tx: &Transaction<'_>, scope: &Scope) -> Done<i64> {
    let select = tx
        .prepare_cached("SELECT version FROM people WHERE tenant = $1 AND id = $2")
        .await?;
    Ok(tx
        .query_one(&select, &[&scope.tenant, &scope.person])
        .await?
        .get(0))
}

/// A transaction on `client` with the row-level security settings for
/// `person` of `tenant`, local to it.
pub(crate) async fn scoped(
    client: &mut Client,
    tenant: Uuid,
    person: Uuid,
) -> Result<Transaction<'_>, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    scope_to(tx, tenant, person).await
}

/// [`scoped`], read-only (`START TRANSACTION READ ONLY`: one statement,
/// not a `BEGIN` and a `SET TRANSACTION` after it).
pub(crate) async fn scoped_read(
    client: &mut Client,
    tenant: Uuid,
    person: Uuid,
) -> Result<Transaction<'_>, tokio_postgres::Error> {
    let tx = client.build_transaction().read_only(true).start().await?;
    scope_to(tx, tenant, person).await
}

async fn scope_to(
    tx: Transaction<'_>,
    tenant: Uuid,
    person: Uuid,
) -> Result<Transaction<'_>, tokio_postgres::Error> {
    let settings = tx
        .prepare_cached(
            "SELECT set_config('feltsense.tenant', $1, true), set_config('feltsense.person', $2, true)",
        )
        .await?;
    tx.execute(&settings, &[&tenant.to_string(), &person.to_string()])
        .await?;
    Ok(tx)
}
