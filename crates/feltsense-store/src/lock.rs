//! The lock file beside the store (`feltsense.lock` for `feltsense.db`).
//!
//! Every handle holds it shared for as long as it is open; replacing the
//! store's file (a new passphrase, a restore) holds it exclusively. So a
//! running `serve` keeps the file it has open, and a command that starts
//! while the file is being replaced waits the few seconds until it is done.
//! The lock is `flock(2)`: the system drops it when a process ends, so a
//! crash never leaves the store locked.

use crate::{StoreError, StoreResult};
use std::fs::{File, OpenOptions, TryLockError};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// A held lock; dropping it lets go.
#[derive(Debug)]
pub(crate) struct StoreLock {
    _file: File,
}

fn lock_path(store: &Path) -> PathBuf {
    store.with_extension("lock")
}

fn lock_file(store: &Path) -> StoreResult<File> {
    let path = lock_path(store);
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)
        .map_err(|source| StoreError::Io {
            context: format!("could not open the lock file {}", path.display()),
            source,
        })
}

/// Shared: waits while the store's file is being replaced.
pub(crate) fn shared(store: &Path) -> StoreResult<StoreLock> {
    let file = lock_file(store)?;
    file.lock_shared().map_err(|source| StoreError::Io {
        context: format!("could not lock {}", lock_path(store).display()),
        source,
    })?;
    Ok(StoreLock { _file: file })
}

/// Exclusive, or [`StoreError::InUse`] at once if any handle is open.
pub(crate) fn exclusive(store: &Path) -> StoreResult<StoreLock> {
    let file = lock_file(store)?;
    match file.try_lock() {
        Ok(()) => Ok(StoreLock { _file: file }),
        Err(TryLockError::WouldBlock) => Err(StoreError::InUse(store.to_path_buf())),
        Err(TryLockError::Error(source)) => Err(StoreError::Io {
            context: format!("could not lock {}", lock_path(store).display()),
            source,
        }),
    }
}
