//! A whole-entry reading: whether it looks like English, the only language
//! the analysis reads. (Its polarity comes from the GoEmotions model,
//! `model::shown`.)

use crate::tokenize::tokenize;

/// Common English words: an entry of several words with none of them is
/// taken not to be English.
const COMMON: &[&str] = &[
    "i", "the", "a", "an", "and", "to", "of", "is", "it", "my", "me", "in", "was", "am", "feel",
    "felt", "so", "not", "just", "but", "that", "this", "with", "for", "on", "at", "today", "you",
    "be", "have", "had", "i'm", "don't", "can't", "like", "all", "are", "we", "he", "she", "they",
    "do", "no", "want", "what", "how", "really", "very", "too", "up", "out", "im", "day", "want",
];

/// `"en"`, or `"unknown"` when the text does not look like English (an
/// empty text is taken as English: there is nothing to miss).
pub fn language(text: &str) -> &'static str {
    let words: Vec<_> = tokenize(text)
        .into_iter()
        .filter_map(|t| t.word().map(str::to_string))
        .collect();
    if words.len() < 3 {
        let latin = text
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_ascii());
        return if latin { "en" } else { "unknown" };
    }
    let common = words
        .iter()
        .filter(|w| COMMON.contains(&w.as_str()))
        .count();
    if common * 4 >= words.len() {
        "en"
    } else {
        "unknown"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_other_languages() {
        assert_eq!(language("I feel so tired today"), "en");
        assert_eq!(language("ok"), "en");
        assert_eq!(
            language("Je me sens très fatiguée aujourd'hui, vraiment"),
            "unknown"
        );
        assert_eq!(
            language("Ich will nicht mehr leben, es ist alles zu viel"),
            "unknown"
        );
        assert_eq!(language("私はとても疲れています"), "unknown");
    }
}
