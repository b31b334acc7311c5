//! The crisis detector against a committed set of risk and safe phrasings
//! (`tests/data/crisis.tsv`), written separately from the lexicon. Missing
//! a real risk is worse than a false alarm, so recall is held high.

use feltsense_core::Vocabulary;
use feltsense_text::Analyzer;

#[test]
fn crisis_recall_and_false_alarms() {
    let data = include_str!("data/crisis.tsv");
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let (mut risk, mut caught, mut safe, mut alarms) = (0, 0, 0, 0);
    let mut missed = Vec::new();
    let mut false_alarms = Vec::new();
    for line in data
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (label, text) = line.split_once('\t').expect("label<TAB>text");
        let flagged = analyzer.analyze(text).crisis();
        match label.trim() {
            "risk" => {
                risk += 1;
                if flagged {
                    caught += 1
                } else {
                    missed.push(text)
                }
            }
            "safe" => {
                safe += 1;
                if flagged {
                    alarms += 1;
                    false_alarms.push(text)
                }
            }
            other => panic!("unknown label {other}"),
        }
    }
    let recall = caught as f64 / risk as f64;
    let alarm_rate = alarms as f64 / safe as f64;
    println!("crisis recall {caught}/{risk} = {recall:.3}; false alarms {alarms}/{safe} = {alarm_rate:.3}");
    println!("missed: {missed:#?}\nfalse alarms: {false_alarms:#?}");
    assert!(risk >= 80 && safe >= 80);
    assert!(recall >= 0.9, "recall {recall:.3}; missed: {missed:#?}");
    assert!(
        alarm_rate <= 0.25,
        "false alarms {alarm_rate:.3}: {false_alarms:#?}"
    );
}
