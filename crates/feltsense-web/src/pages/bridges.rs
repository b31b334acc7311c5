//! Bridges on the web: start one with three questions, end it with the
//! same three, and see what seems to help, with honest uncertainty; and
//! the guided practices, step by step (a link per step, so it works
//! without JavaScript; app.js only adds the timer).

use super::{now, render};
use crate::auth::check_csrf;
use crate::error::PageError;
use crate::Web;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use feltsense_core::bridges::{effects, Bridge, BridgeKind, Effect, Micro};
use feltsense_core::practices::{practice, stop_note, Pace, KEYS};
use std::collections::HashMap;
use std::sync::Arc;

pub struct Session {
    pub id: String,
    pub when: String,
    /// The start as the correction form shows it.
    pub at_value: String,
    pub kind: String,
    pub label: String,
    pub change: String,
}

pub struct EffectRow {
    pub name: String,
    pub n: usize,
    pub intensity: String,
    pub clarity: String,
    pub words: String,
}

/// What was typed into the bridge form, shown again when it is refused.
/// Nothing is prefilled: a blank form has every field empty.
#[derive(Default)]
pub struct Typed {
    pub kind: String,
    pub label: String,
    pub word: String,
    pub intensity: String,
    pub clarity: String,
    pub body: String,
}

impl Typed {
    fn from_form(form: &[(String, String)]) -> Typed {
        let get = |k: &str| {
            form.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        };
        Typed {
            kind: get("kind"),
            label: get("label"),
            word: get("word"),
            intensity: get("intensity"),
            clarity: get("clarity"),
            body: get("body"),
        }
    }
}

#[derive(Template)]
#[template(path = "bridges.html")]
struct BridgesPage {
    title: &'static str,
    current: &'static str,
    csrf: String,
    open: Option<(String, String)>,
    kinds: Vec<&'static str>,
    words: Vec<String>,
    effects: Vec<EffectRow>,
    sessions: Vec<Session>,
    error: Option<String>,
    thanks: Option<&'static str>,
    typed: Typed,
}

fn row(e: &Effect) -> EffectRow {
    let change = |c: Option<feltsense_core::bridges::Change>| {
        c.map_or("—".to_string(), |c| {
            format!("{:+.1} ({:+.1} to {:+.1})", c.mean, c.low, c.high)
        })
    };
    EffectRow {
        name: e.name.clone(),
        n: e.n,
        intensity: change(e.intensity),
        clarity: change(e.clarity),
        words: e.words.clone(),
    }
}

fn describe(m: &Micro) -> String {
    match (&m.feeling, m.intensity) {
        (Some(w), Some(i)) => format!("{w} {i}, clarity {}", m.clarity),
        _ => format!("nothing, clarity {}", m.clarity),
    }
}

async fn bridges_page(
    web: &Web,
    error: Option<String>,
    thanks: Option<&'static str>,
    typed: Typed,
) -> Result<BridgesPage, PageError> {
    let all = web.store(|s| s.bridges()).await?;
    let mut words: Vec<String> = web
        .vocabulary
        .words()
        .iter()
        .map(|w| w.word.clone())
        .collect();
    words.sort();
    Ok(BridgesPage {
        title: "Bridges",
        current: "bridges",
        csrf: web.csrf.clone(),
        open: all
            .iter()
            .find(|b| b.after.is_none())
            .map(|b| (b.kind.to_string(), b.label.clone())),
        kinds: BridgeKind::ALL.iter().map(|k| k.as_str()).collect(),
        words,
        effects: effects(&all, 20_261_125).iter().map(row).collect(),
        sessions: all
            .iter()
            .take(20)
            .map(|b| Session {
                id: b.id.clone(),
                at_value: super::retime::local_value(&b.started),
                when: b.started.format("%a %-d %b, %H:%M").to_string(),
                kind: b.kind.to_string(),
                label: b.label.clone(),
                change: match &b.after {
                    Some(a) => format!("{} → {}", describe(&b.before), describe(a)),
                    None => format!("{} → (still going)", describe(&b.before)),
                },
            })
            .collect(),
        error,
        thanks,
        typed,
    })
}

pub async fn page(
    State(web): State<Arc<Web>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let thanks = match q.get("thanks").map(String::as_str) {
        Some("started") => Some("Started. Take your time; come back here to end it."),
        Some("ended") => Some("Noted. Whatever you noticed, or didn't, is information."),
        _ => None,
    };
    render(&bridges_page(&web, None, thanks, Typed::default()).await?)
}

/// The three questions from a form: `word` ("" for nothing), `intensity`,
/// `clarity`, `body` (yes/no).
pub fn micro(form: &[(String, String)], prefix: &str, web: &Web) -> Result<Micro, String> {
    let get = |k: &str| {
        form.iter()
            .find(|(key, _)| key == &format!("{prefix}{k}"))
            .map(|(_, v)| v.trim())
            .unwrap_or_default()
    };
    let word = get("word");
    let intensity = match (word.is_empty(), get("intensity")) {
        (true, _) => None,
        (false, "") => return Err(format!("How strong is {word}? Please give 1 to 10.")),
        (false, i) => Some(i.parse::<u8>().map_err(|_| {
            format!("The intensity of {word} must be a whole number from 1 to 10.")
        })?),
    };
    let clarity: u8 = match get("clarity") {
        "" => return Err("How clearly can you feel it? Please give 0 to 10.".to_string()),
        c => c
            .parse()
            .map_err(|_| "Clarity must be a whole number from 0 to 10.".to_string())?,
    };
    let m = Micro {
        feeling: (!word.is_empty()).then(|| word.to_string()),
        intensity,
        clarity,
        body_noticed: get("body") == "yes",
    };
    m.validate(&web.vocabulary).map_err(|e| {
        let mut s = e.to_string();
        s[..1].make_ascii_uppercase();
        format!("{s}.")
    })
}

/// The bridges page again with the problem and what was typed (422).
async fn refused(
    web: &Web,
    message: String,
    form: &[(String, String)],
) -> Result<Response, PageError> {
    let message = format!("{message} Nothing was saved yet.");
    let typed = Typed::from_form(form);
    let html = render(&bridges_page(web, Some(message), None, typed).await?)?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// Stores `bridge` (new, or ended) and moves on to `then`; if the store
/// cannot take it, the page says so (503) and nothing is half-saved.
async fn keep(web: &Web, bridge: Bridge, new: bool, then: &str) -> Result<Response, PageError> {
    let stored = web
        .store(move |s| {
            if new {
                s.add_bridge(&bridge)
            } else {
                s.replace_bridge(&bridge)
            }
        })
        .await;
    match stored {
        Ok(()) => Ok(Redirect::to(then).into_response()),
        Err(e) => {
            let message = Some(PageError::not_saved(&e));
            let html = render(&bridges_page(web, message, None, Typed::default()).await?)?;
            Ok((StatusCode::SERVICE_UNAVAILABLE, html).into_response())
        }
    }
}

pub async fn start(
    State(web): State<Arc<Web>>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let get = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let Ok(kind) = get("kind").parse::<BridgeKind>() else {
        return refused(&web, "Please choose a kind of bridge.".into(), &form).await;
    };
    let label = get("label");
    if label.is_empty() || label.chars().count() > 200 {
        return refused(
            &web,
            "Please give the bridge a short name, such as \"walk by the river\".".into(),
            &form,
        )
        .await;
    }
    let before = match micro(&form, "", &web) {
        Ok(m) => m,
        Err(message) => return refused(&web, message, &form).await,
    };
    let bridge = Bridge {
        id: uuid::Uuid::now_v7().to_string(),
        kind,
        label,
        started: now(),
        before,
        ended: None,
        after: None,
    };
    keep(&web, bridge, true, "/bridges?thanks=started").await
}

pub async fn end(
    State(web): State<Arc<Web>>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let open = web
        .store(|s| s.bridges())
        .await?
        .into_iter()
        .find(|b| b.after.is_none())
        .ok_or_else(|| PageError::not_found("A bridge to end"))?;
    let after = match micro(&form, "", &web) {
        Ok(m) => m,
        Err(message) => return refused(&web, message, &form).await,
    };
    let ended = Bridge {
        ended: Some(now()),
        after: Some(after),
        ..open
    };
    keep(&web, ended, false, "/bridges?thanks=ended").await
}

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    title: &'static str,
    current: &'static str,
    heading: String,
    safe: &'static str,
    intro: Option<String>,
    step: Option<(usize, usize, String, u32)>,
    /// Paced breathing: one page with the circle instead of timed steps.
    pacer: Option<Pacer>,
    next: Option<String>,
    /// Where "stop here" goes: the closing words and the optional check-in.
    stop: String,
    closing: Option<String>,
    practices: Vec<(&'static str, &'static str)>,
    /// For "name it": the vocabulary at hand, by family.
    families: Vec<(&'static str, String)>,
    key: String,
    csrf: String,
    words: Vec<String>,
    /// The pace the form offers (the one chosen last time, if any).
    pace_in: u32,
    pace_out: u32,
    pace_minutes: u32,
}

pub struct Pacer {
    pub pace: Pace,
    /// The query that carries the pace from page to page.
    pub query: String,
}

/// The pace in the query (the form on the breathing page sets it; 4 in,
/// 6 out, 3 minutes until then), each number checked.
fn pace_of(q: &HashMap<String, String>) -> Result<Pace, PageError> {
    let number = |name: &str, default: u32, max: u32| -> Result<u32, PageError> {
        match q.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| {
                    PageError::new(
                        StatusCode::BAD_REQUEST,
                        format!("{name}: '{v}' must be a whole number from 1 to {max}."),
                    )
                }),
        }
    };
    Ok(Pace {
        breath_in: number("in", 4, 15)?,
        breath_out: number("out", 6, 15)?,
        minutes: number("minutes", 3, 30)?,
    })
}

fn step_of(q: &HashMap<String, String>, total: usize) -> Result<usize, PageError> {
    match q.get("step") {
        None => Ok(0),
        Some(s) => s.parse().ok().filter(|s| *s <= total + 1).ok_or_else(|| {
            PageError::new(
                StatusCode::BAD_REQUEST,
                format!("'{s}' is not a step of this practice."),
            )
        }),
    }
}

pub async fn practice_page(
    State(web): State<Arc<Web>>,
    Path(key): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let pace = pace_of(&q)?;
    let p = practice(&key, pace.breath_in, pace.breath_out, pace.minutes)
        .ok_or_else(|| PageError::not_found("That practice"))?;
    let breathing = key == "breathing";
    let query = if breathing {
        format!(
            "&in={}&out={}&minutes={}",
            pace.breath_in, pace.breath_out, pace.minutes
        )
    } else {
        String::new()
    };
    // Breathing is one page (the circle keeps the time); the others go step by step.
    let total = if breathing { 1 } else { p.steps.len() };
    let step = step_of(&q, total)?;
    render(&PracticePage {
        title: p.title,
        current: "bridges",
        heading: p.title.to_string(),
        safe: stop_note(&key),
        intro: (step == 0).then(|| p.intro.to_string()),
        step: (!breathing && (1..=total).contains(&step)).then(|| {
            let s = &p.steps[step - 1];
            (step, total, s.text.clone(), s.seconds)
        }),
        pacer: (breathing && step == 1).then(|| Pacer {
            pace,
            query: query.clone(),
        }),
        next: (step <= total).then(|| format!("/practice/{key}?step={}{query}", step + 1)),
        stop: format!("/practice/{key}?step={}{query}", total + 1),
        closing: (step > total).then(|| p.closing.to_string()),
        practices: KEYS
            .iter()
            .filter_map(|k| practice(k, 4, 6, 3).map(|p| (*k, p.title)))
            .collect(),
        families: if key == "name-it" && (1..=total).contains(&step) {
            families(&web)
        } else {
            Vec::new()
        },
        key,
        csrf: web.csrf.clone(),
        words: sorted_words(&web),
        pace_in: pace.breath_in,
        pace_out: pace.breath_out,
        pace_minutes: pace.minutes,
    })
}

fn families(web: &Web) -> Vec<(&'static str, String)> {
    feltsense_core::Family::ALL
        .iter()
        .map(|f| {
            let words: Vec<&str> = web
                .vocabulary
                .in_family(*f)
                .map(|w| w.word.as_str())
                .collect();
            (f.describe(), words.join(", "))
        })
        .collect()
}

fn sorted_words(web: &Web) -> Vec<String> {
    let mut words: Vec<String> = web
        .vocabulary
        .words()
        .iter()
        .map(|w| w.word.clone())
        .collect();
    words.sort();
    words
}

/// The breathing circle's timing for one pace, as a stylesheet (the strict
/// CSP allows no inline style): the same keyframes as app.css, turned at
/// the pace's in-breath and run for its number of breaths.
pub async fn pace_css(Query(q): Query<HashMap<String, String>>) -> Result<Response, PageError> {
    let pace = pace_of(&q)?;
    let (turn, seconds, breaths) = (pace.turn_percent(), pace.cycle_seconds(), pace.breaths());
    let before = turn - 0.1;
    let css = format!(
        ".pacer-circle, .pacer-in, .pacer-out {{ animation-duration: {seconds}s; animation-iteration-count: {breaths}; }}\n\
         @keyframes breathe {{ 0% {{ transform: scale(.45); }} {turn:.2}% {{ transform: scale(1); }} 100% {{ transform: scale(.45); }} }}\n\
         @keyframes breathe-soft {{ 0% {{ opacity: .35; }} {turn:.2}% {{ opacity: 1; }} 100% {{ opacity: .35; }} }}\n\
         @keyframes say-in {{ 0%, {before:.2}% {{ opacity: 1; }} {turn:.2}%, 100% {{ opacity: 0; }} }}\n\
         @keyframes say-out {{ 0%, {before:.2}% {{ opacity: 0; }} {turn:.2}%, 100% {{ opacity: 1; }} }}\n"
    );
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "max-age=3600"),
        ],
        css,
    )
        .into_response())
}

/// The end of a practice: the optional check-in (before, as remembered,
/// and now) recorded as a bridge of kind "practice".
pub async fn practice_done(
    State(web): State<Arc<Web>>,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let p = practice(&key, 4, 6, 3).ok_or_else(|| PageError::not_found("That practice"))?;
    let (before, after) = match (micro(&form, "before_", &web), micro(&form, "after_", &web)) {
        (Ok(b), Ok(a)) => (b, a),
        (Err(e), _) | (_, Err(e)) => {
            return Err(PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{e} Nothing was saved."),
            ))
        }
    };
    let at = now();
    let bridge = Bridge {
        id: uuid::Uuid::now_v7().to_string(),
        kind: BridgeKind::Practice,
        label: p.title.to_string(),
        started: at,
        before,
        ended: Some(at),
        after: Some(after),
    };
    keep(&web, bridge, true, "/bridges?thanks=ended").await
}
