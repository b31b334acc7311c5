//! How a check-in reads on a terminal.

use feltsense_core::{CheckIn, Vocabulary};
use std::fmt::Write;

/// A thank-you that fits what was shared.
pub fn thanks(c: &CheckIn) -> &'static str {
    if c.nothing {
        "Saved. Thank you for checking in: noticing that not much is there is information too."
    } else {
        "Saved. Thank you for checking in."
    }
}

/// A few lines describing one check-in.
pub fn summary(c: &CheckIn, vocabulary: &Vocabulary) -> String {
    let mut s = format!("{}  ", c.at.format("%a %d %b %Y %H:%M"));
    if c.nothing {
        s.push_str("can't feel much right now");
    } else if !c.feelings.is_empty() {
        let words: Vec<String> = c.feelings.iter().map(ToString::to_string).collect();
        s.push_str(&words.join(" · "));
    } else if let Some(mood) = c.mood_words() {
        let _ = write!(s, "{mood} (no feeling words, intensity not given)");
    }
    let mut affect = Vec::new();
    if let Some(p) = c.pleasantness {
        affect.push(format!("pleasant {p:+}"));
    }
    if let Some(e) = c.energy {
        affect.push(format!("energy {e:+}"));
    }
    if let Some(cl) = c.clarity {
        affect.push(format!("clarity {cl}"));
    }
    if !affect.is_empty() {
        let _ = write!(s, "\n  {}", affect.join(" · "));
    }
    if !c.body.is_empty() || c.body_overall.is_some() {
        let mut parts: Vec<String> = c.body.iter().map(body_words).collect();
        if let Some(o) = c.body_overall {
            parts.push(format!("overall {o:+} (heavy − / light +)"));
        }
        let _ = write!(s, "\n  body: {}", parts.join(" · "));
    }
    if let Some(shown) = &c.showed {
        let felt = c
            .pleasantness
            .map(|p| format!(", felt {p:+}"))
            .unwrap_or_default();
        let shown_p = vocabulary
            .get(shown)
            .map(|w| format!(" ({:+}", w.pleasantness));
        let _ = write!(
            s,
            "\n  showed: {shown}{}",
            shown_p.map(|p| p + &felt + ")").unwrap_or_default()
        );
    }
    let context: Vec<String> = [
        ("doing", &c.context.doing),
        ("with", &c.context.with),
        ("at", &c.context.place),
    ]
    .iter()
    .filter_map(|(label, v)| v.as_ref().map(|v| format!("{label} {v}")))
    .collect();
    if !context.is_empty() {
        let _ = write!(s, "\n  {}", context.join(", "));
    }
    if let Some(note) = &c.note {
        let _ = write!(s, "\n  note: {}", note.replace('\n', "\n        "));
    }
    let _ = write!(s, "\n  id {}", c.id);
    s
}

fn body_words(b: &feltsense_core::BodySensation) -> String {
    let mut words = vec![b.region.as_str().to_string()];
    words.extend(b.activation.map(|a| a.as_str().to_string()));
    words.extend(b.sensation.map(|x| x.as_str().to_string()));
    words.extend(b.intensity.map(|i| i.to_string()));
    words.join(" ")
}
