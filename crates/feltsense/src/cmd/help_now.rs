//! `feltsense help-now`: crisis lines at once, without the passphrase; the
//! person's own safety plan after it, if they want it.

use super::safety::panel;
use crate::settings::{Settings, PASSPHRASE_VAR};
use feltsense_store::Store;
use std::io::IsTerminal;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(settings: &Settings, _args: Args) -> anyhow::Result<()> {
    println!("{}", panel(settings.country.as_deref(), None));
    let can_ask = std::env::var(PASSPHRASE_VAR).is_ok() || std::io::stdin().is_terminal();
    if !settings.store_path().exists() || !can_ask {
        println!(
            "You can write a safety plan with `feltsense safety-plan`; it will be shown here."
        );
        return Ok(());
    }
    println!("\nYour safety plan is in your encrypted store. Enter your passphrase to see it (or just press Enter to skip).");
    let store = match settings.open_store() {
        Ok(store) => store,
        Err(_) => {
            println!("The plan stays closed. The lines above are there whenever you need them.");
            return Ok(());
        }
    };
    let plan = store.safety_plan()?;
    if plan.is_empty() {
        println!("There is no safety plan yet. `feltsense safety-plan` writes one, step by step.");
    } else {
        println!("{}", super::safety_plan::render(&plan));
    }
    Ok(())
}
