//! Reading a text: feelings (with negation and intensity cues), numbness,
//! masking and crisis language, and vague words with finer options.
//!
//! Negation follows the common lexicon approach (a negator within the three
//! words before, in the same clause, as in VADER: Hutto & Gilbert 2014).
//! Crisis phrases are stricter about what counts as negated, because
//! missing a real risk is worse than a false alarm: only a negator reached
//! through a few bridging words ("I would never hurt myself", "I'm not
//! going to kill myself") cancels one; "whether or not I should kill
//! myself" does not.

use crate::lexicon::{Lexicon, Modifier, ModifierKind, PatternToken, PhraseKind, Starts};
use crate::stance::{not_the_writers, stance, Facts, Place, Stance};
use crate::tokenize::{tokenize, Token};
use feltsense_core::{CheckInDraft, Family, FeelingRating, Vocabulary};
use serde::Serialize;

/// Words a feeling's negation may reach over.
const REACH: usize = 3;

/// Words that may stand between a negator and a crisis phrase without
/// breaking the negation.
const BRIDGES: &[&str] = &[
    "i", "i'm", "im", "am", "would", "will", "ever", "really", "actually", "have", "having", "had",
    "any", "thoughts", "thought", "thinking", "of", "about", "going", "gonna", "to", "be", "want",
    "wanna", "try", "trying", "plan", "planning", "intend", "that", "think", "feel", "like",
    "anyone", "a", "single", "no",
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntensityCue {
    pub text: String,
    pub kind: ModifierKind,
    pub factor: f64,
}

/// A feeling found in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundFeeling {
    /// The vocabulary word it maps to.
    pub word: String,
    pub family: Family,
    /// As written.
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// "not happy" is found, but negated: it is not joy.
    pub negated: bool,
    pub cue: Option<IntensityCue>,
}

/// A phrase found in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phrase {
    pub kind: PhraseKind,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub negated: bool,
    /// For crisis language: whose it is, and when (see [`Stance`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    /// Found by the learned heads rather than a pattern: why
    /// (`crate::learned`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learned: Option<crate::learned::LearnedCue>,
}

/// A vague word, with finer words that might fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vague {
    pub text: String,
    pub options: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Analysis {
    pub feelings: Vec<FoundFeeling>,
    pub phrases: Vec<Phrase>,
    pub vague: Vec<Vague>,
}

impl Analysis {
    /// The writer's own crisis language, now: show the safety panel.
    pub fn crisis(&self) -> bool {
        self.crisis_phrases(Stance::Own).next().is_some()
    }

    /// Only a past experience the writer has come through: show the quiet
    /// line ("if those thoughts come back, help is here") instead.
    pub fn crisis_quiet(&self) -> bool {
        !self.crisis() && self.crisis_phrases(Stance::Past).next().is_some()
    }

    /// The crisis phrases, not negated, of one stance: what opened the
    /// panel (or the quiet line).
    pub fn crisis_phrases(&self, stance: Stance) -> impl Iterator<Item = &Phrase> {
        self.found(PhraseKind::Crisis)
            .filter(move |p| p.stance == Some(stance))
    }

    /// The phrases of one kind that are not negated and are the writer's
    /// own (for crisis language: of any stance, see [`Self::crisis`]).
    pub fn found(&self, kind: PhraseKind) -> impl Iterator<Item = &Phrase> {
        self.phrases.iter().filter(move |p| {
            p.kind == kind
                && !p.negated
                && (kind == PhraseKind::Crisis || p.stance != Some(Stance::Others))
        })
    }

    /// The feelings that are really there (not negated).
    pub fn present(&self) -> impl Iterator<Item = &FoundFeeling> {
        self.feelings.iter().filter(|f| !f.negated)
    }

    /// A check-in draft for the person to confirm: each feeling once, at 5
    /// of 10 moved by its intensity cue; "nothing" when only numbness
    /// language was found. `None` when nothing was found.
    pub fn draft(&self) -> Option<CheckInDraft> {
        let mut feelings: Vec<FeelingRating> = Vec::new();
        for f in self.present() {
            let factor = f.cue.as_ref().map_or(1.0, |c| c.factor);
            let intensity = (5.0 * factor).round().clamp(1.0, 10.0) as u8;
            match feelings.iter_mut().find(|r| r.word == f.word) {
                Some(r) => r.intensity = r.intensity.max(Some(intensity)),
                None => feelings.push(FeelingRating::new(f.word.clone(), Some(intensity))),
            }
        }
        let numb_only = feelings.is_empty() && self.found(PhraseKind::Numb).next().is_some();
        if feelings.is_empty() && !numb_only {
            return None;
        }
        Some(CheckInDraft {
            nothing: numb_only,
            feelings,
            ..CheckInDraft::default()
        })
    }
}

/// Matches the words of `pattern` from token `i`; the end (exclusive).
fn match_words(tokens: &[Token<'_>], i: usize, pattern: &[String]) -> Option<usize> {
    let mut j = i;
    for p in pattern {
        if tokens.get(j)?.word()? != p {
            return None;
        }
        j += 1;
    }
    Some(j)
}

/// Matches `pattern` from token `j`; the end (exclusive) of the shortest
/// match. Gaps never cross a clause break.
fn match_pattern(tokens: &[Token<'_>], j: usize, pattern: &[PatternToken]) -> Option<usize> {
    let Some((first, rest)) = pattern.split_first() else {
        return Some(j);
    };
    if let PatternToken::Gap(n) = first {
        for skip in 0..=usize::from(*n) {
            if skip > 0 && tokens.get(j + skip - 1)?.word().is_none() {
                return None;
            }
            if let Some(end) = match_pattern(tokens, j + skip, rest) {
                return Some(end);
            }
        }
        return None;
    }
    if let PatternToken::End = first {
        return match tokens.get(j) {
            None => Some(j),
            Some(Token::Break) => match_pattern(tokens, j + 1, rest),
            Some(Token::Word { .. }) => None,
        };
    }
    match first {
        PatternToken::Literal(alternatives) => alternatives.iter().find_map(|run| {
            let end = match_run(tokens, j, run)?;
            match_pattern(tokens, end, rest)
        }),
        PatternToken::Any => {
            tokens.get(j)?.word()?;
            match_pattern(tokens, j + 1, rest)
        }
        PatternToken::Gap(_) | PatternToken::End => None,
    }
}

/// Matches a run of words (a `stem*` matching any word starting so).
fn match_run(tokens: &[Token<'_>], j: usize, run: &[String]) -> Option<usize> {
    for (k, p) in run.iter().enumerate() {
        let w = tokens.get(j + k)?.word()?;
        let fits = match p.strip_suffix('*') {
            Some(stem) => w.starts_with(stem),
            None => w == p,
        };
        if !fits {
            return None;
        }
    }
    Some(j + run.len())
}

fn span(tokens: &[Token<'_>], from: usize, to: usize) -> (usize, usize) {
    let start = match &tokens[from] {
        Token::Word { start, .. } => *start,
        Token::Break => 0,
    };
    let end = tokens[from..to]
        .iter()
        .rev()
        .find_map(|t| match t {
            Token::Word { end, .. } => Some(*end),
            Token::Break => None,
        })
        .unwrap_or(start);
    (start, end)
}

/// A modifier that ends at token `end` (exclusive).
struct Placed {
    start: usize,
    end: usize,
    modifier: Modifier,
}

pub fn analyze(lexicon: &Lexicon, vocabulary: &Vocabulary, text: &str) -> Analysis {
    analyze_each(lexicon, vocabulary, text, |_, _, _| ())
}

/// [`analyze`], handing each sentence's tokens to `each` (with the byte
/// where the sentence starts), so that another reader of the same
/// sentences (`crate::learned`) need not tokenise them again.
pub fn analyze_each(
    lexicon: &Lexicon,
    vocabulary: &Vocabulary,
    text: &str,
    mut each: impl FnMut(usize, &str, &[Token<'_>]),
) -> Analysis {
    let mut analysis = Analysis::default();
    // Nothing reaches across a sentence end, so sentences are read one at a
    // time: the token list stays small however long the text is.
    let mut base = 0;
    let mut sentences = Vec::new();
    for sentence in text.split_inclusive(['.', '!', '?', '\n']) {
        let tokens = tokenize(sentence);
        analyze_sentence(lexicon, vocabulary, sentence, &tokens, base, &mut analysis);
        each(base, sentence, &tokens);
        sentences.push((base, base + sentence.len()));
        base += sentence.len();
    }
    analysis.phrases.retain(|p| {
        p.kind != PhraseKind::Crisis
            || !(crate::stance::wants_a_sign(text, p.start, p.end)
                || crate::stance::everyday_means(text, p.start, p.end))
    });
    let mut facts = None;
    for phrase in &mut analysis.phrases {
        let at = sentences.partition_point(|&(_, end)| end <= phrase.start);
        let place = Place {
            entry: text,
            sentence: sentences.get(at).copied().unwrap_or((0, text.len())),
            phrase: (phrase.start, phrase.end),
        };
        phrase.stance = match phrase.kind {
            PhraseKind::Crisis => {
                Some(stance(&place, facts.get_or_insert_with(|| Facts::of(text))))
            }
            kind => not_the_writers(&place, kind == PhraseKind::Numb).then_some(Stance::Others),
        };
    }
    analysis
}

/// Adds what is found in `text` (which starts at byte `base` of the whole).
fn analyze_sentence(
    lexicon: &Lexicon,
    vocabulary: &Vocabulary,
    text: &str,
    tokens: &[Token<'_>],
    base: usize,
    analysis: &mut Analysis,
) {
    let mut modifiers: Vec<Placed> = Vec::new();
    // Each word looked up once, and the words patterns need that are here.
    let looked: Vec<Option<&Starts>> = tokens
        .iter()
        .map(|t| t.word().and_then(|w| lexicon.starts.get(w)))
        .collect();
    let mut present: Vec<u32> = looked.iter().filter_map(|s| (*s)?.needed).collect();
    present.sort_unstable();
    let mut i = 0;
    while i < tokens.len() {
        let Some(word) = tokens[i].word() else {
            i += 1;
            continue;
        };
        let Some(starts) = looked[i] else {
            if let Some(options) = lexicon.vague.get(word) {
                analysis.vague.push(Vague {
                    text: word.to_string(),
                    options: options.clone(),
                });
            }
            i += 1;
            continue;
        };
        for (pattern, kind, needs) in &starts.phrases {
            if !needs.met(&present) {
                continue;
            }
            if let Some(end) = match_pattern(tokens, i, pattern) {
                let negated = if *kind == PhraseKind::Crisis {
                    crisis_negated(tokens, &modifiers, i)
                } else {
                    negated(&modifiers, tokens, i)
                };
                let (s, e) = span(tokens, i, end);
                // Phrases are found in order: only recent ones can overlap.
                let already = analysis
                    .phrases
                    .iter()
                    .rev()
                    .take(8)
                    .any(|p| p.kind == *kind && p.start <= base + s && base + e <= p.end);
                if !already {
                    analysis.phrases.push(Phrase {
                        kind: *kind,
                        text: text[s..e].to_string(),
                        start: base + s,
                        end: base + e,
                        negated,
                        stance: None,
                        learned: None,
                    });
                }
                break;
            }
        }
        if let Some((end, modifier)) = starts
            .modifiers
            .iter()
            .find_map(|(p, m)| Some((match_words(tokens, i, p)?, *m)))
        {
            modifiers.push(Placed {
                start: i,
                end,
                modifier,
            });
            i = end;
            continue;
        }
        if let Some((end, position)) = starts
            .feelings
            .iter()
            .find_map(|(p, w)| Some((match_words(tokens, i, p)?, *w)))
        {
            let entry = &vocabulary.words()[position];
            let (s, e) = span(tokens, i, end);
            analysis.feelings.push(FoundFeeling {
                word: entry.word.clone(),
                family: entry.family,
                text: text[s..e].to_string(),
                start: base + s,
                end: base + e,
                negated: negated(&modifiers, tokens, i),
                cue: cue(&modifiers, tokens, i, text),
            });
            i = end;
            continue;
        }
        if let Some(options) = lexicon.vague.get(word) {
            analysis.vague.push(Vague {
                text: word.to_string(),
                options: options.clone(),
            });
        }
        i += 1;
    }
}

/// Word tokens strictly between `from` and `to`, or `None` if a clause
/// break (or "but") lies between.
fn words_between(tokens: &[Token<'_>], from: usize, to: usize) -> Option<usize> {
    let mut n = 0;
    for t in &tokens[from..to] {
        match t.word() {
            None | Some("but") => return None,
            Some(_) => n += 1,
        }
    }
    Some(n)
}

/// A negator ends within [`REACH`] words before token `at`, same clause.
fn negated(modifiers: &[Placed], tokens: &[Token<'_>], at: usize) -> bool {
    modifiers.iter().rev().take(4).any(|m| {
        m.modifier.kind == ModifierKind::Negator
            && m.end <= at
            && words_between(tokens, m.end, at).is_some_and(|n| n < REACH)
    })
}

/// Only bridging words stand between a negator and the crisis phrase.
fn crisis_negated(tokens: &[Token<'_>], modifiers: &[Placed], at: usize) -> bool {
    modifiers.iter().rev().take(4).any(|m| {
        m.modifier.kind == ModifierKind::Negator
            && m.end <= at
            && tokens[m.end..at]
                .iter()
                .all(|t| t.word().is_some_and(|w| BRIDGES.contains(&w)))
    })
}

/// An intensifier or diminisher ending within two words before `at`.
fn cue(modifiers: &[Placed], tokens: &[Token<'_>], at: usize, text: &str) -> Option<IntensityCue> {
    modifiers.iter().rev().take(3).find_map(|m| {
        let near = m.end <= at && words_between(tokens, m.end, at).is_some_and(|n| n < 2);
        if !near || m.modifier.kind == ModifierKind::Negator {
            return None;
        }
        let (s, e) = span(tokens, m.start, m.end);
        Some(IntensityCue {
            text: text[s..e].to_string(),
            kind: m.modifier.kind,
            factor: m.modifier.factor,
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::lexicon::Sources;
    use crate::{Analyzer, PhraseKind};
    use feltsense_core::{Family, Vocabulary};

    const SOURCES: Sources<'static> = Sources {
        lexicon: "happy\thappy\nhappier\thappy\nsad\tsad\nsadness\tsad\ntired\ttired\nfed up\tfrustrated\nnumb\tnumb\nempty\tempty\n",
        modifiers: "very\tintensifier\t1.5\nreally\tintensifier\t1.4\na bit\tdiminisher\t0.5\nnot\tnegator\t0\nnever\tnegator\t0\ndon't\tnegator\t0\nno longer\tnegator\t0\n",
        phrases: "numb\tfeel nothing\nnumb\ton autopilot\nmasking\tput on a ?brave smile\ncrisis\tkill myself\ncrisis\thurt myself\ncrisis\twant to die\ncrisis\tdon't want to live\ncrisis\tsuicidal\n",
        vague: "bad\tdisappointed,ashamed,lonely\n",
    };

    fn check<T>(f: impl FnOnce(&Analyzer<'_>) -> T) -> T {
        let v = Vocabulary::embedded();
        let a = Analyzer::new(&SOURCES, &v).unwrap();
        f(&a)
    }

    #[test]
    fn negation_reaches_three_words_within_the_clause() {
        check(|a| {
            let r = a.analyze("I am not happy. I am happy.");
            assert_eq!(
                r.feelings.iter().map(|f| f.negated).collect::<Vec<_>>(),
                [true, false]
            );
            assert!(
                !a.analyze("not at all, just happy").feelings[0].negated,
                "a comma ends the reach"
            );
            assert!(a.analyze("I'm not very happy").feelings[0].negated);
            assert!(
                !a.analyze("not that I would say I was happy").feelings[0].negated,
                "too far"
            );
            assert!(
                !a.analyze("not tired but happy").feelings[1].negated,
                "'but' ends the reach"
            );
            assert!(
                a.analyze("I no longer feel sad").feelings[0].negated,
                "multi-word negators"
            );
        });
    }

    #[test]
    fn intensity_cues_and_multiword_forms() {
        check(|a| {
            let r = a.analyze("Really fed up, and a bit sad");
            assert_eq!(r.feelings[0].word, "frustrated");
            assert_eq!(r.feelings[0].text, "fed up");
            assert_eq!(r.feelings[0].cue.as_ref().unwrap().text, "Really");
            assert_eq!(r.feelings[1].cue.as_ref().unwrap().factor, 0.5);
            let d = r.draft().unwrap();
            assert_eq!(
                (d.feelings[0].intensity, d.feelings[1].intensity),
                (Some(7), Some(3))
            );
        });
    }

    #[test]
    fn crisis_negation_is_narrow_and_idioms_are_not_crises() {
        check(|a| {
            assert!(a.analyze("I want to kill myself").crisis());
            assert!(!a.analyze("I would never hurt myself").crisis());
            assert!(!a
                .analyze("I'm not going to kill myself, I promise")
                .crisis());
            assert!(!a.analyze("I'm not suicidal").crisis());
            assert!(
                a.analyze("I wonder whether or not I should kill myself")
                    .crisis(),
                "a far negator does not cancel"
            );
            assert!(
                a.analyze("I don't want to live like this").crisis(),
                "the negation is part of the phrase"
            );
            assert!(
                a.analyze("never happy, I want to die").crisis(),
                "negation does not cross a comma"
            );
            assert!(!a.analyze("this traffic is killing me").crisis());
            assert!(
                a.analyze("I don’t want to live").crisis(),
                "curly apostrophes"
            );
        });
    }

    #[test]
    fn numbness_masking_and_vague_words() {
        check(|a| {
            let r = a.analyze("I put on a brave smile but I feel nothing 😶. Bad day.");
            assert_eq!(r.found(PhraseKind::Masking).count(), 1);
            assert_eq!(
                r.found(PhraseKind::Numb).next().unwrap().text,
                "feel nothing"
            );
            assert_eq!(r.vague[0].options, ["disappointed", "ashamed", "lonely"]);
            let d = r.draft().unwrap();
            assert!(
                d.nothing && d.feelings.is_empty(),
                "numbness only: a 'nothing' draft"
            );
            assert!(a
                .analyze("I don't feel nothing")
                .found(PhraseKind::Numb)
                .next()
                .is_none());
        });
    }

    #[test]
    fn offsets_and_families_survive_unicode() {
        check(|a| {
            let text = "Ça va… “happier” 🎉 and numb";
            let r = a.analyze(text);
            assert_eq!(&text[r.feelings[0].start..r.feelings[0].end], "happier");
            assert_eq!(r.feelings[1].family, Family::Numb);
            assert!(a.analyze("").feelings.is_empty());
            assert!(a.analyze("🙂🙂🙂").draft().is_none());
        });
    }
}
