//! `/staff/emergency`: an admin opens a person's data without a grant,
//! only with a reason, for at most 24 hours, after confirming; then reads
//! it read-only at `/staff/emergency/{id}` while the access is open. The
//! data layer records the opening and every read (with the reason), and
//! the person is told the next time they open the app.

use super::{Look, Period};
use crate::accounts::Role as AccountRole;
use crate::sharing::{emergency, Role, SharingError};
use crate::web::guard::{check_csrf, field};
use crate::web::page::{self, render};
use crate::web::{Server, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

const FOR_ADMINS: &str =
    "Emergency access is for the clinic's administrators (signed in with their second factor).";

#[derive(Template)]
#[template(path = "emergency.html")]
struct EmergencyForm {
    title: &'static str,
    csrf: String,
    email: String,
    reason: String,
    hours: String,
    problem: Option<String>,
}

impl EmergencyForm {
    fn empty(csrf: &str) -> EmergencyForm {
        EmergencyForm {
            title: "Emergency access",
            csrf: csrf.to_string(),
            email: String::new(),
            reason: String::new(),
            hours: "1".into(),
            problem: None,
        }
    }
}

/// `GET /staff/emergency`.
pub async fn page(visitor: Visitor) -> Response {
    match super::signed_in_as(&visitor, AccountRole::Admin, FOR_ADMINS) {
        Ok(session) => render(&EmergencyForm::empty(&session.csrf)),
        Err(refused) => refused,
    }
}

/// `POST /staff/emergency`: opens the access and goes to the person's
/// data, or keeps what was typed and names what was wrong.
pub async fn open(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    opened(&server, &visitor, &form)
        .await
        .unwrap_or_else(|refused| refused)
}

async fn opened(
    server: &Server,
    visitor: &Visitor,
    form: &[(String, String)],
) -> Result<Response, Response> {
    let session = super::signed_in_as(visitor, AccountRole::Admin, FOR_ADMINS)?;
    check_csrf(session, form)?;
    let mut typed = EmergencyForm {
        email: field(form, "email").trim().to_string(),
        reason: field(form, "reason").trim().to_string(),
        hours: field(form, "hours").trim().to_string(),
        ..EmergencyForm::empty(&session.csrf)
    };
    let person = match check(server, session, &typed, field(form, "confirm")).await? {
        Ok(checked) => checked,
        Err(problem) => {
            typed.problem = Some(problem);
            return Err((StatusCode::UNPROCESSABLE_ENTITY, render(&typed)).into_response());
        }
    };
    let admin = super::reader(session, Role::Admin);
    let lasting = chrono::Duration::hours(person.1);
    let request = super::request_meta(visitor);
    match emergency::open(
        &server.sharing.pool,
        &admin,
        person.0,
        &typed.reason,
        lasting,
        &request,
    )
    .await
    {
        Ok(_) => Ok(page::see(&format!("/staff/emergency/{}", person.0))),
        Err(SharingError::Invalid { field, why }) => {
            typed.problem = Some(format!("{field}: {why}."));
            Err((StatusCode::UNPROCESSABLE_ENTITY, render(&typed)).into_response())
        }
        Err(e) => Err(page::internal(e)),
    }
}

/// The person of this clinic and the hours, or what to fix (by field).
async fn check(
    server: &Server,
    session: &crate::accounts::Session,
    typed: &EmergencyForm,
    confirm: &str,
) -> Result<Result<(Uuid, i64), String>, Response> {
    let names = super::names(server, session).await?;
    let person = names
        .values()
        .find(|a| a.role == AccountRole::Person && a.email.eq_ignore_ascii_case(&typed.email));
    let hours = typed
        .hours
        .parse::<i64>()
        .ok()
        .filter(|h| (1..=24).contains(h));
    Ok(match (person, hours) {
        _ if typed.email.is_empty() => Err("Email: please give the email of the person whose data you need to open.".into()),
        (None, _) => Err(format!("Email: there is no person with the email '{}' in this clinic.", typed.email)),
        _ if typed.reason.is_empty() => Err("Reason: please say why this access is needed; the person will read it.".into()),
        (_, None) => Err(format!("Hours: '{}' is not a whole number of hours from 1 to 24.", typed.hours)),
        _ if confirm != "yes" => Err("Confirm: please tick the box to confirm that you understand this is recorded and the person will be told.".into()),
        (Some(p), Some(h)) => Ok((p.id, h)),
    })
}

/// `GET /staff/emergency/{id}`: the person's data under an open
/// emergency access of this admin; refused calmly (and recorded) otherwise.
pub async fn person(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let session = match super::signed_in_as(&visitor, AccountRole::Admin, FOR_ADMINS) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let period = match Period::parse(query.get("days").map(String::as_str)) {
        Ok(period) => period,
        Err(bad) => return bad,
    };
    let Ok(person) = id.parse::<Uuid>() else {
        return super::refused();
    };
    let names = match super::names(&server, session).await {
        Ok(names) => names,
        Err(refused) => return refused,
    };
    let look = Look {
        address: format!("/staff/emergency/{person}"),
        banner: format!(
            "{}'s data under emergency access — read-only",
            super::shown_name(names.get(&person))
        ),
        back: ("/staff".into(), "Back to the staff page".into()),
        gentle: false,
    };
    let admin = super::reader(session, Role::Admin);
    let request = super::request_meta(&visitor);
    super::shared_page(&server, admin, person, request, (look, period)).await
}
