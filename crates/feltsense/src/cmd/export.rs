use super::write_file_atomically;
use crate::settings::Settings;
use clap::ValueEnum;
use feltsense_core::exchange::{self, Export};
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
    // Oldest first reads naturally in a file.
    let export = feltsense_store::export(&store)?;
    let bytes = match args.format {
        Format::Json => {
            let mut b = serde_json::to_vec_pretty(&export)?;
            b.push(b'\n');
            b
        }
        Format::Csv => exchange::to_csv(&export.checkins)?,
    };
    super::warn_skipped(&store);
    match args.out {
        Some(path) => {
            write_file_atomically(&path, &bytes)?;
            eprintln!(
                "Wrote {} to {}. This copy is not encrypted: keep it somewhere safe.",
                written(&export, args.format),
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

/// "4 check-ins, 2 journal entries, 1 questionnaire response and the safety plan"
fn written(export: &Export, format: Format) -> String {
    let count = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    let mut parts = vec![count(export.checkins.len(), "check-in", "check-ins")];
    if let Format::Csv = format {
        return parts.remove(0);
    }
    parts.push(count(
        export.journal.len(),
        "journal entry",
        "journal entries",
    ));
    parts.push(count(export.bridges.len(), "bridge", "bridges"));
    parts.push(count(
        export.assessments.len(),
        "questionnaire response",
        "questionnaire responses",
    ));
    if export.safety_plan.is_some() {
        parts.push("the safety plan".into());
    }
    let last = parts.pop().unwrap_or_default();
    format!("{} and {last}", parts.join(", "))
}
