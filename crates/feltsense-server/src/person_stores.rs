//! Every person's store, as the HTTP side needs it: made when their
//! account is, opened for their app, deleted with their account. Over
//! pgstore's `people` and `PgStore`; called from tokio's blocking pool
//! (where blocking on the runtime's handle is allowed), like every store
//! call of the web app.

use crate::keys::ServerKey;
use crate::people;
use crate::store::PgStore;
use deadpool_postgres::Pool;
use feltsense_store::Store;
use std::sync::Arc;
use tokio::runtime::Handle;
use uuid::Uuid;

/// Made, opened and deleted from blocking threads.
pub trait PersonStores: Send + Sync {
    fn create(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<()>;
    fn open(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<Box<dyn Store + Send>>;
    fn delete(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<()>;
}

/// Each person's data in PostgreSQL, under a key wrapped by the server key.
pub struct PgPeople {
    pub pool: Pool,
    pub handle: Handle,
    pub key: Arc<ServerKey>,
}

impl PersonStores for PgPeople {
    fn create(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<()> {
        let made = people::create(&self.pool, &self.key, tenant, person);
        Ok(self.handle.block_on(made)?)
    }

    fn open(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<Box<dyn Store + Send>> {
        let pool = self.pool.clone();
        let store = PgStore::open(pool, self.handle.clone(), &self.key, tenant, person)?;
        Ok(Box::new(store))
    }

    fn delete(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<()> {
        Ok(self
            .handle
            .block_on(people::delete(&self.pool, tenant, person))?)
    }
}
