//! The report's download and its form: a chosen range, a name, journal
//! entries ticked one by one; bad dates and unknown ids refused by field.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use feltsense_store::SqliteStore;
use feltsense_web::{router, Web};
use std::sync::Arc;
use tower::ServiceExt;

const SESSION: &str = "session-secret";
const CSRF: &str = "csrf-secret";
/// The address the app serves at in these tests.
const HOST: &str = "feltsense-test.localhost:7474";

fn app() -> Router {
    let store = SqliteStore::open_in_memory("test").unwrap();
    router(Arc::new(
        Web::with_secrets(Box::new(store), SESSION.into(), CSRF.into()).serving_at(HOST),
    ))
}

async fn send(
    app: &Router,
    request: axum::http::request::Builder,
    body: Body,
) -> (StatusCode, String) {
    let request = request
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("feltsense_session={SESSION}"))
        .body(body)
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), 10 << 20).await.unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

async fn get(app: &Router, path: &str) -> (StatusCode, String) {
    send(app, Request::get(path), Body::empty()).await
}

async fn write_journal(app: &Router, text: &str) {
    let form = format!("csrf={CSRF}&text={}", text.replace(' ', "+"));
    let request =
        Request::post("/journal").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    assert_eq!(
        send(app, request, Body::from(form)).await.0,
        StatusCode::SEE_OTHER
    );
}

/// The journal checkboxes of the settings page: (id, label) in page order.
fn ticks(settings: &str) -> Vec<String> {
    settings
        .split("name=\"journal\" value=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn only_the_ticked_entries_are_in_the_report() {
    let app = app();
    write_journal(&app, "the winter harbour page").await;
    write_journal(&app, "the amber orchard page").await;
    let (status, settings) = get(&app, "/settings").await;
    assert_eq!(status, StatusCode::OK);
    let ids = ticks(&settings);
    assert_eq!(ids.len(), 2, "{settings}");
    let (_, plain) = get(&app, "/report").await;
    assert!(!plain.contains("harbour") && !plain.contains("orchard"));
    assert!(plain.contains("Then and now") && plain.contains("Checked in on 0 of 90 days"));
    let chosen = get(
        &app,
        &format!("/report?name=Robin&from=&journal={}", ids[0]),
    )
    .await
    .1;
    let one = chosen.contains("harbour") != chosen.contains("orchard");
    assert!(one, "exactly the ticked entry");
    assert!(chosen.contains("feltsense report: Robin"));
}

#[tokio::test]
async fn bad_dates_and_unknown_entries_are_refused_by_name() {
    let app = app();
    let (status, body) = get(&app, "/report?from=last+week").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("From") && body.contains("2026-11-01"),
        "{body}"
    );
    let (status, body) = get(&app, "/report?from=2026-11-02&to=2026-11-01").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("From is after To"), "{body}");
    let (status, body) = get(&app, "/report?journal=no-such-entry").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("no-such-entry"), "{body}");
}

#[tokio::test]
async fn insights_without_check_ins_say_so_kindly_instead_of_drawing_empty_charts() {
    let (status, body) = get(&app(), "/insights").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Nothing to show yet, and that is fine"));
    assert!(!body.contains("<svg"), "no empty charts");
}
