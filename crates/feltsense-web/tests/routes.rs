//! Every route, in-process: what a person's browser would get back, with
//! and without the session, with good and bad forms and CSRF tokens.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::Router;
use feltsense_store::SqliteStore;
use feltsense_web::{router, Web};
use std::sync::Arc;
use tower::ServiceExt;

const SESSION: &str = "session-secret";
const CSRF: &str = "csrf-secret";
/// The address the app serves at in these tests.
const HOST: &str = "feltsense-test.localhost:7474";

struct App {
    router: Router,
    web: Arc<Web>,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl App {
    fn new() -> App {
        let store = SqliteStore::open_in_memory("test").unwrap();
        let web = Web::with_secrets(Box::new(store), SESSION.into(), CSRF.into()).serving_at(HOST);
        let web = Arc::new(web);
        App {
            router: router(web.clone()),
            web,
        }
    }

    /// Sends `request` as a browser at the app's address would.
    async fn send(&self, mut request: Request<Body>) -> Reply {
        if !request.headers().contains_key(header::HOST) {
            let host = header::HeaderValue::from_static(HOST);
            request.headers_mut().insert(header::HOST, host);
        }
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
        let request = Request::get(path)
            .header(header::COOKIE, format!("feltsense_session={SESSION}"))
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::post(path)
            .header(header::COOKIE, format!("feltsense_session={SESSION}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// A POST that must answer with a redirect (post/redirect/get), then
    /// the GET of where it leads.
    async fn post_then_follow(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        let posted = self.post(path, form).await;
        assert_eq!(
            posted.status,
            StatusCode::SEE_OTHER,
            "{path}: {}",
            posted.body
        );
        let target = posted.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        self.get(&target).await
    }

    /// The check-ins, newest first, read back through a JSON export.
    async fn records(&self) -> Vec<serde_json::Value> {
        let reply = self.get("/export.json").await;
        let export: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        let mut records = export["checkins"].as_array().unwrap().clone();
        records.reverse();
        records
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// HTML as a person reads it (the apostrophe escapes askama writes).
fn unescape(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

fn location(r: &Reply) -> &str {
    r.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_printed_link_sets_the_session_and_nothing_else_does() {
    let app = App::new();
    let no_token = app
        .send(Request::get("/").body(Body::empty()).unwrap())
        .await;
    assert_eq!(no_token.status, StatusCode::UNAUTHORIZED);
    assert!(no_token
        .body
        .contains("link that `feltsense serve` printed"));
    let wrong = app
        .send(Request::get("/?token=guess").body(Body::empty()).unwrap())
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let right = app
        .send(
            Request::get(format!("/?token={}", app.web.launch_token()))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&right), "/checkin");
    let cookie = right
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    // Issue 10, item 2: the cookie is a separate session value, host-only,
    // and the link's secret is dead once exchanged.
    assert!(
        cookie.starts_with(&format!("feltsense_session={SESSION};")),
        "{cookie}"
    );
    assert!(!cookie.contains(app.web.launch_token()), "{cookie}");
    assert!(!cookie.to_ascii_lowercase().contains("domain"), "{cookie}");
    let again = app
        .send(
            Request::get(format!("/?token={}", app.web.launch_token()))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(again.body.contains("already been used"), "{}", again.body);
    assert!(again.headers.get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn every_page_needs_the_session() {
    let app = App::new();
    for path in [
        "/checkin",
        "/recent",
        "/calendar",
        "/day/2026-11-25",
        "/insights",
        "/settings",
        "/export.json",
        "/export.csv",
        "/checkin/x/edit",
    ] {
        let reply = app
            .send(Request::get(path).body(Body::empty()).unwrap())
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(!reply.body.contains("export"), "{path} leaked content");
    }
    let forged = Request::get("/recent")
        .header(header::COOKIE, "feltsense_session=forged")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(forged).await.status, StatusCode::UNAUTHORIZED);
    let post = Request::post("/checkin")
        .body(Body::from("nothing=on"))
        .unwrap();
    assert_eq!(app.send(post).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn pages_render_with_strict_headers() {
    let app = App::new();
    for path in [
        "/checkin",
        "/recent",
        "/calendar",
        "/calendar?year=2020",
        "/day/2026-11-25",
        "/insights",
        "/insights?days=7",
        "/settings",
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        let csp = reply
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("form-action 'self'"),
            "{csp}"
        );
        assert!(reply.body.contains("<main id=\"main\""), "{path}");
        assert!(
            !reply.body.contains("http://") && !reply.body.contains("https://"),
            "{path} refers to another site"
        );
    }
    let css = app
        .send(Request::get("/static/app.css").body(Body::empty()).unwrap())
        .await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert!(css.body.contains("prefers-color-scheme: dark"));
    let js = app
        .send(Request::get("/static/app.js").body(Body::empty()).unwrap())
        .await;
    assert!(js.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert_eq!(app.get("/no-such-page").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_full_check_in_is_saved_and_listed() {
    let app = App::new();
    let reply = app
        .post(
            "/checkin",
            &[
                ("csrf", CSRF),
                ("affect", "-2,-3"),
                ("feel", "sad"),
                ("int_sad", "6"),
                ("feel", "tired"),
                ("int_tired", "4"),
                ("int_happy", "5"),
                ("clarity", "3"),
                ("body_chest_sensation", "tight"),
                ("body_chest_int", "5"),
                ("body_hands_how", "cant-feel"),
                ("body_overall", "-2"),
                ("showed", "calm"),
                ("doing", "work"),
                ("with", "colleagues"),
                ("where", "office"),
                ("note", "quiet day"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(location(&reply), "/recent?thanks=saved");
    let r = &app.records().await[0];
    assert_eq!(r["pleasantness"], -2);
    assert_eq!(r["energy"], -3);
    assert_eq!(r["feelings"][0]["word"], "sad");
    assert_eq!(r["feelings"][0]["intensity"], 6);
    assert_eq!(r["feelings"][1]["word"], "tired");
    assert_eq!(
        r["feelings"].as_array().unwrap().len(),
        2,
        "unchecked words are not saved"
    );
    assert_eq!(r["body"][0]["region"], "chest");
    assert_eq!(r["body"][1]["activation"], "cant-feel");
    assert_eq!(r["context"]["where"], "office");
    let recent = app.get("/recent?thanks=saved").await;
    assert!(recent.body.contains("Thank you for checking in"));
    assert!(recent.body.contains("sad 6, tired 4"));
    assert!(recent.body.contains("quiet day"));
}

#[tokio::test]
async fn nothing_is_thanked() {
    let app = App::new();
    let reply = app
        .post(
            "/checkin",
            &[("csrf", CSRF), ("nothing", "on"), ("clarity", "1")],
        )
        .await;
    assert_eq!(location(&reply), "/recent?thanks=nothing");
    assert_eq!(app.records().await[0]["nothing"], true);
    let recent = app.get(location(&reply)).await;
    assert!(recent.body.contains("information too"));
    assert!(unescape(&recent.body).contains("I can't feel much right now"));
}

#[tokio::test]
async fn bad_form_input_is_explained_and_nothing_is_saved() {
    let app = App::new();
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[("affect", "9,9")], "grid sent a value"),
        (
            &[("feel", "sad"), ("int_sad", "11")],
            "intensity of sad must be a whole number from 1 to 10",
        ),
        (&[("feel", "sadd")], "closest words: sad"),
        (
            &[("clarity", "twelve")],
            "Clarity must be a whole number from 0 to 10",
        ),
        (
            &[("nothing", "on"), ("feel", "sad")],
            "cannot go with feeling words",
        ),
    ];
    for (fields, expected) in cases {
        let mut form = vec![("csrf", CSRF), ("note", "keep this text")];
        form.extend_from_slice(fields);
        let reply = app.post("/checkin", &form).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let body = unescape(&reply.body);
        assert!(
            body.contains(expected),
            "{fields:?}: expected '{expected}' in the problem message"
        );
        assert!(body.contains("role=\"alert\""));
        assert!(body.contains("keep this text"), "what was typed is kept");
    }
    let empty = app
        .post("/checkin", &[("csrf", CSRF), ("note", "   ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unescape(&empty.body).contains("'I can't feel much right now' is a valid answer"));
    assert!(app.records().await.is_empty());
}

#[tokio::test]
async fn a_missing_or_forged_csrf_token_saves_nothing() {
    let app = App::new();
    for form in [
        vec![("nothing", "on")],
        vec![("csrf", "forged"), ("nothing", "on")],
    ] {
        let reply = app.post("/checkin", &form).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert!(reply.body.contains("Nothing was saved"));
    }
    assert!(app.records().await.is_empty());
    app.post("/checkin", &[("csrf", CSRF), ("nothing", "on")])
        .await;
    let id = app.records().await[0]["id"].as_str().unwrap().to_string();
    let delete = app
        .post(&format!("/checkin/{id}/delete"), &[("csrf", "forged")])
        .await;
    assert_eq!(delete.status, StatusCode::FORBIDDEN);
    let edit = app
        .post(&format!("/checkin/{id}"), &[("clarity", "4")])
        .await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    assert_eq!(app.records().await.len(), 1);
}

#[tokio::test]
async fn editing_keeps_id_and_time_and_deleting_removes() {
    let app = App::new();
    app.post(
        "/checkin",
        &[
            ("csrf", CSRF),
            ("feel", "hopeful"),
            ("int_hopeful", "3"),
            ("note", "before"),
        ],
    )
    .await;
    let before = app.records().await[0].clone();
    let id = before["id"].as_str().unwrap().to_string();
    let form = app.get(&format!("/checkin/{id}/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form
        .body
        .contains("id=\"w-hopeful\" name=\"feel\" value=\"hopeful\" checked"));
    assert!(form.body.contains(">before</textarea>"));
    let reply = app
        .post(
            &format!("/checkin/{id}"),
            &[
                ("csrf", CSRF),
                ("feel", "hopeful"),
                ("int_hopeful", "7"),
                ("note", "after"),
            ],
        )
        .await;
    assert_eq!(location(&reply), "/recent?thanks=edited");
    let after = app.records().await[0].clone();
    assert_eq!(after["id"], before["id"]);
    assert_eq!(after["at"], before["at"]);
    assert_eq!(after["note"], "after");
    assert_eq!(after["feelings"][0]["intensity"], 7);
    let bad = app
        .post(
            &format!("/checkin/{id}"),
            &[("csrf", CSRF), ("clarity", "99")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.records().await[0]["note"], "after");

    let deleted = app
        .post(&format!("/checkin/{id}/delete"), &[("csrf", CSRF)])
        .await;
    assert_eq!(location(&deleted), "/recent?thanks=deleted");
    assert!(app.records().await.is_empty());
    assert_eq!(
        app.post(&format!("/checkin/{id}/delete"), &[("csrf", CSRF)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/checkin/{id}/edit")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_calendar_colours_days_by_pleasantness_and_intensity() {
    let app = App::new();
    app.post(
        "/checkin",
        &[
            ("csrf", CSRF),
            ("affect", "3,2"),
            ("feel", "happy"),
            ("int_happy", "8"),
        ],
    )
    .await;
    let r = &app.records().await[0];
    let date = &r["at"].as_str().unwrap()[..10];
    let year = &date[..4];
    let page = app.get(&format!("/calendar?year={year}")).await;
    assert!(
        page.body.contains(&format!(
            "class=\"day tone-pos3 sat-8 today\" href=\"/day/{date}\""
        )),
        "no coloured day for {date}"
    );
    let day = app.get(&format!("/day/{date}")).await;
    assert!(day.body.contains("happy 8"));
    assert_eq!(
        app.get("/calendar?year=abc").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/day/2026-13-40").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn insights_are_cards_of_one_sentence_and_one_chart_and_refuse_odd_windows() {
    let app = App::new();
    for i in 0..3 {
        let int = (i + 3).to_string();
        app.post(
            "/checkin",
            &[
                ("csrf", CSRF),
                ("affect", "1,1"),
                ("feel", "content"),
                ("int_content", &int),
                ("body_chest_sensation", "warm"),
            ],
        )
        .await;
    }
    let page = app.get("/insights").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body.matches("<svg viewBox").count(),
        5,
        "five cards with a chart each; no bridges card without bridges"
    );
    assert_eq!(page.body.matches("class=\"chart-legend\"").count(), 5);
    assert_eq!(
        page.body.matches("<summary>Details").count(),
        6,
        "5 cards and all the figures"
    );
    assert!(page
        .body
        .contains("In the last 28 days most check-ins sat pleasant with energy: 3 of 3."));
    assert!(page
        .body
        .contains("Noticed most often in the chest / heart: 3 of 3 check-ins."));
    assert!(page
        .body
        .contains("Not enough data yet to set them side by side"));
    assert!(page.body.contains(
        "Comparing with the 28 days before needs 14 check-ins in each (now 3, before 0)."
    ));
    assert!(page.body.contains("not enough data yet (3 of 14)"));
    assert!(page.body.contains("Not enough data yet: a profile needs"));
    assert!(page.body.contains("not a diagnosis"));
    assert_eq!(
        app.get("/insights?days=0").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn exports_download_everything() {
    let app = App::new();
    app.post(
        "/checkin",
        &[
            ("csrf", CSRF),
            ("nothing", "on"),
            ("note", "a, \"quoted\" note"),
        ],
    )
    .await;
    let json = app.get("/export.json").await;
    assert!(json.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("feltsense-export.json"));
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(v["format"], "feltsense");
    let csv = app.get("/export.csv").await;
    assert!(csv.body.starts_with("id,at,nothing,feelings"));
    assert!(csv.body.contains("\"a, \"\"quoted\"\" note\""));
}

#[tokio::test]
async fn help_now_needs_no_session_and_every_page_links_to_it() {
    let app = App::new();
    let open = app
        .send(Request::get("/help-now").body(Body::empty()).unwrap())
        .await;
    assert_eq!(open.status, StatusCode::OK);
    assert!(open.body.contains("findahelpline.com"));
    assert!(
        open.body.contains("once feltsense is unlocked"),
        "no plan without the session"
    );
    for path in [
        "/checkin",
        "/recent",
        "/calendar",
        "/insights",
        "/settings",
        "/journal",
        "/safety-plan",
    ] {
        assert!(
            app.get(path).await.body.contains("href=\"/help-now\""),
            "{path}"
        );
    }
    let locked = app
        .send(Request::get("/recent").body(Body::empty()).unwrap())
        .await;
    assert!(
        locked.body.contains("href=\"/help-now\""),
        "even the locked page"
    );
}

#[tokio::test]
async fn the_safety_plan_is_saved_and_shown_with_the_panel() {
    let app = App::new();
    let saved = app
        .post(
            "/safety-plan",
            &[
                ("csrf", CSRF),
                ("warning_signs", "not sleeping"),
                ("people_to_ask", "Ana, 0123"),
            ],
        )
        .await;
    assert_eq!(location(&saved), "/safety-plan?saved=1");
    let page = app.get("/safety-plan?saved=1").await;
    assert!(page.body.contains(">Ana, 0123</textarea>"));
    let help = app.get("/help-now").await;
    assert!(
        help.body.contains("Ana, 0123"),
        "the plan shows with the session"
    );
    let bad = app
        .post("/safety-plan", &[("csrf", CSRF), ("hobbies", "x")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let forged = app
        .post("/safety-plan", &[("csrf", "no"), ("people_to_ask", "")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(app.get("/help-now").await.body.contains("Ana, 0123"));
}

#[tokio::test]
async fn a_journal_entry_is_noticed_and_crisis_language_opens_the_panel_at_once() {
    let app = App::new();
    let calm = app
        .post_then_follow(
            "/journal",
            &[
                ("csrf", CSRF),
                ("text", "Really anxious today. I told everyone I was fine."),
            ],
        )
        .await;
    assert_eq!(calm.status, StatusCode::OK);
    let body = unescape(&calm.body);
    assert!(body.contains("anxious"), "feelings noticed");
    assert!(
        !body.contains("role=\"alert\" aria-labelledby=\"panel-h\""),
        "no panel"
    );
    assert!(body.contains("Save these as a check-in"));
    assert!(body.contains("name=\"feel\" value=\"anxious\""));

    let risk = app
        .post_then_follow(
            "/journal",
            &[("csrf", CSRF), ("text", "I want to kill myself.")],
        )
        .await;
    let body = risk.body;
    let panel = body.find("aria-labelledby=\"panel-h\"").expect("panel");
    let saved = body.find("<h1>Saved</h1>").expect("saved heading");
    assert!(panel < saved, "the panel comes before anything else");
    let more = body
        .find("See what else feltsense noticed")
        .expect("one step down");
    let details = body.find("<details").expect("closed details");
    assert!(details < more && !body[details..more].contains(" open"));

    let past = app
        .post_then_follow(
            "/journal",
            &[
                ("csrf", CSRF),
                (
                    "text",
                    "Years ago I used to think about killing myself. I'm better now.",
                ),
            ],
        )
        .await;
    assert!(
        !past.body.contains("aria-labelledby=\"panel-h\""),
        "no full panel"
    );
    assert!(unescape(&past.body).contains("If those thoughts come back, help is here"));
    let french = app
        .post_then_follow(
            "/journal",
            &[
                ("csrf", CSRF),
                ("text", "Je ne veux plus vivre, tout est trop lourd"),
            ],
        )
        .await;
    assert!(unescape(&french.body).contains("reads English only"));

    let list = app.get("/journal").await;
    assert!(list.body.contains("I want to kill myself."));
    let empty = app
        .post("/journal", &[("csrf", CSRF), ("text", "  ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("role=\"alert\""));
    let forged = app
        .post("/journal", &[("csrf", "x"), ("text", "hello")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_bridge_is_started_ended_and_shown_before_and_after() {
    let app = App::new();
    let page = app.get("/bridges").await;
    assert!(page.body.contains("Start a bridge"));
    assert!(
        !page.body.contains(" selected>") && !page.body.contains(" checked>"),
        "no kind, feeling or answer is chosen for the person"
    );
    assert!(page
        .body
        .contains("name=\"intensity\" type=\"number\" min=\"1\" max=\"10\" value=\"\""));
    assert!(page
        .body
        .contains("name=\"clarity\" type=\"number\" min=\"0\" max=\"10\" value=\"\""));
    let bad = app
        .post(
            "/bridges/start",
            &[
                ("csrf", CSRF),
                ("kind", "cooking"),
                ("label", "soup"),
                ("clarity", "3"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("choose a kind"));
    let bad = app
        .post(
            "/bridges/start",
            &[
                ("csrf", CSRF),
                ("kind", "music"),
                ("label", "songs"),
                ("word", "calm"),
                ("intensity", "12"),
                ("clarity", "3"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"songs\"") && bad.body.contains("value=\"12\""));
    assert!(
        bad.body.contains("<option value=\"music\" selected>"),
        "what was typed is kept"
    );
    let unsaid = app
        .post(
            "/bridges/start",
            &[
                ("csrf", CSRF),
                ("kind", "art"),
                ("label", "clay"),
                ("word", "calm"),
            ],
        )
        .await;
    assert_eq!(unsaid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unsaid.body.contains("How strong is calm?"),
        "{}",
        unsaid.body
    );
    let started = app
        .post(
            "/bridges/start",
            &[
                ("csrf", CSRF),
                ("kind", "music"),
                ("label", "old songs"),
                ("word", ""),
                ("clarity", "2"),
                ("body", "no"),
            ],
        )
        .await;
    assert_eq!(location(&started), "/bridges?thanks=started");
    let page = app.get("/bridges?thanks=started").await;
    assert!(unescape(&page.body).contains("End: music, “old songs”"));
    let ended = app
        .post(
            "/bridges/end",
            &[
                ("csrf", CSRF),
                ("word", "tender"),
                ("intensity", "4"),
                ("clarity", "5"),
                ("body", "yes"),
            ],
        )
        .await;
    assert_eq!(location(&ended), "/bridges?thanks=ended");
    let page = app.get("/bridges").await;
    assert!(page.body.contains("too early to tell (1 of 3 sessions)"));
    assert!(page
        .body
        .contains("nothing, clarity 2 → tender 4, clarity 5"));
    let none_open = app
        .post("/bridges/end", &[("csrf", CSRF), ("clarity", "5")])
        .await;
    assert_eq!(none_open.status, StatusCode::NOT_FOUND);
    let forged = app
        .post(
            "/bridges/start",
            &[
                ("csrf", "x"),
                ("kind", "music"),
                ("label", "x"),
                ("clarity", "1"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let insights = app.get("/insights").await;
    assert!(insights.body.contains("music: 0.0 before, 4.0 after (n 1)"));
    let export = app.get("/export.json").await;
    assert!(export.body.contains("\"label\": \"old songs\""));
}

#[tokio::test]
async fn practices_go_step_by_step_without_javascript() {
    let app = App::new();
    let intro = app.get("/practice/grounding").await;
    assert_eq!(intro.status, StatusCode::OK);
    assert!(intro.body.contains("You can stop at any time"));
    assert!(intro.body.contains("href=\"/practice/grounding?step=1\""));
    let step = app.get("/practice/grounding?step=3").await;
    assert!(step.body.contains("Step 3 of 5") && step.body.contains("three things you can hear"));
    assert!(step.body.contains("data-seconds=\"35\""));
    assert!(step.body.contains("href=\"/practice/grounding?step=4\""));
    assert!(
        step.body
            .contains("href=\"/practice/grounding?step=6\">Stop here"),
        "stopping leads to the closing words, from any step"
    );
    let end = app.get("/practice/grounding?step=6").await;
    assert!(end.body.contains("You are here, in this moment"));
    assert_eq!(
        app.get("/practice/grounding?step=abc").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/practice/yoga").await.status,
        StatusCode::NOT_FOUND
    );
    let done = app
        .post(
            "/practice/grounding/done",
            &[
                ("csrf", CSRF),
                ("before_word", ""),
                ("before_clarity", "1"),
                ("after_word", "calm"),
                ("after_intensity", "3"),
                ("after_clarity", "4"),
                ("after_body", "yes"),
            ],
        )
        .await;
    assert_eq!(location(&done), "/bridges?thanks=ended");
    assert!(app.get("/bridges").await.body.contains("practice"));
}

#[tokio::test]
async fn paced_breathing_is_one_page_with_a_circle_at_the_chosen_pace() {
    let app = App::new();
    let intro = app.get("/practice/breathing").await;
    assert!(intro
        .body
        .contains("name=\"in\" type=\"number\" min=\"1\" max=\"15\" value=\"4\""));
    assert!(
        !intro.body.contains("three things you can see"),
        "grounding's words stay with grounding"
    );
    let page = app
        .get("/practice/breathing?step=1&in=3&out=5&minutes=2")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"pacer-circle\""));
    assert!(!page.body.contains("Step 1 of"), "no step-by-step reloads");
    assert!(page
        .body
        .contains("href=\"/practice/breathing/pace.css?in=3&#38;out=5&#38;minutes=2\""));
    assert!(
        page.body.contains("15 breaths"),
        "2 minutes of 8-second breaths"
    );
    assert!(page
        .body
        .contains("href=\"/practice/breathing?step=2&#38;in=3&#38;out=5&#38;minutes=2\">I'm done"));
    let css = app
        .get("/practice/breathing/pace.css?in=3&out=5&minutes=2")
        .await;
    assert!(css
        .body
        .contains("animation-duration: 8s; animation-iteration-count: 15;"));
    assert!(css.body.contains("37.50% { transform: scale(1); }"));
    let end = app
        .get("/practice/breathing?step=2&in=3&out=5&minutes=2")
        .await;
    assert!(end
        .body
        .contains("Let the breath find its own rhythm again"));
    assert_eq!(
        app.get("/practice/breathing?step=3").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/practice/breathing/pace.css?in=99").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_reminders_feed_needs_its_own_token() {
    let app = App::new();
    let settings = app.get("/settings").await;
    let start = settings.body.find("/reminders.ics?token=").unwrap();
    let link: String = settings.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let open = app
        .send(Request::get(link.as_str()).body(Body::empty()).unwrap())
        .await;
    assert_eq!(open.status, StatusCode::OK);
    assert!(open.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    assert_eq!(
        open.body.matches("BEGIN:VEVENT").count(),
        56,
        "4 a day for 14 days"
    );
    let wrong = app
        .send(
            Request::get("/reminders.ics?token=guess")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn questionnaires_score_and_phq9_item_nine_opens_the_panel_first() {
    let app = App::new();
    let form = app.get("/assess/phq9").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.body.matches("type=\"radio\" name=\"q9\"").count(), 4);
    let mut answers: Vec<(String, String)> = (1..=9)
        .map(|i| (format!("q{i}"), "1".to_string()))
        .collect();
    answers.push(("csrf".into(), CSRF.into()));
    let refs: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let result = app.post_then_follow("/assess/phq9", &refs).await;
    assert_eq!(result.status, StatusCode::OK);
    let panel = result
        .body
        .find("aria-labelledby=\"panel-h\"")
        .expect("the panel");
    let score = result.body.find("9 of 27 (mild)").expect("the score");
    assert!(panel < score, "the panel comes before the score");
    assert!(result.body.contains("Screening, not diagnosis"));
    let missing = app
        .post("/assess/gad7", &[("csrf", CSRF), ("q1", "1")])
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing
        .body
        .contains("1 of 7 answered. Question 2 has no answer yet"));
    assert!(
        missing.body.contains("name=\"q2\" value=\"0\" autofocus"),
        "the page takes the person to the first unanswered question"
    );
    assert_eq!(missing.body.matches("autofocus").count(), 1);
    assert!(
        missing.body.contains("name=\"q1\" value=\"1\" checked"),
        "the answer given is kept"
    );
    let history = app.get("/assess").await;
    assert!(history.body.contains("9 of 27"));
    assert!(!history.body.contains("<svg"), "a trend needs two results");
    app.post("/assess/phq9", &refs).await;
    let history = app.get("/assess").await;
    assert!(
        history.body.contains("PHQ-9 scores over time"),
        "a trend chart per questionnaire"
    );
    assert_eq!(app.get("/assess/beck").await.status, StatusCode::NOT_FOUND);
    let forged = app.post("/assess/who5", &[("csrf", "x")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

/// Issue 10, item 15: a reload after saving shows the entry again; it does
/// not save it twice.
#[tokio::test]
async fn a_journal_entry_is_saved_once_however_often_its_page_is_reloaded() {
    let app = App::new();
    let form = [
        ("csrf", CSRF),
        ("text", "Quiet evening, a walk by the river."),
    ];
    let posted = app.post("/journal", &form).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    let target = posted.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    for _ in 0..3 {
        let shown = app.get(&target).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.body.contains("<h1>Saved</h1>"));
    }
    let list = app.get("/journal").await;
    assert_eq!(
        list.body
            .matches("Quiet evening, a walk by the river.")
            .count(),
        1
    );
}
