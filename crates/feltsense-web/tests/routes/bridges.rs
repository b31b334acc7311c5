//! Bridges and the practices, step by step without JavaScript.

use crate::common::*;
use axum::http::StatusCode;

#[tokio::test]
async fn a_bridge_is_started_ended_and_shown_before_and_after() {
    let app = App::new();
    let page = app.get("/bridges").await;
    assert!(page.body.contains("Start a bridge"));
    assert!(
        !page.body.contains(" selected>") && !page.body.contains(" checked>"),
        "no kind, feeling or answer is chosen for the person"
    );
    assert!(page
        .body
        .contains("name=\"intensity\" type=\"number\" min=\"1\" max=\"10\" value=\"\""));
    assert!(page
        .body
        .contains("name=\"clarity\" type=\"number\" min=\"0\" max=\"10\" value=\"\""));
    let bad = app
        .post(
            "/bridges/start",
            &[
                ("csrf", CSRF),
                ("kind", "cooking"),
                ("label", "soup"),
                ("clarity", "3"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("choose a kind"));
    let bad = app
        .post(
            "/bridges/start",
            &[
                ("csrf", CSRF),
                ("kind", "music"),
                ("label", "songs"),
                ("word", "calm"),
                ("intensity", "12"),
                ("clarity", "3"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"songs\"") && bad.body.contains("value=\"12\""));
    assert!(
        bad.body.contains("<option value=\"music\" selected>"),
        "what was typed is kept"
    );
    let unsaid = app
        .post(
            "/bridges/start",
            &[
                ("csrf", CSRF),
                ("kind", "art"),
                ("label", "clay"),
                ("word", "calm"),
            ],
        )
        .await;
    assert_eq!(unsaid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unsaid.body.contains("How strong is calm?"),
        "{}",
        unsaid.body
    );
    let started = app
        .post(
            "/bridges/start",
            &[
                ("csrf", CSRF),
                ("kind", "music"),
                ("label", "old songs"),
                ("word", ""),
                ("clarity", "2"),
                ("body", "no"),
            ],
        )
        .await;
    assert_eq!(location(&started), "/bridges?thanks=started");
    let page = app.get("/bridges?thanks=started").await;
    assert!(unescape(&page.body).contains("End: music, “old songs”"));
    let ended = app
        .post(
            "/bridges/end",
            &[
                ("csrf", CSRF),
                ("word", "tender"),
                ("intensity", "4"),
                ("clarity", "5"),
                ("body", "yes"),
            ],
        )
        .await;
    assert_eq!(location(&ended), "/bridges?thanks=ended");
    let page = app.get("/bridges").await;
    assert!(page.body.contains("too early to tell (1 of 3 sessions)"));
    assert!(page
        .body
        .contains("nothing, clarity 2 → tender 4, clarity 5"));
    let none_open = app
        .post("/bridges/end", &[("csrf", CSRF), ("clarity", "5")])
        .await;
    assert_eq!(none_open.status, StatusCode::NOT_FOUND);
    let forged = app
        .post(
            "/bridges/start",
            &[
                ("csrf", "x"),
                ("kind", "music"),
                ("label", "x"),
                ("clarity", "1"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let insights = app.get("/insights").await;
    assert!(insights.body.contains("music: 0.0 before, 4.0 after (n 1)"));
    let export = app.get("/export.json").await;
    assert!(export.body.contains("\"label\": \"old songs\""));
}

#[tokio::test]
async fn practices_go_step_by_step_without_javascript() {
    let app = App::new();
    let intro = app.get("/practice/grounding").await;
    assert_eq!(intro.status, StatusCode::OK);
    assert!(intro.body.contains("You can stop at any time"));
    assert!(intro.body.contains("href=\"/practice/grounding?step=1\""));
    let step = app.get("/practice/grounding?step=3").await;
    assert!(step.body.contains("Step 3 of 5") && step.body.contains("three things you can hear"));
    assert!(step.body.contains("data-seconds=\"35\""));
    assert!(step.body.contains("href=\"/practice/grounding?step=4\""));
    assert!(
        step.body
            .contains("href=\"/practice/grounding?step=6\">Stop here"),
        "stopping leads to the closing words, from any step"
    );
    let end = app.get("/practice/grounding?step=6").await;
    assert!(end.body.contains("You are here, in this moment"));
    assert_eq!(
        app.get("/practice/grounding?step=abc").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/practice/yoga").await.status,
        StatusCode::NOT_FOUND
    );
    let done = app
        .post(
            "/practice/grounding/done",
            &[
                ("csrf", CSRF),
                ("before_word", ""),
                ("before_clarity", "1"),
                ("after_word", "calm"),
                ("after_intensity", "3"),
                ("after_clarity", "4"),
                ("after_body", "yes"),
            ],
        )
        .await;
    assert_eq!(location(&done), "/bridges?thanks=ended");
    assert!(app.get("/bridges").await.body.contains("practice"));
}

#[tokio::test]
async fn paced_breathing_is_one_page_with_a_circle_at_the_chosen_pace() {
    let app = App::new();
    let intro = app.get("/practice/breathing").await;
    assert!(intro
        .body
        .contains("name=\"in\" type=\"number\" min=\"1\" max=\"15\" value=\"4\""));
    assert!(
        !intro.body.contains("three things you can see"),
        "grounding's words stay with grounding"
    );
    let page = app
        .get("/practice/breathing?step=1&in=3&out=5&minutes=2")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"pacer-circle\""));
    assert!(!page.body.contains("Step 1 of"), "no step-by-step reloads");
    assert!(page
        .body
        .contains("href=\"/practice/breathing/pace.css?in=3&#38;out=5&#38;minutes=2\""));
    assert!(
        page.body.contains("15 breaths"),
        "2 minutes of 8-second breaths"
    );
    assert!(page
        .body
        .contains("href=\"/practice/breathing?step=2&#38;in=3&#38;out=5&#38;minutes=2\">I'm done"));
    let css = app
        .get("/practice/breathing/pace.css?in=3&out=5&minutes=2")
        .await;
    assert!(css
        .body
        .contains("animation-duration: 8s; animation-iteration-count: 15;"));
    assert!(css.body.contains("37.50% { transform: scale(1); }"));
    let end = app
        .get("/practice/breathing?step=2&in=3&out=5&minutes=2")
        .await;
    assert!(end
        .body
        .contains("Let the breath find its own rhythm again"));
    assert_eq!(
        app.get("/practice/breathing?step=3").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/practice/breathing/pace.css?in=99").await.status,
        StatusCode::BAD_REQUEST
    );
}
