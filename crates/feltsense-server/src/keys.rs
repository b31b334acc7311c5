//! The key hierarchy. One server key (32 random bytes in an owner-only
//! file, never in the database) wraps one data key per person (kept
//! wrapped in `people.wrapped_key`); each person's data key seals what
//! they wrote. Rotating the server key re-wraps the data keys and touches
//! no record.

use crate::store::DataError;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use deadpool_postgres::Pool;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::Path;
use uuid::Uuid;
use zeroize::Zeroizing;

const NONCE: usize = 24;
/// What `server_key_check` holds, sealed by the server key.
const CHECK: &[u8] = b"feltsense server key check";

/// 32 secret bytes, wiped from memory when dropped.
#[derive(Clone)]
pub(crate) struct Secret(Zeroizing<[u8; 32]>);

impl Secret {
    pub(crate) fn random() -> Secret {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).expect("the system's random source works");
        Secret(bytes)
    }

    fn from_slice(bytes: &[u8]) -> Option<Secret> {
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(Secret(Zeroizing::new(array)))
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// `plain` sealed with XChaCha20-Poly1305: a random nonce, then the
    /// ciphertext; `bound` (associated data) must match to open it.
    pub(crate) fn seal(&self, bound: &[u8], plain: &[u8]) -> Vec<u8> {
        let cipher = XChaCha20Poly1305::new(self.0.as_ref().into());
        let mut nonce = [0u8; NONCE];
        getrandom::fill(&mut nonce).expect("the system's random source works");
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: bound,
                },
            )
            .expect("sealing a value in memory cannot fail");
        [nonce.as_slice(), &sealed].concat()
    }

    /// What [`Secret::seal`] sealed with this key and `bound`, or `None`.
    pub(crate) fn open(&self, bound: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if sealed.len() < NONCE {
            return None;
        }
        let (nonce, body) = sealed.split_at(NONCE);
        let cipher = XChaCha20Poly1305::new(self.0.as_ref().into());
        cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: bound,
                },
            )
            .ok()
            .map(Zeroizing::new)
    }
}

/// The key that wraps every person's data key.
#[derive(Clone)]
pub struct ServerKey(Secret);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(…)")
    }
}

impl ServerKey {
    /// The key that seals second-factor and calendar-feed secrets: the same as `SealingKey::from_file` of this key's file.
    pub fn sealing_key(&self) -> crate::accounts::SealingKey {
        crate::accounts::SealingKey::derive(self.0.bytes())
    }

    /// A new random key held in memory only (tests, or a rotation's target
    /// before it is written with [`ServerKey::save_new`]).
    pub fn generate() -> ServerKey {
        ServerKey(Secret::random())
    }

    /// The key in `path`, or a new one written there (owner-only, 0600)
    /// when there is no file. A file others may read is refused.
    pub fn load_or_create(path: &Path) -> Result<ServerKey, DataError> {
        match std::fs::metadata(path) {
            Ok(_) => ServerKey::load(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = ServerKey::generate();
                match key.save_new(path) {
                    Ok(()) => Ok(key),
                    // Another process made it first: use theirs.
                    Err(DataError::KeyFileExists(_)) => ServerKey::load(path),
                    Err(e) => Err(e),
                }
            }
            Err(source) => Err(DataError::KeyFile {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    /// The key in an existing file.
    pub fn load(path: &Path) -> Result<ServerKey, DataError> {
        let shown = || path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|source| DataError::KeyFile {
            path: shown(),
            source,
        })?;
        if meta.mode() & 0o077 != 0 {
            return Err(DataError::KeyFileExposed {
                path: shown(),
                mode: meta.mode() & 0o777,
            });
        }
        let bytes = Zeroizing::new(std::fs::read(path).map_err(|source| DataError::KeyFile {
            path: shown(),
            source,
        })?);
        Secret::from_slice(&bytes)
            .map(ServerKey)
            .ok_or_else(|| DataError::KeyFileMalformed {
                path: shown(),
                len: bytes.len(),
            })
    }

    /// Writes this key to a new owner-only file; fails if `path` exists.
    pub fn save_new(&self, path: &Path) -> Result<(), DataError> {
        let shown = path.display().to_string();
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|source| match source.kind() {
                std::io::ErrorKind::AlreadyExists => DataError::KeyFileExists(shown.clone()),
                _ => DataError::KeyFile {
                    path: shown.clone(),
                    source,
                },
            })?;
        let written = file
            .write_all(self.0.bytes())
            .and_then(|()| file.sync_all());
        written.map_err(|source| {
            let _ = std::fs::remove_file(path);
            DataError::KeyFile {
                path: shown,
                source,
            }
        })
    }

    /// Refuses a key that does not open this database's keys; in an empty
    /// database, records that this key is the one.
    pub async fn verify(&self, pool: &Pool) -> Result<(), DataError> {
        let client = pool.get().await?;
        let stored = client
            .query_opt("SELECT sealed FROM server_key_check WHERE id = 1", &[])
            .await?;
        match stored {
            Some(row) => match self.0.open(b"server key check", row.get(0)) {
                Some(check) if check.as_slice() == CHECK => Ok(()),
                _ => Err(DataError::WrongServerKey),
            },
            None => self.record_check(&client).await,
        }
    }

    /// Seals the check value, unless one is there already.
    pub(crate) async fn record_check(
        &self,
        client: &deadpool_postgres::Client,
    ) -> Result<(), DataError> {
        client
            .execute(
                "INSERT INTO server_key_check (id, sealed, key_version) VALUES (1, $1, 1)
                 ON CONFLICT (id) DO NOTHING",
                &[&self.0.seal(b"server key check", CHECK)],
            )
            .await?;
        Ok(())
    }

    pub(crate) fn wrap(&self, tenant: Uuid, person: Uuid, data_key: &Secret) -> Vec<u8> {
        self.0.seal(&person_bound(tenant, person), data_key.bytes())
    }

    /// The person's data key, or [`DataError::WrongServerKey`].
    pub(crate) fn unwrap(
        &self,
        tenant: Uuid,
        person: Uuid,
        wrapped: &[u8],
    ) -> Result<Secret, DataError> {
        self.0
            .open(&person_bound(tenant, person), wrapped)
            .and_then(|bytes| Secret::from_slice(&bytes))
            .ok_or(DataError::WrongServerKey)
    }
}

fn person_bound(tenant: Uuid, person: Uuid) -> Vec<u8> {
    [
        b"person key".as_slice(),
        tenant.as_bytes(),
        person.as_bytes(),
    ]
    .concat()
}

/// What a key rotation changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotated {
    /// People whose data key was rewrapped.
    pub people: usize,
    /// Accounts whose second-factor secret was resealed.
    pub second_factors: usize,
    /// Accounts whose calendar-feed secret was resealed.
    pub feeds: usize,
}

/// Moves everything the server key protects under `new`, in one
/// transaction (after verifying `old`), so a failure changes nothing:
/// every person's data key is rewrapped (no record is re-encrypted), every
/// second-factor and calendar-feed secret is resealed under the key
/// derived from `new` (`accounts::SealingKey`), and the check value is
/// sealed anew.
pub async fn rotate_key(
    pool: &Pool,
    old: &ServerKey,
    new: &ServerKey,
) -> Result<Rotated, DataError> {
    old.verify(pool).await?;
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let people = rewrap(&tx, old, new).await?;
    let (old_seal, new_seal) = (old.sealing_key(), new.sealing_key());
    let second_factors = crate::accounts::reseal_in(&tx, &old_seal, &new_seal).await?;
    let feeds = crate::accounts::reseal_feeds_in(&tx, &old_seal, &new_seal).await?;
    tx.execute(
        "UPDATE server_key_check SET sealed = $1, key_version = key_version + 1 WHERE id = 1",
        &[&new.0.seal(b"server key check", CHECK)],
    )
    .await?;
    tx.commit().await?;
    Ok(Rotated {
        people,
        second_factors,
        feeds,
    })
}

/// Rewraps every person's data key from `old` to `new` within `tx`.
async fn rewrap(
    tx: &deadpool_postgres::Transaction<'_>,
    old: &ServerKey,
    new: &ServerKey,
) -> Result<usize, DataError> {
    tx.execute(
        "SELECT set_config('feltsense.rewrap', 'every key', true)",
        &[],
    )
    .await?;
    let rows = tx
        .query("SELECT tenant, id, wrapped_key FROM people FOR UPDATE", &[])
        .await?;
    for row in &rows {
        let (tenant, person): (Uuid, Uuid) = (row.get(0), row.get(1));
        let data_key = old.unwrap(tenant, person, row.get(2))?;
        tx.execute(
            "UPDATE people SET wrapped_key = $3, key_version = key_version + 1
             WHERE tenant = $1 AND id = $2",
            &[&tenant, &person, &new.wrap(tenant, person, &data_key)],
        )
        .await?;
    }
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_binding() {
        let key = Secret::random();
        let sealed = key.seal(b"row 1", b"a note");
        assert_eq!(key.open(b"row 1", &sealed).unwrap().as_slice(), b"a note");
        assert!(key.open(b"row 2", &sealed).is_none(), "another row");
        assert!(
            Secret::random().open(b"row 1", &sealed).is_none(),
            "another key"
        );
        assert!(key.open(b"row 1", &sealed[..NONCE]).is_none(), "cut short");
        let mut changed = sealed.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert!(key.open(b"row 1", &changed).is_none(), "changed");
        assert_ne!(
            key.seal(b"row 1", b"a note"),
            sealed,
            "a fresh nonce each time"
        );
    }

    #[test]
    fn a_data_key_unwraps_only_for_its_person() {
        let server = ServerKey::generate();
        let (tenant, person) = (Uuid::now_v7(), Uuid::now_v7());
        let data_key = Secret::random();
        let wrapped = server.wrap(tenant, person, &data_key);
        let back = server.unwrap(tenant, person, &wrapped).unwrap();
        assert_eq!(back.bytes(), data_key.bytes());
        assert!(server.unwrap(tenant, Uuid::now_v7(), &wrapped).is_err());
        assert!(ServerKey::generate()
            .unwrap(tenant, person, &wrapped)
            .is_err());
    }
}
