//! Assessments from the command line: scores and bands, PHQ-9 item 9 and
//! the safety panel, history, and the FHIR export.

use crate::util::Env;

#[test]
fn scores_come_with_their_band_and_the_screening_note() {
    let env = Env::new();
    let out = env.ok(&["assess", "phq9", "--answers", "1,2,1,2,1,1,1,1,0"]);
    assert!(out.contains("PHQ-9: 10 of 27 (moderate)"), "{out}");
    assert!(out.contains("Screening, not diagnosis"), "{out}");
    assert!(
        !out.contains("findahelpline"),
        "no panel when item 9 is 'not at all'"
    );
    let pcl: serde_json::Value = serde_json::from_str(&env.ok(&[
        "assess",
        "pcl5",
        "--json",
        "--answers",
        "2,0,0,0,0,2,0,0,0,0,0,2,3,4,2,2,0,0,0,0",
    ]))
    .unwrap();
    assert_eq!(pcl["score"]["numbing"], 9);
    assert_eq!(pcl["score"]["provisional"], true);
    let who = env.ok(&["assess", "who5", "--answers", "3,3,3,2,2"]);
    assert!(who.contains("WHO-5: 52 of 100"), "{who}");
    let history = env.ok(&["assess", "--history"]);
    assert_eq!(
        history.lines().filter(|l| l.starts_with("20")).count(),
        3,
        "{history}"
    );
}

#[test]
fn phq9_item_nine_shows_the_panel_before_any_score() {
    let env = Env::new();
    let out = env.run_with(
        &["assess", "phq9", "--answers", "0,0,0,0,0,0,0,0,1"],
        "",
        |c| {
            c.env("FELTSENSE_LOCALE", "US");
        },
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let panel = out.stdout.find("988").expect("the US crisis line");
    let score = out.stdout.find("PHQ-9: 1 of 27").expect("the score");
    assert!(panel < score, "{}", out.stdout);
}

#[test]
fn bad_answers_are_explained_and_nothing_is_saved() {
    let env = Env::new();
    let err = env.fails(&["assess", "gad7", "--answers", "0,1,2"], 2);
    assert!(
        err.contains("--answers") && err.contains("7 items"),
        "{err}"
    );
    let err = env.fails(&["assess", "gad7", "--answers", "0,0,0,4,0,0,0"], 2);
    assert!(err.contains("answer 4 is 4"), "{err}");
    let err = env.fails(&["assess", "beck"], 2);
    assert!(err.contains("phq9"), "{err}");
    assert!(env.ok(&["assess", "--history"]).contains("No results yet"));
}

#[test]
fn responses_export_as_fhir_questionnaire_responses() {
    let env = Env::new();
    env.ok(&["assess", "gad7", "--answers", "1,1,1,1,1,1,1"]);
    let file = env.dir.path().join("fhir.json");
    env.ok(&["assess", "--fhir", file.to_str().unwrap()]);
    let bundle: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    let r = &bundle["entry"][0]["resource"];
    assert_eq!(r["resourceType"], "QuestionnaireResponse");
    assert_eq!(r["status"], "completed");
    let items = r["item"].as_array().unwrap();
    assert_eq!(items.len(), 8, "seven items and the total");
    assert!(items
        .iter()
        .all(|i| i["linkId"].as_str().is_some_and(|l| !l.is_empty())));
    assert_eq!(items[7]["answer"][0]["valueInteger"], 7);
}
