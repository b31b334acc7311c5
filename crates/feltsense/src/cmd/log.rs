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
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &check_ins)?;
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

/// A span of time: `30m`, `12h`, `7d`, `4w` (zero or more).
pub fn parse_span(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let bad = || format!("'{text}' is not a span like 7d, 12h or 4w");
    let unit = text.chars().last().ok_or_else(bad)?;
    let amount: i64 = text[..text.len() - unit.len_utf8()]
        .parse()
        .map_err(|_| bad())?;
    match unit {
        'm' => Duration::try_minutes(amount),
        'h' => Duration::try_hours(amount),
        'd' => Duration::try_days(amount),
        'w' => Duration::try_weeks(amount),
        _ => None,
    }
    .filter(|_| amount >= 0)
    .ok_or_else(bad)
}

/// `7d`, `12h`, `4w`, `30m`, a date (local midnight) or an RFC 3339 time.
pub fn parse_since(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if text.chars().last().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Ok(now - parse_span(text)?);
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
}
