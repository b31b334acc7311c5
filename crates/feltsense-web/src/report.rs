//! The report for a therapist or a trusted person: one self-contained HTML
//! file (inline CSS and SVG, no scripts, nothing fetched) that prints
//! cleanly to A4 or Letter. Journal excerpts only when asked for.

use crate::charts;
use crate::pages::calendar::{months, Month};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use feltsense_core::assessments::{Response, ALL, SCREENING};
use feltsense_core::bridges::{effects, Bridge};
use feltsense_core::metrics::insights::{insights, rows};
use feltsense_core::metrics::profile::{profile, NOT_A_DIAGNOSIS};
use feltsense_core::metrics::trend::weekly;
use feltsense_core::{CheckIn, JournalEntry, Vocabulary};

const CSS: &str = include_str!("../assets/app.css");

/// What goes into a report.
pub struct ReportData<'a> {
    pub checkins: &'a [CheckIn],
    pub journal: Option<&'a [JournalEntry]>,
    pub bridges: &'a [Bridge],
    pub assessments: &'a [Response],
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub vocabulary: &'a Vocabulary,
    pub generated: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Report {
    css: &'static str,
    period: String,
    generated: String,
    summary: Vec<String>,
    profile_headline: String,
    because: Vec<String>,
    years: Vec<(i32, Vec<Month>)>,
    lines: Vec<(String, String, usize)>,
    trend_chart: String,
    bridges: Vec<(String, usize, String)>,
    assessments: Vec<(String, &'static str, String, &'static str)>,
    journal: Vec<(String, String)>,
    include_journal: bool,
    screening: &'static str,
    not_a_diagnosis: &'static str,
}

fn within(at: chrono::DateTime<chrono::FixedOffset>, from: NaiveDate, to: NaiveDate) -> bool {
    let d = at.date_naive();
    d >= from && d <= to
}

pub fn render_report(data: &ReportData<'_>) -> Result<String, askama::Error> {
    let period: Vec<&CheckIn> = data
        .checkins
        .iter()
        .filter(|c| within(c.at, data.from, data.to))
        .collect();
    let ins = insights(period.iter().copied(), data.vocabulary);
    let empty = insights(std::iter::empty(), data.vocabulary);
    let p = profile(&ins);
    let in_period: Vec<CheckIn> = period.iter().map(|c| (*c).clone()).collect();
    let trend = weekly(&in_period, data.vocabulary);
    let labels: Vec<String> = trend
        .weeks
        .iter()
        .map(|w| w.starts.format("%-d %b").to_string())
        .collect();
    let fit = trend.intensity_slope.map(|s| (s.intercept, s.slope));
    let trend_chart = charts::lines(&charts::LineChart {
        id: "report-trend",
        title: "Intensity of feelings, week by week",
        desc: trend.summary.clone(),
        x_labels: &labels,
        series: vec![charts::Series {
            name: "intensity",
            class: "s1",
            values: trend.weeks.iter().map(|w| w.intensity).collect(),
        }],
        range: (0.0, 10.0),
        fit: if trend.weeks.len() > 1 { fit } else { None },
    });
    let mut summary = vec![format!(
        "{} check-ins between {} and {}.",
        ins.checkins,
        data.from.format("%-d %B %Y"),
        data.to.format("%-d %B %Y")
    )];
    if let Some(n) = ins.numb_rate.value {
        summary.push(format!("In {:.0}% of check-ins with an answer about feelings, the answer was \"I can't feel much\" or only numb-spectrum words.", n * 100.0));
    }
    summary.push(trend.summary.clone());
    let years = (data.from.year()..=data.to.year())
        .map(|y| (y, months(&in_period, y, data.vocabulary).0))
        .collect();
    let bridges_in: Vec<Bridge> = data
        .bridges
        .iter()
        .filter(|b| within(b.started, data.from, data.to))
        .cloned()
        .collect();
    let report = Report {
        css: CSS,
        period: format!(
            "{} to {}",
            data.from.format("%-d %B %Y"),
            data.to.format("%-d %B %Y")
        ),
        generated: data.generated.clone(),
        summary,
        profile_headline: p.headline,
        because: p.because,
        years,
        lines: rows(&ins, &empty)
            .into_iter()
            .map(|r| {
                (
                    format!("{}{}", r.label, if r.exploratory { " *" } else { "" }),
                    r.now.text(r.unit),
                    r.now.n,
                )
            })
            .collect(),
        trend_chart,
        bridges: effects(&bridges_in, 20_261_125)
            .into_iter()
            .map(|e| (e.name, e.n, e.words))
            .collect(),
        assessments: data
            .assessments
            .iter()
            .filter(|r| within(r.at, data.from, data.to))
            .rev()
            .map(|r| {
                let d = ALL
                    .iter()
                    .find(|d| d.instrument == r.instrument)
                    .expect("known instrument");
                let s = d.score(&r.answers);
                (
                    r.at.format("%-d %b %Y").to_string(),
                    d.title,
                    format!("{} of {}", s.reported, s.max),
                    s.band,
                )
            })
            .collect(),
        journal: data
            .journal
            .unwrap_or_default()
            .iter()
            .filter(|e| within(e.at, data.from, data.to))
            .rev()
            .map(|e| {
                let excerpt: String = e.text.chars().take(400).collect();
                let more = if e.text.chars().count() > 400 {
                    "…"
                } else {
                    ""
                };
                (
                    e.at.format("%-d %b %Y").to_string(),
                    format!("{excerpt}{more}"),
                )
            })
            .collect(),
        include_journal: data.journal.is_some(),
        screening: SCREENING,
        not_a_diagnosis: NOT_A_DIAGNOSIS,
    };
    report.render()
}
