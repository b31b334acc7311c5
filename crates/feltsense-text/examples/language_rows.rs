//! Development aid: each scored row of the learned heads' training sets
//! with its out-of-fold logits, as TSV (`set kind crisis numb masking
//! signed crisis_logit numb_logit masking_logit patterns_crisis
//! patterns_vetoed masking_phrases text signs`), to read what binds a threshold.
//!
//! cargo run --release -p feltsense-text --example language_rows > rows.tsv
//! (add `--by-set` for each set read by heads trained on the other sets)

use feltsense_core::Vocabulary;
use feltsense_text::learned::signs::signs as signs_of;
use feltsense_text::learned::train::{out_of_fold, sets, Folding};
use feltsense_text::{tokenize, Analyzer, PhraseKind, Stance};

/// The signs of the risk domain in each sentence of `text`.
fn signs(text: &str) -> Vec<String> {
    text.split_inclusive(['.', '!', '?', '\n'])
        .flat_map(|sentence| signs_of(&tokenize(sentence)))
        .collect()
}

fn main() {
    let examples = match sets() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("language_rows: {e}");
            std::process::exit(1);
        }
    };
    let folding = if std::env::args().any(|a| a == "--by-set") {
        Folding::BySet
    } else {
        Folding::Grouped
    };
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let flag = |b: Option<bool>| u8::from(b == Some(true));
    for (i, logits) in out_of_fold(&examples, folding) {
        let e = &examples[i];
        let a = analyzer.patterns(&e.text);
        let vetoed = a
            .phrases
            .iter()
            .any(|p| p.kind == PhraseKind::Crisis && (p.negated || p.stance != Some(Stance::Own)));
        let masking: Vec<&str> = a
            .found(PhraseKind::Masking)
            .map(|p| p.text.as_str())
            .collect();
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{:.3}\t{:.3}\t{:.3}\t{}\t{}\t{}\t{}\t{}",
            e.set.as_deref().unwrap_or_default(),
            e.dev_kind.as_deref().unwrap_or_default(),
            flag(e.labels[0]),
            flag(e.labels[1]),
            flag(e.labels[2]),
            u8::from(e.signed),
            logits[0],
            logits[1],
            logits[2],
            u8::from(a.crisis()),
            u8::from(vetoed),
            masking.join(" | "),
            e.text.replace(['\t', '\n'], " "),
            signs(&e.text).join(" | ")
        );
    }
}
