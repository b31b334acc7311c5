//! `feltsense backup --out FILE`: a consistent encrypted copy of the store,
//! taken while the web app or other commands keep using it.

use crate::failure;
use crate::settings::Settings;
use feltsense_store::StoreError;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new file (it must not exist yet). It stays encrypted under your
    /// current passphrase; `feltsense restore FILE` puts it back.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// `--out` is checked before the store is opened, so a typo costs nothing.
fn check_out(out: &Path) -> anyhow::Result<()> {
    if out.symlink_metadata().is_ok() {
        return Err(StoreError::AlreadyExists(out.to_path_buf()).into());
    }
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(failure::input(format!(
            "--out: there is no directory {} to write the backup in",
            dir.display()
        )));
    }
    Ok(())
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    check_out(&args.out)?;
    let store = settings.open_store()?;
    store.backup_to(&args.out)?;
    eprintln!(
        "Wrote an encrypted copy of your store to {}. It opens with your current passphrase; \
         `feltsense restore {}` puts it back.",
        args.out.display(),
        args.out.display()
    );
    Ok(())
}
