//! Today's system out of fold, row by row, for the embedding measurement
//! (`eval/embed/measure.py`): every labelled set in `eval/language/` (the
//! third blind set included) and `tests/data/crisis.tsv` (always training),
//! split into the learned heads' 5 folds (seed 15, grouped by an entry's
//! first four normalised words). For each fold the heads are trained, and
//! their thresholds chosen by their own inner cross-validation
//! (`learned::train::train`), on the other folds only; the fold's rows are
//! then read by the patterns and those heads. Prints a TSV on stdout:
//! `set id kind crisis fold group patterns veto logit system`, where
//! `patterns` is the patterns' own panel, `veto` whether a crisis pattern
//! says the words are someone else's, past, media or denied (or negated),
//! `logit` the crisis head's, and `system` the panel patterns and heads open.
//!
//! With `--by-set`, each labelled set is a fold of its own (in the order of
//! `SETS`): every set is read by heads that never saw its writer.
//!
//! cargo run --release -p feltsense-text --example embed_folds -- eval/language [--by-set] > /tmp/embed/folds.tsv

use feltsense_core::Vocabulary;
use feltsense_text::learned::train::{crisis_set, labelled, train, Example, FOLDS, SEED};
use feltsense_text::learned::{add, normalised};
use feltsense_text::{Analysis, Analyzer, PhraseKind, Stance};
use std::path::Path;

const SETS: [&str; 5] = [
    "dev.tsv",
    "blind.tsv",
    "train_extra.tsv",
    "train3.tsv",
    "blind3.tsv",
];

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("embed_folds: name the folder of labelled sets, e.g. eval/language");
        std::process::exit(2);
    };
    let by_set = match std::env::args().nth(2).as_deref() {
        None => false,
        Some("--by-set") => true,
        Some(other) => {
            eprintln!("embed_folds: unknown option '{other}' (only --by-set)");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(Path::new(&dir), by_set) {
        eprintln!("embed_folds: {e}");
        std::process::exit(1);
    }
}

fn run(dir: &Path, by_set: bool) -> Result<(), String> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| format!("could not read {}: {e}", p.display()))
    };
    let mut rows: Vec<(String, Example)> = Vec::new();
    for name in SETS {
        let text = read(&dir.join(name))?;
        let ids = text.lines().skip(1).filter(|l| !l.trim().is_empty());
        let ids: Vec<String> = ids
            .map(|l| l.split('\t').next().unwrap_or("").into())
            .collect();
        rows.extend(ids.into_iter().zip(labelled(&text, name)?));
    }
    let crisis = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/crisis.tsv");
    let crisis = crisis_set(&read(&crisis)?)?;
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    println!("set\tid\tkind\tcrisis\tfold\tgroup\tpatterns\tveto\tlogit\tsystem");
    let fold = |e: &Example| match by_set {
        true => SETS
            .iter()
            .position(|&s| e.set.as_deref() == Some(s))
            .unwrap_or(0) as u64,
        false => fold(&e.text),
    };
    for k in 0..FOLDS {
        let training: Vec<Example> = rows
            .iter()
            .filter(|(_, e)| fold(e) != k)
            .map(|(_, e)| copy(e))
            .chain(crisis.iter().map(copy))
            .collect();
        let (heads, _) = train(&training, &analyzer);
        for (id, e) in rows.iter().filter(|(_, e)| fold(e) == k) {
            let patterns = analyzer.patterns(&e.text);
            let mut system = patterns.clone();
            add(&heads, &mut system, &e.text);
            let logit = heads.logits(&e.text).map_or(f32::NEG_INFINITY, |l| l[0]);
            println!(
                "{}\t{id}\t{}\t{}\t{k}\t{:016x}\t{}\t{}\t{logit}\t{}",
                e.set.as_deref().unwrap_or(""),
                e.dev_kind.as_deref().unwrap_or(""),
                u8::from(e.labels[0] == Some(true)),
                group(&e.text),
                u8::from(patterns.crisis()),
                u8::from(vetoed(&patterns)),
                u8::from(system.crisis()),
            );
        }
    }
    Ok(())
}

/// A row again, for a fold's training set (`Example` keeps its features
/// private, so it is rebuilt from its fields).
fn copy(e: &Example) -> Example {
    let tsv = format!(
        "id\tkind\tsubkind\tcrisis\tpast\tnumb\tmasking\tstyle\ttext\nx\t{}\tx\t{}\t0\t{}\t{}\tx\t{}\n",
        e.dev_kind.as_deref().unwrap_or("crisis-set"),
        flag(e.labels[0]),
        flag(e.labels[1]),
        flag(e.labels[2]),
        e.text
    );
    let mut rows = labelled(&tsv, e.set.as_deref().unwrap_or("crisis.tsv")).expect("a row rebuilt");
    let mut row = rows.remove(0);
    row.labels = e.labels;
    row.dev_kind.clone_from(&e.dev_kind);
    row.set.clone_from(&e.set);
    row
}

fn flag(label: Option<bool>) -> u8 {
    u8::from(label == Some(true))
}

/// Whether a crisis pattern says the words are not the writer's own now.
fn vetoed(a: &Analysis) -> bool {
    a.phrases
        .iter()
        .filter(|p| p.kind == PhraseKind::Crisis)
        .any(|p| p.negated || p.stance.is_some_and(|s| s != Stance::Own))
}

/// The entry's group, as `learned::train` hashes it: its first four
/// normalised words.
fn group(text: &str) -> u64 {
    let read = normalised(text);
    let first: Vec<&str> = read.split_whitespace().take(4).collect();
    first.join(" ").bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn fold(text: &str) -> u64 {
    mix(group(text) ^ SEED) % FOLDS
}

/// SplitMix64's finaliser, as `learned::train` mixes.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
