//! Imports into PostgreSQL, all or nothing in the caller's transaction,
//! with the SQLite store's plan (`feltsense_store::import_plan`): each
//! record is new, already stored exactly as given, or takes the place of
//! earlier records with the same source key or id.
//! Source keys are kept as an HMAC-SHA256 under the person's data key.

use super::kinds::{self, Filter, Kind};
use super::{Done, Fail, Scope};
use deadpool_postgres::Transaction;
use feltsense_core::imported::Sourced;
use feltsense_core::items::FixedItems;
use feltsense_core::SafetyPlan;
use feltsense_store::import_plan::{self, plan_one, refuse_replacing, KindPlan};
use feltsense_store::{
    ImportBatch, ImportChanges, ImportMode, ImportPlan, StoreError, FIXED_ITEMS_ID, SAFETY_PLAN_ID,
};
use hmac::{Hmac, Mac};

/// What importing `batch` would do, reading only.
pub(crate) async fn plan(
    tx: &Transaction<'_>,
    scope: &Scope,
    batch: &ImportBatch<'_>,
) -> Done<ImportPlan> {
    Ok(ImportPlan {
        checkins: plan_kind(tx, scope, batch.format, batch.checkins).await?,
        journal: plan_kind(tx, scope, batch.format, batch.journal).await?,
        bridges: plan_kind(tx, scope, batch.format, batch.bridges).await?,
        assessments: plan_kind(tx, scope, batch.format, batch.assessments).await?,
        safety_plan: plan_safety(tx, scope, batch.safety_plan).await?,
        fixed_items: plan_items(tx, scope, batch.fixed_items).await?,
    })
}

/// Plans and applies `batch` inside `tx`; in [`ImportMode::Add`] any
/// replacement refuses it all.
pub(crate) async fn import(
    tx: &Transaction<'_>,
    scope: &Scope,
    batch: &ImportBatch<'_>,
    mode: ImportMode,
) -> Done<ImportPlan> {
    let plan = plan(tx, scope, batch).await?;
    match mode {
        ImportMode::DryRun => return Ok(plan),
        ImportMode::Add => refuse_replacing(&plan)?,
        ImportMode::Replace => {}
    }
    apply(tx, scope, batch.format, batch.checkins, &plan.checkins).await?;
    apply(tx, scope, batch.format, batch.journal, &plan.journal).await?;
    apply(tx, scope, batch.format, batch.bridges, &plan.bridges).await?;
    apply(
        tx,
        scope,
        batch.format,
        batch.assessments,
        &plan.assessments,
    )
    .await?;
    if let Some(safety) = batch
        .safety_plan
        .filter(|_| plan.safety_plan.unchanged.is_empty())
    {
        save_safety(tx, scope, safety).await?;
    }
    if let Some(items) = batch
        .fixed_items
        .filter(|_| plan.fixed_items.unchanged.is_empty())
    {
        save_items(tx, scope, items).await?;
    }
    Ok(plan)
}

const SAFETY: &str = "safety_plans";

/// The stored safety plan (`None` when none or only an empty one is
/// stored), or why it cannot be read.
pub(crate) async fn stored_safety(
    tx: &Transaction<'_>,
    scope: &Scope,
) -> Done<Option<Result<SafetyPlan, String>>> {
    let row = tx
        .query_opt(
            "SELECT sealed FROM safety_plans WHERE tenant = $1 AND person = $2",
            &[&scope.tenant, &scope.person],
        )
        .await?;
    Ok(row
        .map(|r| kinds::open::<SafetyPlan>(SAFETY, scope, SAFETY_PLAN_ID, r.get(0)))
        .filter(|plan| plan.as_ref() != Ok(&SafetyPlan::default())))
}

pub(crate) async fn save_safety(
    tx: &Transaction<'_>,
    scope: &Scope,
    plan: &SafetyPlan,
) -> Done<()> {
    let sealed = kinds::seal(SAFETY, scope, SAFETY_PLAN_ID, plan)?;
    tx.execute(
        "INSERT INTO safety_plans (tenant, person, sealed) VALUES ($1, $2, $3)
         ON CONFLICT (tenant, person) DO UPDATE SET sealed = excluded.sealed",
        &[&scope.tenant, &scope.person, &sealed],
    )
    .await?;
    Ok(())
}

const SETTINGS: &str = "person_settings";

/// The chosen fixed items (empty when none), or why they cannot be read.
pub(crate) async fn stored_items(
    tx: &Transaction<'_>,
    scope: &Scope,
) -> Done<Result<FixedItems, String>> {
    let select = tx
        .prepare_cached(
            "SELECT sealed FROM person_settings
             WHERE tenant = $1 AND person = $2 AND name = 'fixed_items'",
        )
        .await?;
    let row = tx
        .query_opt(&select, &[&scope.tenant, &scope.person])
        .await?;
    Ok(match row {
        None => Ok(FixedItems::default()),
        Some(r) => kinds::open::<Vec<String>>(SETTINGS, scope, FIXED_ITEMS_ID, r.get(0))
            .map(FixedItems::from_stored),
    })
}

/// Keeps `items` as the chosen fixed items; none chosen removes them.
pub(crate) async fn save_items(
    tx: &Transaction<'_>,
    scope: &Scope,
    items: &FixedItems,
) -> Done<()> {
    if items.is_empty() {
        tx.execute(
            "DELETE FROM person_settings
             WHERE tenant = $1 AND person = $2 AND name = 'fixed_items'",
            &[&scope.tenant, &scope.person],
        )
        .await?;
        return Ok(());
    }
    let sealed = kinds::seal(SETTINGS, scope, FIXED_ITEMS_ID, &items.words().to_vec())?;
    tx.execute(
        "INSERT INTO person_settings (tenant, person, name, sealed)
         VALUES ($1, $2, 'fixed_items', $3)
         ON CONFLICT (tenant, person, name) DO UPDATE SET sealed = excluded.sealed",
        &[&scope.tenant, &scope.person, &sealed],
    )
    .await?;
    Ok(())
}

/// The chosen items in the file against the stored ones, as the safety
/// plan; stored ones that cannot be read refuse the import as a conflict.
async fn plan_items(
    tx: &Transaction<'_>,
    scope: &Scope,
    incoming: Option<&FixedItems>,
) -> Done<ImportChanges> {
    let Some(incoming) = incoming.filter(|i| !i.is_empty()) else {
        return Ok(ImportChanges::default());
    };
    let same = match stored_items(tx, scope).await? {
        Ok(stored) if stored.is_empty() => None,
        Ok(stored) => Some(stored == *incoming),
        Err(_) => return Err(conflict(FIXED_ITEMS_ID)),
    };
    Ok(plan_one(FIXED_ITEMS_ID, same))
}

/// The safety plan in the file against the stored one.
async fn plan_safety(
    tx: &Transaction<'_>,
    scope: &Scope,
    incoming: Option<&SafetyPlan>,
) -> Done<ImportChanges> {
    let Some(incoming) = incoming else {
        return Ok(ImportChanges::default());
    };
    let same = match stored_safety(tx, scope).await? {
        None => None,
        Some(Ok(stored)) => Some(stored == *incoming),
        // An unreadable stored plan cannot be compared: a conflict.
        Some(Err(_)) => return Err(conflict(SAFETY_PLAN_ID)),
    };
    Ok(plan_one(SAFETY_PLAN_ID, same))
}

fn conflict(id: &str) -> Fail {
    Fail(StoreError::Conflict { id: id.to_string() })
}

/// The stored record `id` of kind `T`; one that cannot be read refuses
/// the import as a conflict naming it.
async fn stored<T: Kind>(tx: &Transaction<'_>, scope: &Scope, id: &str) -> Done<Option<T>> {
    let mut loaded = kinds::load::<T>(tx, scope, Filter::Id(id)).await?;
    match (loaded.found.pop(), loaded.skipped.is_empty()) {
        (Some(r), _) => Ok(Some(r)),
        (None, true) => Ok(None),
        (None, false) => Err(conflict(id)),
    }
}

/// What importing `records` would do, without writing.
async fn plan_kind<T: Kind>(
    tx: &Transaction<'_>,
    scope: &Scope,
    format: &str,
    records: &[Sourced<T>],
) -> Done<ImportChanges> {
    // A person with none of this kind yet (moving in, or seeded) has
    // nothing stored to compare with or replace: no query per record.
    let none_yet = records.is_empty() || kinds::none_stored::<T>(tx, scope).await?;
    let mut plan = KindPlan::default();
    for r in records {
        if !plan.first(r)? {
            continue;
        }
        let stored = match none_yet {
            true => None,
            false => stored::<T>(tx, scope, r.record.id()).await?,
        };
        plan.stored(r, stored.as_ref());
    }
    let mut by_key = Vec::new();
    for r in plan.waiting() {
        by_key.push(match none_yet {
            true => Vec::new(),
            false => keyed::<T>(tx, scope, format, &r.key).await?,
        });
    }
    Ok(plan.finish(by_key))
}

/// The source key as stored: an HMAC under the person's data key.
fn source_hash(scope: &Scope, key: &str) -> Vec<u8> {
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(scope.key.bytes())
        .expect("HMAC takes a key of any length");
    mac.update(key.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Ids of stored records of kind `T` that an import of `format` brought
/// with source key `key`.
async fn keyed<T: Kind>(
    tx: &Transaction<'_>,
    scope: &Scope,
    format: &str,
    key: &str,
) -> Done<Vec<String>> {
    let Some(kind) = T::SOURCE else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT s.record_id FROM import_sources AS s
         WHERE s.tenant = $1 AND s.person = $2
           AND s.record_kind = $3 AND s.format = $4 AND s.source_key = $5
           AND EXISTS (SELECT 1 FROM {} AS r
                       WHERE r.tenant = s.tenant AND r.person = s.person AND r.id = s.record_id)
         ORDER BY s.record_id",
        T::TABLE
    );
    let hash = source_hash(scope, key);
    let rows = tx
        .query(&sql, &[&scope.tenant, &scope.person, &kind, &format, &hash])
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Swaps out, inserts and remembers each record's source, as planned.
async fn apply<T: Kind>(
    tx: &Transaction<'_>,
    scope: &Scope,
    format: &str,
    records: &[Sourced<T>],
    changes: &ImportChanges,
) -> Done<()> {
    for id in &changes.swapped_out {
        kinds::delete::<T>(tx, scope, id).await?;
        tx.execute(
            "DELETE FROM import_sources
             WHERE tenant = $1 AND person = $2 AND record_kind = $3 AND record_id = $4",
            &[&scope.tenant, &scope.person, &T::SOURCE, id],
        )
        .await?;
    }
    let mut inserted = Vec::new();
    let mut sources = Vec::new();
    for (r, insert) in import_plan::to_write(records, changes) {
        if insert {
            inserted.push(&r.record);
        }
        sources.push((r.record.id(), r.key.as_str()));
    }
    for chunk in inserted.chunks(ROWS_AT_ONCE) {
        kinds::insert_all(tx, scope, chunk).await?;
    }
    for chunk in sources.chunks(ROWS_AT_ONCE) {
        remember_all::<T>(tx, scope, format, chunk).await?;
    }
    Ok(())
}

/// How many rows one statement of an import inserts.
const ROWS_AT_ONCE: usize = 1000;

/// Remembers the source key of each `(record id, key)`, in one statement.
async fn remember_all<T: Kind>(
    tx: &Transaction<'_>,
    scope: &Scope,
    format: &str,
    sources: &[(&str, &str)],
) -> Done<()> {
    let Some(kind) = T::SOURCE else {
        return Ok(());
    };
    let ids: Vec<&str> = sources.iter().map(|(id, _)| *id).collect();
    let keys: Vec<Vec<u8>> = sources
        .iter()
        .map(|(_, key)| source_hash(scope, key))
        .collect();
    tx.execute(
        "INSERT INTO import_sources (tenant, person, record_kind, record_id, format, source_key)
         SELECT $1, $2, $3, s.id, $4, s.key FROM unnest($5::text[], $6::bytea[]) AS s(id, key)
         ON CONFLICT (tenant, person, record_kind, record_id)
         DO UPDATE SET format = excluded.format, source_key = excluded.source_key",
        &[&scope.tenant, &scope.person, &kind, &format, &ids, &keys],
    )
    .await?;
    Ok(())
}
