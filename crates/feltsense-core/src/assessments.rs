//! Screening questionnaires that are free to use in software, with their
//! items, response scales, scoring and standard severity bands. Scores are
//! information, shown with their bands and the words "screening, not
//! diagnosis".
//!
//! - PHQ-9: Kroenke, Spitzer & Williams (2001), J Gen Intern Med 16(9),
//!   606–613. Developed with an educational grant from Pfizer; no
//!   permission is needed to reproduce, translate, display or distribute.
//! - GAD-7: Spitzer, Kroenke, Williams & Löwe (2006), Arch Intern Med
//!   166(10), 1092–1097; same terms as the PHQ-9.
//! - PCL-5: Weathers, Litz, Keane, Palmieri, Marx & Schnurr (2013),
//!   National Center for PTSD; public domain. Clusters B (1–5), C (6–7),
//!   D (8–14), E (15–20); a provisional DSM-5 diagnosis needs at least one
//!   B, one C, two D and two E items rated 2 ("moderately") or more.
//!   Items 12–14 (loss of interest, feeling distant or cut off, trouble
//!   experiencing positive feelings) are shown as the numbing subscore.
//! - WHO-5: World Health Organization (1998); Topp, Østergaard, Søndergaard
//!   & Bech (2015), Psychother Psychosom 84, 167–176. Free to use. Raw
//!   0–25 × 4 = 0–100; 50 or below suggests poor wellbeing, 28 or below is
//!   the usual screen for depression.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Instrument {
    Phq9,
    Gad7,
    Pcl5,
    Who5,
}

pub struct Definition {
    pub instrument: Instrument,
    pub key: &'static str,
    pub title: &'static str,
    pub stem: &'static str,
    pub items: &'static [&'static str],
    /// Answer labels, index = value.
    pub scale: &'static [&'static str],
}

const FOUR: &[&str] = &[
    "Not at all",
    "Several days",
    "More than half the days",
    "Nearly every day",
];

pub const PHQ9: Definition = Definition {
    instrument: Instrument::Phq9,
    key: "phq9",
    title: "PHQ-9",
    stem: "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    items: &[
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ],
    scale: FOUR,
};

pub const GAD7: Definition = Definition {
    instrument: Instrument::Gad7,
    key: "gad7",
    title: "GAD-7",
    stem: "Over the last 2 weeks, how often have you been bothered by the following problems?",
    items: &[
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ],
    scale: FOUR,
};

pub const PCL5: Definition = Definition {
    instrument: Instrument::Pcl5,
    key: "pcl5",
    title: "PCL-5",
    stem: "In the past month, how much were you bothered by:",
    items: &[
        "Repeated, disturbing, and unwanted memories of the stressful experience?",
        "Repeated, disturbing dreams of the stressful experience?",
        "Suddenly feeling or acting as if the stressful experience were actually happening again (as if you were actually back there reliving it)?",
        "Feeling very upset when something reminded you of the stressful experience?",
        "Having strong physical reactions when something reminded you of the stressful experience (for example, heart pounding, trouble breathing, sweating)?",
        "Avoiding memories, thoughts, or feelings related to the stressful experience?",
        "Avoiding external reminders of the stressful experience (for example, people, places, conversations, activities, objects, or situations)?",
        "Trouble remembering important parts of the stressful experience?",
        "Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, the world is completely dangerous)?",
        "Blaming yourself or someone else for the stressful experience or what happened after it?",
        "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
        "Loss of interest in activities that you used to enjoy?",
        "Feeling distant or cut off from other people?",
        "Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving feelings for people close to you)?",
        "Irritable behavior, angry outbursts, or acting aggressively?",
        "Taking too many risks or doing things that could cause you harm?",
        "Being \"superalert\" or watchful or on guard?",
        "Feeling jumpy or easily startled?",
        "Having difficulty concentrating?",
        "Trouble falling or staying asleep?",
    ],
    scale: &["Not at all", "A little bit", "Moderately", "Quite a bit", "Extremely"],
};

pub const WHO5: Definition = Definition {
    instrument: Instrument::Who5,
    key: "who5",
    title: "WHO-5",
    stem: "Over the last two weeks:",
    items: &[
        "I have felt cheerful and in good spirits",
        "I have felt calm and relaxed",
        "I have felt active and vigorous",
        "I woke up feeling fresh and rested",
        "My daily life has been filled with things that interest me",
    ],
    scale: &[
        "At no time",
        "Some of the time",
        "Less than half of the time",
        "More than half of the time",
        "Most of the time",
        "All of the time",
    ],
};

pub const ALL: [&Definition; 4] = [&PHQ9, &GAD7, &PCL5, &WHO5];

pub fn definition(key: &str) -> Option<&'static Definition> {
    ALL.iter()
        .copied()
        .find(|d| d.key == key.trim().to_lowercase().replace('-', ""))
}

/// One completed questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub id: String,
    pub instrument: Instrument,
    pub at: DateTime<FixedOffset>,
    pub answers: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub total: u32,
    /// The total on the instrument's usual reporting scale (WHO-5: ×4).
    pub reported: u32,
    pub max: u32,
    pub band: &'static str,
    /// PCL-5: cluster scores B, C, D, E.
    pub clusters: Option<[u32; 4]>,
    /// PCL-5: items 12–14.
    pub numbing: Option<u32>,
    /// PCL-5: the provisional DSM-5 rule is met.
    pub provisional: Option<bool>,
    pub note: &'static str,
}

pub const SCREENING: &str =
    "Screening, not diagnosis: a score is information to discuss with a professional.";

impl Definition {
    /// Checks the number of answers and their range.
    pub fn check(&self, answers: &[u8]) -> Result<(), String> {
        if answers.len() != self.items.len() {
            return Err(format!(
                "{} has {} items; {} answers were given",
                self.title,
                self.items.len(),
                answers.len()
            ));
        }
        let max = self.scale.len() as u8 - 1;
        if let Some((i, a)) = answers.iter().enumerate().find(|(_, a)| **a > max) {
            return Err(format!(
                "answer {} is {a}; {} answers run from 0 to {max}",
                i + 1,
                self.title
            ));
        }
        Ok(())
    }

    /// PHQ-9 item 9 above "not at all": show the safety panel first.
    pub fn needs_safety_panel(&self, answers: &[u8]) -> bool {
        self.instrument == Instrument::Phq9 && answers.get(8).is_some_and(|a| *a > 0)
    }

    pub fn score(&self, answers: &[u8]) -> Score {
        let total: u32 = answers.iter().map(|a| u32::from(*a)).sum();
        let band = |cuts: &[(u32, &'static str)]| {
            cuts.iter()
                .find(|(upto, _)| total <= *upto)
                .map_or("", |c| c.1)
        };
        let base = Score {
            total,
            reported: total,
            max: 0,
            band: "",
            clusters: None,
            numbing: None,
            provisional: None,
            note: SCREENING,
        };
        match self.instrument {
            Instrument::Phq9 => Score {
                max: 27,
                band: band(&[
                    (4, "minimal"),
                    (9, "mild"),
                    (14, "moderate"),
                    (19, "moderately severe"),
                    (27, "severe"),
                ]),
                ..base
            },
            Instrument::Gad7 => Score {
                max: 21,
                band: band(&[
                    (4, "minimal"),
                    (9, "mild"),
                    (14, "moderate"),
                    (21, "severe"),
                ]),
                ..base
            },
            Instrument::Pcl5 => {
                let sum =
                    |r: std::ops::Range<usize>| answers[r].iter().map(|a| u32::from(*a)).sum();
                let count =
                    |r: std::ops::Range<usize>| answers[r].iter().filter(|a| **a >= 2).count();
                let provisional =
                    count(0..5) >= 1 && count(5..7) >= 1 && count(7..14) >= 2 && count(14..20) >= 2;
                Score {
                    max: 80,
                    band: if total >= 31 {
                        "at or above the usual cut-point (31–33)"
                    } else {
                        "below the usual cut-point (31–33)"
                    },
                    clusters: Some([sum(0..5), sum(5..7), sum(7..14), sum(14..20)]),
                    numbing: Some(sum(11..14)),
                    provisional: Some(provisional),
                    ..base
                }
            }
            Instrument::Who5 => {
                let reported = total * 4;
                Score {
                    reported,
                    max: 100,
                    band: if reported <= 28 {
                        "low wellbeing (28 or below: worth talking about depression with a professional)"
                    } else if reported <= 50 {
                        "low wellbeing (50 or below)"
                    } else {
                        "above 50"
                    },
                    ..base
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phq9_bands_and_item_nine() {
        assert_eq!(PHQ9.score(&[0; 9]).band, "minimal");
        assert_eq!(PHQ9.score(&[1, 1, 1, 1, 1, 0, 0, 0, 0]).band, "mild");
        assert_eq!(PHQ9.score(&[2, 2, 2, 2, 2, 0, 0, 0, 0]).band, "moderate");
        assert_eq!(
            PHQ9.score(&[3, 3, 3, 3, 3, 3, 0, 0, 0]).band,
            "moderately severe"
        );
        assert_eq!(PHQ9.score(&[3; 9]).total, 27);
        assert_eq!(PHQ9.score(&[3; 9]).band, "severe");
        assert!(PHQ9.needs_safety_panel(&[0, 0, 0, 0, 0, 0, 0, 0, 1]));
        assert!(!PHQ9.needs_safety_panel(&[3, 3, 3, 3, 3, 3, 3, 3, 0]));
        assert!(!GAD7.needs_safety_panel(&[3; 7]));
    }

    #[test]
    fn gad7_and_who5() {
        assert_eq!(GAD7.score(&[2, 2, 2, 2, 2, 0, 0]).band, "moderate");
        assert_eq!(GAD7.score(&[3; 7]).band, "severe");
        let w = WHO5.score(&[3, 3, 3, 2, 2]);
        assert_eq!((w.total, w.reported), (13, 52));
        assert_eq!(w.band, "above 50");
        assert!(WHO5
            .score(&[1, 1, 1, 2, 2])
            .band
            .starts_with("low wellbeing (28 or below"));
    }

    #[test]
    fn pcl5_clusters_numbing_and_the_provisional_rule() {
        //        B (1-5)        C      D (8-14)                  E (15-20)
        let a = [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 2, 3, 4, 2, 2, 0, 0, 0, 0];
        let s = PCL5.score(&a);
        assert_eq!(s.clusters, Some([2, 2, 9, 4]));
        assert_eq!(s.numbing, Some(9));
        assert_eq!(s.provisional, Some(true));
        let mut no_c = a;
        no_c[5] = 1;
        assert_eq!(PCL5.score(&no_c).provisional, Some(false));
        assert_eq!(PCL5.score(&[4; 20]).total, 80);
    }

    #[test]
    fn answers_are_checked() {
        assert!(PHQ9.check(&[0; 8]).unwrap_err().contains("9 items"));
        assert!(GAD7
            .check(&[0, 0, 0, 4, 0, 0, 0])
            .unwrap_err()
            .contains("answer 4 is 4"));
        assert!(WHO5.check(&[5; 5]).is_ok());
        assert_eq!(definition("PHQ-9").unwrap().key, "phq9");
    }
}

/// A response as a FHIR R4 `QuestionnaireResponse` (status, authored,
/// questionnaire, and one item per question with its `linkId`, text and a
/// single `valueInteger` answer; the total as a last item).
pub fn fhir(response: &Response) -> serde_json::Value {
    let d = ALL
        .iter()
        .find(|d| d.instrument == response.instrument)
        .expect("every instrument has a definition");
    let mut items: Vec<serde_json::Value> = d
        .items
        .iter()
        .zip(&response.answers)
        .enumerate()
        .map(|(i, (text, a))| {
            serde_json::json!({
                "linkId": format!("{}-{}", d.key, i + 1),
                "text": text,
                "answer": [{ "valueInteger": a }],
            })
        })
        .collect();
    items.push(serde_json::json!({
        "linkId": format!("{}-total", d.key),
        "text": format!("{} total score", d.title),
        "answer": [{ "valueInteger": d.score(&response.answers).reported }],
    }));
    serde_json::json!({
        "resourceType": "QuestionnaireResponse",
        "id": response.id,
        "questionnaire": format!("urn:feltsense:questionnaire:{}", d.key),
        "status": "completed",
        "authored": response.at.to_rfc3339(),
        "item": items,
    })
}

#[cfg(test)]
mod fhir_tests {
    use super::*;

    /// The parts of R4's QuestionnaireResponse that must be there: the
    /// resource type, a status from its value set, linkIds, and answers
    /// with exactly one value[x].
    pub fn valid_questionnaire_response(v: &serde_json::Value) -> Result<(), String> {
        if v["resourceType"] != "QuestionnaireResponse" {
            return Err("resourceType".into());
        }
        let statuses = [
            "in-progress",
            "completed",
            "amended",
            "entered-in-error",
            "stopped",
        ];
        if !v["status"].as_str().is_some_and(|s| statuses.contains(&s)) {
            return Err("status".into());
        }
        DateTime::parse_from_rfc3339(v["authored"].as_str().ok_or("authored")?)
            .map_err(|e| e.to_string())?;
        for item in v["item"].as_array().ok_or("item")? {
            item["linkId"]
                .as_str()
                .filter(|s| !s.is_empty())
                .ok_or("linkId")?;
            for answer in item["answer"].as_array().ok_or("answer")? {
                let values = answer
                    .as_object()
                    .ok_or("answer object")?
                    .keys()
                    .filter(|k| k.starts_with("value"))
                    .count();
                if values != 1 {
                    return Err(format!("{values} value[x] in an answer"));
                }
            }
        }
        Ok(())
    }

    #[test]
    fn phq9_as_fhir() {
        let r = Response {
            id: "a1".into(),
            instrument: Instrument::Phq9,
            at: DateTime::parse_from_rfc3339("2026-11-25T10:00:00+01:00").unwrap(),
            answers: vec![1, 2, 0, 3, 0, 1, 0, 0, 0],
        };
        let v = fhir(&r);
        valid_questionnaire_response(&v).unwrap();
        assert_eq!(v["item"].as_array().unwrap().len(), 10);
        assert_eq!(v["item"][1]["answer"][0]["valueInteger"], 2);
        assert_eq!(v["item"][9]["answer"][0]["valueInteger"], 7);
        let mut broken = v.clone();
        broken["status"] = "done".into();
        assert!(
            valid_questionnaire_response(&broken).is_err(),
            "the check can fail"
        );
    }
}
