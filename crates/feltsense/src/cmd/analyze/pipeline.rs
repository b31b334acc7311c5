//! The streaming analysis: one thread cuts the input into blocks of whole
//! lines, worker threads (one per core) parse blocks into per-participant
//! segments, and the calling thread puts the segments back in file order,
//! joins each participant's rows and computes their metrics as soon as the
//! participant's rows end. Memory holds a few blocks and one participant,
//! not the file.
//!
//! Files where a participant's rows are not contiguous cannot be streamed
//! that way; [`run`] reports [`Stop::Interleaved`] and the caller runs again
//! with `hold = true`, which keeps every participant's (parsed, compact)
//! rows until the end.

use super::parse::{self, CellError, When};
use feltsense_core::metrics::esm::{self, EsmMetrics, Layout};
use indicatif::ProgressBar;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

const BLOCK: usize = 4 << 20;

/// The longest a quoted field may be, and the most line breaks it may
/// hold: past either, a closing quote is surely missing, and the rest of
/// the file would otherwise vanish into one cell.
const QUOTED_MAX_BYTES: usize = 1 << 20;
const QUOTED_MAX_BREAKS: u64 = 999;

/// Which columns hold what.
#[derive(Debug, Clone)]
pub struct Columns {
    pub id: usize,
    pub time: usize,
    /// Positive items first, then negative ones.
    pub items: Vec<usize>,
    /// The header, for naming columns in messages.
    pub names: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub columns: Columns,
    pub layout: Layout,
    pub skip_bad_rows: bool,
    /// Parsing threads (the calling thread computes metrics besides).
    pub threads: usize,
}

/// A row that could not be read, located by line and column (both 1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    pub line: u64,
    pub column: usize,
    pub name: String,
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {} ({}): {}",
            self.line, self.column, self.name, self.reason
        )
    }
}

pub struct Participant {
    pub id: String,
    pub metrics: EsmMetrics,
}

#[derive(Default)]
pub struct Outcome {
    pub participants: Vec<Participant>,
    /// Prompts analysed.
    pub rows: u64,
    pub skipped: u64,
    pub first_skipped: Option<BadRow>,
    /// Prompts left out for an empty time cell, and the line of the first.
    pub untimed: u64,
    pub first_untimed: Option<u64>,
}

#[derive(Debug)]
pub enum Stop {
    Bad(BadRow),
    Interleaved {
        id: String,
        line: u64,
    },
    /// A quoted field past the limits, or never closed, opened on `line`.
    Quote {
        line: u64,
        closes: bool,
    },
    Io(std::io::Error),
}

/// Why the splitter stopped.
enum SplitStop {
    Io(std::io::Error),
    Quote { line: u64, closes: bool },
}

struct Chunk {
    seq: u64,
    line: u64,
    bytes: Vec<u8>,
}

/// Consecutive rows of one participant within a block.
struct Segment {
    id: String,
    line: u64,
    whens: Vec<When>,
    values: Vec<f64>,
}

#[derive(Default)]
struct Parsed {
    seq: u64,
    bytes: u64,
    /// Every row of the block: analysed, bad and untimed.
    rows: u64,
    segments: Vec<Segment>,
    bad: u64,
    first_bad: Option<BadRow>,
    untimed: u64,
    first_untimed: Option<u64>,
}

impl Parsed {
    fn push(&mut self, id: &[u8], line: u64, when: When, values: &[f64]) {
        let same = self.segments.last().is_some_and(|s| s.id.as_bytes() == id);
        if !same {
            self.segments.push(Segment {
                id: String::from_utf8_lossy(id).into_owned(),
                line,
                whens: Vec::new(),
                values: Vec::new(),
            });
        }
        if let Some(segment) = self.segments.last_mut() {
            segment.whens.push(when);
            segment.values.extend_from_slice(values);
        }
    }
}

/// Analyses `input` (positioned after the header; its first line is
/// `first_line`).
pub fn run(
    input: impl Read + Send,
    first_line: u64,
    spec: &Spec,
    hold: bool,
    progress: &ProgressBar,
) -> Result<Outcome, Stop> {
    let workers = spec.threads.max(1);
    std::thread::scope(|scope| {
        let (job_tx, job_rx) = sync_channel::<Chunk>(workers * 2);
        let (done_tx, done_rx) = sync_channel::<Parsed>(workers * 4);
        let splitter = scope.spawn(move || split(input, first_line, &job_tx));
        let job_rx = Arc::new(Mutex::new(job_rx));
        for _ in 0..workers {
            let job_rx = Arc::clone(&job_rx);
            let done_tx = done_tx.clone();
            scope.spawn(move || work(&job_rx, &done_tx, spec));
        }
        drop(done_tx);
        let outcome = collect(done_rx, spec, hold, progress);
        // On an early stop the receivers are gone, so the threads end too.
        let split_result = splitter.join().expect("the splitter does not panic");
        let outcome = outcome?;
        split_result.map_err(|stop| match stop {
            SplitStop::Io(e) => Stop::Io(e),
            SplitStop::Quote { line, closes } => Stop::Quote { line, closes },
        })?;
        Ok(outcome)
    })
}

/// Cuts the input into blocks that end at a line break outside quotes.
fn split(mut input: impl Read, first_line: u64, jobs: &SyncSender<Chunk>) -> Result<(), SplitStop> {
    let mut carry = Vec::new();
    let mut seq = 0;
    let mut line = first_line;
    loop {
        let mut buf = std::mem::take(&mut carry);
        let start = buf.len();
        buf.resize(start + BLOCK, 0);
        let n = read_full(&mut input, &mut buf[start..]).map_err(SplitStop::Io)?;
        buf.truncate(start + n);
        let eof = n == 0;
        let scan = scan(&buf).map_err(|breaks| SplitStop::Quote {
            line: line + breaks,
            closes: true,
        })?;
        if let (true, Some(breaks)) = (eof, scan.open) {
            return Err(SplitStop::Quote {
                line: line + breaks,
                closes: false,
            });
        }
        let (cut, lines) = if eof { (buf.len(), 0) } else { scan.cut };
        if cut == 0 && !eof {
            carry = buf; // one line longer than a block: read more
            continue;
        }
        carry = buf.split_off(cut);
        if !buf.is_empty()
            && jobs
                .send(Chunk {
                    seq,
                    line,
                    bytes: buf,
                })
                .is_err()
        {
            return Ok(()); // the collector stopped early
        }
        seq += 1;
        line += lines;
        if eof {
            return Ok(());
        }
    }
}

fn read_full(input: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// What [`scan`] finds in a block.
struct Scan {
    /// Just past the last `\n` outside quotes, and the line breaks before it.
    cut: (usize, u64),
    /// The line breaks before a quoted field still open at the end.
    open: Option<u64>,
}

/// Finds the end of the last whole line, and checks every quoted field
/// against the limits; `Err` holds the line breaks before the field that
/// passed one. A doubled quote inside a field (`""`) does not end it.
fn scan(buf: &[u8]) -> Result<Scan, u64> {
    let mut quoted = false;
    let mut breaks = 0;
    let mut cut = (0, 0);
    let mut opened = (0usize, 0u64);
    let mut closed_at = usize::MAX;
    for i in memchr::memchr2_iter(b'"', b'\n', buf) {
        if buf[i] == b'"' {
            if quoted {
                if i - opened.0 > QUOTED_MAX_BYTES {
                    return Err(opened.1);
                }
                closed_at = i;
            } else if closed_at.wrapping_add(1) != i {
                opened = (i, breaks);
            }
            quoted = !quoted;
        } else {
            breaks += 1;
            if !quoted {
                cut = (i + 1, breaks);
            } else if breaks - opened.1 > QUOTED_MAX_BREAKS {
                return Err(opened.1);
            }
        }
    }
    if quoted && buf.len() - opened.0 > QUOTED_MAX_BYTES {
        return Err(opened.1);
    }
    Ok(Scan {
        cut,
        open: quoted.then_some(opened.1),
    })
}

fn work(jobs: &Mutex<Receiver<Chunk>>, done: &SyncSender<Parsed>, spec: &Spec) {
    loop {
        let chunk = match jobs.lock().map(|rx| rx.recv()) {
            Ok(Ok(chunk)) => chunk,
            _ => return,
        };
        if done.send(parse_chunk(chunk, spec)).is_err() {
            return;
        }
    }
}

fn parse_chunk(chunk: Chunk, spec: &Spec) -> Parsed {
    let mut parsed = Parsed {
        seq: chunk.seq,
        bytes: chunk.bytes.len() as u64,
        ..Parsed::default()
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(chunk.bytes.as_slice());
    let mut record = csv::ByteRecord::new();
    let mut values = Vec::with_capacity(spec.columns.items.len());
    loop {
        let mut line = chunk.line + reader.position().line() - 1;
        let row = match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                line = chunk.line + record.position().map_or(1, |p| p.line()) - 1;
                values.clear();
                parse_row(&record, line, spec, &mut values)
            }
            Err(e) => Err(BadRow {
                line,
                column: 1,
                name: String::new(),
                reason: e.to_string(),
            }),
        };
        parsed.rows += 1;
        match row {
            Ok(Some((id, when))) => parsed.push(id, line, when, &values),
            Ok(None) => {
                parsed.untimed += 1;
                parsed.first_untimed.get_or_insert(line);
            }
            Err(bad) => {
                parsed.bad += 1;
                parsed.first_bad.get_or_insert(bad);
                if !spec.skip_bad_rows {
                    break;
                }
            }
        }
    }
    parsed
}

/// A cell or a name as a message shows it: at most 40 characters, so a
/// runaway cell of 100 MB is never echoed whole.
pub fn excerpt(text: &[u8]) -> String {
    const SHOWN: usize = 40;
    let head = String::from_utf8_lossy(&text[..text.len().min(SHOWN * 4)]);
    match head.char_indices().nth(SHOWN) {
        None if head.len() == text.len() => head.into_owned(),
        None => format!("{head}… ({} bytes)", text.len()),
        Some((end, _)) => format!("{}… ({} bytes)", &head[..end], text.len()),
    }
}

/// One row: its participant and time, `None` for a prompt without a time
/// (its ratings are still checked), or why it cannot be read.
fn parse_row<'r>(
    record: &'r csv::ByteRecord,
    line: u64,
    spec: &Spec,
    values: &mut Vec<f64>,
) -> Result<Option<(&'r [u8], When)>, BadRow> {
    let c = &spec.columns;
    let bad = |column: usize, reason: String| BadRow {
        line,
        column: column + 1,
        name: c
            .names
            .get(column)
            .map(|n| excerpt(n.as_bytes()))
            .unwrap_or_default(),
        reason,
    };
    if record.len() != c.names.len() {
        return Err(bad(
            record.len().min(c.names.len().saturating_sub(1)),
            format!(
                "the row has {} fields but the header has {}",
                record.len(),
                c.names.len()
            ),
        ));
    }
    let cell_error =
        |column: usize, e: CellError| bad(column, format!("'{}' {e}", excerpt(&record[column])));
    let id = record[c.id].trim_ascii();
    if id.is_empty() {
        return Err(cell_error(c.id, CellError::EmptyId));
    }
    let when = if parse::no_time(&record[c.time]) {
        None
    } else {
        let when = parse::when(&record[c.time]).map_err(|e| cell_error(c.time, e))?;
        if spec.layout.within_day && when.day.is_none() {
            return Err(cell_error(c.time, CellError::NeedsDates));
        }
        Some(when)
    };
    for &column in &c.items {
        values.push(
            parse::rating(&record[column], spec.layout.scale_min)
                .map_err(|e| cell_error(column, e))?,
        );
    }
    Ok(when.map(|when| (id, when)))
}

/// One participant's rows so far.
struct Group {
    id: String,
    whens: Vec<When>,
    values: Vec<f64>,
}

impl Group {
    fn from(segment: Segment) -> Group {
        Group {
            id: segment.id,
            whens: segment.whens,
            values: segment.values,
        }
    }

    fn extend(&mut self, segment: Segment) {
        self.whens.extend(segment.whens);
        self.values.extend(segment.values);
    }

    /// Puts the prompts in time order (stable: ties keep file order) and
    /// computes the figures.
    fn finish(self, layout: &Layout) -> Participant {
        let items = layout.items();
        let sorted = self.whens.windows(2).all(|w| w[0].order <= w[1].order);
        let (values, days): (Vec<f64>, Vec<i64>) = if sorted {
            (
                self.values,
                self.whens.iter().map(|w| w.day.unwrap_or(0)).collect(),
            )
        } else {
            let mut order: Vec<usize> = (0..self.whens.len()).collect();
            order.sort_by(|&a, &b| self.whens[a].order.total_cmp(&self.whens[b].order));
            let values = order
                .iter()
                .flat_map(|&i| &self.values[i * items..(i + 1) * items])
                .copied()
                .collect();
            (
                values,
                order
                    .iter()
                    .map(|&i| self.whens[i].day.unwrap_or(0))
                    .collect(),
            )
        };
        Participant {
            metrics: esm::participant(&values, &days, layout),
            id: self.id,
        }
    }
}

fn collect(
    done: Receiver<Parsed>,
    spec: &Spec,
    hold: bool,
    progress: &ProgressBar,
) -> Result<Outcome, Stop> {
    let mut outcome = Outcome::default();
    let mut waiting: BTreeMap<u64, Parsed> = BTreeMap::new();
    let mut next = 0;
    let mut open: Option<Group> = None;
    let mut finished: HashSet<String> = HashSet::new();
    let mut held: Vec<Group> = Vec::new();
    let mut held_index: HashMap<String, usize> = HashMap::new();
    for parsed in done {
        waiting.insert(parsed.seq, parsed);
        while let Some(parsed) = waiting.remove(&next) {
            next += 1;
            progress.inc(parsed.bytes);
            outcome.rows += parsed.rows - parsed.bad - parsed.untimed;
            outcome.untimed += parsed.untimed;
            if outcome.first_untimed.is_none() {
                outcome.first_untimed = parsed.first_untimed;
            }
            if let Some(first) = parsed.first_bad {
                if !spec.skip_bad_rows {
                    return Err(Stop::Bad(first));
                }
                outcome.skipped += parsed.bad;
                outcome.first_skipped.get_or_insert(first);
            }
            for segment in parsed.segments {
                if hold {
                    match held_index.get(&segment.id) {
                        Some(&i) => held[i].extend(segment),
                        None => {
                            held_index.insert(segment.id.clone(), held.len());
                            held.push(Group::from(segment));
                        }
                    }
                    continue;
                }
                match open.as_mut() {
                    Some(group) if group.id == segment.id => group.extend(segment),
                    _ => {
                        if let Some(group) = open.take() {
                            finished.insert(group.id.clone());
                            outcome.participants.push(group.finish(&spec.layout));
                        }
                        if finished.contains(&segment.id) {
                            return Err(Stop::Interleaved {
                                id: segment.id,
                                line: segment.line,
                            });
                        }
                        open = Some(Group::from(segment));
                    }
                }
            }
        }
    }
    outcome
        .participants
        .extend(open.into_iter().chain(held).map(|g| g.finish(&spec.layout)));
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(buf: &[u8]) -> (usize, u64) {
        scan(buf).unwrap().cut
    }

    #[test]
    fn blocks_end_at_line_breaks_outside_quotes() {
        assert_eq!(cut(b"a,b\nc,d\ne"), (8, 2));
        assert_eq!(cut(b"a,\"x\ny\"\nc"), (8, 2));
        assert_eq!(cut(b"a,\"x\ny"), (0, 0));
        assert_eq!(scan(b"a\nb,\"x\ny").unwrap().open, Some(1));
        assert_eq!(scan(b"a,\"x\"\"y\"\n").unwrap().open, None);
    }

    #[test]
    fn a_runaway_quoted_field_is_caught_where_it_opened() {
        let mut long = b"p,1\np,\"".to_vec();
        long.extend(std::iter::repeat_n(b'x', QUOTED_MAX_BYTES + 1));
        assert_eq!(scan(&long).err(), Some(1), "too long, still open");
        long.extend(b"\"\n");
        assert_eq!(scan(&long).err(), Some(1), "too long, closed");
        let mut lines = b"h\n\"".to_vec();
        lines.extend(b"a\n".repeat(1_000));
        assert_eq!(scan(&lines).err(), Some(1), "more than 1,000 lines");
        // Doubled quotes do not reset where the field began.
        let mut escaped = b"\"".to_vec();
        escaped.extend(b"ab\"\"".repeat(QUOTED_MAX_BYTES / 4 + 1));
        assert_eq!(scan(&escaped).err(), Some(0));
        let mut fine = b"\"".to_vec();
        fine.extend(b"a\n".repeat(999));
        fine.extend(b"\"\n");
        assert!(scan(&fine).is_ok(), "1,000 lines is the limit");
    }

    #[test]
    fn excerpts_are_cut_to_a_few_dozen_characters() {
        assert_eq!(excerpt(b"short"), "short");
        let long = "é".repeat(100_000);
        let shown = excerpt(long.as_bytes());
        assert!(
            shown.starts_with(&"é".repeat(40)) && shown.ends_with("… (200000 bytes)"),
            "{shown}"
        );
        assert_eq!(
            excerpt(&[b'x'; 41]),
            format!("{}… (41 bytes)", "x".repeat(40))
        );
    }
}
