//! A person's shared data as a page of `feltsense server`, for a reader
//! (a clinician, a trusted person, an admin under emergency access): the
//! report's own sections, read-only, each only when its kind is shared,
//! on the app's linked stylesheet (the server's CSP allows no inline
//! style) and with no form and no link to a writing page.

use super::sections::{self, FigureLine, Questionnaire};
use super::within;
use crate::pages::calendar::Month;
use askama::Template;
use chrono::NaiveDate;
use feltsense_core::assessments::{Response, SCREENING};
use feltsense_core::bridges::Bridge;
use feltsense_core::metrics::compare::then_and_now;
use feltsense_core::metrics::profile::NOT_A_DIAGNOSIS;
use feltsense_core::{CheckIn, JournalEntry, Vocabulary};

/// What a reader may see; `None`: that kind is not shared with them.
pub struct SharedData<'a> {
    /// "Sam's shared data — read-only".
    pub banner: String,
    /// What the reader should know (who is told, that nobody watches).
    pub notice: String,
    /// Where "back" goes, and its words.
    pub back: (String, String),
    pub checkins: Option<&'a [CheckIn]>,
    pub questionnaires: Option<&'a [Response]>,
    pub bridges: Option<&'a [Bridge]>,
    pub journal: Option<&'a [JournalEntry]>,
    /// A trusted person's view: words and colours, no figures.
    pub gentle: bool,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub vocabulary: &'a Vocabulary,
}

/// The check-in sections.
struct Felt {
    attendance: String,
    summary: String,
    then_label: String,
    now_label: String,
    figures: Vec<FigureLine>,
    trend_chart: String,
    months: Vec<Month>,
    feelings: String,
    regions: String,
}

#[derive(Template)]
#[template(path = "shared.html")]
struct Shared {
    title: String,
    notice: String,
    back: (String, String),
    period: String,
    gentle: bool,
    felt: Option<Felt>,
    questionnaires: Option<Vec<Questionnaire>>,
    bridges: Option<Vec<String>>,
    journal: Option<Vec<(String, String)>>,
    not_shared: String,
    screening: &'static str,
    not_a_diagnosis: &'static str,
}

/// The page, or askama's formatter error.
pub fn render_shared(data: &SharedData<'_>) -> Result<String, askama::Error> {
    let (from, to) = (data.from, data.to);
    let not_shared: Vec<&str> = [
        (data.checkins.is_none(), "check-ins, calendar and insights"),
        (data.questionnaires.is_none(), "questionnaires"),
        (data.bridges.is_none(), "bridges and practices"),
        (data.journal.is_none(), "journal entries"),
    ]
    .into_iter()
    .filter_map(|(missing, what)| missing.then_some(what))
    .collect();
    Shared {
        title: data.banner.clone(),
        notice: data.notice.clone(),
        back: data.back.clone(),
        period: format!("{} to {}", long(from), long(to)),
        gentle: data.gentle,
        felt: data.checkins.map(|c| felt(c, data)),
        questionnaires: data
            .questionnaires
            .map(|q| sections::questionnaires(q, from, to)),
        bridges: data.bridges.map(|b| sections::bridges(b, from, to)),
        journal: data.journal.map(whole_entries),
        not_shared: not_shared.join(", "),
        screening: SCREENING,
        not_a_diagnosis: NOT_A_DIAGNOSIS,
    }
    .render()
}

fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn felt(all: &[CheckIn], data: &SharedData<'_>) -> Felt {
    let (from, to, v) = (data.from, data.to, data.vocabulary);
    let period: Vec<CheckIn> = all
        .iter()
        .filter(|c| within(c.at, from, to))
        .cloned()
        .collect();
    let compared = then_and_now(&period, from, to, v);
    let short = |w: &feltsense_core::metrics::compare::Window| {
        format!("{} – {}", w.from.format("%-d %b"), w.to.format("%-d %b"))
    };
    Felt {
        attendance: sections::attendance(&period, from, to),
        then_label: short(&compared.then),
        now_label: short(&compared.now),
        figures: sections::figures(&compared),
        trend_chart: sections::trend_chart(&period, from, to, v),
        months: sections::months_in(&period, from, to, v),
        feelings: sections::top_feelings(&period),
        regions: sections::top_regions(&period),
        summary: compared.summary,
    }
}

/// Shared entries whole, newest first (the report cuts excerpts; a reader
/// the person chose an entry for sees all of it).
fn whole_entries(entries: &[JournalEntry]) -> Vec<(String, String)> {
    let mut sorted: Vec<&JournalEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.at));
    sorted
        .into_iter()
        .map(|e| (e.at.format("%-d %b %Y, %H:%M").to_string(), e.text.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};

    fn entry(text: &str) -> JournalEntry {
        let at = FixedOffset::east_opt(0)
            .unwrap()
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .unwrap();
        JournalEntry::new("e1".into(), at, text).unwrap()
    }

    fn page(journal: Option<&[JournalEntry]>, gentle: bool) -> String {
        let vocabulary = Vocabulary::embedded();
        render_shared(&SharedData {
            banner: "Sam's shared data — read-only".into(),
            notice: "feltsense does not alert anyone.".into(),
            back: ("/clinician".into(), "Back".into()),
            checkins: Some(&[]),
            questionnaires: None,
            bridges: None,
            journal,
            gentle,
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            vocabulary: &vocabulary,
        })
        .unwrap()
    }

    #[test]
    fn only_shared_kinds_show_and_nothing_can_be_written() {
        let shared = [entry("a whole entry, not cut")];
        let html = page(Some(&shared), false);
        assert!(html.contains("shared data — read-only</h1>"));
        assert!(html.contains("a whole entry, not cut"));
        assert!(html.contains("Not shared with you: questionnaires, bridges and practices."));
        assert!(!html.contains("id=\"questionnaires\""));
        assert!(!html.contains("<form"));
        assert!(!html.contains("<style"));
        let unshared = page(None, false);
        assert!(!unshared.contains("id=\"journal\""));
        assert!(unshared.contains("journal entries."));
    }

    #[test]
    fn the_gentle_view_has_words_and_colours_but_no_figures() {
        let html = page(None, true);
        assert!(html.contains("id=\"calendar\"") && html.contains("Feelings:"));
        assert!(!html.contains("class=\"figures\"") && !html.contains("id=\"trend\""));
    }
}
