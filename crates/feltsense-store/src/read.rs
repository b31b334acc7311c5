//! Reading records back, one row at a time: a row that cannot be turned
//! into a domain value (a time that does not parse or lies outside
//! [`TimeRange`], a word this build does not know, a value of the wrong
//! type) is left out and reported as [`Unreadable`], so one bad row never
//! breaks reading everything else.
//!
//! Reasons never quote what a person wrote: only ids, times, column names
//! and positions.

use crate::{StoreError, StoreResult, Unreadable};
use chrono::{DateTime, FixedOffset, Utc};
use feltsense_core::assessments::Response;
use feltsense_core::bridges::Bridge;
use feltsense_core::items::ItemRating;
use feltsense_core::when::TimeRange;
use feltsense_core::{BodySensation, CheckIn, Context, FeelingRating, JournalEntry, Origin};
use rusqlite::{Connection, Row};
use std::collections::{BTreeMap, HashMap};

/// What a read found, and what it left out.
pub(crate) struct Loaded<T> {
    pub found: Vec<T>,
    pub skipped: Vec<Unreadable>,
}

/// Why one row is left out.
type Why = String;

fn accepted() -> TimeRange {
    TimeRange::around(Utc::now())
}

/// A stored RFC 3339 time, if it parses and is inside the accepted range.
pub(crate) fn time(at: &str, accepted: &TimeRange) -> Result<DateTime<FixedOffset>, Why> {
    let t =
        DateTime::parse_from_rfc3339(at).map_err(|_| format!("its time '{at}' cannot be read"))?;
    accepted.check(t).map_err(|e| format!("its time {e}"))?;
    Ok(t)
}

/// Column `i` (named `name`) of a row already fetched: an error here is a
/// value of the wrong type or size, never IO.
fn get<T: rusqlite::types::FromSql>(r: &Row<'_>, i: usize, name: &str) -> Result<T, Why> {
    r.get(i)
        .map_err(|_| format!("its {name} is not a value feltsense can read"))
}

/// Where a stored JSON record went wrong, without quoting it.
fn json_why(e: &serde_json::Error) -> Why {
    format!(
        "its stored form cannot be read (line {}, column {})",
        e.line(),
        e.column()
    )
}

pub(crate) enum Filter<'a> {
    All,
    Id(&'a str),
    Since(i64),
}

impl Filter<'_> {
    /// The WHERE clause over `checkins AS c`, and its one parameter.
    fn clause(&self) -> (&'static str, rusqlite::types::Value) {
        match self {
            Filter::All => ("?1 IS NULL", rusqlite::types::Value::Null),
            Filter::Id(id) => ("c.id = ?1", rusqlite::types::Value::Text(id.to_string())),
            Filter::Since(ms) => ("c.at_utc_ms >= ?1", rusqlite::types::Value::Integer(*ms)),
        }
    }

    /// The rows of `table` (as `alias`) that belong to the check-ins
    /// chosen. Every check-in's rows are the whole table, read in its own
    /// order: no lookup in `checkins` per row and no sort, which made up
    /// about a tenth of `log --json` over ten years.
    fn rows_of(&self, table: &str, alias: &str) -> String {
        let (clause, _) = self.clause();
        match self {
            Filter::All => format!("FROM {table} AS {alias} WHERE {clause}"),
            _ => format!(
                "FROM {table} AS {alias} JOIN checkins AS c ON c.id = {alias}.checkin_id \
                 WHERE {clause}"
            ),
        }
    }
}

/// Puts each check-in's rows in their stored order (`position`, the last
/// column read), which a whole-table read does not promise.
fn in_position_order<T>(map: &mut HashMap<String, Vec<(i64, T)>>) -> HashMap<String, Vec<T>> {
    map.drain()
        .map(|(id, mut rows)| {
            rows.sort_by_key(|(position, _)| *position);
            (id, rows.into_iter().map(|(_, row)| row).collect())
        })
        .collect()
}

/// Check-ins with their feelings and body sensations, in three queries
/// however many there are.
pub(crate) fn checkins(conn: &Connection, filter: Filter<'_>) -> StoreResult<Loaded<CheckIn>> {
    let accepted = accepted();
    let (clause, param) = filter.clause();
    let mut bad = BTreeMap::new();
    let mut feelings = load_feelings(conn, &filter, &param, &mut bad)?;
    let mut body = load_body(conn, &filter, &param, &mut bad)?;
    let mut items = load_items(conn, &filter, &param, &mut bad)?;
    let sql = format!(
        "SELECT c.id, c.at, c.is_nothing, c.pleasantness, c.energy, c.clarity, c.body_overall,
                c.showed, c.doing, c.with_whom, c.place, c.note, c.mood, c.origin
         FROM checkins AS c WHERE {clause} ORDER BY c.at_utc_ms DESC, c.id DESC"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([&param])?;
    let mut loaded = Loaded {
        found: Vec::new(),
        skipped: Vec::new(),
    };
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        match bad
            .remove(&id)
            .map_or_else(|| checkin_row(r, &accepted), Err)
        {
            Ok(mut c) => {
                c.feelings = feelings.remove(&id).unwrap_or_default();
                c.body = body.remove(&id).unwrap_or_default();
                c.items = items.remove(&id).unwrap_or_default();
                loaded.found.push(c);
            }
            Err(why) => loaded.skipped.push(Unreadable::new("check-in", id, why)),
        }
    }
    Ok(loaded)
}

/// One `checkins` row, feelings and body left empty.
fn checkin_row(r: &Row<'_>, accepted: &TimeRange) -> Result<CheckIn, Why> {
    Ok(CheckIn {
        id: get(r, 0, "id")?,
        at: time(&get::<String>(r, 1, "time")?, accepted)?,
        nothing: get(r, 2, "nothing answer")?,
        feelings: Vec::new(),
        pleasantness: get(r, 3, "pleasantness")?,
        energy: get(r, 4, "energy")?,
        clarity: get(r, 5, "clarity")?,
        body: Vec::new(),
        body_overall: get(r, 6, "whole-body rating")?,
        showed: get(r, 7, "shown feeling")?,
        context: Context {
            doing: get(r, 8, "doing")?,
            with: get(r, 9, "with whom")?,
            place: get(r, 10, "place")?,
        },
        note: get(r, 11, "note")?,
        mood: get(r, 12, "mood label")?,
        origin: origin(get(r, 13, "origin")?)?,
        items: Vec::new(),
    })
}

fn origin(o: String) -> Result<Origin, Why> {
    Origin::parse(&o).ok_or_else(|| format!("its origin '{o}' is not one this feltsense knows"))
}

fn load_feelings(
    conn: &Connection,
    filter: &Filter<'_>,
    param: &rusqlite::types::Value,
    bad: &mut BTreeMap<String, Why>,
) -> StoreResult<HashMap<String, Vec<FeelingRating>>> {
    let sql = format!(
        "SELECT f.checkin_id, f.word, f.intensity, f.position {}",
        filter.rows_of("checkin_feelings", "f")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([param])?;
    let mut map: HashMap<String, Vec<(i64, FeelingRating)>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let rating = (|| {
            Ok((
                get(r, 3, "feeling position")?,
                FeelingRating {
                    word: get(r, 1, "feeling word")?,
                    intensity: get(r, 2, "feeling intensity")?,
                },
            ))
        })();
        match rating {
            Ok(rating) => map.entry(id).or_default().push(rating),
            Err(why) => {
                bad.entry(id).or_insert(why);
            }
        }
    }
    Ok(in_position_order(&mut map))
}

fn load_items(
    conn: &Connection,
    filter: &Filter<'_>,
    param: &rusqlite::types::Value,
    bad: &mut BTreeMap<String, Why>,
) -> StoreResult<HashMap<String, Vec<ItemRating>>> {
    let sql = format!(
        "SELECT i.checkin_id, i.word, i.rating, i.position {}",
        filter.rows_of("checkin_items", "i")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([param])?;
    let mut map: HashMap<String, Vec<(i64, ItemRating)>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let rating = (|| {
            let word: String = get(r, 1, "item word")?;
            Ok((
                get(r, 3, "item position")?,
                ItemRating::new(word, get(r, 2, "item rating")?),
            ))
        })();
        match rating {
            Ok(rating) => map.entry(id).or_default().push(rating),
            Err(why) => {
                bad.entry(id).or_insert(why);
            }
        }
    }
    Ok(in_position_order(&mut map))
}

fn load_body(
    conn: &Connection,
    filter: &Filter<'_>,
    param: &rusqlite::types::Value,
    bad: &mut BTreeMap<String, Why>,
) -> StoreResult<HashMap<String, Vec<BodySensation>>> {
    let sql = format!(
        "SELECT b.checkin_id, b.region, b.activation, b.sensation, b.intensity, b.position {}",
        filter.rows_of("checkin_body", "b")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([param])?;
    let mut map: HashMap<String, Vec<(i64, BodySensation)>> = HashMap::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        match body_row(r).and_then(|s| Ok((get(r, 5, "body position")?, s))) {
            Ok(sensation) => map.entry(id).or_default().push(sensation),
            Err(why) => {
                bad.entry(id).or_insert(why);
            }
        }
    }
    Ok(in_position_order(&mut map))
}

fn body_row(r: &Row<'_>) -> Result<BodySensation, Why> {
    Ok(BodySensation {
        region: word(get(r, 1, "body region")?)?,
        activation: get::<Option<String>>(r, 2, "body activation")?
            .map(word)
            .transpose()?,
        sensation: get::<Option<String>>(r, 3, "body sensation")?
            .map(word)
            .transpose()?,
        intensity: get(r, 4, "body intensity")?,
    })
}

fn word<T: std::str::FromStr>(w: String) -> Result<T, Why> {
    w.parse()
        .map_err(|_| format!("its body word '{w}' is not one this feltsense knows"))
}

/// Journal entries, newest first (one entry when `id` is given).
pub(crate) fn journal(conn: &Connection, id: Option<&str>) -> StoreResult<Loaded<JournalEntry>> {
    let accepted = accepted();
    let mut stmt = conn.prepare(
        "SELECT id, at, text FROM journal WHERE ?1 IS NULL OR id = ?1
         ORDER BY at_utc_ms DESC, id DESC",
    )?;
    let mut rows = stmt.query([id])?;
    let mut loaded = Loaded {
        found: Vec::new(),
        skipped: Vec::new(),
    };
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let entry = (|| {
            Ok(JournalEntry {
                at: time(&get::<String>(r, 1, "time")?, &accepted)?,
                text: get(r, 2, "text")?,
                id: id.clone(),
            })
        })();
        match entry {
            Ok(entry) => loaded.found.push(entry),
            Err(why) => loaded
                .skipped
                .push(Unreadable::new("journal entry", id, why)),
        }
    }
    Ok(loaded)
}

/// A bridge session from its stored JSON, its start inside the range.
pub(crate) fn bridge_from(json: &str, accepted: &TimeRange) -> Result<Bridge, Why> {
    let bridge: Bridge = serde_json::from_str(json).map_err(|e| json_why(&e))?;
    accepted
        .check(bridge.started)
        .map_err(|e| format!("its start {e}"))?;
    Ok(bridge)
}

/// Bridge sessions, newest first.
pub(crate) fn bridges(conn: &Connection) -> StoreResult<Loaded<Bridge>> {
    let accepted = accepted();
    records(
        conn,
        "SELECT id, record FROM bridges ORDER BY started_utc_ms DESC, id DESC",
        "bridge",
        |json| bridge_from(json, &accepted),
    )
}

/// Questionnaire responses, newest first.
pub(crate) fn assessments(conn: &Connection) -> StoreResult<Loaded<Response>> {
    let accepted = accepted();
    records(
        conn,
        "SELECT id, record FROM assessments ORDER BY at_utc_ms DESC, id DESC",
        "questionnaire response",
        |json| {
            let response: Response = serde_json::from_str(json).map_err(|e| json_why(&e))?;
            accepted
                .check(response.at)
                .map_err(|e| format!("its time {e}"))?;
            Ok(response)
        },
    )
}

/// Rows of `(id, JSON record)`, each turned into a value by `read`.
fn records<T>(
    conn: &Connection,
    sql: &str,
    what: &'static str,
    read: impl Fn(&str) -> Result<T, Why>,
) -> StoreResult<Loaded<T>> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut loaded = Loaded {
        found: Vec::new(),
        skipped: Vec::new(),
    };
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        match get::<String>(r, 1, "record").and_then(|json| read(&json)) {
            Ok(value) => loaded.found.push(value),
            Err(why) => loaded.skipped.push(Unreadable::new(what, id, why)),
        }
    }
    Ok(loaded)
}

/// The one record of a single-id read, or why it cannot be read.
pub(crate) fn one<T>(loaded: Loaded<T>, what: &'static str, id: &str) -> StoreResult<T> {
    if let Some(skipped) = loaded.skipped.into_iter().next() {
        return Err(StoreError::Corrupt(skipped.to_string()));
    }
    loaded
        .found
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::NotFound {
            what,
            id: id.to_string(),
        })
}
