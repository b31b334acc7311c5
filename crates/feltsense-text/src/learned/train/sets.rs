//! The labelled sets the heads learn from: every TSV of `eval/language/`
//! but the blind set of the moment, and `tests/data/crisis.tsv`.

use super::{fnv, SPEC, STEMS};
use crate::learned::{buckets, normalised, signed};

/// One labelled entry; a label is `None` where its source says nothing.
pub struct Example {
    pub text: String,
    pub labels: [Option<bool>; 3],
    /// `kind` of a labelled row (risk, lookalike, ordinary, numb,
    /// masking); `None` for crisis-set rows, which are never scored.
    pub dev_kind: Option<String>,
    /// The labelled set the row comes from (`None` for the crisis set):
    /// figures are reported over every scored row and per set, and
    /// thresholds chosen on every scored row.
    pub set: Option<String>,
    pub(super) group: u64,
    pub(super) buckets: Vec<u32>,
    /// Whether the entry has a sign of the risk domain (`super::signs`).
    pub signed: bool,
}

impl Example {
    fn new(text: &str, labels: [Option<bool>; 3], dev_kind: Option<String>) -> Example {
        let read = normalised(text);
        let first: Vec<&str> = read.split_whitespace().take(4).collect();
        Example {
            text: text.to_string(),
            labels,
            dev_kind,
            set: None,
            group: fnv(first.join(" ").as_bytes()),
            buckets: buckets(text, &SPEC, STEMS),
            signed: signed(text),
        }
    }
}

/// Rows of the `dev.tsv` format (`id kind subkind crisis past numb masking
/// style text`), scored under the set's `name`.
pub fn labelled(tsv: &str, name: &str) -> Result<Vec<Example>, String> {
    let mut lines = tsv.lines().enumerate();
    let header = lines.next().map(|(_, l)| l).unwrap_or_default();
    if !header.starts_with("id\tkind\tsubkind\tcrisis\tpast\tnumb\tmasking\tstyle\ttext") {
        return Err(format!("{name} line 1: unexpected header"));
    }
    let flag = |v: &str, n: usize, column: &str| match v {
        "1" => Ok(true),
        "0" => Ok(false),
        other => Err(format!(
            "{name} line {n}, {column}: expected 0 or 1, found '{other}'"
        )),
    };
    lines
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let f: Vec<&str> = l.split('\t').collect();
            let [_, kind, _, crisis, _, numb, masking, _, text] = f[..] else {
                return Err(format!("{name} line {}: expected 9 fields", i + 1));
            };
            let labels = [
                Some(flag(crisis, i + 1, "crisis")?),
                Some(flag(numb, i + 1, "numb")?),
                Some(flag(masking, i + 1, "masking")?),
            ];
            let mut example = Example::new(text, labels, Some(kind.to_string()));
            example.set = Some(name.to_string());
            Ok(example)
        })
        .collect()
}

/// Every set the heads learn from, as committed: the labelled sets
/// (`eval/language/`: `dev.tsv`, `blind.tsv`, scored twice and now
/// development data, `train_extra.tsv`, `train3.tsv`, `blind3.tsv`, scored
/// once and now development data, `train4.tsv`, `blind4.tsv`, scored
/// once and now development data, and `train5a.tsv` and `train5b.tsv`,
/// by two more writers), all scored out of fold, and
/// `tests/data/crisis.tsv`, always training data.
pub fn sets() -> Result<Vec<Example>, String> {
    let mut examples = Vec::new();
    for (name, tsv) in [
        (
            "dev.tsv",
            include_str!("../../../../../eval/language/dev.tsv"),
        ),
        (
            "blind.tsv",
            include_str!("../../../../../eval/language/blind.tsv"),
        ),
        (
            "train_extra.tsv",
            include_str!("../../../../../eval/language/train_extra.tsv"),
        ),
        (
            "train3.tsv",
            include_str!("../../../../../eval/language/train3.tsv"),
        ),
        (
            "blind3.tsv",
            include_str!("../../../../../eval/language/blind3.tsv"),
        ),
        (
            "train4.tsv",
            include_str!("../../../../../eval/language/train4.tsv"),
        ),
        (
            "blind4.tsv",
            include_str!("../../../../../eval/language/blind4.tsv"),
        ),
        (
            "train5a.tsv",
            include_str!("../../../../../eval/language/train5a.tsv"),
        ),
        (
            "train5b.tsv",
            include_str!("../../../../../eval/language/train5b.tsv"),
        ),
    ] {
        examples.extend(labelled(tsv, name)?);
    }
    examples.extend(crisis_set(include_str!("../../../tests/data/crisis.tsv"))?);
    Ok(examples)
}

/// Rows of `tests/data/crisis.tsv` (`risk|safe<TAB>text`): crisis labels only.
pub fn crisis_set(tsv: &str) -> Result<Vec<Example>, String> {
    tsv.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let risk = match l.split_once('\t') {
                Some(("risk", _)) => true,
                Some(("safe", _)) => false,
                _ => {
                    return Err(format!(
                        "crisis.tsv line {}: expected risk|safe<TAB>text",
                        i + 1
                    ))
                }
            };
            let text = l.split_once('\t').map_or("", |(_, t)| t);
            Ok(Example::new(text, [Some(risk), None, None], None))
        })
        .collect()
}
