//! The year in colour: one cell per day, hue from pleasantness, saturation
//! from intensity, numb days grey with a hatch (never colour alone), empty
//! days blank; and a page per day.

use super::recent::Card;
use super::render;
use crate::error::PageError;
use crate::Web;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Html;
use chrono::{Datelike, Local, NaiveDate};
use feltsense_core::metrics::insights::means;
use feltsense_core::{CheckIn, Vocabulary};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub struct Day {
    pub number: u32,
    pub href: Option<String>,
    pub class: String,
    pub label: String,
}

pub struct Month {
    pub name: String,
    /// Blank cells before the 1st, so weeks start on Monday.
    pub lead: Vec<()>,
    pub days: Vec<Day>,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    title: &'static str,
    current: &'static str,
    year: i32,
    months: Vec<Month>,
    total: usize,
}

#[derive(Template)]
#[template(path = "day.html")]
struct DayPage {
    title: &'static str,
    current: &'static str,
    heading: String,
    year: i32,
    cards: Vec<Card>,
}

/// How a day with check-ins is coloured: the CSS classes and words for it.
pub fn tone(check_ins: &[&CheckIn], vocabulary: &Vocabulary) -> (String, String) {
    let m = means(check_ins.iter().copied(), vocabulary);
    let n = check_ins.len();
    let count = if n == 1 {
        "1 check-in".to_string()
    } else {
        format!("{n} check-ins")
    };
    if m.numb_rate == Some(1.0) {
        return ("day numb".into(), format!("{count}, can't feel much"));
    }
    let given: Vec<f64> = check_ins
        .iter()
        .filter_map(|c| c.pleasantness.map(f64::from))
        .collect();
    let pleasantness = if given.is_empty() {
        let words: Vec<(f64, f64)> = check_ins
            .iter()
            .flat_map(|c| &c.feelings)
            .filter_map(|f| {
                vocabulary
                    .get(&f.word)
                    .map(|w| (f64::from(w.pleasantness), f64::from(f.intensity)))
            })
            .collect();
        let weight: f64 = words.iter().map(|w| w.1).sum();
        if weight > 0.0 {
            words.iter().map(|w| w.0 * w.1).sum::<f64>() / weight
        } else {
            0.0
        }
    } else {
        given.iter().sum::<f64>() / given.len() as f64
    };
    let p = pleasantness.round() as i64;
    let intensity = m.intensity.unwrap_or(0.0).round() as i64;
    let hue = match p {
        0 => "tone-0".to_string(),
        p if p > 0 => format!("tone-pos{p}"),
        p => format!("tone-neg{}", -p),
    };
    let words = match p {
        0 => "neither pleasant nor unpleasant",
        p if p > 0 => "pleasant",
        _ => "unpleasant",
    };
    (
        format!("day {hue} sat-{intensity}"),
        format!("{count}, {words}, intensity {intensity} of 10"),
    )
}

fn group_by_day(all: &[CheckIn], year: i32) -> BTreeMap<NaiveDate, Vec<&CheckIn>> {
    let mut days: BTreeMap<NaiveDate, Vec<&CheckIn>> = BTreeMap::new();
    for c in all.iter().filter(|c| c.at.year() == year) {
        days.entry(c.at.date_naive()).or_default().push(c);
    }
    days
}

/// The twelve months of `year`, each day coloured by its check-ins, and
/// how many check-ins the year holds.
pub fn months(all: &[CheckIn], year: i32, vocabulary: &Vocabulary) -> (Vec<Month>, usize) {
    let days = group_by_day(all, year);
    let total = days.values().map(Vec::len).sum();
    let months = (1..=12)
        .map(|month| {
            let first = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
            let lead = vec![(); first.weekday().num_days_from_monday() as usize];
            let days = first
                .iter_days()
                .take_while(|d| d.month() == month)
                .map(|date| match days.get(&date) {
                    Some(cs) => {
                        let (class, words) = tone(cs, vocabulary);
                        Day {
                            number: date.day(),
                            href: Some(format!("/day/{date}")),
                            class,
                            label: format!("{}: {words}", date.format("%A %-d %B")),
                        }
                    }
                    None => Day {
                        number: date.day(),
                        href: None,
                        class: "day empty".into(),
                        label: String::new(),
                    },
                })
                .collect();
            Month {
                name: first.format("%B").to_string(),
                lead,
                days,
            }
        })
        .collect();
    (months, total)
}

pub async fn year(
    State(web): State<Arc<Web>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let year = match q.get("year") {
        None => Local::now().year(),
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (1970..=9999).contains(y))
            .ok_or_else(|| {
                PageError::new(
                    StatusCode::BAD_REQUEST,
                    format!("'{y}' is not a year between 1970 and 9999."),
                )
            })?,
    };
    let snapshot = web.snapshot().await?;
    let (months, total) = months(&snapshot.checkins, year, &web.vocabulary);
    render(&CalendarPage {
        title: "Year in colour",
        current: "calendar",
        year,
        months,
        total,
    })
}

pub async fn day(
    State(web): State<Arc<Web>>,
    Path(date): Path<String>,
) -> Result<Html<String>, PageError> {
    let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            format!("'{date}' is not a date like 2026-11-25."),
        )
    })?;
    let snapshot = web.snapshot().await?;
    let all = &snapshot.checkins;
    let cards = all
        .iter()
        .filter(|c| c.at.date_naive() == date)
        .map(|c| Card::new(c, &web.vocabulary))
        .collect();
    render(&DayPage {
        title: "A day",
        current: "calendar",
        heading: date.format("%A %-d %B %Y").to_string(),
        year: date.year(),
        cards,
    })
}
