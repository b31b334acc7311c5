//! The journal: write, read, delete; after saving, what feltsense noticed
//! in the words, the safety panel at once on crisis language, and a
//! check-in draft to confirm.

use super::render;
use super::safety::{panel, Panel};
use crate::auth::check_csrf;
use crate::error::PageError;
use crate::Web;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use feltsense_core::JournalEntry;
use feltsense_text::{Analysis, Analyzer, PhraseKind};
use std::collections::HashMap;
use std::sync::Arc;

pub struct Listed {
    pub id: String,
    pub when: String,
    pub first_line: String,
}

#[derive(Template)]
#[template(path = "journal.html")]
struct JournalPage {
    title: &'static str,
    current: &'static str,
    csrf: String,
    entries: Vec<Listed>,
    error: Option<String>,
    text: String,
}

/// What was noticed, ready for the page.
pub struct Noticed {
    pub feelings: Vec<String>,
    pub negated: Vec<String>,
    pub numb: Vec<String>,
    pub masking: Vec<String>,
    pub vague: Vec<(String, String)>,
    /// The check-in draft as form fields (name, value).
    pub draft: Vec<(String, String)>,
}

impl Noticed {
    pub fn new(a: &Analysis) -> Noticed {
        let quote = |kind| a.found(kind).map(|p| p.text.clone()).collect();
        let draft = a
            .draft()
            .map(|d| {
                let mut fields: Vec<(String, String)> = Vec::new();
                if d.nothing {
                    fields.push(("nothing".into(), "on".into()));
                }
                for f in d.feelings {
                    fields.push(("feel".into(), f.word.clone()));
                    if let Some(i) = f.intensity {
                        fields.push((format!("int_{}", f.word), i.to_string()));
                    }
                }
                fields
            })
            .unwrap_or_default();
        Noticed {
            feelings: a
                .present()
                .map(|f| match &f.cue {
                    Some(c) => format!(
                        "{} (“{} {}”, {})",
                        f.word,
                        c.text,
                        f.text,
                        f.family.describe()
                    ),
                    None => format!("{} ({})", f.word, f.family.describe()),
                })
                .collect(),
            negated: a
                .feelings
                .iter()
                .filter(|f| f.negated)
                .map(|f| f.text.clone())
                .collect(),
            numb: quote(PhraseKind::Numb),
            masking: quote(PhraseKind::Masking),
            vague: a
                .vague
                .iter()
                .map(|v| (v.text.clone(), v.options.join(", ")))
                .collect(),
            draft,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.feelings.is_empty()
            && self.numb.is_empty()
            && self.masking.is_empty()
            && self.vague.is_empty()
    }
}

#[derive(Template)]
#[template(path = "journal_entry.html")]
struct EntryPage {
    title: &'static str,
    current: &'static str,
    csrf: String,
    id: String,
    when: String,
    /// The time as the correction form shows it.
    at_value: String,
    text: String,
    just_saved: bool,
    crisis: bool,
    /// A past experience only: one calm line with the way to help.
    quiet: bool,
    /// Not English: risk language cannot be noticed.
    other_language: bool,
    panel: Panel,
    noticed: Noticed,
    /// On the server: a "Share…" link to the server's page for this entry.
    hosted: bool,
}

fn listed(e: &JournalEntry) -> Listed {
    Listed {
        id: e.id.clone(),
        when: e.at.format("%a %-d %b %Y, %H:%M").to_string(),
        first_line: super::recent::excerpt(&e.text, 80),
    }
}

async fn journal_page(
    web: &Web,
    error: Option<String>,
    text: String,
) -> Result<JournalPage, PageError> {
    let entries = web
        .store(|s| s.journal())
        .await?
        .iter()
        .map(listed)
        .collect();
    Ok(JournalPage {
        title: "Journal",
        current: "journal",
        csrf: web.csrf.clone(),
        entries,
        error,
        text,
    })
}

pub async fn page(State(web): State<Arc<Web>>) -> Result<Html<String>, PageError> {
    render(&journal_page(&web, None, String::new()).await?)
}

async fn entry_page(
    web: &Web,
    entry: &JournalEntry,
    just_saved: bool,
) -> Result<Html<String>, PageError> {
    let analysis = Analyzer::embedded(&web.vocabulary).analyze(&entry.text);
    let crisis = analysis.crisis();
    render(&EntryPage {
        title: "Journal entry",
        current: "journal",
        csrf: web.csrf.clone(),
        id: entry.id.clone(),
        when: entry.at.format("%a %-d %b %Y, %H:%M").to_string(),
        at_value: super::retime::local_value(&entry.at),
        text: entry.text.clone(),
        just_saved,
        crisis,
        quiet: analysis.crisis_quiet(),
        other_language: feltsense_text::language(&entry.text) != "en",
        panel: if crisis {
            panel(web).await?
        } else {
            Panel::new(None, None)
        },
        noticed: Noticed::new(&analysis),
        hosted: web.hosted,
    })
}

pub async fn save(
    State(web): State<Arc<Web>>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let text = form
        .iter()
        .find(|(k, _)| k == "text")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let at = super::now();
    let entry = match JournalEntry::new(uuid::Uuid::now_v7().to_string(), at, &text) {
        Ok(entry) => entry,
        Err(mut message) => {
            message[..1].make_ascii_uppercase();
            let html = render(&journal_page(&web, Some(format!("{message}.")), text).await?)?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
    };
    let id = entry.id.clone();
    if let Err(e) = web.store(move |s| s.add_journal(&entry)).await {
        let html = render(&journal_page(&web, Some(PageError::not_saved(&e)), text).await?)?;
        return Ok((StatusCode::SERVICE_UNAVAILABLE, html).into_response());
    }
    // Post/redirect/get: a reload shows the entry, it does not save it again.
    Ok(Redirect::to(&format!("/journal/{id}?saved=1")).into_response())
}

pub async fn show(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let entry = web
        .store(move |s| s.journal_entry(&id))
        .await
        .map_err(|_| PageError::not_found("That journal entry"))?;
    entry_page(&web, &entry, q.contains_key("saved")).await
}

#[derive(Template)]
#[template(path = "journal_delete.html")]
struct DeletePage {
    title: &'static str,
    current: &'static str,
    csrf: String,
    entry: Listed,
}

pub async fn confirm_delete(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let entry = web
        .store(move |s| s.journal_entry(&id))
        .await
        .map_err(|_| PageError::not_found("That journal entry"))?;
    render(&DeletePage {
        title: "Delete an entry",
        current: "journal",
        csrf: web.csrf.clone(),
        entry: listed(&entry),
    })
}

pub async fn delete(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    web.store(move |s| s.forget_journal(&id))
        .await
        .map_err(|_| PageError::not_found("That journal entry"))?;
    Ok(Redirect::to("/journal").into_response())
}
