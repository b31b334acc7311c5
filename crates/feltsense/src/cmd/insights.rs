use super::log::parse_span;
use crate::failure;
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use feltsense_core::metrics::insights::{insights, rows, Insights};
use feltsense_core::metrics::profile::{profile, NumbnessProfile, NOT_A_DIAGNOSIS};
use feltsense_core::metrics::trend::{weekly, Trend, REACTIVITY_NOTE};
use feltsense_core::{CheckIn, Vocabulary};
use feltsense_store::Store;
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How far back to look (`28d`, `4w`), compared with the same span before it.
    #[arg(long, value_name = "SPAN", default_value = "28d")]
    window: String,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Report {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    window_days: f64,
    current: Insights,
    previous: Insights,
    profile: NumbnessProfile,
    trend: Trend,
    notes: [&'static str; 3],
}

const EXPLORATORY: &str = "Mean and SD come first; instability (MSSD), inertia and granularity \
are exploratory and say less on their own.";

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let span = parse_span(&args.window).map_err(|e| failure::input(format!("--window: {e}")))?;
    if span.num_days() < 1 {
        return Err(failure::input(
            "--window: use at least a day, such as 7d or 28d",
        ));
    }
    let store = settings.open_store()?;
    let vocabulary = Vocabulary::embedded();
    let all = store.checkins(None)?;
    super::warn_skipped(&store);
    let to = Utc::now();
    let from = to - span;
    let between = |a: DateTime<Utc>, b: DateTime<Utc>| -> Vec<CheckIn> {
        all.iter()
            .filter(|c| c.at >= a && c.at < b)
            .cloned()
            .collect()
    };
    let current = insights(
        &between(from, to + chrono::Duration::seconds(1)),
        &vocabulary,
    );
    let previous = insights(&between(from - span, from), &vocabulary);
    let report = Report {
        from,
        to,
        window_days: span.num_seconds() as f64 / 86_400.0,
        profile: profile(&current),
        trend: weekly(&all, &vocabulary),
        current,
        previous,
        notes: [EXPLORATORY, REACTIVITY_NOTE, NOT_A_DIAGNOSIS],
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let days = report.window_days;
        let window = if days.fract() == 0.0 {
            format!("{days} days")
        } else {
            args.window.clone()
        };
        print!("{}", render(&report, &window));
    }
    Ok(())
}

fn check_ins(n: usize) -> String {
    super::count(n as u64, "check-in", "check-ins")
}

fn render(r: &Report, window: &str) -> String {
    let (c, p) = (&r.current, &r.previous);
    let mut out = format!(
        "Your last {window} ({}), beside the {window} before ({}).\n\n",
        check_ins(c.checkins),
        check_ins(p.checkins)
    );
    out += &format!("Numbness profile\n  {}\n", r.profile.headline);
    for because in &r.profile.because {
        out += &format!("  - {because}\n");
    }
    out += "\n";
    out += &format!("  {:<38} {:<34} {}\n", "", "now (n)", "before");
    for row in rows(c, p) {
        let label = format!("{}{}", row.label, if row.exploratory { "*" } else { "" });
        let now = match row.now.value {
            Some(_) => format!("{} (n {})", row.now.text(row.unit), row.now.n),
            None => row.now.text(row.unit),
        };
        let before = if row.before.enough() {
            row.before.text(row.unit)
        } else {
            "—".into()
        };
        out += &format!("  {label:<38} {now:<34} {before}\n");
    }
    out += &format!(
        "  {:<38} {} words from {} families (before: {} from {})\n\n",
        "feelings named",
        c.distinct_words,
        c.distinct_families,
        p.distinct_words,
        p.distinct_families
    );
    out += &format!("Is colour coming back?\n  {}\n", r.trend.summary);
    for w in r
        .trend
        .weeks
        .iter()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        let bar = w
            .intensity
            .map_or(String::new(), |i| "▇".repeat((i * 2.0).round() as usize));
        let intensity = w.intensity.map_or("—".into(), |i| format!("{i:.1}"));
        let given = if w.rated < w.checkins {
            format!(" ({} with an intensity)", w.rated)
        } else {
            String::new()
        };
        out += &format!(
            "  week of {}  {:>12}  intensity {intensity:>4} {bar}{given}\n",
            w.starts,
            check_ins(w.checkins)
        );
    }
    out += "\n";
    for note in r.notes {
        out += &format!("{note}\n");
    }
    out += "* exploratory\n";
    out
}
