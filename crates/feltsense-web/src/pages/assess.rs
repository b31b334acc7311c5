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
use axum::response::{Html, IntoResponse, Response};
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
    items: Vec<(usize, &'static str)>,
    scale: Vec<(usize, &'static str)>,
    csrf: String,
    error: Option<String>,
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
    let all = web.store().assessments()?;
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

fn form_page(web: &Web, d: &'static Definition, error: Option<String>) -> FormPage {
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
            .map(|(i, t)| (i + 1, t))
            .collect(),
        scale: d.scale.iter().copied().enumerate().collect(),
        csrf: web.csrf.clone(),
        error,
    }
}

pub async fn form(
    State(web): State<Arc<Web>>,
    Path(key): Path<String>,
) -> Result<Html<String>, PageError> {
    render(&form_page(&web, instrument(&key)?, None))
}

pub async fn submit(
    State(web): State<Arc<Web>>,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let d = instrument(&key)?;
    let mut answers = Vec::with_capacity(d.items.len());
    for i in 1..=d.items.len() {
        let given = form
            .iter()
            .find(|(k, _)| *k == format!("q{i}"))
            .and_then(|(_, v)| v.parse::<u8>().ok());
        match given {
            Some(a) => answers.push(a),
            None => {
                let html = render(&form_page(&web, d, Some(format!("Question {i} has no answer yet; every question needs one. Nothing was saved."))))?;
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
            }
        }
    }
    if let Err(e) = d.check(&answers) {
        let html = render(&form_page(
            &web,
            d,
            Some(format!("{e}. Nothing was saved.")),
        ))?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    let at = super::now();
    let response = Answers {
        id: uuid::Uuid::now_v7().to_string(),
        instrument: d.instrument,
        at,
        answers,
    };
    web.store().add_assessment(&response)?;
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
            panel(&web)?
        } else {
            Panel::new(None, None)
        },
        score: format!("{} of {} ({})", s.reported, s.max, s.band),
        details,
        screening: SCREENING,
    };
    Ok(render(&page)?.into_response())
}
