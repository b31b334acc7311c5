//! `feltsense insights` over check-ins imported with times relative to now.

use crate::util::Env;
use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{json, Value};

/// A store holding `records` (id, hours ago, record fields).
fn store_with(records: Vec<Value>) -> Env {
    let env = Env::new();
    let file = env.dir.path().join("import.json");
    let export = json!({ "format": "feltsense", "version": 1, "checkins": records });
    std::fs::write(&file, export.to_string()).unwrap();
    env.ok(&["import", file.to_str().unwrap()]);
    env
}

fn record(i: usize, hours_ago: i64, nothing: bool, feelings: Value, clarity: u8) -> Value {
    let at = (Utc::now() - Duration::hours(hours_ago)).to_rfc3339_opts(SecondsFormat::Secs, true);
    json!({
        "id": format!("rec-{i:04}"), "at": at, "nothing": nothing, "feelings": feelings,
        "pleasantness": 0, "energy": -2, "clarity": clarity, "body": [], "body_overall": null,
        "showed": null, "context": {}, "note": null
    })
}

fn insights(env: &Env, extra: &[&str]) -> Value {
    let mut args = vec!["insights", "--json"];
    args.extend(extra);
    serde_json::from_str(&env.ok(&args)).unwrap()
}

#[test]
fn a_muted_month_reads_as_muted_with_its_reasons() {
    // 20 check-ins in the last 10 days: half "nothing", half numb 6 + calm 2.
    let records = (0..20)
        .map(|i| {
            if i % 2 == 0 {
                record(i, 12 * i as i64 + 1, true, json!([]), 2)
            } else {
                record(
                    i,
                    12 * i as i64 + 1,
                    false,
                    json!([{"word": "numb", "intensity": 6}, {"word": "calm", "intensity": 2}]),
                    3,
                )
            }
        })
        .collect();
    let env = store_with(records);
    let r = insights(&env, &[]);
    let now = &r["current"];
    assert_eq!(now["checkins"], 20);
    assert_eq!(now["numb_rate"]["value"], 0.5);
    assert_eq!(now["pa"]["value"], 1.0); // calm 2 at half the check-ins
    assert_eq!(now["na"]["value"], 0.0);
    assert_eq!(now["clarity"]["value"], 2.5);
    assert_eq!(now["pleasantness_sd"]["value"], Value::Null, "needs 40");
    assert_eq!(now["pleasantness_sd"]["needs"], 40);
    assert_eq!(r["previous"]["checkins"], 0);
    assert_eq!(r["profile"]["pattern"], "muted-across-the-board");
    assert_eq!(r["trend"]["direction"], "not-enough-data");

    let text = env.ok(&["insights"]);
    assert!(text.contains("Muted across the board"), "{text}");
    assert!(text.contains("not enough data yet (20 of 40)"), "{text}");
    assert!(text.contains("not a diagnosis"), "{text}");
}

#[test]
fn the_window_moves_check_ins_between_now_and_before() {
    let records = (0..30)
        .map(|i| {
            record(
                i,
                24 * i as i64 + 1,
                false,
                json!([{"word": "sad", "intensity": 7}]),
                5,
            )
        })
        .collect();
    let env = store_with(records);
    let r = insights(&env, &["--window", "10d"]);
    assert_eq!(r["current"]["checkins"], 10);
    assert_eq!(r["previous"]["checkins"], 10);
    assert_eq!(
        r["current"]["intensity"]["value"],
        Value::Null,
        "10 is below 14"
    );
    let r = insights(&env, &["--window", "2w"]);
    assert_eq!(r["current"]["checkins"], 14);
    assert_eq!(r["current"]["intensity"]["value"], 7.0);
    assert_eq!(r["profile"]["pattern"], "low-mood");
}

#[test]
fn an_empty_store_is_not_enough_data_and_bad_windows_are_refused() {
    let env = Env::new();
    let text = env.ok(&["insights"]);
    assert!(text.contains("Not enough data yet"), "{text}");
    let err = env.fails(&["insights", "--window", "forever"], 2);
    assert!(err.contains("--window"), "{err}");
    let err = env.fails(&["insights", "--window", "3h"], 2);
    assert!(err.contains("at least a day"), "{err}");
}

/// Issue 11: one check-in is "1 check-in", in the summary and the weeks.
#[test]
fn one_check_in_is_counted_in_the_singular() {
    let env = store_with(vec![record(1, 2, true, json!([]), 3)]);
    let text = env.ok(&["insights"]);
    assert!(text.contains("(1 check-in), beside"), "{text}");
    assert!(text.contains("before (0 check-ins)"), "{text}");
    assert!(!text.contains("1 check-ins"), "{text}");
    assert!(text.contains(" 1 check-in  intensity"), "{text}");
}
