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
//! risk, so the threshold could not go lower (`BENCHMARKS.md`).
//!
//! Entries are normalised words (`crate::tokenize`); `stem*` matches any
//! word starting so, and a two-word entry (`do it`) matches the two words
//! in a row.

use crate::tokenize::Token;

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
    "gone",
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
    "it again",
    "do it",
    "did it",
    "doing it",
    "done it",
];

/// Signs of places to fall or drown.
const PLACES: &[&str] = &[
    "bridge*", "cliff*", "edge", "ledge", "roof*", "rooftop*", "height*", "jump*", "tracks",
    "railway", "motorway", "highway", "drown*", "river*", "lake*", "ocean", "tide", "pier",
    "quarry", "balcony", "woods", "steer*",
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

/// Every theme: what opens the gate.
const THEMES: [&[&str]; 7] = [DEATH, ENDING, BURDEN, MEANS, PLACES, GOODBYES, METHODS];

/// The themes of things a person may hide that are not feelings: means,
/// places and goodbyes (`crate::stance`: "hid it in the garage" beside
/// a rope is not masking).
pub(crate) const THINGS: [&[&str]; 3] = [MEANS, PLACES, GOODBYES];

/// The signs in `tokens`, each once, in the order first met.
pub fn signs(tokens: &[Token<'_>]) -> Vec<String> {
    let words: Vec<&str> = tokens.iter().filter_map(Token::word).collect();
    signs_of(&words, &THEMES)
}

/// Whether `words` have a sign of one of `themes`.
pub(crate) fn any_sign(words: &[&str], themes: &[&[&str]]) -> bool {
    (0..words.len()).any(|k| {
        let next = words.get(k + 1).copied();
        themes
            .iter()
            .flat_map(|t| t.iter())
            .any(|s| fits(s, words[k], next))
    })
}

fn signs_of(words: &[&str], themes: &[&[&str]]) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        let next = words.get(k + 1).copied();
        if let Some(sign) = themes
            .iter()
            .flat_map(|t| t.iter())
            .find(|s| fits(s, w, next))
        {
            let shown = if sign.contains(' ') {
                format!("{w} {}", next.unwrap_or_default())
            } else {
                (*w).to_string()
            };
            if !found.contains(&shown) {
                found.push(shown);
            }
        }
    }
    found
}

fn fits(sign: &str, word: &str, next: Option<&str>) -> bool {
    if let Some((first, second)) = sign.split_once(' ') {
        return first == word && next == Some(second);
    }
    match sign.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => sign == word,
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
        assert_eq!(of("I want to do it"), ["do it"]);
        assert_eq!(of("i wanna kms"), ["kill"]);
        assert!(of("Lovely lunch with Sam in the park.").is_empty());
    }
}
