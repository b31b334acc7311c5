use super::{store_with, KEY};
use crate::conformance::sample;
use crate::{SqliteStore, Store, StoreError};

/// Makes check-in `id` unreadable the way an old build could: a time
/// beyond year 9999, which chrono writes as `+12026-...`.
fn spoil(store: &SqliteStore, sql: &str) {
    store.conn.execute_batch(sql).unwrap();
}

#[test]
fn a_check_in_with_an_impossible_time_is_skipped_and_named() {
    let (_dir, path) = store_with(3);
    let store = SqliteStore::open(&path, KEY).unwrap();
    spoil(
        &store,
        "UPDATE checkins SET at = '+12026-01-01T10:00:00+00:00' WHERE id = 'c00001'",
    );
    let read = store.checkins(None).unwrap();
    let ids: Vec<&str> = read.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c00002", "c00000"]);
    let skipped = store.skipped();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(
        (skipped[0].what, skipped[0].id.as_str()),
        ("check-in", "c00001")
    );
    assert!(skipped[0].why.contains("+12026"), "{}", skipped[0].why);
    // Reading again does not name it twice.
    store.checkins(None).unwrap();
    assert_eq!(store.skipped().len(), 1);
    let one = store.checkin("c00001").unwrap_err();
    assert!(matches!(one, StoreError::Corrupt(_)), "{one:?}");
    assert!(store.checkin("c00002").is_ok());
}

#[test]
fn times_that_parse_but_lie_outside_the_range_are_skipped_too() {
    let (_dir, path) = store_with(2);
    let store = SqliteStore::open(&path, KEY).unwrap();
    spoil(
        &store,
        "UPDATE checkins SET at = '1800-01-01T10:00:00+00:00' WHERE id = 'c00000'",
    );
    assert_eq!(store.checkins(None).unwrap().len(), 1);
    assert!(
        store.skipped()[0].why.contains("outside"),
        "{:?}",
        store.skipped()
    );
}

#[test]
fn bad_feeling_and_body_rows_skip_only_their_check_in() {
    let (_dir, path) = store_with(3);
    let store = SqliteStore::open(&path, KEY).unwrap();
    spoil(
        &store,
        "UPDATE checkin_body SET region = 'elbow' WHERE checkin_id = 'c00000';
         UPDATE checkin_feelings SET intensity = 300 WHERE checkin_id = 'c00002';
         UPDATE checkins SET pleasantness = 99999 WHERE id = 'c00001';",
    );
    assert!(store.checkins(None).unwrap().is_empty());
    let skipped: Vec<String> = store.skipped().iter().map(|s| s.to_string()).collect();
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert!(
        skipped[0].starts_with("check-in c00000: its body word 'elbow'"),
        "{skipped:?}"
    );
    assert!(skipped[1].contains("pleasantness"), "{skipped:?}");
    assert!(skipped[2].contains("feeling intensity"), "{skipped:?}");
}

#[test]
fn journal_bridges_and_assessments_skip_bad_rows() {
    let (_dir, path) = store_with(0);
    let mut store = SqliteStore::open(&path, KEY).unwrap();
    let entry = feltsense_core::JournalEntry {
        id: "j1".into(),
        at: "2026-01-02T10:00:00+00:00".parse().unwrap(),
        text: "words".into(),
    };
    store.add_journal(&entry).unwrap();
    store
        .add_journal(&feltsense_core::JournalEntry {
            id: "j2".into(),
            ..entry.clone()
        })
        .unwrap();
    spoil(
        &store,
        "UPDATE journal SET at = '-0001-01-01T00:00:00+00:00' WHERE id = 'j2';
         INSERT INTO bridges (id, started_utc_ms, record) VALUES ('b1', 0, '{\"not\": \"a bridge\"}');
         INSERT INTO assessments (id, at_utc_ms, record) VALUES ('a1', 0, 'not json');",
    );
    assert_eq!(store.journal().unwrap(), vec![entry]);
    assert!(store.bridges().unwrap().is_empty());
    assert!(store.assessments().unwrap().is_empty());
    let skipped: Vec<(&str, String)> = store
        .skipped()
        .into_iter()
        .map(|s| (s.what, s.id))
        .collect();
    assert_eq!(
        skipped,
        [
            ("bridge", "b1".into()),
            ("journal entry", "j2".into()),
            ("questionnaire response", "a1".into())
        ]
    );
    for s in store.skipped() {
        assert!(
            !s.why.contains("not a bridge"),
            "reasons never quote the record: {s}"
        );
    }
}

#[test]
fn an_unreadable_stored_check_in_is_a_conflict_for_an_import_not_a_crash() {
    let (_dir, path) = store_with(1);
    let mut store = SqliteStore::open(&path, KEY).unwrap();
    spoil(
        &store,
        "UPDATE checkins SET at = '+12026-01-01T10:00:00+00:00'",
    );
    let again = sample("c00000", "2026-01-01T10:00:00+00:00");
    let err = store.import(&[again], &[], &[]).unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
}
