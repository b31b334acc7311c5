//! What a word is taken to mean before matching: contractions typed without
//! their apostrophe ("dont" = "don't"), letters held down ("sooo" = "so"),
//! common misspellings of the words that matter most ("sucide", "mysef"),
//! and texting forms ("wanna" = "want to", "kms" = "kill myself"). Each
//! replacement keeps the byte range of the word as written, so what is
//! shown still points into the person's own text.

use feltsense_core::fnv::FnvMap;

/// Replacements for one lowercased word; a multi-word replacement becomes
/// several tokens over the same range.
const TABLE: &[(&str, &str)] = &[
    // Contractions without an apostrophe ("id", "ill", "were", "well",
    // "hell", "shed", "its" stay: they are words in their own right).
    ("dont", "don't"),
    ("cant", "can't"),
    ("im", "i'm"),
    ("ive", "i've"),
    ("wont", "won't"),
    ("didnt", "didn't"),
    ("doesnt", "doesn't"),
    ("isnt", "isn't"),
    ("wasnt", "wasn't"),
    ("werent", "weren't"),
    ("wouldnt", "wouldn't"),
    ("shouldnt", "shouldn't"),
    ("couldnt", "couldn't"),
    ("havent", "haven't"),
    ("havnt", "haven't"),
    ("hasnt", "hasn't"),
    ("arent", "aren't"),
    ("aint", "ain't"),
    ("theres", "there's"),
    ("coudnt", "couldn't"),
    ("wernt", "weren't"),
    ("existng", "existing"),
    ("everythings", "everything's"),
    ("togther", "together"),
    ("laughd", "laughed"),
    ("shes", "she's"),
    ("hes", "he's"),
    ("thats", "that's"),
    ("whats", "what's"),
    ("youre", "you're"),
    ("theyd", "they'd"),
    ("theyre", "they're"),
    ("theyll", "they'll"),
    ("itd", "it'd"),
    ("itll", "it'll"),
    ("idc", "i don't care"),
    ("idk", "i don't know"),
    ("dunno", "don't know"),
    ("ima", "i'm going to"),
    ("imma", "i'm going to"),
    ("gonna", "going to"),
    ("gona", "going to"),
    ("wanna", "want to"),
    ("wana", "want to"),
    ("gotta", "got to"),
    ("tryna", "trying to"),
    ("kinda", "kind of"),
    ("sorta", "sort of"),
    ("u", "you"),
    ("ur", "your"),
    ("r", "are"),
    ("n", "and"),
    ("b", "be"),
    ("bc", "because"),
    ("cuz", "because"),
    ("coz", "because"),
    ("cos", "because"),
    ("rn", "right now"),
    ("tbh", "to be honest"),
    ("ngl", "not going to lie"),
    ("fr", "for real"),
    ("rly", "really"),
    ("realy", "really"),
    ("srsly", "seriously"),
    ("tho", "though"),
    ("thru", "through"),
    ("bout", "about"),
    ("abt", "about"),
    ("nite", "night"),
    ("tmrw", "tomorrow"),
    ("tmr", "tomorrow"),
    ("2moro", "tomorrow"),
    ("evry1", "everyone"),
    ("every1", "everyone"),
    ("no1", "no one"),
    ("some1", "someone"),
    ("sh", "self harm"),
    ("kms", "kill myself"),
    ("kys", "kill yourself"),
    ("unalive", "kill"),
    ("unaliving", "killing"),
    ("unalived", "killed"),
    // Misspellings of the words that matter most.
    ("sucide", "suicide"),
    ("suicde", "suicide"),
    ("suiside", "suicide"),
    ("sucicide", "suicide"),
    ("suicied", "suicide"),
    ("sucidal", "suicidal"),
    ("suicdal", "suicidal"),
    ("suisidal", "suicidal"),
    ("kil", "kill"),
    ("kll", "kill"),
    ("killl", "kill"),
    ("kilin", "killing"),
    ("killin", "killing"),
    ("mysef", "myself"),
    ("myslef", "myself"),
    ("mysself", "myself"),
    ("myelf", "myself"),
    ("msyelf", "myself"),
    ("mself", "myself"),
    ("diee", "die"),
    ("wnat", "want"),
    ("wnt", "want"),
    ("agian", "again"),
    ("anymor", "anymore"),
    ("anymroe", "anymore"),
    ("evryone", "everyone"),
    ("everyones", "everyone's"),
    ("evryones", "everyone's"),
    ("evrything", "everything"),
    ("everythng", "everything"),
    ("anyhting", "anything"),
    ("anythng", "anything"),
    ("nothin", "nothing"),
    ("nothng", "nothing"),
    ("somethin", "something"),
    ("feelin", "feeling"),
    ("livin", "living"),
    ("tryin", "trying"),
    ("thinkin", "thinking"),
    ("thnk", "think"),
    ("knwo", "know"),
    ("coudl", "could"),
    ("woudl", "would"),
    ("becuase", "because"),
    ("pils", "pills"),
    ("bleded", "bled"),
    ("scrathced", "scratched"),
    ("burnd", "burned"),
];

/// Short words whose letters are often held down: "sooo" is "so", not "soo".
const SINGLE: &[&str] = &[
    "so", "no", "die", "me", "hate", "want", "done", "bad", "help", "please", "sad", "tired",
    "why", "ok", "okay", "god", "my", "yes", "omg", "ugh", "lol", "fine", "now", "hurt", "cry",
    "alone",
];

/// The replacement for one lowercased word, if it has one.
pub fn replacement(word: &str) -> Option<&'static str> {
    static INDEX: std::sync::OnceLock<FnvMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| TABLE.iter().copied().collect())
        .get(word)
        .copied()
}

/// `word` with runs of three or more of a letter cut to two, or to one
/// when that makes a common word ("sooo" → "so", "pleeease" → "please").
pub fn held_letters(word: &str) -> Option<String> {
    let b = word.as_bytes();
    if !b.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
        return None;
    }
    let chars: Vec<char> = word.chars().collect();
    let cut = |keep: usize| {
        let mut out = String::with_capacity(word.len());
        let mut run = 0;
        for (i, &c) in chars.iter().enumerate() {
            run = if i > 0 && chars[i - 1] == c {
                run + 1
            } else {
                1
            };
            if run <= keep {
                out.push(c);
            }
        }
        out
    };
    let one = cut(1);
    if SINGLE.contains(&one.as_str()) || replacement(&one).is_some() {
        return Some(one);
    }
    Some(cut(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_letters_come_back_to_the_word() {
        assert_eq!(held_letters("sooo").as_deref(), Some("so"));
        assert_eq!(held_letters("pleeease").as_deref(), Some("please"));
        assert_eq!(held_letters("feeeel").as_deref(), Some("feel"));
        assert_eq!(held_letters("soon"), None);
    }

    #[test]
    fn replacements_are_lowercase_and_distinct() {
        for (i, (w, r)) in TABLE.iter().enumerate() {
            assert_eq!(w.to_lowercase(), *w);
            assert_eq!(r.to_lowercase(), *r);
            assert!(
                TABLE[..i].iter().all(|(o, _)| o != w),
                "'{w}' is listed twice"
            );
        }
    }
}
