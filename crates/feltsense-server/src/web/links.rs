//! The single-use links: `/setup/{token}` (the first admin), `/invite/
//! {token}` (a clinician or a person) and `/reset/{token}` (a new
//! password, or a new second factor). Staff must set up a second factor;
//! for a person it is a choice.

use super::enrol::{self, Chosen, Enrolment};
use super::guard::field;
use super::page::{self, render, see, with_cookie};
use super::sign_in::{check_form_token, form_token};
use super::{Server, Visitor};
use crate::accounts::{password, Account, Invite, NewAccount, Purpose, Stage};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Form;
use std::sync::Arc;
use uuid::Uuid;

type Fields = Form<Vec<(String, String)>>;

#[derive(Template)]
#[template(path = "new_account.html")]
struct NewAccountPage {
    title: &'static str,
    action: String,
    csrf: String,
    email: String,
    display_name: String,
    ask_name: bool,
    ask_password: bool,
    factor: Option<Enrolment>,
    factor_required: bool,
    problem: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "codes.html")]
struct Codes {
    title: &'static str,
    codes: Vec<String>,
}

/// The live link at this path (a setup token under `/invite/` is not one).
async fn live(server: &Server, path: &str, token: &str) -> Result<Invite, Response> {
    match server.accounts.invite(token).await {
        Ok(Some(invite)) if path.starts_with(invite.purpose.path()) => Ok(invite),
        Ok(_) => Err(page::link_gone()),
        Err(e) => Err(page::internal(e)),
    }
}

fn form_for(server: &Server, invite: &Invite, action: &str, csrf: String) -> NewAccountPage {
    let new = matches!(invite.purpose, Purpose::Setup | Purpose::Invite);
    let factor = new || invite.purpose == Purpose::ResetSecondFactor;
    NewAccountPage {
        title: match invite.purpose {
            Purpose::Setup => "Set up this server",
            Purpose::Invite => "Welcome to feltsense",
            Purpose::ResetPassword => "Choose a new password",
            Purpose::ResetSecondFactor => "Set up your second factor again",
        },
        action: action.to_string(),
        csrf,
        email: invite.email.clone(),
        display_name: String::new(),
        ask_name: new,
        ask_password: new || invite.purpose == Purpose::ResetPassword,
        factor: factor.then(|| Enrolment::fresh(&server.accounts, &invite.email)),
        factor_required: invite.role.is_staff(),
        problem: None,
    }
}

/// `GET` of any link: its form.
pub async fn page(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    uri: Uri,
    Path(token): Path<String>,
) -> Response {
    let invite = match live(&server, uri.path(), &token).await {
        Ok(invite) => invite,
        Err(refused) => return refused,
    };
    let (csrf, cookie) = form_token(&server, &headers);
    with_cookie(
        render(&form_for(&server, &invite, uri.path(), csrf)),
        &cookie,
    )
}

/// The form again with what was typed (but not the passwords) and why.
fn again(
    server: &Server,
    headers: &HeaderMap,
    invite: &Invite,
    path: &str,
    form: &[(String, String)],
    problem: &'static str,
    secret: Option<Vec<u8>>,
) -> Response {
    let (csrf, _) = form_token(server, headers);
    let mut page = form_for(server, invite, path, csrf);
    page.display_name = field(form, "display_name").to_string();
    if let (Some(secret), Some(_)) = (secret, &page.factor) {
        page.factor = Some(Enrolment::of(&server.accounts, &secret, &invite.email));
    }
    page.problem = Some(problem);
    (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
}

/// `POST` of any link: checks the form, then uses the link up.
pub async fn submit(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    visitor: Visitor,
    uri: Uri,
    Path(token): Path<String>,
    Form(form): Fields,
) -> Response {
    if let Err(refused) = check_form_token(&server, &headers, &form) {
        return refused;
    }
    let path = uri.path();
    let invite = match live(&server, path, &token).await {
        Ok(invite) => invite,
        Err(refused) => return refused,
    };
    let ask_password = invite.purpose != Purpose::ResetSecondFactor;
    let (pw, pw2) = (field(&form, "password"), field(&form, "password_again"));
    if let Some(problem) = password::refuse(pw, pw2).filter(|_| ask_password) {
        let secret = server.accounts.open_from_form(field(&form, "factor"));
        return again(&server, &headers, &invite, path, &form, problem, secret);
    }
    let factor = if invite.purpose == Purpose::ResetPassword {
        None
    } else {
        match enrol::chosen(&server.accounts, &form, invite.role.is_staff()) {
            Chosen::Set(secret) => Some(secret),
            Chosen::Without => None,
            Chosen::Problem(problem, secret) => {
                return again(&server, &headers, &invite, path, &form, problem, secret)
            }
        }
    };
    let outcome = match invite.purpose {
        Purpose::Setup | Purpose::Invite => {
            make_account(&server, &token, &invite, &form, factor, &visitor.address).await
        }
        Purpose::ResetPassword => {
            server
                .accounts
                .complete_reset(&token, Some(pw), None, &visitor.address)
                .await
        }
        Purpose::ResetSecondFactor => {
            server
                .accounts
                .complete_reset(&token, None, factor, &visitor.address)
                .await
        }
    };
    match outcome {
        Ok(Some((account, codes))) => welcome(&server, &account, codes, &visitor).await,
        Ok(None) => page::link_gone(),
        Err(e) => page::internal(e),
    }
}

/// Makes the account (and, for a person, their store first, removed
/// again if the link was used meanwhile).
async fn make_account(
    server: &Arc<Server>,
    token: &str,
    invite: &Invite,
    form: &[(String, String)],
    factor: Option<Vec<u8>>,
    address: &str,
) -> anyhow::Result<Option<(Account, Vec<String>)>> {
    if server.accounts.email_taken(&invite.email).await? {
        return Ok(None);
    }
    let id = Uuid::now_v7();
    let person = invite.role == crate::accounts::Role::Person;
    if person {
        server
            .person_store(invite.tenant, id, StoreStep::Create)
            .await?;
    }
    let new = NewAccount {
        id,
        display_name: field(form, "display_name")
            .trim()
            .chars()
            .take(100)
            .collect(),
        password: field(form, "password").to_string(),
        second_factor: factor,
    };
    let made = server.accounts.accept(token, new, address).await;
    if person && !matches!(made, Ok(Some(_))) {
        server
            .person_store(invite.tenant, id, StoreStep::Delete)
            .await?;
    }
    made
}

/// Signed in at once, with the recovery codes shown this once.
async fn welcome(
    server: &Server,
    account: &Account,
    codes: Vec<String>,
    visitor: &Visitor,
) -> Response {
    let token = match server
        .accounts
        .start_session(account, Stage::Full, &visitor.agent)
        .await
    {
        Ok(token) => token,
        Err(e) => return page::internal(e),
    };
    let page = if codes.is_empty() {
        see("/")
    } else {
        render(&Codes {
            title: "Your recovery codes",
            codes,
        })
    };
    with_cookie(page, &server.site.set_cookie("session", &token))
}

/// What to do with a person's store.
#[derive(Clone, Copy)]
pub enum StoreStep {
    Create,
    Delete,
}

impl Server {
    /// Creates or deletes a person's store, on the blocking pool.
    pub async fn person_store(
        &self,
        tenant: Uuid,
        person: Uuid,
        step: StoreStep,
    ) -> anyhow::Result<()> {
        let stores = Arc::clone(&self.stores);
        tokio::task::spawn_blocking(move || match step {
            StoreStep::Create => stores.create(tenant, person),
            StoreStep::Delete => stores.delete(tenant, person),
        })
        .await?
    }
}
