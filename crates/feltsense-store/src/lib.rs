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
mod export;
mod import;
pub mod import_plan;
mod keys;
mod lock;
mod raw_key;
mod read;
mod schema;
mod sqlite;

pub use error::{StoreError, StoreResult};
pub use export::export;
pub use keys::{change_passphrase, inspect, restore, BackupSummary};
pub use raw_key::RawKey;
pub use sqlite::SqliteStore;

use chrono::{DateTime, Utc};
use feltsense_core::assessments::Response;
use feltsense_core::bridges::Bridge;
use feltsense_core::imported::{Sourced, FELTSENSE};
use feltsense_core::items::FixedItems;
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

/// Records read from one import file, each with the source's own key of it
/// (for a feltsense export: the record's id).
#[derive(Debug, Clone, Copy)]
pub struct ImportBatch<'a> {
    /// The file's format, as in `feltsense_core::imported` (`"daylio"`, ...).
    pub format: &'a str,
    pub checkins: &'a [Sourced<CheckIn>],
    pub journal: &'a [Sourced<JournalEntry>],
    pub bridges: &'a [Sourced<Bridge>],
    /// Questionnaire responses (only a feltsense export carries them).
    pub assessments: &'a [Sourced<Response>],
    /// The safety plan, if the file holds one.
    pub safety_plan: Option<&'a SafetyPlan>,
    /// The chosen fixed items, if the file holds some.
    pub fixed_items: Option<&'a FixedItems>,
}

/// How [`Store::import_from`] treats records that take the place of stored
/// ones (same source key or same id, different content).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Work out the [`ImportPlan`] and write nothing.
    DryRun,
    /// Store what is new; any replacement fails the whole import with
    /// [`StoreError::Conflict`] naming the first record that would replace.
    Add,
    /// Store what is new and swap out what is replaced, all or nothing.
    Replace,
}

/// What an import does to one kind of record; ids in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportChanges {
    /// Records new to the store that take no earlier record's place.
    pub added: Vec<String>,
    /// Records that take the place of earlier ones with the same source key.
    pub replacing: Vec<String>,
    /// Stored records that `replacing` swaps out (usually one each).
    pub swapped_out: Vec<String>,
    /// Records already stored exactly as given.
    pub unchanged: Vec<String>,
}

/// What an import does (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub checkins: ImportChanges,
    pub journal: ImportChanges,
    pub bridges: ImportChanges,
    pub assessments: ImportChanges,
    /// The safety plan, under the id [`SAFETY_PLAN_ID`]: added when none
    /// was stored, replacing a different one, or unchanged.
    pub safety_plan: ImportChanges,
    /// The chosen fixed items, under the id [`FIXED_ITEMS_ID`], as the
    /// safety plan.
    pub fixed_items: ImportChanges,
}

/// The name the chosen fixed items go by in an [`ImportPlan`] and a conflict.
pub const FIXED_ITEMS_ID: &str = "chosen-items";

/// The name the safety plan goes by in an [`ImportPlan`] and a conflict.
pub const SAFETY_PLAN_ID: &str = "safety-plan";

impl From<&ImportPlan> for ImportSummary {
    fn from(plan: &ImportPlan) -> ImportSummary {
        let new = |c: &ImportChanges| c.added.len() + c.replacing.len();
        ImportSummary {
            added: new(&plan.checkins),
            unchanged: plan.checkins.unchanged.len(),
            journal_added: new(&plan.journal),
            journal_unchanged: plan.journal.unchanged.len(),
            bridges_added: new(&plan.bridges),
            bridges_unchanged: plan.bridges.unchanged.len(),
        }
    }
}

/// Each record of a feltsense export keyed by its own id.
fn by_id<T: Clone>(records: &[T], id: impl Fn(&T) -> &str) -> Vec<Sourced<T>> {
    records
        .iter()
        .map(|r| Sourced {
            key: id(r).to_string(),
            record: r.clone(),
        })
        .collect()
}

/// The storage interface. Every write is durable when the method returns.
pub trait Store {
    /// Stores a new check-in. The very same check-in again (the same id
    /// and the same contents: a phone sending what it kept offline a
    /// second time) is not stored again and answers `Ok`; a different one
    /// with an id already stored fails with [`StoreError::Conflict`].
    fn add_checkin(&mut self, check_in: &CheckIn) -> StoreResult<()>;

    /// One check-in by id.
    fn checkin(&self, id: &str) -> StoreResult<CheckIn>;

    /// Check-ins recorded at or after `since` (all when `None`), newest
    /// first; ties broken by id, newest id first.
    fn checkins(&self, since: Option<DateTime<Utc>>) -> StoreResult<Vec<CheckIn>>;

    /// Every check-in, newest first, as [`Store::checkins`] with `None`, in
    /// a list the caller may share: a store that keeps its check-ins opened
    /// between calls (the server's) hands out the one it keeps instead of
    /// reading and decrypting them again.
    fn every_checkin(&self) -> StoreResult<std::sync::Arc<Vec<CheckIn>>> {
        self.checkins(None).map(std::sync::Arc::new)
    }

    /// [`Store::every_checkin`] for a caller that has just read `version`
    /// from this handle: a store that keeps its check-ins opened at that
    /// very version may hand them out without asking its backend again.
    fn every_checkin_at(&self, version: u64) -> StoreResult<std::sync::Arc<Vec<CheckIn>>> {
        let _ = version;
        self.every_checkin()
    }

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

    /// Replaces a journal entry (same id), e.g. when its time is corrected.
    /// [`StoreError::NotFound`] when there is none.
    fn replace_journal(&mut self, entry: &JournalEntry) -> StoreResult<()>;

    /// Stores a bridge session. [`StoreError::Conflict`] if its id exists.
    fn add_bridge(&mut self, bridge: &Bridge) -> StoreResult<()>;

    /// Replaces a bridge session (same id), e.g. when it ends.
    fn replace_bridge(&mut self, bridge: &Bridge) -> StoreResult<()>;

    /// Bridge sessions, newest first.
    fn bridges(&self) -> StoreResult<Vec<Bridge>>;

    /// Stores a questionnaire response.
    fn add_assessment(&mut self, response: &Response) -> StoreResult<()>;

    /// Replaces a questionnaire response (same id), e.g. when its time is
    /// corrected. [`StoreError::NotFound`] when there is none.
    fn replace_assessment(&mut self, response: &Response) -> StoreResult<()>;

    /// Questionnaire responses, newest first.
    fn assessments(&self) -> StoreResult<Vec<Response>>;

    /// The safety plan, empty if none was written.
    fn safety_plan(&self) -> StoreResult<SafetyPlan>;

    /// Replaces the safety plan.
    fn save_safety_plan(&mut self, plan: &SafetyPlan) -> StoreResult<()>;

    /// The person's chosen fixed items, empty when none are chosen.
    fn fixed_items(&self) -> StoreResult<FixedItems>;

    /// Replaces the chosen fixed items (empty: none, back to words only).
    fn save_fixed_items(&mut self, items: &FixedItems) -> StoreResult<()>;

    /// The records that reads through this handle so far left out because
    /// they could not be read, each once, by kind and id. Readers skip such
    /// a record instead of failing as a whole; callers say so with this.
    fn skipped(&self) -> Vec<Unreadable>;

    /// Stores all of `check_ins`, `journal` and `bridges` or none of them. A record
    /// whose id is already stored with exactly the same content is counted
    /// as unchanged; with different content the whole import fails with
    /// [`StoreError::Conflict`]. The records remember they came from a
    /// feltsense export, keyed by their ids.
    fn import(
        &mut self,
        check_ins: &[CheckIn],
        journal: &[JournalEntry],
        bridges: &[Bridge],
    ) -> StoreResult<ImportSummary> {
        let batch = ImportBatch {
            format: FELTSENSE,
            checkins: &by_id(check_ins, |c| &c.id),
            journal: &by_id(journal, |e| &e.id),
            bridges: &by_id(bridges, |b| &b.id),
            assessments: &[],
            safety_plan: None,
            fixed_items: None,
        };
        self.import_from(&batch, ImportMode::Add)
            .map(|plan| ImportSummary::from(&plan))
    }

    /// Imports `batch` all or nothing (writers wait their turn). Every
    /// record remembers its format and source key, so a later import of the
    /// same source can take its place: a record replaces the stored records
    /// of the same format and key, and the stored record with its own id,
    /// unless they are exactly as given. In [`ImportMode::DryRun`] nothing
    /// is written and the plan says what would happen.
    fn import_from(&mut self, batch: &ImportBatch<'_>, mode: ImportMode)
        -> StoreResult<ImportPlan>;
}

#[cfg(test)]
mod tests;
