//! `/sharing/{id}/entries`: the person's journal entries, newest first, a
//! page at a time, each with a checkbox: shared with this grant (journal
//! "entries I choose") or marked as shared (journal "entries I mark",
//! which every such grant of theirs shows).

use super::looks::page_number;
use super::{internal, person, person_posted, Server, Visitor};
use crate::accounts::Session;
use crate::sharing::entries::{self, SharedEntries};
use crate::sharing::{grants, Grant, JournalSharing};
use crate::web::page::{render, see, Problem};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use feltsense_core::JournalEntry;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Entries on one page.
const PER_PAGE: usize = 20;
/// Words of an entry the list shows.
const FIRST_WORDS: usize = 12;

pub struct Listed {
    pub id: String,
    pub date: String,
    pub words: String,
    pub shared: bool,
}

#[derive(Template)]
#[template(path = "sharing_entries.html")]
struct EntriesPage {
    title: String,
    csrf: String,
    grant: Uuid,
    marked: bool,
    entries: Vec<Listed>,
    page: usize,
    newer: Option<usize>,
    older: Option<usize>,
    saved: bool,
}

/// The person's open grant `id` that shares journal entries one by one
/// or as marked, and its grantee's name.
async fn journal_grant(
    server: &Server,
    session: &Session,
    id: &str,
) -> Result<(Grant, String), Response> {
    let (grant, name) = super::grants::own_grant(server, session, id).await?;
    let open = grant.revoked_at.is_none() && grant.journal != JournalSharing::Off;
    if !open {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "This sharing does not share journal entries (or was revoked). You can change what it shares on the sharing page.",
        )
        .into_response());
    }
    Ok((grant, name))
}

/// The person's journal, newest first (from their store, on the blocking pool).
async fn journal(server: &Server, session: &Session) -> anyhow::Result<Vec<JournalEntry>> {
    let stores = Arc::clone(&server.stores);
    let (tenant, person) = (session.account.tenant, session.account.id);
    tokio::task::spawn_blocking(move || {
        let store = stores.open(tenant, person)?;
        anyhow::Ok(store.journal()?)
    })
    .await?
}

pub async fn page(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let session = match person(&visitor) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let (grant, name) = match journal_grant(&server, session, &id).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let me = &session.account;
    let pool = server.accounts.pool();
    let (all, shared) = match tokio::join!(
        journal(&server, session),
        entries::of_person(pool, me.tenant, me.id)
    ) {
        (Ok(all), Ok(shared)) => (all, shared),
        (Err(e), _) => return internal(e),
        (_, Err(e)) => return internal(e),
    };
    let number = page_number(&query);
    let marked = grant.journal == JournalSharing::Marked;
    let listed = all
        .iter()
        .skip((number - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|e| listed(e, &shared, Some(&grant)))
        .collect();
    render(&EntriesPage {
        title: match marked {
            true => "Journal entries marked as shared".into(),
            false => format!("Journal entries shared with {name}"),
        },
        csrf: session.csrf.clone(),
        grant: grant.id,
        marked,
        entries: listed,
        page: number,
        newer: (number > 1).then(|| number - 1),
        older: (all.len() > number * PER_PAGE).then_some(number + 1),
        saved: query.contains_key("saved"),
    })
}

/// The entry's date and first words, and whether `grant` shows it.
pub(super) fn listed(e: &JournalEntry, shared: &SharedEntries, grant: Option<&Grant>) -> Listed {
    let words: Vec<&str> = e.text.split_whitespace().take(FIRST_WORDS + 1).collect();
    let more = words.len() > FIRST_WORDS;
    let mut first = words[..words.len().min(FIRST_WORDS)].join(" ");
    if more {
        first.push('…');
    }
    Listed {
        id: e.id.clone(),
        date: e.at.format("%-d %B %Y, %H:%M").to_string(),
        words: first,
        shared: match grant.map(|g| (g.journal, g.id)) {
            Some((JournalSharing::Marked, _)) => shared.marked.contains(&e.id),
            Some((_, id)) => shared.chosen_for(id, &e.id),
            None => false,
        },
    }
}

/// Saves the checkboxes of the entries the page showed (`shown`): a
/// ticked one shared, an unticked one not.
pub async fn save(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let session = match person_posted(&visitor, &form) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let (grant, _) = match journal_grant(&server, session, &id).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let all = match journal(&server, session).await {
        Ok(all) => all,
        Err(e) => return internal(e),
    };
    let ticked: Vec<&str> = values(&form, "share").collect();
    let shown = values(&form, "shown").filter(|id| all.iter().any(|e| e.id == *id));
    for entry in shown {
        if let Err(e) = share(&server, session, &grant, entry, ticked.contains(&entry)).await {
            return internal(e);
        }
    }
    let page = super::super::guard::field(&form, "page");
    let page = page.parse::<usize>().unwrap_or(1);
    see(&format!("/sharing/{}/entries?page={page}&saved", grant.id))
}

fn values<'f>(form: &'f [(String, String)], name: &'f str) -> impl Iterator<Item = &'f str> {
    form.iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

async fn share(
    server: &Server,
    session: &Session,
    grant: &Grant,
    entry: &str,
    shared: bool,
) -> Result<(), crate::sharing::SharingError> {
    let (pool, me) = (server.accounts.pool(), &session.account);
    match (grant.journal, shared) {
        (JournalSharing::Marked, _) => {
            grants::mark_entry(pool, me.tenant, me.id, entry, shared).await
        }
        (_, true) => grants::share_entry(pool, me.tenant, me.id, grant.id, entry).await,
        (_, false) => grants::unshare_entry(pool, me.tenant, me.id, grant.id, entry).await,
    }
}
