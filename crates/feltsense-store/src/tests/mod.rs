//! SQLite-specific tests of what the conformance suite cannot reach: rows
//! made bad by SQL, several connections to one file, whole-file operations.

mod concurrent;
mod exported;
mod files;
mod order;
mod sqlite;
mod unreadable;

use crate::conformance::sample;
use crate::{SqliteStore, Store};
use std::path::{Path, PathBuf};

pub const KEY: &str = "the right passphrase";

/// A store file in a fresh directory with `n` check-ins, closed again.
pub fn store_with(n: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feltsense.db");
    let mut store = SqliteStore::create(&path, KEY).unwrap();
    for i in 0..n {
        store
            .add_checkin(&sample(&format!("c{i:05}"), "2026-01-01T10:00:00+00:00"))
            .unwrap();
    }
    (dir, path)
}

pub fn count(path: &Path, key: &str) -> usize {
    SqliteStore::open(path, key)
        .unwrap()
        .checkins(None)
        .unwrap()
        .len()
}

pub fn bytes(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}
