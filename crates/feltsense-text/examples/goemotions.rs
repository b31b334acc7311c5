//! Runs feltsense over a GoEmotions-format corpus (`test.tsv`) two ways, the
//! lexicon analysis (feelings named) and the model of feelings shown
//! (`feltsense_text::model`), and prints per-family precision, recall and F1
//! and polarity scores for both. With `--predictions FILE` and
//! `--model-predictions FILE` it writes one JSON line per comment (id,
//! polarity, families) for `eval/vader_polarity.py`, which scores polarity
//! with VADER on the same comments; with `--scores-json FILE` it writes the
//! model's figures, as committed in `model/test_scores.json` and checked by
//! `tests/goemotions_model.rs`. Used by `bench/goemotions.sh`.
//!
//! cargo run --release -p feltsense-text --example goemotions -- DIR [--mapping FILE] [--predictions FILE] [--model-predictions FILE] [--scores-json FILE]

use feltsense_core::{Family, Vocabulary};
use feltsense_text::eval::{
    gold_polarity, load, macro_f1, macro_f1_from, polarity_map, score, Example, PolarityMap,
    PolarityScores, Score,
};
use feltsense_text::model::{Model, Polarity};
use feltsense_text::{Analysis, Analyzer};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;

/// Families with fewer gold comments than this are listed but left out of
/// the macro figure (calm has 11 in the test split).
const MIN_SUPPORT: usize = 50;

#[derive(Default)]
struct Outputs {
    mapping: Option<PathBuf>,
    predictions: Option<PathBuf>,
    model_predictions: Option<PathBuf>,
    scores_json: Option<PathBuf>,
}

type Prediction = (Polarity, BTreeSet<Family>);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (dir, outputs) = parse_args()?;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let read =
        |p: PathBuf| std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()));
    let mapping = outputs
        .mapping
        .clone()
        .unwrap_or(root.join("eval/goemotions_families.tsv"));
    let examples = load(
        &read(dir.join("emotions.txt"))?,
        &read(dir.join("test.tsv"))?,
        &read(mapping)?,
    )?;
    let polarities = polarity_map(&read(root.join("eval/goemotions_polarity.tsv"))?)?;
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);

    let started = std::time::Instant::now();
    let bytes: usize = examples.iter().map(|e| e.text.len()).sum();
    let analyses: Vec<Analysis> = examples.iter().map(|e| analyzer.analyze(&e.text)).collect();
    let secs = started.elapsed().as_secs_f64();
    let lexicon: Vec<Prediction> = examples
        .iter()
        .zip(&analyses)
        .map(|(e, a)| (lexicon_polarity(a, &vocabulary), analyzer.families(&e.text)))
        .collect();
    println!(
        "## feltsense lexicon (feelings named) on {} comments ({} lexicon forms)\n",
        examples.len(),
        analyzer.forms()
    );
    print_scores(&examples, &polarities, &lexicon);
    println!(
        "lexicon analysis throughput: {:.1} MB/s ({} comments, {secs:.3} s, one core)\n",
        bytes as f64 / 1e6 / secs,
        examples.len()
    );

    let model = Model::embedded();
    let shown: Vec<Prediction> = examples
        .iter()
        .map(|e| model_prediction(model, &e.text))
        .collect();
    println!("## feltsense model (feelings shown) on the same comments\n");
    let (polarity, families) = print_scores(&examples, &polarities, &shown);

    if let Some(path) = &outputs.predictions {
        write_predictions(path, &examples, &lexicon)?;
    }
    if let Some(path) = &outputs.model_predictions {
        write_predictions(path, &examples, &shown)?;
    }
    if let Some(path) = &outputs.scores_json {
        std::fs::write(
            path,
            scores_json(examples.len(), &polarity, &families) + "\n",
        )?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

fn parse_args() -> Result<(PathBuf, Outputs), String> {
    let usage = "usage: goemotions DIR [--mapping FILE] [--predictions FILE] [--model-predictions FILE] [--scores-json FILE]";
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    let mut outputs = Outputs::default();
    while let Some(flag) = args.next() {
        let value = Some(PathBuf::from(
            args.next().ok_or(format!("{flag} needs a value"))?,
        ));
        match flag.as_str() {
            "--mapping" => outputs.mapping = value,
            "--predictions" => outputs.predictions = value,
            "--model-predictions" => outputs.model_predictions = value,
            "--scores-json" => outputs.scores_json = value,
            _ => return Err(format!("unknown flag {flag}\n{usage}")),
        }
    }
    Ok((dir, outputs))
}

/// The sign of the pleasantness of the feelings found, weighted by their
/// intensity cues.
fn lexicon_polarity(a: &Analysis, vocabulary: &Vocabulary) -> Polarity {
    let weight: f64 = a
        .present()
        .filter_map(|f| {
            vocabulary
                .get(&f.word)
                .map(|w| f64::from(w.pleasantness) * f.cue.as_ref().map_or(1.0, |c| c.factor))
        })
        .sum();
    if weight > 0.0 {
        Polarity::Pleasant
    } else if weight < 0.0 {
        Polarity::Unpleasant
    } else {
        Polarity::Neutral
    }
}

fn model_prediction(model: &Model, text: &str) -> Prediction {
    match model.logits(text) {
        Some(z) => (
            Model::polarity(&z),
            model.families(&z).into_iter().collect(),
        ),
        None => (Polarity::Neutral, BTreeSet::new()),
    }
}

fn print_scores(
    examples: &[Example],
    polarities: &PolarityMap,
    predictions: &[Prediction],
) -> (PolarityScores, BTreeMap<Family, Score>) {
    let by_text: BTreeMap<&str, &BTreeSet<Family>> = examples
        .iter()
        .zip(predictions)
        .map(|(e, p)| (e.text.as_str(), &p.1))
        .collect();
    let families = score(examples, |t| by_text[t].clone());
    println!("| family | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|");
    for (family, s) in &families {
        println!(
            "| {} | {:.3} | {:.3} | {:.3} | {} |",
            family.as_str(),
            s.precision(),
            s.recall(),
            s.f1(),
            s.support()
        );
    }
    println!("\nfamily macro-F1 over families with >= {MIN_SUPPORT} gold comments: {:.3} (over all with support: {:.3})", macro_f1_from(&families, MIN_SUPPORT), macro_f1(&families));
    let polarity = PolarityScores::new(
        examples
            .iter()
            .zip(predictions)
            .filter_map(|(e, p)| Some((gold_polarity(&e.labels, polarities)?, p.0))),
    );
    let f1s: Vec<String> = polarity
        .classes
        .iter()
        .map(|(p, s)| format!("{} {:.3}", p.as_str(), s.f1()))
        .collect();
    println!(
        "polarity on {} comments with one gold polarity: macro-F1 {:.3}, accuracy {:.3} (F1 {})\n",
        polarity.n,
        polarity.macro_f1(),
        polarity.accuracy(),
        f1s.join(", ")
    );
    (polarity, families)
}

fn write_predictions(
    path: &PathBuf,
    examples: &[Example],
    predictions: &[Prediction],
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for (e, (polarity, families)) in examples.iter().zip(predictions) {
        let families: Vec<&str> = families.iter().map(|f| f.as_str()).collect();
        writeln!(
            out,
            "{}",
            serde_json::json!({ "id": e.id, "polarity": polarity.as_str(), "families": families })
        )?;
    }
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn scores_json(
    comments: usize,
    polarity: &PolarityScores,
    families: &BTreeMap<Family, Score>,
) -> String {
    let classes: BTreeMap<&str, f64> = polarity
        .classes
        .iter()
        .map(|(p, s)| (p.as_str(), s.f1()))
        .collect();
    let per_family: BTreeMap<&str, serde_json::Value> = families
        .iter()
        .filter(|(_, s)| s.support() > 0)
        .map(|(f, s)| {
            (
                f.as_str(),
                serde_json::json!({ "tp": s.tp, "fp": s.fp, "fn": s.fn_, "f1": s.f1() }),
            )
        })
        .collect();
    let value = serde_json::json!({
        "split": "test",
        "comments": comments,
        "polarity": { "n": polarity.n, "macro_f1": polarity.macro_f1(), "accuracy": polarity.accuracy(), "f1": classes },
        "families": per_family,
        "family_macro_f1_min_support": MIN_SUPPORT,
        "family_macro_f1": macro_f1_from(families, MIN_SUPPORT),
    });
    serde_json::to_string_pretty(&value).expect("scores serialise")
}
