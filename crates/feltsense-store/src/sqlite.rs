//! The SQLite store, encrypted with SQLCipher 4 defaults: AES-256 in CBC
//! mode with an HMAC-SHA512 per page, the key derived from the passphrase
//! with PBKDF2-HMAC-SHA512 (256,000 iterations) and a random salt kept in
//! the file's first 16 bytes. Every page of the database and of its WAL is
//! encrypted; the passphrase and key are never written anywhere.

use crate::{schema, ImportBatch, ImportMode, ImportPlan, Store, StoreError, StoreResult};
use chrono::{DateTime, Utc};
use feltsense_core::assessments::Response;
use feltsense_core::bridges::Bridge;
use feltsense_core::{BodySensation, CheckIn, Context, FeelingRating, JournalEntry, SafetyPlan};
use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction};
use std::collections::HashMap;
use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

/// A feltsense store in one encrypted SQLite file.
pub struct SqliteStore {
    conn: Connection,
    /// Commits through this connection (SQLite's `data_version` counts only
    /// other connections' commits).
    writes: u64,
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
        if let Some(dir) = path.parent() {
            DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|source| io(format!("could not create {}", dir.display()), source))?;
        }
        // Creating the empty file ourselves fixes its mode before SQLite
        // writes a byte; SQLite gives the -wal and -shm files the same mode.
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|source| match source.kind() {
                std::io::ErrorKind::AlreadyExists => StoreError::AlreadyExists(path.to_path_buf()),
                _ => io(format!("could not create {}", path.display()), source),
            })?;
        let result = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(StoreError::from)
            .and_then(|conn| SqliteStore::start(conn, passphrase));
        if result.is_err() {
            // Nothing half-made is left behind.
            let _ = std::fs::remove_file(path);
        }
        result
    }

    /// Opens an existing store. A wrong passphrase fails with
    /// [`StoreError::WrongPassphrase`] before anything is written.
    pub fn open(path: &Path, passphrase: &str) -> StoreResult<SqliteStore> {
        if !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        SqliteStore::start(conn, passphrase)
    }

    /// An encrypted store in memory, for tests.
    pub fn open_in_memory(passphrase: &str) -> StoreResult<SqliteStore> {
        SqliteStore::start(Connection::open_in_memory()?, passphrase)
    }

    fn start(mut conn: Connection, passphrase: &str) -> StoreResult<SqliteStore> {
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
        // The first read proves the key; until then nothing is written.
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
        Ok(SqliteStore { conn, writes: 0 })
    }
}

fn io(context: String, source: std::io::Error) -> StoreError {
    StoreError::Io { context, source }
}

impl Store for SqliteStore {
    fn add_checkin(&mut self, check_in: &CheckIn) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        if exists(&tx, &check_in.id)? {
            return Err(StoreError::Conflict {
                id: check_in.id.clone(),
            });
        }
        insert(&tx, check_in)?;
        tx.commit()?;
        self.writes += 1;
        Ok(())
    }

    fn checkin(&self, id: &str) -> StoreResult<CheckIn> {
        let mut found = load(&self.conn, Filter::Id(id))?;
        found.pop().ok_or_else(|| StoreError::NotFound {
            what: "check-in",
            id: id.to_string(),
        })
    }

    fn checkins(&self, since: Option<DateTime<Utc>>) -> StoreResult<Vec<CheckIn>> {
        load(
            &self.conn,
            Filter::Since(since.map_or(i64::MIN, |t| t.timestamp_millis())),
        )
    }

    fn replace_checkin(&mut self, check_in: &CheckIn) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("DELETE FROM checkins WHERE id = ?1", [&check_in.id])?;
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "check-in",
                id: check_in.id.clone(),
            });
        }
        insert(&tx, check_in)?;
        tx.commit()?;
        self.writes += 1;
        Ok(())
    }

    fn forget_checkin(&mut self, id: &str) -> StoreResult<()> {
        let n = self
            .conn
            .execute("DELETE FROM checkins WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "check-in",
                id: id.to_string(),
            });
        }
        self.writes += 1;
        Ok(())
    }

    fn add_journal(&mut self, entry: &JournalEntry) -> StoreResult<()> {
        let inserted = self.conn.execute(
            "INSERT INTO journal (id, at, at_utc_ms, text) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
            params![entry.id, entry.at.to_rfc3339(), entry.at.timestamp_millis(), entry.text],
        )?;
        if inserted == 0 {
            return Err(StoreError::Conflict {
                id: entry.id.clone(),
            });
        }
        self.writes += 1;
        Ok(())
    }

    fn journal(&self) -> StoreResult<Vec<JournalEntry>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, at, text FROM journal ORDER BY at_utc_ms DESC, id DESC")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (id, at, text) = row?;
            Ok(JournalEntry {
                at: journal_time(&id, &at)?,
                id,
                text,
            })
        })
        .collect()
    }

    fn journal_entry(&self, id: &str) -> StoreResult<JournalEntry> {
        let row = self
            .conn
            .query_row("SELECT at, text FROM journal WHERE id = ?1", [id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .optional()?;
        let (at, text) = row.ok_or_else(|| StoreError::NotFound {
            what: "journal entry",
            id: id.to_string(),
        })?;
        Ok(JournalEntry {
            at: journal_time(id, &at)?,
            id: id.to_string(),
            text,
        })
    }

    fn forget_journal(&mut self, id: &str) -> StoreResult<()> {
        if self
            .conn
            .execute("DELETE FROM journal WHERE id = ?1", [id])?
            == 0
        {
            return Err(StoreError::NotFound {
                what: "journal entry",
                id: id.to_string(),
            });
        }
        self.writes += 1;
        Ok(())
    }

    fn add_bridge(&mut self, bridge: &Bridge) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
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
        insert_bridge(&tx, bridge)?;
        tx.commit()?;
        self.writes += 1;
        Ok(())
    }

    fn replace_bridge(&mut self, bridge: &Bridge) -> StoreResult<()> {
        let json = bridge_json(bridge)?;
        let n = self.conn.execute(
            "UPDATE bridges SET started_utc_ms = ?2, record = ?3 WHERE id = ?1",
            params![bridge.id, bridge.started.timestamp_millis(), json],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "bridge",
                id: bridge.id.clone(),
            });
        }
        self.writes += 1;
        Ok(())
    }

    fn bridges(&self) -> StoreResult<Vec<Bridge>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, record FROM bridges ORDER BY started_utc_ms DESC, id DESC")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        rows.map(|row| {
            let (id, json) = row?;
            bridge_from(&id, &json)
        })
        .collect()
    }

    fn add_assessment(&mut self, response: &Response) -> StoreResult<()> {
        let json =
            serde_json::to_string(response).map_err(|e| StoreError::Backend(e.to_string()))?;
        let n = self.conn.execute(
            "INSERT INTO assessments (id, at_utc_ms, record) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING",
            params![response.id, response.at.timestamp_millis(), json],
        )?;
        if n == 0 {
            return Err(StoreError::Conflict {
                id: response.id.clone(),
            });
        }
        self.writes += 1;
        Ok(())
    }

    fn assessments(&self) -> StoreResult<Vec<Response>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, record FROM assessments ORDER BY at_utc_ms DESC, id DESC")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        rows.map(|row| {
            let (id, json) = row?;
            serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("assessment {id}: {e}")))
        })
        .collect()
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
        self.conn.execute(
            "INSERT INTO safety_plan (id, steps) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET steps = excluded.steps",
            [json],
        )?;
        self.writes += 1;
        Ok(())
    }

    fn version(&self) -> StoreResult<u64> {
        let others: i64 = self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?;
        Ok(((others as u64) << 32) | (self.writes & 0xffff_ffff))
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
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let plan = crate::import::import(&tx, batch, mode)?;
        tx.commit()?;
        self.writes += 1;
        Ok(plan)
    }
}

pub(crate) fn exists(tx: &Transaction<'_>, id: &str) -> StoreResult<bool> {
    let found = tx
        .query_row("SELECT 1 FROM checkins WHERE id = ?1", [id], |_| Ok(()))
        .optional()?;
    Ok(found.is_some())
}

pub(crate) fn insert(tx: &Transaction<'_>, c: &CheckIn) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO checkins (id, at, at_utc_ms, is_nothing, pleasantness, energy, clarity,
            body_overall, showed, doing, with_whom, place, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
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
        ],
    )?;
    let mut feeling = tx.prepare_cached(
        "INSERT INTO checkin_feelings (checkin_id, position, word, intensity) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, f) in c.feelings.iter().enumerate() {
        feeling.execute(params![c.id, i as i64, f.word, f.intensity])?;
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

pub(crate) fn bridge_from(id: &str, json: &str) -> StoreResult<Bridge> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("bridge {id}: {e}")))
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

pub(crate) fn journal_time(
    id: &str,
    at: &str,
) -> StoreResult<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(at)
        .map_err(|e| StoreError::Corrupt(format!("time of journal entry {id}: {e}")))
}

pub(crate) enum Filter<'a> {
    Id(&'a str),
    Since(i64),
}

impl Filter<'_> {
    /// The WHERE clause over `checkins AS c`, and its one parameter.
    fn clause(&self) -> (&'static str, rusqlite::types::Value) {
        match self {
            Filter::Id(id) => ("c.id = ?1", rusqlite::types::Value::Text(id.to_string())),
            Filter::Since(ms) => ("c.at_utc_ms >= ?1", rusqlite::types::Value::Integer(*ms)),
        }
    }
}

/// Loads check-ins with their feelings and body sensations in three
/// queries, however many there are.
pub(crate) fn load(conn: &Connection, filter: Filter<'_>) -> StoreResult<Vec<CheckIn>> {
    let (clause, param) = filter.clause();
    let mut feelings = load_feelings(conn, clause, &param)?;
    let mut body = load_body(conn, clause, &param)?;
    let sql = format!(
        "SELECT c.id, c.at, c.is_nothing, c.pleasantness, c.energy, c.clarity, c.body_overall,
                c.showed, c.doing, c.with_whom, c.place, c.note
         FROM checkins AS c WHERE {clause} ORDER BY c.at_utc_ms DESC, c.id DESC"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([&param])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let at: String = r.get(1)?;
        let at = DateTime::parse_from_rfc3339(&at)
            .map_err(|e| StoreError::Corrupt(format!("time of check-in {id}: {e}")))?;
        out.push(CheckIn {
            feelings: feelings.remove(&id).unwrap_or_default(),
            body: body.remove(&id).unwrap_or_default(),
            at,
            nothing: r.get(2)?,
            pleasantness: r.get(3)?,
            energy: r.get(4)?,
            clarity: r.get(5)?,
            body_overall: r.get(6)?,
            showed: r.get(7)?,
            context: Context {
                doing: r.get(8)?,
                with: r.get(9)?,
                place: r.get(10)?,
            },
            note: r.get(11)?,
            id,
        });
    }
    Ok(out)
}

fn load_feelings(
    conn: &Connection,
    clause: &str,
    param: &rusqlite::types::Value,
) -> StoreResult<HashMap<String, Vec<FeelingRating>>> {
    let sql = format!(
        "SELECT f.checkin_id, f.word, f.intensity FROM checkin_feelings AS f
         JOIN checkins AS c ON c.id = f.checkin_id WHERE {clause} ORDER BY f.checkin_id, f.position"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([param])?;
    let mut map: HashMap<String, Vec<FeelingRating>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let rating = FeelingRating {
            word: r.get(1)?,
            intensity: r.get(2)?,
        };
        map.entry(r.get(0)?).or_default().push(rating);
    }
    Ok(map)
}

fn load_body(
    conn: &Connection,
    clause: &str,
    param: &rusqlite::types::Value,
) -> StoreResult<HashMap<String, Vec<BodySensation>>> {
    let sql = format!(
        "SELECT b.checkin_id, b.region, b.activation, b.sensation, b.intensity FROM checkin_body AS b
         JOIN checkins AS c ON c.id = b.checkin_id WHERE {clause} ORDER BY b.checkin_id, b.position"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([param])?;
    let mut map: HashMap<String, Vec<BodySensation>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let sensation = BodySensation {
            region: word(&id, r.get::<_, String>(1)?)?,
            activation: r
                .get::<_, Option<String>>(2)?
                .map(|w| word(&id, w))
                .transpose()?,
            sensation: r
                .get::<_, Option<String>>(3)?
                .map(|w| word(&id, w))
                .transpose()?,
            intensity: r.get(4)?,
        };
        map.entry(id).or_default().push(sensation);
    }
    Ok(map)
}

fn word<T: std::str::FromStr>(id: &str, w: String) -> StoreResult<T> {
    w.parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown body word '{w}' in check-in {id}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    crate::conformance_tests!(SqliteStore::open_in_memory("conformance").unwrap());

    #[test]
    fn file_and_directory_are_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/feltsense.db");
        SqliteStore::create(&path, "pass phrase").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn wrong_passphrase_is_refused_and_leaves_the_file_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feltsense.db");
        let mut store = SqliteStore::create(&path, "right one").unwrap();
        store
            .add_checkin(&crate::conformance::sample(
                "a",
                "2026-01-01T10:00:00+00:00",
            ))
            .unwrap();
        drop(store);
        let before = std::fs::read(&path).unwrap();
        let err = SqliteStore::open(&path, "wrong one").unwrap_err();
        assert!(matches!(err, StoreError::WrongPassphrase), "{err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert_eq!(
            SqliteStore::open(&path, "right one")
                .unwrap()
                .checkins(None)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn no_plaintext_reaches_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feltsense.db");
        let mut store = SqliteStore::create(&path, "secret").unwrap();
        let mut c = crate::conformance::sample("plain-id", "2026-01-01T10:00:00+00:00");
        c.note = Some("zebra-lighthouse-marmalade".into());
        store.add_checkin(&c).unwrap();
        let mut bytes = Vec::new();
        // Check the WAL while it still holds the page, then the main file.
        for p in [path.with_extension("db-wal"), path.clone()] {
            bytes.extend(std::fs::read(&p).unwrap_or_default());
        }
        drop(store);
        bytes.extend(std::fs::read(&path).unwrap());
        for needle in [
            "zebra-lighthouse-marmalade",
            "lonely",
            "SQLite format",
            "checkins",
        ] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "found '{needle}' in plaintext"
            );
        }
    }

    #[test]
    fn version_sees_writes_from_another_process() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feltsense.db");
        let reader = SqliteStore::create(&path, "pass").unwrap();
        let before = reader.version().unwrap();
        assert_eq!(
            reader.version().unwrap(),
            before,
            "stable while nothing changes"
        );
        let mut writer = SqliteStore::open(&path, "pass").unwrap();
        writer
            .add_checkin(&crate::conformance::sample(
                "w",
                "2026-01-01T10:00:00+00:00",
            ))
            .unwrap();
        assert_ne!(reader.version().unwrap(), before);
    }

    #[test]
    fn create_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feltsense.db");
        SqliteStore::create(&path, "one").unwrap();
        let err = SqliteStore::create(&path, "two").unwrap_err();
        assert!(matches!(err, StoreError::AlreadyExists(_)));
        SqliteStore::open(&path, "one").unwrap();
    }

    #[test]
    fn open_without_a_store_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let err = SqliteStore::open(&dir.path().join("none.db"), "x").unwrap_err();
        assert!(matches!(err, StoreError::Missing(_)));
        assert!(!dir.path().join("none.db").exists());
    }

    #[test]
    fn migrations_record_their_version() {
        let store = SqliteStore::open_in_memory("x").unwrap();
        let v: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, schema::CURRENT);
    }
}
