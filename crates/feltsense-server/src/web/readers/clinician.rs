//! `/clinician`: the caseload of the signed-in clinician (only the
//! summaries each grant shares, one audit event per person), and
//! `/clinician/person/{id}`: one person's shared data, read-only.

use super::{Grantee, Look};
use crate::accounts::Role as AccountRole;
use crate::sharing::caseload::{caseload as read_caseload, Entry};
use crate::sharing::summary::{CheckInSummary, Latest, Profile, QuestionnaireSummary};
use crate::sharing::Role;
use crate::web::page::{self, render};
use crate::web::{Server, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

const FOR_CLINICIANS: &str =
    "This page is for the clinic's clinicians (signed in with their second factor).";

/// One person of the caseload, in words.
struct Person {
    id: Uuid,
    name: String,
    last: String,
    /// `None`: check-ins are not shared.
    felt: Option<Felt>,
    /// `None`: questionnaires are not shared.
    scores: Option<Vec<String>>,
    item_nine: Option<String>,
}

struct Felt {
    now: String,
    then: String,
    change: String,
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct Caseload {
    title: &'static str,
    csrf: String,
    people: Vec<Person>,
    not_watching: &'static str,
    screening: &'static str,
}

/// `GET /clinician`.
pub async fn caseload(State(server): State<Arc<Server>>, visitor: Visitor) -> Response {
    let session = match super::signed_in_as(&visitor, AccountRole::Clinician, FOR_CLINICIANS) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let reader = super::reader(session, Role::Clinician);
    let request = super::request_meta(&visitor);
    let entries =
        match read_caseload(&server.sharing.pool, &server.sharing.key, &reader, &request).await {
            Ok(entries) => entries,
            Err(e) => return page::internal(e),
        };
    let people = entries
        .iter()
        .map(|e| in_words(e, shown_name(e.display_name.as_deref())))
        .collect();
    render(&Caseload {
        title: "People who share with you",
        csrf: session.csrf.clone(),
        people,
        not_watching: super::NOT_WATCHING,
        screening: feltsense_core::assessments::SCREENING,
    })
}

/// The name a person chose to show, or the same neutral label as
/// [`super::shown_name`].
fn shown_name(display_name: Option<&str>) -> String {
    display_name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map_or_else(|| super::shown_name(None), str::to_string)
}

fn in_words(entry: &Entry, name: String) -> Person {
    let last = match entry.check_ins.as_ref().map(|c| c.last_at) {
        None => "Check-ins are not shared with you.".to_string(),
        Some(None) => "No check-in yet.".to_string(),
        Some(Some(at)) => format!("Last checked in on {}.", at.format("%-d %B %Y")),
    };
    Person {
        id: entry.person,
        name,
        last,
        felt: entry.check_ins.as_ref().map(felt),
        scores: entry
            .questionnaires
            .as_ref()
            .map(|q| q.latest.iter().map(score).collect()),
        item_nine: entry.questionnaires.as_ref().and_then(item_nine),
    }
}

fn felt(summary: &CheckInSummary) -> Felt {
    Felt {
        now: profile(&summary.now),
        then: profile(&summary.then),
        change: summary.change.clone(),
    }
}

/// "Muted across the board (n = 23)", or "not enough data yet (n = 2)".
fn profile(p: &Profile) -> String {
    if p.pattern == "not-enough-data" || p.headline.is_empty() {
        return format!("not enough data yet (n = {})", p.checkins);
    }
    format!("{} (n = {})", p.headline, p.checkins)
}

/// "PHQ-9: 9 of 27, mild, on 3 March 2026; lower than the time before (12)".
fn score(latest: &Latest) -> String {
    let trend = match (&latest.previous, latest.trend.as_str()) {
        (Some(p), "the same") => format!("; the same as the time before ({p})"),
        (Some(p), trend) => format!("; {trend} than the time before ({p})"),
        (None, _) => "; the first time".to_string(),
    };
    format!(
        "{}: {} of {}, {}, on {}{trend}",
        latest.title,
        latest.score,
        latest.max,
        latest.band,
        latest.at.format("%-d %B %Y")
    )
}

fn item_nine(q: &QuestionnaireSummary) -> Option<String> {
    q.phq9_item9_positive.map(|at| {
        format!(
            "On {} they answered PHQ-9 item 9 (thoughts of being better off dead or of hurting themselves) above \"not at all\". It may be worth asking about it gently when you next speak.",
            at.format("%-d %B %Y")
        )
    })
}

/// `GET /clinician/person/{id}`: what this person shares with this
/// clinician now, read-only; refused calmly (and on the record) otherwise.
async fn person_page(
    server: &Server,
    visitor: &Visitor,
    (id, days): (&str, Option<&str>),
) -> Result<Response, Response> {
    let grantee = Grantee {
        account: AccountRole::Clinician,
        refusal: FOR_CLINICIANS,
        reads_as: Role::Clinician,
    };
    super::granted_page(server, visitor, (id, days), grantee, |name| Look {
        address: format!("/clinician/person/{id}"),
        banner: format!("{name}'s shared data — read-only"),
        back: (
            "/clinician".into(),
            "Back to everyone who shares with you".into(),
        ),
        gentle: false,
    })
    .await
}

pub async fn person(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let days = query.get("days").map(String::as_str);
    person_page(&server, &visitor, (&id, days))
        .await
        .unwrap_or_else(|refused| refused)
}
