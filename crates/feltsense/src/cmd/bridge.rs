//! `feltsense bridge start|end|log` and `feltsense bridges`: activities
//! tried as a way back to feeling, with three questions before and after,
//! and what they seem to do for you.

use super::{guided_line, now, write_file_atomically};
use crate::failure;
use crate::settings::Settings;
use feltsense_core::bridges::{effects, Bridge, BridgeKind, Micro};
use feltsense_core::Vocabulary;
use feltsense_store::Store;
use std::io::IsTerminal;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

/// The three questions, as flags: `WORD:1-10` or `nothing`, clarity 0–10,
/// body noticed yes/no. Written together for `log` as `sad:4,3,no`.
#[derive(Debug, clap::Args)]
struct MicroArgs {
    /// The strongest feeling now and its intensity, e.g. `calm:4`, or `nothing`.
    #[arg(long, value_name = "WORD:1-10|nothing")]
    feel: Option<String>,
    /// How clearly you can feel it, 0–10.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10))]
    clarity: Option<u8>,
    /// Anything noticed in the body: yes or no.
    #[arg(long, value_name = "yes|no")]
    body: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Begin a bridge (music, art, movement, nature, people, senses, practice, other).
    Start {
        kind: String,
        label: String,
        #[command(flatten)]
        now: MicroArgs,
    },
    /// End the bridge that is open, with the same three questions.
    End {
        #[command(flatten)]
        now: MicroArgs,
    },
    /// Record a bridge after the fact: `--before sad:4,3,no --after calm:5,6,yes`.
    Log {
        kind: String,
        label: String,
        #[arg(long, value_name = "FEEL,CLARITY,BODY")]
        before: String,
        #[arg(long, value_name = "FEEL,CLARITY,BODY")]
        after: String,
        /// When it was, if not now: `2026-11-25T18:00` (local time) or RFC 3339.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct RankArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Also write the ranking here (JSON).
    #[arg(long, value_name = "FILE")]
    out: Option<std::path::PathBuf>,
}

fn kind(text: &str) -> anyhow::Result<BridgeKind> {
    text.parse().map_err(|()| {
        let all: Vec<&str> = BridgeKind::ALL.iter().map(|k| k.as_str()).collect();
        failure::input(format!(
            "'{text}' is not a kind of bridge; choose one of {}",
            all.join(", ")
        ))
    })
}

/// `WORD:N` or `nothing` into (feeling, intensity).
fn feeling(flag: &str, text: &str) -> anyhow::Result<(Option<String>, Option<u8>)> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("nothing") {
        return Ok((None, None));
    }
    let (word, n) = text.rsplit_once(':').ok_or_else(|| {
        failure::input(format!(
            "{flag} '{text}': give WORD:1-10, like calm:4, or nothing"
        ))
    })?;
    let n: u8 = n
        .trim()
        .parse()
        .map_err(|_| failure::input(format!("{flag} '{text}': the intensity must be 1 to 10")))?;
    Ok((Some(word.trim().to_string()), Some(n)))
}

fn yes_no(flag: &str, text: &str) -> anyhow::Result<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" => Ok(true),
        "no" | "n" => Ok(false),
        other => Err(failure::input(format!(
            "{flag}: '{other}' is not yes or no"
        ))),
    }
}

fn check(micro: Micro, flag: &str, vocabulary: &Vocabulary) -> anyhow::Result<Micro> {
    micro
        .validate(vocabulary)
        .map_err(|e| failure::input(format!("{flag}: {e}")))
}

/// The three answers from flags, or asked on a terminal.
fn micro(args: MicroArgs, vocabulary: &Vocabulary) -> anyhow::Result<Micro> {
    let asked = args.feel.is_none() && args.clarity.is_none() && args.body.is_none();
    if asked && std::io::stdin().is_terminal() {
        let ask = |q: &str| guided_line(q).map(|a| a.unwrap_or_default());
        let feel = ask("The strongest feeling now and how strong, e.g. calm:4 (or nothing): ")?;
        let clarity = ask("How clearly can you feel it, 0-10? ")?;
        let body = ask("Anything noticed in the body, yes or no? ")?;
        return micro_from(
            &format!(
                "{},{},{}",
                if feel.is_empty() { "nothing" } else { &feel },
                clarity,
                body
            ),
            "answer",
            vocabulary,
        );
    }
    let (Some(feel), Some(clarity), Some(body)) = (args.feel, args.clarity, args.body) else {
        return Err(failure::input(
            "give --feel, --clarity and --body, or run this in a terminal to be asked",
        ));
    };
    let (feeling, intensity) = feeling("--feel", &feel)?;
    check(
        Micro {
            feeling,
            intensity,
            clarity,
            body_noticed: yes_no("--body", &body)?,
        },
        "--feel",
        vocabulary,
    )
}

/// `FEEL,CLARITY,BODY`, e.g. `sad:4,3,no` or `nothing,1,no`.
pub fn micro_from(text: &str, flag: &str, vocabulary: &Vocabulary) -> anyhow::Result<Micro> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [feel, clarity, body] = parts[..] else {
        return Err(failure::input(format!(
            "{flag} '{text}': use FEEL,CLARITY,BODY such as sad:4,3,no"
        )));
    };
    let (feeling, intensity) = feeling(flag, feel)?;
    let clarity: u8 =
        clarity.parse().ok().filter(|c| *c <= 10).ok_or_else(|| {
            failure::input(format!("{flag}: clarity '{clarity}' must be 0 to 10"))
        })?;
    check(
        Micro {
            feeling,
            intensity,
            clarity,
            body_noticed: yes_no(flag, body)?,
        },
        flag,
        vocabulary,
    )
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let vocabulary = Vocabulary::embedded();
    match args.action {
        Action::Start {
            kind: k,
            label,
            now: answers,
        } => {
            let kind = kind(&k)?;
            let mut store = settings.open_or_create_store()?;
            let before = micro(answers, &vocabulary)?;
            let id = uuid::Uuid::now_v7().to_string();
            store.add_bridge(&Bridge {
                id,
                kind,
                label: label.trim().to_string(),
                started: now(),
                before,
                ended: None,
                after: None,
            })?;
            println!("Started: {kind}, \"{}\". Take your time; `feltsense bridge end` when you are done.", label.trim());
        }
        Action::End { now: answers } => {
            let mut store = settings.open_store()?;
            let open = store
                .bridges()?
                .into_iter()
                .find(|b| b.after.is_none())
                .ok_or_else(|| failure::Failure {
                    code: failure::NOT_THERE,
                    message: "there is no bridge to end; `feltsense bridge start` begins one"
                        .into(),
                })?;
            let after = micro(answers, &vocabulary)?;
            let ended = Bridge {
                ended: Some(now()),
                after: Some(after),
                ..open
            };
            store.replace_bridge(&ended)?;
            println!(
                "Noted. Thank you for trying {}: whatever you noticed, or didn't, is information.",
                ended.label
            );
        }
        Action::Log {
            kind: k,
            label,
            before,
            after,
            at,
        } => {
            let kind = kind(&k)?;
            let before = micro_from(&before, "--before", &vocabulary)?;
            let after = micro_from(&after, "--after", &vocabulary)?;
            let at = super::at_flag(at.as_deref())?;
            let mut store = settings.open_or_create_store()?;
            let id = uuid::Uuid::now_v7().to_string();
            store.add_bridge(&Bridge {
                id,
                kind,
                label: label.trim().to_string(),
                started: at,
                before,
                ended: Some(at),
                after: Some(after),
            })?;
            println!("Noted: {kind}, \"{}\".", label.trim());
        }
    }
    Ok(())
}

pub fn rank(settings: &Settings, args: RankArgs) -> anyhow::Result<()> {
    let store = settings.open_store()?;
    let ranked = effects(&store.bridges()?, 20_261_125);
    let json = serde_json::to_string_pretty(&ranked)?;
    if let Some(out) = &args.out {
        write_file_atomically(out, json.as_bytes())?;
    }
    if args.json {
        println!("{json}");
        return Ok(());
    }
    if ranked.is_empty() {
        println!(
            "No finished bridges yet. `feltsense bridge start music \"old songs\"` begins one."
        );
        return Ok(());
    }
    println!(
        "What seems to help you, by change in intensity and clarity (after − before), with a 95% range:\n"
    );
    for e in &ranked {
        let change = |c: Option<feltsense_core::bridges::Change>| {
            c.map_or("—".to_string(), |c| {
                format!("{:+.1} ({:+.1} to {:+.1})", c.mean, c.low, c.high)
            })
        };
        println!(
            "  {:<28} n {:<3} intensity {:<22} clarity {:<22} {}",
            e.name,
            e.n,
            change(e.intensity),
            change(e.clarity),
            e.words
        );
    }
    println!("\nThese are your own sessions, not general findings; a few sessions say little.");
    Ok(())
}
