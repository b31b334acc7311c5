//! `feltsense change-passphrase`: the store re-encrypted under a new
//! passphrase (see `feltsense_store::change_passphrase`: a crash at any
//! moment leaves the old key or the new one working).

use crate::failure;
use crate::settings::{self, Settings, NEW_PASSPHRASE_VAR};
use feltsense_store::StoreError;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(settings: &Settings, _args: Args) -> anyhow::Result<()> {
    let path = settings.store_path();
    if !path.exists() {
        return Err(StoreError::Missing(path).into());
    }
    settings.secure_data_dir()?;
    // The old passphrase is proven (reading only) before the new one is
    // asked for, so a typo there costs no second round of typing.
    let old = match std::env::var(settings::PASSPHRASE_VAR) {
        Ok(p) => feltsense_store::inspect(&path, &p).map(|_| p)?,
        Err(_) => settings::with_tries(
            3,
            |_| settings::passphrase("Current passphrase: "),
            |p| feltsense_store::inspect(&path, p).map(|_| p.to_string()),
        )?,
    };
    let new = settings::new_passphrase(
        NEW_PASSPHRASE_VAR,
        "New passphrase: ",
        "Nothing was changed",
    )?;
    if new == old {
        return Err(failure::input(
            "that is the passphrase the store has already. Nothing was changed.",
        ));
    }
    eprintln!("Encrypting your store under the new passphrase...");
    feltsense_store::change_passphrase(&path, &old, &new)?;
    // The old key opens nothing now; `unlock` again to keep the new one.
    crate::agent::forget(&path);
    println!(
        "Done: your store now opens with the new passphrase, and no longer with the old one. \
         Backups made before keep the passphrase they were made with."
    );
    Ok(())
}
