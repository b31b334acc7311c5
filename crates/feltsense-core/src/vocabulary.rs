//! The feeling vocabulary: words with their family, pleasantness, energy and
//! what each may be signalling. The words are data
//! (`data/vocabulary.csv`, compiled into the binary), not code.

use crate::fnv::FnvMap;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

const EMBEDDED: &str = include_str!("../data/vocabulary.csv");

/// A family of feelings. The numb spectrum is a family of its own: numbness
/// is information, not a missing value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Joy,
    Love,
    Calm,
    Interest,
    Surprise,
    Sadness,
    Fear,
    Anger,
    Disgust,
    Shame,
    Numb,
}

impl Family {
    pub const ALL: &'static [Family] = &[
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
        Family::Numb,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Joy => "joy",
            Family::Love => "love",
            Family::Calm => "calm",
            Family::Interest => "interest",
            Family::Surprise => "surprise",
            Family::Sadness => "sadness",
            Family::Fear => "fear",
            Family::Anger => "anger",
            Family::Disgust => "disgust",
            Family::Shame => "shame",
            Family::Numb => "numb",
        }
    }

    /// A longer name for people to read.
    pub fn describe(self) -> &'static str {
        match self {
            Family::Love => "love / connection",
            Family::Shame => "shame / guilt",
            Family::Numb => "the numb spectrum",
            other => other.as_str(),
        }
    }
}

impl FromStr for Family {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let s = s.trim().to_lowercase();
        let s = match s.as_str() {
            "connection" => "love",
            "guilt" => "shame",
            "numbness" => "numb",
            "sad" => "sadness",
            other => other,
        };
        Family::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == s)
            .ok_or(())
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One word of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeelingWord {
    pub word: String,
    pub family: Family,
    /// −5 (very unpleasant) ..= +5 (very pleasant).
    pub pleasantness: i8,
    /// −5 (very low energy) ..= +5 (very high energy).
    pub energy: i8,
    /// What the feeling may be signalling, in one gentle line.
    pub signal: String,
}

/// The whole vocabulary, in file order.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    words: Vec<FeelingWord>,
    index: FnvMap<String, usize>,
}

impl Vocabulary {
    /// The vocabulary compiled into the binary.
    ///
    /// # Panics
    /// Only if the embedded file is malformed, which the tests rule out.
    pub fn embedded() -> Vocabulary {
        Vocabulary::parse(EMBEDDED).expect("the embedded vocabulary is valid")
    }

    /// Parses a vocabulary CSV (`word,family,pleasantness,energy,signal`).
    pub fn parse(text: &str) -> Result<Vocabulary, String> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut words = Vec::new();
        let mut index = FnvMap::default();
        for (i, row) in reader.deserialize::<FeelingWord>().enumerate() {
            let line = i + 2;
            let word = row.map_err(|e| format!("vocabulary line {line}: {e}"))?;
            if !(-5..=5).contains(&word.pleasantness) || !(-5..=5).contains(&word.energy) {
                return Err(format!("vocabulary line {line}: values must be in -5..=5"));
            }
            if index.insert(word.word.clone(), words.len()).is_some() {
                return Err(format!(
                    "vocabulary line {line}: '{}' appears twice",
                    word.word
                ));
            }
            words.push(word);
        }
        Ok(Vocabulary { words, index })
    }

    pub fn words(&self) -> &[FeelingWord] {
        &self.words
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Where the word sits in [`Vocabulary::words`] (case and space ignored).
    pub fn position(&self, word: &str) -> Option<usize> {
        match self.index.get(word) {
            Some(&i) => Some(i),
            None => self.index.get(&normalise(word)).copied(),
        }
    }

    /// The word exactly as given (case and surrounding space ignored).
    pub fn get(&self, word: &str) -> Option<&FeelingWord> {
        // Stored words are already in their normal form: look them up as they are first.
        let i = match self.index.get(word) {
            Some(&i) => i,
            None => *self.index.get(&normalise(word))?,
        };
        Some(&self.words[i])
    }

    pub fn in_family(&self, family: Family) -> impl Iterator<Item = &FeelingWord> {
        self.words.iter().filter(move |w| w.family == family)
    }

    /// Words that match what someone is typing: what it is an alias of
    /// first ("meh": flat), then, without a hedge ("kind of sad": sad; see
    /// [`Vocabulary::typed`] for the intensity), the word itself, words
    /// starting with it, words containing it, and words spelled alike. At
    /// most `limit` words.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&FeelingWord> {
        let mut words = self.typed(query).words;
        words.truncate(limit);
        words
    }

    /// The plain spelling search behind [`Vocabulary::search`].
    pub(crate) fn search_words(&self, query: &str, limit: usize) -> Vec<&FeelingWord> {
        let q = normalise(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(u8, f64, &FeelingWord)> = self
            .words
            .iter()
            .filter_map(|w| {
                let similarity = strsim::jaro_winkler(&q, &w.word);
                let rank = if w.word == q {
                    0
                } else if w.word.starts_with(&q) {
                    1
                } else if w.word.contains(&q) {
                    2
                } else if similarity >= 0.8 {
                    3
                } else {
                    return None;
                };
                Some((rank, similarity, w))
            })
            .collect();
        scored.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        scored.into_iter().take(limit).map(|(_, _, w)| w).collect()
    }

    /// The words spelled most like `word`, for "did you mean" suggestions.
    pub fn closest(&self, word: &str, limit: usize) -> Vec<&str> {
        // Edit distance is quadratic: a pasted megabyte would take minutes
        // (the import fuzzer found one). No feeling word is near 64
        // characters, so the rest cannot change what is suggested much.
        let q = normalise(&word.chars().take(64).collect::<String>());
        let mut scored: Vec<(f64, &str)> = self
            .words
            .iter()
            .map(|w| {
                let edit = strsim::normalized_damerau_levenshtein(&q, &w.word);
                let prefix = strsim::jaro_winkler(&q, &w.word);
                (edit.max(prefix - 0.15), w.word.as_str())
            })
            .filter(|(score, _)| *score >= 0.45)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored.into_iter().take(limit).map(|(_, w)| w).collect()
    }
}

fn normalise(word: &str) -> String {
    word.trim().to_lowercase().replace([' ', '_'], "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_unknown_word_is_answered_at_once() {
        let v = Vocabulary::embedded();
        let huge = format!("tir{}", "x".repeat(1 << 20));
        let started = std::time::Instant::now();
        let _ = v.closest(&huge, 3);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(v.closest("tird", 1), ["tired"]);
    }

    #[test]
    fn embedded_vocabulary_covers_every_family() {
        let v = Vocabulary::embedded();
        assert!(v.len() >= 120, "only {} words", v.len());
        for &family in Family::ALL {
            let n = v.in_family(family).count();
            assert!(n >= 5, "family {family} has only {n} words");
        }
        assert!(v.in_family(Family::Numb).count() >= 12);
        for w in v.words() {
            assert!(!w.signal.trim().is_empty(), "{} has no signal", w.word);
        }
    }

    #[test]
    fn numb_words_are_not_pleasant() {
        let v = Vocabulary::embedded();
        for w in v.in_family(Family::Numb) {
            assert!(w.pleasantness <= 0, "{} is numb but pleasant", w.word);
        }
    }

    #[test]
    fn lookup_ignores_case_and_space() {
        let v = Vocabulary::embedded();
        assert_eq!(v.get(" Sad ").unwrap().family, Family::Sadness);
        assert!(v.get("sadd").is_none());
    }

    #[test]
    fn closest_suggests_the_intended_word() {
        let v = Vocabulary::embedded();
        assert_eq!(v.closest("sadd", 3).first(), Some(&"sad"));
        assert!(v.closest("anxous", 3).contains(&"anxious"));
        assert!(v.closest("qqqqqqqq", 3).is_empty());
    }

    #[test]
    fn search_puts_prefixes_before_lookalikes() {
        let v = Vocabulary::embedded();
        let found: Vec<&str> = v.search("lon", 5).iter().map(|w| w.word.as_str()).collect();
        assert_eq!(found.first(), Some(&"lonely"));
        let exact: Vec<&str> = v
            .search("calm", 3)
            .iter()
            .map(|w| w.word.as_str())
            .collect();
        assert_eq!(exact[0], "calm");
    }

    #[test]
    fn malformed_vocabulary_names_the_line() {
        let bad = "word,family,pleasantness,energy,signal\nsad,sadness,9,0,x\n";
        assert!(Vocabulary::parse(bad).unwrap_err().contains("line 2"));
        let dup =
            "word,family,pleasantness,energy,signal\nsad,sadness,-3,0,x\nsad,sadness,-3,0,x\n";
        assert!(Vocabulary::parse(dup).unwrap_err().contains("twice"));
    }
}
