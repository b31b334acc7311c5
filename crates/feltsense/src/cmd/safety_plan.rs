//! `feltsense safety-plan`: write or read the six steps of a Stanley &
//! Brown safety plan, stored encrypted.

use super::guided_line;
use crate::failure;
use crate::settings::Settings;
use feltsense_core::SafetyPlan;
use feltsense_store::Store;
use std::fmt::Write;
use std::io::IsTerminal;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the plan and change nothing.
    #[arg(long)]
    show: bool,
    /// Set one step without prompts: STEP=TEXT, where STEP is one of
    /// warning_signs, coping_alone, distractions, people_to_ask,
    /// professionals, safer_surroundings. Repeatable.
    #[arg(long = "set", value_name = "STEP=TEXT")]
    set: Vec<String>,
}

pub fn render(plan: &SafetyPlan) -> String {
    let mut s = String::from("Your safety plan\n");
    for (_, title, text) in plan.steps() {
        let text = if text.is_empty() {
            "(not written yet)"
        } else {
            text
        };
        let _ = writeln!(s, "\n{title}\n  {}", text.replace('\n', "\n  "));
    }
    s
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let mut store = settings.open_or_create_store()?;
    let mut plan = store.safety_plan()?;
    if args.show {
        println!("{}", render(&plan));
        return Ok(());
    }
    if !args.set.is_empty() {
        for item in &args.set {
            let (step, text) = item
                .split_once('=')
                .ok_or_else(|| failure::input(format!("--set '{item}': use STEP=TEXT")))?;
            if !plan.set(step.trim(), text) {
                let keys: Vec<&str> = plan.steps().iter().map(|s| s.0).collect();
                return Err(failure::input(format!(
                    "--set: '{step}' is not a step; the steps are {}",
                    keys.join(", ")
                )));
            }
        }
    } else if std::io::stdin().is_terminal() {
        println!("A safety plan is a short list you write in a calm moment, to use in a hard one.");
        println!("For each step, type your answer (Enter keeps what is there; a single '-' clears it).\n");
        let steps: Vec<(&str, &str, String)> = plan
            .steps()
            .iter()
            .map(|(k, t, v)| (*k, *t, v.to_string()))
            .collect();
        for (key, title, current) in steps {
            println!("{title}");
            if !current.is_empty() {
                println!("  now: {}", current.replace('\n', " / "));
            }
            match guided_line("  > ")? {
                None => {
                    println!("\nNothing was changed.");
                    return Ok(());
                }
                Some(answer) if answer == "-" => {
                    plan.set(key, "");
                }
                Some(answer) if !answer.is_empty() => {
                    plan.set(key, &answer);
                }
                Some(_) => {}
            }
        }
    } else {
        return Err(failure::input(
            "give steps with --set STEP=TEXT, or run this in a terminal",
        ));
    }
    store.save_safety_plan(&plan)?;
    println!("Your safety plan is saved, encrypted. `feltsense help-now` shows it with the crisis lines.");
    Ok(())
}
