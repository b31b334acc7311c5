//! The whole store as one feltsense JSON export: everything a person
//! entered, oldest first, so the CLI and the web app write the same file.

use crate::{Store, StoreResult};
use feltsense_core::exchange::Export;
use feltsense_core::SafetyPlan;

/// Every check-in, journal entry, bridge and questionnaire response,
/// oldest first, the safety plan (`None` when none was written) and the
/// chosen fixed items.
pub fn export(store: &(impl Store + ?Sized)) -> StoreResult<Export> {
    let mut checkins = store.checkins(None)?;
    checkins.reverse();
    let mut export = Export::new(checkins);
    let mut journal = store.journal()?;
    journal.reverse();
    export.journal = journal;
    let mut bridges = store.bridges()?;
    bridges.reverse();
    export.bridges = bridges;
    let mut assessments = store.assessments()?;
    assessments.reverse();
    export.assessments = assessments;
    export.safety_plan = Some(store.safety_plan()?).filter(|p| *p != SafetyPlan::default());
    export.fixed_items = store.fixed_items()?;
    Ok(export)
}
