//! Issue 10, in-process: a stalled or failing store, the Host and Origin
//! checks, the `--open` link's one-time secret, the size of a form.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use feltsense_core::assessments::Response as Answers;
use feltsense_core::bridges::Bridge;
use feltsense_core::{CheckIn, JournalEntry, SafetyPlan};
use feltsense_store::{
    ImportBatch, ImportMode, ImportPlan, SqliteStore, Store, StoreError, StoreResult, Unreadable,
};
use feltsense_web::{router, Web};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;
use tower::ServiceExt;

const SESSION: &str = "session-secret";
const CSRF: &str = "csrf-secret";
const HOST: &str = "feltsense-test.localhost:7474";

/// What a check-in or journal write does in the test store.
enum Writes {
    /// Go through.
    Pass,
    /// Say that a write started, then wait until told to go on.
    Wait {
        started: mpsc::Sender<()>,
        go_on: mpsc::Receiver<()>,
    },
    /// Fail as a locked database does.
    Fail,
}

/// An in-memory store whose check-in, journal and safety-plan writes pass,
/// wait or fail.
struct TestStore {
    inner: SqliteStore,
    writes: Writes,
}

impl TestStore {
    fn write(&mut self) -> StoreResult<()> {
        match &self.writes {
            Writes::Pass => Ok(()),
            Writes::Wait { started, go_on } => {
                let _ = started.send(());
                let _ = go_on.recv();
                Ok(())
            }
            Writes::Fail => Err(StoreError::Backend("database is locked".into())),
        }
    }
}

impl Store for TestStore {
    fn add_checkin(&mut self, c: &CheckIn) -> StoreResult<()> {
        self.write()?;
        self.inner.add_checkin(c)
    }
    fn checkin(&self, id: &str) -> StoreResult<CheckIn> {
        self.inner.checkin(id)
    }
    fn checkins(&self, since: Option<chrono::DateTime<chrono::Utc>>) -> StoreResult<Vec<CheckIn>> {
        self.inner.checkins(since)
    }
    fn replace_checkin(&mut self, c: &CheckIn) -> StoreResult<()> {
        self.write()?;
        self.inner.replace_checkin(c)
    }
    fn forget_checkin(&mut self, id: &str) -> StoreResult<()> {
        self.inner.forget_checkin(id)
    }
    fn version(&self) -> StoreResult<u64> {
        self.inner.version()
    }
    fn add_journal(&mut self, e: &JournalEntry) -> StoreResult<()> {
        self.write()?;
        self.inner.add_journal(e)
    }
    fn journal(&self) -> StoreResult<Vec<JournalEntry>> {
        self.inner.journal()
    }
    fn journal_entry(&self, id: &str) -> StoreResult<JournalEntry> {
        self.inner.journal_entry(id)
    }
    fn forget_journal(&mut self, id: &str) -> StoreResult<()> {
        self.inner.forget_journal(id)
    }
    fn add_bridge(&mut self, b: &Bridge) -> StoreResult<()> {
        self.inner.add_bridge(b)
    }
    fn replace_bridge(&mut self, b: &Bridge) -> StoreResult<()> {
        self.inner.replace_bridge(b)
    }
    fn bridges(&self) -> StoreResult<Vec<Bridge>> {
        self.inner.bridges()
    }
    fn add_assessment(&mut self, r: &Answers) -> StoreResult<()> {
        self.inner.add_assessment(r)
    }
    fn assessments(&self) -> StoreResult<Vec<Answers>> {
        self.inner.assessments()
    }
    fn safety_plan(&self) -> StoreResult<SafetyPlan> {
        self.inner.safety_plan()
    }
    fn save_safety_plan(&mut self, plan: &SafetyPlan) -> StoreResult<()> {
        if matches!(self.writes, Writes::Fail) {
            self.write()?;
        }
        self.inner.save_safety_plan(plan)
    }
    fn fixed_items(&self) -> StoreResult<feltsense_core::items::FixedItems> {
        self.inner.fixed_items()
    }
    fn save_fixed_items(&mut self, items: &feltsense_core::items::FixedItems) -> StoreResult<()> {
        self.write()?;
        self.inner.save_fixed_items(items)
    }
    fn replace_journal(&mut self, e: &JournalEntry) -> StoreResult<()> {
        self.inner.replace_journal(e)
    }
    fn replace_assessment(&mut self, r: &Answers) -> StoreResult<()> {
        self.inner.replace_assessment(r)
    }
    fn skipped(&self) -> Vec<Unreadable> {
        self.inner.skipped()
    }
    fn import_from(
        &mut self,
        batch: &ImportBatch<'_>,
        mode: ImportMode,
    ) -> StoreResult<ImportPlan> {
        self.inner.import_from(batch, mode)
    }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

#[derive(Clone)]
struct App {
    router: Router,
    web: Arc<Web>,
}

impl App {
    fn new(writes: Writes) -> App {
        let mut inner = SqliteStore::open_in_memory("test").unwrap();
        let mut plan = SafetyPlan::default();
        assert!(plan.set("people_to_ask", "Ana, 0123"));
        inner.save_safety_plan(&plan).unwrap();
        let store = TestStore { inner, writes };
        let web = Web::with_secrets(Box::new(store), SESSION.into(), CSRF.into()).serving_at(HOST);
        let web = Arc::new(web);
        App {
            router: router(web.clone()),
            web,
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

    async fn get(&self, path: &str) -> Reply {
        self.send(signed_in(Request::get(path)).body(Body::empty()).unwrap())
            .await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        self.send(form_post(path, form)).await
    }
}

fn signed_in(request: axum::http::request::Builder) -> axum::http::request::Builder {
    request
        .header(header::HOST, HOST)
        .header(header::COOKIE, format!("feltsense_session={SESSION}"))
}

fn form_post(path: &str, form: &[(&str, &str)]) -> Request<Body> {
    form_post_with(path, form, &[])
}

fn form_post_with(path: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Request<Body> {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut request = signed_in(Request::post(path))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::from(body)).unwrap()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const CHECKIN: [(&str, &str); 4] = [
    ("csrf", CSRF),
    ("feel", "calm"),
    ("int_calm", "4"),
    ("note", "tea by the window"),
];

/// Item 3: while a write waits for the database, the async workers stay
/// free: help-now (with the person's plan) and the check-in form answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_write_leaves_help_now_and_the_form_answering() {
    let (started_tx, started) = mpsc::channel();
    let (go_on, go_on_rx) = mpsc::channel();
    let app = App::new(Writes::Wait {
        started: started_tx,
        go_on: go_on_rx,
    });
    let posting = tokio::spawn({
        let app = app.clone();
        async move { app.post("/checkin", &CHECKIN).await.status }
    });
    started
        .recv_timeout(Duration::from_secs(10))
        .expect("the write started");
    // Should anything wait for the store, the write is let go after 5 s and
    // the assertions below fail instead of hanging.
    let released = Arc::new(AtomicBool::new(false));
    let (done, done_rx) = mpsc::channel::<()>();
    let releaser = std::thread::spawn({
        let released = released.clone();
        move || {
            let _ = done_rx.recv_timeout(Duration::from_secs(5));
            released.store(true, Ordering::SeqCst);
            let _ = go_on.send(());
        }
    });
    for _ in 0..3 {
        let help = app.get("/help-now").await;
        assert_eq!(help.status, StatusCode::OK);
        assert!(help.body.contains("Ana, 0123"), "the plan, from its copy");
        assert_eq!(app.get("/checkin").await.status, StatusCode::OK);
        assert_eq!(app.get("/static/app.css").await.status, StatusCode::OK);
    }
    assert!(
        !released.load(Ordering::SeqCst),
        "pages answered only once the write was let go"
    );
    assert!(!posting.is_finished(), "the write is still waiting");
    done.send(()).unwrap();
    releaser.join().unwrap();
    assert_eq!(posting.await.unwrap(), StatusCode::SEE_OTHER);
    assert!(app.get("/recent").await.body.contains("tea by the window"));
}

/// Item 3: when the store cannot take a write, the form comes back filled
/// in with a kind message (503), for every form that writes.
#[tokio::test]
async fn a_failed_write_gives_the_form_back_filled_in() {
    let app = App::new(Writes::Fail);
    let checkin = app.post("/checkin", &CHECKIN).await;
    assert_eq!(checkin.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(checkin.body.contains("could not save this just now"));
    assert!(
        checkin.body.contains("tea by the window"),
        "the note is kept"
    );
    assert!(
        checkin.body.contains("value=\"calm\" checked"),
        "the feeling is kept"
    );
    let journal = app
        .post("/journal", &[("csrf", CSRF), ("text", "a long quiet page")])
        .await;
    assert_eq!(journal.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(journal.body.contains("a long quiet page"));
    let plan = app
        .post(
            "/safety-plan",
            &[("csrf", CSRF), ("people_to_ask", "Sam, 0456")],
        )
        .await;
    assert_eq!(plan.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(plan.body.contains("Sam, 0456"));
    assert!(!app.get("/recent").await.body.contains("tea by the window"));
}

/// Item 11: another `Host` (DNS rebinding, another name for this computer)
/// is refused on every route, before anything else.
#[tokio::test]
async fn a_request_for_another_host_is_refused() {
    let app = App::new(Writes::Pass);
    for host in [
        "evil.example:7474",
        "127.0.0.1:7474",
        "feltsense-test.localhost:7475",
        "",
    ] {
        for path in ["/recent", "/help-now", "/static/app.css", "/"] {
            let request = Request::get(path)
                .header(header::HOST, host)
                .header(header::COOKIE, format!("feltsense_session={SESSION}"))
                .body(Body::empty())
                .unwrap();
            let reply = app.send(request).await;
            assert_eq!(
                reply.status,
                StatusCode::MISDIRECTED_REQUEST,
                "{host}{path}"
            );
            assert!(reply
                .body
                .contains("the address that `feltsense serve` printed"));
            assert!(!reply.body.contains(HOST), "the real address is not told");
        }
    }
    let no_host = Request::get("/recent")
        .header(header::COOKIE, format!("feltsense_session={SESSION}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        app.send(no_host).await.status,
        StatusCode::MISDIRECTED_REQUEST
    );
    let upper = Request::get("/help-now")
        .header(header::HOST, HOST.to_ascii_uppercase())
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        app.send(upper).await.status,
        StatusCode::OK,
        "host names ignore case"
    );
}

/// Item 11: a form posted from anywhere but this app's pages is refused,
/// even with the session cookie and the CSRF token, and nothing is saved.
#[tokio::test]
async fn a_post_from_another_origin_is_refused() {
    let app = App::new(Writes::Pass);
    let foreign: [&[(&str, &str)]; 6] = [
        &[("origin", "http://evil.example")],
        &[("origin", "http://other.localhost:7474")],
        &[("origin", "null")],
        &[("origin", "null"), ("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "cross-site")],
        &[("sec-fetch-site", "same-site")],
    ];
    for headers in foreign {
        let reply = app
            .send(form_post_with("/checkin", &CHECKIN, headers))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(reply
            .body
            .contains("came from a page that is not feltsense"));
    }
    assert!(!app.get("/recent").await.body.contains("tea by the window"));
    let own: [&[(&str, &str)]; 4] = [
        &[("origin", "http://feltsense-test.localhost:7474")],
        &[("origin", "null"), ("sec-fetch-site", "same-origin")],
        &[("sec-fetch-site", "same-origin")],
        &[],
    ];
    for headers in own {
        let reply = app
            .send(form_post_with("/checkin", &CHECKIN, headers))
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{headers:?}");
    }
}

/// Item 7: the `--open` link's secret is not the printed one, opens
/// feltsense once, and is dead after that.
#[tokio::test]
async fn the_open_links_token_works_once() {
    let app = App::new(Writes::Pass);
    let token = app.web.one_time_token();
    assert_ne!(token, app.web.launch_token());
    let enter = |token: String| {
        let app = app.clone();
        async move {
            let request = Request::get(format!("/?token={token}"))
                .header(header::HOST, HOST)
                .body(Body::empty())
                .unwrap();
            app.send(request).await
        }
    };
    let first = enter(token.clone()).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let cookie = first.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with(&format!("feltsense_session={SESSION};")));
    let second = enter(token).await;
    assert_eq!(second.status, StatusCode::UNAUTHORIZED);
    assert!(second.headers.get(header::SET_COOKIE).is_none());
    // The printed link still opens feltsense, once.
    let printed = app.web.launch_token().to_string();
    assert_eq!(enter(printed.clone()).await.status, StatusCode::SEE_OTHER);
    assert_eq!(enter(printed).await.status, StatusCode::UNAUTHORIZED);
}

/// Item 12: a form with far more fields than a check-in has is refused at
/// once (413) with a message, and nothing is saved.
#[tokio::test]
async fn a_check_in_form_with_too_many_fields_is_refused() {
    let app = App::new(Writes::Pass);
    let mut form: Vec<(&str, &str)> = CHECKIN.to_vec();
    form.extend(std::iter::repeat_n(("feel", "calm"), 40_000));
    let started = std::time::Instant::now();
    let reply = app.post("/checkin", &form).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.body.contains("40004 fields"), "{}", reply.body);
    assert!(reply.body.contains("nothing was saved"));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(!app.get("/recent").await.body.contains("tea by the window"));
}
