//! `/account/sessions` (where this account is signed in; end one, or all:
//! "sign out everywhere") and `/account/delete` (asked twice; the account
//! and everything in it go, recorded as a security event).

use super::guard::{field, Visitor};
use super::links::StoreStep;
use super::page::{self, render, see, with_cookie};
use super::Server;
use crate::accounts::{Role, Session};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::Form;
use std::sync::Arc;
use uuid::Uuid;

type Fields = Form<Vec<(String, String)>>;

#[derive(Template)]
#[template(path = "sessions.html")]
struct Sessions {
    title: &'static str,
    csrf: String,
    current: Uuid,
    sessions: Vec<Session>,
    back: &'static str,
}

#[derive(Template)]
#[template(path = "delete.html")]
struct Delete {
    title: &'static str,
    csrf: String,
    second_time: bool,
}

pub async fn sessions(State(server): State<Arc<Server>>, visitor: Visitor) -> Response {
    let session = match visitor.signed_in() {
        Ok(session) => session,
        Err(to_sign_in) => return to_sign_in,
    };
    match server.accounts.sessions_of(&session.account).await {
        Ok(sessions) => render(&Sessions {
            title: "Where you are signed in",
            csrf: session.csrf.clone(),
            current: session.id,
            sessions,
            back: if session.role().is_staff() {
                "/staff"
            } else {
                "/settings"
            },
        }),
        Err(e) => page::internal(e),
    }
}

/// Makes a new calendar-feed address for a person (the old one stops
/// answering at once); back to the settings page, which shows it.
pub async fn renew_feed(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Form(form): Fields,
) -> Response {
    let session = match visitor.posted(&form) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    if session.role().is_staff() {
        return see("/staff");
    }
    match server
        .accounts
        .renew_feed(&session.account, &visitor.address)
        .await
    {
        Ok(_) => see("/settings?done=feed"),
        Err(e) => page::internal(e),
    }
}

/// Ends one of this account's sessions (another account's id ends nothing).
pub async fn revoke(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Form(form): Fields,
) -> Response {
    let session = match visitor.posted(&form) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let Ok(id) = field(&form, "session").parse::<Uuid>() else {
        return see("/account/sessions");
    };
    match server.accounts.revoke_session(&session.account, id).await {
        Ok(_) => {
            server.forget_app(id);
            see(if id == session.id {
                "/login"
            } else {
                "/account/sessions"
            })
        }
        Err(e) => page::internal(e),
    }
}

/// "Sign out everywhere": every session of this account ends, this one too.
pub async fn revoke_all(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Form(form): Fields,
) -> Response {
    let session = match visitor.posted(&form) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let ended = server.accounts.sessions_of(&session.account).await;
    if let Err(e) = server.accounts.revoke_all(&session.account, None).await {
        return page::internal(e);
    }
    for s in ended.unwrap_or_default() {
        server.forget_app(s.id);
    }
    let event =
        crate::accounts::Event::of(&session.account, "signed_out_everywhere", &visitor.address);
    if let Err(e) = server.accounts.record(event).await {
        return page::internal(e);
    }
    with_cookie(see("/login"), &server.site.set_cookie("session", ""))
}

pub async fn delete_page(visitor: Visitor) -> Response {
    match visitor.signed_in() {
        Ok(session) => render(&Delete {
            title: "Delete your account",
            csrf: session.csrf.clone(),
            second_time: false,
        }),
        Err(to_sign_in) => to_sign_in,
    }
}

/// The first post asks again; the second (`confirm=delete`) deletes.
pub async fn delete(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Form(form): Fields,
) -> Response {
    let session = match visitor.posted(&form) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    if field(&form, "confirm") != "delete" {
        return render(&Delete {
            title: "Delete your account, for good?",
            csrf: session.csrf.clone(),
            second_time: true,
        });
    }
    let account = &session.account;
    server.forget_app(session.id);
    if account.role == Role::Person {
        if let Err(e) = server
            .person_store(account.tenant, account.id, StoreStep::Delete)
            .await
        {
            return page::internal(e);
        }
    }
    if let Err(e) = server.accounts.delete(account, &visitor.address).await {
        return page::internal(e);
    }
    let gone = page::Message {
        title: "Your account is deleted".into(),
        message:
            "Your account and everything in it are gone from this server. Take care of yourself."
                .into(),
        onward: None,
    };
    with_cookie(render(&gone), &server.site.set_cookie("session", ""))
}
