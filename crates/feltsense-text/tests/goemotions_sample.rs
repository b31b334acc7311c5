//! The GoEmotions harness on `eval/sample/` (30 comments written and
//! labelled for this purpose, in the corpus' published format), so the
//! harness is known to read the format and count correctly before it meets
//! the real corpus.

use feltsense_core::{Family, Vocabulary};
use feltsense_text::eval::{load, macro_f1, score};
use feltsense_text::Analyzer;
use std::collections::{BTreeMap, BTreeSet};

const EMOTIONS: &str = include_str!("../../../eval/sample/emotions.txt");
const TEST: &str = include_str!("../../../eval/sample/test.tsv");
const MAPPING: &str = include_str!("../../../eval/goemotions_families.tsv");

#[test]
fn the_sample_loads_and_scores_consistently() {
    let examples = load(EMOTIONS, TEST, MAPPING).unwrap();
    assert_eq!(examples.len(), 30);
    // Gold support counted independently of the harness, from the raw rows.
    let names: Vec<&str> = EMOTIONS.lines().collect();
    let mapping: BTreeMap<&str, &str> = MAPPING
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let mut support: BTreeMap<String, usize> = BTreeMap::new();
    for row in TEST.lines().filter(|l| !l.trim().is_empty()) {
        let ids = row.split('\t').nth(1).unwrap();
        let families: BTreeSet<&str> = ids
            .split(',')
            .map(|k| mapping[names[k.parse::<usize>().unwrap()]])
            .filter(|f| *f != "none")
            .collect();
        for f in families {
            *support.entry(f.to_string()).or_default() += 1;
        }
    }
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let scores = score(&examples, |t| analyzer.families(t));
    for (family, s) in &scores {
        assert_eq!(
            s.support(),
            support.get(family.as_str()).copied().unwrap_or(0),
            "{family}"
        );
        assert!((0.0..=1.0).contains(&s.f1()));
    }
    let gold: BTreeMap<&str, BTreeSet<Family>> = examples
        .iter()
        .map(|e| (e.text.as_str(), e.families.clone()))
        .collect();
    assert_eq!(
        macro_f1(&score(&examples, |t| gold[t].clone())),
        1.0,
        "an oracle scores 1"
    );
    let m = macro_f1(&scores);
    assert!(m > 0.0 && m < 1.0, "feltsense on the sample: {m}");
}
