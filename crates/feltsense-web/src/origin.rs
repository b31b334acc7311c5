//! Only requests meant for this app are answered: the `Host` must be the
//! address feltsense printed (a page on another name that resolves here,
//! as in DNS rebinding, is refused), and a form may only be posted from
//! this app's own pages (a page elsewhere, even another `*.localhost` or
//! another port on this computer, cannot post into it).

use crate::error::PageError;
use crate::Web;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Refuses a request for another host (421) or a cross-origin POST (403).
pub async fn only_this_app(State(web): State<Arc<Web>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if !for_this_host(headers, &web.authority) {
        return misdirected().into_response();
    }
    let reads = [Method::GET, Method::HEAD].contains(request.method());
    if !reads && !from_this_app(headers, &web.authority) {
        return cross_site().into_response();
    }
    next.run(request).await
}

fn for_this_host(headers: &HeaderMap, authority: &str) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    !authority.is_empty() && host.is_some_and(|h| h.eq_ignore_ascii_case(authority))
}

/// `Origin` when the browser sends it; else `Sec-Fetch-Site`, which a
/// browser sends on every request; neither (curl, scripts) carries no
/// cookie a browser could have added, and still needs the CSRF token.
fn from_this_app(headers: &HeaderMap, authority: &str) -> bool {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let site = value("sec-fetch-site");
    match value("origin") {
        // A browser sends "null" for a page whose origin it will not tell;
        // then only its own word that the form came from this origin counts.
        Some("null") => site == Some("same-origin"),
        // https:// when `feltsense server` serves the app over TLS.
        Some(origin) => origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .is_some_and(|rest| rest.eq_ignore_ascii_case(authority)),
        None => !matches!(site, Some("cross-site" | "same-site")),
    }
}

fn misdirected() -> PageError {
    PageError::new(
        StatusCode::MISDIRECTED_REQUEST,
        "feltsense answers only at the address that `feltsense serve` printed in its terminal. \
         Please open that address (or the link) instead.",
    )
}

fn cross_site() -> PageError {
    PageError::new(
        StatusCode::FORBIDDEN,
        "This form came from a page that is not feltsense's own, so it was not accepted and \
         nothing was saved. Please use the forms on feltsense's pages.",
    )
}
