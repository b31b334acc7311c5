//! Every route × every kind of visitor → the expected status, and no
//! response to one account holds another's data (a unique marker in each
//! person's journal and check-in note is looked for in every response).

use crate::readers::share;
use crate::support::*;
use axum::http::StatusCode;
use feltsense_server::accounts::Role;
use feltsense_server::sharing::{GranteeKind, Scope};
use uuid::Uuid;

const APP_PAGES: &[&str] = &[
    "/checkin",
    "/recent",
    "/calendar",
    "/insights",
    "/settings",
    "/journal",
    "/assess",
    "/bridges",
    "/safety-plan",
    "/report",
    "/export.json",
    "/export.csv",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    PersonA,
    PersonB,
    Clinician,
    Admin,
    Expired,
    Revoked,
}

impl Who {
    fn signed_out(self) -> bool {
        matches!(self, Who::Anonymous | Who::Expired | Who::Revoked)
    }

    fn staff(self) -> bool {
        matches!(self, Who::Clinician | Who::Admin)
    }

    /// What each GET should answer (303 = sent elsewhere).
    fn expected(self, path: &str) -> StatusCode {
        let (ok, see, forbidden) = (StatusCode::OK, StatusCode::SEE_OTHER, StatusCode::FORBIDDEN);
        match path {
            "/healthz" | "/help-now" => ok,
            "/" => see,
            "/login" if self.signed_out() => ok,
            "/login" => see,
            _ if self.signed_out() => see,
            "/clinician" if self == Who::Clinician => ok,
            "/shared-with-me" if !self.staff() => ok,
            "/staff/emergency" if self == Who::Admin => ok,
            "/clinician" | "/shared-with-me" | "/staff/emergency" => forbidden,
            "/account/sessions" | "/account/delete" | "/account/sharing-code" => ok,
            "/sharing/notice" if !self.staff() => see,
            "/staff" if self.staff() => ok,
            "/staff" => forbidden,
            _ if self.staff() => forbidden,
            _ => ok,
        }
    }
}

/// A person with a marker in their journal, in a check-in's note and in
/// their safety plan (shared with nobody here).
async fn person_with_marker(
    on: &Instance,
    tenant: Uuid,
    address: &str,
) -> (Browser, String, String) {
    let browser = Browser::new();
    invited(on, &browser, tenant, Role::Person, address).await;
    let marker = format!("marker{}", Uuid::now_v7().simple());
    let csrf = browser.csrf(on).await;
    let saved = browser
        .post(
            on,
            "/journal",
            &[("csrf", &csrf), ("text", &format!("I felt calm {marker}"))],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let entry = saved.location().split('?').next().unwrap().to_string();
    let checkin = [
        ("csrf", csrf.as_str()),
        ("feel", "calm"),
        ("int_calm", "3"),
        ("note", &marker),
    ];
    let checked = browser.post(on, "/checkin", &checkin).await;
    assert!(
        checked.status.is_redirection() || checked.status.is_success(),
        "{}",
        checked.body
    );
    let plan = [("csrf", csrf.as_str()), ("warning_signs", &marker)];
    let planned = browser.post(on, "/safety-plan", &plan).await;
    assert!(planned.status.is_redirection(), "{}", planned.body);
    (browser, marker, entry)
}

/// The readers' pages about A and B: A shares check-ins with the
/// clinician and with B; nobody else shares anything, and no emergency
/// access is open. Each page also over a year (`?days=365`).
struct ReaderPaths {
    paths: Vec<String>,
}

impl ReaderPaths {
    fn of(a: Uuid, b: Uuid) -> ReaderPaths {
        let pages = [
            format!("/clinician/person/{a}"),
            format!("/clinician/person/{b}"),
            format!("/shared-with-me/{a}"),
            format!("/shared-with-me/{b}"),
            format!("/staff/emergency/{a}"),
            format!("/staff/emergency/{b}"),
        ];
        let over_a_year = pages.iter().map(|p| format!("{p}?days=365"));
        let paths = pages.iter().cloned().chain(over_a_year).collect();
        ReaderPaths { paths }
    }

    fn all(&self) -> Vec<&str> {
        self.paths.iter().map(String::as_str).collect()
    }

    fn expected(&self, who: Who, path: &str) -> StatusCode {
        let p = &self.paths;
        let path = path.split('?').next().unwrap_or(path);
        match who {
            _ if who.signed_out() => StatusCode::SEE_OTHER,
            Who::Clinician if path == p[0] => StatusCode::OK,
            Who::PersonB if path == p[2] => StatusCode::OK,
            _ => StatusCode::FORBIDDEN,
        }
    }
}

/// `browser`'s person shares check-ins and chosen journal entries with
/// `clinician`: the grant's id.
async fn shared_by(on: &Instance, browser: &Browser, clinician: Uuid) -> Uuid {
    let csrf = browser.csrf(on).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("clinician", &clinician.to_string()),
        ("scope", "checkins"),
        ("journal", "chosen"),
    ];
    let reply = browser.post(on, "/sharing/new", &form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let id = reply.location().strip_prefix("/sharing?made=").unwrap();
    id.parse().unwrap()
}

async fn account_id(email: &str) -> Uuid {
    let row = database()
        .await
        .query_one("SELECT id FROM accounts WHERE email = $1", &[&email])
        .await
        .unwrap();
    row.get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_each_visitor_as_it_should_and_shows_no_one_elses_data() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (a_email, b_email) = (email("a"), email("b"));
    let (a, marker_a, entry_a) = person_with_marker(&on, tenant, &a_email).await;
    let (b, marker_b, entry_b) = person_with_marker(&on, tenant, &b_email).await;
    let clinician = Browser::new();
    let clinician_email = email("clinician");
    invited(&on, &clinician, tenant, Role::Clinician, &clinician_email).await;
    let grant_a = shared_by(&on, &a, account_id(&clinician_email).await).await;
    let admin = Browser::new();
    invited(&on, &admin, tenant, Role::Admin, &email("admin")).await;
    // A shares with the clinician through /sharing (check-ins and chosen
    // entries, none chosen yet) and check-ins with B as a trusted person.
    let (id_a, id_b) = (account_id(&a_email).await, account_id(&b_email).await);
    let checkins = [Scope::CheckIns];
    share(
        &on,
        tenant,
        id_a,
        id_b,
        GranteeKind::TrustedPerson,
        &checkins,
    )
    .await;
    let readers = ReaderPaths::of(id_a, id_b);
    let expired = Browser::new();
    let expired_email = email("expired");
    invited(&on, &expired, tenant, Role::Person, &expired_email).await;
    let id = account_id(&expired_email).await;
    database()
        .await
        .execute(
            "UPDATE sessions SET last_seen = now() - interval '9 hours' WHERE account = $1",
            &[&id],
        )
        .await
        .unwrap();
    let revoked = Browser::new();
    let revoked_email = email("revoked");
    invited(&on, &revoked, tenant, Role::Person, &revoked_email).await;
    let account = on
        .server
        .accounts
        .get(account_id(&revoked_email).await)
        .await
        .unwrap()
        .unwrap();
    on.server.accounts.revoke_all(&account, None).await.unwrap();

    let visitors = [
        (Who::Anonymous, Browser::new()),
        (Who::PersonA, a.clone()),
        (Who::PersonB, b.clone()),
        (Who::Clinician, clinician),
        (Who::Admin, admin),
        (Who::Expired, expired),
        (Who::Revoked, revoked),
    ];
    let mut paths: Vec<&str> = APP_PAGES.to_vec();
    paths.extend([
        "/",
        "/login",
        "/help-now",
        "/healthz",
        "/account/sessions",
        "/account/delete",
        "/staff",
        "/sharing",
        "/sharing/new",
        "/sharing/looks",
        "/sharing/notice",
        "/account/sharing-code",
    ]);
    let grant_pages = [
        format!("/sharing/{grant_a}"),
        format!("/sharing/{grant_a}/entries"),
        entry_a.replace("/journal/", "/sharing/entry/"),
    ];
    paths.extend(grant_pages.iter().map(String::as_str));
    paths.extend([entry_a.as_str(), entry_b.as_str()]);
    paths.extend(["/clinician", "/shared-with-me", "/staff/emergency"]);
    paths.extend(readers.all());
    let mut checked = 0;
    for (who, browser) in &visitors {
        for path in &paths {
            let reply = browser.get(&on, path).await;
            let expected = match (*who, *path) {
                (Who::PersonA, p) if p == entry_b => StatusCode::NOT_FOUND,
                (Who::PersonB, p) if p == entry_a => StatusCode::NOT_FOUND,
                (Who::PersonB, p) if grant_pages.iter().any(|g| g == p) => StatusCode::NOT_FOUND,
                (who, p) if readers.all().contains(&p) => readers.expected(who, p),
                _ => who.expected(path),
            };
            assert_eq!(reply.status, expected, "{who:?} GET {path}: {}", reply.body);
            if *who != Who::PersonA {
                assert!(
                    !reply.body.contains(&marker_a),
                    "{who:?} GET {path} shows A's data"
                );
            }
            if *who != Who::PersonB {
                assert!(
                    !reply.body.contains(&marker_b),
                    "{who:?} GET {path} shows B's data"
                );
            }
            if who.signed_out() && expected == StatusCode::SEE_OTHER && *path != "/" {
                assert_eq!(reply.location(), "/login", "{who:?} GET {path}");
            }
            if !who.signed_out() && *path == "/sharing/notice" && expected == StatusCode::SEE_OTHER
            {
                assert_eq!(reply.location(), "/checkin", "{who:?}: no notice to show");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, visitors.len() * paths.len());
    // Each person sees their own marker (so the search above could fail).
    assert!(a.get(&on, "/journal").await.body.contains(&marker_a));
    assert!(b.get(&on, "/recent").await.body.contains(&marker_b));
    assert!(a.get(&on, "/export.json").await.body.contains(&marker_a));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_needs_its_own_sessions_token_and_a_person_account() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (a, _, _) = person_with_marker(&on, tenant, &email("a")).await;
    let (b, _, _) = person_with_marker(&on, tenant, &email("b")).await;
    let csrf_a = a.csrf(&on).await;
    let csrf_b = b.csrf(&on).await;
    let admin = Browser::new();
    invited(&on, &admin, tenant, Role::Admin, &email("admin")).await;
    let csrf_admin = admin.csrf(&on).await;
    let text = "nothing much";
    let cases = [
        (Browser::new(), "", StatusCode::FORBIDDEN),
        (a.clone(), csrf_b.as_str(), StatusCode::FORBIDDEN),
        (a.clone(), "", StatusCode::FORBIDDEN),
        (admin.clone(), csrf_admin.as_str(), StatusCode::FORBIDDEN),
        (a.clone(), csrf_a.as_str(), StatusCode::SEE_OTHER),
    ];
    for (browser, csrf, expected) in cases {
        let reply = browser
            .post(&on, "/journal", &[("csrf", csrf), ("text", text)])
            .await;
        assert_eq!(reply.status, expected, "{}", reply.body);
    }
    // Staff pages' forms are for admins only, with their token.
    let refused = a
        .post(
            &on,
            "/staff/invite",
            &[
                ("csrf", &csrf_a),
                ("email", "x@example.org"),
                ("role", "person"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let wrong_token = admin
        .post(
            &on,
            "/staff/invite",
            &[
                ("csrf", &csrf_a),
                ("email", "x@example.org"),
                ("role", "person"),
            ],
        )
        .await;
    assert_eq!(wrong_token.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_host_and_a_post_from_another_site_are_refused() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let browser = Browser::new();
    let other_host = axum::http::Request::get("/login")
        .header("host", "evil.example:8443")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(
        browser.send(&on, other_host).await.status,
        StatusCode::MISDIRECTED_REQUEST
    );
    let cross = browser
        .request("POST", "/login")
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("email=a&password=b"))
        .unwrap();
    assert_eq!(browser.send(&on, cross).await.status, StatusCode::FORBIDDEN);
    let page = browser.get(&on, "/login").await;
    let csp = page
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    let cookie = page.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sharing_forms_need_a_persons_own_token_and_grant() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (a, _, _) = person_with_marker(&on, tenant, &email("a")).await;
    let (b, _, _) = person_with_marker(&on, tenant, &email("b")).await;
    let clinician_email = email("clinician");
    invited(
        &on,
        &Browser::new(),
        tenant,
        Role::Clinician,
        &clinician_email,
    )
    .await;
    let clinician = account_id(&clinician_email).await;
    let grant = shared_by(&on, &a, clinician).await;
    let admin = Browser::new();
    invited(&on, &admin, tenant, Role::Admin, &email("admin")).await;
    let (csrf_b, csrf_admin) = (b.csrf(&on).await, admin.csrf(&on).await);
    let routes = [
        "/sharing/new".to_string(),
        format!("/sharing/{grant}"),
        format!("/sharing/{grant}/revoke"),
        format!("/sharing/{grant}/entries"),
        "/sharing/notice/seen".to_string(),
    ];
    let who = clinician.to_string();
    for route in &routes {
        let cases = [
            (Browser::new(), "", StatusCode::SEE_OTHER),
            (a.clone(), csrf_b.as_str(), StatusCode::FORBIDDEN),
            (a.clone(), "", StatusCode::FORBIDDEN),
            (admin.clone(), csrf_admin.as_str(), StatusCode::FORBIDDEN),
        ];
        for (browser, csrf, expected) in cases {
            let form = [
                ("csrf", csrf),
                ("clinician", &who),
                ("scope", "checkins"),
                ("confirm", "revoke"),
            ];
            let reply = browser.post(&on, route, &form).await;
            assert_eq!(reply.status, expected, "POST {route}: {}", reply.body);
        }
    }
    for route in &routes[1..4] {
        let form = [
            ("csrf", csrf_b.as_str()),
            ("scope", "checkins"),
            ("confirm", "revoke"),
        ];
        let reply = b.post(&on, route, &form).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "B POST {route}");
    }
    let renew = Browser::new()
        .post(&on, "/account/sharing-code/renew", &[("csrf", "")])
        .await;
    assert_eq!(renew.location(), "/login");
    let grants = feltsense_server::sharing::grants::for_person(
        on.server.accounts.pool(),
        tenant,
        account_id_of(&on, &a).await,
    )
    .await
    .unwrap();
    assert_eq!(grants.len(), 1);
    assert!(
        grants[0].revoked_at.is_none(),
        "nobody else revoked A's grant"
    );
}

async fn account_id_of(on: &Instance, browser: &Browser) -> Uuid {
    let csrf = browser.csrf(on).await;
    let row = database()
        .await
        .query_one("SELECT account FROM sessions WHERE csrf = $1", &[&csrf])
        .await
        .unwrap();
    row.get(0)
}
