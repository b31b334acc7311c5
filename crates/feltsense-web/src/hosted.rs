//! One account's app inside `feltsense server`: the same routes and pages
//! over that person's store, signed in by the server's own session rather
//! than by a launch secret. The server checks its session first and then
//! marks the request with [`SignedInOutside`]; no browser can add that
//! mark (it is not a header, only a value the server's code puts on the
//! request), and a local app never sees it.

use crate::{pages, random_token, Web};
use axum::routing::get;
use axum::Router;
use feltsense_store::Store;

/// The server's word that this request's session is the person's own.
#[derive(Debug, Clone, Copy)]
pub struct SignedInOutside;

impl Web {
    /// The app over one account's `store`, for requests the server has
    /// signed in: `csrf` is the server session's token (its forms and the
    /// app's carry the same), `authority` the public `host[:port]`, and
    /// `feed` the secret in the account's calendar-feed address.
    pub fn hosted(
        store: Box<dyn Store + Send>,
        csrf: String,
        authority: impl Into<String>,
        feed: String,
    ) -> Web {
        let mut web = Web::with_secrets(store, random_token(), csrf).serving_at(authority);
        web.feed = std::sync::Mutex::new(feed);
        web.hosted = true;
        web
    }

    /// The account's feed secret is now `feed` (a new address was made,
    /// maybe on another instance): the settings page shows it, the feed
    /// answers only to it.
    pub fn set_feed(&self, feed: String) {
        *self
            .feed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = feed;
    }

    /// The secret in the feed's address now.
    pub(crate) fn feed(&self) -> String {
        self.feed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Names the account this app is for (its id), which the check-in
    /// page carries for the service worker.
    pub fn for_account(mut self, account: impl Into<String>) -> Web {
        self.account = account.into();
        self
    }
}

/// The stylesheet, script, icons, manifest and service worker, for the
/// server's own pages and before anyone signs in (none is private).
pub fn assets() -> Router {
    crate::static_assets().route("/sw.js", get(pages::assets::service_worker))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use feltsense_store::SqliteStore;
    use std::sync::Arc;
    use tower::ServiceExt as _;

    fn request(signed_in: bool) -> Request<Body> {
        let mut request = Request::get("/checkin")
            .header("host", "feltsense.example.org")
            .body(Body::empty())
            .unwrap();
        if signed_in {
            request.extensions_mut().insert(SignedInOutside);
        }
        request
    }

    #[tokio::test]
    async fn a_hosted_app_opens_only_for_requests_the_server_signed_in() {
        let store = SqliteStore::open_in_memory("test").unwrap();
        let web = Web::hosted(
            Box::new(store),
            "csrf".into(),
            "feltsense.example.org",
            "feed".into(),
        );
        let app = crate::router(Arc::new(web));
        let outside = app.clone().oneshot(request(false)).await.unwrap();
        assert_ne!(outside.status(), StatusCode::OK);
        let inside = app.oneshot(request(true)).await.unwrap();
        assert_eq!(inside.status(), StatusCode::OK);
    }
}
