//! Locked and unlocked: the unlock page (the passphrase, with a growing
//! wait after each wrong one, kept in memory), the Lock button, and the
//! auto-lock after a chosen idle time. Locking closes the store (SQLCipher
//! wipes its key when the connection closes), drops every decrypted copy
//! (the snapshot cache, help-now's copy of the plan) and changes the session
//! secret, so every browser that had the app open must unlock it again.
//!
//! The unlock page needs no launch secret, so a bookmark or an installed app
//! window reaches it after a restart; the passphrase then does what the
//! printed link does. ARCHITECTURE.md's security section weighs this.

use crate::auth::{check_csrf, random_token};
use crate::error::PageError;
use crate::pages::render;
use crate::Web;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use feltsense_store::{Store, StoreError, StoreResult};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Opens the store with a passphrase (the local app: the SQLCipher file).
pub type Opener = Arc<dyn Fn(&str) -> StoreResult<Box<dyn Store + Send>> + Send + Sync>;

/// The auto-lock time when none is chosen.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(15 * 60);

/// The longest wait between two tries of a passphrase.
const LONGEST_WAIT: Duration = Duration::from_secs(300);

/// What the lock keeps in memory: wrong tries and the last sign of life.
pub struct Guard {
    failures: u32,
    not_before: Option<Instant>,
    last_seen: Instant,
    pub(crate) idle: Duration,
}

impl Guard {
    pub fn new(idle: Duration) -> Guard {
        Guard {
            failures: 0,
            not_before: None,
            last_seen: Instant::now(),
            idle,
        }
    }
}

/// The wait after `failures` wrong passphrases in a row: 1 s, 2 s, 4 s, ...
/// up to five minutes.
pub fn wait_after(failures: u32) -> Duration {
    let seconds = 1u64 << failures.saturating_sub(1).min(16);
    Duration::from_secs(seconds).min(LONGEST_WAIT)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Web {
    /// Whether the store is open (a session alone is not enough).
    pub(crate) fn unlocked(&self) -> bool {
        self.unlocked.load(Ordering::SeqCst)
    }

    /// The session cookie's value now (it changes at every lock).
    pub(crate) fn session_secret(&self) -> String {
        lock(&self.session).clone()
    }

    /// A request was answered for the person: the idle clock starts again.
    pub(crate) fn seen(&self) {
        lock(&self.guard).last_seen = Instant::now();
    }

    /// Locks if the app has been idle longer than the chosen time; true if
    /// it is locked now.
    pub fn lock_if_idle(&self) -> bool {
        let idle = {
            let guard = lock(&self.guard);
            guard.last_seen.elapsed() >= guard.idle
        };
        if idle && self.unlocked() {
            self.lock_now();
        }
        !self.unlocked()
    }

    /// The auto-lock time now.
    pub fn idle_limit(&self) -> Duration {
        lock(&self.guard).idle
    }

    /// Sets the auto-lock time.
    pub fn set_idle_limit(&self, idle: Duration) {
        lock(&self.guard).idle = idle;
    }

    /// Closes the store, drops every decrypted copy, ends every session.
    /// Only when the app can open the store again (it has an opener).
    pub fn lock_now(&self) {
        if self.opener.is_none() {
            return;
        }
        self.unlocked.store(false, Ordering::SeqCst);
        *lock(&self.session) = random_token();
        drop(lock(&self.store).take());
        *lock(&self.cache) = None;
        *lock(&self.plan) = None;
    }

    /// Tries `passphrase`, if no wait is due: `Ok` once the store is open
    /// with it (or proven to open, when it already was).
    async fn try_passphrase(&self, passphrase: String) -> Result<(), Refusal> {
        self.start_attempt()?;
        let opened = self.open_with(passphrase).await;
        let mut guard = lock(&self.guard);
        match opened {
            Ok(()) => {
                guard.failures = 0;
                guard.not_before = None;
                guard.last_seen = Instant::now();
                Ok(())
            }
            Err(StoreError::WrongPassphrase | StoreError::EmptyPassphrase) => {
                guard.failures += 1;
                guard.not_before = Some(Instant::now() + wait_after(guard.failures));
                Err(Refusal::Wrong(wait_after(guard.failures)))
            }
            Err(other) => {
                guard.not_before = None;
                Err(Refusal::Trouble(other.to_string()))
            }
        }
    }

    /// Refuses a try while a wait is due, or while another try runs.
    fn start_attempt(&self) -> Result<(), Refusal> {
        let mut guard = lock(&self.guard);
        let now = Instant::now();
        if let Some(until) = guard.not_before.filter(|&until| until > now) {
            return Err(Refusal::Wait(until - now));
        }
        guard.not_before = Some(now + wait_after(guard.failures + 1));
        Ok(())
    }

    async fn open_with(&self, passphrase: String) -> StoreResult<()> {
        let Some(opener) = self.opener.clone() else {
            return Err(StoreError::Backend(
                "this app has no store file to unlock".into(),
            ));
        };
        let store = Arc::clone(&self.store);
        let was_open = self.unlocked();
        tokio::task::spawn_blocking(move || {
            let opened = opener(&passphrase)?;
            let mut held = lock(&store);
            if !was_open || held.is_none() {
                *held = Some(opened);
            }
            Ok(())
        })
        .await
        .unwrap_or_else(|e| Err(StoreError::Backend(format!("the unlock stopped: {e}"))))?;
        self.unlocked.store(true, Ordering::SeqCst);
        Ok(())
    }
}

impl Web {
    /// A one-time word for "delete everything"'s second asking.
    pub(crate) fn start_deletion(&self, lasts: Duration) -> String {
        let word = random_token();
        *lock(&self.deleting) = Some((word.clone(), Instant::now() + lasts));
        word
    }

    /// Uses up the word, if it is the live one.
    pub(crate) fn take_deletion(&self, given: &str) -> bool {
        let held = lock(&self.deleting).take();
        held.is_some_and(|(word, until)| {
            Instant::now() < until && crate::auth::same_secret(&word, given)
        })
    }
}

/// Why a passphrase did not unlock the app.
enum Refusal {
    Wrong(Duration),
    Wait(Duration),
    Trouble(String),
}

impl Refusal {
    fn message(&self) -> String {
        match self {
            Refusal::Wrong(wait) => format!(
                "That passphrase does not open your store. Please check it and try again{}.",
                in_words(*wait, " in")
            ),
            Refusal::Wait(wait) => format!(
                "To keep your store safe from guessing, feltsense waits a little after a wrong \
                 passphrase. Please try again{}. Nothing was tried.",
                in_words(*wait, " in")
            ),
            Refusal::Trouble(e) => format!("feltsense could not open your store just now: {e}."),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Refusal::Wrong(_) => StatusCode::UNAUTHORIZED,
            Refusal::Wait(_) => StatusCode::TOO_MANY_REQUESTS,
            Refusal::Trouble(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// " in 3 seconds", or nothing for a wait under a second.
fn in_words(wait: Duration, prefix: &str) -> String {
    let seconds = wait.as_secs_f64().ceil() as u64;
    match seconds {
        0 => String::new(),
        1 => format!("{prefix} a second"),
        s if s < 120 => format!("{prefix} {s} seconds"),
        s => format!("{prefix} {} minutes", s.div_ceil(60)),
    }
}

#[derive(Template)]
#[template(path = "unlock.html")]
struct UnlockPage {
    title: &'static str,
    csrf: String,
    next: String,
    problem: Option<String>,
    locked_now: bool,
    can_unlock: bool,
}

/// Where to go after unlocking: a path of this app, else the check-in.
fn next_page(given: Option<&str>) -> String {
    given
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .filter(|n| !n.starts_with("/unlock"))
        .unwrap_or("/checkin")
        .to_string()
}

/// The unlock page (`locked_now`: just after the Lock button).
fn unlock_html(
    web: &Web,
    next: Option<&str>,
    problem: Option<String>,
    locked_now: bool,
) -> Result<Html<String>, PageError> {
    render(&UnlockPage {
        title: if locked_now {
            "feltsense is locked"
        } else {
            "Unlock feltsense"
        },
        csrf: web.csrf.clone(),
        next: next_page(next),
        problem,
        locked_now,
        can_unlock: web.opener.is_some(),
    })
}

/// The unlock page with `status` (401 where a page was asked for).
pub(crate) fn unlock_page(
    web: &Web,
    next: Option<&str>,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    match unlock_html(web, next, problem, false) {
        Ok(html) => (status, html).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /unlock`.
pub async fn page(
    State(web): State<Arc<Web>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let next = q.get("next").map(String::as_str);
    unlock_html(&web, next, None, q.contains_key("locked"))
}

type Fields = Vec<(String, String)>;

fn field<'a>(form: &'a Fields, name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `POST /unlock`: the passphrase opens the store and gives this browser
/// the session cookie.
pub async fn unlock(State(web): State<Arc<Web>>, Form(form): Form<Fields>) -> Response {
    if let Err(e) = check_csrf(&web, &form) {
        return e.into_response();
    }
    let next = field(&form, "next");
    let passphrase = field(&form, "passphrase").unwrap_or_default().to_string();
    match web.try_passphrase(passphrase).await {
        Ok(()) => signed_in_at(&web, &next_page(next)),
        Err(refusal) => unlock_page(&web, next, Some(refusal.message()), refusal.status()),
    }
}

/// A redirect to `to` that sets the session cookie (HttpOnly,
/// SameSite=Strict, host-only).
pub(crate) fn signed_in_at(web: &Web, to: &str) -> Response {
    let cookie = format!(
        "{}={}; HttpOnly; SameSite=Strict; Path=/",
        crate::auth::COOKIE,
        web.session_secret()
    );
    let mut response = Redirect::to(to).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// `POST /lock`: the Lock button on every page. It carries no CSRF token
/// (the button is in the shared page frame): locking only takes access
/// away, and the origin check still refuses a post from any other page.
pub async fn lock_button(State(web): State<Arc<Web>>) -> Result<Response, PageError> {
    if web.opener.is_none() {
        return Err(PageError::new(
            StatusCode::NOT_FOUND,
            "This app has no store file it could open again, so it cannot be locked here.",
        ));
    }
    let closing = Arc::clone(&web);
    tokio::task::spawn_blocking(move || closing.lock_now())
        .await
        .map_err(PageError::internal)?;
    Ok(Redirect::to("/unlock?locked=1").into_response())
}

/// Checks for an idle app every second, until the server stops.
pub async fn watch_idle(web: Arc<Web>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        // Closing the store may wait for a store call to finish: not on an
        // async worker.
        let web = Arc::clone(&web);
        let _ = tokio::task::spawn_blocking(move || web.lock_if_idle()).await;
    }
}

/// The unlock page as the answer to a page asked for while locked.
pub(crate) fn locked_response(web: &Web, path: &str) -> Response {
    unlock_page(web, Some(path), None, StatusCode::UNAUTHORIZED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_grows_and_stops_growing() {
        let waits: Vec<u64> = (1..=12).map(|n| wait_after(n).as_secs()).collect();
        assert_eq!(&waits[..6], &[1, 2, 4, 8, 16, 32]);
        assert_eq!(wait_after(40), LONGEST_WAIT);
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn only_this_apps_pages_come_next() {
        assert_eq!(
            next_page(Some("/calendar?year=2026")),
            "/calendar?year=2026"
        );
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "/unlock",
            "",
        ] {
            assert_eq!(next_page(Some(bad)), "/checkin", "{bad}");
        }
        assert_eq!(
            in_words(Duration::from_millis(1500), " in"),
            " in 2 seconds"
        );
        assert_eq!(in_words(Duration::from_secs(300), " in"), " in 5 minutes");
    }
}
