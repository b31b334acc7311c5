//! `feltsense lock`: the key `unlock` left with its agent is dropped now,
//! before its time runs out.

use crate::agent;
use crate::settings::Settings;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(settings: &Settings, _args: Args) -> anyhow::Result<()> {
    if agent::forget(&settings.store_path()) {
        println!("Locked: the next command asks for your passphrase again.");
    } else {
        println!("Nothing to lock: your store was not unlocked.");
    }
    Ok(())
}
