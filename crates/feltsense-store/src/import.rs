//! Imports into the SQLite store, all or nothing in one IMMEDIATE
//! transaction: each record is new, already stored exactly as given, or
//! takes the place of earlier records with the same source key (format and
//! the source's own key, kept in `import_sources`, migration 5) or the same
//! id. Without [`ImportMode::Replace`] the second kind is refused.
//!
//! The plan itself is `import_plan.rs`, shared with the server; only
//! `Kept::stored` (three loaders) and `exists`, `insert` and
//! `insert_bridge` come from `sqlite.rs`; the rest is this file's SQL.

use crate::import_plan::{self, plan_one, refuse_replacing, Imported, KindPlan};
use crate::read::{self, Filter};
use crate::sqlite::{exists, insert, insert_bridge};
use crate::{
    ImportBatch, ImportChanges, ImportMode, ImportPlan, StoreError, StoreResult, FIXED_ITEMS_ID,
    SAFETY_PLAN_ID,
};
use feltsense_core::assessments::Response;
use feltsense_core::bridges::Bridge;
use feltsense_core::imported::Sourced;
use feltsense_core::items::FixedItems;
use feltsense_core::{CheckIn, JournalEntry, SafetyPlan};
use rusqlite::{params, OptionalExtension, Transaction};

/// What importing `batch` would do, reading only.
pub(crate) fn plan(tx: &Transaction<'_>, batch: &ImportBatch<'_>) -> StoreResult<ImportPlan> {
    Ok(ImportPlan {
        checkins: plan_kind(tx, batch.format, batch.checkins)?,
        journal: plan_kind(tx, batch.format, batch.journal)?,
        bridges: plan_kind(tx, batch.format, batch.bridges)?,
        assessments: plan_kind(tx, batch.format, batch.assessments)?,
        safety_plan: plan_safety(tx, batch.safety_plan)?,
        fixed_items: plan_items(tx, batch.fixed_items)?,
    })
}

/// Plans and applies `batch` inside `tx` (an IMMEDIATE transaction the
/// caller commits); in [`ImportMode::Add`] any replacement refuses it all.
pub(crate) fn import(
    tx: &Transaction<'_>,
    batch: &ImportBatch<'_>,
    mode: ImportMode,
) -> StoreResult<ImportPlan> {
    let plan = plan(tx, batch)?;
    match mode {
        ImportMode::DryRun => return Ok(plan),
        ImportMode::Add => refuse_replacing(&plan)?,
        ImportMode::Replace => {}
    }
    apply(tx, batch.format, batch.checkins, &plan.checkins)?;
    apply(tx, batch.format, batch.journal, &plan.journal)?;
    apply(tx, batch.format, batch.bridges, &plan.bridges)?;
    apply(tx, batch.format, batch.assessments, &plan.assessments)?;
    if let Some(safety) = batch
        .safety_plan
        .filter(|_| plan.safety_plan.unchanged.is_empty())
    {
        save_safety(tx, safety)?;
    }
    if let Some(items) = batch
        .fixed_items
        .filter(|_| plan.fixed_items.unchanged.is_empty())
    {
        save_items(tx, items)?;
    }
    Ok(plan)
}

/// The safety plan in the file against the stored one: added when none is
/// stored, unchanged when the same, else replacing it.
fn plan_safety(tx: &Transaction<'_>, incoming: Option<&SafetyPlan>) -> StoreResult<ImportChanges> {
    let Some(incoming) = incoming else {
        return Ok(ImportChanges::default());
    };
    let stored = stored_safety(tx)?;
    Ok(plan_one(SAFETY_PLAN_ID, stored.map(|s| s == *incoming)))
}

/// The stored safety plan, `None` when none or only an empty one is stored.
fn stored_safety(tx: &Transaction<'_>) -> StoreResult<Option<SafetyPlan>> {
    let steps: Option<String> = tx
        .query_row("SELECT steps FROM safety_plan WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(json) = steps else {
        return Ok(None);
    };
    let plan: SafetyPlan = serde_json::from_str(&json).map_err(|_| StoreError::Conflict {
        id: SAFETY_PLAN_ID.to_string(),
    })?;
    Ok(Some(plan).filter(|p| *p != SafetyPlan::default()))
}

fn save_safety(tx: &Transaction<'_>, plan: &SafetyPlan) -> StoreResult<()> {
    let json = serde_json::to_string(plan).map_err(|e| StoreError::Backend(e.to_string()))?;
    tx.execute(
        "INSERT INTO safety_plan (id, steps) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET steps = excluded.steps",
        [json],
    )?;
    Ok(())
}

/// The chosen items in the file against the stored ones, as the safety
/// plan: added when none are chosen here, unchanged when the same, else
/// replacing them.
fn plan_items(tx: &Transaction<'_>, incoming: Option<&FixedItems>) -> StoreResult<ImportChanges> {
    let Some(incoming) = incoming.filter(|i| !i.is_empty()) else {
        return Ok(ImportChanges::default());
    };
    let stored: Option<String> = tx
        .query_row(
            "SELECT value FROM settings WHERE name = 'fixed_items'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let stored: Option<Vec<String>> = stored.and_then(|json| serde_json::from_str(&json).ok());
    Ok(plan_one(
        FIXED_ITEMS_ID,
        stored.map(|words| words == incoming.words()),
    ))
}

pub(crate) fn save_items(tx: &Transaction<'_>, items: &FixedItems) -> StoreResult<()> {
    let json =
        serde_json::to_string(items.words()).map_err(|e| StoreError::Backend(e.to_string()))?;
    tx.execute(
        "INSERT INTO settings (name, value) VALUES ('fixed_items', ?1)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        [json],
    )?;
    Ok(())
}

/// One kind of record as the import sees it.
trait Kept: Imported + Sized {
    /// Its name in `import_sources.record_kind` (`None`: not remembered
    /// there, as only a feltsense export carries it and its key is its id),
    /// and its table.
    const KIND: Option<&'static str>;
    const TABLE: &'static str;
    fn stored(tx: &Transaction<'_>, id: &str) -> StoreResult<Option<Self>>;
    fn insert(&self, tx: &Transaction<'_>) -> StoreResult<()>;
}

impl Kept for CheckIn {
    const KIND: Option<&'static str> = Some("checkin");
    const TABLE: &'static str = "checkins";
    fn stored(tx: &Transaction<'_>, id: &str) -> StoreResult<Option<CheckIn>> {
        if !exists(tx, id)? {
            return Ok(None);
        }
        let mut loaded = read::checkins(tx, Filter::Id(id))?;
        match loaded.found.pop() {
            Some(c) => Ok(Some(c)),
            None => Err(unreadable("check-in", id)),
        }
    }
    fn insert(&self, tx: &Transaction<'_>) -> StoreResult<()> {
        insert(tx, self)
    }
}

impl Kept for JournalEntry {
    const KIND: Option<&'static str> = Some("journal");
    const TABLE: &'static str = "journal";
    fn stored(tx: &Transaction<'_>, id: &str) -> StoreResult<Option<JournalEntry>> {
        let mut loaded = read::journal(tx, Some(id))?;
        match (loaded.found.pop(), loaded.skipped.is_empty()) {
            (Some(e), _) => Ok(Some(e)),
            (None, true) => Ok(None),
            (None, false) => Err(unreadable("journal entry", id)),
        }
    }
    fn insert(&self, tx: &Transaction<'_>) -> StoreResult<()> {
        tx.execute(
            "INSERT INTO journal (id, at, at_utc_ms, text) VALUES (?1, ?2, ?3, ?4)",
            params![
                self.id,
                self.at.to_rfc3339(),
                self.at.timestamp_millis(),
                self.text
            ],
        )?;
        Ok(())
    }
}

impl Kept for Bridge {
    const KIND: Option<&'static str> = Some("bridge");
    const TABLE: &'static str = "bridges";
    fn stored(tx: &Transaction<'_>, id: &str) -> StoreResult<Option<Bridge>> {
        let json: Option<String> = tx
            .query_row("SELECT record FROM bridges WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        let accepted = feltsense_core::when::TimeRange::around(chrono::Utc::now());
        json.map(|j| read::bridge_from(&j, &accepted).map_err(|_| unreadable("bridge", id)))
            .transpose()
    }
    fn insert(&self, tx: &Transaction<'_>) -> StoreResult<()> {
        insert_bridge(tx, self)
    }
}

impl Kept for Response {
    const KIND: Option<&'static str> = None;
    const TABLE: &'static str = "assessments";
    fn stored(tx: &Transaction<'_>, id: &str) -> StoreResult<Option<Response>> {
        let json: Option<String> = tx
            .query_row("SELECT record FROM assessments WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(|_| unreadable("questionnaire response", id)))
            .transpose()
    }
    fn insert(&self, tx: &Transaction<'_>) -> StoreResult<()> {
        let json = serde_json::to_string(self).map_err(|e| StoreError::Backend(e.to_string()))?;
        tx.execute(
            "INSERT INTO assessments (id, at_utc_ms, record) VALUES (?1, ?2, ?3)",
            params![self.id, self.at.timestamp_millis(), json],
        )?;
        Ok(())
    }
}

/// What importing `records` would do, without writing.
fn plan_kind<T: Kept>(
    tx: &Transaction<'_>,
    format: &str,
    records: &[Sourced<T>],
) -> StoreResult<ImportChanges> {
    let mut plan = KindPlan::default();
    for r in records {
        if plan.first(r)? {
            plan.stored(r, T::stored(tx, r.record.id())?.as_ref());
        }
    }
    let keyed = plan
        .waiting()
        .map(|r| keyed::<T>(tx, format, &r.key))
        .collect::<StoreResult<_>>()?;
    Ok(plan.finish(keyed))
}

/// Ids of stored records of kind `T` that an import of `format` brought
/// with source key `key`.
fn keyed<T: Kept>(tx: &Transaction<'_>, format: &str, key: &str) -> StoreResult<Vec<String>> {
    let Some(kind) = T::KIND else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT s.record_id FROM import_sources AS s
         WHERE s.record_kind = ?1 AND s.format = ?2 AND s.source_key = ?3
           AND EXISTS (SELECT 1 FROM {} AS r WHERE r.id = s.record_id)
         ORDER BY s.record_id",
        T::TABLE
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let ids = stmt.query_map(params![kind, format, key], |r| r.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

/// Swaps out, inserts and remembers each record's source, as planned.
fn apply<T: Kept>(
    tx: &Transaction<'_>,
    format: &str,
    records: &[Sourced<T>],
    changes: &ImportChanges,
) -> StoreResult<()> {
    let delete = format!("DELETE FROM {} WHERE id = ?1", T::TABLE);
    for id in &changes.swapped_out {
        tx.prepare_cached(&delete)?.execute([id])?;
        tx.prepare_cached("DELETE FROM import_sources WHERE record_kind = ?1 AND record_id = ?2")?
            .execute(params![T::KIND, id])?;
    }
    for (r, insert) in import_plan::to_write(records, changes) {
        if insert {
            r.record.insert(tx)?;
        }
        remember::<T>(tx, format, r.record.id(), &r.key)?;
    }
    Ok(())
}

fn remember<T: Kept>(tx: &Transaction<'_>, format: &str, id: &str, key: &str) -> StoreResult<()> {
    let Some(kind) = T::KIND else {
        return Ok(());
    };
    tx.prepare_cached(
        "INSERT INTO import_sources (record_kind, record_id, format, source_key)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (record_kind, record_id)
         DO UPDATE SET format = excluded.format, source_key = excluded.source_key",
    )?
    .execute(params![kind, id, format, key])?;
    Ok(())
}

/// A stored record with the same id that cannot be read: the import cannot
/// tell whether it would change it, so the whole import is refused as a
/// conflict naming it (`feltsense forget ID` removes the unreadable one).
fn unreadable(_what: &str, id: &str) -> StoreError {
    StoreError::Conflict { id: id.to_string() }
}
