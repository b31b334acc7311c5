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
    pub rows: u64,
    pub skipped: u64,
    pub first_skipped: Option<BadRow>,
}

#[derive(Debug)]
pub enum Stop {
    Bad(BadRow),
    Interleaved { id: String, line: u64 },
    Io(std::io::Error),
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

struct Parsed {
    seq: u64,
    bytes: u64,
    rows: u64,
    segments: Vec<Segment>,
    bad: Vec<BadRow>,
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
        split_result.map_err(Stop::Io)?;
        Ok(outcome)
    })
}

/// Cuts the input into blocks that end at a line break outside quotes.
fn split(mut input: impl Read, first_line: u64, jobs: &SyncSender<Chunk>) -> std::io::Result<()> {
    let mut carry = Vec::new();
    let mut seq = 0;
    let mut line = first_line;
    loop {
        let mut buf = std::mem::take(&mut carry);
        let start = buf.len();
        buf.resize(start + BLOCK, 0);
        let n = read_full(&mut input, &mut buf[start..])?;
        buf.truncate(start + n);
        let eof = n == 0;
        let (cut, lines) = if eof {
            (buf.len(), 0)
        } else {
            last_line_break(&buf)
        };
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

/// The end of the last whole line (just past a `\n` outside quotes) and
/// the number of line breaks before it.
fn last_line_break(buf: &[u8]) -> (usize, u64) {
    let mut quoted = false;
    let mut breaks = 0;
    let mut cut = (0, 0);
    for i in memchr::memchr2_iter(b'"', b'\n', buf) {
        if buf[i] == b'"' {
            quoted = !quoted;
        } else {
            breaks += 1;
            if !quoted {
                cut = (i + 1, breaks);
            }
        }
    }
    cut
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
        rows: 0,
        segments: Vec::new(),
        bad: Vec::new(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(chunk.bytes.as_slice());
    let mut record = csv::ByteRecord::new();
    let mut values = Vec::with_capacity(spec.columns.items.len());
    loop {
        let line = chunk.line + reader.position().line() - 1;
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                parsed.bad.push(BadRow {
                    line,
                    column: 1,
                    name: String::new(),
                    reason: e.to_string(),
                });
                if !spec.skip_bad_rows {
                    break;
                }
                continue;
            }
        }
        let line = chunk.line + record.position().map_or(1, |p| p.line()) - 1;
        parsed.rows += 1;
        values.clear();
        match parse_row(&record, line, spec, &mut values) {
            Ok((id, when)) => {
                let same = parsed
                    .segments
                    .last()
                    .is_some_and(|s| s.id.as_bytes() == id);
                if !same {
                    parsed.segments.push(Segment {
                        id: String::from_utf8_lossy(id).into_owned(),
                        line,
                        whens: Vec::new(),
                        values: Vec::new(),
                    });
                }
                let segment = parsed.segments.last_mut().expect("just pushed");
                segment.whens.push(when);
                segment.values.extend_from_slice(&values);
            }
            Err(bad) => {
                parsed.bad.push(bad);
                if !spec.skip_bad_rows {
                    break;
                }
            }
        }
    }
    parsed
}

fn parse_row<'r>(
    record: &'r csv::ByteRecord,
    line: u64,
    spec: &Spec,
    values: &mut Vec<f64>,
) -> Result<(&'r [u8], When), BadRow> {
    let c = &spec.columns;
    let bad = |column: usize, reason: String| BadRow {
        line,
        column: column + 1,
        name: c.names.get(column).cloned().unwrap_or_default(),
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
    let cell_error = |column: usize, e: CellError| {
        let shown = String::from_utf8_lossy(&record[column]).into_owned();
        bad(column, format!("'{shown}' {e}"))
    };
    let id = record[c.id].trim_ascii();
    if id.is_empty() {
        return Err(cell_error(c.id, CellError::EmptyId));
    }
    let when = parse::when(&record[c.time]).map_err(|e| cell_error(c.time, e))?;
    if spec.layout.within_day && when.day.is_none() {
        return Err(cell_error(c.time, CellError::NeedsDates));
    }
    for &column in &c.items {
        values.push(
            parse::rating(&record[column], spec.layout.scale_min)
                .map_err(|e| cell_error(column, e))?,
        );
    }
    Ok((id, when))
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
            outcome.rows += parsed.rows - parsed.bad.len() as u64;
            if let Some(first) = parsed.bad.first() {
                if !spec.skip_bad_rows {
                    return Err(Stop::Bad(first.clone()));
                }
                outcome.skipped += parsed.bad.len() as u64;
                outcome.first_skipped.get_or_insert_with(|| first.clone());
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

    #[test]
    fn blocks_end_at_line_breaks_outside_quotes() {
        assert_eq!(last_line_break(b"a,b\nc,d\ne"), (8, 2));
        assert_eq!(last_line_break(b"a,\"x\ny\"\nc"), (8, 2));
        assert_eq!(last_line_break(b"a,\"x\ny"), (0, 0));
    }
}
