//! What one check-in contributes to the figures (answered, numb,
//! intensity, PA, NA), and the plain means over a handful of check-ins.

use crate::metrics::stats::mean;
use crate::{CheckIn, Family, FeelingWord, Vocabulary};

/// What one check-in contributes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Moment {
    pub(super) answered: bool,
    pub(super) numb: bool,
    pub(super) intensity: Option<f64>,
    pub(super) pa: Option<f64>,
    pub(super) na: Option<f64>,
}

/// A feeling of a check-in, looked up in the vocabulary once.
#[derive(Debug, Clone, Copy)]
pub(super) struct Named<'v> {
    /// Position in the vocabulary, for counting without hashing.
    pub(super) index: usize,
    pub(super) word: &'v FeelingWord,
    pub(super) intensity: Option<u8>,
}

/// The check-in's feelings that are in the vocabulary.
pub(super) fn named<'v>(c: &CheckIn, vocabulary: &'v Vocabulary) -> Vec<Named<'v>> {
    c.feelings
        .iter()
        .filter_map(|f| {
            let index = vocabulary.position(&f.word)?;
            Some(Named {
                index,
                word: &vocabulary.words()[index],
                intensity: f.intensity,
            })
        })
        .collect()
}

pub(super) fn moment(c: &CheckIn, feelings: &[Named<'_>]) -> Moment {
    let answered = c.nothing || !c.feelings.is_empty();
    let felt: Vec<&Named<'_>> = feelings
        .iter()
        .filter(|f| f.word.family != Family::Numb)
        .collect();
    let of = |keep: fn(i8) -> bool| {
        let named: Vec<&&Named<'_>> = felt.iter().filter(|f| keep(f.word.pleasantness)).collect();
        let given: Vec<f64> = named
            .iter()
            .filter_map(|f| f.intensity.map(f64::from))
            .collect();
        // None named: 0; named but none rated: unknown.
        if named.is_empty() {
            Some(0.0)
        } else {
            mean(&given)
        }
    };
    Moment {
        answered,
        numb: answered && felt.is_empty(),
        intensity: if answered { of(|_| true) } else { None },
        pa: if answered { of(|p| p > 0) } else { None },
        na: if answered { of(|p| p < 0) } else { None },
    }
}

/// Plain means over a handful of check-ins (a day, a week), with no
/// minimum: for series that are summarised further (the weekly trend) or
/// only coloured (the calendar), never shown as a figure on their own.
pub struct Means {
    pub intensity: Option<f64>,
    /// How many check-ins gave an intensity (or "nothing").
    pub intensity_n: usize,
    pub numb_rate: Option<f64>,
    pub clarity: Option<f64>,
    pub pa: Option<f64>,
    pub na: Option<f64>,
}

pub fn means<'a>(
    check_ins: impl IntoIterator<Item = &'a CheckIn>,
    vocabulary: &Vocabulary,
) -> Means {
    let check_ins: Vec<&CheckIn> = check_ins.into_iter().collect();
    let answered: Vec<Moment> = check_ins
        .iter()
        .map(|c| moment(c, &named(c, vocabulary)))
        .filter(|m| m.answered)
        .collect();
    let intensity: Vec<f64> = answered.iter().filter_map(|m| m.intensity).collect();
    let numb: Vec<f64> = answered
        .iter()
        .map(|m| f64::from(u8::from(m.numb)))
        .collect();
    let clarity: Vec<f64> = check_ins
        .iter()
        .filter_map(|c| c.clarity.map(f64::from))
        .collect();
    let pa: Vec<f64> = answered.iter().filter_map(|m| m.pa).collect();
    let na: Vec<f64> = answered.iter().filter_map(|m| m.na).collect();
    Means {
        intensity_n: intensity.len(),
        intensity: mean(&intensity),
        numb_rate: mean(&numb),
        clarity: mean(&clarity),
        pa: mean(&pa),
        na: mean(&na),
    }
}
