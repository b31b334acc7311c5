//! `/shared-with-me`: for a person's account, the people who share with
//! them (as a trusted person), and a gentle view of each: the calendar,
//! the feeling words, shared entries; scores only when questionnaires
//! are shared.

use super::{Grantee, Look};
use crate::accounts::Role as AccountRole;
use crate::sharing::Role;
use crate::web::page::{self, render};
use crate::web::{Server, Visitor};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Utc;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

const FOR_PEOPLE: &str = "This page is for people using feltsense: it lists who shares with them.";

#[derive(Template)]
#[template(path = "shared_with_me.html")]
struct SharedWithMe {
    title: &'static str,
    /// Each person's id, name, and what they share in words.
    people: Vec<(Uuid, String, String)>,
    not_watching: &'static str,
}

/// `GET /shared-with-me`.
pub async fn list(State(server): State<Arc<Server>>, visitor: Visitor) -> Response {
    let session = match super::signed_in_as(&visitor, AccountRole::Person, FOR_PEOPLE) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let (tenant, me) = (session.account.tenant, session.account.id);
    let grants = match crate::sharing::grants::for_grantee(&server.sharing.pool, tenant, me).await {
        Ok(grants) => grants,
        Err(e) => return page::internal(e),
    };
    let names = match super::names(&server, session).await {
        Ok(names) => names,
        Err(refused) => return refused,
    };
    let now = Utc::now();
    let mut seen = std::collections::BTreeSet::new();
    let people = grants
        .iter()
        .filter(|g| g.active_at(now) && seen.insert(g.person))
        .map(|g| {
            let what: Vec<&str> = g.scopes.iter().map(|s| s.words()).collect();
            (
                g.person,
                super::shown_name(names.get(&g.person)),
                what.join(", "),
            )
        })
        .collect();
    render(&SharedWithMe {
        title: "Shared with you",
        people,
        not_watching: super::NOT_WATCHING,
    })
}

/// `GET /shared-with-me/{id}`.
pub async fn person(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let days = query.get("days").map(String::as_str);
    person_page(&server, &visitor, (&id, days))
        .await
        .unwrap_or_else(|refused| refused)
}

async fn person_page(
    server: &Server,
    visitor: &Visitor,
    (id, days): (&str, Option<&str>),
) -> Result<Response, Response> {
    let grantee = Grantee {
        account: AccountRole::Person,
        refusal: FOR_PEOPLE,
        reads_as: Role::TrustedPerson,
    };
    super::granted_page(server, visitor, (id, days), grantee, |name| Look {
        address: format!("/shared-with-me/{id}"),
        banner: format!("What {name} shares with you — read-only"),
        back: (
            "/shared-with-me".into(),
            "Back to who shares with you".into(),
        ),
        gentle: true,
    })
    .await
}
