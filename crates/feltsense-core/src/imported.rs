//! What the importers share: reading a CSV header and its rows with
//! 1-based positions for every message, ids made from a row's content, and
//! the source key each imported record remembers (the Daylio date and
//! time, the ESM participant and time, the feltsense id), so a later import
//! of the same source can replace what an earlier one brought.

use std::hash::Hasher;

/// The formats feltsense imports, as stored with each imported record.
pub const FELTSENSE: &str = "feltsense";
pub const DAYLIO: &str = "daylio";
pub const ESM: &str = "esm";

/// A record as read from an import file, with the source's own key of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub key: String,
    pub record: T,
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

impl std::error::Error for RowError {}

/// The header of a CSV file: names trimmed, a leading BOM dropped.
pub struct Header {
    names: Vec<String>,
}

impl Header {
    /// Reads the first record of `reader`; `fold_case` lowercases names.
    pub fn read(reader: &mut csv::Reader<&[u8]>, fold_case: bool) -> Result<Header, RowError> {
        let record = reader.headers().map_err(|e| RowError {
            line: 1,
            column: 1,
            message: e.to_string(),
        })?;
        let names = record
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').trim())
            .map(|h| match fold_case {
                true => h.to_lowercase(),
                false => h.to_string(),
            })
            .collect();
        Ok(Header { names })
    }

    /// The 0-based index of the column called `name`.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|h| h == name)
    }

    /// Like [`Header::find`], refusing a missing column with line 1.
    pub fn require(&self, name: &str, why: &str) -> Result<usize, RowError> {
        self.find(name).ok_or_else(|| RowError {
            line: 1,
            column: 1,
            message: format!("{why} a column '{name}' that the file does not have"),
        })
    }
}

/// A flexible CSV reader over `text` (rows may have fewer fields).
pub fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// One data row and its line, for located messages.
pub struct Row {
    pub record: csv::StringRecord,
    pub line: u64,
}

impl Row {
    /// The trimmed field in column `c` (0-based), empty if the row is short.
    pub fn field(&self, c: usize) -> &str {
        self.record.get(c).unwrap_or_default().trim()
    }

    /// An error at column `c` (0-based) of this row.
    pub fn bad(&self, c: usize, message: impl Into<String>) -> RowError {
        RowError {
            line: self.line,
            column: c + 1,
            message: message.into(),
        }
    }
}

/// The data rows after the header, each with its line, or where the CSV
/// itself broke (an unclosed quote, invalid UTF-8).
pub fn rows(reader: csv::Reader<&[u8]>) -> impl Iterator<Item = Result<Row, RowError>> + '_ {
    reader.into_records().map(|record| {
        let record = record.map_err(|e| RowError {
            line: e.position().map_or(1, |p| p.line()),
            column: 1,
            message: e.to_string(),
        })?;
        let line = record.position().map_or(1, |p| p.line());
        Ok(Row { record, line })
    })
}

/// `prefix-` and a hash of `parts`, so the same content gives the same id.
pub fn content_id<'a>(prefix: &str, parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut h = crate::fnv::Fnv::default();
    for part in parts {
        h.write(part.as_bytes());
        h.write(&[0]);
    }
    format!("{prefix}-{:016x}", h.finish())
}

/// Whether `text` looks like a CSV file rather than JSON: its first
/// non-blank character is not `{` or `[` and its first line has a comma
/// or a semicolon.
pub fn looks_like_csv(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let first = text.lines().next().unwrap_or_default();
    !text.starts_with(['{', '[']) && first.contains([',', ';'])
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

    #[test]
    fn headers_lose_their_bom_and_rows_know_their_line() {
        let mut r = reader("\u{feff}Full_Date , time\n2026-11-24,9:00\n\"open\n");
        let header = Header::read(&mut r, true).unwrap();
        assert_eq!(
            (header.find("full_date"), header.find("time")),
            (Some(0), Some(1))
        );
        assert!(header
            .require("mood", "Daylio needs")
            .unwrap_err()
            .message
            .contains("'mood'"));
        let mut rows = rows(r);
        let row = rows.next().unwrap().unwrap();
        assert_eq!((row.line, row.field(1), row.field(5)), (2, "9:00", ""));
        assert_eq!(row.bad(1, "x").column, 2);
    }

    #[test]
    fn ids_follow_content_and_csv_is_told_from_json() {
        assert_eq!(content_id("d", ["a", "b"]), content_id("d", ["a", "b"]));
        assert_ne!(content_id("d", ["ab", ""]), content_id("d", ["a", "b"]));
        assert!(looks_like_csv("full_date,date,time\n"));
        assert!(looks_like_csv("\u{feff}pid;ts\n"));
        assert!(!looks_like_csv(
            "{\"format\": \"feltsense\", \"checkins\": []}"
        ));
        assert!(!looks_like_csv(" [ ]"));
        assert!(!looks_like_csv("hello"));
    }
}
