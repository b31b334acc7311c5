//! Today and recent check-ins, each editable and deletable.

use super::render;
use crate::auth::check_csrf;
use crate::error::PageError;
use crate::Web;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use feltsense_core::{CheckIn, Vocabulary};
use std::collections::HashMap;
use std::sync::Arc;

const SHOWN: usize = 30;

/// One check-in as a card.
pub struct Card {
    pub id: String,
    pub when: String,
    pub datetime: String,
    pub feelings: String,
    pub details: Vec<String>,
    pub note: Option<String>,
}

impl Card {
    pub fn new(c: &CheckIn, vocabulary: &Vocabulary) -> Card {
        let feelings = if c.nothing {
            "I can't feel much right now".to_string()
        } else if c.feelings.is_empty() {
            c.mood_words()
                .unwrap_or_else(|| "no feeling words".to_string())
        } else {
            c.feelings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut details = Vec::new();
        if let Some(p) = c.pleasantness {
            details.push(format!("pleasant {p:+}"));
        }
        if let Some(e) = c.energy {
            details.push(format!("energy {e:+}"));
        }
        if let Some(cl) = c.clarity {
            details.push(format!("clarity {cl}"));
        }
        if !c.items.is_empty() {
            let rated: Vec<String> = c
                .items
                .iter()
                .map(|i| format!("{} {}", i.word, i.rating))
                .collect();
            details.push(format!("chosen feelings (0 to 10): {}", rated.join(", ")));
        }
        for b in &c.body {
            let mut words = vec![super::checkin::region_label(b.region).to_string()];
            words.extend(
                b.activation
                    .map(|a| a.as_str().replace("cant-feel", "can't feel")),
            );
            words.extend(b.sensation.map(|s| s.as_str().to_string()));
            words.extend(b.intensity.map(|i| i.to_string()));
            details.push(words.join(" "));
        }
        if let Some(s) = &c.showed {
            let felt = vocabulary
                .get(s)
                .map(|w| format!(" ({:+})", w.pleasantness))
                .unwrap_or_default();
            details.push(format!("showed {s}{felt}"));
        }
        for (label, v) in [
            ("doing", &c.context.doing),
            ("with", &c.context.with),
            ("at", &c.context.place),
        ] {
            if let Some(v) = v {
                details.push(format!("{label} {v}"));
            }
        }
        Card {
            id: c.id.clone(),
            when: c.at.format("%a %-d %b %Y, %H:%M").to_string(),
            datetime: c.at.to_rfc3339(),
            feelings,
            details,
            note: c.note.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "recent.html")]
struct RecentPage {
    title: &'static str,
    current: &'static str,
    thanks: Option<&'static str>,
    cards: Vec<Card>,
    more: usize,
}

pub async fn list(
    State(web): State<Arc<Web>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let snapshot = web.snapshot().await?;
    let all = &snapshot.checkins;
    let thanks = match q.get("thanks").map(String::as_str) {
        Some("saved") => Some("Saved. Thank you for checking in."),
        Some("nothing") => {
            Some("Saved. Thank you: noticing that not much is there is information too.")
        }
        Some("edited") => Some("Your changes are saved."),
        Some("deleted") => Some("That check-in is gone for good."),
        _ => None,
    };
    let cards = all
        .iter()
        .take(SHOWN)
        .map(|c| Card::new(c, &web.vocabulary))
        .collect();
    render(&RecentPage {
        title: "Recent",
        current: "recent",
        thanks,
        cards,
        more: all.len().saturating_sub(SHOWN),
    })
}

#[derive(Template)]
#[template(path = "delete.html")]
struct DeletePage {
    title: &'static str,
    current: &'static str,
    card: Card,
    csrf: String,
}

/// Deleting is for good, so it is asked once more (this works without
/// JavaScript, unlike a confirm() dialog).
pub async fn confirm_delete(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let c = web.store(move |s| s.checkin(&id)).await?;
    render(&DeletePage {
        title: "Delete a check-in",
        current: "recent",
        card: Card::new(&c, &web.vocabulary),
        csrf: web.csrf.clone(),
    })
}

pub async fn delete(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    web.store(move |s| s.forget_checkin(&id)).await?;
    Ok(Redirect::to("/recent?thanks=deleted").into_response())
}
