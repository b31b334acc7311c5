//! feltsense's local web app: server-rendered pages over the same encrypted
//! store as the command line, for one person on their own machine.
//!
//! Only this crate knows HTTP and HTML. Pages are typed askama templates
//! (checked at compile time); charts are SVG drawn on the server, so every
//! page works without JavaScript and prints as it looks. `assets/app.js`
//! only enhances (word suggestions from the grid, search, body-map focus).
//!
//! Security, for a loopback app that other people on the same computer
//! could reach: a per-launch secret in the printed link sets an HttpOnly,
//! SameSite=Strict cookie, and every page but the static assets needs it;
//! every POST carries a per-launch CSRF token; a strict Content-Security-
//! Policy allows nothing from anywhere but this server.

mod auth;
mod charts;
mod error;
mod pages;
mod report;

pub use report::{render_report, ReportData};

use axum::routing::{get, post};
use axum::Router;
use feltsense_core::metrics::trend::{weekly, Trend};
use feltsense_core::{CheckIn, Vocabulary};
use feltsense_store::Store;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

pub use auth::random_token;

/// The app's state: the store and the per-launch secrets.
pub struct Web {
    store: Mutex<Box<dyn Store + Send>>,
    /// What was last read from the store, and what was computed from it.
    cache: Mutex<Option<Arc<Snapshot>>>,
    vocabulary: Vocabulary,
    session: String,
    csrf: String,
    /// Whose crisis lines the safety panel shows.
    country: Option<String>,
    /// The secret in the reminders calendar feed's address (calendar apps
    /// send no cookies).
    feed: String,
}

impl Web {
    /// A web app over `store`, with fresh random secrets.
    pub fn new(store: Box<dyn Store + Send>) -> Web {
        Web::with_secrets(store, random_token(), random_token())
    }

    /// With given secrets (tests).
    pub fn with_secrets(store: Box<dyn Store + Send>, session: String, csrf: String) -> Web {
        Web {
            store: Mutex::new(store),
            cache: Mutex::new(None),
            vocabulary: Vocabulary::embedded(),
            session,
            csrf,
            country: None,
            feed: random_token(),
        }
    }

    /// Shows crisis lines for this country (ISO code such as `GB`).
    pub fn with_country(mut self, country: Option<String>) -> Web {
        self.country = country;
        self
    }

    /// The secret to put in the printed link: `/?token=...`.
    pub fn session_token(&self) -> &str {
        &self.session
    }

    fn store(&self) -> MutexGuard<'_, Box<dyn Store + Send>> {
        // A panic while holding the lock cannot leave a half-written check-in
        // (every write is one transaction), so the store stays usable.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Every check-in, newest first, and what is computed from all of them.
    /// Read from the store only when it has changed since the last read
    /// (here or through the command line), so the calendar and insights do
    /// not decrypt ten years on every request.
    fn snapshot(&self) -> Result<Arc<Snapshot>, feltsense_store::StoreError> {
        let store = self.store();
        let version = store.version()?;
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(snapshot) = cache.as_ref().filter(|s| s.version == version) {
            return Ok(Arc::clone(snapshot));
        }
        let snapshot = Arc::new(Snapshot {
            version,
            checkins: store.checkins(None)?,
            trend: OnceLock::new(),
        });
        *cache = Some(Arc::clone(&snapshot));
        Ok(snapshot)
    }
}

/// The store's check-ins at one version.
struct Snapshot {
    version: u64,
    checkins: Vec<CheckIn>,
    trend: OnceLock<Trend>,
}

impl Snapshot {
    /// The weekly trend over every check-in, computed once per version.
    fn trend(&self, vocabulary: &Vocabulary) -> &Trend {
        self.trend
            .get_or_init(|| weekly(&self.checkins, vocabulary))
    }
}

/// Every route of the app.
pub fn router(web: Arc<Web>) -> Router {
    let pages = Router::new()
        .route(
            "/checkin",
            get(pages::checkin::new).post(pages::checkin::create),
        )
        .route("/checkin/{id}/edit", get(pages::checkin::edit))
        .route("/checkin/{id}", post(pages::checkin::update))
        .route(
            "/checkin/{id}/delete",
            get(pages::recent::confirm_delete).post(pages::recent::delete),
        )
        .route("/recent", get(pages::recent::list))
        .route("/calendar", get(pages::calendar::year))
        .route("/day/{date}", get(pages::calendar::day))
        .route("/insights", get(pages::insights::page))
        .route("/settings", get(pages::settings::page))
        .route(
            "/journal",
            get(pages::journal::page).post(pages::journal::save),
        )
        .route("/journal/{id}", get(pages::journal::show))
        .route(
            "/journal/{id}/delete",
            get(pages::journal::confirm_delete).post(pages::journal::delete),
        )
        .route("/assess", get(pages::assess::page))
        .route(
            "/assess/{key}",
            get(pages::assess::form).post(pages::assess::submit),
        )
        .route("/bridges", get(pages::bridges::page))
        .route("/bridges/start", post(pages::bridges::start))
        .route("/bridges/end", post(pages::bridges::end))
        .route("/practice/{key}", get(pages::bridges::practice_page))
        .route("/practice/{key}/done", post(pages::bridges::practice_done))
        .route(
            "/safety-plan",
            get(pages::safety::plan).post(pages::safety::save_plan),
        )
        .route("/retime/{kind}/{id}", post(pages::retime::retime))
        .route("/report", get(pages::settings::report))
        .route("/export.json", get(pages::settings::export_json))
        .route("/export.csv", get(pages::settings::export_csv))
        .fallback(error::not_found)
        .route_layer(axum::middleware::from_fn_with_state(
            web.clone(),
            auth::require_session,
        ));
    Router::new()
        .route("/", get(auth::enter))
        .route("/static/app.css", get(pages::assets::css))
        .route("/static/app.js", get(pages::assets::js))
        .route("/static/icon.svg", get(pages::assets::icon))
        .route("/favicon.ico", get(pages::assets::icon))
        .route("/help-now", get(pages::safety::help_now))
        .route("/reminders.ics", get(pages::settings::reminders_feed))
        .merge(pages)
        .layer(axum::middleware::from_fn(auth::security_headers))
        .with_state(web)
}

/// Serves the app on `listener` until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, web: Arc<Web>) -> std::io::Result<()> {
    axum::serve(listener, router(web))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
