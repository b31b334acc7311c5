//! The settings that are choices (crisis-line country, auto-lock time,
//! reminder plan): each form changes one, keeps it (`Web::choose`) and
//! comes back to the page it was sent from. A refused form answers 422 and
//! names the field; nothing changes.

use crate::auth::check_csrf;
use crate::error::PageError;
use crate::Web;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveTime;
use feltsense_core::safety::COUNTRIES;
use std::sync::Arc;
use std::time::Duration;

type Fields = Vec<(String, String)>;

fn field<'a>(form: &'a Fields, name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

fn refused(message: impl Into<String>) -> PageError {
    PageError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
}

/// Keeps the change, then back to `back` (help-now or settings).
fn chosen(
    web: &Web,
    back: &str,
    done: &str,
    change: impl FnOnce(&mut crate::Choices),
) -> Result<Response, PageError> {
    web.choose(change).map_err(|e| {
        PageError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("feltsense could not keep this choice ({e}). Nothing was changed; please try again."),
        )
    })?;
    let to = if back == "/help-now" {
        "/help-now".to_string()
    } else {
        format!("/settings?done={done}")
    };
    Ok(Redirect::to(&to).into_response())
}

/// `POST /settings/country`: whose crisis lines help-now shows.
pub async fn country(
    State(web): State<Arc<Web>>,
    Form(form): Form<Fields>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let code = field(&form, "country");
    if !COUNTRIES.iter().any(|(c, _)| *c == code) {
        return Err(refused(format!(
            "Country: '{code}' is not one of the choices. Nothing was changed."
        )));
    }
    let country = (!code.is_empty()).then(|| code.to_string());
    chosen(&web, field(&form, "back"), "country", |c| {
        c.country = country
    })
}

/// The auto-lock times offered, in minutes.
pub const AUTO_LOCK_MINUTES: [u64; 6] = [1, 5, 15, 30, 60, 240];

/// `POST /settings/auto-lock`: how long feltsense stays open unused.
pub async fn auto_lock(
    State(web): State<Arc<Web>>,
    Form(form): Form<Fields>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let text = field(&form, "minutes");
    let minutes = text
        .parse::<u64>()
        .ok()
        .filter(|m| AUTO_LOCK_MINUTES.contains(m))
        .ok_or_else(|| {
            refused(format!(
                "Lock after: '{text}' is not one of the times offered. Nothing was changed."
            ))
        })?;
    chosen(&web, "", "auto-lock", |c| {
        c.auto_lock = Duration::from_secs(minutes * 60);
    })
}

/// `POST /settings/reminders`: prompts a day, waking hours, the gap.
pub async fn reminders(
    State(web): State<Arc<Web>>,
    Form(form): Form<Fields>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let mut plan = web.choices().reminders;
    plan.per_day = number(&form, "per_day", "Prompts a day")?;
    plan.min_gap_minutes = number(&form, "min_gap", "At least this many minutes apart")?;
    plan.start = time(&form, "from", "From")?;
    plan.end = time(&form, "until", "Until")?;
    plan.check()
        .map_err(|e| refused(format!("Reminders: {e}. Nothing was changed.")))?;
    chosen(&web, "", "reminders", |c| c.reminders = plan)
}

fn number(form: &Fields, name: &str, label: &str) -> Result<u32, PageError> {
    let text = field(form, name);
    text.parse().map_err(|_| {
        refused(format!(
            "{label}: '{text}' is not a whole number. Nothing was changed."
        ))
    })
}

fn time(form: &Fields, name: &str, label: &str) -> Result<NaiveTime, PageError> {
    let text = field(form, name);
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| {
        refused(format!(
            "{label}: '{text}' is not a time like 09:00. Nothing was changed."
        ))
    })
}
