//! `/account/sharing-code`: the account's own code, to give someone who
//! wants to share with it, and renewing it (the old code then finds
//! nobody). Every account has one: a clinician gives theirs to the people
//! they see, a person to a partner or a friend.

use super::{internal, Server, Visitor};
use crate::accounts::sharing_code::grouped;
use crate::accounts::Role;
use crate::web::page::{render, see};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "sharing_code.html")]
struct CodePage {
    title: &'static str,
    csrf: String,
    code: String,
    clinician: bool,
    renewed: bool,
    back: &'static str,
}

pub async fn page(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let session = match visitor.signed_in() {
        Ok(session) => session,
        Err(to_sign_in) => return to_sign_in,
    };
    let code = match server.accounts.sharing_code(&session.account).await {
        Ok(code) => code,
        Err(e) => return internal(e),
    };
    let role = session.role();
    render(&CodePage {
        title: "Your sharing code",
        csrf: session.csrf.clone(),
        code: grouped(&code),
        clinician: role == Role::Clinician,
        renewed: query.contains_key("renewed"),
        back: if role.is_staff() {
            "/staff"
        } else {
            "/sharing"
        },
    })
}

pub async fn renew(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let session = match visitor.posted(&form) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    match server
        .accounts
        .renew_sharing_code(&session.account, &visitor.address)
        .await
    {
        Ok(_) => see("/account/sharing-code?renewed"),
        Err(e) => internal(e),
    }
}
