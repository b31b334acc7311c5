use crate::settings::Settings;
use feltsense_store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The id of the check-in, as shown by `feltsense log`.
    id: String,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let mut store = settings.open_store()?;
    store.forget_checkin(args.id.trim())?;
    println!("That check-in is gone for good.");
    Ok(())
}
