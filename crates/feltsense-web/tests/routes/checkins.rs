//! Check-ins: saved, thanked, refused with a reason, edited, deleted; the
//! calendar, the insights and the exports.

use crate::common::*;
use axum::http::{header, StatusCode};

#[tokio::test]
async fn a_full_check_in_is_saved_and_listed() {
    let app = App::new();
    let reply = app
        .post(
            "/checkin",
            &[
                ("csrf", CSRF),
                ("affect", "-2,-3"),
                ("feel", "sad"),
                ("int_sad", "6"),
                ("feel", "tired"),
                ("int_tired", "4"),
                ("int_happy", "5"),
                ("clarity", "3"),
                ("body_chest_sensation", "tight"),
                ("body_chest_int", "5"),
                ("body_hands_how", "cant-feel"),
                ("body_overall", "-2"),
                ("showed", "calm"),
                ("doing", "work"),
                ("with", "colleagues"),
                ("where", "office"),
                ("note", "quiet day"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(location(&reply), "/recent?thanks=saved");
    let r = &app.records().await[0];
    assert_eq!(r["pleasantness"], -2);
    assert_eq!(r["energy"], -3);
    assert_eq!(r["feelings"][0]["word"], "sad");
    assert_eq!(r["feelings"][0]["intensity"], 6);
    assert_eq!(r["feelings"][1]["word"], "tired");
    assert_eq!(
        r["feelings"].as_array().unwrap().len(),
        2,
        "unchecked words are not saved"
    );
    assert_eq!(r["body"][0]["region"], "chest");
    assert_eq!(r["body"][1]["activation"], "cant-feel");
    assert_eq!(r["context"]["where"], "office");
    let recent = app.get("/recent?thanks=saved").await;
    assert!(recent.body.contains("Thank you for checking in"));
    assert!(recent.body.contains("sad 6, tired 4"));
    assert!(recent.body.contains("quiet day"));
}

#[tokio::test]
async fn nothing_is_thanked() {
    let app = App::new();
    let reply = app
        .post(
            "/checkin",
            &[("csrf", CSRF), ("nothing", "on"), ("clarity", "1")],
        )
        .await;
    assert_eq!(location(&reply), "/recent?thanks=nothing");
    assert_eq!(app.records().await[0]["nothing"], true);
    let recent = app.get(location(&reply)).await;
    assert!(recent.body.contains("information too"));
    assert!(unescape(&recent.body).contains("I can't feel much right now"));
}

#[tokio::test]
async fn bad_form_input_is_explained_and_nothing_is_saved() {
    let app = App::new();
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[("affect", "9,9")], "grid sent a value"),
        (
            &[("feel", "sad"), ("int_sad", "11")],
            "intensity of sad must be a whole number from 1 to 10",
        ),
        (&[("feel", "sadd")], "closest words: sad"),
        (
            &[("clarity", "twelve")],
            "Clarity must be a whole number from 0 to 10",
        ),
        (
            &[("nothing", "on"), ("feel", "sad")],
            "cannot go with feeling words",
        ),
    ];
    for (fields, expected) in cases {
        let mut form = vec![("csrf", CSRF), ("note", "keep this text")];
        form.extend_from_slice(fields);
        let reply = app.post("/checkin", &form).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let body = unescape(&reply.body);
        assert!(
            body.contains(expected),
            "{fields:?}: expected '{expected}' in the problem message"
        );
        assert!(body.contains("role=\"alert\""));
        assert!(body.contains("keep this text"), "what was typed is kept");
    }
    let empty = app
        .post("/checkin", &[("csrf", CSRF), ("note", "   ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unescape(&empty.body).contains("'I can't feel much right now' is a valid answer"));
    assert!(app.records().await.is_empty());
}

#[tokio::test]
async fn a_missing_or_forged_csrf_token_saves_nothing() {
    let app = App::new();
    for form in [
        vec![("nothing", "on")],
        vec![("csrf", "forged"), ("nothing", "on")],
    ] {
        let reply = app.post("/checkin", &form).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert!(reply.body.contains("Nothing was saved"));
    }
    assert!(app.records().await.is_empty());
    app.post("/checkin", &[("csrf", CSRF), ("nothing", "on")])
        .await;
    let id = app.records().await[0]["id"].as_str().unwrap().to_string();
    let delete = app
        .post(&format!("/checkin/{id}/delete"), &[("csrf", "forged")])
        .await;
    assert_eq!(delete.status, StatusCode::FORBIDDEN);
    let edit = app
        .post(&format!("/checkin/{id}"), &[("clarity", "4")])
        .await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    assert_eq!(app.records().await.len(), 1);
}

#[tokio::test]
async fn editing_keeps_id_and_time_and_deleting_removes() {
    let app = App::new();
    app.post(
        "/checkin",
        &[
            ("csrf", CSRF),
            ("feel", "hopeful"),
            ("int_hopeful", "3"),
            ("note", "before"),
        ],
    )
    .await;
    let before = app.records().await[0].clone();
    let id = before["id"].as_str().unwrap().to_string();
    let form = app.get(&format!("/checkin/{id}/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form
        .body
        .contains("id=\"w-hopeful\" name=\"feel\" value=\"hopeful\" checked"));
    assert!(form.body.contains(">before</textarea>"));
    let reply = app
        .post(
            &format!("/checkin/{id}"),
            &[
                ("csrf", CSRF),
                ("feel", "hopeful"),
                ("int_hopeful", "7"),
                ("note", "after"),
            ],
        )
        .await;
    assert_eq!(location(&reply), "/recent?thanks=edited");
    let after = app.records().await[0].clone();
    assert_eq!(after["id"], before["id"]);
    assert_eq!(after["at"], before["at"]);
    assert_eq!(after["note"], "after");
    assert_eq!(after["feelings"][0]["intensity"], 7);
    let bad = app
        .post(
            &format!("/checkin/{id}"),
            &[("csrf", CSRF), ("clarity", "99")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.records().await[0]["note"], "after");

    let deleted = app
        .post(&format!("/checkin/{id}/delete"), &[("csrf", CSRF)])
        .await;
    assert_eq!(location(&deleted), "/recent?thanks=deleted");
    assert!(app.records().await.is_empty());
    assert_eq!(
        app.post(&format!("/checkin/{id}/delete"), &[("csrf", CSRF)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/checkin/{id}/edit")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_calendar_colours_days_by_pleasantness_and_intensity() {
    let app = App::new();
    app.post(
        "/checkin",
        &[
            ("csrf", CSRF),
            ("affect", "3,2"),
            ("feel", "happy"),
            ("int_happy", "8"),
        ],
    )
    .await;
    let r = &app.records().await[0];
    let date = &r["at"].as_str().unwrap()[..10];
    let year = &date[..4];
    let page = app.get(&format!("/calendar?year={year}")).await;
    assert!(
        page.body.contains(&format!(
            "class=\"day tone-pos3 sat-8 today\" href=\"/day/{date}\""
        )),
        "no coloured day for {date}"
    );
    let day = app.get(&format!("/day/{date}")).await;
    assert!(day.body.contains("happy 8"));
    assert_eq!(
        app.get("/calendar?year=abc").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/day/2026-13-40").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn insights_are_cards_of_one_sentence_and_one_chart_and_refuse_odd_windows() {
    let app = App::new();
    for i in 0..3 {
        let int = (i + 3).to_string();
        app.post(
            "/checkin",
            &[
                ("csrf", CSRF),
                ("affect", "1,1"),
                ("feel", "content"),
                ("int_content", &int),
                ("body_chest_sensation", "warm"),
            ],
        )
        .await;
    }
    let page = app.get("/insights").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body.matches("<svg viewBox").count(),
        5,
        "five cards with a chart each; no bridges card without bridges"
    );
    assert_eq!(page.body.matches("class=\"chart-legend\"").count(), 5);
    assert_eq!(
        page.body.matches("<summary>Details").count(),
        6,
        "5 cards and all the figures"
    );
    assert!(page
        .body
        .contains("In the last 28 days most check-ins sat pleasant with energy: 3 of 3."));
    assert!(page
        .body
        .contains("Noticed most often in the chest / heart: 3 of 3 check-ins."));
    assert!(page
        .body
        .contains("Not enough data yet to set them side by side"));
    assert!(page.body.contains(
        "Comparing with the 28 days before needs 14 check-ins in each (now 3, before 0)."
    ));
    assert!(page.body.contains("not enough data yet (3 of 14)"));
    assert!(page.body.contains("Not enough data yet: a profile needs"));
    assert!(page.body.contains("not a diagnosis"));
    assert_eq!(
        app.get("/insights?days=0").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn exports_download_everything() {
    let app = App::new();
    app.post(
        "/checkin",
        &[
            ("csrf", CSRF),
            ("nothing", "on"),
            ("note", "a, \"quoted\" note"),
        ],
    )
    .await;
    let json = app.get("/export.json").await;
    assert!(json.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("feltsense-export.json"));
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(v["format"], "feltsense");
    let csv = app.get("/export.csv").await;
    assert!(csv.body.starts_with("id,at,nothing,feelings"));
    assert!(csv.body.contains("\"a, \"\"quoted\"\" note\""));
}
