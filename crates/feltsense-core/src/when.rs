//! The times feltsense accepts for anything a person records: from the
//! start of 1900 to one day ahead of now. A time outside that is a typo
//! (`+12026-01-01`, `-2026-11-24`) and is refused where it comes in, so one
//! impossible date can never reach the store and break reading it.
//!
//! The crate reads no clock: the caller passes "now".
//!
//! ```
//! use chrono::{DateTime, Utc};
//! use feltsense_core::when::TimeRange;
//! let now: DateTime<Utc> = "2026-12-01T10:00:00Z".parse().unwrap();
//! let accepted = TimeRange::around(now);
//! assert!(accepted.check("2026-11-30T09:00:00+01:00".parse().unwrap()).is_ok());
//! assert!(accepted.check("1899-12-31T23:00:00Z".parse().unwrap()).is_err());
//! ```

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use std::fmt;

/// The first year a record may fall in.
pub const EARLIEST_YEAR: i32 = 1900;

/// From 1900-01-01T00:00Z to one day after "now", both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    earliest: DateTime<Utc>,
    latest: DateTime<Utc>,
}

/// A time outside [`TimeRange`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfRange {
    /// The time as given, RFC 3339.
    pub at: String,
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is outside the times feltsense accepts (from {EARLIEST_YEAR}-01-01 to one day ahead of now)",
            self.at
        )
    }
}

impl std::error::Error for OutOfRange {}

impl TimeRange {
    /// The accepted range when it is `now`.
    pub fn around(now: DateTime<Utc>) -> TimeRange {
        let earliest = NaiveDate::from_ymd_opt(EARLIEST_YEAR, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("1900-01-01 is a date")
            .and_utc();
        TimeRange {
            earliest,
            latest: now + Duration::days(1),
        }
    }

    /// Whether `at` is inside the range.
    pub fn contains(&self, at: DateTime<FixedOffset>) -> bool {
        let at = at.with_timezone(&Utc);
        self.earliest <= at && at <= self.latest
    }

    /// `at` itself, or why it is refused.
    pub fn check(&self, at: DateTime<FixedOffset>) -> Result<(), OutOfRange> {
        if self.contains(at) {
            Ok(())
        } else {
            Err(OutOfRange {
                at: at.to_rfc3339(),
            })
        }
    }

    /// Whether a stored time in milliseconds since 1970 (UTC) is inside.
    pub fn contains_millis(&self, ms: i64) -> bool {
        self.earliest.timestamp_millis() <= ms && ms <= self.latest.timestamp_millis()
    }
}

/// Serialises a time exactly as chrono's own `Serialize` does (RFC 3339,
/// `Z` for UTC, a fraction only when there is one), but as one string:
/// chrono hands the serializer one character at a time, which serde_json
/// escapes one by one (a tenth of `log --json` over ten years).
pub fn serialize<S: serde::Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

/// A time as a person types it: RFC 3339, or a local date and time
/// (`2026-11-25T08:30`, a space for the `T`, seconds optional, as a browser's
/// `datetime-local` field sends it) given its offset by `local` (`None`: that
/// local time does not exist, as in a clock change). The range is not
/// checked here; [`TimeRange::check`] does that.
pub fn parse(
    text: &str,
    local: impl Fn(NaiveDateTime) -> Option<DateTime<FixedOffset>>,
) -> Result<DateTime<FixedOffset>, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t);
    }
    for format in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return local(naive)
                .ok_or_else(|| format!("'{text}' does not exist in the local time zone"));
        }
    }
    Err(format!(
        "'{text}' is not a time; use 2026-11-25T08:30 or RFC 3339"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_serialise_as_chrono_serialises_them() {
        #[derive(serde::Serialize)]
        struct At(#[serde(serialize_with = "serialize")] DateTime<FixedOffset>);
        for text in [
            "2026-11-20T08:30:00+01:00",
            "2026-11-20T08:30:00Z",
            "2026-11-20T08:30:00.5-05:30",
            "2026-11-20T08:30:00.123456789+14:00",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999+00:00",
        ] {
            let t = DateTime::parse_from_rfc3339(text).unwrap();
            let ours = serde_json::to_string(&At(t)).unwrap();
            assert_eq!(ours, serde_json::to_string(&t).unwrap(), "{text}");
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-12-01T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn accepts_the_start_of_1900_and_one_day_ahead() {
        let r = TimeRange::around(now());
        assert!(r.check("1900-01-01T00:00:00Z".parse().unwrap()).is_ok());
        assert!(r.check("2026-12-02T10:00:00Z".parse().unwrap()).is_ok());
        assert!(r
            .check("2026-12-02T11:00:00+01:00".parse().unwrap())
            .is_ok());
    }

    #[test]
    fn refuses_typos_of_the_year_and_says_what_is_accepted() {
        let r = TimeRange::around(now());
        let far: DateTime<FixedOffset> = "2026-12-02T10:00:01Z".parse().unwrap();
        assert!(r.check(far).is_err());
        let old = DateTime::parse_from_rfc3339("1899-12-31T23:59:59Z").unwrap();
        let e = r.check(old).unwrap_err();
        assert!(e
            .to_string()
            .contains("from 1900-01-01 to one day ahead of now"));
        assert!(!r.contains_millis(i64::MAX));
        assert!(r.contains_millis(0));
    }

    #[test]
    fn parses_rfc_3339_and_local_times_through_the_callers_offset() {
        let plus_two = |n: NaiveDateTime| {
            FixedOffset::east_opt(7200).and_then(|o| n.and_local_timezone(o).single())
        };
        let t = parse("2026-11-25T08:30:00-05:00", plus_two).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-25T08:30:00-05:00");
        let t = parse(" 2026-11-25T08:30 ", plus_two).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-25T08:30:00+02:00");
        assert!(parse("2026-11-25 08:30:15", plus_two).is_ok());
        let gap = parse("2026-03-29T02:30", |_| None).unwrap_err();
        assert!(gap.contains("does not exist"), "{gap}");
        assert!(parse("yesterday", plus_two)
            .unwrap_err()
            .contains("not a time"));
    }
}
