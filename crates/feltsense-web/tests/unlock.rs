//! Locked and unlocked, in-process over a real encrypted store file: the
//! unlock page without the printed secret, the growing wait after a wrong
//! passphrase, the Lock button, the auto-lock, and the cacheable assets.

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use feltsense_store::{SqliteStore, Store};
use feltsense_web::{router, ChoiceKeeper, Choices, Opener, Web};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::ServiceExt;

const HOST: &str = "feltsense-test.localhost:7474";
const PASSPHRASE: &str = "the right passphrase";

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

struct App {
    router: Router,
    path: std::path::PathBuf,
    kept: Arc<Mutex<Vec<Choices>>>,
    _dir: tempfile::TempDir,
}

impl App {
    fn new(idle: Duration) -> App {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feltsense.db");
        drop(SqliteStore::create(&path, PASSPHRASE).unwrap());
        let file = path.clone();
        let opener: Opener = Arc::new(move |p: &str| {
            SqliteStore::open(&file, p).map(|s| Box::new(s) as Box<dyn Store + Send>)
        });
        let kept = Arc::new(Mutex::new(Vec::new()));
        let keeping = Arc::clone(&kept);
        let keeper: ChoiceKeeper = Arc::new(move |c: &Choices| {
            keeping.lock().unwrap().push(c.clone());
            Ok(())
        });
        let web = Web::locked(opener)
            .with_idle_limit(idle)
            .with_store_file(path.clone())
            .keeping_choices(keeper)
            .serving_at(HOST);
        App {
            router: router(Arc::new(web)),
            path,
            kept,
            _dir: dir,
        }
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = to_bytes(response.into_body(), 10 << 20).await.unwrap();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str, cookie: &str) -> Reply {
        let request = Request::get(path)
            .header(header::HOST, HOST)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    async fn post(&self, path: &str, cookie: &str, body: String) -> Reply {
        let request = Request::post(path)
            .header(header::HOST, HOST)
            .header(header::COOKIE, cookie)
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// The unlock page's CSRF token, read from its form.
    async fn csrf(&self) -> String {
        let page = self.get("/unlock", "").await.body;
        let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
        page[at..at + 64].to_string()
    }

    async fn unlock(&self, passphrase: &str) -> Reply {
        let body = format!(
            "csrf={}&next=%2Fcalendar&passphrase={}",
            self.csrf().await,
            passphrase.replace(' ', "+")
        );
        self.post("/unlock", "", body).await
    }
}

/// The `name=value` of the cookie a reply sets.
fn cookie_of(reply: &Reply) -> String {
    let set = reply.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn a_bookmark_reaches_the_unlock_page_and_the_passphrase_opens_the_app() {
    let app = App::new(Duration::from_secs(600));
    let first = app.get("/", "").await;
    assert_eq!(first.status, StatusCode::UNAUTHORIZED);
    assert!(first.body.contains("action=\"/unlock\"") && first.body.contains("type=\"password\""));
    let page = app.get("/calendar", "").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.body.contains("name=\"next\" value=\"/calendar\""));
    let help = app.get("/help-now", "").await;
    assert_eq!(help.status, StatusCode::OK, "help-now works while locked");

    let wrong = app.unlock("not it").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.body.contains("does not open your store"),
        "{}",
        wrong.body
    );
    let soon = app.unlock(PASSPHRASE).await;
    assert_eq!(
        soon.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a wait follows a wrong one"
    );
    assert!(soon.body.contains("Nothing was tried"));

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let right = app.unlock(PASSPHRASE).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.headers[header::LOCATION], "/calendar");
    let cookie = cookie_of(&right);
    assert_eq!(app.get("/checkin", &cookie).await.status, StatusCode::OK);
    let page = app.get("/checkin", &cookie).await.body;
    assert!(
        page.contains("action=\"/lock\""),
        "a Lock button on every page"
    );
}

#[tokio::test]
async fn the_lock_button_closes_the_store_and_ends_the_session() {
    let app = App::new(Duration::from_secs(600));
    let cookie = cookie_of(&app.unlock(PASSPHRASE).await);
    let locked = app.post("/lock", &cookie, String::new()).await;
    assert_eq!(locked.status, StatusCode::SEE_OTHER);
    assert_eq!(locked.headers[header::LOCATION], "/unlock?locked=1");
    let after = app.get("/checkin", &cookie).await;
    assert_eq!(
        after.status,
        StatusCode::UNAUTHORIZED,
        "the old cookie opens nothing"
    );
    let said = app.get("/unlock?locked=1", "").await.body;
    assert!(said.contains("its key is gone from memory"));
    let again = cookie_of(&app.unlock(PASSPHRASE).await);
    assert_ne!(again, cookie, "a new session after a lock");
    assert_eq!(app.get("/recent", &again).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_app_locks_itself_after_the_idle_time() {
    let app = App::new(Duration::from_secs(1));
    let cookie = cookie_of(&app.unlock(PASSPHRASE).await);
    assert_eq!(app.get("/recent", &cookie).await.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let idle = app.get("/recent", &cookie).await;
    assert_eq!(
        idle.status,
        StatusCode::UNAUTHORIZED,
        "locked after a second idle"
    );
    assert!(idle.body.contains("action=\"/unlock\""));
}

#[tokio::test]
async fn assets_are_cached_by_version_and_pages_are_not() {
    let app = App::new(Duration::from_secs(600));
    let page = app.get("/unlock", "").await;
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("manifest-src 'self'") && csp.contains("default-src 'none'"));
    let at = page.body.find("/static/app.css?v=").unwrap();
    let css_url = &page.body[at..at + 34];
    let css = app.get(css_url, "").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(
        css.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let etag = css.headers[header::ETAG].to_str().unwrap().to_string();
    let request = Request::get(css_url)
        .header(header::HOST, HOST)
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::NOT_MODIFIED);
    let stale = app.get("/static/app.css?v=0000000000000000", "").await;
    assert_eq!(stale.headers[header::CACHE_CONTROL], "public, max-age=3600");
    let manifest = app.get("/manifest.webmanifest", "").await;
    let json: serde_json::Value = serde_json::from_str(&manifest.body).unwrap();
    assert_eq!(json["display"], "standalone");
    for icon in json["icons"].as_array().unwrap() {
        let got = app.get(icon["src"].as_str().unwrap(), "").await;
        assert_eq!(got.status, StatusCode::OK, "{icon}");
        assert_eq!(
            got.headers[header::CONTENT_TYPE],
            icon["type"].as_str().unwrap()
        );
    }
}

/// A form body with the app's CSRF token first.
async fn form(app: &App, fields: &str) -> String {
    format!("csrf={}&{fields}", app.csrf().await)
}

#[tokio::test]
async fn settings_keep_the_country_the_auto_lock_and_the_reminders() {
    let app = App::new(Duration::from_secs(600));
    let locked_help = app.get("/help-now?country=US", "").await.body;
    assert!(locked_help.contains("href=\"tel:988\"") && locked_help.contains("href=\"sms:988\""));
    assert!(
        locked_help.contains("Shown for now"),
        "a choice made while locked is not kept"
    );
    assert!(app.kept.lock().unwrap().is_empty());
    let cookie = cookie_of(&app.unlock(PASSPHRASE).await);

    let bad = app
        .post("/settings/country", &cookie, form(&app, "country=XX").await)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Country: &#39;XX&#39;"), "{}", bad.body);
    let body = form(&app, "country=GB&back=%2Fhelp-now").await;
    let gb = app.post("/settings/country", &cookie, body).await;
    assert_eq!(gb.headers[header::LOCATION], "/help-now");
    let help = app.get("/help-now", "").await.body;
    assert!(help.contains("href=\"tel:116123\"") && help.contains("href=\"sms:85258?body=SHOUT\""));
    assert!(!help.contains("FELTSENSE_LOCALE"));

    let lock = app
        .post(
            "/settings/auto-lock",
            &cookie,
            form(&app, "minutes=5").await,
        )
        .await;
    assert_eq!(lock.headers[header::LOCATION], "/settings?done=auto-lock");
    let odd = app
        .post(
            "/settings/auto-lock",
            &cookie,
            form(&app, "minutes=7").await,
        )
        .await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);

    let late = form(&app, "per_day=3&from=9am&until=21%3A00&min_gap=60").await;
    let refused = app.post("/settings/reminders", &cookie, late).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("From:"), "{}", refused.body);
    let crowded = form(&app, "per_day=20&from=09%3A00&until=12%3A00&min_gap=60").await;
    let crowded = app.post("/settings/reminders", &cookie, crowded).await;
    assert_eq!(crowded.status, StatusCode::UNPROCESSABLE_ENTITY);
    let good = form(&app, "per_day=3&from=10%3A00&until=20%3A00&min_gap=60").await;
    assert_eq!(
        app.post("/settings/reminders", &cookie, good).await.status,
        StatusCode::SEE_OTHER
    );

    let kept = app.kept.lock().unwrap().clone();
    assert_eq!(kept.len(), 3, "refused forms keep nothing");
    let last = kept.last().unwrap();
    assert_eq!(last.country.as_deref(), Some("GB"));
    assert_eq!(last.auto_lock, Duration::from_secs(300));
    assert_eq!(
        (last.reminders.per_day, last.reminders.min_gap_minutes),
        (3, 60)
    );
    let page = app.get("/settings", &cookie).await.body;
    assert!(page.contains("<option value=\"5\" selected>") && page.contains("value=\"10:00\""));
}

#[tokio::test]
async fn delete_everything_is_asked_twice_then_removes_the_store() {
    let app = App::new(Duration::from_secs(600));
    let cookie = cookie_of(&app.unlock(PASSPHRASE).await);
    let pass = PASSPHRASE.replace(' ', "+");
    let unticked = form(&app, &format!("passphrase={pass}")).await;
    assert_eq!(
        app.post("/settings/delete", &cookie, unticked).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let wrong = form(&app, "passphrase=nope&confirm=yes").await;
    assert_eq!(
        app.post("/settings/delete", &cookie, wrong).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let forged = form(&app, "second=0000").await;
    assert_eq!(
        app.post("/settings/delete", &cookie, forged).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(app.path.exists(), "nothing deleted yet");

    let first = form(&app, &format!("passphrase={pass}&confirm=yes")).await;
    let asked = app.post("/settings/delete", &cookie, first).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert!(asked.body.contains("Yes, delete everything now"));
    assert!(app.path.exists(), "asked once: nothing deleted yet");
    let marker = "name=\"second\" value=\"";
    let at = asked.body.find(marker).unwrap() + marker.len();
    let word = asked.body[at..at + 64].to_string();
    let second = form(&app, &format!("second={word}")).await;
    let done = app.post("/settings/delete", &cookie, second).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Everything is deleted"));
    assert!(!app.path.exists(), "the store file is gone");
    assert_eq!(
        app.get("/recent", &cookie).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// An app whose importer reads feltsense exports as the CLI does.
fn importing_app() -> (Router, tempfile::TempDir) {
    use feltsense_core::imported::Sourced;
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_in_memory("x").unwrap();
    let importer: feltsense_web::Importer = Arc::new(|file: &feltsense_web::ImportFile| {
        let text = std::fs::read_to_string(&file.path).map_err(|e| e.to_string())?;
        let vocabulary = feltsense_core::Vocabulary::embedded();
        let accepted = feltsense_core::when::TimeRange::around(chrono::Utc::now());
        let export = feltsense_core::exchange::parse_json(&text, &vocabulary, &accepted)
            .map_err(|e| format!("{}: {e}", file.path.display()))?;
        Ok(feltsense_web::Incoming {
            format: feltsense_core::imported::FELTSENSE,
            checkins: export
                .checkins
                .into_iter()
                .map(|c| Sourced {
                    key: c.id.clone(),
                    record: c,
                })
                .collect(),
            ..Default::default()
        })
    });
    let web = Web::with_secrets(Box::new(store), "s".into(), "c".into())
        .with_importer(importer)
        .serving_at(HOST);
    (router(Arc::new(web)), dir)
}

async fn send_form(router: &Router, path: &str, body: &str) -> Reply {
    let request = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::COOKIE, "feltsense_session=s")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf=c&{body}")))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), 10 << 20).await.unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

#[tokio::test]
async fn import_shows_the_dry_run_first_and_writes_only_when_asked() {
    let (router, dir) = importing_app();
    let file = dir.path().join("export.json");
    let accepted = feltsense_core::when::TimeRange::around(chrono::Utc::now());
    let checkins: Vec<_> = ["a1", "a2"]
        .iter()
        .map(|id| {
            let at = chrono::DateTime::parse_from_rfc3339("2026-11-20T09:00:00+01:00").unwrap();
            feltsense_core::CheckInDraft {
                nothing: true,
                ..Default::default()
            }
            .validate(
                &feltsense_core::Vocabulary::embedded(),
                id.to_string(),
                at,
                &accepted,
            )
            .unwrap()
        })
        .collect();
    let text = serde_json::to_string(&feltsense_core::exchange::Export::new(checkins)).unwrap();
    std::fs::write(&file, text).unwrap();
    let path = file.display().to_string().replace('/', "%2F");
    let body = format!("kind=feltsense&path={path}");
    let preview = send_form(&router, "/settings/import", &body).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("Nothing has been written yet"));
    assert!(
        preview
            .body
            .contains("<th scope=\"row\">Check-ins</th><td>2</td><td>0</td><td>0</td>"),
        "{}",
        preview.body
    );
    let first_kind = send_form(&router, "/settings/import", &format!("{body}&kind=nope")).await;
    assert_eq!(
        first_kind.status,
        StatusCode::OK,
        "the first kind given counts"
    );

    let done = send_form(&router, "/settings/import", &format!("{body}&confirm=yes")).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        done.headers[header::LOCATION],
        "/settings?done=imported&n=2"
    );
    let again = send_form(&router, "/settings/import", &body).await;
    assert!(
        again.body.contains("<td>0</td><td>0</td><td>2</td>")
            && again.body.contains("already here")
    );

    std::fs::write(&file, "{\"format\": \"feltsense\", \"checkins\": [").unwrap();
    let bad = send_form(&router, "/settings/import", &body).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("line 1"), "{}", bad.body);
    let nowhere = send_form(&router, "/settings/import", "kind=daylio&path=").await;
    assert_eq!(nowhere.status, StatusCode::UNPROCESSABLE_ENTITY);
}
