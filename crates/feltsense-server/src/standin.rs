//! `PersonStores`, the seam between the HTTP side and the person stores,
//! and the stand-in that came before `PgStore`: each person's store a
//! SQLCipher file under a directory, keyed by a key derived from the
//! server key. The server runs on `pg_people::PgPeople` now; the stand-in
//! is kept only until the lead reconciles this with the accounts branch.

use anyhow::Context as _;
use feltsense_store::{SqliteStore, Store};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use uuid::Uuid;

/// The server key is pgstore's own now (`keys::ServerKey`).
pub use crate::keys::ServerKey;

/// Every person's store: made when their account is, opened for their
/// app, removed with their account. Called from blocking threads.
pub trait PersonStores: Send + Sync {
    fn create(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<()>;
    fn open(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<Box<dyn Store + Send>>;
    fn delete(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<()>;
}

/// The stand-in: one SQLCipher file per person under `dir`.
pub struct FileStores {
    dir: PathBuf,
    key: [u8; 32],
}

impl FileStores {
    pub fn new(dir: PathBuf, key: &ServerKey) -> FileStores {
        FileStores {
            dir,
            key: *key.bytes(),
        }
    }

    fn path(&self, tenant: Uuid, person: Uuid) -> PathBuf {
        self.dir.join(format!("{tenant}-{person}.db"))
    }

    /// The person's passphrase: derived from the server key and their ids.
    fn passphrase(&self, tenant: Uuid, person: Uuid) -> String {
        let digest = Sha256::new()
            .chain_update(self.key)
            .chain_update(tenant.as_bytes())
            .chain_update(person.as_bytes())
            .finalize();
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl PersonStores for FileStores {
    fn create(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<()> {
        SqliteStore::create(&self.path(tenant, person), &self.passphrase(tenant, person))?;
        Ok(())
    }

    fn open(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<Box<dyn Store + Send>> {
        let store =
            SqliteStore::open(&self.path(tenant, person), &self.passphrase(tenant, person))?;
        Ok(Box::new(store))
    }

    fn delete(&self, tenant: Uuid, person: Uuid) -> anyhow::Result<()> {
        let path = self.path(tenant, person);
        let files = [
            PathBuf::from(format!("{}-wal", path.display())),
            PathBuf::from(format!("{}-shm", path.display())),
            path.with_extension("lock"),
            path,
        ];
        for file in files {
            match std::fs::remove_file(&file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(e).with_context(|| format!("could not remove {}", file.display()))
                }
                _ => {}
            }
        }
        Ok(())
    }
}
