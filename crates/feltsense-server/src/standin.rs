//! A stand-in for pgstore's `keys::ServerKey`, `people::{create, delete}`
//! and `PgStore::open`, kept in this one file until that branch is merged:
//! each person's store is a SQLCipher file under a directory, keyed by a
//! key derived from the server key. At the merge, `PersonStores` gets an
//! implementation over `PgStore` (blocking on the pool's handle from the
//! blocking threads the web app already calls the store on) and this file
//! goes.

use anyhow::Context as _;
use feltsense_store::{SqliteStore, Store};
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The server's 32-byte key: seals the second-factor secrets (and, with
/// pgstore, wraps every person's data key).
pub struct ServerKey([u8; 32]);

impl ServerKey {
    /// Reads the key at `path`, or creates it there (owner-only, 0600).
    pub fn load_or_create(path: &Path) -> anyhow::Result<ServerKey> {
        match std::fs::read(path) {
            Ok(bytes) => ServerKey::from_bytes(&bytes)
                .with_context(|| format!("the key file {} is not a server key", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => ServerKey::create(path),
            Err(e) => Err(e).with_context(|| format!("could not read {}", path.display())),
        }
    }

    fn create(path: &Path) -> anyhow::Result<ServerKey> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the operating system provides randomness");
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .with_context(|| format!("could not create the key file {}", path.display()))?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        Ok(ServerKey(bytes))
    }

    fn from_bytes(bytes: &[u8]) -> anyhow::Result<ServerKey> {
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("it holds {} bytes, not 32", bytes.len()))?;
        Ok(ServerKey(key))
    }

    /// The key itself (for sealing).
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

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
