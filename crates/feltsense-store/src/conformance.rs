//! The behaviour every [`Store`] implementation must show. Each check is a
//! function taking a fresh, empty store; [`conformance_tests!`] turns them
//! into `#[test]`s for one implementation:
//!
//! ```ignore
//! feltsense_store::conformance_tests!(SqliteStore::open_in_memory("x").unwrap());
//! ```
//!
//! The PostgreSQL store of the server mode will invoke the same macro.

mod imports;
mod questionnaires;
pub use imports::*;
pub use questionnaires::*;

use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use feltsense_core::items::ItemRating;
use feltsense_core::{
    Activation, BodyRegion, BodySensation, CheckIn, Context, FeelingRating, JournalEntry, Origin,
    SafetyPlan, Sensation,
};

/// A check-in that uses every field, for the checks below.
pub fn sample(id: &str, at: &str) -> CheckIn {
    CheckIn {
        id: id.to_string(),
        at: DateTime::parse_from_rfc3339(at).expect("valid sample time"),
        nothing: false,
        feelings: vec![
            FeelingRating::new("lonely", Some(6)),
            // Named without saying how strongly: unknown, kept as unknown.
            FeelingRating::new("tired", None),
        ],
        pleasantness: Some(-2),
        energy: Some(-3),
        clarity: Some(3),
        body: vec![
            BodySensation {
                region: BodyRegion::Chest,
                activation: Some(Activation::More),
                sensation: Some(Sensation::Tight),
                intensity: Some(5),
            },
            BodySensation {
                region: BodyRegion::Hands,
                activation: Some(Activation::CantFeel),
                sensation: None,
                intensity: None,
            },
        ],
        body_overall: Some(-2),
        showed: Some("calm".into()),
        context: Context {
            doing: Some("work".into()),
            with: Some("colleagues".into()),
            place: Some("office".into()),
        },
        note: Some("quiet day, “curly quotes” and 🌧".into()),
        mood: Some("meh".into()),
        origin: Origin::Daylio,
        // 0 is "not at all", a rating of that item.
        items: vec![ItemRating::new("lonely", 0), ItemRating::new("calm", 7)],
    }
}

/// A bare "I can't feel much right now" check-in.
pub fn nothing(id: &str, at: &str) -> CheckIn {
    CheckIn {
        nothing: true,
        feelings: vec![],
        pleasantness: None,
        energy: None,
        clarity: Some(1),
        body: vec![],
        body_overall: None,
        showed: None,
        context: Context::default(),
        note: None,
        mood: None,
        origin: Origin::Feltsense,
        items: vec![],
        ..sample(id, at)
    }
}

pub fn adds_and_reads_back_every_field(mut store: impl Store) {
    let c = sample("a", "2026-03-01T08:15:00+01:00");
    store.add_checkin(&c).unwrap();
    assert_eq!(store.checkin("a").unwrap(), c);
    assert_eq!(store.checkins(None).unwrap(), vec![c]);
}

pub fn nothing_is_kept_as_nothing(mut store: impl Store) {
    let c = nothing("n", "2026-03-01T08:15:00-05:00");
    store.add_checkin(&c).unwrap();
    let back = store.checkin("n").unwrap();
    assert!(back.nothing);
    assert!(back.feelings.is_empty());
    assert_eq!(back, c);
}

pub fn lists_newest_first_by_instant_not_by_local_time(mut store: impl Store) {
    // 09:00 in Tokyo is earlier than 08:00 in London on the same date.
    store
        .add_checkin(&sample("tokyo", "2026-03-01T09:00:00+09:00"))
        .unwrap();
    store
        .add_checkin(&sample("london", "2026-03-01T08:00:00+00:00"))
        .unwrap();
    store
        .add_checkin(&sample("older", "2026-02-01T08:00:00+00:00"))
        .unwrap();
    let ids: Vec<String> = store
        .checkins(None)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["london", "tokyo", "older"]);
}

pub fn since_includes_its_boundary(mut store: impl Store) {
    store
        .add_checkin(&sample("before", "2026-03-01T07:59:59+00:00"))
        .unwrap();
    store
        .add_checkin(&sample("at", "2026-03-01T08:00:00+00:00"))
        .unwrap();
    let since: DateTime<Utc> = "2026-03-01T08:00:00Z".parse().unwrap();
    let ids: Vec<String> = store
        .checkins(Some(since))
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["at"]);
}

pub fn duplicate_ids_are_refused(mut store: impl Store) {
    store
        .add_checkin(&sample("dup", "2026-03-01T08:00:00+00:00"))
        .unwrap();
    let err = store
        .add_checkin(&nothing("dup", "2026-03-02T08:00:00+00:00"))
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(store.checkins(None).unwrap().len(), 1);
}

/// A phone that sends a check-in it kept offline again (its id made on
/// the phone) stores it once, and hears that it is saved.
pub fn the_same_check_in_sent_twice_is_stored_once(mut store: impl Store) {
    let kept = sample(
        "0190a3b4-5c6d-7e8f-9012-3456789abcde",
        "2026-03-01T08:00:00.250+01:00",
    );
    store.add_checkin(&kept).unwrap();
    store.add_checkin(&kept).unwrap();
    assert_eq!(store.checkins(None).unwrap(), vec![kept.clone()]);
    let other = nothing(&kept.id, "2026-03-01T08:00:00.250+01:00");
    assert!(matches!(
        store.add_checkin(&other),
        Err(StoreError::Conflict { .. })
    ));
}

pub fn forget_deletes_one_and_only_one(mut store: impl Store) {
    store
        .add_checkin(&sample("keep", "2026-03-01T08:00:00+00:00"))
        .unwrap();
    store
        .add_checkin(&sample("go", "2026-03-02T08:00:00+00:00"))
        .unwrap();
    store.forget_checkin("go").unwrap();
    assert!(matches!(
        store.checkin("go"),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.checkins(None).unwrap().len(), 1);
    let err = store.forget_checkin("go").unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
}

pub fn replace_changes_one_check_in_whole(mut store: impl Store) {
    store
        .add_checkin(&sample("edit", "2026-03-01T08:00:00+00:00"))
        .unwrap();
    store
        .add_checkin(&sample("other", "2026-03-02T08:00:00+00:00"))
        .unwrap();
    let edited = CheckIn {
        note: None,
        feelings: vec![],
        nothing: true,
        ..sample("edit", "2026-03-01T08:00:00+00:00")
    };
    store.replace_checkin(&edited).unwrap();
    assert_eq!(store.checkin("edit").unwrap(), edited);
    assert_eq!(
        store.checkin("other").unwrap(),
        sample("other", "2026-03-02T08:00:00+00:00")
    );
    let missing = sample("missing", "2026-03-02T08:00:00+00:00");
    assert!(matches!(
        store.replace_checkin(&missing),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.checkins(None).unwrap().len(), 2);
}

pub fn version_changes_with_every_write(mut store: impl Store) {
    let mut seen = vec![store.version().unwrap()];
    store
        .add_checkin(&sample("v", "2026-03-01T08:00:00+00:00"))
        .unwrap();
    seen.push(store.version().unwrap());
    store
        .replace_checkin(&nothing("v", "2026-03-01T08:00:00+00:00"))
        .unwrap();
    seen.push(store.version().unwrap());
    store
        .import(&[sample("w", "2026-03-02T08:00:00+00:00")], &[], &[])
        .unwrap();
    seen.push(store.version().unwrap());
    store.forget_checkin("v").unwrap();
    seen.push(store.version().unwrap());
    let _ = store.checkins(None).unwrap();
    seen.push(store.version().unwrap());
    for pair in seen[..5].windows(2) {
        assert_ne!(
            pair[0], pair[1],
            "a write must change the version: {seen:?}"
        );
    }
    assert_eq!(seen[4], seen[5], "reading changes nothing");
}

pub fn journal_entries_are_kept_and_forgotten(mut store: impl Store) {
    let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap();
    let first = JournalEntry::new(
        "j1".into(),
        at("2026-03-01T08:00:00+01:00"),
        "I felt “nothing” 🌫 today\nand that's ok",
    )
    .unwrap();
    let second = JournalEntry::new(
        "j2".into(),
        at("2026-03-02T08:00:00+01:00"),
        "A little lighter.",
    )
    .unwrap();
    store.add_journal(&first).unwrap();
    store.add_journal(&second).unwrap();
    assert_eq!(
        store.journal().unwrap(),
        vec![second.clone(), first.clone()]
    );
    assert_eq!(store.journal_entry("j1").unwrap(), first);
    assert!(matches!(
        store.add_journal(&first),
        Err(StoreError::Conflict { .. })
    ));
    store.forget_journal("j1").unwrap();
    assert!(matches!(
        store.journal_entry("j1"),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.forget_journal("j1"),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.journal().unwrap(), vec![second]);
}

pub fn the_safety_plan_is_replaced_whole(mut store: impl Store) {
    assert!(store.safety_plan().unwrap().is_empty());
    let mut plan = SafetyPlan::default();
    plan.set("warning_signs", "not sleeping; pulling away");
    plan.set("people_to_ask", "Sam 0123");
    store.save_safety_plan(&plan).unwrap();
    assert_eq!(store.safety_plan().unwrap(), plan);
    let mut changed = plan.clone();
    changed.set("people_to_ask", "");
    store.save_safety_plan(&changed).unwrap();
    assert_eq!(store.safety_plan().unwrap(), changed);
}

pub fn bridges_start_end_and_import(mut store: impl Store) {
    use feltsense_core::bridges::{Bridge, BridgeKind, Micro};
    let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap();
    let before = Micro {
        feeling: None,
        intensity: None,
        clarity: 2,
        body_noticed: false,
    };
    let open = Bridge {
        id: "b1".into(),
        kind: BridgeKind::Music,
        label: "old songs".into(),
        started: at("2026-03-01T20:00:00+01:00"),
        before,
        ended: None,
        after: None,
    };
    store.add_bridge(&open).unwrap();
    assert!(matches!(
        store.add_bridge(&open),
        Err(StoreError::Conflict { .. })
    ));
    let after = Micro {
        feeling: Some("tender".into()),
        intensity: Some(4),
        clarity: 5,
        body_noticed: true,
    };
    let ended = Bridge {
        ended: Some(at("2026-03-01T20:30:00+01:00")),
        after: Some(after),
        ..open.clone()
    };
    store.replace_bridge(&ended).unwrap();
    assert_eq!(store.bridges().unwrap(), vec![ended.clone()]);
    let other = Bridge {
        id: "b0".into(),
        started: at("2026-02-01T10:00:00+01:00"),
        ..ended.clone()
    };
    let summary = store
        .import(&[], &[], &[ended.clone(), other.clone()])
        .unwrap();
    assert_eq!((summary.bridges_added, summary.bridges_unchanged), (1, 1));
    assert_eq!(store.bridges().unwrap(), vec![ended, other]);
    let missing = Bridge {
        id: "nope".into(),
        ..open
    };
    assert!(matches!(
        store.replace_bridge(&missing),
        Err(StoreError::NotFound { .. })
    ));
}

pub fn assessments_are_kept_newest_first(mut store: impl Store) {
    use feltsense_core::assessments::{Instrument, Response};
    let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap();
    let first = Response {
        id: "r1".into(),
        instrument: Instrument::Phq9,
        at: at("2026-03-01T08:00:00+01:00"),
        answers: vec![0; 9],
    };
    let second = Response {
        id: "r2".into(),
        instrument: Instrument::Who5,
        at: at("2026-03-08T08:00:00+01:00"),
        answers: vec![3; 5],
    };
    store.add_assessment(&first).unwrap();
    store.add_assessment(&second).unwrap();
    assert!(matches!(
        store.add_assessment(&first),
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(store.assessments().unwrap(), vec![second, first]);
}

#[macro_export]
macro_rules! conformance_tests {
    ($make:expr) => {
        $crate::conformance_tests!(@each $make;
            adds_and_reads_back_every_field,
            nothing_is_kept_as_nothing,
            lists_newest_first_by_instant_not_by_local_time,
            since_includes_its_boundary,
            duplicate_ids_are_refused,
            the_same_check_in_sent_twice_is_stored_once,
            forget_deletes_one_and_only_one,
            replace_changes_one_check_in_whole,
            version_changes_with_every_write,
            journal_entries_are_kept_and_forgotten,
            the_safety_plan_is_replaced_whole,
            journal_imports_with_check_ins_all_or_nothing,
            bridges_start_end_and_import,
            assessments_are_kept_newest_first,
            import_is_all_or_nothing,
            importing_twice_changes_nothing,
            reimport_replaces_what_the_same_source_keys_brought,
            replace_swaps_a_changed_record_with_the_same_id,
            a_failed_replace_changes_nothing,
            questionnaires_and_the_safety_plan_import_all_or_nothing,
            a_changed_response_with_the_same_id_is_a_conflict,
            journal_entries_and_responses_can_be_redated,
            chosen_items_are_kept_replaced_and_cleared,
        );
    };
    (@each $make:expr; $($check:ident),+ $(,)?) => {
        mod conformance {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $check() {
                    $crate::conformance::$check($make);
                }
            )+
        }
    };
}
