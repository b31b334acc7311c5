//! "Is colour coming back?": weekly means and a fitted slope with its 95%
//! interval, so a change is only called a change when the interval says so.

use super::insights::means;
use super::stats::{ols_slope, Slope};
use crate::{CheckIn, Vocabulary};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// Weeks with at least this many check-ins that gave an intensity (or
/// "nothing") count towards the slope.
pub const MIN_PER_WEEK: usize = 3;
/// The slope needs this many such weeks.
pub const MIN_WEEKS: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Week {
    /// The Monday the week starts on (dates as the check-ins were written).
    pub starts: NaiveDate,
    pub checkins: usize,
    /// Of them, how many gave an intensity (or "nothing"): mood-only
    /// check-ins do not.
    pub rated: usize,
    pub intensity: Option<f64>,
    pub numb_rate: Option<f64>,
    pub clarity: Option<f64>,
    pub pa: Option<f64>,
    pub na: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    NotEnoughData,
    Rising,
    Falling,
    NoClearChange,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub weeks: Vec<Week>,
    /// Change in mean intensity per week (of 10), fitted by least squares
    /// over the weeks with at least [`MIN_PER_WEEK`] check-ins.
    pub intensity_slope: Option<Slope>,
    pub direction: Direction,
    pub summary: String,
}

pub const REACTIVITY_NOTE: &str = "Clarity and granularity tend to rise simply from checking in \
often (measurement reactivity), so a rise in those alone is not proof of recovery.";

/// Weekly figures over the check-ins given (any order).
pub fn weekly(check_ins: &[CheckIn], vocabulary: &Vocabulary) -> Trend {
    let mut by_week: BTreeMap<NaiveDate, Vec<&CheckIn>> = BTreeMap::new();
    for c in check_ins {
        let date = c.at.date_naive();
        let monday = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
        by_week.entry(monday).or_default().push(c);
    }
    let weeks: Vec<Week> = by_week
        .iter()
        .map(|(&starts, cs)| {
            let m = means(cs.iter().copied(), vocabulary);
            Week {
                starts,
                checkins: cs.len(),
                rated: m.intensity_n,
                intensity: m.intensity,
                numb_rate: m.numb_rate,
                clarity: m.clarity,
                pa: m.pa,
                na: m.na,
            }
        })
        .collect();
    let first = weeks.first().map(|w| w.starts);
    let points: Vec<(f64, f64)> = weeks
        .iter()
        .filter(|w| w.rated >= MIN_PER_WEEK)
        .filter_map(|w| Some(((w.starts - first?).num_days() as f64 / 7.0, w.intensity?)))
        .collect();
    let slope = if points.len() >= MIN_WEEKS {
        ols_slope(&points)
    } else {
        None
    };
    let direction = match slope {
        None => Direction::NotEnoughData,
        Some(s) if s.low > 0.0 => Direction::Rising,
        Some(s) if s.high < 0.0 => Direction::Falling,
        Some(_) => Direction::NoClearChange,
    };
    Trend {
        summary: summary(direction, slope),
        weeks,
        intensity_slope: slope,
        direction,
    }
}

fn summary(direction: Direction, slope: Option<Slope>) -> String {
    let Some(s) = slope else {
        return format!(
            "Not enough data yet: a trend needs {MIN_WEEKS} weeks with at least {MIN_PER_WEEK} check-ins each."
        );
    };
    let range = format!("{:+.2} to {:+.2} a week, over {} weeks", s.low, s.high, s.n);
    match direction {
        Direction::Rising => format!(
            "Colour seems to be coming back: feelings are getting stronger by about {:+.2} of 10 a week ({range}).",
            s.slope
        ),
        Direction::Falling => format!(
            "Feelings have been getting quieter, by about {:.2} of 10 a week ({range}). \
             That is worth noticing gently, and perhaps sharing with someone you trust.",
            s.slope.abs()
        ),
        _ => format!("No clear change yet in how strongly feelings arrive ({range})."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::insights::tests::{check, feel};

    /// The week (from 0) of test check-in `i`: hours 9 + 8i from a Monday.
    fn week(i: i64) -> u8 {
        ((9 + 8 * i) / (24 * 7)) as u8
    }

    #[test]
    fn rising_intensity_is_called_rising_with_its_interval() {
        let v = Vocabulary::embedded();
        // 6 weeks, 3 check-ins a day (8-hour steps), intensity rising by 1 a week.
        let all: Vec<CheckIn> = (0..123)
            .map(|i| check(i, feel(&[("happy", 2 + week(i))])))
            .collect();
        let t = weekly(&all, &v);
        assert_eq!(t.weeks.len(), 6);
        assert_eq!(t.weeks[0].starts.weekday(), chrono::Weekday::Mon);
        let s = t.intensity_slope.unwrap();
        assert!((s.slope - 1.0).abs() < 1e-9, "{s:?}");
        assert_eq!(t.direction, Direction::Rising);
        assert!(t.summary.contains("coming back"));
    }

    #[test]
    fn flat_noise_is_no_clear_change() {
        let v = Vocabulary::embedded();
        let all: Vec<CheckIn> = (0..123)
            .map(|i| check(i, feel(&[("sad", 4 + week(i) % 2)])))
            .collect();
        let t = weekly(&all, &v);
        assert_eq!(t.direction, Direction::NoClearChange);
        assert!(t.summary.contains("No clear change"));
    }

    #[test]
    fn a_few_weeks_are_not_enough() {
        let v = Vocabulary::embedded();
        let all: Vec<CheckIn> = (0..40).map(|i| check(i, feel(&[("sad", 4)]))).collect();
        let t = weekly(&all, &v);
        assert_eq!(t.direction, Direction::NotEnoughData);
        assert!(t.summary.starts_with("Not enough data yet"));
    }
}
