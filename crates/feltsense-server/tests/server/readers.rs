//! The readers' pages of sharing through the HTTP router: a clinician's
//! caseload and person page, a trusted person's view, emergency access;
//! each look (and each refused one) on the person's record.

use crate::support::*;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use feltsense_server::accounts::Role;
use feltsense_server::sharing::{
    audit, emergency, grants, GrantChange, GrantDraft, GranteeKind, JournalSharing, Scope,
};
use uuid::Uuid;

pub async fn account_id(email: &str) -> Uuid {
    let row = database()
        .await
        .query_one("SELECT id FROM accounts WHERE email = $1", &[&email])
        .await
        .unwrap();
    row.get(0)
}

/// A person of `tenant`, signed in, with a check-in and a journal entry
/// each holding a marker; returns the browser, id, marker and entry id.
pub async fn person(on: &Instance, tenant: Uuid, name: &str) -> (Browser, Uuid, String, String) {
    let browser = Browser::new();
    let address = email(name);
    invited(on, &browser, tenant, Role::Person, &address).await;
    let marker = format!("marker{}", Uuid::now_v7().simple());
    let csrf = browser.csrf(on).await;
    let text = format!("I felt calm {marker}");
    let saved = browser
        .post(on, "/journal", &[("csrf", &csrf), ("text", &text)])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let entry = saved.location().split('?').next().unwrap();
    let entry = entry.trim_start_matches("/journal/").to_string();
    let checkin = [
        ("csrf", csrf.as_str()),
        ("feel", "calm"),
        ("int_calm", "3"),
        ("note", &marker),
    ];
    let checked = browser.post(on, "/checkin", &checkin).await;
    assert!(checked.status.is_redirection(), "{}", checked.body);
    (browser, account_id(&address).await, marker, entry)
}

/// A signed-in staff account of `tenant` and its id.
pub async fn staff(on: &Instance, tenant: Uuid, role: Role) -> (Browser, Uuid) {
    let browser = Browser::new();
    let address = email(role.as_str());
    invited(on, &browser, tenant, role, &address).await;
    (browser, account_id(&address).await)
}

pub async fn share(
    on: &Instance,
    tenant: Uuid,
    person: Uuid,
    grantee: Uuid,
    kind: GranteeKind,
    scopes: &[Scope],
) -> grants::Grant {
    let draft = GrantDraft {
        grantee,
        grantee_kind: kind,
        scopes: scopes.to_vec(),
        journal: JournalSharing::Off,
        starts_at: Utc::now() - Duration::minutes(1),
        ends_at: None,
        purpose: "our sessions".into(),
    };
    grants::create(&on.server.sharing.pool, tenant, person, &draft)
        .await
        .unwrap()
}

async fn looks(on: &Instance, tenant: Uuid, person: Uuid) -> Vec<audit::Look> {
    audit::who_saw_what(&on.server.sharing.pool, tenant, person)
        .await
        .unwrap()
}

/// Refused events by `actor`, read as the cluster's superuser (the app
/// role reads audit events only through its policies).
async fn refused_events(actor: Uuid) -> i64 {
    let url = std::env::var("FELTSENSE_ADMIN_URL").unwrap();
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let sql = "SELECT count(*) FROM audit_events WHERE actor = $1 AND outcome = 'refused'";
    client.query_one(sql, &[&actor]).await.unwrap().get(0)
}

async fn answer_phq9(on: &Instance, browser: &Browser, item_nine: &str) {
    let csrf = browser.csrf(on).await;
    let mut form = vec![("csrf", csrf.as_str())];
    let names = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"];
    form.extend(names.iter().map(|q| (*q, "1")));
    form.push(("q9", item_nine));
    let done = browser.post(on, "/assess/phq9", &form).await;
    assert!(done.status.is_redirection(), "{}", done.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_caseload_shows_each_person_only_what_their_grant_shares() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (clinician, me) = staff(&on, tenant, Role::Clinician).await;
    let (a, id_a, marker_a, _) = person(&on, tenant, "a").await;
    let (b, id_b, marker_b, _) = person(&on, tenant, "b").await;
    answer_phq9(&on, &a, "1").await;
    answer_phq9(&on, &b, "2").await;
    let clinician_kind = GranteeKind::Clinician;
    share(
        &on,
        tenant,
        id_a,
        me,
        clinician_kind,
        &[Scope::CheckIns, Scope::Questionnaires],
    )
    .await;
    share(&on, tenant, id_b, me, clinician_kind, &[Scope::CheckIns]).await;
    let page = clinician.get(&on, "/clinician").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let card = |id: Uuid| {
        let start = page.body.find(&format!("/clinician/person/{id}")).unwrap();
        let end = page.body[start..].find("</article>").unwrap();
        page.body[start..start + end].to_string()
    };
    let (card_a, card_b) = (card(id_a), card(id_b));
    assert!(card_a.contains("Last checked in on"), "{card_a}");
    assert!(
        card_a.contains("(n = 1)") && card_a.contains("not enough data yet"),
        "{card_a}"
    );
    assert!(
        card_a.contains("PHQ-9") && card_a.contains("the first time"),
        "{card_a}"
    );
    assert!(
        card_a.contains("item 9") && card_a.contains("gently"),
        "{card_a}"
    );
    assert!(
        card_b.contains("Questionnaires are not shared with you."),
        "{card_b}"
    );
    assert!(
        !card_b.contains("PHQ-9") && !card_b.contains("item 9"),
        "{card_b}"
    );
    assert!(page.body.contains("Screening, not diagnosis"));
    assert!(page.body.contains("does not alert anyone") && page.body.contains("real time"));
    assert!(!page.body.contains(&marker_a) && !page.body.contains(&marker_b));
    for id in [id_a, id_b] {
        let seen = looks(&on, tenant, id).await;
        assert!(seen
            .iter()
            .any(|l| l.what == "caseload summary" && l.who == me && !l.refused));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_page_shows_what_is_shared_read_only_and_stops_at_revocation() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (clinician, me) = staff(&on, tenant, Role::Clinician).await;
    let (_a, id_a, marker_a, entry) = person(&on, tenant, "a").await;
    let path = format!("/clinician/person/{id_a}");
    let before = clinician.get(&on, &path).await;
    assert_eq!(before.status, StatusCode::FORBIDDEN, "no grant yet");
    let grant = share(
        &on,
        tenant,
        id_a,
        me,
        GranteeKind::Clinician,
        &[Scope::CheckIns],
    )
    .await;
    let page = clinician.get(&on, &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("shared data — read-only"));
    assert!(page.body.contains("id=\"calendar\"") && page.body.contains("Feelings: calm"));
    assert!(page.body.contains(
        "Not shared with you: questionnaires, bridges and practices, safety plan, journal entries."
    ));
    assert!(!page.body.contains("<form") && !page.body.contains(&marker_a));
    assert!(!page.body.contains("href=\"/checkin") && !page.body.contains("href=\"/journal"));
    let pool = &on.server.sharing.pool;
    let journal = GrantChange {
        scopes: Some(vec![Scope::CheckIns, Scope::Journal]),
        journal: Some(JournalSharing::Chosen),
        ..GrantChange::default()
    };
    grants::change(pool, tenant, id_a, grant.id, &journal)
        .await
        .unwrap();
    let none_yet = clinician.get(&on, &path).await;
    assert!(
        none_yet.body.contains("No entry is shared with you yet."),
        "{}",
        none_yet.body
    );
    assert!(
        !none_yet.body.contains(&marker_a),
        "an unshared entry stays unshown"
    );
    grants::share_entry(pool, tenant, id_a, grant.id, &entry)
        .await
        .unwrap();
    let shared = clinician.get(&on, &path).await;
    assert!(
        shared.body.contains(&format!("I felt calm {marker_a}")),
        "{}",
        shared.body
    );
    grants::revoke(pool, tenant, id_a, grant.id).await.unwrap();
    let after = clinician.get(&on, &path).await;
    assert_eq!(after.status, StatusCode::FORBIDDEN);
    assert!(after.body.contains("no longer") && !after.body.contains(&marker_a));
    let seen = looks(&on, tenant, id_a).await;
    let by_me = |what: &str, refused: bool| {
        seen.iter()
            .filter(|l| l.who == me && l.what == what && l.refused == refused)
            .count()
    };
    assert_eq!(by_me("check-ins, calendar and insights", false), 3);
    assert_eq!(by_me("shared journal entries", false), 2);
    assert_eq!(by_me("shared data", true), 2, "before and after");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clinician_of_another_clinic_and_a_bad_id_are_refused_calmly() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (_a, id_a, marker_a, _) = person(&on, tenant, "a").await;
    let (_, mine) = staff(&on, tenant, Role::Clinician).await;
    share(
        &on,
        tenant,
        id_a,
        mine,
        GranteeKind::Clinician,
        &[Scope::CheckIns],
    )
    .await;
    let (elsewhere, theirs) = staff(&on, Uuid::now_v7(), Role::Clinician).await;
    let refused = elsewhere
        .get(&on, &format!("/clinician/person/{id_a}"))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains(&marker_a));
    let caseload = elsewhere.get(&on, "/clinician").await;
    assert!(caseload.body.contains("Nobody shares") && !caseload.body.contains(&id_a.to_string()));
    let odd = elsewhere.get(&on, "/clinician/person/not-a-uuid").await;
    assert_eq!(odd.status, StatusCode::FORBIDDEN);
    // The read about A is on the record; an address naming nobody reads nothing.
    assert_eq!(refused_events(theirs).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_person_sees_a_gentle_view_without_scores_unless_granted() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (a, id_a, marker_a, _) = person(&on, tenant, "a").await;
    let (b, id_b, _, _) = person(&on, tenant, "b").await;
    answer_phq9(&on, &a, "0").await;
    let list = b.get(&on, "/shared-with-me").await;
    assert!(list.body.contains("Nobody shares"), "{}", list.body);
    let sharing = b.get(&on, "/sharing").await;
    assert!(
        sharing.body.contains("href=\"/shared-with-me\""),
        "linked from /sharing"
    );
    share(
        &on,
        tenant,
        id_a,
        id_b,
        GranteeKind::TrustedPerson,
        &[Scope::CheckIns],
    )
    .await;
    let list = b.get(&on, "/shared-with-me").await;
    assert!(
        list.body.contains(&format!("/shared-with-me/{id_a}")),
        "{}",
        list.body
    );
    let view = b.get(&on, &format!("/shared-with-me/{id_a}")).await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.body);
    assert!(view.body.contains("id=\"calendar\"") && view.body.contains("Feelings: calm"));
    assert!(!view.body.contains("class=\"figures\"") && !view.body.contains("PHQ-9"));
    assert!(!view.body.contains(&marker_a) && !view.body.contains("<form"));
    let back = a.get(&on, &format!("/shared-with-me/{id_b}")).await;
    assert_eq!(
        back.status,
        StatusCode::FORBIDDEN,
        "B shares nothing with A"
    );
    let seen = looks(&on, tenant, id_a).await;
    assert!(seen
        .iter()
        .any(|l| l.who == id_b && l.role == "trusted person" && !l.refused));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emergency_access_needs_a_reason_a_limit_and_a_confirmation() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (_a, id_a, marker_a, _) = person(&on, tenant, "a").await;
    let address: String = database()
        .await
        .query_one("SELECT email FROM accounts WHERE id = $1", &[&id_a])
        .await
        .unwrap()
        .get(0);
    let (admin, _) = staff(&on, tenant, Role::Admin).await;
    let form = admin.get(&on, "/staff/emergency").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let csrf = form.field("csrf");
    let path = format!("/staff/emergency/{id_a}");
    assert_eq!(admin.get(&on, &path).await.status, StatusCode::FORBIDDEN);
    let post = |email: &str, reason: &str, hours: &str, confirm: &str| {
        let form = [
            ("csrf", csrf.clone()),
            ("email", email.to_string()),
            ("reason", reason.to_string()),
            ("hours", hours.to_string()),
            ("confirm", confirm.to_string()),
        ];
        let (admin, on) = (admin.clone(), on.clone());
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            admin.post(&on, "/staff/emergency", &form).await
        }
    };
    let cases = [
        (
            "nobody@example.org",
            "worried",
            "2",
            "yes",
            "Email: there is no person",
        ),
        (address.as_str(), " ", "2", "yes", "Reason:"),
        (
            address.as_str(),
            "worried",
            "25",
            "yes",
            "Hours: &#39;25&#39;",
        ),
        (address.as_str(), "worried", "2", "", "Confirm:"),
    ];
    for (email, reason, hours, confirm, problem) in cases {
        let reply = post(email, reason, hours, confirm).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert!(reply.body.contains(problem), "{problem}: {}", reply.body);
        assert!(reply.body.contains(email), "what was typed is kept");
    }
    assert!(emergency::unseen(&on.server.sharing.pool, tenant, id_a)
        .await
        .unwrap()
        .is_empty());
    let opened = post(
        &address,
        "no answer for two days after a crisis call",
        "2",
        "yes",
    )
    .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    assert_eq!(opened.location(), path);
    let page = admin.get(&on, &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("under emergency access — read-only"));
    assert!(
        page.body.contains(&marker_a),
        "the whole journal, under emergency"
    );
    let told = emergency::unseen(&on.server.sharing.pool, tenant, id_a)
        .await
        .unwrap();
    assert_eq!(told.len(), 1);
    let seen = looks(&on, tenant, id_a).await;
    assert!(seen
        .iter()
        .any(|l| l.emergency.as_deref() == Some("no answer for two days after a crisis call")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readers_pages_are_for_their_own_roles() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (a, _, _, _) = person(&on, tenant, "a").await;
    let (clinician, _) = staff(&on, tenant, Role::Clinician).await;
    let (admin, _) = staff(&on, tenant, Role::Admin).await;
    let cases = [
        (&a, "/clinician", StatusCode::FORBIDDEN),
        (&admin, "/clinician", StatusCode::FORBIDDEN),
        (&clinician, "/shared-with-me", StatusCode::FORBIDDEN),
        (&clinician, "/staff/emergency", StatusCode::FORBIDDEN),
        (&a, "/staff/emergency", StatusCode::FORBIDDEN),
        (&clinician, "/clinician", StatusCode::OK),
        (&a, "/shared-with-me", StatusCode::OK),
        (&admin, "/staff/emergency", StatusCode::OK),
    ];
    for (browser, path, expected) in cases {
        assert_eq!(browser.get(&on, path).await.status, expected, "{path}");
    }
    let csrf = clinician.csrf(&on).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("email", "x@example.org"),
        ("reason", "r"),
        ("hours", "1"),
        ("confirm", "yes"),
    ];
    let refused = clinician.post(&on, "/staff/emergency", &form).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_its_end_a_grant_lets_nothing_through() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (clinician, me) = staff(&on, tenant, Role::Clinician).await;
    let (_a, id_a, _, _) = person(&on, tenant, "a").await;
    let grant = share(
        &on,
        tenant,
        id_a,
        me,
        GranteeKind::Clinician,
        &[Scope::CheckIns],
    )
    .await;
    let ending = GrantChange {
        ends_at: Some(Some(Utc::now() + Duration::milliseconds(1500))),
        ..GrantChange::default()
    };
    let pool = &on.server.sharing.pool;
    grants::change(pool, tenant, id_a, grant.id, &ending)
        .await
        .unwrap();
    let path = format!("/clinician/person/{id_a}");
    assert_eq!(clinician.get(&on, &path).await.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    let after = clinician.get(&on, &path).await;
    assert_eq!(after.status, StatusCode::FORBIDDEN, "{}", after.body);
    let caseload = clinician.get(&on, "/clinician").await;
    assert!(!caseload.body.contains(&path), "{}", caseload.body);
    let seen = looks(&on, tenant, id_a).await;
    assert!(seen.iter().any(|l| l.who == me && l.refused));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clinician_invites_people_and_only_people() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let (clinician, _) = staff(&on, Uuid::now_v7(), Role::Clinician).await;
    let page = clinician.get(&on, "/staff").await;
    assert!(page.body.contains("/clinician") && !page.body.contains("value=\"admin\""));
    let csrf = page.field("csrf");
    let invite = |role: &'static str, address: String| {
        let (clinician, on, csrf) = (clinician.clone(), on.clone(), csrf.clone());
        async move {
            let form = [("csrf", csrf.as_str()), ("email", &address), ("role", role)];
            clinician.post(&on, "/staff/invite", &form).await
        }
    };
    let person = invite("person", email("invited")).await;
    assert_eq!(person.status, StatusCode::OK, "{}", person.body);
    assert!(person.body.contains("/invite/"), "{}", person.body);
    for role in ["clinician", "admin", "auditor"] {
        let refused = invite(role, email("not-invited")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{role}");
        assert!(!refused.body.contains("/invite/"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grant_is_to_an_account_and_ends_with_it() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (_a, id_a, _, _) = person(&on, tenant, "a").await;
    let pool = &on.server.sharing.pool;
    let nobody = GrantDraft {
        grantee: Uuid::now_v7(),
        grantee_kind: GranteeKind::Clinician,
        scopes: vec![Scope::CheckIns],
        journal: JournalSharing::Off,
        starts_at: Utc::now(),
        ends_at: None,
        purpose: "nobody".into(),
    };
    assert!(grants::create(pool, tenant, id_a, &nobody).await.is_err());
    let (_, me) = staff(&on, tenant, Role::Clinician).await;
    share(
        &on,
        tenant,
        id_a,
        me,
        GranteeKind::Clinician,
        &[Scope::CheckIns],
    )
    .await;
    assert_eq!(
        grants::for_person(pool, tenant, id_a).await.unwrap().len(),
        1
    );
    let account = on.server.accounts.get(me).await.unwrap().unwrap();
    on.server.accounts.delete(&account, "test").await.unwrap();
    assert!(grants::for_person(pool, tenant, id_a)
        .await
        .unwrap()
        .is_empty());
}

/// `actor`'s audit events, oldest first: (what, request id, outcome), read
/// as the cluster's superuser.
async fn events_of(actor: Uuid) -> Vec<(String, String, String)> {
    let url = std::env::var("FELTSENSE_ADMIN_URL").unwrap();
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let sql = "SELECT what, request, outcome FROM audit_events WHERE actor = $1
               ORDER BY at, position";
    let rows = client.query(sql, &[&actor]).await.unwrap();
    rows.iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// `person`'s safety plan, its first step holding a marker; the marker.
async fn safety_plan(on: &Instance, browser: &Browser) -> String {
    let marker = format!("plan{}", Uuid::now_v7().simple());
    let csrf = browser.csrf(on).await;
    let plan = [("csrf", csrf.as_str()), ("warning_signs", &marker)];
    let saved = browser.post(on, "/safety-plan", &plan).await;
    assert!(saved.status.is_redirection(), "{}", saved.body);
    marker
}

/// The HTML of `<section id="{id}">` in `body`, if there is one.
fn section(body: &str, id: &str) -> Option<String> {
    let start = body.find(&format!("<section id=\"{id}\">"))?;
    let end = body[start..].find("</section>")?;
    Some(body[start..start + end].to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_page_is_one_audited_read_with_insights_calendar_and_the_plan_when_shared() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (clinician, me) = staff(&on, tenant, Role::Clinician).await;
    let (a, id_a, _, _) = person(&on, tenant, "a").await;
    let plan = safety_plan(&on, &a).await;
    let kind = GranteeKind::Clinician;
    let grant = share(&on, tenant, id_a, me, kind, &[Scope::CheckIns]).await;
    let path = format!("/clinician/person/{id_a}");
    let page = clinician.get(&on, &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let insights = section(&page.body, "insights").expect("the insight cards");
    assert!(insights.contains("id=\"card-trend\"") && insights.contains("<svg"));
    assert!(insights.contains("screening, not diagnosis"), "{insights}");
    let calendar = section(&page.body, "calendar").unwrap();
    let month = Utc::now().format("%B %Y").to_string();
    assert!(calendar.contains(&month) && calendar.contains("Everything shared with you"));
    assert!(!page.body.contains(&plan) && section(&page.body, "safety-plan").is_none());
    assert!(
        !page.body.contains("My warning signs"),
        "no word of the plan"
    );
    assert!(page
        .body
        .contains("bridges and practices, safety plan, journal entries."));
    let first = events_of(me).await;
    let what: Vec<&str> = first.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        what,
        ["check-ins, calendar and insights"],
        "one look, one kind"
    );
    let more = GrantChange {
        scopes: Some(vec![
            Scope::CheckIns,
            Scope::Questionnaires,
            Scope::SafetyPlan,
        ]),
        ..GrantChange::default()
    };
    let pool = &on.server.sharing.pool;
    grants::change(pool, tenant, id_a, grant.id, &more)
        .await
        .unwrap();
    let shared = clinician.get(&on, &path).await;
    let shown = section(&shared.body, "safety-plan").expect("the plan, now shared");
    assert!(
        shown.contains(&plan) && shown.contains("1. My warning signs"),
        "{shown}"
    );
    let events = events_of(me).await;
    let look = &events[1..];
    let mut what: Vec<&str> = look.iter().map(|e| e.0.as_str()).collect();
    what.sort_unstable();
    assert_eq!(
        what,
        [
            "check-ins, calendar and insights",
            "questionnaires",
            "safety plan"
        ]
    );
    assert!(
        look.iter().all(|e| e.1 == look[0].1 && e.2 == "allowed"),
        "one request"
    );
    assert_ne!(look[0].1, first[0].1, "each look its own request");
    let bad = clinician.get(&on, &format!("{path}?days=7")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains("days: &#39;7&#39;") && !bad.body.contains(&plan),
        "{}",
        bad.body
    );
    assert_eq!(events_of(me).await.len(), 4, "a bad period reads nothing");
    let year = clinician.get(&on, &format!("{path}?days=365")).await;
    assert_eq!(year.status, StatusCode::OK, "{}", year.body);
    assert!(year.body.contains("aria-current=\"page\">A year</a>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_person_reads_insights_in_words_and_the_plan_only_when_shared() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (a, id_a, _, _) = person(&on, tenant, "a").await;
    let (b, id_b, _, _) = person(&on, tenant, "b").await;
    let plan = safety_plan(&on, &a).await;
    let kind = GranteeKind::TrustedPerson;
    let grant = share(&on, tenant, id_a, id_b, kind, &[Scope::CheckIns]).await;
    let path = format!("/shared-with-me/{id_a}");
    let view = b.get(&on, &path).await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.body);
    let insights = section(&view.body, "insights").expect("insights in words");
    assert!(insights.contains("Is colour coming back?"), "{insights}");
    assert!(insights.contains("Named most often:"), "{insights}");
    // Quotes are escaped as numbered entities: words, not figures.
    let unescaped = insights.replace("&#34;", "\"").replace("&#39;", "'");
    let words = unescaped
        .split('<')
        .map(|t| t.split_once('>').map_or(t, |(_, w)| w));
    let figures: Vec<&str> = words
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .collect();
    assert!(figures.is_empty(), "no figure: {figures:?}");
    assert!(!insights.contains("<svg") && !insights.contains("class=\"figures\""));
    assert!(!view.body.contains(&plan) && !view.body.contains("My warning signs"));
    let with_plan = GrantChange {
        scopes: Some(vec![Scope::CheckIns, Scope::SafetyPlan]),
        ..GrantChange::default()
    };
    let pool = &on.server.sharing.pool;
    grants::change(pool, tenant, id_a, grant.id, &with_plan)
        .await
        .unwrap();
    let view = b.get(&on, &path).await;
    let shown = section(&view.body, "safety-plan").expect("the plan, now shared");
    assert!(shown.contains(&plan), "{shown}");
    let seen = looks(&on, tenant, id_a).await;
    assert!(seen
        .iter()
        .any(|l| l.who == id_b && l.what == "safety plan" && !l.refused));
}
