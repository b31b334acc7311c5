//! A generic experience-sampling CSV (one row per prompt) read into
//! check-ins through a mapping: which column is the time, which columns
//! are feeling items (each mapped to a vocabulary word) and on which scale.
//! A rating at the scale's minimum means "not at all" and is left out; the
//! rest become intensities 1–10, `1 + 9 (r − min) / (max − min)` rounded.
//! A prompt with every item at the minimum is "nothing"; a prompt with
//! every item missing was not answered and is skipped (and counted). Ids
//! come from the row's content, so a second import adds nothing.

use crate::imported::{self, Header, Row, RowError, Sourced};
use crate::when::TimeRange;
use crate::{CheckIn, CheckInDraft, FeelingRating, Origin, Vocabulary};
use chrono::{DateTime, FixedOffset, NaiveDateTime};

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
    /// The column naming the participant, part of each record's source key
    /// (`only`'s column when not given).
    pub participant: Option<String>,
}

#[derive(Debug)]
pub struct Parsed {
    pub checkins: Vec<Sourced<CheckIn>>,
    pub skipped: usize,
}

/// The columns the mapping names, found in the header (0-based).
struct Columns<'m> {
    time: usize,
    items: Vec<(usize, &'m str)>,
    only: Option<(usize, &'m str)>,
    participant: Option<usize>,
}

impl<'m> Columns<'m> {
    fn find(header: &Header, mapping: &'m Mapping) -> Result<Columns<'m>, RowError> {
        let find = |name: &str| header.require(name, "the mapping names");
        let items = mapping
            .items
            .iter()
            .map(|(c, w)| Ok((find(c)?, w.as_str())))
            .collect::<Result<_, RowError>>()?;
        let only = match &mapping.only {
            Some((c, v)) => Some((find(c)?, v.as_str())),
            None => None,
        };
        let participant = match &mapping.participant {
            Some(c) => Some(find(c)?),
            None => only.map(|(c, _)| c),
        };
        Ok(Columns {
            time: find(&mapping.time_column)?,
            items,
            only,
            participant,
        })
    }
}

/// Reads the whole file; the first problem stops it (all or nothing).
/// Each check-in's source key is the participant (when the mapping names
/// one) and the time as written.
pub fn parse(
    text: &str,
    mapping: &Mapping,
    vocabulary: &Vocabulary,
    accepted: &TimeRange,
    local: impl Fn(NaiveDateTime) -> Option<DateTime<FixedOffset>>,
) -> Result<Parsed, RowError> {
    check_mapping(mapping, vocabulary)?;
    let mut reader = imported::reader(text);
    let columns = Columns::find(&Header::read(&mut reader, false)?, mapping)?;
    let mut parsed = Parsed {
        checkins: Vec::new(),
        skipped: 0,
    };
    for row in imported::rows(reader) {
        let row = row?;
        if columns.only.is_some_and(|(c, v)| row.field(c) != v) {
            continue;
        }
        let at = row_time(&row, columns.time, mapping, &local)?;
        let Some(draft) = prompt(&row, &columns, mapping)? else {
            parsed.skipped += 1;
            continue;
        };
        let id = imported::content_id("esm", row.record.iter().map(str::trim));
        let record = draft
            .validate(vocabulary, id, at, accepted)
            .map_err(|e| row.bad(columns.time, e.to_string()))?;
        parsed.checkins.push(Sourced {
            key: source_key(&row, &columns),
            record,
        });
    }
    Ok(parsed)
}

/// A mapping problem is the mapping file's, not a row's: line 0.
fn check_mapping(mapping: &Mapping, vocabulary: &Vocabulary) -> Result<(), RowError> {
    let wrong = |message: String| RowError {
        line: 0,
        column: 0,
        message,
    };
    let finite = mapping.min.is_finite() && mapping.max.is_finite();
    if !finite || mapping.max <= mapping.min {
        return Err(wrong("the scale's max must be above its min".into()));
    }
    match mapping
        .items
        .iter()
        .find(|(_, w)| vocabulary.get(w).is_none())
    {
        Some((_, word)) => Err(wrong(format!(
            "'{word}' in the mapping is not a feeling word of the vocabulary"
        ))),
        None => Ok(()),
    }
}

/// The time column: RFC 3339, else the mapping's format in local time.
fn row_time(
    row: &Row,
    time_c: usize,
    mapping: &Mapping,
    local: impl Fn(NaiveDateTime) -> Option<DateTime<FixedOffset>>,
) -> Result<DateTime<FixedOffset>, RowError> {
    let raw = row.field(time_c);
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t);
    }
    let format = mapping
        .time_format
        .as_deref()
        .unwrap_or("%Y-%m-%d %H:%M:%S");
    let naive = NaiveDateTime::parse_from_str(raw, format).map_err(|_| {
        row.bad(
            time_c,
            format!("'{raw}' does not match the time format {format}"),
        )
    })?;
    local(naive).ok_or_else(|| row.bad(time_c, "this time does not exist in the local time zone"))
}

/// The prompt's answers as a draft; `None` when every item is missing.
fn prompt(
    row: &Row,
    columns: &Columns<'_>,
    mapping: &Mapping,
) -> Result<Option<CheckInDraft>, RowError> {
    let mut feelings = Vec::new();
    let mut answered = 0;
    for &(c, word) in &columns.items {
        let Some(r) = rating(row, c, mapping)? else {
            continue;
        };
        answered += 1;
        if r > mapping.min {
            let intensity =
                (1.0 + 9.0 * (r - mapping.min) / (mapping.max - mapping.min)).round() as u8;
            feelings.push(FeelingRating::new(word, Some(intensity)));
        }
    }
    Ok((answered > 0).then(|| CheckInDraft {
        nothing: feelings.is_empty(),
        feelings,
        origin: Origin::Esm,
        ..CheckInDraft::default()
    }))
}

/// One item's rating; `None` when empty or "NA".
fn rating(row: &Row, c: usize, mapping: &Mapping) -> Result<Option<f64>, RowError> {
    let cell = row.field(c);
    if cell.is_empty() || cell.eq_ignore_ascii_case("na") {
        return Ok(None);
    }
    let r: f64 = cell
        .parse()
        .map_err(|_| row.bad(c, format!("'{cell}' is not a number")))?;
    if !(mapping.min..=mapping.max).contains(&r) {
        return Err(row.bad(
            c,
            format!(
                "{r} is outside the scale {} to {}",
                mapping.min, mapping.max
            ),
        ));
    }
    Ok(Some(r))
}

fn source_key(row: &Row, columns: &Columns<'_>) -> String {
    let time = row.field(columns.time);
    match columns.participant {
        Some(c) => format!("{} {time}", row.field(c)),
        None => time.to_string(),
    }
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
            participant: None,
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
            p.checkins[0].record.feelings,
            vec![FeelingRating::new("happy", Some(10))]
        );
        assert!(p.checkins[1].record.nothing, "everything at 'not at all'");
        assert_eq!(
            p.checkins[2].record.feelings[0].intensity,
            Some(6),
            "4 on 1..7 is 1 + 9 * 3/6 = 5.5, rounded up"
        );
        assert_eq!(
            parse(text, &mapping(), &v, &accepted(), utc)
                .unwrap()
                .checkins[0]
                .record
                .id,
            p.checkins[0].record.id
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
                .record
                .feelings
                .len(),
            2
        );
        let mut rng = crate::reminders::SplitMix64::new(7);
        let alphabet = b",\"\n|:-0123456789 NAP\xc3\xa9";
        for _ in 0..3_000 {
            let mutated = crate::imported::mutate(text, &mut rng, alphabet);
            let _ = parse(&mutated, &mapping(), &v, &accepted(), utc);
        }
    }
}
