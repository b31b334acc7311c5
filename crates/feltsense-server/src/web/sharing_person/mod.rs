//! The person's side of sharing (issue 14): sharing with a clinician of
//! their clinic (found by name or by code) or a trusted person (found by
//! code only), changing and revoking what they share, choosing journal
//! entries, "who saw what", their sharing code, and the notice of an
//! emergency access shown once before the app.

mod code;
mod entries;
mod entry;
mod form;
mod grants;
mod looks;
mod notice;

pub use notice::{before_app, navigation};

use super::guard::check_csrf;
use super::page::{self, Problem};
use super::{Server, Visitor};
use crate::accounts::{Role, Session};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Local, Utc};
use std::sync::Arc;

/// The routes of the person's sharing pages and of every account's code.
pub fn routes() -> Router<Arc<Server>> {
    Router::new()
        .route("/sharing", get(grants::list))
        .route("/sharing/new", get(grants::new_page).post(grants::create))
        .route("/sharing/looks", get(looks::page))
        .route("/sharing/notice", get(notice::page))
        .route("/sharing/notice/seen", post(notice::seen))
        .route(
            "/sharing/{id}",
            get(grants::change_page).post(grants::change),
        )
        .route("/sharing/{id}/revoke", post(grants::revoke))
        .route(
            "/sharing/{id}/entries",
            get(entries::page).post(entries::save),
        )
        .route("/sharing/entry/{entry}", get(entry::page).post(entry::save))
        .route("/account/sharing-code", get(code::page))
        .route("/account/sharing-code/renew", post(code::renew))
}

/// The signed-in person (staff have no data of their own to share).
fn person(visitor: &Visitor) -> Result<&Session, Response> {
    let session = visitor.signed_in()?;
    if session.role() != Role::Person {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Sharing is for a person's own check-ins and journal; this staff account keeps none.",
        )
        .into_response());
    }
    Ok(session)
}

/// The signed-in person a form was posted by, its CSRF token checked.
fn person_posted<'a>(
    visitor: &'a Visitor,
    form: &[(String, String)],
) -> Result<&'a Session, Response> {
    let session = person(visitor)?;
    check_csrf(session, form)?;
    Ok(session)
}

/// A moment as the app shows times (the server's local time).
fn when(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%-d %B %Y at %H:%M")
        .to_string()
}

/// A day as the app shows dates.
fn day(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%-d %B %Y").to_string()
}

/// What the person's side says of how sharing works, and the crisis line
/// to call (the person's country's first line with a number, as help-now
/// shows it; else the emergency numbers).
#[derive(Debug, Clone)]
struct Calm {
    line: Option<(String, String, String)>,
}

impl Calm {
    fn for_session(server: &Server, session: &Session) -> Calm {
        let country = server.country_of(session.id);
        let line = feltsense_core::safety::crisis_lines(country.as_deref())
            .into_iter()
            .find_map(|l| {
                let reach = l
                    .reaches()
                    .into_iter()
                    .find(|r| r.href.starts_with("tel:"))?;
                Some((l.name.to_string(), reach.href, reach.label))
            });
        Calm { line }
    }
}

fn internal(e: impl std::fmt::Display) -> Response {
    page::internal(e)
}
