use crate::failure;
use crate::settings::Settings;
use anyhow::Context as _;
use chrono::{Local, TimeZone};
use feltsense_core::{daylio, exchange, Vocabulary};
use feltsense_store::{Store, StoreError};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Source {
    /// A feltsense JSON export (from `feltsense export` or `log --json`).
    Feltsense,
    /// Daylio's CSV export (date, time, mood, activities, note).
    Daylio,
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
        Source::Feltsense => exchange::parse_json(&text, &vocabulary)
            .map_err(|e| failure::input(format!("{shown}: {e}. Nothing was imported.")))?,
        Source::Daylio => {
            let moods = daylio::mood_map(args.mood_map.as_deref().unwrap_or_default())
                .map_err(|e| failure::input(format!("--mood-map: {e}")))?;
            let local = |n: chrono::NaiveDateTime| {
                Local
                    .from_local_datetime(&n)
                    .earliest()
                    .map(|t| t.fixed_offset())
            };
            let rows = daylio::parse(&text, &moods, &vocabulary, local)
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
