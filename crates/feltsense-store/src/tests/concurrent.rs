use super::{count, store_with, KEY};
use crate::conformance::sample;
use crate::{SqliteStore, Store};
use std::sync::{Arc, Barrier};
use std::time::Instant;

const IMPORTED: usize = 20_000;
const WRITERS: usize = 2;
const EACH: usize = 25;

/// Two writers adding check-ins one by one, each on its own connection,
/// while a third connection imports 20,000: every write waits its turn
/// (none fails with "database is locked") and none is lost.
#[test]
fn writers_and_a_large_import_wait_their_turn() {
    let (_dir, path) = store_with(0);
    let start = Arc::new(Barrier::new(WRITERS + 1));
    let import = {
        let (path, start) = (path.clone(), start.clone());
        std::thread::spawn(move || {
            let mut store = SqliteStore::open(&path, KEY).unwrap();
            let records: Vec<_> = (0..IMPORTED)
                .map(|i| sample(&format!("import-{i:05}"), "2025-06-01T10:00:00+00:00"))
                .collect();
            start.wait();
            let began = Instant::now();
            let summary = store.import(&records, &[], &[]).unwrap();
            eprintln!("import of {IMPORTED} took {:?}", began.elapsed());
            summary.added
        })
    };
    let writers: Vec<_> = (0..WRITERS - 1)
        .map(|w| {
            let (path, start) = (path.clone(), start.clone());
            std::thread::spawn(move || add_one_by_one(&path, w, &start))
        })
        .collect();
    // The last writer runs here, so the barrier counts WRITERS + 1.
    let mut failures = add_one_by_one(&path, WRITERS - 1, &start);
    for w in writers {
        failures += w.join().unwrap();
    }
    assert_eq!(import.join().unwrap(), IMPORTED);
    assert_eq!(failures, 0, "writes that failed");
    assert_eq!(count(&path, KEY), IMPORTED + WRITERS * EACH, "writes lost");
}

/// Adds `EACH` check-ins; returns how many failed.
fn add_one_by_one(path: &std::path::Path, writer: usize, start: &Barrier) -> usize {
    let mut store = SqliteStore::open(path, KEY).unwrap();
    start.wait();
    (0..EACH)
        .filter(|i| {
            let c = sample(&format!("w{writer}-{i:03}"), "2026-01-01T10:00:00+00:00");
            store
                .add_checkin(&c)
                .inspect_err(|e| eprintln!("writer {writer}: {e}"))
                .is_err()
        })
        .count()
}
