//! The guided check-in on a terminal: one plain question at a time, every
//! question skippable, readable by a screen reader (no cursor tricks).

use super::checkin::parse_body;
use feltsense_core::items::{FixedItems, ItemRating};
use feltsense_core::{CheckInDraft, FeelingRating, Vocabulary};
use feltsense_store::StoreError;
use std::io::{BufRead, Write};

/// What the person typed, or that they closed the input.
enum Answer {
    Text(String),
    Closed,
}

struct Conversation<'a, R, W> {
    input: &'a mut R,
    out: &'a mut W,
}

impl<R: BufRead, W: Write> Conversation<'_, R, W> {
    fn ask(&mut self, question: &str) -> std::io::Result<Answer> {
        write!(self.out, "{question} ")?;
        self.out.flush()?;
        let mut line = String::new();
        if self.input.read_line(&mut line)? == 0 {
            writeln!(self.out)?;
            return Ok(Answer::Closed);
        }
        Ok(Answer::Text(line.trim().to_string()))
    }

    fn say(&mut self, text: &str) -> std::io::Result<()> {
        writeln!(self.out, "{text}")
    }

    /// A whole number in `min..=max`, or `None` when skipped.
    fn number(
        &mut self,
        question: &str,
        min: i64,
        max: i64,
    ) -> std::io::Result<Option<Option<i64>>> {
        loop {
            let Answer::Text(text) = self.ask(question)? else {
                return Ok(None);
            };
            if text.is_empty() {
                return Ok(Some(None));
            }
            match text.trim_start_matches('+').parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => return Ok(Some(Some(n))),
                _ => self.say(&format!(
                    "  A whole number from {min} to {max}, please, or Enter to skip."
                ))?,
            }
        }
    }

    /// Free text, `None` when skipped.
    fn text(&mut self, question: &str) -> std::io::Result<Option<Option<String>>> {
        match self.ask(question)? {
            Answer::Closed => Ok(None),
            Answer::Text(t) if t.is_empty() => Ok(Some(None)),
            Answer::Text(t) => Ok(Some(Some(t))),
        }
    }
}

/// Walks through a check-in. `Ok(None)` when the person closes the input
/// (Ctrl-D) before the end: nothing is saved.
pub fn ask<R: BufRead, W: Write>(
    vocabulary: &Vocabulary,
    chosen: &FixedItems,
    input: &mut R,
    out: &mut W,
) -> anyhow::Result<Option<CheckInDraft>> {
    let mut c = Conversation { input, out };
    let mut draft = CheckInDraft::default();
    welcome(&mut c)?;
    let Some(()) = feelings(&mut c, vocabulary, &mut draft)? else {
        return Ok(None);
    };
    if draft.nothing {
        match nothing_is_enough(&mut c)? {
            None => return Ok(None),
            Some(true) => return Ok(Some(draft)),
            Some(false) => {}
        }
    }
    let answered = items(&mut c, chosen, &mut draft)?.is_some()
        && dimensions(&mut c, &mut draft)?.is_some()
        && body(&mut c, &mut draft)?.is_some()
        && showed(&mut c, vocabulary, &mut draft)?.is_some()
        && context(&mut c, &mut draft)?.is_some();
    Ok(answered.then_some(draft))
}

fn welcome<R: BufRead, W: Write>(c: &mut Conversation<'_, R, W>) -> std::io::Result<()> {
    c.say("Let's notice what is there right now. Every question can be skipped with Enter.")?;
    c.say("Type a feeling word, or the start of one. If you can't feel much right now,")?;
    c.say("type `nothing`: that is a real answer. An empty line moves on.")
}

/// After `nothing`: `Some(true)` saves it as the whole check-in, `Some(false)`
/// goes on to the other questions, `None` when input closes.
fn nothing_is_enough<R: BufRead, W: Write>(
    c: &mut Conversation<'_, R, W>,
) -> std::io::Result<Option<bool>> {
    let question = "That can be the whole check-in. Enter saves it now; `more` goes on:";
    Ok(match c.ask(question)? {
        Answer::Text(more) => Some(!more.eq_ignore_ascii_case("more")),
        Answer::Closed => None,
    })
}

/// Pleasantness, energy and clarity. `None` when input closes.
fn dimensions<R: BufRead, W: Write>(
    c: &mut Conversation<'_, R, W>,
    draft: &mut CheckInDraft,
) -> std::io::Result<Option<()>> {
    let scales = [
        (
            "How pleasant or unpleasant is this moment, -5 to +5?",
            -5,
            5,
        ),
        (
            "How much energy is there, -5 (very low) to +5 (very high)?",
            -5,
            5,
        ),
        (
            "How clearly can you feel it, 0 (not at all) to 10 (very clearly)?",
            0,
            10,
        ),
    ];
    let mut answers = [None; 3];
    for (answer, (question, min, max)) in answers.iter_mut().zip(scales) {
        let Some(number) = c.number(question, min, max)? else {
            return Ok(None);
        };
        *answer = number;
    }
    let [pleasantness, energy, clarity] = answers;
    draft.pleasantness = pleasantness.map(|n| n as i8);
    draft.energy = energy.map(|n| n as i8);
    draft.clarity = clarity.map(|n| n as u8);
    Ok(Some(()))
}

/// Body sensations, one a line, until an empty line. `None` when input closes.
fn body<R: BufRead, W: Write>(
    c: &mut Conversation<'_, R, W>,
    draft: &mut CheckInDraft,
) -> std::io::Result<Option<()>> {
    c.say(
        "Anything in the body? For example chest:tight:5, stomach:fluttering, or hands:cant-feel.",
    )?;
    loop {
        let Answer::Text(text) = c.ask("Body (Enter when done):")? else {
            return Ok(None);
        };
        if text.is_empty() {
            return Ok(Some(()));
        }
        match parse_body(&text) {
            Ok(b) => draft.body.push(b),
            Err(e) => c.say(&format!(
                "  {}",
                e.to_string().trim_start_matches("--body ")
            ))?,
        }
    }
}

/// What was shown instead of what was felt, a word from the vocabulary or
/// nothing. `None` when input closes.
fn showed<R: BufRead, W: Write>(
    c: &mut Conversation<'_, R, W>,
    vocabulary: &Vocabulary,
    draft: &mut CheckInDraft,
) -> std::io::Result<Option<()>> {
    let question = "Did you show something different from what you felt? A word, or Enter:";
    loop {
        match c.text(question)? {
            None => return Ok(None),
            Some(Some(word)) if vocabulary.get(&word).is_none() => {
                let near = vocabulary.closest(&word, 4);
                c.say(&format!(
                    "  '{word}' is not in the vocabulary. Closest: {}",
                    near.join(", ")
                ))?;
            }
            Some(other) => {
                draft.showed = other;
                return Ok(Some(()));
            }
        }
    }
}

/// What, with whom, where, and a note in the person's own words. `None`
/// when input closes.
fn context<R: BufRead, W: Write>(
    c: &mut Conversation<'_, R, W>,
    draft: &mut CheckInDraft,
) -> std::io::Result<Option<()>> {
    let answers = [
        &mut draft.context.doing,
        &mut draft.context.with,
        &mut draft.context.place,
        &mut draft.note,
    ];
    let questions = [
        "What were you doing? (Enter to skip)",
        "Who were you with? (Enter to skip)",
        "Where were you? (Enter to skip)",
        "Anything you'd like to note, in your own words? (Enter to skip)",
    ];
    for (answer, question) in answers.into_iter().zip(questions) {
        let Some(text) = c.text(question)? else {
            return Ok(None);
        };
        *answer = text;
    }
    Ok(Some(()))
}

/// Runs `save` until it works, or the person stops: when a save fails
/// (the store busy for longer than its wait, a full disk) it says why and
/// offers to try again, so the answers are not thrown away. If the person
/// declines, `answers` (what they typed, as a summary) is shown before the
/// error is returned, so it can still be kept by hand.
pub fn save<R: BufRead, W: Write>(
    input: &mut R,
    out: &mut W,
    answers: &str,
    mut save: impl FnMut() -> Result<(), StoreError>,
) -> anyhow::Result<()> {
    let mut c = Conversation { input, out };
    loop {
        let Err(e) = save() else {
            return Ok(());
        };
        c.say(&format!("Saving did not work this time: {e}."))?;
        c.say("Your answers are still here.")?;
        match c.ask("Try saving again? Enter or `y` tries again, `n` stops:")? {
            Answer::Text(t) if t.is_empty() || t.eq_ignore_ascii_case("y") => {}
            _ => {
                c.say("Here is what you answered, so that it is not lost:")?;
                c.say(answers)?;
                return Err(anyhow::Error::new(e).context("the check-in was not saved"));
            }
        }
    }
}

/// Asks each chosen item, 0 (not at all) to 10. Enter at the first skips
/// the whole step; at a later one, that item. `None` when input closes.
fn items<R: BufRead, W: Write>(
    c: &mut Conversation<'_, R, W>,
    chosen: &FixedItems,
    draft: &mut CheckInDraft,
) -> std::io::Result<Option<()>> {
    if chosen.is_empty() {
        return Ok(Some(()));
    }
    c.say("Your chosen feelings, each from 0 (not at all) to 10. Enter now skips them all.")?;
    for word in chosen.words() {
        let Some(rating) = c.number(&format!("  {word}, 0 to 10:"), 0, 10)? else {
            return Ok(None);
        };
        match rating {
            Some(r) => draft.items.push(ItemRating::new(word.clone(), r as u8)),
            None if draft.items.is_empty() => return Ok(Some(())),
            None => {}
        }
    }
    Ok(Some(()))
}

/// Collects feeling words with their intensity. `None` when input closes.
fn feelings<R: BufRead, W: Write>(
    c: &mut Conversation<'_, R, W>,
    vocabulary: &Vocabulary,
    draft: &mut CheckInDraft,
) -> std::io::Result<Option<()>> {
    loop {
        let Answer::Text(text) = c.ask("Feeling:")? else {
            return Ok(None);
        };
        let lower = text.to_lowercase();
        if text.is_empty() {
            return Ok(Some(()));
        }
        if lower == "nothing" || lower == "none" {
            if draft.feelings.is_empty() {
                draft.nothing = true;
                return Ok(Some(()));
            }
            c.say("  You have named some feelings already; an empty line moves on.")?;
            continue;
        }
        let word = match vocabulary.get(&text) {
            Some(w) => w.word.clone(),
            None => match choose(c, vocabulary, &text)? {
                Some(Some(w)) => w,
                Some(None) => continue,
                None => return Ok(None),
            },
        };
        if draft.feelings.iter().any(|f| f.word == word) {
            c.say(&format!("  {word} is there already."))?;
            continue;
        }
        let ask = format!("  How strong is {word}, 1 to 10? (Enter if you can't say)");
        let Some(intensity) = c.number(&ask, 1, 10)? else {
            return Ok(None);
        };
        let intensity = intensity.map(|i| i as u8);
        draft.feelings.push(FeelingRating::new(word, intensity));
    }
}

/// Offers the words that match what was typed. `Some(None)`: none chosen.
fn choose<R: BufRead, W: Write>(
    c: &mut Conversation<'_, R, W>,
    vocabulary: &Vocabulary,
    typed: &str,
) -> std::io::Result<Option<Option<String>>> {
    let matches = vocabulary.search(typed, 8);
    if let Some(note) = vocabulary.typed(typed).note {
        c.say(&format!("  {note}"))?;
    }
    if matches.is_empty() {
        c.say(&format!(
            "  No word like '{typed}' yet. Try another, or `feltsense vocabulary` to browse."
        ))?;
        return Ok(Some(None));
    }
    for (i, w) in matches.iter().enumerate() {
        c.say(&format!(
            "  {}) {} ({})",
            i + 1,
            w.word,
            w.family.describe()
        ))?;
    }
    let Answer::Text(pick) = c.ask("  Which one? A number, or Enter for none:")? else {
        return Ok(None);
    };
    Ok(Some(
        pick.parse::<usize>()
            .ok()
            .and_then(|n| matches.get(n.wrapping_sub(1)))
            .map(|w| w.word.clone()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(typed: &str) -> (Option<CheckInDraft>, String) {
        let vocabulary = Vocabulary::embedded();
        let mut out = Vec::new();
        let draft = ask(
            &vocabulary,
            &FixedItems::default(),
            &mut typed.as_bytes(),
            &mut out,
        )
        .unwrap();
        (draft, String::from_utf8(out).unwrap())
    }

    #[test]
    fn walks_through_a_whole_check_in() {
        let typed = "sad\n6\nlon\n1\n\n\n-2\n-3\n3\nchest:tight:5\nelbow\n\ncalm\nwork\ncolleagues\noffice\nquiet day\n";
        let (draft, out) = run(typed);
        let d = draft.unwrap();
        assert_eq!(d.feelings.len(), 2);
        assert_eq!(d.feelings[0], FeelingRating::new("sad", Some(6)));
        assert_eq!(
            d.feelings[1],
            FeelingRating::new("lonely", None),
            "Enter at the intensity leaves it unknown, never a silent 5"
        );
        assert_eq!(
            (d.pleasantness, d.energy, d.clarity),
            (Some(-2), Some(-3), Some(3))
        );
        assert_eq!(d.body.len(), 1);
        assert!(out.contains("not a body region"));
        assert_eq!(d.showed.as_deref(), Some("calm"));
        assert_eq!(d.context.place.as_deref(), Some("office"));
        assert_eq!(d.note.as_deref(), Some("quiet day"));
    }

    #[test]
    fn nothing_can_be_saved_at_once() {
        let (draft, out) = run("nothing\n\n");
        let d = draft.unwrap();
        assert!(d.nothing && d.feelings.is_empty());
        assert_eq!(d.clarity, None);
        assert!(out.contains("Enter saves it now"), "{out}");
        assert!(!out.contains("pleasant"), "no more questions: {out}");
        assert!(!out.contains("Thank"), "thanked once, when saved: {out}");
    }

    #[test]
    fn after_nothing_more_goes_on_to_the_other_questions() {
        let (draft, _) = run("nothing\nmore\n\n\n1\n\n\n\n\n\n\n");
        let d = draft.unwrap();
        assert!(d.nothing);
        assert_eq!(d.clarity, Some(1));
    }

    fn failing_once(calls: &mut u32) -> Result<(), StoreError> {
        *calls += 1;
        match calls {
            1 => Err(StoreError::Backend("database is locked".into())),
            _ => Ok(()),
        }
    }

    #[test]
    fn a_failed_save_is_offered_again() {
        let (mut calls, mut out) = (0, Vec::new());
        save(&mut "\n".as_bytes(), &mut out, "sad 6", || {
            failing_once(&mut calls)
        })
        .unwrap();
        assert_eq!(calls, 2);
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("database is locked") && out.contains("Try saving again"),
            "{out}"
        );
    }

    #[test]
    fn declining_to_try_again_shows_the_answers() {
        let mut out = Vec::new();
        let err = save(&mut "n\n".as_bytes(), &mut out, "sad 6 · tired 4", || {
            Err(StoreError::Backend("disk full".into()))
        })
        .unwrap_err();
        assert!(format!("{err:#}").contains("not saved"), "{err:#}");
        assert!(String::from_utf8(out).unwrap().contains("sad 6 · tired 4"));
    }

    #[test]
    fn out_of_range_numbers_are_asked_again() {
        let (draft, out) = run("\n9\n4\n\n\n\n\n\n\n\n\n");
        assert_eq!(draft.unwrap().pleasantness, Some(4));
        assert!(out.contains("from -5 to 5"));
    }

    #[test]
    fn closing_the_input_saves_nothing() {
        assert!(run("sad\n6\n").0.is_none());
    }
}
