//! The numbness profile: a plain-language reading of a window's figures.
//!
//! The pattern it looks for comes from how numbness is described clinically
//! and in the emotion-dynamics literature: in emotional numbing both
//! positive and negative affect are blunted (Litz & Gray 2002; the PCL-5
//! numbing items), with low emotional clarity and a narrow range, whereas
//! low mood lowers positive affect while negative affect stays high. The
//! cut-offs below are heuristics on feltsense's own 1–10 intensity scale,
//! not validated clinical thresholds, and the wording says so.

use super::insights::Insights;
use serde::Serialize;

/// "Low" for PA / NA: a mean intensity under 3 of 10 (with "nothing" as 0).
pub const LOW_AFFECT: f64 = 3.0;
/// "High" for NA: a mean intensity of 4 of 10 or more.
pub const HIGH_NA: f64 = 4.0;
/// "Low" clarity: under 5 of 10.
pub const LOW_CLARITY: f64 = 5.0;
/// A numb rate this high counts as muted on its own terms.
pub const HIGH_NUMB_RATE: f64 = 0.3;
/// A narrow range: relative SD of pleasantness under this.
pub const NARROW_RELATIVE_SD: f64 = 0.3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pattern {
    NotEnoughData,
    /// Both PA and NA low, with low clarity or many "nothing" answers.
    MutedAcrossTheBoard,
    /// PA low, NA high.
    LowMood,
    /// Feelings of several families, neither muted nor low.
    SteadyAndVaried,
    /// None of the above fits clearly.
    Mixed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumbnessProfile {
    pub pattern: Pattern,
    pub headline: String,
    /// The figures that led to it, in words.
    pub because: Vec<String>,
}

pub const NOT_A_DIAGNOSIS: &str = "This is a reading of your own check-ins to help you notice \
patterns, not a diagnosis. A therapist or doctor can help make sense of it with you.";

pub fn profile(ins: &Insights) -> NumbnessProfile {
    let (Some(pa), Some(na), Some(numb)) = (ins.pa.value, ins.na.value, ins.numb_rate.value) else {
        return NumbnessProfile {
            pattern: Pattern::NotEnoughData,
            headline: format!(
                "Not enough data yet: a profile needs {} check-ins with feelings (or \"nothing\"); there are {} so far.",
                ins.pa.needs, ins.pa.n
            ),
            because: Vec::new(),
        };
    };
    let clarity = ins.clarity.value;
    let mut because = vec![format!(
        "pleasant feelings average {pa:.1} and unpleasant {na:.1} in intensity (of 10, \"nothing\" counting as 0)"
    )];
    because.push(format!(
        "{:.0}% of check-ins were \"nothing\" or numb-spectrum words",
        numb * 100.0
    ));
    if let Some(c) = clarity {
        because.push(format!("clarity averages {c:.1} of 10"));
    }
    let narrow = ins
        .pleasantness_relative_sd
        .value
        .map(|r| r < NARROW_RELATIVE_SD);
    if let Some(r) = ins.pleasantness_relative_sd.value {
        let width = if r < NARROW_RELATIVE_SD {
            "narrow"
        } else {
            "wide"
        };
        because.push(format!(
            "pleasantness moves in a {width} range (relative SD {r:.2})"
        ));
    }
    let low_clarity = clarity.is_some_and(|c| c < LOW_CLARITY);
    let (pattern, headline) = if pa < LOW_AFFECT
        && na < LOW_AFFECT
        && (low_clarity || numb >= HIGH_NUMB_RATE || narrow == Some(true))
    {
        (
            Pattern::MutedAcrossTheBoard,
            "Muted across the board: pleasant and unpleasant feelings both arrive quietly. \
             That is what numbness often looks like, and noticing it is a first step."
                .to_string(),
        )
    } else if pa < LOW_AFFECT && na >= HIGH_NA {
        (
            Pattern::LowMood,
            "Closer to low mood than to numbness: pleasant feelings are quiet while unpleasant \
             ones are strong."
                .to_string(),
        )
    } else if pa >= LOW_AFFECT && numb < HIGH_NUMB_RATE && ins.distinct_families >= 3 {
        because.push(format!(
            "{} feeling families appeared",
            ins.distinct_families
        ));
        (
            Pattern::SteadyAndVaried,
            "Steady and varied: a range of feelings is coming through.".to_string(),
        )
    } else {
        (
            Pattern::Mixed,
            "No single pattern stands out yet; the figures below show what is there.".to_string(),
        )
    };
    NumbnessProfile {
        pattern,
        headline,
        because,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::insights::Figure;

    fn fig(value: f64) -> Figure {
        Figure {
            value: Some(value),
            n: 40,
            needs: 14,
        }
    }

    fn base() -> Insights {
        let none = Figure {
            value: None,
            n: 0,
            needs: 14,
        };
        Insights {
            checkins: 40,
            numb_rate: fig(0.1),
            intensity: fig(5.0),
            pa: fig(5.0),
            na: fig(3.0),
            clarity: fig(6.0),
            pleasantness_mean: fig(1.0),
            pleasantness_sd: none,
            pleasantness_relative_sd: none,
            instability_mssd: none,
            inertia_ar1: none,
            bipolarity: none,
            emodiversity: fig(2.0),
            distinct_words: 12,
            distinct_families: 6,
            body_awareness: fig(0.5),
            masking_gap: none,
            granularity_positive: none,
            granularity_negative: none,
        }
    }

    #[test]
    fn muted_low_mood_and_varied_are_told_apart() {
        let muted = Insights {
            pa: fig(1.2),
            na: fig(1.5),
            clarity: fig(2.5),
            numb_rate: fig(0.45),
            ..base()
        };
        let p = profile(&muted);
        assert_eq!(p.pattern, Pattern::MutedAcrossTheBoard);
        assert!(p.because.iter().any(|b| b.contains("45%")));
        assert!(p.because.iter().any(|b| b.contains("clarity averages 2.5")));

        let low = Insights {
            pa: fig(1.0),
            na: fig(6.5),
            clarity: fig(6.0),
            numb_rate: fig(0.05),
            ..base()
        };
        assert_eq!(profile(&low).pattern, Pattern::LowMood);

        assert_eq!(profile(&base()).pattern, Pattern::SteadyAndVaried);
    }

    #[test]
    fn low_both_but_clear_and_engaged_is_not_called_muted() {
        let calm = Insights {
            pa: fig(2.0),
            na: fig(1.0),
            clarity: fig(8.0),
            numb_rate: fig(0.1),
            ..base()
        };
        assert_eq!(profile(&calm).pattern, Pattern::Mixed);
    }

    #[test]
    fn too_little_data_says_so() {
        let none = Figure {
            value: None,
            n: 5,
            needs: 14,
        };
        let p = profile(&Insights { pa: none, ..base() });
        assert_eq!(p.pattern, Pattern::NotEnoughData);
        assert!(p.headline.contains("5 so far"));
    }
}
