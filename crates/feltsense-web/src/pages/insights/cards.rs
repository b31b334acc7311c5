//! The insight cards: each one sentence in plain words and one chart, with
//! the exact figures, n and definitions behind "details".

use feltsense_core::metrics::compare::{Shift, INTENSITY_STEP};
use feltsense_core::metrics::contexts::{Comparison, MIN_SIDE};
use feltsense_core::metrics::insights::Figure;
use feltsense_core::metrics::trend::{Direction, Trend, MIN_PER_WEEK};

pub struct InsightCard {
    pub id: &'static str,
    pub heading: &'static str,
    pub sentence: String,
    pub chart: String,
    /// What each mark of the chart means: a CSS class for the key, words.
    pub legend: Vec<(&'static str, String)>,
    /// The figures, n and definitions, one line each.
    pub details: Vec<String>,
    /// The card in words alone, for a trusted person's gentle view (no
    /// figure, count or chart); empty: the card says nothing without them.
    pub gently: String,
}

/// The card of "what seems to go with colour".
pub struct ContextCard {
    pub sentences: Vec<String>,
    pub details: Vec<String>,
}

/// The trend of intensity in one sentence.
pub fn trend_sentence(trend: &Trend) -> String {
    match trend.direction {
        Direction::Rising => {
            "Colour seems to be coming back: feelings have been getting stronger week by week."
                .into()
        }
        Direction::Falling => "Feelings have been getting quieter lately. That is worth noticing gently, and perhaps sharing with someone you trust.".into(),
        Direction::NoClearChange => "No clear change yet in how strongly feelings arrive.".into(),
        Direction::NotEnoughData => "A trend needs a few more weeks of check-ins; every check-in helps, \"can't feel much\" too.".into(),
    }
}

pub fn weekly_legend(series: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut legend: Vec<(&'static str, String)> = series
        .iter()
        .map(|(class, words)| (*class, (*words).to_string()))
        .collect();
    legend.push((
        "key-weak",
        format!("hollow: a week with fewer than {MIN_PER_WEEK} check-ins, less certain"),
    ));
    legend
}

/// Then and now (the first four weeks of the last 90 days, the last four).
pub fn shift_sentence(shift: Shift) -> String {
    match shift {
        Shift::MoreColour => "More colour in the last four weeks than in the first four of these 90 days.",
        Shift::LessColour => "A little less colour in the last four weeks than in the first four of these 90 days.",
        Shift::NoClearChange => "The last four weeks read much like the first four of these 90 days.",
        Shift::NotEnoughData => "Not enough check-ins yet to set the last four weeks beside the first four of these 90 days.",
    }
    .into()
}

/// This window's intensity against the window before, in words.
pub fn window_sentence(now: Figure, before: Figure, days: i64) -> String {
    let span = match days {
        7 => "this week than the week before".to_string(),
        28 => "this month than the month before".to_string(),
        d => format!("the last {d} days than the {d} before"),
    };
    match (now.value, before.value) {
        (Some(a), Some(b)) if a - b >= INTENSITY_STEP => {
            format!("Feelings were stronger {span} ({a:.1} against {b:.1} of 10).")
        }
        (Some(a), Some(b)) if b - a >= INTENSITY_STEP => {
            format!("Feelings were fainter {span} ({a:.1} against {b:.1} of 10).")
        }
        (Some(a), Some(b)) => {
            format!("Feelings were about as strong {span} ({a:.1} against {b:.1} of 10).")
        }
        _ => format!(
            "Comparing with the {days} days before needs {} check-ins in each (now {}, before {}).",
            now.needs, now.n, before.n
        ),
    }
}

/// The context comparison in plain words, never as a cause.
pub fn context_card(c: &Comparison) -> Option<ContextCard> {
    if c.differences.is_empty() {
        return None;
    }
    let sentences = c.differences.iter().map(|d| d.sentence()).collect();
    let mut details: Vec<String> = c
        .differences
        .iter()
        .map(|d| {
            format!(
                "{}: {:.2} in the context against {:.2} in the rest (n {} and {}); difference {:+.2}, 95% range {:+.2} to {:+.2}.",
                d.sentence().split(':').next().unwrap_or_default(),
                d.inside,
                d.rest,
                d.n_inside,
                d.n_rest,
                d.interval.difference,
                d.interval.low,
                d.interval.high
            )
        })
        .collect();
    details.push(format!(
        "{} contexts had at least {MIN_SIDE} check-ins in them and {MIN_SIDE} outside; that made {} comparisons. \
         With this many, some differences are chance, and none says what causes what: \
         people choose where they go and whom they see for many reasons.",
        c.contexts, c.comparisons
    ));
    details.push(
        "Intensity, pleasantness and clarity: difference of means with Welch's 95% interval. \
         \"Can't feel much\": difference of shares with Newcombe's 95% interval (from Wilson's). \
         Only differences whose range leaves out zero are shown."
            .into(),
    );
    Some(ContextCard { sentences, details })
}

const QUADRANTS: [&str; 5] = [
    "pleasant with energy",
    "pleasant and calm",
    "unpleasant with energy",
    "unpleasant and low",
    "in between",
];

/// The quadrant with the most check-ins, in words.
pub fn quadrant_sentence(points: &[((i8, i8), usize)], days: i64) -> String {
    match most_in(points) {
        Some((i, n, total)) => format!(
            "In the last {days} days most check-ins sat {}: {n} of {total}.",
            QUADRANTS[i]
        ),
        None => {
            format!("No check-in of the last {days} days placed itself on pleasantness and energy.")
        }
    }
}

/// The quadrant with the most check-ins, without a count.
pub fn quadrant_gently(points: &[((i8, i8), usize)]) -> String {
    match most_in(points) {
        Some((i, _, _)) => format!("Most check-ins sat {}.", QUADRANTS[i]),
        None => "No check-in placed itself on pleasantness and energy.".into(),
    }
}

/// The fullest quadrant, its check-ins and all placed (`None`: none placed).
fn most_in(points: &[((i8, i8), usize)]) -> Option<(usize, usize, usize)> {
    let mut counts = [0usize; 5];
    for &((p, e), n) in points {
        let q = match (p.signum(), e.signum()) {
            (1, 1) => 0,
            (1, -1) => 1,
            (-1, 1) => 2,
            (-1, -1) => 3,
            _ => 4,
        };
        counts[q] += n;
    }
    let total: usize = counts.iter().sum();
    let i = (0..5).max_by_key(|&i| (counts[i], 5 - i))?;
    (total > 0).then_some((i, counts[i], total))
}

/// The family named most often, in words.
pub fn family_sentence(counts: &[(String, usize)]) -> String {
    match counts.iter().max_by_key(|c| c.1) {
        Some((family, n)) if *n > 0 => {
            format!("Named most often: {family} ({n} {}).", times(*n))
        }
        _ => "No feeling words were named in this window, and that is fine.".into(),
    }
}

/// The family named most often, without a count.
pub fn family_gently(counts: &[(String, usize)]) -> String {
    match counts.iter().max_by_key(|c| c.1) {
        Some((family, n)) if *n > 0 => format!("Named most often: {family}."),
        _ => "No feeling words were named in this window, and that is fine.".into(),
    }
}

/// Then and now in words alone.
pub fn shift_gently(shift: Shift) -> String {
    match shift {
        Shift::MoreColour => "More colour lately than earlier in these three months.",
        Shift::LessColour => "A little less colour lately than earlier in these three months.",
        Shift::NoClearChange => "Lately reads much like earlier in these three months.",
        Shift::NotEnoughData => "Not enough check-ins yet to set lately beside earlier.",
    }
    .into()
}

fn times(n: usize) -> &'static str {
    if n == 1 {
        "time"
    } else {
        "times"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(value: Option<f64>, n: usize) -> Figure {
        Figure {
            value,
            n,
            needs: 14,
        }
    }

    #[test]
    fn windows_compare_in_words() {
        let (a, b) = (figure(Some(5.2), 20), figure(Some(4.1), 18));
        assert_eq!(
            window_sentence(a, b, 28),
            "Feelings were stronger this month than the month before (5.2 against 4.1 of 10)."
        );
        assert!(window_sentence(b, a, 7).starts_with("Feelings were fainter this week"));
        assert!(window_sentence(figure(None, 3), b, 90).contains("(now 3, before 18)"));
    }

    #[test]
    fn quadrants_and_families_in_words() {
        let points = [((2, -1), 3), ((-3, 2), 1), ((0, 0), 2)];
        assert_eq!(
            quadrant_sentence(&points, 28),
            "In the last 28 days most check-ins sat pleasant and calm: 3 of 6."
        );
        assert!(quadrant_sentence(&[], 7).starts_with("No check-in"));
        let counts = [("joy".to_string(), 1), ("fear".to_string(), 4)];
        assert_eq!(
            family_sentence(&counts),
            "Named most often: fear (4 times)."
        );
    }
}
