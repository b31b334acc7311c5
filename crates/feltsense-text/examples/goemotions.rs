//! Runs feltsense's journal analysis over a GoEmotions-format corpus and
//! prints precision, recall and F1 per feltsense family and macro-averaged;
//! with `--predictions FILE` it also writes one JSON line per comment
//! (id, polarity, families) for `eval/vader_polarity.py`, which compares
//! polarity with VADER on the same comments. Used by `bench/goemotions.sh`.
//!
//! cargo run --release -p feltsense-text --example goemotions -- DIR [--mapping FILE] [--predictions FILE]

use feltsense_core::{Family, Vocabulary};
use feltsense_text::eval::{load, macro_f1, score};
use feltsense_text::Analyzer;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: goemotions DIR [--mapping FILE] [--predictions FILE]")?,
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let (mut mapping, mut predictions) = (root.join("eval/goemotions_families.tsv"), None);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--mapping" => mapping = value.into(),
            "--predictions" => predictions = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown flag {flag}").into()),
        }
    }
    let read =
        |p: PathBuf| std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()));
    let examples = load(
        &read(dir.join("emotions.txt"))?,
        &read(dir.join("test.tsv"))?,
        &read(mapping)?,
    )?;
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);

    let started = std::time::Instant::now();
    let bytes: usize = examples.iter().map(|e| e.text.len()).sum();
    let analyses: Vec<_> = examples.iter().map(|e| analyzer.analyze(&e.text)).collect();
    let secs = started.elapsed().as_secs_f64();

    let scores = score(&examples, |t| analyzer.families(t));
    println!(
        "feltsense on {} comments ({} lexicon forms)\n",
        examples.len(),
        analyzer.forms()
    );
    println!("| family | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|");
    for (family, s) in &scores {
        println!(
            "| {} | {:.3} | {:.3} | {:.3} | {} |",
            family.as_str(),
            s.precision(),
            s.recall(),
            s.f1(),
            s.support()
        );
    }
    println!(
        "\nmacro-F1 over families with support: {:.3}",
        macro_f1(&scores)
    );
    println!(
        "analysis throughput: {:.1} MB/s ({} comments, {:.3} s, one core)",
        bytes as f64 / 1e6 / secs,
        examples.len(),
        secs
    );

    if let Some(path) = predictions {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for (e, a) in examples.iter().zip(&analyses) {
            let weight: f64 = a
                .present()
                .filter_map(|f| {
                    vocabulary.get(&f.word).map(|w| {
                        f64::from(w.pleasantness) * f.cue.as_ref().map_or(1.0, |c| c.factor)
                    })
                })
                .sum();
            let polarity = if weight > 0.0 {
                "pleasant"
            } else if weight < 0.0 {
                "unpleasant"
            } else {
                "neutral"
            };
            let families: BTreeSet<&str> = analyzer
                .families(&e.text)
                .into_iter()
                .map(Family::as_str)
                .collect();
            let line =
                serde_json::json!({ "id": e.id, "polarity": polarity, "families": families });
            writeln!(out, "{line}")?;
        }
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
