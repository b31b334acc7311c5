//! The way in (the printed link, the session cookie), the pages' headers,
//! and the reminders feed with its own token.

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

#[tokio::test]
async fn the_printed_link_sets_the_session_and_nothing_else_does() {
    let app = App::new();
    let no_token = app
        .send(Request::get("/").body(Body::empty()).unwrap())
        .await;
    assert_eq!(no_token.status, StatusCode::UNAUTHORIZED);
    assert!(no_token
        .body
        .contains("link that `feltsense serve` printed"));
    let wrong = app
        .send(Request::get("/?token=guess").body(Body::empty()).unwrap())
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let right = app
        .send(
            Request::get(format!("/?token={}", app.web.launch_token()))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&right), "/checkin");
    let cookie = right
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    // Issue 10, item 2: the cookie is a separate session value, host-only,
    // and the link's secret is dead once exchanged.
    assert!(
        cookie.starts_with(&format!("feltsense_session={SESSION};")),
        "{cookie}"
    );
    assert!(!cookie.contains(app.web.launch_token()), "{cookie}");
    assert!(!cookie.to_ascii_lowercase().contains("domain"), "{cookie}");
    let again = app
        .send(
            Request::get(format!("/?token={}", app.web.launch_token()))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(again.body.contains("already been used"), "{}", again.body);
    assert!(again.headers.get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn every_page_needs_the_session() {
    let app = App::new();
    for path in [
        "/checkin",
        "/recent",
        "/calendar",
        "/day/2026-11-25",
        "/insights",
        "/settings",
        "/export.json",
        "/export.csv",
        "/checkin/x/edit",
    ] {
        let reply = app
            .send(Request::get(path).body(Body::empty()).unwrap())
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(!reply.body.contains("export"), "{path} leaked content");
    }
    let forged = Request::get("/recent")
        .header(header::COOKIE, "feltsense_session=forged")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(forged).await.status, StatusCode::UNAUTHORIZED);
    let post = Request::post("/checkin")
        .body(Body::from("nothing=on"))
        .unwrap();
    assert_eq!(app.send(post).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn pages_render_with_strict_headers() {
    let app = App::new();
    for path in [
        "/checkin",
        "/recent",
        "/calendar",
        "/calendar?year=2020",
        "/day/2026-11-25",
        "/insights",
        "/insights?days=7",
        "/settings",
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        let csp = reply
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("form-action 'self'"),
            "{csp}"
        );
        assert!(reply.body.contains("<main id=\"main\""), "{path}");
        assert!(
            !reply.body.contains("http://") && !reply.body.contains("https://"),
            "{path} refers to another site"
        );
    }
    let css = app
        .send(Request::get("/static/app.css").body(Body::empty()).unwrap())
        .await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert!(css.body.contains("prefers-color-scheme: dark"));
    let js = app
        .send(Request::get("/static/app.js").body(Body::empty()).unwrap())
        .await;
    assert!(js.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert_eq!(app.get("/no-such-page").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_reminders_feed_needs_its_own_token() {
    let app = App::new();
    let settings = app.get("/settings").await;
    let start = settings.body.find("/reminders.ics?token=").unwrap();
    let link: String = settings.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let open = app
        .send(Request::get(link.as_str()).body(Body::empty()).unwrap())
        .await;
    assert_eq!(open.status, StatusCode::OK);
    assert!(open.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    assert_eq!(
        open.body.matches("BEGIN:VEVENT").count(),
        56,
        "4 a day for 14 days"
    );
    let wrong = app
        .send(
            Request::get("/reminders.ics?token=guess")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
}
