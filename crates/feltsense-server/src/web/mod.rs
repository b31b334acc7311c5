//! The server's HTTP side: its own pages (sign-in, links, sessions,
//! deletion, the staff page) and, for a signed-in person, every route of
//! the local app over their own store.
//!
//! Every request: `Host` must be the public address, a POST must come from
//! it (`Origin`), the local app's strict CSP, HSTS over https. Cookies are
//! `__Host-` prefixed, Secure, HttpOnly, SameSite=Lax; every POST carries
//! the session's CSRF token (or, before a session, a token bound to the
//! link or to a short-lived pre-session cookie).

// A handler's early answer is a whole `Response`; boxing it would buy nothing.
#![allow(clippy::result_large_err)]

mod account;
mod app;
mod enrol;
mod guard;
mod links;
mod page;
mod readers;
mod sharing_person;
mod sign_in;
mod staff;

/// A person page's parts, for the benchmark that times its read and render.
pub use readers::{page_html, Look, Period};

use crate::accounts::Accounts;
use crate::keys::ServerKey;
use crate::person_stores::PersonStores;
use crate::site::Site;
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use uuid::Uuid;

pub use guard::Visitor;

/// What every handler shares.
pub struct Server {
    pub accounts: Accounts,
    pub stores: Arc<dyn PersonStores>,
    pub site: Site,
    /// What the readers' pages read a person's shared data with.
    pub sharing: Sharing,
    /// Each session's app (its CSRF token is the session's), kept while
    /// the session lives; the store's `version` keeps what each caches
    /// true when another instance writes.
    apps: Mutex<HashMap<Uuid, (Arc<feltsense_web::Web>, Router)>>,
    /// The app over an empty store that answers `/help-now` to anyone.
    anonymous: OnceLock<Router>,
}

/// The pool and the server key, for reads under a grant
/// ([`crate::sharing::SharedView`]) and the caseload.
pub struct Sharing {
    pub pool: deadpool_postgres::Pool,
    pub key: Arc<ServerKey>,
}

impl Server {
    pub fn new(
        accounts: Accounts,
        stores: Arc<dyn PersonStores>,
        site: Site,
        sharing: Sharing,
    ) -> Arc<Server> {
        Arc::new(Server {
            accounts,
            stores,
            site,
            sharing,
            apps: Mutex::new(HashMap::new()),
            anonymous: OnceLock::new(),
        })
    }
}

/// Every route of the server.
pub fn router(server: Arc<Server>) -> Router {
    let own = Router::new()
        .route("/", get(sign_in::home))
        .route("/healthz", get(guard::healthz))
        .route("/login", get(sign_in::page).post(sign_in::submit))
        .route("/login/code", get(sign_in::code_page).post(sign_in::code))
        .route("/logout", post(sign_in::logout))
        .route("/setup/{token}", get(links::page).post(links::submit))
        .route("/invite/{token}", get(links::page).post(links::submit))
        .route("/reset/{token}", get(links::page).post(links::submit))
        .route("/account/sessions", get(account::sessions))
        .route("/account/sessions/revoke", post(account::revoke))
        .route("/account/sessions/revoke-all", post(account::revoke_all))
        .route("/account/feed", post(account::renew_feed))
        .route(
            "/account/delete",
            get(account::delete_page).post(account::delete),
        )
        .route("/staff", get(staff::page))
        .route("/staff/invite", post(staff::invite))
        .route("/staff/reset", post(staff::reset))
        .route("/reminders.ics", get(app::feed))
        // The readers' side of sharing (issue 14): a clinician's caseload
        // and person pages, a trusted person's view, emergency access.
        .route("/clinician", get(readers::clinician::caseload))
        .route("/clinician/person/{id}", get(readers::clinician::person))
        .route("/shared-with-me", get(readers::trusted::list))
        .route("/shared-with-me/{id}", get(readers::trusted::person))
        .route(
            "/staff/emergency",
            get(readers::emergency::page).post(readers::emergency::open),
        )
        .route("/staff/emergency/{id}", get(readers::emergency::person))
        // The person's side of sharing (issue 14): /sharing…, /account/sharing-code.
        .merge(sharing_person::routes())
        .fallback(app::forward)
        .with_state(server.clone());
    Router::new()
        .merge(feltsense_web::hosted::assets())
        .merge(own)
        .layer(axum::middleware::from_fn_with_state(
            server.clone(),
            guard::only_this_site,
        ))
        .layer(axum::middleware::from_fn_with_state(
            server,
            guard::security_headers,
        ))
}
