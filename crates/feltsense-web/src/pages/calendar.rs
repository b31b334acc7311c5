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
    pub today: bool,
}

pub struct Month {
    pub name: String,
    /// Blank cells before the 1st, so weeks start on Monday.
    pub lead: Vec<()>,
    pub days: Vec<Day>,
    /// The months left out before this one (older, empty), in words.
    pub gap_after: Option<String>,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    title: &'static str,
    current: &'static str,
    year: i32,
    months: Vec<Month>,
    total: usize,
    this_year: bool,
}

#[derive(Template)]
#[template(path = "day.html")]
struct DayPage {
    title: &'static str,
    current: &'static str,
    heading: String,
    year: i32,
    cards: Vec<Card>,
    date: NaiveDate,
    previous: NaiveDate,
    next: Option<NaiveDate>,
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

/// The months of `year` worth showing, newest first: the ones holding a
/// check-in and, in the current year, the current month. A phone shows the
/// story without scrolling past empty months (someone who began in
/// September sees December, November, October, September, and nothing
/// else); older empty stretches are named in one line instead of drawn.
/// Also how many check-ins the year holds.
pub fn story(
    all: &[CheckIn],
    year: i32,
    today: NaiveDate,
    vocabulary: &Vocabulary,
) -> (Vec<Month>, usize) {
    let days = group_by_day(all, year);
    let total = days.values().map(Vec::len).sum();
    let mut shown: Vec<u32> = days.keys().map(|d| d.month()).collect();
    if today.year() == year {
        shown.push(today.month());
    }
    shown.sort_unstable_by(|a, b| b.cmp(a));
    shown.dedup();
    let months = shown
        .iter()
        .enumerate()
        .map(|(i, &month)| {
            let older = shown.get(i + 1).copied();
            month_of(year, month, older, &days, today, vocabulary)
        })
        .collect();
    (months, total)
}

/// The twelve months of `year` (the report draws them all), and how many
/// check-ins the year holds.
pub fn months(all: &[CheckIn], year: i32, vocabulary: &Vocabulary) -> (Vec<Month>, usize) {
    let days = group_by_day(all, year);
    let total = days.values().map(Vec::len).sum();
    let months = (1..=12)
        .map(|m| month_of(year, m, None, &days, NaiveDate::MAX, vocabulary))
        .collect();
    (months, total)
}

/// The months of `all` worth showing, newest first and across years:
/// each month holding a check-in, and `today`'s; the empty months between
/// two shown named in one line ("No check-ins from March to June 2025.").
/// A reader's page of someone draws the period shared with them so.
pub fn story_across(all: &[CheckIn], today: NaiveDate, vocabulary: &Vocabulary) -> Vec<Month> {
    let mut days: BTreeMap<NaiveDate, Vec<&CheckIn>> = BTreeMap::new();
    for c in all {
        days.entry(c.at.date_naive()).or_default().push(c);
    }
    let index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let mut shown: Vec<i32> = days.keys().map(|&d| index(d)).collect();
    shown.push(index(today));
    shown.sort_unstable_by(|a, b| b.cmp(a));
    shown.dedup();
    let drawn = |(i, &m): (usize, &i32)| {
        let (year, month) = (m.div_euclid(12), m.rem_euclid(12) as u32 + 1);
        let mut drawn = month_of(year, month, None, &days, today, vocabulary);
        drawn.name = format!("{} {year}", drawn.name);
        drawn.gap_after = shown.get(i + 1).and_then(|&o| gap_across(o + 1, m - 1));
        drawn
    };
    shown.iter().enumerate().map(drawn).collect()
}

/// "No check-ins in October 2025." for the months `first..=last` (counted
/// as year × 12 + month from 0), or nothing when there are none.
fn gap_across(first: i32, last: i32) -> Option<String> {
    let name = |i: i32| {
        NaiveDate::from_ymd_opt(i.div_euclid(12), i.rem_euclid(12) as u32 + 1, 1)
            .map(|d| d.format("%B %Y").to_string())
            .unwrap_or_default()
    };
    match last - first {
        d if d < 0 => None,
        0 => Some(format!("No check-ins in {}.", name(first))),
        _ => Some(format!(
            "No check-ins from {} to {}.",
            name(first),
            name(last)
        )),
    }
}

fn month_of(
    year: i32,
    month: u32,
    older: Option<u32>,
    days: &BTreeMap<NaiveDate, Vec<&CheckIn>>,
    today: NaiveDate,
    vocabulary: &Vocabulary,
) -> Month {
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
    let lead = vec![(); first.weekday().num_days_from_monday() as usize];
    let cells = first
        .iter_days()
        .take_while(|d| d.month() == month)
        .map(|date| day_of(date, days.get(&date), today, vocabulary))
        .collect();
    Month {
        name: first.format("%B").to_string(),
        lead,
        days: cells,
        gap_after: older.and_then(|o| gap(year, o + 1, month - 1)),
    }
}

/// "No check-ins in March to May." for the empty months between two shown.
fn gap(year: i32, from: u32, to: u32) -> Option<String> {
    let name = |m: u32| {
        NaiveDate::from_ymd_opt(year, m, 1)
            .map(|d| d.format("%B").to_string())
            .unwrap_or_default()
    };
    match to.checked_sub(from)? {
        0 => Some(format!("No check-ins in {}.", name(from))),
        _ => Some(format!("No check-ins from {} to {}.", name(from), name(to))),
    }
}

fn day_of(
    date: NaiveDate,
    check_ins: Option<&Vec<&CheckIn>>,
    today: NaiveDate,
    vocabulary: &Vocabulary,
) -> Day {
    let when = date.format("%A %-d %B").to_string();
    let marker = if date == today { ", today" } else { "" };
    let (class, label) = match check_ins {
        Some(cs) => {
            let (class, words) = tone(cs, vocabulary);
            (class, format!("{when}{marker}: {words}"))
        }
        None => (
            "day empty".to_string(),
            format!("{when}{marker}: no check-in"),
        ),
    };
    Day {
        number: date.day(),
        // Every day up to today opens its page, to see it or add to it.
        href: (date <= today).then(|| format!("/day/{date}")),
        class: if date == today {
            format!("{class} today")
        } else {
            class
        },
        label,
        today: date == today,
    }
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
    // Kept for the day: the year changes only with a write or at midnight.
    let address = format!("/calendar?year={year}");
    let whole_day = std::time::Duration::from_secs(24 * 3600);
    if let Some(html) = web.pages.get(&address, snapshot.version, whole_day) {
        return Ok(Html(html));
    }
    let today = Local::now().date_naive();
    let (months, total) = story(&snapshot.checkins, year, today, &web.vocabulary);
    let html = render(&CalendarPage {
        title: "Year in colour",
        current: "calendar",
        year,
        months,
        total,
        this_year: year == today.year(),
    })?;
    web.pages.keep(address, snapshot.version, &html.0);
    Ok(html)
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
        date,
        previous: date.pred_opt().unwrap_or(date),
        next: date.succ_opt().filter(|d| *d <= Local::now().date_naive()),
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

    #[test]
    fn a_day_card_shows_the_mood_label_unknowns_and_items() {
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
        assert_eq!(Card::new(&awful, &v).feelings, "Daylio mood: awful");
        let rated = check(
            "b",
            CheckInDraft {
                feelings: vec![FeelingRating::new("sad", None)],
                items: vec![feltsense_core::items::ItemRating::new("calm", 0)],
                ..Default::default()
            },
        );
        let card = Card::new(&rated, &v);
        assert_eq!(card.feelings, "sad (intensity not given)");
        assert!(card
            .details
            .contains(&"chosen feelings (0 to 10): calm 0".to_string()));
    }

    fn nothing_on(date: &str) -> CheckIn {
        CheckIn {
            id: date.into(),
            at: chrono::DateTime::parse_from_rfc3339(&format!("{date}T09:00:00+00:00")).unwrap(),
            nothing: true,
            feelings: vec![],
            pleasantness: None,
            energy: None,
            clarity: None,
            body: vec![],
            body_overall: None,
            showed: None,
            context: Default::default(),
            note: None,
            mood: None,
            origin: Default::default(),
            items: vec![],
        }
    }

    fn ymd(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn someone_who_began_in_september_sees_december_back_to_september() {
        let v = Vocabulary::embedded();
        let all = [nothing_on("2026-09-14"), nothing_on("2026-11-02")];
        let (months, total) = story(&all, 2026, ymd("2026-12-01"), &v);
        let names: Vec<&str> = months.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["December", "November", "September"]);
        assert_eq!(total, 2);
        assert_eq!(
            months[1].gap_after.as_deref(),
            Some("No check-ins in October.")
        );
        let first = &months[0].days[0];
        assert!(first.today && first.class.ends_with("today"));
        assert_eq!(first.href.as_deref(), Some("/day/2026-12-01"));
        assert!(
            months[0].days[1].href.is_none(),
            "tomorrow is not a link yet"
        );
        assert_eq!(months[2].days[13].class, "day numb");
    }

    #[test]
    fn a_past_year_shows_only_its_months_with_check_ins_and_names_long_gaps() {
        let v = Vocabulary::embedded();
        let all = [nothing_on("2024-02-01"), nothing_on("2024-07-09")];
        let (shown, _) = story(&all, 2024, ymd("2026-12-01"), &v);
        assert_eq!(shown.len(), 2);
        assert_eq!(
            shown[0].gap_after.as_deref(),
            Some("No check-ins from March to June.")
        );
        assert_eq!(story(&all, 2023, ymd("2026-12-01"), &v).0.len(), 0);
        assert_eq!(
            months(&all, 2024, &v).0.len(),
            12,
            "the report keeps the whole year"
        );
    }

    #[test]
    fn a_reader_sees_the_months_across_years_newest_first_with_gaps_named() {
        let v = Vocabulary::embedded();
        let all = [nothing_on("2025-10-03"), nothing_on("2026-02-10")];
        let months = story_across(&all, ymd("2026-04-20"), &v);
        let names: Vec<&str> = months.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["April 2026", "February 2026", "October 2025"]);
        assert_eq!(
            months[0].gap_after.as_deref(),
            Some("No check-ins in March 2026.")
        );
        assert_eq!(
            months[1].gap_after.as_deref(),
            Some("No check-ins from November 2025 to January 2026.")
        );
        assert_eq!(months[2].gap_after, None);
        assert_eq!(months[2].days[2].class, "day numb");
    }
}
