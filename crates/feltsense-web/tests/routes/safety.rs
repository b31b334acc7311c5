//! Help now, the safety plan, and the questionnaires (PHQ-9 item 9 opens
//! the safety panel first).

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};

#[tokio::test]
async fn help_now_needs_no_session_and_every_page_links_to_it() {
    let app = App::new();
    let open = app
        .send(Request::get("/help-now").body(Body::empty()).unwrap())
        .await;
    assert_eq!(open.status, StatusCode::OK);
    assert!(open.body.contains("findahelpline.com"));
    assert!(
        open.body.contains("once feltsense is unlocked"),
        "no plan without the session"
    );
    for path in [
        "/checkin",
        "/recent",
        "/calendar",
        "/insights",
        "/settings",
        "/journal",
        "/safety-plan",
    ] {
        assert!(
            app.get(path).await.body.contains("href=\"/help-now\""),
            "{path}"
        );
    }
    let locked = app
        .send(Request::get("/recent").body(Body::empty()).unwrap())
        .await;
    assert!(
        locked.body.contains("href=\"/help-now\""),
        "even the locked page"
    );
}

#[tokio::test]
async fn the_safety_plan_is_saved_and_shown_with_the_panel() {
    let app = App::new();
    let saved = app
        .post(
            "/safety-plan",
            &[
                ("csrf", CSRF),
                ("warning_signs", "not sleeping"),
                ("people_to_ask", "Ana, 0123"),
            ],
        )
        .await;
    assert_eq!(location(&saved), "/safety-plan?saved=1");
    let page = app.get("/safety-plan?saved=1").await;
    assert!(page.body.contains(">Ana, 0123</textarea>"));
    let help = app.get("/help-now").await;
    assert!(
        help.body.contains("Ana, 0123"),
        "the plan shows with the session"
    );
    let bad = app
        .post("/safety-plan", &[("csrf", CSRF), ("hobbies", "x")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let forged = app
        .post("/safety-plan", &[("csrf", "no"), ("people_to_ask", "")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(app.get("/help-now").await.body.contains("Ana, 0123"));
}

#[tokio::test]
async fn questionnaires_score_and_phq9_item_nine_opens_the_panel_first() {
    let app = App::new();
    let form = app.get("/assess/phq9").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.body.matches("type=\"radio\" name=\"q9\"").count(), 4);
    let mut answers: Vec<(String, String)> = (1..=9)
        .map(|i| (format!("q{i}"), "1".to_string()))
        .collect();
    answers.push(("csrf".into(), CSRF.into()));
    let refs: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let result = app.post_then_follow("/assess/phq9", &refs).await;
    assert_eq!(result.status, StatusCode::OK);
    let panel = result
        .body
        .find("aria-labelledby=\"panel-h\"")
        .expect("the panel");
    let score = result.body.find("9 of 27 (mild)").expect("the score");
    assert!(panel < score, "the panel comes before the score");
    assert!(result.body.contains("Screening, not diagnosis"));
    let missing = app
        .post("/assess/gad7", &[("csrf", CSRF), ("q1", "1")])
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing
        .body
        .contains("1 of 7 answered. Question 2 has no answer yet"));
    assert!(
        missing.body.contains("name=\"q2\" value=\"0\" autofocus"),
        "the page takes the person to the first unanswered question"
    );
    assert_eq!(missing.body.matches("autofocus").count(), 1);
    assert!(
        missing.body.contains("name=\"q1\" value=\"1\" checked"),
        "the answer given is kept"
    );
    let history = app.get("/assess").await;
    assert!(history.body.contains("9 of 27"));
    assert!(!history.body.contains("<svg"), "a trend needs two results");
    app.post("/assess/phq9", &refs).await;
    let history = app.get("/assess").await;
    assert!(
        history.body.contains("PHQ-9 scores over time"),
        "a trend chart per questionnaire"
    );
    assert_eq!(app.get("/assess/beck").await.status, StatusCode::NOT_FOUND);
    let forged = app.post("/assess/who5", &[("csrf", "x")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}
