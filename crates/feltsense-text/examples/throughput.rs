//! Journal analysis speed on one core (pin it: `taskset -c 1`):
//!
//! - the latency of a 1,000-byte journal entry, p50 and p99 of 2,000 calls,
//!   for the lexicon analysis alone (`Analyzer::analyze`: patterns and
//!   heads), the model of feelings shown alone, both called apart, and both
//!   in one call (`Analyzer::analyze_shown`, each word hashed once for the
//!   heads and the model: what a journal entry costs);
//! - MB/s over one large generated text (the entry below repeated 20,000
//!   times, 23 MB, analysed in one call): the lexicon alone, median and range
//!   of 7 runs, measured as the figure of issue 5 was;
//! - with `--corpus FILE` (one entry a line, as `eval/vader_speed.py
//!   --make-corpus` writes it), MB/s over those entries, each analysed on its
//!   own, median of 5 runs, for the same four.
//!
//! On a shared machine wall-clock time includes the time other processes
//! held the core, so each figure is also given per second *on the CPU*
//! (this thread's run time from `/proc/thread-self/schedstat`, Linux): the
//! mean µs per call beside p50/p99, and MB/s of CPU time beside MB/s of wall
//! time.
//!
//! `--entry-out FILE` writes the 1,000-byte entry, so VADER can be timed on
//! the same text (`eval/vader_speed.py`); `--no-big` leaves out the one
//! large text (most of the run's time), for a quick look while working.
//!
//! cargo run --release -p feltsense-text --example throughput -- [--corpus FILE] [--entry-out FILE] [--no-big]

use feltsense_core::Vocabulary;
use feltsense_text::{model, Analyzer};
use std::hint::black_box;
use std::time::Instant;

const ENTRY: &str = "Woke up tired again and didn’t want to get out of bed. Work was the usual: \
I put on a smile in the meeting and told everyone I was fine, but honestly I felt nothing for most \
of the morning, like I was watching my life from outside. At lunch I walked by the river and for a \
moment felt a little calm, maybe even hopeful, which surprised me. Then an email from my manager \
and I was really anxious, not angry exactly, more on edge and a bit ashamed that such a small thing \
got to me. I am not happy with how I handled it. In the evening I called my sister. She made me \
laugh and I felt close to her, grateful even, though part of me was still on autopilot. I keep \
saying I feel bad, but bad isn’t quite it: maybe disappointed, maybe lonely. The physio said my \
shoulders are tight, and they are. Tonight everything feels grey and flat, not sad so much as \
muted, like the volume is turned down. I want to notice more. Tomorrow I will try the breathing \
again, and maybe the body scan, even if it feels silly. I am so tired of being tired. Writing this \
helps a bit. 😶‍🌫️ Some music later, the old songs that used to make me cry. Nothing today. Still.";

/// The entry cut to at most 1,000 bytes, at a word boundary.
fn thousand_bytes() -> &'static str {
    let cut = ENTRY[..=1000].rfind(' ').expect("the entry has spaces");
    &ENTRY[..cut]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Args {
        corpus,
        entry_out,
        big,
    } = parse_args()?;
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let lexicon = |t: &str| drop(black_box(analyzer.analyze(black_box(t))));
    let shown = |t: &str| drop(black_box(model::shown(black_box(t))));
    let apart = |t: &str| {
        lexicon(t);
        shown(t);
    };
    let both = |t: &str| drop(black_box(analyzer.analyze_shown(black_box(t))));
    let entry = thousand_bytes();
    if let Some(path) = entry_out {
        std::fs::write(path, entry)?;
    }
    println!("entry of {} bytes, 2,000 calls each:", entry.len());
    for (what, f) in [
        ("lexicon", &lexicon as &dyn Fn(&str)),
        ("model", &shown),
        ("both, apart", &apart),
        ("lexicon + model", &both),
    ] {
        let (p50, p99, cpu) = latency(entry, f);
        println!("  {what:<16} p50 {p50:.1} µs, p99 {p99:.1} µs (mean on the CPU {cpu:.1} µs)");
    }
    if big {
        let big = ENTRY.repeat(20_000);
        println!(
            "lexicon over one text of {:.1} MB, 7 runs: {}",
            big.len() as f64 / 1e6,
            rates(7, &[big.as_str()], &lexicon)
        );
    }
    if let Some(path) = corpus {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        let entries: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let bytes: usize = entries.iter().map(|e| e.len()).sum();
        println!(
            "corpus of {} entries, {:.2} MB, each on its own, median of 5 runs:",
            entries.len(),
            bytes as f64 / 1e6
        );
        for (what, f) in [
            ("lexicon", &lexicon as &dyn Fn(&str)),
            ("model", &shown),
            ("both, apart", &apart),
            ("lexicon + model", &both),
        ] {
            println!("  {what:<16} {}", rates(5, &entries, f));
        }
    }
    Ok(())
}

struct Args {
    corpus: Option<String>,
    entry_out: Option<String>,
    /// Whether to time the one large text.
    big: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut parsed = Args {
        corpus: None,
        entry_out: None,
        big: true,
    };
    while let Some(flag) = args.next() {
        if flag == "--no-big" {
            parsed.big = false;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--corpus" => parsed.corpus = Some(value),
            "--entry-out" => parsed.entry_out = Some(value),
            _ => {
                return Err(format!(
                    "unknown flag {flag}; usage: throughput [--corpus FILE] [--entry-out FILE] [--no-big]"
                ))
            }
        }
    }
    Ok(parsed)
}

/// p50 and p99 in µs of 2,000 calls, after 200 to warm up, and the mean
/// µs on the CPU.
fn latency(entry: &str, f: &dyn Fn(&str)) -> (f64, f64, f64) {
    (0..200).for_each(|_| f(entry));
    let cpu = cpu_seconds();
    let mut times: Vec<f64> = (0..2_000)
        .map(|_| {
            let t = Instant::now();
            f(entry);
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    let cpu_mean = (cpu_seconds() - cpu) / 2_000.0 * 1e6;
    times.sort_by(f64::total_cmp);
    (times[1_000], times[1_980], cpu_mean)
}

/// MB/s of wall time and of CPU time over the texts, each analysed alone.
fn rate(texts: &[&str], f: &dyn Fn(&str)) -> (f64, f64) {
    let mb = texts.iter().map(|t| t.len()).sum::<usize>() as f64 / 1e6;
    let (t, cpu) = (Instant::now(), cpu_seconds());
    texts.iter().for_each(|text| f(text));
    (mb / t.elapsed().as_secs_f64(), mb / (cpu_seconds() - cpu))
}

/// This thread's time on the CPU so far, in seconds (NaN where unknown).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

/// Median, least and most of `runs` measurements of wall and CPU MB/s.
fn rates(runs: usize, texts: &[&str], f: &dyn Fn(&str)) -> String {
    let (mut wall, mut cpu): (Vec<f64>, Vec<f64>) = (0..runs).map(|_| rate(texts, f)).unzip();
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let m = runs / 2;
    format!(
        "wall {:.1} MB/s ({:.1} to {:.1}), on the CPU {:.1} MB/s ({:.1} to {:.1})",
        wall[m],
        wall[0],
        wall[runs - 1],
        cpu[m],
        cpu[0],
        cpu[runs - 1]
    )
}
