//! `feltsense report`: one self-contained HTML page for a therapist or a
//! trusted person (two A4 pages at most for 90 days); journal excerpts
//! only for the entries named with `--include-journal`.

use super::write_file_atomically;
use crate::failure;
use crate::settings::Settings;
use chrono::{Datelike, Duration, Local, NaiveDate};
use feltsense_core::when::EARLIEST_YEAR;
use feltsense_core::Vocabulary;
use feltsense_store::Store;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// First day (default: the 90 days that end on --to).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last day (default: today).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Journal entries to include, by id (`feltsense journal list` shows
    /// them), comma-separated. None unless you name them.
    #[arg(long, value_name = "ID,ID,...", value_delimiter = ',')]
    include_journal: Vec<String>,
    /// Your name on the report, if you want it there.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Where to write the HTML file (created owner-only).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// A day of the report: a date like 2026-11-01 from 1900 to tomorrow,
/// the days a record can have (`feltsense_core::when`).
fn date(flag: &str, text: &str) -> anyhow::Result<NaiveDate> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| failure::input(format!("{flag}: '{text}' is not a date like 2026-11-01")))?;
    let tomorrow = Local::now().date_naive() + Duration::days(1);
    if day.year() < EARLIEST_YEAR || day > tomorrow {
        return Err(failure::input(format!(
            "{flag}: {day} is outside the days feltsense keeps ({EARLIEST_YEAR}-01-01 to tomorrow)"
        )));
    }
    Ok(day)
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let to = match &args.to {
        Some(t) => date("--to", t)?,
        None => Local::now().date_naive(),
    };
    let from = match &args.from {
        Some(f) => date("--from", f)?,
        None => to - Duration::days(89),
    };
    if from > to {
        return Err(failure::input("--from must not be after --to"));
    }
    let store = settings.open_store()?;
    let ids: Vec<String> = args
        .include_journal
        .iter()
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty())
        .collect();
    let journal = if ids.is_empty() {
        Vec::new()
    } else {
        feltsense_web::ReportData::choose(&store.journal()?, &ids)
            .map_err(|e| failure::input(format!("--include-journal: {e}")))?
    };
    let html = feltsense_web::render_report(&feltsense_web::ReportData {
        checkins: &store.checkins(None)?,
        journal: &journal,
        bridges: &store.bridges()?,
        assessments: &store.assessments()?,
        from,
        to,
        vocabulary: &Vocabulary::embedded(),
        generated: Local::now().date_naive().format("%-d %B %Y").to_string(),
        name: args.name.filter(|n| !n.trim().is_empty()),
    })?;
    super::warn_skipped(&store);
    write_file_atomically(&args.out, html.as_bytes())?;
    eprintln!(
        "Wrote the report to {}. It is not encrypted: share it only with whom you choose.",
        args.out.display()
    );
    Ok(())
}
