//! Evaluation against GoEmotions (Demszky et al. 2020), in its published
//! format: `test.tsv` with `text<TAB>label ids<TAB>comment id` and
//! `emotions.txt` naming label k on line k. Labels map to feltsense
//! families through a committed table (`eval/goemotions_families.tsv`).
//! Pure: the caller reads the files.

use feltsense_core::Family;
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// One labelled comment.
#[derive(Debug)]
pub struct Example {
    pub id: String,
    pub text: String,
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
        }
        examples.push(Example {
            id: id.trim().to_string(),
            text: text.to_string(),
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
    let supported: Vec<f64> = scores
        .values()
        .filter(|s| s.support() > 0)
        .map(Score::f1)
        .collect();
    if supported.is_empty() {
        0.0
    } else {
        supported.iter().sum::<f64>() / supported.len() as f64
    }
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
}
