//! The [`Store`] methods of [`PgStore`], each one transaction.

use super::kept::{Change, Touches};
use super::kinds::{self, Filter, Kind};
use super::{import, Done, Fail, PgStore};
use chrono::{DateTime, Utc};
use feltsense_core::assessments::Response;
use feltsense_core::bridges::Bridge;
use feltsense_core::items::FixedItems;
use feltsense_core::{CheckIn, JournalEntry, SafetyPlan};
use feltsense_store::{
    ImportBatch, ImportMode, ImportPlan, Store, StoreError, StoreResult, Unreadable,
};
use std::sync::Arc;

fn not_found<T: Kind>(id: &str) -> Fail {
    Fail(StoreError::NotFound {
        what: T::WHAT,
        id: id.to_string(),
    })
}

fn conflict(id: &str) -> Fail {
    Fail(StoreError::Conflict { id: id.to_string() })
}

fn done<T>(result: Done<T>) -> StoreResult<T> {
    result.map_err(|Fail(e)| e)
}

impl PgStore {
    fn add<T: Kind>(&self, touches: Touches<'_>, record: &T) -> StoreResult<()> {
        done(self.write(
            touches,
            async |tx, scope| match kinds::insert(tx, scope, record).await? {
                true => Ok(()),
                false => Err(conflict(record.id())),
            },
        ))
    }

    fn replace<T: Kind>(&self, touches: Touches<'_>, record: &T) -> StoreResult<()> {
        done(self.write(
            touches,
            async |tx, scope| match kinds::update(tx, scope, record).await? {
                true => Ok(()),
                false => Err(not_found::<T>(record.id())),
            },
        ))
    }

    fn forget<T: Kind>(&self, touches: Touches<'_>, id: &str) -> StoreResult<()> {
        done(self.write(
            touches,
            async |tx, scope| match kinds::delete::<T>(tx, scope, id).await? {
                true => Ok(()),
                false => Err(not_found::<T>(id)),
            },
        ))
    }

    fn all<T: Kind>(&self, filter: Filter<'_>) -> StoreResult<Vec<T>> {
        let loaded = done(self.read(async |tx, scope| kinds::load::<T>(tx, scope, filter).await))?;
        Ok(self.keep(loaded))
    }

    /// One record by id: [`StoreError::Corrupt`] when it cannot be read.
    fn one<T: Kind>(&self, id: &str) -> StoreResult<T> {
        let loaded =
            done(self.read(async |tx, scope| kinds::load::<T>(tx, scope, Filter::Id(id)).await))?;
        if let Some(skipped) = loaded.skipped.into_iter().next() {
            return Err(StoreError::Corrupt(skipped.to_string()));
        }
        loaded.found.into_iter().next().ok_or(StoreError::NotFound {
            what: T::WHAT,
            id: id.to_string(),
        })
    }
}

impl Store for PgStore {
    fn add_checkin(&mut self, check_in: &CheckIn) -> StoreResult<()> {
        match self.add(Touches::CheckIn(Change::Added(check_in)), check_in) {
            // The same check-in sent again (a phone's retry) is stored once.
            Err(StoreError::Conflict { .. })
                if self.one::<CheckIn>(&check_in.id).ok().as_ref() == Some(check_in) =>
            {
                Ok(())
            }
            other => other,
        }
    }

    fn checkin(&self, id: &str) -> StoreResult<CheckIn> {
        self.one(id)
    }

    fn checkins(&self, since: Option<DateTime<Utc>>) -> StoreResult<Vec<CheckIn>> {
        match since {
            None => Ok(self.every_checkin()?.as_ref().clone()),
            Some(since) => self.all(Filter::Since(since)),
        }
    }

    fn every_checkin(&self) -> StoreResult<Arc<Vec<CheckIn>>> {
        done(self.kept_checkins())
    }

    /// The kept list when it is true at `version` (which the caller has
    /// just read, so another instance's write before that read is in it):
    /// no second transaction for the page after a write of this handle.
    fn every_checkin_at(&self, version: u64) -> StoreResult<Arc<Vec<CheckIn>>> {
        let kept = self.kept.borrow().clone();
        match kept.filter(|k| k.version as u64 == version) {
            Some(kept) => Ok(kept.checkins),
            None => self.every_checkin(),
        }
    }

    fn replace_checkin(&mut self, check_in: &CheckIn) -> StoreResult<()> {
        self.replace(Touches::CheckIn(Change::Replaced(check_in)), check_in)
    }

    fn forget_checkin(&mut self, id: &str) -> StoreResult<()> {
        self.forget::<CheckIn>(Touches::CheckIn(Change::Forgotten(id)), id)
    }

    fn version(&self) -> StoreResult<u64> {
        let version = done(self.read(async |tx, scope| super::stored_version(tx, scope).await))?;
        Ok(version as u64)
    }

    fn add_journal(&mut self, entry: &JournalEntry) -> StoreResult<()> {
        self.add(Touches::Neither, entry)
    }

    fn journal(&self) -> StoreResult<Vec<JournalEntry>> {
        self.all(Filter::All)
    }

    fn journal_entry(&self, id: &str) -> StoreResult<JournalEntry> {
        self.one(id)
    }

    fn forget_journal(&mut self, id: &str) -> StoreResult<()> {
        self.forget::<JournalEntry>(Touches::Neither, id)
    }

    fn replace_journal(&mut self, entry: &JournalEntry) -> StoreResult<()> {
        self.replace(Touches::Neither, entry)
    }

    fn add_bridge(&mut self, bridge: &Bridge) -> StoreResult<()> {
        self.add(Touches::Neither, bridge)
    }

    fn replace_bridge(&mut self, bridge: &Bridge) -> StoreResult<()> {
        self.replace(Touches::Neither, bridge)
    }

    fn bridges(&self) -> StoreResult<Vec<Bridge>> {
        self.all(Filter::All)
    }

    fn add_assessment(&mut self, response: &Response) -> StoreResult<()> {
        self.add(Touches::Questionnaires, response)
    }

    fn replace_assessment(&mut self, response: &Response) -> StoreResult<()> {
        self.replace(Touches::Questionnaires, response)
    }

    fn assessments(&self) -> StoreResult<Vec<Response>> {
        self.all(Filter::All)
    }

    fn safety_plan(&self) -> StoreResult<SafetyPlan> {
        match done(self.read(async |tx, scope| import::stored_safety(tx, scope).await))? {
            None => Ok(SafetyPlan::default()),
            Some(Ok(plan)) => Ok(plan),
            Some(Err(why)) => Err(StoreError::Corrupt(format!("the safety plan: {why}"))),
        }
    }

    fn save_safety_plan(&mut self, plan: &SafetyPlan) -> StoreResult<()> {
        done(self.write(Touches::Neither, async |tx, scope| {
            import::save_safety(tx, scope, plan).await
        }))
    }

    fn fixed_items(&self) -> StoreResult<FixedItems> {
        done(self.read(async |tx, scope| import::stored_items(tx, scope).await))?
            .map_err(|why| StoreError::Corrupt(format!("chosen items: {why}")))
    }

    fn save_fixed_items(&mut self, items: &FixedItems) -> StoreResult<()> {
        done(self.write(Touches::Neither, async |tx, scope| {
            import::save_items(tx, scope, items).await
        }))
    }

    fn skipped(&self) -> Vec<Unreadable> {
        self.skipped.borrow().iter().cloned().collect()
    }

    fn import_from(
        &mut self,
        batch: &ImportBatch<'_>,
        mode: ImportMode,
    ) -> StoreResult<ImportPlan> {
        match mode {
            ImportMode::DryRun => {
                done(self.read(async |tx, scope| import::plan(tx, scope, batch).await))
            }
            _ => done(self.write(Touches::Anything, async |tx, scope| {
                import::import(tx, scope, batch, mode).await
            })),
        }
    }
}
