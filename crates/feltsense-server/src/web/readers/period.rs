//! The period of a person page's calendar and insights: `?days=90`,
//! `?days=365` or `?days=all` (the default: everything shared).

use super::DAYS;
use crate::sharing::view::Since;
use crate::web::page::Problem;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// How far back the calendar reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(i64),
    All,
}

/// Each period: its value in the address, and its words.
const CHOICES: [(&str, Period, &str); 3] = [
    ("90", Period::Days(90), "90 days"),
    ("365", Period::Days(365), "A year"),
    ("all", Period::All, "Everything shared"),
];

impl Period {
    /// The period `days` names (none given: everything), or a calm 400.
    pub fn parse(days: Option<&str>) -> Result<Period, Response> {
        let Some(given) = days else {
            return Ok(Period::All);
        };
        let known = CHOICES.iter().find(|c| c.0 == given.trim());
        known.map(|c| c.1).ok_or_else(|| {
            let why =
                format!("days: '{given}' is not a period this page shows; choose 90, 365 or all.");
            Problem::new(StatusCode::BAD_REQUEST, why).into_response()
        })
    }

    /// Its first day, up to `today` (`None`: no first day).
    pub fn first_day(self, today: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Days(n) => Some(today - Duration::days(n - 1)),
            Period::All => None,
        }
    }

    /// From when the page reads: the calendar's period for check-ins (at
    /// least the report's 90 days), the report's for questionnaires and
    /// bridges.
    pub fn since(self, today: NaiveDate) -> Since {
        let report = today - Duration::days(DAYS - 1);
        Since {
            checkins: self.first_day(today).map(|d| earliest(d.min(report))),
            report: Some(earliest(report)),
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Period::Days(90) => "The last 90 days",
            Period::Days(_) => "The last year",
            Period::All => "Everything shared with you",
        }
    }

    /// The chooser's links to `address`: (link, words, chosen).
    pub fn choices(self, address: &str) -> Vec<(String, String, bool)> {
        CHOICES
            .iter()
            .map(|(days, p, words)| {
                (
                    format!("{address}?days={days}"),
                    words.to_string(),
                    *p == self,
                )
            })
            .collect()
    }
}

/// The earliest instant whose own local date can be `day` (UTC+14): a
/// record is kept by its instant, shown by its local date.
fn earliest(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc() - Duration::hours(14)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_90_365_or_all_and_anything_else_is_a_calm_400() {
        assert_eq!(Period::parse(None).unwrap(), Period::All);
        assert_eq!(Period::parse(Some("365")).unwrap(), Period::Days(365));
        assert_eq!(Period::parse(Some("90")).unwrap(), Period::Days(90));
        for bad in ["7", "-1", "all-of-it", "", "3650"] {
            let refused = Period::parse(Some(bad)).unwrap_err();
            assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{bad}");
        }
    }

    #[test]
    fn the_page_reads_check_ins_from_the_period_and_the_rest_from_90_days() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let year = Period::Days(365).since(today);
        let first = NaiveDate::from_ymd_opt(2025, 12, 2).unwrap();
        assert_eq!(year.checkins, Some(earliest(first)));
        let report = NaiveDate::from_ymd_opt(2026, 9, 3).unwrap();
        assert_eq!(year.report, Some(earliest(report)));
        assert_eq!(Period::All.since(today).checkins, None);
        assert_eq!(earliest(report).to_rfc3339(), "2026-09-02T10:00:00+00:00");
    }
}
