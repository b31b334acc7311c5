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
use std::collections::HashMap;

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

/// One check-in as its `checkins` row was read, before its feelings, body
/// and items are given to it.
struct Slot {
    at_ms: i64,
    /// The check-in, or its id and why its row cannot be read.
    row: Result<CheckIn, (String, Why)>,
    /// Why one of its feelings, body or item rows cannot be read: the first
    /// such reason is the one given, before its own row's.
    side: Option<Why>,
}

impl Slot {
    fn id(&self) -> &str {
        match &self.row {
            Ok(c) => &c.id,
            Err((id, _)) => id,
        }
    }

    fn spoil(&mut self, why: Why) {
        self.side.get_or_insert(why);
    }

    fn into_read(self) -> Result<CheckIn, Unreadable> {
        let (id, why) = match (self.row, self.side) {
            (Ok(c), None) => return Ok(c),
            (Ok(c), Some(why)) => (c.id, why),
            (Err((id, why)), side) => (id, side.unwrap_or(why)),
        };
        Err(Unreadable::new("check-in", id, why))
    }
}

/// Finds the check-in a feeling, body or item row belongs to. Those rows
/// come in their table's order, which is the check-ins' own table order
/// whenever a check-in's rows were written with it (as this store always
/// writes them), so the search walks forward from the last one found,
/// never back: the whole walk is one pass. The first row out of that
/// order builds an index of every check-in, used from then on.
#[derive(Default)]
struct Finder {
    last: usize,
    index: Option<HashMap<String, usize>>,
}

impl Finder {
    fn find(&mut self, slots: &[Slot], id: &str) -> Option<usize> {
        if self.index.is_none() {
            let ahead = slots[self.last..].iter().position(|s| s.id() == id);
            if let Some(k) = ahead {
                self.last += k;
                return Some(self.last);
            }
            let index = slots.iter().enumerate();
            self.index = Some(index.map(|(i, s)| (s.id().to_owned(), i)).collect());
        }
        self.index.as_ref()?.get(id).copied()
    }
}

/// Check-ins with their feelings, body sensations and items, newest first,
/// in four queries however many there are. Each table is read in its own
/// order (no lookup per row, no sort in SQLite) and its rows are walked
/// alongside the check-ins (see [`Finder`]); the newest-first order is
/// one sort at the end, none when they were written oldest first.
pub(crate) fn checkins(conn: &Connection, filter: Filter<'_>) -> StoreResult<Loaded<CheckIn>> {
    let mut slots = checkin_rows(conn, &filter)?;
    attach(conn, &filter, FEELINGS, &mut slots, feeling_row, |c| {
        &mut c.feelings
    })?;
    attach(conn, &filter, BODY, &mut slots, body_row, |c| &mut c.body)?;
    attach(conn, &filter, ITEMS, &mut slots, item_row, |c| &mut c.items)?;
    // Written oldest first, as a rule: then the walk back is the order.
    if !slots.is_sorted_by(|a, b| oldest_first(a, b).is_le()) {
        slots.sort_by(oldest_first);
    }
    let mut loaded = Loaded {
        found: Vec::with_capacity(slots.len()),
        skipped: Vec::new(),
    };
    for slot in slots.into_iter().rev() {
        match slot.into_read() {
            Ok(c) => loaded.found.push(c),
            Err(unreadable) => loaded.skipped.push(unreadable),
        }
    }
    Ok(loaded)
}

/// By time, then by id: the reverse of the order check-ins are listed in.
fn oldest_first(a: &Slot, b: &Slot) -> std::cmp::Ordering {
    (a.at_ms, a.id()).cmp(&(b.at_ms, b.id()))
}

/// The chosen `checkins` rows, in the table's order.
fn checkin_rows(conn: &Connection, filter: &Filter<'_>) -> StoreResult<Vec<Slot>> {
    let accepted = accepted();
    let (clause, param) = filter.clause();
    let sql = format!(
        "SELECT c.id, c.at, c.is_nothing, c.pleasantness, c.energy, c.clarity, c.body_overall,
                c.showed, c.doing, c.with_whom, c.place, c.note, c.mood, c.origin, c.at_utc_ms
         FROM checkins AS c WHERE {clause}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([&param])?;
    let mut slots = Vec::new();
    while let Some(r) = rows.next()? {
        let row = match checkin_row(r, &accepted) {
            Ok(c) => Ok(c),
            Err(why) => Err((r.get(0)?, why)),
        };
        slots.push(Slot {
            at_ms: r.get(14)?,
            row,
            side: None,
        });
    }
    Ok(slots)
}

/// One `checkins` row, feelings, body and items left empty.
fn checkin_row(r: &Row<'_>, accepted: &TimeRange) -> Result<CheckIn, Why> {
    Ok(CheckIn {
        id: get(r, 0, "id")?,
        at: time(text(r, 1, "time")?, accepted)?,
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
        origin: origin(text(r, 13, "origin")?)?,
        items: Vec::new(),
    })
}

/// Column `i` (named `name`) as text borrowed from the row, not copied.
fn text<'r>(r: &'r Row<'_>, i: usize, name: &str) -> Result<&'r str, Why> {
    let bad = || format!("its {name} is not a value feltsense can read");
    r.get_ref(i).map_err(|_| bad())?.as_str().map_err(|_| bad())
}

/// As [`text`], `None` for NULL.
fn text_or_null<'r>(r: &'r Row<'_>, i: usize, name: &str) -> Result<Option<&'r str>, Why> {
    let bad = || format!("its {name} is not a value feltsense can read");
    r.get_ref(i)
        .map_err(|_| bad())?
        .as_str_or_null()
        .map_err(|_| bad())
}

fn origin(o: &str) -> Result<Origin, Why> {
    Origin::parse(o).ok_or_else(|| format!("its origin '{o}' is not one this feltsense knows"))
}

/// A table of rows that belong to check-ins: its name, alias, the columns
/// read after `checkin_id` and `position`, and what a bad position is
/// called.
struct Side {
    table: &'static str,
    alias: &'static str,
    columns: &'static str,
    position: &'static str,
}

const FEELINGS: Side = Side {
    table: "checkin_feelings",
    alias: "f",
    columns: "f.word, f.intensity",
    position: "feeling position",
};
const BODY: Side = Side {
    table: "checkin_body",
    alias: "b",
    columns: "b.region, b.activation, b.sensation, b.intensity",
    position: "body position",
};
const ITEMS: Side = Side {
    table: "checkin_items",
    alias: "i",
    columns: "i.word, i.rating",
    position: "item position",
};

/// Reads `side`'s rows of the chosen check-ins (each turned into a value by
/// `read`, its columns from 2) and gives each check-in its own, in their
/// stored order (`position`), which a whole-table read does not promise. A
/// row that cannot be read makes its check-in unreadable.
fn attach<T>(
    conn: &Connection,
    filter: &Filter<'_>,
    side: Side,
    slots: &mut [Slot],
    read: impl Fn(&Row<'_>) -> Result<T, Why>,
    field: impl Fn(&mut CheckIn) -> &mut Vec<T>,
) -> StoreResult<()> {
    let (_, param) = filter.clause();
    let sql = format!(
        "SELECT {a}.checkin_id, {a}.position, {} {}",
        side.columns,
        filter.rows_of(side.table, side.alias),
        a = side.alias
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([&param])?;
    let mut finder = Finder::default();
    let mut found: Vec<(usize, i64, T)> = Vec::new();
    while let Some(r) = rows.next()? {
        let Some(slot) = finder.find(
            slots,
            r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?,
        ) else {
            continue;
        };
        match get(r, 1, side.position).and_then(|position| Ok((position, read(r)?))) {
            Ok((position, value)) => found.push((slot, position, value)),
            Err(why) => slots[slot].spoil(why),
        }
    }
    if !found.is_sorted_by_key(|(slot, position, _)| (*slot, *position)) {
        found.sort_by_key(|(slot, position, _)| (*slot, *position));
    }
    for (slot, _, value) in found {
        if let Ok(c) = &mut slots[slot].row {
            field(c).push(value);
        }
    }
    Ok(())
}

fn feeling_row(r: &Row<'_>) -> Result<FeelingRating, Why> {
    Ok(FeelingRating {
        word: get(r, 2, "feeling word")?,
        intensity: get(r, 3, "feeling intensity")?,
    })
}

fn item_row(r: &Row<'_>) -> Result<ItemRating, Why> {
    let word: String = get(r, 2, "item word")?;
    Ok(ItemRating::new(word, get(r, 3, "item rating")?))
}

fn body_row(r: &Row<'_>) -> Result<BodySensation, Why> {
    Ok(BodySensation {
        region: word(text(r, 2, "body region")?)?,
        activation: text_or_null(r, 3, "body activation")?
            .map(word)
            .transpose()?,
        sensation: text_or_null(r, 4, "body sensation")?
            .map(word)
            .transpose()?,
        intensity: get(r, 5, "body intensity")?,
    })
}

fn word<T: std::str::FromStr>(w: &str) -> Result<T, Why> {
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
                at: time(text(r, 1, "time")?, &accepted)?,
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
