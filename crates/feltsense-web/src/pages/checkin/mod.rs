//! The check-in page, three taps from open to saved: an area of the
//! pleasantness × energy space (or "I can't feel much right now"), a word
//! from it, Save. Without JavaScript the area and the search are submit
//! buttons that show the page again with their words, keeping everything
//! chosen; only Save saves. Intensity, a finer point, clarity, the body
//! map, shown vs felt, context and a note are one tap away, collapsed.
//! The same form edits a check-in.

use super::render;
use crate::auth::check_csrf;
use crate::error::PageError;
use crate::Web;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use feltsense_core::{BodyRegion, BodySensation, CheckIn, CheckInDraft, Field, ValidationError};
mod area;
mod phone;
mod read;
mod view;

use area::Area;
use read::{check_size, intent, read, Intent};
use std::collections::HashMap;
use std::sync::Arc;
use view::page;

/// What the form shows: a blank form, a check-in to edit, or what was
/// just submitted (after a mistake), so nothing typed is lost.
#[derive(Debug, Clone, Default)]
pub struct Values {
    pleasantness: Option<i8>,
    energy: Option<i8>,
    nothing: bool,
    /// The area tapped, which decides the words shown.
    area: Option<Area>,
    /// A search for any word.
    query: String,
    /// Each chosen word with its intensity, `None` when not given.
    feelings: HashMap<String, Option<u8>>,
    clarity: Option<u8>,
    body: HashMap<BodyRegion, BodySensation>,
    body_overall: Option<i8>,
    showed: String,
    doing: String,
    with: String,
    place: String,
    note: String,
    /// When a saved check-in was, for its time-correction form.
    at_value: Option<String>,
    /// The person's fixed items (none unless they chose some), and the
    /// rating given to each, 0 ("not at all") ..= 10.
    fixed: Vec<String>,
    items: HashMap<String, u8>,
    /// A new check-in for an earlier day (from the calendar), else now.
    for_date: Option<chrono::NaiveDate>,
    /// The id and moment the phone gave (app.js), kept when the form is
    /// shown again.
    phone: phone::FromPhone,
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
                .map(|f| (f.word.clone(), read::given(f)))
                .collect(),
            area: c.pleasantness.zip(c.energy).map(|(p, e)| Area::of(p, e)),
            query: String::new(),
            clarity: c.clarity,
            body: c.body.iter().map(|b| (b.region, b.clone())).collect(),
            body_overall: c.body_overall,
            showed: c.showed.clone().unwrap_or_default(),
            doing: c.context.doing.clone().unwrap_or_default(),
            with: c.context.with.clone().unwrap_or_default(),
            place: c.context.place.clone().unwrap_or_default(),
            note: c.note.clone().unwrap_or_default(),
            at_value: Some(super::retime::local_value(&c.at)),
            fixed: Vec::new(),
            items: c.items.iter().map(|i| (i.word.clone(), i.rating)).collect(),
            for_date: None,
            phone: phone::FromPhone::default(),
        }
    }
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

/// How long the form waits for the fixed items while the store is busy
/// with a write: the form must answer even then (they are optional).
const ITEMS_WAIT: std::time::Duration = std::time::Duration::from_millis(200);

/// The person's fixed items, asked on every check-in (often none); none
/// this time if the store does not answer within [`ITEMS_WAIT`].
async fn fixed(web: &Web) -> Result<Vec<String>, PageError> {
    match tokio::time::timeout(ITEMS_WAIT, web.store(|s| s.fixed_items())).await {
        Ok(items) => Ok(items?.words().to_vec()),
        Err(_) => Ok(Vec::new()),
    }
}

/// `?date=YYYY-MM-DD`: a check-in for that day (from the calendar).
#[derive(Debug, serde::Deserialize)]
pub struct ForDay {
    date: Option<String>,
}

pub async fn new(
    State(web): State<Arc<Web>>,
    Query(day): Query<ForDay>,
) -> Result<Html<String>, PageError> {
    let for_date = match day.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(text) => {
            Some(read::for_date(text).map_err(|e| PageError::new(StatusCode::BAD_REQUEST, e))?)
        }
    };
    render(&page(
        &web,
        &Values {
            fixed: fixed(&web).await?,
            for_date,
            ..Values::default()
        },
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
    let mut values = Values::from(&c);
    values.fixed = fixed(&web).await?;
    render(&page(&web, &values, format!("/checkin/{id}"), true, None))
}

pub async fn create(
    State(web): State<Arc<Web>>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_size(&form)?;
    check_csrf(&web, &form)?;
    let (mut values, draft) = read(&form, &web.vocabulary);
    // The fixed items are read only to show the form again: a check-in
    // saved first time (nearly all) needs no read before its write.
    if intent(&form) != Intent::Save {
        values.fixed = fixed(&web).await?;
        return again(&web, &values, "/checkin".into(), false);
    }
    let draft = match draft {
        Ok(d) => d,
        Err(message) => {
            values.fixed = fixed(&web).await?;
            return invalid(&web, &values, "/checkin".into(), false, message);
        }
    };
    let now = super::now();
    let at = match values.for_date {
        Some(_) => read::moment(values.for_date, now),
        None => phone::moment(values.phone.made_at, now),
    };
    let from_phone = values.phone.id.is_some();
    let id = (values.phone.id.clone()).unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    match draft.validate(&web.vocabulary, id, at, &super::accepted()) {
        Ok(c) => {
            let thanks = if c.nothing { "nothing" } else { "saved" };
            web.let_go_of_snapshot();
            match web.store(move |s| s.add_checkin(&c)).await {
                Ok(()) => Ok(Redirect::to(&format!("/recent?thanks={thanks}")).into_response()),
                // The phone sent this check-in before (kept offline, then
                // sent again): it is stored already, once.
                Err(feltsense_store::StoreError::Conflict { .. }) if from_phone => {
                    Ok(Redirect::to(&format!("/recent?thanks={thanks}")).into_response())
                }
                Err(e) => {
                    values.fixed = fixed(&web).await.unwrap_or_default();
                    not_saved(&web, &values, "/checkin".into(), false, &e)
                }
            }
        }
        Err(e) => {
            values.fixed = fixed(&web).await?;
            invalid(&web, &values, "/checkin".into(), false, describe(&e))
        }
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
    let (mut values, draft) = read(&form, &web.vocabulary);
    values.at_value = Some(super::retime::local_value(&old.at));
    values.fixed = fixed(&web).await?;
    if intent(&form) != Intent::Save {
        return again(&web, &values, action, true);
    }
    let draft = match draft {
        // An imported mood and where the check-in came from stay as they were.
        Ok(d) => CheckInDraft {
            mood: old.mood.clone(),
            origin: old.origin,
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

/// The page again after an area or a search was tapped: nothing is
/// saved, everything chosen is kept.
fn again(web: &Web, values: &Values, action: String, editing: bool) -> Result<Response, PageError> {
    Ok(render(&page(web, values, action, editing, None))?.into_response())
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
