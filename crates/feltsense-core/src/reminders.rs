//! Experience-sampling reminders: a few random moments a day inside waking
//! hours, at least a minimum gap apart, reproducible from a seed. Each day
//! is drawn from (seed, date) alone, so any program that knows the plan
//! (the calendar export, a cron job) finds the same moments without
//! storing them. Never a streak, never "you missed".

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// How the moments are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub per_day: u32,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub min_gap_minutes: u32,
    pub seed: u64,
}

impl Default for Plan {
    fn default() -> Plan {
        Plan {
            per_day: 4,
            start: NaiveTime::from_hms_opt(9, 0, 0).expect("valid"),
            end: NaiveTime::from_hms_opt(21, 0, 0).expect("valid"),
            min_gap_minutes: 90,
            seed: 0,
        }
    }
}

impl Plan {
    /// Checks that the moments fit: `Err` names what does not.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=24).contains(&self.per_day) {
            return Err(format!("{} prompts a day: choose 1 to 24", self.per_day));
        }
        if self.end <= self.start {
            return Err("the waking hours must end after they start".into());
        }
        let window = (self.end - self.start).num_minutes();
        let needed = i64::from(self.min_gap_minutes) * i64::from(self.per_day - 1);
        if needed > window {
            return Err(format!(
                "{} prompts at least {} minutes apart do not fit between {} and {}",
                self.per_day,
                self.min_gap_minutes,
                self.start.format("%H:%M"),
                self.end.format("%H:%M")
            ));
        }
        Ok(())
    }

    /// The moments of one day, in order. Uniform placement with a minimum
    /// gap: draw n points in the window shortened by the gaps, sort them,
    /// and push the i-th later by i gaps.
    pub fn day(&self, date: NaiveDate) -> Vec<NaiveDateTime> {
        let window = (self.end - self.start).num_minutes();
        let gap = i64::from(self.min_gap_minutes);
        let free = (window - gap * i64::from(self.per_day.saturating_sub(1))).max(0);
        let mut rng = SplitMix64(
            self.seed
                ^ (i64::from(date.num_days_from_ce()) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
        // Points in [0, free): the end of the waking hours is not itself a moment.
        let mut offsets: Vec<i64> = (0..self.per_day)
            .map(|_| (rng.next() % (free.max(1) as u64)) as i64)
            .collect();
        offsets.sort_unstable();
        offsets
            .iter()
            .enumerate()
            .map(|(i, o)| date.and_time(self.start) + Duration::minutes(o + gap * i as i64))
            .collect()
    }

    /// The moments of `days` days from `from`.
    pub fn schedule(&self, from: NaiveDate, days: u32) -> Vec<NaiveDateTime> {
        (0..days)
            .flat_map(|d| self.day(from + Duration::days(i64::from(d))))
            .collect()
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): small, fast, and the same on
/// every machine, which is all a reproducible schedule needs.
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// An RFC 5545 calendar with one short event and a display alarm per
/// moment, in local ("floating") time, CRLF line ends. `stamp` is the
/// DTSTAMP, in UTC.
pub fn ics(moments: &[NaiveDateTime], seed: u64, stamp: NaiveDateTime) -> String {
    let mut s = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//feltsense//reminders//EN",
        "CALSCALE:GREGORIAN",
    ] {
        content_line(&mut s, line);
    }
    for m in moments {
        content_line(&mut s, "BEGIN:VEVENT");
        content_line(
            &mut s,
            &format!("UID:{}-s{seed}@feltsense.local", m.format("%Y%m%dT%H%M")),
        );
        content_line(
            &mut s,
            &format!("DTSTAMP:{}Z", stamp.format("%Y%m%dT%H%M%S")),
        );
        content_line(&mut s, &format!("DTSTART:{}", m.format("%Y%m%dT%H%M%S")));
        content_line(&mut s, "DURATION:PT5M");
        content_line(&mut s, "SUMMARY:A moment to check in");
        content_line(
            &mut s,
            "DESCRIPTION:If you like: what is here right now? \"Nothing\" is an answer too.",
        );
        for line in [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:A moment to check in",
            "TRIGGER:PT0M",
            "END:VALARM",
            "END:VEVENT",
        ] {
            content_line(&mut s, line);
        }
    }
    content_line(&mut s, "END:VCALENDAR");
    s
}

/// Appends one content line, folded at 75 octets (RFC 5545 §3.1): a long
/// line continues on the next after CRLF and one space.
fn content_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn moments_fit_the_window_and_the_gap_and_repeat_with_the_seed() {
        let plan = Plan {
            seed: 7,
            ..Plan::default()
        };
        for d in 0..200 {
            let day = plan.day(date("2026-01-01") + Duration::days(d));
            assert_eq!(day.len(), 4);
            assert!(day[0].time() >= plan.start && day[3].time() <= plan.end);
            for w in day.windows(2) {
                assert!((w[1] - w[0]).num_minutes() >= 90, "{day:?}");
            }
        }
        assert_eq!(plan.day(date("2026-11-25")), plan.day(date("2026-11-25")));
        assert_ne!(
            plan.day(date("2026-11-25")),
            Plan { seed: 8, ..plan }.day(date("2026-11-25"))
        );
        assert_eq!(
            plan.schedule(date("2026-11-24"), 3)[4..8],
            plan.day(date("2026-11-25"))[..],
            "a day is the same in any range"
        );
    }

    #[test]
    fn moments_spread_over_the_whole_window() {
        let plan = Plan {
            per_day: 1,
            min_gap_minutes: 0,
            ..Plan::default()
        };
        let hours: std::collections::BTreeSet<u32> = (0..400)
            .map(|d| chrono::Timelike::hour(&plan.day(date("2026-01-01") + Duration::days(d))[0]))
            .collect();
        assert_eq!(hours, (9..=20).collect(), "every waking hour is used");
    }

    #[test]
    fn impossible_plans_are_explained() {
        let tight = Plan {
            per_day: 10,
            min_gap_minutes: 90,
            ..Plan::default()
        };
        assert!(tight.check().unwrap_err().contains("do not fit"));
        let backwards = Plan {
            end: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            ..Plan::default()
        };
        assert!(backwards.check().is_err());
        assert!(Plan {
            per_day: 0,
            ..Plan::default()
        }
        .check()
        .is_err());
        assert!(Plan::default().check().is_ok());
    }

    #[test]
    fn the_calendar_has_one_event_per_moment() {
        let plan = Plan::default();
        let moments = plan.schedule(date("2026-11-25"), 2);
        let text = ics(&moments, 0, "2026-11-25T10:00:00".parse().unwrap());
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 8);
        assert!(
            text.lines().all(|l| l.len() <= 75),
            "lines are folded at 75 octets"
        );
        assert!(text.contains("\r\n") && text.starts_with("BEGIN:VCALENDAR"));
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(
            "DESCRIPTION:If you like: what is here right now? \"Nothing\" is an answer too."
        ));
    }
}
