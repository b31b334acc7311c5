//! Server-side sessions. The cookie holds a random token; the database its
//! SHA-256, so a copy of the table opens nothing. A session ends after
//! `IDLE` without a request or `LIFETIME` after it began, whichever first,
//! and its owner can list and end any of theirs ("sign out everywhere").

use super::{secret, Account, Accounts, Role};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A session unused this long has ended.
pub const IDLE: chrono::Duration = chrono::Duration::hours(8);
/// How often a session's `last_seen` is written (at most).
pub const SEEN_EVERY: chrono::Duration = chrono::Duration::minutes(1);
/// No session lives longer than this.
pub const LIFETIME: chrono::Duration = chrono::Duration::days(14);
/// Between a right password and its second factor.
pub const SECOND_FACTOR_WINDOW: chrono::Duration = chrono::Duration::minutes(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The password was right; the second factor is still to come.
    SecondFactor,
    Full,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::SecondFactor => "second_factor",
            Stage::Full => "full",
        }
    }
}

/// A live session and its account.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub stage: Stage,
    pub csrf: String,
    pub user_agent: String,
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub account: Account,
}

impl Session {
    pub fn role(&self) -> Role {
        self.account.role
    }
}

/// The live session with a token's hash ($1), not idle for $2 seconds,
/// with its account; its `last_seen` is written when older than $3
/// seconds.
const SESSION_SQL: &str = "WITH live AS ( \
       SELECT id, stage, csrf, user_agent, created_at, last_seen, account \
       FROM sessions WHERE token_hash = $1 AND expires_at > now() \
         AND last_seen > now() - $2 * interval '1 second'), \
     seen AS ( \
       UPDATE sessions SET last_seen = now() FROM live \
       WHERE sessions.id = live.id \
         AND live.last_seen < now() - $3 * interval '1 second' \
       RETURNING sessions.id) \
     SELECT live.id AS session_id, live.stage, live.csrf, live.user_agent, \
       live.created_at, live.last_seen, \
       a.tenant, a.id, a.email, a.display_name, a.role, a.totp_sealed \
     FROM live JOIN accounts a ON a.id = live.account";

impl Accounts {
    /// Begins a session for `account`; returns its token (for the cookie).
    pub async fn start_session(
        &self,
        account: &Account,
        stage: Stage,
        user_agent: &str,
    ) -> anyhow::Result<String> {
        let token = secret::token();
        let lifetime = match stage {
            Stage::SecondFactor => SECOND_FACTOR_WINDOW,
            Stage::Full => LIFETIME,
        };
        let agent: String = user_agent.chars().take(200).collect();
        self.client()
            .await?
            .execute(
                "INSERT INTO sessions (token_hash, id, tenant, account, stage, csrf, user_agent, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8 * interval '1 second')",
                &[
                    &secret::digest(&token),
                    &Uuid::now_v7(),
                    &account.tenant,
                    &account.id,
                    &stage.as_str(),
                    &secret::token(),
                    &agent,
                    &(lifetime.num_seconds() as f64),
                ],
            )
            .await?;
        Ok(token)
    }

    /// The live session with this token, marked as used now. The mark is
    /// written only when the last one is older than [`SEEN_EVERY`], so a
    /// page is a read, not a committed write, and the idle limit is kept
    /// to within that much.
    pub async fn session(&self, token: &str) -> anyhow::Result<Option<Session>> {
        let client = self.client().await?;
        // One prepared statement, one round trip: the session, its mark,
        // and its account.
        let select = client.prepare_cached(SESSION_SQL).await?;
        let idle = IDLE.num_seconds() as f64;
        let every = SEEN_EVERY.num_seconds() as f64;
        let Some(row) = client
            .query_opt(&select, &[&secret::digest(token), &idle, &every])
            .await?
        else {
            return Ok(None);
        };
        let stage: String = row.get("stage");
        Ok(Some(Session {
            id: row.get("session_id"),
            stage: if stage == "full" {
                Stage::Full
            } else {
                Stage::SecondFactor
            },
            csrf: row.get("csrf"),
            user_agent: row.get("user_agent"),
            created_at: row.get("created_at"),
            last_seen: row.get("last_seen"),
            account: Account::from_row(&row),
        }))
    }

    /// Ends the session with this token (signing out).
    pub async fn end_session(&self, token: &str) -> anyhow::Result<()> {
        self.client()
            .await?
            .execute(
                "DELETE FROM sessions WHERE token_hash = $1",
                &[&secret::digest(token)],
            )
            .await?;
        Ok(())
    }

    /// The account's live sessions, newest first.
    pub async fn sessions_of(&self, account: &Account) -> anyhow::Result<Vec<Session>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, stage, csrf, user_agent, created_at, last_seen FROM sessions \
                 WHERE account = $1 AND stage = 'full' AND expires_at > now() \
                   AND last_seen > now() - $2 * interval '1 second' ORDER BY created_at DESC",
                &[&account.id, &(IDLE.num_seconds() as f64)],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|row| Session {
                id: row.get("id"),
                stage: Stage::Full,
                csrf: String::new(),
                user_agent: row.get("user_agent"),
                created_at: row.get("created_at"),
                last_seen: row.get("last_seen"),
                account: account.clone(),
            })
            .collect())
    }

    /// Ends one of the account's sessions (only its own).
    pub async fn revoke_session(&self, account: &Account, id: Uuid) -> anyhow::Result<bool> {
        let n = self
            .client()
            .await?
            .execute(
                "DELETE FROM sessions WHERE account = $1 AND id = $2",
                &[&account.id, &id],
            )
            .await?;
        Ok(n > 0)
    }

    /// Ends every session of the account, or every one but `keep`.
    pub async fn revoke_all(&self, account: &Account, keep: Option<Uuid>) -> anyhow::Result<u64> {
        let n = self
            .client()
            .await?
            .execute(
                "DELETE FROM sessions WHERE account = $1 AND ($2::uuid IS NULL OR id <> $2)",
                &[&account.id, &keep],
            )
            .await?;
        Ok(n)
    }
}
