//! Many audit events in one transaction in four round trips, whatever
//! their number (the caseload writes one per person): the pseudonyms,
//! every head locked at once (in chain order, so two batches never wait
//! on each other in a circle), every event, every new head.

use super::audit::{ensure_pseudonym, fill, Event, Happened, COLUMNS, GENESIS};
use super::SharingError;
use deadpool_postgres::Transaction;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Writes every one of `all` (all of one reader's clinic) in `tx`.
pub async fn append_all(
    tx: &Transaction<'_>,
    all: &[Happened<'_>],
) -> Result<Vec<Event>, SharingError> {
    let Some(first) = all.first() else {
        return Ok(Vec::new());
    };
    let tenant = first.reader.tenant;
    let subjects = pseudonyms(tx, tenant, all).await?;
    let chains: Vec<String> = all
        .iter()
        .map(|h| chain_of(tenant, h.person.and_then(|p| subjects.get(&p).copied())))
        .collect();
    let mut heads = lock_heads(tx, tenant, &chains).await?;
    let mut events = Vec::with_capacity(all.len());
    for (h, chain) in all.iter().zip(chains) {
        let head = heads
            .get_mut(&chain)
            .expect("every chain's head was locked");
        let subject = h.person.and_then(|p| subjects.get(&p).copied());
        let mut e = fill(h, chain, head.0 + 1, subject, head.1.clone());
        e.hash = e.expected_hash();
        *head = (e.position, e.hash.clone());
        events.push(e);
    }
    insert_all(tx, &events).await?;
    Ok(events)
}

fn chain_of(tenant: Uuid, subject: Option<Uuid>) -> String {
    match subject {
        Some(p) => format!("person:{p}"),
        None => format!("clinic:{tenant}"),
    }
}

/// The pseudonym of each person named, in one query (those without one
/// yet get one as [`super::audit::append`] would).
async fn pseudonyms(
    tx: &Transaction<'_>,
    tenant: Uuid,
    all: &[Happened<'_>],
) -> Result<BTreeMap<Uuid, Uuid>, SharingError> {
    let people: Vec<Uuid> = all.iter().filter_map(|h| h.person).collect();
    let statement = tx
        .prepare_cached(
            "SELECT person, pseudonym FROM audit_pseudonyms WHERE tenant = $1 AND person = ANY ($2)",
        )
        .await?;
    let rows = tx.query(&statement, &[&tenant, &people]).await?;
    let mut found: BTreeMap<Uuid, Uuid> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    for person in people {
        if let std::collections::btree_map::Entry::Vacant(slot) = found.entry(person) {
            if let Some(p) = ensure_pseudonym(tx, tenant, person).await? {
                slot.insert(p);
            }
        }
    }
    Ok(found)
}

async fn lock_heads(
    tx: &Transaction<'_>,
    tenant: Uuid,
    chains: &[String],
) -> Result<BTreeMap<String, (i64, Vec<u8>)>, SharingError> {
    let mut sorted = chains.to_vec();
    sorted.sort();
    sorted.dedup();
    let statement = tx
        .prepare_cached(
            "INSERT INTO audit_heads (chain, tenant, position, hash)
             SELECT c, $2, 0, $3 FROM unnest($1::text[]) WITH ORDINALITY AS u(c, n) ORDER BY n
             ON CONFLICT (chain) DO UPDATE SET chain = excluded.chain
             RETURNING chain, position, hash",
        )
        .await?;
    let rows = tx
        .query(&statement, &[&sorted, &tenant, &GENESIS.as_slice()])
        .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect())
}

async fn insert_all(tx: &Transaction<'_>, events: &[Event]) -> Result<(), SharingError> {
    let col = |f: fn(&Event) -> String| events.iter().map(f).collect::<Vec<_>>();
    let (chain, role, action, what) = (
        col(|e| e.chain.clone()),
        col(|e| e.role.clone()),
        col(|e| e.action.clone()),
        col(|e| e.what.clone()),
    );
    let (address, request, outcome) = (
        col(|e| e.address.clone()),
        col(|e| e.request.clone()),
        col(|e| e.outcome.clone()),
    );
    let position: Vec<i64> = events.iter().map(|e| e.position).collect();
    let tenant: Vec<Uuid> = events.iter().map(|e| e.tenant).collect();
    let at: Vec<_> = events.iter().map(|e| e.at).collect();
    let actor: Vec<Uuid> = events.iter().map(|e| e.actor).collect();
    let subject: Vec<Option<Uuid>> = events.iter().map(|e| e.subject).collect();
    let grant: Vec<Option<Uuid>> = events.iter().map(|e| e.grant).collect();
    let emergency: Vec<Option<String>> = events.iter().map(|e| e.emergency.clone()).collect();
    let previous: Vec<&[u8]> = events.iter().map(|e| e.previous.as_slice()).collect();
    let hash: Vec<&[u8]> = events.iter().map(|e| e.hash.as_slice()).collect();
    // Every event, then each chain's last one as its new head.
    let sql = format!(
        "WITH added AS (INSERT INTO audit_events ({COLUMNS})
           SELECT * FROM unnest($1::text[], $2::int8[], $3::uuid[], $4::timestamptz[], $5::uuid[],
             $6::text[], $7::text[], $8::uuid[], $9::text[], $10::uuid[], $11::text[], $12::text[],
             $13::text[], $14::text[], $15::bytea[], $16::bytea[])
           RETURNING chain, position, hash)
         UPDATE audit_heads h SET position = last.position, hash = last.hash
         FROM (SELECT DISTINCT ON (chain) chain, position, hash FROM added
               ORDER BY chain, position DESC) AS last
         WHERE h.chain = last.chain"
    );
    let statement = tx.prepare_cached(&sql).await?;
    tx.execute(
        &statement,
        &[
            &chain, &position, &tenant, &at, &actor, &role, &action, &subject, &what, &grant,
            &emergency, &address, &request, &outcome, &previous, &hash,
        ],
    )
    .await?;
    Ok(())
}
