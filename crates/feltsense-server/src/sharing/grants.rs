//! Grants as data: a person shares some kinds of their data with one
//! account of their clinic, from a time, maybe until one, for a purpose;
//! they can change or revoke it at any time.

use super::{invalid, SharingError};
use crate::store::scoped;
use chrono::{DateTime, Utc};
use deadpool_postgres::Pool;
use tokio_postgres::Row;
use uuid::Uuid;

/// A kind of data a grant can share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Check-ins, with the calendar and insights made from them.
    CheckIns,
    Questionnaires,
    /// Bridges and practices.
    Bridges,
    SafetyPlan,
    /// Journal entries: only those [`JournalSharing`] lets through.
    Journal,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::CheckIns,
        Scope::Questionnaires,
        Scope::Bridges,
        Scope::SafetyPlan,
        Scope::Journal,
    ];

    /// Its name in the database (and in the policies of 0003).
    pub fn name(self) -> &'static str {
        match self {
            Scope::CheckIns => "checkins",
            Scope::Questionnaires => "questionnaires",
            Scope::Bridges => "bridges",
            Scope::SafetyPlan => "safety plan",
            Scope::Journal => "journal",
        }
    }

    /// Its name for a person ("your check-ins").
    pub fn words(self) -> &'static str {
        match self {
            Scope::CheckIns => "check-ins, calendar and insights",
            Scope::Questionnaires => "questionnaires",
            Scope::Bridges => "bridges and practices",
            Scope::SafetyPlan => "safety plan",
            Scope::Journal => "shared journal entries",
        }
    }

    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Which journal entries a grant with [`Scope::Journal`] shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalSharing {
    Off,
    /// Entries chosen one by one for this grant ([`share_entry`]).
    Chosen,
    /// Entries the person marks as shared ([`mark_entry`]).
    Marked,
}

impl JournalSharing {
    fn name(self) -> &'static str {
        match self {
            JournalSharing::Off => "off",
            JournalSharing::Chosen => "chosen",
            JournalSharing::Marked => "marked",
        }
    }

    fn parse(name: &str) -> JournalSharing {
        match name {
            "chosen" => JournalSharing::Chosen,
            "marked" => JournalSharing::Marked,
            _ => JournalSharing::Off,
        }
    }
}

/// Whom a grant is to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GranteeKind {
    Clinician,
    TrustedPerson,
}

impl GranteeKind {
    pub fn name(self) -> &'static str {
        match self {
            GranteeKind::Clinician => "clinician",
            GranteeKind::TrustedPerson => "trusted person",
        }
    }
}

/// What a person chooses when they share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantDraft {
    pub grantee: Uuid,
    pub grantee_kind: GranteeKind,
    pub scopes: Vec<Scope>,
    pub journal: JournalSharing,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub purpose: String,
}

/// What a person may change of a grant (`None`: as it was).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantChange {
    pub scopes: Option<Vec<Scope>>,
    pub journal: Option<JournalSharing>,
    pub ends_at: Option<Option<DateTime<Utc>>>,
    pub purpose: Option<String>,
}

/// A grant as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: Uuid,
    pub tenant: Uuid,
    pub person: Uuid,
    pub grantee: Uuid,
    pub grantee_kind: GranteeKind,
    pub scopes: Vec<Scope>,
    pub journal: JournalSharing,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub purpose: String,
    pub created_at: DateTime<Utc>,
    pub changed_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Grant {
    /// Whether it lets its grantee read at `now`.
    pub fn active_at(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none()
            && self.starts_at <= now
            && self.ends_at.is_none_or(|end| now < end)
    }

    pub fn allows(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

pub(crate) const COLUMNS: &str = "id, tenant, person, grantee, grantee_kind, scopes, journal, \
     starts_at, ends_at, purpose, created_at, changed_at, revoked_at";

pub(crate) fn from_row(row: &Row) -> Grant {
    let scopes: Vec<String> = row.get(5);
    let kind: &str = row.get(4);
    Grant {
        id: row.get(0),
        tenant: row.get(1),
        person: row.get(2),
        grantee: row.get(3),
        grantee_kind: match kind {
            "clinician" => GranteeKind::Clinician,
            _ => GranteeKind::TrustedPerson,
        },
        scopes: scopes.iter().filter_map(|s| Scope::parse(s)).collect(),
        journal: JournalSharing::parse(row.get(6)),
        starts_at: row.get(7),
        ends_at: row.get(8),
        purpose: row.get(9),
        created_at: row.get(10),
        changed_at: row.get(11),
        revoked_at: row.get(12),
    }
}

fn scope_names(scopes: &[Scope]) -> Vec<&'static str> {
    let mut names: Vec<_> = scopes.iter().map(|s| s.name()).collect();
    names.sort_unstable();
    names.dedup();
    names
}

fn check_draft(person: Uuid, draft: &GrantDraft) -> Result<(), SharingError> {
    if draft.grantee == person {
        return Err(invalid("grantee", "a person cannot share with themselves"));
    }
    check_period(draft.starts_at, draft.ends_at)?;
    check_purpose(&draft.purpose)
}

fn check_period(starts: DateTime<Utc>, ends: Option<DateTime<Utc>>) -> Result<(), SharingError> {
    match ends {
        Some(end) if end <= starts => Err(invalid(
            "ends_at",
            "the end of sharing must come after its start",
        )),
        _ => Ok(()),
    }
}

fn check_purpose(purpose: &str) -> Result<(), SharingError> {
    match purpose.trim().chars().count() {
        0 => Err(invalid("purpose", "say in a few words what it is for")),
        n if n > 500 => Err(invalid("purpose", "keep it under 500 characters")),
        _ => Ok(()),
    }
}

/// Shares what `draft` says of `person`'s data. Returns the new grant.
pub async fn create(
    pool: &Pool,
    tenant: Uuid,
    person: Uuid,
    draft: &GrantDraft,
) -> Result<Grant, SharingError> {
    check_draft(person, draft)?;
    let mut client = pool.get().await?;
    let tx = scoped(&mut client, tenant, person).await?;
    let sql = format!(
        "INSERT INTO grants (id, tenant, person, grantee, grantee_kind, scopes, journal,
                             starts_at, ends_at, purpose)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {COLUMNS}"
    );
    let row = tx
        .query_one(
            &sql,
            &[
                &Uuid::now_v7(),
                &tenant,
                &person,
                &draft.grantee,
                &draft.grantee_kind.name(),
                &scope_names(&draft.scopes),
                &draft.journal.name(),
                &draft.starts_at,
                &draft.ends_at,
                &draft.purpose.trim(),
            ],
        )
        .await?;
    super::audit::ensure_pseudonym(&tx, tenant, person).await?;
    tx.commit().await?;
    Ok(from_row(&row))
}

/// Changes what grant `id` of `person` shares, until when, or what for.
pub async fn change(
    pool: &Pool,
    tenant: Uuid,
    person: Uuid,
    id: Uuid,
    change: &GrantChange,
) -> Result<Grant, SharingError> {
    if let Some(purpose) = &change.purpose {
        check_purpose(purpose)?;
    }
    let mut client = pool.get().await?;
    let tx = scoped(&mut client, tenant, person).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM grants WHERE tenant = $1 AND person = $2 AND id = $3 FOR UPDATE"
    );
    let row = tx.query_opt(&sql, &[&tenant, &person, &id]).await?;
    let old = from_row(&row.ok_or(SharingError::NoGrant(id))?);
    let ends_at = change.ends_at.unwrap_or(old.ends_at);
    check_period(old.starts_at, ends_at)?;
    let scopes = change.scopes.clone().unwrap_or(old.scopes);
    let sql = format!(
        "UPDATE grants SET scopes = $4, journal = $5, ends_at = $6, purpose = $7, changed_at = now()
         WHERE tenant = $1 AND person = $2 AND id = $3 RETURNING {COLUMNS}"
    );
    let purpose = change.purpose.as_deref().unwrap_or(&old.purpose).trim();
    let journal = change.journal.unwrap_or(old.journal).name();
    let row = tx
        .query_one(
            &sql,
            &[
                &tenant,
                &person,
                &id,
                &scope_names(&scopes),
                &journal,
                &ends_at,
                &purpose,
            ],
        )
        .await?;
    tx.commit().await?;
    Ok(from_row(&row))
}

/// Ends grant `id` of `person` now: its grantee's next request is refused.
pub async fn revoke(
    pool: &Pool,
    tenant: Uuid,
    person: Uuid,
    id: Uuid,
) -> Result<Grant, SharingError> {
    let mut client = pool.get().await?;
    let tx = scoped(&mut client, tenant, person).await?;
    let sql = format!(
        "UPDATE grants SET revoked_at = coalesce(revoked_at, now()), changed_at = now()
         WHERE tenant = $1 AND person = $2 AND id = $3 RETURNING {COLUMNS}"
    );
    let row = tx.query_opt(&sql, &[&tenant, &person, &id]).await?;
    let grant = from_row(&row.ok_or(SharingError::NoGrant(id))?);
    tx.commit().await?;
    Ok(grant)
}

/// Every grant `person` made, revoked ones too, newest first.
pub async fn for_person(
    pool: &Pool,
    tenant: Uuid,
    person: Uuid,
) -> Result<Vec<Grant>, SharingError> {
    let mut client = pool.get().await?;
    let tx = scoped(&mut client, tenant, person).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM grants WHERE tenant = $1 AND person = $2 ORDER BY created_at DESC, id DESC"
    );
    let rows = tx.query(&sql, &[&tenant, &person]).await?;
    tx.commit().await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Every grant made to `grantee` in `tenant`, revoked ones too, newest first.
pub async fn for_grantee(
    pool: &Pool,
    tenant: Uuid,
    grantee: Uuid,
) -> Result<Vec<Grant>, SharingError> {
    let mut client = pool.get().await?;
    let reader = super::Reader {
        tenant,
        account: grantee,
        role: super::Role::Clinician,
    };
    let tx = super::as_reader(&mut client, &reader).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM grants WHERE tenant = $1 AND grantee = $2 ORDER BY created_at DESC, id DESC"
    );
    let rows = tx.query(&sql, &[&tenant, &grantee]).await?;
    tx.commit().await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Shares journal entry `entry` with grant `grant` alone (a grant whose
/// journal is [`JournalSharing::Chosen`]).
pub async fn share_entry(
    pool: &Pool,
    tenant: Uuid,
    person: Uuid,
    grant: Uuid,
    entry: &str,
) -> Result<(), SharingError> {
    shares(pool, tenant, person, entry, Some(grant), true).await
}

/// Stops sharing `entry` with `grant`.
pub async fn unshare_entry(
    pool: &Pool,
    tenant: Uuid,
    person: Uuid,
    grant: Uuid,
    entry: &str,
) -> Result<(), SharingError> {
    shares(pool, tenant, person, entry, Some(grant), false).await
}

/// Marks `entry` as shared with every grant whose journal is
/// [`JournalSharing::Marked`] (or, with `shared` false, unmarks it).
pub async fn mark_entry(
    pool: &Pool,
    tenant: Uuid,
    person: Uuid,
    entry: &str,
    shared: bool,
) -> Result<(), SharingError> {
    shares(pool, tenant, person, entry, None, shared).await
}

async fn shares(
    pool: &Pool,
    tenant: Uuid,
    person: Uuid,
    entry: &str,
    grant: Option<Uuid>,
    shared: bool,
) -> Result<(), SharingError> {
    let mut client = pool.get().await?;
    let tx = scoped(&mut client, tenant, person).await?;
    let sql = match shared {
        true => {
            "INSERT INTO journal_shares (tenant, person, entry, grant_id) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING"
        }
        false => {
            "DELETE FROM journal_shares WHERE tenant = $1 AND person = $2 AND entry = $3
                  AND grant_id IS NOT DISTINCT FROM $4"
        }
    };
    tx.execute(sql, &[&tenant, &person, &entry, &grant])
        .await
        .map_err(|e| {
            match e.code() == Some(&tokio_postgres::error::SqlState::FOREIGN_KEY_VIOLATION) {
                true => grant.map_or_else(|| SharingError::from(e), SharingError::NoGrant),
                false => e.into(),
            }
        })?;
    tx.commit().await?;
    Ok(())
}
