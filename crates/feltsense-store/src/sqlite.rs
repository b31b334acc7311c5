//! The SQLite store, encrypted with SQLCipher 4 defaults: AES-256 in CBC
//! mode with an HMAC-SHA512 per page, the key derived from the passphrase
//! with PBKDF2-HMAC-SHA512 (256,000 iterations) and a random salt kept in
//! the file's first 16 bytes. Every page of the database and of its WAL is
//! encrypted; the passphrase and key are never written anywhere.

use crate::lock::{self, StoreLock};
use crate::raw_key::RawKey;
use crate::read::{self, Filter, Loaded};
use crate::{
    schema, ImportBatch, ImportMode, ImportPlan, Store, StoreError, StoreResult, Unreadable,
};
use chrono::{DateTime, Utc};
use feltsense_core::assessments::Response;
use feltsense_core::bridges::Bridge;
use feltsense_core::items::FixedItems;
use feltsense_core::{CheckIn, JournalEntry, SafetyPlan};
use rusqlite::config::DbConfig;
use rusqlite::{
    params, Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, TransactionBehavior,
};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fs::DirBuilder;
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;
use std::time::Duration;

/// How long a write waits for another writer to finish before it fails.
/// The longest write is an import: 20,000 records take about 3 s alone on
/// a laptop, several times that on a busy machine or in a debug build, so
/// 30 s lets it finish while a check-in waits, and still ends a wait that
/// would never end (a stuck process) with a message.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A feltsense store in one encrypted SQLite file.
pub struct SqliteStore {
    pub(crate) conn: Connection,
    /// Commits through this connection (SQLite's `data_version` counts only
    /// other connections' commits).
    writes: u64,
    /// What reads through this handle left out (see [`Store::skipped`]).
    skipped: RefCell<BTreeSet<Unreadable>>,
    /// Held shared while the store is open (see `lock.rs`).
    _lock: Option<StoreLock>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.conn.path())
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Creates a new store at `path`, making its directory (owner-only,
    /// 0700) and the file (0600) first. Fails if a store is already there.
    pub fn create(path: &Path, passphrase: &str) -> StoreResult<SqliteStore> {
        if passphrase.is_empty() {
            return Err(StoreError::EmptyPassphrase);
        }
        if let Some(dir) = path.parent() {
            DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|source| io(format!("could not create {}", dir.display()), source))?;
        }
        let lock = lock::shared(path)?;
        // Creating the empty file ourselves fixes its mode before SQLite
        // writes a byte; SQLite gives the -wal and -shm files the same mode.
        crate::keys::create_new(path)?;
        let result = SqliteStore::open_unlocked(path, passphrase);
        if result.is_err() {
            // Nothing half-made is left behind.
            let _ = std::fs::remove_file(path);
        }
        Ok(SqliteStore {
            _lock: Some(lock),
            ..result?
        })
    }

    /// Opens an existing store. A wrong passphrase fails with
    /// [`StoreError::WrongPassphrase`] before anything on disk changes.
    /// Waits while another process replaces the file (a new passphrase, a
    /// restore), and holds the lock that keeps it from doing so meanwhile.
    pub fn open(path: &Path, passphrase: &str) -> StoreResult<SqliteStore> {
        if !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let lock = lock::shared(path)?;
        crate::keys::remove_leftovers(path);
        Ok(SqliteStore {
            _lock: Some(lock),
            ..SqliteStore::open_unlocked(path, passphrase)?
        })
    }

    /// Opens an existing store with its raw key (see [`RawKey`]), skipping
    /// the passphrase stretching; otherwise as [`SqliteStore::open`]. A key
    /// that does not open it fails with [`StoreError::WrongPassphrase`].
    pub fn open_with_key(path: &Path, key: &RawKey) -> StoreResult<SqliteStore> {
        // SQLCipher reads a key of the form x'…' as the key itself.
        SqliteStore::open(path, key.spec())
    }

    /// Opens without the lock: for callers that hold it already.
    pub(crate) fn open_unlocked(path: &Path, passphrase: &str) -> StoreResult<SqliteStore> {
        if passphrase.is_empty() {
            return Err(StoreError::WrongPassphrase);
        }
        if !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        // NO_MUTEX: a `Connection` is used by one thread at a time (it is
        // not `Sync`), so SQLite's own per-call mutex only cost time (about
        // 4% of `log --json`).
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        SqliteStore::start(conn, passphrase)
    }

    /// An encrypted store in memory, for tests.
    pub fn open_in_memory(passphrase: &str) -> StoreResult<SqliteStore> {
        SqliteStore::start(Connection::open_in_memory()?, passphrase)
    }

    fn start(mut conn: Connection, passphrase: &str) -> StoreResult<SqliteStore> {
        prove_key(&conn, passphrase)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Every transaction, migrations included, takes the write lock when
        // it begins: a read-then-write transaction that began DEFERRED
        // fails at once if another writer commits first, an IMMEDIATE one
        // waits its turn.
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a commit is on disk when it returns, power loss included.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        // Every page read from disk is decrypted and authenticated; a cache
        // that holds a few years of check-ins (allocated only as used) keeps
        // each page to one decryption per command.
        conn.pragma_update(None, "cache_size", -32_768)?;
        schema::migrate(&mut conn)?;
        Ok(SqliteStore {
            conn,
            writes: 0,
            skipped: RefCell::default(),
            _lock: None,
        })
    }

    /// Runs `write` in one IMMEDIATE transaction: it waits (up to
    /// [`BUSY_TIMEOUT`]) for another writer to finish, then commits.
    fn write<T>(
        &mut self,
        write: impl FnOnce(&Transaction<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = write(&tx)?;
        tx.commit()?;
        self.writes += 1;
        Ok(value)
    }

    /// The records `loaded` found; what it skipped is kept for
    /// [`Store::skipped`].
    fn keep<T>(&self, loaded: Loaded<T>) -> Vec<T> {
        self.skipped.borrow_mut().extend(loaded.skipped);
        loaded.found
    }
}

/// Keys the connection and proves the key with a first read. Until the key
/// is proven nothing on disk may change: SQLite would otherwise checkpoint
/// a WAL left by a crash, and remove it, when the wrong-key connection
/// closes.
pub(crate) fn prove_key(conn: &Connection, passphrase: &str) -> StoreResult<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    // The key comes first: SQLCipher wants it before any other statement.
    // Under parallel tests SQLCipher was seen, rarely (about one run in
    // a hundred), to fail a `PRAGMA key` on a new in-memory database with
    // its generic "error with PRAGMA key" message; the cause was not
    // found. Keying is serialised across threads and tried once more
    // before the error is reported. One process keys one store in
    // normal use, so this costs nothing there.
    static KEYING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let keying = KEYING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if conn.pragma_update(None, "key", passphrase).is_err() {
        std::thread::sleep(std::time::Duration::from_millis(10));
        conn.pragma_update(None, "key", passphrase)?;
    }
    // SQLCipher would otherwise print its own diagnostics to stderr.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => {}
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
            return Err(StoreError::WrongPassphrase)
        }
        Err(e) => return Err(e.into()),
    }
    drop(keying);
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
    Ok(())
}

pub(crate) fn io(context: String, source: std::io::Error) -> StoreError {
    StoreError::Io { context, source }
}

fn not_found(what: &'static str, id: &str) -> StoreError {
    StoreError::NotFound {
        what,
        id: id.to_string(),
    }
}

impl Store for SqliteStore {
    fn add_checkin(&mut self, check_in: &CheckIn) -> StoreResult<()> {
        self.write(|tx| {
            if !exists(tx, &check_in.id)? {
                return insert(tx, check_in);
            }
            // The same check-in sent again (a phone's retry) is stored once.
            match read::checkins(tx, Filter::Id(&check_in.id))?.found.first() {
                Some(stored) if stored == check_in => Ok(()),
                _ => Err(StoreError::Conflict {
                    id: check_in.id.clone(),
                }),
            }
        })
    }

    fn checkin(&self, id: &str) -> StoreResult<CheckIn> {
        read::one(read::checkins(&self.conn, Filter::Id(id))?, "check-in", id)
    }

    fn checkins(&self, since: Option<DateTime<Utc>>) -> StoreResult<Vec<CheckIn>> {
        let filter = since.map_or(Filter::All, |t| Filter::Since(t.timestamp_millis()));
        Ok(self.keep(read::checkins(&self.conn, filter)?))
    }

    fn replace_checkin(&mut self, check_in: &CheckIn) -> StoreResult<()> {
        self.write(|tx| {
            let n = tx.execute("DELETE FROM checkins WHERE id = ?1", [&check_in.id])?;
            if n == 0 {
                return Err(not_found("check-in", &check_in.id));
            }
            insert(tx, check_in)
        })
    }

    fn forget_checkin(&mut self, id: &str) -> StoreResult<()> {
        self.write(
            |tx| match tx.execute("DELETE FROM checkins WHERE id = ?1", [id])? {
                0 => Err(not_found("check-in", id)),
                _ => Ok(()),
            },
        )
    }

    fn add_journal(&mut self, entry: &JournalEntry) -> StoreResult<()> {
        self.write(|tx| {
            let inserted = tx.execute(
                "INSERT INTO journal (id, at, at_utc_ms, text) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
                params![entry.id, entry.at.to_rfc3339(), entry.at.timestamp_millis(), entry.text],
            )?;
            match inserted {
                0 => Err(StoreError::Conflict {
                    id: entry.id.clone(),
                }),
                _ => Ok(()),
            }
        })
    }

    fn journal(&self) -> StoreResult<Vec<JournalEntry>> {
        Ok(self.keep(read::journal(&self.conn, None)?))
    }

    fn journal_entry(&self, id: &str) -> StoreResult<JournalEntry> {
        read::one(read::journal(&self.conn, Some(id))?, "journal entry", id)
    }

    fn forget_journal(&mut self, id: &str) -> StoreResult<()> {
        self.write(
            |tx| match tx.execute("DELETE FROM journal WHERE id = ?1", [id])? {
                0 => Err(not_found("journal entry", id)),
                _ => Ok(()),
            },
        )
    }

    fn replace_journal(&mut self, entry: &JournalEntry) -> StoreResult<()> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE journal SET at = ?2, at_utc_ms = ?3, text = ?4 WHERE id = ?1",
                params![
                    entry.id,
                    entry.at.to_rfc3339(),
                    entry.at.timestamp_millis(),
                    entry.text
                ],
            )?;
            match n {
                0 => Err(not_found("journal entry", &entry.id)),
                _ => Ok(()),
            }
        })
    }

    fn add_bridge(&mut self, bridge: &Bridge) -> StoreResult<()> {
        self.write(|tx| {
            if tx
                .query_row("SELECT 1 FROM bridges WHERE id = ?1", [&bridge.id], |_| {
                    Ok(())
                })
                .optional()?
                .is_some()
            {
                return Err(StoreError::Conflict {
                    id: bridge.id.clone(),
                });
            }
            insert_bridge(tx, bridge)
        })
    }

    fn replace_bridge(&mut self, bridge: &Bridge) -> StoreResult<()> {
        let json = bridge_json(bridge)?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE bridges SET started_utc_ms = ?2, record = ?3 WHERE id = ?1",
                params![bridge.id, bridge.started.timestamp_millis(), json],
            )?;
            match n {
                0 => Err(not_found("bridge", &bridge.id)),
                _ => Ok(()),
            }
        })
    }

    fn bridges(&self) -> StoreResult<Vec<Bridge>> {
        Ok(self.keep(read::bridges(&self.conn)?))
    }

    fn add_assessment(&mut self, response: &Response) -> StoreResult<()> {
        let json =
            serde_json::to_string(response).map_err(|e| StoreError::Backend(e.to_string()))?;
        self.write(|tx| {
            let n = tx.execute(
                "INSERT INTO assessments (id, at_utc_ms, record) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING",
                params![response.id, response.at.timestamp_millis(), json],
            )?;
            match n {
                0 => Err(StoreError::Conflict {
                    id: response.id.clone(),
                }),
                _ => Ok(()),
            }
        })
    }

    fn replace_assessment(&mut self, response: &Response) -> StoreResult<()> {
        let json =
            serde_json::to_string(response).map_err(|e| StoreError::Backend(e.to_string()))?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE assessments SET at_utc_ms = ?2, record = ?3 WHERE id = ?1",
                params![response.id, response.at.timestamp_millis(), json],
            )?;
            match n {
                0 => Err(not_found("questionnaire response", &response.id)),
                _ => Ok(()),
            }
        })
    }

    fn assessments(&self) -> StoreResult<Vec<Response>> {
        Ok(self.keep(read::assessments(&self.conn)?))
    }

    fn safety_plan(&self) -> StoreResult<SafetyPlan> {
        let steps: Option<String> = self
            .conn
            .query_row("SELECT steps FROM safety_plan WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        match steps {
            None => Ok(SafetyPlan::default()),
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("safety plan: {e}"))),
        }
    }

    fn save_safety_plan(&mut self, plan: &SafetyPlan) -> StoreResult<()> {
        let json = serde_json::to_string(plan).map_err(|e| StoreError::Backend(e.to_string()))?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO safety_plan (id, steps) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET steps = excluded.steps",
                [json],
            )?;
            Ok(())
        })
    }

    fn fixed_items(&self) -> StoreResult<FixedItems> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE name = 'fixed_items'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        match json {
            None => Ok(FixedItems::default()),
            Some(json) => serde_json::from_str(&json)
                .map(FixedItems::from_stored)
                .map_err(|e| StoreError::Corrupt(format!("chosen items: {e}"))),
        }
    }

    fn save_fixed_items(&mut self, items: &FixedItems) -> StoreResult<()> {
        self.write(|tx| {
            if items.is_empty() {
                tx.execute("DELETE FROM settings WHERE name = 'fixed_items'", [])?;
                Ok(())
            } else {
                crate::import::save_items(tx, items)
            }
        })
    }

    fn version(&self) -> StoreResult<u64> {
        let others: i64 = self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?;
        Ok(((others as u64) << 32) | (self.writes & 0xffff_ffff))
    }

    fn skipped(&self) -> Vec<Unreadable> {
        self.skipped.borrow().iter().cloned().collect()
    }

    fn import_from(
        &mut self,
        batch: &ImportBatch<'_>,
        mode: ImportMode,
    ) -> StoreResult<ImportPlan> {
        if mode == ImportMode::DryRun {
            // Deferred and never committed: a dry run takes no write lock.
            return crate::import::plan(&self.conn.transaction()?, batch);
        }
        self.write(|tx| crate::import::import(tx, batch, mode))
    }
}

pub(crate) fn exists(tx: &Transaction<'_>, id: &str) -> StoreResult<bool> {
    let found = tx
        .prepare_cached("SELECT 1 FROM checkins WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?;
    Ok(found.is_some())
}

pub(crate) fn insert(tx: &Transaction<'_>, c: &CheckIn) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO checkins (id, at, at_utc_ms, is_nothing, pleasantness, energy, clarity,
            body_overall, showed, doing, with_whom, place, note, mood, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        c.id,
        c.at.to_rfc3339(),
        c.at.timestamp_millis(),
        c.nothing,
        c.pleasantness,
        c.energy,
        c.clarity,
        c.body_overall,
        c.showed,
        c.context.doing,
        c.context.with,
        c.context.place,
        c.note,
        c.mood,
        c.origin.as_str(),
    ])?;
    let mut feeling = tx.prepare_cached(
        "INSERT INTO checkin_feelings (checkin_id, position, word, intensity) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, f) in c.feelings.iter().enumerate() {
        feeling.execute(params![c.id, i as i64, f.word, f.intensity])?;
    }
    let mut item = tx.prepare_cached(
        "INSERT INTO checkin_items (checkin_id, position, word, rating) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, r) in c.items.iter().enumerate() {
        item.execute(params![c.id, i as i64, r.word, r.rating])?;
    }
    let mut body = tx.prepare_cached(
        "INSERT INTO checkin_body (checkin_id, position, region, activation, sensation, intensity)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, b) in c.body.iter().enumerate() {
        body.execute(params![
            c.id,
            i as i64,
            b.region.as_str(),
            b.activation.map(|a| a.as_str()),
            b.sensation.map(|s| s.as_str()),
            b.intensity,
        ])?;
    }
    Ok(())
}

fn bridge_json(bridge: &Bridge) -> StoreResult<String> {
    serde_json::to_string(bridge).map_err(|e| StoreError::Backend(e.to_string()))
}

pub(crate) fn insert_bridge(tx: &Transaction<'_>, bridge: &Bridge) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO bridges (id, started_utc_ms, record) VALUES (?1, ?2, ?3)",
        params![
            bridge.id,
            bridge.started.timestamp_millis(),
            bridge_json(bridge)?
        ],
    )?;
    Ok(())
}
