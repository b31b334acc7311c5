//! `/staff`: what a staff account sees instead of a person's data. Admins
//! invite clinicians and people, and issue single-use, expiring links to
//! reset a password or a lost second factor (each a security event).
//! A clinician may invite people (only as people) to the clinic, and is
//! linked to their caseload (`readers/clinician.rs`).

use super::enrol::qr_svg;
use super::guard::{field, Visitor};
use super::page::{self, render};
use super::Server;
use crate::accounts::{Account, Invite, Purpose, Role, Session};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use std::sync::Arc;

type Fields = Form<Vec<(String, String)>>;

#[derive(Template)]
#[template(path = "staff.html")]
struct Staff {
    title: &'static str,
    csrf: String,
    me: Account,
    admin: bool,
    /// Admins invite any role; clinicians, people only.
    may_invite: bool,
    accounts: Vec<Account>,
    /// A link just issued: for whom, the address, its QR code.
    issued: Option<(String, String, String)>,
    problem: Option<String>,
    email: String,
}

/// The staff page, or why not.
async fn staff_page(server: &Server, session: &Session) -> Result<Staff, Response> {
    if !session.role().is_staff() {
        return Err(page::staff_only());
    }
    let accounts = match session.role() {
        Role::Admin => server
            .accounts
            .of_tenant(session.account.tenant)
            .await
            .map_err(page::internal)?,
        _ => Vec::new(),
    };
    Ok(Staff {
        title: "Staff",
        csrf: session.csrf.clone(),
        me: session.account.clone(),
        admin: session.role() == Role::Admin,
        may_invite: matches!(session.role(), Role::Admin | Role::Clinician),
        accounts,
        issued: None,
        problem: None,
        email: String::new(),
    })
}

pub async fn page(State(server): State<Arc<Server>>, visitor: Visitor) -> Response {
    let session = match visitor.signed_in() {
        Ok(session) => session,
        Err(to_sign_in) => return to_sign_in,
    };
    match staff_page(&server, session).await {
        Ok(staff) => render(&staff),
        Err(refused) => refused,
    }
}

/// An admin's session and the staff page to answer with, or why not.
async fn admin<'a>(
    server: &Server,
    visitor: &'a Visitor,
    form: &[(String, String)],
) -> Result<(&'a Session, Staff), Response> {
    staff_of(server, visitor, form, &[Role::Admin]).await
}

/// A session of one of `roles` (with the form's CSRF token checked) and
/// the staff page to answer with, or why not.
async fn staff_of<'a>(
    server: &Server,
    visitor: &'a Visitor,
    form: &[(String, String)],
    roles: &[Role],
) -> Result<(&'a Session, Staff), Response> {
    let session = visitor.posted(form)?;
    if !roles.contains(&session.role()) {
        return Err(page::staff_only());
    }
    Ok((session, staff_page(server, session).await?))
}

pub async fn invite(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Form(form): Fields,
) -> Response {
    let inviters = [Role::Admin, Role::Clinician];
    let (session, mut staff) = match staff_of(&server, &visitor, &form, &inviters).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let email = field(&form, "email").trim().to_string();
    let role = Role::parse(field(&form, "role"))
        .filter(|r| session.role() == Role::Admin || *r == Role::Person);
    let problem = match (&role, plausible_email(&email)) {
        (None, _) => Some("Please choose what kind of account to invite.".to_string()),
        (_, false) => Some(format!(
            "'{email}' does not look like an email address (something@somewhere)."
        )),
        _ => match server.accounts.email_taken(&email).await {
            Ok(true) => Some(format!("There is already an account for {email}.")),
            Ok(false) => None,
            Err(e) => return page::internal(e),
        },
    };
    if let Some(problem) = problem {
        staff.problem = Some(problem);
        staff.email = email;
        return (StatusCode::UNPROCESSABLE_ENTITY, render(&staff)).into_response();
    }
    let invite = Invite {
        tenant: session.account.tenant,
        purpose: Purpose::Invite,
        role: role.unwrap_or(Role::Person),
        email: email.clone(),
        account: None,
    };
    issue(&server, session, &invite, &visitor.address, staff).await
}

pub async fn reset(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Form(form): Fields,
) -> Response {
    let (session, mut staff) = match admin(&server, &visitor, &form).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let account = field(&form, "account")
        .parse()
        .ok()
        .and_then(|id: uuid::Uuid| staff.accounts.iter().find(|a| a.id == id).cloned());
    let purpose = match field(&form, "what") {
        "password" => Some(Purpose::ResetPassword),
        "second_factor" => Some(Purpose::ResetSecondFactor),
        _ => None,
    };
    let (Some(account), Some(purpose)) = (account, purpose) else {
        staff.problem = Some("Please choose an account of this clinic and what to reset.".into());
        return (StatusCode::UNPROCESSABLE_ENTITY, render(&staff)).into_response();
    };
    let invite = Invite {
        tenant: account.tenant,
        purpose,
        role: account.role,
        email: account.email.clone(),
        account: Some(account.id),
    };
    issue(&server, session, &invite, &visitor.address, staff).await
}

async fn issue(
    server: &Server,
    by: &Session,
    invite: &Invite,
    address: &str,
    mut staff: Staff,
) -> Response {
    match server
        .accounts
        .issue(invite, Some(&by.account), address)
        .await
    {
        Ok(token) => {
            let link = format!("{}{}{token}", server.site.origin(), invite.purpose.path());
            staff.issued = Some((invite.email.clone(), qr_svg(&link), link));
            render(&staff)
        }
        Err(e) => page::internal(e),
    }
}

fn plausible_email(email: &str) -> bool {
    let parts = email.split_once('@');
    email.len() <= 254
        && !email.contains(char::is_whitespace)
        && parts.is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.contains('@')
        })
}
