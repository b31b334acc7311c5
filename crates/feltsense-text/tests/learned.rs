//! The learned heads (`feltsense_text::learned`): the shipped file is what
//! the seeded training writes, its cross-validated figures are the
//! committed ones, and through `Analyzer` a head only adds what the
//! patterns did not say is someone else's, past, media or denied.

use feltsense_core::Vocabulary;
use feltsense_text::learned::train::{sets, train, LOOKALIKE_ALARMS, ORDINARY_ADDED, PRECISION};
use feltsense_text::learned::{add, Heads};
use feltsense_text::{Analyzer, PhraseKind, Stance};

const SHIPPED: &[u8] = include_bytes!("../model/language.bin");
const CV: &str = include_str!("../model/language_cv.json");

/// Numbers within 1e-9, everything else equal.
fn same(a: &serde_json::Value, b: &serde_json::Value, at: &str) {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= 1e-9, "{at}: {x} vs {y}");
        }
        (Object(x), Object(y)) => {
            assert_eq!(x.len(), y.len(), "{at}: fields");
            for (k, v) in x {
                same(v, &y[k], &format!("{at}.{k}"));
            }
        }
        (Array(x), Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}: length");
            for (k, (v, w)) in x.iter().zip(y).enumerate() {
                same(v, w, &format!("{at}[{k}]"));
            }
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

#[test]
fn shipped_heads_are_what_training_writes_with_the_committed_cv_figures() {
    let examples = sets().unwrap();
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let (heads, report) = train(&examples, &analyzer);
    assert!(
        heads.to_bytes() == SHIPPED,
        "retrain: the shipped heads differ"
    );
    let committed: serde_json::Value = serde_json::from_str(CV).unwrap();
    same(&serde_json::to_value(&report).unwrap(), &committed, "cv");
    assert_eq!(
        report.scored_rows,
        656 + 790 + 127 + 2048 + 1153 + 1259 + 1150 + 908 + 660
    );
    let names: Vec<&str> = report.by_set.iter().map(|s| s.set.as_str()).collect();
    assert_eq!(
        names,
        [
            "blind.tsv",
            "blind3.tsv",
            "blind4.tsv",
            "dev.tsv",
            "train3.tsv",
            "train4.tsv",
            "train5a.tsv",
            "train5b.tsv",
            "train_extra.tsv"
        ]
    );
    // The thresholds are chosen on each set read by heads that never saw
    // its writer.
    let (patterns, combined) = (&report.patterns, &report.held_out_writer);
    assert!(combined.crisis_recall.hits >= patterns.crisis_recall.hits);
    assert!(combined.lookalike_alarms.rate <= LOOKALIKE_ALARMS);
    assert!(
        combined.ordinary_alarms.hits <= patterns.ordinary_alarms.hits + ORDINARY_ADDED,
        "the head adds no ordinary alarm to a new writer's entries"
    );
    assert!(report.combined.crisis_recall.hits > patterns.crisis_recall.hits);
    let (gated, ungated) = (report.gated.unwrap(), report.thresholds[0].unwrap());
    assert!(gated < ungated, "the gate lets the head go lower");
    for (c, p) in [
        (combined.numb_recall, patterns.numb_recall),
        (combined.masking_recall, patterns.masking_recall),
    ] {
        assert!(c.hits >= p.hits, "a head only adds");
    }
    assert!(combined.numb_precision.rate >= PRECISION);
    assert!(SHIPPED.len() < 256 * 1024, "well under 1 MB");
}

#[test]
fn a_head_opens_the_panel_with_the_sentence_and_its_words() {
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let text = "Long day. I've been giving my things away, I won't need them where I'm going.";
    assert!(!analyzer.patterns(text).crisis(), "the patterns miss it");
    let a = analyzer.analyze(text);
    assert!(a.crisis());
    let p = a.crisis_phrases(Stance::Own).next().unwrap();
    assert_eq!(&text[p.start..p.end], p.text);
    assert!(p.text.starts_with("I've been giving"), "{}", p.text);
    let cue = p.learned.as_ref().unwrap();
    assert!(!cue.words.is_empty() && cue.score > 0.5);
    let json = serde_json::to_value(p).unwrap();
    assert!(json["learned"]["words"].is_array());
}

#[test]
fn pattern_phrases_stay_as_they_were_and_no_text_breaks_the_heads() {
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let a = analyzer.analyze("I want to kill myself.");
    let p = a.crisis_phrases(Stance::Own).next().unwrap();
    assert!(p.learned.is_none());
    assert!(serde_json::to_value(p).unwrap().get("learned").is_none());
    for text in ["", "   ", "🙂🙂", "...!?", "\n\n"] {
        assert!(analyzer.analyze(text).phrases.is_empty(), "{text:?}");
    }
    assert!(!analyzer
        .analyze("We went to the beach and the kids laughed all afternoon.")
        .crisis());
}

/// Heads that would fire on anything: what stops them is the veto.
fn eager() -> Heads {
    let mut heads = Heads::from_bytes(SHIPPED).unwrap();
    heads.thresholds = [f32::NEG_INFINITY; 3];
    heads
}

#[test]
fn no_head_speaks_over_a_pattern_that_says_whose_or_when() {
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let heads = eager();
    let learned_crisis = |text: &str| {
        let mut a = analyzer.patterns(text);
        add(&heads, &mut a, text);
        a.phrases
            .iter()
            .any(|p| p.kind == PhraseKind::Crisis && p.learned.is_some())
    };
    assert!(
        learned_crisis("Quiet evening with a book."),
        "eager heads fire"
    );
    for text in [
        "My sister told me she has been thinking about suicide.",
        "I would never hurt myself.",
        "Years ago I tried to kill myself, but I have come through it.",
    ] {
        let patterns = analyzer.patterns(text);
        assert!(
            patterns
                .phrases
                .iter()
                .any(|p| p.kind == PhraseKind::Crisis),
            "a pattern speaks in {text:?}"
        );
        assert!(!learned_crisis(text), "{text:?}");
    }
}

#[test]
fn a_broken_heads_file_is_named_not_read() {
    assert!(Heads::from_bytes(&SHIPPED[..100]).is_err());
    assert!(Heads::from_bytes(b"FSGE").is_err());
    assert_eq!(Heads::from_bytes(SHIPPED).unwrap().to_bytes(), SHIPPED);
}

#[test]
fn what_a_head_shows_points_into_the_text_as_written() {
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let heads = eager();
    let mut shown = 0;
    for text in [
        "  Ça va… 😶 I’ve given my things away.\n\n   ",
        "ÉTÉ!!! żółć?? ~~~ 🙂\tend",
        "...\n.\n!",
    ] {
        let mut a = analyzer.patterns(text);
        add(&heads, &mut a, text);
        for p in a.phrases.iter().filter(|p| p.learned.is_some()) {
            assert_eq!(text.get(p.start..p.end), Some(p.text.as_str()), "{text:?}");
            assert_eq!(p.text, p.text.trim(), "{text:?}");
            shown += 1;
        }
    }
    assert!(shown >= 3, "eager heads showed {shown} sentences");
}

#[test]
fn the_gate_opens_only_on_signs_of_the_risk_domain_and_names_them() {
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let mut heads = Heads::from_bytes(SHIPPED).unwrap();
    heads.thresholds[0] = f32::INFINITY;
    heads.gated = f32::NEG_INFINITY;
    let opened = |text: &str| {
        let mut a = analyzer.patterns(text);
        add(&heads, &mut a, text);
        a.phrases
            .into_iter()
            .find(|p| p.kind == PhraseKind::Crisis && p.learned.is_some())
    };
    assert!(
        opened("Quiet evening with a book. Made soup.").is_none(),
        "no sign, no opening below the ordinary threshold"
    );
    let text = "Tidied the kitchen. The tablets are lined up on the shelf now.";
    let p = opened(text).expect("a sign opens the gate");
    assert_eq!(p.text, "The tablets are lined up on the shelf now.");
    assert_eq!(p.learned.as_ref().unwrap().signs, ["tablets"]);
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["learned"]["signs"][0], "tablets");
}
