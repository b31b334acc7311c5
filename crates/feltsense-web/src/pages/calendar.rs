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
/// The hue is the day's pleasantness; the saturation its intensity, or,
/// when no check-in gave one (a mood-only import), how far the
/// pleasantness is from neutral, so an "awful" day is never drawn as the
/// palest grey.
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
    let p = day_pleasantness(check_ins, vocabulary).round() as i64;
    let (sat, strength) = match m.intensity {
        Some(i) => {
            let i = i.round() as i64;
            (i, format!("intensity {i} of 10"))
        }
        None => ((p.abs() * 2).min(10), "intensity not given".to_string()),
    };
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
        format!("day {hue} sat-{sat}"),
        format!("{count}, {words}, {strength}"),
    )
}

/// The mean pleasantness given, else that of the words named (weighted by
/// the intensities given, plain when none was given).
fn day_pleasantness(check_ins: &[&CheckIn], vocabulary: &Vocabulary) -> f64 {
    let given: Vec<f64> = check_ins
        .iter()
        .filter_map(|c| c.pleasantness.map(f64::from))
        .collect();
    if !given.is_empty() {
        return given.iter().sum::<f64>() / given.len() as f64;
    }
    let words: Vec<(f64, Option<f64>)> = check_ins
        .iter()
        .flat_map(|c| &c.feelings)
        .filter_map(|f| {
            let w = vocabulary.get(&f.word)?;
            Some((f64::from(w.pleasantness), f.intensity.map(f64::from)))
        })
        .collect();
    let weight: f64 = words.iter().filter_map(|w| w.1).sum();
    if weight > 0.0 {
        words.iter().filter_map(|w| Some(w.0 * w.1?)).sum::<f64>() / weight
    } else if !words.is_empty() {
        words.iter().map(|w| w.0).sum::<f64>() / words.len() as f64
    } else {
        0.0
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use feltsense_core::when::TimeRange;
    use feltsense_core::{CheckInDraft, FeelingRating, Origin};

    fn check(id: &str, draft: CheckInDraft) -> CheckIn {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-22T18:00:00+00:00").unwrap();
        let v = Vocabulary::embedded();
        draft
            .validate(&v, id.into(), at, &TimeRange::around(at.to_utc()))
            .unwrap()
    }

    #[test]
    fn a_mood_only_day_is_coloured_by_its_pleasantness() {
        let v = Vocabulary::embedded();
        let awful = check(
            "a",
            CheckInDraft {
                pleasantness: Some(-4),
                mood: Some("awful".into()),
                origin: Origin::Daylio,
                ..Default::default()
            },
        );
        let (class, words) = tone(&[&awful], &v);
        assert_eq!(class, "day tone-neg4 sat-8");
        assert_eq!(words, "1 check-in, unpleasant, intensity not given");
        let sad = check(
            "b",
            CheckInDraft {
                feelings: vec![FeelingRating::new("sad", Some(3))],
                ..Default::default()
            },
        );
        let (class, words) = tone(&[&awful, &sad], &v);
        assert_eq!(class, "day tone-neg4 sat-3", "the intensity given wins");
        assert!(words.ends_with("intensity 3 of 10"), "{words}");
    }
}
