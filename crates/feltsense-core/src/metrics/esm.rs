//! Per-participant metrics of an experience-sampling (ESM/EMA) data set,
//! the figures `feltsense analyze` writes. Definitions:
//!
//! - PA / NA of a prompt: the mean of its present positive / negative items.
//! - `n`: prompts with at least one item present.
//! - `pa_mean`, `pa_sd` (and NA): mean and sample SD over the prompts where
//!   the value is present (Dejonckheere et al. 2019).
//! - `*_mssd`, `*_ar1`: over pairs of consecutive prompts in time order
//!   where both values are present; a missing value (even a fully skipped
//!   prompt) breaks the pair (Jahng et al. 2008; Kuppens et al. 2010). With
//!   `within_day`, both prompts of a pair must fall on the same calendar day.
//!   `pa_pairs`, `na_pairs`: how many pairs each used, so a published
//!   "observations" count can be checked.
//! - `*_granularity` = 1 − ICC(3,k) over the prompts where every item of the
//!   valence is present, `*_icc_z` = atanh(ICC) (Tugade et al. 2004; Erbas
//!   et al. 2014; Shrout & Fleiss 1979).
//! - `emodiversity` = −Σ pᵢ ln pᵢ over all items, pᵢ = item i's summed
//!   (rating − scale minimum) over the total (Quoidbach et al. 2014).

use super::stats::{ar1, icc3k_rows, lag_pairs, mean, mssd, sample_sd, shannon};

/// The output columns, in order. Other tools rely on these names.
pub const COLUMNS: [&str; 17] = [
    "id",
    "n",
    "pa_mean",
    "pa_sd",
    "na_mean",
    "na_sd",
    "pa_mssd",
    "na_mssd",
    "pa_ar1",
    "na_ar1",
    "pos_granularity",
    "neg_granularity",
    "pos_icc_z",
    "neg_icc_z",
    "emodiversity",
    "pa_pairs",
    "na_pairs",
];

/// The shape of the data: how many positive items come first in each row,
/// then how many negative ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub positive: usize,
    pub negative: usize,
    /// The lowest rating of the scale: "not at all".
    pub scale_min: f64,
    pub within_day: bool,
}

impl Layout {
    pub fn items(&self) -> usize {
        self.positive + self.negative
    }
}

/// One participant's figures; `None` where a figure is undefined.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EsmMetrics {
    pub n: usize,
    pub pa_mean: Option<f64>,
    pub pa_sd: Option<f64>,
    pub na_mean: Option<f64>,
    pub na_sd: Option<f64>,
    pub pa_mssd: Option<f64>,
    pub na_mssd: Option<f64>,
    pub pa_ar1: Option<f64>,
    pub na_ar1: Option<f64>,
    pub pos_granularity: Option<f64>,
    pub neg_granularity: Option<f64>,
    pub pos_icc_z: Option<f64>,
    pub neg_icc_z: Option<f64>,
    pub emodiversity: Option<f64>,
    /// Successive pairs behind `pa_mssd` and `pa_ar1`.
    pub pa_pairs: usize,
    /// Successive pairs behind `na_mssd` and `na_ar1`.
    pub na_pairs: usize,
}

impl EsmMetrics {
    /// The figures after `n`, in [`COLUMNS`] order (the pair counts follow).
    pub fn figures(&self) -> [Option<f64>; 13] {
        [
            self.pa_mean,
            self.pa_sd,
            self.na_mean,
            self.na_sd,
            self.pa_mssd,
            self.na_mssd,
            self.pa_ar1,
            self.na_ar1,
            self.pos_granularity,
            self.neg_granularity,
            self.pos_icc_z,
            self.neg_icc_z,
            self.emodiversity,
        ]
    }
}

/// Computes one participant's figures. `values` holds the prompts in time
/// order, row-major, `layout.items()` a row, NaN for a missing cell.
/// `days` (one per prompt) is needed only with `layout.within_day`.
pub fn participant(values: &[f64], days: &[i64], layout: &Layout) -> EsmMetrics {
    let items = layout.items();
    let prompts = values.len() / items.max(1);
    let mut pa = Vec::with_capacity(prompts);
    let mut na = Vec::with_capacity(prompts);
    let mut n = 0;
    for row in values.chunks_exact(items) {
        let (pos, neg) = row.split_at(layout.positive);
        pa.push(present_mean(pos));
        na.push(present_mean(neg));
        n += usize::from(row.iter().any(|x| !x.is_nan()));
    }
    let linked = |i: usize| !layout.within_day || days.get(i) == days.get(i + 1);
    let pa_pairs = lag_pairs(&pa, linked);
    let na_pairs = lag_pairs(&na, linked);
    let pa_present: Vec<f64> = pa.iter().copied().filter(|x| !x.is_nan()).collect();
    let na_present: Vec<f64> = na.iter().copied().filter(|x| !x.is_nan()).collect();
    let pos_icc = granularity_icc(values, items, 0..layout.positive);
    let neg_icc = granularity_icc(values, items, layout.positive..items);
    EsmMetrics {
        n,
        pa_mean: mean(&pa_present),
        pa_sd: sample_sd(&pa_present),
        na_mean: mean(&na_present),
        na_sd: sample_sd(&na_present),
        pa_mssd: mssd(&pa_pairs),
        na_mssd: mssd(&na_pairs),
        pa_ar1: ar1(&pa_pairs),
        na_ar1: ar1(&na_pairs),
        pos_granularity: pos_icc.map(|icc| 1.0 - icc),
        neg_granularity: neg_icc.map(|icc| 1.0 - icc),
        pos_icc_z: pos_icc.and_then(fisher_z),
        neg_icc_z: neg_icc.and_then(fisher_z),
        emodiversity: emodiversity(values, items, layout.scale_min),
        pa_pairs: pa_pairs.len(),
        na_pairs: na_pairs.len(),
    }
}

fn present_mean(items: &[f64]) -> f64 {
    let (sum, count) = items
        .iter()
        .filter(|x| !x.is_nan())
        .fold((0.0, 0usize), |(s, c), x| (s + x, c + 1));
    if count == 0 {
        f64::NAN
    } else {
        sum / count as f64
    }
}

/// ICC(3,k) over the complete prompts of one valence (columns `cols`).
fn granularity_icc(values: &[f64], items: usize, cols: std::ops::Range<usize>) -> Option<f64> {
    let width = cols.len();
    let complete = values
        .chunks_exact(items)
        .map(move |row| &row[cols.clone()])
        .filter(|part| part.iter().all(|x| !x.is_nan()));
    icc3k_rows(complete, width)
}

/// Fisher's z, atanh(r); undefined at |r| ≥ 1.
fn fisher_z(r: f64) -> Option<f64> {
    (r.abs() < 1.0).then(|| r.atanh())
}

fn emodiversity(values: &[f64], items: usize, scale_min: f64) -> Option<f64> {
    let mut sums = vec![0.0; items];
    for row in values.chunks_exact(items) {
        for (s, &x) in sums.iter_mut().zip(row) {
            if !x.is_nan() {
                *s += x - scale_min;
            }
        }
    }
    shannon(&sums)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::stats::icc3k;

    const NAN: f64 = f64::NAN;
    const LAYOUT: Layout = Layout {
        positive: 2,
        negative: 2,
        scale_min: 1.0,
        within_day: false,
    };

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn a_small_participant_by_hand() {
        // Prompts (pos1 pos2 | neg1 neg2):
        //  1: 5 3 | 1 1     PA 4    NA 1
        //  2: skipped       PA -    NA -
        //  3: 4 4 | 2 NaN   PA 4    NA 2
        //  4: 2 2 | 3 5     PA 2    NA 4
        //  5: 3 5 | 2 2     PA 4    NA 2
        #[rustfmt::skip]
        let v = [
            5.0, 3.0, 1.0, 1.0,
            NAN, NAN, NAN, NAN,
            4.0, 4.0, 2.0, NAN,
            2.0, 2.0, 3.0, 5.0,
            3.0, 5.0, 2.0, 2.0,
        ];
        let m = participant(&v, &[], &LAYOUT);
        assert_eq!(m.n, 4);
        assert!(close(m.pa_mean, 3.5));
        // PA 4,4,2,4: SS = 3·0.25 + 2.25 = 3, var 1.
        assert!(close(m.pa_sd, 1.0));
        assert!(close(m.na_mean, 2.25));
        // PA pairs (4,2), (2,4) (the skipped prompt breaks 1→3): MSSD = 4.
        assert!(close(m.pa_mssd, 4.0));
        assert_eq!(m.pa_ar1, None, "only 2 pairs");
        assert_eq!((m.pa_pairs, m.na_pairs), (2, 2));
        // NA pairs (2,4), (4,2): MSSD 4.
        assert!(close(m.na_mssd, 4.0));
        // Positive complete prompts: (5,3), (4,4), (2,2), (3,5).
        let pos = icc3k(&[5.0, 3.0, 4.0, 4.0, 2.0, 2.0, 3.0, 5.0], 4, 2).unwrap();
        assert!(close(m.pos_granularity, 1.0 - pos));
        // Negative complete prompts: (1,1), (3,5), (2,2).
        let neg = icc3k(&[1.0, 1.0, 3.0, 5.0, 2.0, 2.0], 3, 2).unwrap();
        assert!(close(m.neg_granularity, 1.0 - neg));
        assert!(close(m.neg_icc_z, neg.atanh()));
        // Sums of (rating − 1): pos1 10, pos2 10, neg1 4, neg2 5.
        let total = 29.0f64;
        let h: f64 = [10.0, 10.0, 4.0, 5.0]
            .iter()
            .map(|w| -(w / total) * (w / total).ln())
            .sum();
        assert!(close(m.emodiversity, h));
    }

    #[test]
    fn within_day_drops_pairs_across_midnight() {
        let v = [1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 1.0, 1.0, 4.0, 4.0, 1.0, 1.0];
        let all = participant(&v, &[0, 0, 1], &LAYOUT);
        // PA 1, 2, 4: pairs (1,2), (2,4) → MSSD (1 + 4) / 2.
        assert!(close(all.pa_mssd, 2.5));
        let within = participant(
            &v,
            &[0, 0, 1],
            &Layout {
                within_day: true,
                ..LAYOUT
            },
        );
        assert_eq!(within.pa_mssd, None, "one pair left");
    }

    #[test]
    fn constant_ratings_have_no_granularity_or_inertia() {
        let v = [4.0; 4 * 6];
        let m = participant(&v, &[], &LAYOUT);
        assert_eq!(m.n, 6);
        assert!(close(m.pa_sd, 0.0));
        assert!(close(m.pa_mssd, 0.0));
        assert_eq!(m.pa_ar1, None);
        assert_eq!(m.pos_granularity, None);
        assert_eq!(m.pos_icc_z, None);
        // Every item contributes (4 − 1) × 6: four equal shares.
        assert!(close(m.emodiversity, 4f64.ln()));
    }

    #[test]
    fn a_single_prompt_gives_only_means() {
        let m = participant(&[3.0, NAN, 2.0, 2.0], &[], &LAYOUT);
        assert_eq!(m.n, 1);
        assert!(close(m.pa_mean, 3.0));
        assert_eq!(m.pa_sd, None);
        assert_eq!(m.pa_mssd, None);
        assert_eq!(m.pos_granularity, None);
    }

    #[test]
    fn all_at_scale_minimum_has_no_emodiversity() {
        let m = participant(&[1.0; 8], &[], &LAYOUT);
        assert_eq!(m.emodiversity, None);
    }
}
