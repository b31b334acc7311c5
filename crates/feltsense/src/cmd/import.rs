use crate::failure;
use crate::settings::Settings;
use anyhow::Context as _;
use feltsense_core::{exchange, Vocabulary};
use feltsense_store::{Store, StoreError};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A feltsense JSON export (from `feltsense export` or `feltsense log --json`).
    file: PathBuf,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let shown = args.file.display().to_string();
    let text =
        std::fs::read_to_string(&args.file).with_context(|| format!("could not read {shown}"))?;
    // Everything is parsed and checked before the store is touched.
    let export = exchange::parse_json(&text, &Vocabulary::embedded())
        .map_err(|e| failure::input(format!("{shown}: {e}. Nothing was imported.")))?;
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
