//! A person's figures over a window of check-ins, each with its n and a
//! minimum below which it is "not enough data yet" rather than a number.
//!
//! Per check-in, over the check-ins that answered the feelings question
//! (named feelings, or "nothing"):
//! - intensity: the mean of the intensities given for the feelings named,
//!   numb-spectrum words left out because they name an absence; 0 for
//!   "nothing" or for numb-spectrum words only; *unknown* when every other
//!   word was named without an intensity.
//! - PA / NA: the mean intensity of the pleasant / unpleasant words named
//!   (vocabulary pleasantness above / below 0), 0 when there are none, so
//!   numbness lowers both and low mood lowers PA while raising NA; unknown
//!   when there are such words but none has an intensity.
//! - numb: "nothing", or numb-spectrum words only.
//!
//! Every figure counts only the check-ins that answered its question: a
//! mood-only import (Daylio) answers pleasantness, not intensity; body
//! awareness counts the check-ins that could hold the body at all.
//!
//! Minimums follow DESIGN.md: means from 14 check-ins, SD and MSSD from 40,
//! inertia from 50 consecutive pairs, granularity from 30 complete
//! check-ins with 3+ items per valence. Mean and SD come first
//! (Dejonckheere et al. 2019); inertia, MSSD and granularity are
//! exploratory.

use super::stats::{
    ar1, icc3k_rows, lag_pairs, mean, mssd, pearson, relative_sd, sample_sd, shannon,
};
use crate::{CheckIn, Family, Vocabulary};
use serde::Serialize;
use std::collections::BTreeSet;

mod figure;
mod moment;
pub use figure::{rows, Figure, Row, Unit};
pub use moment::{means, Means};
use moment::{moment, named, Moment, Named};

pub const MIN_MEAN: usize = 14;
pub const MIN_SPREAD: usize = 40;
pub const MIN_INERTIA_PAIRS: usize = 50;
pub const MIN_GRANULARITY: usize = 30;

/// Every figure for one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insights {
    pub checkins: usize,
    pub numb_rate: Figure,
    pub intensity: Figure,
    pub pa: Figure,
    pub na: Figure,
    pub clarity: Figure,
    pub pleasantness_mean: Figure,
    pub pleasantness_sd: Figure,
    /// SD relative to the largest possible (Mestdagh et al. 2018), scale −5..5.
    pub pleasantness_relative_sd: Figure,
    pub instability_mssd: Figure,
    pub inertia_ar1: Figure,
    /// Within-person correlation of PA and NA.
    pub bipolarity: Figure,
    pub emodiversity: Figure,
    pub distinct_words: usize,
    pub distinct_families: usize,
    pub body_awareness: Figure,
    pub masking_gap: Figure,
    pub granularity_positive: Figure,
    pub granularity_negative: Figure,
}

/// Computes the figures for the check-ins of one window (any order).
pub fn insights<'a>(
    check_ins: impl IntoIterator<Item = &'a CheckIn>,
    vocabulary: &Vocabulary,
) -> Insights {
    let mut sorted: Vec<&CheckIn> = check_ins.into_iter().collect();
    sorted.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    let feelings: Vec<Vec<Named<'_>>> = sorted.iter().map(|c| named(c, vocabulary)).collect();
    let moments: Vec<Moment> = sorted
        .iter()
        .zip(&feelings)
        .map(|(c, f)| moment(c, f))
        .collect();
    let answered: Vec<&Moment> = moments.iter().filter(|m| m.answered).collect();
    let [numb_rate, intensity, pa, na, bipolarity] = feeling_figures(&answered);
    let [pleasantness_mean, pleasantness_sd, pleasantness_relative_sd, instability_mssd, inertia_ar1] =
        pleasantness_figures(&sorted);
    let (emodiversity, words, families) = emodiversity(&feelings, vocabulary);
    let (granularity_positive, granularity_negative) = granularity(&feelings, vocabulary);
    Insights {
        checkins: sorted.len(),
        numb_rate,
        intensity,
        pa,
        na,
        clarity: clarity(&sorted),
        pleasantness_mean,
        pleasantness_sd,
        pleasantness_relative_sd,
        instability_mssd,
        inertia_ar1,
        bipolarity,
        emodiversity: Figure::new(emodiversity, answered.len(), MIN_MEAN),
        distinct_words: words,
        distinct_families: families,
        body_awareness: body_awareness(&sorted),
        masking_gap: masking_gap(&sorted, vocabulary),
        granularity_positive,
        granularity_negative,
    }
}

/// Over the check-ins that answered the feelings question: the numb rate,
/// intensity, PA, NA, and the PA-NA correlation (bipolarity).
fn feeling_figures(answered: &[&Moment]) -> [Figure; 5] {
    let n_answered = answered.len();
    let of = |f: fn(&Moment) -> Option<f64>| -> Vec<f64> {
        answered.iter().filter_map(|m| f(m)).collect()
    };
    let (intensity, pa, na) = (of(|m| m.intensity), of(|m| m.pa), of(|m| m.na));
    let pa_na: Vec<(f64, f64)> = answered
        .iter()
        .filter_map(|m| Some((m.pa?, m.na?)))
        .collect();
    let numb = answered.iter().filter(|m| m.numb).count() as f64;
    [
        Figure::new(
            (n_answered > 0).then(|| numb / n_answered as f64),
            n_answered,
            MIN_MEAN,
        ),
        Figure::new(mean(&intensity), intensity.len(), MIN_MEAN),
        Figure::new(mean(&pa), pa.len(), MIN_MEAN),
        Figure::new(mean(&na), na.len(), MIN_MEAN),
        Figure::new(pearson(&pa_na), pa_na.len(), MIN_SPREAD),
    ]
}

/// Over the pleasantness ratings, in time order: the mean, the SD, the
/// relative SD, the MSSD and the lag-1 autocorrelation (inertia).
fn pleasantness_figures(sorted: &[&CheckIn]) -> [Figure; 5] {
    let pleasantness: Vec<f64> = sorted
        .iter()
        .map(|c| c.pleasantness.map_or(f64::NAN, f64::from))
        .collect();
    let present: Vec<f64> = pleasantness
        .iter()
        .copied()
        .filter(|x| !x.is_nan())
        .collect();
    let pairs = lag_pairs(&pleasantness, |_| true);
    let p_mean = mean(&present);
    let p_sd = sample_sd(&present);
    let relative = match (p_mean, p_sd) {
        (Some(m), Some(sd)) => relative_sd(m, sd, present.len(), -5.0, 5.0),
        _ => None,
    };
    [
        Figure::new(p_mean, present.len(), MIN_MEAN),
        Figure::new(p_sd, present.len(), MIN_SPREAD),
        Figure::new(relative, present.len(), MIN_SPREAD),
        Figure::new(mssd(&pairs), in_pairs(&pleasantness), MIN_SPREAD),
        Figure::new(ar1(&pairs), pairs.len(), MIN_INERTIA_PAIRS),
    ]
}

fn clarity(sorted: &[&CheckIn]) -> Figure {
    let clarity: Vec<f64> = sorted
        .iter()
        .filter_map(|c| c.clarity.map(f64::from))
        .collect();
    Figure::new(mean(&clarity), clarity.len(), MIN_MEAN)
}

/// The share of the check-ins that could hold the body that noticed some.
fn body_awareness(sorted: &[&CheckIn]) -> Figure {
    let could_hold_body: Vec<&&CheckIn> = sorted.iter().filter(|c| c.could_hold_body()).collect();
    let body_noticed = could_hold_body
        .iter()
        .filter(|c| c.body.iter().any(|b| b.is_noticed()))
        .count();
    Figure::new(
        (!could_hold_body.is_empty()).then(|| body_noticed as f64 / could_hold_body.len() as f64),
        could_hold_body.len(),
        MIN_MEAN,
    )
}

/// The mean distance between the pleasantness of the word shown and the
/// pleasantness felt.
fn masking_gap(sorted: &[&CheckIn], vocabulary: &Vocabulary) -> Figure {
    let gaps: Vec<f64> = sorted
        .iter()
        .filter_map(|c| {
            let shown = vocabulary.get(c.showed.as_deref()?)?.pleasantness;
            Some(f64::from(
                (i16::from(shown) - i16::from(c.pleasantness?)).abs(),
            ))
        })
        .collect();
    Figure::new(mean(&gaps), gaps.len(), MIN_MEAN)
}

/// Shannon entropy of how often each word was named (Quoidbach et al.
/// 2014), with the number of distinct words and families.
fn emodiversity(
    feelings: &[Vec<Named<'_>>],
    vocabulary: &Vocabulary,
) -> (Option<f64>, usize, usize) {
    let mut counts = vec![0.0; vocabulary.len()];
    let mut families = BTreeSet::new();
    for f in feelings.iter().flatten() {
        counts[f.index] += 1.0;
        families.insert(f.word.family);
    }
    let words = counts.iter().filter(|&&n| n > 0.0).count();
    (shannon(&counts), words, families.len())
}

/// 1 − ICC(3,k) per valence, where the same 3+ words of that valence were
/// rated at 30+ check-ins. Items: the words of the valence named at 30 or
/// more check-ins; rows: the check-ins that rated every one of them.
fn granularity(feelings: &[Vec<Named<'_>>], vocabulary: &Vocabulary) -> (Figure, Figure) {
    let valence = |positive: bool| {
        let mut counts = vec![0usize; vocabulary.len()];
        for f in feelings.iter().flatten() {
            let w = f.word;
            if w.family != Family::Numb && w.pleasantness != 0 && (w.pleasantness > 0) == positive {
                counts[f.index] += 1;
            }
        }
        let items: Vec<usize> = (0..counts.len())
            .filter(|&i| counts[i] >= MIN_GRANULARITY)
            .collect();
        let rows: Vec<Vec<f64>> = feelings
            .iter()
            .filter_map(|named| {
                items
                    .iter()
                    .map(|&i| {
                        named
                            .iter()
                            .find(|f| f.index == i)
                            .and_then(|f| f.intensity.map(f64::from))
                    })
                    .collect::<Option<Vec<f64>>>()
            })
            .collect();
        let icc = if items.len() >= 3 {
            icc3k_rows(rows.iter().map(Vec::as_slice), items.len())
        } else {
            None
        };
        // A negative ICC has no meaning as differentiation: shown as none.
        let value = icc.filter(|icc| *icc >= 0.0).map(|icc| 1.0 - icc);
        Figure::new(
            value,
            if items.len() >= 3 { rows.len() } else { 0 },
            MIN_GRANULARITY,
        )
    };
    (valence(true), valence(false))
}

/// How many observations take part in a successive pair (present, with a
/// present neighbour): the n behind MSSD. 0 without check-ins, never 1.
fn in_pairs(xs: &[f64]) -> usize {
    let present = |i: usize| xs.get(i).is_some_and(|x| !x.is_nan());
    (0..xs.len())
        .filter(|&i| present(i) && ((i > 0 && present(i - 1)) || present(i + 1)))
        .count()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{BodyRegion, BodySensation, CheckInDraft, FeelingRating, Sensation};
    use chrono::{DateTime, Duration};

    pub(crate) fn day(i: i64) -> DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339("2026-01-05T09:00:00+01:00").unwrap() + Duration::hours(8 * i)
    }

    pub(crate) fn check(i: i64, draft: CheckInDraft) -> CheckIn {
        draft
            .validate(
                &Vocabulary::embedded(),
                format!("c{i:04}"),
                day(i),
                &crate::when::TimeRange::around(day(i).to_utc()),
            )
            .unwrap()
    }

    pub(crate) fn feel(words: &[(&str, u8)]) -> CheckInDraft {
        CheckInDraft {
            feelings: words
                .iter()
                .map(|(w, i)| FeelingRating::new(*w, Some(*i)))
                .collect(),
            ..Default::default()
        }
    }

    fn moment_of(c: CheckIn, v: &Vocabulary) -> Moment {
        moment(&c, &named(&c, v))
    }

    #[test]
    fn per_check_in_values_by_hand() {
        let v = Vocabulary::embedded();
        let m = moment_of(check(0, feel(&[("happy", 6), ("sad", 4), ("numb", 9)])), &v);
        assert!(m.answered && !m.numb);
        assert_eq!((m.intensity, m.pa, m.na), (Some(5.0), Some(6.0), Some(4.0)));
        let numb = moment_of(check(1, feel(&[("numb", 7), ("flat", 3)])), &v);
        assert!(numb.numb);
        assert_eq!(
            (numb.intensity, numb.pa, numb.na),
            (Some(0.0), Some(0.0), Some(0.0))
        );
        let nothing = moment_of(
            check(
                2,
                CheckInDraft {
                    nothing: true,
                    ..Default::default()
                },
            ),
            &v,
        );
        assert!(nothing.numb && nothing.answered);
        let skipped = moment_of(
            check(
                3,
                CheckInDraft {
                    clarity: Some(2),
                    ..Default::default()
                },
            ),
            &v,
        );
        assert!(!skipped.answered);
    }

    #[test]
    fn too_few_check_ins_give_no_numbers() {
        let v = Vocabulary::embedded();
        let few: Vec<CheckIn> = (0..13).map(|i| check(i, feel(&[("sad", 5)]))).collect();
        let ins = insights(&few, &v);
        assert_eq!(ins.checkins, 13);
        assert_eq!(
            ins.intensity,
            Figure {
                value: None,
                n: 13,
                needs: 14
            }
        );
        assert!(!ins.numb_rate.enough());
        let enough: Vec<CheckIn> = (0..14).map(|i| check(i, feel(&[("sad", 5)]))).collect();
        assert_eq!(insights(&enough, &v).intensity.value, Some(5.0));
    }

    #[test]
    fn window_figures_by_hand() {
        let v = Vocabulary::embedded();
        // 20 check-ins alternating: "nothing" (pleasant -1, clarity 2) and
        // happy 4 + sad 6 (pleasant +1, clarity 6, chest tight, showed calm).
        let all: Vec<CheckIn> = (0..20)
            .map(|i| {
                if i % 2 == 0 {
                    check(
                        i,
                        CheckInDraft {
                            nothing: true,
                            pleasantness: Some(-1),
                            clarity: Some(2),
                            ..Default::default()
                        },
                    )
                } else {
                    let mut d = feel(&[("happy", 4), ("sad", 6)]);
                    d.pleasantness = Some(1);
                    d.clarity = Some(6);
                    d.showed = Some("calm".into());
                    d.body = vec![BodySensation {
                        region: BodyRegion::Chest,
                        activation: None,
                        sensation: Some(Sensation::Tight),
                        intensity: Some(3),
                    }];
                    check(i, d)
                }
            })
            .collect();
        let ins = insights(&all, &v);
        assert_eq!(ins.numb_rate.value, Some(0.5));
        assert_eq!(ins.intensity.value, Some(2.5)); // (0 + 5) / 2
        assert_eq!(ins.pa.value, Some(2.0));
        assert_eq!(ins.na.value, Some(3.0));
        assert_eq!(ins.clarity.value, Some(4.0));
        assert_eq!(ins.body_awareness.value, Some(0.5));
        // calm is +3 in the vocabulary, felt +1: gap 2 on the 10 check-ins that have both.
        assert_eq!(
            ins.masking_gap,
            Figure {
                value: None,
                n: 10,
                needs: 14
            }
        );
        // happy and sad equally often: ln 2.
        assert!((ins.emodiversity.value.unwrap() - 2f64.ln()).abs() < 1e-12);
        assert_eq!((ins.distinct_words, ins.distinct_families), (2, 2));
        assert_eq!(ins.pleasantness_mean.value, Some(0.0));
        assert!(!ins.pleasantness_sd.enough(), "needs 40");
        assert_eq!(ins.instability_mssd.n, 20);
    }

    #[test]
    fn spread_and_inertia_appear_with_enough_data() {
        let v = Vocabulary::embedded();
        let all: Vec<CheckIn> = (0..60)
            .map(|i| {
                let mut d = feel(&[("content", 5)]);
                d.pleasantness = Some(if i % 2 == 0 { 2 } else { -2 });
                check(i, d)
            })
            .collect();
        let ins = insights(&all, &v);
        // Alternating ±2: SD sqrt(4·60/59), MSSD 16, lag-1 autocorrelation −1.
        assert!((ins.pleasantness_sd.value.unwrap() - (4.0f64 * 60.0 / 59.0).sqrt()).abs() < 1e-12);
        assert_eq!(ins.instability_mssd.value, Some(16.0));
        assert!((ins.inertia_ar1.value.unwrap() + 1.0).abs() < 1e-12);
        let rel = ins.pleasantness_relative_sd.value.unwrap();
        assert!(rel > 0.0 && rel < 1.0);
    }

    fn mood_only(i: i64, pleasantness: i8) -> CheckIn {
        check(
            i,
            CheckInDraft {
                pleasantness: Some(pleasantness),
                mood: Some("awful".into()),
                origin: crate::Origin::Daylio,
                ..Default::default()
            },
        )
    }

    #[test]
    fn an_unknown_intensity_is_missing_never_zero() {
        let v = Vocabulary::embedded();
        let mood = moment_of(mood_only(0, -4), &v);
        assert!(!mood.answered);
        assert_eq!((mood.intensity, mood.pa, mood.na), (None, None, None));
        let mut words = feel(&[("happy", 6)]);
        words.feelings.push(FeelingRating::new("sad", None));
        let m = moment_of(check(1, words), &v);
        assert_eq!((m.intensity, m.pa, m.na), (Some(6.0), Some(6.0), None));
        let none_given = CheckInDraft {
            feelings: vec![FeelingRating::new("calm", None)],
            ..Default::default()
        };
        let m = moment_of(check(2, none_given), &v);
        assert!(m.answered && !m.numb);
        assert_eq!((m.intensity, m.pa, m.na), (None, None, Some(0.0)));
    }

    #[test]
    fn each_figure_counts_only_the_check_ins_that_answered_it() {
        let v = Vocabulary::embedded();
        // 14 check-ins with sad 4 and a body sensation, 20 Daylio rows with
        // only a mood (-4), 3 words without an intensity.
        let mut all: Vec<CheckIn> = (0..14)
            .map(|i| {
                let mut d = feel(&[("sad", 4)]);
                d.body = vec![BodySensation {
                    region: BodyRegion::Chest,
                    activation: None,
                    sensation: Some(Sensation::Tight),
                    intensity: None,
                }];
                check(i, d)
            })
            .collect();
        all.extend((14..34).map(|i| mood_only(i, -4)));
        all.extend((34..37).map(|i| {
            check(
                i,
                CheckInDraft {
                    feelings: vec![FeelingRating::new("sad", None)],
                    ..Default::default()
                },
            )
        }));
        let ins = insights(&all, &v);
        assert_eq!(ins.checkins, 37);
        assert_eq!(
            (ins.intensity.n, ins.intensity.value),
            (14, Some(4.0)),
            "not 0 and not over 37"
        );
        assert_eq!((ins.na.n, ins.pa.n), (14, 17));
        assert_eq!(ins.numb_rate.n, 17, "words answer the feelings question");
        assert_eq!(ins.pleasantness_mean.n, 20);
        assert_eq!(ins.pleasantness_mean.value, Some(-4.0));
        assert_eq!(
            (ins.body_awareness.n, ins.body_awareness.value),
            (17, Some(14.0 / 17.0)),
            "the Daylio rows could hold no body"
        );
        assert_eq!(ins.clarity.n, 0);
        let m = means(&all, &v);
        assert_eq!((m.intensity_n, m.intensity), (14, Some(4.0)));
        let moods: Vec<CheckIn> = (0..5).map(|i| mood_only(i, -4)).collect();
        assert_eq!(means(&moods, &v).intensity, None);
    }

    #[test]
    fn granularity_needs_the_same_words_rated_repeatedly() {
        let v = Vocabulary::embedded();
        let sparse: Vec<CheckIn> = (0..40).map(|i| check(i, feel(&[("sad", 5)]))).collect();
        let ins = insights(&sparse, &v);
        assert_eq!(
            ins.granularity_negative,
            Figure {
                value: None,
                n: 0,
                needs: 30
            }
        );
        // The same three negative words at 30 check-ins, moving together
        // but not identically: low granularity (high ICC).
        let rated: Vec<CheckIn> = (0..30)
            .map(|i| {
                let base = (i % 5) as u8 + 2;
                check(
                    i,
                    feel(&[
                        ("sad", base),
                        ("lonely", base + 1),
                        ("anxious", base + (i % 2) as u8),
                    ]),
                )
            })
            .collect();
        let g = insights(&rated, &v).granularity_negative;
        assert_eq!(g.n, 30);
        let value = g.value.unwrap();
        assert!(value > 0.0 && value < 0.2, "{value}");
    }

    #[test]
    fn mssd_counts_the_check_ins_in_pairs_and_none_without_check_ins() {
        let v = Vocabulary::embedded();
        let none: [CheckIn; 0] = [];
        assert_eq!(insights(&none, &v).instability_mssd.n, 0);
        assert_eq!(in_pairs(&[1.0]), 0, "one value makes no pair");
        assert_eq!(
            in_pairs(&[1.0, f64::NAN, 2.0, 3.0]),
            2,
            "the gap breaks the chain"
        );
        assert_eq!(in_pairs(&[1.0, 2.0, f64::NAN, 2.0, 3.0]), 4);
    }
}
