//! `/sharing/entry/{entry}`: one journal entry and whom it is shared
//! with: a checkbox for each open grant of "entries I choose", and one
//! for marking it (seen by every grant of "entries I mark"). The journal
//! page of the app links here in hosted mode ("Share…").

use super::{internal, person, person_posted, Server, Visitor};
use crate::accounts::Session;
use crate::sharing::entries::{self, SharedEntries};
use crate::sharing::{grants, Grant, JournalSharing};
use crate::web::guard::field;
use crate::web::page::{render, see, Problem};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::Utc;
use feltsense_core::JournalEntry;
use std::sync::Arc;
use uuid::Uuid;

/// A grant the entry can be shared with: id, name, shared now.
type Choice = (Uuid, String, bool);

#[derive(Template)]
#[template(path = "sharing_entry.html")]
struct EntryPage {
    title: &'static str,
    csrf: String,
    id: String,
    date: String,
    words: String,
    chosen: Vec<Choice>,
    /// The names of those who see marked entries, and whether it is marked.
    marked: Option<(String, bool)>,
}

/// The entry (from the person's own store), or a 404.
async fn entry(server: &Server, session: &Session, id: &str) -> Result<JournalEntry, Response> {
    let stores = Arc::clone(&server.stores);
    let (tenant, person, id) = (session.account.tenant, session.account.id, id.to_string());
    let found = tokio::task::spawn_blocking(move || {
        let store = stores.open(tenant, person)?;
        anyhow::Ok(store.journal_entry(&id).ok())
    })
    .await;
    match found {
        Ok(Ok(Some(entry))) => Ok(entry),
        Ok(Ok(None)) => Err(Problem::new(
            StatusCode::NOT_FOUND,
            "There is no such journal entry of yours.",
        )
        .into_response()),
        Ok(Err(e)) => Err(internal(e)),
        Err(e) => Err(internal(e)),
    }
}

/// The person's open grants that share journal entries, with names.
async fn journal_grants(
    server: &Server,
    session: &Session,
) -> anyhow::Result<Vec<(Grant, String)>> {
    let me = &session.account;
    let now = Utc::now();
    let open: Vec<Grant> = grants::for_person(server.accounts.pool(), me.tenant, me.id)
        .await?
        .into_iter()
        .filter(|g| g.journal != JournalSharing::Off && g.revoked_at.is_none())
        .filter(|g| g.ends_at.is_none_or(|end| now < end))
        .collect();
    let ids: Vec<Uuid> = open.iter().map(|g| g.grantee).collect();
    let names = server.accounts.names_of(me.tenant, &ids).await?;
    Ok(open
        .into_iter()
        .map(|g| {
            let name = super::grants::name_of(&names, g.grantee, g.grantee_kind);
            (g, name)
        })
        .collect())
}

pub async fn page(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Response {
    let session = match person(&visitor) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let entry = match entry(&server, session, &id).await {
        Ok(entry) => entry,
        Err(refused) => return refused,
    };
    let me = &session.account;
    let (open, shared) = match tokio::join!(
        journal_grants(&server, session),
        entries::of_person(server.accounts.pool(), me.tenant, me.id)
    ) {
        (Ok(open), Ok(shared)) => (open, shared),
        (Err(e), _) => return internal(e),
        (_, Err(e)) => return internal(e),
    };
    let listed = super::entries::listed(&entry, &shared, None);
    render(&EntryPage {
        title: "Share this entry",
        csrf: session.csrf.clone(),
        chosen: choices(&open, &entry.id, &shared),
        marked: marked(&open, &entry.id, &shared),
        id: entry.id,
        date: listed.date,
        words: listed.words,
    })
}

fn choices(open: &[(Grant, String)], entry: &str, shared: &SharedEntries) -> Vec<Choice> {
    open.iter()
        .filter(|(g, _)| g.journal == JournalSharing::Chosen)
        .map(|(g, name)| (g.id, name.clone(), shared.chosen_for(g.id, entry)))
        .collect()
}

fn marked(open: &[(Grant, String)], entry: &str, shared: &SharedEntries) -> Option<(String, bool)> {
    let names: Vec<&str> = open
        .iter()
        .filter(|(g, _)| g.journal == JournalSharing::Marked)
        .map(|(_, name)| name.as_str())
        .collect();
    (!names.is_empty()).then(|| (names.join(", "), shared.marked.contains(entry)))
}

/// Saves the page's checkboxes: each chosen grant shown (`shown`) shares
/// the entry when ticked (`grant`), and `mark` marks it.
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
    let entry = match entry(&server, session, &id).await {
        Ok(entry) => entry,
        Err(refused) => return refused,
    };
    let open = match journal_grants(&server, session).await {
        Ok(open) => open,
        Err(e) => return internal(e),
    };
    match saved(&server, session, &entry.id, &open, &form).await {
        Ok(()) => see(&format!("/journal/{}", entry.id)),
        Err(e) => internal(e),
    }
}

async fn saved(
    server: &Server,
    session: &Session,
    entry: &str,
    open: &[(Grant, String)],
    form: &[(String, String)],
) -> Result<(), crate::sharing::SharingError> {
    let (pool, me) = (server.accounts.pool(), &session.account);
    let has = |name: &str, value: &str| form.iter().any(|(k, v)| k == name && v == value);
    for (grant, _) in open
        .iter()
        .filter(|(g, _)| g.journal == JournalSharing::Chosen)
    {
        let id = grant.id.to_string();
        match (has("shown", &id), has("grant", &id)) {
            (true, true) => grants::share_entry(pool, me.tenant, me.id, grant.id, entry).await?,
            (true, false) => grants::unshare_entry(pool, me.tenant, me.id, grant.id, entry).await?,
            (false, _) => {}
        }
    }
    if field(form, "mark_shown") == "1" {
        grants::mark_entry(pool, me.tenant, me.id, entry, field(form, "mark") == "1").await?;
    }
    Ok(())
}
