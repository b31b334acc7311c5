//! Issue 10, item 14, on the settings page: an encrypted backup made while
//! the app runs, a passphrase change the app goes on under, and a restore
//! that puts a backup back; a wrong passphrase changes nothing.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use chrono::DateTime;
use feltsense_core::{CheckInDraft, Vocabulary};
use feltsense_store::{SqliteStore, Store};
use feltsense_web::{router, Web};
use std::path::Path;
use std::sync::Arc;
use tower::ServiceExt;

const HOST: &str = "feltsense-test.localhost:7474";
const OLD: &str = "the first passphrase";
const NEW: &str = "a second passphrase";

async fn post(app: &axum::Router, path: &str, form: &str) -> (StatusCode, Vec<u8>) {
    let request = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::COOKIE, "feltsense_session=s")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf=c&{form}")))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    (
        status,
        to_bytes(response.into_body(), 64 << 20)
            .await
            .unwrap()
            .to_vec(),
    )
}

fn check_in(store: &mut SqliteStore, id: &str) {
    let at = DateTime::parse_from_rfc3339("2026-11-30T10:00:00+01:00").unwrap();
    let accepted = feltsense_core::when::TimeRange::around(chrono::Utc::now());
    let c = CheckInDraft {
        nothing: true,
        ..CheckInDraft::default()
    }
    .validate(&Vocabulary::embedded(), id.into(), at, &accepted)
    .unwrap();
    store.add_checkin(&c).unwrap();
}

fn ids(path: &Path, passphrase: &str) -> Vec<String> {
    let store = SqliteStore::open(path, passphrase).unwrap();
    store
        .checkins(None)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn backup_change_passphrase_and_restore_from_the_settings_page() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feltsense.db");
    let mut store = SqliteStore::create(&path, OLD).unwrap();
    check_in(&mut store, "before-backup");
    let web = Web::with_secrets(Box::new(store), "s".into(), "c".into())
        .serving_at(HOST)
        .with_store_file(path.clone());
    let app = router(Arc::new(web));

    let (status, _) = post(&app, "/settings/backup", "passphrase=wrong+one").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, bytes) = post(&app, "/settings/backup", "passphrase=the+first+passphrase").await;
    assert_eq!(status, StatusCode::OK);
    let backup = dir.path().join("kept/feltsense.db");
    std::fs::create_dir(backup.parent().unwrap()).unwrap();
    std::fs::write(&backup, &bytes).unwrap();
    assert_eq!(
        ids(&backup, OLD),
        ["before-backup"],
        "the backup opens with the same passphrase"
    );

    let form = "old=wrong+one&new=a+second+passphrase&again=a+second+passphrase";
    assert_eq!(
        post(&app, "/settings/passphrase", form).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let form = "old=the+first+passphrase&new=a+second+passphrase&again=a+second+passphrase";
    assert_eq!(
        post(&app, "/settings/passphrase", form).await.0,
        StatusCode::SEE_OTHER
    );
    let (status, _) = post(&app, "/checkin", "nothing=on").await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the app goes on under the new key"
    );
    assert_eq!(ids(&path, NEW).len(), 2);
    assert!(
        SqliteStore::open(&path, OLD).is_err(),
        "the old passphrase no longer opens it"
    );

    let from = backup.display().to_string().replace('/', "%2F");
    let unticked =
        format!("from={from}&passphrase=the+first+passphrase&current=a+second+passphrase");
    assert_eq!(
        post(&app, "/settings/restore", &unticked).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let ticked = format!("{unticked}&confirm=yes");
    assert_eq!(
        post(&app, "/settings/restore", &ticked).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(ids(&path, OLD), ["before-backup"], "the backup is in place");
    let (status, _) = post(&app, "/checkin", "nothing=on").await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the app goes on with the backup"
    );
}
