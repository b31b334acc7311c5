//! Which journal entries a person shares, for their own sharing pages.

use super::SharingError;
use crate::store::scoped;
use deadpool_postgres::Pool;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The entries `person` shares: those chosen for each grant, and those
/// marked as shared (for every grant that takes marked entries).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedEntries {
    pub chosen: HashMap<Uuid, HashSet<String>>,
    pub marked: HashSet<String>,
}

impl SharedEntries {
    /// Whether `entry` is shared with `grant` chosen entry by entry.
    pub fn chosen_for(&self, grant: Uuid, entry: &str) -> bool {
        self.chosen.get(&grant).is_some_and(|e| e.contains(entry))
    }
}

/// Every share of `person`'s journal entries.
pub async fn of_person(
    pool: &Pool,
    tenant: Uuid,
    person: Uuid,
) -> Result<SharedEntries, SharingError> {
    let mut client = pool.get().await?;
    let tx = scoped(&mut client, tenant, person).await?;
    let rows = tx
        .query(
            "SELECT entry, grant_id FROM journal_shares WHERE tenant = $1 AND person = $2",
            &[&tenant, &person],
        )
        .await?;
    tx.commit().await?;
    let mut shared = SharedEntries::default();
    for row in &rows {
        let entry: String = row.get(0);
        match row.get::<_, Option<Uuid>>(1) {
            Some(grant) => shared.chosen.entry(grant).or_default().insert(entry),
            None => shared.marked.insert(entry),
        };
    }
    Ok(shared)
}
