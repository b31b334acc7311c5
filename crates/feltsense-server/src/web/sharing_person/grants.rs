//! `/sharing`: what the person shares, with whom, and the forms to share
//! anew, change and revoke.

use super::form::{problem_of, Problem, Typed, KINDS};
use super::{day, internal, person, person_posted, Calm, Server, Visitor};
use crate::accounts::{CodeFind, Role, Session};
use crate::sharing::{self, Grant, GrantChange, GrantDraft, GranteeKind, JournalSharing};
use crate::web::guard::field;
use crate::web::page::{render, see, Problem as ProblemPage};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::{Local, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

type Fields = Form<Vec<(String, String)>>;

/// One grant as the list shows it.
pub struct Row {
    pub id: Uuid,
    pub name: String,
    pub kind: &'static str,
    pub shares: String,
    pub period: String,
    pub purpose: String,
    pub status: &'static str,
    pub open: bool,
    pub chosen: bool,
    pub marked: bool,
}

#[derive(Template)]
#[template(path = "sharing.html")]
struct List {
    title: &'static str,
    csrf: String,
    rows: Vec<Row>,
    made: Option<String>,
    revoked: Option<String>,
    calm: Calm,
    who: String,
}

#[derive(Template)]
#[template(path = "sharing_form.html")]
struct FormPage {
    title: String,
    csrf: String,
    action: String,
    new: bool,
    typed: Typed,
    kinds: Vec<(&'static str, &'static str, bool)>,
    clinicians: Vec<(Uuid, String)>,
    problems: Vec<Problem>,
    calm: Calm,
    who: String,
}

impl FormPage {
    fn problem(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, why)| why.as_str())
    }
}

#[derive(Template)]
#[template(path = "sharing_revoke.html")]
struct RevokePage {
    title: String,
    csrf: String,
    id: Uuid,
    name: String,
}

/// Why a form was not saved.
enum Refusal {
    Form(Problem),
    Limited,
    Internal(anyhow::Error),
}

impl From<sharing::SharingError> for Refusal {
    fn from(e: sharing::SharingError) -> Refusal {
        match problem_of(e) {
            Ok(problem) => Refusal::Form(problem),
            Err(e) => Refusal::Internal(e.into()),
        }
    }
}

const THEM: &str = "The person you share with";

pub async fn list(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let session = match person(&visitor) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let rows = match rows(&server, session).await {
        Ok(rows) => rows,
        Err(e) => return internal(e),
    };
    let named = |key: &str| {
        let id = query.get(key)?;
        rows.iter()
            .find(|r| r.id.to_string() == *id)
            .map(|r| r.name.clone())
    };
    let (made, revoked) = (named("made"), named("revoked"));
    render(&List {
        title: "Sharing",
        csrf: session.csrf.clone(),
        who: made.clone().unwrap_or_else(|| THEM.into()),
        made,
        revoked,
        calm: Calm::for_session(&server, session),
        rows,
    })
}

/// Every grant of the person, newest first, with its grantee's name.
async fn rows(server: &Server, session: &Session) -> anyhow::Result<Vec<Row>> {
    let me = &session.account;
    let grants = sharing::grants::for_person(server.accounts.pool(), me.tenant, me.id).await?;
    let ids: Vec<Uuid> = grants.iter().map(|g| g.grantee).collect();
    let names = server.accounts.names_of(me.tenant, &ids).await?;
    let now = Utc::now();
    Ok(grants.iter().map(|g| row(g, &names, now)).collect())
}

fn row(g: &Grant, names: &HashMap<Uuid, String>, now: chrono::DateTime<Utc>) -> Row {
    let status = match (g.revoked_at, g.active_at(now)) {
        (Some(_), _) => "revoked",
        (None, true) => "shared now",
        (None, false) if g.starts_at > now => "starts later",
        (None, false) => "ended",
    };
    let mut shares: Vec<&str> = g.scopes.iter().map(|s| s.words()).collect();
    shares.retain(|w| *w != sharing::Scope::Journal.words());
    match g.journal {
        JournalSharing::Chosen => shares.push("journal entries you choose"),
        JournalSharing::Marked => shares.push("journal entries you mark as shared"),
        JournalSharing::Off => {}
    }
    let until = match (g.revoked_at, g.ends_at) {
        (Some(at), _) => format!(", revoked {}", day(at)),
        (None, Some(end)) => format!(" until {}", day(end - chrono::Duration::seconds(1))),
        (None, None) => ", with no end set".into(),
    };
    Row {
        id: g.id,
        name: name_of(names, g.grantee, g.grantee_kind),
        kind: g.grantee_kind.name(),
        shares: shares.join(", "),
        period: format!("From {}{until}", day(g.starts_at)),
        purpose: g.purpose.clone(),
        status,
        open: g.revoked_at.is_none() && g.ends_at.is_none_or(|end| now < end),
        chosen: g.journal == JournalSharing::Chosen,
        marked: g.journal == JournalSharing::Marked,
    }
}

pub(super) fn name_of(names: &HashMap<Uuid, String>, id: Uuid, kind: GranteeKind) -> String {
    names.get(&id).cloned().unwrap_or_else(|| match kind {
        GranteeKind::Clinician => "A clinician (no name given)".into(),
        GranteeKind::TrustedPerson => "A trusted person (no name given)".into(),
    })
}

pub async fn new_page(State(server): State<Arc<Server>>, visitor: Visitor) -> Response {
    let session = match person(&visitor) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    form_page(
        &server,
        session,
        "/sharing/new",
        None,
        Typed::blank(),
        Vec::new(),
    )
    .await
}

async fn form_page(
    server: &Server,
    session: &Session,
    action: &str,
    to_name: Option<String>,
    typed: Typed,
    problems: Vec<Problem>,
) -> Response {
    let clinicians = match to_name {
        Some(_) => Vec::new(),
        None => match server.accounts.clinicians_of(session.account.tenant).await {
            Ok(list) => list,
            Err(e) => return internal(e),
        },
    };
    let page = FormPage {
        title: match &to_name {
            None => "Share with someone".into(),
            Some(name) => format!("What you share with {name}"),
        },
        csrf: session.csrf.clone(),
        action: action.into(),
        new: to_name.is_none(),
        kinds: KINDS
            .iter()
            .map(|s| (s.name(), s.words(), typed.has(s)))
            .collect(),
        who: to_name.clone().unwrap_or_else(|| THEM.into()),
        typed,
        clinicians,
        calm: Calm::for_session(server, session),
        problems,
    };
    let status = match (page.problems.is_empty(), page.problem("limited")) {
        (true, _) => StatusCode::OK,
        (false, Some(_)) => StatusCode::TOO_MANY_REQUESTS,
        (false, None) => StatusCode::BAD_REQUEST,
    };
    (status, render(&page)).into_response()
}

pub async fn create(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Form(form): Fields,
) -> Response {
    let session = match person_posted(&visitor, &form) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let typed = Typed::from_form(&form);
    match make(&server, session, &visitor, &typed).await {
        Ok(grant) => see(&format!("/sharing?made={}", grant.id)),
        Err(refusal) => refused(&server, session, "/sharing/new", None, typed, refusal).await,
    }
}

async fn refused(
    server: &Server,
    session: &Session,
    action: &str,
    to_name: Option<String>,
    typed: Typed,
    refusal: Refusal,
) -> Response {
    let problem = match refusal {
        Refusal::Form(problem) => problem,
        Refusal::Limited => ("limited", format!(
            "Several codes did not match anyone lately, so codes rest for up to {} minutes. Nothing was shared. Please check the code with the person who gave it to you.",
            crate::accounts::sharing_code::WINDOW_MINUTES
        )),
        Refusal::Internal(e) => return internal(e),
    };
    form_page(server, session, action, to_name, typed, vec![problem]).await
}

async fn make(
    server: &Server,
    session: &Session,
    visitor: &Visitor,
    typed: &Typed,
) -> Result<Grant, Refusal> {
    let (scopes, journal) = typed.shares().map_err(Refusal::Form)?;
    let (starts_at, ends_at) = typed.period().map_err(Refusal::Form)?;
    let purpose = typed.purpose().map_err(Refusal::Form)?;
    let (grantee, grantee_kind) = grantee(server, session, visitor, typed).await?;
    let draft = GrantDraft {
        grantee,
        grantee_kind,
        scopes,
        journal,
        starts_at,
        ends_at,
        purpose,
    };
    let me = &session.account;
    Ok(sharing::grants::create(server.accounts.pool(), me.tenant, me.id, &draft).await?)
}

/// Whom the form names: a clinician chosen from the list, or the account
/// whose code was typed (a clinician or a person of this clinic).
async fn grantee(
    server: &Server,
    session: &Session,
    visitor: &Visitor,
    typed: &Typed,
) -> Result<(Uuid, GranteeKind), Refusal> {
    let me = &session.account;
    let form = |field, why: &str| Err(Refusal::Form((field, why.to_string())));
    match (typed.clinician.is_empty(), typed.code.is_empty()) {
        (true, true) => form(
            "clinician",
            "choose a clinician, or type the code someone gave you",
        ),
        (false, false) => form("code", "choose a clinician or type a code, not both"),
        (false, true) => {
            let listed = server
                .accounts
                .clinicians_of(me.tenant)
                .await
                .map_err(Refusal::Internal)?;
            match listed
                .iter()
                .find(|(id, _)| id.to_string() == typed.clinician)
            {
                Some((id, _)) => Ok((*id, GranteeKind::Clinician)),
                None => form("clinician", "choose one of the clinicians listed"),
            }
        }
        (true, false) => by_code(server, session, visitor, &typed.code).await,
    }
}

async fn by_code(
    server: &Server,
    session: &Session,
    visitor: &Visitor,
    code: &str,
) -> Result<(Uuid, GranteeKind), Refusal> {
    let found = server
        .accounts
        .find_by_code(
            &session.account,
            code,
            &[Role::Clinician, Role::Person],
            &visitor.address,
        )
        .await
        .map_err(Refusal::Internal)?;
    match found {
        CodeFind::Found(a) if a.role == Role::Clinician => Ok((a.id, GranteeKind::Clinician)),
        CodeFind::Found(a) => Ok((a.id, GranteeKind::TrustedPerson)),
        CodeFind::Wrong => Err(Refusal::Form((
            "code",
            "no one here has that code. Please check it with the person who gave it to you (a code is 10 letters and digits, like ABCDE-23456). Nothing was shared.".into(),
        ))),
        CodeFind::Limited => Err(Refusal::Limited),
    }
}

/// The person's grant `id`, with its grantee's name.
pub(super) async fn own_grant(
    server: &Server,
    session: &Session,
    id: &str,
) -> Result<(Grant, String), Response> {
    let me = &session.account;
    let gone = || {
        ProblemPage::new(StatusCode::NOT_FOUND, "There is no such sharing of yours.")
            .into_response()
    };
    let Ok(id) = id.parse::<Uuid>() else {
        return Err(gone());
    };
    let grants = sharing::grants::for_person(server.accounts.pool(), me.tenant, me.id)
        .await
        .map_err(internal)?;
    let grant = grants.into_iter().find(|g| g.id == id).ok_or_else(gone)?;
    let names = server
        .accounts
        .names_of(me.tenant, &[grant.grantee])
        .await
        .map_err(internal)?;
    let name = name_of(&names, grant.grantee, grant.grantee_kind);
    Ok((grant, name))
}

pub async fn change_page(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Response {
    let session = match person(&visitor) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    match own_grant(&server, session, &id).await {
        Ok((grant, _)) if grant.revoked_at.is_some() => ended(),
        Ok((grant, name)) => {
            let action = format!("/sharing/{}", grant.id);
            form_page(
                &server,
                session,
                &action,
                Some(name),
                Typed::of(&grant),
                vec![],
            )
            .await
        }
        Err(refused) => refused,
    }
}

fn ended() -> Response {
    ProblemPage::new(
        StatusCode::CONFLICT,
        "This sharing was revoked, so there is nothing to change. To share again, start anew from the sharing page.",
    )
    .into_response()
}

pub async fn change(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Fields,
) -> Response {
    let session = match person_posted(&visitor, &form) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let (grant, name) = match own_grant(&server, session, &id).await {
        Ok((grant, _)) if grant.revoked_at.is_some() => return ended(),
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let typed = Typed::from_form(&form);
    let action = format!("/sharing/{}", grant.id);
    match changed(&server, session, &grant, &typed).await {
        Ok(()) => see(&format!("/sharing?made={}", grant.id)),
        Err(refusal) => refused(&server, session, &action, Some(name), typed, refusal).await,
    }
}

async fn changed(
    server: &Server,
    session: &Session,
    grant: &Grant,
    typed: &Typed,
) -> Result<(), Refusal> {
    let (scopes, journal) = typed.shares().map_err(Refusal::Form)?;
    let today = Local::now().date_naive();
    let first = grant.starts_at.with_timezone(&Local).date_naive();
    let ends_at = typed.last_day(first.max(today)).map_err(Refusal::Form)?;
    let change = GrantChange {
        scopes: Some(scopes),
        journal: Some(journal),
        ends_at: Some(ends_at),
        purpose: Some(typed.purpose().map_err(Refusal::Form)?),
    };
    let me = &session.account;
    sharing::grants::change(server.accounts.pool(), me.tenant, me.id, grant.id, &change).await?;
    Ok(())
}

/// The first post asks once more; the second (`confirm=revoke`) revokes.
pub async fn revoke(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Fields,
) -> Response {
    let session = match person_posted(&visitor, &form) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let (grant, name) = match own_grant(&server, session, &id).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    if field(&form, "confirm") != "revoke" {
        return render(&RevokePage {
            title: format!("Stop sharing with {name}?"),
            csrf: session.csrf.clone(),
            id: grant.id,
            name,
        });
    }
    let me = &session.account;
    match sharing::grants::revoke(server.accounts.pool(), me.tenant, me.id, grant.id).await {
        Ok(_) => see(&format!("/sharing?revoked={}", grant.id)),
        Err(e) => internal(e),
    }
}
