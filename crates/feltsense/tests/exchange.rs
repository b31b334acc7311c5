//! The JSON export: every earlier version still imports, and everything a
//! person entered (questionnaires and the safety plan included) makes the
//! round trip export → import → export byte for byte.

use crate::util::Env;

/// An export made by the feltsense of 2026-12-01 (format version 1) from a
/// store with check-ins, journal entries, bridges, a PHQ-9 and a plan.
const VERSION_1: &str = include_str!("data/export-v1.json");
/// An export made by the feltsense of 2026-12-01 at 12:49 UTC (format
/// version 2), with a Daylio import (mood-only rows) among its check-ins.
const VERSION_2: &str = include_str!("data/export-v2.json");

fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn an_export_from_version_1_imports_exactly() {
    let env = Env::new();
    let file = write(&env, "v1.json", VERSION_1);
    let out = env.ok(&["import", &file]);
    assert!(out.contains("Imported 4 check-ins."), "{out}");
    let mut expected = json(VERSION_1);
    expected["version"] = 3.into();
    expected["assessments"] = serde_json::json!([]);
    expected["safety_plan"] = serde_json::Value::Null;
    assert_eq!(json(&env.ok(&["export", "--format", "json"])), expected);
}

#[test]
fn an_export_from_version_2_imports_exactly() {
    let env = Env::new();
    let file = write(&env, "v2.json", VERSION_2);
    let out = env.ok(&["import", &file]);
    assert!(out.contains("Imported 4 check-ins."), "{out}");
    let mut expected = json(VERSION_2);
    expected["version"] = 3.into();
    assert_eq!(json(&env.ok(&["export", "--format", "json"])), expected);
}

#[test]
fn unknown_intensities_and_mood_labels_round_trip() {
    let env = filled();
    let daylio = "full_date,date,weekday,time,mood,activities,note\n2026-11-22,November 22,Sunday,18:00,awful,,\n";
    let csv = write(&env, "daylio.csv", daylio);
    env.ok(&["import", "--from", "daylio", &csv]);
    let first = env.ok(&["export", "--format", "json"]);
    let exported = json(&first);
    let checkins = exported["checkins"].as_array().unwrap();
    let tired = checkins
        .iter()
        .flat_map(|c| c["feelings"].as_array().unwrap())
        .find(|f| f["word"] == "tired")
        .unwrap();
    assert_eq!(tired["intensity"], serde_json::Value::Null, "{tired}");
    let awful = checkins.iter().find(|c| c["mood"] == "awful").unwrap();
    assert_eq!(awful["origin"], "daylio");
    assert_eq!(awful["pleasantness"], -4);
    let fresh = Env::new();
    let file = write(&fresh, "all.json", &first);
    fresh.ok(&["import", &file]);
    assert_eq!(fresh.ok(&["export", "--format", "json"]), first);
}

/// A store with one of everything a person can enter.
fn filled() -> Env {
    let env = Env::new();
    env.ok(&[
        "checkin",
        "--feel",
        "sad:6",
        "--feel",
        "tired",
        "--pleasant",
        "-2",
        "--body",
        "chest:tight:5",
        "--note",
        "grey",
        "--at",
        "2026-11-20T08:30:00+01:00",
    ]);
    env.ok(&["checkin", "--nothing", "--at", "2026-11-21T21:05"]);
    env.ok(&["journal", "--text", "on autopilot all day"]);
    env.ok(&[
        "bridge",
        "log",
        "music",
        "piano",
        "--before",
        "sad:4,3,no",
        "--after",
        "calm:5,6,yes",
    ]);
    env.ok(&["assess", "phq9", "--answers", "0,1,2,0,0,1,0,0,0"]);
    env.ok(&["assess", "who5", "--answers", "3,3,2,1,4"]);
    env.ok(&[
        "safety-plan",
        "--set",
        "warning_signs=not sleeping",
        "--set",
        "people_to_ask=Sam",
    ]);
    env
}

#[test]
fn questionnaires_and_the_safety_plan_round_trip_byte_for_byte() {
    let first = filled().ok(&["export", "--format", "json"]);
    let exported = json(&first);
    assert_eq!(exported["version"], 3);
    assert_eq!(exported["assessments"].as_array().unwrap().len(), 2);
    assert_eq!(exported["safety_plan"]["people_to_ask"], "Sam");
    let fresh = Env::new();
    let file = write(&fresh, "all.json", &first);
    let out = fresh.ok(&["import", &file]);
    assert!(out.contains("Imported 2 questionnaire responses."), "{out}");
    assert!(out.contains("Imported the safety plan."), "{out}");
    assert_eq!(fresh.ok(&["export", "--format", "json"]), first);
    let again = fresh.ok(&["import", &file]);
    assert!(
        again.contains("The safety plan is already here, unchanged."),
        "{again}"
    );
}

#[test]
fn a_bad_questionnaire_response_refuses_the_whole_file() {
    let env = Env::new();
    let mut file = json(&filled().ok(&["export", "--format", "json"]));
    file["assessments"][1]["answers"] = serde_json::json!([3, 3, 2, 1]);
    let path = write(&env, "bad.json", &file.to_string());
    let err = env.fails(&["import", &path], 2);
    assert!(
        err.contains("questionnaire response 2 (id ")
            && err.contains("WHO-5 has 5 items; 4 answers were given. Nothing was imported."),
        "{err}"
    );
    assert!(env.records().is_empty(), "no check-in was imported either");
    let plan = env.ok(&["safety-plan", "--show"]);
    assert!(!plan.contains("Sam"), "{plan}");
}

#[test]
fn a_different_safety_plan_is_swapped_only_with_replace() {
    let env = filled();
    let mut file = json(&env.ok(&["export", "--format", "json"]));
    file["safety_plan"]["coping_alone"] = "a walk".into();
    let path = write(&env, "changed.json", &file.to_string());
    let err = env.fails(&["import", &path], 2);
    assert!(err.contains("add --replace"), "{err}");
    let out = env.ok(&["import", "--replace", &path]);
    assert!(out.contains("in place of the one stored before"), "{out}");
    assert!(env.ok(&["safety-plan", "--show"]).contains("a walk"));
}

/// Check-ins that use every field `log --json` carries, written oldest
/// first, two at the same instant (newest first, the larger id first).
const EVERY_FIELD: &str = r#"{"format": "feltsense", "version": 3, "checkins": [
  {"id": "c1", "at": "2026-11-20T08:30:00+01:00", "nothing": false,
   "feelings": [{"word": "sad", "intensity": 6}, {"word": "tired", "intensity": null}, {"word": "calm", "intensity": 1}],
   "pleasantness": -2, "energy": -3, "clarity": 4,
   "body": [{"region": "chest", "activation": "more", "sensation": "tight", "intensity": 5},
            {"region": "hands", "activation": "cant-feel"}],
   "body_overall": -1, "showed": "calm",
   "context": {"doing": "work", "with": "colleagues", "where": "office"},
   "note": "grey, “quoted” \\ and 🌧\nsecond line",
   "items": [{"word": "lonely", "rating": 0}, {"word": "calm", "rating": 7}]},
  {"id": "c2", "at": "2026-11-21T21:05:00Z", "nothing": true, "feelings": [],
   "pleasantness": null, "energy": null, "clarity": null, "body": [],
   "body_overall": null, "showed": null, "context": {}, "note": null},
  {"id": "c4", "at": "2026-11-22T18:00:00Z", "nothing": false, "feelings": [],
   "pleasantness": -4, "energy": null, "clarity": null, "body": [],
   "body_overall": null, "showed": null, "context": {}, "note": null,
   "mood": "awful", "origin": "daylio"},
  {"id": "c3", "at": "2026-11-22T19:00:00+01:00", "nothing": false,
   "feelings": [{"word": "numb", "intensity": null}],
   "pleasantness": null, "energy": null, "clarity": null, "body": [],
   "body_overall": null, "showed": null, "context": {}, "note": null,
   "mood": "meh", "origin": "esm", "items": [{"word": "sad", "rating": 10}]}
]}"#;

#[test]
fn log_json_gives_back_every_field_as_stored_in_the_pretty_form() {
    let env = Env::new();
    let file = write(&env, "every-field.json", EVERY_FIELD);
    let out = env.ok(&["import", &file]);
    assert!(out.contains("Imported 4 check-ins."), "{out}");
    let mut expected = json(EVERY_FIELD)["checkins"].as_array().unwrap().clone();
    expected.reverse();
    expected.swap(0, 1);
    let printed = env.ok(&["log", "--json"]);
    let logged = json(&printed);
    assert_eq!(logged, serde_json::Value::Array(expected));
    // serde_json's pretty form of the stored records, byte for byte:
    // scripts grep it line by line (reliability/*.sh).
    let typed: Vec<feltsense_core::CheckIn> = serde_json::from_str(&printed).unwrap();
    let pretty = serde_json::to_string_pretty(&typed).unwrap();
    assert_eq!(printed, pretty + "\n");
}
