//! A person page of someone, as a clinician and a trusted person see it:
//! one audited read (one event per kind read, one request), the insight
//! cards (in words alone for a trusted person), the calendar over the
//! period chosen, the safety plan only under its scope.

use crate::people::{granted, person, staff};
use crate::readers::looks;
use crate::support::*;
use axum::http::StatusCode;
use chrono::Utc;
use feltsense_server::accounts::Role;
use feltsense_server::sharing::{grants, GrantChange, GranteeKind, Scope};
use uuid::Uuid;

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
    let grant = granted(&on, tenant, id_a, me, kind, &[Scope::CheckIns]).await;
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
    let grant = granted(&on, tenant, id_a, id_b, kind, &[Scope::CheckIns]).await;
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
