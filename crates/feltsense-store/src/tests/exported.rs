//! Nothing a person entered is left out of an export: every table in the
//! schema is either named here with the export field that carries it, or
//! listed as internal. A new table fails this test until it is one or the
//! other.

use crate::conformance::sample;
use crate::{SqliteStore, Store};
use feltsense_core::assessments::{Instrument, Response};
use feltsense_core::bridges::{Bridge, BridgeKind, Micro};
use feltsense_core::{JournalEntry, SafetyPlan};

/// Tables that hold what a person entered, and the export field each
/// travels in.
const EXPORTED: [(&str, &str); 9] = [
    ("checkins", "checkins"),
    ("checkin_feelings", "checkins"),
    ("checkin_items", "checkins"),
    ("settings", "fixed_items"),
    ("checkin_body", "checkins"),
    ("journal", "journal"),
    ("bridges", "bridges"),
    ("assessments", "assessments"),
    ("safety_plan", "safety_plan"),
];

/// Bookkeeping, not something a person entered: where an import came from.
const INTERNAL: [&str; 1] = ["import_sources"];

fn tables(store: &SqliteStore) -> Vec<String> {
    let mut stmt = store
        .conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap();
    let names = stmt.query_map([], |r| r.get(0)).unwrap();
    names.collect::<Result<_, _>>().unwrap()
}

/// One of everything, through the public interface.
fn filled() -> SqliteStore {
    let mut store = SqliteStore::open_in_memory("k").unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-01T08:00:00+01:00").unwrap();
    store
        .add_checkin(&sample("c", "2026-03-01T08:00:00+01:00"))
        .unwrap();
    store
        .add_journal(&JournalEntry::new("j".into(), at, "a page").unwrap())
        .unwrap();
    let before = Micro {
        feeling: None,
        intensity: None,
        clarity: 2,
        body_noticed: false,
    };
    let bridge = Bridge {
        id: "b".into(),
        kind: BridgeKind::Music,
        label: "songs".into(),
        started: at,
        before,
        ended: None,
        after: None,
    };
    store.add_bridge(&bridge).unwrap();
    let answers = vec![0; 9];
    let response = Response {
        id: "r".into(),
        instrument: Instrument::Phq9,
        at,
        answers,
    };
    store.add_assessment(&response).unwrap();
    let plan = SafetyPlan {
        warning_signs: "not sleeping".into(),
        ..SafetyPlan::default()
    };
    store.save_safety_plan(&plan).unwrap();
    let v = feltsense_core::Vocabulary::embedded();
    let words = ["happy", "calm", "proud", "sad", "anxious", "angry"];
    let items = feltsense_core::items::FixedItems::choose(words, &v).unwrap();
    store.save_fixed_items(&items).unwrap();
    store
}

#[test]
fn every_table_a_person_writes_to_is_exported() {
    let store = filled();
    let export = serde_json::to_value(crate::export(&store).unwrap()).unwrap();
    for table in tables(&store) {
        if INTERNAL.contains(&table.as_str()) {
            continue;
        }
        let Some((_, field)) = EXPORTED.iter().find(|(t, _)| *t == table) else {
            panic!("table {table} is neither exported nor listed as internal");
        };
        let rows: i64 = store
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert!(rows > 0, "{table}: the filled store should use it");
        let carried = &export[field];
        let empty = carried.is_null() || carried.as_array().is_some_and(Vec::is_empty);
        assert!(!empty, "{table} has rows but the export's {field} is empty");
    }
}
