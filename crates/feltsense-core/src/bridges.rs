//! Bridges: activities tried as a way back to feeling (music, art,
//! movement, nature, people, the senses, a guided practice), each with a
//! short check-in before and after, and their measured effect on *this*
//! person: mean change with a bootstrap 95% interval (Efron & Tibshirani
//! 1993, percentile method, 2,000 resamples, seeded so it repeats), ranked
//! only from 3 sessions, worded honestly.

use crate::{Field, ValidationError, Vocabulary};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Sessions needed before a kind or label is ranked.
pub const MIN_SESSIONS: usize = 3;
const RESAMPLES: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BridgeKind {
    Music,
    Art,
    Movement,
    Nature,
    People,
    Senses,
    Practice,
    Other,
}

impl BridgeKind {
    pub const ALL: &'static [BridgeKind] = &[
        BridgeKind::Music,
        BridgeKind::Art,
        BridgeKind::Movement,
        BridgeKind::Nature,
        BridgeKind::People,
        BridgeKind::Senses,
        BridgeKind::Practice,
        BridgeKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BridgeKind::Music => "music",
            BridgeKind::Art => "art",
            BridgeKind::Movement => "movement",
            BridgeKind::Nature => "nature",
            BridgeKind::People => "people",
            BridgeKind::Senses => "senses",
            BridgeKind::Practice => "practice",
            BridgeKind::Other => "other",
        }
    }
}

impl FromStr for BridgeKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let s = s.trim().to_lowercase();
        BridgeKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or(())
    }
}

impl fmt::Display for BridgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The three-question check-in around a bridge: the strongest feeling and
/// its intensity (or "nothing"), clarity, and whether anything was noticed
/// in the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Micro {
    /// The strongest feeling, `None` for "nothing".
    pub feeling: Option<String>,
    /// 1–10 with a feeling; absent with "nothing".
    pub intensity: Option<u8>,
    pub clarity: u8,
    pub body_noticed: bool,
}

impl Micro {
    /// Intensity as the metrics count it: 0 for "nothing".
    pub fn felt(&self) -> f64 {
        self.intensity.map_or(0.0, f64::from)
    }

    /// Checks the values and normalises the word.
    pub fn validate(self, vocabulary: &Vocabulary) -> Result<Micro, ValidationError> {
        let range = |field, v: u8, min: u8, max: u8| {
            if v < min || v > max {
                Err(ValidationError::OutOfRange {
                    field,
                    value: i64::from(v),
                    min: i64::from(min),
                    max: i64::from(max),
                })
            } else {
                Ok(())
            }
        };
        range(Field::Clarity, self.clarity, 0, 10)?;
        let feeling = match (&self.feeling, self.intensity) {
            (None, None) => None,
            (Some(w), Some(i)) => {
                range(Field::Intensity, i, 1, 10)?;
                let known = vocabulary
                    .get(w)
                    .ok_or_else(|| ValidationError::UnknownWord {
                        field: Field::Feeling,
                        word: w.clone(),
                        suggestions: vocabulary
                            .closest(w, 4)
                            .into_iter()
                            .map(String::from)
                            .collect(),
                    })?;
                Some(known.word.clone())
            }
            (Some(_), None) => {
                return Err(ValidationError::OutOfRange {
                    field: Field::Intensity,
                    value: 0,
                    min: 1,
                    max: 10,
                })
            }
            (None, Some(_)) => return Err(ValidationError::NothingWithFeelings),
        };
        Ok(Micro { feeling, ..self })
    }
}

/// One time a bridge was tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bridge {
    pub id: String,
    pub kind: BridgeKind,
    pub label: String,
    pub started: DateTime<FixedOffset>,
    pub before: Micro,
    #[serde(default)]
    pub ended: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub after: Option<Micro>,
}

/// The measured effect of a kind or label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    pub name: String,
    pub n: usize,
    pub intensity: Option<Change>,
    pub clarity: Option<Change>,
    pub words: String,
}

/// Mean change after − before, with a bootstrap 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

/// Effects by kind, then by label where a label has enough sessions;
/// ranked by the better lower bound of the intensity and clarity changes,
/// the unranked last.
pub fn effects(bridges: &[Bridge], seed: u64) -> Vec<Effect> {
    let done: Vec<&Bridge> = bridges.iter().filter(|b| b.after.is_some()).collect();
    let mut groups: BTreeMap<String, Vec<&Bridge>> = BTreeMap::new();
    for b in &done {
        groups
            .entry(b.kind.as_str().to_string())
            .or_default()
            .push(b);
        groups
            .entry(format!("{}: {}", b.kind, b.label.trim().to_lowercase()))
            .or_default()
            .push(b);
    }
    let mut out: Vec<Effect> = groups
        .into_iter()
        .filter(|(name, g)| !name.contains(':') || g.len() >= MIN_SESSIONS)
        .map(|(name, g)| effect(name, &g, seed))
        .collect();
    out.sort_by(|a, b| {
        let low = |c: Option<Change>| c.map_or(f64::NEG_INFINITY, |c| c.low);
        let key = |e: &Effect| low(e.intensity).max(low(e.clarity));
        key(b).total_cmp(&key(a)).then_with(|| a.name.cmp(&b.name))
    });
    out
}

fn effect(name: String, group: &[&Bridge], seed: u64) -> Effect {
    let n = group.len();
    let change = |f: fn(&Micro) -> f64| -> Vec<f64> {
        group
            .iter()
            .filter_map(|b| Some(f(b.after.as_ref()?) - f(&b.before)))
            .collect()
    };
    let (intensity, clarity) = if n >= MIN_SESSIONS {
        (
            Some(bootstrap(&change(Micro::felt), seed)),
            Some(bootstrap(&change(|m| f64::from(m.clarity)), seed ^ 1)),
        )
    } else {
        (None, None)
    };
    let words = match (intensity, clarity) {
        (Some(i), Some(c)) => verdict(i, c),
        _ => format!("too early to tell ({n} of {MIN_SESSIONS} sessions)"),
    };
    Effect {
        name,
        n,
        intensity,
        clarity,
        words,
    }
}

/// The verdict in plain words, weighing clarity as well as intensity: for
/// numbness, feeling more clearly is the point, so a clarity gain whose
/// range excludes zero counts even when intensity's range does not.
fn verdict(intensity: Change, clarity: Change) -> String {
    let (more, clearer) = (intensity.low > 0.0, clarity.low > 0.0);
    let (quieter, blurrier) = (intensity.high < 0.0, clarity.high < 0.0);
    let words = match (more, clearer) {
        (true, true) => "seems to help you feel more, and more clearly",
        (true, false) if intensity.mean >= 1.0 => "seems to help",
        (true, false) => "seems to help a little",
        (false, true) => "seems to help you feel more clearly",
        _ if quieter => "feelings tend to be quieter afterwards",
        _ if blurrier => "feelings tend to be less clear afterwards",
        _ if intensity.high - intensity.low > 3.0 => "no clear effect yet; the range is wide",
        _ => "no clear effect yet",
    };
    words.to_string()
}

/// Mean with a percentile bootstrap 95% interval.
pub fn bootstrap(values: &[f64], seed: u64) -> Change {
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n.max(1) as f64;
    if n == 0 {
        return Change {
            mean: 0.0,
            low: 0.0,
            high: 0.0,
        };
    }
    let mut rng = crate::reminders::SplitMix64::new(seed);
    let mut means: Vec<f64> = (0..RESAMPLES)
        .map(|_| {
            (0..n)
                .map(|_| values[(rng.next() % n as u64) as usize])
                .sum::<f64>()
                / n as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    Change {
        mean,
        low: means[(RESAMPLES as f64 * 0.025) as usize],
        high: means[(RESAMPLES as f64 * 0.975) as usize - 1],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn micro(intensity: Option<u8>, clarity: u8) -> Micro {
        Micro {
            feeling: intensity.map(|_| "calm".into()),
            intensity,
            clarity,
            body_noticed: false,
        }
    }

    fn session(
        i: usize,
        kind: BridgeKind,
        label: &str,
        before: Option<u8>,
        after: Option<u8>,
    ) -> Bridge {
        let at = DateTime::parse_from_rfc3339("2026-11-01T10:00:00+00:00").unwrap();
        Bridge {
            id: format!("b{i}"),
            kind,
            label: label.into(),
            started: at,
            before: micro(before, 2),
            ended: Some(at),
            after: Some(micro(after, 4)),
        }
    }

    #[test]
    fn bootstrap_is_seeded_and_brackets_the_mean() {
        let values = [1.0, 2.0, 3.0, 2.0, 1.0, 3.0];
        let a = bootstrap(&values, 42);
        assert_eq!(
            a,
            bootstrap(&values, 42),
            "the same seed gives the same interval"
        );
        assert_eq!(a.mean, 2.0);
        assert!(
            a.low < 2.0 && a.high > 2.0 && a.low >= 1.0 && a.high <= 3.0,
            "{a:?}"
        );
        let same = bootstrap(&[2.0, 2.0, 2.0], 1);
        assert_eq!((same.low, same.high), (2.0, 2.0), "no spread, no interval");
    }

    #[test]
    fn small_n_is_too_early_and_clear_gains_are_ranked_first() {
        let mut all = vec![
            session(0, BridgeKind::Music, "piano", None, Some(4)),
            session(1, BridgeKind::Music, "piano", Some(2), Some(6)),
            session(2, BridgeKind::Music, "Piano ", Some(1), Some(4)),
            session(3, BridgeKind::Nature, "river", Some(3), Some(3)),
            session(4, BridgeKind::Nature, "river", Some(5), Some(2)),
        ];
        all.push(Bridge {
            after: None,
            ended: None,
            ..session(5, BridgeKind::Art, "clay", Some(2), None)
        });
        let e = effects(&all, 7);
        assert_eq!(e[0].name, "music");
        assert_eq!(e[0].n, 3);
        let music = e[0].intensity.unwrap();
        // Changes 4 ("nothing" counts 0), 4, 3: mean 11/3, every resample above 0.
        assert!((music.mean - 11.0 / 3.0).abs() < 1e-12);
        assert!(music.low >= 3.0);
        assert_eq!(e[0].words, "seems to help you feel more, and more clearly");
        assert!(
            e.iter().any(|x| x.name == "music: piano" && x.n == 3),
            "labels are grouped case-insensitively"
        );
        let nature = e.iter().find(|x| x.name == "nature").unwrap();
        assert!(
            nature.intensity.is_none() && nature.words.starts_with("too early to tell (2 of 3")
        );
        assert!(
            e.iter().all(|x| x.name != "art"),
            "unfinished sessions are not counted"
        );
    }

    fn change(mean: f64, low: f64, high: f64) -> Change {
        Change { mean, low, high }
    }

    /// Issue 12: every bridge read "no clear effect yet" while clarity rose
    /// +2.0 (95% range +1.2 to +2.8).
    #[test]
    fn a_clear_gain_in_clarity_is_a_verdict_of_its_own() {
        let flat = change(0.3, -0.8, 1.4);
        let clearer = change(2.0, 1.2, 2.8);
        assert_eq!(
            verdict(flat, clearer),
            "seems to help you feel more clearly"
        );
        assert_eq!(
            verdict(change(2.0, 0.5, 3.0), clearer),
            "seems to help you feel more, and more clearly"
        );
        assert_eq!(verdict(change(2.0, 0.5, 3.0), flat), "seems to help");
        assert_eq!(verdict(flat, flat), "no clear effect yet");
        assert_eq!(
            verdict(flat, change(-1.5, -2.5, -0.5)),
            "feelings tend to be less clear afterwards"
        );
        assert_eq!(
            verdict(change(-2.0, -3.0, -1.0), clearer),
            "seems to help you feel more clearly",
            "clearer counts for more than quieter"
        );
    }

    #[test]
    fn sessions_that_only_bring_clarity_are_said_to_help_and_ranked_first() {
        let mut all: Vec<Bridge> = (0..4)
            .map(|i| {
                session(
                    i,
                    BridgeKind::Nature,
                    "river",
                    Some(4),
                    Some(4 + (i % 2) as u8),
                )
            })
            .collect();
        all.extend((4..8).map(|i| session(i, BridgeKind::Art, "clay", Some(4), Some(3))));
        for b in &mut all[4..] {
            b.after.as_mut().unwrap().clarity = 1;
        }
        let e = effects(&all, 3);
        assert_eq!(e[0].name, "nature", "{e:?}");
        let clarity = e[0].clarity.unwrap();
        assert!(
            clarity.low > 0.0,
            "clarity went 2 -> 4 every time: {clarity:?}"
        );
        assert!(e[0].intensity.unwrap().low <= 0.0);
        assert_eq!(e[0].words, "seems to help you feel more clearly");
        let art = e.iter().find(|x| x.name == "art").unwrap();
        assert!(art.words.contains("quieter"), "{}", art.words);
    }

    #[test]
    fn micro_check_ins_are_validated() {
        let v = Vocabulary::embedded();
        assert_eq!(
            micro(Some(5), 3).validate(&v).unwrap().feeling.as_deref(),
            Some("calm")
        );
        assert!(micro(None, 3).validate(&v).is_ok(), "nothing is an answer");
        assert!(micro(Some(11), 3).validate(&v).is_err());
        assert!(micro(Some(5), 12).validate(&v).is_err());
        let unknown = Micro {
            feeling: Some("calmm".into()),
            ..micro(Some(5), 3)
        };
        assert!(unknown
            .validate(&v)
            .unwrap_err()
            .to_string()
            .contains("calm"));
    }
}
