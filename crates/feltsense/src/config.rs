//! The one commented configuration file (`config.toml` is embedded and
//! printed by `feltsense default-config`). Missing file: the defaults.

use crate::failure;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT: &str = include_str!("config.toml");

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub reminders: Reminders,
    /// How long `serve` stays unlocked unused, like "15m" (the settings
    /// page keeps it here).
    #[serde(default)]
    pub auto_lock: Option<String>,
    /// Where this was read from (so the web app can keep choices there).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Reminders {
    pub per_day: u32,
    pub from: String,
    pub until: String,
    pub min_gap: u32,
    pub seed: u64,
}

impl Default for Reminders {
    fn default() -> Reminders {
        Reminders {
            per_day: 4,
            from: "09:00".into(),
            until: "21:00".into(),
            min_gap: 90,
            seed: 0,
        }
    }
}

/// `--config` / `FELTSENSE_CONFIG`, else `$XDG_CONFIG_HOME/feltsense/config.toml`,
/// else `~/.config/feltsense/config.toml`.
pub fn path(given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| ".".into()))
                    .join(".config")
            });
        base.join("feltsense/config.toml")
    })
}

/// Reads the file; a missing file is the defaults, a malformed one an
/// error naming the file, line and column.
pub fn load(path: &Path) -> anyhow::Result<Config> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Config {
                path: Some(path.to_path_buf()),
                ..Config::default()
            })
        }
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!("could not read {}", path.display())))
        }
    };
    let mut config =
        parse(&text).map_err(|e| failure::input(format!("{}: {e}", path.display())))?;
    config.path = Some(path.to_path_buf());
    Ok(config)
}

pub(crate) fn parse(text: &str) -> Result<Config, String> {
    toml::from_str(text).map_err(|e| {
        let mut message = e.message().to_string();
        if let Some(span) = e.span() {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            message = format!("line {line}, column {column}: {message}");
        }
        message
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_default_is_the_default() {
        let c = parse(DEFAULT).unwrap();
        let d = Reminders::default();
        assert_eq!(
            (c.reminders.per_day, c.reminders.min_gap, c.reminders.seed),
            (d.per_day, d.min_gap, d.seed)
        );
        assert_eq!(
            (c.reminders.from.as_str(), c.reminders.until.as_str()),
            ("09:00", "21:00")
        );
        assert_eq!(c.locale, None);
    }

    /// Part of the reliability suite's fuzzer (`cmd/import/fuzz.rs`): the
    /// same seeded mutations of the commented default file never panic or
    /// hang, and every refusal says where in the file it is.
    #[test]
    fn fuzz_config_mutations_never_panic_hang_or_go_unlocated() {
        use crate::cmd::import::fuzz::{cases, mutate, Rng, Tally, Watchdog};
        let dog = Watchdog::start("config");
        let mut rng = Rng::new(0x00c0_ffee);
        let mut tally = Tally {
            started: Some(std::time::Instant::now()),
            ..Tally::default()
        };
        for n in 0..cases() {
            let text = mutate(DEFAULT, &mut rng);
            let started = std::time::Instant::now();
            dog.running(Some(n));
            let outcome = std::panic::catch_unwind(|| parse(&text));
            dog.running(None);
            tally.slowest = tally.slowest.max(started.elapsed());
            tally.cases += 1;
            match outcome {
                Err(_) => tally.panics += 1,
                Ok(Ok(_)) => tally.accepted += 1,
                Ok(Err(message)) => {
                    tally.refused += 1;
                    if !message.starts_with("line ") {
                        eprintln!("config refusal without a position: {message}");
                        tally.unclear += 1;
                    }
                }
            }
        }
        tally.print("config");
        tally.assert_clean("config");
    }

    #[test]
    fn mistakes_are_located() {
        let err = parse("[reminders]\nper_day = \"four\"\n").unwrap_err();
        assert!(err.starts_with("line 2, column 11"), "{err}");
        let err = parse("[reminders]\nper_dya = 4\n").unwrap_err();
        assert!(err.contains("per_dya") && err.contains("line 2"), "{err}");
        assert_eq!(
            parse("locale = \"GB\"\n").unwrap().locale.as_deref(),
            Some("GB")
        );
    }
}
