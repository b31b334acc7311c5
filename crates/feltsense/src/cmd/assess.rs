//! `feltsense assess`: PHQ-9, GAD-7, PCL-5 and WHO-5, answered on the
//! terminal or with `--answers`; scored with standard bands as screening
//! information; history per instrument; FHIR R4 export. A PHQ-9 item 9
//! above "not at all" shows the safety panel at once, before any score.

use super::safety::panel;
use super::{guided_line, write_file_atomically};
use crate::failure;
use crate::settings::Settings;
use feltsense_core::assessments::{definition, fhir, Definition, Response, ALL, SCREENING};
use feltsense_store::Store;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// phq9, gad7, pcl5 or who5.
    instrument: Option<String>,
    /// All answers at once, comma-separated, e.g. 0,1,2,0,0,1,0,0,0.
    #[arg(long, value_name = "A,B,...")]
    answers: Option<String>,
    /// When it was answered, if not now: `2026-11-25T08:30` (local time) or RFC 3339.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// Print the scored result as JSON.
    #[arg(long)]
    json: bool,
    /// Show earlier results (of this instrument, or all) instead of asking.
    #[arg(long)]
    history: bool,
    /// Write every response as FHIR R4 QuestionnaireResponse resources (a Bundle).
    #[arg(long, value_name = "FILE")]
    fhir: Option<PathBuf>,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let chosen = args.instrument.as_deref().map(instrument).transpose()?;
    if let Some(path) = &args.fhir {
        return export(settings, path);
    }
    if args.history {
        return history(settings, chosen);
    }
    let Some(d) = chosen else {
        return Err(failure::input(
            "name a questionnaire: phq9, gad7, pcl5 or who5 (or --history, --fhir FILE)",
        ));
    };
    let at = super::at_flag(args.at.as_deref())?;
    let given = args
        .answers
        .as_deref()
        .map(|t| parse_answers(d, t))
        .transpose()?;
    let mut store = settings.open_or_create_store()?;
    let answers = match given {
        Some(answers) => {
            if d.needs_safety_panel(&answers) {
                let plan = store.safety_plan()?;
                println!("{}\n", panel(settings.country.as_deref(), Some(&plan)));
            }
            answers
        }
        None => match asked(d, settings, &store)? {
            Some(answers) => answers,
            None => {
                println!("Nothing was saved. You can come back to it any time.");
                return Ok(());
            }
        },
    };
    let response = Response {
        id: uuid::Uuid::now_v7().to_string(),
        instrument: d.instrument,
        at,
        answers,
    };
    store.add_assessment(&response)?;
    print_score(d, &response, args.json)
}

/// The questionnaire named `name`, or a message listing the ones there are.
fn instrument(name: &str) -> anyhow::Result<&'static Definition> {
    definition(name).ok_or_else(|| {
        let keys: Vec<&str> = ALL.iter().map(|d| d.key).collect();
        failure::input(format!(
            "'{name}' is not a questionnaire here; choose one of {}",
            keys.join(", ")
        ))
    })
}

/// The answers asked one at a time on a terminal (`None`: the person
/// stopped); without a terminal, a message asking for `--answers`.
fn asked(
    d: &Definition,
    settings: &Settings,
    store: &impl Store,
) -> anyhow::Result<Option<Vec<u8>>> {
    if !std::io::stdin().is_terminal() {
        return Err(failure::input(
            "give --answers, or run this in a terminal to be asked",
        ));
    }
    ask(d, settings, store)
}

/// The score, as JSON with the response or as plain lines (a PCL-5 with
/// its clusters), always with the screening note on the plain side.
fn print_score(d: &Definition, response: &Response, json: bool) -> anyhow::Result<()> {
    let score = d.score(&response.answers);
    if json {
        let both = serde_json::json!({ "response": response, "score": score });
        println!("{}", serde_json::to_string_pretty(&both)?);
        return Ok(());
    }
    println!(
        "{}: {} of {} ({}).",
        d.title, score.reported, score.max, score.band
    );
    if let (Some([b, c, dd, e]), Some(numbing), Some(provisional)) =
        (score.clusters, score.numbing, score.provisional)
    {
        println!("  clusters: intrusions {b}, avoidance {c}, mood and thinking {dd}, arousal {e}");
        println!("  numbing-related items 12–14: {numbing} of 12");
        println!(
            "  the provisional DSM-5 symptom pattern is {}met",
            if provisional { "" } else { "not " }
        );
    }
    println!("{SCREENING}");
    Ok(())
}

fn parse_answers(d: &Definition, text: &str) -> anyhow::Result<Vec<u8>> {
    let answers: Vec<u8> = text
        .split(',')
        .map(|a| {
            a.trim().parse::<u8>().map_err(|_| {
                failure::input(format!("--answers: '{}' is not a whole number", a.trim()))
            })
        })
        .collect::<Result<_, _>>()?;
    d.check(&answers)
        .map_err(|e| failure::input(format!("--answers: {e}")))?;
    Ok(answers)
}

fn ask(d: &Definition, settings: &Settings, store: &impl Store) -> anyhow::Result<Option<Vec<u8>>> {
    println!("{}\n{}\n", d.title, d.stem);
    let options: Vec<String> = d
        .scale
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{i} {s}"))
        .collect();
    let mut answers = Vec::new();
    for (i, item) in d.items.iter().enumerate() {
        println!("{}. {item}\n   {}", i + 1, options.join(" · "));
        let answer = loop {
            let Some(line) = guided_line("   > ")? else {
                return Ok(None);
            };
            match line.parse::<u8>() {
                Ok(a) if usize::from(a) < d.scale.len() => break a,
                _ => println!("   A number from 0 to {}, please.", d.scale.len() - 1),
            }
        };
        answers.push(answer);
        if d.needs_safety_panel(&answers) && i == 8 {
            println!(
                "\n{}\n",
                panel(settings.country.as_deref(), Some(&store.safety_plan()?))
            );
        }
    }
    Ok(Some(answers))
}

fn history(settings: &Settings, chosen: Option<&Definition>) -> anyhow::Result<()> {
    let all = settings.open_store()?.assessments()?;
    let shown: Vec<&Response> = all
        .iter()
        .filter(|r| chosen.is_none_or(|d| d.instrument == r.instrument))
        .collect();
    if shown.is_empty() {
        println!("No results yet.");
        return Ok(());
    }
    for r in shown.iter().rev() {
        let d = ALL
            .iter()
            .find(|d| d.instrument == r.instrument)
            .expect("known instrument");
        let s = d.score(&r.answers);
        println!(
            "{}  {:<6} {:>3} of {:<3} {}",
            r.at.format("%Y-%m-%d"),
            d.title,
            s.reported,
            s.max,
            s.band
        );
    }
    println!("{SCREENING}");
    Ok(())
}

fn export(settings: &Settings, path: &std::path::Path) -> anyhow::Result<()> {
    let all = settings.open_store()?.assessments()?;
    let bundle = serde_json::json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": all.iter().map(|r| serde_json::json!({ "resource": fhir(r) })).collect::<Vec<_>>(),
    });
    write_file_atomically(path, serde_json::to_string_pretty(&bundle)?.as_bytes())?;
    eprintln!(
        "Wrote {} responses to {} (not encrypted: keep it somewhere safe).",
        all.len(),
        path.display()
    );
    Ok(())
}
