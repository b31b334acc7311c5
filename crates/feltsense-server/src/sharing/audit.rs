//! The audit trail: every read of another person's data, allowed or
//! refused, as an event written in the read's own transaction. Events are
//! append-only for the app role and chained: each carries the hash of the
//! one before it in its chain (one chain per person, named by their
//! pseudonym; one per clinic for events about no known person). A chain's
//! head row is locked `FOR UPDATE` by each append, so appends to one chain
//! from several instances take turns.

use super::{every_chain, Reader, RequestMeta, SharingError};
use chrono::{DateTime, SubsecRound, Utc};
use deadpool_postgres::{Pool, Transaction};
use sha2::{Digest, Sha256};
use tokio_postgres::Row;
use uuid::Uuid;

/// Whether the read happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    Refused,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Refused => "refused",
        }
    }
}

/// Under what a read happened: a grant, or an emergency access's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    Grant(Uuid),
    Emergency(String),
    Nothing,
}

/// One thing that happened, before it is written.
#[derive(Debug, Clone)]
pub struct Happened<'a> {
    pub reader: &'a Reader,
    pub request: &'a RequestMeta,
    /// What was done ("read", "opened emergency access").
    pub action: &'a str,
    /// Whose data (`None`: no person of this clinic).
    pub person: Option<Uuid>,
    /// What was read ("check-ins, calendar and insights").
    pub what: &'a str,
    pub basis: Basis,
    pub outcome: Outcome,
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub chain: String,
    pub position: i64,
    pub tenant: Uuid,
    pub at: DateTime<Utc>,
    pub actor: Uuid,
    pub role: String,
    pub action: String,
    /// The person's pseudonym, never their id.
    pub subject: Option<Uuid>,
    pub what: String,
    pub grant: Option<Uuid>,
    pub emergency: Option<String>,
    pub address: String,
    pub request: String,
    pub outcome: String,
    pub previous: Vec<u8>,
    pub hash: Vec<u8>,
}

pub(super) const GENESIS: [u8; 32] = [0; 32];

pub(crate) const COLUMNS: &str =
    "chain, position, tenant, at, actor, role, action, subject, what, \
     grant_id, emergency, address, request, outcome, previous, hash";

pub(crate) fn from_row(row: &Row) -> Event {
    Event {
        chain: row.get(0),
        position: row.get(1),
        tenant: row.get(2),
        at: row.get(3),
        actor: row.get(4),
        role: row.get(5),
        action: row.get(6),
        subject: row.get(7),
        what: row.get(8),
        grant: row.get(9),
        emergency: row.get(10),
        address: row.get(11),
        request: row.get(12),
        outcome: row.get(13),
        previous: row.get(14),
        hash: row.get(15),
    }
}

impl Event {
    /// The hash this event must carry: SHA-256 of the previous hash and
    /// every field, each length-prefixed so no two events encode alike.
    pub fn expected_hash(&self) -> Vec<u8> {
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        };
        field(&self.previous);
        field(self.chain.as_bytes());
        field(&self.position.to_be_bytes());
        field(self.tenant.as_bytes());
        field(&self.at.timestamp_micros().to_be_bytes());
        field(self.actor.as_bytes());
        field(self.role.as_bytes());
        field(self.action.as_bytes());
        field(self.subject.as_ref().map_or(&[][..], |s| s.as_bytes()));
        field(self.what.as_bytes());
        field(self.grant.as_ref().map_or(&[][..], |g| g.as_bytes()));
        field(self.emergency.as_deref().unwrap_or("\u{0}").as_bytes());
        field(self.address.as_bytes());
        field(self.request.as_bytes());
        field(self.outcome.as_bytes());
        h.finalize().to_vec()
    }
}

/// The pseudonym of `person` in the audit trail, made the first time.
/// `None` when `tenant` has no such person.
pub(crate) async fn ensure_pseudonym(
    tx: &Transaction<'_>,
    tenant: Uuid,
    person: Uuid,
) -> Result<Option<Uuid>, tokio_postgres::Error> {
    let sql = "SELECT pseudonym FROM audit_pseudonyms WHERE tenant = $1 AND person = $2";
    let known = tx.prepare_cached(sql).await?;
    if let Some(row) = tx.query_opt(&known, &[&tenant, &person]).await? {
        return Ok(Some(row.get(0)));
    }
    let fresh = random_uuid();
    tx.batch_execute("SAVEPOINT pseudonym").await?;
    let made = tx
        .execute(
            "INSERT INTO audit_pseudonyms (tenant, person, pseudonym) VALUES ($1, $2, $3)
             ON CONFLICT (tenant, person) DO NOTHING",
            &[&tenant, &person, &fresh],
        )
        .await;
    match made {
        Ok(_) => {
            tx.batch_execute("RELEASE SAVEPOINT pseudonym").await?;
            Ok(tx
                .query_opt(sql, &[&tenant, &person])
                .await?
                .map(|r| r.get(0)))
        }
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::FOREIGN_KEY_VIOLATION) => {
            tx.batch_execute("ROLLBACK TO SAVEPOINT pseudonym").await?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The pseudonym of `person`, if they have one yet.
pub(crate) async fn pseudonym_of(
    tx: &Transaction<'_>,
    tenant: Uuid,
    person: Uuid,
) -> Result<Option<Uuid>, tokio_postgres::Error> {
    let sql = "SELECT pseudonym FROM audit_pseudonyms WHERE tenant = $1 AND person = $2";
    Ok(tx
        .query_opt(sql, &[&tenant, &person])
        .await?
        .map(|r| r.get(0)))
}

fn random_uuid() -> Uuid {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Writes `happened` in `tx` (the read's own transaction), at the end of
/// its chain, in three round trips (pseudonym, head, event). Returns the
/// event written.
pub async fn append(tx: &Transaction<'_>, happened: &Happened<'_>) -> Result<Event, SharingError> {
    let tenant = happened.reader.tenant;
    let subject = match happened.person {
        Some(person) => ensure_pseudonym(tx, tenant, person).await?,
        None => None,
    };
    let chain = match subject {
        Some(p) => format!("person:{p}"),
        None => format!("clinic:{tenant}"),
    };
    let (position, previous) = lock_head(tx, &chain, tenant).await?;
    let mut event = fill(happened, chain, position + 1, subject, previous);
    event.hash = event.expected_hash();
    insert(tx, &event).await?;
    Ok(event)
}

pub(super) fn fill(
    h: &Happened<'_>,
    chain: String,
    position: i64,
    subject: Option<Uuid>,
    previous: Vec<u8>,
) -> Event {
    let (grant, emergency) = match &h.basis {
        Basis::Grant(id) => (Some(*id), None),
        Basis::Emergency(reason) => (None, Some(reason.clone())),
        Basis::Nothing => (None, None),
    };
    Event {
        chain,
        position,
        tenant: h.reader.tenant,
        at: Utc::now().trunc_subsecs(6),
        actor: h.reader.account,
        role: h.reader.role.name().to_string(),
        action: h.action.to_string(),
        subject,
        what: h.what.to_string(),
        grant,
        emergency,
        address: h.request.address.clone(),
        request: h.request.request_id.clone(),
        outcome: h.outcome.name().to_string(),
        previous,
        hash: Vec::new(),
    }
}

/// The last position and hash of `chain`, locked until `tx` ends.
async fn lock_head(
    tx: &Transaction<'_>,
    chain: &str,
    tenant: Uuid,
) -> Result<(i64, Vec<u8>), SharingError> {
    // One round trip: the head made if absent, locked either way.
    let statement = tx
        .prepare_cached(
            "INSERT INTO audit_heads (chain, tenant, position, hash) VALUES ($1, $2, 0, $3)
             ON CONFLICT (chain) DO UPDATE SET chain = excluded.chain
             RETURNING position, hash",
        )
        .await?;
    let row = tx
        .query_one(&statement, &[&chain, &tenant, &GENESIS.as_slice()])
        .await?;
    Ok((row.get(0), row.get(1)))
}

async fn insert(tx: &Transaction<'_>, e: &Event) -> Result<(), SharingError> {
    // The event and its chain's new head, in one statement.
    let sql = format!(
        "WITH added AS (INSERT INTO audit_events ({COLUMNS})
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16))
         UPDATE audit_heads SET position = $2, hash = $16 WHERE chain = $1"
    );
    let statement = tx.prepare_cached(&sql).await?;
    tx.execute(
        &statement,
        &[
            &e.chain,
            &e.position,
            &e.tenant,
            &e.at,
            &e.actor,
            &e.role,
            &e.action,
            &e.subject,
            &e.what,
            &e.grant,
            &e.emergency,
            &e.address,
            &e.request,
            &e.outcome,
            &e.previous,
            &e.hash,
        ],
    )
    .await?;
    Ok(())
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// Every chain fits: how many chains and events.
    Intact { chains: usize, events: usize },
    /// The first event (or chain head) that does not fit, and why.
    Broken {
        chain: String,
        position: i64,
        why: String,
    },
}

/// Checks every chain of every clinic: each event's hash, its link to the
/// one before, no gap in positions, and the head at the last event.
pub async fn verify(pool: &Pool) -> Result<Verified, SharingError> {
    let mut client = pool.get().await?;
    let tx = every_chain(&mut client).await?;
    let sql = format!("SELECT {COLUMNS} FROM audit_events ORDER BY chain, position");
    let events: Vec<Event> = tx.query(&sql, &[]).await?.iter().map(from_row).collect();
    let heads = tx
        .query(
            "SELECT chain, position, hash FROM audit_heads ORDER BY chain",
            &[],
        )
        .await?;
    tx.commit().await?;
    let mut walk = Walk::default();
    for e in &events {
        if let Some(broken) = walk.step(e) {
            return Ok(broken);
        }
    }
    for head in &heads {
        let (chain, position, hash): (String, i64, Vec<u8>) =
            (head.get(0), head.get(1), head.get(2));
        if walk.last.get(&chain) != Some(&(position, hash)) && position != 0 {
            let why = "the chain's head does not name its last event (an event was removed)";
            return Ok(Verified::Broken {
                chain,
                position,
                why: why.into(),
            });
        }
    }
    Ok(Verified::Intact {
        chains: walk.last.len(),
        events: events.len(),
    })
}

#[derive(Default)]
struct Walk {
    last: std::collections::BTreeMap<String, (i64, Vec<u8>)>,
}

impl Walk {
    fn step(&mut self, e: &Event) -> Option<Verified> {
        let (position, previous) = self
            .last
            .get(&e.chain)
            .cloned()
            .unwrap_or((0, GENESIS.to_vec()));
        let broken = |why: &str| Verified::Broken {
            chain: e.chain.clone(),
            position: e.position,
            why: why.to_string(),
        };
        if e.position != position + 1 {
            return Some(broken("an event before it is missing"));
        }
        if e.previous != previous {
            return Some(broken("it does not carry the hash of the event before it"));
        }
        if e.hash != e.expected_hash() {
            return Some(broken("its content was changed after it was written"));
        }
        self.last
            .insert(e.chain.clone(), (e.position, e.hash.clone()));
        None
    }
}

/// One read of a person's data by someone else, for "who saw what".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look {
    pub at: DateTime<Utc>,
    pub who: Uuid,
    pub role: String,
    pub action: String,
    pub what: String,
    pub grant: Option<Uuid>,
    pub emergency: Option<String>,
    pub refused: bool,
}

impl Look {
    /// The look in plain words, `name` being what the page calls `who`.
    pub fn sentence(&self, name: &str) -> String {
        let when = self.at.format("%-d %B %Y at %H:%M UTC");
        let as_role = format!("{name} ({})", self.role);
        match (&self.emergency, self.refused) {
            (_, true) => format!("{as_role} tried to see your {} on {when}; it was not shared with them, so they saw nothing.", self.what),
            (Some(reason), false) if self.action != "read" => format!("{as_role} opened emergency access to your data on {when}, giving the reason: “{reason}”."),
            (Some(reason), false) => format!("{as_role} saw your {} on {when} through emergency access (reason: “{reason}”).", self.what),
            (None, false) => format!("{as_role} saw your {} on {when}, under what you chose to share.", self.what),
        }
    }
}

/// Each time someone else read (or tried to read) `person`'s data,
/// newest first.
pub async fn who_saw_what(
    pool: &Pool,
    tenant: Uuid,
    person: Uuid,
) -> Result<Vec<Look>, SharingError> {
    let mut client = pool.get().await?;
    let tx = crate::store::scoped(&mut client, tenant, person).await?;
    let Some(pseudonym) = pseudonym_of(&tx, tenant, person).await? else {
        return Ok(Vec::new());
    };
    let rows = tx
        .query(
            "SELECT at, actor, role, action, what, grant_id, emergency, outcome FROM audit_events
             WHERE tenant = $1 AND subject = $2 AND actor <> $3 ORDER BY at DESC, position DESC",
            &[&tenant, &pseudonym, &person],
        )
        .await?;
    tx.commit().await?;
    Ok(rows.iter().map(look).collect())
}

fn look(row: &Row) -> Look {
    let outcome: &str = row.get(7);
    Look {
        at: row.get(0),
        who: row.get(1),
        role: row.get(2),
        action: row.get(3),
        what: row.get(4),
        grant: row.get(5),
        emergency: row.get(6),
        refused: outcome == "refused",
    }
}
