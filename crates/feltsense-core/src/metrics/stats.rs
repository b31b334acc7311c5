//! Plain statistics over `f64`, each with its literature source.

/// Arithmetic mean; `None` for no values.
pub fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    Some(xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Sample standard deviation (n − 1 denominator); `None` below 2 values.
/// The within-person SD is the plainest index of emotional variability;
/// Dejonckheere et al. (2019, *Nature Human Behaviour* 3, 478–491) show
/// the more complex indices add little beyond mean and SD.
pub fn sample_sd(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let m = mean(xs)?;
    let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
    Some((ss / (xs.len() - 1) as f64).sqrt())
}

/// Pearson correlation; `None` below 2 pairs or when either side has no
/// variance.
pub fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 2 {
        return None;
    }
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Pairs of consecutive observations `(x[i], x[i+1])` where both are
/// present (not NaN) and `linked(i)` says position i and i + 1 belong
/// together (for example: the same day). A missing value breaks the pair;
/// it is never stepped over (Jahng, Wood & Trull 2008, *Psychological
/// Methods* 13(4), 354–375, on MSSD with missing observations).
pub fn lag_pairs(xs: &[f64], linked: impl Fn(usize) -> bool) -> Vec<(f64, f64)> {
    xs.windows(2)
        .enumerate()
        .filter(|(i, w)| !w[0].is_nan() && !w[1].is_nan() && linked(*i))
        .map(|(_, w)| (w[0], w[1]))
        .collect()
}

/// Instability: the mean squared successive difference over the pairs,
/// Σ(xᵢ₊₁ − xᵢ)² / (number of pairs), which with no missing values is
/// Σ(xᵢ₊₁ − xᵢ)² / (n − 1) (von Neumann et al. 1941; Jahng et al. 2008).
/// `None` below 2 pairs.
pub fn mssd(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 2 {
        return None;
    }
    Some(pairs.iter().map(|(a, b)| (b - a) * (b - a)).sum::<f64>() / pairs.len() as f64)
}

/// Inertia: the lag-1 autocorrelation, as the Pearson correlation of the
/// consecutive pairs (Kuppens, Allen & Sheeber 2010, *Psychological
/// Science* 21(7), 984–991). `None` below 3 pairs or with no variance.
pub fn ar1(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    pearson(pairs)
}

/// ICC(3,k): two-way mixed effects, consistency, average measures (Shrout &
/// Fleiss 1979, *Psychological Bulletin* 86(2), 420–428; McGraw & Wong 1996),
/// `(MS_rows − MS_error) / MS_rows`, for a `rows × cols` matrix in row-major
/// order. Emotion differentiation (granularity) is 1 − ICC over a person's
/// ratings of same-valence items, prompts as rows and items as columns
/// (Tugade, Fredrickson & Barrett 2004; Erbas et al. 2014). `None` below 3
/// rows or 2 columns, or when MS_rows is 0 (no variance between prompts).
pub fn icc3k(values: &[f64], rows: usize, cols: usize) -> Option<f64> {
    if cols == 0 || values.len() != rows * cols {
        return None;
    }
    icc3k_rows(values.chunks_exact(cols), cols)
}

/// [`icc3k`] over rows given one slice each (all `cols` long), read twice
/// and never copied: the grand mean first, then the sums of squares.
pub fn icc3k_rows<'a>(rows: impl Iterator<Item = &'a [f64]> + Clone, cols: usize) -> Option<f64> {
    let (mut n_rows, mut total) = (0usize, 0.0);
    for row in rows.clone() {
        n_rows += 1;
        total += row.iter().sum::<f64>();
    }
    if n_rows < 3 || cols < 2 {
        return None;
    }
    let grand = total / (n_rows * cols) as f64;
    let (mut ss_total, mut ss_rows) = (0.0, 0.0);
    let mut col_sums = vec![0.0; cols];
    for row in rows {
        let row_mean = row.iter().sum::<f64>() / cols as f64;
        ss_rows += (row_mean - grand) * (row_mean - grand);
        for (sum, &x) in col_sums.iter_mut().zip(row) {
            ss_total += (x - grand) * (x - grand);
            *sum += x;
        }
    }
    ss_rows *= cols as f64;
    let ss_cols: f64 = col_sums
        .iter()
        .map(|s| {
            let m = s / n_rows as f64;
            (m - grand) * (m - grand)
        })
        .sum::<f64>()
        * n_rows as f64;
    let ss_error = (ss_total - ss_rows - ss_cols).max(0.0);
    let ms_rows = ss_rows / (n_rows - 1) as f64;
    let ms_error = ss_error / ((n_rows - 1) * (cols - 1)) as f64;
    // Treat round-off as no variance.
    if ms_rows <= 1e-12 * (1.0 + ss_total) {
        return None;
    }
    Some((ms_rows - ms_error) / ms_rows)
}

/// Shannon entropy −Σ pᵢ ln pᵢ of non-negative weights, pᵢ = wᵢ / Σw
/// (emodiversity: Quoidbach et al. 2014, *Journal of Experimental
/// Psychology: General* 143(6), 2057–2066). Zero weights add nothing.
/// `None` when the weights sum to 0.
pub fn shannon(weights: &[f64]) -> Option<f64> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let h: f64 = weights
        .iter()
        .filter(|&&w| w > 0.0)
        .map(|&w| {
            let p = w / total;
            -p * p.ln()
        })
        .sum();
    Some(h.max(0.0))
}

/// The relative SD of Mestdagh et al. (2018, *Psychological Methods* 23(4),
/// 690–707): the SD divided by the largest SD possible for `n` values with
/// this mean on a scale bounded by `min` and `max`,
/// √((max − M)(M − min) · n / (n − 1)). This removes the dependence of the
/// SD on the mean that ratings near the floor (as in numbness) create.
/// `None` below 2 values or when the mean sits on a bound.
pub fn relative_sd(mean: f64, sd: f64, n: usize, min: f64, max: f64) -> Option<f64> {
    if n < 2 {
        return None;
    }
    let max_var = (max - mean) * (mean - min) * n as f64 / (n - 1) as f64;
    if max_var <= 0.0 {
        return None;
    }
    Some((sd / max_var.sqrt()).min(1.0))
}

/// An ordinary least-squares slope with its standard error and a 95%
/// interval (Student's t with n − 2 degrees of freedom).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Slope {
    pub intercept: f64,
    pub slope: f64,
    pub se: f64,
    pub low: f64,
    pub high: f64,
    pub n: usize,
}

/// OLS of y on x; `None` below 3 points or when x does not vary.
pub fn ols_slope(points: &[(f64, f64)]) -> Option<Slope> {
    let n = points.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / nf;
    let my = points.iter().map(|p| p.1).sum::<f64>() / nf;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let sse: f64 = points
        .iter()
        .map(|p| (p.1 - intercept - slope * p.0).powi(2))
        .sum();
    let se = (sse / (nf - 2.0) / sxx).sqrt();
    let t = t_975(n - 2);
    Some(Slope {
        intercept,
        slope,
        se,
        low: slope - t * se,
        high: slope + t * se,
        n,
    })
}

/// The 97.5th percentile of Student's t with `df` degrees of freedom.
pub(crate) fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df - 1],
        31..=60 => 2.042 - (df - 30) as f64 * (2.042 - 2.000) / 30.0,
        61..=120 => 2.000 - (df - 60) as f64 * (2.000 - 1.980) / 60.0,
        _ => 1.960,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn mean_and_sd_by_hand() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, SS 32, sample var 32/7.
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(mean(&xs), Some(5.0));
        assert!(close(sample_sd(&xs).unwrap(), (32.0f64 / 7.0).sqrt()));
        assert_eq!(sample_sd(&[3.0]), None);
        assert_eq!(mean(&[]), None);
    }

    #[test]
    fn missing_values_break_pairs_instead_of_being_skipped() {
        let nan = f64::NAN;
        let xs = [1.0, 3.0, nan, 4.0, 2.0, 2.0];
        let pairs = lag_pairs(&xs, |_| true);
        assert_eq!(pairs, vec![(1.0, 3.0), (4.0, 2.0), (2.0, 2.0)]);
        // (3-1)² + (2-4)² + 0 = 8 over 3 pairs.
        assert!(close(mssd(&pairs).unwrap(), 8.0 / 3.0));
        let same_day = lag_pairs(&xs, |i| i != 3);
        assert_eq!(same_day, vec![(1.0, 3.0), (2.0, 2.0)]);
        assert_eq!(mssd(&[(1.0, 2.0)]), None);
    }

    #[test]
    fn ar1_by_hand() {
        // Pairs (1,2), (2,3), (3,5): x mean 2, y mean 10/3.
        // sxy = (-1)(-4/3) + 0 + (1)(5/3) = 3; sxx = 2; syy = 16/9+1/9+25/9 = 42/9.
        let r = ar1(&[(1.0, 2.0), (2.0, 3.0), (3.0, 5.0)]).unwrap();
        assert!(close(r, 3.0 / (2.0f64 * 42.0 / 9.0).sqrt()));
        assert_eq!(ar1(&[(1.0, 2.0), (2.0, 3.0)]), None);
        assert_eq!(ar1(&[(1.0, 2.0), (1.0, 3.0), (1.0, 5.0)]), None);
    }

    #[test]
    fn icc_by_hand() {
        // Rows (prompts) × columns (items):
        //   1 2 | 3 4 | 5 7   grand mean 11/3.
        // row means 1.5, 3.5, 6: SS_rows = 2·((1.5-11/3)² + (3.5-11/3)² + (6-11/3)²) = 61/3
        // col means 3, 13/3: SS_cols = 3·((3-11/3)² + (13/3-11/3)²) = 8/3
        // SS_total = 64/3... (1,2,3,4,5,7 around 11/3) = 70/3, SS_err = 70/3 - 61/3 - 8/3 = 1/3
        // MS_rows = 61/6, MS_err = (1/3)/2 = 1/6, ICC = (61/6 - 1/6)/(61/6) = 60/61.
        let icc = icc3k(&[1.0, 2.0, 3.0, 4.0, 5.0, 7.0], 3, 2).unwrap();
        assert!(close(icc, 60.0 / 61.0), "{icc}");
        assert_eq!(icc3k(&[4.0; 6], 3, 2), None, "no variance");
        assert_eq!(icc3k(&[1.0, 2.0, 3.0, 4.0], 2, 2), None, "too few rows");
    }

    #[test]
    fn icc_can_be_negative_when_items_disagree() {
        // Items move in opposite directions: MS_error exceeds MS_rows.
        let icc = icc3k(&[1.0, 5.0, 5.0, 1.0, 2.0, 5.0, 4.0, 2.0], 4, 2).unwrap();
        assert!(icc < 0.0, "{icc}");
    }

    #[test]
    fn entropy_by_hand() {
        assert!(close(shannon(&[1.0, 1.0]).unwrap(), 2f64.ln()));
        assert!(close(shannon(&[5.0, 0.0]).unwrap(), 0.0));
        assert!(close(
            shannon(&[1.0, 1.0, 2.0]).unwrap(),
            -(0.5 * 0.5f64.ln() + 0.5 * 0.25f64.ln())
        ));
        assert_eq!(shannon(&[0.0, 0.0]), None);
    }

    #[test]
    fn relative_sd_is_one_at_the_largest_possible_spread() {
        // Half the values at 0, half at 10: mean 5, the largest SD possible.
        let xs = [0.0, 10.0, 0.0, 10.0];
        let sd = sample_sd(&xs).unwrap();
        assert!(close(relative_sd(5.0, sd, 4, 0.0, 10.0).unwrap(), 1.0));
        assert_eq!(
            relative_sd(0.0, 0.0, 4, 0.0, 10.0),
            None,
            "mean on the floor"
        );
    }

    #[test]
    fn slope_with_interval() {
        let pts = [(0.0, 1.0), (1.0, 3.0), (2.0, 5.0), (3.0, 7.0)];
        let s = ols_slope(&pts).unwrap();
        assert!(close(s.slope, 2.0));
        assert!(close(s.se, 0.0));
        let noisy = [(0.0, 1.0), (1.0, 2.0), (2.0, 1.0), (3.0, 2.0)];
        let s = ols_slope(&noisy).unwrap();
        // slope 0.2, residuals ±0.2, ±0.6: SSE 0.8, SE sqrt(0.8/2/5) = sqrt(0.08); t(2) = 4.303.
        assert!(close(s.slope, 0.2));
        assert!(close(s.se, 0.08f64.sqrt()));
        assert!(close(s.high - s.slope, 4.303 * 0.08f64.sqrt()));
        assert!(ols_slope(&[(1.0, 1.0), (1.0, 2.0), (1.0, 3.0)]).is_none());
    }
}
