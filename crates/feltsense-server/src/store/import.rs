//! Imports into PostgreSQL, all or nothing in the caller's transaction,
//! with the same plan as the SQLite store's (`feltsense-store`'s
//! import.rs): each record is new, already stored exactly as given, or
//! takes the place of earlier records with the same source key or id.
//! Source keys are kept as an HMAC-SHA256 under the person's data key.

use super::kinds::{self, Filter, Kind};
use super::{Done, Fail, Scope};
use deadpool_postgres::Transaction;
use feltsense_core::imported::Sourced;
use feltsense_core::SafetyPlan;
use feltsense_store::{
    ImportBatch, ImportChanges, ImportMode, ImportPlan, StoreError, SAFETY_PLAN_ID,
};
use hmac::{Hmac, Mac};
use std::collections::{HashMap, HashSet};

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
    Ok(plan)
}

fn refuse_replacing(plan: &ImportPlan) -> Done<()> {
    let first = [
        &plan.checkins,
        &plan.journal,
        &plan.bridges,
        &plan.assessments,
        &plan.safety_plan,
    ]
    .into_iter()
    .find_map(|c| c.replacing.first());
    match first {
        Some(id) => Err(Fail(StoreError::Conflict { id: id.clone() })),
        None => Ok(()),
    }
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

/// The safety plan in the file against the stored one.
async fn plan_safety(
    tx: &Transaction<'_>,
    scope: &Scope,
    incoming: Option<&SafetyPlan>,
) -> Done<ImportChanges> {
    let mut changes = ImportChanges::default();
    let Some(incoming) = incoming else {
        return Ok(changes);
    };
    let id = SAFETY_PLAN_ID.to_string();
    match stored_safety(tx, scope).await? {
        None => changes.added.push(id),
        Some(Ok(stored)) if stored == *incoming => changes.unchanged.push(id),
        // An unreadable stored plan cannot be compared: a conflict.
        Some(Err(_)) => return Err(Fail(StoreError::Conflict { id })),
        Some(Ok(_)) => {
            changes.replacing.push(id.clone());
            changes.swapped_out.push(id);
        }
    }
    Ok(changes)
}

/// The stored record `id` of kind `T`; one that cannot be read refuses
/// the import as a conflict naming it.
async fn stored<T: Kind>(tx: &Transaction<'_>, scope: &Scope, id: &str) -> Done<Option<T>> {
    let mut loaded = kinds::load::<T>(tx, scope, Filter::Id(id)).await?;
    match (loaded.found.pop(), loaded.skipped.is_empty()) {
        (Some(r), _) => Ok(Some(r)),
        (None, true) => Ok(None),
        (None, false) => Err(Fail(StoreError::Conflict { id: id.to_string() })),
    }
}

/// What importing `records` would do, without writing.
async fn plan_kind<T: Kind>(
    tx: &Transaction<'_>,
    scope: &Scope,
    format: &str,
    records: &[Sourced<T>],
) -> Done<ImportChanges> {
    let mut changes = ImportChanges::default();
    let mut first: HashMap<&str, &T> = HashMap::new();
    let mut waiting = Vec::new();
    for r in records {
        let id = r.record.id();
        if let Some(earlier) = first.insert(id, &r.record) {
            // The file holds this id twice: the same record is harmless.
            if !r.record.same(earlier) {
                return Err(Fail(StoreError::Conflict { id: id.to_string() }));
            }
            continue;
        }
        match stored::<T>(tx, scope, id).await? {
            Some(stored) if r.record.same(&stored) => changes.unchanged.push(id.to_string()),
            Some(_) => waiting.push((r, true)),
            None => waiting.push((r, false)),
        }
    }
    let keep: HashSet<&str> = changes.unchanged.iter().map(String::as_str).collect();
    let mut swapped: HashSet<String> = HashSet::new();
    for (r, is_stored) in waiting {
        let mut earlier = keyed::<T>(tx, scope, format, &r.key).await?;
        earlier.retain(|id| !keep.contains(id.as_str()));
        if is_stored && !earlier.iter().any(|e| e == r.record.id()) {
            earlier.push(r.record.id().to_string());
        }
        let id = r.record.id().to_string();
        match earlier.is_empty() {
            true => changes.added.push(id),
            false => changes.replacing.push(id),
        }
        for e in earlier {
            if swapped.insert(e.clone()) {
                changes.swapped_out.push(e);
            }
        }
    }
    Ok(changes)
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
    let new: HashSet<&str> = changes
        .added
        .iter()
        .chain(&changes.replacing)
        .map(String::as_str)
        .collect();
    let mut done = HashSet::new();
    for r in records {
        let id = r.record.id();
        if !done.insert(id) {
            continue;
        }
        if new.contains(id) && !kinds::insert(tx, scope, &r.record).await? {
            return Err(Fail(StoreError::Conflict { id: id.to_string() }));
        }
        remember::<T>(tx, scope, format, id, &r.key).await?;
    }
    Ok(())
}

async fn remember<T: Kind>(
    tx: &Transaction<'_>,
    scope: &Scope,
    format: &str,
    id: &str,
    key: &str,
) -> Done<()> {
    let Some(kind) = T::SOURCE else {
        return Ok(());
    };
    tx.execute(
        "INSERT INTO import_sources (tenant, person, record_kind, record_id, format, source_key)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant, person, record_kind, record_id)
         DO UPDATE SET format = excluded.format, source_key = excluded.source_key",
        &[
            &scope.tenant,
            &scope.person,
            &kind,
            &id,
            &format,
            &source_hash(scope, key),
        ],
    )
    .await?;
    Ok(())
}
