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
