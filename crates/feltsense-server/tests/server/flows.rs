//! Sign-in limits across instances, two instances serving one person,
//! second factors and recovery codes, resets, sessions, deletion, health.

use crate::support::*;
use axum::http::StatusCode;
use feltsense_server::accounts::{second_factor, Role};
use uuid::Uuid;

async fn events(email: &str) -> Vec<String> {
    let rows = database()
        .await
        .query(
            "SELECT e.kind FROM security_events e JOIN accounts a ON a.id = e.account WHERE a.email = $1 ORDER BY e.id",
            &[&email],
        )
        .await
        .unwrap();
    rows.iter().map(|r| r.get(0)).collect()
}

/// Signs in with the password, then `code` on the second page.
async fn sign_in_with_code(on: &Instance, browser: &Browser, email: &str, code: &str) -> Reply {
    let first = browser.sign_in(on, email, PASSWORD).await;
    assert_eq!(first.location(), "/login/code", "{}", first.body);
    let page = browser.get(on, "/login/code").await;
    browser
        .post(
            on,
            "/login/code",
            &[("csrf", &page.field("csrf")), ("code", code)],
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_on_two_instances_add_up_to_one_lockout() {
    let cluster = Cluster::new().await;
    let (one, two) = (cluster.instance(), cluster.instance());
    let person = email("locked");
    invited(&one, &Browser::new(), Uuid::now_v7(), Role::Person, &person).await;
    for attempt in 0..5 {
        let on = if attempt % 2 == 0 { &one } else { &two };
        let wrong = Browser::new()
            .sign_in(on, &person, "not the password at all")
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        assert!(wrong.body.contains(&person), "the email typed is kept");
    }
    let right = Browser::new().sign_in(&two, &person, PASSWORD).await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        right.body
    );
    assert!(right.body.contains("15 minutes"));
    let kinds = events(&person).await;
    assert_eq!(
        kinds.iter().filter(|k| *k == "sign_in_failed").count(),
        5,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"sign_in_limited".to_string()), "{kinds:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_that_fails_often_rests_while_another_signs_in() {
    let cluster = Cluster::new().await;
    let (one, two) = (cluster.instance(), cluster.instance());
    let person = email("address");
    invited(&one, &Browser::new(), Uuid::now_v7(), Role::Person, &person).await;
    let guesser = Browser::new();
    for n in 0..30 {
        let on = if n % 2 == 0 { &one } else { &two };
        let reply = guesser
            .sign_in(on, &email("nobody"), "guess guess guess")
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let from_there = guesser.sign_in(&one, &person, PASSWORD).await;
    assert_eq!(from_there.status, StatusCode::TOO_MANY_REQUESTS);
    let elsewhere = Browser::new().sign_in(&two, &person, PASSWORD).await;
    assert_eq!(
        elsewhere.status,
        StatusCode::SEE_OTHER,
        "{}",
        elsewhere.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_serve_one_person_with_one_session() {
    let cluster = Cluster::new().await;
    let (one, two) = (cluster.instance(), cluster.instance());
    let person = email("both");
    let browser = Browser::new();
    invited(&one, &browser, Uuid::now_v7(), Role::Person, &person).await;
    assert_eq!(
        browser.get(&two, "/checkin").await.status,
        StatusCode::OK,
        "the session works on both"
    );
    let csrf = browser.csrf(&one).await;
    for (n, (writer, reader)) in [(&one, &two), (&two, &one), (&one, &two)]
        .into_iter()
        .enumerate()
    {
        let note = format!("note{n}x{}", Uuid::now_v7().simple());
        let form = [
            ("csrf", csrf.as_str()),
            ("feel", "calm"),
            ("int_calm", "2"),
            ("note", &note),
        ];
        let saved = browser.post(writer, "/checkin", &form).await;
        assert!(
            saved.status.is_redirection(),
            "{}: {}",
            saved.status,
            saved.body
        );
        let recent = browser.get(reader, "/recent").await;
        assert!(
            recent.body.contains(&note),
            "check-in {n} written through one is seen through the other"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sign_in_with_a_code_and_a_recovery_code_works_once() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let clinician = email("clinician");
    let first = Browser::new();
    let tenant = Uuid::now_v7();
    let invite = feltsense_server::accounts::Invite {
        tenant,
        purpose: feltsense_server::accounts::Purpose::Invite,
        role: Role::Clinician,
        email: clinician.clone(),
        account: None,
    };
    let token = on
        .server
        .accounts
        .issue(&invite, None, "test")
        .await
        .unwrap();
    let path = format!("/invite/{token}");
    let page = first.get(&on, &path).await;
    let (csrf, sealed) = (page.field("csrf"), page.field("factor"));
    let without = [
        ("csrf", csrf.as_str()),
        ("password", PASSWORD),
        ("password_again", PASSWORD),
        ("factor", &sealed),
        ("code", ""),
    ];
    let refused = first.post(&on, &path, &without).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "staff need a second factor"
    );
    assert_eq!(refused.field("factor").len(), sealed.len());
    let secret = on.server.accounts.open_from_form(&sealed).unwrap();
    let code = second_factor::current(&secret, now());
    let with = [
        ("csrf", csrf.as_str()),
        ("password", PASSWORD),
        ("password_again", PASSWORD),
        ("factor", &sealed),
        ("code", &code),
    ];
    let made = first.post(&on, &path, &with).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let codes: Vec<String> = made
        .body
        .split("<code>")
        .skip(1)
        .map(|c| c.split('<').next().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), second_factor::RECOVERY_CODES);
    assert_eq!(
        first.post(&on, &path, &with).await.status,
        StatusCode::NOT_FOUND,
        "the link works once"
    );

    let wrong = sign_in_with_code(&on, &Browser::new(), &clinician, "000000").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let totp = Browser::new();
    let signed = sign_in_with_code(
        &on,
        &totp,
        &clinician,
        &second_factor::current(&secret, now()),
    )
    .await;
    assert_eq!(signed.location(), "/", "{}", signed.body);
    assert_eq!(totp.get(&on, "/staff").await.status, StatusCode::OK);
    let recovery = Browser::new();
    let by_code = sign_in_with_code(&on, &recovery, &clinician, &codes[3].to_uppercase()).await;
    assert_eq!(by_code.location(), "/", "{}", by_code.body);
    let again = sign_in_with_code(&on, &Browser::new(), &clinician, &codes[3]).await;
    assert_eq!(
        again.status,
        StatusCode::UNAUTHORIZED,
        "a recovery code works once"
    );
    let kinds = events(&clinician).await;
    assert!(
        kinds.contains(&"second_factor_set".to_string()) && kinds.contains(&"sign_in".to_string()),
        "{kinds:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admins_reset_link_sets_a_new_password_once_and_ends_the_old_sessions() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let admin = Browser::new();
    invited(&on, &admin, tenant, Role::Admin, &email("admin")).await;
    let person = email("forgetful");
    let their_browser = Browser::new();
    invited(&on, &their_browser, tenant, Role::Person, &person).await;
    let staff = admin.get(&on, "/staff").await;
    assert!(staff.body.contains(&person));
    let id: Uuid = database()
        .await
        .query_one("SELECT id FROM accounts WHERE email = $1", &[&person])
        .await
        .unwrap()
        .get(0);
    let csrf = staff.field("csrf");
    let issued = admin
        .post(
            &on,
            "/staff/reset",
            &[
                ("csrf", &csrf),
                ("account", &id.to_string()),
                ("what", "password"),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let link = issued
        .body
        .split("<code class=\"link\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    let path = link.strip_prefix(ORIGIN).unwrap().to_string();
    assert!(
        path.starts_with("/reset/") && issued.body.contains("<svg"),
        "a link and its QR code"
    );

    let new_password = "an entirely new password";
    let helper = Browser::new();
    let form_csrf = helper.get(&on, &path).await.field("csrf");
    let short = helper
        .post(
            &on,
            &path,
            &[
                ("csrf", &form_csrf),
                ("password", "short"),
                ("password_again", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reset = helper
        .post(
            &on,
            &path,
            &[
                ("csrf", &form_csrf),
                ("password", new_password),
                ("password_again", new_password),
            ],
        )
        .await;
    assert!(reset.status.is_redirection(), "{}", reset.body);
    assert_eq!(
        helper.get(&on, &path).await.status,
        StatusCode::NOT_FOUND,
        "the link works once"
    );
    assert_eq!(
        their_browser.get(&on, "/checkin").await.location(),
        "/login",
        "old sessions ended"
    );
    assert_eq!(
        Browser::new().sign_in(&on, &person, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        Browser::new()
            .sign_in(&on, &person, new_password)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let kinds = events(&person).await;
    assert!(
        kinds.contains(&"password_reset_issued".to_string())
            && kinds.contains(&"password_reset".to_string()),
        "{kinds:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_everywhere_ends_every_session_of_the_account() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let person = email("everywhere");
    let phone = Browser::new();
    invited(&on, &phone, Uuid::now_v7(), Role::Person, &person).await;
    let laptop = Browser::new();
    assert_eq!(
        laptop.sign_in(&on, &person, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let list = laptop.get(&on, "/account/sessions").await;
    assert_eq!(
        list.body.matches("Sign out there").count(),
        2,
        "both sessions listed"
    );
    let csrf = list.field("csrf");
    assert!(laptop
        .post(&on, "/account/sessions/revoke-all", &[("csrf", &csrf)])
        .await
        .status
        .is_redirection());
    assert_eq!(phone.get(&on, "/checkin").await.location(), "/login");
    assert_eq!(laptop.get(&on, "/checkin").await.location(), "/login");
    let kinds = events(&person).await;
    assert!(
        kinds.contains(&"signed_out_everywhere".to_string()),
        "{kinds:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_an_account_asks_twice_and_removes_it_and_its_data() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let person = email("leaving");
    let browser = Browser::new();
    invited(&on, &browser, Uuid::now_v7(), Role::Person, &person).await;
    let row = database()
        .await
        .query_one(
            "SELECT tenant, id FROM accounts WHERE email = $1",
            &[&person],
        )
        .await
        .unwrap();
    let (tenant, id): (Uuid, Uuid) = (row.get(0), row.get(1));
    let opens = || {
        let stores = on.server.stores.clone();
        tokio::task::spawn_blocking(move || stores.open(tenant, id).is_ok())
    };
    assert!(opens().await.unwrap(), "their store is there");
    let csrf = browser.csrf(&on).await;
    let asked = browser
        .post(&on, "/account/delete", &[("csrf", &csrf)])
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.body.contains("cannot be undone"));
    assert_eq!(
        browser.get(&on, "/checkin").await.status,
        StatusCode::OK,
        "nothing deleted yet"
    );
    let gone = browser
        .post(
            &on,
            "/account/delete",
            &[("csrf", &csrf), ("confirm", "delete")],
        )
        .await;
    assert_eq!(gone.status, StatusCode::OK, "{}", gone.body);
    assert_eq!(browser.get(&on, "/checkin").await.location(), "/login");
    assert_eq!(
        Browser::new().sign_in(&on, &person, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(!opens().await.unwrap(), "their data is gone");
    let db = database().await;
    let left = db
        .query_one("SELECT count(*) FROM accounts WHERE email = $1", &[&person])
        .await
        .unwrap();
    assert_eq!(left.get::<_, i64>(0), 0);
    let recorded = db.query_one("SELECT count(*) FROM security_events WHERE kind = 'account_deleted' AND detail = '' AND address = $1", &[&browser.address]).await.unwrap();
    assert_eq!(recorded.get::<_, i64>(0), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_role_can_add_security_events_but_never_change_them() {
    let db = database().await;
    Cluster::new().await;
    db.execute("INSERT INTO security_events (kind) VALUES ('test')", &[])
        .await
        .unwrap();
    assert!(db
        .execute("UPDATE security_events SET kind = 'changed'", &[])
        .await
        .is_err());
    assert!(db
        .execute("DELETE FROM security_events", &[])
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_is_503_when_the_database_does_not_answer() {
    let cluster = Cluster::new().await;
    assert_eq!(
        Browser::new()
            .get(&cluster.instance(), "/healthz")
            .await
            .status,
        StatusCode::OK
    );
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let gone = cluster.instance_at(&format!(
        "postgres://feltsense_app:app@127.0.0.1:{port}/feltsense"
    ));
    let reply = Browser::new().get(&gone, "/healthz").await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_persons_calendar_feed_has_its_own_secret_and_links_to_check_in() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let browser = Browser::new();
    invited(&on, &browser, Uuid::now_v7(), Role::Person, &email("feed")).await;
    let settings = browser.get(&on, "/settings").await;
    let start = settings
        .body
        .find("/reminders.ics?token=")
        .expect("the settings page links the feed");
    let address = settings.body[start..]
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let feed = Browser::new().get(&on, &address).await;
    assert_eq!(
        feed.status,
        StatusCode::OK,
        "no cookie needed: {}",
        feed.body
    );
    assert!(
        feed.body.contains(&format!("URL:{ORIGIN}/checkin\r\n")),
        "{}",
        feed.body
    );
    assert_eq!(
        feed.body.matches("BEGIN:VEVENT").count(),
        feed.body.matches("URL:").count()
    );
    let guessed = Browser::new().get(&on, "/reminders.ics?token=0000").await;
    assert_eq!(guessed.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_signs_out_from_the_apps_settings_page() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let browser = Browser::new();
    invited(
        &on,
        &browser,
        Uuid::now_v7(),
        Role::Person,
        &email("settings"),
    )
    .await;
    let settings = browser.get(&on, "/settings").await;
    assert!(
        settings.body.contains("/account/sessions") && settings.body.contains("/account/delete")
    );
    let csrf = settings.field("csrf");
    assert_eq!(
        browser
            .post(&on, "/logout", &[("csrf", &csrf)])
            .await
            .location(),
        "/login"
    );
    assert_eq!(browser.get(&on, "/settings").await.location(), "/login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_that_does_not_open_the_databases_secrets_is_refused() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    invited(
        &on,
        &Browser::new(),
        Uuid::now_v7(),
        Role::Clinician,
        &email("keyed"),
    )
    .await;
    on.server
        .accounts
        .verify_key()
        .await
        .expect("its own key opens them");
    let other = Cluster::with_a_key_of_its_own().await.instance();
    let refused = other.server.accounts.verify_key().await.unwrap_err();
    assert!(refused.to_string().contains("does not open"), "{refused}");
}

/// Without JavaScript (no service worker), a check-in the server cannot
/// store gets the 503 page that keeps what was typed, with the phone's id
/// when it had one, so sending it again from there stores it once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_in_the_database_cannot_take_keeps_what_was_typed() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let browser = Browser::new();
    invited(
        &on,
        &browser,
        Uuid::now_v7(),
        Role::Person,
        &email("unsent"),
    )
    .await;
    let csrf = browser.csrf(&on).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let gone = cluster.instance_at(&format!(
        "postgres://feltsense_app:app@127.0.0.1:{port}/feltsense"
    ));
    let id = "0190a3b4-5c6d-7e8f-9012-3456789abcde";
    let form = [
        ("csrf", csrf.as_str()),
        ("checkin_id", id),
        ("made_at", ""),
        ("nothing", "on"),
        ("note", "typed on the bus"),
        ("act", "save"),
    ];
    let reply = browser.post(&gone, "/checkin", &form).await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("typed on the bus"), "{}", reply.body);
    assert!(
        reply
            .body
            .contains(&format!(r#"name="checkin_id" value="{id}""#)),
        "{}",
        reply.body
    );
    for _ in 0..2 {
        let sent = browser.post(&on, "/checkin", &form).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    }
    let export = browser.get(&on, "/export.json").await;
    assert_eq!(export.body.matches(id).count(), 1, "{}", export.body);
}
