//! Correcting when a check-in, a journal entry, a bridge or a
//! questionnaire response happened: a small form beside each, `POST /retime/{kind}/{id}` with one
//! field, `at` (a browser's `datetime-local`, or RFC 3339). A time that
//! does not parse or falls outside `feltsense_core::when::TimeRange` is
//! refused on a page that names the field and keeps what was typed.

use super::render;
use crate::auth::check_csrf;
use crate::error::PageError;
use crate::Web;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{DateTime, FixedOffset, Local, TimeZone};
use feltsense_core::when;
use feltsense_store::{Store, StoreError, StoreResult};
use std::sync::Arc;

/// The label of the time field on every form, named in every refusal.
pub const FIELD: &str = "When it was";

/// The kinds of record whose time can be corrected.
#[derive(Clone, Copy)]
enum Kind {
    CheckIn,
    Journal,
    Bridge,
    Assessment,
}

impl Kind {
    fn from_path(kind: &str) -> Option<Kind> {
        match kind {
            "checkin" => Some(Kind::CheckIn),
            "journal" => Some(Kind::Journal),
            "bridge" => Some(Kind::Bridge),
            "assess" => Some(Kind::Assessment),
            _ => None,
        }
    }

    /// "That journal entry", for not-found pages.
    fn that(self) -> &'static str {
        match self {
            Kind::CheckIn => "That check-in",
            Kind::Journal => "That journal entry",
            Kind::Bridge => "That bridge",
            Kind::Assessment => "That questionnaire response",
        }
    }

    /// Where the record is shown, to go back to.
    fn back(self, id: &str) -> String {
        match self {
            Kind::CheckIn => "/recent?thanks=edited".into(),
            Kind::Journal => format!("/journal/{id}"),
            Kind::Bridge => "/bridges".into(),
            Kind::Assessment => "/assess".into(),
        }
    }
}

#[derive(Template)]
#[template(path = "retime.html")]
struct RefusedPage {
    title: &'static str,
    current: &'static str,
    csrf: String,
    action: String,
    back: String,
    field: &'static str,
    error: String,
    value: String,
}

/// The value for a `datetime-local` input showing `at` as it was recorded.
pub fn local_value(at: &DateTime<FixedOffset>) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

/// The time typed, or why it is refused (without the field's name).
fn parse(text: &str) -> Result<DateTime<FixedOffset>, String> {
    if text.trim().is_empty() {
        return Err("please give a date and time".into());
    }
    let at = when::parse(text, |naive| {
        Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.fixed_offset())
    })?;
    super::accepted().check(at).map_err(|e| e.to_string())?;
    Ok(at)
}

pub async fn retime(
    State(web): State<Arc<Web>>,
    Path((kind, id)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let kind = Kind::from_path(&kind).ok_or_else(|| PageError::not_found("That page"))?;
    let text = form
        .iter()
        .find(|(k, _)| k == "at")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let outcome = match parse(&text) {
        Ok(at) => change(&web, kind, &id, at).await,
        Err(why) => Ok(Err(why)),
    };
    match outcome? {
        Ok(()) => Ok(Redirect::to(&kind.back(&id)).into_response()),
        Err(why) => refused(&web, kind, &id, why, text),
    }
}

fn refused(
    web: &Web,
    kind: Kind,
    id: &str,
    why: String,
    value: String,
) -> Result<Response, PageError> {
    let html = render(&RefusedPage {
        title: "Change the time",
        current: "",
        csrf: web.csrf.clone(),
        action: format!("/retime/{}/{id}", path_kind(kind)),
        back: kind.back(id),
        field: FIELD,
        error: format!("“{FIELD}”: {why}. Nothing was changed."),
        value,
    })?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

fn path_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::CheckIn => "checkin",
        Kind::Journal => "journal",
        Kind::Bridge => "bridge",
        Kind::Assessment => "assess",
    }
}

/// Stores the record with its new time, on the store's blocking pool. The
/// inner `Err` is a refusal for the person (a bridge whose end would leave
/// the accepted range).
async fn change(
    web: &Web,
    kind: Kind,
    id: &str,
    at: DateTime<FixedOffset>,
) -> Result<Result<(), String>, PageError> {
    let id = id.to_string();
    match web
        .store(move |store| change_in(store, kind, &id, at))
        .await
    {
        Err(StoreError::NotFound { .. }) => Err(PageError::not_found(kind.that())),
        outcome => Ok(outcome?),
    }
}

fn change_in(
    store: &mut dyn Store,
    kind: Kind,
    id: &str,
    at: DateTime<FixedOffset>,
) -> StoreResult<Result<(), String>> {
    let missing = || StoreError::NotFound {
        what: "record",
        id: id.to_string(),
    };
    match kind {
        Kind::CheckIn => {
            let c = store.checkin(id)?;
            store.replace_checkin(&feltsense_core::CheckIn { at, ..c })?;
        }
        Kind::Journal => {
            let entry = store.journal_entry(id)?;
            store.replace_journal(&feltsense_core::JournalEntry { at, ..entry })?;
        }
        Kind::Assessment => {
            let all = store.assessments()?;
            let response = all.into_iter().find(|r| r.id == id).ok_or_else(missing)?;
            store.replace_assessment(&feltsense_core::assessments::Response { at, ..response })?;
        }
        Kind::Bridge => {
            let bridge = store.bridges()?.into_iter().find(|b| b.id == id);
            let bridge = bridge.ok_or_else(missing)?;
            // The session keeps its length: its end moves with its start.
            let ended = bridge.ended.map(|e| at + (e - bridge.started));
            if let Some(e) = ended {
                if let Err(why) = super::accepted().check(e) {
                    return Ok(Err(format!("its end would be {why}")));
                }
            }
            let moved = feltsense_core::bridges::Bridge {
                started: at,
                ended,
                ..bridge
            };
            store.replace_bridge(&moved)?;
        }
    }
    Ok(Ok(()))
}
