//! The server's own pages (askama, on the app's stylesheet) and its
//! responses: a problem page, a redirect, a cookie.

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};

/// A page with one message (and a link onwards).
#[derive(Template)]
#[template(path = "message.html")]
pub struct Message {
    pub title: String,
    pub message: String,
    pub onward: Option<(&'static str, &'static str)>,
}

/// A page saying what went wrong, with its status.
pub struct Problem {
    status: StatusCode,
    message: String,
}

impl Problem {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Problem {
        Problem {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let title = match self.status {
            StatusCode::NOT_FOUND => "Not here",
            StatusCode::FORBIDDEN => "Not for this account",
            StatusCode::TOO_MANY_REQUESTS => "Please wait a little",
            s if s.is_server_error() => "Something went wrong",
            _ => "That did not work",
        };
        let page = Message {
            title: title.to_string(),
            message: self.message,
            onward: Some(("/", "Go to the start")),
        };
        (self.status, render(&page)).into_response()
    }
}

/// The rendered page (askama only fails on a formatter's error).
pub fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => internal(e),
    }
}

/// A 500 page; the cause goes to the server's log (never what anyone wrote).
pub fn internal(e: impl std::fmt::Display) -> Response {
    eprintln!("feltsense server: {e:#}");
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "The server could not do that just now (it has noted why). Nothing was half-saved; please try again in a moment.",
    )
    .into_response()
}

/// The session could not be looked up (the database is not answering):
/// a 503 that says so. A POST's form is kept by [`keep_unsent`], which the
/// app's routes reach through this marker.
pub fn unreachable(e: impl std::fmt::Display, method: &axum::http::Method) -> Response {
    eprintln!("feltsense server: {e:#}");
    let mut response = Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "The server cannot reach its database just now. Nothing was lost; please try again in a moment.",
    )
    .into_response();
    if method == axum::http::Method::POST {
        response.extensions_mut().insert(Unsent);
    }
    response
}

/// Marks a 503 answered to a POST whose form should be kept.
#[derive(Clone, Copy)]
pub struct Unsent;

/// The page that keeps what was typed in a form the server could not save.
#[derive(Template)]
#[template(path = "unsent.html")]
struct UnsentPage {
    title: String,
    action: String,
    kept: Vec<(String, String)>,
    note: String,
}

/// A 503 page holding the POSTed `form` to `action`, ready to send again.
pub fn keep_unsent(action: &str, form: Vec<(String, String)>) -> Response {
    let (notes, kept): (Vec<_>, Vec<_>) = form.into_iter().partition(|(k, _)| k == "note");
    let page = UnsentPage {
        title: "Not saved yet".into(),
        action: action.to_string(),
        kept,
        note: notes.into_iter().next().map(|(_, v)| v).unwrap_or_default(),
    };
    (StatusCode::SERVICE_UNAVAILABLE, render(&page)).into_response()
}

pub fn to_sign_in() -> Response {
    Redirect::to("/login").into_response()
}

pub fn see(path: &str) -> Response {
    Redirect::to(path).into_response()
}

/// `response` with a `Set-Cookie` added.
pub fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

pub fn stale_form() -> Response {
    Problem::new(
        StatusCode::FORBIDDEN,
        "This form's safety token was missing or out of date (perhaps you signed in again elsewhere). Nothing was saved. Please go back, reload the page and try again.",
    )
    .into_response()
}

pub fn staff_only() -> Response {
    Problem::new(
        StatusCode::FORBIDDEN,
        "This page is for the clinic's administrators.",
    )
    .into_response()
}

pub fn link_gone() -> Response {
    Problem::new(
        StatusCode::NOT_FOUND,
        "This link has been used already or has expired. Please ask whoever sent it for a new one.",
    )
    .into_response()
}
