//! The per-launch session secret, CSRF token and security headers.

use crate::error::PageError;
use crate::Web;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

pub const COOKIE: &str = "feltsense_session";

/// 32 random bytes from the operating system, as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Constant-time comparison, so a guess learns nothing from timing.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub fn session_cookie(request: &Request) -> Option<String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
}

/// A secret that opens feltsense once: the printed link's (good until
/// used) or the one handed to the browser by `--open` (good for a minute).
pub struct Launch {
    token: String,
    until: Option<Instant>,
}

/// How long the `--open` link's token lives.
const OPEN_LINK_LIFETIME: Duration = Duration::from_secs(60);

impl Web {
    /// The secret for the printed link `/?token=...`. It opens feltsense
    /// once: the browser that uses it gets a separate session cookie.
    pub fn launch_token(&self) -> &str {
        &self.printed
    }

    /// A new secret for the link handed to the browser by `--open`, which
    /// other users can read in its arguments: distinct from the printed
    /// one, dead once used and dead after a minute.
    pub fn one_time_token(&self) -> String {
        let token = random_token();
        lock(&self.launches).push(Launch {
            token: token.clone(),
            until: Some(Instant::now() + OPEN_LINK_LIFETIME),
        });
        token
    }

    /// Uses up `given` if it is a live launch secret.
    fn take_launch(&self, given: &str) -> bool {
        self.take_launch_at(given, Instant::now())
    }

    fn take_launch_at(&self, given: &str, now: Instant) -> bool {
        let mut launches = lock(&self.launches);
        launches.retain(|l| l.until.is_none_or(|until| until > now));
        let found = launches.iter().position(|l| same_secret(&l.token, given));
        found.map(|i| launches.swap_remove(i)).is_some()
    }

    pub(crate) fn signed_in(&self, request: &Request) -> bool {
        request
            .extensions()
            .get::<crate::hosted::SignedInOutside>()
            .is_some()
            || session_cookie(request).is_some_and(|c| same_secret(&c, &self.session_secret()))
    }
}

/// The printed link's secret, as the list of launch secrets holds it.
pub fn printed_launch(token: &str) -> Mutex<Vec<Launch>> {
    Mutex::new(vec![Launch {
        token: token.to_string(),
        until: None,
    }])
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `/`: the printed link lands here with `?token=`; a live launch secret
/// is exchanged for the session cookie (HttpOnly, SameSite=Strict, and
/// host-only, so other servers on this computer never receive it). Without
/// one (a bookmark, the installed app window): the unlock page.
pub async fn enter(
    State(web): State<Arc<Web>>,
    Query(query): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    let first = if web.unlocked() {
        "/checkin"
    } else {
        "/unlock"
    };
    if web.signed_in(&request) {
        return Redirect::to(first).into_response();
    }
    match query.get("token") {
        Some(token) if web.take_launch(token) => crate::unlock::signed_in_at(&web, first),
        Some(_) => PageError::link_used().into_response(),
        None => crate::unlock::locked_response(&web, "/checkin"),
    }
}

/// Every page but `/`, the unlock page, help-now and the static assets
/// needs the session cookie and an open store; without them (or once the
/// app has been idle too long) the unlock page answers, with 401.
pub async fn require_session(
    State(web): State<Arc<Web>>,
    request: Request,
    next: Next,
) -> Response {
    if web.signed_in(&request) && !web.lock_if_idle() {
        web.seen();
        return next.run(request).await;
    }
    let path = request
        .uri()
        .path_and_query()
        .map_or("/checkin", |p| p.as_str());
    let asked = if request.method() == axum::http::Method::GET {
        path
    } else {
        "/checkin"
    };
    crate::unlock::locked_response(&web, asked)
}

/// The CSRF check for a submitted form.
pub fn check_csrf(web: &Web, form: &[(String, String)]) -> Result<(), PageError> {
    let given = form
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    match given {
        Some(token) if same_secret(token, &web.csrf) => Ok(()),
        _ => Err(PageError::new(
            StatusCode::FORBIDDEN,
            "This form could not be accepted because its safety token was missing or out of date \
             (perhaps feltsense was restarted). Nothing was saved. Please go back, reload the page and try again.",
        )),
    }
}

/// `worker-src` and `connect-src` are for the server's service worker
/// (`assets/sw.js`: registered, and fetching, from this origin only).
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
font-src 'none'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; form-action 'self'; \
frame-ancestors 'none'; base-uri 'none'";

/// Security headers on every response.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    add_security_headers(response.headers_mut());
    response
}

/// The headers every page of the app carries, locally and on the server
/// (which adds HSTS over https): the strict CSP, no sniffing, no framing, a
/// same-origin referrer, and `no-store` unless the page chose caching.
pub fn add_security_headers(h: &mut axum::http::HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        // Not "no-referrer": with it Chromium sends `Origin: null` on this
        // app's own form posts. "same-origin" still tells no other site.
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use feltsense_store::SqliteStore;

    #[test]
    fn the_open_links_token_is_dead_after_a_minute_and_the_printed_one_is_not() {
        let store = SqliteStore::open_in_memory("test").unwrap();
        let web = Web::new(Box::new(store));
        let late = Instant::now() + OPEN_LINK_LIFETIME + Duration::from_secs(1);
        let open = web.one_time_token();
        assert!(
            !web.take_launch_at(&open, late),
            "a minute later it opens nothing"
        );
        assert!(!web.take_launch(&open), "and it is gone");
        let printed = web.launch_token().to_string();
        assert!(
            web.take_launch_at(&printed, late),
            "the printed link waits for its person"
        );
        assert!(!web.take_launch(&printed), "once");
        let fresh = web.one_time_token();
        assert!(web.take_launch(&fresh) && !web.take_launch(&fresh));
    }
}
