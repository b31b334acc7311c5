use super::{bytes, count, store_with, KEY};
use crate::conformance::sample;
use crate::{SqliteStore, Store, StoreError};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

fn wal(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", path.display()))
}

/// A copy of a store taken while a writer still had it open: the recent
/// check-ins are only in the WAL, as after a crash.
fn store_with_a_left_wal() -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = store_with(2);
    let mut open = SqliteStore::open(&path, KEY).unwrap();
    open.add_checkin(&sample("in-the-wal", "2026-01-02T10:00:00+00:00"))
        .unwrap();
    let crashed = dir.path().join("crashed");
    std::fs::create_dir(&crashed).unwrap();
    let copy = crashed.join("feltsense.db");
    std::fs::copy(&path, &copy).unwrap();
    std::fs::copy(wal(&path), wal(&copy)).unwrap();
    drop(open);
    (dir, copy)
}

#[test]
fn a_wrong_passphrase_leaves_a_crashed_store_and_its_wal_byte_identical() {
    let (_dir, path) = store_with_a_left_wal();
    let before = (bytes(&path), bytes(&wal(&path)));
    assert!(before.1.as_ref().is_some_and(|w| !w.is_empty()));
    for wrong in ["not the one", ""] {
        let err = SqliteStore::open(&path, wrong).unwrap_err();
        assert!(matches!(err, StoreError::WrongPassphrase), "{err:?}");
        assert_eq!((bytes(&path), bytes(&wal(&path))), before, "with {wrong:?}");
    }
    assert_eq!(count(&path, KEY), 3, "the WAL's check-in is still there");
}

#[test]
fn a_backup_taken_while_another_connection_writes_opens_whole() {
    let (dir, path) = store_with(50);
    let copy = dir.path().join("elsewhere/backup.db");
    std::fs::create_dir(copy.parent().unwrap()).unwrap();
    let writer = {
        let path = path.clone();
        std::thread::spawn(move || {
            let mut store = SqliteStore::open(&path, KEY).unwrap();
            for i in 0..30 {
                let c = sample(&format!("during-{i:02}"), "2026-01-03T10:00:00+00:00");
                store.add_checkin(&c).unwrap();
            }
        })
    };
    let store = SqliteStore::open(&path, KEY).unwrap();
    store.backup_to(&copy).unwrap();
    writer.join().unwrap();
    let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Placed as feltsense.db in a data directory of its own.
    let data = dir.path().join("restored-data");
    std::fs::create_dir(&data).unwrap();
    std::fs::rename(&copy, data.join("feltsense.db")).unwrap();
    let restored = SqliteStore::open(&data.join("feltsense.db"), KEY).unwrap();
    let n = restored.checkins(None).unwrap().len();
    assert!((50..=80).contains(&n), "{n} check-ins");
    // Whole: every check-in kept its feelings and body (no half-copied one).
    for c in restored.checkins(None).unwrap() {
        assert_eq!(c, sample(&c.id, &c.at.to_rfc3339()));
    }
    assert!(restored.skipped().is_empty());
    assert_eq!(count(&path, KEY), 80);
}

#[test]
fn a_backup_never_replaces_an_existing_file() {
    let (dir, path) = store_with(1);
    let taken = dir.path().join("taken.db");
    std::fs::write(&taken, b"mine").unwrap();
    let store = SqliteStore::open(&path, KEY).unwrap();
    let err = store.backup_to(&taken).unwrap_err();
    assert!(matches!(err, StoreError::AlreadyExists(_)), "{err:?}");
    assert_eq!(std::fs::read(&taken).unwrap(), b"mine");
    let partial = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|name| name.ends_with(".partial"));
    assert_eq!(partial, None, "no temporary file is left");
}

#[test]
fn a_new_passphrase_opens_the_same_records_and_the_old_one_no_longer_does() {
    let (_dir, path) = store_with(5);
    crate::change_passphrase(&path, KEY, "a brand new one").unwrap();
    assert_eq!(count(&path, "a brand new one"), 5);
    let err = SqliteStore::open(&path, KEY).unwrap_err();
    assert!(matches!(err, StoreError::WrongPassphrase), "{err:?}");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let err = crate::change_passphrase(&path, KEY, "another").unwrap_err();
    assert!(matches!(err, StoreError::WrongPassphrase), "{err:?}");
    assert_eq!(count(&path, "a brand new one"), 5);
}

#[test]
fn changing_the_passphrase_waits_for_no_one_and_refuses_while_the_store_is_open() {
    let (_dir, path) = store_with(1);
    let open = SqliteStore::open(&path, KEY).unwrap();
    let before = bytes(&path);
    let err = crate::change_passphrase(&path, KEY, "a brand new one").unwrap_err();
    assert!(matches!(err, StoreError::InUse(_)), "{err:?}");
    assert_eq!(bytes(&path), before);
    drop(open);
    crate::change_passphrase(&path, KEY, "a brand new one").unwrap();
}

#[test]
fn a_crash_before_the_rename_leaves_the_old_key_working_and_the_copy_is_cleaned() {
    let (_dir, path) = store_with(3);
    let copy = crate::keys::rekeyed_copy(&path, KEY, "never finished").unwrap();
    assert!(copy.exists());
    // Killed here: the copy under the new key is beside the store.
    assert_eq!(count(&path, KEY), 3);
    assert!(!copy.exists(), "the next open removes the leftover");
    // A copy cut short mid-write is removed the same way.
    std::fs::write(&copy, b"half a page").unwrap();
    crate::change_passphrase(&path, KEY, "finished now").unwrap();
    assert!(!copy.exists());
    assert_eq!(count(&path, "finished now"), 3);
}

#[test]
fn restore_puts_a_backup_back_and_keeps_what_it_replaced() {
    let (dir, path) = store_with(2);
    let backup = dir.path().join("backup.db");
    SqliteStore::open(&path, KEY)
        .unwrap()
        .backup_to(&backup)
        .unwrap();
    let mut store = SqliteStore::open(&path, KEY).unwrap();
    store
        .add_checkin(&sample("after-the-backup", "2026-01-04T10:00:00+00:00"))
        .unwrap();
    let err = crate::restore(&path, &backup, KEY).unwrap_err();
    assert!(matches!(err, StoreError::InUse(_)), "{err:?}");
    drop(store);
    let backup_bytes = bytes(&backup);
    let err = crate::restore(&path, &backup, "wrong").unwrap_err();
    assert!(matches!(err, StoreError::WrongPassphrase), "{err:?}");
    let kept = crate::restore(&path, &backup, KEY).unwrap().unwrap();
    assert_eq!(
        bytes(&backup),
        backup_bytes,
        "the backup itself is only read"
    );
    assert_eq!(count(&path, KEY), 2);
    assert_eq!(count(&kept, KEY), 3, "the replaced store is kept whole");
    assert!(kept
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("feltsense.db.replaced-"));
}

#[test]
fn restore_into_an_empty_data_directory_needs_no_store_there() {
    let (dir, path) = store_with(4);
    let backup = dir.path().join("backup.db");
    SqliteStore::open(&path, KEY)
        .unwrap()
        .backup_to(&backup)
        .unwrap();
    let fresh = dir.path().join("new-machine/feltsense.db");
    assert_eq!(crate::restore(&fresh, &backup, KEY).unwrap(), None);
    assert_eq!(count(&fresh, KEY), 4);
    let summary = crate::inspect(&backup, KEY).unwrap();
    assert_eq!(summary.check_ins, 4);
}
