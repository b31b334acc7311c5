//! Import from the settings page (the local app): a feltsense JSON export,
//! Daylio's CSV or an experience-sampling CSV with its mapping file, named
//! by its path on this computer (as a restore is). The file is read by the
//! command line's own readers (`Web::with_importer`), then
//! `Store::import_from` in `ImportMode::DryRun` shows what would be added,
//! replaced and left unchanged; only the second form writes, all or nothing.

use crate::auth::check_csrf;
use crate::error::PageError;
use crate::Web;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use feltsense_core::assessments::Response as Answers;
use feltsense_core::bridges::Bridge;
use feltsense_core::imported::Sourced;
use feltsense_core::{CheckIn, JournalEntry, SafetyPlan};
use feltsense_store::{ImportBatch, ImportChanges, ImportMode, ImportPlan, StoreError};
use std::path::PathBuf;
use std::sync::Arc;

/// Which file to read, and how, as the import form gives it.
#[derive(Debug, Clone, Default)]
pub struct ImportFile {
    pub path: PathBuf,
    /// "feltsense", "daylio" or "esm".
    pub kind: String,
    /// Daylio: mood labels to pleasantness, like `so-so=-1` (may be empty).
    pub mood_map: String,
    /// ESM: the mapping file.
    pub map: Option<PathBuf>,
}

/// A file read and checked: what would go into the store.
#[derive(Debug, Default)]
pub struct Incoming {
    pub format: &'static str,
    pub checkins: Vec<Sourced<CheckIn>>,
    pub journal: Vec<Sourced<JournalEntry>>,
    pub bridges: Vec<Sourced<Bridge>>,
    pub assessments: Vec<Sourced<Answers>>,
    pub safety_plan: Option<SafetyPlan>,
    /// The chosen fixed items, if the file holds some.
    pub fixed_items: Option<feltsense_core::items::FixedItems>,
    /// Lines for the person about how the file was read.
    pub notes: Vec<String>,
}

/// Reads an import file; `Err` names what is wrong and where (file, line,
/// column), and nothing was stored.
pub type Importer = Arc<dyn Fn(&ImportFile) -> Result<Incoming, String> + Send + Sync>;

type Fields = Vec<(String, String)>;

fn field<'a>(form: &'a Fields, name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

fn refused(message: impl Into<String>) -> PageError {
    PageError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
}

fn import_file(form: &Fields) -> Result<ImportFile, PageError> {
    let kind = field(form, "kind");
    if !["feltsense", "daylio", "esm"].contains(&kind) {
        return Err(refused(format!(
            "Kind of file: '{kind}' is not one of feltsense, Daylio or ESM. Nothing was imported."
        )));
    }
    let path = field(form, "path");
    if path.is_empty() {
        return Err(refused(
            "Where the file is: please give its path. Nothing was imported.",
        ));
    }
    let map = Some(field(form, "map"))
        .filter(|m| !m.is_empty())
        .map(PathBuf::from);
    Ok(ImportFile {
        path: PathBuf::from(path),
        kind: kind.to_string(),
        mood_map: field(form, "mood_map").to_string(),
        map,
    })
}

#[derive(Template)]
#[template(path = "import.html")]
struct PreviewPage {
    title: &'static str,
    current: &'static str,
    csrf: String,
    file: ImportFile,
    replace: bool,
    notes: Vec<String>,
    /// Kind of record, then added, replacing, unchanged.
    rows: Vec<(&'static str, usize, usize, usize)>,
    /// Something to write at all.
    anything: bool,
}

/// `POST /settings/import`: without `confirm`, the dry run's preview; with
/// it, the import itself, then back to settings saying how many came in.
pub async fn import(
    State(web): State<Arc<Web>>,
    Form(form): Form<Fields>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let reader = web.importer.clone().ok_or_else(|| {
        PageError::new(StatusCode::NOT_FOUND, "This app cannot read import files.")
    })?;
    let file = import_file(&form)?;
    let replace = field(&form, "replace") == "yes";
    let confirmed = field(&form, "confirm") == "yes";
    let mode = match (confirmed, replace) {
        (false, _) => ImportMode::DryRun,
        (true, false) => ImportMode::Add,
        (true, true) => ImportMode::Replace,
    };
    let read = file.clone();
    let incoming = tokio::task::spawn_blocking(move || reader(&read))
        .await
        .map_err(PageError::internal)?
        .map_err(refused)?;
    let incoming = Arc::new(incoming);
    let batch = Arc::clone(&incoming);
    let plan = web
        .store(move |s| s.import_from(&as_batch(&batch), mode))
        .await
        .map_err(conflict)?;
    if confirmed {
        let n = plan.checkins.added.len() + plan.checkins.replacing.len();
        return Ok(Redirect::to(&format!("/settings?done=imported&n={n}")).into_response());
    }
    preview(&web, file, replace, &incoming, &plan)
}

fn as_batch(incoming: &Incoming) -> ImportBatch<'_> {
    ImportBatch {
        format: incoming.format,
        checkins: &incoming.checkins,
        journal: &incoming.journal,
        bridges: &incoming.bridges,
        assessments: &incoming.assessments,
        safety_plan: incoming.safety_plan.as_ref(),
        fixed_items: incoming.fixed_items.as_ref(),
    }
}

fn conflict(e: StoreError) -> PageError {
    match e {
        StoreError::Conflict { id } => refused(format!(
            "Some records in this file differ from ones stored before (the first is {id}). \
             Nothing was imported. To go forward, tick \"Replace what an earlier import of this \
             file brought\" and look at the preview again."
        )),
        other => PageError::internal(other),
    }
}

fn preview(
    web: &Web,
    file: ImportFile,
    replace: bool,
    incoming: &Incoming,
    plan: &ImportPlan,
) -> Result<Response, PageError> {
    let row = |name, c: &ImportChanges| (name, c.added.len(), c.replacing.len(), c.unchanged.len());
    let rows: Vec<_> = [
        row("Check-ins", &plan.checkins),
        row("Journal entries", &plan.journal),
        row("Bridges", &plan.bridges),
        row("Questionnaire answers", &plan.assessments),
        row("Safety plan", &plan.safety_plan),
    ]
    .into_iter()
    .filter(|r| r.1 + r.2 + r.3 > 0)
    .collect();
    let anything = rows.iter().any(|r| r.1 + r.2 > 0);
    let page = PreviewPage {
        title: "Import: what would happen",
        current: "settings",
        csrf: web.csrf.clone(),
        file,
        replace,
        notes: incoming.notes.clone(),
        rows,
        anything,
    };
    Ok(super::render(&page)?.into_response())
}
