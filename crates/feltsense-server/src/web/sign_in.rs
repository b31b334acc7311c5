//! `/login` (password, then the second factor for those who have one; a
//! recovery code works in its place once), `/logout`, and `/`.

use super::guard::{self, field, Visitor};
use super::page::{self, render, see, with_cookie, Problem};
use super::Server;
use crate::accounts::SignIn;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use std::sync::Arc;

type Fields = Form<Vec<(String, String)>>;

#[derive(Template)]
#[template(path = "login.html")]
struct Login {
    title: &'static str,
    csrf: String,
    email: String,
    problem: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "code.html")]
struct Code {
    title: &'static str,
    csrf: String,
    problem: Option<&'static str>,
}

/// `/`: a person's app, the staff page, or the sign-in page.
pub async fn home(visitor: Visitor) -> Response {
    match &visitor.session {
        Some(s) if s.role().is_staff() => see("/staff"),
        Some(_) => see("/checkin"),
        None => see("/login"),
    }
}

pub async fn page(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    visitor: Visitor,
) -> Response {
    if visitor.session.is_some() {
        return see("/");
    }
    let (csrf, cookie) = form_token(&server, &headers);
    let login = Login {
        title: "Sign in",
        csrf,
        email: String::new(),
        problem: None,
    };
    with_cookie(render(&login), &cookie)
}

pub async fn submit(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    visitor: Visitor,
    Form(form): Fields,
) -> Response {
    if let Err(refused) = check_form_token(&server, &headers, &form) {
        return refused;
    }
    let (email, password) = (field(&form, "email"), field(&form, "password"));
    let outcome = server
        .accounts
        .sign_in(email, password, &visitor.address, &visitor.agent)
        .await;
    let again = |status, problem| {
        let (csrf, _) = form_token(&server, &headers);
        let login = Login {
            title: "Sign in",
            csrf,
            email: email.to_string(),
            problem: Some(problem),
        };
        (status, render(&login)).into_response()
    };
    match outcome {
        Ok(SignIn::Done(token)) => signed_in(&server, &token),
        Ok(SignIn::NeedsSecondFactor(token)) => {
            with_cookie(see("/login/code"), &server.site.set_cookie("pending", &token))
        }
        Ok(SignIn::Wrong) => again(StatusCode::UNAUTHORIZED, "That email and password do not match an account here. Please check them and try again."),
        Ok(SignIn::Limited) => again(StatusCode::TOO_MANY_REQUESTS, LIMITED),
        Err(e) => page::internal(e),
    }
}

const LIMITED: &str = "There have been several attempts to sign in to this account lately, so it is resting for 15 minutes. Please try again then, or ask the clinic's administrator for a reset link.";

pub async fn code_page(State(server): State<Arc<Server>>, headers: HeaderMap) -> Response {
    if guard::cookie(&headers, &server.site.cookie("pending")).is_none() {
        return see("/login");
    }
    let (csrf, cookie) = form_token(&server, &headers);
    with_cookie(
        render(&Code {
            title: "Your code",
            csrf,
            problem: None,
        }),
        &cookie,
    )
}

pub async fn code(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    visitor: Visitor,
    Form(form): Fields,
) -> Response {
    if let Err(refused) = check_form_token(&server, &headers, &form) {
        return refused;
    }
    let Some(pending) = guard::cookie(&headers, &server.site.cookie("pending")) else {
        return see("/login");
    };
    let code = field(&form, "code");
    let again = |status, problem| {
        let (csrf, _) = form_token(&server, &headers);
        (
            status,
            render(&Code {
                title: "Your code",
                csrf,
                problem: Some(problem),
            }),
        )
            .into_response()
    };
    match server.accounts.second_factor(&pending, code, &visitor.address, &visitor.agent).await {
        Ok(SignIn::Done(token)) => {
            with_cookie(signed_in(&server, &token), &server.site.set_cookie("pending", ""))
        }
        Ok(SignIn::Limited) => again(StatusCode::TOO_MANY_REQUESTS, LIMITED),
        Ok(_) => again(StatusCode::UNAUTHORIZED, "That code did not match. Codes change every 30 seconds; please type the one showing now, or one of your recovery codes. (If this page sat open for over five minutes, please sign in again.)"),
        Err(e) => page::internal(e),
    }
}

/// The session cookie for a new session, and onwards to `/`.
fn signed_in(server: &Server, token: &str) -> Response {
    with_cookie(see("/"), &server.site.set_cookie("session", token))
}

/// `POST /logout`: ends this session and removes the cookie.
pub async fn logout(
    State(server): State<Arc<Server>>,
    visitor: Visitor,
    Form(form): Fields,
) -> Response {
    let (Some(session), Some(token)) = (&visitor.session, &visitor.token) else {
        return see("/login");
    };
    if let Err(refused) = guard::check_csrf(session, &form) {
        return refused;
    }
    if let Err(e) = server.accounts.end_session(token).await {
        return page::internal(e);
    }
    server.forget_app(session.id);
    with_cookie(see("/login"), &server.site.set_cookie("session", ""))
}

/// The token for a form posted before any session (sign-in, a link's
/// form): the same random value in a cookie and in the form (so another
/// site cannot post one, even for its own account), and the `Set-Cookie`.
pub fn form_token(server: &Server, headers: &HeaderMap) -> (String, String) {
    let name = server.site.cookie("form");
    let token = guard::cookie(headers, &name).unwrap_or_else(crate::accounts::secret::token);
    let cookie = server.site.set_cookie("form", &token);
    (token, cookie)
}

pub fn check_form_token(
    server: &Server,
    headers: &HeaderMap,
    form: &[(String, String)],
) -> Result<(), Response> {
    let kept = guard::cookie(headers, &server.site.cookie("form")).unwrap_or_default();
    let given = field(form, "csrf");
    if !kept.is_empty() && crate::accounts::secret::same(kept.as_bytes(), given.as_bytes()) {
        Ok(())
    } else {
        Err(Problem::new(
            StatusCode::FORBIDDEN,
            "This form's safety token was missing or out of date, so nothing was done. Please go back, reload the page and try again (cookies need to be allowed for this site).",
        )
        .into_response())
    }
}
