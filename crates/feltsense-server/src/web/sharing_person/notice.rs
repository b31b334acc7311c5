//! The notice of an emergency access: when an administrator opened the
//! person's data, their next page of the app is this notice (once), with
//! a button that marks it seen and goes on where they were going.

use super::{day, internal, person, person_posted, Server, Visitor};
use crate::accounts::Session;
use crate::sharing::emergency::{self, Emergency};
use crate::web::guard::field;
use crate::web::page::{render, see};
use askama::Template;
use axum::extract::{Query, Request, State};
use axum::http::{header, Method};
use axum::response::Response;
use axum::Form;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "sharing_notice.html")]
struct Notice {
    title: &'static str,
    csrf: String,
    next: String,
    opened: Vec<(Uuid, String, String)>,
}

/// Where a browser navigates to (a GET asking for a page), if it does.
pub fn navigation(request: &Request) -> Option<String> {
    let page = request.method() == Method::GET
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
    page.then(|| {
        let uri = request.uri();
        uri.path_and_query().map_or("/", |p| p.as_str()).to_string()
    })
}

/// For a page of the person's app the browser navigates to (`next`): the
/// notice first, while an emergency access is unseen.
pub async fn before_app(
    server: &Server,
    session: &Session,
    next: Option<String>,
) -> Option<Response> {
    let next = next?;
    let me = &session.account;
    match emergency::unseen(server.accounts.pool(), me.tenant, me.id).await {
        Ok(unseen) if unseen.is_empty() => None,
        Ok(_) => Some(see(&format!("/sharing/notice?next={}", encode(&next)))),
        Err(e) => Some(internal(e)),
    }
}

/// `text` fit for a query value: unreserved characters and `/` as they
/// are, everything else percent-encoded.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Where to go on: a path of this site, else the check-in page.
fn onward(next: &str) -> &str {
    // Visible ASCII only: anything else cannot stand in a `Location`.
    let plain = next.bytes().all(|b| b.is_ascii_graphic());
    let local = plain && next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if local && !next.starts_with("/sharing/notice") {
        next
    } else {
        "/checkin"
    }
}

pub async fn page(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let session = match person(&visitor) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let next = onward(query.get("next").map_or("", String::as_str)).to_string();
    let me = &session.account;
    let unseen = match emergency::unseen(server.accounts.pool(), me.tenant, me.id).await {
        Ok(unseen) if unseen.is_empty() => return see(&next),
        Ok(unseen) => unseen,
        Err(e) => return internal(e),
    };
    render(&Notice {
        title: "Your data was opened in an emergency",
        csrf: session.csrf.clone(),
        next,
        opened: unseen.iter().map(opened).collect(),
    })
}

fn opened(e: &Emergency) -> (Uuid, String, String) {
    (e.id, day(e.opened_at), e.reason.clone())
}

/// Marks the accesses shown as seen, then goes on.
pub async fn seen(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let session = match person_posted(&visitor, &form) {
        Ok(session) => session,
        Err(refused) => return refused,
    };
    let me = &session.account;
    let ids = form
        .iter()
        .filter(|(k, _)| k == "emergency")
        .filter_map(|(_, v)| v.parse::<Uuid>().ok());
    for id in ids {
        let marked = emergency::mark_seen(server.accounts.pool(), me.tenant, me.id, id).await;
        match marked {
            Ok(()) | Err(crate::sharing::SharingError::Invalid { .. }) => {}
            Err(e) => return internal(e),
        }
    }
    see(onward(field(&form, "next")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn going_on_stays_on_this_site() {
        assert_eq!(super::onward("/journal?x=1"), "/journal?x=1");
        for away in [
            "https://evil.example",
            "//evil.example",
            "/\\evil",
            "",
            "/sharing/notice",
            "/a\r\nSet-Cookie: x",
            "/caf\u{e9}",
        ] {
            assert_eq!(super::onward(away), "/checkin", "{away}");
        }
        assert_eq!(super::encode("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
    }
}
