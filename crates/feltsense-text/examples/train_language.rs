//! Trains the learned crisis, numbness and masking heads
//! (`feltsense_text::learned`) and writes `language.bin` and
//! `language_cv.json` (the cross-validated figures) into OUTDIR. Seeded and
//! single-threaded: the same command writes the same bytes.
//!
//! cargo run --release -p feltsense-text --example train_language -- crates/feltsense-text/model

use feltsense_core::Vocabulary;
use feltsense_text::learned::train::train;
use feltsense_text::Analyzer;
use std::path::Path;

use feltsense_text::learned::train::sets;

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!(
            "train_language: name the folder to write into, e.g. crates/feltsense-text/model"
        );
        std::process::exit(2);
    };
    if let Err(e) = run(Path::new(&out)) {
        eprintln!("train_language: {e}");
        std::process::exit(1);
    }
}

fn run(out: &Path) -> Result<(), String> {
    let examples = sets()?;
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let (heads, report) = train(&examples, &analyzer);
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n";
    for (name, bytes) in [
        ("language.bin", heads.to_bytes()),
        ("language_cv.json", json.clone().into_bytes()),
    ] {
        let path = out.join(name);
        std::fs::write(&path, bytes)
            .map_err(|e| format!("could not write {}: {e}", path.display()))?;
    }
    println!("{json}");
    Ok(())
}
