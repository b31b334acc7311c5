use super::write_file_atomically;
use crate::settings::Settings;
use clap::ValueEnum;
use feltsense_core::exchange::{self, Export};
use feltsense_store::Store;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Everything, exactly: `feltsense import` reads it back.
    Json,
    /// One row per check-in, for spreadsheets.
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Write to this file (created owner-only) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let store = settings.open_store()?;
    let mut check_ins = store.checkins(None)?;
    check_ins.reverse(); // oldest first reads naturally in a file
    let bytes = match args.format {
        Format::Json => {
            let mut journal = store.journal()?;
            journal.reverse();
            let mut bridges = store.bridges()?;
            bridges.reverse();
            let export = Export {
                bridges,
                ..Export::with_journal(check_ins.clone(), journal)
            };
            let mut b = serde_json::to_vec_pretty(&export)?;
            b.push(b'\n');
            b
        }
        Format::Csv => exchange::to_csv(&check_ins)?,
    };
    super::warn_skipped(&store);
    match args.out {
        Some(path) => {
            write_file_atomically(&path, &bytes)?;
            eprintln!(
                "Wrote {} check-ins to {}. This copy is not encrypted: keep it somewhere safe.",
                check_ins.len(),
                path.display()
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(())
}
