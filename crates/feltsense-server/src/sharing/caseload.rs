//! A clinician's caseload: for each person who shares with them now,
//! only the summaries their grant's scopes allow, read in one
//! transaction as the reader, with one audit event per person.

use super::audit::{self, Basis, Happened, Outcome};
use super::grants::{self, Grant, Scope};
use super::summary::{self, CheckInSummary, QuestionnaireSummary};
use super::{as_reader, Reader, RequestMeta, SharingError};
use crate::keys::ServerKey;
use crate::store::kinds;
use crate::store::Scope as Sealed;
use chrono::Utc;
use deadpool_postgres::{Pool, Transaction};
use uuid::Uuid;

/// One person of a caseload; `None` where the grant does not share it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub person: Uuid,
    pub grant: Uuid,
    pub check_ins: Option<CheckInSummary>,
    pub questionnaires: Option<QuestionnaireSummary>,
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
    let sql = format!(
        "SELECT {} FROM grants WHERE tenant = $1 AND grantee = $2 ORDER BY created_at, id",
        grants::COLUMNS
    );
    let rows = tx.query(&sql, &[&reader.tenant, &reader.account]).await?;
    let mut seen = std::collections::BTreeSet::new();
    let mut entries = Vec::new();
    for g in rows.iter().map(grants::from_row) {
        if g.active_at(now) && seen.insert(g.person) {
            entries.push(entry(&tx, key, &g).await?);
            let happened = Happened {
                reader,
                request,
                action: "read",
                person: Some(g.person),
                what: "caseload summary",
                basis: Basis::Grant(g.id),
                outcome: Outcome::Allowed,
            };
            audit::append(&tx, &happened).await?;
        }
    }
    tx.commit().await?;
    Ok(entries)
}

async fn entry(tx: &Transaction<'_>, key: &ServerKey, g: &Grant) -> Result<Entry, SharingError> {
    let row = tx
        .query_one(
            "SELECT p.wrapped_key,
                    (SELECT sealed FROM summaries s WHERE s.tenant = p.tenant AND s.person = p.id AND s.scope = 'checkins'),
                    (SELECT sealed FROM summaries s WHERE s.tenant = p.tenant AND s.person = p.id AND s.scope = 'questionnaires')
             FROM people p WHERE p.tenant = $1 AND p.id = $2",
            &[&g.tenant, &g.person],
        )
        .await?;
    let sealed = Sealed {
        tenant: g.tenant,
        person: g.person,
        key: key.unwrap(g.tenant, g.person, row.get(0))?,
    };
    Ok(Entry {
        person: g.person,
        grant: g.id,
        check_ins: open(g, &sealed, Scope::CheckIns, row.get(1))?,
        questionnaires: open(g, &sealed, Scope::Questionnaires, row.get(2))?,
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
