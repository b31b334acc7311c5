use super::present;
use crate::failure;
use crate::settings::Settings;
use chrono::{DateTime, Duration, Local, NaiveDate, TimeZone, Utc};
use feltsense_core::Vocabulary;
use feltsense_store::Store;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only check-ins from this far back (`7d`, `12h`, `4w`) or since a
    /// date (`2026-11-01`, local midnight) or an RFC 3339 time.
    #[arg(long, value_name = "7d|DATE")]
    since: Option<String>,
    /// Print JSON records with stable field names instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let since = match args.since.as_deref() {
        Some(text) => Some(
            parse_since(text, Utc::now()).map_err(|e| failure::input(format!("--since: {e}")))?,
        ),
        None => None,
    };
    let store = settings.open_store()?;
    let check_ins = store.checkins(since)?;
    super::warn_skipped(&store);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if args.json {
        super::pretty::write(&mut out, &check_ins)?;
        writeln!(out)?;
    } else if check_ins.is_empty() {
        let when = if since.is_some() {
            " in that time"
        } else {
            " yet"
        };
        writeln!(
            out,
            "No check-ins{when}. Whenever you like: `feltsense checkin`."
        )?;
    } else {
        let vocabulary = Vocabulary::embedded();
        for c in &check_ins {
            writeln!(out, "{}\n", present::summary(c, &vocabulary))?;
        }
        let n = check_ins.len();
        writeln!(out, "{n} check-in{}.", if n == 1 { "" } else { "s" })?;
    }
    out.flush()?;
    Ok(())
}

/// The longest span a flag takes: 150 years, further back than any record
/// (they start in 1900), and far inside what a date can hold.
pub const MAX_SPAN_DAYS: i64 = 150 * 365;

/// A span of time: `30m`, `12h`, `7d`, `4w`, from zero up to
/// [`MAX_SPAN_DAYS`].
pub fn parse_span(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let bad = || format!("'{text}' is not a span like 7d, 12h or 4w");
    let unit = text.chars().last().ok_or_else(bad)?;
    let amount: i64 = text[..text.len() - unit.len_utf8()]
        .parse()
        .map_err(|_| bad())?;
    let too_long = || {
        format!(
            "'{text}' is longer than feltsense looks back: use 0 to {MAX_SPAN_DAYS}d (150 years)"
        )
    };
    if amount < 0 || !matches!(unit, 'm' | 'h' | 'd' | 'w') {
        return Err(bad());
    }
    let span = match unit {
        'm' => Duration::try_minutes(amount),
        'h' => Duration::try_hours(amount),
        'd' => Duration::try_days(amount),
        _ => Duration::try_weeks(amount),
    }
    .filter(|span| *span <= Duration::days(MAX_SPAN_DAYS))
    .ok_or_else(too_long)?;
    Ok(span)
}

/// `7d`, `12h`, `4w`, `30m`, a date (local midnight) or an RFC 3339 time.
pub fn parse_since(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if text.chars().last().is_some_and(|c| c.is_ascii_alphabetic()) {
        let span = parse_span(text)?;
        return now
            .checked_sub_signed(span)
            .ok_or_else(|| format!("'{text}' reaches back before any date feltsense knows"));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is neither a span (7d) nor a date (2026-11-01)"))?;
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    Local
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| format!("'{text}' has no midnight in the local time zone"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_back_from_now() {
        let now: DateTime<Utc> = "2026-11-25T12:00:00Z".parse().unwrap();
        assert_eq!(
            parse_since("7d", now).unwrap(),
            "2026-11-18T12:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            parse_since("12h", now).unwrap(),
            "2026-11-25T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            parse_since("2w", now).unwrap(),
            "2026-11-11T12:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    #[test]
    fn bad_spans_and_dates_say_what_is_expected() {
        let now = Utc::now();
        assert!(parse_since("7y", now).unwrap_err().contains("7d"));
        assert!(parse_since("-3d", now).is_err());
        assert!(parse_since("2026-13-01", now).unwrap_err().contains("date"));
        assert!(parse_since("2026-11-01", now).is_ok());
    }

    #[test]
    fn spans_longer_than_150_years_are_refused_not_a_panic() {
        let now = Utc::now();
        for huge in [
            "99999999d",
            "54751d",
            "99999999999w",
            "9223372036854775807m",
        ] {
            let e = parse_since(huge, now).unwrap_err();
            assert!(e.contains(huge) && e.contains("54750d"), "{huge}: {e}");
        }
        assert!(parse_since("54750d", now).is_ok());
    }
}
