//! Conformance checks for importing questionnaire responses and the
//! safety plan: all or nothing with everything else, exactly as given.

use crate::{ImportBatch, ImportMode, Store, StoreError, SAFETY_PLAN_ID};
use chrono::DateTime;
use feltsense_core::assessments::{Instrument, Response};
use feltsense_core::imported::{Sourced, FELTSENSE};
use feltsense_core::SafetyPlan;

fn response(id: &str, at: &str, answers: Vec<u8>) -> Sourced<Response> {
    Sourced {
        key: id.to_string(),
        record: Response {
            id: id.to_string(),
            instrument: Instrument::Phq9,
            at: DateTime::parse_from_rfc3339(at).unwrap(),
            answers,
        },
    }
}

fn batch<'a>(
    assessments: &'a [Sourced<Response>],
    safety_plan: Option<&'a SafetyPlan>,
) -> ImportBatch<'a> {
    ImportBatch {
        format: FELTSENSE,
        checkins: &[],
        journal: &[],
        bridges: &[],
        assessments,
        safety_plan,
        fixed_items: None,
    }
}

pub fn questionnaires_and_the_safety_plan_import_all_or_nothing(mut store: impl Store) {
    let plan = SafetyPlan {
        warning_signs: "not sleeping".into(),
        people_to_ask: "Sam".into(),
        ..SafetyPlan::default()
    };
    let responses = [response("r1", "2026-03-01T08:00:00+01:00", vec![1; 9])];
    let done = store
        .import_from(&batch(&responses, Some(&plan)), ImportMode::Add)
        .unwrap();
    assert_eq!(done.assessments.added, ["r1"]);
    assert_eq!(done.safety_plan.added, [SAFETY_PLAN_ID]);
    assert_eq!(store.safety_plan().unwrap(), plan);
    assert_eq!(
        store.assessments().unwrap(),
        vec![responses[0].record.clone()]
    );

    let again = store
        .import_from(&batch(&responses, Some(&plan)), ImportMode::Add)
        .unwrap();
    assert_eq!(again.assessments.unchanged, ["r1"]);
    assert_eq!(again.safety_plan.unchanged, [SAFETY_PLAN_ID]);

    // A different plan and a new response: refused together in Add mode.
    let other = SafetyPlan {
        coping_alone: "a walk".into(),
        ..plan.clone()
    };
    let more = [response("r2", "2026-03-08T08:00:00+01:00", vec![0; 9])];
    let refused = store.import_from(&batch(&more, Some(&other)), ImportMode::Add);
    assert!(
        matches!(&refused, Err(StoreError::Conflict { id }) if id == SAFETY_PLAN_ID),
        "{refused:?}"
    );
    assert_eq!(
        store.assessments().unwrap().len(),
        1,
        "nothing half-written"
    );
    assert_eq!(store.safety_plan().unwrap(), plan);

    let swapped = store
        .import_from(&batch(&more, Some(&other)), ImportMode::Replace)
        .unwrap();
    assert_eq!(swapped.safety_plan.replacing, [SAFETY_PLAN_ID]);
    assert_eq!(store.safety_plan().unwrap(), other);
    assert_eq!(store.assessments().unwrap().len(), 2);
}

pub fn a_changed_response_with_the_same_id_is_a_conflict(mut store: impl Store) {
    let first = [response("r1", "2026-03-01T08:00:00+01:00", vec![1; 9])];
    store
        .import_from(&batch(&first, None), ImportMode::Add)
        .unwrap();
    // The same instant at another offset is not "exactly as given".
    let moved = [response("r1", "2026-03-01T07:00:00+00:00", vec![1; 9])];
    let refused = store.import_from(&batch(&moved, None), ImportMode::Add);
    assert!(
        matches!(refused, Err(StoreError::Conflict { .. })),
        "{refused:?}"
    );
    store
        .import_from(&batch(&moved, None), ImportMode::Replace)
        .unwrap();
    assert_eq!(store.assessments().unwrap(), vec![moved[0].record.clone()]);
    assert_eq!(store.safety_plan().unwrap(), SafetyPlan::default());
}

pub fn journal_entries_and_responses_can_be_redated(mut store: impl Store) {
    use feltsense_core::JournalEntry;
    let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap();
    let entry = JournalEntry::new("j".into(), at("2026-03-01T21:00:00+01:00"), "a page").unwrap();
    let mut r = response("r", "2026-03-01T08:00:00+01:00", vec![0; 9]).record;
    assert!(matches!(
        store.replace_journal(&entry),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.replace_assessment(&r),
        Err(StoreError::NotFound { .. })
    ));
    store.add_journal(&entry).unwrap();
    store.add_assessment(&r).unwrap();
    let moved = JournalEntry {
        at: at("2026-02-27T22:15:00+01:00"),
        ..entry
    };
    store.replace_journal(&moved).unwrap();
    r.at = at("2026-02-28T09:30:00+00:00");
    store.replace_assessment(&r).unwrap();
    let read = store.journal_entry("j").unwrap();
    assert_eq!(read.at.to_rfc3339(), "2026-02-27T22:15:00+01:00");
    assert_eq!(
        store.assessments().unwrap()[0].at.to_rfc3339(),
        "2026-02-28T09:30:00+00:00"
    );
}
