//! The feltsense domain: check-ins, the feeling vocabulary and their
//! validation.
//!
//! This crate is pure. It does no IO, reads no clock and knows no SQL, so
//! everything in it can be tested with plain values:
//!
//! ```
//! use feltsense_core::{CheckInDraft, FeelingRating, Vocabulary};
//! use chrono::DateTime;
//! use feltsense_core::when::TimeRange;
//!
//! let vocabulary = Vocabulary::embedded();
//! let draft = CheckInDraft {
//!     feelings: vec![FeelingRating { word: "sad".into(), intensity: Some(6) }],
//!     pleasantness: Some(-2),
//!     ..CheckInDraft::default()
//! };
//! let at = DateTime::parse_from_rfc3339("2026-11-25T18:00:00+01:00").unwrap();
//! let accepted = TimeRange::around("2026-12-01T00:00:00Z".parse().unwrap());
//! let check_in = draft
//!     .validate(&vocabulary, "0193-example".into(), at, &accepted)
//!     .unwrap();
//! assert_eq!(check_in.feelings[0].word, "sad");
//! ```

pub mod assessments;
mod body;
pub mod bridges;
mod checkin;
pub mod daylio;
pub mod esm_import;
pub mod exchange;
pub mod fnv;
pub mod imported;
pub mod items;
mod journal;
pub mod metrics;
pub mod practices;
pub mod reminders;
pub mod safety;
mod typed;
mod vocabulary;
pub mod when;

pub use body::{Activation, BodyRegion, BodySensation, Sensation};
pub use checkin::{CheckIn, CheckInDraft, Context, FeelingRating, Field, Origin, ValidationError};
pub use journal::{JournalEntry, SafetyPlan, ENTRY_MAX_CHARS};
pub use typed::Typed;
pub use vocabulary::{Family, FeelingWord, Vocabulary};
