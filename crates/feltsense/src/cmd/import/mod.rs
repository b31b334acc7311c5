//! `feltsense import`: a feltsense JSON export, Daylio's CSV export or an
//! experience-sampling CSV read through a mapping file. Everything is read
//! and checked before the store is touched; the store then takes all of it
//! or nothing, and `--replace` swaps what an earlier import of the same
//! source brought.

mod mapping;
mod report;

#[cfg(test)]
pub(crate) mod fuzz;

use crate::failure;
use crate::settings::Settings;
use anyhow::Context as _;
use chrono::{Local, TimeZone};
use feltsense_core::assessments::Response;
use feltsense_core::bridges::Bridge;
use feltsense_core::imported::{self, Sourced};
use feltsense_core::items::FixedItems;
use feltsense_core::when::TimeRange;
use feltsense_core::{daylio, esm_import, exchange, CheckIn, JournalEntry, SafetyPlan, Vocabulary};
use feltsense_store::{ImportBatch, ImportMode, ImportPlan, Store, StoreError};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Source {
    /// A feltsense JSON export (from `feltsense export` or `log --json`).
    Feltsense,
    /// Daylio's CSV export (date, time, mood, activities, note).
    Daylio,
    /// An experience-sampling CSV, read through a mapping file (--map).
    Esm,
}

/// The flags of `feltsense import` (its help text is in `main.rs`).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to import.
    file: PathBuf,
    /// What kind of file it is: feltsense (JSON, the default), daylio or esm.
    #[arg(long = "from", value_enum)]
    source: Option<Source>,
    /// Daylio: pleasantness (-5..5) for mood labels, over the defaults
    /// rad=4,good=2,meh=0,bad=-2,awful=-4, e.g. "so-so=-1,great=3".
    #[arg(long, value_name = "LABEL=N,...")]
    mood_map: Option<String>,
    /// ESM: the mapping file (time column, scale, item columns → words).
    #[arg(long, value_name = "FILE")]
    map: Option<PathBuf>,
    /// Show what would be added, replaced and left unchanged; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Swap the records an earlier import of the same source brought (same
    /// Daylio date and time, ESM participant and time, or feltsense id).
    #[arg(long)]
    replace: bool,
}

/// An import file, read and checked: what would go into the store.
#[derive(Debug, Default)]
pub struct Incoming {
    pub format: &'static str,
    pub checkins: Vec<Sourced<CheckIn>>,
    pub journal: Vec<Sourced<JournalEntry>>,
    pub bridges: Vec<Sourced<Bridge>>,
    pub assessments: Vec<Sourced<Response>>,
    pub safety_plan: Option<SafetyPlan>,
    /// The chosen fixed items, if the file holds some.
    pub fixed_items: Option<FixedItems>,
    /// Lines for the person about how the file was read.
    pub notes: Vec<String>,
    /// Lines shown only in a dry run (the Daylio mood map).
    pub preview: Vec<String>,
}

/// How to read one file: everything but its text.
pub struct Reading<'a> {
    pub shown: &'a str,
    /// `None`: not given, a feltsense export expected.
    pub source: Option<Source>,
    pub mood_map: Option<&'a str>,
    /// The mapping file's name and text (ESM).
    pub mapping: Option<(&'a str, &'a str)>,
    pub accepted: TimeRange,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let shown = args.file.display().to_string();
    let text =
        std::fs::read_to_string(&args.file).with_context(|| format!("could not read {shown}"))?;
    let map = args
        .map
        .as_ref()
        .map(|p| {
            std::fs::read_to_string(p)
                .with_context(|| format!("could not read {}", p.display()))
                .map(|text| (p.display().to_string(), text))
        })
        .transpose()?;
    let reading = Reading {
        shown: &shown,
        source: args.source,
        mood_map: args.mood_map.as_deref(),
        mapping: map.as_ref().map(|(p, t)| (p.as_str(), t.as_str())),
        accepted: super::accepted(),
    };
    let incoming = read(&reading, &text)?;
    let mut store = settings.open_store()?;
    let mode = match (args.dry_run, args.replace) {
        (true, _) => ImportMode::DryRun,
        (false, true) => ImportMode::Replace,
        (false, false) => ImportMode::Add,
    };
    let plan = store_into(&mut store, &incoming, mode, &shown)?;
    let preview = match mode {
        ImportMode::DryRun => &incoming.preview[..],
        _ => &[],
    };
    for note in incoming.notes.iter().chain(preview) {
        println!("{note}");
    }
    report::print(&incoming, &plan, mode);
    Ok(())
}

/// Reads and checks `text` as `reading` says; nothing is stored.
pub fn read(reading: &Reading<'_>, text: &str) -> anyhow::Result<Incoming> {
    let vocabulary = Vocabulary::embedded();
    let refused = |e: &dyn std::fmt::Display| {
        failure::input(format!("{}: {e}. Nothing was imported.", reading.shown))
    };
    match reading.source {
        None | Some(Source::Feltsense) => {
            let export =
                exchange::parse_json(text, &vocabulary, &reading.accepted).map_err(|e| {
                    match reading.source.is_none() && imported::looks_like_csv(text) {
                        true => refused(&"this looks like a CSV; add --from daylio or --from esm"),
                        false => refused(&e),
                    }
                })?;
            Ok(from_export(export))
        }
        Some(Source::Daylio) => {
            let moods = daylio::mood_map(reading.mood_map.unwrap_or_default())
                .map_err(|e| failure::input(format!("--mood-map: {e}")))?;
            let checkins = daylio::parse(text, &moods, &vocabulary, &reading.accepted, local_time)
                .map_err(|e| refused(&e))?;
            let map: Vec<String> = moods
                .iter()
                .map(|(m, p)| format!("{m} → pleasant {p:+}"))
                .collect();
            let preview = vec![format!(
                "Mood map: {} (change with --mood-map).",
                map.join(", ")
            )];
            Ok(Incoming {
                format: imported::DAYLIO,
                checkins,
                preview,
                ..Incoming::default()
            })
        }
        Some(Source::Esm) => read_esm(reading, text, &vocabulary),
    }
}

fn read_esm(
    reading: &Reading<'_>,
    text: &str,
    vocabulary: &Vocabulary,
) -> anyhow::Result<Incoming> {
    let (map_shown, map_text) = reading
        .mapping
        .ok_or_else(|| failure::input("--from esm needs --map FILE (see the README)"))?;
    let mapping = mapping::parse(map_shown, map_text, vocabulary)
        .map_err(|e| failure::input(format!("{e}. Nothing was imported.")))?;
    let parsed = esm_import::parse(text, &mapping, vocabulary, &reading.accepted, local_time)
        .map_err(|e| match e.line {
            // Line 0: the mapping's own fault, already checked above.
            0 => failure::input(format!("{map_shown}: {}. Nothing was imported.", e.message)),
            _ => failure::input(format!("{}: {e}. Nothing was imported.", reading.shown)),
        })?;
    let notes = match parsed.skipped {
        0 => vec![],
        n => vec![format!(
            "{n} prompts had no answer at all and are left out."
        )],
    };
    Ok(Incoming {
        format: imported::ESM,
        checkins: parsed.checkins,
        notes,
        ..Incoming::default()
    })
}

fn from_export(export: exchange::Export) -> Incoming {
    fn by_id<T>(records: Vec<T>, id: impl Fn(&T) -> &str) -> Vec<Sourced<T>> {
        records
            .into_iter()
            .map(|record| Sourced {
                key: id(&record).to_string(),
                record,
            })
            .collect()
    }
    Incoming {
        format: imported::FELTSENSE,
        checkins: by_id(export.checkins, |c| &c.id),
        journal: by_id(export.journal, |e| &e.id),
        bridges: by_id(export.bridges, |b| &b.id),
        assessments: by_id(export.assessments, |r| &r.id),
        safety_plan: export.safety_plan,
        fixed_items: Some(export.fixed_items).filter(|i| !i.is_empty()),
        ..Incoming::default()
    }
}

/// Puts `incoming` into `store` (or, in a dry run, says what would
/// happen). A refusal says how to go forward.
pub fn store_into(
    store: &mut impl Store,
    incoming: &Incoming,
    mode: ImportMode,
    shown: &str,
) -> anyhow::Result<ImportPlan> {
    let batch = ImportBatch {
        format: incoming.format,
        checkins: &incoming.checkins,
        journal: &incoming.journal,
        bridges: &incoming.bridges,
        assessments: &incoming.assessments,
        safety_plan: incoming.safety_plan.as_ref(),
        fixed_items: incoming.fixed_items.as_ref(),
    };
    match store.import_from(&batch, mode) {
        Ok(plan) => Ok(plan),
        Err(StoreError::Conflict { id }) => Err(conflict(store, &batch, shown, &id)),
        Err(other) => Err(other.into()),
    }
}

fn conflict(
    store: &mut impl Store,
    batch: &ImportBatch<'_>,
    shown: &str,
    id: &str,
) -> anyhow::Error {
    let swapped = match store.import_from(batch, ImportMode::DryRun) {
        Ok(plan) => [
            &plan.checkins,
            &plan.journal,
            &plan.bridges,
            &plan.assessments,
            &plan.safety_plan,
            &plan.fixed_items,
        ]
        .iter()
        .map(|c| c.swapped_out.len())
        .sum::<usize>(),
        Err(StoreError::Conflict { .. }) => {
            return failure::input(format!(
            "{shown}: the file holds two different records with the id {id}. Nothing was imported."
        ))
        }
        Err(other) => return other.into(),
    };
    let (records, differ) = match swapped {
        1 => ("record", "differs"),
        _ => ("records", "differ"),
    };
    let earlier = match batch.format {
        imported::FELTSENSE => format!("stored {records} with the same ids"),
        _ => format!("{records} this file brought before"),
    };
    failure::input(format!(
        "{shown}: {swapped} {records} here {differ} from what an earlier import stored (the first is {id}). \
         Nothing was imported. To go forward, add --replace to swap the {swapped} {earlier} \
         (--dry-run shows them first)."
    ))
}

/// A local date-time as written in an import file, with this computer's
/// offset at that moment (the earlier one when clocks went back).
fn local_time(n: chrono::NaiveDateTime) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    Local
        .from_local_datetime(&n)
        .earliest()
        .map(|t| t.fixed_offset())
}
