//! Versioned migrations, run in order on open. Migration `i` (from 0) takes
//! the schema from `user_version` i to i + 1. Never edit a released entry;
//! append a new one.

use crate::{StoreError, StoreResult};
use rusqlite::{Connection, TransactionBehavior};

const MIGRATIONS: &[&str] = &[
    // 1: check-ins with their feelings and body sensations.
    "CREATE TABLE checkins (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        at_utc_ms INTEGER NOT NULL,
        is_nothing INTEGER NOT NULL CHECK (is_nothing IN (0, 1)),
        pleasantness INTEGER,
        energy INTEGER,
        clarity INTEGER,
        body_overall INTEGER,
        showed TEXT,
        doing TEXT,
        with_whom TEXT,
        place TEXT,
        note TEXT
    ) STRICT;
    CREATE INDEX checkins_by_time ON checkins (at_utc_ms);
    CREATE TABLE checkin_feelings (
        checkin_id TEXT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        word TEXT NOT NULL,
        intensity INTEGER NOT NULL,
        PRIMARY KEY (checkin_id, position)
    ) STRICT;
    CREATE TABLE checkin_body (
        checkin_id TEXT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        region TEXT NOT NULL,
        activation TEXT,
        sensation TEXT,
        intensity INTEGER,
        PRIMARY KEY (checkin_id, position)
    ) STRICT;",
    // 2: the journal and the safety plan (one row, the six steps as JSON).
    "CREATE TABLE journal (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        at_utc_ms INTEGER NOT NULL,
        text TEXT NOT NULL
    ) STRICT;
    CREATE INDEX journal_by_time ON journal (at_utc_ms);
    CREATE TABLE safety_plan (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        steps TEXT NOT NULL
    ) STRICT;",
    // 3: bridges, with their before and after check-ins as JSON.
    "CREATE TABLE bridges (
        id TEXT PRIMARY KEY,
        started_utc_ms INTEGER NOT NULL,
        record TEXT NOT NULL
    ) STRICT;
    CREATE INDEX bridges_by_time ON bridges (started_utc_ms);",
    // 4: questionnaire responses (PHQ-9, GAD-7, PCL-5, WHO-5) as JSON.
    "CREATE TABLE assessments (
        id TEXT PRIMARY KEY,
        at_utc_ms INTEGER NOT NULL,
        record TEXT NOT NULL
    ) STRICT;",
    // 5: where each imported record came from: its format and the source's
    // own key (the Daylio date and time, the ESM participant and time, the
    // feltsense id), so a re-import can replace what an earlier one brought.
    // Rows of records deleted since are ignored (joined away), not kept in
    // step by triggers, so editing a record keeps its source.
    "CREATE TABLE import_sources (
        record_kind TEXT NOT NULL CHECK (record_kind IN ('checkin', 'journal', 'bridge')),
        record_id TEXT NOT NULL,
        format TEXT NOT NULL,
        source_key TEXT NOT NULL,
        PRIMARY KEY (record_kind, record_id)
    ) STRICT;
    CREATE INDEX import_sources_by_key ON import_sources (record_kind, format, source_key);",
    // 6: missing is not 0. A feeling's intensity may be unknown (NULL); a
    // check-in keeps the mood label of the app it came from and its
    // origin, which says what it could hold. Check-ins imported from
    // Daylio or an ESM study so far are marked with their origin, so a
    // mood-only row reads as "intensity unknown" and never counts against
    // body awareness. (Their mood labels were not kept before; importing
    // the same file again brings them, replacing the rows it brought.)
    "CREATE TABLE checkin_feelings_6 (
        checkin_id TEXT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        word TEXT NOT NULL,
        intensity INTEGER,
        PRIMARY KEY (checkin_id, position)
    ) STRICT;
    INSERT INTO checkin_feelings_6 SELECT checkin_id, position, word, intensity FROM checkin_feelings;
    DROP TABLE checkin_feelings;
    ALTER TABLE checkin_feelings_6 RENAME TO checkin_feelings;
    ALTER TABLE checkins ADD COLUMN mood TEXT;
    ALTER TABLE checkins ADD COLUMN origin TEXT NOT NULL DEFAULT 'feltsense'
        CHECK (origin IN ('feltsense', 'daylio', 'esm'));
    UPDATE checkins SET origin = (
        SELECT s.format FROM import_sources AS s
        WHERE s.record_kind = 'checkin' AND s.record_id = checkins.id
    )
    WHERE id IN (
        SELECT record_id FROM import_sources
        WHERE record_kind = 'checkin' AND format IN ('daylio', 'esm')
    );",
    // 7: fixed items for granularity: each check-in's item ratings (0 is
    // "not at all", a rating of that item), and the person's settings, the
    // chosen items among them (`fixed_items`, a JSON list of words).
    "CREATE TABLE checkin_items (
        checkin_id TEXT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        word TEXT NOT NULL,
        rating INTEGER NOT NULL,
        PRIMARY KEY (checkin_id, position)
    ) STRICT;
    CREATE TABLE settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;",
];

/// The schema version this build writes.
pub const CURRENT: i64 = MIGRATIONS.len() as i64;

/// Brings the schema up to [`CURRENT`], one transaction per migration.
pub fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > CURRENT {
        return Err(StoreError::TooNew {
            found,
            known: CURRENT,
        });
    }
    if found == CURRENT {
        return Ok(());
    }
    loop {
        // The version is read again inside the (IMMEDIATE) transaction: two
        // processes opening an old store at once migrate it once.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let Some(sql) = usize::try_from(found).ok().and_then(|i| MIGRATIONS.get(i)) else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", found + 1)?;
        tx.commit()?;
    }
}
