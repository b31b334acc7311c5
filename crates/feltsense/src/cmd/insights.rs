use super::log::parse_span;
use crate::failure;
use crate::settings::Settings;
use chrono::{DateTime, Utc};
use feltsense_core::metrics::insights::{insights, Figure, Insights};
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

/// How a figure reads: a share, a 0–10 mean, or a plain number.
#[derive(Clone, Copy)]
enum Kind {
    Share,
    Mean,
    Number,
}

fn value(f: &Figure, kind: Kind) -> String {
    match (f.value, kind) {
        (None, _) => format!("not enough data yet ({} of {})", f.n, f.needs),
        (Some(v), Kind::Share) => format!("{:.0}%", v * 100.0),
        (Some(v), Kind::Mean) => format!("{v:.1}"),
        (Some(v), Kind::Number) => format!("{v:.2}"),
    }
}

fn short(f: &Figure, kind: Kind) -> String {
    if f.value.is_none() {
        return "—".into();
    }
    value(f, kind)
}

fn render(r: &Report, window: &str) -> String {
    let (c, p) = (&r.current, &r.previous);
    let mut out = format!(
        "Your last {window} ({} check-ins), beside the {window} before ({}).\n\n",
        c.checkins, p.checkins
    );
    out += &format!("Numbness profile\n  {}\n", r.profile.headline);
    for because in &r.profile.because {
        out += &format!("  - {because}\n");
    }
    out += "\n";
    let rows: [(&str, &Figure, &Figure, Kind); 16] = [
        (
            "numb rate (\"nothing\" or numb words)",
            &c.numb_rate,
            &p.numb_rate,
            Kind::Share,
        ),
        (
            "intensity, mean of 10",
            &c.intensity,
            &p.intensity,
            Kind::Mean,
        ),
        ("pleasant feelings (PA), of 10", &c.pa, &p.pa, Kind::Mean),
        ("unpleasant feelings (NA), of 10", &c.na, &p.na, Kind::Mean),
        ("clarity, of 10", &c.clarity, &p.clarity, Kind::Mean),
        (
            "pleasantness, mean (-5..5)",
            &c.pleasantness_mean,
            &p.pleasantness_mean,
            Kind::Mean,
        ),
        (
            "variability: SD of pleasantness",
            &c.pleasantness_sd,
            &p.pleasantness_sd,
            Kind::Number,
        ),
        (
            "  relative SD (0..1)",
            &c.pleasantness_relative_sd,
            &p.pleasantness_relative_sd,
            Kind::Number,
        ),
        (
            "instability: MSSD*",
            &c.instability_mssd,
            &p.instability_mssd,
            Kind::Number,
        ),
        (
            "inertia: lag-1 autocorrelation*",
            &c.inertia_ar1,
            &p.inertia_ar1,
            Kind::Number,
        ),
        (
            "bipolarity: PA-NA correlation",
            &c.bipolarity,
            &p.bipolarity,
            Kind::Number,
        ),
        (
            "emodiversity (Shannon entropy)",
            &c.emodiversity,
            &p.emodiversity,
            Kind::Number,
        ),
        (
            "body awareness",
            &c.body_awareness,
            &p.body_awareness,
            Kind::Share,
        ),
        (
            "masking gap (shown vs felt)",
            &c.masking_gap,
            &p.masking_gap,
            Kind::Mean,
        ),
        (
            "granularity, pleasant*",
            &c.granularity_positive,
            &p.granularity_positive,
            Kind::Number,
        ),
        (
            "granularity, unpleasant*",
            &c.granularity_negative,
            &p.granularity_negative,
            Kind::Number,
        ),
    ];
    out += &format!("  {:<38} {:<34} {}\n", "", "now (n)", "before");
    for (label, now, before, kind) in &rows {
        let now_text = match now.value {
            Some(_) => format!("{} (n {})", value(now, *kind), now.n),
            None => value(now, *kind),
        };
        out += &format!("  {label:<38} {now_text:<34} {}\n", short(before, *kind));
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
        out += &format!(
            "  week of {}  {:>2} check-ins  intensity {intensity:>4} {bar}\n",
            w.starts, w.checkins
        );
    }
    out += "\n";
    for note in r.notes {
        out += &format!("{note}\n");
    }
    out += "* exploratory\n";
    out
}
