//! Sharing codes: a short code an account shows someone who wants to share
//! with it (a clinician to the people they see, a friend to a friend). It
//! is derived from the server key, the account and a generation number, so
//! it can be shown again and is stored only as its SHA-256; renewing
//! raises the generation and the old code finds nobody. Wrong tries are
//! counted per account that tries, as sign-in failures are.

use super::{secret, Account, Accounts, Event, Role, ACCOUNT_COLUMNS};
use sha2::Digest as _;
use std::collections::HashMap;
use uuid::Uuid;

pub use super::sign_in::WINDOW_MINUTES;

/// The code's letters: no 0/O, 1/I/L, so it reads back without doubt.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a code (31^10: about 49 bits).
pub const CODE_LENGTH: usize = 10;
/// Wrong codes an account may try within [`WINDOW_MINUTES`].
pub const WRONG_CODE_LIMIT: i64 = 5;

/// What looking a code up found.
#[derive(Debug)]
pub enum CodeFind {
    Found(Account),
    /// No account of this clinic and kind has that code (counted).
    Wrong,
    /// Too many wrong codes lately: nothing was looked up.
    Limited,
}

/// The code as typed, made comparable: capitals, no spaces or dashes.
pub fn normal(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// The code shown, in two groups of five (`ABCDE-FGHJK`).
pub fn grouped(code: &str) -> String {
    let (first, second) = code.split_at(code.len().min(5));
    format!("{first}-{second}")
}

impl Accounts {
    /// The account's sharing code (made on first use).
    pub async fn sharing_code(&self, account: &Account) -> anyhow::Result<String> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT sharing_code_generation FROM accounts WHERE id = $1",
                &[&account.id],
            )
            .await?;
        let generation: i32 = row.get(0);
        self.keep_code(account, generation.max(1)).await
    }

    /// A new sharing code for the account; the old one finds nobody now.
    pub async fn renew_sharing_code(
        &self,
        account: &Account,
        address: &str,
    ) -> anyhow::Result<String> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT sharing_code_generation FROM accounts WHERE id = $1",
                &[&account.id],
            )
            .await?;
        let generation: i32 = row.get(0);
        let code = self.keep_code(account, generation.max(1) + 1).await?;
        self.record(Event::of(account, "sharing_code_renewed", address))
            .await?;
        Ok(code)
    }

    async fn keep_code(&self, account: &Account, generation: i32) -> anyhow::Result<String> {
        let code = self.derive_code(account.id, generation);
        self.client()
            .await?
            .execute(
                "UPDATE accounts SET sharing_code_hash = $2, sharing_code_generation = $3 \
                 WHERE id = $1 AND sharing_code_hash IS DISTINCT FROM $2",
                &[&account.id, &secret::digest(&code), &generation],
            )
            .await?;
        Ok(code)
    }

    fn derive_code(&self, account: Uuid, generation: i32) -> String {
        let derived = sha2::Sha256::new()
            .chain_update(self.key.bytes())
            .chain_update(b"sharing code")
            .chain_update(account.as_bytes())
            .chain_update(generation.to_be_bytes())
            .finalize();
        let mut n = u64::from_be_bytes(derived[..8].try_into().unwrap_or_default());
        let base = ALPHABET.len() as u64;
        (0..CODE_LENGTH)
            .map(|_| {
                let c = ALPHABET[(n % base) as usize] as char;
                n /= base;
                c
            })
            .collect()
    }

    /// The account of `finder`'s clinic with a role in `wanted` whose code is
    /// `code`. A wrong code counts against `finder`; after
    /// [`WRONG_CODE_LIMIT`] of them nothing is looked up for a while.
    pub async fn find_by_code(
        &self,
        finder: &Account,
        code: &str,
        wanted: &[Role],
        address: &str,
    ) -> anyhow::Result<CodeFind> {
        let key = format!("sharing-code:{}", finder.id);
        if self.wrong_codes(&key).await? >= WRONG_CODE_LIMIT {
            self.record(Event::of(finder, "sharing_code_limited", address))
                .await?;
            return Ok(CodeFind::Limited);
        }
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE sharing_code_hash = $1 \
             AND tenant = $2 AND role = ANY($3) AND id <> $4 AND password_hash IS NOT NULL"
        );
        let digest = secret::digest(&normal(code));
        let roles: Vec<&str> = wanted.iter().map(|r| r.as_str()).collect();
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 4] =
            [&digest, &finder.tenant, &roles, &finder.id];
        let row = self.client().await?.query_opt(&sql, &params).await?;
        match row {
            Some(row) => Ok(CodeFind::Found(Account::from_row(&row))),
            None => {
                self.wrong_code(&key, finder, address).await?;
                Ok(CodeFind::Wrong)
            }
        }
    }

    async fn wrong_codes(&self, key: &str) -> anyhow::Result<i64> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT count(*) FROM login_attempts WHERE key = $1 AND NOT succeeded \
                 AND at > now() - $2 * interval '1 minute'",
                &[&key, &(WINDOW_MINUTES as f64)],
            )
            .await?;
        Ok(row.get(0))
    }

    async fn wrong_code(&self, key: &str, finder: &Account, address: &str) -> anyhow::Result<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO login_attempts (key, succeeded) VALUES ($1, false)",
                &[&key],
            )
            .await?;
        self.record(Event::of(finder, "sharing_code_wrong", address))
            .await
    }

    /// The clinicians of `tenant` who have set up their account and given
    /// a name: their ids and names only, by name.
    pub async fn clinicians_of(&self, tenant: Uuid) -> anyhow::Result<Vec<(Uuid, String)>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, display_name FROM accounts WHERE tenant = $1 AND role = 'clinician' \
                 AND password_hash IS NOT NULL AND btrim(display_name) <> '' \
                 ORDER BY lower(display_name), id",
                &[&tenant],
            )
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// The display names of the accounts `ids` of `tenant` (an account
    /// gone, or without a name, is missing from the map).
    pub async fn names_of(
        &self,
        tenant: Uuid,
        ids: &[Uuid],
    ) -> anyhow::Result<HashMap<Uuid, String>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, display_name FROM accounts WHERE tenant = $1 AND id = ANY($2) \
                 AND btrim(display_name) <> ''",
                &[&tenant, &ids],
            )
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// The pool the accounts live on (the sharing pages read grants on it).
    pub fn pool(&self) -> &deadpool_postgres::Pool {
        &self.pool
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_typed_with_spaces_dashes_or_small_letters_is_the_same_code() {
        assert_eq!(normal(" abcde-fghjk "), "ABCDEFGHJK");
        assert_eq!(normal("ab cd"), "ABCD");
        assert_eq!(grouped("ABCDEFGHJK"), "ABCDE-FGHJK");
    }

    #[test]
    fn the_alphabet_has_no_letters_that_read_as_others() {
        for c in b"01OIL" {
            assert!(!ALPHABET.contains(c), "{}", *c as char);
        }
    }
}
