//! Random tokens and their stored form.

use sha2::{Digest, Sha256};

/// 32 random bytes from the operating system, as hex.
pub fn token() -> String {
    feltsense_web::random_token()
}

/// What the database keeps of a token: its SHA-256 (a token is 256 random
/// bits, so no stretching is needed).
pub fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Constant-time comparison.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
