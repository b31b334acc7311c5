//! The sharing form as typed, and what it means: kinds of data, journal
//! mode, first and last day, purpose. Bad input names its field and keeps
//! everything typed, so the page can show it again.

use super::super::guard::field;
use crate::sharing::{Grant, JournalSharing, Scope, SharingError};
use chrono::{DateTime, Duration, Local, NaiveDate, TimeZone, Utc};

/// What was wrong, and in which field (the form's own field names).
pub type Problem = (&'static str, String);

/// What stands when the person writes no purpose (the grant needs one).
pub const NO_PURPOSE: &str = "not said";

/// The kinds of data the form offers as checkboxes (the journal has its
/// own choice): name in the form, words on the page.
pub const KINDS: [Scope; 4] = [
    Scope::CheckIns,
    Scope::Questionnaires,
    Scope::Bridges,
    Scope::SafetyPlan,
];

/// The sharing form, exactly as typed.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub clinician: String,
    pub code: String,
    pub scopes: Vec<String>,
    pub journal: String,
    pub from: String,
    pub until: String,
    pub purpose: String,
}

impl Typed {
    pub fn from_form(form: &[(String, String)]) -> Typed {
        Typed {
            clinician: field(form, "clinician").trim().to_string(),
            code: field(form, "code").trim().to_string(),
            scopes: form
                .iter()
                .filter(|(k, _)| k == "scope")
                .map(|(_, v)| v.clone())
                .collect(),
            journal: field(form, "journal").to_string(),
            from: field(form, "from").trim().to_string(),
            until: field(form, "until").trim().to_string(),
            purpose: field(form, "purpose").to_string(),
        }
    }

    /// A blank form: sharing from today, the journal off.
    pub fn blank() -> Typed {
        Typed {
            journal: "off".into(),
            from: Local::now().date_naive().to_string(),
            ..Typed::default()
        }
    }

    /// The form for changing `grant`, as it is now.
    pub fn of(grant: &Grant) -> Typed {
        let last_day = grant
            .ends_at
            .map(|end| (end.with_timezone(&Local) - Duration::seconds(1)).date_naive());
        Typed {
            scopes: grant.scopes.iter().map(|s| s.name().to_string()).collect(),
            journal: journal_name(grant.journal).into(),
            from: grant
                .starts_at
                .with_timezone(&Local)
                .date_naive()
                .to_string(),
            until: last_day.map(|d| d.to_string()).unwrap_or_default(),
            purpose: match grant.purpose.as_str() {
                NO_PURPOSE => String::new(),
                purpose => purpose.to_string(),
            },
            ..Typed::default()
        }
    }

    /// Whether the checkbox of `scope` is ticked.
    pub fn has(&self, scope: &Scope) -> bool {
        self.scopes.iter().any(|s| s == scope.name())
    }

    /// The kinds shared and the journal's mode; at least one thing.
    pub fn shares(&self) -> Result<(Vec<Scope>, JournalSharing), Problem> {
        let journal = match self.journal.as_str() {
            "" | "off" => JournalSharing::Off,
            "chosen" => JournalSharing::Chosen,
            "marked" => JournalSharing::Marked,
            other => return Err(("journal", format!("“{other}” is not one of the choices"))),
        };
        let mut scopes: Vec<Scope> = KINDS.into_iter().filter(|s| self.has(s)).collect();
        if journal != JournalSharing::Off {
            scopes.push(Scope::Journal);
        }
        if scopes.is_empty() {
            return Err((
                "scope",
                "choose at least one kind of data to share (or the journal)".into(),
            ));
        }
        Ok((scopes, journal))
    }

    /// When sharing starts (now, for today or a day gone) and ends (after
    /// the last day), in the app's time.
    pub fn period(&self) -> Result<(DateTime<Utc>, Option<DateTime<Utc>>), Problem> {
        let today = Local::now().date_naive();
        let first = match self.from.as_str() {
            "" => today,
            text => date("from", text)?,
        };
        let starts = match first <= today {
            true => Utc::now(),
            false => midnight(first),
        };
        Ok((starts, self.last_day(first.max(today))?))
    }

    /// The end of sharing after the last day typed (none when blank).
    pub fn last_day(&self, not_before: NaiveDate) -> Result<Option<DateTime<Utc>>, Problem> {
        if self.until.is_empty() {
            return Ok(None);
        }
        let last = date("until", &self.until)?;
        if last < not_before {
            return Err((
                "until",
                format!("the last day of sharing must be {not_before} or later"),
            ));
        }
        Ok(Some(midnight(last + Duration::days(1))))
    }

    /// The purpose, or [`NO_PURPOSE`] when none was written.
    pub fn purpose(&self) -> Result<String, Problem> {
        match self.purpose.trim() {
            "" => Ok(NO_PURPOSE.into()),
            p if p.chars().count() > 500 => {
                Err(("purpose", "please keep it under 500 characters".into()))
            }
            p => Ok(p.to_string()),
        }
    }
}

fn date(field: &'static str, text: &str) -> Result<NaiveDate, Problem> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| (field, format!("“{text}” is not a date like 2026-12-01")))
}

/// The start of `day` in the app's time.
fn midnight(day: NaiveDate) -> DateTime<Utc> {
    let naive = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}

pub fn journal_name(mode: JournalSharing) -> &'static str {
    match mode {
        JournalSharing::Off => "off",
        JournalSharing::Chosen => "chosen",
        JournalSharing::Marked => "marked",
    }
}

/// The data layer's refusal, as a problem of the form's field.
pub fn problem_of(e: SharingError) -> Result<Problem, SharingError> {
    match e {
        SharingError::Invalid { field, why } => Ok((
            match field {
                "ends_at" => "until",
                "grantee" => "code",
                other => other,
            },
            why,
        )),
        other => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(pairs: &[(&str, &str)]) -> Typed {
        let form: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Typed::from_form(&form)
    }

    #[test]
    fn nothing_to_share_names_the_kinds() {
        let none = typed(&[("journal", "off")]);
        assert_eq!(none.shares().unwrap_err().0, "scope");
        let journal = typed(&[("journal", "chosen")]);
        assert_eq!(journal.shares().unwrap().0, vec![Scope::Journal]);
        let two = typed(&[("scope", "checkins"), ("scope", "safety plan")]);
        assert_eq!(
            two.shares().unwrap().0,
            vec![Scope::CheckIns, Scope::SafetyPlan]
        );
        assert_eq!(
            typed(&[("journal", "all")]).shares().unwrap_err().0,
            "journal"
        );
    }

    #[test]
    fn dates_that_are_not_dates_or_end_before_they_start_name_their_field() {
        assert_eq!(typed(&[("from", "soon")]).period().unwrap_err().0, "from");
        assert_eq!(
            typed(&[("until", "31/12")]).period().unwrap_err().0,
            "until"
        );
        let backwards = typed(&[("from", "2999-02-01"), ("until", "2999-01-01")]);
        assert_eq!(backwards.period().unwrap_err().0, "until");
        let (starts, ends) = typed(&[("until", "2999-01-01")]).period().unwrap();
        assert!(starts <= Utc::now() && ends.unwrap() > starts);
        assert_eq!(typed(&[]).period().unwrap().1, None);
    }

    #[test]
    fn no_purpose_is_said_plainly_and_a_long_one_is_refused() {
        assert_eq!(typed(&[("purpose", "  ")]).purpose().unwrap(), NO_PURPOSE);
        let long = "a".repeat(501);
        assert_eq!(
            typed(&[("purpose", &long)]).purpose().unwrap_err().0,
            "purpose"
        );
    }
}
