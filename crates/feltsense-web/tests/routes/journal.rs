//! The journal: what is noticed, crisis language, and a reload that does
//! not save twice.

use crate::common::*;
use axum::http::{header, StatusCode};

#[tokio::test]
async fn a_journal_entry_is_noticed_and_crisis_language_opens_the_panel_at_once() {
    let app = App::new();
    let calm = app
        .post_then_follow(
            "/journal",
            &[
                ("csrf", CSRF),
                ("text", "Really anxious today. I told everyone I was fine."),
            ],
        )
        .await;
    assert_eq!(calm.status, StatusCode::OK);
    let body = unescape(&calm.body);
    assert!(body.contains("anxious"), "feelings noticed");
    assert!(
        !body.contains("role=\"alert\" aria-labelledby=\"panel-h\""),
        "no panel"
    );
    assert!(body.contains("Save these as a check-in"));
    assert!(body.contains("name=\"feel\" value=\"anxious\""));

    let risk = app
        .post_then_follow(
            "/journal",
            &[("csrf", CSRF), ("text", "I want to kill myself.")],
        )
        .await;
    let body = risk.body;
    let panel = body.find("aria-labelledby=\"panel-h\"").expect("panel");
    let saved = body.find("<h1>Saved</h1>").expect("saved heading");
    assert!(panel < saved, "the panel comes before anything else");
    let more = body
        .find("See what else feltsense noticed")
        .expect("one step down");
    let details = body.find("<details").expect("closed details");
    assert!(details < more && !body[details..more].contains(" open"));

    let past = app
        .post_then_follow(
            "/journal",
            &[
                ("csrf", CSRF),
                (
                    "text",
                    "Years ago I used to think about killing myself. I'm better now.",
                ),
            ],
        )
        .await;
    assert!(
        !past.body.contains("aria-labelledby=\"panel-h\""),
        "no full panel"
    );
    assert!(unescape(&past.body).contains("If those thoughts come back, help is here"));
    let french = app
        .post_then_follow(
            "/journal",
            &[
                ("csrf", CSRF),
                ("text", "Je ne veux plus vivre, tout est trop lourd"),
            ],
        )
        .await;
    assert!(unescape(&french.body).contains("reads English only"));

    let list = app.get("/journal").await;
    assert!(list.body.contains("I want to kill myself."));
    let empty = app
        .post("/journal", &[("csrf", CSRF), ("text", "  ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("role=\"alert\""));
    let forged = app
        .post("/journal", &[("csrf", "x"), ("text", "hello")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

/// Issue 10, item 15: a reload after saving shows the entry again; it does
/// not save it twice.
#[tokio::test]
async fn a_journal_entry_is_saved_once_however_often_its_page_is_reloaded() {
    let app = App::new();
    let form = [
        ("csrf", CSRF),
        ("text", "Quiet evening, a walk by the river."),
    ];
    let posted = app.post("/journal", &form).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    let target = posted.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    for _ in 0..3 {
        let shown = app.get(&target).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.body.contains("<h1>Saved</h1>"));
    }
    let list = app.get("/journal").await;
    assert_eq!(
        list.body
            .matches("Quiet evening, a walk by the river.")
            .count(),
        1
    );
}
