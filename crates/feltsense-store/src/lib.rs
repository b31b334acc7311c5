//! Where feltsense keeps what people write: the [`Store`] interface, its
//! SQLite implementation encrypted with SQLCipher ([`SqliteStore`]), and the
//! [`conformance`] suite every implementation must pass.
//!
//! Only this crate knows SQL. Methods take and return the domain types of
//! `feltsense-core`. The interface is a trait because a second
//! implementation is planned: PostgreSQL for the multi-user server mode,
//! which will run the same conformance suite.
//!
//! ```
//! use feltsense_store::{SqliteStore, Store};
//! let store = SqliteStore::open_in_memory("a passphrase").unwrap();
//! assert!(store.checkins(None).unwrap().is_empty());
//! ```

pub mod conformance;
mod error;
mod keys;
mod lock;
mod read;
mod schema;
mod sqlite;

pub use error::{StoreError, StoreResult};
pub use keys::{change_passphrase, inspect, restore, BackupSummary};
pub use sqlite::SqliteStore;

use chrono::{DateTime, Utc};
use feltsense_core::assessments::Response;
use feltsense_core::bridges::Bridge;
use feltsense_core::{CheckIn, JournalEntry, SafetyPlan};

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Check-ins that were new and are now stored.
    pub added: usize,
    /// Check-ins already stored exactly as given (importing twice is safe).
    pub unchanged: usize,
    /// Journal entries that were new and are now stored.
    pub journal_added: usize,
    /// Journal entries already stored exactly as given.
    pub journal_unchanged: usize,
    /// Bridge sessions that were new and are now stored.
    pub bridges_added: usize,
    /// Bridge sessions already stored exactly as given.
    pub bridges_unchanged: usize,
}

/// A stored record that a read left out because it could not be read (a
/// time outside the accepted range, a word this build does not know...).
/// It stays stored; only reading it is skipped.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unreadable {
    /// What kind of record: "check-in", "journal entry", "bridge", ...
    pub what: &'static str,
    /// Its id.
    pub id: String,
    /// Why, in plain words; never quotes what a person wrote.
    pub why: String,
}

impl Unreadable {
    pub(crate) fn new(what: &'static str, id: String, why: String) -> Unreadable {
        Unreadable { what, id, why }
    }
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.what, self.id, self.why)
    }
}

/// The storage interface. Every write is durable when the method returns.
pub trait Store {
    /// Stores a new check-in. Fails with [`StoreError::Conflict`] if a
    /// check-in with the same id exists.
    fn add_checkin(&mut self, check_in: &CheckIn) -> StoreResult<()>;

    /// One check-in by id.
    fn checkin(&self, id: &str) -> StoreResult<CheckIn>;

    /// Check-ins recorded at or after `since` (all when `None`), newest
    /// first; ties broken by id, newest id first.
    fn checkins(&self, since: Option<DateTime<Utc>>) -> StoreResult<Vec<CheckIn>>;

    /// Replaces a stored check-in (same id) with `check_in`, as a whole.
    /// Fails with [`StoreError::NotFound`] if there is none.
    fn replace_checkin(&mut self, check_in: &CheckIn) -> StoreResult<()>;

    /// Deletes a check-in for good.
    fn forget_checkin(&mut self, id: &str) -> StoreResult<()>;

    /// A number that changes whenever the stored data may have changed,
    /// through this handle or another process, so readers can cache.
    fn version(&self) -> StoreResult<u64>;

    /// Stores a journal entry. [`StoreError::Conflict`] if its id exists.
    fn add_journal(&mut self, entry: &JournalEntry) -> StoreResult<()>;

    /// Journal entries, newest first.
    fn journal(&self) -> StoreResult<Vec<JournalEntry>>;

    /// One journal entry by id.
    fn journal_entry(&self, id: &str) -> StoreResult<JournalEntry>;

    /// Deletes a journal entry for good.
    fn forget_journal(&mut self, id: &str) -> StoreResult<()>;

    /// Stores a bridge session. [`StoreError::Conflict`] if its id exists.
    fn add_bridge(&mut self, bridge: &Bridge) -> StoreResult<()>;

    /// Replaces a bridge session (same id), e.g. when it ends.
    fn replace_bridge(&mut self, bridge: &Bridge) -> StoreResult<()>;

    /// Bridge sessions, newest first.
    fn bridges(&self) -> StoreResult<Vec<Bridge>>;

    /// Stores a questionnaire response.
    fn add_assessment(&mut self, response: &Response) -> StoreResult<()>;

    /// Questionnaire responses, newest first.
    fn assessments(&self) -> StoreResult<Vec<Response>>;

    /// The safety plan, empty if none was written.
    fn safety_plan(&self) -> StoreResult<SafetyPlan>;

    /// Replaces the safety plan.
    fn save_safety_plan(&mut self, plan: &SafetyPlan) -> StoreResult<()>;

    /// The records that reads through this handle so far left out because
    /// they could not be read, each once, by kind and id. Readers skip such
    /// a record instead of failing as a whole; callers say so with this.
    fn skipped(&self) -> Vec<Unreadable>;

    /// Stores all of `check_ins`, `journal` and `bridges` or none of them. A record
    /// whose id is already stored with exactly the same content is counted
    /// as unchanged; with different content the whole import fails with
    /// [`StoreError::Conflict`].
    fn import(
        &mut self,
        check_ins: &[CheckIn],
        journal: &[JournalEntry],
        bridges: &[Bridge],
    ) -> StoreResult<ImportSummary>;
}

#[cfg(test)]
mod tests;
