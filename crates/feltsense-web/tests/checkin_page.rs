//! The check-in page of issue 12, in-process: three taps (an area, a word,
//! Save), the words of the tapped area, a search, the body map's regions
//! closed until used, and a word saved without an intensity.

mod common;

use axum::http::StatusCode;
use common::*;

/// The check-in's JSON as exported, newest first.
async fn only(app: &App) -> serde_json::Value {
    let records = app.records().await;
    assert_eq!(records.len(), 1, "{records:?}");
    records[0].clone()
}

#[tokio::test]
async fn the_first_screen_offers_four_named_areas_the_centre_and_nothing() {
    let app = App::new();
    let page = unescape(&app.get("/checkin").await.body);
    for name in [
        "Pleasant, lots of energy",
        "Pleasant, calm",
        "Unpleasant, calm / low",
        "Unpleasant, lots of energy",
        "In the middle",
        "I can't feel much right now",
        "Save check-in",
    ] {
        assert!(page.contains(name), "{name}");
    }
    assert!(
        !page.contains("name=\"feel\""),
        "no words before an area is chosen"
    );
    assert!(
        !page.contains("value=\"5\" aria"),
        "nothing is prefilled with 5"
    );
    assert!(
        !page.contains("name=\"affect\" value=\"0,0\""),
        "the finer grid waits for an area"
    );
    assert_eq!(
        page.matches("<details class=\"region\">").count(),
        13,
        "all closed"
    );
}

#[tokio::test]
async fn tapping_an_area_shows_its_words_keeps_what_was_typed_and_saves_nothing() {
    let app = App::new();
    let form = [
        ("csrf", CSRF),
        ("note", "kept"),
        ("area", "pleasant-calm"),
        ("clarity", "4"),
    ];
    let reply = app.post("/checkin", &form).await;
    assert_eq!(reply.status, StatusCode::OK);
    let page = unescape(&reply.body);
    assert!(page.contains("id=\"w-calm\"") && page.contains("id=\"w-content\""));
    assert!(
        !page.contains("id=\"w-anxious\""),
        "words of other areas are not shown"
    );
    assert!(page.contains(">kept</textarea>"));
    assert!(page.contains("name=\"area_kept\" value=\"pleasant-calm\""));
    assert!(page.contains("aria-pressed=\"true\"><span class=\"area-name\">Pleasant, calm"));
    assert!(
        app.records().await.is_empty(),
        "an area's tap saves nothing"
    );
}

#[tokio::test]
async fn a_search_finds_any_word_and_keeps_the_chosen_ones() {
    let app = App::new();
    let form = [
        ("csrf", CSRF),
        ("area_kept", "pleasant-calm"),
        ("feel", "calm"),
        ("q", "anxi"),
        ("act", "find"),
    ];
    let page = unescape(&app.post("/checkin", &form).await.body);
    assert!(page.contains("id=\"w-anxious\""));
    assert!(page.contains("id=\"w-calm\" name=\"feel\" value=\"calm\" checked"));
    assert!(app.records().await.is_empty());
}

#[tokio::test]
async fn an_area_alone_is_saved_as_its_middle_and_a_finer_point_wins() {
    let app = App::new();
    let form = [
        ("csrf", CSRF),
        ("area_kept", "unpleasant-low"),
        ("act", "save"),
    ];
    let saved = app.post("/checkin", &form).await;
    assert_eq!(location(&saved), "/recent?thanks=saved");
    let c = only(&app).await;
    assert_eq!(
        (c["pleasantness"].as_i64(), c["energy"].as_i64()),
        (Some(-3), Some(-3))
    );
    let app = App::new();
    let form = [("csrf", CSRF), ("area_kept", "centre"), ("affect", "1,-1")];
    assert_eq!(
        app.post("/checkin", &form).await.status,
        StatusCode::SEE_OTHER
    );
    let c = only(&app).await;
    assert_eq!(
        (c["pleasantness"].as_i64(), c["energy"].as_i64()),
        (Some(1), Some(-1))
    );
}

#[tokio::test]
async fn a_new_area_lets_go_of_a_finer_point_outside_it() {
    let app = App::new();
    let form = [
        ("csrf", CSRF),
        ("affect", "4,4"),
        ("area", "unpleasant-low"),
    ];
    let page = app.post("/checkin", &form).await.body;
    assert_eq!(
        page.matches("name=\"affect\" value=\"").count(),
        36 + 1,
        "the area's 6 × 6 and not now"
    );
    assert!(!page.contains("value=\"4,4\" aria-label=\"pleasantness +4, energy +4\" checked"));
}

#[tokio::test]
async fn recent_pages_beyond_thirty_with_a_colour_chip_on_each() {
    let app = App::new();
    for _ in 0..31 {
        let form = [
            ("csrf", CSRF),
            ("area_kept", "pleasant-high"),
            ("act", "save"),
        ];
        assert_eq!(
            app.post("/checkin", &form).await.status,
            StatusCode::SEE_OTHER
        );
    }
    let first = app.get("/recent").await.body;
    assert_eq!(first.matches("class=\"card\"").count(), 30);
    assert_eq!(
        first.matches("class=\"colour-chip tone-pos3").count(),
        30,
        "pleasant +3"
    );
    assert!(first.contains("Page 1 of 2") && first.contains("href=\"/recent?page=2\""));
    let second = app.get("/recent?page=2").await.body;
    assert_eq!(second.matches("class=\"card\"").count(), 1);
    assert!(second.contains("href=\"/recent?page=1\" rel=\"prev\""));
    let past = app.get("/recent?page=9").await;
    assert_eq!(past.status, StatusCode::OK);
    assert!(past.body.contains("past the last"));
    let bad = app.get("/recent?page=zero").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(unescape(&bad.body)
        .contains("The page number must be a whole number from 1; it was 'zero'"));
}

#[tokio::test]
async fn a_check_ins_time_is_corrected_on_its_edit_page_within_the_accepted_range() {
    let app = App::new();
    let form = [("csrf", CSRF), ("nothing", "on")];
    app.post("/checkin", &form).await;
    let id = only(&app).await["id"].as_str().unwrap().to_string();
    let edit = app.get(&format!("/checkin/{id}/edit")).await.body;
    assert!(edit.contains(&format!("action=\"/retime/checkin/{id}\"")));
    let path = format!("/retime/checkin/{id}");
    let refused = app
        .post(&path, &[("csrf", CSRF), ("at", "1899-12-31T10:00")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = unescape(&refused.body);
    assert!(body.contains("“When it was”:") && body.contains("Nothing was changed."));
    assert!(
        body.contains("value=\"1899-12-31T10:00\""),
        "what was typed is kept"
    );
    let moved = app
        .post(
            &path,
            &[("csrf", CSRF), ("at", "2026-11-19T07:45:00+00:00")],
        )
        .await;
    assert_eq!(location(&moved), "/recent?thanks=edited");
    let c = only(&app).await;
    assert_eq!(c["at"], "2026-11-19T07:45:00Z");
    assert_eq!(c["nothing"], true, "only the time changed");
}

#[tokio::test]
async fn a_word_saved_without_an_intensity_has_an_unknown_intensity() {
    let app = App::new();
    let form = [
        ("csrf", CSRF),
        ("area_kept", "pleasant-calm"),
        ("feel", "content"),
        ("int_content", ""),
        ("feel", "calm"),
        ("int_calm", "6"),
        ("act", "save"),
    ];
    let saved = app.post("/checkin", &form).await;
    assert_eq!(location(&saved), "/recent?thanks=saved", "{}", saved.body);
    let c = only(&app).await;
    let intensity = |word: &str| {
        let f = c["feelings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["word"] == word);
        f.unwrap()
            .get("intensity")
            .cloned()
            .unwrap_or(serde_json::Value::Null)
    };
    assert_eq!(
        intensity("content"),
        serde_json::Value::Null,
        "never a silent 5"
    );
    assert_eq!(intensity("calm"), 6);
    let edit = app
        .get(&format!("/checkin/{}/edit", c["id"].as_str().unwrap()))
        .await;
    assert!(edit
        .body
        .contains("name=\"int_content\" min=\"1\" max=\"10\" value=\"\""));
    assert!(edit
        .body
        .contains("name=\"int_calm\" min=\"1\" max=\"10\" value=\"6\""));
}

#[tokio::test]
async fn the_centre_is_a_choice_of_its_own_that_reads_as_neutral() {
    let app = App::new();
    let form = [("csrf", CSRF), ("area", "centre")];
    let page = app.post("/checkin", &form).await.body;
    assert!(page.contains(
        "class=\"cell qn\"><input type=\"radio\" name=\"affect\" value=\"0,0\" aria-label=\"the centre"
    ));
    assert_eq!(
        page.matches("name=\"affect\" value=\"").count(),
        26,
        "5 × 5 and not now"
    );
    assert!(!page.contains("qph\"><input type=\"radio\" name=\"affect\" value=\"0,0"));
    let form = [("csrf", CSRF), ("area_kept", "centre"), ("act", "save")];
    app.post("/checkin", &form).await;
    let c = only(&app).await;
    assert_eq!(
        (c["pleasantness"].as_i64(), c["energy"].as_i64()),
        (Some(0), Some(0))
    );
}

#[tokio::test]
async fn fixed_items_are_one_optional_collapsed_step_and_are_saved_when_rated() {
    let plain = App::new().get("/checkin").await.body;
    assert!(!plain.contains("Your chosen feelings"), "no items, no step");
    let app = App::with_items(&["calm", "glad", "content", "sad", "tired", "anxious"]);
    let page = app.get("/checkin").await.body;
    assert!(page.contains("<details class=\"more items\">"), "collapsed");
    assert_eq!(page.matches("name=\"item_").count(), 6);
    let form = [
        ("csrf", CSRF),
        ("item_calm", "0"),
        ("item_sad", "7"),
        ("item_glad", ""),
        ("act", "save"),
    ];
    let saved = app.post("/checkin", &form).await;
    assert_eq!(location(&saved), "/recent?thanks=saved", "{}", saved.body);
    let c = only(&app).await;
    assert_eq!(c["items"][0]["word"], "calm");
    assert_eq!(c["items"][0]["rating"], 0, "0 is a rating: not at all");
    assert_eq!(c["items"][1]["word"], "sad");
    assert_eq!(
        c["items"].as_array().unwrap().len(),
        2,
        "an empty one is not rated"
    );
    let bad = [("csrf", CSRF), ("item_sad", "11"), ("note", "kept")];
    let refused = app.post("/checkin", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = unescape(&refused.body);
    assert!(body.contains("How much “sad” is there must be a whole number from 0 to 10"));
    assert!(body.contains(">kept</textarea>"));
}

#[tokio::test]
async fn a_check_in_can_be_added_for_an_earlier_day_from_the_calendar() {
    let app = App::new();
    let page = app.get("/checkin?date=2026-11-14").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"for_date\" value=\"2026-11-14\""));
    assert!(
        page.body.contains("Saturday 14 November 2026"),
        "{}",
        page.body
    );
    let form = [
        ("csrf", CSRF),
        ("for_date", "2026-11-14"),
        ("nothing", "on"),
        ("act", "save"),
    ];
    let saved = app.post("/checkin", &form).await;
    assert_eq!(location(&saved), "/recent?thanks=nothing", "{}", saved.body);
    let c = only(&app).await;
    assert!(
        c["at"].as_str().unwrap().starts_with("2026-11-14T12:00:00"),
        "{c}"
    );
    let bad = app.get("/checkin?date=2026-02-30").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("2026-02-30"), "{}", bad.body);
}

#[tokio::test]
async fn a_check_in_the_phone_sends_twice_is_saved_once_at_the_moment_of_save() {
    let app = App::new();
    let page = app.get("/checkin").await;
    assert!(
        page.body.contains(r#"name="checkin_id" value="""#)
            && page.body.contains(r#"name="made_at""#),
        "the form has room for the phone's id and moment"
    );
    assert!(
        !page.body.contains("data-account"),
        "the local app names no account"
    );
    let id = "0190a3b4-5c6d-7e8f-9012-3456789abcde";
    let form = [
        ("csrf", CSRF),
        ("checkin_id", id),
        ("made_at", "2026-01-05T07:45:00.500Z"),
        ("area_kept", "pleasant-calm"),
        ("feel", "content"),
        ("act", "save"),
    ];
    for _ in 0..2 {
        let saved = app.post("/checkin", &form).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(location(&saved), "/recent?thanks=saved");
    }
    let records = app.records().await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["id"], id);
    let at = chrono::DateTime::parse_from_rfc3339(records[0]["at"].as_str().unwrap()).unwrap();
    assert_eq!(
        at.timestamp_millis(),
        1_767_599_100_500,
        "kept the moment of Save"
    );
    let bad = app
        .post(
            "/checkin",
            &[
                ("csrf", CSRF),
                ("checkin_id", "not-an-id"),
                ("nothing", "on"),
                ("act", "save"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unescape(&bad.body).contains("'not-an-id' (field checkin_id)"),
        "{}",
        bad.body
    );
    assert_eq!(app.records().await.len(), 1);
}
