//! `feltsense journal`: write freely; feltsense then says, gently, what it
//! noticed in the words, and can turn it into a check-in to confirm.

use super::safety::panel;
use super::{editor, guided_line, present};
use crate::failure;
use crate::settings::Settings;
use feltsense_core::{JournalEntry, Vocabulary};
use feltsense_store::{SqliteStore, Store};
use feltsense_text::model::{self, Shown};
use feltsense_text::{Analysis, Analyzer, PhraseKind};
use std::fmt::Write as _;
use std::io::{IsTerminal, Read};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// The entry's text. Others on this computer can see a command's
    /// arguments while it runs, so for private words leave this out: pipe
    /// the text in on standard input, or let $EDITOR open (on a terminal).
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// Also save what was noticed as a check-in, without asking.
    #[arg(long)]
    checkin: bool,
    /// When this was written, if not now: `2026-11-25T21:30` (local time) or RFC 3339.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// List entries, newest first.
    List,
    /// Show one entry and what was noticed in it.
    Show { id: String },
    /// Delete one entry for good.
    Forget { id: String },
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    match args.action {
        Some(Action::List) => list(settings),
        Some(Action::Show { id }) => {
            let store = open(settings)?;
            let entry = store.journal_entry(id.trim())?;
            println!(
                "{}\n\n{}\n",
                entry.at.format("%a %d %b %Y %H:%M"),
                entry.text
            );
            let (analysis, shown) = analyzer.analyze_shown(&entry.text);
            if analysis.crisis() {
                println!(
                    "{}\n",
                    panel(settings.country.as_deref(), Some(&store.safety_plan()?))
                );
            }
            print!(
                "{}{}",
                care(&analysis, &entry.text),
                noticed(&analysis, &shown)
            );
            Ok(())
        }
        Some(Action::Forget { id }) => {
            open(settings)?.forget_journal(id.trim())?;
            println!("That entry is gone for good.");
            Ok(())
        }
        None => {
            // Checked before the passphrase is asked, so a typo costs nothing.
            let at = super::at_flag(args.at.as_deref())?;
            let page = Page {
                text: args.text,
                at,
                checkin: args.checkin,
            };
            write(settings, page, &analyzer, &vocabulary)
        }
    }
}

/// The store, with any journal text an editor session left behind saved
/// into it first (see `editor::recover`).
fn open(settings: &Settings) -> anyhow::Result<SqliteStore> {
    let mut store = settings.open_store()?;
    editor::recover(&mut store)?;
    Ok(store)
}

fn list(settings: &Settings) -> anyhow::Result<()> {
    let entries = open(settings)?.journal()?;
    if entries.is_empty() {
        println!("No journal entries yet. `feltsense journal` opens a page whenever you like.");
    }
    for e in &entries {
        let first: String = e
            .text
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(60)
            .collect();
        println!(
            "{}  {first}\n  id {}",
            e.at.format("%a %d %b %Y %H:%M"),
            e.id
        );
    }
    Ok(())
}

/// A new entry as given on the command line.
struct Page {
    /// `None`: read from standard input or written in $EDITOR.
    text: Option<String>,
    at: chrono::DateTime<chrono::FixedOffset>,
    /// Save what was noticed as a check-in without asking.
    checkin: bool,
}

fn write(
    settings: &Settings,
    page: Page,
    analyzer: &Analyzer<'_>,
    vocabulary: &Vocabulary,
) -> anyhow::Result<()> {
    // The passphrase first, so nothing written is lost to a typo in it.
    let mut store = settings.open_or_create_store()?;
    editor::recover(&mut store)?;
    let Page { text, at, checkin } = page;
    let text = match text {
        Some(t) => t,
        None if !std::io::stdin().is_terminal() => {
            let mut t = String::new();
            std::io::stdin().read_to_string(&mut t)?;
            t
        }
        None => editor::edit()?,
    };
    let entry =
        JournalEntry::new(uuid::Uuid::now_v7().to_string(), at, &text).map_err(failure::input)?;
    let (analysis, shown) = analyzer.analyze_shown(&entry.text);
    if analysis.crisis() {
        // At once, before anything else.
        println!(
            "{}\n",
            panel(settings.country.as_deref(), Some(&store.safety_plan()?))
        );
    }
    store.add_journal(&entry)?;
    println!("Saved your entry, encrypted.\n");
    print!(
        "{}{}",
        care(&analysis, &entry.text),
        noticed(&analysis, &shown)
    );
    let Some(draft) = analysis.draft() else {
        return Ok(());
    };
    let wanted = checkin || {
        std::io::stdin().is_terminal()
            && guided_line("\nSave these as a check-in? [y/N] ")?
                .is_some_and(|a| a.eq_ignore_ascii_case("y") || a.eq_ignore_ascii_case("yes"))
    };
    if wanted {
        let check_in = draft.validate(
            vocabulary,
            uuid::Uuid::now_v7().to_string(),
            at,
            &super::accepted(),
        )?;
        store.add_checkin(&check_in)?;
        println!(
            "{}\n{}",
            present::thanks(&check_in),
            present::summary(&check_in, vocabulary)
        );
    }
    Ok(())
}

/// What was noticed, in gentle words; `shown` adds what the words seem to
/// show without naming it, apart from the person's own words.
pub fn noticed(a: &Analysis, shown: &Shown) -> String {
    let present = present_feelings(a);
    let maybe: Vec<&str> = model::unnamed(shown, a)
        .iter()
        .map(|f| f.family.as_str())
        .collect();
    if present.is_empty()
        && a.phrases.iter().all(|p| p.negated)
        && a.vague.is_empty()
        && maybe.is_empty()
    {
        return "No feeling words stood out this time. That's information too.\n".to_string();
    }
    let negated: Vec<String> = a
        .feelings
        .iter()
        .filter(|f| f.negated)
        .map(|f| format!("\"{}\"", f.text))
        .collect();
    let mut s = String::from("What feltsense noticed in your words:\n");
    if !present.is_empty() {
        let _ = writeln!(s, "  • feelings: {}", present.join(", "));
    }
    if !negated.is_empty() {
        let _ = writeln!(s, "  • said as not there: {}", negated.join(", "));
    }
    s.push_str(&phrases_noticed(a));
    if !maybe.is_empty() {
        let _ = writeln!(
            s,
            "  • may also be there (a guess from how it is written, not words you used): {}",
            maybe.join(", ")
        );
    }
    s
}

/// Each feeling word found and not negated, with its cue ("very sad") and
/// its family.
fn present_feelings(a: &Analysis) -> Vec<String> {
    a.present()
        .map(|f| match &f.cue {
            Some(c) => format!(
                "{} (\"{} {}\", {})",
                f.word,
                c.text,
                f.text,
                f.family.describe()
            ),
            None => format!("{} ({})", f.word, f.family.describe()),
        })
        .collect()
}

/// The lines for numbness and masking phrases and for vague words, each
/// with the person's own words quoted.
fn phrases_noticed(a: &Analysis) -> String {
    let mut s = String::new();
    let quote = |kind| {
        a.found(kind)
            .map(|p| format!("\"{}\"", p.text))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let numb = quote(PhraseKind::Numb);
    if !numb.is_empty() {
        let _ = writeln!(
            s,
            "  • numbness: {numb}. Feeling little is a real experience, and naming it matters."
        );
    }
    let masking = quote(PhraseKind::Masking);
    if !masking.is_empty() {
        let _ = writeln!(
            s,
            "  • showing something other than what you felt: {masking}."
        );
    }
    for v in &a.vague {
        let _ = writeln!(
            s,
            "  • you wrote \"{}\": closer might be {}…",
            v.text,
            v.options.join(", ")
        );
    }
    s
}

/// The quiet line for a past experience, and a note when the entry is not
/// English (the only language the analysis reads).
fn care(a: &Analysis, text: &str) -> String {
    let mut s = String::new();
    if a.crisis_quiet() {
        s.push_str(
            "If those thoughts come back, help is here: `feltsense help-now` shows crisis \
             lines at once, no passphrase needed.\n\n",
        );
    }
    if feltsense_text::language(text) != "en" {
        s.push_str(
            "feltsense reads English only, so it cannot notice risk language in this entry. \
             If you are not safe, `feltsense help-now` is there at any time, and the \
             questionnaires (`feltsense assess`) work in any language you read.\n\n",
        );
    }
    s
}
