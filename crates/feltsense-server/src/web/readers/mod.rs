//! The readers' side of sharing (issue 14): a clinician's caseload and
//! person pages (`clinician.rs`), a trusted person's view of those who
//! share with them (`trusted.rs`), an admin's emergency access
//! (`emergency.rs`). Every read goes through [`SharedView`] (the grant
//! checked, row-level security as the reader, an audit event in the same
//! transaction, allowed or refused); the page is feltsense-web's
//! [`feltsense_web::render_shared`]: the report's sections, read-only.

pub mod clinician;
pub mod emergency;
pub mod trusted;

use super::page::{self, Problem};
use super::{Server, Visitor};
use crate::accounts::{Account, Role as AccountRole, Session};
use crate::sharing::{Grant, Reader, RequestMeta, Scope, SharedView, SharingError};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{Duration, Utc};
use feltsense_core::Vocabulary;
use std::sync::OnceLock;
use uuid::Uuid;

/// What every reader's page says about watching and alerts.
pub const NOT_WATCHING: &str = "You see what was shared when you open this page. \
feltsense does not alert anyone, and nobody is watching in real time. \
Each time you look is recorded, and the person can see it.";

/// How far back a person page reaches.
const DAYS: i64 = 90;

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

/// The kinds a page reads, each through the view (never more).
#[derive(Debug, Clone, Copy, Default)]
pub struct Kinds {
    pub checkins: bool,
    pub questionnaires: bool,
    pub bridges: bool,
    pub journal: bool,
}

impl Kinds {
    /// What `grant` shares (journal only when its mode shares entries).
    pub fn of(grant: &Grant) -> Kinds {
        Kinds {
            checkins: grant.allows(Scope::CheckIns),
            questionnaires: grant.allows(Scope::Questionnaires),
            bridges: grant.allows(Scope::Bridges),
            journal: grant.allows(Scope::Journal)
                && grant.journal != crate::sharing::JournalSharing::Off,
        }
    }

    pub fn everything() -> Kinds {
        Kinds {
            checkins: true,
            questionnaires: true,
            bridges: true,
            journal: true,
        }
    }

    fn none(self) -> bool {
        !(self.checkins || self.questionnaires || self.bridges || self.journal)
    }
}

/// An active grant of `person` to the signed-in reader, if any.
pub async fn active_grant(
    server: &Server,
    reader: &Reader,
    person: Uuid,
) -> Result<Option<Grant>, Response> {
    let grants =
        crate::sharing::grants::for_grantee(&server.sharing.pool, reader.tenant, reader.account)
            .await
            .map_err(page::internal)?;
    let now = Utc::now();
    Ok(grants
        .into_iter()
        .find(|g| g.person == person && g.active_at(now)))
}

/// How a page about one person looks.
pub struct Look {
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
/// grant (`look` made from the person's shown name), or the calm refusal.
pub async fn granted_page(
    server: &Server,
    visitor: &Visitor,
    id: &str,
    grantee: Grantee,
    look: impl FnOnce(String) -> Look,
) -> Result<Response, Response> {
    let session = signed_in_as(visitor, grantee.account, grantee.refusal)?;
    let Ok(person) = id.parse::<Uuid>() else {
        return Ok(refused());
    };
    let reader = reader(session, grantee.reads_as);
    let grant = active_grant(server, &reader, person).await?;
    let kinds = grant.as_ref().map(Kinds::of).unwrap_or_default();
    let names = names(server, session).await?;
    let look = look(shown_name(names.get(&person)));
    let request = request_meta(visitor);
    Ok(shared_page(server, reader, person, request, kinds, look).await)
}

/// Reads `kinds` of `person` as `reader` and renders them, or the calm
/// refusal (with no kind to read, one read is still tried, so the refused
/// attempt is on the record).
pub async fn shared_page(
    server: &Server,
    reader: Reader,
    person: Uuid,
    request: RequestMeta,
    kinds: Kinds,
    look: Look,
) -> Response {
    let view = SharedView::new(
        &server.sharing.pool,
        &server.sharing.key,
        reader,
        person,
        request,
    );
    if kinds.none() {
        return match view.checkins().await {
            Err(SharingError::Refused) => refused(),
            Err(e) => page::internal(e),
            Ok(_) => refused(),
        };
    }
    match read(&view, kinds).await {
        Ok(read) => render(&read, look),
        Err(SharingError::Refused) => refused(),
        Err(e) => page::internal(e),
    }
}

/// What was read, kind by kind (`None`: not shared, not read).
struct Read {
    checkins: Option<Vec<feltsense_core::CheckIn>>,
    questionnaires: Option<Vec<feltsense_core::assessments::Response>>,
    bridges: Option<Vec<feltsense_core::bridges::Bridge>>,
    journal: Option<Vec<feltsense_core::JournalEntry>>,
}

async fn read(view: &SharedView<'_>, kinds: Kinds) -> Result<Read, SharingError> {
    Ok(Read {
        checkins: maybe(kinds.checkins, view.checkins()).await?,
        questionnaires: maybe(kinds.questionnaires, view.questionnaires()).await?,
        bridges: maybe(kinds.bridges, view.bridges()).await?,
        journal: maybe(kinds.journal, view.journal()).await?,
    })
}

async fn maybe<T>(
    wanted: bool,
    read: impl std::future::Future<Output = Result<T, SharingError>>,
) -> Result<Option<T>, SharingError> {
    if wanted {
        read.await.map(Some)
    } else {
        Ok(None)
    }
}

fn vocabulary() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(Vocabulary::embedded)
}

fn render(read: &Read, look: Look) -> Response {
    let to = Utc::now().date_naive();
    let data = feltsense_web::SharedData {
        banner: look.banner,
        notice: NOT_WATCHING.to_string(),
        back: look.back,
        checkins: read.checkins.as_deref(),
        questionnaires: read.questionnaires.as_deref(),
        bridges: read.bridges.as_deref(),
        journal: read.journal.as_deref(),
        gentle: look.gentle,
        from: to - Duration::days(DAYS - 1),
        to,
        vocabulary: vocabulary(),
    };
    match feltsense_web::render_shared(&data) {
        Ok(html) => Html(html).into_response(),
        Err(e) => page::internal(e),
    }
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
