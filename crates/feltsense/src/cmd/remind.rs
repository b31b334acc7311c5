//! `feltsense remind`: experience-sampling prompts. `schedule` lists the
//! coming moments, `ics` writes them as a calendar any phone imports, and
//! `notify` (for cron or a systemd user timer) shows a desktop notification
//! when a moment has just come, and does nothing, quietly, otherwise. The
//! plan is given by flags, so every command finds the same moments
//! without storing anything:
//!
//!   */5 * * * *  feltsense remind notify --seed 7   (crontab, every 5 minutes)

use super::write_file_atomically;
use crate::config::Reminders;
use crate::failure;
use crate::settings::Settings;
use chrono::{Duration, Local, NaiveTime, Utc};
use feltsense_core::reminders::{ics, Plan};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

/// Each flag overrides the config file's `[reminders]` (defaults: 4 a
/// day, 09:00 to 21:00, 90 minutes apart, seed 0).
#[derive(Debug, clap::Args)]
struct PlanArgs {
    /// Prompts a day, 1 to 24.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=24))]
    per_day: Option<u32>,
    /// Waking hours start.
    #[arg(long, value_name = "HH:MM")]
    from: Option<String>,
    /// Waking hours end.
    #[arg(long, value_name = "HH:MM")]
    until: Option<String>,
    /// Minimum minutes between prompts, 0 to 1440.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=1440))]
    min_gap: Option<u32>,
    /// The seed: the same seed gives the same moments.
    #[arg(long)]
    seed: Option<u64>,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// List the coming days' prompts.
    Schedule {
        #[command(flatten)]
        plan: PlanArgs,
        /// How many days, 1 to 366 (a year; a new file can follow then).
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
        /// Print JSON (local date-times) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write the prompts as an iCalendar (.ics) file.
    Ics {
        #[command(flatten)]
        plan: PlanArgs,
        /// How many days, 1 to 366 (a year; a new file can follow then).
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Show a desktop notification if a prompt came in the last minutes.
    Notify {
        #[command(flatten)]
        plan: PlanArgs,
        /// How far back a prompt still counts (match your timer's interval).
        #[arg(long, default_value_t = 5, value_name = "MINUTES", value_parser = clap::value_parser!(i64).range(1..=1440))]
        within: i64,
    },
}

impl PlanArgs {
    fn plan(&self, config: &Reminders) -> anyhow::Result<Plan> {
        let time = |flag: &str, text: &str| {
            NaiveTime::parse_from_str(text.trim(), "%H:%M")
                .map_err(|_| failure::input(format!("{flag}: '{text}' is not a time like 09:00")))
        };
        let plan = Plan {
            per_day: self.per_day.unwrap_or(config.per_day),
            start: time("--from", self.from.as_deref().unwrap_or(&config.from))?,
            end: time("--until", self.until.as_deref().unwrap_or(&config.until))?,
            min_gap_minutes: self.min_gap.unwrap_or(config.min_gap),
            seed: self.seed.unwrap_or(config.seed),
        };
        plan.check()
            .map_err(|e| failure::input(format!("remind: {e}")))?;
        Ok(plan)
    }
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let config = &settings.config.reminders;
    let today = Local::now().date_naive();
    match args.action {
        Action::Schedule { plan, days, json } => {
            let moments = plan.plan(config)?.schedule(today, days);
            if json {
                let times: Vec<String> = moments
                    .iter()
                    .map(|m| m.format("%Y-%m-%dT%H:%M:%S").to_string())
                    .collect();
                println!("{}", serde_json::to_string_pretty(&times)?);
            } else {
                for m in moments {
                    println!("{}", m.format("%a %d %b  %H:%M"));
                }
            }
        }
        Action::Ics { plan, days, out } => {
            let plan = plan.plan(config)?;
            let text = ics(
                &plan.schedule(today, days),
                plan.seed,
                Utc::now().naive_utc(),
            );
            write_file_atomically(&out, text.as_bytes())?;
            let n = plan.per_day * days;
            eprintln!(
                "Wrote {n} prompt{} to {}. Import it into any calendar app.",
                if n == 1 { "" } else { "s" },
                out.display()
            );
        }
        Action::Notify { plan, within } => {
            let now = Local::now().naive_local();
            let due = plan
                .plan(config)?
                .day(today)
                .into_iter()
                .any(|m| m <= now && now - m < Duration::minutes(within));
            if due {
                let shown = std::process::Command::new("notify-send")
                    .args([
                        "--app-name=feltsense",
                        "A moment to check in",
                        "If you like: what is here right now? \"Nothing\" is an answer too.",
                    ])
                    .status()
                    .is_ok_and(|s| s.success());
                if !shown {
                    println!("A moment to check in, if you like. (No desktop notifier was found: install libnotify-bin for pop-ups.)");
                }
            }
        }
    }
    Ok(())
}
