use crate::failure;
use feltsense_core::{Family, Vocabulary};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this family (joy, love, calm, interest, surprise, sadness, fear,
    /// anger, disgust, shame, numb).
    #[arg(long, value_name = "F")]
    family: Option<String>,
    /// Print JSON records instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let vocabulary = Vocabulary::embedded();
    let family = match args.family.as_deref() {
        None => None,
        Some(f) => Some(f.parse::<Family>().map_err(|()| {
            let all: Vec<&str> = Family::ALL.iter().map(|f| f.as_str()).collect();
            failure::input(format!(
                "--family: '{f}' is not a family; choose one of {}",
                all.join(", ")
            ))
        })?),
    };
    let words: Vec<_> = vocabulary
        .words()
        .iter()
        .filter(|w| family.is_none_or(|f| w.family == f))
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&words)?);
        return Ok(());
    }
    for &f in Family::ALL
        .iter()
        .filter(|&&f| family.is_none_or(|x| x == f))
    {
        println!("{}", f.describe());
        for w in words.iter().filter(|w| w.family == f) {
            println!(
                "  {:<14} pleasant {:>+2}  energy {:>+2}  {}",
                w.word, w.pleasantness, w.energy, w.signal
            );
        }
        println!();
    }
    println!("{} words. Emotions are signals, not threats.", words.len());
    Ok(())
}
