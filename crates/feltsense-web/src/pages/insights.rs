//! The insights page: the numbness profile, the figures beside the window
//! before, "is colour coming back?", and five charts drawn on the server.

use super::render;
use crate::charts::{self, LineChart, Series};
use crate::error::PageError;
use crate::report::sections::{figures, FigureLine};
use crate::{Snapshot, Web};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Html;
use chrono::{Datelike, Duration, Local, NaiveDate, Utc};
use feltsense_core::items::FixedItems;
use feltsense_core::metrics::compare::then_and_now;
use feltsense_core::metrics::insights::{insights, rows, Row};
use feltsense_core::metrics::items;
use feltsense_core::metrics::profile::{profile, NumbnessProfile, NOT_A_DIAGNOSIS};
use feltsense_core::metrics::trend::{Week, REACTIVITY_NOTE};
use feltsense_core::{BodyRegion, CheckIn, Family, Vocabulary};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Weeks shown in the time charts.
const WEEKS_SHOWN: i64 = 26;

pub struct Line {
    pub label: String,
    pub now: String,
    pub n: usize,
    pub before: String,
}

#[derive(Template)]
#[template(path = "insights.html")]
struct InsightsPage {
    title: &'static str,
    current: &'static str,
    days: i64,
    windows: Vec<(i64, bool)>,
    checkins: usize,
    before: usize,
    profile: NumbnessProfile,
    lines: Vec<Line>,
    words: String,
    trend: String,
    trend_chart: String,
    pa_na_chart: String,
    scatter: String,
    families: String,
    heat: String,
    bridges: String,
    notes: [&'static str; 3],
    /// The first four weeks of the last 90 days against the last four,
    /// the same comparison the report shows.
    then_now: String,
    then_now_lines: Vec<FigureLine>,
}

pub async fn page(
    State(web): State<Arc<Web>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let days: i64 = match q.get("days") {
        None => 28,
        Some(d) => d
            .parse()
            .ok()
            .filter(|d| (1..=3650).contains(d))
            .ok_or_else(|| {
                PageError::new(
                    StatusCode::BAD_REQUEST,
                    format!("'{d}' is not a number of days from 1 to 3650."),
                )
            })?,
    };
    let snapshot = web.snapshot().await?;
    let bridges = web.store(|s| s.bridges()).await?;
    let chosen = web.store(|s| s.fixed_items()).await?;
    let mut page = build(&snapshot, &chosen, &web.vocabulary, days);
    page.bridges = charts::bridge_dumbbells(&bridge_rows(&bridges));
    render(&page)
}

fn build(
    snapshot: &Snapshot,
    chosen: &FixedItems,
    vocabulary: &Vocabulary,
    days: i64,
) -> InsightsPage {
    let all = &snapshot.checkins;
    let to = Utc::now() + Duration::seconds(1);
    let from = to - Duration::days(days);
    let window: Vec<&CheckIn> = all.iter().filter(|c| c.at >= from && c.at < to).collect();
    let previous = all
        .iter()
        .filter(|c| c.at >= from - Duration::days(days) && c.at < from);
    let previous: Vec<&CheckIn> = previous.collect();
    let mut now = insights(window.iter().copied(), vocabulary);
    let mut before = insights(previous.iter().copied(), vocabulary);
    // Granularity from the chosen items, when there are some.
    items::apply(&mut now, window.iter().copied(), chosen, vocabulary);
    items::apply(&mut before, previous.iter().copied(), chosen, vocabulary);
    let lines = rows(&now, &before).into_iter().map(line).collect();
    let today = Local::now().date_naive();
    let compared = then_and_now(all, today - Duration::days(89), today, vocabulary);
    let trend = snapshot.trend(vocabulary);
    let (labels, weeks) = recent_weeks(&trend.weeks);
    let fit = trend.intensity_slope.and_then(|s| {
        // The fit is in weeks since the first week ever; shift it to the first week shown.
        let first_ever = trend.weeks.first()?.starts;
        let first_shown = *weeks.first()?;
        let offset = (first_shown - first_ever).num_days() as f64 / 7.0;
        Some((s.intercept + s.slope * offset, s.slope))
    });
    let by_week: HashMap<NaiveDate, &Week> = trend.weeks.iter().map(|w| (w.starts, w)).collect();
    let pick = |f: fn(&Week) -> Option<f64>| {
        weeks
            .iter()
            .map(|d| by_week.get(d).and_then(|w| f(w)))
            .collect::<Vec<_>>()
    };
    let trend_chart = charts::lines(&LineChart {
        id: "trend",
        title: "Intensity of feelings, week by week",
        desc: format!(
            "Mean intensity of 10 for each of the last {WEEKS_SHOWN} weeks. {}",
            trend.summary
        ),
        x_labels: &labels,
        series: vec![Series {
            name: "intensity",
            class: "s1",
            values: pick(|w| w.intensity),
        }],
        range: (0.0, 10.0),
        fit,
    });
    let pa_na_chart = charts::lines(&LineChart {
        id: "pana",
        title: "Pleasant and unpleasant feelings over time",
        desc: "Weekly mean intensity of pleasant feelings (PA, solid) and unpleasant feelings (NA, dashed), of 10.".into(),
        x_labels: &labels,
        series: vec![
            Series { name: "PA", class: "s1", values: pick(|w| w.pa) },
            Series { name: "NA", class: "s2", values: pick(|w| w.na) },
        ],
        range: (0.0, 10.0),
        fit: None,
    });
    InsightsPage {
        title: "Insights",
        current: "insights",
        days,
        windows: [7, 28, 90, 365].iter().map(|&d| (d, d == days)).collect(),
        checkins: now.checkins,
        before: before.checkins,
        profile: profile(&now),
        lines,
        words: format!(
            "{} different words from {} families (before: {} from {})",
            now.distinct_words, now.distinct_families, before.distinct_words, before.distinct_families
        ),
        trend: trend.summary.clone(),
        trend_chart,
        pa_na_chart,
        scatter: charts::affect_scatter(&scatter_points(&window)),
        families: charts::family_bars(&family_counts(&window, vocabulary)),
        heat: charts::body_heat(&body_shares(&window), window.len()),
        bridges: String::new(),
        notes: [
            "Mean and SD come first; figures marked * (instability, inertia, bipolarity, granularity) are exploratory and say less on their own.",
            REACTIVITY_NOTE,
            NOT_A_DIAGNOSIS,
        ],
        then_now_lines: figures(&compared).into_iter().take(2).collect(),
        then_now: compared.summary,
    }
}

fn line(row: Row) -> Line {
    let mark = if row.exploratory { " *" } else { "" };
    Line {
        label: format!("{}{mark}", row.label),
        now: row.now.text(row.unit),
        n: row.now.n,
        before: if row.before.enough() {
            row.before.text(row.unit)
        } else {
            "—".into()
        },
    }
}

/// The Mondays of the last weeks shown, and their labels.
fn recent_weeks(weeks: &[Week]) -> (Vec<String>, Vec<NaiveDate>) {
    let today = Local::now().date_naive();
    let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let last = weeks
        .last()
        .map_or(this_monday, |w| w.starts.max(this_monday));
    let mondays: Vec<NaiveDate> = (0..WEEKS_SHOWN)
        .rev()
        .map(|k| last - Duration::weeks(k))
        .collect();
    (
        mondays
            .iter()
            .map(|d| d.format("%-d %b").to_string())
            .collect(),
        mondays,
    )
}

fn scatter_points(window: &[&CheckIn]) -> Vec<((i8, i8), usize)> {
    let mut counts: BTreeMap<(i8, i8), usize> = BTreeMap::new();
    for c in window {
        if let (Some(p), Some(e)) = (c.pleasantness, c.energy) {
            *counts.entry((p, e)).or_default() += 1;
        }
    }
    counts.into_iter().collect()
}

fn family_counts(window: &[&CheckIn], vocabulary: &Vocabulary) -> Vec<(String, usize)> {
    let mut counts: HashMap<Family, usize> = HashMap::new();
    for f in window.iter().flat_map(|c| &c.feelings) {
        if let Some(w) = vocabulary.get(&f.word) {
            *counts.entry(w.family).or_default() += 1;
        }
    }
    let nothing = window.iter().filter(|c| c.nothing).count();
    Family::ALL
        .iter()
        .map(|f| {
            (
                f.describe().to_string(),
                counts.get(f).copied().unwrap_or(0),
            )
        })
        .chain(std::iter::once(("\"nothing\"".to_string(), nothing)))
        .collect()
}

fn body_shares(window: &[&CheckIn]) -> Vec<(BodyRegion, f64, usize)> {
    let mut noticed = [0usize; BodyRegion::ALL.len()];
    for c in window {
        let mut seen = [false; BodyRegion::ALL.len()];
        for b in c.body.iter().filter(|b| b.is_noticed()) {
            let i = BodyRegion::ALL
                .iter()
                .position(|&r| r == b.region)
                .unwrap_or(0);
            seen[i] = true;
        }
        for (n, s) in noticed.iter_mut().zip(seen) {
            *n += usize::from(s);
        }
    }
    BodyRegion::ALL
        .iter()
        .zip(noticed)
        .map(|(&r, n)| {
            (
                r,
                if window.is_empty() {
                    0.0
                } else {
                    n as f64 / window.len() as f64
                },
                n,
            )
        })
        .collect()
}

/// Mean intensity before and after, per kind, over finished bridges.
fn bridge_rows(bridges: &[feltsense_core::bridges::Bridge]) -> Vec<(String, f64, f64, usize)> {
    let mut by_kind: std::collections::BTreeMap<String, (f64, f64, usize)> =
        std::collections::BTreeMap::new();
    for b in bridges {
        if let Some(after) = &b.after {
            let e = by_kind.entry(b.kind.to_string()).or_default();
            e.0 += b.before.felt();
            e.1 += after.felt();
            e.2 += 1;
        }
    }
    by_kind
        .into_iter()
        .map(|(k, (b, a, n))| (k, b / n as f64, a / n as f64, n))
        .collect()
}
