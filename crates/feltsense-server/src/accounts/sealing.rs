//! The key that seals second-factor secrets: derived from the server key
//! file (SHA-256 of its bytes and a label of its own), so it never equals
//! the key that wraps people's data keys, and travels with the same file.

use anyhow::Context as _;
use sha2::{Digest, Sha256};
use std::path::Path;
use zeroize::Zeroizing;

pub struct SealingKey(Zeroizing<[u8; 32]>);

impl SealingKey {
    /// From the server key file (made and checked by `ServerKey::load_or_create`).
    pub fn from_file(path: &Path) -> anyhow::Result<SealingKey> {
        let bytes = Zeroizing::new(
            std::fs::read(path).with_context(|| format!("could not read {}", path.display()))?,
        );
        Ok(SealingKey::derive(&bytes))
    }

    pub fn derive(server_key: &[u8]) -> SealingKey {
        let digest = Sha256::new()
            .chain_update(b"feltsense accounts: second factors and feeds")
            .chain_update(server_key)
            .finalize();
        SealingKey(Zeroizing::new(digest.into()))
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}
