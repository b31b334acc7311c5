//! Use or mention: whether crisis language found in an entry is the
//! writer's own, present risk, or something else: a past experience they
//! have come through, someone else's words, a film, a lecture or the news,
//! or a denial that follows the phrase ("... I don't, though").
//!
//! The rules lean towards opening the panel: only a clear sign moves a
//! phrase away from `Own`, and the nearest speaker before the phrase
//! decides between the writer and someone else.

use crate::cues::{
    AGES, BODY, LITERAL_USE, MEANS, MEDIA, NOW, OTHER_PERSON, PAST, PAST_RUNS, PLAY, RECOVERED,
    RECOVERED_RUNS, SELF_HARM, THINKING, TOPIC_CONTEXT,
};
use crate::tokenize::{tokenize, Token};
use serde::Serialize;

/// Whose crisis language it is, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    /// The writer's, now: the full safety panel.
    Own,
    /// The writer's, in a past they speak of as over: the quiet line.
    Past,
    /// Someone else's words, or in quotation marks.
    Others,
    /// A film, book, news item, lecture or study.
    Media,
    /// Denied after the phrase: "... not that I would", "I don't, though".
    Denied,
}

/// Subjects: who is speaking of themselves (possessives are left out:
/// "my friend" is the friend).
const FIRST_PERSON: &[&str] = &["i", "i'm", "i've", "i'd", "i'll", "myself"];

/// The words of a piece of text, as meant; `|` for a clause break.
fn words(text: &str) -> Vec<String> {
    tokenize(text)
        .into_iter()
        .map(|t| match t {
            Token::Word { text, .. } => text.into_owned(),
            Token::Break => "|".to_string(),
        })
        .collect()
}

fn has_run(words: &[String], runs: &[&[&str]]) -> bool {
    runs.iter().any(|run| {
        words
            .windows(run.len())
            .any(|w| w.iter().zip(run.iter()).all(|(a, b)| a == b))
    })
}

fn is_year(w: &str) -> bool {
    w.len() == 4 && (w.starts_with("19") || w.starts_with("20")) && w.parse::<u16>().is_ok()
}

fn past(words: &[String]) -> bool {
    any_of(words, PAST)
        || has_run(words, PAST_RUNS)
        || words.iter().any(|w| is_year(w))
        || words
            .windows(2)
            .any(|p| p[0] == "was" && AGES.contains(&p[1].as_str()))
}

fn recovered(words: &[String]) -> bool {
    any_of(words, RECOVERED) || has_run(words, RECOVERED_RUNS)
}

fn any_of(words: &[String], list: &[&str]) -> bool {
    words.iter().any(|w| list.contains(&w.as_str()))
}

/// What is true of the whole entry, worked out once.
pub struct Facts {
    /// A film, book, lecture or study is named somewhere in it.
    pub media: bool,
    /// A past experience and signs that it is over.
    pub over: bool,
    /// A relapse is spoken of.
    pub relapse: bool,
}

impl Facts {
    pub fn of(entry: &str) -> Facts {
        let whole = words(entry);
        Facts {
            media: any_of(&whole, MEDIA),
            over: past(&whole) && recovered(&whole),
            relapse: relapse(&whole),
        }
    }
}

/// Where one crisis phrase sits.
pub struct Place<'a> {
    pub entry: &'a str,
    /// The sentence holding the phrase, and what follows it.
    pub sentence: (usize, usize),
    pub phrase: (usize, usize),
}

/// The stance of one crisis phrase.
pub fn stance(place: &Place<'_>, facts: &Facts) -> Stance {
    let (s, e) = place.sentence;
    let (ps, pe) = place.phrase;
    let before = words(&place.entry[s..ps]);
    let phrase = words(&place.entry[ps..pe]);
    let after = words(&place.entry[pe..e]);
    let next = words(&place.entry[e..next_end(place.entry, e)]);
    if denied_after(&after) || denied_next(&next) {
        return Stance::Denied;
    }
    if quoted(&place.entry[s..ps]) || asked(&before) && !after.iter().any(|w| w == "yes") {
        return Stance::Others;
    }
    if any_of(&phrase, &["myself", "my", "me", "i"]) {
        return own_or_past(facts, &before, &after);
    }
    let speaker = speaker(&place.entry[s..ps]);
    if speaker == Some(false) {
        return Stance::Others;
    }
    let topic = any_of(
        &phrase,
        &[
            "suicide",
            "suicidal",
            "self",
            "harm",
            "overdose",
            "overdosed",
        ],
    );
    let sentence = [&before[..], &after[..]].concat();
    let media_here = any_of(&sentence, MEDIA) || topic && facts.media;
    if speaker != Some(true) && media_here {
        return Stance::Media;
    }
    let thinking = any_of(&sentence, THINKING) || any_of(&phrase, THINKING);
    if topic && !thinking && any_of(&sentence, TOPIC_CONTEXT) {
        return Stance::Media;
    }
    own_or_past(facts, &before, &after)
}

/// Where the sentence after the one ending at `end` ends.
fn next_end(entry: &str, end: usize) -> usize {
    entry[end..]
        .find(['.', '!', '?', '\n'])
        .map_or(entry.len(), |i| end + i + 1)
}

/// Someone asked whether: "she asked if I ever thought about it".
fn asked(before: &[String]) -> bool {
    before
        .windows(2)
        .any(|p| p[0].starts_with("ask") && matches!(p[1].as_str(), "if" | "whether"))
        || before
            .windows(3)
            .any(|p| p[0].starts_with("ask") && matches!(p[2].as_str(), "if" | "whether"))
}

fn own_or_past(facts: &Facts, before: &[String], after: &[String]) -> Stance {
    let sentence = [before, after].concat();
    if after.first().is_some_and(|w| w == "free" || w == "clean") {
        return Stance::Past;
    }
    let over = past(&sentence) || facts.over;
    let present = has_run(
        &sentence,
        &[
            &["am", "thinking"],
            &["i'm", "thinking"],
            &["keep", "thinking"],
        ],
    );
    let back = present
        || has_run(
            &sentence,
            &[
                &["are", "back"],
                &["is", "back"],
                &["came", "back"],
                &["coming", "back"],
            ],
        );
    if over && !any_of(&sentence, NOW) && !back && !facts.relapse {
        Stance::Past
    } else {
        Stance::Own
    }
}

fn relapse(words: &[String]) -> bool {
    words.iter().any(|w| w.starts_with("relaps"))
}

/// `Some(true)` when the nearest person before the end of `text` is the
/// writer, `Some(false)` when it is someone else (a capitalised word inside
/// the sentence is taken for a name).
fn speaker(text: &str) -> Option<bool> {
    let tokens = tokenize(text);
    tokens.iter().enumerate().rev().find_map(|(i, t)| {
        let Token::Word { text: w, start, .. } = t else {
            return None;
        };
        // A name is Titlecase: "Sam", not "ER" or "I".
        let mut letters = text[*start..].chars().take_while(|c| c.is_alphabetic());
        let capital = letters.next().is_some_and(char::is_uppercase)
            && letters.next().is_some_and(char::is_lowercase);
        let first = i == 0 || matches!(tokens[i - 1], Token::Break);
        if FIRST_PERSON.contains(&w.as_ref()) {
            Some(true)
        } else if OTHER_PERSON.contains(&w.as_ref()) || (capital && !first) {
            Some(false)
        } else {
            None
        }
    })
}

/// The end of `before` (a sentence up to the phrase) is inside double
/// quotation marks, or single ones opened after a space.
fn quoted(before: &str) -> bool {
    let mut open = false;
    let mut previous = ' ';
    for c in before.chars() {
        match c {
            '"' => open = !open,
            '“' | '‘' => open = true,
            '”' => open = false,
            '\'' if previous.is_whitespace() => open = true,
            '’' if open && previous.is_alphabetic() => {}
            _ => {}
        }
        previous = c;
    }
    open
}

/// A denial right after the phrase: "I don't, though", "not really",
/// "just joking".
/// A denial opening the next sentence: "No." or "I'm not."
fn denied_next(next: &[String]) -> bool {
    let w: Vec<&str> = next.iter().take(4).map(String::as_str).collect();
    matches!(
        w[..],
        ["no" | "nope", "|", ..]
            | ["i'm" | "i", "not" | "don't" | "won't", "|", ..]
            | ["not", "really" | "like" | "in", ..]
    )
}

fn denied_after(after: &[String]) -> bool {
    let w: Vec<&str> = after.iter().take(10).map(String::as_str).collect();
    let pair = w.windows(2).any(|p| {
        matches!(
            p,
            [
                "not",
                "really" | "actually" | "literally" | "seriously" | "like" | "that" | "in"
            ] | ["don't" | "didn't", "mean"]
                | ["just" | "only", "joking" | "kidding"]
                | ["i", "meant"]
                | ["meant", "the"]
        )
    });
    let meant_else = w.windows(3).any(|p| {
        matches!(
            p,
            ["i", "mean", "for" | "the" | "from" | "into" | "my" | "that"]
        )
    });
    let bare = meant_else
        || w.windows(3).any(|p| {
            matches!(
                p,
                [
                    "i",
                    "don't" | "won't" | "wouldn't",
                    "|" | "though" | "really"
                ]
            )
        });
    pair || bare || w.contains(&"jk")
}

/// Numbness or masking language about someone else ("he's bottling it
/// up"), or a body part gone numb ("my lip is still numb from the
/// dentist"): not counted as the writer's.
pub fn not_the_writers(place: &Place<'_>, numb: bool) -> bool {
    let (s, e) = place.sentence;
    let (ps, pe) = place.phrase;
    let phrase = words(&place.entry[ps..pe]);
    let first_person = any_of(&phrase, &["i", "i'm", "my", "me", "myself", "am"]);
    if !first_person && speaker(&place.entry[s..ps]) == Some(false) {
        return true;
    }
    let feeling = phrase.iter().any(|w| {
        w.starts_with("feel") || w.starts_with("felt") || w.starts_with("emotion") || w == "inside"
    });
    if !numb && !feeling && hides_things(place, &phrase) {
        return true;
    }
    let (prone, literal): (&[&str], &[&str]) = if numb {
        (
            &[
                "numb", "numbness", "numbed", "blank", "empty", "flat", "dead",
            ],
            BODY,
        )
    } else {
        (&["mask", "pretend", "pretending", "act", "acting"], PLAY)
    };
    // A face mask is literal wherever the entry says so ("Halloween with
    // the kids. The zombie mask is on").
    let around = if !numb && any_of(&phrase, &["mask"]) {
        place.entry
    } else {
        &place.entry[s..e]
    };
    !feeling && any_of(&phrase, prone) && any_of(&words(around), literal)
}

/// Words of showing a face to others: masking whatever else is near
/// (`stem*` any word starting so).
const DISPLAY: &[&str] = &[
    "smil*", "grin*", "laugh*", "pretend*", "pretenc*", "act", "acted", "acting", "fake*", "brave",
    "face", "fine", "okay", "ok", "good", "great", "alright", "inside", "outside", "together",
    "bottl*", "mask", "cheer*", "happy", "tear*", "cry", "cried", "crying", "how", "struggl*",
    "upset", "sad",
];

/// Words of a feeling being hidden: then the concealment is masking.
const FELT: &[&str] = &[
    "scared", "afraid", "anxi*", "panic*", "nervous", "worr*", "feel*", "felt", "emotion*", "hurt",
    "lonely", "low", "wobbl*",
];

fn fits(word: &str, list: &[&str]) -> bool {
    list.iter().any(|d| match d.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => word == *d,
    })
}

/// Hiding or keeping quiet about a thing, not a feeling: a concealment
/// phrase with no word of showing a face ("hid it", "nobody noticed",
/// "haven't told anyone") where its sentence or the one before speaks of
/// means, places or goodbyes ("I bought a rope today and hid it in the
/// garage"). That is risk language (the crisis patterns read it), not
/// masking.
fn hides_things(place: &Place<'_>, phrase: &[String]) -> bool {
    let shows = |words: &[String]| words.iter().any(|w| fits(w, DISPLAY) || fits(w, FELT));
    if shows(phrase) {
        return false;
    }
    let (s, e) = place.sentence;
    let before = place.entry[..s].trim_end();
    let from = before
        .trim_end_matches(['.', '!', '?', '\n'])
        .rfind(['.', '!', '?', '\n'])
        .map_or(0, |k| k + 1);
    let near = words(&place.entry[from..e]);
    if shows(&near) {
        return false;
    }
    let near: Vec<&str> = near.iter().map(String::as_str).collect();
    crate::learned::signs::any_sign(&near, crate::learned::signs::THINGS)
}

/// Words of the broad leave-taking and plan patterns: a letter or a note,
/// a decision.
const LETTERS: &[&str] = &["letter", "letters", "note", "notes", "decide", "decided"];
/// Words that make a letter a goodbye, or a plan to "do it" a plan now,
/// by themselves.
const LEAVE_TAKING: &[&str] = &[
    "goodbye", "farewell", "last", "suicide", "tonight", "soon", "now", "time",
];

/// A day or a date beside a decision makes it a plan: "Decided on a date.
/// The 14th.", "Tomorrow night. Decided."
const WHEN: &[&str] = &[
    "date",
    "day",
    "night",
    "tonight",
    "tomorrow",
    "weekend",
    "week",
    "month",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "*st",
    "*nd",
    "*rd",
    "*th",
];

/// Whether a crisis phrase is a broad goodbye-letter or plan pattern ("wrote
/// a letter to my", "will do it") with no sign of the risk domain
/// (`crate::learned::signs`) outside it in its sentence or the sentences
/// either side: "wrote a letter to my aunt" or "Will do it again." after a
/// walk to work is not risk language.
pub(crate) fn wants_a_sign(entry: &str, start: usize, end: usize) -> bool {
    let phrase = words(&entry[start..end]);
    let has = |list: &[&str]| phrase.iter().any(|w| list.contains(&w.as_str()));
    // "I'm going to do it" is the writer's plan; a bare "Will do it again." is not.
    let before = words(
        &entry[entry[..start]
            .rfind(['.', '!', '?', '\n'])
            .map_or(0, |k| k + 1)..start],
    );
    let speaker = before.iter().rev().take(3).chain(&phrase);
    let plan = phrase.windows(2).any(|p| p[0] == "do" && p[1] == "it")
        && !speaker
            .into_iter()
            .any(|w| FIRST_PERSON.contains(&w.as_str()));
    if !(has(LETTERS) || plan) || has(LEAVE_TAKING) {
        return false;
    }
    let ends = ['.', '!', '?', '\n'];
    let back = |t: &str| t.trim_end_matches(ends).rfind(ends).map_or(0, |k| k + 1);
    let from = back(&entry[..back(&entry[..start])]);
    let ahead = |t: &str| t.find(ends).map_or(t.len(), |k| k + 1);
    let after = &entry[end..];
    let own = ahead(after);
    let to = end + own + ahead(&after[own..]);
    let near = [&entry[from..start], &entry[end..to]].join(" . ");
    let dated = |w: &String| {
        WHEN.iter().any(|d| match d.strip_prefix('*') {
            Some(ordinal) => w.ends_with(ordinal) && w.starts_with(|c: char| c.is_ascii_digit()),
            None => w == d,
        })
    };
    let decision = phrase.iter().any(|w| w.starts_with("decide"));
    // A day, date or week nearby is too common to make a decision a plan.
    let loose = |w: &String| ["date", "day", "week"].contains(&w.as_str());
    let when = |w: &String| dated(w) && !loose(w) || LEAVE_TAKING.contains(&w.as_str());
    let dated = decision && (phrase.iter().any(dated) || words(&near).iter().any(when));
    !(dated || crate::learned::signed(&near))
}

/// Whether a crisis phrase names only a means ("bought a new rope",
/// "blades", "overdosed") in a sentence that puts it to an everyday use
/// (`LITERAL_USE`: a dog's tug toy, a hammock, a shave, garlic bread).
pub(crate) fn everyday_means(entry: &str, start: usize, end: usize) -> bool {
    let phrase = words(&entry[start..end]);
    let means = phrase.iter().any(|w| fits(w, MEANS));
    if !means || phrase.iter().any(|w| fits(w, SELF_HARM)) {
        return false;
    }
    let ends = ['.', '!', '?', '\n'];
    let from = entry[..start].rfind(ends).map_or(0, |k| k + 1);
    let to = entry[end..].find(ends).map_or(entry.len(), |k| end + k);
    let sentence = words(&entry[from..to]);
    // "not for shaving" is no everyday use.
    let used = |k: usize| k < 2 || sentence[k - 2..k] != ["not", "for"];
    (0..sentence.len()).any(|k| fits(&sentence[k], LITERAL_USE) && used(k))
}
