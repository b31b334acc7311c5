//! `feltsense analyze`: per-participant emotion-dynamics metrics of an
//! experience-sampling data set in long format, streamed and parallel.
//! Definitions: `feltsense_core::metrics::esm`.

mod header;
mod parse;
mod pipeline;
mod split;

use super::write_file_atomically;
use crate::failure;
use anyhow::Context as _;
use feltsense_core::metrics::esm::{self, Layout};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pipeline::{Clock, Columns, Outcome, Spec, Stop};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The data: CSV (or TSV, or `;`-separated) with a header, one row per
    /// prompt (`-` reads standard input).
    data: PathBuf,
    /// What separates the fields: , ; | or tab (default: found from the
    /// header line).
    #[arg(long, value_name = "C", value_parser = header::delimiter)]
    delimiter: Option<u8>,
    /// The column with the participant id.
    #[arg(long, value_name = "COL")]
    id: String,
    /// The column to order prompts by: a date-time or a beep number.
    #[arg(
        long,
        value_name = "COL",
        required_unless_present = "day",
        conflicts_with = "day"
    )]
    time: Option<String>,
    /// Instead of --time: the day column (a day number or a date); prompts
    /// order by day, then --beep, and --within-day pairs within a day.
    #[arg(long, value_name = "COL", requires = "beep")]
    day: Option<String>,
    /// With --day: the prompt's number within its day.
    #[arg(long, value_name = "COL", requires = "day")]
    beep: Option<String>,
    /// The positive emotion items, comma-separated column names.
    #[arg(long, value_name = "COLS")]
    positive: String,
    /// The negative emotion items, comma-separated column names.
    #[arg(long, value_name = "COLS")]
    negative: String,
    /// The lowest rating of the scale ("not at all"), for emodiversity.
    #[arg(
        long,
        value_name = "V",
        default_value_t = 0.0,
        allow_negative_numbers = true
    )]
    scale_min: f64,
    /// The highest rating of the scale: anything above is refused with its
    /// position (unless it is a --missing code).
    #[arg(long, value_name = "V", allow_negative_numbers = true)]
    scale_max: Option<f64>,
    /// Codes that mean "no answer", comma-separated (e.g. 9999,N/A), besides
    /// an empty cell, NA and NaN.
    #[arg(long, value_name = "CODES")]
    missing: Option<String>,
    /// Pair prompts for MSSD and inertia only within the same calendar day.
    #[arg(long)]
    within_day: bool,
    /// Skip rows that cannot be read (and count them) instead of stopping;
    /// the run still fails if more than 1% of the rows are skipped.
    #[arg(long)]
    skip_bad_rows: bool,
    /// With --skip-bad-rows (implied): skip up to N rows, or N% of them,
    /// instead of 1%.
    #[arg(long, value_name = "N|N%", value_parser = Allowance::parse)]
    max_bad_rows: Option<Allowance>,
    /// Threads that parse (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,
    /// Write the metrics here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    check_scale(&args)?;
    let from_stdin = args.data.as_os_str() == "-";
    let shown = if from_stdin {
        "standard input".to_string()
    } else {
        args.data.display().to_string()
    };
    let (mut input, header, delimiter) = open(&args, &shown)?;
    announce_header(&args, &header, delimiter, &shown);
    let spec = spec(&args, header, delimiter)?;
    let size = if from_stdin {
        None
    } else {
        std::fs::metadata(&args.data).ok().map(|m| m.len())
    };
    let progress = progress_bar(size);
    let started = std::time::Instant::now();
    // Stdin cannot be read twice, so it is held from the start.
    let mut result = pipeline::run(&mut input, 2, &spec, from_stdin, &progress);
    if let Err(Stop::Interleaved { id, line }) = &result {
        say_interleaved(&progress, id, *line);
        let (mut again, _, _) = open(&args, &shown)?;
        result = pipeline::run(&mut again, 2, &spec, true, &progress);
    }
    progress.finish_and_clear();
    let outcome = result.map_err(|stop| stopped(stop, &shown))?;
    check_skipped(
        &outcome,
        args.max_bad_rows.unwrap_or(Allowance::DEFAULT),
        &shown,
    )?;
    write_metrics(&outcome, args.out.as_ref())?;
    report(&outcome, started.elapsed());
    Ok(())
}

/// `--scale-min` a number and `--scale-max` (when given) one above it.
fn check_scale(args: &Args) -> anyhow::Result<()> {
    if !args.scale_min.is_finite() {
        return Err(failure::input("--scale-min must be a number"));
    }
    match args.scale_max {
        Some(max) if !max.is_finite() || max <= args.scale_min => Err(failure::input(format!(
            "--scale-max {max} must be a number above --scale-min {}",
            args.scale_min
        ))),
        _ => Ok(()),
    }
}

/// Says on stderr what separator the header line showed (when it is not a
/// comma nor given) and which columns it names twice.
fn announce_header(args: &Args, header: &[String], delimiter: u8, shown: &str) {
    if args.delimiter.is_none() && delimiter != b',' {
        eprintln!(
            "Reading {shown} as {} (from its header line; --delimiter sets it).",
            header::name(delimiter)
        );
    }
    for warning in header::duplicates(header) {
        eprintln!("{warning}");
    }
}

/// What the pipeline needs to know, from the flags and the header line.
fn spec(args: &Args, header: Vec<String>, delimiter: u8) -> anyhow::Result<Spec> {
    Ok(Spec {
        columns: columns(args, header).map_err(failure::input)?,
        layout: Layout {
            positive: split_list(&args.positive).len(),
            negative: split_list(&args.negative).len(),
            scale_min: args.scale_min,
            within_day: args.within_day,
        },
        scale: parse::Scale::new(
            args.scale_min,
            args.scale_max,
            &split_list(args.missing.as_deref().unwrap_or_default()),
        ),
        delimiter,
        skip_bad_rows: args.skip_bad_rows || args.max_bad_rows.is_some(),
        threads: args.threads.map_or_else(
            || std::thread::available_parallelism().map_or(2, |n| n.get()),
            usize::from,
        ),
    })
}

/// Says why the file is read a second time: its rows are not grouped by
/// participant.
fn say_interleaved(progress: &ProgressBar, id: &str, line: u64) {
    let id = pipeline::excerpt(id.as_bytes());
    progress.suspend(|| {
        eprintln!(
            "Participant {id} appears again at line {line}: rows are not grouped by \
             participant, so every participant is held until the end."
        )
    });
    progress.reset();
}

/// How many skipped rows a run accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Allowance {
    Rows(u64),
    Percent(f64),
}

impl Allowance {
    const DEFAULT: Allowance = Allowance::Percent(1.0);

    fn parse(text: &str) -> Result<Allowance, String> {
        let text = text.trim();
        let bad = || format!("'{text}' is neither a count of rows (50) nor a percentage (2.5%)");
        match text.strip_suffix('%') {
            Some(p) => {
                let p: f64 = p.trim().parse().map_err(|_| bad())?;
                if (0.0..=100.0).contains(&p) {
                    Ok(Allowance::Percent(p))
                } else {
                    Err(format!("'{text}' is not a percentage from 0% to 100%"))
                }
            }
            None => text.parse().map(Allowance::Rows).map_err(|_| bad()),
        }
    }

    fn allows(self, skipped: u64, total: u64) -> bool {
        match self {
            Allowance::Rows(n) => skipped <= n,
            Allowance::Percent(p) => skipped as f64 <= p / 100.0 * total as f64,
        }
    }
}

impl std::fmt::Display for Allowance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Allowance::Rows(n) => write!(f, "{n} {}", rows(*n)),
            Allowance::Percent(p) => write!(f, "{p}% of the rows"),
        }
    }
}

fn rows(n: u64) -> &'static str {
    if n == 1 {
        "row"
    } else {
        "rows"
    }
}

type Input = BufReader<Box<dyn Read + Send>>;

/// The message for a run that stopped.
fn stopped(stop: Stop, shown: &str) -> anyhow::Error {
    match stop {
        Stop::Bad(bad) => failure::input(format!(
            "{shown}: {bad}. Nothing was written; --skip-bad-rows skips such rows and counts them."
        )),
        Stop::Quote { line, closes } => failure::input(format!(
            "{shown}: line {line}: a quoted field opens here and {}, so a closing quote is \
             probably missing. Nothing was written.",
            if closes {
                "runs on for more than 1 MiB or 1,000 lines"
            } else {
                "never closes"
            }
        )),
        Stop::Io(e) => anyhow::Error::new(e).context(format!("could not read {shown}")),
        Stop::Interleaved { id, line } => anyhow::anyhow!(
            "participant {} appeared again at line {line} in a run that holds every participant",
            pipeline::excerpt(id.as_bytes())
        ),
    }
}

/// Refuses a run that skipped every row, or more than `allowed`.
fn check_skipped(outcome: &Outcome, allowed: Allowance, shown: &str) -> anyhow::Result<()> {
    let Some(first) = &outcome.first_skipped else {
        return Ok(());
    };
    let skipped = outcome.skipped;
    let total = outcome.rows + skipped + outcome.untimed;
    if outcome.rows + outcome.untimed == 0 {
        return Err(failure::input(format!(
            "{shown}: none of the {total} {} could be read (the first: {first}). \
             Nothing was written.",
            rows(total)
        )));
    }
    if allowed.allows(skipped, total) {
        return Ok(());
    }
    let share = 100.0 * skipped as f64 / total as f64;
    Err(failure::input(format!(
        "{shown}: {skipped} of {total} rows could not be read ({share:.2}%), more than the \
         {allowed} allowed (the first: {first}). Nothing was written; if that many is \
         expected, --max-bad-rows {skipped} lets them be skipped."
    )))
}

/// Opens the data and reads its header line.
fn open(args: &Args, shown: &str) -> anyhow::Result<(Input, Vec<String>, u8)> {
    let raw: Box<dyn Read + Send> = if args.data.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(File::open(&args.data).with_context(|| format!("could not open {shown}"))?)
    };
    let mut input = BufReader::with_capacity(1 << 16, raw);
    let mut line = Vec::new();
    input
        .read_until(b'\n', &mut line)
        .with_context(|| format!("could not read {shown}"))?;
    let delimiter = args.delimiter.unwrap_or_else(|| header::detect(&line));
    let names = header::names(&line, delimiter).ok_or_else(|| {
        failure::input(format!(
            "{shown}: line 1 should be a header row naming the columns"
        ))
    })?;
    Ok((input, names, delimiter))
}

fn split_list(list: &str) -> Vec<&str> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Finds every named column in the header; the message names the flag.
fn columns(args: &Args, names: Vec<String>) -> Result<Columns, String> {
    let find = |flag: &str, name: &str| {
        names.iter().position(|h| h == name).ok_or_else(|| {
            let shown: Vec<String> = names
                .iter()
                .take(50)
                .map(|n| pipeline::excerpt(n.as_bytes()))
                .collect();
            let more = names.len().saturating_sub(shown.len());
            format!(
                "{flag}: there is no column '{}'; the header has: {}{}",
                pipeline::excerpt(name.as_bytes()),
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )
        })
    };
    let id = find("--id", args.id.trim())?;
    let clock = match (&args.time, &args.day, &args.beep) {
        (Some(time), _, _) => Clock::Time(find("--time", time.trim())?),
        (None, Some(day), Some(beep)) => Clock::DayBeep {
            day: find("--day", day.trim())?,
            beep: find("--beep", beep.trim())?,
        },
        _ => return Err("give --time COL, or --day COL and --beep COL".into()),
    };
    if let Clock::DayBeep { day, beep } = clock {
        if day == beep {
            return Err("--beep: it names the same column as --day".into());
        }
    }
    let taken = clock.columns();
    let mut items = Vec::new();
    for (flag, list) in [
        ("--positive", &args.positive),
        ("--negative", &args.negative),
    ] {
        let names_in_list = split_list(list);
        if names_in_list.is_empty() {
            return Err(format!("{flag}: name at least one item column"));
        }
        for name in names_in_list {
            let column = find(flag, name)?;
            if items.contains(&column) || column == id || taken.contains(&column) {
                return Err(format!("{flag}: column '{name}' is used twice"));
            }
            items.push(column);
        }
    }
    Ok(Columns {
        id,
        clock,
        items,
        names,
    })
}

fn progress_bar(size: Option<u64>) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(size, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
    )
    .expect("the template is valid");
    bar.set_style(style);
    bar
}

fn write_metrics(outcome: &Outcome, out: Option<&PathBuf>) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(outcome.participants.len() * 200));
    w.write_record(esm::COLUMNS)?;
    let mut row: Vec<String> = Vec::with_capacity(esm::COLUMNS.len());
    for p in &outcome.participants {
        row.clear();
        row.push(p.id.clone());
        row.push(p.metrics.n.to_string());
        row.extend(
            p.metrics
                .figures()
                .iter()
                .map(|f| f.map(|v| v.to_string()).unwrap_or_default()),
        );
        row.push(p.metrics.pa_pairs.to_string());
        row.push(p.metrics.na_pairs.to_string());
        w.write_record(&row)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
    match out {
        Some(path) => write_file_atomically(path, &bytes),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            Ok(stdout.flush()?)
        }
    }
}

fn report(outcome: &Outcome, elapsed: std::time::Duration) {
    let n = outcome.participants.len();
    eprintln!(
        "Analysed {n} participant{} from {} prompt{} in {:.2} s.",
        if n == 1 { "" } else { "s" },
        outcome.rows,
        if outcome.rows == 1 { "" } else { "s" },
        elapsed.as_secs_f64()
    );
    if let Some(line) = outcome.first_untimed {
        let n = outcome.untimed;
        eprintln!(
            "Left out {n} prompt{} with an empty time cell (the first on line {line}): without \
             a time a prompt has no place in the order.",
            if n == 1 { "" } else { "s" }
        );
    }
    if let Some(first) = &outcome.first_skipped {
        let n = outcome.skipped;
        eprintln!(
            "Skipped {n} {} that could not be read (the first: {first}).",
            rows(n)
        );
    }
}
