//! Reading check-ins back whatever order their rows lie in on disk: each
//! table is read in its own order and merged (see `read.rs`), so rows
//! written in another order must still reach their own check-in, in
//! position order, and the list must still be newest first.

use super::KEY;
use crate::conformance::{nothing, sample};
use crate::{SqliteStore, Store};
use chrono::{DateTime, Utc};
use feltsense_core::CheckIn;

/// Four check-ins written oldest last, two at the same instant, one with
/// no feelings or body between the others.
fn written() -> Vec<CheckIn> {
    let mut b = sample("b", "2026-01-02T10:00:00+00:00");
    b.feelings.reverse();
    vec![
        sample("d", "2026-01-03T10:00:00+01:00"),
        nothing("n", "2026-01-02T12:00:00+00:00"),
        b,
        sample("a", "2026-01-02T10:00:00+00:00"),
    ]
}

fn newest_first(mut list: Vec<CheckIn>) -> Vec<CheckIn> {
    list.sort_by(|x, y| (y.at, &y.id).cmp(&(x.at, &x.id)));
    list
}

/// Rewrites every side table in the reverse of its table order, positions
/// last to first.
const SHUFFLE: &str = "
    CREATE TEMP TABLE f AS SELECT * FROM checkin_feelings;
    DELETE FROM checkin_feelings;
    INSERT INTO checkin_feelings SELECT * FROM f ORDER BY rowid DESC;
    CREATE TEMP TABLE b AS SELECT * FROM checkin_body;
    DELETE FROM checkin_body;
    INSERT INTO checkin_body SELECT * FROM b ORDER BY rowid DESC;
    CREATE TEMP TABLE i AS SELECT * FROM checkin_items;
    DELETE FROM checkin_items;
    INSERT INTO checkin_items SELECT * FROM i ORDER BY rowid DESC;";

#[test]
fn rows_out_of_table_order_still_reach_their_own_check_in() {
    let mut store = SqliteStore::open_in_memory(KEY).unwrap();
    for c in written() {
        store.add_checkin(&c).unwrap();
    }
    let expected = newest_first(written());
    assert_eq!(store.checkins(None).unwrap(), expected);
    store.conn.execute_batch(SHUFFLE).unwrap();
    assert_eq!(store.checkins(None).unwrap(), expected);
    let since: DateTime<Utc> = "2026-01-02T11:00:00Z".parse().unwrap();
    assert_eq!(store.checkins(Some(since)).unwrap(), expected[..2]);
    assert_eq!(store.checkin("b").unwrap(), expected[2]);
    assert!(store.skipped().is_empty());
}

#[test]
fn a_replaced_check_in_keeps_its_rows_and_its_place() {
    let mut store = SqliteStore::open_in_memory(KEY).unwrap();
    for c in written() {
        store.add_checkin(&c).unwrap();
    }
    let mut changed = written()[0].clone();
    changed.feelings.truncate(1);
    changed.id = "d".into();
    store.replace_checkin(&changed).unwrap();
    let mut expected = written();
    expected[0] = changed;
    assert_eq!(store.checkins(None).unwrap(), newest_first(expected));
}
