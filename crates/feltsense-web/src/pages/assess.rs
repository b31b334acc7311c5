//! Assessments on the web: the four questionnaires as forms (radio groups,
//! so they work without JavaScript), a result page that shows the safety
//! panel first when PHQ-9 item 9 is above "not at all", and the history.

use super::render;
use super::safety::{panel, Panel};
use crate::auth::check_csrf;
use crate::error::PageError;
use crate::Web;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use feltsense_core::assessments::{definition, Definition, Response as Answers, ALL, SCREENING};
use std::sync::Arc;

pub struct Row {
    pub id: String,
    pub when: String,
    /// The time as the correction form shows it.
    pub at_value: String,
    pub title: &'static str,
    pub score: String,
    pub band: &'static str,
}

#[derive(Template)]
#[template(path = "assess.html")]
struct AssessPage {
    title: &'static str,
    current: &'static str,
    instruments: Vec<(&'static str, &'static str, usize)>,
    csrf: String,
    rows: Vec<Row>,
    trends: Vec<String>,
    screening: &'static str,
}

#[derive(Template)]
#[template(path = "assess_form.html")]
struct FormPage {
    title: &'static str,
    current: &'static str,
    key: &'static str,
    heading: &'static str,
    stem: &'static str,
    /// Number, text and the chosen answer (`usize::MAX` for none).
    items: Vec<(usize, &'static str, usize)>,
    scale: Vec<(usize, &'static str)>,
    csrf: String,
    error: Option<String>,
    /// The first question without an answer after a refusal (0 for none):
    /// the page takes the person there.
    missing: usize,
}

#[derive(Template)]
#[template(path = "assess_result.html")]
struct ResultPage {
    title: &'static str,
    current: &'static str,
    heading: &'static str,
    crisis: bool,
    panel: Panel,
    score: String,
    details: Vec<String>,
    screening: &'static str,
}

fn instrument(key: &str) -> Result<&'static Definition, PageError> {
    definition(key).ok_or_else(|| PageError::not_found("That questionnaire"))
}

pub async fn page(State(web): State<Arc<Web>>) -> Result<Html<String>, PageError> {
    let all = web.store(|s| s.assessments()).await?;
    let rows = all
        .iter()
        .map(|r| {
            let d = ALL
                .iter()
                .find(|d| d.instrument == r.instrument)
                .expect("known instrument");
            let s = d.score(&r.answers);
            Row {
                id: r.id.clone(),
                at_value: super::retime::local_value(&r.at),
                when: r.at.format("%-d %b %Y").to_string(),
                title: d.title,
                score: format!("{} of {}", s.reported, s.max),
                band: s.band,
            }
        })
        .collect();
    let trends = ALL
        .iter()
        .filter_map(|d| {
            let mine: Vec<&Answers> = all
                .iter()
                .rev()
                .filter(|r| r.instrument == d.instrument)
                .collect();
            if mine.len() < 2 {
                return None;
            }
            let labels: Vec<String> = mine
                .iter()
                .map(|r| r.at.format("%-d %b").to_string())
                .collect();
            let max = f64::from(d.score(&mine[0].answers).max);
            let values = mine
                .iter()
                .map(|r| Some(f64::from(d.score(&r.answers).reported)))
                .collect();
            Some(crate::charts::lines(&crate::charts::LineChart {
                id: d.key,
                title: d.title,
                desc: format!(
                    "{} scores over time, 0 to {max}. Screening, not diagnosis.",
                    d.title
                ),
                x_labels: &labels,
                series: vec![crate::charts::Series {
                    name: d.title,
                    class: "s1",
                    values,
                }],
                range: (0.0, max),
                fit: None,
            }))
        })
        .collect();
    render(&AssessPage {
        trends,
        title: "Assessments",
        current: "assess",
        instruments: ALL
            .iter()
            .map(|d| (d.key, d.title, d.items.len()))
            .collect(),
        csrf: web.csrf.clone(),
        rows,
        screening: SCREENING,
    })
}

/// The form; `chosen` holds the answers given so far (an empty slice for
/// a blank form), so nothing typed is lost when it comes back.
fn form_page(
    web: &Web,
    d: &'static Definition,
    chosen: &[Option<usize>],
    error: Option<String>,
) -> FormPage {
    FormPage {
        title: d.title,
        current: "assess",
        key: d.key,
        heading: d.title,
        stem: d.stem,
        items: d
            .items
            .iter()
            .copied()
            .enumerate()
            .map(|(i, t)| {
                (
                    i + 1,
                    t,
                    chosen.get(i).copied().flatten().unwrap_or(usize::MAX),
                )
            })
            .collect(),
        scale: d.scale.iter().copied().enumerate().collect(),
        csrf: web.csrf.clone(),
        missing: match error {
            Some(_) => first_missing(chosen).map_or(0, |i| i + 1),
            None => 0,
        },
        error,
    }
}

pub async fn form(
    State(web): State<Arc<Web>>,
    Path(key): Path<String>,
) -> Result<Html<String>, PageError> {
    render(&form_page(&web, instrument(&key)?, &[], None))
}

/// The form again with what was chosen, and a message.
fn again(
    web: &Web,
    d: &'static Definition,
    chosen: &[Option<usize>],
    status: StatusCode,
    message: String,
) -> Result<Response, PageError> {
    let html = render(&form_page(web, d, chosen, Some(message)))?;
    Ok((status, html).into_response())
}

/// The index of the first question without an answer, if any.
fn first_missing(chosen: &[Option<usize>]) -> Option<usize> {
    chosen.iter().position(Option::is_none)
}

/// The answer to each question, in order (`None` where none was given).
fn chosen(form: &[(String, String)], d: &Definition) -> Vec<Option<usize>> {
    let mut chosen = vec![None; d.items.len()];
    for (key, value) in form {
        let question = key.strip_prefix('q').and_then(|n| n.parse::<usize>().ok());
        if let (Some(q @ 1..), Ok(answer)) = (question, value.parse::<usize>()) {
            if let Some(slot) = chosen.get_mut(q - 1) {
                *slot = Some(answer);
            }
        }
    }
    chosen
}

pub async fn submit(
    State(web): State<Arc<Web>>,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let d = instrument(&key)?;
    let chosen = chosen(&form, d);
    if let Some(i) = first_missing(&chosen) {
        let answered = chosen.iter().flatten().count();
        let message = format!(
            "{answered} of {} answered. Question {} has no answer yet; every question needs \
             one, and the answers you gave are kept. Nothing was saved yet.",
            chosen.len(),
            i + 1
        );
        return again(&web, d, &chosen, StatusCode::UNPROCESSABLE_ENTITY, message);
    }
    let answers: Vec<u8> = chosen
        .iter()
        .map(|a| a.and_then(|a| u8::try_from(a).ok()).unwrap_or(u8::MAX))
        .collect();
    if let Err(e) = d.check(&answers) {
        let message = format!("{e}. Nothing was saved.");
        return again(&web, d, &chosen, StatusCode::UNPROCESSABLE_ENTITY, message);
    }
    let response = Answers {
        id: uuid::Uuid::now_v7().to_string(),
        instrument: d.instrument,
        at: super::now(),
        answers,
    };
    let id = response.id.clone();
    if let Err(e) = web.store(move |s| s.add_assessment(&response)).await {
        let message = PageError::not_saved(&e);
        return again(&web, d, &chosen, StatusCode::SERVICE_UNAVAILABLE, message);
    }
    // Post/redirect/get: a reload shows the result, it does not save again.
    Ok(Redirect::to(&format!("/assess/{}/{id}", d.key)).into_response())
}

/// One saved result, with the safety panel first when it calls for it.
pub async fn result(
    State(web): State<Arc<Web>>,
    Path((key, id)): Path<(String, String)>,
) -> Result<Html<String>, PageError> {
    let d = instrument(&key)?;
    let response = web
        .store(|s| s.assessments())
        .await?
        .into_iter()
        .find(|r| r.id == id && r.instrument == d.instrument)
        .ok_or_else(|| PageError::not_found("That result"))?;
    let s = d.score(&response.answers);
    let mut details = Vec::new();
    if let (Some([b, c, dd, e]), Some(numbing), Some(provisional)) =
        (s.clusters, s.numbing, s.provisional)
    {
        details.push(format!(
            "Clusters: intrusions {b}, avoidance {c}, mood and thinking {dd}, arousal {e}."
        ));
        details.push(format!("Numbing-related items 12–14: {numbing} of 12."));
        details.push(format!(
            "The provisional DSM-5 symptom pattern is {}met.",
            if provisional { "" } else { "not " }
        ));
    }
    let crisis = d.needs_safety_panel(&response.answers);
    let page = ResultPage {
        title: d.title,
        current: "assess",
        heading: d.title,
        crisis,
        panel: if crisis {
            panel(&web).await?
        } else {
            Panel::new(None, None)
        },
        score: format!("{} of {} ({})", s.reported, s.max, s.band),
        details,
        screening: SCREENING,
    };
    render(&page)
}
