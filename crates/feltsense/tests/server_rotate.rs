//! `feltsense server rotate-key --new-key-file` with a staff account's
//! second factor and a person's calendar feed in the database, on a
//! database of its own (the key is the whole database's): afterwards the
//! new key file signs the admin in with their authenticator's code and
//! finds the person by their feed's secret, and the old one is refused.
//! Needs `scripts/pg.sh start` (scripts/test.sh does it).

use crate::util::Env;
use feltsense_server::accounts::{
    second_factor, Account, Accounts, Invite, NewAccount, Purpose, Role, SealingKey, SignIn,
};
use std::path::Path;
use std::sync::Arc;
use uuid::Uuid;

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: this test needs a PostgreSQL; start one with `eval \"$(scripts/pg.sh start)\"`")
    })
}

/// `url` naming database `name` instead of its own.
fn in_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

/// A new database set up as scripts/pg.sh sets up `feltsense`: its owner's and app's URLs.
async fn scratch_database() -> (String, String) {
    let name = format!("feltsense_rotate_{}", Uuid::now_v7().simple());
    let run = |url: String, sql: String| async move {
        let pool = feltsense_server::db::pool(&url, 1).unwrap();
        pool.get().await.unwrap().batch_execute(&sql).await.unwrap();
    };
    let admin = var("FELTSENSE_ADMIN_URL");
    for sql in [
        format!("CREATE DATABASE {name} OWNER feltsense_owner"),
        format!("REVOKE ALL ON DATABASE {name} FROM PUBLIC"),
        format!("GRANT CONNECT ON DATABASE {name} TO feltsense_app"),
    ] {
        run(admin.clone(), sql).await;
    }
    let schema =
        "REVOKE ALL ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO feltsense_owner; \
                  GRANT USAGE ON SCHEMA public TO feltsense_app;";
    run(in_database(&admin, &name), schema.into()).await;
    let url = |v| in_database(&var(v), &name);
    (url("FELTSENSE_OWNER_URL"), url("FELTSENSE_DATABASE_URL"))
}

/// An account made through its link, with a second factor when `secret` is given.
async fn account(accounts: &Accounts, role: Role, secret: Option<Vec<u8>>) -> Account {
    let invite = Invite {
        tenant: Uuid::now_v7(),
        purpose: if role == Role::Admin {
            Purpose::Setup
        } else {
            Purpose::Invite
        },
        role,
        email: format!("{}-{}@example.org", role.as_str(), Uuid::now_v7().simple()),
        account: None,
    };
    let token = accounts.issue(&invite, None, "test").await.unwrap();
    let new = NewAccount {
        id: Uuid::now_v7(),
        display_name: String::new(),
        password: "a slow walk by the river".into(),
        second_factor: secret,
    };
    accounts
        .accept(&token, new, "test")
        .await
        .unwrap()
        .unwrap()
        .0
}

fn accounts(pool: &feltsense_server::Pool, key_file: &Path) -> Accounts {
    Accounts::new(
        pool.clone(),
        Arc::new(SealingKey::from_file(key_file).unwrap()),
    )
}

#[test]
fn rotate_key_keeps_a_staff_second_factor_and_the_calendar_feed() {
    let env = Env::empty();
    let (old, new) = (
        env.dir.path().join("old.key"),
        env.dir.path().join("new.key"),
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (owner, app) = runtime.block_on(scratch_database());
    let migrated = env.run_with(&["server", "--database-url", &owner, "migrate"], "", |_| {});
    assert_eq!(migrated.code, 0, "{}", migrated.stderr);
    let pool = feltsense_server::db::pool(&app, 2).unwrap();
    let secret = second_factor::new_secret();
    let (admin, person, feed) = runtime.block_on(async {
        feltsense_server::serve::verify_key(&pool, &old)
            .await
            .unwrap();
        let before = accounts(&pool, &old);
        let admin = account(&before, Role::Admin, Some(secret.clone())).await;
        let person = account(&before, Role::Person, None).await;
        let feed = before.feed_token(&person).await.unwrap();
        (admin, person, feed)
    });
    let (old_s, new_s) = (old.to_str().unwrap(), new.to_str().unwrap());
    let rotate = [
        "server",
        "--database-url",
        &app,
        "--key-file",
        old_s,
        "rotate-key",
        "--new-key-file",
        new_s,
    ];
    let rotated = env.run_with(&rotate, "", |_| {});
    assert_eq!(rotated.code, 0, "{}", rotated.stderr);
    assert!(
        rotated
            .stdout
            .contains("resealed 1 second-factor secrets and 1 calendar-feed"),
        "{}",
        rotated.stdout
    );
    runtime.block_on(async {
        let after = accounts(&pool, &new);
        let SignIn::NeedsSecondFactor(pending) = after
            .sign_in(
                &admin.email,
                "a slow walk by the river",
                "127.0.0.1",
                "test",
            )
            .await
            .unwrap()
        else {
            panic!("the admin's password asks for the second factor");
        };
        let now = chrono::Utc::now().timestamp() as u64;
        let code = second_factor::current(&secret, now);
        let signed_in = after
            .second_factor(&pending, &code, "127.0.0.1", "test")
            .await
            .unwrap();
        assert!(
            matches!(signed_in, SignIn::Done(_)),
            "the authenticator's code still works"
        );
        let found = after
            .by_feed(&feed)
            .await
            .unwrap()
            .expect("the address from before the rotation finds its person");
        assert_eq!(found.id, person.id);
        let shown = after.feed_token(&person).await.unwrap();
        assert_eq!(shown, feed, "the feed's address stays as it was");
    });
    let refused = env.run_with(
        &[
            "server",
            "--database-url",
            &app,
            "--key-file",
            old_s,
            "--public-url",
            "http://127.0.0.1:1",
            "admin",
            "create-admin",
            "x@example.org",
        ],
        "",
        |_| {},
    );
    assert_eq!(
        refused.code, 2,
        "the old key file is refused: {}",
        refused.stderr
    );
    assert!(refused.stderr.contains("--key-file"), "{}", refused.stderr);
}
