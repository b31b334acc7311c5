//! feltsense's local web app: server-rendered pages over the same encrypted
//! store as the command line, for one person on their own machine.
//!
//! Only this crate knows HTTP and HTML. Pages are typed askama templates
//! (checked at compile time); charts are SVG drawn on the server, so every
//! page works without JavaScript and prints as it looks. `assets/app.js`
//! only enhances ("nothing" and words exclude each other, body-map focus).
//!
//! Security, for a loopback app that other people on the same computer
//! could reach: a per-launch secret in the printed link sets an HttpOnly,
//! SameSite=Strict cookie, and every page but the static assets needs it;
//! every POST carries a per-launch CSRF token; a strict Content-Security-
//! Policy allows nothing from anywhere but this server.

mod auth;
mod charts;
mod choices;
pub mod connections;
mod error;
pub mod hosted;
mod keeper;
mod kept_pages;
mod origin;
mod pages;
mod report;
mod unlock;

pub use report::{render_report, render_shared, ReportData, SharedData};

use axum::routing::{get, post};
use axum::Router;
use feltsense_core::metrics::trend::{weekly, Trend};
use feltsense_core::SafetyPlan;
use feltsense_core::{CheckIn, Vocabulary};
use feltsense_store::Store;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock};

pub use auth::{add_security_headers, random_token};
pub use choices::{ChoiceKeeper, Choices};
pub use pages::import::{ImportFile, Importer, Incoming};
pub use unlock::{Opener, DEFAULT_IDLE};

/// The app's state: the store and the per-launch secrets.
pub struct Web {
    /// Reached only through `Web::store`, on the blocking pool.
    store: keeper::SharedStore,
    /// What was last read from the store, and what was computed from it.
    cache: Arc<Mutex<Option<Arc<Snapshot>>>>,
    /// The calendar's and insights' pages as rendered from a version.
    pages: Arc<kept_pages::KeptPages>,
    /// The safety plan as last read or written, for help-now.
    plan: Mutex<Option<SafetyPlan>>,
    vocabulary: Vocabulary,
    /// The value of the session cookie, given only for a launch secret or
    /// the passphrase; a new one at every lock.
    session: Mutex<String>,
    /// Whether the store is open (see `unlock.rs`).
    unlocked: AtomicBool,
    /// Opens the store again after a lock; `None`: the app cannot lock.
    opener: Option<Opener>,
    /// Reads import files (the CLI's readers), for the settings page.
    importer: Option<pages::import::Importer>,
    /// The one-time word of "delete everything"'s second asking.
    deleting: Mutex<Option<(String, std::time::Instant)>>,
    /// Wrong passphrases and the idle clock, in memory only.
    guard: Mutex<unlock::Guard>,
    /// The printed link's secret, and the live launch secrets.
    printed: String,
    launches: Mutex<Vec<auth::Launch>>,
    /// The `host:port` feltsense serves at; every other `Host` is refused.
    authority: String,
    csrf: String,
    /// The crisis-line country and reminder plan, and where they are kept.
    held: Mutex<choices::Held>,
    /// The secret in the reminders calendar feed's address (calendar apps
    /// send no cookies); a hosted account can make a new one.
    feed: Mutex<String>,
    /// The store's file, for backup, re-key and restore from the settings
    /// page (the local app only).
    file: Option<std::path::PathBuf>,
    /// Served by `feltsense server` for one account (see `hosted.rs`):
    /// the settings page links the account's own pages.
    hosted: bool,
    /// The account's id when hosted (empty locally): the check-in page
    /// names it, so the service worker keeps each account's apart.
    account: String,
}

impl Web {
    /// A web app over `store`, with fresh random secrets.
    pub fn new(store: Box<dyn Store + Send>) -> Web {
        Web::with_secrets(store, random_token(), random_token())
    }

    /// With given session and CSRF secrets (tests).
    pub fn with_secrets(store: Box<dyn Store + Send>, session: String, csrf: String) -> Web {
        let plan = keeper::first_safety_plan(store.as_ref());
        Web::build(Some(store), plan, session, csrf)
    }

    fn build(
        store: Option<Box<dyn Store + Send>>,
        plan: Mutex<Option<SafetyPlan>>,
        session: String,
        csrf: String,
    ) -> Web {
        let printed = random_token();
        Web {
            launches: auth::printed_launch(&printed),
            printed,
            authority: String::new(),
            plan,
            unlocked: AtomicBool::new(store.is_some()),
            store: Arc::new(Mutex::new(store)),
            file: None,
            hosted: false,
            account: String::new(),
            cache: Arc::new(Mutex::new(None)),
            pages: Arc::default(),
            vocabulary: Vocabulary::embedded(),
            session: Mutex::new(session),
            opener: None,
            guard: Mutex::new(unlock::Guard::new(DEFAULT_IDLE)),
            deleting: Mutex::new(None),
            importer: None,
            csrf,
            held: choices::Held::new(),
            feed: Mutex::new(random_token()),
        }
    }

    /// A web app whose store is not open yet: every page but help-now
    /// shows the unlock page until the passphrase opens it with `opener`.
    pub fn locked(opener: Opener) -> Web {
        Web::build(None, Mutex::new(None), random_token(), random_token()).with_opener(opener)
    }

    /// Lets the app lock (by the Lock button or when idle) and unlock
    /// again with the passphrase through `opener`.
    pub fn with_opener(mut self, opener: Opener) -> Web {
        self.opener = Some(opener);
        self
    }

    /// Reads import files for the settings page with `importer`.
    pub fn with_importer(mut self, importer: pages::import::Importer) -> Web {
        self.importer = Some(importer);
        self
    }

    /// Locks after `idle` without a page asked for (default 15 minutes).
    pub fn with_idle_limit(self, idle: std::time::Duration) -> Web {
        self.set_idle_limit(idle);
        self
    }

    /// The store is the SQLCipher file at `path`: the settings page can back
    /// it up, change its passphrase and restore a backup into it.
    pub fn with_store_file(mut self, path: std::path::PathBuf) -> Web {
        self.file = Some(path);
        self
    }

    /// Serves at `authority` (`host:port`): requests with any other `Host`
    /// are refused. Until this is set, every request is.
    pub fn serving_at(mut self, authority: impl Into<String>) -> Web {
        self.authority = authority.into();
        self
    }
}

/// The store's check-ins at one version.
struct Snapshot {
    version: u64,
    /// Shared with the store when it keeps its check-ins opened.
    checkins: Arc<Vec<CheckIn>>,
    trend: OnceLock<Trend>,
}

impl Snapshot {
    /// The weekly trend over every check-in, computed once per version.
    fn trend(&self, vocabulary: &Vocabulary) -> &Trend {
        self.trend
            .get_or_init(|| weekly(&self.checkins, vocabulary))
    }
}

/// The routes of one area of the app, all behind the session.
type Routes = Router<Arc<Web>>;

/// Every route of the app.
pub fn router(web: Arc<Web>) -> Router {
    let pages = Router::new()
        .merge(checkin_routes())
        .merge(settings_routes())
        .merge(journal_routes())
        .merge(assess_routes())
        .merge(bridge_routes())
        .route("/report", get(pages::settings::report))
        .route("/export.json", get(pages::settings::export_json))
        .route("/export.csv", get(pages::settings::export_csv))
        .route("/lock", post(unlock::lock_button))
        .fallback(error::not_found)
        .route_layer(axum::middleware::from_fn_with_state(
            web.clone(),
            auth::require_session,
        ));
    open_routes()
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(
            web.clone(),
            origin::only_this_app,
        ))
        .layer(axum::middleware::from_fn(auth::security_headers))
        .with_state(web)
}

/// What needs no session: the way in, the assets, help now, the reminders
/// feed a calendar app fetches.
fn open_routes() -> Routes {
    Router::new()
        .merge(static_assets())
        .route("/", get(auth::enter))
        .route("/unlock", get(unlock::page).post(unlock::unlock))
        .route("/help-now", get(pages::safety::help_now))
        .route("/reminders.ics", get(pages::settings::reminders_feed))
}

/// The stylesheet, script, icons and manifest (none is private), here and
/// in the server's own pages (`hosted::assets`).
fn static_assets<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/static/app.css", get(pages::assets::css))
        .route("/static/app.js", get(pages::assets::js))
        .route("/static/icon.svg", get(pages::assets::icon))
        .route("/favicon.ico", get(pages::assets::icon))
        .route("/static/icon-192.png", get(pages::assets::icon_192))
        .route("/static/icon-512.png", get(pages::assets::icon_512))
        .route("/manifest.webmanifest", get(pages::assets::manifest))
}

/// Check-ins: new, edit, delete, the recent list, the calendar, insights,
/// and moving one to another time.
fn checkin_routes() -> Routes {
    Router::new()
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
        .route("/retime/{kind}/{id}", post(pages::retime::retime))
}

/// The settings page and what it posts to.
fn settings_routes() -> Routes {
    Router::new()
        .route("/settings", get(pages::settings::page))
        .route("/settings/backup", post(pages::store_file::backup))
        .route(
            "/settings/passphrase",
            post(pages::store_file::change_passphrase),
        )
        .route("/settings/restore", post(pages::store_file::restore))
        .route("/settings/country", post(pages::choices::country))
        .route("/settings/auto-lock", post(pages::choices::auto_lock))
        .route("/settings/reminders", post(pages::choices::reminders))
        .route("/settings/import", post(pages::import::import))
        .route(
            "/settings/delete",
            post(pages::store_file::delete_everything),
        )
}

fn journal_routes() -> Routes {
    Router::new()
        .route(
            "/journal",
            get(pages::journal::page).post(pages::journal::save),
        )
        .route("/journal/{id}", get(pages::journal::show))
        .route(
            "/journal/{id}/delete",
            get(pages::journal::confirm_delete).post(pages::journal::delete),
        )
}

/// The questionnaires.
fn assess_routes() -> Routes {
    Router::new()
        .route("/assess", get(pages::assess::page))
        .route(
            "/assess/{key}",
            get(pages::assess::form).post(pages::assess::submit),
        )
        .route("/assess/{key}/{id}", get(pages::assess::result))
}

/// Bridges, the practices and the safety plan.
fn bridge_routes() -> Routes {
    Router::new()
        .route("/bridges", get(pages::bridges::page))
        .route("/bridges/start", post(pages::bridges::start))
        .route("/bridges/end", post(pages::bridges::end))
        .route(
            "/practice/breathing/pace.css",
            get(pages::bridges::pace_css),
        )
        .route("/practice/{key}", get(pages::bridges::practice_page))
        .route("/practice/{key}/done", post(pages::bridges::practice_done))
        .route(
            "/safety-plan",
            get(pages::safety::plan).post(pages::safety::save_plan),
        )
}

/// Serves the app on `listener` until Ctrl-C, within the default limits
/// (fewer connections when the open-file limit is low), locking it when idle.
pub async fn serve(listener: tokio::net::TcpListener, web: Arc<Web>) -> std::io::Result<()> {
    tokio::spawn(unlock::watch_idle(Arc::clone(&web)));
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    connections::serve_until(
        listener,
        router(web),
        connections::Limits::for_this_process(),
        ctrl_c,
    )
    .await
}
