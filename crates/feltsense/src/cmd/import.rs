use crate::failure;
use crate::settings::Settings;
use anyhow::Context as _;
use chrono::{Local, TimeZone};
use feltsense_core::{daylio, esm_import, exchange, Vocabulary};
use feltsense_store::{Store, StoreError};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Source {
    /// A feltsense JSON export (from `feltsense export` or `log --json`).
    Feltsense,
    /// Daylio's CSV export (date, time, mood, activities, note).
    Daylio,
    /// An experience-sampling CSV, read through a mapping file (--map).
    Esm,
}

/// The ESM mapping file (TOML), documented in the README.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    time: String,
    time_format: Option<String>,
    scale: Scale,
    items: std::collections::BTreeMap<String, String>,
    only: Option<Only>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Scale {
    min: f64,
    max: f64,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Only {
    column: String,
    value: String,
}

fn esm_mapping(path: &std::path::Path) -> anyhow::Result<esm_import::Mapping> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read {}", path.display()))?;
    let file: MapFile = toml::from_str(&text)
        .map_err(|e| failure::input(format!("{}: {}", path.display(), e.message())))?;
    Ok(esm_import::Mapping {
        time_column: file.time,
        time_format: file.time_format,
        min: file.scale.min,
        max: file.scale.max,
        items: file.items.into_iter().collect(),
        only: file.only.map(|o| (o.column, o.value)),
    })
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to import.
    file: PathBuf,
    /// What kind of file it is.
    #[arg(long = "from", value_enum, default_value = "feltsense")]
    source: Source,
    /// Daylio: pleasantness (-5..5) for mood labels, over the defaults
    /// rad=4,good=2,meh=0,bad=-2,awful=-4, e.g. "so-so=-1,great=3".
    #[arg(long, value_name = "LABEL=N,...")]
    mood_map: Option<String>,
    /// ESM: the mapping file (time column, scale, item columns → words).
    #[arg(long, value_name = "FILE")]
    map: Option<PathBuf>,
    /// Show what would be imported and how it maps; write nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let shown = args.file.display().to_string();
    let text =
        std::fs::read_to_string(&args.file).with_context(|| format!("could not read {shown}"))?;
    // Everything is parsed and checked before the store is touched.
    let vocabulary = Vocabulary::embedded();
    let export = match args.source {
        Source::Feltsense => exchange::parse_json(&text, &vocabulary, &super::accepted())
            .map_err(|e| failure::input(format!("{shown}: {e}. Nothing was imported.")))?,
        Source::Daylio => {
            let moods = daylio::mood_map(args.mood_map.as_deref().unwrap_or_default())
                .map_err(|e| failure::input(format!("--mood-map: {e}")))?;
            let rows = daylio::parse(&text, &moods, &vocabulary, &super::accepted(), local_time)
                .map_err(|e| failure::input(format!("{shown}: {e}. Nothing was imported.")))?;
            if args.dry_run {
                let map: Vec<String> = moods
                    .iter()
                    .map(|(m, p)| format!("{m} → pleasant {p:+}"))
                    .collect();
                println!("Mood map: {} (change with --mood-map).", map.join(", "));
            }
            exchange::Export::new(rows)
        }
        Source::Esm => {
            let map = args
                .map
                .as_deref()
                .ok_or_else(|| failure::input("--from esm needs --map FILE (see the README)"))?;
            let mapping = esm_mapping(map)?;
            let parsed =
                esm_import::parse(&text, &mapping, &vocabulary, &super::accepted(), local_time)
                    .map_err(|e| failure::input(format!("{shown}: {e}. Nothing was imported.")))?;
            if parsed.skipped > 0 {
                println!(
                    "{} prompts had no answer at all and are left out.",
                    parsed.skipped
                );
            }
            exchange::Export::new(parsed.checkins)
        }
    };
    if args.dry_run {
        println!(
            "{} check-ins would be imported; nothing was written. The first ones:",
            export.checkins.len()
        );
        for c in export.checkins.iter().take(5) {
            println!(
                "  {}  pleasant {:+}  {}  {}",
                c.at.format("%Y-%m-%d %H:%M"),
                c.pleasantness.unwrap_or(0),
                c.context.doing.as_deref().unwrap_or(""),
                c.note.as_deref().unwrap_or("").replace('\n', " ")
            );
        }
        return Ok(());
    }
    let mut store = settings.open_store()?;
    let summary = store.import(&export.checkins, &export.journal, &export.bridges).map_err(|e| match e {
        StoreError::Conflict { id } => failure::input(format!(
            "{shown}: a record with id {id} is already stored with different content. Nothing was imported."
        )),
        other => other.into(),
    })?;
    let again = match summary.unchanged {
        0 => String::new(),
        n => format!(" ({n} were already here, unchanged)"),
    };
    println!("Imported {} check-ins{again}.", summary.added);
    if summary.journal_added + summary.journal_unchanged > 0 {
        let same = match summary.journal_unchanged {
            0 => String::new(),
            n => format!(" ({n} were already here, unchanged)"),
        };
        println!("Imported {} journal entries{same}.", summary.journal_added);
    }
    if summary.bridges_added + summary.bridges_unchanged > 0 {
        println!(
            "Imported {} bridges ({} were already here).",
            summary.bridges_added, summary.bridges_unchanged
        );
    }
    Ok(())
}

/// A local date-time as written in an import file, with this computer's
/// offset at that moment (the earlier one when clocks went back).
fn local_time(n: chrono::NaiveDateTime) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    Local
        .from_local_datetime(&n)
        .earliest()
        .map(|t| t.fixed_offset())
}
