//! The SQLite store: the conformance suite, and what only a file can show.

use crate::sqlite::SqliteStore;
use crate::{schema, Store, StoreError};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

crate::conformance_tests!(SqliteStore::open_in_memory("conformance").unwrap());

#[test]
fn file_and_directory_are_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/feltsense.db");
    SqliteStore::create(&path, "pass phrase").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn wrong_passphrase_is_refused_and_leaves_the_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feltsense.db");
    let mut store = SqliteStore::create(&path, "right one").unwrap();
    store
        .add_checkin(&crate::conformance::sample(
            "a",
            "2026-01-01T10:00:00+00:00",
        ))
        .unwrap();
    drop(store);
    let before = std::fs::read(&path).unwrap();
    let err = SqliteStore::open(&path, "wrong one").unwrap_err();
    assert!(matches!(err, StoreError::WrongPassphrase), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        SqliteStore::open(&path, "right one")
            .unwrap()
            .checkins(None)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn no_plaintext_reaches_the_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feltsense.db");
    let mut store = SqliteStore::create(&path, "secret").unwrap();
    let mut c = crate::conformance::sample("plain-id", "2026-01-01T10:00:00+00:00");
    c.note = Some("zebra-lighthouse-marmalade".into());
    store.add_checkin(&c).unwrap();
    let mut bytes = Vec::new();
    // Check the WAL while it still holds the page, then the main file.
    for p in [path.with_extension("db-wal"), path.clone()] {
        bytes.extend(std::fs::read(&p).unwrap_or_default());
    }
    drop(store);
    bytes.extend(std::fs::read(&path).unwrap());
    for needle in [
        "zebra-lighthouse-marmalade",
        "lonely",
        "SQLite format",
        "checkins",
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "found '{needle}' in plaintext"
        );
    }
}

#[test]
fn version_sees_writes_from_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feltsense.db");
    let reader = SqliteStore::create(&path, "pass").unwrap();
    let before = reader.version().unwrap();
    assert_eq!(
        reader.version().unwrap(),
        before,
        "stable while nothing changes"
    );
    let mut writer = SqliteStore::open(&path, "pass").unwrap();
    writer
        .add_checkin(&crate::conformance::sample(
            "w",
            "2026-01-01T10:00:00+00:00",
        ))
        .unwrap();
    assert_ne!(reader.version().unwrap(), before);
}

#[test]
fn create_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feltsense.db");
    SqliteStore::create(&path, "one").unwrap();
    let err = SqliteStore::create(&path, "two").unwrap_err();
    assert!(matches!(err, StoreError::AlreadyExists(_)));
    SqliteStore::open(&path, "one").unwrap();
}

#[test]
fn open_without_a_store_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let err = SqliteStore::open(&dir.path().join("none.db"), "x").unwrap_err();
    assert!(matches!(err, StoreError::Missing(_)));
    assert!(!dir.path().join("none.db").exists());
}

#[test]
fn migrations_record_their_version() {
    let store = SqliteStore::open_in_memory("x").unwrap();
    let v: i64 = store
        .conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, schema::CURRENT);
}

#[test]
fn chosen_items_are_kept_replaced_and_cleared() {
    use feltsense_core::items::{FixedItems, ItemRating};
    let v = feltsense_core::Vocabulary::embedded();
    let mut store = SqliteStore::open_in_memory("items").unwrap();
    assert!(store.fixed_items().unwrap().is_empty());
    let six = ["happy", "calm", "proud", "sad", "anxious", "angry"];
    let items = FixedItems::choose(six, &v).unwrap();
    store.save_fixed_items(&items).unwrap();
    assert_eq!(store.fixed_items().unwrap(), items);
    let mut c = crate::conformance::sample("c", "2026-03-01T08:00:00+01:00");
    c.items = six.iter().map(|w| ItemRating::new(*w, 0)).collect();
    store.add_checkin(&c).unwrap();
    assert_eq!(store.checkin("c").unwrap().items, c.items, "0 kept as 0");
    store.save_fixed_items(&FixedItems::default()).unwrap();
    assert!(store.fixed_items().unwrap().is_empty());
    assert_eq!(store.checkin("c").unwrap().items.len(), 6, "ratings stay");
}
