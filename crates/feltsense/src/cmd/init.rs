use crate::settings::Settings;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(settings: &Settings, _args: Args) -> anyhow::Result<()> {
    settings.create_store()?;
    println!(
        "Your store is ready at {}.",
        settings.store_path().display()
    );
    println!(
        "It is encrypted with your passphrase, which is not kept anywhere: please keep it safe."
    );
    println!("When you are ready, `feltsense checkin` asks what is there right now.");
    Ok(())
}
