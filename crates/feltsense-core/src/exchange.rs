//! The feltsense exchange formats: JSON (lossless, round-trips exactly)
//! and CSV (one row a check-in, for spreadsheets).

use crate::assessments::{self, Response};
use crate::bridges::Bridge;
use crate::items::FixedItems;
use crate::when::TimeRange;
use crate::{CheckIn, JournalEntry, SafetyPlan, ValidationError, Vocabulary};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The `format` field of a feltsense JSON export.
pub const FORMAT: &str = "feltsense";
/// The newest JSON version this build reads and writes. Version 1 held
/// check-ins, journal entries and bridges; version 2 adds questionnaire
/// responses and the safety plan; version 3 lets a feeling's intensity be
/// unknown (`null`) and keeps an imported check-in's mood label and origin.
/// Every earlier version still imports.
pub const VERSION: u32 = 3;

/// A whole JSON export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub checkins: Vec<CheckIn>,
    /// Journal entries (absent in files written before the journal).
    #[serde(default)]
    pub journal: Vec<JournalEntry>,
    /// Bridge sessions (absent in files written before bridges).
    #[serde(default)]
    pub bridges: Vec<Bridge>,
    /// Questionnaire responses (version 2 on).
    #[serde(default)]
    pub assessments: Vec<Response>,
    /// The safety plan, `null` when none was written (version 2 on).
    #[serde(default)]
    pub safety_plan: Option<SafetyPlan>,
    /// The chosen fixed items (version 3 on; absent when none are chosen).
    #[serde(default, skip_serializing_if = "FixedItems::is_empty")]
    pub fixed_items: FixedItems,
}

impl Export {
    pub fn new(checkins: Vec<CheckIn>) -> Export {
        Export {
            format: FORMAT.to_string(),
            version: VERSION,
            checkins,
            journal: Vec::new(),
            bridges: Vec::new(),
            assessments: Vec::new(),
            safety_plan: None,
            fixed_items: FixedItems::default(),
        }
    }

    pub fn with_journal(checkins: Vec<CheckIn>, journal: Vec<JournalEntry>) -> Export {
        Export {
            journal,
            ..Export::new(checkins)
        }
    }
}

/// Why an import file cannot be read. Positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The text is not valid JSON of the expected shape.
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// The file is JSON but not a feltsense export this build reads.
    Format(String),
    /// Record `index` (1-based, in file order) is not a valid check-in.
    Record {
        index: usize,
        id: String,
        error: ValidationError,
    },
    /// Journal entry `index` (1-based) cannot be kept.
    Journal {
        index: usize,
        id: String,
        message: String,
    },
    /// Bridge session `index` (1-based) cannot be kept.
    Bridge {
        index: usize,
        id: String,
        message: String,
    },
    /// Questionnaire response `index` (1-based) cannot be kept.
    Assessment {
        index: usize,
        id: String,
        message: String,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Syntax {
                line,
                column,
                message,
            } => {
                write!(f, "line {line}, column {column}: {message}")
            }
            ImportError::Format(message) => f.write_str(message),
            ImportError::Record { index, id, error } => {
                write!(f, "check-in {index} (id {id}): {error}")
            }
            ImportError::Journal { index, id, message } => {
                write!(f, "journal entry {index} (id {id}): {message}")
            }
            ImportError::Bridge { index, id, message } => {
                write!(f, "bridge {index} (id {id}): {message}")
            }
            ImportError::Assessment { index, id, message } => {
                write!(f, "questionnaire response {index} (id {id}): {message}")
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// The file as written by `export` (an object with `format`, `version`,
/// `checkins`) or by `log --json` (a bare array of check-ins).
#[derive(Deserialize)]
#[serde(untagged)]
enum AnyExport {
    Whole(Box<Export>),
    Records(Vec<CheckIn>),
}

/// Reads and validates a JSON export. Every record is checked before any is
/// returned, so an import can be all or nothing.
pub fn parse_json(
    text: &str,
    vocabulary: &Vocabulary,
    accepted: &TimeRange,
) -> Result<Export, ImportError> {
    // Parse to a value first so syntax errors carry their position; the
    // untagged shape match would otherwise lose it.
    let value: serde_json::Value = serde_json::from_str(text).map_err(syntax)?;
    let records = match value {
        serde_json::Value::Object(ref o) => {
            let format = o.get("format").and_then(|f| f.as_str()).unwrap_or_default();
            if format != FORMAT {
                return Err(ImportError::Format(format!(
                    "this is not a feltsense export (its \"format\" is {:?}, expected \"{FORMAT}\")",
                    format
                )));
            }
            let version = o.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
            if version == 0 || version > u64::from(VERSION) {
                return Err(ImportError::Format(format!(
                    "export version {version} is not one this feltsense reads (it reads up to {VERSION})"
                )));
            }
            shape(text)?
        }
        serde_json::Value::Array(_) => shape(text)?,
        _ => {
            return Err(ImportError::Format(
                "expected a feltsense export object or a list of check-ins".into(),
            ))
        }
    };
    Ok(Export {
        checkins: check_checkins(records.checkins, vocabulary, accepted)?,
        journal: check_journal(records.journal, accepted)?,
        bridges: check_bridges(records.bridges, vocabulary, accepted)?,
        assessments: check_assessments(records.assessments, accepted)?,
        safety_plan: records.safety_plan.filter(|p| *p != SafetyPlan::default()),
        fixed_items: check_items(&records.fixed_items, vocabulary)?,
        format: FORMAT.to_string(),
        version: VERSION,
    })
}

/// The chosen items, checked as when they were chosen.
fn check_items(items: &FixedItems, vocabulary: &Vocabulary) -> Result<FixedItems, ImportError> {
    if items.is_empty() {
        return Ok(FixedItems::default());
    }
    FixedItems::choose(items.words().iter().map(String::as_str), vocabulary)
        .map_err(|e| ImportError::Format(format!("the chosen items (\"fixed_items\"): {e}")))
}

fn check_checkins(
    checkins: Vec<CheckIn>,
    vocabulary: &Vocabulary,
    accepted: &TimeRange,
) -> Result<Vec<CheckIn>, ImportError> {
    checkins
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let id = c.id.clone();
            c.revalidate(vocabulary, accepted)
                .map_err(|error| ImportError::Record {
                    index: i + 1,
                    id,
                    error,
                })
        })
        .collect()
}

fn check_journal(
    journal: Vec<JournalEntry>,
    accepted: &TimeRange,
) -> Result<Vec<JournalEntry>, ImportError> {
    journal
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let fail = |message: String| ImportError::Journal {
                index: i + 1,
                id: e.id.clone(),
                message,
            };
            if e.id.trim().is_empty() {
                return Err(fail("it has no id".into()));
            }
            accepted.check(e.at).map_err(|t| fail(t.to_string()))?;
            JournalEntry::new(e.id.clone(), e.at, &e.text).map_err(fail)
        })
        .collect()
}

fn check_bridges(
    bridges: Vec<Bridge>,
    vocabulary: &Vocabulary,
    accepted: &TimeRange,
) -> Result<Vec<Bridge>, ImportError> {
    bridges
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let fail = |message: String| ImportError::Bridge {
                index: i + 1,
                id: b.id.clone(),
                message,
            };
            if b.id.trim().is_empty() {
                return Err(fail("it has no id".into()));
            }
            accepted
                .check(b.started)
                .map_err(|t| fail(format!("its start: {t}")))?;
            if let Some(ended) = b.ended {
                accepted
                    .check(ended)
                    .map_err(|t| fail(format!("its end: {t}")))?;
            }
            let micro = |m: crate::bridges::Micro| m.validate(vocabulary);
            let before = micro(b.before.clone()).map_err(|e| fail(e.to_string()))?;
            let after = match b.after.clone() {
                Some(a) => Some(micro(a).map_err(|e| fail(e.to_string()))?),
                None => None,
            };
            Ok(Bridge { before, after, ..b })
        })
        .collect()
}

fn check_assessments(
    responses: Vec<Response>,
    accepted: &TimeRange,
) -> Result<Vec<Response>, ImportError> {
    responses
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let fail = |message: String| ImportError::Assessment {
                index: i + 1,
                id: r.id.clone(),
                message,
            };
            if r.id.trim().is_empty() {
                return Err(fail("it has no id".into()));
            }
            accepted
                .check(r.at)
                .map_err(|t| fail(format!("its time: {t}")))?;
            assessments::ALL
                .iter()
                .find(|d| d.instrument == r.instrument)
                .map_or(Ok(()), |d| d.check(&r.answers))
                .map_err(fail)?;
            Ok(r)
        })
        .collect()
}

/// Deserialises the typed shape straight from the text, so a wrong field
/// reports the line and column where it is.
fn shape(text: &str) -> Result<Export, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = match text.trim_start().starts_with('[') {
        true => Vec::<CheckIn>::deserialize(&mut de).map(AnyExport::Records),
        false => Export::deserialize(&mut de).map(|e| AnyExport::Whole(Box::new(e))),
    };
    match parsed.map_err(syntax)? {
        AnyExport::Whole(e) => Ok(*e),
        AnyExport::Records(r) => Ok(Export::new(r)),
    }
}

fn syntax(e: serde_json::Error) -> ImportError {
    let message = e.to_string();
    // serde_json appends " at line L column C"; the position is reported separately.
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    ImportError::Syntax {
        line: e.line(),
        column: e.column(),
        message,
    }
}

/// The CSV header, in column order.
pub const CSV_HEADER: [&str; 15] = [
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
    "doing",
    "with",
    "where",
    "note",
    "mood",
];

/// One CSV file: feelings as `word:intensity;...` (a word alone when its
/// intensity is unknown), body as
/// `region:activation:sensation:intensity;...` with empty parts left out.
pub fn to_csv(check_ins: &[CheckIn]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for c in check_ins {
        let feelings: Vec<String> = c
            .feelings
            .iter()
            .map(|f| match f.intensity {
                Some(i) => format!("{}:{i}", f.word),
                None => f.word.clone(),
            })
            .collect();
        let body: Vec<String> = c
            .body
            .iter()
            .map(|b| {
                let mut parts = vec![b.region.as_str().to_string()];
                parts.extend(b.activation.map(|a| a.as_str().to_string()));
                parts.extend(b.sensation.map(|s| s.as_str().to_string()));
                parts.extend(b.intensity.map(|i| i.to_string()));
                parts.join(":")
            })
            .collect();
        let opt = |v: Option<String>| v.unwrap_or_default();
        w.write_record([
            c.id.clone(),
            c.at.to_rfc3339(),
            c.nothing.to_string(),
            feelings.join(";"),
            opt(c.pleasantness.map(|v| v.to_string())),
            opt(c.energy.map(|v| v.to_string())),
            opt(c.clarity.map(|v| v.to_string())),
            body.join(";"),
            opt(c.body_overall.map(|v| v.to_string())),
            opt(c.showed.clone()),
            opt(c.context.doing.clone()),
            opt(c.context.with.clone()),
            opt(c.context.place.clone()),
            opt(c.note.clone()),
            opt(c.mood.clone()),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CheckInDraft, FeelingRating};

    fn accepted() -> TimeRange {
        TimeRange::around("2026-12-01T00:00:00Z".parse().unwrap())
    }

    fn one() -> CheckIn {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-25T09:30:00+01:00").unwrap();
        CheckInDraft {
            feelings: vec![FeelingRating::new("sad", Some(6))],
            note: Some("a note, with \"quotes\"\nand a new line".into()),
            ..Default::default()
        }
        .validate(&Vocabulary::embedded(), "id-1".into(), at, &accepted())
        .unwrap()
    }

    #[test]
    fn json_round_trips_exactly() {
        let v = Vocabulary::embedded();
        let text = serde_json::to_string_pretty(&Export::new(vec![one()])).unwrap();
        assert_eq!(
            parse_json(&text, &v, &accepted()).unwrap().checkins,
            vec![one()]
        );
        let bare = serde_json::to_string(&vec![one()]).unwrap();
        assert_eq!(
            parse_json(&bare, &v, &accepted()).unwrap().checkins,
            vec![one()]
        );
    }

    #[test]
    fn journal_entries_round_trip_and_are_checked() {
        let v = Vocabulary::embedded();
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-25T21:00:00+01:00").unwrap();
        let entry = JournalEntry::new("j-1".into(), at, "Quiet, “grey” day 🌧\nstill here").unwrap();
        let text =
            serde_json::to_string(&Export::with_journal(vec![one()], vec![entry.clone()])).unwrap();
        let back = parse_json(&text, &v, &accepted()).unwrap();
        assert_eq!(back.journal, vec![entry.clone()]);
        let mut blank = serde_json::to_value(Export::with_journal(vec![], vec![entry])).unwrap();
        blank["journal"][0]["text"] = serde_json::json!("   ");
        let err = parse_json(&blank.to_string(), &v, &accepted()).unwrap_err();
        assert!(
            err.to_string().starts_with("journal entry 1 (id j-1)"),
            "{err}"
        );
        let old = r#"{"format":"feltsense","version":1,"checkins":[]}"#;
        assert!(
            parse_json(old, &v, &accepted()).unwrap().journal.is_empty(),
            "files from before the journal still import"
        );
    }

    #[test]
    fn bridges_out_of_range_are_named_by_position_and_id() {
        let v = Vocabulary::embedded();
        let bridge = serde_json::json!({
            "id": "b-1", "kind": "music", "label": "old songs",
            "started": "2026-11-25T20:00:00+01:00",
            "before": {"feeling": null, "intensity": null, "clarity": 2, "body_noticed": false},
            "ended": "-0001-01-01T00:00:00Z"
        });
        let mut file = serde_json::json!({
            "format": "feltsense", "version": 1, "checkins": [], "bridges": [bridge]
        });
        let ok = parse_json(
            &file.to_string().replace("-0001-01-01", "2026-11-25"),
            &v,
            &accepted(),
        );
        assert_eq!(ok.unwrap().bridges.len(), 1);
        let err = parse_json(&file.to_string(), &v, &accepted()).unwrap_err();
        assert!(
            err.to_string().starts_with("bridge 1 (id b-1): its end:")
                && err
                    .to_string()
                    .contains("outside the times feltsense accepts"),
            "{err}"
        );
        file["bridges"][0]["ended"] = serde_json::Value::Null;
        file["bridges"][0]["started"] = serde_json::json!("+12026-01-01T00:00:00Z");
        let err = parse_json(&file.to_string(), &v, &accepted()).unwrap_err();
        assert!(
            matches!(err, ImportError::Bridge { index: 1, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let v = Vocabulary::embedded();
        let err = parse_json(
            "{\n  \"format\": \"feltsense\",\n  \"version\": 1,\n  \"checkins\": [ {\"id\": } ]\n}",
            &v,
            &accepted(),
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                ImportError::Syntax {
                    line: 4,
                    column: 24,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn a_wrong_field_is_located() {
        let v = Vocabulary::embedded();
        let mut record = serde_json::to_value(one()).unwrap();
        record["pleasantness"] = serde_json::json!("very");
        let text = serde_json::to_string_pretty(&serde_json::json!({
            "format": "feltsense", "version": 1, "checkins": [record]
        }))
        .unwrap();
        match parse_json(&text, &v, &accepted()).unwrap_err() {
            ImportError::Syntax { line, message, .. } => {
                assert!(line > 1);
                assert!(message.contains("invalid type"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn invalid_records_are_named_by_position() {
        let v = Vocabulary::embedded();
        let mut bad = one();
        bad.id = "id-2".into();
        bad.feelings[0].word = "sadd".into();
        let text = serde_json::to_string(&Export::new(vec![one(), bad])).unwrap();
        let err = parse_json(&text, &v, &accepted()).unwrap_err();
        assert!(
            matches!(err, ImportError::Record { index: 2, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("id-2"));
    }

    #[test]
    fn other_formats_and_versions_are_refused() {
        let v = Vocabulary::embedded();
        let err = parse_json(
            r#"{"format":"daylio","version":1,"checkins":[]}"#,
            &v,
            &accepted(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("not a feltsense export"));
        let err = parse_json(
            r#"{"format":"feltsense","version":9,"checkins":[]}"#,
            &v,
            &accepted(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("version 9"));
    }

    #[test]
    fn csv_has_one_row_per_check_in_and_survives_quotes() {
        let bytes = to_csv(&[one()]).unwrap();
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), CSV_HEADER);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][3], "sad:6");
        assert_eq!(&rows[0][13], "a note, with \"quotes\"\nand a new line");
    }
}
