//! The importers' mutation fuzzer (reliability suite). Seeded mutations of
//! a valid input (bytes replaced, inserted and deleted, lines shuffled and
//! duplicated, digits changed, huge numbers, impossible dates, quotes,
//! BOMs, CRLF, NUL, very long fields) go through every importer into one
//! real store file, opened once. For each input: no panic, no hang (a
//! watchdog ends the run if one input takes longer than
//! `FELTSENSE_FUZZ_SECONDS`, default 10), every refusal is a person's-input
//! message (exit 2), and the store file is byte-identical after every
//! refused import. The config parser gets the same mutations (`config.rs`).
//!
//! `FELTSENSE_FUZZ_CASES` inputs per target (default 40, seconds in a
//! normal test run); the full form is 2,000 or more, run by
//! `reliability/fuzz-imports.sh` (`--quick`: 100), which runs:
//!
//! ```text
//! FELTSENSE_FUZZ_CASES=2000 cargo test -p feltsense --bin feltsense fuzz -- --nocapture --test-threads 1
//! ```

use super::{read, store_into, Reading, Source};
use feltsense_core::when::TimeRange;
use feltsense_store::{ImportMode, SqliteStore};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// SplitMix64 (Steele, Lea & Flood 2014): seeded, so a failing case can be
/// found again from the seed and its number.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Inputs per target: `FELTSENSE_FUZZ_CASES`, else 40.
pub fn cases() -> usize {
    std::env::var("FELTSENSE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

const HUGE: [&str; 7] = [
    "99999999999999999999999",
    "1e308",
    "-1e309",
    "NaN",
    "-9223372036854775809",
    "18446744073709551616",
    "0.0000000000000000000001",
];
const DATES: [&str; 6] = [
    "+12026",
    "-2026",
    "-0001",
    "0000",
    "9999-99-99",
    "2026-02-30",
];
const BYTES: &[u8] = b",;:|\"'\n\r\t =[]{}-+.0123456789aeEmoNAP\\";

/// `text` with one mutation (half the time) or up to four.
pub fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut s = text.to_string();
    let n = match rng.below(2) {
        0 => 1,
        _ => 1 + rng.below(4),
    };
    for _ in 0..n {
        s = once(&s, rng);
    }
    s
}

fn once(s: &str, rng: &mut Rng) -> String {
    let mut at = rng.below(s.len() + 1);
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    let (head, tail) = s.split_at(at);
    match rng.below(13) {
        0..=2 => bytes(s, rng),
        12 => digit(s, rng),
        3 => lines(s, rng, false),
        4 => lines(s, rng, true),
        5 => format!("{head}{}{tail}", HUGE[rng.below(HUGE.len())]),
        6 => s.replacen("2026", DATES[rng.below(DATES.len())], 1 + rng.below(3)),
        7 => format!("{head}\"{tail}"),
        8 => format!("\u{feff}{s}"),
        9 => s.replace('\n', "\r\n"),
        10 => format!("{head}\0{tail}"),
        _ => format!("{head}{}{tail}", "x".repeat(1 << (10 + rng.below(11)))),
    }
}

/// One to six bytes replaced, inserted or deleted (any byte at all, then
/// read as UTF-8 lossily, as the importers only ever see text).
fn bytes(s: &str, rng: &mut Rng) -> String {
    let mut b = s.as_bytes().to_vec();
    for _ in 0..=rng.below(6) {
        let at = rng.below(b.len() + 1);
        let byte = match rng.below(4) {
            0 => rng.next() as u8,
            _ => BYTES[rng.below(BYTES.len())],
        };
        match rng.below(3) {
            0 if at < b.len() => b[at] = byte,
            1 => b.insert(at, byte),
            _ if at < b.len() => {
                b.remove(at);
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// One digit changed to another: a rating, a scale end or a date moves.
fn digit(s: &str, rng: &mut Rng) -> String {
    let digits: Vec<usize> = s
        .bytes()
        .enumerate()
        .filter(|(_, b)| b.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    let mut b = s.as_bytes().to_vec();
    if let Some(&i) = digits.get(rng.below(digits.len())) {
        b[i] = b'0' + rng.below(10) as u8;
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// Two lines swapped, or one line duplicated.
fn lines(s: &str, rng: &mut Rng, duplicate: bool) -> String {
    let mut lines: Vec<&str> = s.split('\n').collect();
    let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
    match duplicate {
        true => lines.insert(j, lines[i]),
        false => lines.swap(i, j),
    }
    lines.join("\n")
}

/// Ends the whole run if one input takes longer than the limit.
pub struct Watchdog {
    started_ms: Arc<AtomicU64>,
    case: Arc<AtomicU64>,
    epoch: Instant,
}

impl Watchdog {
    pub fn start(what: &'static str) -> Watchdog {
        let limit: u64 = std::env::var("FELTSENSE_FUZZ_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10);
        let started_ms = Arc::new(AtomicU64::new(0));
        let epoch = Instant::now();
        let watched = Arc::clone(&started_ms);
        let case = Arc::new(AtomicU64::new(0));
        let watched_case = Arc::clone(&case);
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(100));
            let started = watched.load(Ordering::Relaxed);
            let now = epoch.elapsed().as_millis() as u64;
            if started > 0 && now.saturating_sub(started) > limit * 1000 {
                let n = watched_case.load(Ordering::Relaxed);
                eprintln!("fuzz {what}: input {n} ran over {limit} s: a hang");
                std::process::exit(1);
            }
        });
        Watchdog {
            started_ms,
            case,
            epoch,
        }
    }

    /// Marks the start (`Some(its number)`) or end of one input.
    pub fn running(&self, case: Option<usize>) {
        let on = case.is_some();
        self.case.store(case.unwrap_or(0) as u64, Ordering::Relaxed);
        let now = (self.epoch.elapsed().as_millis() as u64).max(1);
        self.started_ms
            .store(if on { now } else { 0 }, Ordering::Relaxed);
    }
}

/// The figures of one target.
#[derive(Debug, Default)]
pub struct Tally {
    pub cases: usize,
    pub refused: usize,
    /// Refusals that came from the store (the file itself read well).
    pub refused_by_store: usize,
    pub accepted: usize,
    pub panics: usize,
    /// Refusals that were not a person's-input message (exit 2).
    pub unclear: usize,
    pub changed_store: usize,
    pub slowest: Duration,
    pub started: Option<Instant>,
}

impl Tally {
    pub fn print(&self, what: &str) {
        println!(
            "fuzz {what}: cases {}, refused {} ({} by the store), accepted {}, panics {}, unclear refusals {}, changed-store {}, slowest {} ms, all in {:.1} s",
            self.cases,
            self.refused,
            self.refused_by_store,
            self.accepted,
            self.panics,
            self.unclear,
            self.changed_store,
            self.slowest.as_millis(),
            self.started.map_or(0.0, |t| t.elapsed().as_secs_f64())
        );
    }

    pub fn assert_clean(&self, what: &str) {
        assert_eq!(
            (self.panics, self.unclear, self.changed_store),
            (0, 0, 0),
            "fuzz {what}: panics, unclear refusals, changed-store"
        );
    }
}

const DAYLIO: &str = "full_date,date,weekday,time,mood,activities,note_title,note\n\
2026-11-24,November 24,Tuesday,21:30,meh,work | friends,,\"long day, \"\"fine\"\"\"\n\
2026-11-23,November 23,Monday,9:05 AM,rad,,Walk,by the river\n\
2026-11-22,November 22,Sunday,18:00,awful,,,\n";

const ESM: &str = "pid,ts,joy,sad,calm\n\
P1,2026-11-24 10:00:00,7,1,4\n\
P1,2026-11-24 14:00:00,1,1,1\n\
P1,2026-11-24 18:00:00,,,\n\
P2,2026-11-24 10:00:00,4,NA,2\n";

const MAP: &str = "time = \"ts\"\nparticipant = \"pid\"\n\
[scale]\nmin = 1\nmax = 7\n\
[items]\njoy = \"happy\"\nsad = \"sad\"\ncalm = \"calm\"\n";

const JSON: &str = r#"{
  "format": "feltsense",
  "version": 2,
  "checkins": [
    {"id": "f-1", "at": "2026-11-25T09:30:00+01:00", "nothing": false,
     "feelings": [{"word": "sad", "intensity": 6}, {"word": "tired", "intensity": 3}],
     "pleasantness": -2, "energy": -1, "clarity": 3,
     "body": [{"region": "chest", "activation": "more", "sensation": "tight", "intensity": 5}],
     "body_overall": -1, "showed": "calm",
     "context": {"doing": "work", "with": "alone", "place": "home"},
     "note": "a note, with \"quotes\"\nand a new line"},
    {"id": "f-2", "at": "2026-11-24T21:00:00Z", "nothing": true, "feelings": [], "body": [], "context": {}}
  ],
  "journal": [{"id": "j-1", "at": "2026-11-25T21:00:00+01:00", "text": "Quiet, grey day\nstill here"}],
  "bridges": [{"id": "b-1", "kind": "music", "label": "old songs",
    "started": "2026-11-25T20:00:00+01:00",
    "before": {"feeling": null, "intensity": null, "clarity": 2, "body_noticed": false},
    "ended": "2026-11-25T20:30:00+01:00",
    "after": {"feeling": "tender", "intensity": 4, "clarity": 5, "body_noticed": true}}],
  "assessments": [{"id": "r-1", "instrument": "who5", "at": "2026-11-25T08:00:00+01:00",
    "answers": [3, 3, 2, 1, 4]}],
  "safety_plan": {"warning_signs": "not sleeping", "coping_alone": "", "distractions": "",
    "people_to_ask": "Sam", "professionals": "", "safer_surroundings": ""}
}"#;

/// What one target mutates, and how the rest of the reading is set.
struct Target {
    name: &'static str,
    source: Source,
    data: &'static str,
    mapping: &'static str,
    mutate_mapping: bool,
    /// (from, to) in the data or mapping: a change the store must refuse
    /// once the valid input is in, as a re-import that needs --replace.
    differs: (&'static str, &'static str),
}

const TARGETS: [Target; 4] = [
    Target {
        name: "feltsense-json",
        source: Source::Feltsense,
        data: JSON,
        mapping: "",
        mutate_mapping: false,
        differs: ("a new line", "another line"),
    },
    Target {
        name: "daylio",
        source: Source::Daylio,
        data: DAYLIO,
        mapping: "",
        mutate_mapping: false,
        differs: ("Walk,by the river", "Walk,by the sea"),
    },
    Target {
        name: "esm-data",
        source: Source::Esm,
        data: ESM,
        mapping: MAP,
        mutate_mapping: false,
        differs: (
            "P1,2026-11-24 10:00:00,7,1,4",
            "P1,2026-11-24 10:00:00,7,2,4",
        ),
    },
    Target {
        name: "esm-mapping",
        source: Source::Esm,
        data: ESM,
        mapping: MAP,
        mutate_mapping: true,
        differs: ("max = 7", "max = 9"),
    },
];

/// The store's bytes on disk: the database and its write-ahead log.
fn on_disk(db: &Path) -> Vec<u8> {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let mut bytes = std::fs::read(db).expect("the store file is readable");
    bytes.extend(std::fs::read(PathBuf::from(wal)).unwrap_or_default());
    bytes
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Accepted,
    Refused {
        by_store: bool,
    },
    /// Refused, but not with a person's-input message (exit 2).
    Unclear(String),
}

/// One input: read, then stored (add or replace, by its number).
fn attempt(
    store: &mut SqliteStore,
    target: &Target,
    data: &str,
    mapping: &str,
    n: usize,
) -> Outcome {
    let reading = Reading {
        shown: "fuzz.csv",
        source: Some(target.source),
        mood_map: None,
        mapping: Some(("map.toml", mapping)),
        accepted: TimeRange::around("2026-12-01T00:00:00Z".parse().expect("a time")),
    };
    let mode = match n % 3 {
        0 => ImportMode::Replace,
        _ => ImportMode::Add,
    };
    let (by_store, outcome) = match read(&reading, data) {
        Ok(incoming) => (true, store_into(store, &incoming, mode, "fuzz")),
        Err(e) => (false, Err(e)),
    };
    match outcome.map_err(crate::failure::Failure::from) {
        Ok(_) => Outcome::Accepted,
        Err(f) if f.code == crate::failure::INPUT => Outcome::Refused { by_store },
        Err(f) => Outcome::Unclear(f.message),
    }
}

fn fuzz_target(store: &mut SqliteStore, db: &Path, target: &Target, dog: &Watchdog) -> Tally {
    let mut rng = Rng::new(0x5eed_0000 + target.name.len() as u64);
    let mut tally = Tally {
        started: Some(Instant::now()),
        ..Tally::default()
    };
    let mut snapshot = on_disk(db);
    for n in 0..cases() {
        let (data, mapping) = match target.mutate_mapping {
            true => (target.data.to_string(), mutate(target.mapping, &mut rng)),
            false => (mutate(target.data, &mut rng), target.mapping.to_string()),
        };
        let started = Instant::now();
        dog.running(Some(n));
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            attempt(store, target, &data, &mapping, n)
        }));
        dog.running(None);
        tally.slowest = tally.slowest.max(started.elapsed());
        tally.cases += 1;
        match outcome {
            Err(_) => tally.panics += 1,
            Ok(Outcome::Accepted) => {
                tally.accepted += 1;
                snapshot = on_disk(db);
            }
            Ok(refusal) => {
                tally.refused += 1;
                match refusal {
                    Outcome::Refused { by_store } => {
                        tally.refused_by_store += usize::from(by_store)
                    }
                    other => {
                        eprintln!(
                            "fuzz {} case {n}: not an input message: {other:?}",
                            target.name
                        );
                        tally.unclear += 1;
                    }
                }
                if on_disk(db) != snapshot {
                    eprintln!(
                        "fuzz {} case {n}: the store changed after a refusal",
                        target.name
                    );
                    tally.changed_store += 1;
                    snapshot = on_disk(db);
                }
            }
        }
    }
    tally
}

/// The store-refusal path the fuzzer relies on is reached: a re-import
/// that differs is refused (without --replace) and leaves every byte.
fn refuses_a_changed_reimport(store: &mut SqliteStore, db: &Path, target: &Target) {
    let (from, to) = target.differs;
    let (data, mapping) = match target.mutate_mapping {
        true => (target.data.to_string(), target.mapping.replace(from, to)),
        false => (target.data.replace(from, to), target.mapping.to_string()),
    };
    assert!(
        data != target.data || mapping != target.mapping,
        "{}",
        target.name
    );
    let before = on_disk(db);
    let outcome = attempt(store, target, &data, &mapping, 1);
    assert_eq!(
        outcome,
        Outcome::Refused { by_store: true },
        "{}",
        target.name
    );
    assert!(on_disk(db) == before, "{}: the store changed", target.name);
}

#[test]
fn fuzz_importers_never_panic_hang_or_change_the_store_when_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("feltsense.db");
    let mut store = SqliteStore::create(&db, "fuzz passphrase").unwrap();
    let dog = Watchdog::start("importers");
    for target in &TARGETS {
        // The unmutated input imports: the fuzzer starts from valid files,
        // and a later mutation can collide with what they stored.
        assert_eq!(
            attempt(&mut store, target, target.data, target.mapping, 1),
            Outcome::Accepted,
            "{}",
            target.name
        );
        refuses_a_changed_reimport(&mut store, &db, target);
        let tally = fuzz_target(&mut store, &db, target, &dog);
        tally.print(target.name);
        tally.assert_clean(target.name);
    }
}
