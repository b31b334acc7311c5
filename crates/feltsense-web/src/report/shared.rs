//! A person's shared data as a page of `feltsense server`, for a reader
//! (a clinician, a trusted person, an admin under emergency access): the
//! report's own sections, read-only, each only when its kind is shared,
//! on the app's linked stylesheet (the server's CSP allows no inline
//! style) and with no form and no link to a writing page.

use super::sections::{self, FigureLine, Questionnaire};
use super::within;
use crate::pages::calendar::{story_across, Month};
use crate::pages::insights::{for_reader, InsightsPage};
use askama::Template;
use chrono::NaiveDate;
use feltsense_core::assessments::{Response, SCREENING};
use feltsense_core::bridges::Bridge;
use feltsense_core::metrics::compare::then_and_now;
use feltsense_core::metrics::profile::NOT_A_DIAGNOSIS;
use feltsense_core::{CheckIn, JournalEntry, SafetyPlan, Vocabulary};

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
    /// `Some(None)`: the safety plan is shared but not written yet.
    pub safety_plan: Option<Option<&'a SafetyPlan>>,
    /// A trusted person's view: words and colours, no figures.
    pub gentle: bool,
    /// The report's sections' period.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The calendar's and the insights' period, in words ("the last
    /// year"): `checkins` holds only its check-ins.
    pub calendar: String,
    /// The periods a reader may choose: (address, words, chosen).
    pub periods: Vec<(String, String, bool)>,
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
    insights: InsightsPage,
    feelings: String,
    regions: String,
}

#[derive(Template)]
#[template(path = "shared.html")]
struct Shared<'a> {
    title: String,
    notice: String,
    back: (String, String),
    period: String,
    gentle: bool,
    felt: Option<Felt>,
    questionnaires: Option<Vec<Questionnaire>>,
    bridges: Option<Vec<String>>,
    journal: Option<Vec<(String, String)>>,
    safety_plan: Option<Vec<(&'a str, &'a str)>>,
    calendar: String,
    periods: Vec<(String, String, bool)>,
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
        (data.safety_plan.is_none(), "safety plan"),
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
        safety_plan: data.safety_plan.map(in_their_words),
        calendar: data.calendar.clone(),
        periods: data.periods.clone(),
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
        months: story_across(all, to, v),
        insights: for_reader(all, data.bridges, v),
        feelings: sections::top_feelings(&period),
        regions: sections::top_regions(&period),
        summary: compared.summary,
    }
}

/// The plan's steps as its page shows them, each with its words (empty:
/// the step left empty); none when nothing is written yet.
fn in_their_words(plan: Option<&SafetyPlan>) -> Vec<(&str, &str)> {
    plan.map(|p| p.steps().map(|(_, step, words)| (step, words)).to_vec())
        .unwrap_or_default()
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
        with_plan(journal, None, gentle)
    }

    fn checkins() -> Vec<CheckIn> {
        let v = Vocabulary::embedded();
        let today = chrono::Utc::now().fixed_offset();
        (0..40)
            .map(|i| {
                let draft = feltsense_core::CheckInDraft {
                    feelings: vec![feltsense_core::FeelingRating::new("calm", Some(4))],
                    pleasantness: Some(2),
                    energy: Some(-1),
                    ..Default::default()
                };
                let at = today - chrono::Duration::days(i * 3);
                let range = feltsense_core::when::TimeRange::around(chrono::Utc::now());
                draft.validate(&v, format!("c{i}"), at, &range).unwrap()
            })
            .collect()
    }

    fn with_plan(
        journal: Option<&[JournalEntry]>,
        plan: Option<Option<&SafetyPlan>>,
        gentle: bool,
    ) -> String {
        let vocabulary = Vocabulary::embedded();
        let checkins = checkins();
        render_shared(&SharedData {
            banner: "Sam's shared data — read-only".into(),
            notice: "feltsense does not alert anyone.".into(),
            back: ("/clinician".into(), "Back".into()),
            checkins: Some(&checkins),
            questionnaires: None,
            bridges: None,
            journal,
            safety_plan: plan,
            gentle,
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: chrono::Utc::now().date_naive(),
            calendar: "Everything shared with you".into(),
            periods: vec![(
                "/clinician/person/x?days=90".into(),
                "90 days".into(),
                false,
            )],
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
        assert!(html
            .contains("Not shared with you: questionnaires, bridges and practices, safety plan."));
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
        let insights = section(&html, "insights");
        assert!(insights.contains("Is colour coming back?"), "{insights}");
        assert!(insights.contains("Named most often: calm."), "{insights}");
        assert!(
            !insights.contains("<svg") && !insights.contains("<details"),
            "{insights}"
        );
        // Quotes are escaped as numbered entities: words, not figures.
        let unescaped = insights.replace("&#34;", "\"").replace("&#39;", "'");
        let mut words = unescaped
            .split('<')
            .map(|t| t.split_once('>').map_or(t, |(_, w)| w));
        let figure = words.any(|w| w.chars().any(|c| c.is_ascii_digit()));
        assert!(!figure, "no figure in the words: {insights}");
    }

    /// The HTML of `<section id="{id}">`.
    fn section(html: &str, id: &str) -> String {
        let start = html.find(&format!("<section id=\"{id}\">")).unwrap();
        let end = html[start..].find("</section>").unwrap();
        html[start..start + end].to_string()
    }

    #[test]
    fn a_clinician_sees_the_insight_cards_and_the_calendar_across_months() {
        let html = page(None, false);
        let insights = section(&html, "insights");
        assert!(insights.contains("id=\"card-trend\"") && insights.contains("<svg"));
        assert!(insights.contains("screening, not diagnosis"), "{insights}");
        assert!(insights.contains("Numbness profile"));
        let calendar = section(&html, "calendar");
        let today = chrono::Utc::now().date_naive();
        let months = calendar.matches("<div class=\"month\">").count();
        assert!(months >= 4, "about four months of check-ins: {months}");
        assert!(calendar.contains(&today.format("%B %Y").to_string()));
        assert!(calendar.contains("?days=90"), "the period chooser");
    }

    #[test]
    fn the_safety_plan_shows_in_their_words_only_when_shared() {
        let mut plan = SafetyPlan::default();
        plan.set("warning_signs", "when I stop answering messages");
        let shown = with_plan(None, Some(Some(&plan)), true);
        let section = section(&shown, "safety-plan");
        assert!(section.contains("when I stop answering messages"));
        assert!(section.contains("1. My warning signs") && section.contains("(left empty)"));
        let unwritten = with_plan(None, Some(None), false);
        assert!(unwritten.contains("No safety plan is written yet."));
        let unshared = page(None, false);
        assert!(!unshared.contains("id=\"safety-plan\""));
        assert!(unshared.contains("safety plan, journal entries."));
    }
}
