//! `/sharing/looks`: "who saw what", each look by someone else at the
//! person's data in plain words, newest first, a page at a time; refused
//! tries included.

use super::{internal, person, when, Server, Visitor};
use crate::sharing::audit::{self, Look};
use crate::sharing::{grants, Grant};
use crate::web::page::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Looks on one page.
const PER_PAGE: usize = 25;

pub struct Seen {
    pub when: String,
    pub sentence: String,
    pub refused: bool,
}

#[derive(Template)]
#[template(path = "sharing_looks.html")]
struct Looks {
    title: &'static str,
    looks: Vec<Seen>,
    newer: Option<usize>,
    older: Option<usize>,
}

pub async fn page(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let session = match person(&visitor) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let me = &session.account;
    let pool = server.accounts.pool();
    let (looks, grants) = match tokio::try_join!(
        audit::who_saw_what(pool, me.tenant, me.id),
        grants::for_person(pool, me.tenant, me.id)
    ) {
        Ok(both) => both,
        Err(e) => return internal(e),
    };
    let number = page_number(&query);
    let shown: Vec<&Look> = looks
        .iter()
        .skip((number - 1) * PER_PAGE)
        .take(PER_PAGE)
        .collect();
    let ids: Vec<Uuid> = shown.iter().map(|l| l.who).collect();
    let names = match server.accounts.names_of(me.tenant, &ids).await {
        Ok(names) => names,
        Err(e) => return internal(e),
    };
    render(&Looks {
        title: "Who saw what",
        looks: shown.iter().map(|l| seen(l, &names, &grants)).collect(),
        newer: (number > 1).then(|| number - 1),
        older: (looks.len() > number * PER_PAGE).then_some(number + 1),
    })
}

/// `?page=N` (from 1; anything else is the first page).
pub fn page_number(query: &HashMap<String, String>) -> usize {
    query
        .get("page")
        .and_then(|p| p.parse::<usize>().ok())
        .filter(|n| (1..100_000).contains(n))
        .unwrap_or(1)
}

fn seen(look: &Look, names: &HashMap<Uuid, String>, grants: &[Grant]) -> Seen {
    let name = names
        .get(&look.who)
        .cloned()
        .unwrap_or_else(|| "Someone whose account has no name".into());
    let grant = look.grant.and_then(|id| grants.iter().find(|g| g.id == id));
    Seen {
        when: when(look.at),
        sentence: sentence(look, &name, grant),
        refused: look.refused,
    }
}

/// The look in plain words (the page shows when beside it).
fn sentence(look: &Look, name: &str, grant: Option<&Grant>) -> String {
    let who = format!("{name} ({})", look.role);
    let what = match look.what.as_str() {
        "caseload summary" => {
            "summary (last check-in and what the grant shares of it) in their list"
        }
        what => what,
    };
    let under = match grant {
        Some(g) => format!(
            "under what you share with them since {}",
            super::day(g.starts_at)
        ),
        None => "under what you chose to share".into(),
    };
    match (&look.emergency, look.refused) {
        (_, true) => format!("{who} tried to open your {what}. It is not shared with them (or no longer), so they saw nothing."),
        (Some(reason), false) if look.action != "read" => {
            format!("{who} opened emergency access to your data, giving the reason: “{reason}”.")
        }
        (Some(reason), false) => {
            format!("{who} saw your {what} through emergency access (the reason given: “{reason}”).")
        }
        (None, false) => format!("{who} saw your {what}, {under}."),
    }
}
