//! The readers' side of sharing (issue 14): a clinician's caseload and
//! person pages (`clinician.rs`), a trusted person's view of those who
//! share with them (`trusted.rs`), an admin's emergency access
//! (`emergency.rs`). Every read goes through [`SharedView`] (the grant
//! checked, row-level security as the reader, an audit event in the same
//! transaction, allowed or refused); a person page is one such read
//! ([`SharedView::page`]: one transaction, one check, one event per kind
//! read). The page is feltsense-web's [`feltsense_web::render_shared`]:
//! the report's sections over 90 days, the insight cards, the calendar
//! over the period chosen (`?days=90|365|all`, everything by default),
//! the safety plan, shared entries; read-only.

pub mod clinician;
pub mod emergency;
mod period;
pub mod trusted;

pub use period::Period;

use super::page::{self, Problem};
use super::{Server, Visitor};
use crate::accounts::{Account, Role as AccountRole, Session};
use crate::sharing::view::PageRead;
use crate::sharing::{Reader, RequestMeta, SharedView, SharingError};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{Duration, NaiveDate, Utc};
use feltsense_core::{CheckIn, Vocabulary};
use std::sync::OnceLock;
use uuid::Uuid;

/// What every reader's page says about watching and alerts.
pub const NOT_WATCHING: &str = "You see what was shared when you open this page. \
feltsense does not alert anyone, and nobody is watching in real time. \
Each time you look is recorded, and the person can see it.";

/// How far back a person page's report sections reach.
pub(crate) const DAYS: i64 = 90;

/// The session of an account of `role` with a second factor, or why not
/// (to sign in for nobody, a calm 403 for anyone else).
pub fn signed_in_as<'a>(
    visitor: &'a Visitor,
    role: AccountRole,
    refusal: &'static str,
) -> Result<&'a Session, Response> {
    let session = visitor.signed_in()?;
    let factor = !role.is_staff() || session.account.has_second_factor;
    if session.role() == role && factor {
        Ok(session)
    } else {
        Err(Problem::new(StatusCode::FORBIDDEN, refusal).into_response())
    }
}

/// The reader `session` acts as, in `role`.
pub fn reader(session: &Session, role: crate::sharing::Role) -> Reader {
    Reader {
        tenant: session.account.tenant,
        account: session.account.id,
        role,
    }
}

/// This request, for the audit trail.
pub fn request_meta(visitor: &Visitor) -> RequestMeta {
    RequestMeta {
        address: visitor.address.clone(),
        request_id: Uuid::now_v7().to_string(),
    }
}

/// The name a person chose to show, or a neutral label.
pub fn shown_name(account: Option<&Account>) -> String {
    account
        .map(|a| a.display_name.trim())
        .filter(|n| !n.is_empty())
        .map_or_else(|| "Someone who shares with you".to_string(), str::to_string)
}

/// The accounts of `session`'s clinic, by id.
pub async fn names(
    server: &Server,
    session: &Session,
) -> Result<std::collections::HashMap<Uuid, Account>, Response> {
    let all = server
        .accounts
        .of_tenant(session.account.tenant)
        .await
        .map_err(page::internal)?;
    Ok(all.into_iter().map(|a| (a.id, a)).collect())
}

/// The account of `person` when it is of `session`'s clinic (one row, not
/// the clinic's every account).
async fn name_of(
    server: &Server,
    session: &Session,
    person: Uuid,
) -> Result<Option<Account>, Response> {
    let account = server.accounts.get(person).await.map_err(page::internal)?;
    Ok(account.filter(|a| a.tenant == session.account.tenant))
}

/// How a page about one person looks.
pub struct Look {
    /// The page's own address (its period chooser links to it).
    pub address: String,
    pub banner: String,
    pub back: (String, String),
    pub gentle: bool,
}

/// Who reads a person's page under a grant: the account's role and the
/// refusal for anyone else, and their role as a reader.
pub struct Grantee {
    pub account: AccountRole,
    pub refusal: &'static str,
    pub reads_as: crate::sharing::Role,
}

/// The page of person `id` as the signed-in `grantee` sees it under their
/// grant (`look` made from the person's shown name) over the `days` asked
/// for, or the calm refusal.
pub async fn granted_page(
    server: &Server,
    visitor: &Visitor,
    (id, days): (&str, Option<&str>),
    grantee: Grantee,
    look: impl FnOnce(String) -> Look,
) -> Result<Response, Response> {
    let session = signed_in_as(visitor, grantee.account, grantee.refusal)?;
    let period = Period::parse(days)?;
    let Ok(person) = id.parse::<Uuid>() else {
        return Ok(refused());
    };
    let reader = reader(session, grantee.reads_as);
    let look = look(shown_name(name_of(server, session, person).await?.as_ref()));
    let request = request_meta(visitor);
    Ok(shared_page(server, reader, person, request, (look, period)).await)
}

/// Reads whatever `person` shares with `reader` in one transaction
/// ([`SharedView::page`]) and renders it, or the calm refusal (itself on
/// the record).
pub async fn shared_page(
    server: &Server,
    reader: Reader,
    person: Uuid,
    request: RequestMeta,
    (look, period): (Look, Period),
) -> Response {
    let view = SharedView::new(
        &server.sharing.pool,
        &server.sharing.key,
        reader,
        person,
        request,
    );
    let today = Utc::now().date_naive();
    match view.page(period.since(today)).await {
        Ok(read) => render(&read, look, period, today),
        Err(SharingError::Refused) => refused(),
        Err(e) => page::internal(e),
    }
}

fn vocabulary() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(Vocabulary::embedded)
}

fn render(read: &PageRead, look: Look, period: Period, to: NaiveDate) -> Response {
    match page_html(read, look, period, to) {
        Ok(html) => Html(html).into_response(),
        Err(e) => page::internal(e),
    }
}

/// A person page's HTML of what `read` found, `to` being today: the
/// report's sections over the last 90 days, the calendar and insights
/// over `period`.
pub fn page_html(
    read: &PageRead,
    look: Look,
    period: Period,
    to: NaiveDate,
) -> Result<String, askama::Error> {
    let shown = period.first_day(to);
    let checkins: Option<Vec<CheckIn>> = read.checkins.as_ref().map(|all| {
        let shown_at = |c: &&CheckIn| shown.is_none_or(|d| c.at.date_naive() >= d);
        all.iter().filter(shown_at).cloned().collect()
    });
    feltsense_web::render_shared(&feltsense_web::SharedData {
        banner: look.banner,
        notice: NOT_WATCHING.to_string(),
        back: look.back,
        checkins: checkins.as_deref(),
        questionnaires: read.questionnaires.as_deref(),
        bridges: read.bridges.as_deref(),
        journal: read.journal.as_deref(),
        safety_plan: read.safety_plan.as_ref().map(Option::as_ref),
        gentle: look.gentle,
        from: to - Duration::days(DAYS - 1),
        to,
        calendar: period.words().to_string(),
        periods: period.choices(&look.address),
        vocabulary: vocabulary(),
    })
}

/// Not shared (any more): said calmly, nothing shown.
pub fn refused() -> Response {
    Problem::new(
        StatusCode::FORBIDDEN,
        "This is not shared with you, or no longer is, so nothing was shown. \
         A person can stop sharing at any time; this attempt was recorded, as every look is.",
    )
    .into_response()
}
