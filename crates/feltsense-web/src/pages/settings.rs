//! Settings: exports (JSON keeps everything; CSV for spreadsheets).

use super::render;
use crate::error::PageError;
use crate::Web;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
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
    /// What was just done: "passphrase" or "restored".
    done: String,
    /// Stored records the reads left out, "check-in ID: why".
    unreadable: Vec<String>,
}

pub async fn page(
    State(web): State<Arc<Web>>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let checkins = web.snapshot().await?.checkins.len();
    let unreadable = web
        .store(|s| {
            s.journal()?;
            s.bridges()?;
            s.assessments()?;
            Ok(s.skipped().iter().map(ToString::to_string).collect())
        })
        .await?;
    render(&SettingsPage {
        title: "Settings",
        current: "settings",
        checkins,
        feed: format!("/reminders.ics?token={}", web.feed),
        csrf: web.csrf.clone(),
        file: web.file.is_some(),
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

/// The reminders as an iCalendar feed: the default plan (4 a day, 09:00 to
/// 21:00, 90 minutes apart) for the next 14 days, `seed` from the query.
/// Needs the feed token, not the session: calendar apps send no cookies.
pub async fn reminders_feed(
    State(web): State<Arc<Web>>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    let token = q.get("token").map(String::as_str).unwrap_or_default();
    if !crate::auth::same_secret(token, &web.feed) {
        return Err(PageError::locked());
    }
    let seed = match q.get("seed") {
        None => 0,
        Some(s) => s.parse().map_err(|_| {
            PageError::new(
                axum::http::StatusCode::BAD_REQUEST,
                format!("'{s}' is not a seed (a whole number)."),
            )
        })?,
    };
    let plan = feltsense_core::reminders::Plan {
        seed,
        ..Default::default()
    };
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

/// The report of the last 90 days, without the journal, as a download.
pub async fn report(State(web): State<Arc<Web>>) -> Result<Response, PageError> {
    let to = chrono::Local::now().date_naive();
    let from = to - chrono::Duration::days(90);
    let snapshot = web.snapshot().await?;
    let (bridges, assessments) = web.store(|s| Ok((s.bridges()?, s.assessments()?))).await?;
    let html = crate::report::render_report(&crate::report::ReportData {
        checkins: &snapshot.checkins,
        journal: None,
        bridges: &bridges,
        assessments: &assessments,
        from,
        to,
        vocabulary: &web.vocabulary,
        generated: to.format("%-d %B %Y").to_string(),
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
