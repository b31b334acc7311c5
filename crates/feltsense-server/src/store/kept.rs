//! The person's check-ins as this handle last read or wrote them, opened,
//! with the `people.version` they are true at.
//!
//! Every write raises the version by exactly one inside its transaction
//! and returns the new value. So when a write of this handle finds
//! `kept.version + 1`, nothing else was written between: the one record it
//! wrote is applied to the kept list, which is then true at the new
//! version, with no reload. Any other number (another handle or instance
//! wrote meanwhile) drops the kept list, and the next read loads it again.
//! A read serves the kept list only when the version it reads in its own
//! transaction is the kept one.

use chrono::Utc;
use feltsense_core::when::TimeRange;
use feltsense_core::CheckIn;
use std::cmp::Ordering;
use std::sync::Arc;

/// Check-ins newest first, ties by id (newest id first), as
/// `kinds::load` gives them, true at `version`.
#[derive(Clone)]
pub(crate) struct Kept {
    pub version: i64,
    pub checkins: Arc<Vec<CheckIn>>,
}

/// What a write does to the person's data, as far as the kept check-ins
/// and the caseload summaries care.
pub(crate) enum Touches<'a> {
    /// One check-in added, replaced or forgotten.
    CheckIn(Change<'a>),
    /// A questionnaire response: only the questionnaires summary changes.
    Questionnaires,
    /// Neither check-ins nor questionnaires (journal, bridges, the safety
    /// plan, chosen items).
    Neither,
    /// Anything (an import): the kept list is dropped, both summaries
    /// recomputed from the database.
    Anything,
}

pub(crate) enum Change<'a> {
    Added(&'a CheckIn),
    Replaced(&'a CheckIn),
    Forgotten(&'a str),
}

/// The order of `kinds::load`: newest first, then the larger id first.
fn newer_first(a: &CheckIn, b: &CheckIn) -> Ordering {
    b.at.cmp(&a.at).then_with(|| b.id.cmp(&a.id))
}

impl Kept {
    /// What is kept after a write that brought the version to `version`
    /// and did `touches`; `None` when it cannot be known without a read.
    /// The list is changed in place when nothing else holds it (the web
    /// app lets go of its snapshot before a check-in is written), else
    /// copied first.
    pub fn after(this: Option<Kept>, version: i64, touches: &Touches<'_>) -> Option<Kept> {
        let kept = this.filter(|k| k.version + 1 == version)?;
        let mut checkins = kept.checkins;
        match touches {
            Touches::Anything => return None,
            Touches::Questionnaires | Touches::Neither => {}
            Touches::CheckIn(change) => apply(Arc::make_mut(&mut checkins), change)?,
        }
        Some(Kept { version, checkins })
    }
}

/// Makes `change` in `list`; `None` for a check-in a read would leave out
/// (its time outside the accepted range), so the next read decides.
fn apply(list: &mut Vec<CheckIn>, change: &Change<'_>) -> Option<()> {
    let added = match change {
        Change::Forgotten(id) => {
            list.retain(|c| c.id != *id);
            return Some(());
        }
        Change::Replaced(c) => {
            list.retain(|kept| kept.id != c.id);
            *c
        }
        Change::Added(c) => *c,
    };
    TimeRange::around(Utc::now()).check(added.at).ok()?;
    let at = list.partition_point(|c| newer_first(c, added) == Ordering::Less);
    list.insert(at, added.clone());
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_in(id: &str, at: &str) -> CheckIn {
        feltsense_store::conformance::sample(id, at)
    }

    fn ids(k: &Kept) -> Vec<&str> {
        k.checkins.iter().map(|c| c.id.as_str()).collect()
    }

    fn kept(version: i64) -> Kept {
        Kept {
            version,
            checkins: Arc::new(vec![
                check_in("c", "2026-03-03T08:00:00Z"),
                check_in("b", "2026-03-02T08:00:00Z"),
                check_in("a", "2026-03-02T08:00:00Z"),
            ]),
        }
    }

    #[test]
    fn a_write_right_after_the_kept_version_is_applied_in_load_order() {
        let new = check_in("ab", "2026-03-02T09:00:00+01:00");
        let held = kept(4);
        let before = Arc::clone(&held.checkins);
        let after = Kept::after(Some(held), 5, &Touches::CheckIn(Change::Added(&new)));
        let after = after.expect("nothing else was written");
        assert_eq!((after.version, ids(&after)), (5, vec!["c", "b", "ab", "a"]));
        assert_eq!(
            before.len(),
            3,
            "a list held elsewhere is copied, not changed"
        );
        drop(before);
        let moved = check_in("a", "2026-03-04T08:00:00Z");
        let after = Kept::after(Some(after), 6, &Touches::CheckIn(Change::Replaced(&moved)));
        assert_eq!(ids(&after.clone().unwrap()), ["a", "c", "b", "ab"]);
        let after = Kept::after(after, 7, &Touches::CheckIn(Change::Forgotten("c")));
        assert_eq!(ids(after.as_ref().unwrap()), ["a", "b", "ab"]);
        let after = Kept::after(after, 8, &Touches::Neither).unwrap();
        assert_eq!((after.version, after.checkins.len()), (8, 3));
    }

    #[test]
    fn another_writer_in_between_or_an_import_drops_what_is_kept() {
        let new = check_in("d", "2026-03-05T08:00:00Z");
        let added = Touches::CheckIn(Change::Added(&new));
        assert!(Kept::after(Some(kept(4)), 6, &added).is_none());
        assert!(Kept::after(Some(kept(4)), 4, &added).is_none());
        assert!(Kept::after(None, 5, &added).is_none());
        assert!(Kept::after(Some(kept(4)), 5, &Touches::Anything).is_none());
        let far = check_in("e", "2999-01-01T00:00:00Z");
        let future = Touches::CheckIn(Change::Added(&far));
        assert!(Kept::after(Some(kept(4)), 5, &future).is_none());
    }
}
