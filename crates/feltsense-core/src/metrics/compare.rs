//! Then against now: the first four weeks of a period beside the last four,
//! the same figures with their n, and the numbness profile of each. The
//! report and the insights page both read this one comparison, so what
//! they say about change can never contradict the profile they show.

use super::insights::{insights, rows, Figure, Insights, Row};
use super::profile::{profile, NumbnessProfile, Pattern};
use crate::CheckIn;
use crate::Vocabulary;
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// The length of each window: four weeks.
pub const WINDOW_DAYS: i64 = 28;
/// A change in mean intensity (of 10) this large counts as a change.
pub const INTENSITY_STEP: f64 = 0.5;
/// A change in the numb rate this large (ten points) counts as a change.
pub const NUMB_STEP: f64 = 0.1;

/// One window: its days (both included), figures and profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub insights: Insights,
    pub profile: NumbnessProfile,
}

/// Which way the two windows point, from intensity and the numb rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shift {
    NotEnoughData,
    MoreColour,
    LessColour,
    NoClearChange,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThenAndNow {
    pub then: Window,
    pub now: Window,
    pub shift: Shift,
    /// One plain sentence that names both profiles and the change.
    pub summary: String,
}

impl ThenAndNow {
    /// The figures side by side: `before` is then, `now` is now.
    pub fn rows(&self) -> Vec<Row> {
        rows(&self.now.insights, &self.then.insights)
    }
}

/// The two windows of `from..=to`: the first and last four weeks, or the
/// two halves when the period is shorter than eight weeks.
pub fn windows(from: NaiveDate, to: NaiveDate) -> ((NaiveDate, NaiveDate), (NaiveDate, NaiveDate)) {
    let days = (to - from).num_days() + 1;
    let span = WINDOW_DAYS.min(days / 2).max(1);
    let then = (from, from + Duration::days(span - 1));
    let now = ((to - Duration::days(span - 1)).max(from), to);
    (then, now)
}

/// Compares the first four weeks of `from..=to` with the last four.
pub fn then_and_now(
    check_ins: &[CheckIn],
    from: NaiveDate,
    to: NaiveDate,
    vocabulary: &Vocabulary,
) -> ThenAndNow {
    let (a, b) = windows(from, to);
    let then = window(check_ins, a, vocabulary);
    let now = window(check_ins, b, vocabulary);
    let shift = shift(&then.insights, &now.insights);
    ThenAndNow {
        summary: summary(&then, &now, shift),
        then,
        now,
        shift,
    }
}

fn window(check_ins: &[CheckIn], (from, to): (NaiveDate, NaiveDate), v: &Vocabulary) -> Window {
    let ins = insights(
        check_ins.iter().filter(|c| {
            let d = c.at.date_naive();
            d >= from && d <= to
        }),
        v,
    );
    Window {
        from,
        to,
        profile: profile(&ins),
        insights: ins,
    }
}

/// More colour when intensity rose by half a point or the numb rate fell by
/// ten points, and neither moved the other way; less colour the reverse.
pub fn shift(then: &Insights, now: &Insights) -> Shift {
    let step = |a: Figure, b: Figure, size: f64| match (a.value, b.value) {
        (Some(x), Some(y)) if y - x >= size => Some(1),
        (Some(x), Some(y)) if x - y >= size => Some(-1),
        (Some(_), Some(_)) => Some(0),
        _ => None,
    };
    let (Some(intensity), Some(numb)) = (
        step(then.intensity, now.intensity, INTENSITY_STEP),
        step(then.numb_rate, now.numb_rate, NUMB_STEP),
    ) else {
        return Shift::NotEnoughData;
    };
    let colour = [intensity, -numb];
    if colour.contains(&1) && !colour.contains(&-1) {
        Shift::MoreColour
    } else if colour.contains(&-1) && !colour.contains(&1) {
        Shift::LessColour
    } else {
        Shift::NoClearChange
    }
}

fn name(p: &NumbnessProfile) -> &'static str {
    match p.pattern {
        Pattern::NotEnoughData => "not enough data yet",
        Pattern::MutedAcrossTheBoard => "muted across the board",
        Pattern::LowMood => "closer to low mood",
        Pattern::SteadyAndVaried => "steady and varied",
        Pattern::Mixed => "no single pattern",
    }
}

fn summary(then: &Window, now: &Window, shift: Shift) -> String {
    let (t, n) = (&then.insights, &now.insights);
    let profiles = format!(
        "The first four weeks read as {} ({} check-ins); the last four as {} ({} check-ins).",
        name(&then.profile),
        t.checkins,
        name(&now.profile),
        n.checkins
    );
    let figures = |f: fn(&Insights) -> Figure| {
        (
            f(t).value.unwrap_or_default(),
            f(n).value.unwrap_or_default(),
        )
    };
    let (i0, i1) = figures(|i| i.intensity);
    let (r0, r1) = figures(|i| i.numb_rate);
    let change = format!(
        "intensity {i0:.1} then, {i1:.1} now (of 10); \"can't feel much\" {:.0}% then, {:.0}% now",
        r0 * 100.0,
        r1 * 100.0
    );
    let words = match shift {
        Shift::NotEnoughData => format!(
            "Not enough data yet to set them side by side: each needs {} check-ins with an answer about feelings.",
            t.intensity.needs
        ),
        Shift::MoreColour => format!("Colour seems to be coming back: {change}."),
        Shift::LessColour => format!("Feelings seem quieter lately: {change}."),
        Shift::NoClearChange => format!("No clear change between them: {change}."),
    };
    format!("{profiles} {words}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::insights::tests::feel;
    use crate::CheckInDraft;
    use chrono::DateTime;

    fn on(day: NaiveDate, n: usize, draft: CheckInDraft) -> CheckIn {
        let at = DateTime::parse_from_rfc3339(&format!("{day}T09:00:00+01:00")).unwrap();
        draft
            .validate(
                &Vocabulary::embedded(),
                format!("{day}-{n}"),
                at,
                &crate::when::TimeRange::around(at.to_utc()),
            )
            .unwrap()
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Days `first..first+count` with one check-in each from `draft(i)`.
    fn days(first: &str, count: i64, draft: impl Fn(i64) -> CheckInDraft) -> Vec<CheckIn> {
        (0..count)
            .map(|i| on(date(first) + Duration::days(i), 0, draft(i)))
            .collect()
    }

    #[test]
    fn windows_are_the_first_and_last_four_weeks() {
        let (a, b) = windows(date("2026-09-01"), date("2026-11-29"));
        assert_eq!(a, (date("2026-09-01"), date("2026-09-28")));
        assert_eq!(b, (date("2026-11-02"), date("2026-11-29")));
        // A three-week period: halves of ten days, the middle day in neither.
        let (a, b) = windows(date("2026-09-01"), date("2026-09-21"));
        assert_eq!(a, (date("2026-09-01"), date("2026-09-10")));
        assert_eq!(b, (date("2026-09-12"), date("2026-09-21")));
    }

    #[test]
    fn colour_coming_back_by_hand() {
        let v = Vocabulary::embedded();
        // Then: 20 days, every other "nothing", the rest sad 2: intensity
        // (0 + 2) / 2 = 1.0, numb rate 50%. Now: 20 days of happy 6 and sad 4:
        // intensity 5.0, numb rate 0%.
        let mut all = days("2026-09-01", 20, |i| {
            if i % 2 == 0 {
                CheckInDraft {
                    nothing: true,
                    ..Default::default()
                }
            } else {
                feel(&[("sad", 2)])
            }
        });
        all.extend(days("2026-11-05", 20, |_| {
            feel(&[("happy", 6), ("sad", 4)])
        }));
        let c = then_and_now(&all, date("2026-09-01"), date("2026-11-29"), &v);
        assert_eq!(c.then.insights.checkins, 20);
        assert_eq!(c.now.insights.checkins, 20);
        assert_eq!(c.then.insights.intensity.value, Some(1.0));
        assert_eq!(c.then.insights.numb_rate.value, Some(0.5));
        assert_eq!(c.now.insights.intensity.value, Some(5.0));
        assert_eq!(c.now.insights.numb_rate.value, Some(0.0));
        assert_eq!(c.shift, Shift::MoreColour);
        assert_eq!(c.then.profile.pattern, Pattern::MutedAcrossTheBoard);
        assert!(c
            .summary
            .contains("first four weeks read as muted across the board (20"));
        assert!(c.summary.contains("intensity 1.0 then, 5.0 now"));
        assert!(c.summary.contains("50% then, 0% now"));
        let rows = c.rows();
        assert_eq!(rows[1].before.value, Some(1.0));
        assert_eq!(rows[1].now.value, Some(5.0));
    }

    #[test]
    fn a_thin_window_says_not_enough_data_with_its_n() {
        let v = Vocabulary::embedded();
        let mut all = days("2026-09-01", 5, |_| feel(&[("sad", 2)]));
        all.extend(days("2026-11-05", 20, |_| feel(&[("sad", 2)])));
        let c = then_and_now(&all, date("2026-09-01"), date("2026-11-29"), &v);
        assert_eq!(c.shift, Shift::NotEnoughData);
        assert_eq!(c.then.insights.intensity.n, 5);
        assert!(c.summary.contains("not enough data yet (5 check-ins)"));
        assert!(c.summary.contains("each needs 14 check-ins"));
        assert_eq!(
            c.rows()[1]
                .before
                .text(crate::metrics::insights::Unit::Mean),
            "not enough data yet (5 of 14)"
        );
    }

    #[test]
    fn mixed_signals_are_no_clear_change() {
        let v = Vocabulary::embedded();
        // Then: sad 2 every day (intensity 2.0, numb 0%). Now: every other
        // day "nothing", the rest sad 6: intensity 3.0 (up 1.0) but numb
        // rate 50% (up 50 points): the two disagree.
        let mut all = days("2026-09-01", 20, |_| feel(&[("sad", 2)]));
        all.extend(days("2026-11-05", 20, |i| {
            if i % 2 == 0 {
                CheckInDraft {
                    nothing: true,
                    ..Default::default()
                }
            } else {
                feel(&[("sad", 6)])
            }
        }));
        let c = then_and_now(&all, date("2026-09-01"), date("2026-11-29"), &v);
        assert_eq!(c.now.insights.intensity.value, Some(3.0));
        assert_eq!(c.shift, Shift::NoClearChange);
        assert!(c.summary.contains("No clear change"));
    }
}
