//! One error type that renders as a page with a way back.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    signed_in: bool,
}

impl PageError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> PageError {
        PageError {
            status,
            message: message.into(),
        }
    }

    pub fn locked() -> PageError {
        PageError::new(
            StatusCode::UNAUTHORIZED,
            "This app opens only from the link that `feltsense serve` printed in its terminal. \
             Please open that link (it holds a secret that opens feltsense once).",
        )
    }

    /// A launch secret that was used already, or has run out.
    pub fn link_used() -> PageError {
        PageError::new(
            StatusCode::UNAUTHORIZED,
            "This link has already been used, or it ran out. Each link opens feltsense once, \
             in one browser; if that was you, feltsense is open there. Otherwise, please \
             restart `feltsense serve` in its terminal for a new link.",
        )
    }

    pub fn not_found(what: &str) -> PageError {
        PageError::new(
            StatusCode::NOT_FOUND,
            format!("{what} could not be found. It may have been deleted."),
        )
    }

    /// A write that could not be done (the database busy, the disk full):
    /// the page that says so shows the form again with what was typed.
    pub fn not_saved(e: &feltsense_store::StoreError) -> String {
        format!(
            "feltsense could not save this just now ({e}). Everything you wrote is still here, \
             so you can try again in a moment."
        )
    }

    pub fn internal(e: impl std::fmt::Display) -> PageError {
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Something went wrong on our side and nothing was changed: {e}"),
        )
    }
}

impl From<feltsense_store::StoreError> for PageError {
    fn from(e: feltsense_store::StoreError) -> Self {
        match e {
            feltsense_store::StoreError::NotFound { .. } => PageError::not_found("That check-in"),
            other => PageError::internal(other),
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> Self {
        PageError::internal(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let signed_in = self.status != StatusCode::UNAUTHORIZED;
        let title = match self.status {
            StatusCode::UNAUTHORIZED => "This needs the link from your terminal",
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::FORBIDDEN => "Please try again",
            StatusCode::SERVICE_UNAVAILABLE => "Not saved yet",
            s if s.is_client_error() => "Please check the form",
            _ => "Something went wrong",
        };
        let page = ErrorPage {
            title,
            message: &self.message,
            signed_in,
        };
        let body = page.render().unwrap_or_else(|_| self.message.clone());
        (self.status, Html(body)).into_response()
    }
}

pub async fn not_found() -> PageError {
    PageError::not_found("That page")
}
