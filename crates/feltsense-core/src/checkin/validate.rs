//! Validating a check-in: every value in its range, feeling words from the
//! vocabulary, notes and chips within their length; each problem names its
//! field.

use super::{CheckIn, CheckInDraft, Context, FeelingRating, CONTEXT_MAX_CHARS, NOTE_MAX_CHARS};
use crate::items::{ItemRating, MAX_RATING};
use crate::vocabulary::Vocabulary;
use crate::when::TimeRange;
use chrono::{DateTime, FixedOffset};
use std::fmt;

/// The part of a check-in a validation problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Feeling,
    Intensity,
    Pleasantness,
    Energy,
    Clarity,
    Body,
    BodyOverall,
    Showed,
    Doing,
    With,
    Where,
    Note,
    Mood,
    /// A fixed item's rating.
    Item,
    Nothing,
    Id,
    /// When the check-in happened.
    At,
}

/// Why a check-in cannot be saved as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidationError {
    OutOfRange {
        field: Field,
        value: i64,
        min: i64,
        max: i64,
    },
    UnknownWord {
        field: Field,
        word: String,
        suggestions: Vec<String>,
    },
    RepeatedWord {
        word: String,
    },
    TooLong {
        field: Field,
        max_chars: usize,
    },
    NothingWithFeelings,
    Empty,
    EmptyId,
    /// The time is outside [`TimeRange`].
    Time(crate::when::OutOfRange),
}

impl ValidationError {
    pub fn field(&self) -> Field {
        match self {
            ValidationError::OutOfRange { field, .. }
            | ValidationError::UnknownWord { field, .. }
            | ValidationError::TooLong { field, .. } => *field,
            ValidationError::RepeatedWord { .. } => Field::Feeling,
            ValidationError::NothingWithFeelings | ValidationError::Empty => Field::Nothing,
            ValidationError::EmptyId => Field::Id,
            ValidationError::Time(_) => Field::At,
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValidationError::OutOfRange {
                value, min, max, ..
            } => {
                write!(f, "{value} is outside the allowed range {min} to {max}")
            }
            ValidationError::UnknownWord {
                word, suggestions, ..
            } => {
                write!(f, "'{word}' is not in the feeling vocabulary")?;
                if !suggestions.is_empty() {
                    write!(f, "; closest words: {}", suggestions.join(", "))?;
                }
                Ok(())
            }
            ValidationError::RepeatedWord { word } => {
                write!(
                    f,
                    "'{word}' is given more than once; give it once with one intensity"
                )
            }
            ValidationError::TooLong { max_chars, .. } => {
                write!(f, "this is longer than {max_chars} characters")
            }
            ValidationError::NothingWithFeelings => write!(
                f,
                "'nothing' means no feeling could be named, so it cannot go with feeling words; \
                 numb-spectrum words such as numb or flat are there if they fit better"
            ),
            ValidationError::Empty => write!(
                f,
                "there is nothing to save yet; any one answer is enough, and \
                 'I can't feel much right now' is a valid answer"
            ),
            ValidationError::EmptyId => write!(f, "a check-in needs a non-empty id"),
            ValidationError::Time(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ValidationError {}

impl CheckInDraft {
    /// Checks every value and returns the check-in to store. Feeling words
    /// are normalised to their vocabulary spelling; `at` must lie in
    /// `accepted` (see [`TimeRange`]).
    pub fn validate(
        self,
        vocabulary: &Vocabulary,
        id: String,
        at: DateTime<FixedOffset>,
        accepted: &TimeRange,
    ) -> Result<CheckIn, ValidationError> {
        if id.trim().is_empty() {
            return Err(ValidationError::EmptyId);
        }
        accepted.check(at).map_err(ValidationError::Time)?;
        if self.nothing && !self.feelings.is_empty() {
            return Err(ValidationError::NothingWithFeelings);
        }
        let feelings = validate_feelings(self.feelings, vocabulary)?;
        range(Field::Pleasantness, self.pleasantness, -5, 5)?;
        range(Field::Energy, self.energy, -5, 5)?;
        range(Field::Clarity, self.clarity, 0, 10)?;
        range(Field::BodyOverall, self.body_overall, -5, 5)?;
        for b in &self.body {
            range(Field::Body, b.intensity, 1, 10)?;
        }
        let showed = match self.showed {
            Some(word) => Some(known_word(Field::Showed, &word, vocabulary)?),
            None => None,
        };
        let context = Context {
            doing: chip(Field::Doing, self.context.doing)?,
            with: chip(Field::With, self.context.with)?,
            place: chip(Field::Where, self.context.place)?,
        };
        // Browsers send text areas with CRLF line ends; keep one form.
        let note = self
            .note
            .map(|n| n.replace("\r\n", "\n").trim().to_string())
            .filter(|n| !n.is_empty());
        if note
            .as_ref()
            .is_some_and(|n| n.chars().count() > NOTE_MAX_CHARS)
        {
            return Err(ValidationError::TooLong {
                field: Field::Note,
                max_chars: NOTE_MAX_CHARS,
            });
        }
        let mood = chip(Field::Mood, self.mood)?;
        let items = validate_items(self.items, vocabulary)?;
        let check_in = CheckIn {
            id,
            at,
            nothing: self.nothing,
            feelings,
            pleasantness: self.pleasantness,
            energy: self.energy,
            clarity: self.clarity,
            body: self.body,
            body_overall: self.body_overall,
            showed,
            context,
            note,
            mood,
            origin: self.origin,
            items,
        };
        if check_in.is_empty() {
            return Err(ValidationError::Empty);
        }
        Ok(check_in)
    }
}

fn validate_feelings(
    feelings: Vec<FeelingRating>,
    vocabulary: &Vocabulary,
) -> Result<Vec<FeelingRating>, ValidationError> {
    let mut out: Vec<FeelingRating> = Vec::with_capacity(feelings.len());
    for f in feelings {
        let word = known_word(Field::Feeling, &f.word, vocabulary)?;
        range(Field::Intensity, f.intensity, 1, 10)?;
        if out.iter().any(|seen| seen.word == word) {
            return Err(ValidationError::RepeatedWord { word });
        }
        out.push(FeelingRating {
            word,
            intensity: f.intensity,
        });
    }
    Ok(out)
}

fn validate_items(
    items: Vec<ItemRating>,
    vocabulary: &Vocabulary,
) -> Result<Vec<ItemRating>, ValidationError> {
    let mut out: Vec<ItemRating> = Vec::with_capacity(items.len());
    for i in items {
        let word = known_word(Field::Item, &i.word, vocabulary)?;
        range(Field::Item, Some(i.rating), 0, i64::from(MAX_RATING))?;
        if out.iter().any(|seen| seen.word == word) {
            return Err(ValidationError::RepeatedWord { word });
        }
        out.push(ItemRating::new(word, i.rating));
    }
    Ok(out)
}

fn known_word(
    field: Field,
    word: &str,
    vocabulary: &Vocabulary,
) -> Result<String, ValidationError> {
    match vocabulary.get(word) {
        Some(known) => Ok(known.word.clone()),
        None => Err(ValidationError::UnknownWord {
            field,
            word: word.to_string(),
            suggestions: vocabulary
                .closest(word, 4)
                .into_iter()
                .map(String::from)
                .collect(),
        }),
    }
}

fn range<T: Into<i64> + Copy>(
    field: Field,
    value: Option<T>,
    min: i64,
    max: i64,
) -> Result<(), ValidationError> {
    match value.map(Into::into) {
        Some(v) if v < min || v > max => Err(ValidationError::OutOfRange {
            field,
            value: v,
            min,
            max,
        }),
        _ => Ok(()),
    }
}

fn chip(field: Field, value: Option<String>) -> Result<Option<String>, ValidationError> {
    let value = value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    if value
        .as_ref()
        .is_some_and(|v| v.chars().count() > CONTEXT_MAX_CHARS)
    {
        return Err(ValidationError::TooLong {
            field,
            max_chars: CONTEXT_MAX_CHARS,
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted() -> crate::when::TimeRange {
        crate::when::TimeRange::around("2026-12-01T00:00:00Z".parse().unwrap())
    }
    use crate::body::{BodyRegion, BodySensation, Sensation};

    fn at() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-25T09:30:00+01:00").unwrap()
    }

    fn check(draft: CheckInDraft) -> Result<CheckIn, ValidationError> {
        draft.validate(&Vocabulary::embedded(), "id-1".into(), at(), &accepted())
    }

    fn feel(word: &str, intensity: u8) -> FeelingRating {
        FeelingRating::new(word, Some(intensity))
    }

    #[test]
    fn nothing_alone_is_a_whole_check_in() {
        let c = check(CheckInDraft {
            nothing: true,
            ..Default::default()
        })
        .unwrap();
        assert!(c.nothing);
        assert!(c.feelings.is_empty());
    }

    #[test]
    fn an_empty_check_in_is_refused_gently() {
        let e = check(CheckInDraft::default()).unwrap_err();
        assert_eq!(e, ValidationError::Empty);
        assert!(e.to_string().contains("valid answer"));
    }

    #[test]
    fn out_of_range_names_the_field_and_range() {
        let e = check(CheckInDraft {
            pleasantness: Some(7),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            e,
            ValidationError::OutOfRange {
                field: Field::Pleasantness,
                value: 7,
                min: -5,
                max: 5
            }
        );
        let e = check(CheckInDraft {
            feelings: vec![feel("sad", 0)],
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field(), Field::Intensity);
        let e = check(CheckInDraft {
            clarity: Some(11),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field(), Field::Clarity);
    }

    #[test]
    fn unknown_words_come_with_suggestions() {
        let e = check(CheckInDraft {
            feelings: vec![feel("sadd", 3)],
            ..Default::default()
        })
        .unwrap_err();
        match e {
            ValidationError::UnknownWord { suggestions, .. } => {
                assert_eq!(suggestions[0], "sad")
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn words_are_normalised_and_not_repeated() {
        let c = check(CheckInDraft {
            feelings: vec![feel("  SAD", 3)],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.feelings[0].word, "sad");
        let e = check(CheckInDraft {
            feelings: vec![feel("sad", 3), feel("Sad", 4)],
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e, ValidationError::RepeatedWord { word: "sad".into() });
    }

    #[test]
    fn nothing_cannot_carry_feelings() {
        let e = check(CheckInDraft {
            nothing: true,
            feelings: vec![feel("sad", 3)],
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e, ValidationError::NothingWithFeelings);
    }

    #[test]
    fn body_intensity_is_checked() {
        let e = check(CheckInDraft {
            body: vec![BodySensation {
                region: BodyRegion::Chest,
                activation: None,
                sensation: Some(Sensation::Tight),
                intensity: Some(12),
            }],
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field(), Field::Body);
    }

    #[test]
    fn blank_notes_and_chips_are_dropped() {
        let c = check(CheckInDraft {
            clarity: Some(3),
            note: Some("   ".into()),
            context: Context {
                doing: Some(" work ".into()),
                with: Some("".into()),
                place: None,
            },
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.note, None);
        assert_eq!(c.context.doing.as_deref(), Some("work"));
        assert_eq!(c.context.with, None);
    }

    #[test]
    fn notes_keep_one_kind_of_line_end() {
        let c = check(CheckInDraft {
            note: Some("one\r\ntwo\r\n".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.note.as_deref(), Some("one\ntwo"));
    }

    #[test]
    fn json_field_names_are_stable() {
        let c = check(CheckInDraft {
            feelings: vec![feel("sad", 6)],
            context: Context {
                place: Some("office".into()),
                ..Default::default()
            },
            ..Default::default()
        })
        .unwrap();
        let json = serde_json::to_value(&c).unwrap();
        for key in [
            "id",
            "at",
            "nothing",
            "feelings",
            "pleasantness",
            "energy",
            "clarity",
            "body",
            "body_overall",
            "showed",
            "context",
            "note",
        ] {
            assert!(json.get(key).is_some(), "missing {key}");
        }
        assert_eq!(json["context"]["where"], "office");
        assert_eq!(json["at"], "2026-11-25T09:30:00+01:00");
    }
}
