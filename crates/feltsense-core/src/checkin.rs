//! A check-in: a snapshot of what is there now.

use crate::body::BodySensation;
use crate::items::ItemRating;
use crate::vocabulary::Vocabulary;
use crate::when::TimeRange;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::fmt;

mod validate;
pub use validate::{Field, ValidationError};

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
