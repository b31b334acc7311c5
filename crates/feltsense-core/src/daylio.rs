//! Daylio's CSV export (`full_date,date,weekday,time,mood,activities,note`,
//! newer versions add `note_title`), read into check-ins: the mood label
//! (which Daylio lets people rename) mapped to pleasantness through a
//! shown, overridable table, activities into "doing", the note kept. Ids
//! come from the row's content, so importing the same file twice adds
//! nothing. Pure: the caller turns local date-times into instants.

use crate::when::TimeRange;
use crate::{CheckIn, CheckInDraft, Context, ValidationError, Vocabulary};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::BTreeMap;
use std::hash::Hasher;

/// Daylio's five default moods and the pleasantness each maps to.
pub const DEFAULT_MOODS: [(&str, i8); 5] = [
    ("rad", 4),
    ("good", 2),
    ("meh", 0),
    ("bad", -2),
    ("awful", -4),
];

pub fn default_mood_map() -> BTreeMap<String, i8> {
    DEFAULT_MOODS
        .iter()
        .map(|(m, p)| (m.to_string(), *p))
        .collect()
}

/// `label=value,label=value` over the defaults; values −5..5.
pub fn mood_map(overrides: &str) -> Result<BTreeMap<String, i8>, String> {
    let mut map = default_mood_map();
    for pair in overrides
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (label, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("'{pair}' is not label=value"))?;
        let value: i8 = value
            .trim()
            .parse()
            .ok()
            .filter(|v| (-5..=5).contains(v))
            .ok_or_else(|| format!("'{pair}': the value must be -5 to 5"))?;
        map.insert(label.trim().to_lowercase(), value);
    }
    Ok(map)
}

/// Where a row could not be read: 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// Reads the whole export; the first problem stops it (all or nothing).
pub fn parse(
    text: &str,
    moods: &BTreeMap<String, i8>,
    vocabulary: &Vocabulary,
    accepted: &TimeRange,
    local: impl Fn(NaiveDateTime) -> Option<DateTime<FixedOffset>>,
) -> Result<Vec<CheckIn>, RowError> {
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
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(date_c), Some(time_c), Some(mood_c)) = (col("full_date"), col("time"), col("mood"))
    else {
        return Err(RowError {
            line: 1,
            column: 1,
            message: "this is not a Daylio export: it needs full_date, time and mood columns"
                .into(),
        });
    };
    let (activities_c, note_c, title_c) = (col("activities"), col("note"), col("note_title"));
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| RowError {
            line: e.position().map_or(0, |p| p.line()),
            column: 1,
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |c: usize| record.get(c).unwrap_or_default().trim();
        let bad = |c: usize, message: String| RowError {
            line,
            column: c + 1,
            message,
        };
        let date = NaiveDate::parse_from_str(field(date_c), "%Y-%m-%d").map_err(|_| {
            bad(
                date_c,
                format!("'{}' is not a date like 2026-11-24", field(date_c)),
            )
        })?;
        let time = ["%H:%M", "%I:%M %p", "%H:%M:%S"]
            .iter()
            .find_map(|f| NaiveTime::parse_from_str(field(time_c), f).ok())
            .ok_or_else(|| {
                bad(
                    time_c,
                    format!("'{}' is not a time like 21:30 or 9:30 PM", field(time_c)),
                )
            })?;
        let at = local(date.and_time(time)).ok_or_else(|| {
            bad(
                time_c,
                "this time does not exist in the local time zone".into(),
            )
        })?;
        let mood = field(mood_c).to_lowercase();
        let pleasantness = *moods
            .get(&mood)
            .ok_or_else(|| bad(mood_c, format!("the mood '{mood}' is not in the mood map; add it with --mood-map \"{mood}=N\" (N from -5 to 5)")))?;
        let activities: Vec<&str> = activities_c
            .map(field)
            .unwrap_or_default()
            .split('|')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect();
        let title = title_c.map(field).unwrap_or_default();
        let body = note_c.map(field).unwrap_or_default();
        let note = match (title.is_empty(), body.is_empty()) {
            (true, true) => None,
            (false, true) => Some(title.to_string()),
            (true, false) => Some(body.to_string()),
            (false, false) => Some(format!("{title}\n{body}")),
        };
        let draft = CheckInDraft {
            pleasantness: Some(pleasantness),
            context: Context {
                doing: (!activities.is_empty()).then(|| activities.join(", ")),
                ..Context::default()
            },
            note,
            ..CheckInDraft::default()
        };
        let mut h = crate::fnv::Fnv::default();
        for part in [
            field(date_c),
            field(time_c),
            &mood,
            &activities.join("|"),
            title,
            body,
        ] {
            h.write(part.as_bytes());
            h.write(&[0]);
        }
        let id = format!("daylio-{:016x}", h.finish());
        out.push(
            draft
                .validate(vocabulary, id, at, accepted)
                .map_err(|e| match e {
                    ValidationError::Time(_) => bad(date_c, e.to_string()),
                    _ => bad(mood_c, e.to_string()),
                })?,
        );
    }
    Ok(out)
}

/// Test support for the import parsers' mutation tests: `text` with 1–6
/// random bytes from `alphabet` replaced, inserted or deleted.
#[cfg(test)]
pub(crate) fn mutate(
    text: &str,
    rng: &mut crate::reminders::SplitMix64,
    alphabet: &[u8],
) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..(rng.next() % 6 + 1) {
        let at = (rng.next() as usize) % (bytes.len() + 1);
        let b = alphabet[(rng.next() as usize) % alphabet.len()];
        match rng.next() % 3 {
            0 if at < bytes.len() => bytes[at] = b,
            1 => bytes.insert(at, b),
            _ if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
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

    const SAMPLE: &str = "full_date,date,weekday,time,mood,activities,note_title,note\n\
        2026-11-24,November 24,Tuesday,21:30,meh,work | friends,,\"long day, \"\"fine\"\"\"\n\
        2026-11-23,November 23,Monday,9:05 AM,rad,,Walk,by the river\n";

    #[test]
    fn rows_become_check_ins_with_stable_ids() {
        let v = Vocabulary::embedded();
        let rows = parse(SAMPLE, &default_mood_map(), &v, &accepted(), utc).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].pleasantness, Some(0));
        assert_eq!(rows[0].context.doing.as_deref(), Some("work, friends"));
        assert_eq!(rows[0].note.as_deref(), Some("long day, \"fine\""));
        assert_eq!(rows[1].at.to_rfc3339(), "2026-11-23T09:05:00+00:00");
        assert_eq!(rows[1].note.as_deref(), Some("Walk\nby the river"));
        assert_eq!(
            parse(SAMPLE, &default_mood_map(), &v, &accepted(), utc).unwrap()[0].id,
            rows[0].id,
            "same row, same id"
        );
    }

    #[test]
    fn renamed_moods_need_the_map_and_errors_are_located() {
        let v = Vocabulary::embedded();
        let renamed = SAMPLE.replace(",meh,", ",so-so,");
        let err = parse(&renamed, &default_mood_map(), &v, &accepted(), utc).unwrap_err();
        assert_eq!((err.line, err.column), (2, 5));
        assert!(err.message.contains("--mood-map \"so-so=N\""));
        let map = mood_map("so-so=-1").unwrap();
        assert_eq!(
            parse(&renamed, &map, &v, &accepted(), utc).unwrap()[0].pleasantness,
            Some(-1)
        );
        assert!(mood_map("rad=9").is_err());
        let bad_date = SAMPLE.replace("2026-11-23,", "23/11/2026,");
        assert_eq!(
            parse(&bad_date, &default_mood_map(), &v, &accepted(), utc)
                .unwrap_err()
                .line,
            3
        );
        assert!(
            parse("a,b\n1,2\n", &default_mood_map(), &v, &accepted(), utc)
                .unwrap_err()
                .message
                .contains("not a Daylio export")
        );
    }

    /// A property test standing in for a fuzzer: seeded random mutations of
    /// a valid export (bytes replaced, inserted, deleted, lines shuffled)
    /// never panic, and every refusal names a line.
    #[test]
    fn random_mutations_never_panic() {
        let v = Vocabulary::embedded();
        let mut rng = crate::reminders::SplitMix64::new(20_261_125);
        let alphabet = b",\"\n\r|:-0123456789 abcdefmoodrad\xc3\xa9";
        for _ in 0..3_000 {
            let text = mutate(SAMPLE, &mut rng, alphabet);
            if let Err(e) = parse(&text, &default_mood_map(), &v, &accepted(), utc) {
                assert!(e.line >= 1 || e.message.contains("CSV"), "{e:?}");
            }
        }
    }
}
