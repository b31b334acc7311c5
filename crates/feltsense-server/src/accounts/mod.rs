//! Accounts, sessions, invites, second factors, rate limits and security
//! events: everything the server knows about who is signing in, kept apart
//! from the person's `Store` (what they wrote). Natively async over the
//! same pool as the person stores.

mod events;
mod feed;
mod invites;
pub mod password;
mod sealing;
pub mod second_factor;
pub mod secret;
mod sessions;
pub mod sharing_code;
mod sign_in;

pub use events::Event;
pub(crate) use feed::reseal_feeds_in;
pub use invites::{Invite, NewAccount, Purpose};
pub use sessions::{Session, Stage};
pub use sharing_code::CodeFind;
pub use sign_in::SignIn;

use deadpool_postgres::Pool;
pub use sealing::SealingKey;
use std::sync::Arc;
use uuid::Uuid;

/// What an account may do. A person sees their own app; staff see the
/// staff page (issue 14 adds what clinicians are shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Person,
    Clinician,
    Admin,
    Auditor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Person => "person",
            Role::Clinician => "clinician",
            Role::Admin => "admin",
            Role::Auditor => "auditor",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        [Role::Person, Role::Clinician, Role::Admin, Role::Auditor]
            .into_iter()
            .find(|r| r.as_str() == text)
    }

    /// Staff must have a second factor; for a person it is a choice.
    pub fn is_staff(self) -> bool {
        self != Role::Person
    }
}

/// One account as the pages need it.
#[derive(Debug, Clone)]
pub struct Account {
    pub tenant: Uuid,
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub has_second_factor: bool,
}

impl Account {
    fn from_row(row: &tokio_postgres::Row) -> Account {
        let role: String = row.get("role");
        Account {
            tenant: row.get("tenant"),
            id: row.get("id"),
            email: row.get("email"),
            display_name: row.get("display_name"),
            role: Role::parse(&role).unwrap_or(Role::Person),
            has_second_factor: row.get::<_, Option<Vec<u8>>>("totp_sealed").is_some(),
        }
    }
}

/// (Also spelled out in `sessions.rs`, whose one statement joins them.)
const ACCOUNT_COLUMNS: &str = "tenant, id, email, display_name, role, totp_sealed";

/// The accounts side of the database.
#[derive(Clone)]
pub struct Accounts {
    pool: Pool,
    key: Arc<SealingKey>,
}

impl Accounts {
    pub fn new(pool: Pool, key: Arc<SealingKey>) -> Accounts {
        Accounts { pool, key }
    }

    pub(crate) async fn client(&self) -> anyhow::Result<deadpool_postgres::Object> {
        Ok(self.pool.get().await?)
    }

    /// The account with this id.
    pub async fn get(&self, id: Uuid) -> anyhow::Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1");
        let row = self.client().await?.query_opt(&sql, &[&id]).await?;
        Ok(row.as_ref().map(Account::from_row))
    }

    /// The accounts of a tenant, for its staff page.
    pub async fn of_tenant(&self, tenant: Uuid) -> anyhow::Result<Vec<Account>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE tenant = $1 ORDER BY role, lower(email)"
        );
        let rows = self.client().await?.query(&sql, &[&tenant]).await?;
        Ok(rows.iter().map(Account::from_row).collect())
    }

    /// Removes the account (its sessions and codes go with it) and records
    /// it. The person's data is removed by the caller, first.
    pub async fn delete(&self, account: &Account, address: &str) -> anyhow::Result<()> {
        self.client()
            .await?
            .execute("DELETE FROM accounts WHERE id = $1", &[&account.id])
            .await?;
        self.record(Event::of(account, "account_deleted", address))
            .await
    }

    /// Whether the database answers.
    pub async fn healthy(&self) -> bool {
        match tokio::time::timeout(std::time::Duration::from_secs(3), self.client()).await {
            Ok(Ok(client)) => client.simple_query("SELECT 1").await.is_ok(),
            _ => false,
        }
    }

    /// Refuses a key that does not open the secrets already sealed in the
    /// database (a wrong --key-file would otherwise lock out every staff
    /// account, and seal new secrets no other instance can open).
    pub async fn verify_key(&self) -> anyhow::Result<()> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT totp_sealed FROM accounts WHERE totp_sealed IS NOT NULL LIMIT 1",
                &[],
            )
            .await?;
        match row.map(|r| r.get::<_, Vec<u8>>(0)) {
            Some(sealed) if second_factor::open(&self.key, &sealed).is_none() => anyhow::bail!(
                "the key file does not open the secrets already in this database; \
                 is it this server's key file? Nothing was changed"
            ),
            _ => Ok(()),
        }
    }
}

/// Reseals every second-factor secret from `old` to `new` within `tx`
/// (part of `rotate_key`'s one transaction); how many. A secret `old`
/// does not open stops it all: nothing is changed.
pub(crate) async fn reseal_in(
    tx: &deadpool_postgres::Transaction<'_>,
    old: &SealingKey,
    new: &SealingKey,
) -> Result<usize, crate::DataError> {
    let rows = tx
        .query(
            "SELECT id, totp_sealed FROM accounts WHERE totp_sealed IS NOT NULL FOR UPDATE",
            &[],
        )
        .await?;
    for row in &rows {
        let id: Uuid = row.get(0);
        let sealed: Vec<u8> = row.get(1);
        let secret = second_factor::open(old, &sealed).ok_or(crate::DataError::WrongServerKey)?;
        tx.execute(
            "UPDATE accounts SET totp_sealed = $2 WHERE id = $1",
            &[&id, &second_factor::seal(new, &secret)],
        )
        .await?;
    }
    Ok(rows.len())
}
