//! `--at` for journal entries, bridge logs and questionnaires: the same
//! parsing and range checks as `checkin --at`, checked before the store is
//! opened, and the time given is the time stored.

use crate::util::Env;

fn exported(env: &Env) -> serde_json::Value {
    serde_json::from_str(&env.ok(&["export", "--format", "json"])).unwrap()
}

#[test]
fn journal_bridge_and_questionnaire_keep_the_time_given() {
    let env = Env::new();
    env.ok(&[
        "journal",
        "--text",
        "a quiet evening",
        "--at",
        "2026-11-24T21:30:00+01:00",
    ]);
    let bridge = ["bridge", "log", "music", "piano", "--before", "sad:4,3,no"];
    env.ok(&[
        &bridge[..],
        &["--after", "calm:5,6,yes", "--at", "2026-11-23T18:00"],
    ]
    .concat());
    env.ok(&[
        "assess",
        "who5",
        "--answers",
        "3,3,2,1,4",
        "--at",
        "2026-11-22 08:15",
    ]);
    let all = exported(&env);
    assert_eq!(all["journal"][0]["at"], "2026-11-24T21:30:00+01:00");
    // Local times are read in the test's TZ (UTC), as `checkin --at` reads them.
    assert_eq!(all["bridges"][0]["started"], "2026-11-23T18:00:00Z");
    assert_eq!(all["bridges"][0]["ended"], "2026-11-23T18:00:00Z");
    assert_eq!(all["assessments"][0]["at"], "2026-11-22T08:15:00Z");
    let listed = env.ok(&["journal", "list"]);
    assert!(listed.contains("Tue 24 Nov 2026 21:30"), "{listed}");
}

#[test]
fn a_time_that_is_not_one_or_out_of_range_names_the_flag_and_stores_nothing() {
    let env = Env::empty();
    let cases: [&[&str]; 3] = [
        &["journal", "--text", "a page", "--at"],
        &[
            "bridge",
            "log",
            "art",
            "drawing",
            "--before",
            "nothing,1,no",
            "--after",
            "nothing,2,no",
            "--at",
        ],
        &["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,0", "--at"],
    ];
    for args in cases {
        let typo = env.fails(&[args, &["yesterday"]].concat(), 2);
        assert!(
            typo.contains("--at: 'yesterday' is not a time; use 2026-11-25T08:30 or RFC 3339"),
            "{args:?}: {typo}"
        );
        let far = env.fails(&[args, &["+12026-01-01T10:00"]].concat(), 2);
        assert!(
            far.contains("--at") && far.contains("1900-01-01"),
            "{args:?}: {far}"
        );
        let old = env.fails(&[args, &["1899-12-31T10:00"]].concat(), 2);
        assert!(old.contains("--at: 1899-12-31T10:00:00"), "{args:?}: {old}");
    }
    assert!(!env.db().exists(), "refused before the store was created");
}
