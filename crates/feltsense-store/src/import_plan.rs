//! The import plan, one for both backends (this crate's SQLite store and
//! the server's PostgreSQL one): each record of a file is new, already
//! stored exactly as given, or takes the place of earlier records with the
//! same source key or the same id. The backends look records up (by id,
//! by source key) and write; what the answers mean is decided here.

use crate::{ImportChanges, ImportPlan, StoreError, StoreResult};
use feltsense_core::assessments::Response;
use feltsense_core::bridges::Bridge;
use feltsense_core::imported::Sourced;
use feltsense_core::{CheckIn, JournalEntry};
use std::collections::{HashMap, HashSet};

/// A kind of record an import brings.
pub trait Imported: PartialEq {
    fn id(&self) -> &str;
    /// Stored exactly as given (offsets included, not only the instant).
    fn same(&self, stored: &Self) -> bool;
}

impl Imported for CheckIn {
    fn id(&self) -> &str {
        &self.id
    }
    fn same(&self, stored: &CheckIn) -> bool {
        self == stored && self.at.offset() == stored.at.offset()
    }
}

impl Imported for JournalEntry {
    fn id(&self) -> &str {
        &self.id
    }
    fn same(&self, stored: &JournalEntry) -> bool {
        self == stored && self.at.offset() == stored.at.offset()
    }
}

impl Imported for Bridge {
    fn id(&self) -> &str {
        &self.id
    }
    fn same(&self, stored: &Bridge) -> bool {
        self == stored
    }
}

impl Imported for Response {
    fn id(&self) -> &str {
        &self.id
    }
    fn same(&self, stored: &Response) -> bool {
        self == stored && self.at.offset() == stored.at.offset()
    }
}

/// The plan for one kind of record, built as the backend looks each record
/// up: first by id ([`KindPlan::first`], then [`KindPlan::stored`]), then
/// by source key for the ones still waiting ([`KindPlan::waiting`], then
/// [`KindPlan::finish`]).
pub struct KindPlan<'a, T> {
    first: HashMap<&'a str, &'a T>,
    unchanged: Vec<String>,
    /// Records new to the store or different from the stored one of their
    /// id (`true`), in file order.
    waiting: Vec<(&'a Sourced<T>, bool)>,
}

impl<T> Default for KindPlan<'_, T> {
    fn default() -> Self {
        KindPlan {
            first: HashMap::new(),
            unchanged: Vec::new(),
            waiting: Vec::new(),
        }
    }
}

impl<'a, T: Imported> KindPlan<'a, T> {
    /// Whether `record` is the first of its id in the file, to be looked
    /// up; a second one is harmless when the same, a conflict otherwise.
    pub fn first(&mut self, record: &'a Sourced<T>) -> StoreResult<bool> {
        let id = record.record.id();
        match self.first.insert(id, &record.record) {
            None => Ok(true),
            Some(earlier) if record.record.same(earlier) => Ok(false),
            Some(_) => Err(StoreError::Conflict { id: id.to_string() }),
        }
    }

    /// Takes in what is stored under the id of `record` (a first one).
    pub fn stored(&mut self, record: &'a Sourced<T>, stored: Option<&T>) {
        match stored {
            Some(stored) if record.record.same(stored) => {
                self.unchanged.push(record.record.id().to_string());
            }
            Some(_) => self.waiting.push((record, true)),
            None => self.waiting.push((record, false)),
        }
    }

    /// The records not stored as given: the backend looks up, for each,
    /// the stored records of its source key.
    pub fn waiting(&self) -> impl Iterator<Item = &'a Sourced<T>> + '_ {
        self.waiting.iter().map(|(r, _)| *r)
    }

    /// The changes, given for each [`KindPlan::waiting`] record (in that
    /// order) the ids stored under its source key.
    pub fn finish(self, keyed: Vec<Vec<String>>) -> ImportChanges {
        let keep: HashSet<&str> = self.unchanged.iter().map(String::as_str).collect();
        let mut swapped: HashSet<String> = HashSet::new();
        let mut changes = ImportChanges::default();
        for ((r, is_stored), mut earlier) in self.waiting.into_iter().zip(keyed) {
            earlier.retain(|id| !keep.contains(id.as_str()));
            let id = r.record.id().to_string();
            if is_stored && !earlier.contains(&id) {
                earlier.push(id.clone());
            }
            match earlier.is_empty() {
                true => changes.added.push(id),
                false => changes.replacing.push(id),
            }
            let first_time = earlier.into_iter().filter(|e| swapped.insert(e.clone()));
            changes.swapped_out.extend(first_time);
        }
        changes.unchanged = self.unchanged;
        changes
    }
}

/// The safety plan or the chosen items, one record under `id`: `stored`
/// is `None` when none is stored, else whether it is the same as the
/// file's; added, unchanged, or replacing the stored one.
pub fn plan_one(id: &str, stored: Option<bool>) -> ImportChanges {
    let mut changes = ImportChanges::default();
    let id = id.to_string();
    match stored {
        None => changes.added.push(id),
        Some(true) => changes.unchanged.push(id),
        Some(false) => {
            changes.replacing.push(id.clone());
            changes.swapped_out.push(id);
        }
    }
    changes
}

/// In [`crate::ImportMode::Add`]: the first record that would replace
/// another refuses the whole import as a conflict naming it.
pub fn refuse_replacing(plan: &ImportPlan) -> StoreResult<()> {
    let first = [
        &plan.checkins,
        &plan.journal,
        &plan.bridges,
        &plan.assessments,
        &plan.safety_plan,
        &plan.fixed_items,
    ]
    .into_iter()
    .find_map(|c| c.replacing.first());
    match first {
        Some(id) => Err(StoreError::Conflict { id: id.clone() }),
        None => Ok(()),
    }
}

/// What applying `changes` writes of `records`: each id once, in file
/// order, with whether it is inserted (new or replacing) or only has its
/// source remembered.
pub fn to_write<'a, T: Imported>(
    records: &'a [Sourced<T>],
    changes: &ImportChanges,
) -> Vec<(&'a Sourced<T>, bool)> {
    let new: HashSet<&str> = changes
        .added
        .iter()
        .chain(&changes.replacing)
        .map(String::as_str)
        .collect();
    let mut done = HashSet::new();
    records
        .iter()
        .filter(|r| done.insert(r.record.id()))
        .map(|r| (r, new.contains(r.record.id())))
        .collect()
}
