//! What seems to go with colour: check-ins in one context (what the person
//! was doing, with whom, where) beside all the others, on intensity,
//! pleasantness, clarity and the share of "can't feel much".
//!
//! Each difference comes with its 95% interval: Welch's t interval for a
//! difference of means (Welch 1947; degrees of freedom by the
//! Welch–Satterthwaite formula, rounded down, so the interval is never
//! narrower than it should be), and Newcombe's hybrid score interval for a
//! difference of shares (Newcombe 1998, *Statistics in Medicine* 17,
//! 873–890, method 10, built on Wilson's score intervals). Only contexts
//! with at least [`MIN_SIDE`] check-ins on each side are compared, and only
//! differences whose interval excludes zero are kept. A difference is never
//! a cause: people choose their contexts, and with many comparisons some
//! differences are chance, so the count of comparisons goes with them.

use super::insights::{means, MIN_MEAN};
use super::stats::{mean, sample_sd, t_975};
use crate::CheckIn;
use crate::Vocabulary;
use std::collections::BTreeMap;

/// Check-ins needed in the context and in the rest, for each figure:
/// DESIGN's minimum for a mean.
pub const MIN_SIDE: usize = MIN_MEAN;

/// The part of the context a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Facet {
    Doing,
    With,
    Where,
}

/// The figure compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Measure {
    /// Mean intensity of the feelings named, of 10 ("nothing" counts 0, as
    /// in the insights).
    Intensity,
    /// Core pleasantness, −5 ..= +5, where given.
    Pleasantness,
    /// How clearly the person could feel, 0 ..= 10, where given.
    Clarity,
    /// The share of check-ins saying "can't feel much", 0 ..= 1.
    Nothing,
}

pub const MEASURES: [Measure; 4] = [
    Measure::Intensity,
    Measure::Pleasantness,
    Measure::Clarity,
    Measure::Nothing,
];

/// A difference (context minus the rest) with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub difference: f64,
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// One difference worth showing.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub facet: Facet,
    /// The context value as first written.
    pub value: String,
    pub measure: Measure,
    /// The mean (or share) in the context and in the rest.
    pub inside: f64,
    pub rest: f64,
    pub n_inside: usize,
    pub n_rest: usize,
    pub interval: Interval,
}

/// Everything the card needs: the differences whose interval excludes
/// zero, how many context values were compared and how many comparisons
/// that made.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comparison {
    pub contexts: usize,
    pub comparisons: usize,
    pub differences: Vec<Difference>,
}

impl Difference {
    /// In plain words, never as a cause: "Check-ins with friends: feelings
    /// clearer by about 2.2 of 10 (range 1.5 to 3.0, 14 check-ins)."
    pub fn sentence(&self) -> String {
        let where_ = match self.facet {
            Facet::Doing => format!("Check-ins while {}", self.value),
            Facet::With => format!("Check-ins with {}", self.value),
            Facet::Where => format!("Check-ins at {}", self.value),
        };
        let up = self.interval.difference > 0.0;
        let (what, scale, factor) = match (self.measure, up) {
            (Measure::Intensity, true) => ("feelings stronger", " of 10", 1.0),
            (Measure::Intensity, false) => ("feelings fainter", " of 10", 1.0),
            (Measure::Pleasantness, true) => ("more pleasant", " (on −5 to +5)", 1.0),
            (Measure::Pleasantness, false) => ("less pleasant", " (on −5 to +5)", 1.0),
            (Measure::Clarity, true) => ("feelings clearer", " of 10", 1.0),
            (Measure::Clarity, false) => ("feelings less clear", " of 10", 1.0),
            (Measure::Nothing, true) => {
                ("\"can't feel much\" more often", " in 100 check-ins", 100.0)
            }
            (Measure::Nothing, false) => {
                ("\"can't feel much\" less often", " in 100 check-ins", 100.0)
            }
        };
        let (mut low, mut high) = (self.interval.low.abs(), self.interval.high.abs());
        if low > high {
            std::mem::swap(&mut low, &mut high);
        }
        format!(
            "{where_}: {what} by about {:.1}{scale} (range {:.1} to {:.1}, {} check-ins).",
            self.interval.difference.abs() * factor,
            low * factor,
            high * factor,
            self.n_inside
        )
    }
}

/// Welch's 95% interval for mean(a) − mean(b); `None` below 2 values a side.
pub fn welch(a: &[f64], b: &[f64]) -> Option<Interval> {
    let (ma, mb) = (mean(a)?, mean(b)?);
    let (va, vb) = (sample_sd(a)?.powi(2), sample_sd(b)?.powi(2));
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (qa, qb) = (va / na, vb / nb);
    let se = (qa + qb).sqrt();
    let difference = ma - mb;
    if se == 0.0 {
        return Some(Interval {
            difference,
            low: difference,
            high: difference,
        });
    }
    let df = (qa + qb).powi(2) / (qa * qa / (na - 1.0) + qb * qb / (nb - 1.0));
    let t = t_975(df.floor() as usize);
    Some(Interval {
        difference,
        low: difference - t * se,
        high: difference + t * se,
    })
}

/// Wilson's 95% score interval for `hits` of `n`.
pub fn wilson(hits: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let (nf, p) = (n as f64, hits as f64 / n as f64);
    let centre = p + z * z / (2.0 * nf);
    let spread = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt();
    let scale = 1.0 + z * z / nf;
    ((centre - spread) / scale, (centre + spread) / scale)
}

/// Newcombe's hybrid score interval for the difference of two shares.
pub fn newcombe(hits_a: usize, n_a: usize, hits_b: usize, n_b: usize) -> Option<Interval> {
    if n_a == 0 || n_b == 0 {
        return None;
    }
    let (pa, pb) = (hits_a as f64 / n_a as f64, hits_b as f64 / n_b as f64);
    let ((la, ua), (lb, ub)) = (wilson(hits_a, n_a), wilson(hits_b, n_b));
    let difference = pa - pb;
    Some(Interval {
        difference,
        low: difference - ((pa - la).powi(2) + (ub - pb).powi(2)).sqrt(),
        high: difference + ((ua - pa).powi(2) + (pb - lb).powi(2)).sqrt(),
    })
}

/// The values one check-in gives the measures, in the order of
/// [`MEASURES`], where it gives them.
fn values_of(c: &CheckIn, vocabulary: &Vocabulary) -> [Option<f64>; 4] {
    let own = means(std::iter::once(c), vocabulary);
    [
        own.intensity,
        c.pleasantness.map(f64::from),
        c.clarity.map(f64::from),
        own.numb_rate,
    ]
}

fn facet_value(c: &CheckIn, facet: Facet) -> Option<&str> {
    let v = match facet {
        Facet::Doing => c.context.doing.as_deref(),
        Facet::With => c.context.with.as_deref(),
        Facet::Where => c.context.place.as_deref(),
    }?;
    let v = v.trim();
    (!v.is_empty()).then_some(v)
}

/// The check-ins of each context value, keyed by facet and the value in
/// lower case (so "Friends" and "friends" are one), with the first spelling.
fn groups(check_ins: &[&CheckIn]) -> BTreeMap<(Facet, String), (String, Vec<bool>)> {
    let mut groups: BTreeMap<(Facet, String), (String, Vec<bool>)> = BTreeMap::new();
    for facet in [Facet::Doing, Facet::With, Facet::Where] {
        for (i, c) in check_ins.iter().enumerate() {
            if let Some(v) = facet_value(c, facet) {
                let entry = groups
                    .entry((facet, v.to_lowercase()))
                    .or_insert_with(|| (v.to_string(), vec![false; check_ins.len()]));
                entry.1[i] = true;
            }
        }
    }
    groups
}

/// Compares every context value having at least [`MIN_SIDE`] check-ins in
/// it and outside it with the rest of the check-ins.
pub fn compare_contexts<'a>(
    check_ins: impl IntoIterator<Item = &'a CheckIn>,
    vocabulary: &Vocabulary,
) -> Comparison {
    let check_ins: Vec<&CheckIn> = check_ins.into_iter().collect();
    let values: Vec<[Option<f64>; 4]> =
        check_ins.iter().map(|c| values_of(c, vocabulary)).collect();
    let mut out = Comparison::default();
    for ((facet, _), (value, member)) in groups(&check_ins) {
        let inside = member.iter().filter(|&&m| m).count();
        if inside < MIN_SIDE || check_ins.len() - inside < MIN_SIDE {
            continue;
        }
        out.contexts += 1;
        for (k, &measure) in MEASURES.iter().enumerate() {
            let side = |want: bool| -> Vec<f64> {
                values
                    .iter()
                    .zip(&member)
                    .filter(|(_, &m)| m == want)
                    .filter_map(|(v, _)| v[k])
                    .collect()
            };
            let (a, b) = (side(true), side(false));
            if a.len() < MIN_SIDE || b.len() < MIN_SIDE {
                continue;
            }
            out.comparisons += 1;
            if let Some(d) = difference(facet, &value, measure, &a, &b) {
                out.differences.push(d);
            }
        }
    }
    out
}

/// The difference of one measure, kept only when its interval excludes 0.
fn difference(
    facet: Facet,
    value: &str,
    measure: Measure,
    a: &[f64],
    b: &[f64],
) -> Option<Difference> {
    let interval = match measure {
        Measure::Nothing => {
            let hits = |xs: &[f64]| xs.iter().filter(|&&x| x > 0.5).count();
            newcombe(hits(a), a.len(), hits(b), b.len())?
        }
        _ => welch(a, b)?,
    };
    interval.excludes_zero().then(|| Difference {
        facet,
        value: value.to_string(),
        measure,
        inside: mean(a).unwrap_or(0.0),
        rest: mean(b).unwrap_or(0.0),
        n_inside: a.len(),
        n_rest: b.len(),
        interval,
    })
}

#[cfg(test)]
#[path = "contexts_tests.rs"]
mod tests;
