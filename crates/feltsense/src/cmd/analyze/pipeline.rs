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
use super::split::{split, Chunk, SplitStop};
use feltsense_core::metrics::esm::{self, EsmMetrics, Layout};
use indicatif::ProgressBar;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

/// Where a prompt's time is: one column, or a day and a beep column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Clock {
    Time(usize),
    DayBeep { day: usize, beep: usize },
}

impl Clock {
    pub fn columns(self) -> Vec<usize> {
        match self {
            Clock::Time(time) => vec![time],
            Clock::DayBeep { day, beep } => vec![day, beep],
        }
    }
}

/// Which columns hold what.
#[derive(Debug, Clone)]
pub struct Columns {
    pub id: usize,
    pub clock: Clock,
    /// Positive items first, then negative ones.
    pub items: Vec<usize>,
    /// The header, for naming columns in messages.
    pub names: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub columns: Columns,
    pub layout: Layout,
    pub scale: parse::Scale,
    /// What separates the fields.
    pub delimiter: u8,
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
        .delimiter(spec.delimiter)
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
    let when = when(record, c.clock, spec.layout.within_day)
        .map_err(|(column, e)| cell_error(column, e))?;
    for &column in &c.items {
        values
            .push(parse::rating(&record[column], &spec.scale).map_err(|e| cell_error(column, e))?);
    }
    Ok(when.map(|when| (id, when)))
}

/// The row's place in time; `None` when a time cell is empty.
fn when(
    record: &csv::ByteRecord,
    clock: Clock,
    within_day: bool,
) -> Result<Option<When>, (usize, CellError)> {
    let untimed = match clock {
        Clock::Time(time) => parse::no_time(&record[time]),
        Clock::DayBeep { day, beep } => {
            parse::no_time(&record[day]) || parse::no_time(&record[beep])
        }
    };
    if untimed {
        return Ok(None);
    }
    match clock {
        Clock::Time(time) => {
            let when = parse::when(&record[time]).map_err(|e| (time, e))?;
            if within_day && when.day.is_none() {
                return Err((time, CellError::NeedsDates));
            }
            Ok(Some(when))
        }
        Clock::DayBeep { day, beep } => parse::day_beep(&record[day], &record[beep])
            .map(Some)
            .map_err(|(is_beep, e)| (if is_beep { beep } else { day }, e)),
    }
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
        let sorted = self.whens.windows(2).all(|w| w[0].cmp(&w[1]).is_le());
        let (values, days): (Vec<f64>, Vec<i64>) = if sorted {
            (
                self.values,
                self.whens.iter().map(|w| w.day.unwrap_or(0)).collect(),
            )
        } else {
            let mut order: Vec<usize> = (0..self.whens.len()).collect();
            order.sort_by(|&a, &b| self.whens[a].cmp(&self.whens[b]));
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
