//! A clinician's caseload: for each person who shares with them now,
//! only the summaries their grant's scopes allow, read in one
//! transaction as the reader, with one audit event per person.

use super::audit::{Basis, Happened, Outcome};
use super::audit_batch;
use super::grants::{self, Grant, Scope};
use super::summary::{self, CheckInSummary, QuestionnaireSummary};
use super::{as_reader, Reader, RequestMeta, SharingError};
use crate::keys::ServerKey;
use crate::store::kinds;
use crate::store::Scope as Sealed;
use chrono::Utc;
use deadpool_postgres::Pool;
use uuid::Uuid;

/// One person of a caseload; `None` where the grant does not share it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub person: Uuid,
    pub grant: Uuid,
    pub check_ins: Option<CheckInSummary>,
    pub questionnaires: Option<QuestionnaireSummary>,
    /// The name the person chose to show (`None`: none, or no account).
    pub display_name: Option<String>,
}

/// The caseload of `reader`, one entry per person, oldest grant first.
pub async fn caseload(
    pool: &Pool,
    key: &ServerKey,
    reader: &Reader,
    request: &RequestMeta,
) -> Result<Vec<Entry>, SharingError> {
    let mut client = pool.get().await?;
    let tx = as_reader(&mut client, reader).await?;
    let now = Utc::now();
    let columns: Vec<String> = grants::COLUMNS
        .split(", ")
        .map(|c| format!("g.{c}"))
        .collect();
    // One query for everyone: each person's key, the summaries row-level
    // security lets this reader see, and the name they show.
    let sql = format!(
        "SELECT {}, p.wrapped_key, c.sealed, q.sealed, a.display_name FROM grants g
         JOIN people p ON p.tenant = g.tenant AND p.id = g.person
         LEFT JOIN summaries c ON c.tenant = g.tenant AND c.person = g.person AND c.scope = 'checkins'
         LEFT JOIN summaries q ON q.tenant = g.tenant AND q.person = g.person AND q.scope = 'questionnaires'
         LEFT JOIN accounts a ON a.tenant = g.tenant AND a.id = g.person
         WHERE g.tenant = $1 AND g.grantee = $2 ORDER BY g.created_at, g.id",
        columns.join(", ")
    );
    let statement = tx.prepare_cached(&sql).await?;
    let rows = tx
        .query(&statement, &[&reader.tenant, &reader.account])
        .await?;
    let mut seen = std::collections::BTreeSet::new();
    let mut entries = Vec::new();
    let mut looks = Vec::new();
    for row in &rows {
        let g = grants::from_row(row);
        if g.active_at(now) && seen.insert(g.person) {
            entries.push(entry(key, &g, row)?);
            looks.push(Happened {
                reader,
                request,
                action: "read",
                person: Some(g.person),
                what: "caseload summary",
                basis: Basis::Grant(g.id),
                outcome: Outcome::Allowed,
            });
        }
    }
    if !super::audit_off() {
        audit_batch::append_all(&tx, &looks).await?;
    }
    tx.commit().await?;
    Ok(entries)
}

/// One person's entry from their row of the caseload's query.
fn entry(key: &ServerKey, g: &Grant, row: &tokio_postgres::Row) -> Result<Entry, SharingError> {
    let at = grants::COLUMNS.split(", ").count();
    let sealed = Sealed {
        tenant: g.tenant,
        person: g.person,
        key: key.unwrap(g.tenant, g.person, row.get(at))?,
    };
    Ok(Entry {
        person: g.person,
        grant: g.id,
        check_ins: open(g, &sealed, Scope::CheckIns, row.get(at + 1))?,
        questionnaires: open(g, &sealed, Scope::Questionnaires, row.get(at + 2))?,
        display_name: row.get(at + 3),
    })
}

/// The summary of `scope` in `bytes`, if `g` shares that scope.
fn open<T: serde::de::DeserializeOwned>(
    g: &Grant,
    sealed: &Sealed,
    scope: Scope,
    bytes: Option<&[u8]>,
) -> Result<Option<T>, SharingError> {
    match (g.allows(scope), bytes) {
        (true, Some(b)) => kinds::open(summary::TABLE, sealed, scope.name(), b)
            .map(Some)
            .map_err(|why| super::invalid("summary", why)),
        _ => Ok(None),
    }
}
