//! Whole-file operations: an encrypted backup of a store that is in use, a
//! new passphrase, and putting a backup back. Each writes a complete new
//! file beside its target, syncs it and renames it into place, so a crash
//! at any moment leaves either the old file or the new one, whole. A new
//! passphrase and a restore hold the store's lock exclusively (see
//! `lock.rs`): they refuse while any other handle has the store open.
//!
//! SQLCipher's `rekey` is not used: it rewrites the file in place and is
//! not safe in WAL mode. `sqlcipher_export` copies every table, index and
//! row into an attached database under its own key, inside one read
//! transaction, so the copy is consistent while others write.

use crate::lock;
use crate::sqlite::{io, prove_key, SqliteStore};
use crate::{schema, StoreError, StoreResult};
use rusqlite::{params, Connection, OpenFlags};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// What a backup file holds, read without changing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupSummary {
    pub check_ins: usize,
    pub journal_entries: usize,
}

/// `feltsense.db` → `feltsense.db.SUFFIX`, in the same directory.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map_or_else(
        || "feltsense.db".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    path.with_file_name(format!("{name}.{suffix}"))
}

/// The files SQLite keeps beside a database.
fn companions(path: &Path) -> [PathBuf; 4] {
    let with = |end: &str| PathBuf::from(format!("{}{end}", path.display()));
    [
        path.to_path_buf(),
        with("-journal"),
        with("-wal"),
        with("-shm"),
    ]
}

/// Removes what a new passphrase or a restore that stopped half-way (a
/// crash, a full disk) left beside the store. Called with the lock held,
/// shared or exclusive, so no such operation is running.
pub(crate) fn remove_leftovers(path: &Path) {
    for temp in [sibling(path, "rekey"), sibling(path, "restore")] {
        for file in companions(&temp) {
            let _ = std::fs::remove_file(file);
        }
    }
}

/// A new file at `path`, owner-only, made by us alone.
pub(crate) fn create_new(path: &Path) -> StoreResult<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => StoreError::AlreadyExists(path.to_path_buf()),
            _ => io(format!("could not create {}", path.display()), source),
        })
}

fn sync_file(path: &Path) -> StoreResult<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|source| io(format!("could not sync {}", path.display()), source))
}

fn sync_dir(path: &Path) -> StoreResult<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => sync_file(dir),
        _ => sync_file(Path::new(".")),
    }
}

fn path_text(path: &Path) -> StoreResult<&str> {
    path.to_str().ok_or_else(|| {
        io(
            format!("{} is not valid UTF-8", path.display()),
            std::io::ErrorKind::InvalidInput.into(),
        )
    })
}

/// Copies every table of `conn`'s store into the attached database `name`,
/// in one read transaction, with the schema version.
fn export_into(conn: &Connection, name: &str) -> StoreResult<()> {
    conn.execute_batch("BEGIN DEFERRED")?;
    let copy = || -> StoreResult<()> {
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        conn.query_row("SELECT sqlcipher_export(?1)", [name], |_| Ok(()))?;
        conn.pragma_update(Some(name), "user_version", version)?;
        Ok(conn.execute_batch("COMMIT")?)
    };
    copy().inspect_err(|_| {
        let _ = conn.execute_batch("ROLLBACK");
    })
}

/// Writes `conn`'s store into the new, empty file `to`, under `key` (the
/// same key as `conn` when `None`).
fn export_to(conn: &Connection, to: &Path, key: Option<&str>) -> StoreResult<()> {
    match key {
        Some(key) => conn.execute(
            "ATTACH DATABASE ?1 AS copy KEY ?2",
            params![path_text(to)?, key],
        )?,
        None => conn.execute("ATTACH DATABASE ?1 AS copy", [path_text(to)?])?,
    };
    let exported = export_into(conn, "copy");
    conn.execute_batch("DETACH DATABASE copy")?;
    exported?;
    sync_file(to)
}

/// A name for a temporary file beside `dest` that nobody can guess.
fn unguessable(dest: &Path) -> PathBuf {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    let name = dest
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    dest.with_file_name(format!(".{name}.{:016x}.partial", h.finish()))
}

impl SqliteStore {
    /// Writes a consistent copy of the store to `dest`, encrypted under
    /// the same passphrase, while other handles keep reading and writing.
    /// `dest` must not exist; it is created owner-only (0600) and appears
    /// whole or not at all. Placed as `feltsense.db` in a data directory it
    /// opens as the store did when the copy began.
    pub fn backup_to(&self, dest: &Path) -> StoreResult<()> {
        if dest.symlink_metadata().is_ok() {
            return Err(StoreError::AlreadyExists(dest.to_path_buf()));
        }
        let temp = unguessable(dest);
        create_new(&temp)?;
        let result = export_to(&self.conn, &temp, None).and_then(|()| publish(&temp, dest));
        let _ = std::fs::remove_file(&temp);
        result
    }
}

/// Gives the finished `temp` the name `dest`, never replacing a file that
/// appeared there meanwhile (a hard link fails if `dest` exists).
fn publish(temp: &Path, dest: &Path) -> StoreResult<()> {
    match std::fs::hard_link(temp, dest) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(StoreError::AlreadyExists(dest.to_path_buf()))
        }
        // Some file systems (FAT on a USB stick) have no hard links.
        Err(_) if dest.symlink_metadata().is_err() => std::fs::rename(temp, dest)
            .map_err(|source| io(format!("could not write {}", dest.display()), source))?,
        Err(_) => return Err(StoreError::AlreadyExists(dest.to_path_buf())),
    }
    sync_dir(dest)
}

/// Re-keys the store at `path` from passphrase `old` to `new`. The store is
/// copied under the new key into a file beside it, which is synced and
/// renamed over the store: a crash at any moment leaves the old key or the
/// new one working, and a leftover copy is removed by the next open. Fails
/// with [`StoreError::InUse`] while any handle has the store open (a web
/// app must drop its handle first), and with
/// [`StoreError::WrongPassphrase`] if `old` does not open it.
pub fn change_passphrase(path: &Path, old: &str, new: &str) -> StoreResult<()> {
    if new.is_empty() {
        return Err(StoreError::EmptyPassphrase);
    }
    if !path.exists() {
        return Err(StoreError::Missing(path.to_path_buf()));
    }
    let _lock = lock::exclusive(path)?;
    remove_leftovers(path);
    let result = rekeyed_copy(path, old, new).and_then(|copy| put_in_place(&copy, path));
    if result.is_err() {
        remove_leftovers(path);
    }
    result
}

/// The store copied under `new` beside it (`feltsense.db.rekey`), synced,
/// and the store's WAL folded into it so nothing but the file remains.
pub(crate) fn rekeyed_copy(path: &Path, old: &str, new: &str) -> StoreResult<PathBuf> {
    let store = SqliteStore::open_unlocked(path, old)?;
    let copy = sibling(path, "rekey");
    create_new(&copy)?;
    export_to(&store.conn, &copy, Some(new))?;
    check_key(&copy, new)?;
    // The old file must carry no WAL once the new one takes its name: a
    // WAL left beside a different database would be read as its own.
    store.conn.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(copy)
}

/// Renames the finished `copy` over `path` and removes the old file's
/// shared-memory index. The caller holds the exclusive lock.
fn put_in_place(copy: &Path, path: &Path) -> StoreResult<()> {
    std::fs::rename(copy, path)
        .map_err(|source| io(format!("could not replace {}", path.display()), source))?;
    sync_dir(path)?;
    let [_, _, _, shm] = companions(path);
    let _ = std::fs::remove_file(shm);
    Ok(())
}

/// Proves that `key` opens `path`, reading only.
fn check_key(path: &Path, key: &str) -> StoreResult<Connection> {
    if key.is_empty() {
        return Err(StoreError::WrongPassphrase);
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    prove_key(&conn, key)?;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > schema::CURRENT {
        return Err(StoreError::TooNew {
            found,
            known: schema::CURRENT,
        });
    }
    Ok(conn)
}

/// What the backup at `from` holds, if `passphrase` opens it; the file is
/// only read.
pub fn inspect(from: &Path, passphrase: &str) -> StoreResult<BackupSummary> {
    if !from.is_file() {
        return Err(StoreError::Missing(from.to_path_buf()));
    }
    let conn = check_key(from, passphrase)?;
    let count = |table: &str| -> usize {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .map_or(0, |n| usize::try_from(n).unwrap_or(0))
    };
    Ok(BackupSummary {
        check_ins: count("checkins"),
        journal_entries: count("journal"),
    })
}

/// Puts the backup at `from` in place as the store at `path`, if
/// `passphrase` opens it. The backup is copied beside the store, brought
/// up to this build's schema there and renamed over the store; the store
/// it replaces is kept beside it as `feltsense.db.replaced-DATE`, whose
/// path is returned. `from` itself is only read. Fails with
/// [`StoreError::InUse`] while any handle has the store open.
pub fn restore(path: &Path, from: &Path, passphrase: &str) -> StoreResult<Option<PathBuf>> {
    inspect(from, passphrase)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|source| io(format!("could not create {}", dir.display()), source))?;
    }
    let _lock = lock::exclusive(path)?;
    remove_leftovers(path);
    let result = restore_locked(path, from, passphrase);
    if result.is_err() {
        remove_leftovers(path);
    }
    result
}

fn restore_locked(path: &Path, from: &Path, passphrase: &str) -> StoreResult<Option<PathBuf>> {
    let copy = sibling(path, "restore");
    let mut out = create_new(&copy)?;
    let mut input = File::open(from)
        .map_err(|source| io(format!("could not read {}", from.display()), source))?;
    std::io::copy(&mut input, &mut out)
        .map_err(|source| io(format!("could not copy {}", from.display()), source))?;
    drop(out);
    let restored = SqliteStore::open_unlocked(&copy, passphrase)?;
    restored
        .conn
        .pragma_update(None, "journal_mode", "DELETE")?;
    drop(restored);
    sync_file(&copy)?;
    let kept = match path.exists() {
        true => Some(keep_replaced(path, passphrase)?),
        false => None,
    };
    put_in_place(&copy, path)?;
    Ok(kept)
}

/// Keeps the store at `path` under a dated name beside it (a second name
/// for the same file, so `path` stays whole meanwhile), with its WAL
/// folded in when `passphrase` opens it, or moved along when it does not.
fn keep_replaced(path: &Path, passphrase: &str) -> StoreResult<PathBuf> {
    let stamp = chrono::Local::now().format("%Y-%m-%dT%H-%M-%S");
    let kept = sibling(path, &format!("replaced-{stamp}"));
    let [_, _, wal, _] = companions(path);
    if wal.exists() {
        if let Ok(store) = SqliteStore::open_unlocked(path, passphrase) {
            store.conn.pragma_update(None, "journal_mode", "DELETE")?;
        }
    }
    std::fs::hard_link(path, &kept).map_err(|source| {
        io(
            format!("could not keep a copy at {}", kept.display()),
            source,
        )
    })?;
    if wal.exists() {
        let [_, _, kept_wal, _] = companions(&kept);
        std::fs::rename(&wal, kept_wal)
            .map_err(|source| io(format!("could not move {}", wal.display()), source))?;
    }
    sync_dir(path)?;
    Ok(kept)
}
