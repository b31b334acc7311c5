//! Single-use, expiring links: the first admin's setup, invites to
//! clinicians and people, and password or second-factor resets. The link
//! holds a random token; the database its hash.

use super::{password, second_factor, secret, Account, Accounts, Event, Role};
use uuid::Uuid;

/// How long an invite or reset link stays good.
pub const LIFETIME: chrono::Duration = chrono::Duration::days(3);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Setup,
    Invite,
    ResetPassword,
    ResetSecondFactor,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Setup => "setup",
            Purpose::Invite => "invite",
            Purpose::ResetPassword => "reset_password",
            Purpose::ResetSecondFactor => "reset_second_factor",
        }
    }

    fn parse(text: &str) -> Purpose {
        match text {
            "setup" => Purpose::Setup,
            "reset_password" => Purpose::ResetPassword,
            "reset_second_factor" => Purpose::ResetSecondFactor,
            _ => Purpose::Invite,
        }
    }

    /// The path its link starts with.
    pub fn path(self) -> &'static str {
        match self {
            Purpose::Setup => "/setup/",
            Purpose::Invite => "/invite/",
            Purpose::ResetPassword | Purpose::ResetSecondFactor => "/reset/",
        }
    }
}

/// A live (unused, unexpired) link.
#[derive(Debug, Clone)]
pub struct Invite {
    pub tenant: Uuid,
    pub purpose: Purpose,
    pub role: Role,
    pub email: String,
    pub account: Option<Uuid>,
}

/// What a new account is made with.
pub struct NewAccount {
    pub id: Uuid,
    pub display_name: String,
    pub password: String,
    pub second_factor: Option<Vec<u8>>,
}

impl Accounts {
    /// A new link; returns its token. `by` is who asked (none for the
    /// command line's first admin).
    pub async fn issue(
        &self,
        invite: &Invite,
        by: Option<&Account>,
        address: &str,
    ) -> anyhow::Result<String> {
        let token = secret::token();
        self.client()
            .await?
            .execute(
                "INSERT INTO invites (token_hash, tenant, purpose, role, email, account, created_by, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8 * interval '1 second')",
                &[
                    &secret::digest(&token),
                    &invite.tenant,
                    &invite.purpose.as_str(),
                    &invite.role.as_str(),
                    &invite.email,
                    &invite.account,
                    &by.map(|a| a.id),
                    &(LIFETIME.num_seconds() as f64),
                ],
            )
            .await?;
        let kind = match invite.purpose {
            Purpose::Setup => "setup_link_issued",
            Purpose::Invite => "invite_issued",
            Purpose::ResetPassword => "password_reset_issued",
            Purpose::ResetSecondFactor => "second_factor_reset_issued",
        };
        self.record(Event {
            tenant: Some(invite.tenant),
            account: invite.account.or(by.map(|a| a.id)),
            kind,
            address: address.to_string(),
            detail: format!("{} for {}", invite.role.as_str(), invite.email),
        })
        .await?;
        Ok(token)
    }

    /// The live link with this token.
    pub async fn invite(&self, token: &str) -> anyhow::Result<Option<Invite>> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT tenant, purpose, role, email, account FROM invites \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()",
                &[&secret::digest(token)],
            )
            .await?;
        Ok(row.map(|row| Invite {
            tenant: row.get("tenant"),
            purpose: Purpose::parse(row.get("purpose")),
            role: Role::parse(row.get("role")).unwrap_or(Role::Person),
            email: row.get("email"),
            account: row.get("account"),
        }))
    }

    /// Whether an account already has this email.
    pub async fn email_taken(&self, email: &str) -> anyhow::Result<bool> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT 1 FROM accounts WHERE lower(email) = lower($1)",
                &[&email],
            )
            .await?;
        Ok(row.is_some())
    }

    /// Uses up a setup or invite link and makes its account, in one
    /// transaction; returns the account and its recovery codes (shown once).
    /// `None` if the link was used or expired meanwhile.
    pub async fn accept(
        &self,
        token: &str,
        new: NewAccount,
        address: &str,
    ) -> anyhow::Result<Option<(Account, Vec<String>)>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(row) = tx
            .query_opt(
                "UPDATE invites SET used_at = now(), account = $2 \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() \
                   AND purpose IN ('setup', 'invite') RETURNING tenant, role, email",
                &[&secret::digest(token), &new.id],
            )
            .await?
        else {
            return Ok(None);
        };
        let sealed = new
            .second_factor
            .as_ref()
            .map(|s| second_factor::seal(&self.key, s));
        let hash = password::hash(&new.password);
        let (tenant, role, email): (Uuid, String, String) = (row.get(0), row.get(1), row.get(2));
        tx.execute(
            "INSERT INTO accounts (tenant, id, email, display_name, role, password_hash, totp_sealed) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[&tenant, &new.id, &email, &new.display_name, &role, &hash, &sealed],
        )
        .await?;
        let codes = match sealed {
            Some(_) => replace_codes(&tx, tenant, new.id).await?,
            None => Vec::new(),
        };
        tx.commit().await?;
        let account = self.get(new.id).await?.expect("the account was just made");
        self.record(Event::of(&account, "account_created", address).with_detail(role))
            .await?;
        if account.has_second_factor {
            self.record(Event::of(&account, "second_factor_set", address))
                .await?;
        }
        Ok(Some((account, codes)))
    }

    /// Uses up a reset link: a new password, or a new second factor (none,
    /// for a person who chooses to go without). Every session of the
    /// account ends. Returns the account and any new recovery codes.
    pub async fn complete_reset(
        &self,
        token: &str,
        password: Option<&str>,
        second_factor: Option<Vec<u8>>,
        address: &str,
    ) -> anyhow::Result<Option<(Account, Vec<String>)>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(row) = tx
            .query_opt(
                "UPDATE invites SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL \
                   AND expires_at > now() AND purpose IN ('reset_password', 'reset_second_factor') \
                 RETURNING tenant, account, purpose",
                &[&secret::digest(token)],
            )
            .await?
        else {
            return Ok(None);
        };
        let (tenant, id): (Uuid, Option<Uuid>) = (row.get(0), row.get(1));
        let id = id.ok_or_else(|| anyhow::anyhow!("a reset link without its account"))?;
        let kind;
        let mut codes = Vec::new();
        if let Some(password) = password {
            tx.execute(
                "UPDATE accounts SET password_hash = $2 WHERE id = $1",
                &[&id, &password::hash(password)],
            )
            .await?;
            kind = "password_reset";
        } else {
            let sealed = second_factor
                .as_ref()
                .map(|s| second_factor::seal(&self.key, s));
            tx.execute(
                "UPDATE accounts SET totp_sealed = $2 WHERE id = $1",
                &[&id, &sealed],
            )
            .await?;
            tx.execute("DELETE FROM recovery_codes WHERE account = $1", &[&id])
                .await?;
            if sealed.is_some() {
                codes = replace_codes(&tx, tenant, id).await?;
            }
            kind = "second_factor_reset";
        }
        tx.execute("DELETE FROM sessions WHERE account = $1", &[&id])
            .await?;
        tx.commit().await?;
        let account = self.get(id).await?.expect("the account was just changed");
        self.record(Event::of(&account, kind, address)).await?;
        Ok(Some((account, codes)))
    }
}

/// Fresh recovery codes for the account, replacing any it had; their
/// SHA-256 is kept (each is 80 random bits).
async fn replace_codes(
    tx: &deadpool_postgres::Transaction<'_>,
    tenant: Uuid,
    account: Uuid,
) -> anyhow::Result<Vec<String>> {
    tx.execute("DELETE FROM recovery_codes WHERE account = $1", &[&account])
        .await?;
    let codes = second_factor::recovery_codes();
    for code in &codes {
        tx.execute(
            "INSERT INTO recovery_codes (account, tenant, code_hash) VALUES ($1, $2, $3)",
            &[&account, &tenant, &secret::digest(code)],
        )
        .await?;
    }
    Ok(codes)
}
