//! Every person's store in PostgreSQL: [`PersonStores`] over
//! `people::{create, delete}` and [`PgStore::open`]. The web app calls
//! these on tokio's blocking pool, so each blocks on the runtime's handle
//! (never from an async worker).

use crate::keys::ServerKey;
use crate::standin::PersonStores;
use crate::{people, PgStore};
use deadpool_postgres::Pool;
use feltsense_store::Store;
use std::sync::Arc;
use tokio::runtime::Handle;
use uuid::Uuid;

/// The person stores of one server: its pool, its runtime and its key.
pub struct PgPeople {
    pool: Pool,
    handle: Handle,
    key: Arc<ServerKey>,
}

impl PgPeople {
    pub fn new(pool: Pool, handle: Handle, key: Arc<ServerKey>) -> PgPeople {
        PgPeople { pool, handle, key }
    }
}

impl PersonStores for PgPeople {
    fn create(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<()> {
        let made = people::create(&self.pool, &self.key, tenant, person);
        Ok(self.handle.block_on(made)?)
    }

    fn open(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<Box<dyn Store + Send>> {
        let (pool, handle) = (self.pool.clone(), self.handle.clone());
        let store = PgStore::open(pool, handle, &self.key, tenant, person)?;
        Ok(Box::new(store))
    }

    fn delete(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<()> {
        Ok(self
            .handle
            .block_on(people::delete(&self.pool, tenant, person))?)
    }
}
