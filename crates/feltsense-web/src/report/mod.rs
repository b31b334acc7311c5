//! The report for a therapist or a trusted person: one self-contained HTML
//! file (inline CSS and SVG, no scripts, nothing fetched) that prints to at
//! most two A4 pages for 90 days. Journal excerpts only as chosen, entry by
//! entry. Then against now comes from `metrics::compare`, the same
//! comparison the insights page shows.

pub(crate) mod sections;
mod shared;

pub use shared::{render_shared, SharedData};

use crate::pages::calendar::Month;
use askama::Template;
use chrono::{DateTime, FixedOffset, NaiveDate};
use feltsense_core::assessments::{Response, SCREENING};
use feltsense_core::bridges::Bridge;
use feltsense_core::metrics::compare::then_and_now;
use feltsense_core::metrics::profile::NOT_A_DIAGNOSIS;
use feltsense_core::{CheckIn, JournalEntry, Vocabulary};
use sections::{FigureLine, Questionnaire};

const CSS: &str = include_str!("../../assets/app.css");

/// What goes into a report.
pub struct ReportData<'a> {
    pub checkins: &'a [CheckIn],
    /// The journal entries the person chose to include (none by default).
    pub journal: &'a [JournalEntry],
    pub bridges: &'a [Bridge],
    pub assessments: &'a [Response],
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub vocabulary: &'a Vocabulary,
    pub generated: String,
    /// The person's name, only if they want it on the report.
    pub name: Option<String>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Report {
    css: &'static str,
    name: Option<String>,
    period: String,
    generated: String,
    then_label: String,
    now_label: String,
    summary: String,
    attendance: String,
    figures: Vec<FigureLine>,
    months: Vec<Month>,
    trend_chart: String,
    feelings: String,
    regions: String,
    bridges: Vec<String>,
    questionnaires: Vec<Questionnaire>,
    journal: Vec<(String, String)>,
    screening: &'static str,
    not_a_diagnosis: &'static str,
}

pub(crate) fn within(at: DateTime<FixedOffset>, from: NaiveDate, to: NaiveDate) -> bool {
    let d = at.date_naive();
    d >= from && d <= to
}

fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

pub fn render_report(data: &ReportData<'_>) -> Result<String, askama::Error> {
    let period: Vec<CheckIn> = data
        .checkins
        .iter()
        .filter(|c| within(c.at, data.from, data.to))
        .cloned()
        .collect();
    let compared = then_and_now(&period, data.from, data.to, data.vocabulary);
    let short = |w: &feltsense_core::metrics::compare::Window| {
        format!("{} – {}", w.from.format("%-d %b"), w.to.format("%-d %b"))
    };
    Report {
        css: CSS,
        name: data.name.clone().filter(|n| !n.trim().is_empty()),
        period: format!("{} to {}", long(data.from), long(data.to)),
        generated: data.generated.clone(),
        then_label: short(&compared.then),
        now_label: short(&compared.now),
        attendance: sections::attendance(&period, data.from, data.to),
        figures: sections::figures(&compared),
        months: sections::months_in(&period, data.from, data.to, data.vocabulary),
        trend_chart: sections::trend_chart(&period, data.from, data.to, data.vocabulary),
        feelings: sections::top_feelings(&period),
        regions: sections::top_regions(&period),
        bridges: sections::bridges(data.bridges, data.from, data.to),
        questionnaires: sections::questionnaires(data.assessments, data.from, data.to),
        journal: sections::excerpts(data.journal),
        summary: compared.summary,
        screening: SCREENING,
        not_a_diagnosis: NOT_A_DIAGNOSIS,
    }
    .render()
}

impl ReportData<'_> {
    /// The entries with these ids, in the order given; an id that is not
    /// in the journal is refused by name, so nothing unintended is shared.
    pub fn choose(journal: &[JournalEntry], ids: &[String]) -> Result<Vec<JournalEntry>, String> {
        let unknown: Vec<&str> = ids
            .iter()
            .map(String::as_str)
            .filter(|id| !journal.iter().any(|e| e.id == *id))
            .collect();
        if !unknown.is_empty() {
            return Err(format!(
                "no journal entry with the id {}; `feltsense journal list` shows the ids",
                unknown.join(", ")
            ));
        }
        Ok(ids
            .iter()
            .filter_map(|id| journal.iter().find(|e| e.id == *id).cloned())
            .collect())
    }
}
