//! Feelings that are shown rather than named: a small linear model trained on
//! GoEmotions (Demszky et al. 2020; `examples/train_goemotions.rs`), shipped
//! inside the binary as data (`model/goemotions.bin`).
//!
//! It reads how a text *sounds* (pleasant, unpleasant or neutral) and which
//! feeling families it may show ("thank you so much!" shows gratitude, of the
//! love family, without naming a feeling). What it finds is a suggestion
//! beside the person's own words ("may also be there: gratitude"), never in
//! their place, and crisis detection never depends on it.
//!
//! The model: word unigrams and bigrams and character n-grams of words,
//! hashed into a fixed number of buckets; per bucket one weight per output,
//! quantised to `i8` with one scale per output. Outputs are three polarity
//! logits (a softmax) and one logistic output per family with a threshold
//! chosen on a validation part of the training data. Decisions use only
//! additions, multiplications, a division and a square root, so they are the
//! same on every machine.
//!
//! ```
//! use feltsense_text::model::{shown, Polarity};
//!
//! let s = shown("Thank you so much, this made my day!");
//! assert_eq!(s.polarity, Polarity::Pleasant);
//! assert!(s.families.iter().any(|f| f.family == feltsense_core::Family::Love));
//! ```

mod features;

pub use features::{features, tokens, Grams};

use feltsense_core::Family;
use serde::Serialize;
use std::sync::OnceLock;

const EMBEDDED: &[u8] = include_bytes!("../model/goemotions.bin");
const MAGIC: &[u8; 4] = b"FSGE";
const VERSION: u8 = 1;

/// The families the model has outputs for, in output order (GoEmotions has
/// no label for numbness, so numb is not among them).
pub const FAMILIES: [Family; 10] = [
    Family::Joy,
    Family::Love,
    Family::Calm,
    Family::Interest,
    Family::Surprise,
    Family::Sadness,
    Family::Fear,
    Family::Anger,
    Family::Disgust,
    Family::Shame,
];

/// Outputs: the three polarities, then one per family.
pub const OUTPUTS: usize = 3 + FAMILIES.len();

/// A bucket's weights in memory, padded with zeros to 16 so that adding a
/// row is a few vector instructions (the file keeps `OUTPUTS` a bucket).
pub const ROW: usize = 16;

/// How a text sounds overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Polarity {
    Pleasant,
    Unpleasant,
    Neutral,
}

impl Polarity {
    /// In output order.
    pub const ALL: [Polarity; 3] = [Polarity::Pleasant, Polarity::Unpleasant, Polarity::Neutral];

    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Pleasant => "pleasant",
            Polarity::Unpleasant => "unpleasant",
            Polarity::Neutral => "neutral",
        }
    }
}

/// The probability of each polarity (they sum to 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PolarityProbabilities {
    pub pleasant: f32,
    pub unpleasant: f32,
    pub neutral: f32,
}

/// A family the text may show, with the model's probability for it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShownFamily {
    pub family: Family,
    pub score: f32,
}

/// What a text shows: its polarity and the families above their thresholds,
/// most likely first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shown {
    pub polarity: Polarity,
    pub probabilities: PolarityProbabilities,
    pub families: Vec<ShownFamily>,
}

/// Which features are read from a text; stored in the model's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureSpec {
    /// The number of buckets is `1 << log2_buckets`.
    pub log2_buckets: u8,
    pub bigrams: bool,
    /// Character n-grams of each word (with `<` and `>` marking its edges),
    /// from `char_min` to `char_max` bytes; none when `char_max` is 0.
    pub char_min: u8,
    pub char_max: u8,
}

impl FeatureSpec {
    pub fn buckets(&self) -> usize {
        1 << self.log2_buckets
    }
}

/// A trained model: quantised weights, per-output scale and bias, and the
/// families' thresholds as logits.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub spec: FeatureSpec,
    pub scales: [f32; OUTPUTS],
    pub biases: [f32; OUTPUTS],
    /// Logit thresholds, one per family (a family is shown at or above it).
    pub thresholds: [f32; FAMILIES.len()],
    /// One row a bucket: `OUTPUTS` weights, then zeros.
    pub rows: Vec<[i8; ROW]>,
}

/// What the model shows in `text`, with the model compiled into the binary.
pub fn shown(text: &str) -> Shown {
    Model::embedded().shown(text)
}

impl Model {
    /// The model compiled into the binary, parsed once per process.
    ///
    /// # Panics
    /// Only if the embedded file is malformed, which the tests rule out.
    pub fn embedded() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| Model::from_bytes(EMBEDDED).expect("the embedded model is valid"))
    }

    /// Quantises trained weights (`buckets × OUTPUTS`, bucket-major) to `i8`
    /// with one scale per output.
    pub fn quantise(spec: FeatureSpec, weights: &[f64], biases: [f64; OUTPUTS]) -> Model {
        let (scales, quantised) = quantise_columns(weights, OUTPUTS);
        let rows = quantised
            .chunks_exact(OUTPUTS)
            .map(|bucket| {
                let mut row = [0i8; ROW];
                row[..OUTPUTS].copy_from_slice(bucket);
                row
            })
            .collect();
        Model {
            spec,
            scales: scales.try_into().expect("one scale per output"),
            biases: biases.map(|b| b as f32),
            thresholds: [0.0; FAMILIES.len()],
            rows,
        }
    }

    /// The raw outputs: three polarity logits, then one logit per family.
    /// `None` when the text has no words or signs to read.
    pub fn logits(&self, text: &str) -> Option<[f32; OUTPUTS]> {
        self.logits_with(text, &mut Grams::default())
    }

    /// [`Self::logits`], with the words already hashed for this entry
    /// (by the learned heads: `crate::Analyzer::analyze_shown`) kept in
    /// `grams`.
    pub fn logits_with(&self, text: &str, grams: &mut Grams) -> Option<[f32; OUTPUTS]> {
        let mut buckets = Vec::with_capacity(text.len() * 3);
        grams.features(text, &self.spec, &mut buckets);
        if buckets.is_empty() {
            return None;
        }
        let mut sums = [0i64; ROW];
        for &b in &buckets {
            let row = &self.rows[b as usize];
            for o in 0..ROW {
                sums[o] += i64::from(row[o]);
            }
        }
        let norm = (buckets.len() as f32).sqrt();
        let mut logits = self.biases;
        for (o, z) in logits.iter_mut().enumerate() {
            *z += self.scales[o] * sums[o] as f32 / norm;
        }
        Some(logits)
    }

    /// The polarity with the highest logit (the first on a tie).
    pub fn polarity(logits: &[f32; OUTPUTS]) -> Polarity {
        let mut best = 0;
        for k in 1..3 {
            if logits[k] > logits[best] {
                best = k;
            }
        }
        Polarity::ALL[best]
    }

    /// The families at or above their thresholds, in output order.
    pub fn families(&self, logits: &[f32; OUTPUTS]) -> Vec<Family> {
        (0..FAMILIES.len())
            .filter(|&k| logits[3 + k] >= self.thresholds[k])
            .map(|k| FAMILIES[k])
            .collect()
    }

    pub fn shown(&self, text: &str) -> Shown {
        self.shown_with(text, &mut Grams::default())
    }

    /// [`Self::shown`], with `grams` as in [`Self::logits_with`].
    pub fn shown_with(&self, text: &str, grams: &mut Grams) -> Shown {
        let Some(logits) = self.logits_with(text, grams) else {
            return Shown {
                polarity: Polarity::Neutral,
                probabilities: PolarityProbabilities {
                    pleasant: 0.0,
                    unpleasant: 0.0,
                    neutral: 1.0,
                },
                families: Vec::new(),
            };
        };
        let mut families: Vec<ShownFamily> = FAMILIES
            .iter()
            .enumerate()
            .filter(|&(k, _)| logits[3 + k] >= self.thresholds[k])
            .map(|(k, &family)| ShownFamily {
                family,
                score: sigmoid(logits[3 + k]),
            })
            .collect();
        families.sort_by(|a, b| b.score.total_cmp(&a.score));
        Shown {
            polarity: Model::polarity(&logits),
            probabilities: softmax(&logits),
            families,
        }
    }
}

/// Quantises weights (`outputs` a bucket, bucket-major) to `i8` with one
/// scale per output, the largest weight of each output becoming ±127; an
/// output with no weights keeps scale 1. Shared with `crate::learned`.
pub fn quantise_columns(weights: &[f64], outputs: usize) -> (Vec<f32>, Vec<i8>) {
    let scales: Vec<f32> = (0..outputs)
        .map(|o| {
            let max = weights
                .iter()
                .skip(o)
                .step_by(outputs)
                .fold(0f64, |m, w| m.max(w.abs()));
            if max > 0.0 {
                (max / 127.0) as f32
            } else {
                1.0
            }
        })
        .collect();
    let quantised = weights
        .iter()
        .enumerate()
        .map(|(k, w)| {
            (w / f64::from(scales[k % outputs]))
                .round()
                .clamp(-127.0, 127.0) as i8
        })
        .collect();
    (scales, quantised)
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

fn softmax(logits: &[f32; OUTPUTS]) -> PolarityProbabilities {
    let max = logits[..3]
        .iter()
        .copied()
        .fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = logits[..3].iter().map(|z| (z - max).exp()).collect();
    let sum: f32 = e.iter().sum();
    PolarityProbabilities {
        pleasant: e[0] / sum,
        unpleasant: e[1] / sum,
        neutral: e[2] / sum,
    }
}

impl Model {
    /// The file format: `FSGE`, version, the feature spec (4 bytes), the
    /// number of outputs, then per output its scale, bias and threshold
    /// (f32, little-endian; polarity outputs have threshold 0), then the
    /// `i8` weights.
    pub fn to_bytes(&self) -> Vec<u8> {
        let s = &self.spec;
        let mut out = MAGIC.to_vec();
        out.extend([
            VERSION,
            s.log2_buckets,
            u8::from(s.bigrams),
            s.char_min,
            s.char_max,
        ]);
        out.push(OUTPUTS as u8);
        for o in 0..OUTPUTS {
            let threshold = if o < 3 { 0.0 } else { self.thresholds[o - 3] };
            for v in [self.scales[o], self.biases[o], threshold] {
                out.extend(v.to_le_bytes());
            }
        }
        for row in &self.rows {
            out.extend(row[..OUTPUTS].iter().map(|&w| w as u8));
        }
        out
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let header = 4 + 6 + OUTPUTS * 12;
        if bytes.len() < header || &bytes[..4] != MAGIC {
            return Err("this is not a feltsense GoEmotions model".into());
        }
        if bytes[4] != VERSION || usize::from(bytes[9]) != OUTPUTS {
            return Err(format!(
                "model version {} with {} outputs is not known here",
                bytes[4], bytes[9]
            ));
        }
        let spec = FeatureSpec {
            log2_buckets: bytes[5],
            bigrams: bytes[6] == 1,
            char_min: bytes[7],
            char_max: bytes[8],
        };
        if !(8..=24).contains(&spec.log2_buckets)
            || bytes.len() != header + spec.buckets() * OUTPUTS
        {
            return Err(format!(
                "the model's length ({} bytes) does not match its header",
                bytes.len()
            ));
        }
        let f32_at = |i: usize| f32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        let mut model = Model {
            spec,
            scales: [0.0; OUTPUTS],
            biases: [0.0; OUTPUTS],
            thresholds: [0.0; FAMILIES.len()],
            rows: bytes[header..]
                .chunks_exact(OUTPUTS)
                .map(|bucket| {
                    let mut row = [0i8; ROW];
                    for (o, &w) in bucket.iter().enumerate() {
                        row[o] = w as i8;
                    }
                    row
                })
                .collect(),
        };
        for o in 0..OUTPUTS {
            let at = 10 + o * 12;
            model.scales[o] = f32_at(at);
            model.biases[o] = f32_at(at + 4);
            if o >= 3 {
                model.thresholds[o - 3] = f32_at(at + 8);
            }
        }
        Ok(model)
    }
}

/// How likely a family must be before it is offered to a person as "may
/// also be there". The per-family thresholds in the model are tuned for
/// macro-F1 on GoEmotions and so lean towards recall (sadness opens at
/// about 0.18); a suggestion shown to someone about their own words should
/// be more likely right than wrong.
pub const SUGGEST_FROM: f32 = 0.5;

/// The families `shown` reads in a text that the person did not name
/// themselves, from [`SUGGEST_FROM`], most likely first: "may also be
/// there", offered beside their own words and never in place of them.
pub fn unnamed<'s>(shown: &'s Shown, analysis: &crate::Analysis) -> Vec<&'s ShownFamily> {
    shown
        .families
        .iter()
        .filter(|s| s.score >= SUGGEST_FROM)
        .filter(|s| !analysis.feelings.iter().any(|f| f.family == s.family))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantising_keeps_the_largest_weight_of_each_output_at_127() {
        let spec = FeatureSpec {
            log2_buckets: 8,
            bigrams: false,
            char_min: 0,
            char_max: 0,
        };
        let mut weights = vec![0.0; spec.buckets() * OUTPUTS];
        weights[0] = 2.0;
        weights[OUTPUTS] = -1.0;
        let model = Model::quantise(spec, &weights, [0.5; OUTPUTS]);
        assert_eq!((model.rows[0][0], model.rows[1][0]), (127, -64));
        assert_eq!(model.rows.len(), spec.buckets());
        assert!((model.scales[0] - 2.0 / 127.0).abs() < 1e-7);
        assert_eq!(
            model.scales[1], 1.0,
            "an output with no weights keeps scale 1"
        );
        assert_eq!(Model::from_bytes(&model.to_bytes()).unwrap(), model);
    }
}
