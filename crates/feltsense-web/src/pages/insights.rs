//! The insights page: the numbness profile, the figures beside the window
//! before, "is colour coming back?", and five charts drawn on the server.

use super::render;
use crate::charts::{self, LineChart, Series};
use crate::error::PageError;
use crate::report::sections::figures;
use crate::{Snapshot, Web};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Html;
use chrono::{Datelike, Duration, Local, NaiveDate, Utc};
use feltsense_core::items::FixedItems;
use feltsense_core::metrics::compare::then_and_now;
use feltsense_core::metrics::contexts::compare_contexts;
use feltsense_core::metrics::insights::{insights, rows, Row};
use feltsense_core::metrics::items;
use feltsense_core::metrics::profile::{profile, NumbnessProfile, NOT_A_DIAGNOSIS};
use feltsense_core::metrics::trend::{Week, MIN_PER_WEEK, REACTIVITY_NOTE};
use feltsense_core::{BodyRegion, CheckIn, Family, Vocabulary};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Weeks shown in the time charts.
const WEEKS_SHOWN: i64 = 26;

/// How long a rendered insights page is shown again while nothing is
/// written: its windows count back from now, so not for long.
const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(60);

mod cards;

use cards::{ContextCard, InsightCard};

pub struct Line {
    pub label: String,
    pub now: String,
    pub n: usize,
    pub before: String,
}

#[derive(Template)]
#[template(path = "insights.html")]
pub(crate) struct InsightsPage {
    pub(crate) title: &'static str,
    pub(crate) current: &'static str,
    pub(crate) days: i64,
    pub(crate) windows: Vec<(i64, bool)>,
    pub(crate) checkins: usize,
    pub(crate) before: usize,
    /// No check-in at all yet: a friendly word instead of empty charts.
    pub(crate) nothing_yet: bool,
    /// "Feelings were stronger this month than last", or why not yet.
    pub(crate) window_sentence: String,
    pub(crate) profile: NumbnessProfile,
    pub(crate) cards: Vec<InsightCard>,
    pub(crate) context: Option<ContextCard>,
    pub(crate) lines: Vec<Line>,
    pub(crate) words: String,
    pub(crate) notes: [&'static str; 3],
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
    // Bridges and chosen items are written through the same store, so
    // the version covers them too.
    let address = format!("/insights?days={days}");
    if let Some(html) = web.pages.get(&address, snapshot.version, FRESH_FOR) {
        return Ok(Html(html));
    }
    let bridges = web.store(|s| s.bridges()).await?;
    let chosen = web.store(|s| s.fixed_items()).await?;
    let mut page = build(&snapshot, &chosen, &web.vocabulary, days);
    let rows = bridge_rows(&bridges);
    if !rows.is_empty() {
        page.cards.push(bridge_card(&rows));
        page.nothing_yet = false;
    }
    let html = render(&page)?;
    web.pages.keep(address, snapshot.version, &html.0);
    Ok(html)
}

/// The page's figures and cards for a reader of someone's shared
/// check-ins (and bridges, when shared): the same computation, over the
/// last 28 days and, for the trend, every check-in given; without the
/// person's chosen items, which stay theirs.
pub(crate) fn for_reader(
    checkins: &[CheckIn],
    bridges: Option<&[feltsense_core::bridges::Bridge]>,
    vocabulary: &Vocabulary,
) -> InsightsPage {
    let snapshot = Snapshot {
        version: 0,
        checkins: Arc::new(checkins.to_vec()),
        trend: std::sync::OnceLock::new(),
    };
    let mut page = build(&snapshot, &FixedItems::default(), vocabulary, 28);
    let rows = bridge_rows(bridges.unwrap_or_default());
    if !rows.is_empty() {
        page.cards.push(bridge_card(&rows));
    }
    page
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
    let mut cards = Vec::new();
    if !all.is_empty() {
        cards.extend(weekly_cards(snapshot, vocabulary));
    }
    if !window.is_empty() {
        cards.extend(window_cards(&window, vocabulary, days));
    }
    InsightsPage {
        title: "Insights",
        current: "insights",
        days,
        windows: [7, 28, 90, 365].iter().map(|&d| (d, d == days)).collect(),
        checkins: now.checkins,
        before: before.checkins,
        nothing_yet: all.is_empty(),
        window_sentence: cards::window_sentence(now.intensity, before.intensity, days),
        profile: profile(&now),
        cards,
        context: cards::context_card(&compare_contexts(window.iter().copied(), vocabulary)),
        lines: rows(&now, &before).into_iter().map(line).collect(),
        words: format!(
            "{} different words from {} families (before: {} from {})",
            now.distinct_words, now.distinct_families, before.distinct_words, before.distinct_families
        ),
        notes: [
            "Mean and SD come first; figures marked * (instability, inertia, bipolarity, granularity) are exploratory and say less on their own.",
            REACTIVITY_NOTE,
            NOT_A_DIAGNOSIS,
        ],
    }
}

/// The two week-by-week cards: the trend, and then against now.
fn weekly_cards(snapshot: &Snapshot, vocabulary: &Vocabulary) -> Vec<InsightCard> {
    let all = &snapshot.checkins;
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
    let weak: Vec<bool> = weeks
        .iter()
        .map(|d| by_week.get(d).is_some_and(|w| w.checkins < MIN_PER_WEEK))
        .collect();
    let trend_chart = charts::lines_with_weak(
        &LineChart {
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
        },
        &weak,
    );
    let pa_na_chart = charts::lines_with_weak(&LineChart {
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
    }, &weak);
    let mut trend_legend = cards::weekly_legend(&[("key-s1", "weekly mean intensity, of 10")]);
    if fit.is_some() {
        trend_legend.push(("key-fit", "dotted: the fitted trend".into()));
    }
    let then_now = figures(&compared).into_iter().take(2).map(|f| {
        format!(
            "{}: then {} (n {}), now {} (n {}).",
            f.label, f.then, f.then_n, f.now, f.now_n
        )
    });
    vec![
        InsightCard {
            id: "trend",
            heading: "Is colour coming back?",
            sentence: cards::trend_sentence(trend),
            gently: cards::trend_sentence(trend),
            chart: trend_chart,
            legend: trend_legend,
            details: vec![
                trend.summary.clone(),
                format!("Each point is a week's mean intensity of the feelings named, of 10 (\"can't feel much\" counts 0); the trend is a straight line fitted over the weeks with at least {MIN_PER_WEEK} check-ins, with its 95% range."),
            ],
        },
        InsightCard {
            id: "then-now",
            heading: "Then and now",
            sentence: cards::shift_sentence(compared.shift),
            gently: cards::shift_gently(compared.shift),
            chart: pa_na_chart,
            legend: cards::weekly_legend(&[
                ("key-s1", "solid: pleasant feelings (PA), of 10"),
                ("key-s2", "dashed: unpleasant feelings (NA), of 10"),
            ]),
            details: std::iter::once(compared.summary.clone()).chain(then_now).collect(),
        },
    ]
}

/// The cards about the window: pleasantness and energy, families, body.
fn window_cards(window: &[&CheckIn], vocabulary: &Vocabulary, days: i64) -> Vec<InsightCard> {
    let points = scatter_points(window);
    let families = family_counts(window, vocabulary);
    let shares = body_shares(window);
    let body = shares
        .iter()
        .filter(|s| s.2 > 0)
        .max_by_key(|s| s.2)
        .map_or(
            "Nothing was noticed in the body in this window, and that is an answer too."
                .to_string(),
            |(r, _, n)| {
                format!(
                    "Noticed most often in the {}: {n} of {} check-ins.",
                    crate::pages::checkin::region_label(*r).to_lowercase(),
                    window.len()
                )
            },
        );
    let body_gently = shares
        .iter()
        .filter(|s| s.2 > 0)
        .max_by_key(|s| s.2)
        .map_or(
            "Nothing was noticed in the body in this window, and that is an answer too."
                .to_string(),
            |(r, _, _)| {
                let region = crate::pages::checkin::region_label(*r).to_lowercase();
                format!("Noticed most often in the {region}.")
            },
        );
    let counts: Vec<String> = families.iter().map(|(f, n)| format!("{f}: {n}")).collect();
    let regions: Vec<String> = shares
        .iter()
        .map(|(r, s, n)| {
            format!(
                "{}: {n} ({:.0}%)",
                crate::pages::checkin::region_label(*r),
                s * 100.0
            )
        })
        .collect();
    let affect = InsightCard {
        id: "affect",
        heading: "Pleasantness and energy",
        sentence: cards::quadrant_sentence(&points, days),
        gently: cards::quadrant_gently(&points),
        chart: charts::affect_scatter(&points),
        legend: vec![(
            "key-dot",
            "a dot per place on the grid; bigger: more check-ins there".into(),
        )],
        details: points
            .iter()
            .map(|((p, e), n)| format!("pleasant {p:+}, energy {e:+}: {n}"))
            .collect(),
    };
    let mut shown = vec![
        InsightCard {
            id: "families",
            heading: "Feelings by family",
            sentence: cards::family_sentence(&families),
            gently: cards::family_gently(&families),
            chart: charts::family_bars(&families),
            legend: vec![(
                "key-bar",
                format!("times each family was named in the last {days} days"),
            )],
            details: counts,
        },
        InsightCard {
            id: "body",
            heading: "Where in the body",
            sentence: body,
            gently: body_gently,
            chart: charts::body_heat(&shares, window.len()),
            legend: vec![(
                "key-heat",
                "darker: noticed in more of the check-ins".into(),
            )],
            details: regions,
        },
    ];
    // No point placed on the grid: the sentence would only say so.
    if !points.is_empty() {
        shown.insert(0, affect);
    }
    shown
}

fn bridge_card(rows: &[(String, f64, f64, usize)]) -> InsightCard {
    let n: usize = rows.iter().map(|r| r.3).sum();
    InsightCard {
        id: "bridges",
        heading: "Bridges: before and after",
        sentence: format!(
            "How strongly feelings arrived before and after {n} finished {}, by kind.",
            if n == 1 { "bridge" } else { "bridges" }
        ),
        chart: charts::bridge_dumbbells(rows),
        // Bridges are their own section of a reader's page.
        gently: String::new(),
        legend: vec![
            ("key-before", "open dot: before".into()),
            ("key-s1", "filled dot: after".into()),
        ],
        details: rows
            .iter()
            .map(|(k, b, a, n)| {
                format!("{k}: {b:.1} before, {a:.1} after (n {n}), mean intensity of 10")
            })
            .collect(),
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
