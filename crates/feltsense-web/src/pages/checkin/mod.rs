//! The check-in page: the pleasantness × energy grid, feeling words with
//! intensity, "I can't feel much right now", clarity, the body map, shown
//! vs felt, context and a note. The same form edits a check-in.

use super::render;
use crate::auth::check_csrf;
use crate::charts::body_map_links;
use crate::error::PageError;
use crate::Web;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use feltsense_core::{
    Activation, BodyRegion, BodySensation, CheckIn, Family, Field, Sensation, ValidationError,
    Vocabulary,
};
mod read;

use read::{check_size, read};
use std::collections::HashMap;
use std::sync::Arc;

/// What the form shows: a blank form, a check-in to edit, or what was
/// just submitted (after a mistake), so nothing typed is lost.
#[derive(Debug, Clone, Default)]
pub struct Values {
    pleasantness: Option<i8>,
    energy: Option<i8>,
    nothing: bool,
    /// Each word chosen, with its intensity when one was given.
    feelings: HashMap<String, Option<u8>>,
    clarity: Option<u8>,
    body: HashMap<BodyRegion, BodySensation>,
    body_overall: Option<i8>,
    showed: String,
    doing: String,
    with: String,
    place: String,
    note: String,
}

impl From<&CheckIn> for Values {
    fn from(c: &CheckIn) -> Values {
        Values {
            pleasantness: c.pleasantness,
            energy: c.energy,
            nothing: c.nothing,
            feelings: c
                .feelings
                .iter()
                .map(|f| (f.word.clone(), f.intensity))
                .collect(),
            clarity: c.clarity,
            body: c.body.iter().map(|b| (b.region, b.clone())).collect(),
            body_overall: c.body_overall,
            showed: c.showed.clone().unwrap_or_default(),
            doing: c.context.doing.clone().unwrap_or_default(),
            with: c.context.with.clone().unwrap_or_default(),
            place: c.context.place.clone().unwrap_or_default(),
            note: c.note.clone().unwrap_or_default(),
        }
    }
}

pub struct Cell {
    pub value: String,
    pub label: String,
    pub checked: bool,
    pub class: String,
}

pub struct Word {
    pub word: String,
    pub signal: String,
    pub pleasantness: i8,
    pub energy: i8,
    pub checked: bool,
    pub intensity: u8,
}

pub struct FamilyGroup {
    pub name: String,
    pub words: Vec<Word>,
    pub open: bool,
}

pub struct Region {
    pub key: &'static str,
    pub label: String,
    pub how: &'static str,
    pub sensation: &'static str,
    pub intensity: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "checkin.html")]
pub struct CheckinPage {
    title: &'static str,
    current: &'static str,
    heading: &'static str,
    action: String,
    submit: &'static str,
    csrf: String,
    error: Option<String>,
    grid: Vec<Vec<Cell>>,
    keep_pleasantness: Option<i8>,
    keep_energy: Option<i8>,
    families: Vec<FamilyGroup>,
    nothing: bool,
    clarity: Vec<Choice>,
    body_map: String,
    regions: Vec<Region>,
    hows: Vec<(&'static str, &'static str)>,
    sensations: Vec<&'static str>,
    overall: Vec<Choice>,
    showed: Vec<Choice>,
    doing: String,
    with: String,
    place: String,
    note: String,
}

fn page(
    web: &Web,
    v: &Values,
    action: String,
    editing: bool,
    error: Option<String>,
) -> CheckinPage {
    let both = v.pleasantness.is_some() && v.energy.is_some();
    CheckinPage {
        title: if editing { "Edit check-in" } else { "Check in" },
        current: "checkin",
        heading: if editing {
            "Edit this check-in"
        } else {
            "What is here right now?"
        },
        action,
        submit: if editing {
            "Save changes"
        } else {
            "Save check-in"
        },
        csrf: web.csrf.clone(),
        error,
        grid: grid(v),
        keep_pleasantness: v.pleasantness.filter(|_| !both),
        keep_energy: v.energy.filter(|_| !both),
        families: families(&web.vocabulary, v),
        nothing: v.nothing,
        clarity: numbers(0..=10, v.clarity.map(|c| c as i8), false),
        body_map: body_map_links(),
        regions: regions(v),
        hows: vec![
            ("", "—"),
            ("more", "more than usual"),
            ("less", "less than usual"),
            ("cant-feel", "can't feel it"),
        ],
        sensations: Sensation::ALL.iter().map(|s| s.as_str()).collect(),
        overall: numbers(-5..=5, v.body_overall, true),
        showed: showed(&web.vocabulary, v),
        doing: v.doing.clone(),
        with: v.with.clone(),
        place: v.place.clone(),
        note: v.note.clone(),
    }
}

/// The pleasantness × energy grid, energy from high to low.
fn grid(v: &Values) -> Vec<Vec<Cell>> {
    (-5..=5)
        .rev()
        .map(|e: i8| {
            (-5..=5)
                .map(|p: i8| Cell {
                    value: format!("{p},{e}"),
                    label: format!("pleasantness {p:+}, energy {e:+}"),
                    checked: v.pleasantness == Some(p) && v.energy == Some(e),
                    class: format!(
                        "cell q{}{}",
                        if p >= 0 { "p" } else { "u" },
                        if e >= 0 { "h" } else { "l" }
                    ),
                })
                .collect()
        })
        .collect()
}

/// The feeling words by family, those chosen ticked (their family open).
fn families(vocabulary: &Vocabulary, v: &Values) -> Vec<FamilyGroup> {
    Family::ALL
        .iter()
        .map(|&f| {
            let words: Vec<Word> = vocabulary
                .in_family(f)
                .map(|w| Word {
                    word: w.word.clone(),
                    signal: w.signal.clone(),
                    pleasantness: w.pleasantness,
                    energy: w.energy,
                    checked: v.feelings.contains_key(&w.word),
                    intensity: v.feelings.get(&w.word).copied().flatten().unwrap_or(5),
                })
                .collect();
            FamilyGroup {
                name: f.describe().to_string(),
                open: words.iter().any(|w| w.checked),
                words,
            }
        })
        .collect()
}

/// "not now" and the numbers of `range`, `chosen` selected.
fn numbers(range: std::ops::RangeInclusive<i8>, chosen: Option<i8>, signed: bool) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: "not now".into(),
        selected: chosen.is_none(),
    })
    .chain(range.map(|n| Choice {
        value: n.to_string(),
        label: if signed {
            format!("{n:+}")
        } else {
            n.to_string()
        },
        selected: chosen == Some(n),
    }))
    .collect()
}

/// "What I showed": the same as felt, or any word, in alphabetical order.
fn showed(vocabulary: &Vocabulary, v: &Values) -> Vec<Choice> {
    let mut all_words: Vec<&str> = vocabulary.words().iter().map(|w| w.word.as_str()).collect();
    all_words.sort_unstable();
    std::iter::once(Choice {
        value: String::new(),
        label: "the same as I felt / not now".into(),
        selected: v.showed.is_empty(),
    })
    .chain(all_words.iter().map(|w| Choice {
        value: (*w).into(),
        label: (*w).into(),
        selected: v.showed == *w,
    }))
    .collect()
}

/// The body map's regions with what was noticed in each.
fn regions(v: &Values) -> Vec<Region> {
    BodyRegion::ALL
        .iter()
        .map(|&r| {
            let b = v.body.get(&r);
            Region {
                key: r.as_str(),
                label: region_label(r).into(),
                how: b.and_then(|b| b.activation).map_or("", Activation::as_str),
                sensation: b.and_then(|b| b.sensation).map_or("", Sensation::as_str),
                intensity: b
                    .and_then(|b| b.intensity)
                    .map_or(String::new(), |i| i.to_string()),
            }
        })
        .collect()
}

pub fn region_label(r: BodyRegion) -> &'static str {
    match r {
        BodyRegion::Head => "head",
        BodyRegion::Face => "face / jaw",
        BodyRegion::Throat => "throat / neck",
        BodyRegion::Shoulders => "shoulders",
        BodyRegion::Chest => "chest / heart",
        BodyRegion::UpperBack => "upper back",
        BodyRegion::Stomach => "stomach",
        BodyRegion::LowerBelly => "lower belly",
        BodyRegion::Arms => "arms",
        BodyRegion::Hands => "hands",
        BodyRegion::Legs => "legs",
        BodyRegion::Feet => "feet",
        BodyRegion::WholeBody => "whole body",
    }
}

pub async fn new(State(web): State<Arc<Web>>) -> Result<Html<String>, PageError> {
    render(&page(
        &web,
        &Values::default(),
        "/checkin".into(),
        false,
        None,
    ))
}

pub async fn edit(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
) -> Result<Html<String>, PageError> {
    let wanted = id.clone();
    let c = web.store(move |s| s.checkin(&wanted)).await?;
    render(&page(
        &web,
        &Values::from(&c),
        format!("/checkin/{id}"),
        true,
        None,
    ))
}

pub async fn create(
    State(web): State<Arc<Web>>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_size(&form)?;
    check_csrf(&web, &form)?;
    let (values, draft) = read(&form, &web.vocabulary);
    let draft = match draft {
        Ok(d) => d,
        Err(message) => return invalid(&web, &values, "/checkin".into(), false, message),
    };
    let at = super::now();
    let id = uuid::Uuid::now_v7().to_string();
    match draft.validate(&web.vocabulary, id, at, &super::accepted()) {
        Ok(c) => {
            let thanks = if c.nothing { "nothing" } else { "saved" };
            match web.store(move |s| s.add_checkin(&c)).await {
                Ok(()) => Ok(Redirect::to(&format!("/recent?thanks={thanks}")).into_response()),
                Err(e) => not_saved(&web, &values, "/checkin".into(), false, &e),
            }
        }
        Err(e) => invalid(&web, &values, "/checkin".into(), false, describe(&e)),
    }
}

pub async fn update(
    State(web): State<Arc<Web>>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_size(&form)?;
    check_csrf(&web, &form)?;
    let wanted = id.clone();
    let old = web.store(move |s| s.checkin(&wanted)).await?;
    let action = format!("/checkin/{id}");
    let (values, draft) = read(&form, &web.vocabulary);
    let draft = match draft {
        // The form does not show these; an edit keeps them as they were.
        Ok(d) => feltsense_core::CheckInDraft {
            mood: old.mood.clone(),
            origin: old.origin,
            items: old.items.clone(),
            ..d
        },
        Err(message) => return invalid(&web, &values, action, true, message),
    };
    match draft.validate(&web.vocabulary, old.id.clone(), old.at, &super::accepted()) {
        Ok(c) => match web.store(move |s| s.replace_checkin(&c)).await {
            Ok(()) => Ok(Redirect::to("/recent?thanks=edited").into_response()),
            Err(e) => not_saved(&web, &values, action, true, &e),
        },
        Err(e) => invalid(&web, &values, action, true, describe(&e)),
    }
}

fn invalid(
    web: &Web,
    values: &Values,
    action: String,
    editing: bool,
    message: String,
) -> Result<Response, PageError> {
    let html = render(&page(
        web,
        values,
        action,
        editing,
        // The empty-form message already says there is nothing to save.
        Some(if message.contains("nothing to save") {
            message
        } else {
            format!("{message} Nothing was saved yet.")
        }),
    ))?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// The form again, filled in, when the store could not take the write.
fn not_saved(
    web: &Web,
    values: &Values,
    action: String,
    editing: bool,
    e: &feltsense_store::StoreError,
) -> Result<Response, PageError> {
    let message = Some(PageError::not_saved(e));
    let html = render(&page(web, values, action, editing, message))?;
    Ok((StatusCode::SERVICE_UNAVAILABLE, html).into_response())
}

/// A validation problem in the words of the form.
fn describe(e: &ValidationError) -> String {
    let field = match e.field() {
        Field::Feeling | Field::Intensity => "Feelings",
        Field::Pleasantness | Field::Energy => "The pleasantness and energy grid",
        Field::Clarity => "Clarity",
        Field::Body | Field::BodyOverall => "The body map",
        Field::Showed => "What I showed",
        Field::Doing => "What I was doing",
        Field::With => "Who I was with",
        Field::Where => "Where I was",
        Field::Note => "The note",
        Field::Mood => "The imported mood",
        Field::Item => "Your chosen feelings",
        Field::At => "The time",
        Field::Nothing | Field::Id => return format!("{}.", capitalise(&e.to_string())),
    };
    format!("{field}: {e}.")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
