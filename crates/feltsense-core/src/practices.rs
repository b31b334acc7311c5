//! Guided practices, written for feltsense: calm, non-judgmental, safe to
//! stop at any moment. Pure data and timing; the terminal and the web app
//! present them.

/// One timed step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub text: String,
    pub seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practice {
    pub key: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub steps: Vec<Step>,
    pub closing: &'static str,
}

/// Said before every practice.
pub const SAFE_TO_STOP: &str =
    "You can stop at any time. If this brings up too much, open your eyes, \
feel your feet on the floor, and look around the room for three things you can see.";

/// Said at the start of each practice in the web app: its own words about
/// stopping, so grounding's senses are not laid over every practice.
pub fn stop_note(key: &str) -> &'static str {
    match key {
        "body-scan" => {
            "You can stop at any time. If attention on the body brings up too much, \
             open your eyes and let it rest on something in the room."
        }
        "grounding" => {
            "You can stop at any time, and skip any sense that doesn't work for you today."
        }
        "breathing" => {
            "You can stop at any time. If following the circle feels strained, \
             breathe however is comfortable and just watch it."
        }
        _ => "You can stop at any time. Not finding a word is fine.",
    }
}

/// A breathing pace: seconds in, seconds out, and how many breaths fit in
/// the minutes chosen (at least one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    pub breath_in: u32,
    pub breath_out: u32,
    pub minutes: u32,
}

impl Pace {
    pub fn cycle_seconds(&self) -> u32 {
        self.breath_in.max(1) + self.breath_out.max(1)
    }

    pub fn breaths(&self) -> u32 {
        (self.minutes.max(1) * 60 / self.cycle_seconds()).max(1)
    }

    /// Where in a breath the in-breath turns to the out-breath, in percent.
    pub fn turn_percent(&self) -> f64 {
        f64::from(self.breath_in.max(1)) * 100.0 / f64::from(self.cycle_seconds())
    }
}

pub const KEYS: [&str; 4] = ["body-scan", "grounding", "breathing", "name-it"];

fn step(text: &str, seconds: u32) -> Step {
    Step {
        text: text.to_string(),
        seconds,
    }
}

/// A practice by key; breathing takes its pace (seconds in, out) and length.
pub fn practice(key: &str, breath_in: u32, breath_out: u32, minutes: u32) -> Option<Practice> {
    match key {
        "body-scan" => Some(body_scan()),
        "grounding" => Some(grounding()),
        "breathing" => Some(breathing(breath_in, breath_out, minutes)),
        "name-it" => Some(name_it()),
        _ => None,
    }
}

fn steps(texts: &[(&str, u32)]) -> Vec<Step> {
    texts.iter().map(|(t, s)| step(t, *s)).collect()
}

fn body_scan() -> Practice {
    Practice {
        key: "body-scan",
        title: "Body scan",
        intro: "Find a position that is comfortable enough. We will move attention slowly through the body. \
                There is nothing to feel and nothing to fix: noticing \"nothing\" is noticing too.",
        steps: steps(&[
            ("Bring attention to your feet: the floor under them, warmth or coolness, or just their weight.", 50),
            ("Move up to your legs. Notice any heaviness, lightness, tingling, or no sensation at all.", 50),
            ("Rest attention on your belly. Notice it rise and fall with the breath, without changing anything.", 50),
            ("Now the chest and the heart area. Whatever is here, or not here, is allowed.", 60),
            ("Your hands and arms. Perhaps the air on the skin, or the contact with where they rest.", 50),
            ("Your shoulders. If they are holding something, you can let them know they may soften a little.", 50),
            ("Your throat, jaw and face. Notice the jaw, the tongue, the space around the eyes.", 50),
            ("Your head, and then the whole body at once, breathing.", 60),
        ]),
        closing: "When you are ready, let your eyes open and take in the room. Thank you for taking this time.",
    }
}

fn grounding() -> Practice {
    Practice {
        key: "grounding",
        title: "5-4-3-2-1 grounding",
        intro: "This uses the senses to come back to the present. Take each step at your own pace.",
        steps: steps(&[
            ("Look around and name, silently or aloud, five things you can see.", 40),
            ("Notice four things you can touch or feel: clothes, the chair, the air, your hands.", 40),
            ("Listen for three things you can hear, near or far.", 35),
            ("Find two things you can smell, or two smells you like to remember.", 30),
            ("Notice one thing you can taste, or take a sip of something.", 25),
        ]),
        closing: "You are here, in this moment. That is enough for now.",
    }
}

fn breathing(breath_in: u32, breath_out: u32, minutes: u32) -> Practice {
    let cycles = Pace {
        breath_in,
        breath_out,
        minutes,
    }
    .breaths();
    let steps = (0..cycles)
        .flat_map(|_| {
            [
                step(&format!("Breathe in… ({breath_in})"), breath_in.max(1)),
                step(&format!("…and out ({breath_out})"), breath_out.max(1)),
            ]
        })
        .collect();
    Practice {
        key: "breathing",
        title: "Paced breathing",
        intro: "A slow, easy rhythm, with the out-breath a little longer than the in-breath. \
                If it feels strained, breathe however is comfortable.",
        steps,
        closing: "Let the breath find its own rhythm again.",
    }
}

fn name_it() -> Practice {
    Practice {
        key: "name-it",
        title: "Name it",
        intro: "Finding one word for what is here, even a small or a numb one, helps feelings come into focus.",
        steps: steps(&[
            ("Pause and notice: is anything here right now? A pull, a weight, a flatness, a flicker?", 30),
            ("Is it more pleasant, more unpleasant, or neither? More energy, or less?", 30),
            ("Try one word. If none fits, \"numb\", \"flat\" or \"foggy\" are words too. `feltsense vocabulary` has more.", 45),
            ("Say the word to yourself, kindly. Does it fit, or is a nearby word closer?", 30),
        ]),
        closing: "Whatever word you found, or didn't, you noticed. That is the practice.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_practice_exists_and_the_body_scan_takes_five_to_ten_minutes() {
        for key in KEYS {
            let p = practice(key, 4, 6, 3).unwrap();
            assert!(
                !p.steps.is_empty() && !p.intro.is_empty() && !p.closing.is_empty(),
                "{key}"
            );
        }
        let scan = practice("body-scan", 4, 6, 3).unwrap();
        let total: u32 = scan.steps.iter().map(|s| s.seconds).sum();
        assert!((300..=600).contains(&total), "{total} s");
        assert!(scan.steps.len() >= 8);
        assert!(practice("yoga", 4, 6, 3).is_none());
    }

    #[test]
    fn a_pace_counts_whole_breaths_and_turns_where_the_in_breath_ends() {
        let pace = |i, o, m| Pace {
            breath_in: i,
            breath_out: o,
            minutes: m,
        };
        assert_eq!(pace(4, 6, 3).breaths(), 18);
        assert_eq!(pace(4, 6, 3).turn_percent(), 40.0);
        assert_eq!(pace(4, 3, 1).breaths(), 8, "60 s / 7 s, whole breaths only");
        assert_eq!(pace(15, 15, 0).breaths(), 2, "zero minutes still means one");
        assert_eq!(pace(0, 0, 1).cycle_seconds(), 2);
    }

    #[test]
    fn each_practice_has_its_own_words_for_stopping() {
        let grounding = stop_note("grounding");
        for key in KEYS {
            assert!(stop_note(key).starts_with("You can stop at any time"));
            if key != "grounding" {
                assert_ne!(stop_note(key), grounding, "{key}");
                assert!(
                    !stop_note(key).contains("three things you can see"),
                    "{key}"
                );
            }
        }
    }

    #[test]
    fn breathing_follows_the_pace() {
        let p = practice("breathing", 4, 6, 2).unwrap();
        assert_eq!(p.steps.len(), 24, "12 cycles of 10 s in 2 minutes");
        assert_eq!((p.steps[0].seconds, p.steps[1].seconds), (4, 6));
    }
}
