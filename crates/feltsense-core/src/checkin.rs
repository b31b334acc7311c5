//! A check-in: a snapshot of what is there now.

use crate::body::BodySensation;
use crate::items::{ItemRating, MAX_RATING};
use crate::vocabulary::Vocabulary;
use crate::when::TimeRange;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest note kept, in characters.
pub const NOTE_MAX_CHARS: usize = 20_000;
/// The longest context chip (doing, with, where) or imported mood label,
/// in characters.
pub const CONTEXT_MAX_CHARS: usize = 200;

/// One feeling and how strongly it is there (1–10), or `None` when the
/// person named the word without saying how strong it is: an *unknown*
/// intensity, never a silent 5 and never 0. In JSON an absent or `null`
/// intensity is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeelingRating {
    pub word: String,
    #[serde(default)]
    pub intensity: Option<u8>,
}

impl FeelingRating {
    pub fn new(word: impl Into<String>, intensity: Option<u8>) -> FeelingRating {
        FeelingRating {
            word: word.into(),
            intensity,
        }
    }
}

/// "sad 4", or "sad (intensity not given)": an unknown intensity is never
/// shown as a number.
impl fmt::Display for FeelingRating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.intensity {
            Some(i) => write!(f, "{} {i}", self.word),
            None => write!(f, "{} (intensity not given)", self.word),
        }
    }
}

/// Where a check-in was answered, which says what it could hold: a Daylio
/// row holds a mood and activities, an ESM prompt its items; neither could
/// hold body sensations, so they never count against body awareness.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    #[default]
    Feltsense,
    Daylio,
    Esm,
}

impl Origin {
    pub fn is_feltsense(&self) -> bool {
        *self == Origin::Feltsense
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Origin::Feltsense => "feltsense",
            Origin::Daylio => "daylio",
            Origin::Esm => "esm",
        }
    }

    pub fn parse(s: &str) -> Option<Origin> {
        [Origin::Feltsense, Origin::Daylio, Origin::Esm]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// What the person was doing, with whom and where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doing: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<String>,
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

impl Context {
    pub fn is_empty(&self) -> bool {
        self.doing.is_none() && self.with.is_none() && self.place.is_none()
    }
}

/// A validated check-in, as stored. Field names are the stable names of the
/// JSON export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub id: String,
    /// When it was recorded, with the person's UTC offset at the time.
    #[serde(serialize_with = "crate::when::serialize")]
    pub at: DateTime<FixedOffset>,
    /// "I can't feel much right now": numbness is an answer, never a
    /// missing value, and never stored as intensity 0.
    pub nothing: bool,
    pub feelings: Vec<FeelingRating>,
    /// Core affect: −5 (very unpleasant) ..= +5 (very pleasant).
    pub pleasantness: Option<i8>,
    /// Core affect: −5 (very low energy) ..= +5 (very high energy).
    pub energy: Option<i8>,
    /// How clearly the person can feel what is there: 0 ..= 10.
    pub clarity: Option<u8>,
    pub body: Vec<BodySensation>,
    /// Overall body feeling, −5 (heavy) ..= +5 (light).
    pub body_overall: Option<i8>,
    /// The feeling shown to others, when it differed from what was felt.
    pub showed: Option<String>,
    pub context: Context,
    pub note: Option<String>,
    /// The mood label of the app it was imported from (Daylio's "awful"),
    /// kept as written; its pleasantness is in `pleasantness`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mood: Option<String>,
    #[serde(default, skip_serializing_if = "Origin::is_feltsense")]
    pub origin: Origin,
    /// The person's fixed items rated at this check-in, 0..=10 (see
    /// [`crate::items`]); empty when none were asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemRating>,
}

/// What a person gave, before validation. Every part is optional, but a
/// check-in needs at least one answer ("nothing" counts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckInDraft {
    pub nothing: bool,
    pub feelings: Vec<FeelingRating>,
    pub pleasantness: Option<i8>,
    pub energy: Option<i8>,
    pub clarity: Option<u8>,
    pub body: Vec<BodySensation>,
    pub body_overall: Option<i8>,
    pub showed: Option<String>,
    pub context: Context,
    pub note: Option<String>,
    pub mood: Option<String>,
    pub origin: Origin,
    pub items: Vec<ItemRating>,
}

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

impl CheckIn {
    /// Validates a check-in that already has its id and time, as read from
    /// an import file.
    pub fn revalidate(
        self,
        vocabulary: &Vocabulary,
        accepted: &TimeRange,
    ) -> Result<CheckIn, ValidationError> {
        let CheckIn { id, at, .. } = self.clone();
        CheckInDraft::from(self).validate(vocabulary, id, at, accepted)
    }

    fn is_empty(&self) -> bool {
        !self.nothing
            && self.feelings.is_empty()
            && self.pleasantness.is_none()
            && self.energy.is_none()
            && self.clarity.is_none()
            && self.body.is_empty()
            && self.body_overall.is_none()
            && self.showed.is_none()
            && self.context.is_empty()
            && self.note.is_none()
            && self.mood.is_none()
            && self.items.is_empty()
    }

    /// The imported mood label with where it came from ("Daylio mood:
    /// awful"), when there is one.
    pub fn mood_words(&self) -> Option<String> {
        let mood = self.mood.as_deref()?;
        Some(match self.origin {
            Origin::Daylio => format!("Daylio mood: {mood}"),
            _ => format!("mood: {mood}"),
        })
    }

    /// Whether the check-in could hold body sensations: made in feltsense,
    /// or given some since.
    pub fn could_hold_body(&self) -> bool {
        self.origin.is_feltsense() || !self.body.is_empty() || self.body_overall.is_some()
    }
}

impl From<CheckIn> for CheckInDraft {
    fn from(c: CheckIn) -> Self {
        CheckInDraft {
            nothing: c.nothing,
            feelings: c.feelings,
            pleasantness: c.pleasantness,
            energy: c.energy,
            clarity: c.clarity,
            body: c.body,
            body_overall: c.body_overall,
            showed: c.showed,
            context: c.context,
            note: c.note,
            mood: c.mood,
            origin: c.origin,
            items: c.items,
        }
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
    use crate::body::{BodyRegion, Sensation};

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
