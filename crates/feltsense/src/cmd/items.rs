//! `feltsense items`: the feelings to rate on every check-in, for people
//! who want granularity (how finely feelings are told apart), as an
//! experience-sampling study would ask them. Kept in the encrypted store.

use crate::failure;
use crate::settings::Settings;
use feltsense_core::items::{valence, FixedItems};
use feltsense_core::Vocabulary;
use feltsense_store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Choose the feelings, comma-separated: 3 or more pleasant and 3 or
    /// more unpleasant, e.g. `happy,calm,proud,sad,anxious,angry`.
    Set {
        #[arg(value_name = "WORD,WORD,...")]
        words: String,
    },
    /// Show the chosen feelings.
    Show,
    /// Stop asking them (the ratings already given stay).
    Clear,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let vocabulary = Vocabulary::embedded();
    match args.action {
        Action::Set { words } => {
            let chosen = FixedItems::choose(words.split(','), &vocabulary)
                .map_err(|e| failure::input(format!("items set: {e}")))?;
            settings.open_or_create_store()?.save_fixed_items(&chosen)?;
            println!("Chosen: {}.", describe(&chosen, &vocabulary));
            println!(
                "Each check-in will ask them, 0 (not at all) to 10; Enter skips the whole step."
            );
        }
        Action::Show => {
            let chosen = settings.open_store()?.fixed_items()?;
            if chosen.is_empty() {
                println!("No feelings are chosen to rate on every check-in. That is fine;");
                println!(
                    "`feltsense items set WORD,WORD,...` chooses some if you want granularity."
                );
            } else {
                println!(
                    "Rated on every check-in: {}.",
                    describe(&chosen, &vocabulary)
                );
            }
        }
        Action::Clear => {
            settings
                .open_store()?
                .save_fixed_items(&FixedItems::default())?;
            println!("Cleared. Check-ins no longer ask them; the ratings you gave stay.");
        }
    }
    Ok(())
}

/// "pleasant: happy, calm, proud; unpleasant: sad, anxious, angry".
fn describe(chosen: &FixedItems, vocabulary: &Vocabulary) -> String {
    let of = |side: Option<bool>| -> Vec<&str> {
        chosen
            .words()
            .iter()
            .filter(|w| valence(vocabulary, w) == side)
            .map(String::as_str)
            .collect()
    };
    let mut parts = vec![
        format!("pleasant: {}", of(Some(true)).join(", ")),
        format!("unpleasant: {}", of(Some(false)).join(", ")),
    ];
    let neither = of(None);
    if !neither.is_empty() {
        parts.push(format!("neither: {}", neither.join(", ")));
    }
    parts.join("; ")
}
