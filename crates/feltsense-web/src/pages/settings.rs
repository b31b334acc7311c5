//! Settings: exports (JSON keeps everything; CSV for spreadsheets).

use super::render;
use crate::error::PageError;
use crate::report::{render_report, ReportData};
use crate::Web;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use feltsense_core::exchange;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    title: &'static str,
    current: &'static str,
    checkins: usize,
    feed: String,
    csrf: String,
    /// Backup, passphrase and restore are offered (the local app).
    file: bool,
    /// Served by `feltsense server`: links to the account's pages.
    hosted: bool,
    /// What was just done: "passphrase" or "restored".
    done: String,
    /// Stored records the reads left out, "check-in ID: why".
    unreadable: Vec<String>,
    /// The last 90 days' journal entries to tick for the report: id, date, opening words.
    entries: Vec<(String, String, String)>,
    /// Import is offered (the local app), and how many came in just now.
    import: bool,
    imported: String,
    /// The crisis-line countries: code, name, chosen.
    countries: Vec<(&'static str, &'static str, bool)>,
    /// The auto-lock times in minutes, and whether each is chosen.
    auto_lock: Vec<(u64, bool)>,
    /// The reminder plan: prompts a day, from, until, minutes apart.
    reminders: (u32, String, String, u32),
}

pub async fn page(
    State(web): State<Arc<Web>>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let checkins = web.snapshot().await?.checkins.len();
    let since = chrono::Local::now().date_naive() - Duration::days(89);
    let (journal, unreadable) = web
        .store(|s| {
            let journal = s.journal()?;
            s.bridges()?;
            s.assessments()?;
            let unreadable = s.skipped().iter().map(ToString::to_string).collect();
            Ok((journal, unreadable))
        })
        .await?;
    let entries = journal
        .into_iter()
        .filter(|e| e.at.date_naive() >= since)
        .map(|e| {
            let opening: String = e.text.chars().take(60).collect();
            (e.id, e.at.format("%-d %b %Y").to_string(), opening)
        })
        .collect();
    let choices = web.choices();
    let minutes = choices.auto_lock.as_secs() / 60;
    let plan = choices.reminders;
    render(&SettingsPage {
        import: web.importer.is_some(),
        imported: query.get("n").cloned().unwrap_or_default(),
        countries: super::safety::country_options(choices.country.as_deref()),
        auto_lock: super::choices::AUTO_LOCK_MINUTES
            .iter()
            .map(|&m| (m, m == minutes))
            .collect(),
        reminders: (
            plan.per_day,
            plan.start.format("%H:%M").to_string(),
            plan.end.format("%H:%M").to_string(),
            plan.min_gap_minutes,
        ),
        entries,
        title: "Settings",
        current: "settings",
        checkins,
        feed: format!("/reminders.ics?token={}", web.feed()),
        csrf: web.csrf.clone(),
        file: web.file.is_some(),
        hosted: web.hosted,
        done: query.get("done").cloned().unwrap_or_default(),
        unreadable,
    })
}

async fn oldest_first(web: &Web) -> Result<Vec<feltsense_core::CheckIn>, PageError> {
    Ok(web
        .snapshot()
        .await?
        .checkins
        .iter()
        .rev()
        .cloned()
        .collect())
}

fn download(bytes: Vec<u8>, content_type: &'static str, name: &'static str) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

pub async fn export_json(State(web): State<Arc<Web>>) -> Result<Response, PageError> {
    let export = web.store(|s| feltsense_store::export(&*s)).await?;
    let bytes = serde_json::to_vec_pretty(&export).map_err(PageError::internal)?;
    Ok(download(bytes, "application/json", "feltsense-export.json"))
}

pub async fn export_csv(State(web): State<Arc<Web>>) -> Result<Response, PageError> {
    let bytes = exchange::to_csv(&oldest_first(&web).await?).map_err(PageError::internal)?;
    Ok(download(
        bytes,
        "text/csv; charset=utf-8",
        "feltsense-export.csv",
    ))
}

/// The reminders as an iCalendar feed: the person's plan (settings; by
/// default 4 a day, 09:00 to 21:00, 90 minutes apart) for the next 14
/// days, `seed` from the query if given.
/// Needs the feed token, not the session: calendar apps send no cookies.
pub async fn reminders_feed(
    State(web): State<Arc<Web>>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    let token = q.get("token").map(String::as_str).unwrap_or_default();
    if !crate::auth::same_secret(token, &web.feed()) {
        return Err(PageError::locked());
    }
    let mut plan = web.choices().reminders;
    let seed = match q.get("seed") {
        None => plan.seed,
        Some(s) => s.parse().map_err(|_| {
            PageError::new(
                axum::http::StatusCode::BAD_REQUEST,
                format!("'{s}' is not a seed (a whole number)."),
            )
        })?,
    };
    plan.seed = seed;
    let today = chrono::Local::now().date_naive();
    let text = feltsense_core::reminders::ics(
        &plan.schedule(today, 14),
        seed,
        chrono::Utc::now().naive_utc(),
    );
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        text,
    )
        .into_response())
}

/// The report's choices, from the settings form (all optional).
#[derive(Default)]
struct ReportChoice {
    from: Option<String>,
    to: Option<String>,
    name: Option<String>,
    journal: Vec<String>,
}

fn report_choice(query: Vec<(String, String)>) -> ReportChoice {
    let mut c = ReportChoice::default();
    for (key, value) in query {
        let value = value.trim().to_string();
        match key.as_str() {
            "from" if !value.is_empty() => c.from = Some(value),
            "to" if !value.is_empty() => c.to = Some(value),
            "name" if !value.is_empty() => c.name = Some(value),
            "journal" => c.journal.push(value),
            _ => {}
        }
    }
    c
}

/// A day of the form, like 2026-11-01; `field` names it in the message.
fn report_day(field: &str, text: Option<&str>, default: NaiveDate) -> Result<NaiveDate, PageError> {
    let Some(text) = text else { return Ok(default) };
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "{field}: this is not a date like 2026-11-01. Please pick a day and try again."
            ),
        )
    })
}

/// The report as a download: the last 90 days unless a range is chosen,
/// journal excerpts only for the entries ticked.
pub async fn report(
    State(web): State<Arc<Web>>,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let choice = report_choice(query);
    let today = chrono::Local::now().date_naive();
    let to = report_day("To", choice.to.as_deref(), today)?;
    let from = report_day("From", choice.from.as_deref(), to - Duration::days(89))?;
    if from > to {
        return Err(PageError::new(
            StatusCode::BAD_REQUEST,
            "From is after To: please choose a first day on or before the last one.",
        ));
    }
    let snapshot = web.snapshot().await?;
    let (all, bridges, assessments) = web
        .store(|s| Ok((s.journal()?, s.bridges()?, s.assessments()?)))
        .await?;
    let journal = ReportData::choose(&all, &choice.journal)
        .map_err(|e| PageError::new(StatusCode::BAD_REQUEST, e))?;
    let html = render_report(&ReportData {
        checkins: &snapshot.checkins,
        journal: &journal,
        bridges: &bridges,
        assessments: &assessments,
        from,
        to,
        vocabulary: &web.vocabulary,
        generated: today.format("%-d %B %Y").to_string(),
        name: choice.name,
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"feltsense-report.html\"".to_string(),
            ),
        ],
        html,
    )
        .into_response())
}
