//! Signing in: the password, then the second factor for those who have
//! one (a recovery code works once in its place). Failures are counted in
//! the database per account and per address, so the limits hold across
//! every instance of the server.

use super::{password, second_factor, secret, Account, Accounts, Event, Stage, ACCOUNT_COLUMNS};

/// Failures within `WINDOW` after which an account is refused for a while.
pub const ACCOUNT_LIMIT: i64 = 5;
/// Failures within `WINDOW` after which an address is refused.
pub const ADDRESS_LIMIT: i64 = 30;
pub const WINDOW_MINUTES: i64 = 15;

/// How a sign-in step went.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the new session's token.
    Done(String),
    /// The password was right; this token's session awaits the code.
    NeedsSecondFactor(String),
    Wrong,
    /// Too many failures lately.
    Limited,
}

impl Accounts {
    /// The first step: email and password.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: &str,
        agent: &str,
    ) -> anyhow::Result<SignIn> {
        let keys = [
            format!("email:{}", email.trim().to_lowercase()),
            format!("address:{address}"),
        ];
        let found = self.with_password(email.trim()).await?;
        if self
            .limited(&keys, found.as_ref().map(|(a, _)| a), address)
            .await?
        {
            return Ok(SignIn::Limited);
        }
        let right = match &found {
            Some((_, hash)) => password::verify(password, hash),
            None => {
                password::verify_nothing(password);
                false
            }
        };
        let account = match (found, right) {
            (Some((account, _)), true) => account,
            (found, _) => {
                self.failed(&keys, found.as_ref().map(|(a, _)| a), address)
                    .await?;
                return Ok(SignIn::Wrong);
            }
        };
        if account.has_second_factor {
            let token = self
                .start_session(&account, Stage::SecondFactor, agent)
                .await?;
            return Ok(SignIn::NeedsSecondFactor(token));
        }
        self.signed_in(&keys, &account, address, "password").await?;
        Ok(SignIn::Done(
            self.start_session(&account, Stage::Full, agent).await?,
        ))
    }

    /// The second step: a code from the authenticator, or a recovery code.
    /// The pending session ends either way it succeeds; a new one begins.
    pub async fn second_factor(
        &self,
        pending: &str,
        code: &str,
        address: &str,
        agent: &str,
    ) -> anyhow::Result<SignIn> {
        let Some(session) = self
            .session(pending)
            .await?
            .filter(|s| s.stage == Stage::SecondFactor)
        else {
            return Ok(SignIn::Wrong);
        };
        let account = session.account;
        let keys = [
            format!("email:{}", account.email.to_lowercase()),
            format!("address:{address}"),
        ];
        if self.limited(&keys, Some(&account), address).await? {
            return Ok(SignIn::Limited);
        }
        let how = if self.code_is_right(&account, code).await? {
            "second factor"
        } else if self.use_recovery_code(&account, code).await? {
            "recovery code"
        } else {
            self.failed(&keys, Some(&account), address).await?;
            return Ok(SignIn::Wrong);
        };
        self.end_session(pending).await?;
        self.signed_in(&keys, &account, address, how).await?;
        Ok(SignIn::Done(
            self.start_session(&account, Stage::Full, agent).await?,
        ))
    }

    async fn with_password(&self, email: &str) -> anyhow::Result<Option<(Account, String)>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, password_hash FROM accounts \
             WHERE lower(email) = lower($1) AND password_hash IS NOT NULL"
        );
        let row = self.client().await?.query_opt(&sql, &[&email]).await?;
        Ok(row.map(|row| (Account::from_row(&row), row.get("password_hash"))))
    }

    async fn code_is_right(&self, account: &Account, code: &str) -> anyhow::Result<bool> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT totp_sealed FROM accounts WHERE id = $1",
                &[&account.id],
            )
            .await?;
        let sealed: Option<Vec<u8>> = row.get(0);
        let secret = sealed.and_then(|s| second_factor::open(&self.key, &s));
        let now = chrono::Utc::now().timestamp().max(0) as u64;
        Ok(secret.is_some_and(|s| second_factor::check(&s, code, now)))
    }

    /// Uses up a recovery code, if it is one of the account's unused ones.
    async fn use_recovery_code(&self, account: &Account, code: &str) -> anyhow::Result<bool> {
        let digest = secret::digest(&second_factor::normal_code(code));
        let used = self
            .client()
            .await?
            .execute(
                "UPDATE recovery_codes SET used_at = now() \
                 WHERE account = $1 AND code_hash = $2 AND used_at IS NULL",
                &[&account.id, &digest],
            )
            .await?;
        Ok(used == 1)
    }

    /// Whether any of `keys` has failed too often lately (recorded as a
    /// lockout when it has).
    async fn limited(
        &self,
        keys: &[String; 2],
        account: Option<&Account>,
        address: &str,
    ) -> anyhow::Result<bool> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT count(*) FILTER (WHERE key = $1), count(*) FILTER (WHERE key = $2) \
                 FROM login_attempts WHERE key IN ($1, $2) AND NOT succeeded \
                   AND at > now() - $3 * interval '1 minute'",
                &[&keys[0], &keys[1], &(WINDOW_MINUTES as f64)],
            )
            .await?;
        let (by_account, by_address): (i64, i64) = (row.get(0), row.get(1));
        let limited = by_account >= ACCOUNT_LIMIT || by_address >= ADDRESS_LIMIT;
        if limited {
            let which = if by_account >= ACCOUNT_LIMIT {
                "account"
            } else {
                "address"
            };
            self.record(Event {
                tenant: account.map(|a| a.tenant),
                account: account.map(|a| a.id),
                kind: "sign_in_limited",
                address: address.to_string(),
                detail: format!("too many failures for this {which}"),
            })
            .await?;
        }
        Ok(limited)
    }

    async fn failed(
        &self,
        keys: &[String; 2],
        account: Option<&Account>,
        address: &str,
    ) -> anyhow::Result<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO login_attempts (key, succeeded) VALUES ($1, false), ($2, false)",
                &[&keys[0], &keys[1]],
            )
            .await?;
        self.record(Event {
            tenant: account.map(|a| a.tenant),
            account: account.map(|a| a.id),
            kind: "sign_in_failed",
            address: address.to_string(),
            detail: String::new(),
        })
        .await
    }

    /// A success clears the account's failures (not the address's).
    async fn signed_in(
        &self,
        keys: &[String; 2],
        account: &Account,
        address: &str,
        how: &str,
    ) -> anyhow::Result<()> {
        self.client()
            .await?
            .execute("DELETE FROM login_attempts WHERE key = $1", &[&keys[0]])
            .await?;
        self.record(Event::of(account, "sign_in", address).with_detail(how))
            .await
    }
}
