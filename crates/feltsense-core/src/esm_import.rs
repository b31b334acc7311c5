//! A generic experience-sampling CSV (one row per prompt) read into
//! check-ins through a mapping: which column is the time, which columns
//! are feeling items (each mapped to a vocabulary word) and on which scale.
//! A rating at the scale's minimum means "not at all" and is left out; the
//! rest become intensities 1–10, `1 + 9 (r − min) / (max − min)` rounded.
//! A prompt with every item at the minimum is "nothing"; a prompt with
//! every item missing was not answered and is skipped (and counted). Ids
//! come from the row's content, so a second import adds nothing.

use crate::daylio::RowError;
use crate::when::TimeRange;
use crate::{CheckIn, CheckInDraft, FeelingRating, Vocabulary};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use std::hash::Hasher;

/// The mapping, as read from the mapping file.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub time_column: String,
    /// A chrono format for naive local times; RFC 3339 is always accepted.
    pub time_format: Option<String>,
    pub min: f64,
    pub max: f64,
    /// (column, vocabulary word)
    pub items: Vec<(String, String)>,
    /// Only rows whose `column` equals `value` (one participant of a study).
    pub only: Option<(String, String)>,
}

#[derive(Debug)]
pub struct Parsed {
    pub checkins: Vec<CheckIn>,
    pub skipped: usize,
}

pub fn parse(
    text: &str,
    mapping: &Mapping,
    vocabulary: &Vocabulary,
    accepted: &TimeRange,
    local: impl Fn(NaiveDateTime) -> Option<DateTime<FixedOffset>>,
) -> Result<Parsed, RowError> {
    if mapping.max <= mapping.min {
        return Err(RowError {
            line: 0,
            column: 0,
            message: "the scale's max must be above its min".into(),
        });
    }
    for (_, word) in &mapping.items {
        if vocabulary.get(word).is_none() {
            return Err(RowError {
                line: 0,
                column: 0,
                message: format!("'{word}' in the mapping is not a feeling word of the vocabulary"),
            });
        }
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| RowError {
            line: 1,
            column: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let find = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| RowError {
                line: 1,
                column: 1,
                message: format!("the mapping names a column '{name}' that the file does not have"),
            })
    };
    let time_c = find(&mapping.time_column)?;
    let items: Vec<(usize, &str)> = mapping
        .items
        .iter()
        .map(|(c, w)| Ok((find(c)?, w.as_str())))
        .collect::<Result<_, RowError>>()?;
    let only = match &mapping.only {
        Some((c, v)) => Some((find(c)?, v.as_str())),
        None => None,
    };
    let mut parsed = Parsed {
        checkins: Vec::new(),
        skipped: 0,
    };
    for record in reader.records() {
        let record = record.map_err(|e| RowError {
            line: e.position().map_or(0, |p| p.line()),
            column: 1,
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |c: usize| record.get(c).unwrap_or_default().trim();
        if only.is_some_and(|(c, v)| field(c) != v) {
            continue;
        }
        let bad = |c: usize, message: String| RowError {
            line,
            column: c + 1,
            message,
        };
        let raw = field(time_c);
        let at = match DateTime::parse_from_rfc3339(raw) {
            Ok(t) => t,
            Err(_) => {
                let format = mapping
                    .time_format
                    .as_deref()
                    .unwrap_or("%Y-%m-%d %H:%M:%S");
                let naive = NaiveDateTime::parse_from_str(raw, format).map_err(|_| {
                    bad(
                        time_c,
                        format!("'{raw}' does not match the time format {format}"),
                    )
                })?;
                local(naive).ok_or_else(|| {
                    bad(
                        time_c,
                        "this time does not exist in the local time zone".into(),
                    )
                })?
            }
        };
        let mut feelings = Vec::new();
        let mut answered = 0;
        for &(c, word) in &items {
            let cell = field(c);
            if cell.is_empty() || cell.eq_ignore_ascii_case("na") {
                continue;
            }
            let r: f64 = cell
                .parse()
                .map_err(|_| bad(c, format!("'{cell}' is not a number")))?;
            if !(mapping.min..=mapping.max).contains(&r) {
                return Err(bad(
                    c,
                    format!(
                        "{r} is outside the scale {} to {}",
                        mapping.min, mapping.max
                    ),
                ));
            }
            answered += 1;
            if r > mapping.min {
                let intensity =
                    (1.0 + 9.0 * (r - mapping.min) / (mapping.max - mapping.min)).round() as u8;
                feelings.push(FeelingRating {
                    word: word.to_string(),
                    intensity,
                });
            }
        }
        if answered == 0 {
            parsed.skipped += 1;
            continue;
        }
        let mut h = crate::fnv::Fnv::default();
        for i in 0..record.len() {
            h.write(field(i).as_bytes());
            h.write(&[0]);
        }
        let id = format!("esm-{:016x}", h.finish());
        let draft = CheckInDraft {
            nothing: feelings.is_empty(),
            feelings,
            ..CheckInDraft::default()
        };
        parsed.checkins.push(
            draft
                .validate(vocabulary, id, at, accepted)
                .map_err(|e| bad(time_c, e.to_string()))?,
        );
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted() -> crate::when::TimeRange {
        crate::when::TimeRange::around("2026-12-01T00:00:00Z".parse().unwrap())
    }
    use chrono::TimeZone;

    fn utc(n: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        FixedOffset::east_opt(0)
            .unwrap()
            .from_local_datetime(&n)
            .single()
    }

    fn mapping() -> Mapping {
        Mapping {
            time_column: "timestamp".into(),
            time_format: None,
            min: 1.0,
            max: 7.0,
            items: vec![("h".into(), "happy".into()), ("s".into(), "sad".into())],
            only: None,
        }
    }

    #[test]
    fn ratings_become_intensities_and_minimums_are_not_felt() {
        let v = Vocabulary::embedded();
        let text = "pid,timestamp,h,s\nP1,2026-11-24 10:00:00,7,1\nP1,2026-11-24 14:00:00,1,1\nP1,2026-11-24 18:00:00,,\nP1,2026-11-24 20:00:00,4,NA\n";
        let p = parse(text, &mapping(), &v, &accepted(), utc).unwrap();
        assert_eq!(p.checkins.len(), 3);
        assert_eq!(p.skipped, 1, "the unanswered prompt");
        assert_eq!(
            p.checkins[0].feelings,
            vec![FeelingRating {
                word: "happy".into(),
                intensity: 10
            }]
        );
        assert!(p.checkins[1].nothing, "everything at 'not at all'");
        assert_eq!(
            p.checkins[2].feelings[0].intensity, 6,
            "4 on 1..7 is 1 + 9 * 3/6 = 5.5, rounded up"
        );
        assert_eq!(
            parse(text, &mapping(), &v, &accepted(), utc)
                .unwrap()
                .checkins[0]
                .id,
            p.checkins[0].id
        );
    }

    #[test]
    fn problems_are_located() {
        let v = Vocabulary::embedded();
        let err = parse(
            "pid,timestamp,h,s\nP1,2026-11-24 10:00:00,9,1\n",
            &mapping(),
            &v,
            &accepted(),
            utc,
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (2, 3));
        let err = parse("pid,time,h,s\n", &mapping(), &v, &accepted(), utc).unwrap_err();
        assert!(err.message.contains("'timestamp'"));
        let err = parse(
            "pid,timestamp,h,s\nP1,yesterday,1,1\n",
            &mapping(),
            &v,
            &accepted(),
            utc,
        )
        .unwrap_err();
        assert!(err.message.contains("time format"));
        let wrong = Mapping {
            items: vec![("h".into(), "glee".into())],
            ..mapping()
        };
        assert!(parse("pid,timestamp,h\n", &wrong, &v, &accepted(), utc)
            .unwrap_err()
            .message
            .contains("'glee'"));
    }

    #[test]
    fn one_participant_can_be_chosen_and_mutations_never_panic() {
        let v = Vocabulary::embedded();
        let text = "pid,timestamp,h,s\nP1,2026-11-24 10:00:00,7,1\nP2,2026-11-24 10:00:00,2,6\n";
        let only = Mapping {
            only: Some(("pid".into(), "P2".into())),
            ..mapping()
        };
        assert_eq!(
            parse(text, &only, &v, &accepted(), utc).unwrap().checkins[0]
                .feelings
                .len(),
            2
        );
        let mut rng = crate::reminders::SplitMix64::new(7);
        let alphabet = b",\"\n|:-0123456789 NAP\xc3\xa9";
        for _ in 0..3_000 {
            let mutated = crate::daylio::mutate(text, &mut rng, alphabet);
            let _ = parse(&mutated, &mapping(), &v, &accepted(), utc);
        }
    }
}
