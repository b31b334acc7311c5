//! Conformance checks for imports: all or nothing, twice changes nothing,
//! a reimport replaces what the same source keys brought, a changed record
//! under the same id is swapped, and the chosen items.

use super::{nothing, sample};
use crate::{ImportBatch, ImportChanges, ImportMode, ImportSummary, Store, StoreError};
use chrono::DateTime;
use feltsense_core::imported::Sourced;
use feltsense_core::items::ItemRating;
use feltsense_core::{CheckIn, JournalEntry};

pub fn journal_imports_with_check_ins_all_or_nothing(mut store: impl Store) {
    let at = DateTime::parse_from_rfc3339("2026-03-01T08:00:00+01:00").unwrap();
    let entry = JournalEntry::new("je".into(), at, "a page").unwrap();
    let summary = store
        .import(
            &[sample("c", "2026-03-01T08:00:00+00:00")],
            std::slice::from_ref(&entry),
            &[],
        )
        .unwrap();
    assert_eq!((summary.added, summary.journal_added), (1, 1));
    let again = store
        .import(&[], std::slice::from_ref(&entry), &[])
        .unwrap();
    assert_eq!(again.journal_unchanged, 1);
    let changed = JournalEntry::new("je".into(), at, "another page").unwrap();
    let err = store
        .import(
            &[sample("new", "2026-03-05T08:00:00+00:00")],
            &[changed],
            &[],
        )
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { ref id } if id == "je"),
        "{err:?}"
    );
    assert!(
        matches!(store.checkin("new"), Err(StoreError::NotFound { .. })),
        "nothing of a failed import stays"
    );
    assert_eq!(store.journal().unwrap(), vec![entry]);
}

pub fn import_is_all_or_nothing(mut store: impl Store) {
    store
        .add_checkin(&sample("taken", "2026-03-01T08:00:00+00:00"))
        .unwrap();
    let batch = vec![
        sample("new-1", "2026-03-02T08:00:00+00:00"),
        nothing("taken", "2026-03-03T08:00:00+00:00"),
    ];
    let err = store.import(&batch, &[], &[]).unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { ref id } if id == "taken"),
        "{err:?}"
    );
    assert!(matches!(
        store.checkin("new-1"),
        Err(StoreError::NotFound { .. })
    ));
}

pub fn importing_twice_changes_nothing(mut store: impl Store) {
    let batch = vec![
        sample("x", "2026-03-02T08:00:00+00:00"),
        nothing("y", "2026-03-03T08:00:00+00:00"),
    ];
    assert_eq!(
        store.import(&batch, &[], &[]).unwrap(),
        ImportSummary {
            added: 2,
            ..ImportSummary::default()
        }
    );
    assert_eq!(
        store.import(&batch, &[], &[]).unwrap(),
        ImportSummary {
            unchanged: 2,
            ..ImportSummary::default()
        }
    );
    assert_eq!(store.checkins(None).unwrap().len(), 2);
}

fn sourced(key: &str, c: CheckIn) -> Sourced<CheckIn> {
    Sourced {
        key: key.to_string(),
        record: c,
    }
}

fn daylio(checkins: &[Sourced<CheckIn>]) -> ImportBatch<'_> {
    ImportBatch {
        format: "daylio",
        checkins,
        journal: &[],
        bridges: &[],
        assessments: &[],
        safety_plan: None,
        fixed_items: None,
    }
}

fn ids(store: &impl Store) -> Vec<String> {
    store
        .checkins(None)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

pub fn reimport_replaces_what_the_same_source_keys_brought(mut store: impl Store) {
    let first = [
        sourced("2026-03-01 08:00", sample("a", "2026-03-01T08:00:00+00:00")),
        sourced("2026-03-02 08:00", sample("b", "2026-03-02T08:00:00+00:00")),
    ];
    store.import_from(&daylio(&first), ImportMode::Add).unwrap();
    store
        .add_checkin(&sample("mine", "2026-03-03T08:00:00+00:00"))
        .unwrap();
    // The same rows read with a corrected mapping: a new id for the first.
    let corrected = [
        sourced(
            "2026-03-01 08:00",
            nothing("a2", "2026-03-01T08:00:00+00:00"),
        ),
        first[1].clone(),
        sourced("2026-03-04 08:00", sample("c", "2026-03-04T08:00:00+00:00")),
    ];
    let err = store
        .import_from(&daylio(&corrected), ImportMode::Add)
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { ref id } if id == "a2"),
        "{err:?}"
    );
    assert_eq!(
        ids(&store),
        ["mine", "b", "a"],
        "nothing of a refused import"
    );
    let version = store.version().unwrap();
    let plan = store
        .import_from(&daylio(&corrected), ImportMode::DryRun)
        .unwrap();
    let expected = ImportChanges {
        added: vec!["c".into()],
        replacing: vec!["a2".into()],
        swapped_out: vec!["a".into()],
        unchanged: vec!["b".into()],
    };
    assert_eq!(plan.checkins, expected);
    assert_eq!(
        store.version().unwrap(),
        version,
        "a dry run writes nothing"
    );
    let done = store
        .import_from(&daylio(&corrected), ImportMode::Replace)
        .unwrap();
    assert_eq!(done.checkins, expected);
    assert_eq!(ids(&store), ["c", "mine", "b", "a2"]);
    assert!(store.checkin("a2").unwrap().nothing);
    let again = store
        .import_from(&daylio(&corrected), ImportMode::Add)
        .unwrap();
    assert_eq!(again.checkins.unchanged.len(), 3, "{again:?}");
}

pub fn replace_swaps_a_changed_record_with_the_same_id(mut store: impl Store) {
    let before = [sourced(
        "P1 10:00",
        sample("esm-1", "2026-03-01T10:00:00+00:00"),
    )];
    store
        .import_from(&daylio(&before), ImportMode::Add)
        .unwrap();
    let mut changed = before[0].clone();
    changed.record.feelings.truncate(1);
    let after = [changed.clone()];
    assert!(matches!(
        store.import_from(&daylio(&after), ImportMode::Add),
        Err(StoreError::Conflict { .. })
    ));
    let plan = store
        .import_from(&daylio(&after), ImportMode::Replace)
        .unwrap();
    assert_eq!(
        (plan.checkins.replacing, plan.checkins.swapped_out),
        (vec!["esm-1".to_string()], vec!["esm-1".to_string()])
    );
    assert_eq!(store.checkin("esm-1").unwrap(), changed.record);
    // Another format's keys are another source: nothing to replace.
    let x = [sourced(
        "P1 10:00",
        sample("x", "2026-03-01T10:00:00+00:00"),
    )];
    let other = ImportBatch {
        format: "esm",
        ..daylio(&x)
    };
    let plan = store.import_from(&other, ImportMode::Add).unwrap();
    assert_eq!(plan.checkins.added, ["x"]);
}

pub fn a_failed_replace_changes_nothing(mut store: impl Store) {
    let first = [sourced("k", sample("a", "2026-03-01T08:00:00+00:00"))];
    store.import_from(&daylio(&first), ImportMode::Add).unwrap();
    // The file contradicts itself: one id, two contents.
    let contradicting = [
        sourced("k", nothing("b", "2026-03-01T08:00:00+00:00")),
        sourced("j", sample("b", "2026-03-02T08:00:00+00:00")),
    ];
    assert!(matches!(
        store.import_from(&daylio(&contradicting), ImportMode::Replace),
        Err(StoreError::Conflict { ref id }) if id == "b"
    ));
    assert_eq!(ids(&store), ["a"]);
}

/// Generates one `#[test]` per conformance check, each with a fresh store
/// made by `$make`.
/// The chosen fixed items are kept, replaced and cleared; a check-in's
/// item ratings (0 included) stay with it.
pub fn chosen_items_are_kept_replaced_and_cleared(mut store: impl Store) {
    use feltsense_core::items::FixedItems;
    let v = feltsense_core::Vocabulary::embedded();
    assert!(store.fixed_items().unwrap().is_empty());
    let six = ["happy", "calm", "proud", "sad", "anxious", "angry"];
    let items = FixedItems::choose(six, &v).unwrap();
    store.save_fixed_items(&items).unwrap();
    assert_eq!(store.fixed_items().unwrap(), items);
    let mut c = sample("c", "2026-03-01T08:00:00+01:00");
    c.items = six.iter().map(|w| ItemRating::new(*w, 0)).collect();
    store.add_checkin(&c).unwrap();
    assert_eq!(store.checkin("c").unwrap().items, c.items, "0 kept as 0");
    let other =
        FixedItems::choose(["joyful", "calm", "proud", "sad", "anxious", "lonely"], &v).unwrap();
    store.save_fixed_items(&other).unwrap();
    assert_eq!(store.fixed_items().unwrap(), other, "replaced");
    store.save_fixed_items(&FixedItems::default()).unwrap();
    assert!(store.fixed_items().unwrap().is_empty());
    assert_eq!(store.checkin("c").unwrap().items.len(), 6, "ratings stay");
}
