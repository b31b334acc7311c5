//! What `import` tells the person: per kind of record, what was (or in a
//! dry run would be) added, replaced and left unchanged.

use super::Incoming;
use feltsense_core::CheckIn;
use feltsense_store::{ImportChanges, ImportMode, ImportPlan};

pub fn print(incoming: &Incoming, plan: &ImportPlan, mode: ImportMode) {
    if mode == ImportMode::DryRun {
        dry_run(incoming, plan);
        return;
    }
    println!("Imported {}.", done(&plan.checkins, "check-ins"));
    if !incoming.journal.is_empty() {
        println!("Imported {}.", done(&plan.journal, "journal entries"));
    }
    if !incoming.bridges.is_empty() {
        println!("Imported {}.", done(&plan.bridges, "bridges"));
    }
    if !incoming.assessments.is_empty() {
        let responses = done(&plan.assessments, "questionnaire responses");
        println!("Imported {responses}.");
    }
    if let Some(outcome) = safety_plan(plan, false) {
        println!("{outcome}");
    }
    if let Some(outcome) = chosen_items(plan, false) {
        println!("{outcome}");
    }
}

/// What became (or would become) of the file's chosen feelings.
fn chosen_items(plan: &ImportPlan, dry_run: bool) -> Option<&'static str> {
    let c = &plan.fixed_items;
    let outcome = match (c.added.is_empty(), c.replacing.is_empty(), dry_run) {
        (false, _, false) => "Imported the feelings chosen to rate on every check-in.",
        (false, _, true) => "The feelings chosen to rate on every check-in would be imported.",
        (_, false, false) => "Imported the chosen feelings, in place of the ones chosen before.",
        (_, false, true) => {
            "The file's chosen feelings would take the place of the ones chosen now."
        }
        _ => return None,
    };
    Some(outcome)
}

/// What became (or, in a dry run, would become) of the file's safety
/// plan, if it had one.
fn safety_plan(plan: &ImportPlan, dry_run: bool) -> Option<&'static str> {
    let c = &plan.safety_plan;
    let outcome = match (c.added.is_empty(), c.replacing.is_empty(), dry_run) {
        (false, _, false) => "Imported the safety plan.",
        (false, _, true) => "The safety plan would be imported.",
        (_, false, false) => "Imported the safety plan, in place of the one stored before.",
        (_, false, true) => "The safety plan would take the place of the one stored now.",
        _ if c.unchanged.is_empty() => return None,
        _ => "The safety plan is already here, unchanged.",
    };
    Some(outcome)
}

/// "3 check-ins (1 in place of earlier ones; 2 were already here, unchanged)"
fn done(c: &ImportChanges, things: &str) -> String {
    let mut notes = Vec::new();
    if !c.replacing.is_empty() {
        notes.push(format!(
            "{} in place of {} from an earlier import",
            c.replacing.len(),
            c.swapped_out.len()
        ));
    }
    if !c.unchanged.is_empty() {
        notes.push(format!(
            "{} were already here, unchanged",
            c.unchanged.len()
        ));
    }
    let n = c.added.len() + c.replacing.len();
    match notes.is_empty() {
        true => format!("{n} {things}"),
        false => format!("{n} {things} ({})", notes.join("; ")),
    }
}

fn dry_run(incoming: &Incoming, plan: &ImportPlan) {
    let kinds = [
        (&plan.checkins, "check-ins", incoming.checkins.is_empty()),
        (
            &plan.journal,
            "journal entries",
            incoming.journal.is_empty(),
        ),
        (&plan.bridges, "bridges", incoming.bridges.is_empty()),
        (
            &plan.assessments,
            "questionnaire responses",
            incoming.assessments.is_empty(),
        ),
    ];
    for (c, things, none) in kinds {
        if none && things != "check-ins" {
            continue;
        }
        println!(
            "{} {things} would be imported: {} new, {} replacing {} from an earlier import; {} already here, unchanged.",
            c.added.len() + c.replacing.len(),
            c.added.len(),
            c.replacing.len(),
            c.swapped_out.len(),
            c.unchanged.len()
        );
    }
    if let Some(outcome) = safety_plan(plan, true) {
        println!("{outcome}");
    }
    if let Some(outcome) = chosen_items(plan, true) {
        println!("{outcome}");
    }
    list("New", &plan.checkins.added, incoming);
    list("Replacing earlier ones", &plan.checkins.replacing, incoming);
    if !plan.checkins.swapped_out.is_empty() {
        println!(
            "Would be swapped out: {}",
            first(&plan.checkins.swapped_out)
        );
    }
    let replacing = [
        &plan.checkins,
        &plan.journal,
        &plan.bridges,
        &plan.assessments,
        &plan.safety_plan,
        &plan.fixed_items,
    ]
    .iter()
    .any(|c| !c.replacing.is_empty());
    if replacing {
        println!("Add --replace (without --dry-run) to swap them.");
    }
    println!("Nothing was written.");
}

/// The first five check-ins of `ids`, one line each.
fn list(title: &str, ids: &[String], incoming: &Incoming) {
    if ids.is_empty() {
        return;
    }
    println!("{title} (the first ones):");
    let shown: Vec<&CheckIn> = ids
        .iter()
        .take(5)
        .filter_map(|id| incoming.checkins.iter().find(|c| &c.record.id == id))
        .map(|c| &c.record)
        .collect();
    for c in shown {
        println!(
            "  {}  pleasant {:+}  {}  {}",
            c.at.format("%Y-%m-%d %H:%M"),
            c.pleasantness.unwrap_or(0),
            c.context.doing.as_deref().unwrap_or(""),
            c.note.as_deref().unwrap_or("").replace('\n', " ")
        );
    }
}

fn first(ids: &[String]) -> String {
    let mut shown: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
    if ids.len() > 5 {
        shown.push("…");
    }
    shown.join(", ")
}
