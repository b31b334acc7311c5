//! Issue 10, item 8: no flag a person can type makes feltsense panic. Every
//! duration and count is checked up front, with the flag and its range in
//! the message and exit code 2; clap's own range errors speak our voice.

use crate::util::Env;

/// Fails with exit 2 (never 101), naming the flag and each of `words`.
fn refused(env: &Env, args: &[&str], flag: &str, words: &[&str]) {
    let err = env.fails(args, 2);
    assert!(err.starts_with("feltsense: "), "{args:?}: {err}");
    assert!(err.contains(flag), "{args:?} should name {flag}: {err}");
    for w in words {
        assert!(err.contains(w), "{args:?} should say {w}: {err}");
    }
}

#[test]
fn huge_spans_are_refused_with_the_longest_allowed() {
    let env = Env::new();
    refused(
        &env,
        &["log", "--since", "99999999d"],
        "--since",
        &["0 to 54750d"],
    );
    refused(
        &env,
        &["log", "--since", "9223372036854775807m"],
        "--since",
        &["54750d"],
    );
    refused(
        &env,
        &["insights", "--window", "99999999d"],
        "--window",
        &["54750d"],
    );
    refused(
        &env,
        &["insights", "--window", "99999999999999w"],
        "--window",
        &["54750d"],
    );
    assert_eq!(env.run(&["log", "--since", "54750d"]).code, 0);
}

#[test]
fn reminder_counts_are_checked_before_anything_is_drawn() {
    let env = Env::empty();
    for days in ["96000000", "367", "0"] {
        let args = ["remind", "schedule", "--days", days];
        refused(&env, &args, "--days", &["choose 1 to 366"]);
    }
    let ics = ["remind", "ics", "--days", "4294967295", "--out", "x.ics"];
    refused(&env, &ics, "--days", &["1 to 366"]);
    let notify = ["remind", "notify", "--within", "9223372036854775807"];
    refused(&env, &notify, "--within", &["1 to 1440"]);
    let big = ["remind", "schedule", "--per-day", "99999999999"];
    refused(&env, &big, "--per-day", &["choose 1 to 24"]);
    refused(
        &env,
        &["remind", "schedule", "--min-gap", "5000"],
        "--min-gap",
        &["0 to 1440"],
    );
}

#[test]
fn practice_steps_and_report_days_have_ranges() {
    let env = Env::empty();
    let long = [
        "practice",
        "grounding",
        "--no-checkin",
        "--step-seconds",
        "4294967295",
    ];
    refused(&env, &long, "--step-seconds", &["1 to 3600"]);
    let future = ["report", "--to", "2999-01-01", "--out", "r.html"];
    refused(&env, &future, "--to", &["1900-01-01 to tomorrow"]);
    let past = ["report", "--from", "1066-10-14", "--out", "r.html"];
    refused(&env, &past, "--from", &["1900"]);
}

#[test]
fn clap_range_errors_are_said_in_the_app_voice() {
    let env = Env::empty();
    let err = env.fails(&["checkin", "--pleasant", "7"], 2);
    assert_eq!(
        err.trim(),
        "feltsense: --pleasant: 7 is outside what it takes; choose -5 to 5"
    );
    let err = env.fails(&["checkin", "--clarity", "lots"], 2);
    assert!(
        err.contains("--clarity: 'lots' is not a whole number"),
        "{err}"
    );
    assert!(!err.contains("For more information"), "{err}");
}
