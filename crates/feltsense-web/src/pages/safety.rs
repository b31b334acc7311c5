//! The safety panel, "I'm not safe right now" (open to anyone on this
//! computer, without the session: it shows only public crisis lines, and
//! the person's own plan only with the session), and the safety plan page.

use super::render;
use crate::auth::check_csrf;
use crate::error::PageError;
use crate::Web;
use askama::Template;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use feltsense_core::safety::{crisis_lines, phone_numbers, Reach, CALM, COUNTRIES, NOW, PRIVATE};
use feltsense_core::SafetyPlan;
use std::collections::HashMap;
use std::sync::Arc;

/// What the panel shows.
pub struct Panel {
    pub calm: &'static str,
    pub now: [&'static str; 4],
    pub lines: Vec<Line>,
    pub plan: Vec<Step>,
    pub private: &'static str,
}

/// A crisis line: name, how to reach it, when, and its call/text links.
pub struct Line {
    pub name: &'static str,
    pub reach: &'static str,
    pub when: &'static str,
    pub links: Vec<Reach>,
}

/// A step of the person's plan, with call and text links for the phone
/// numbers written in it.
pub struct Step {
    pub title: &'static str,
    pub text: String,
    pub numbers: Vec<(String, String)>,
}

impl Panel {
    pub fn new(country: Option<&str>, plan: Option<&SafetyPlan>) -> Panel {
        Panel {
            calm: CALM,
            now: NOW,
            lines: crisis_lines(country)
                .into_iter()
                .map(|l| Line {
                    links: l.reaches(),
                    name: l.name,
                    reach: l.reach,
                    when: l.when,
                })
                .collect(),
            plan: plan.map(plan_steps).unwrap_or_default(),
            private: PRIVATE,
        }
    }
}

fn plan_steps(plan: &SafetyPlan) -> Vec<Step> {
    plan.steps()
        .iter()
        .filter(|s| !s.2.is_empty())
        .map(|s| Step {
            title: s.1,
            text: s.2.to_string(),
            numbers: phone_numbers(s.2),
        })
        .collect()
}

/// The panel with the person's plan, for pages behind the session.
pub async fn panel(web: &Web) -> Result<Panel, PageError> {
    let plan = web.safety_plan().await?;
    Ok(Panel::new(web.country().as_deref(), Some(&plan)))
}

/// The countries to choose from, and which is chosen.
pub fn country_options(chosen: Option<&str>) -> Vec<(&'static str, &'static str, bool)> {
    COUNTRIES
        .iter()
        .map(|(code, name)| (*code, *name, chosen.unwrap_or("") == *code))
        .collect()
}

#[derive(Template)]
#[template(path = "help_now.html")]
struct HelpNowPage {
    title: &'static str,
    current: &'static str,
    panel: Panel,
    signed_in: bool,
    csrf: String,
    countries: Vec<(&'static str, &'static str, bool)>,
    /// A country shown for this visit only (chosen while locked).
    shown: bool,
}

/// `/help-now`, open without the session. `?country=` shows that
/// country's lines for this visit; the choice is kept (in the config file,
/// so help-now has it before unlocking) only from a signed-in form.
pub async fn help_now(
    State(web): State<Arc<Web>>,
    Query(q): Query<HashMap<String, String>>,
    request: Request,
) -> Result<Html<String>, PageError> {
    let signed_in = web.signed_in(&request) && web.unlocked();
    // Never waits for the store: the plan as last read or written, if any.
    let plan = signed_in.then(|| web.kept_safety_plan()).flatten();
    let asked = q
        .get("country")
        .filter(|c| COUNTRIES.iter().any(|(k, _)| k == c));
    let country = asked.cloned().or_else(|| web.country());
    render(&HelpNowPage {
        title: "Help now",
        current: "help",
        panel: Panel::new(country.as_deref(), plan.as_ref()),
        signed_in,
        csrf: web.csrf.clone(),
        countries: country_options(country.as_deref()),
        shown: asked.is_some(),
    })
}

#[derive(Template)]
#[template(path = "safety_plan.html")]
struct PlanPage {
    title: &'static str,
    current: &'static str,
    steps: Vec<(&'static str, &'static str, String)>,
    csrf: String,
    saved: bool,
    error: Option<String>,
}

fn plan_page(
    web: &Web,
    plan: &SafetyPlan,
    saved: bool,
    error: Option<String>,
) -> Result<Html<String>, PageError> {
    let steps = plan
        .steps()
        .iter()
        .map(|(k, t, v)| (*k, *t, v.to_string()))
        .collect();
    render(&PlanPage {
        title: "Safety plan",
        current: "safety",
        steps,
        csrf: web.csrf.clone(),
        saved,
        error,
    })
}

pub async fn plan(
    State(web): State<Arc<Web>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let plan = web.safety_plan().await?;
    plan_page(&web, &plan, q.contains_key("saved"), None)
}

pub async fn save_plan(
    State(web): State<Arc<Web>>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let mut plan = SafetyPlan::default();
    for (key, value) in form.iter().filter(|(k, _)| k != "csrf") {
        if !plan.set(key, value) {
            return Err(PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("'{key}' is not a step of the safety plan. Nothing was saved."),
            ));
        }
    }
    match web.save_safety_plan(plan.clone()).await {
        Ok(()) => Ok(Redirect::to("/safety-plan?saved=1").into_response()),
        Err(e) => {
            let html = plan_page(&web, &plan, false, Some(PageError::not_saved(&e)))?;
            Ok((StatusCode::SERVICE_UNAVAILABLE, html).into_response())
        }
    }
}
