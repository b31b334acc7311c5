//! Journal entries and the personal safety plan.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// The longest journal entry kept, in characters.
pub const ENTRY_MAX_CHARS: usize = 100_000;

/// One journal entry, in the person's own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub id: String,
    pub at: DateTime<FixedOffset>,
    pub text: String,
}

impl JournalEntry {
    /// A new entry; `None` when the text is blank. Line ends become `\n`.
    pub fn new(id: String, at: DateTime<FixedOffset>, text: &str) -> Result<JournalEntry, String> {
        let text = text.replace("\r\n", "\n").trim().to_string();
        if text.is_empty() {
            return Err("the entry is empty; nothing was saved".into());
        }
        if text.chars().count() > ENTRY_MAX_CHARS {
            return Err(format!(
                "the entry is longer than {ENTRY_MAX_CHARS} characters; nothing was saved"
            ));
        }
        Ok(JournalEntry { id, at, text })
    }
}

/// A safety plan in the six steps of Stanley & Brown (2012), "Safety
/// Planning Intervention: a brief intervention to mitigate suicide risk",
/// Cognitive and Behavioral Practice 19(2), 256–264. Each step is free text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyPlan {
    pub warning_signs: String,
    pub coping_alone: String,
    pub distractions: String,
    pub people_to_ask: String,
    pub professionals: String,
    pub safer_surroundings: String,
}

impl SafetyPlan {
    /// The six steps with their questions, in order.
    pub fn steps(&self) -> [(&'static str, &'static str, &str); 6] {
        [
            ("warning_signs", "1. My warning signs: thoughts, feelings or situations that tell me a crisis may be coming", &self.warning_signs),
            ("coping_alone", "2. Things I can do on my own to take my mind off things", &self.coping_alone),
            ("distractions", "3. People and places that help me feel better or distract me", &self.distractions),
            ("people_to_ask", "4. People I can ask for help", &self.people_to_ask),
            ("professionals", "5. Professionals and crisis lines I can contact", &self.professionals),
            ("safer_surroundings", "6. Making my surroundings safer", &self.safer_surroundings),
        ]
    }

    /// Sets a step by its key; false for an unknown key.
    pub fn set(&mut self, key: &str, text: &str) -> bool {
        let text = text.replace("\r\n", "\n").trim().to_string();
        let slot = match key {
            "warning_signs" => &mut self.warning_signs,
            "coping_alone" => &mut self.coping_alone,
            "distractions" => &mut self.distractions,
            "people_to_ask" => &mut self.people_to_ask,
            "professionals" => &mut self.professionals,
            "safer_surroundings" => &mut self.safer_surroundings,
            _ => return false,
        };
        *slot = text;
        true
    }

    pub fn is_empty(&self) -> bool {
        self.steps().iter().all(|(_, _, text)| text.is_empty())
    }
}
