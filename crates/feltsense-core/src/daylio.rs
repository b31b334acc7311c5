//! Daylio's CSV export (`full_date,date,weekday,time,mood,activities,note`,
//! newer versions add `note_title`), read into check-ins: the mood label
//! (which Daylio lets people rename) mapped to pleasantness through a
//! shown, overridable table, activities into "doing", the note kept. Ids
//! come from the row's content, so importing the same file twice adds
//! nothing. Pure: the caller turns local date-times into instants.

use crate::imported::{self, Header, Row, Sourced};
use crate::when::TimeRange;
use crate::{CheckIn, CheckInDraft, Context, Origin, ValidationError, Vocabulary};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::BTreeMap;

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

pub use crate::imported::RowError;

/// The columns of a Daylio export, 0-based.
struct Columns {
    date: usize,
    time: usize,
    mood: usize,
    activities: Option<usize>,
    note: Option<usize>,
    title: Option<usize>,
}

impl Columns {
    fn find(header: &Header) -> Result<Columns, RowError> {
        let (Some(date), Some(time), Some(mood)) = (
            header.find("full_date"),
            header.find("time"),
            header.find("mood"),
        ) else {
            return Err(RowError {
                line: 1,
                column: 1,
                message: "this is not a Daylio export: it needs full_date, time and mood columns"
                    .into(),
            });
        };
        Ok(Columns {
            date,
            time,
            mood,
            activities: header.find("activities"),
            note: header.find("note"),
            title: header.find("note_title"),
        })
    }
}

/// Reads the whole export; the first problem stops it (all or nothing).
/// Each check-in's source key is the row's date and time as written.
pub fn parse(
    text: &str,
    moods: &BTreeMap<String, i8>,
    vocabulary: &Vocabulary,
    accepted: &TimeRange,
    local: impl Fn(NaiveDateTime) -> Option<DateTime<FixedOffset>>,
) -> Result<Vec<Sourced<CheckIn>>, RowError> {
    let mut reader = imported::reader(text);
    let columns = Columns::find(&Header::read(&mut reader, true)?)?;
    imported::rows(reader)
        .map(|row| {
            let row = row?;
            let at = row_time(&row, &columns, &local)?;
            let record = check_in(&row, &columns, moods)?
                .validate(vocabulary, row_id(&row, &columns), at, accepted)
                .map_err(|e| match e {
                    ValidationError::Time(_) => row.bad(columns.date, e.to_string()),
                    _ => row.bad(columns.mood, e.to_string()),
                })?;
            let key = format!("{} {}", row.field(columns.date), row.field(columns.time));
            Ok(Sourced { key, record })
        })
        .collect()
}

/// The row's date and time, in the local time zone.
fn row_time(
    row: &Row,
    columns: &Columns,
    local: impl Fn(NaiveDateTime) -> Option<DateTime<FixedOffset>>,
) -> Result<DateTime<FixedOffset>, RowError> {
    let (date_c, time_c) = (columns.date, columns.time);
    let date = NaiveDate::parse_from_str(row.field(date_c), "%Y-%m-%d").map_err(|_| {
        row.bad(
            date_c,
            format!("'{}' is not a date like 2026-11-24", row.field(date_c)),
        )
    })?;
    let time = ["%H:%M", "%I:%M %p", "%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(row.field(time_c), f).ok())
        .ok_or_else(|| {
            row.bad(
                time_c,
                format!(
                    "'{}' is not a time like 21:30 or 9:30 PM",
                    row.field(time_c)
                ),
            )
        })?;
    local(date.and_time(time))
        .ok_or_else(|| row.bad(time_c, "this time does not exist in the local time zone"))
}

/// The row as a draft: pleasantness from the mood map, activities as
/// "doing", the note's title and body as the note.
fn check_in(
    row: &Row,
    columns: &Columns,
    moods: &BTreeMap<String, i8>,
) -> Result<CheckInDraft, RowError> {
    let mood = row.field(columns.mood).to_lowercase();
    let pleasantness = *moods.get(&mood).ok_or_else(|| {
        row.bad(
            columns.mood,
            format!("the mood '{mood}' is not in the mood map; add it with --mood-map \"{mood}=N\" (N from -5 to 5)"),
        )
    })?;
    let activities = activities(row, columns);
    let title = columns.title.map(|c| row.field(c)).unwrap_or_default();
    let body = columns.note.map(|c| row.field(c)).unwrap_or_default();
    let note = match (title.is_empty(), body.is_empty()) {
        (true, true) => None,
        (false, true) => Some(title.to_string()),
        (true, false) => Some(body.to_string()),
        (false, false) => Some(format!("{title}\n{body}")),
    };
    Ok(CheckInDraft {
        pleasantness: Some(pleasantness),
        mood: Some(row.field(columns.mood).trim().to_string()),
        origin: Origin::Daylio,
        context: Context {
            doing: (!activities.is_empty()).then(|| activities.join(", ")),
            ..Context::default()
        },
        note,
        ..CheckInDraft::default()
    })
}

fn activities<'r>(row: &'r Row, columns: &Columns) -> Vec<&'r str> {
    columns
        .activities
        .map(|c| row.field(c))
        .unwrap_or_default()
        .split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect()
}

/// From the row's content, so importing the same file twice adds nothing.
fn row_id(row: &Row, columns: &Columns) -> String {
    let mood = row.field(columns.mood).to_lowercase();
    let joined = activities(row, columns).join("|");
    let optional = |c: Option<usize>| c.map(|c| row.field(c)).unwrap_or_default();
    imported::content_id(
        "daylio",
        [
            row.field(columns.date),
            row.field(columns.time),
            &mood,
            &joined,
            optional(columns.title),
            optional(columns.note),
        ],
    )
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
        let sourced = parse(SAMPLE, &default_mood_map(), &v, &accepted(), utc).unwrap();
        assert_eq!(
            sourced[1].key, "2026-11-23 9:05 AM",
            "the date and time as written"
        );
        let rows: Vec<CheckIn> = sourced.into_iter().map(|s| s.record).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].pleasantness, Some(0));
        assert_eq!(rows[0].context.doing.as_deref(), Some("work, friends"));
        assert_eq!(rows[0].note.as_deref(), Some("long day, \"fine\""));
        assert_eq!(rows[1].at.to_rfc3339(), "2026-11-23T09:05:00+00:00");
        assert_eq!(rows[1].note.as_deref(), Some("Walk\nby the river"));
        assert_eq!(
            parse(SAMPLE, &default_mood_map(), &v, &accepted(), utc).unwrap()[0]
                .record
                .id,
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
            parse(&renamed, &map, &v, &accepted(), utc).unwrap()[0]
                .record
                .pleasantness,
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
            let text = crate::imported::mutate(SAMPLE, &mut rng, alphabet);
            if let Err(e) = parse(&text, &default_mood_map(), &v, &accepted(), utc) {
                assert!(e.line >= 1 || e.message.contains("CSV"), "{e:?}");
            }
        }
    }
}
