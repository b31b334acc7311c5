//! A learned reading beside the crisis, numbness and masking patterns: three
//! logistic heads (the writer's own present crisis risk, own numbness, own
//! masking) over hashed word 1–2-grams and character 3–5-grams of the
//! normalised words, the same features and `i8` quantisation as
//! `crate::model` (`model::features`, `model::quantise_columns`). Trained by
//! `examples/train_language.rs` on `eval/language/dev.tsv`, the crisis test
//! set and `eval/language/train_extra.tsv` ([`train`]), shipped as
//! `model/language.bin`.
//!
//! The patterns stay the explanation. A head only adds to them: the full
//! panel opens from a pattern whose stance is `Own`, or from the crisis head
//! at or above its threshold when no pattern says the risk language is
//! someone else's, past, in the media or denied. What opened it is then a
//! [`Phrase`] like any other: the sentence that reads most like risk, with
//! the words that weighed most ([`LearnedCue`]). Numbness and masking work
//! the same way. The heads never use the GoEmotions model.

pub mod signs;
pub mod train;

use crate::analysis::{Analysis, Phrase};
use crate::lexicon::PhraseKind;
use crate::model::{features, quantise_columns, FeatureSpec, Grams};
use crate::stance::Stance;
use crate::tokenize::{tokenize, Token};
use serde::Serialize;
use std::sync::OnceLock;

const EMBEDDED: &[u8] = include_bytes!("../model/language.bin");
const MAGIC: &[u8; 4] = b"FSLH";
const VERSION: u8 = 3;

/// The heads, in output order.
pub const HEADS: [PhraseKind; 3] = [PhraseKind::Crisis, PhraseKind::Numb, PhraseKind::Masking];

/// How many of a sentence's words are named as what weighed most.
const CUE_WORDS: usize = 3;

/// Words too common to explain anything, never named as a cue.
const PLAIN_WORDS: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "me", "my", "a", "an", "the", "and", "or", "to", "of", "in",
    "on", "at", "it", "is", "be", "been", "am", "was", "so", "just", "that", "this", "for", "with",
];

/// Why a head opened: its probability for the whole entry and the words of
/// the sentence shown that weighed most towards it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LearnedCue {
    pub score: f32,
    pub words: Vec<String>,
    /// For the crisis head opened at its lower threshold: the signs of
    /// the risk domain in the sentence shown ([`signs`]) that let it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signs: Vec<String>,
}

/// The trained heads: quantised weights (three a bucket), a scale, bias and
/// logit threshold per head.
#[derive(Debug, Clone, PartialEq)]
pub struct Heads {
    pub spec: FeatureSpec,
    /// Whether the heads also read stems ([`stem`]): their unigrams,
    /// bigrams and skip-bigrams (a word and the one two before it).
    pub stems: bool,
    pub scales: [f32; 3],
    pub biases: [f32; 3],
    /// A head fires at or above its threshold (a logit; `f32::INFINITY`
    /// when it is never to fire).
    pub thresholds: [f32; 3],
    /// The crisis head's lower threshold, for an entry with a sign of the
    /// risk domain ([`signs`]); never above `thresholds[0]`.
    pub gated: f32,
    pub rows: Vec<[i8; 3]>,
}

impl Heads {
    /// The heads compiled into the binary, parsed once per process.
    ///
    /// # Panics
    /// Only if the embedded file is malformed, which the tests rule out.
    pub fn embedded() -> &'static Heads {
        static HEADS_: OnceLock<Heads> = OnceLock::new();
        HEADS_.get_or_init(|| Heads::from_bytes(EMBEDDED).expect("the embedded heads are valid"))
    }

    /// Quantises trained weights (`buckets × 3`, bucket-major).
    pub fn quantise(spec: FeatureSpec, stems: bool, weights: &[f64], biases: [f64; 3]) -> Heads {
        let (scales, quantised) = quantise_columns(weights, 3);
        Heads {
            spec,
            stems,
            scales: scales.try_into().expect("three scales"),
            biases: biases.map(|b| b as f32),
            thresholds: [f32::INFINITY; 3],
            gated: f32::INFINITY,
            rows: quantised
                .chunks_exact(3)
                .map(|r| [r[0], r[1], r[2]])
                .collect(),
        }
    }

    /// The three logits of a text; `None` when it has no words.
    pub fn logits(&self, text: &str) -> Option<[f32; 3]> {
        let (sums, count) = total(&self.sentences(text));
        self.logits_of_sums(sums, count)
    }

    /// The logits of already hashed features ([`buckets`]).
    pub fn logits_of(&self, buckets: &[u32]) -> Option<[f32; 3]> {
        self.logits_of_sums(self.sum(buckets), buckets.len())
    }

    fn sum(&self, buckets: &[u32]) -> [i64; 3] {
        let mut sums = [0i64; 3];
        for &b in buckets {
            let row = &self.rows[b as usize];
            for o in 0..3 {
                sums[o] += i64::from(row[o]);
            }
        }
        sums
    }

    fn logits_of_sums(&self, sums: [i64; 3], count: usize) -> Option<[f32; 3]> {
        if count == 0 {
            return None;
        }
        let norm = (count as f32).sqrt();
        let mut logits = self.biases;
        for (o, z) in logits.iter_mut().enumerate() {
            *z += self.scales[o] * sums[o] as f32 / norm;
        }
        Some(logits)
    }

    /// Each sentence read once: the entry's logits are their total, and the
    /// sentence that weighs most is found without reading it again.
    fn sentences(&self, text: &str) -> Vec<Sentence> {
        let (mut base, mut grams) = (0, Grams::default());
        text.split_inclusive(['.', '!', '?', '\n'])
            .map(|sentence| {
                let read = self.sentence(base, sentence, &tokenize(sentence), &mut grams);
                base += sentence.len();
                read
            })
            .collect()
    }

    /// What the heads read of one sentence of an entry (`sentence`, from
    /// byte `base`, its `tokens`), with the entry's words hashed so far in
    /// `grams`.
    pub(crate) fn sentence(
        &self,
        base: usize,
        sentence: &str,
        tokens: &[Token<'_>],
        grams: &mut Grams,
    ) -> Sentence {
        let start = base + (sentence.len() - sentence.trim_start().len());
        let end = (base + sentence.trim_end().len()).max(start);
        let mut b = std::mem::take(&mut grams.buckets);
        b.clear();
        token_features(tokens, &self.spec, self.stems, grams, &mut b);
        let read = Sentence {
            start,
            end,
            sums: self.sum(&b),
            count: b.len(),
            signs: signs::signs(tokens),
        };
        grams.buckets = b;
        read
    }

    /// The words of `text` whose own weight for head `o` is highest and
    /// positive, most first.
    fn cue_words(&self, text: &str, o: usize) -> Vec<String> {
        let unigram = FeatureSpec {
            bigrams: false,
            char_max: 0,
            ..self.spec
        };
        let mut weighed: Vec<(i8, String)> = words(text)
            .into_iter()
            .filter(|w| !PLAIN_WORDS.contains(&w.as_str()))
            .filter_map(|w| {
                let b = *features(&w, &unigram).first()?;
                let weight = self.rows[b as usize][o];
                (weight > 0).then_some((weight, w))
            })
            .collect();
        weighed.sort_by_key(|w| std::cmp::Reverse(w.0));
        let mut cue: Vec<String> = Vec::with_capacity(CUE_WORDS);
        for (_, w) in weighed {
            if cue.len() < CUE_WORDS && !cue.contains(&w) {
                cue.push(w);
            }
        }
        cue
    }
}

/// The normalised words of a text (`crate::tokenize`), a clause break as
/// `,`: what the heads read, so "wanna" and "want to" look alike.
pub fn normalised(text: &str) -> String {
    normalised_tokens(&tokenize(text))
}

fn normalised_tokens(tokens: &[Token<'_>]) -> String {
    let mut out = String::new();
    normalised_into(tokens, &mut out);
    out
}

fn normalised_into(tokens: &[Token<'_>], out: &mut String) {
    for token in tokens {
        match token {
            Token::Word { text, .. } => out.push_str(text),
            Token::Break => out.push(','),
        }
        out.push(' ');
    }
}

fn words(text: &str) -> Vec<String> {
    tokenize(text)
        .into_iter()
        .filter_map(|t| t.word().map(str::to_string))
        .collect()
}

/// Whether a head may add to what the patterns found: not when a pattern
/// of its kind says the words are someone else's, past, media or denied.
fn vetoed(analysis: &Analysis, kind: PhraseKind) -> bool {
    analysis
        .phrases
        .iter()
        .filter(|p| p.kind == kind)
        .any(|p| p.negated || p.stance.is_some_and(|s| s != Stance::Own))
}

/// Whether the patterns alone already found this kind as the writer's own.
fn found_by_patterns(analysis: &Analysis, kind: PhraseKind) -> bool {
    match kind {
        PhraseKind::Crisis => analysis.crisis(),
        kind => analysis.found(kind).next().is_some(),
    }
}

/// What the heads read of one sentence: its byte range in the entry
/// (trimmed), the sum of its features' weights and how many there are.
pub(crate) struct Sentence {
    start: usize,
    end: usize,
    sums: [i64; 3],
    count: usize,
    signs: Vec<String>,
}

fn total(sentences: &[Sentence]) -> ([i64; 3], usize) {
    sentences.iter().fold(([0; 3], 0), |(mut sums, n), s| {
        for (sum, add) in sums.iter_mut().zip(s.sums) {
            *sum += add;
        }
        (sums, n + s.count)
    })
}

/// The sentences of a text as `crate::analysis` splits them, with their
/// trimmed byte ranges.
fn split(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut base = 0;
    text.split_inclusive(['.', '!', '?', '\n'])
        .map(move |sentence| {
            let start = base + (sentence.len() - sentence.trim_start().len());
            let end = (base + sentence.trim_end().len()).max(start);
            base += sentence.len();
            (start, end, sentence)
        })
}

/// The hashed features of a text as the heads read it, sentence by
/// sentence (what training reads).
pub fn buckets(text: &str, spec: &FeatureSpec, stems: bool) -> Vec<u32> {
    let (mut grams, mut out) = (Grams::default(), Vec::new());
    for (_, _, sentence) in split(text) {
        token_features(&tokenize(sentence), spec, stems, &mut grams, &mut out);
    }
    out
}

/// Whether any sentence of `text` has a sign of the risk domain.
pub fn signed(text: &str) -> bool {
    split(text).any(|(_, _, sentence)| !signs::signs(&tokenize(sentence)).is_empty())
}

/// One sentence's features: `model::features` of its normalised words and,
/// with `stems`, the stems' unigrams, bigrams and skip-bigrams, so "took
/// the pills" and "taking all my pills" share `take … pill`; appended to
/// `out`.
fn token_features(
    tokens: &[Token<'_>],
    spec: &FeatureSpec,
    stems: bool,
    grams: &mut Grams,
    out: &mut Vec<u32>,
) {
    let mut read = std::mem::take(&mut grams.sentence);
    read.clear();
    normalised_into(tokens, &mut read);
    grams.features(&read, spec, out);
    if stems {
        let bucket = |h: u64| (mix(h) >> (64 - u32::from(spec.log2_buckets))) as u32;
        let (mut before, mut last): (Option<&str>, Option<&str>) = (None, None);
        for w in read.split_whitespace().map(stem) {
            out.push(bucket(fnv(&[b"s", w.as_bytes()])));
            if let Some(last) = last {
                out.push(bucket(fnv(&[b"t", last.as_bytes(), b" ", w.as_bytes()])));
            }
            if let Some(before) = before {
                out.push(bucket(fnv(&[b"k", before.as_bytes(), b" ", w.as_bytes()])));
            }
            (before, last) = (last, Some(w));
        }
    }
    grams.sentence = read;
}

/// A word without its commonest inflection ("pills" → "pill", "taking" →
/// "tak", "tried" → "tri"): crude, but the same crude on every word.
pub fn stem(word: &str) -> &str {
    for suffix in ["ing", "ed", "es", "s", "ly"] {
        if let Some(rest) = word.strip_suffix(suffix) {
            if rest.len() >= 3 && !rest.ends_with('\'') {
                return rest;
            }
        }
    }
    word
}

fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// SplitMix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Adds to `analysis` (the patterns' reading of `text`) what the heads find
/// that the patterns did not, each as a phrase over the sentence that
/// weighs most.
pub fn add(heads: &Heads, analysis: &mut Analysis, text: &str) {
    add_read(heads, analysis, text, &heads.sentences(text));
}

/// [`add`], with the sentences of `text` already read ([`Heads::sentence`]).
pub(crate) fn add_read(heads: &Heads, analysis: &mut Analysis, text: &str, sentences: &[Sentence]) {
    let (sums, count) = total(sentences);
    let Some(logits) = heads.logits_of_sums(sums, count) else {
        return;
    };
    let signed = sentences.iter().any(|s| !s.signs.is_empty());
    for (o, &kind) in HEADS.iter().enumerate() {
        let through_gate = o == 0 && logits[o] < heads.thresholds[o];
        let threshold = if through_gate && signed {
            heads.gated
        } else {
            heads.thresholds[o]
        };
        if logits[o] < threshold || found_by_patterns(analysis, kind) || vetoed(analysis, kind) {
            continue;
        }
        let Some(strongest) = sentences
            .iter()
            .filter(|s| !through_gate || !s.signs.is_empty())
            .filter_map(|s| Some((heads.logits_of_sums(s.sums, s.count)?[o], s)))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, s)| s)
        else {
            continue;
        };
        let sentence = &text[strongest.start..strongest.end];
        analysis.phrases.push(Phrase {
            kind,
            text: sentence.to_string(),
            start: strongest.start,
            end: strongest.end,
            negated: false,
            stance: Some(Stance::Own),
            learned: Some(LearnedCue {
                score: 1.0 / (1.0 + (-logits[o]).exp()),
                words: heads.cue_words(sentence, o),
                signs: if through_gate {
                    strongest.signs.clone()
                } else {
                    Vec::new()
                },
            }),
        });
    }
}

impl Heads {
    /// The file: `FSLH`, version, the feature spec (4 bytes), then per head
    /// its scale, bias and threshold, then the crisis head's gated
    /// threshold (f32, little-endian), then the `i8` weights, three a
    /// bucket.
    pub fn to_bytes(&self) -> Vec<u8> {
        let s = &self.spec;
        let mut out = MAGIC.to_vec();
        out.extend([
            VERSION,
            s.log2_buckets,
            u8::from(s.bigrams) | u8::from(self.stems) << 1,
            s.char_min,
            s.char_max,
        ]);
        for o in 0..3 {
            for v in [self.scales[o], self.biases[o], self.thresholds[o]] {
                out.extend(v.to_le_bytes());
            }
        }
        out.extend(self.gated.to_le_bytes());
        for row in &self.rows {
            out.extend(row.iter().map(|&w| w as u8));
        }
        out
    }

    /// Reads heads written by [`Heads::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Heads, String> {
        let header = 4 + 5 + 3 * 12 + 4;
        if bytes.len() < header || &bytes[..4] != MAGIC || bytes[4] != VERSION {
            return Err("this is not a feltsense language heads file of a known version".into());
        }
        let spec = FeatureSpec {
            log2_buckets: bytes[5],
            bigrams: bytes[6] & 1 == 1,
            char_min: bytes[7],
            char_max: bytes[8],
        };
        if !(8..=24).contains(&spec.log2_buckets) || bytes.len() != header + spec.buckets() * 3 {
            return Err(format!(
                "the heads file's length ({} bytes) does not match its header",
                bytes.len()
            ));
        }
        let f32_at = |i: usize| f32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        let at = |o: usize, k: usize| f32_at(9 + o * 12 + k * 4);
        Ok(Heads {
            spec,
            stems: bytes[6] & 2 == 2,
            scales: [0, 1, 2].map(|o| at(o, 0)),
            biases: [0, 1, 2].map(|o| at(o, 1)),
            thresholds: [0, 1, 2].map(|o| at(o, 2)),
            gated: f32_at(9 + 3 * 12),
            rows: bytes[header..]
                .chunks_exact(3)
                .map(|r| [r[0] as i8, r[1] as i8, r[2] as i8])
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heads_read_normalised_words_with_clause_breaks() {
        assert_eq!(
            normalised("I wanna DIE, sooo tired"),
            "i want to die , so tired "
        );
        assert_eq!(normalised("🙂"), "");
    }

    #[test]
    fn stems_drop_the_commonest_inflection_only_from_long_enough_words() {
        assert_eq!(stem("pills"), "pill");
        assert_eq!(stem("taking"), "tak");
        assert_eq!(stem("is"), "is");
        assert_eq!(stem("it's"), "it's");
        assert_eq!(stem("sing"), "sing");
    }

    #[test]
    fn quantised_heads_keep_their_largest_weight_and_survive_the_file() {
        let spec = FeatureSpec {
            log2_buckets: 8,
            bigrams: true,
            char_min: 3,
            char_max: 5,
        };
        let mut weights = vec![0.0; spec.buckets() * 3];
        weights[0] = 2.0;
        weights[3] = -1.0;
        let mut heads = Heads::quantise(spec, true, &weights, [0.5, -0.5, 0.0]);
        assert_eq!((heads.rows[0][0], heads.rows[1][0]), (127, -64));
        assert_eq!(heads.scales[1], 1.0, "a head with no weights keeps scale 1");
        heads.thresholds = [0.25, f32::INFINITY, -1.0];
        heads.gated = -0.5;
        assert_eq!(Heads::from_bytes(&heads.to_bytes()).unwrap(), heads);
        assert_eq!(heads.logits(""), None);
    }
}
