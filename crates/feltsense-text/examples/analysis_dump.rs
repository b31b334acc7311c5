//! Every entry's full analysis, one JSON line each, so a change made for
//! speed can be checked to change no result (`bench/same_analysis.sh`):
//! the patterns' and heads' `Analysis`, its draft, the heads' and the
//! GoEmotions model's logits (exact bits), what the model shows, the
//! language, and a digest of both feature lists (sorted, so only the
//! multiset counts, which is all a sum of weights reads). It stops if
//! `Analyzer::analyze_shown` gives other than the two read apart.
//!
//! cargo run --release -p feltsense-text --example analysis_dump -- FILE.tsv... [--goemotions FILE.tsv...]
//!
//! The text of each line is its last tab-separated column (the labelled
//! sets of `eval/language/`, `tests/data/crisis.tsv`), or its first for the
//! files after `--goemotions` (`text\tlabels\tid`); a first line starting
//! `id\t` and lines starting `#` are skipped.

use feltsense_core::Vocabulary;
use feltsense_text::{language, learned, model, Analyzer};
use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let split = args.iter().position(|a| a == "--goemotions");
    let files = args.iter().enumerate().filter(|&(k, _)| Some(k) != split);
    if args.len() == usize::from(split.is_some()) {
        eprintln!("usage: analysis_dump FILE.tsv... [--goemotions FILE.tsv...]");
        std::process::exit(2);
    }
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (k, path) in files {
        let first_column = split.is_some_and(|s| k > s);
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("analysis_dump: {path}: {e}");
                std::process::exit(1);
            }
        };
        let header = text.starts_with("id\t");
        let lines = text.lines().enumerate().skip(usize::from(header));
        for (n, line) in lines.filter(|(_, l)| !l.starts_with('#')) {
            let entry = if first_column {
                line.split('\t').next().unwrap_or_default()
            } else {
                line.rsplit('\t').next().unwrap_or_default()
            };
            let row = dump(&analyzer, entry);
            writeln!(out, "{path}:{}\t{row}", n + 1).expect("stdout");
        }
    }
}

fn dump(analyzer: &Analyzer<'_>, text: &str) -> String {
    let analysis = analyzer.analyze(text);
    if analyzer.analyze_shown(text) != (analysis.clone(), model::shown(text)) {
        eprintln!("analysis_dump: analyze_shown differs from analyze and shown apart");
        std::process::exit(1);
    }
    let heads = learned::Heads::embedded();
    let goemotions = model::Model::embedded();
    let row = serde_json::json!({
        "analysis": analysis,
        "patterns_equal": analyzer.patterns(text) == without_learned(&analysis),
        "draft": format!("{:?}", analysis.draft()),
        "families": format!("{:?}", analyzer.families(text)),
        "heads_logits": bits(heads.logits(text)),
        "heads_features": digest(learned::buckets(text, &heads.spec, heads.stems)),
        "signed": learned::signed(text),
        "normalised": learned::normalised(text),
        "model_logits": bits(goemotions.logits(text)),
        "model_features": digest(model::features(text, &goemotions.spec)),
        "model_tokens": model::tokens(text),
        "shown": model::shown(text),
        "language": language(text),
    });
    row.to_string()
}

/// The analysis without what the heads added: the patterns' own.
fn without_learned(a: &feltsense_text::Analysis) -> feltsense_text::Analysis {
    let mut a = a.clone();
    a.phrases.retain(|p| p.learned.is_none());
    a
}

fn bits<const N: usize>(logits: Option<[f32; N]>) -> Option<Vec<String>> {
    logits.map(|l| l.iter().map(|z| format!("{:08x}", z.to_bits())).collect())
}

/// FNV-1a of the sorted buckets, with their count.
fn digest(mut buckets: Vec<u32>) -> String {
    buckets.sort_unstable();
    let h = buckets
        .iter()
        .flat_map(|b| b.to_le_bytes())
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{}:{h:016x}", buckets.len())
}
