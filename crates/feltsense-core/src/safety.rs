//! What the safety panel says: calm words, what to do now, and crisis lines
//! for the person's country, with an international default. The lines are
//! data (`data/crisis_lines.tsv`); nothing here reaches the network, and
//! nothing suggests anyone is watching.

const LINES: &str = include_str!("../data/crisis_lines.tsv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrisisLine {
    pub name: &'static str,
    pub reach: &'static str,
    pub when: &'static str,
}

pub const CALM: &str = "It sounds like things may be very hard right now. You deserve support, \
and you do not have to carry this alone.";

/// What to do now, in order.
pub const NOW: [&str; 4] = [
    "If you might act on these thoughts, or are in danger, call your local emergency number now \
     (112 in most of Europe, 911 in the US and Canada, 999 in the UK, 000 in Australia).",
    "Reach out to someone: a crisis line below, or a person you trust. Saying it out loud helps.",
    "Put some distance between yourself and anything you could use to hurt yourself.",
    "Stay with the next few minutes: breathe out slowly, feel your feet on the floor.",
];

pub const PRIVATE: &str = "feltsense has not told anyone and sends nothing anywhere: \
reaching out is your choice, and these people are there for it.";

/// When no line for the country is known.
pub const INTERNATIONAL: CrisisLine = CrisisLine {
    name: "Find a helpline (international directory)",
    reach: "findahelpline.com lists free, confidential lines in many countries",
    when: "any time",
};

/// The two-letter country of a locale such as `en_GB.UTF-8`, `en-GB` or `GB`.
pub fn country(locale: &str) -> Option<String> {
    let base = locale.split(['.', '@']).next().unwrap_or_default();
    let region = base.rsplit(['_', '-']).next().unwrap_or_default();
    (region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| region.to_ascii_uppercase())
}

/// The crisis lines for a country, always ending with the international
/// directory.
pub fn crisis_lines(country: Option<&str>) -> Vec<CrisisLine> {
    let mut lines: Vec<CrisisLine> = LINES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut f = l.split('\t');
            let (c, name, reach, when) = (f.next()?, f.next()?, f.next()?, f.next()?);
            (Some(c) == country).then_some(CrisisLine { name, reach, when })
        })
        .collect();
    lines.push(INTERNATIONAL);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_come_from_locales() {
        assert_eq!(country("en_GB.UTF-8").as_deref(), Some("GB"));
        assert_eq!(country("de-AT").as_deref(), Some("AT"));
        assert_eq!(country("us").as_deref(), Some("US"));
        assert_eq!(country("C"), None);
        assert_eq!(country("C.UTF-8"), None);
    }

    #[test]
    fn known_countries_get_their_lines_and_everyone_gets_the_directory() {
        let uk = crisis_lines(Some("GB"));
        assert!(uk.iter().any(|l| l.reach.contains("116 123")));
        assert_eq!(uk.last(), Some(&INTERNATIONAL));
        let us = crisis_lines(Some("US"));
        assert!(us[0].reach.contains("988"));
        assert_eq!(crisis_lines(None), vec![INTERNATIONAL]);
        assert_eq!(crisis_lines(Some("ZZ")), vec![INTERNATIONAL]);
    }

    #[test]
    fn every_line_is_complete() {
        for l in LINES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let fields: Vec<&str> = l.split('\t').collect();
            assert_eq!(fields.len(), 4, "{l}");
            assert!(fields.iter().all(|f| !f.trim().is_empty()), "{l}");
        }
    }
}
