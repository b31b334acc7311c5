//! Evaluation against GoEmotions (Demszky et al. 2020), in its published
//! format: `test.tsv` with `text<TAB>label ids<TAB>comment id` and
//! `emotions.txt` naming label k on line k. Labels map to feltsense
//! families through a committed table (`eval/goemotions_families.tsv`).
//! Pure: the caller reads the files.

use crate::model::Polarity;
use feltsense_core::Family;
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// One labelled comment.
#[derive(Debug)]
pub struct Example {
    pub id: String,
    pub text: String,
    /// The GoEmotions label names, as given.
    pub labels: Vec<String>,
    pub families: BTreeSet<Family>,
}

/// Precision, recall and F1 of one family, with its support (gold count).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Score {
    pub fn support(&self) -> usize {
        self.tp + self.fn_
    }

    fn ratio(a: usize, b: usize) -> f64 {
        if b == 0 {
            0.0
        } else {
            a as f64 / b as f64
        }
    }

    pub fn precision(&self) -> f64 {
        Score::ratio(self.tp, self.tp + self.fp)
    }

    pub fn recall(&self) -> f64 {
        Score::ratio(self.tp, self.tp + self.fn_)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Reads the corpus; line numbers in errors are 1-based.
pub fn load(emotions: &str, test_tsv: &str, mapping: &str) -> Result<Vec<Example>, String> {
    let names: Vec<&str> = emotions
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut to_family: BTreeMap<&str, Option<Family>> = BTreeMap::new();
    for (n, line) in mapping
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (label, family) = line
            .split_once('\t')
            .ok_or_else(|| format!("mapping line {}: expected label<TAB>family", n + 1))?;
        let family = match family.trim() {
            "none" => None,
            f => Some(
                Family::from_str(f)
                    .map_err(|()| format!("mapping line {}: unknown family '{f}'", n + 1))?,
            ),
        };
        to_family.insert(label.trim(), family);
    }
    let mut examples = Vec::new();
    for (n, line) in test_tsv
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let mut fields = line.split('\t');
        let (Some(text), Some(labels), Some(id)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(format!(
                "test.tsv line {}: expected text<TAB>labels<TAB>id",
                n + 1
            ));
        };
        let mut families = BTreeSet::new();
        let mut label_names = Vec::new();
        for label in labels.split(',') {
            let k: usize = label
                .trim()
                .parse()
                .map_err(|_| format!("test.tsv line {}: label '{label}' is not a number", n + 1))?;
            let name = names
                .get(k)
                .ok_or_else(|| format!("test.tsv line {}: no emotion with id {k}", n + 1))?;
            let family = to_family
                .get(name)
                .ok_or_else(|| format!("the mapping has no row for '{name}'"))?;
            families.extend(*family);
            label_names.push((*name).to_string());
        }
        examples.push(Example {
            id: id.trim().to_string(),
            text: text.to_string(),
            labels: label_names,
            families,
        });
    }
    Ok(examples)
}

/// Scores a predictor family by family (multi-label: a comment counts for
/// every family it has).
pub fn score(
    examples: &[Example],
    predict: impl Fn(&str) -> BTreeSet<Family>,
) -> BTreeMap<Family, Score> {
    let mut scores: BTreeMap<Family, Score> = Family::ALL
        .iter()
        .map(|&f| {
            (
                f,
                Score {
                    tp: 0,
                    fp: 0,
                    fn_: 0,
                },
            )
        })
        .collect();
    for e in examples {
        let predicted = predict(&e.text);
        for &f in Family::ALL {
            let s = scores.get_mut(&f).expect("every family has a score");
            match (e.families.contains(&f), predicted.contains(&f)) {
                (true, true) => s.tp += 1,
                (false, true) => s.fp += 1,
                (true, false) => s.fn_ += 1,
                (false, false) => {}
            }
        }
    }
    scores
}

/// Macro-F1 over the families with any gold support.
pub fn macro_f1(scores: &BTreeMap<Family, Score>) -> f64 {
    macro_f1_from(scores, 1)
}

/// Macro-F1 over the families with at least `min_support` gold comments.
pub fn macro_f1_from(scores: &BTreeMap<Family, Score>, min_support: usize) -> f64 {
    let supported: Vec<f64> = scores
        .values()
        .filter(|s| s.support() >= min_support.max(1))
        .map(Score::f1)
        .collect();
    if supported.is_empty() {
        0.0
    } else {
        supported.iter().sum::<f64>() / supported.len() as f64
    }
}

/// GoEmotions label → polarity (`eval/goemotions_polarity.tsv`): pleasant,
/// unpleasant, neutral, or `None` for ambiguous.
pub type PolarityMap = BTreeMap<String, Option<Polarity>>;

/// Reads `label<TAB>pleasant|unpleasant|neutral|ambiguous` lines.
pub fn polarity_map(text: &str) -> Result<PolarityMap, String> {
    let mut map = PolarityMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let (label, value) = line
            .split_once('\t')
            .ok_or_else(|| format!("polarity map line {}: expected label<TAB>polarity", n + 1))?;
        let polarity = match value.trim() {
            "ambiguous" => None,
            v => Some(
                Polarity::ALL
                    .into_iter()
                    .find(|p| p.as_str() == v)
                    .ok_or_else(|| {
                        format!("polarity map line {}: unknown polarity '{v}'", n + 1)
                    })?,
            ),
        };
        map.insert(label.trim().to_string(), polarity);
    }
    Ok(map)
}

/// A comment's gold polarity, as `eval/vader_polarity.py` defines it: its
/// pleasant and unpleasant labels if they agree (ambiguous and neutral
/// labels beside them do not vote), neutral if it has only neutral labels;
/// `None` (not scored) when mixed, ambiguous only, or a label is unmapped.
pub fn gold_polarity(labels: &[String], map: &PolarityMap) -> Option<Polarity> {
    let mut found = BTreeSet::new();
    let mut ambiguous = false;
    for label in labels {
        match map.get(label)? {
            Some(p) => _ = found.insert(*p),
            None => ambiguous = true,
        }
    }
    let definite: Vec<Polarity> = found
        .iter()
        .copied()
        .filter(|p| *p != Polarity::Neutral)
        .collect();
    match definite.as_slice() {
        [one] => Some(*one),
        [] if !ambiguous && found.contains(&Polarity::Neutral) => Some(Polarity::Neutral),
        _ => None,
    }
}

/// Per-polarity precision, recall and F1 over (gold, predicted) pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct PolarityScores {
    pub classes: BTreeMap<Polarity, Score>,
    pub correct: usize,
    pub n: usize,
}

impl PolarityScores {
    pub fn new(pairs: impl IntoIterator<Item = (Polarity, Polarity)>) -> PolarityScores {
        let zero = Score {
            tp: 0,
            fp: 0,
            fn_: 0,
        };
        let mut classes: BTreeMap<Polarity, Score> =
            Polarity::ALL.iter().map(|&p| (p, zero)).collect();
        let (mut correct, mut n) = (0, 0);
        for (gold, predicted) in pairs {
            n += 1;
            if gold == predicted {
                correct += 1;
                classes.get_mut(&gold).expect("every polarity").tp += 1;
            } else {
                classes.get_mut(&gold).expect("every polarity").fn_ += 1;
                classes.get_mut(&predicted).expect("every polarity").fp += 1;
            }
        }
        PolarityScores {
            classes,
            correct,
            n,
        }
    }

    /// The mean F1 of the three classes.
    pub fn macro_f1(&self) -> f64 {
        self.classes.values().map(Score::f1).sum::<f64>() / 3.0
    }

    pub fn accuracy(&self) -> f64 {
        Score::ratio(self.correct, self.n)
    }
}

/// The Wilson score interval at 95% (z = 1.96) for `hits` of `total`,
/// used wherever an evaluation reports a share.
pub fn wilson(hits: usize, total: usize) -> (f64, f64) {
    if total == 0 {
        return (0.0, 1.0);
    }
    let (n, z) = (total as f64, 1.96_f64);
    let p = hits as f64 / n;
    let centre = p + z * z / (2.0 * n);
    let margin = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    let denominator = 1.0 + z * z / n;
    (
        ((centre - margin) / denominator).max(0.0),
        ((centre + margin) / denominator).min(1.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMOTIONS: &str = "joy\nsadness\nneutral\n";
    const MAPPING: &str = "# test\njoy\tjoy\nsadness\tsadness\nneutral\tnone\n";
    const TSV: &str = "so glad\t0\ta\nso sad\t1\tb\nhm\t2\tc\nglad and sad\t0,1\td\n";

    #[test]
    fn an_oracle_scores_one_and_silence_scores_zero() {
        let examples = load(EMOTIONS, TSV, MAPPING).unwrap();
        assert_eq!(examples.len(), 4);
        assert!(examples[2].families.is_empty(), "neutral maps to none");
        let gold: BTreeMap<String, BTreeSet<Family>> = examples
            .iter()
            .map(|e| (e.text.clone(), e.families.clone()))
            .collect();
        let perfect = score(&examples, |t| gold[t].clone());
        assert_eq!(macro_f1(&perfect), 1.0);
        assert_eq!(
            perfect[&Family::Joy],
            Score {
                tp: 2,
                fp: 0,
                fn_: 0
            }
        );
        let silent = score(&examples, |_| BTreeSet::new());
        assert_eq!(macro_f1(&silent), 0.0);
        assert_eq!(silent[&Family::Sadness].support(), 2);
    }

    #[test]
    fn scores_by_hand() {
        let examples = load(EMOTIONS, TSV, MAPPING).unwrap();
        // Predict joy for everything: joy tp 2 fp 2 (P 0.5, R 1, F1 2/3); sadness F1 0.
        let s = score(&examples, |_| [Family::Joy].into());
        assert_eq!(
            s[&Family::Joy],
            Score {
                tp: 2,
                fp: 2,
                fn_: 0
            }
        );
        assert!((s[&Family::Joy].f1() - 2.0 / 3.0).abs() < 1e-12);
        assert!((macro_f1(&s) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn malformed_files_are_located() {
        assert!(load(EMOTIONS, "text\t9\tid\n", MAPPING)
            .unwrap_err()
            .contains("no emotion with id 9"));
        assert!(load(EMOTIONS, "no tabs\n", MAPPING)
            .unwrap_err()
            .contains("line 1"));
        assert!(load(EMOTIONS, TSV, "joy\tglee\n")
            .unwrap_err()
            .contains("unknown family 'glee'"));
    }

    #[test]
    fn gold_polarity_follows_the_python_definition() {
        let map = polarity_map(
            "# c\njoy\tpleasant\nanger\tunpleasant\nsurprise\tambiguous\nneutral\tneutral\n",
        )
        .unwrap();
        let gold = |labels: &[&str]| {
            gold_polarity(
                &labels.iter().map(|l| (*l).to_string()).collect::<Vec<_>>(),
                &map,
            )
        };
        assert_eq!(gold(&["joy", "surprise"]), Some(Polarity::Pleasant));
        assert_eq!(gold(&["anger", "neutral"]), Some(Polarity::Unpleasant));
        assert_eq!(gold(&["neutral"]), Some(Polarity::Neutral));
        assert_eq!(gold(&["joy", "anger"]), None, "mixed");
        assert_eq!(gold(&["surprise", "neutral"]), None, "ambiguous only");
        assert_eq!(gold(&["grief"]), None, "unmapped");
        assert!(polarity_map("joy\tglad\n").unwrap_err().contains("line 1"));
    }

    #[test]
    fn polarity_scores_by_hand() {
        use Polarity::{Neutral as N, Pleasant as P, Unpleasant as U};
        // Pleasant: tp 1 fp 1 fn 1 → F1 0.5; unpleasant: tp 1 → F1 1; neutral: fp 0, fn 1 → 0.
        let s = PolarityScores::new([(P, P), (P, U), (U, U), (N, P)]);
        assert!((s.classes[&P].f1() - 0.5).abs() < 1e-12);
        assert!((s.classes[&U].f1() - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.macro_f1() - (0.5 + 2.0 / 3.0) / 3.0).abs() < 1e-12);
        assert!((s.accuracy() - 0.5).abs() < 1e-12);
    }
}
