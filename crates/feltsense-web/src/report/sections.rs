//! The parts of the report, each from the period's records alone.

use super::within;
use crate::charts;
use crate::pages::calendar::{months, Month};
use chrono::{Datelike, Duration, NaiveDate};
use feltsense_core::assessments::{Response, ALL};
use feltsense_core::bridges::{effects, Bridge, Change};
use feltsense_core::metrics::compare::ThenAndNow;
use feltsense_core::metrics::trend::weekly;
use feltsense_core::{CheckIn, JournalEntry, Vocabulary};
use std::collections::{BTreeMap, BTreeSet};

/// One line of the then-and-now table: label, then (with n), now (with n).
pub struct FigureLine {
    pub label: String,
    pub then: String,
    pub then_n: usize,
    pub now: String,
    pub now_n: usize,
}

/// One instrument's scores in order, and the dates item 9 was positive.
pub struct Questionnaire {
    pub title: &'static str,
    pub scores: String,
    pub latest: String,
    pub item_nine: Vec<String>,
}

/// "Checked in on 41 of 90 days (63 check-ins)."
pub fn attendance(period: &[CheckIn], from: NaiveDate, to: NaiveDate) -> String {
    let days: BTreeSet<NaiveDate> = period.iter().map(|c| c.at.date_naive()).collect();
    let total = (to - from).num_days() + 1;
    let n = period.len();
    format!(
        "Checked in on {} of {total} days ({n} check-in{}).",
        days.len(),
        if n == 1 { "" } else { "s" }
    )
}

/// The first few figures of the insights table, then beside now.
pub fn figures(compared: &ThenAndNow) -> Vec<FigureLine> {
    compared
        .rows()
        .into_iter()
        .take(6)
        .map(|r| FigureLine {
            label: r.label.to_string(),
            then: r.before.text(r.unit),
            then_n: r.before.n,
            now: r.now.text(r.unit),
            now_n: r.now.n,
        })
        .collect()
}

/// The calendar months that the period touches, each named with its year.
pub fn months_in(period: &[CheckIn], from: NaiveDate, to: NaiveDate, v: &Vocabulary) -> Vec<Month> {
    let month_of = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let (first, last) = (month_of(from), month_of(to));
    (from.year()..=to.year())
        .flat_map(|y| {
            let (ms, _) = months(period, y, v);
            ms.into_iter().enumerate().filter_map(move |(i, mut m)| {
                let index = y * 12 + i as i32;
                m.name = format!("{} {y}", m.name);
                (index >= first && index <= last).then_some(m)
            })
        })
        .collect()
}

/// Weekly intensity over every week of the period, with a gap (no line)
/// for each week without a check-in, and no fitted line drawn across them.
pub fn trend_chart(period: &[CheckIn], from: NaiveDate, to: NaiveDate, v: &Vocabulary) -> String {
    let trend = weekly(period, v);
    let by_start: BTreeMap<NaiveDate, Option<f64>> = trend
        .weeks
        .iter()
        .map(|w| (w.starts, w.intensity))
        .collect();
    let monday = |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
    let starts: Vec<NaiveDate> = monday(from).iter_weeks().take_while(|w| *w <= to).collect();
    let labels: Vec<String> = starts
        .iter()
        .map(|w| w.format("%-d %b").to_string())
        .collect();
    charts::lines(&charts::LineChart {
        id: "report-trend",
        title: "Intensity of feelings, week by week (no line for weeks without check-ins)",
        desc: format!(
            "Weekly mean intensity of 10 over {} weeks; {} of them with check-ins.",
            starts.len(),
            by_start.len()
        ),
        x_labels: &labels,
        series: vec![charts::Series {
            name: "intensity",
            class: "s1",
            values: starts
                .iter()
                .map(|w| by_start.get(w).copied().flatten())
                .collect(),
        }],
        range: (0.0, 10.0),
        fit: None,
    })
}

/// "name (count), ..." for the five most frequent, or "none named".
fn top(counts: BTreeMap<String, usize>) -> String {
    let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if ranked.is_empty() {
        return "none named in this period".into();
    }
    ranked
        .iter()
        .take(5)
        .map(|(w, n)| format!("{w} ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn top_feelings(period: &[CheckIn]) -> String {
    let mut counts = BTreeMap::new();
    for f in period.iter().flat_map(|c| &c.feelings) {
        *counts.entry(f.word.clone()).or_insert(0) += 1;
    }
    let nothing = period.iter().filter(|c| c.nothing).count();
    if nothing > 0 {
        counts.insert("\"can't feel much\"".into(), nothing);
    }
    top(counts)
}

pub fn top_regions(period: &[CheckIn]) -> String {
    let mut counts = BTreeMap::new();
    for b in period.iter().flat_map(|c| &c.body) {
        *counts.entry(b.region.as_str().to_string()).or_insert(0) += 1;
    }
    top(counts)
}

fn change(label: &str, c: Option<Change>) -> String {
    match c {
        Some(c) => format!(
            "{label} {:+.1} (95% range {:+.1} to {:+.1})",
            c.mean, c.low, c.high
        ),
        None => format!("{label}: not enough sessions for a figure yet"),
    }
}

/// Each kind of bridge once: its n, dates, and change in intensity and clarity.
pub fn bridges(all: &[Bridge], from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let period: Vec<Bridge> = all
        .iter()
        .filter(|b| within(b.started, from, to))
        .cloned()
        .collect();
    effects(&period, 20_261_125)
        .into_iter()
        .filter(|e| !e.name.contains(':'))
        .map(|e| {
            let dates: Vec<NaiveDate> = period
                .iter()
                .filter(|b| b.kind.as_str() == e.name && b.after.is_some())
                .map(|b| b.started.date_naive())
                .collect();
            let first = dates.iter().min().map(|d| d.format("%-d %b").to_string());
            let last = dates.iter().max().map(|d| d.format("%-d %b").to_string());
            format!(
                "{} (n {}, {} – {}): {}; {}",
                e.name,
                e.n,
                first.unwrap_or_default(),
                last.unwrap_or_default(),
                change("intensity", e.intensity),
                change("clarity", e.clarity)
            )
        })
        .collect()
}

/// Per instrument, oldest first: "13 → 12 → 9", and item 9 when positive.
pub fn questionnaires(all: &[Response], from: NaiveDate, to: NaiveDate) -> Vec<Questionnaire> {
    ALL.iter()
        .filter_map(|d| {
            let mut taken: Vec<&Response> = all
                .iter()
                .filter(|r| r.instrument == d.instrument && within(r.at, from, to))
                .collect();
            taken.sort_by_key(|r| r.at);
            let last = taken.last()?;
            let latest = d.score(&last.answers);
            Some(Questionnaire {
                title: d.title,
                scores: taken
                    .iter()
                    .map(|r| d.score(&r.answers).reported.to_string())
                    .collect::<Vec<_>>()
                    .join(" → "),
                latest: format!(
                    "latest {} of {}, {}, on {}",
                    latest.reported,
                    latest.max,
                    latest.band,
                    last.at.format("%-d %b %Y")
                ),
                item_nine: taken
                    .iter()
                    .filter(|r| d.needs_safety_panel(&r.answers))
                    .map(|r| r.at.format("%-d %b %Y").to_string())
                    .collect(),
            })
        })
        .collect()
}

/// The chosen entries, oldest first, each cut at 400 characters.
pub fn excerpts(chosen: &[JournalEntry]) -> Vec<(String, String)> {
    let mut entries: Vec<&JournalEntry> = chosen.iter().collect();
    entries.sort_by_key(|e| e.at);
    entries
        .into_iter()
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
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use feltsense_core::assessments::Instrument;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::parse_from_rfc3339(&format!("{s}T09:00:00+01:00")).unwrap()
    }

    #[test]
    fn the_calendar_has_only_the_months_of_the_period() {
        let v = Vocabulary::embedded();
        let names: Vec<String> = months_in(&[], date("2026-09-03"), date("2026-12-01"), &v)
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert_eq!(
            names,
            [
                "September 2026",
                "October 2026",
                "November 2026",
                "December 2026"
            ]
        );
        let across = months_in(&[], date("2026-12-20"), date("2027-01-05"), &v);
        assert_eq!(across.len(), 2);
        assert_eq!(across[1].name, "January 2027");
    }

    #[test]
    fn questionnaires_read_oldest_first_with_item_nine_dated() {
        let phq = |day: &str, answers: [u8; 9]| Response {
            id: day.into(),
            instrument: Instrument::Phq9,
            at: at(day),
            answers: answers.to_vec(),
        };
        let all = [
            phq("2026-11-20", [1, 1, 1, 1, 1, 1, 0, 1, 0]),
            phq("2026-09-10", [2, 2, 1, 2, 1, 2, 1, 1, 1]),
            phq("2026-10-15", [2, 1, 1, 2, 1, 1, 1, 1, 0]),
            phq("2026-06-01", [3; 9]),
        ];
        let q = questionnaires(&all, date("2026-09-03"), date("2026-12-01"));
        assert_eq!(q.len(), 1, "one line per instrument, none for the others");
        assert_eq!(q[0].scores, "13 → 10 → 7");
        assert_eq!(q[0].item_nine, ["10 Sep 2026"]);
        assert!(q[0].latest.starts_with("latest 7 of 27"), "{}", q[0].latest);
    }

    #[test]
    fn the_trend_breaks_over_weeks_without_check_ins() {
        let v = Vocabulary::embedded();
        let on = |day: &str| {
            feltsense_core::CheckInDraft {
                feelings: vec![feltsense_core::FeelingRating::new("sad", Some(4))],
                ..Default::default()
            }
            .validate(
                &v,
                day.into(),
                at(day),
                &feltsense_core::when::TimeRange::around(at(day).to_utc()),
            )
            .unwrap()
        };
        // Weeks of 7 and 14 Sep with check-ins, 21 and 28 Sep without, 5 Oct again.
        let period = [on("2026-09-08"), on("2026-09-15"), on("2026-10-06")];
        let svg = trend_chart(&period, date("2026-09-07"), date("2026-10-11"), &v);
        let path = svg.split("<path class=\"s1\" d=\"").nth(1).unwrap();
        let path = path.split('"').next().unwrap();
        assert_eq!(path.matches('M').count(), 2, "two runs: {path}");
        assert_eq!(path.matches('L').count(), 1, "{path}");
        assert!(!svg.contains("class=\"fit\""), "no fitted line");
    }

    #[test]
    fn attendance_counts_days_not_check_ins() {
        assert_eq!(
            attendance(&[], date("2026-09-03"), date("2026-12-01")),
            "Checked in on 0 of 90 days (0 check-ins)."
        );
    }
}
