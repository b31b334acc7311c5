//! `feltsense practice`: guided practices in the terminal, one plain line
//! a step (screen-reader friendly), timed, with Enter to go on, `p` to
//! pause and `q` to stop at any moment. An optional three-question
//! check-in before and after is recorded as a bridge of kind "practice".

use super::bridge::micro_from;
use super::guided_line;
use super::now;
use crate::failure;
use crate::settings::Settings;
use feltsense_core::bridges::{Bridge, BridgeKind, Micro};
use feltsense_core::practices::{practice, KEYS, SAFE_TO_STOP};
use feltsense_core::Vocabulary;
use feltsense_store::Store;
use std::io::Write;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// body-scan, grounding, breathing or name-it.
    name: String,
    /// Breathing: seconds in.
    #[arg(long = "in", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=15))]
    breath_in: u32,
    /// Breathing: seconds out.
    #[arg(long = "out", default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=15))]
    breath_out: u32,
    /// Breathing: minutes.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=30))]
    minutes: u32,
    /// Give every step this many seconds (1 to 3600) instead of its own.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(1..=3600))]
    step_seconds: Option<u32>,
    /// Skip the question about a check-in before and after.
    #[arg(long)]
    no_checkin: bool,
}

enum Outcome {
    Finished,
    Stopped,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let p =
        practice(&args.name, args.breath_in, args.breath_out, args.minutes).ok_or_else(|| {
            failure::input(format!(
                "'{}' is not a practice; choose one of {}",
                args.name,
                KEYS.join(", ")
            ))
        })?;
    let vocabulary = Vocabulary::embedded();
    println!("{}\n\n{}\n{}", p.title, p.intro, SAFE_TO_STOP);
    // The store, if wanted, is opened before anything reads the keyboard in
    // the background, so a passphrase prompt never competes with it.
    let mut store = None;
    if !args.no_checkin {
        let wanted = guided_line(
            "\nA short check-in before and after, to see what this does for you? [y/N] ",
        )?;
        if wanted.is_some_and(|a| a.eq_ignore_ascii_case("y") || a.eq_ignore_ascii_case("yes")) {
            store = Some(settings.open_or_create_store()?);
        }
    }
    let lines = spawn_reader();
    let before = match store {
        Some(_) => ask_micro(&lines, "Before we begin", &vocabulary)?,
        None => None,
    };
    if store.is_some() && before.is_none() {
        println!("Without a \"before\" there is no \"after\" to set beside it, so this time it is just the practice.");
    }
    println!("\nKeys: Enter goes on to the next step, p then Enter pauses, q then Enter stops.\n");
    let started = now();
    let outcome = guide(&p.steps, args.step_seconds, &lines)?;
    match outcome {
        Outcome::Stopped => println!(
            "\nStopped. That's okay: stopping is always allowed, and you can come back any time."
        ),
        Outcome::Finished => println!("\n{}", p.closing),
    }
    if let (Some(store), Some(before)) = (store.as_mut(), before) {
        if let Some(after) = ask_micro(&lines, "And now", &vocabulary)? {
            let id = uuid::Uuid::now_v7().to_string();
            let bridge = Bridge {
                id,
                kind: BridgeKind::Practice,
                label: p.title.to_string(),
                started,
                before,
                ended: Some(now()),
                after: Some(after),
            };
            store.add_bridge(&bridge)?;
            println!("Noted, with your other bridges (`feltsense bridges`).");
        }
    }
    Ok(())
}

/// Lines typed, read on their own thread so steps can time out.
fn spawn_reader() -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut line = String::new();
        while stdin.read_line(&mut line).is_ok_and(|n| n > 0) {
            if tx.send(line.trim().to_lowercase()).is_err() {
                return;
            }
            line.clear();
        }
    });
    rx
}

fn guide(
    steps: &[feltsense_core::practices::Step],
    fixed: Option<u32>,
    lines: &Receiver<String>,
) -> anyhow::Result<Outcome> {
    let mut keyboard = true;
    for (i, step) in steps.iter().enumerate() {
        println!("({} of {}) {}", i + 1, steps.len(), step.text);
        std::io::stdout().flush()?;
        let mut left = Duration::from_secs(u64::from(fixed.unwrap_or(step.seconds)));
        while keyboard && !left.is_zero() {
            let waited = Instant::now();
            match lines.recv_timeout(left) {
                Ok(key) if key == "q" => return Ok(Outcome::Stopped),
                Ok(key) if key == "p" => {
                    println!("Paused. Press Enter to go on.");
                    match lines.recv() {
                        Ok(key) if key == "q" => return Ok(Outcome::Stopped),
                        Ok(_) => left = left.saturating_sub(waited.elapsed()),
                        Err(_) => keyboard = false,
                    }
                }
                Ok(_) => break,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => keyboard = false,
            }
        }
        if !keyboard {
            std::thread::sleep(left); // no keyboard: the steps simply keep time
        }
    }
    Ok(Outcome::Finished)
}

/// The three questions, each skippable; `None` if the first is skipped.
/// An answer that cannot be read is asked again (three tries), so a typo
/// never silently drops the check-in.
fn ask_micro(
    lines: &Receiver<String>,
    when: &str,
    vocabulary: &Vocabulary,
) -> anyhow::Result<Option<Micro>> {
    let ask = |q: &str| -> anyhow::Result<String> {
        print!("{q} ");
        std::io::stdout().flush()?;
        Ok(lines.recv().unwrap_or_default())
    };
    println!("\n{when}, if you like (Enter skips):");
    for tries_left in (0..3).rev() {
        let feel = ask("  The strongest feeling now and how strong, e.g. calm:3, or nothing:")?;
        if feel.is_empty() {
            return Ok(None);
        }
        let clarity = ask("  How clearly can you feel it, 0-10?")?;
        let body = ask("  Anything noticed in the body, yes or no?")?;
        match micro_from(&format!("{feel},{clarity},{body}"), "answer", vocabulary) {
            Ok(m) => return Ok(Some(m)),
            Err(e) if tries_left > 0 => println!("  {e}. Once more, if you like:"),
            Err(e) => println!("  {e}. That one is left out; nothing else is lost."),
        }
    }
    Ok(None)
}
