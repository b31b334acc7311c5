//! The app in-process, as a person's browser at its address sees it: one
//! helper for the route tests (`routes/`) and the check-in page's.
#![allow(dead_code)] // each test binary uses its own part of it

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use feltsense_store::SqliteStore;
use feltsense_web::{router, Web};
use std::sync::Arc;
use tower::ServiceExt;

pub const SESSION: &str = "session-secret";
pub const CSRF: &str = "csrf-secret";
/// The address the app serves at in these tests.
pub const HOST: &str = "feltsense-test.localhost:7474";

pub struct App {
    pub router: Router,
    pub web: Arc<Web>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl App {
    /// The app over a new, empty store.
    pub fn new() -> App {
        App::over(SqliteStore::open_in_memory("test").unwrap())
    }

    /// An app whose person chose these fixed items.
    pub fn with_items(words: &[&str]) -> App {
        let mut store = SqliteStore::open_in_memory("test").unwrap();
        let words = words.iter().map(|w| w.to_string()).collect();
        let items = feltsense_core::items::FixedItems::from_stored(words);
        feltsense_store::Store::save_fixed_items(&mut store, &items).unwrap();
        App::over(store)
    }

    fn over(store: SqliteStore) -> App {
        let web = Web::with_secrets(Box::new(store), SESSION.into(), CSRF.into()).serving_at(HOST);
        let web = Arc::new(web);
        App {
            router: router(web.clone()),
            web,
        }
    }

    /// Sends `request` as a browser at the app's address would.
    pub async fn send(&self, mut request: Request<Body>) -> Reply {
        if !request.headers().contains_key(header::HOST) {
            let host = header::HeaderValue::from_static(HOST);
            request.headers_mut().insert(header::HOST, host);
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = to_bytes(response.into_body(), 10 << 20).await.unwrap();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        let request = Request::get(path)
            .header(header::COOKIE, format!("feltsense_session={SESSION}"))
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::post(path)
            .header(header::COOKIE, format!("feltsense_session={SESSION}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// A POST that must answer with a redirect (post/redirect/get), then
    /// the GET of where it leads.
    pub async fn post_then_follow(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        let posted = self.post(path, form).await;
        assert_eq!(
            posted.status,
            StatusCode::SEE_OTHER,
            "{path}: {}",
            posted.body
        );
        let target = posted.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        self.get(&target).await
    }

    /// The check-ins, newest first, read back through a JSON export.
    pub async fn records(&self) -> Vec<serde_json::Value> {
        let reply = self.get("/export.json").await;
        let export: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        let mut records = export["checkins"].as_array().unwrap().clone();
        records.reverse();
        records
    }
}

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// HTML as a person reads it (the apostrophe escapes askama writes).
pub fn unescape(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

pub fn location(r: &Reply) -> &str {
    r.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}
