//! Each person's calendar feed has a random secret of its own (kept as its
//! hash, and sealed so the settings page can show it): "make a new
//! address" on the settings page ends the old one, is a posted form with
//! the session's CSRF token, and is a security event; the new address is
//! shown by another instance too.

use crate::support::*;
use axum::http::StatusCode;
use feltsense_server::accounts::Role;
use uuid::Uuid;

/// The calendar feed's address, as the person's settings page shows it.
pub async fn feed_address(on: &Instance, browser: &Browser) -> String {
    let settings = browser.get(on, "/settings").await;
    let start = settings
        .body
        .find("/reminders.ics?token=")
        .expect("the settings page links the feed");
    settings.body[start..]
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_feed_address_ends_the_old_one_on_every_instance() {
    let cluster = Cluster::new().await;
    let (one, two) = (cluster.instance(), cluster.instance());
    let browser = Browser::new();
    let who = email("renew-feed");
    invited(&one, &browser, Uuid::now_v7(), Role::Person, &who).await;
    let old = feed_address(&one, &browser).await;
    assert_eq!(feed_address(&two, &browser).await, old, "one secret");
    assert_eq!(Browser::new().get(&two, &old).await.status, StatusCode::OK);

    let anonymous = Browser::new()
        .post(&one, "/account/feed", &[("csrf", "")])
        .await;
    assert_eq!(anonymous.location(), "/login");
    let forged = browser
        .post(&one, "/account/feed", &[("csrf", "not the session's")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    assert_eq!(feed_address(&one, &browser).await, old, "nothing changed");

    let csrf = browser.csrf(&one).await;
    let renewed = browser
        .post(&one, "/account/feed", &[("csrf", &csrf)])
        .await;
    assert_eq!(
        renewed.location(),
        "/settings?done=feed",
        "{}",
        renewed.body
    );
    let said = browser.get(&one, "/settings?done=feed").await;
    assert!(
        said.body.contains("A new calendar address is made"),
        "{}",
        said.body
    );
    let new = feed_address(&one, &browser).await;
    assert_ne!(new, old);
    assert_eq!(
        feed_address(&two, &browser).await,
        new,
        "the other instance shows it"
    );
    for on in [&one, &two] {
        assert_eq!(
            Browser::new().get(on, &old).await.status,
            StatusCode::NOT_FOUND
        );
        let feed = Browser::new().get(on, &new).await;
        assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    }
    let events = database()
        .await
        .query(
            "SELECT e.kind FROM security_events e JOIN accounts a ON a.id = e.account \
             WHERE a.email = $1 AND e.kind = 'feed_renewed'",
            &[&who],
        )
        .await
        .unwrap();
    assert_eq!(events.len(), 1, "one renewal, recorded once");
    let stored = database()
        .await
        .query_one(
            "SELECT feed_hash, feed_sealed FROM accounts WHERE email = $1",
            &[&who],
        )
        .await
        .unwrap();
    let token = new.rsplit('=').next().unwrap();
    let (hash, sealed): (Vec<u8>, Vec<u8>) = (stored.get(0), stored.get(1));
    assert_eq!(hash, feltsense_server::accounts::secret::digest(token));
    assert!(
        !sealed.windows(token.len()).any(|w| w == token.as_bytes()),
        "the token is not stored as it is"
    );
}
