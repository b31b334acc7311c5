//! The store's key itself, derived once so later opens skip the slow
//! passphrase stretching (issue 11, `feltsense unlock`).
//!
//! SQLCipher 4 turns a passphrase into its AES key with
//! PBKDF2-HMAC-SHA512, 256,000 iterations, over the random salt kept in the
//! file's first 16 bytes. Derived here the same way, the key opens the file
//! as `PRAGMA key = "x'<64 hex key><32 hex salt>'"`, which SQLCipher takes
//! as the key with no derivation. The key is as secret as the passphrase:
//! it lives only in memory, is never printed by `Debug`, and its text is
//! overwritten when dropped.

use crate::sqlite::io;
use crate::{StoreError, StoreResult};
use std::io::Read;
use std::path::Path;

/// SQLCipher 4's defaults: `kdf_iter` and the AES-256 key length.
const ITERATIONS: u32 = 256_000;
const KEY_BYTES: usize = 32;
const SALT_BYTES: usize = 16;

/// A store's raw key with its salt, in the form `PRAGMA key` takes.
pub struct RawKey {
    spec: String,
}

impl std::fmt::Debug for RawKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawKey(..)")
    }
}

impl Drop for RawKey {
    fn drop(&mut self) {
        // Safe Rust cannot promise the compiler keeps this write, but it
        // costs nothing and usually clears the one copy.
        let len = self.spec.len();
        self.spec.clear();
        self.spec.extend(std::iter::repeat_n('0', len));
    }
}

impl RawKey {
    /// The key `passphrase` gives the store at `path` (not yet proven to
    /// open it: see [`crate::SqliteStore::open_with_key`]).
    pub fn derive(path: &Path, passphrase: &str) -> StoreResult<RawKey> {
        if passphrase.is_empty() {
            return Err(StoreError::WrongPassphrase);
        }
        let salt = read_salt(path)?;
        let mut key = [0u8; KEY_BYTES];
        pbkdf2::pbkdf2_hmac::<sha2::Sha512>(passphrase.as_bytes(), &salt, ITERATIONS, &mut key);
        let spec = format!("x'{}{}'", hex(&key), hex(&salt));
        key.fill(0);
        Ok(RawKey { spec })
    }

    /// A key as an agent hands it back: `x'` 96 hex digits `'`, else
    /// `None`.
    pub fn from_spec(spec: &str) -> Option<RawKey> {
        let digits = spec.strip_prefix("x'")?.strip_suffix('\'')?;
        let well_formed = digits.len() == 2 * (KEY_BYTES + SALT_BYTES)
            && digits.bytes().all(|b| b.is_ascii_hexdigit());
        well_formed.then(|| RawKey { spec: spec.into() })
    }

    /// The text `PRAGMA key` takes.
    pub fn spec(&self) -> &str {
        &self.spec
    }
}

fn read_salt(path: &Path) -> StoreResult<[u8; SALT_BYTES]> {
    let mut salt = [0u8; SALT_BYTES];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut salt))
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => StoreError::Missing(path.to_path_buf()),
            // A file shorter than its salt is no store this key can open.
            std::io::ErrorKind::UnexpectedEof => StoreError::WrongPassphrase,
            _ => io(format!("could not read {}", path.display()), source),
        })?;
    Ok(salt)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SqliteStore, Store};

    #[test]
    fn the_derived_key_opens_a_real_store_and_a_wrong_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feltsense.db");
        drop(SqliteStore::create(&path, "a real passphrase").unwrap());
        let key = RawKey::derive(&path, "a real passphrase").unwrap();
        let store = SqliteStore::open_with_key(&path, &key).unwrap();
        assert!(store.checkins(None).unwrap().is_empty());
        drop(store);
        let wrong = RawKey::derive(&path, "another passphrase").unwrap();
        assert!(matches!(
            SqliteStore::open_with_key(&path, &wrong),
            Err(StoreError::WrongPassphrase)
        ));
    }

    #[test]
    fn only_well_formed_specs_are_taken_and_debug_hides_the_key() {
        let good = format!("x'{}'", "ab".repeat(48));
        let key = RawKey::from_spec(&good).unwrap();
        assert_eq!(key.spec(), good);
        assert_eq!(format!("{key:?}"), "RawKey(..)");
        for bad in ["", "x''", &good[..good.len() - 1], &good.replace('a', "g")] {
            assert!(RawKey::from_spec(bad).is_none(), "{bad}");
        }
    }
}
