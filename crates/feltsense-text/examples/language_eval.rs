//! Scores the language analysis on a labelled TSV with the header
//! `id kind subkind crisis past numb masking style text`:
//!
//! - crisis recall: the full panel opens on rows with crisis=1;
//! - false alarms on look-alikes (kind=lookalike, crisis=0) and on ordinary
//!   entries (kind=ordinary): the full panel opens; the quiet line for a
//!   past experience counts as no alarm;
//! - numbness and masking recall and precision over all rows;
//!
//! each with a Wilson 95% interval, recall per subkind and per style, and
//! every miss.
//!
//! cargo run --release -p feltsense-text --example language_eval -- eval/language/dev.tsv
//! (add `--misses` to list every miss and false alarm)

use feltsense_core::Vocabulary;
use feltsense_text::eval::wilson;
use feltsense_text::{Analysis, Analyzer, PhraseKind};
use std::collections::BTreeMap;

struct Row {
    id: String,
    kind: String,
    subkind: String,
    crisis: bool,
    numb: bool,
    masking: bool,
    style: String,
    text: String,
}

/// A count of hits out of a total.
#[derive(Default, Clone, Copy)]
struct Tally {
    hits: usize,
    total: usize,
}

impl Tally {
    fn add(&mut self, hit: bool) {
        self.total += 1;
        self.hits += usize::from(hit);
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (low, high) = wilson(self.hits, self.total);
        let rate = self.hits as f64 / self.total.max(1) as f64;
        write!(
            f,
            "{}/{} = {rate:.3} (95% CI {low:.3}–{high:.3})",
            self.hits, self.total
        )
    }
}

fn parse(data: &str) -> Result<Vec<Row>, String> {
    let mut lines = data.lines().enumerate();
    let header = lines.next().map(|(_, l)| l).unwrap_or_default();
    if header.split('\t').collect::<Vec<_>>()
        != [
            "id", "kind", "subkind", "crisis", "past", "numb", "masking", "style", "text",
        ]
    {
        return Err(format!("line 1: unexpected header '{header}'"));
    }
    let flag = |v: &str, n: usize| match v {
        "1" => Ok(true),
        "0" => Ok(false),
        other => Err(format!("line {n}: expected 0 or 1, found '{other}'")),
    };
    lines
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let f: Vec<&str> = l.split('\t').collect();
            let [id, kind, subkind, crisis, _past, numb, masking, style, text] = f[..] else {
                return Err(format!(
                    "line {}: expected 9 fields, found {}",
                    i + 1,
                    f.len()
                ));
            };
            Ok(Row {
                id: id.into(),
                kind: kind.into(),
                subkind: subkind.into(),
                crisis: flag(crisis, i + 1)?,
                numb: flag(numb, i + 1)?,
                masking: flag(masking, i + 1)?,
                style: style.into(),
                text: text.into(),
            })
        })
        .collect()
}

/// Recall and precision of one kind of phrase over all rows.
#[derive(Default)]
struct Detection {
    recall: Tally,
    precision: Tally,
    misses: Vec<String>,
    false_hits: Vec<String>,
}

impl Detection {
    fn add(&mut self, gold: bool, found: bool, row: &Row) {
        if gold {
            self.recall.add(found);
            if !found {
                self.misses.push(line(row));
            }
        }
        if found {
            self.precision.add(gold);
            if !gold {
                self.false_hits.push(line(row));
            }
        }
    }
}

/// The crisis phrases found, with their stance: why the panel did or did
/// not open.
fn why(a: &Analysis) -> String {
    a.phrases
        .iter()
        .filter(|p| p.kind == PhraseKind::Crisis)
        .map(|p| format!("\n      '{}' negated={} {:?}", p.text, p.negated, p.stance))
        .collect()
}

fn line(row: &Row) -> String {
    let text: String = row.text.chars().take(160).collect();
    format!(
        "{} {}/{} [{}] {text}",
        row.id, row.kind, row.subkind, row.style
    )
}

#[derive(Default)]
struct Report {
    recall: Tally,
    lookalike: Tally,
    ordinary: Tally,
    by_subkind: BTreeMap<String, Tally>,
    by_style: BTreeMap<String, Tally>,
    lookalike_by_subkind: BTreeMap<String, Tally>,
    missed: Vec<String>,
    alarms: Vec<String>,
    numb: Detection,
    masking: Detection,
}

impl Report {
    fn add(&mut self, row: &Row, a: &Analysis) {
        let panel = a.crisis();
        if row.crisis {
            self.recall.add(panel);
            self.by_subkind
                .entry(row.subkind.clone())
                .or_default()
                .add(panel);
            self.by_style
                .entry(row.style.clone())
                .or_default()
                .add(panel);
            if !panel {
                self.missed.push(format!("{}{}", line(row), why(a)));
            }
        } else if row.kind == "lookalike" || row.kind == "ordinary" {
            let tally = if row.kind == "lookalike" {
                self.lookalike_by_subkind
                    .entry(row.subkind.clone())
                    .or_default()
                    .add(panel);
                &mut self.lookalike
            } else {
                &mut self.ordinary
            };
            tally.add(panel);
            if panel {
                self.alarms.push(format!("{}{}", line(row), why(a)));
            }
        }
        let numb = a.found(PhraseKind::Numb).next().is_some();
        let masking = a.found(PhraseKind::Masking).next().is_some();
        self.numb.add(row.numb, numb, row);
        self.masking.add(row.masking, masking, row);
    }

    fn print(&self, misses: bool) {
        println!("crisis recall            {}", self.recall);
        println!("false alarms, look-alike {}", self.lookalike);
        println!("false alarms, ordinary   {}", self.ordinary);
        for (name, d) in [("numbness", &self.numb), ("masking ", &self.masking)] {
            println!("{name} recall          {}", d.recall);
            println!("{name} precision       {}", d.precision);
        }
        print_tallies("crisis recall by subkind", &self.by_subkind);
        print_tallies("crisis recall by style", &self.by_style);
        print_tallies(
            "false alarms by look-alike subkind",
            &self.lookalike_by_subkind,
        );
        if misses {
            print_list("crisis missed", &self.missed);
            print_list("false alarms", &self.alarms);
            print_list("numbness missed", &self.numb.misses);
            print_list("numbness found where not labelled", &self.numb.false_hits);
            print_list("masking missed", &self.masking.misses);
            print_list("masking found where not labelled", &self.masking.false_hits);
        }
    }
}

fn print_tallies(title: &str, tallies: &BTreeMap<String, Tally>) {
    println!("\n{title}:");
    for (name, t) in tallies {
        println!("  {name:<18} {t}");
    }
}

fn print_list(title: &str, list: &[String]) {
    println!("\n{title} ({}):", list.len());
    for l in list {
        println!("  {l}");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let misses = args.iter().any(|a| a == "--misses");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or("eval/language/dev.tsv", String::as_str);
    let data = match std::fs::read_to_string(path) {
        Ok(d) => d,
        Err(e) => return eprintln!("language_eval: could not read {path}: {e}"),
    };
    let rows = match parse(&data) {
        Ok(rows) => rows,
        Err(e) => return eprintln!("language_eval: {path} {e}"),
    };
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let mut report = Report::default();
    for row in &rows {
        report.add(row, &analyzer.analyze(&row.text));
    }
    println!("{path}: {} rows", rows.len());
    report.print(misses);
}
