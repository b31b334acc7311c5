//! `feltsense notice`: the journal's language analysis on any text, with
//! no store and no passphrase; nothing is stored. Each input line is one
//! entry (the whole input with `--whole`).
//!
//! With `--json`, one object per entry, one a line, with these fields
//! (stable; byte positions are into that entry's text, end exclusive):
//!
//! - `entry`: the entry's number, from 1 (its line with one entry a line);
//! - `safety`: true when the full safety panel opens (the writer's own,
//!   present crisis language);
//! - `safety_quiet`: true when only the quiet line is shown ("if those
//!   thoughts come back, help is here"): a past experience the writer
//!   speaks of as over;
//! - `safety_phrases`: the crisis phrases found, `{text, start, end,
//!   stance}`, stance `own`, `past`, `others`, `media` or `denied`; the
//!   `own` ones opened the panel; a phrase a learned head found (a whole
//!   sentence, no pattern matched) also has `learned: {score, words,
//!   signs}`: the words that weighed most and, when the crisis head opened
//!   at its lower gated threshold, the risk-domain signs that let it
//!   (`signs` is left out when empty);
//! - `numbness`, `masking`: what was found, `{text, start, end}`;
//! - `feelings`: `{word, family, text, start, end, intensity_cue, negated,
//!   named, score}`; `named` is true for words the person used; feelings
//!   that the text seems to *show* without naming them (the GoEmotions model,
//!   `feltsense_text::model`) follow with `named: false`, `word` the family's
//!   name, `text` empty, `start`/`end` null and `score` its probability
//!   (0..1, offered from `model::SUGGEST_FROM`, 0.5); a family the person
//!   named is never repeated as inferred;
//! - `polarity`: `pleasant`, `unpleasant` or `neutral`, from the model;
//! - `language`: `en`, or `unknown` when the text does not look like
//!   English (then nothing above can be relied on).

use crate::failure;
use feltsense_core::Vocabulary;
use feltsense_text::model::{self, Shown};
use feltsense_text::{language, Analysis, Analyzer, Phrase, PhraseKind};
use serde::Serialize;
use std::io::Read;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// One JSON object per entry instead of plain lines.
    #[arg(long)]
    json: bool,
    /// Read the whole input as one entry instead of one entry a line.
    #[arg(long)]
    whole: bool,
    /// The text to read (`-` or nothing: standard input).
    file: Option<PathBuf>,
}

#[derive(Serialize)]
struct Span<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    stance: Option<feltsense_text::Stance>,
    /// When a learned head (not a pattern) found it: its score, the words
    /// that weighed most and the signs that gated it.
    #[serde(skip_serializing_if = "Option::is_none")]
    learned: Option<&'a feltsense_text::learned::LearnedCue>,
}

#[derive(Serialize)]
struct Feeling<'a> {
    word: &'a str,
    family: &'a str,
    text: &'a str,
    start: Option<usize>,
    end: Option<usize>,
    intensity_cue: Option<&'a str>,
    negated: bool,
    named: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f32>,
}

#[derive(Serialize)]
struct Entry<'a> {
    entry: usize,
    safety: bool,
    safety_quiet: bool,
    safety_phrases: Vec<Span<'a>>,
    numbness: Vec<Span<'a>>,
    masking: Vec<Span<'a>>,
    feelings: Vec<Feeling<'a>>,
    polarity: feltsense_text::Polarity,
    language: &'static str,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let text = read(args.file.as_ref())?;
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let entries: Vec<&str> = if args.whole {
        vec![text.as_str()]
    } else {
        text.lines().collect()
    };
    let mut out = String::new();
    for (i, entry) in entries.iter().enumerate() {
        let (analysis, shown) = analyzer.analyze_shown(entry);
        let reading = reading(i + 1, entry, &analysis, &shown);
        if args.json {
            out.push_str(&serde_json::to_string(&reading)?);
            out.push('\n');
        } else {
            out.push_str(&plain(&reading));
        }
    }
    print!("{out}");
    Ok(())
}

/// The input as text; bad UTF-8 is named by its line.
fn read(file: Option<&PathBuf>) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    let shown = match file {
        Some(path) if path.as_os_str() != "-" => {
            bytes = std::fs::read(path).map_err(|e| {
                anyhow::Error::new(e).context(format!("could not read {}", path.display()))
            })?;
            path.display().to_string()
        }
        _ => {
            std::io::stdin().read_to_end(&mut bytes)?;
            "standard input".to_string()
        }
    };
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        failure::input(format!(
            "{shown} line {line}: this is not UTF-8 text; please save it as UTF-8 and try again"
        ))
    })
}

fn spans<'a>(phrases: impl Iterator<Item = &'a Phrase>) -> Vec<Span<'a>> {
    phrases
        .map(|p| Span {
            text: &p.text,
            start: p.start,
            end: p.end,
            stance: p.stance,
            learned: p.learned.as_ref(),
        })
        .collect()
}

/// The feelings the person named, as found in the text.
fn named(a: &Analysis) -> impl Iterator<Item = Feeling<'_>> {
    a.feelings.iter().map(|f| Feeling {
        word: &f.word,
        family: f.family.as_str(),
        text: &f.text,
        start: Some(f.start),
        end: Some(f.end),
        intensity_cue: f.cue.as_ref().map(|c| c.text.as_str()),
        negated: f.negated,
        named: true,
        score: None,
    })
}

/// The families the model reads in the text that the person did not name
/// themselves: "may also be there", never in place of their own words.
fn inferred<'a>(a: &Analysis, shown: &Shown) -> Vec<Feeling<'a>> {
    model::unnamed(shown, a)
        .into_iter()
        .map(|s| Feeling {
            word: s.family.as_str(),
            family: s.family.as_str(),
            text: "",
            start: None,
            end: None,
            intensity_cue: None,
            negated: false,
            named: false,
            score: Some(s.score),
        })
        .collect()
}

fn reading<'a>(n: usize, text: &str, a: &'a Analysis, shown: &Shown) -> Entry<'a> {
    let crisis = a
        .phrases
        .iter()
        .filter(|p| p.kind == PhraseKind::Crisis && !p.negated);
    Entry {
        entry: n,
        safety: a.crisis(),
        safety_quiet: a.crisis_quiet(),
        safety_phrases: spans(crisis),
        numbness: spans(a.found(PhraseKind::Numb)),
        masking: spans(a.found(PhraseKind::Masking)),
        feelings: named(a).chain(inferred(a, shown)).collect(),
        polarity: shown.polarity,
        language: language(text),
    }
}

/// One entry in plain words.
fn plain(e: &Entry<'_>) -> String {
    let quote = |spans: &[Span<'_>]| {
        spans
            .iter()
            .map(|s| format!("“{}”", s.text))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut lines = vec![format!("entry {}:", e.entry)];
    if e.language != "en" {
        lines.push("  this does not look like English, which is the only language feltsense can read for risk language".into());
    }
    if e.safety {
        let own: Vec<_> = e
            .safety_phrases
            .iter()
            .filter(|s| s.stance == Some(feltsense_text::Stance::Own))
            .map(|s| Span { stance: None, ..*s })
            .collect();
        lines.push(format!("  safety panel: yes, because of {}", quote(&own)));
    } else if e.safety_quiet {
        lines.push("  safety: the quiet line (a past experience)".into());
    }
    if !e.numbness.is_empty() {
        lines.push(format!("  numbness: {}", quote(&e.numbness)));
    }
    if !e.masking.is_empty() {
        lines.push(format!("  masking: {}", quote(&e.masking)));
    }
    let feelings: Vec<_> = e
        .feelings
        .iter()
        .filter(|f| f.named)
        .map(|f| {
            if f.negated {
                format!("not {}", f.word)
            } else {
                f.word.to_string()
            }
        })
        .collect();
    if !feelings.is_empty() {
        lines.push(format!("  feelings: {}", feelings.join(", ")));
    }
    let maybe: Vec<&str> = e
        .feelings
        .iter()
        .filter(|f| !f.named)
        .map(|f| f.word)
        .collect();
    if !maybe.is_empty() {
        lines.push(format!("  may also be there: {}", maybe.join(", ")));
    }
    lines.push(format!(
        "  polarity: {}",
        serde_json::to_value(e.polarity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    ));
    lines.join("\n") + "\n"
}
