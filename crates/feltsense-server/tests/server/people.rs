//! The people of a clinic for the sharing tests (`readers`, `matrix`,
//! `sharing_person`, `sharing_notice`): accounts signed in, with a name,
//! a check-in, a journal entry; grants made in the data layer or through
//! the sharing form.

use crate::support::*;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use feltsense_server::accounts::Role;
use feltsense_server::sharing::{
    self, grants, GrantDraft, GranteeKind, JournalSharing, RequestMeta, Scope,
};
use feltsense_server::ServerKey;
use uuid::Uuid;

pub async fn account_id(email: &str) -> Uuid {
    let row = database()
        .await
        .query_one("SELECT id FROM accounts WHERE email = $1", &[&email])
        .await
        .unwrap();
    row.get(0)
}

/// A person of `tenant`, signed in, with a check-in and a journal entry
/// each holding a marker; returns the browser, id, marker and entry id.
pub async fn person(on: &Instance, tenant: Uuid, name: &str) -> (Browser, Uuid, String, String) {
    let browser = Browser::new();
    let address = email(name);
    invited(on, &browser, tenant, Role::Person, &address).await;
    let marker = format!("marker{}", Uuid::now_v7().simple());
    let entry = write(on, &browser, &format!("I felt calm {marker}")).await;
    check_in(on, &browser, &marker).await;
    (browser, account_id(&address).await, marker, entry)
}

/// A signed-in staff account of `tenant` and its id.
pub async fn staff(on: &Instance, tenant: Uuid, role: Role) -> (Browser, Uuid) {
    let browser = Browser::new();
    let address = email(role.as_str());
    invited(on, &browser, tenant, role, &address).await;
    (browser, account_id(&address).await)
}

/// A grant made in the data layer, from a minute ago, without the journal.
pub async fn granted(
    on: &Instance,
    tenant: Uuid,
    person: Uuid,
    grantee: Uuid,
    kind: GranteeKind,
    scopes: &[Scope],
) -> grants::Grant {
    let draft = GrantDraft {
        grantee,
        grantee_kind: kind,
        scopes: scopes.to_vec(),
        journal: JournalSharing::Off,
        starts_at: Utc::now() - Duration::minutes(1),
        ends_at: None,
        purpose: "our sessions".into(),
    };
    grants::create(&on.server.sharing.pool, tenant, person, &draft)
        .await
        .unwrap()
}

pub fn key() -> ServerKey {
    let dir = std::env::var("FELTSENSE_PG_DIR").unwrap();
    ServerKey::load_or_create(&std::path::Path::new(&dir).join("test-server.key")).unwrap()
}

pub fn request() -> RequestMeta {
    RequestMeta {
        address: "192.0.2.9".into(),
        request_id: Uuid::now_v7().to_string(),
    }
}

/// An account invited and signed in, with a name of its own; its id.
pub async fn account(
    on: &Instance,
    browser: &Browser,
    tenant: Uuid,
    role: Role,
    name: &str,
) -> Uuid {
    let address = email(name);
    invited(on, browser, tenant, role, &address).await;
    let row = database()
        .await
        .query_one(
            "UPDATE accounts SET display_name = $2 WHERE email = $1 RETURNING id",
            &[&address, &name],
        )
        .await
        .unwrap();
    row.get(0)
}

/// A clinician called `doctor` (made unique) and a person, Kim, of
/// `tenant`: the clinician's id, the person's browser and id.
pub async fn clinician_and_person(
    on: &Instance,
    tenant: Uuid,
    doctor: &str,
) -> (Uuid, Browser, Uuid) {
    let clinician = account(
        on,
        &Browser::new(),
        tenant,
        Role::Clinician,
        &unique(doctor),
    )
    .await;
    let person = Browser::new();
    let person_id = account(on, &person, tenant, Role::Person, &unique("Kim")).await;
    (clinician, person, person_id)
}

pub fn unique(name: &str) -> String {
    format!("{name} {}", &Uuid::now_v7().simple().to_string()[20..])
}

/// The code on the account's sharing-code page (as typed: small letters, no dash).
pub async fn code_of(on: &Instance, browser: &Browser) -> String {
    let page = browser.get(on, "/account/sharing-code").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let start = page.body.find("<code id=\"code\">").unwrap() + "<code id=\"code\">".len();
    let shown = &page.body[start..start + 11];
    assert_eq!(shown.as_bytes()[5], b'-', "{shown}");
    shown.replace('-', "").to_lowercase()
}

/// Posts the sharing form with `fields` (and the session's token).
pub async fn share(on: &Instance, browser: &Browser, fields: &[(&str, &str)]) -> Reply {
    let csrf = browser.csrf(on).await;
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    browser.post(on, "/sharing/new", &form).await
}

pub fn made(reply: &Reply) -> Uuid {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply
        .location()
        .strip_prefix("/sharing?made=")
        .unwrap()
        .parse()
        .unwrap()
}

pub async fn check_in(on: &Instance, browser: &Browser, note: &str) {
    let csrf = browser.csrf(on).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("feel", "calm"),
        ("int_calm", "3"),
        ("note", note),
    ];
    let reply = browser.post(on, "/checkin", &form).await;
    assert!(reply.status.is_redirection(), "{}", reply.body);
}

pub async fn write(on: &Instance, browser: &Browser, text: &str) -> String {
    let csrf = browser.csrf(on).await;
    let saved = browser
        .post(on, "/journal", &[("csrf", &csrf), ("text", text)])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let path = saved.location().split('?').next().unwrap();
    path.strip_prefix("/journal/").unwrap().to_string()
}

pub async fn grants_of(on: &Instance, browser: &Browser) -> Vec<sharing::Grant> {
    let row = database()
        .await
        .query_one(
            "SELECT a.tenant, a.id FROM sessions s JOIN accounts a ON a.id = s.account WHERE s.csrf = $1",
            &[&browser.csrf(on).await],
        )
        .await
        .unwrap();
    sharing::grants::for_person(on.server.accounts.pool(), row.get(0), row.get(1))
        .await
        .unwrap()
}
