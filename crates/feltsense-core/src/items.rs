//! Fixed items, for people who want granularity: a set of feelings chosen
//! once (3 or more per valence, as in an experience-sampling study) and
//! rated on every check-in from 0 ("not at all") to 10.
//!
//! An item's 0 is a rating of that one feeling. It is not the whole
//! check-in's "nothing" (which says no feeling could be named) and it is
//! not a [`crate::FeelingRating`], whose intensity is 1–10 or unknown: a
//! feeling named is there, an item rated 0 is asked and absent.

use crate::{CheckIn, Family, Vocabulary};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The fewest chosen items of each valence (pleasant, unpleasant).
pub const MIN_PER_VALENCE: usize = 3;
/// The highest rating of an item; the lowest is 0, "not at all".
pub const MAX_RATING: u8 = 10;

/// One fixed item's rating at a check-in: 0 ("not at all") ..= 10.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRating {
    pub word: String,
    pub rating: u8,
}

impl ItemRating {
    pub fn new(word: impl Into<String>, rating: u8) -> ItemRating {
        ItemRating {
            word: word.into(),
            rating,
        }
    }
}

/// The person's chosen items, in the order they chose them, each a word of
/// the vocabulary in its vocabulary spelling.
/// In JSON, a list of words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FixedItems {
    words: Vec<String>,
}

/// Why a set of items cannot be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemsError {
    UnknownWord {
        word: String,
        suggestions: Vec<String>,
    },
    Repeated(String),
    /// Fewer than [`MIN_PER_VALENCE`] items of one valence.
    TooFew {
        valence: &'static str,
        given: Vec<String>,
    },
}

impl fmt::Display for ItemsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemsError::UnknownWord { word, suggestions } => {
                write!(f, "'{word}' is not in the feeling vocabulary")?;
                if !suggestions.is_empty() {
                    write!(f, "; closest words: {}", suggestions.join(", "))?;
                }
                Ok(())
            }
            ItemsError::Repeated(word) => write!(f, "'{word}' is given more than once"),
            ItemsError::TooFew { valence, given } => {
                let these = if given.is_empty() {
                    "none yet".to_string()
                } else {
                    given.join(", ")
                };
                write!(
                    f,
                    "choose at least {MIN_PER_VALENCE} {valence} feelings ({these}), so \
                     granularity can be worked out for each side"
                )
            }
        }
    }
}

impl std::error::Error for ItemsError {}

/// Pleasant (`Some(true)`), unpleasant (`Some(false)`), or neither
/// (neutral or numb-spectrum words).
pub fn valence(vocabulary: &Vocabulary, word: &str) -> Option<bool> {
    let w = vocabulary.get(word)?;
    (w.family != Family::Numb && w.pleasantness != 0).then_some(w.pleasantness > 0)
}

impl FixedItems {
    /// Checks the words (known, each once, 3+ per valence) and keeps them
    /// in their vocabulary spelling. Neutral and numb-spectrum words may be
    /// chosen too; they count towards neither valence.
    pub fn choose<'a>(
        words: impl IntoIterator<Item = &'a str>,
        vocabulary: &Vocabulary,
    ) -> Result<FixedItems, ItemsError> {
        let mut kept: Vec<String> = Vec::new();
        for word in words.into_iter().map(str::trim).filter(|w| !w.is_empty()) {
            let known = vocabulary
                .get(word)
                .ok_or_else(|| ItemsError::UnknownWord {
                    word: word.to_string(),
                    suggestions: vocabulary
                        .closest(word, 4)
                        .into_iter()
                        .map(String::from)
                        .collect(),
                })?;
            if kept.contains(&known.word) {
                return Err(ItemsError::Repeated(known.word.clone()));
            }
            kept.push(known.word.clone());
        }
        for (positive, name) in [(true, "pleasant"), (false, "unpleasant")] {
            let given: Vec<String> = kept
                .iter()
                .filter(|w| valence(vocabulary, w) == Some(positive))
                .cloned()
                .collect();
            if given.len() < MIN_PER_VALENCE {
                return Err(ItemsError::TooFew {
                    valence: name,
                    given,
                });
            }
        }
        Ok(FixedItems { words: kept })
    }

    /// Items as stored earlier, trusted as they were checked when chosen.
    pub fn from_stored(words: Vec<String>) -> FixedItems {
        FixedItems { words }
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether the check-in rated every chosen item.
    pub fn complete(&self, c: &CheckIn) -> bool {
        self.words
            .iter()
            .all(|w| c.items.iter().any(|i| &i.word == w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIX: [&str; 6] = ["happy", "calm", "proud", "sad", "anxious", "angry"];

    #[test]
    fn three_per_valence_known_words_once() {
        let v = Vocabulary::embedded();
        let items = FixedItems::choose(SIX.iter().copied().chain(["numb"]), &v).unwrap();
        assert_eq!(
            items.words().len(),
            7,
            "numb is allowed, counting for neither"
        );
        let e = FixedItems::choose(["happy", "calm", "sad", "anxious", "angry"], &v).unwrap_err();
        assert_eq!(
            e.to_string(),
            "choose at least 3 pleasant feelings (happy, calm), so granularity can be \
             worked out for each side"
        );
        let e = FixedItems::choose(SIX.iter().copied().chain(["sadd"]), &v).unwrap_err();
        assert!(e.to_string().starts_with("'sadd' is not in"), "{e}");
        let e = FixedItems::choose(SIX.iter().copied().chain(["Happy"]), &v).unwrap_err();
        assert_eq!(e, ItemsError::Repeated("happy".into()));
    }
}
