//! What every request passes: the `Host` and `Origin` checks, the security
//! headers, and who is asking (their session, if any, and address).

use super::page::{self, Problem};
use super::Server;
use crate::accounts::{Session, Stage};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;

/// The local app's policy: nothing from anywhere but this server.
/// Refuses a request for another host (421) or a cross-origin POST (403).
pub async fn only_this_site(
    State(server): State<Arc<Server>>,
    request: Request,
    next: Next,
) -> Response {
    let site = &server.site;
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if !host.is_some_and(|h| h.eq_ignore_ascii_case(&site.authority)) {
        return Problem::new(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "This server answers only at {}. Please open that address instead.",
                site.origin()
            ),
        )
        .into_response();
    }
    let reads = [Method::GET, Method::HEAD].contains(request.method());
    if !reads && !from_this_site(headers, &site.origin()) {
        return Problem::new(
            StatusCode::FORBIDDEN,
            "This form came from a page that is not this server's own, so it was not accepted and nothing was saved.",
        )
        .into_response();
    }
    next.run(request).await
}

/// `Origin` when the browser sends it; else `Sec-Fetch-Site`; neither (a
/// script) carries no browser's cookie and still needs the CSRF token.
fn from_this_site(headers: &HeaderMap, origin: &str) -> bool {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let site = value("sec-fetch-site");
    match value("origin") {
        Some("null") => site == Some("same-origin"),
        Some(given) => given.eq_ignore_ascii_case(origin),
        None => !matches!(site, Some("cross-site" | "same-site")),
    }
}

/// Security headers on every response; HSTS when the address is https.
pub async fn security_headers(
    State(server): State<Arc<Server>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    // The local app's headers, one definition for both (the strict CSP
    // with `manifest-src 'self'`, so the app installs from the server too).
    feltsense_web::add_security_headers(response.headers_mut());
    let h = response.headers_mut();
    if server.site.secure() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    response
}

/// `GET /healthz`: 200 when the database answers, 503 when not.
pub async fn healthz(State(server): State<Arc<Server>>) -> Response {
    if server.accounts.healthy().await {
        (StatusCode::OK, "ok\n").into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "the database is not answering\n",
        )
            .into_response()
    }
}

/// Who is asking: their address, browser, and signed-in session if any.
pub struct Visitor {
    pub address: String,
    pub agent: String,
    /// The session cookie's token, when it names a live, full session.
    pub token: Option<String>,
    pub session: Option<Session>,
}

impl FromRequestParts<Arc<Server>> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        server: &Arc<Server>,
    ) -> Result<Visitor, Response> {
        let token = cookie(&parts.headers, &server.site.cookie("session"));
        let session = match &token {
            Some(token) => match server.accounts.session(token).await {
                Ok(session) => session,
                Err(e) => return Err(page::unreachable(e, &parts.method)),
            },
            None => None,
        }
        .filter(|s| s.stage == Stage::Full);
        let agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        Ok(Visitor {
            address: address(parts, server.site.behind_proxy),
            agent,
            token: token.filter(|_| session.is_some()),
            session,
        })
    }
}

impl Visitor {
    /// The session, or the sign-in page for someone without one.
    pub fn signed_in(&self) -> Result<&Session, Response> {
        self.session.as_ref().ok_or_else(page::to_sign_in)
    }

    /// The session a form was posted within: the sign-in page for someone
    /// without one, the stale-form page when its CSRF token is not the
    /// session's.
    pub fn posted(&self, form: &[(String, String)]) -> Result<&Session, Response> {
        let session = self.signed_in()?;
        check_csrf(session, form)?;
        Ok(session)
    }
}

/// The client's address: the last `X-Forwarded-For` entry behind a proxy
/// (the one the proxy added), else the connection's.
fn address(parts: &Parts, behind_proxy: bool) -> String {
    if behind_proxy {
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
            .map(|a| a.trim().to_string());
        if let Some(address) = forwarded.filter(|a| !a.is_empty()) {
            return address;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string())
}

/// The value of the cookie called `name`.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// The CSRF check for a form posted within a session.
pub fn check_csrf(session: &Session, form: &[(String, String)]) -> Result<(), Response> {
    let given = field(form, "csrf");
    if crate::accounts::secret::same(given.as_bytes(), session.csrf.as_bytes()) {
        Ok(())
    } else {
        Err(page::stale_form())
    }
}

/// A form field's value ("" when absent).
pub fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}
