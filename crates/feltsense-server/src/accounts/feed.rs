//! Each account's calendar-feed secret: a random token of its own, found
//! by its SHA-256 (`feed_hash`) when a calendar app asks, and kept sealed
//! under the sealing key (`feed_sealed`, resealed by `rotate-key` like the
//! second-factor secrets) so the settings page can show the address. A
//! person can make a new one, which ends the old address at once.

use super::{second_factor, secret, Account, Accounts, Event, SealingKey, ACCOUNT_COLUMNS};
use uuid::Uuid;

impl Accounts {
    /// The account whose calendar-feed secret is `token`.
    pub async fn by_feed(&self, token: &str) -> anyhow::Result<Option<Account>> {
        let client = self.client().await?;
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE feed_hash = $1");
        let select = client.prepare_cached(&sql).await?;
        let row = client.query_opt(&select, &[&secret::digest(token)]).await?;
        Ok(row.as_ref().map(Account::from_row))
    }

    /// The secret in the account's calendar-feed address: the kept one,
    /// else the one from before this was kept (derived from the server
    /// key, so its phones keep their subscription), else a new one.
    pub async fn feed_token(&self, account: &Account) -> anyhow::Result<String> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT feed_sealed, feed_hash FROM accounts WHERE id = $1",
                &[&account.id],
            )
            .await?
            .ok_or_else(|| anyhow::anyhow!("account {} is no longer there", account.id))?;
        let (sealed, hash): (Option<Vec<u8>>, Option<Vec<u8>>) = (row.get(0), row.get(1));
        if let Some(token) = sealed.and_then(|s| opened(&self.key, &s, hash.as_deref())) {
            return Ok(token);
        }
        let before = derived(&self.key, account.id);
        let token = match hash {
            Some(hash) if hash == secret::digest(&before) => before,
            _ => secret::token(),
        };
        let kept = client
            .execute(
                "UPDATE accounts SET feed_sealed = $2, feed_hash = $3 \
                 WHERE id = $1 AND feed_sealed IS NOT DISTINCT FROM $4",
                &[
                    &account.id,
                    &second_factor::seal(&self.key, token.as_bytes()),
                    &secret::digest(&token),
                    &row.get::<_, Option<Vec<u8>>>(0),
                ],
            )
            .await?;
        match kept {
            1 => Ok(token),
            // Another instance kept one meanwhile: that one holds.
            _ => Box::pin(self.feed_token(account)).await,
        }
    }

    /// A new calendar-feed secret for the account; the old address stops
    /// answering at once. Recorded as a security event.
    pub async fn renew_feed(&self, account: &Account, address: &str) -> anyhow::Result<String> {
        let token = secret::token();
        self.client()
            .await?
            .execute(
                "UPDATE accounts SET feed_sealed = $2, feed_hash = $3 WHERE id = $1",
                &[
                    &account.id,
                    &second_factor::seal(&self.key, token.as_bytes()),
                    &secret::digest(&token),
                ],
            )
            .await?;
        self.record(Event::of(account, "feed_renewed", address))
            .await?;
        Ok(token)
    }
}

/// The token `sealed` holds, when `key` opens it and it is the one `hash`
/// finds (a sealed token moved from another row is not taken).
fn opened(key: &SealingKey, sealed: &[u8], hash: Option<&[u8]>) -> Option<String> {
    let token = String::from_utf8(second_factor::open(key, sealed)?).ok()?;
    (hash == Some(secret::digest(&token).as_slice())).then_some(token)
}

/// The feed secret as it was before each account had its own: derived
/// from the sealing key and the account.
fn derived(key: &SealingKey, account: Uuid) -> String {
    use sha2::Digest as _;
    let derived = sha2::Sha256::new()
        .chain_update(key.bytes())
        .chain_update(b"calendar feed")
        .chain_update(account.as_bytes())
        .finalize();
    derived.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reseals every kept feed secret from `old` to `new` within `tx` (part of
/// `rotate_key`'s one transaction), and seals under `new` a secret from
/// before they were kept (derived from `old`), so every address still
/// answers after the rotation; how many. A kept secret `old` does not
/// open stops it all: nothing is changed.
pub(crate) async fn reseal_feeds_in(
    tx: &deadpool_postgres::Transaction<'_>,
    old: &SealingKey,
    new: &SealingKey,
) -> Result<usize, crate::DataError> {
    let rows = tx
        .query(
            "SELECT id, feed_sealed, feed_hash FROM accounts WHERE feed_hash IS NOT NULL FOR UPDATE",
            &[],
        )
        .await?;
    let mut resealed = 0;
    for row in &rows {
        let (id, hash): (Uuid, Vec<u8>) = (row.get(0), row.get(2));
        let token = match row.get::<_, Option<Vec<u8>>>(1) {
            Some(sealed) => Some(
                second_factor::open(old, &sealed)
                    .and_then(|t| String::from_utf8(t).ok())
                    .ok_or(crate::DataError::WrongServerKey)?,
            ),
            None => Some(derived(old, id)).filter(|t| secret::digest(t) == hash),
        };
        // A hash whose token is neither kept nor derived was never shown:
        // its account gets a new one when next asked.
        let Some(token) = token else { continue };
        tx.execute(
            "UPDATE accounts SET feed_sealed = $2 WHERE id = $1",
            &[&id, &second_factor::seal(new, token.as_bytes())],
        )
        .await?;
        resealed += 1;
    }
    Ok(resealed)
}
