//! What people actually type when asked for a feeling: "fine", "meh",
//! "I feel nothing", "kind of sad". Aliases (`data/aliases.tsv`) lead to
//! vocabulary words, to the "nothing" answer, or to the question of what
//! was shown to others; a hedge ("kind of", "a bit", "really") becomes an
//! intensity.

use crate::vocabulary::{FeelingWord, Vocabulary};

const ALIASES: &str = include_str!("../data/aliases.tsv");

/// Hedges and the intensity (of 10) they suggest, longest first.
const HEDGES: &[(&str, u8)] = &[
    ("a little bit ", 3),
    ("kind of ", 3),
    ("sort of ", 3),
    ("a little ", 3),
    ("a bit ", 3),
    ("kinda ", 3),
    ("sorta ", 3),
    ("slightly ", 2),
    ("somewhat ", 4),
    ("quite ", 6),
    ("really ", 8),
    ("very ", 8),
    ("so ", 8),
    ("super ", 8),
    ("extremely ", 9),
];

/// Openings that say nothing about the feeling itself.
const OPENINGS: &[&str] = &[
    "i feel ",
    "i'm feeling ",
    "im feeling ",
    "feeling ",
    "i'm ",
    "im ",
    "i am ",
];

/// Where something typed leads.
#[derive(Debug, Default)]
pub struct Typed<'v> {
    /// Vocabulary words, best first.
    pub words: Vec<&'v FeelingWord>,
    /// "Nothing" is one of the answers offered.
    pub nothing: bool,
    /// Worth asking what was shown to others, rather than felt.
    pub shown: bool,
    /// From a hedge: "kind of sad" is sad at about 3 of 10.
    pub intensity: Option<u8>,
    /// A gentle note to show beside the words.
    pub note: Option<&'static str>,
}

/// The alias lines: (typed, targets, note).
fn aliases() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    ALIASES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?, f.next()?, f.next().unwrap_or("")))
        })
}

/// `query` without an opening and a hedge, and the hedge's intensity.
fn strip(query: &str) -> (String, Option<u8>) {
    let mut q = query.trim().to_lowercase().replace('’', "'");
    if let Some(rest) = OPENINGS.iter().find_map(|o| q.strip_prefix(o)) {
        if !rest.trim().is_empty() && rest.trim() != "nothing" {
            q = rest.to_string();
        }
    }
    let hedge = HEDGES.iter().find(|(h, _)| q.starts_with(h));
    match hedge {
        Some((h, n)) => (q[h.len()..].trim().to_string(), Some(*n)),
        None => (q.trim().to_string(), None),
    }
}

impl Vocabulary {
    /// Where `query` leads: aliases first, then the words spelled like it.
    pub fn typed(&self, query: &str) -> Typed<'_> {
        let full = query.trim().to_lowercase();
        let (word, intensity) = strip(query);
        let mut typed = Typed {
            intensity,
            ..Typed::default()
        };
        if let Some((_, targets, note)) = aliases().find(|(t, _, _)| *t == full || *t == word) {
            for target in targets.split(',') {
                match target.trim() {
                    "@nothing" => typed.nothing = true,
                    "@shown" => typed.shown = true,
                    w => typed.words.extend(self.get(w)),
                }
            }
            typed.note = (!note.is_empty()).then_some(note);
        }
        for w in self.search_words(&word, 8) {
            if !typed.words.iter().any(|t| t.word == w.word) {
                typed.words.push(w);
            }
        }
        typed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_people_type_leads_somewhere() {
        let v = Vocabulary::embedded();
        let sad = v.typed("kind of sad");
        assert_eq!(
            (sad.words[0].word.as_str(), sad.intensity),
            ("sad", Some(3))
        );
        assert_eq!(v.search("kind of sad", 3)[0].word, "sad");
        let fine = v.typed("fine");
        assert!(fine.shown && fine.note.is_some() && !fine.words.is_empty());
        assert!(v.typed("I feel nothing").nothing);
        assert!(v.typed("nothing").nothing);
        for typed in ["meh", "blah", "ok", "Meh"] {
            assert!(!v.search(typed, 5).is_empty(), "{typed} leads nowhere");
        }
        assert_eq!(v.search("meh", 1)[0].word, "flat");
        assert_eq!(v.typed("really anxious").intensity, Some(8));
    }

    #[test]
    fn every_alias_leads_to_a_vocabulary_word() {
        let v = Vocabulary::embedded();
        for (typed, targets, _) in aliases() {
            for t in targets.split(',').map(str::trim) {
                assert!(
                    t.starts_with('@') || v.get(t).is_some(),
                    "aliases.tsv: '{typed}' leads to '{t}', not a vocabulary word"
                );
            }
        }
    }
}
