//! Today and recent check-ins, newest first, 30 a page (`?page=2` for
//! older ones), each with its colour, editable and deletable.

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
    /// The CSS classes of its colour, as the calendar paints a day.
    pub colour: String,
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
        let (day, _) = super::calendar::tone(&[c], vocabulary);
        Card {
            id: c.id.clone(),
            colour: day.replacen("day ", "colour-chip ", 1),
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
    /// This page's number, and the previous and next pages if any.
    page: usize,
    newer: Option<usize>,
    older: Option<usize>,
    pages: usize,
}

/// The page asked for: 1 when none is given.
fn page_number(q: &HashMap<String, String>) -> Result<usize, PageError> {
    match q.get("page").map(|p| p.trim()) {
        None | Some("") => Ok(1),
        Some(p) => p.parse::<usize>().ok().filter(|&n| n >= 1).ok_or_else(|| {
            PageError::new(
                axum::http::StatusCode::BAD_REQUEST,
                format!("The page number must be a whole number from 1; it was '{p}'."),
            )
        }),
    }
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
    let page = page_number(&q)?;
    let pages = all.len().div_ceil(SHOWN).max(1);
    let cards = all
        .iter()
        .skip((page - 1).saturating_mul(SHOWN))
        .take(SHOWN)
        .map(|c| Card::new(c, &web.vocabulary))
        .collect();
    render(&RecentPage {
        title: "Recent",
        current: "recent",
        thanks,
        cards,
        page,
        newer: (page > 1).then(|| (page - 1).min(pages)),
        older: (page < pages).then_some(page + 1),
        pages,
    })
}

/// The opening of `text` to show in a list: its first line, cut at a
/// word boundary to at most `max` characters, with an ellipsis when
/// anything was left out.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut lines = text.trim().lines();
    let first = lines.next().unwrap_or_default().trim_end();
    let more_lines = lines.any(|l| !l.trim().is_empty());
    if first.chars().count() <= max {
        return if more_lines {
            format!("{first} …")
        } else {
            first.to_string()
        };
    }
    let cut: String = first.chars().take(max).collect();
    let ends_a_word = first.chars().nth(max).is_some_and(char::is_whitespace);
    let at_word = match cut.rfind(char::is_whitespace) {
        _ if ends_a_word => cut.as_str(),
        // A single long word is cut where it must be.
        Some(i) if i > 0 => &cut[..i],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        at_word.trim_end_matches(|c: char| c.is_whitespace() || ",;:".contains(c))
    )
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

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_end_at_a_word_with_an_ellipsis() {
        assert_eq!(excerpt("a short day", 80), "a short day");
        assert_eq!(excerpt("walked by the river today", 14), "walked by the…");
        assert_eq!(excerpt("walked by, the river", 10), "walked by…");
        assert_eq!(excerpt("unbelievably", 5), "unbel…");
        assert_eq!(excerpt("first line\n\nmore", 80), "first line …");
        assert_eq!(excerpt("éé éé éé", 5), "éé éé…", "characters, not bytes");
        assert_eq!(excerpt("", 5), "");
    }
}
