//! `feltsense report`: one self-contained HTML page for a therapist or a
//! trusted person (two A4 pages at most for 90 days); journal excerpts
//! only for the entries named with `--include-journal` or picked one by one
//! with `--pick-journal`.

use super::write_file_atomically;
use crate::failure;
use crate::settings::Settings;
use chrono::{Datelike, Duration, Local, NaiveDate};
use feltsense_core::when::EARLIEST_YEAR;
use feltsense_core::JournalEntry;
use feltsense_core::Vocabulary;
use feltsense_store::Store;
use std::io::{BufRead, Write};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// First day (default: the 90 days that end on --to).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last day (default: today).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Journal entries to include, by id (`feltsense journal list` shows
    /// them), comma-separated. None unless you name them.
    #[arg(long, value_name = "ID,ID,...", value_delimiter = ',')]
    include_journal: Vec<String>,
    /// Lists the period's journal entries and asks which to include.
    #[arg(long, conflicts_with = "include_journal")]
    pick_journal: bool,
    /// Your name on the report, if you want it there.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Where to write the HTML file (created owner-only).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// A day of the report: a date like 2026-11-01 from 1900 to tomorrow,
/// the days a record can have (`feltsense_core::when`).
fn date(flag: &str, text: &str) -> anyhow::Result<NaiveDate> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| failure::input(format!("{flag}: '{text}' is not a date like 2026-11-01")))?;
    let tomorrow = Local::now().date_naive() + Duration::days(1);
    if day.year() < EARLIEST_YEAR || day > tomorrow {
        return Err(failure::input(format!(
            "{flag}: {day} is outside the days feltsense keeps ({EARLIEST_YEAR}-01-01 to tomorrow)"
        )));
    }
    Ok(day)
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let to = match &args.to {
        Some(t) => date("--to", t)?,
        None => Local::now().date_naive(),
    };
    let from = match &args.from {
        Some(f) => date("--from", f)?,
        None => to - Duration::days(89),
    };
    if from > to {
        return Err(failure::input("--from must not be after --to"));
    }
    let store = settings.open_store()?;
    let entries = store.journal()?;
    let ids: Vec<String> = if args.pick_journal {
        let in_period: Vec<&JournalEntry> = entries
            .iter()
            .filter(|e| (from..=to).contains(&e.at.date_naive()))
            .collect();
        pick(
            &in_period,
            &mut std::io::stdin().lock(),
            &mut std::io::stderr(),
        )?
    } else {
        args.include_journal
            .iter()
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty())
            .collect()
    };
    let journal = if ids.is_empty() {
        Vec::new()
    } else {
        feltsense_web::ReportData::choose(&entries, &ids)
            .map_err(|e| failure::input(format!("--include-journal: {e}")))?
    };
    let html = feltsense_web::render_report(&feltsense_web::ReportData {
        checkins: &store.checkins(None)?,
        journal: &journal,
        bridges: &store.bridges()?,
        assessments: &store.assessments()?,
        from,
        to,
        vocabulary: &Vocabulary::embedded(),
        generated: Local::now().date_naive().format("%-d %B %Y").to_string(),
        name: args.name.filter(|n| !n.trim().is_empty()),
    })?;
    super::warn_skipped(&store);
    write_file_atomically(&args.out, html.as_bytes())?;
    eprintln!(
        "Wrote the report to {}. It is not encrypted: share it only with whom you choose.",
        args.out.display()
    );
    Ok(())
}

/// The first words of an entry, cut at a word, for the pick list.
fn opening(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= 60 {
        return line;
    }
    let cut: String = line.chars().take(60).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{at_word}…")
}

/// Lists `entries` numbered and asks which the report should include
/// (numbers separated by commas, Enter for none; three tries). Returns
/// their ids.
fn pick(
    entries: &[&JournalEntry],
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> anyhow::Result<Vec<String>> {
    if entries.is_empty() {
        writeln!(out, "There are no journal entries in this period.")?;
        return Ok(Vec::new());
    }
    writeln!(
        out,
        "Journal entries in this period (none are included unless you pick them):"
    )?;
    for (n, e) in entries.iter().enumerate() {
        let day = e.at.format("%-d %b %Y");
        writeln!(out, "  {:>2}. {day}  {}", n + 1, opening(&e.text))?;
    }
    for _ in 0..3 {
        write!(
            out,
            "Which should the report include? Numbers like 1,3, or Enter for none: "
        )?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(Vec::new());
        }
        match chosen(line.trim(), entries.len()) {
            Ok(numbers) => return Ok(numbers.iter().map(|&n| entries[n - 1].id.clone()).collect()),
            Err(e) => writeln!(out, "{e}")?,
        }
    }
    Err(failure::input(
        "--pick-journal: no entries were picked after three tries",
    ))
}

/// The numbers in `answer` (1-based, each once, in the order given).
fn chosen(answer: &str, count: usize) -> Result<Vec<usize>, String> {
    let mut numbers = Vec::new();
    for part in answer.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<usize>() {
            Ok(n) if (1..=count).contains(&n) => {
                if !numbers.contains(&n) {
                    numbers.push(n);
                }
            }
            _ => return Err(format!("'{part}' is not one of the numbers 1 to {count}.")),
        }
    }
    Ok(numbers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn entry(id: &str, text: &str) -> JournalEntry {
        JournalEntry {
            id: id.into(),
            at: DateTime::parse_from_rfc3339("2026-11-20T20:00:00+01:00").unwrap(),
            text: text.into(),
        }
    }

    fn run_pick(answers: &str) -> (anyhow::Result<Vec<String>>, String) {
        let (a, b) = (
            entry("j1", "A quiet day."),
            entry("j2", &"word ".repeat(30)),
        );
        let mut out = Vec::new();
        let picked = pick(&[&a, &b], &mut answers.as_bytes(), &mut out);
        (picked, String::from_utf8(out).unwrap())
    }

    #[test]
    fn picks_by_number_in_the_order_given_and_each_once() {
        let (picked, out) = run_pick("2, 1,2\n");
        assert_eq!(picked.unwrap(), ["j2", "j1"]);
        assert!(out.contains(" 1. 20 Nov 2026  A quiet day."), "{out}");
        assert!(out.contains("word word…"), "cut at a word: {out}");
    }

    #[test]
    fn enter_or_end_of_input_picks_none() {
        assert!(run_pick("\n").0.unwrap().is_empty());
        assert!(run_pick("").0.unwrap().is_empty());
    }

    #[test]
    fn a_wrong_number_asks_again_and_three_give_up() {
        let (picked, out) = run_pick("3\n1\n");
        assert_eq!(picked.unwrap(), ["j1"]);
        assert!(
            out.contains("'3' is not one of the numbers 1 to 2."),
            "{out}"
        );
        let (picked, _) = run_pick("x\n0\n9\n");
        assert!(picked.unwrap_err().to_string().contains("three tries"));
    }
}
