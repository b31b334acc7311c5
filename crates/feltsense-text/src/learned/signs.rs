//! Signs of the risk domain: the words that let the learned crisis head
//! speak at a lower threshold (`super::Heads::gated`). A broad lexicon by
//! meaning, not by sentence: death and dying, ending and being gone,
//! pills and other means, places to fall or drown, cutting and burning,
//! goodbyes and putting affairs in order, worthlessness and being a
//! burden, disappearing, methods. An entry with none of them is read by
//! the head at its ordinary (higher) threshold only; the signs an entry has
//! are named beside what opened the panel, so the panel stays explainable.
//!
//! Words of planning and leave-taking that ordinary days are full of
//! ("decided", "booked", "a letter", "ready", "forever", "bought") are
//! left out on purpose: tried as signs, they opened the gate on ordinary
//! entries ("I have decided to enrol in an evening course") as often as on
//! risk, so the threshold could not go lower (`BENCHMARKS.md`). For the
//! same reason "do it", "it again", "gone", "river", "the end", "i go",
//! "can have", "in order", "forgive" and "car park" are not signs: each
//! was the ordinary entry that bound the gated threshold, read by heads
//! that never saw its writer. Leaving told in plain words (`PLAIN`: "won't
//! need", "not be here", "my will", "SI") opens the gate.
//!
//! Entries are normalised words (`crate::tokenize`); `stem*` matches any
//! word starting so, and a two-word entry (`do it`) matches the two words
//! in a row.

use crate::tokenize::Token;
use feltsense_core::fnv::FnvMap;
use std::sync::OnceLock;

/// Signs of death and dying.
const DEATH: &[&str] = &[
    "die",
    "dies",
    "died",
    "dying",
    "dead",
    "death*",
    "deadly",
    "kill*",
    "suicid*",
    "unalive*",
    "sewerslide",
    "kms",
    "kys",
    "ctb",
    "delet*",
    "topping",
    "top myself",
    "statistic",
    "grave",
    "graves",
    "funeral*",
    "coffin",
    "afterlife",
    "ghost",
    "heaven",
    "jesus",
    "reunite*",
    "perish*",
    "corpse",
    "mortal*",
    "born",
    "candle",
];

/// Signs of ending, being gone, not going on.
const ENDING: &[&str] = &[
    "ending",
    "ended",
    "endin",
    "i'm done",
    "done trying",
    "quit",
    "quitting",
    "exit",
    "anymore",
    "wake",
    "exist*",
    "alive",
    "escape*",
    "cease",
    "surviv*",
    "permanent*",
    "innings",
    "stumps",
];

/// Signs of disappearing, burden, worthlessness, hopelessness.
const BURDEN: &[&str] = &[
    "disappear*",
    "vanish*",
    "burden*",
    "worthless*",
    "useless",
    "pointless",
    "hopeless*",
    "no point",
    "nobody",
    "no-one",
    "noone",
    "trapped",
    "meteor",
    "truck",
    "lorry",
];

/// Signs of means and the acts of self-harm.
const MEANS: &[&str] = &[
    "pill*",
    "tablet*",
    "paracetamol",
    "ibuprofen",
    "overdos*",
    "od",
    "od'd",
    "meds",
    "medication*",
    "antidepressant*",
    "prescription*",
    "stockpil*",
    "stocked",
    "stash*",
    "hoard*",
    "rope*",
    "noose",
    "ligature*",
    "belt",
    "beam",
    "hang*",
    "hung",
    "blade*",
    "razor*",
    "knife",
    "knives",
    "cut myself",
    "cut my",
    "cutting",
    "slice*",
    "slit*",
    "burn*",
    "burnt",
    "bleed*",
    "bled",
    "blood*",
    "scar",
    "scars",
    "scarred",
    "scarring",
    "sleeve*",
    "wrist*",
    "arm",
    "arms",
    "thigh*",
    "hip",
    "compass",
    "gun*",
    "shotgun",
    "rifle",
    "pistol",
    "bullet*",
    "trigger",
    "charcoal",
    "hose",
    "exhaust",
    "fumes",
    "garage",
    "poison*",
    "bleach",
    "injur*",
    "hurt*",
    "harm*",
    "selfharm*",
    "sh",
    "relaps*",
    "urge",
    "urges",
    "punish*",
    "punch*",
    "slam*",
    "scratched",
    "scratching",
    "the stuff",
    "did it",
    "doing it",
    "done it",
];

/// Signs of places to fall or drown.
const PLACES: &[&str] = &[
    "bridge*", "cliff*", "edge", "ledge", "roof*", "rooftop*", "height*", "jump*", "tracks",
    "railway", "motorway", "highway", "drown*", "lake*", "ocean", "tide", "pier", "quarry",
    "balcony", "woods", "steer*",
];

/// Signs of goodbyes and putting affairs in order.
const GOODBYES: &[&str] = &[
    "goodbye*",
    "bye",
    "farewell*",
    "testament",
    "affairs",
    "belongings",
    "apolog*",
    "rehom*",
    "who gets",
    "passwords",
    "insurance",
];

/// Signs of methods and working them out.
const METHODS: &[&str] = &["decision", "worked out", "quickest", "painless*", "method*"];

/// Signs of leaving told in plain words: not needing things any more,
/// not being here or around, last times, affairs settled, a faith's
/// call home, clinical shorthand, being hit on the road. Not among the
/// things a person may hide ([`THINGS`]), so concealment beside them can
/// still be masking.
const PLAIN: &[&str] = &[
    "won't need",
    "wont need",
    "not need",
    "won't be",
    "won't see",
    "not be",
    "be here",
    "be around",
    "not around",
    "here anymore",
    "for good",
    "end it",
    "end my",
    "end this",
    "finish it",
    "finish my",
    "want out",
    "way out",
    "no way",
    "give up",
    "giving up",
    "no going",
    "one last",
    "last time",
    "once more",
    "one more",
    "before i",
    "after i",
    "when i",
    "for everything",
    "remember me",
    "without me",
    "better off",
    "my will",
    "the will",
    "a will",
    "solicitor",
    "loose ends",
    "my peace",
    "good home",
    "instructions",
    "take me",
    "call me",
    "meet him",
    "ancestors",
    "lord",
    "the lord",
    "si",
    "ideation",
    "intent",
    "a plan",
    "the plan",
    "a date",
    "the date",
    "exact",
    "mapped",
    "hit me",
    "hits me",
    "run over",
    "and cut",
    "pain",
    "starv*",
    "deserve",
    "overpass",
    "swim",
    "asleep",
    "switch off",
    "stay in",
];

/// Every theme, in bit order: what opens the gate.
const THEMES: [&[&str]; 8] = [
    DEATH, ENDING, BURDEN, MEANS, PLACES, GOODBYES, METHODS, PLAIN,
];

/// The themes of things a person may hide that are not feelings: means,
/// places and goodbyes (`crate::stance`: "hid it in the garage" beside
/// a rope is not masking).
pub(crate) const THINGS: u8 = 1 << 3 | 1 << 4 | 1 << 5;

/// The signs in `tokens`, each once, in the order first met.
pub fn signs(tokens: &[Token<'_>]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let words: Vec<&str> = tokens.iter().filter_map(Token::word).collect();
    for (k, w) in words.iter().enumerate() {
        let next = words.get(k + 1).copied();
        let (themes, pair) = index().themes(w, next);
        if themes == 0 {
            continue;
        }
        let shown = match (pair, next) {
            (true, Some(next)) => format!("{w} {next}"),
            _ => (*w).to_string(),
        };
        if !found.contains(&shown) {
            found.push(shown);
        }
    }
    found
}

/// Whether `words` have a sign of one of the themes in the bits of
/// `themes` (as [`THINGS`]).
pub(crate) fn any_sign(words: &[&str], themes: u8) -> bool {
    (0..words.len()).any(|k| index().themes(words[k], words.get(k + 1).copied()).0 & themes != 0)
}

/// The lexicon indexed once: whole words, two-word signs by their first
/// word, and stems by their first three bytes, so a word costs a few
/// lookups rather than a pass over every sign.
#[derive(Default)]
struct Index {
    words: FnvMap<&'static str, u8>,
    pairs: FnvMap<&'static str, Vec<(&'static str, u8)>>,
    stems: FnvMap<&'static str, Vec<(&'static str, u8)>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = Index::default();
        for (bit, theme) in THEMES.iter().enumerate() {
            for &sign in *theme {
                index.add(sign, 1 << bit);
            }
        }
        index
    })
}

impl Index {
    fn add(&mut self, sign: &'static str, bit: u8) {
        if let Some((first, second)) = sign.split_once(' ') {
            self.pairs.entry(first).or_default().push((second, bit));
        } else if let Some(stem) = sign.strip_suffix('*') {
            let key = stem.get(..3).expect("stems have three bytes or more");
            self.stems.entry(key).or_default().push((stem, bit));
        } else {
            *self.words.entry(sign).or_default() |= bit;
        }
    }

    /// The theme bits `word` (followed by `next`) is a sign of, and
    /// whether a two-word sign gave them.
    fn themes(&self, word: &str, next: Option<&str>) -> (u8, bool) {
        let mut bits = self.words.get(word).copied().unwrap_or(0);
        if let Some(stems) = word.get(..3).and_then(|k| self.stems.get(k)) {
            for &(stem, bit) in stems {
                if word.starts_with(stem) {
                    bits |= bit;
                }
            }
        }
        if bits != 0 {
            return (bits, false);
        }
        let pair = self.pairs.get(word).into_iter().flatten();
        let bits = pair
            .filter(|(second, _)| next == Some(second))
            .fold(0, |b, (_, bit)| b | bit);
        (bits, bits != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::signs;
    use crate::tokenize::tokenize;

    fn of(text: &str) -> Vec<String> {
        signs(&tokenize(text))
    }

    #[test]
    fn signs_are_found_by_stem_and_by_two_words_each_once() {
        assert_eq!(of("Counted the pills, then the PILLS again"), ["pills"]);
        assert_eq!(of("I want to end it"), ["end it"]);
        assert!(of("Will do it again.").is_empty(), "too broad to be a sign");
        assert_eq!(of("i wanna kms"), ["kill"]);
        assert!(of("Lovely lunch with Sam in the park.").is_empty());
        assert_eq!(
            of("stocked up, won't need the rest"),
            ["stocked", "won't need"]
        );
        let stems = super::THEMES.iter().flat_map(|t| t.iter());
        assert!(stems
            .filter_map(|s| s.strip_suffix('*'))
            .all(|s| s.len() >= 3));
    }
}
