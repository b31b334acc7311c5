//! Emergency access: an admin opens a person's data without a grant,
//! only with a reason and for at most a day. Opening it is an audit event
//! of its own (and every read under it names the reason), and the person
//! is told the next time they open the app, until they mark it seen.

use super::audit::{self, Basis, Happened, Outcome};
use super::{as_reader, invalid, Reader, RequestMeta, Role, SharingError};
use crate::store::scoped;
use chrono::{DateTime, Duration, Utc};
use deadpool_postgres::{Pool, Transaction};
use tokio_postgres::Row;
use uuid::Uuid;

/// The longest an emergency access stays open.
pub const LONGEST: Duration = Duration::hours(24);

/// An emergency access as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emergency {
    pub id: Uuid,
    pub admin: Uuid,
    pub reason: String,
    pub opened_at: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub seen_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, admin, reason, opened_at, until, seen_at";

fn from_row(row: &Row) -> Emergency {
    Emergency {
        id: row.get(0),
        admin: row.get(1),
        reason: row.get(2),
        opened_at: row.get(3),
        until: row.get(4),
        seen_at: row.get(5),
    }
}

/// Opens `person`'s data to `admin` for `lasting` (at most [`LONGEST`]),
/// for `reason`, and records it.
pub async fn open(
    pool: &Pool,
    admin: &Reader,
    person: Uuid,
    reason: &str,
    lasting: Duration,
    request: &RequestMeta,
) -> Result<Emergency, SharingError> {
    check(admin, reason, lasting)?;
    let mut client = pool.get().await?;
    let tx = as_reader(&mut client, admin).await?;
    let opened_at = Utc::now();
    let sql = format!(
        "INSERT INTO emergency_access (id, tenant, person, admin, reason, opened_at, until)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
    );
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 7] = [
        &Uuid::now_v7(),
        &admin.tenant,
        &person,
        &admin.account,
        &reason.trim(),
        &opened_at,
        &(opened_at + lasting),
    ];
    let row = tx.query_one(&sql, &params).await.map_err(|e| {
        match e.code() == Some(&tokio_postgres::error::SqlState::FOREIGN_KEY_VIOLATION) {
            true => SharingError::Data(crate::DataError::NoPerson {
                tenant: admin.tenant,
                person,
            }),
            false => e.into(),
        }
    })?;
    let opened = from_row(&row);
    let happened = Happened {
        reader: admin,
        request,
        action: "opened emergency access",
        person: Some(person),
        what: "data",
        basis: Basis::Emergency(opened.reason.clone()),
        outcome: Outcome::Allowed,
    };
    audit::append(&tx, &happened).await?;
    tx.commit().await?;
    Ok(opened)
}

fn check(admin: &Reader, reason: &str, lasting: Duration) -> Result<(), SharingError> {
    if admin.role != Role::Admin {
        return Err(invalid("role", "only an admin can open emergency access"));
    }
    if reason.trim().is_empty() {
        return Err(invalid("reason", "say why this access is needed"));
    }
    if lasting <= Duration::zero() || lasting > LONGEST {
        return Err(invalid(
            "lasting",
            "emergency access lasts more than no time and at most 24 hours",
        ));
    }
    Ok(())
}

/// The reason of an emergency access `reader` has open to `person` now.
pub(crate) async fn open_reason(
    tx: &Transaction<'_>,
    reader: &Reader,
    person: Uuid,
) -> Result<Option<String>, SharingError> {
    if reader.role != Role::Admin {
        return Ok(None);
    }
    let row = tx
        .query_opt(
            "SELECT reason FROM emergency_access
             WHERE tenant = $1 AND person = $2 AND admin = $3 AND opened_at <= now() AND now() < until
             ORDER BY opened_at DESC LIMIT 1",
            &[&reader.tenant, &person, &reader.account],
        )
        .await?;
    Ok(row.map(|r| r.get(0)))
}

/// The emergency accesses to `person` they have not yet seen, newest first.
pub async fn unseen(
    pool: &Pool,
    tenant: Uuid,
    person: Uuid,
) -> Result<Vec<Emergency>, SharingError> {
    let mut client = pool.get().await?;
    let tx = scoped(&mut client, tenant, person).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM emergency_access
         WHERE tenant = $1 AND person = $2 AND seen_at IS NULL ORDER BY opened_at DESC"
    );
    let rows = tx.query(&sql, &[&tenant, &person]).await?;
    tx.commit().await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Marks emergency access `id` as seen by `person`.
pub async fn mark_seen(
    pool: &Pool,
    tenant: Uuid,
    person: Uuid,
    id: Uuid,
) -> Result<(), SharingError> {
    let mut client = pool.get().await?;
    let tx = scoped(&mut client, tenant, person).await?;
    let n = tx
        .execute(
            "UPDATE emergency_access SET seen_at = coalesce(seen_at, now())
             WHERE tenant = $1 AND person = $2 AND id = $3",
            &[&tenant, &person, &id],
        )
        .await?;
    if n == 0 {
        return Err(invalid(
            "emergency",
            format!("there is no emergency access {id} to this person"),
        ));
    }
    tx.commit().await?;
    Ok(())
}
