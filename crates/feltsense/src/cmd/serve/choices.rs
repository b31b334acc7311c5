//! The web app's choices (crisis-line country, auto-lock time, reminder
//! plan) kept in the config file, line by line, so its comments and
//! everything else in it stay as they were. The result is read back
//! before it is written; a file that would not read is never written.

use crate::config::{self, Config};
use feltsense_core::reminders::Plan;
use feltsense_web::Choices;
use std::path::Path;
use std::time::Duration;

/// Writes `choices` into the config file at `path` (made if missing).
pub fn keep(path: &Path, choices: &Choices) -> anyhow::Result<()> {
    let before = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => config::DEFAULT.to_string(),
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!("could not read {}", path.display())))
        }
    };
    let text = edited(&before, choices);
    config::parse(&text).map_err(|e| anyhow::anyhow!("the changed file would not read: {e}"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    super::super::write_file_atomically(path, text.as_bytes())
}

fn edited(text: &str, c: &Choices) -> String {
    let plan = &c.reminders;
    let quoted = |v: String| format!("\"{v}\"");
    let mut text = set(text, None, "locale", c.country.clone().map(quoted));
    text = set(
        &text,
        None,
        "auto_lock",
        Some(quoted(idle_words(c.auto_lock))),
    );
    let reminders = [
        ("per_day", plan.per_day.to_string()),
        ("from", quoted(plan.start.format("%H:%M").to_string())),
        ("until", quoted(plan.end.format("%H:%M").to_string())),
        ("min_gap", plan.min_gap_minutes.to_string()),
    ];
    for (key, value) in reminders {
        text = set(&text, Some("reminders"), key, Some(value));
    }
    text
}

/// A duration as the config file writes it: "90s", "15m" or "2h".
pub fn idle_words(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// Whether `line` sets `key` (`key = ...`), perhaps commented out.
fn sets(line: &str, key: &str, commented: bool) -> bool {
    let mut rest = line.trim_start();
    if commented {
        let Some(after) = rest.strip_prefix('#') else {
            return false;
        };
        rest = after.trim_start();
    }
    rest.strip_prefix(key)
        .is_some_and(|after| after.trim_start().starts_with('='))
}

/// `text` with `key` set to `value` (TOML) in `section` (`None`: the top,
/// before any section), or removed when `value` is `None`. An existing
/// line is replaced, else a commented-out one, else a line is added at the
/// section's end.
fn set(text: &str, section: Option<&str>, key: &str, value: Option<String>) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let (start, end) = section_span(&lines, section);
    let active = (start..end).find(|&i| sets(&lines[i], key, false));
    let commented = (start..end).find(|&i| sets(&lines[i], key, true));
    match (value, active) {
        (None, Some(i)) => {
            lines.remove(i);
        }
        (None, None) => {}
        (Some(v), Some(i)) => lines[i] = format!("{key} = {v}"),
        (Some(v), None) => match commented {
            Some(i) => lines.insert(i + 1, format!("{key} = {v}")),
            None if start == end && section.is_some() && !has_header(&lines, section) => {
                lines.push(format!("\n[{}]", section.unwrap_or_default()));
                lines.push(format!("{key} = {v}"));
            }
            None => lines.insert(end, format!("{key} = {v}")),
        },
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn header(line: &str) -> Option<&str> {
    line.trim()
        .strip_prefix('[')?
        .strip_suffix(']')
        .map(str::trim)
}

fn has_header(lines: &[String], section: Option<&str>) -> bool {
    lines.iter().any(|l| header(l) == section)
}

/// The lines of `section` (after its header), as `start..end`; for `None`
/// the lines before the first header. Trailing blank lines stay outside.
fn section_span(lines: &[String], section: Option<&str>) -> (usize, usize) {
    let start = match section {
        None => 0,
        Some(_) => match lines.iter().position(|l| header(l) == section) {
            Some(i) => i + 1,
            None => return (lines.len(), lines.len()),
        },
    };
    let mut end = (start..lines.len())
        .find(|&i| header(&lines[i]).is_some())
        .unwrap_or(lines.len());
    while end > start && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    (start, end)
}

/// The choices the config file holds, as the web app starts with them.
pub fn from_config(config: &Config) -> (Option<Duration>, Plan) {
    let r = &config.reminders;
    let time = |t: &str| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
    let default = Plan::default();
    let plan = Plan {
        per_day: r.per_day,
        start: time(&r.from).unwrap_or(default.start),
        end: time(&r.until).unwrap_or(default.end),
        min_gap_minutes: r.min_gap,
        seed: r.seed,
    };
    let plan = if plan.check().is_ok() { plan } else { default };
    let idle = config
        .auto_lock
        .as_deref()
        .and_then(|t| super::idle_time(t).ok());
    (idle, plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices() -> Choices {
        Choices {
            country: Some("GB".into()),
            auto_lock: Duration::from_secs(300),
            reminders: Plan {
                per_day: 3,
                ..Plan::default()
            },
        }
    }

    #[test]
    fn choices_go_into_the_commented_file_and_keep_its_comments() {
        let text = edited(config::DEFAULT, &choices());
        let config = config::parse(&text).unwrap();
        assert_eq!(config.locale.as_deref(), Some("GB"));
        assert_eq!(config.auto_lock.as_deref(), Some("5m"));
        assert_eq!(config.reminders.per_day, 3);
        assert_eq!(config.reminders.from, "09:00");
        assert!(text.contains("# The same seed gives the same moments"));
        assert_eq!(
            edited(&text, &choices()),
            text,
            "a second time changes nothing"
        );
        let none = edited(
            &text,
            &Choices {
                country: None,
                ..choices()
            },
        );
        assert_eq!(config::parse(&none).unwrap().locale, None);
    }

    #[test]
    fn a_file_without_the_keys_or_the_section_gets_them() {
        let text = edited("# mine\n", &choices());
        let config = config::parse(&text).unwrap();
        assert_eq!(
            (config.locale.as_deref(), config.reminders.per_day),
            (Some("GB"), 3)
        );
        assert!(text.starts_with("# mine\n"));
        let (idle, plan) = from_config(&config);
        assert_eq!((idle, plan.per_day), (Some(Duration::from_secs(300)), 3));
    }
}
