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
    /// Numbers to dial, comma-separated (for `tel:` links); may be empty.
    pub call: &'static str,
    /// Numbers to text, comma-separated, each with the first word to send
    /// after a colon (`85258:SHOUT`); may be empty.
    pub text: &'static str,
}

/// A way to reach a line from a phone: `tel:` or `sms:`, and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    pub href: String,
    pub label: String,
}

impl CrisisLine {
    /// The line's `tel:` and `sms:` links, calls first.
    pub fn reaches(&self) -> Vec<Reach> {
        let numbers = |list: &'static str| list.split(',').filter(|n| !n.is_empty());
        let calls = numbers(self.call).map(|n| Reach {
            href: format!("tel:{n}"),
            label: format!("Call {n}"),
        });
        let texts = numbers(self.text).map(|entry| {
            let (n, word) = entry.split_once(':').unwrap_or((entry, ""));
            match word {
                "" => Reach {
                    href: format!("sms:{n}"),
                    label: format!("Text {n}"),
                },
                w => Reach {
                    href: format!("sms:{n}?body={w}"),
                    label: format!("Text {w} to {n}"),
                },
            }
        });
        calls.chain(texts).collect()
    }
}

/// The countries with crisis lines of their own, by ISO code, with names.
pub const COUNTRIES: [(&str, &str); 21] = [
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("BE", "Belgium"),
    ("CA", "Canada"),
    ("CH", "Switzerland"),
    ("DE", "Germany"),
    ("DK", "Denmark"),
    ("ES", "Spain"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("IN", "India"),
    ("IT", "Italy"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("NZ", "New Zealand"),
    ("SE", "Sweden"),
    ("US", "United States"),
    ("ZZ", "Another country"),
    ("", "Not chosen"),
];

/// Phone numbers written in free text (a safety plan's contacts): runs of
/// digits, spaces, dashes, dots and brackets, perhaps after a `+`, holding
/// at least five digits; each as it is written and as it is dialled.
pub fn phone_numbers(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once('\n')) {
        let continues = c.is_ascii_digit() || (!run.is_empty() && " -.()".contains(c));
        if continues || (run.is_empty() && c == '+') {
            run.push(c);
            continue;
        }
        let mut written = run.trim_end_matches([' ', '-', '.', '(']).to_string();
        if written.matches(')').count() > written.matches('(').count() {
            written = written.trim_end_matches(')').to_string();
        }
        let dialled: String = written
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        if dialled.chars().filter(char::is_ascii_digit).count() >= 5 {
            found.push((written, dialled));
        }
        run.clear();
    }
    found
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
    call: "",
    text: "",
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
            let (call, text) = (f.next().unwrap_or(""), f.next().unwrap_or(""));
            (Some(c) == country).then_some(CrisisLine {
                name,
                reach,
                when,
                call,
                text,
            })
        })
        .collect();
    lines.push(INTERNATIONAL);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crisis_lines_can_be_called_and_texted() {
        let uk = crisis_lines(Some("GB"));
        assert_eq!(uk[0].reaches()[0].href, "tel:116123");
        assert_eq!(uk[1].reaches()[0].href, "sms:85258?body=SHOUT");
        assert_eq!(uk[1].reaches()[0].label, "Text SHOUT to 85258");
        assert!(INTERNATIONAL.reaches().is_empty());
        for (code, _) in COUNTRIES.iter().filter(|(c, _)| c.len() == 2 && *c != "ZZ") {
            let own = crisis_lines(Some(code));
            assert!(own.len() > 1, "{code} has lines");
            assert!(
                own.iter()
                    .all(|l| l == &INTERNATIONAL || !l.reaches().is_empty()),
                "{code}"
            );
        }
    }

    #[test]
    fn phone_numbers_are_found_in_a_plan() {
        let found =
            phone_numbers("Call Sam on 07700 900123, or Ana (+44 20 7946 0958). Walk at 9:30.");
        assert_eq!(
            found,
            vec![
                ("07700 900123".to_string(), "07700900123".to_string()),
                ("+44 20 7946 0958".to_string(), "+442079460958".to_string())
            ]
        );
        assert!(phone_numbers("on 12 May at 21:00").is_empty());
    }

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
            assert_eq!(fields.len(), 6, "{l}");
            assert!(fields[..4].iter().all(|f| !f.trim().is_empty()), "{l}");
            assert!(
                !(fields[4].is_empty() && fields[5].is_empty()),
                "a number: {l}"
            );
            let plain = |f: &str| {
                f.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ",:+".contains(c))
            };
            assert!(plain(fields[4]) && plain(fields[5]), "{l}");
        }
    }
}
