//! Security events: sign-ins, failures, lockouts, second-factor changes,
//! invites, role changes, resets and deletions. Append-only: the app role
//! may only insert and select (see 0002_accounts.sql).

use super::{Account, Accounts};
use uuid::Uuid;

/// One event. `detail` never holds a password, a code or a token.
#[derive(Debug, Clone)]
pub struct Event {
    pub tenant: Option<Uuid>,
    pub account: Option<Uuid>,
    pub kind: &'static str,
    pub address: String,
    pub detail: String,
}

impl Event {
    pub fn of(account: &Account, kind: &'static str, address: &str) -> Event {
        Event {
            tenant: Some(account.tenant),
            account: Some(account.id),
            kind,
            address: address.to_string(),
            detail: String::new(),
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Event {
        self.detail = detail.into();
        self
    }
}

impl Accounts {
    pub async fn record(&self, event: Event) -> anyhow::Result<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO security_events (tenant, account, kind, address, detail) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &event.tenant,
                    &event.account,
                    &event.kind,
                    &event.address,
                    &event.detail,
                ],
            )
            .await?;
        Ok(())
    }

    /// The kinds of an account's events, oldest first (tests, staff page).
    pub async fn events_of(&self, account: Uuid) -> anyhow::Result<Vec<String>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT kind FROM security_events WHERE account = $1 ORDER BY id",
                &[&account],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}
