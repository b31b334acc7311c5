//! The person's app: every route of the local app, served by
//! `feltsense_web::router` over the signed-in person's own store, marked
//! as signed in by the server's session. Staff accounts have no app (they
//! see the staff page); anyone not signed in is sent to sign in, except
//! for `/help-now`, which anyone may read.

use super::page::{self, Problem};
use super::{Server, Visitor};
use crate::accounts::{Account, Session};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use feltsense_web::hosted::SignedInOutside;
use feltsense_web::Web;
use std::sync::{Arc, MutexGuard, PoisonError};
use tower::ServiceExt as _;

/// How many sessions' apps are kept in memory before the cache starts over.
const KEPT_APPS: usize = 1000;

/// Every route that is not the server's own.
pub async fn forward(
    State(server): State<Arc<Server>>,
    visitor: Result<Visitor, Response>,
    request: Request,
) -> Response {
    let visitor = match visitor {
        Ok(visitor) => visitor,
        Err(refused) => return keep_what_was_typed(refused, request).await,
    };
    let person = visitor.session.as_ref().filter(|s| !s.role().is_staff());
    if request.uri().path() == "/help-now" && person.is_none() {
        return server
            .anonymous_app()
            .oneshot(request)
            .await
            .unwrap_or_else(|never| match never {});
    }
    let Some(session) = &visitor.session else {
        return if request.method() == Method::GET || request.method() == Method::HEAD {
            page::to_sign_in()
        } else {
            page::stale_form()
        };
    };
    if session.role().is_staff() {
        return Problem::new(
            StatusCode::FORBIDDEN,
            "This is a staff account, which keeps no check-ins of its own. The staff page is at /staff.",
        )
        .into_response();
    }
    let navigation = super::sharing_person::navigation(&request);
    if let Some(notice) = super::sharing_person::before_app(&server, session, navigation).await {
        return notice;
    }
    let app = match server.app_for(session).await {
        Ok(app) => app,
        Err(e) => return page::internal(e),
    };
    if request.uri().path() == "/settings" {
        // The feed's address may have been made anew on another instance.
        match server.accounts.feed_token(&session.account).await {
            Ok(feed) => app.0.set_feed(feed),
            Err(e) => return page::internal(e),
        }
    }
    serve(app.1, request).await
}

/// A POST refused because the database is not answering keeps its form
/// (a form of up to 2 MiB, axum's default limit) in the 503 page; any other refusal stands.
async fn keep_what_was_typed(refused: Response, request: Request) -> Response {
    if refused.extensions().get::<page::Unsent>().is_none() {
        return refused;
    }
    use axum::extract::FromRequest as _;
    let action = request.uri().path().to_string();
    match axum::Form::<Vec<(String, String)>>::from_request(request, &()).await {
        Ok(axum::Form(form)) => page::keep_unsent(&action, form),
        Err(_) => refused,
    }
}

async fn serve(app: Router, mut request: Request) -> Response {
    request.extensions_mut().insert(SignedInOutside);
    match app.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// `/reminders.ics?token=…`: the account's calendar feed (calendar apps
/// send no cookies, so the secret in the address is what opens it).
pub async fn feed(State(server): State<Arc<Server>>, request: Request) -> Response {
    let token = request
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .unwrap_or_default()
        .to_string();
    let account = match server.accounts.by_feed(&token).await {
        Ok(Some(account)) if !account.role.is_staff() => account,
        Ok(_) => {
            return Problem::new(
                StatusCode::NOT_FOUND,
                "There is no calendar at this address.",
            )
            .into_response()
        }
        Err(e) => return page::internal(e),
    };
    let app = match server
        .build_app(&account, crate::accounts::secret::token())
        .await
    {
        Ok((_, app)) => app,
        Err(e) => return page::internal(e),
    };
    let response = app
        .oneshot(request)
        .await
        .unwrap_or_else(|never| match never {});
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, 4 << 20).await {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let linked = link_events(&text, &format!("{}/checkin", server.site.origin()));
            Response::from_parts(parts, axum::body::Body::from(linked))
        }
        Err(e) => page::internal(e),
    }
}

/// Each event of the feed opens the server's check-in page (RFC 5545
/// `URL`, folded at 75 octets like every other line).
fn link_events(ics: &str, checkin: &str) -> String {
    let mut line = format!("URL:{checkin}");
    let mut folded = String::new();
    while line.len() > 75 {
        let mut cut = 75;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        folded.push_str(&line[..cut]);
        folded.push_str("\r\n ");
        line = line[cut..].to_string();
    }
    folded.push_str(&line);
    ics.replace("BEGIN:VEVENT\r\n", &format!("BEGIN:VEVENT\r\n{folded}\r\n"))
}

impl Server {
    /// The session's app: kept, or opened over the person's store.
    async fn app_for(&self, session: &Session) -> anyhow::Result<(Arc<Web>, Router)> {
        if let Some(app) = self.apps().get(&session.id) {
            return Ok(app.clone());
        }
        let built = self
            .build_app(&session.account, session.csrf.clone())
            .await?;
        let app = built.clone();
        let mut apps = self.apps();
        if apps.len() >= KEPT_APPS {
            apps.clear();
        }
        apps.insert(session.id, built);
        Ok(app)
    }

    async fn build_app(
        &self,
        account: &Account,
        csrf: String,
    ) -> anyhow::Result<(Arc<Web>, Router)> {
        let feed = self.accounts.feed_token(account).await?;
        let stores = Arc::clone(&self.stores);
        let (tenant, person) = (account.tenant, account.id);
        let authority = self.site.authority.clone();
        // Opening the store and making the app (which reads the safety plan
        // for help-now) both call the store: on the blocking pool.
        let web = tokio::task::spawn_blocking(move || {
            let store = stores.open(tenant, person)?;
            let web = Web::hosted(store, csrf, authority, feed).for_account(person.to_string());
            anyhow::Ok(Arc::new(web))
        })
        .await??;
        Ok((Arc::clone(&web), feltsense_web::router(web)))
    }

    /// The crisis-line country the session's app shows (the person's
    /// choice in settings), if its app is open.
    pub(super) fn country_of(&self, session: uuid::Uuid) -> Option<String> {
        self.apps()
            .get(&session)
            .and_then(|(web, _)| web.choices().country)
    }

    /// Forgets a session's app (signed out, revoked, deleted).
    pub fn forget_app(&self, session: uuid::Uuid) {
        self.apps().remove(&session);
    }

    fn apps(&self) -> MutexGuard<'_, std::collections::HashMap<uuid::Uuid, (Arc<Web>, Router)>> {
        self.apps.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// An app over an empty store, only for `/help-now` before signing in.
    fn anonymous_app(&self) -> Router {
        self.anonymous
            .get_or_init(|| {
                let store = feltsense_store::SqliteStore::open_in_memory("help-now")
                    .expect("an in-memory store opens");
                let web = Web::hosted(
                    Box::new(store),
                    crate::accounts::secret::token(),
                    self.site.authority.clone(),
                    crate::accounts::secret::token(),
                );
                feltsense_web::router(Arc::new(web))
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_event_links_to_the_check_in_page_within_75_octets_a_line() {
        let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n";
        let linked = super::link_events(ics, "https://feltsense.example.org/checkin");
        assert_eq!(
            linked
                .matches("URL:https://feltsense.example.org/checkin\r\n")
                .count(),
            2
        );
        let long = format!("https://{}.example.org/checkin", "a".repeat(80));
        let folded = super::link_events(ics, &long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75), "{folded}");
        assert_eq!(
            folded
                .replace("\r\n ", "")
                .matches(&format!("URL:{long}"))
                .count(),
            2
        );
    }
}
