//! `feltsense server rotate-key` (`feltsense_server::rotate_key`, which
//! the command calls) with a staff account's second factor and a person's
//! calendar feed in the database: after it, the new key file signs the
//! admin in with their authenticator's code and serves the feed at the
//! address read before; the old key file is refused. On a database of its
//! own, since it touches every account.

use crate::common;
use crate::feed::feed_address;
use crate::support::*;
use axum::http::StatusCode;
use feltsense_server::accounts::{second_factor, Role};
use feltsense_server::{rotate_key, serve, ServerKey};
use uuid::Uuid;

/// Signs in with the password and the code the authenticator shows now.
async fn sign_in_with_code(on: &Instance, email: &str, secret: &[u8]) -> Browser {
    let browser = Browser::new();
    let first = browser.sign_in(on, email, PASSWORD).await;
    assert_eq!(first.location(), "/login/code", "{}", first.body);
    let csrf = browser.get(on, "/login/code").await.field("csrf");
    let code = second_factor::current(secret, now());
    let done = browser
        .post(on, "/login/code", &[("csrf", &csrf), ("code", &code)])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    browser
}

/// A connection to the test's own database as `url`'s role.
async fn owner(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    client
}

async fn set_sealed(owner: &tokio_postgres::Client, email: &str, sealed: &[u8]) {
    owner
        .execute(
            "UPDATE accounts SET totp_sealed = $2 WHERE email = $1",
            &[&email, &sealed],
        )
        .await
        .unwrap();
}

#[test]
fn rotating_the_key_keeps_second_factors_and_the_feed_working() {
    let (owner_url, app_url) = common::scratch_database();
    let dir = tempfile::tempdir().unwrap();
    let (old_file, new_file) = (dir.path().join("old.key"), dir.path().join("new.key"));
    common::db().runtime.block_on(async {
        let pool = serve::pool(&app_url).unwrap();
        serve::verify_key(&pool, &old_file).await.unwrap();
        let before = Cluster::with_key_file(&old_file).instance_at(&app_url);
        let tenant = Uuid::now_v7();
        let (admin, person) = (email("rotate-admin"), email("rotate-person"));
        let secret = invited(&before, &Browser::new(), tenant, Role::Admin, &admin)
            .await
            .expect("staff set up a second factor");
        let browser = Browser::new();
        invited(&before, &browser, tenant, Role::Person, &person).await;
        let feed = feed_address(&before, &browser).await;
        assert_eq!(
            Browser::new().get(&before, &feed).await.status,
            StatusCode::OK
        );

        let clinician = email("rotate-clinician");
        invited(
            &before,
            &Browser::new(),
            tenant,
            Role::Clinician,
            &clinician,
        )
        .await;

        let old = ServerKey::load(&old_file).unwrap();
        let new = ServerKey::load_or_create(&new_file).unwrap();
        let owner = owner(&owner_url).await;
        let sealed = |who: String| {
            let owner = &owner;
            async move {
                let row = owner
                    .query_one("SELECT totp_sealed FROM accounts WHERE email = $1", &[&who])
                    .await
                    .unwrap();
                row.get::<_, Vec<u8>>(0)
            }
        };
        let (admins, clinicians) = (sealed(admin.clone()).await, sealed(clinician.clone()).await);
        // One secret the old key cannot open: the rotation stops, and
        // changes nothing, neither data keys nor the other secrets.
        set_sealed(&owner, &clinician, &[7; 64]).await;
        assert!(rotate_key(&pool, &old, &new).await.is_err());
        assert_eq!(sealed(admin.clone()).await, admins);
        old.verify(&pool).await.unwrap();
        set_sealed(&owner, &clinician, &clinicians).await;
        // Nor does a data key it cannot unwrap leave second factors
        // sealed under the new key (they move in the same transaction).
        let name = app_url.rsplit('/').next().unwrap();
        let superuser = self::owner(&common::with_database(
            &common::var("FELTSENSE_ADMIN_URL"),
            name,
        ))
        .await;
        let wrapped: Vec<u8> = superuser
            .query_one("SELECT wrapped_key FROM people", &[])
            .await
            .unwrap()
            .get(0);
        let spoil = "UPDATE people SET wrapped_key = $1";
        superuser
            .execute(spoil, &[&vec![7u8; wrapped.len()]])
            .await
            .unwrap();
        assert!(rotate_key(&pool, &old, &new).await.is_err());
        assert_eq!(sealed(admin.clone()).await, admins);
        assert_eq!(sealed(clinician.clone()).await, clinicians);
        superuser.execute(spoil, &[&wrapped]).await.unwrap();

        let rotated = rotate_key(&pool, &old, &new).await.unwrap();
        assert_eq!(
            (rotated.people, rotated.second_factors, rotated.feeds),
            (1, 2, 1)
        );

        serve::verify_key(&pool, &new_file).await.unwrap();
        let refused = serve::verify_key(&pool, &old_file).await;
        assert!(
            refused.is_err(),
            "the old key file no longer opens anything"
        );
        let after = Cluster::with_key_file(&new_file).instance_at(&app_url);
        let staff = sign_in_with_code(&after, &admin, &secret).await;
        assert_eq!(staff.get(&after, "/staff").await.status, StatusCode::OK);
        let browser = Browser::new();
        let signed_in = browser.sign_in(&after, &person, PASSWORD).await;
        assert_eq!(
            signed_in.status,
            StatusCode::SEE_OTHER,
            "{}",
            signed_in.body
        );
        // The address read before the rotation still answers (phones keep
        // their subscription), and the settings page still shows it.
        let calendar = Browser::new().get(&after, &feed).await;
        assert_eq!(calendar.status, StatusCode::OK, "{}", calendar.body);
        assert!(calendar.body.contains("BEGIN:VCALENDAR"));
        assert_eq!(feed_address(&after, &browser).await, feed);
    });
}
