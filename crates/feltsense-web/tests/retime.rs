//! Correcting when a journal entry, a bridge or a questionnaire response
//! happened, in-process: the form on each page, the time kept, refusals
//! that name the field and change nothing.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use chrono::{DateTime, FixedOffset};
use feltsense_core::assessments::{Instrument, Response};
use feltsense_core::bridges::{Bridge, BridgeKind, Micro};
use feltsense_core::JournalEntry;
use feltsense_store::{SqliteStore, Store};
use feltsense_web::{router, Web};
use std::sync::Arc;
use tower::ServiceExt;

const SESSION: &str = "session-secret";
const CSRF: &str = "csrf-secret";
/// The address the app serves at in these tests.
const HOST: &str = "feltsense-test.localhost:7474";

fn at(t: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(t).unwrap()
}

/// An app over a store with one journal entry, one bridge and one PHQ-9.
fn app() -> Router {
    let mut store = SqliteStore::open_in_memory("test").unwrap();
    let written = at("2026-11-20T21:00:00+01:00");
    store
        .add_journal(&JournalEntry::new("j-1".into(), written, "a page").unwrap())
        .unwrap();
    let micro = Micro {
        feeling: None,
        intensity: None,
        clarity: 2,
        body_noticed: false,
    };
    store
        .add_bridge(&Bridge {
            id: "b-1".into(),
            kind: BridgeKind::Music,
            label: "songs".into(),
            started: at("2026-11-20T18:00:00+00:00"),
            before: micro.clone(),
            ended: Some(at("2026-11-20T18:30:00+00:00")),
            after: Some(micro),
        })
        .unwrap();
    let answers = vec![0; 9];
    let response = Response {
        id: "r-1".into(),
        instrument: Instrument::Phq9,
        at: written,
        answers,
    };
    store.add_assessment(&response).unwrap();
    router(Arc::new(
        Web::with_secrets(Box::new(store), SESSION.into(), CSRF.into()).serving_at(HOST),
    ))
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, String, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = to_bytes(response.into_body(), 10 << 20).await.unwrap();
    (
        status,
        location,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

async fn get(app: &Router, path: &str) -> String {
    let request = Request::get(path)
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("feltsense_session={SESSION}"))
        .body(Body::empty())
        .unwrap();
    send(app, request).await.2
}

async fn retime(app: &Router, path: &str, csrf: &str, at: &str) -> (StatusCode, String, String) {
    let encoded: String = at
        .bytes()
        .map(|b| match b {
            b'0'..=b'9' | b'-' | b'T' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let request = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("feltsense_session={SESSION}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}&at={encoded}")))
        .unwrap();
    send(app, request).await
}

async fn exported(app: &Router) -> serde_json::Value {
    serde_json::from_str(&get(app, "/export.json").await).unwrap()
}

#[tokio::test]
async fn each_page_offers_the_form_with_the_time_as_recorded() {
    let app = app();
    let entry = get(&app, "/journal/j-1").await;
    assert!(entry.contains(r#"action="/retime/journal/j-1""#), "{entry}");
    assert!(entry.contains(r#"value="2026-11-20T21:00""#));
    let bridges = get(&app, "/bridges").await;
    assert!(bridges.contains(r#"action="/retime/bridge/b-1""#));
    assert!(bridges.contains(r#"value="2026-11-20T18:00""#));
    let assess = get(&app, "/assess").await;
    assert!(assess.contains(r#"action="/retime/assess/r-1""#));
}

#[tokio::test]
async fn a_corrected_time_is_kept_and_a_bridge_keeps_its_length() {
    let app = app();
    let moved = [
        (
            "/retime/journal/j-1",
            "2026-11-19T22:15:00+01:00",
            "/journal/j-1",
        ),
        (
            "/retime/bridge/b-1",
            "2026-11-18T09:00:00+00:00",
            "/bridges",
        ),
        ("/retime/assess/r-1", "2026-11-17T08:00:00+02:00", "/assess"),
    ];
    for (path, time, back) in moved {
        let (status, location, _) = retime(&app, path, CSRF, time).await;
        assert_eq!(
            (status, location.as_str()),
            (StatusCode::SEE_OTHER, back),
            "{path}"
        );
    }
    let all = exported(&app).await;
    assert_eq!(all["journal"][0]["at"], "2026-11-19T22:15:00+01:00");
    assert_eq!(all["journal"][0]["text"], "a page");
    assert_eq!(all["bridges"][0]["started"], "2026-11-18T09:00:00Z");
    assert_eq!(all["bridges"][0]["ended"], "2026-11-18T09:30:00Z");
    assert_eq!(all["assessments"][0]["at"], "2026-11-17T08:00:00+02:00");
    // A browser's datetime-local value, read in this computer's zone.
    let (status, ..) = retime(&app, "/retime/journal/j-1", CSRF, "2026-11-19T07:45").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let entry = get(&app, "/journal/j-1").await;
    assert!(entry.contains(r#"value="2026-11-19T07:45""#));
}

#[tokio::test]
async fn refused_times_name_the_field_and_change_nothing() {
    let app = app();
    let before = exported(&app).await;
    let cases = [
        ("yesterday", "is not a time"),
        ("", "please give a date and time"),
        ("+12026-01-01T10:00", "outside the times feltsense accepts"),
        (
            "1899-12-31T10:00:00Z",
            "outside the times feltsense accepts",
        ),
    ];
    for path in [
        "/retime/journal/j-1",
        "/retime/bridge/b-1",
        "/retime/assess/r-1",
    ] {
        for (typed, why) in cases {
            let (status, _, body) = retime(&app, path, CSRF, typed).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {typed}");
            assert!(
                body.contains("“When it was”:") && body.contains(why),
                "{path} {typed}: {body}"
            );
            assert!(body.contains("Nothing was changed."));
        }
    }
    let (status, ..) = retime(
        &app,
        "/retime/journal/j-1",
        "forged",
        "2026-11-19T08:00:00Z",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, ..) = retime(&app, "/retime/journal/nope", CSRF, "2026-11-19T08:00:00Z").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, ..) = retime(&app, "/retime/checkin/x", CSRF, "2026-11-19T08:00:00Z").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(exported(&app).await, before, "nothing was changed");
}
