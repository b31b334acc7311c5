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
             Please open that link (it holds a one-time secret for this launch).",
        )
    }

    pub fn not_found(what: &str) -> PageError {
        PageError::new(
            StatusCode::NOT_FOUND,
            format!("{what} could not be found. It may have been deleted."),
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
