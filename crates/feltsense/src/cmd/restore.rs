//! `feltsense restore FILE`: a backup put back in place of the store,
//! after it is shown to open and the person has said yes. The replaced
//! store is kept beside it under a dated name.

use crate::failure;
use crate::settings::{self, Settings};
use feltsense_store::BackupSummary;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The backup, made by `feltsense backup` (or a copy of feltsense.db).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Replace the store without asking (for scripts).
    #[arg(long)]
    yes: bool,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    if !args.file.is_file() {
        return Err(failure::Failure {
            code: failure::IO,
            message: format!("there is no file at {}", args.file.display()),
        }
        .into());
    }
    let path = settings.store_path();
    let replacing = path.exists();
    if replacing && !args.yes && !std::io::stdin().is_terminal() {
        return Err(failure::input(
            "restoring replaces your store: add --yes to do it without being asked",
        ));
    }
    settings.secure_data_dir()?;
    let open = |p: &str| feltsense_store::inspect(&args.file, p).map(|s| (p.to_string(), s));
    let (passphrase, summary) = match std::env::var(settings::PASSPHRASE_VAR) {
        Ok(p) => open(&p)?,
        Err(_) => settings::with_tries(
            3,
            |_| settings::passphrase("Passphrase of the backup: "),
            open,
        )?,
    };
    if replacing && !args.yes && !confirm(&args.file, summary)? {
        println!("Nothing was changed.");
        return Ok(());
    }
    let kept = feltsense_store::restore(&path, &args.file, &passphrase)?;
    // The restored store has its own key; the one `unlock` kept is dropped.
    crate::agent::forget(&path);
    match kept {
        Some(kept) => println!(
            "Restored. The store you had before is kept at {}; you can delete it once \
             you no longer need it.",
            kept.display()
        ),
        None => println!("Restored your store at {}.", path.display()),
    }
    Ok(())
}

fn confirm(file: &std::path::Path, summary: BackupSummary) -> anyhow::Result<bool> {
    println!(
        "{} holds {} check-ins and {} journal entries. Putting it in place replaces your \
         current store, which is kept beside it under a dated name.",
        file.display(),
        summary.check_ins,
        summary.journal_entries
    );
    let answer = super::guided_line("Replace your store with it? [y/N] ")?;
    Ok(answer.is_some_and(|a| a.eq_ignore_ascii_case("y") || a.eq_ignore_ascii_case("yes")))
}
