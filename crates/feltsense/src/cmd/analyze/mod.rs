//! `feltsense analyze`: per-participant emotion-dynamics metrics of an
//! experience-sampling data set in long format, streamed and parallel.
//! Definitions: `feltsense_core::metrics::esm`.

mod parse;
mod pipeline;

use super::write_file_atomically;
use crate::failure;
use anyhow::Context as _;
use feltsense_core::metrics::esm::{self, Layout};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pipeline::{Columns, Outcome, Spec, Stop};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The data: CSV with a header, one row per prompt (`-` reads standard input).
    data: PathBuf,
    /// The column with the participant id.
    #[arg(long, value_name = "COL")]
    id: String,
    /// The column to order prompts by: a date-time or a beep number.
    #[arg(long, value_name = "COL")]
    time: String,
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
    /// Pair prompts for MSSD and inertia only within the same calendar day.
    #[arg(long)]
    within_day: bool,
    /// Skip rows that cannot be read (and count them) instead of stopping.
    #[arg(long)]
    skip_bad_rows: bool,
    /// Threads that parse (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,
    /// Write the metrics here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if !args.scale_min.is_finite() {
        return Err(failure::input("--scale-min must be a number"));
    }
    let from_stdin = args.data.as_os_str() == "-";
    let shown = if from_stdin {
        "standard input".to_string()
    } else {
        args.data.display().to_string()
    };
    let (mut input, header) = open(&args, &shown)?;
    let spec = Spec {
        columns: columns(&args, header).map_err(failure::input)?,
        layout: Layout {
            positive: split_list(&args.positive).len(),
            negative: split_list(&args.negative).len(),
            scale_min: args.scale_min,
            within_day: args.within_day,
        },
        skip_bad_rows: args.skip_bad_rows,
        threads: args.threads.map_or_else(
            || std::thread::available_parallelism().map_or(2, |n| n.get()),
            usize::from,
        ),
    };
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
        progress.suspend(|| {
            eprintln!(
                "Participant {id} appears again at line {line}: rows are not grouped by \
                 participant, so every participant is held until the end."
            )
        });
        progress.reset();
        let (mut again, _) = open(&args, &shown)?;
        result = pipeline::run(&mut again, 2, &spec, true, &progress);
    }
    progress.finish_and_clear();
    let outcome = result.map_err(|stop| match stop {
        Stop::Bad(bad) => failure::input(format!(
            "{shown}: {bad}. Nothing was written; --skip-bad-rows skips such rows and counts them."
        )),
        Stop::Io(e) => anyhow::Error::new(e).context(format!("could not read {shown}")),
        Stop::Interleaved { .. } => unreachable!("held runs do not stop for interleaving"),
    })?;
    write_metrics(&outcome, args.out.as_ref())?;
    report(&outcome, started.elapsed());
    Ok(())
}

type Input = BufReader<Box<dyn Read + Send>>;

/// Opens the data and reads its header line.
fn open(args: &Args, shown: &str) -> anyhow::Result<(Input, Vec<String>)> {
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
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_slice());
    let header: Vec<String> = match reader.records().next() {
        Some(Ok(r)) => r
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect(),
        _ => {
            return Err(failure::input(format!(
                "{shown}: line 1 should be a header row naming the columns"
            )))
        }
    };
    Ok((input, header))
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
            format!(
                "{flag}: there is no column '{name}'; the header has: {}",
                names.join(", ")
            )
        })
    };
    let id = find("--id", args.id.trim())?;
    let time = find("--time", args.time.trim())?;
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
            if items.contains(&column) || column == id || column == time {
                return Err(format!("{flag}: column '{name}' is used twice"));
            }
            items.push(column);
        }
    }
    Ok(Columns {
        id,
        time,
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
    eprintln!(
        "Analysed {} participants from {} prompts in {:.2} s.",
        outcome.participants.len(),
        outcome.rows,
        elapsed.as_secs_f64()
    );
    if let Some(first) = &outcome.first_skipped {
        eprintln!(
            "Skipped {} rows that could not be read (the first: {first}).",
            outcome.skipped
        );
    }
}
