//! One figure (its value, n and minimum), how it reads, and the rows of
//! the figures table in the order they are shown everywhere.

use super::Insights;
use serde::Serialize;

/// One figure: its value when there is enough data, how many observations
/// it rests on, and how many it needs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    pub value: Option<f64>,
    pub n: usize,
    pub needs: usize,
}

impl Figure {
    pub(crate) fn new(value: Option<f64>, n: usize, needs: usize) -> Figure {
        Figure {
            value: value.filter(|_| n >= needs),
            n,
            needs,
        }
    }

    /// "not enough data yet" when there is no value.
    pub fn enough(&self) -> bool {
        self.value.is_some()
    }
}

/// How a figure reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A share, shown as a percentage.
    Share,
    /// A mean on a 0–10 or −5..5 scale, one decimal.
    Mean,
    /// An index (SD, correlation, entropy), two decimals.
    Number,
}

impl Figure {
    /// The value in words, or "not enough data yet (n of needs)".
    pub fn text(&self, unit: Unit) -> String {
        match (self.value, unit) {
            (None, _) => format!("not enough data yet ({} of {})", self.n, self.needs),
            (Some(v), Unit::Share) => format!("{:.0}%", v * 100.0),
            (Some(v), Unit::Mean) => format!("{v:.1}"),
            (Some(v), Unit::Number) => format!("{v:.2}"),
        }
    }
}

/// One line of the figures table: this window beside the one before.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub label: &'static str,
    pub now: Figure,
    pub before: Figure,
    pub unit: Unit,
    /// Exploratory figures say less on their own (Dejonckheere et al. 2019).
    pub exploratory: bool,
}

/// A row's label, its figure, how it reads and whether it is exploratory,
/// in the order they are shown everywhere.
type RowOf = (&'static str, fn(&Insights) -> Figure, Unit, bool);

#[rustfmt::skip]
const ROWS: [RowOf; 16] = [
    ("numb rate (\"nothing\" or numb words)", |i| i.numb_rate, Unit::Share, false),
    ("intensity, mean of 10", |i| i.intensity, Unit::Mean, false),
    ("pleasant feelings (PA), of 10", |i| i.pa, Unit::Mean, false),
    ("unpleasant feelings (NA), of 10", |i| i.na, Unit::Mean, false),
    ("clarity, of 10", |i| i.clarity, Unit::Mean, false),
    ("pleasantness, mean (-5..5)", |i| i.pleasantness_mean, Unit::Mean, false),
    ("variability: SD of pleasantness", |i| i.pleasantness_sd, Unit::Number, false),
    ("variability: relative SD (0..1)", |i| i.pleasantness_relative_sd, Unit::Number, false),
    ("instability: MSSD", |i| i.instability_mssd, Unit::Number, true),
    ("inertia: lag-1 autocorrelation", |i| i.inertia_ar1, Unit::Number, true),
    ("bipolarity: PA-NA correlation", |i| i.bipolarity, Unit::Number, true),
    ("emodiversity (Shannon entropy)", |i| i.emodiversity, Unit::Number, false),
    ("body awareness", |i| i.body_awareness, Unit::Share, false),
    ("masking gap (shown vs felt)", |i| i.masking_gap, Unit::Mean, false),
    ("granularity, pleasant", |i| i.granularity_positive, Unit::Number, true),
    ("granularity, unpleasant", |i| i.granularity_negative, Unit::Number, true),
];

/// The figures of two windows, in the order they are shown everywhere.
pub fn rows(now: &Insights, before: &Insights) -> Vec<Row> {
    ROWS.iter()
        .map(|&(label, figure, unit, exploratory)| Row {
            label,
            now: figure(now),
            before: figure(before),
            unit,
            exploratory,
        })
        .collect()
}
