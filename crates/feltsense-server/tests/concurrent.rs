//! Several handles of one person (as on several server instances) writing
//! at once: every write lands, and `version` counts each one.

mod common;

use common::{fresh_person, open};
use feltsense_store::conformance::sample;
use feltsense_store::Store;

#[test]
fn writers_of_one_person_take_turns_and_every_write_counts() {
    let (tenant, person) = fresh_person();
    let start = open(tenant, person).version().unwrap();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            std::thread::spawn(move || {
                let mut store = open(tenant, person);
                for i in 0..10 {
                    let at = format!("2026-03-{:02}T08:{:02}:00+00:00", w + 1, i);
                    store
                        .add_checkin(&sample(&format!("w{w}-{i}"), &at))
                        .unwrap();
                    // An import in between: it plans and writes in one turn.
                    let again = sample(&format!("w{w}-{i}"), &at);
                    let summary = store.import(&[again], &[], &[]).unwrap();
                    assert_eq!(summary.unchanged, 1);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let store = open(tenant, person);
    assert_eq!(store.checkins(None).unwrap().len(), 40);
    assert_eq!(store.version().unwrap(), start + 80);
}

/// The ids of every check-in a handle reads, newest first.
fn ids(store: &impl Store) -> Vec<String> {
    store
        .checkins(None)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

#[test]
fn a_handle_that_keeps_its_check_ins_never_misses_another_handles_write() {
    let (tenant, person) = fresh_person();
    let (mut one, mut two) = (open(tenant, person), open(tenant, person));
    one.add_checkin(&sample("a", "2026-03-01T08:00:00+00:00"))
        .unwrap();
    assert_eq!(ids(&two), ["a"], "two keeps what it read");
    // Its own write right after what it keeps is applied without a read.
    two.add_checkin(&sample("b", "2026-03-02T08:00:00+00:00"))
        .unwrap();
    assert_eq!(ids(&two), ["b", "a"]);
    assert_eq!(ids(&one), ["b", "a"], "one sees two's write");
    // Another handle's write, then its own: what it kept is not applied to.
    one.add_checkin(&sample("c", "2026-03-03T08:00:00+00:00"))
        .unwrap();
    two.forget_checkin("a").unwrap();
    assert_eq!(ids(&two), ["c", "b"], "two read again, with one's write");
    let mut moved = sample("b", "2026-03-04T08:00:00+00:00");
    moved.note = Some("moved later".into());
    one.replace_checkin(&moved).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-05T08:00:00+00:00").unwrap();
    let entry = feltsense_core::JournalEntry::new("j".into(), at, "a line").unwrap();
    two.add_journal(&entry).unwrap();
    let seen = two.checkins(None).unwrap();
    assert_eq!(seen[0], moved, "one's replacement, though two wrote since");
    assert_eq!(*two.every_checkin().unwrap(), seen);
    // A failed write (another check-in under an id already taken; the
    // same one sent again would be a phone's retry, stored once) leaves
    // what is kept true.
    assert!(two
        .add_checkin(&sample("c", "2026-03-06T08:00:00+00:00"))
        .is_err());
    assert_eq!(ids(&two), ["b", "c"]);
    assert_eq!(ids(&one), ["b", "c"]);
}
