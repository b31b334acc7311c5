//! Reading the submitted check-in form: indexed once, then one look-up
//! per field, so the time grows with the form's size and no faster; and a
//! bound on the number of fields.

use super::{region_label, Area, Values};
use crate::error::PageError;
use axum::http::StatusCode;
use feltsense_core::items::ItemRating;
use feltsense_core::{
    Activation, BodyRegion, BodySensation, CheckInDraft, Context, FeelingRating, Sensation,
    Vocabulary,
};
use std::collections::HashMap;

/// The most fields a check-in form may send: the whole form has about 300
/// (every word's intensity among them), so more is not a person's form.
pub const MAX_FIELDS: usize = 2_000;

/// A submitted form, indexed once: the first value of each field, and
/// the ticked feeling words in order.
struct Fields<'a> {
    first: HashMap<&'a str, &'a str>,
    feel: Vec<&'a str>,
}

impl<'a> Fields<'a> {
    fn new(form: &'a [(String, String)]) -> Fields<'a> {
        let mut first = HashMap::with_capacity(form.len());
        let mut feel = Vec::new();
        for (key, value) in form {
            first.entry(key.as_str()).or_insert(value.as_str());
            if key == "feel" {
                feel.push(value.trim());
            }
        }
        Fields { first, feel }
    }

    /// A field's value, trimmed; `None` when absent or empty.
    fn get(&self, key: &str) -> Option<&'a str> {
        self.first
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn text(&self, key: &str) -> String {
        self.get(key).unwrap_or_default().to_string()
    }
}

/// Refuses a form with more fields than a check-in has (413).
pub fn check_size(form: &[(String, String)]) -> Result<(), PageError> {
    if form.len() <= MAX_FIELDS {
        return Ok(());
    }
    Err(PageError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "This form sent {} fields; a check-in has at most {MAX_FIELDS}, so it was not read \
             and nothing was saved. Please go back to the check-in page and try again.",
            form.len()
        ),
    ))
}

/// What the tapped submit button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Show the words of the area tapped.
    Area,
    /// Show the words found for the search.
    Find,
    /// Save the check-in (a form without a button's name saves too).
    Save,
}

pub fn intent(form: &[(String, String)]) -> Intent {
    let pressed = |k: &str, v: &str| form.iter().any(|(key, val)| key == k && val == v);
    if form.iter().any(|(key, _)| key == "area") {
        Intent::Area
    } else if pressed("act", "find") {
        Intent::Find
    } else {
        Intent::Save
    }
}

/// The intensity a saved word had, as the form shows it.
pub fn given(f: &FeelingRating) -> Option<u8> {
    f.intensity
}

/// Reads the submitted form: the values to show again if need be, and the
/// draft, or a message naming the first field that could not be read.
/// One pass to index the fields, then one look-up per field.
pub fn read(
    form: &[(String, String)],
    vocabulary: &Vocabulary,
) -> (Values, Result<CheckInDraft, String>) {
    let fields = Fields::new(form);
    let mut v = Values {
        nothing: fields.get("nothing").is_some(),
        query: fields.text("q"),
        showed: fields.text("showed"),
        doing: fields.text("doing"),
        with: fields.text("with"),
        place: fields.text("where"),
        note: fields
            .first
            .get("note")
            .map(|n| n.to_string())
            .unwrap_or_default(),
        ..Values::default()
    };
    let mut problems = Vec::new();
    read_scales(&fields, &mut v, &mut problems);
    read_area(&fields, &mut v);
    read_feelings(&fields, &mut v, &mut problems);
    read_body(&fields, &mut v, &mut problems);
    read_items(&fields, &mut v, &mut problems);
    match fields.get("for_date").map(for_date) {
        Some(Ok(day)) => v.for_date = Some(day),
        Some(Err(e)) => problems.push(e),
        None => {}
    }
    match super::phone::read(fields.get("checkin_id"), fields.get("made_at")) {
        Ok(phone) => v.phone = phone,
        Err(e) => problems.push(e),
    }
    match problems.into_iter().next() {
        Some(first) => (v, Err(first)),
        None => {
            let draft = draft(&v, vocabulary);
            (v, Ok(draft))
        }
    }
}

/// The grid (or pleasantness and energy alone), clarity, the whole body.
fn read_scales(fields: &Fields, v: &mut Values, problems: &mut Vec<String>) {
    match fields.get("affect").map(parse_affect) {
        Some(Some((p, e))) => (v.pleasantness, v.energy) = (Some(p), Some(e)),
        Some(None) => problems
            .push("The pleasantness and energy grid sent a value it does not know.".to_string()),
        None => {
            v.pleasantness = number(fields.get("pleasantness"), -5, 5, "Pleasantness", problems);
            v.energy = number(fields.get("energy"), -5, 5, "Energy", problems);
        }
    }
    v.clarity = number(fields.get("clarity"), 0, 10, "Clarity", problems).map(|c| c as u8);
    let overall = fields.get("body_overall");
    v.body_overall = number(overall, -5, 5, "The whole-body feeling", problems);
}

/// The area: the one just tapped, else the one kept from before. A finer
/// point outside a newly tapped area is let go, so the two agree.
fn read_area(fields: &Fields, v: &mut Values) {
    let tapped = fields.get("area").and_then(Area::from_key);
    v.area = tapped.or_else(|| fields.get("area_kept").and_then(Area::from_key));
    if let (Some(a), Some(p), Some(e)) = (tapped, v.pleasantness, v.energy) {
        if !a.holds(p, e) {
            (v.pleasantness, v.energy) = (None, None);
        }
    }
}

/// Each ticked word with its intensity, `None` when the box is empty.
fn read_feelings(fields: &Fields, v: &mut Values, problems: &mut Vec<String>) {
    for &word in &fields.feel {
        if word.is_empty() {
            continue;
        }
        let label = format!("The intensity of {word}");
        let given = fields.get(&format!("int_{word}"));
        let intensity = number(given, 1, 10, &label, problems).map(|i| i as u8);
        v.feelings.insert(word.to_string(), intensity);
    }
}

/// The fixed items rated, `item_WORD` from 0 to 10; an empty one is not
/// rated this time. One pass over the form's fields.
fn read_items(fields: &Fields, v: &mut Values, problems: &mut Vec<String>) {
    let mut rated: Vec<(&str, &str)> = fields
        .first
        .iter()
        .filter_map(|(k, val)| Some((k.strip_prefix("item_")?, val.trim())))
        .filter(|(_, val)| !val.is_empty())
        .collect();
    rated.sort_unstable();
    for (word, text) in rated {
        let label = format!("How much “{word}” is there");
        if let Some(r) = number(Some(text), 0, 10, &label, problems) {
            v.items.insert(word.to_string(), r as u8);
        }
    }
}

/// What was noticed in each region of the body map.
fn read_body(fields: &Fields, v: &mut Values, problems: &mut Vec<String>) {
    for &region in BodyRegion::ALL {
        let key = region.as_str();
        let how = fields
            .get(&format!("body_{key}_how"))
            .and_then(|h| h.parse::<Activation>().ok());
        let sensation = fields
            .get(&format!("body_{key}_sensation"))
            .and_then(|s| s.parse::<Sensation>().ok());
        let label = format!("The intensity in the {}", region_label(region));
        let given = fields.get(&format!("body_{key}_int"));
        let intensity = number(given, 1, 10, &label, problems).map(|i| i as u8);
        if how.is_some() || sensation.is_some() || intensity.is_some() {
            let noticed = BodySensation {
                region,
                activation: how,
                sensation,
                intensity,
            };
            v.body.insert(region, noticed);
        }
    }
}

/// The draft from values that were all read.
fn draft(v: &Values, vocabulary: &Vocabulary) -> CheckInDraft {
    // Vocabulary order, so a check-in reads the same every time.
    let order: HashMap<&str, usize> = vocabulary
        .words()
        .iter()
        .enumerate()
        .map(|(i, w)| (w.word.as_str(), i))
        .collect();
    let mut feelings: Vec<FeelingRating> = v
        .feelings
        .iter()
        .map(|(w, &i)| FeelingRating::new(w.clone(), i))
        .collect();
    let rank = |f: &FeelingRating| order.get(f.word.as_str()).copied().unwrap_or(usize::MAX);
    feelings.sort_unstable_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.word.cmp(&b.word)));
    let body = BodyRegion::ALL
        .iter()
        .filter_map(|r| v.body.get(r).cloned())
        .collect();
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
    // The area tapped stands for its middle unless a finer point was placed.
    let (pleasantness, energy) = match (v.pleasantness, v.energy, v.area) {
        (None, None, Some(a)) => (Some(a.point().0), Some(a.point().1)),
        (p, e, _) => (p, e),
    };
    CheckInDraft {
        nothing: v.nothing,
        feelings,
        pleasantness,
        energy,
        clarity: v.clarity,
        body,
        body_overall: v.body_overall,
        showed: opt(&v.showed),
        context: Context {
            doing: opt(&v.doing),
            with: opt(&v.with),
            place: opt(&v.place),
        },
        note: opt(&v.note),
        items: {
            let mut items: Vec<ItemRating> = v
                .items
                .iter()
                .map(|(w, &r)| ItemRating::new(w.clone(), r))
                .collect();
            items.sort_unstable_by(|a, b| a.word.cmp(&b.word));
            items
        },
        ..CheckInDraft::default()
    }
}

fn parse_affect(text: &str) -> Option<(i8, i8)> {
    let (p, e) = text.split_once(',')?;
    let (p, e): (i8, i8) = (p.trim().parse().ok()?, e.trim().parse().ok()?);
    ((-5..=5).contains(&p) && (-5..=5).contains(&e)).then_some((p, e))
}

fn number(
    text: Option<&str>,
    min: i8,
    max: i8,
    label: &str,
    problems: &mut Vec<String>,
) -> Option<i8> {
    let text = text?;
    match text.parse::<i8>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            problems.push(format!(
                "{label} must be a whole number from {min} to {max}; it was '{text}'."
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_first_value_of_a_field_counts_and_each_word_keeps_its_intensity() {
        let vocabulary = Vocabulary::embedded();
        let f = form(&[
            ("feel", "calm"),
            ("int_calm", "3"),
            ("feel", "sad"),
            ("clarity", "7"),
            ("clarity", "2"),
            ("note", "  kept as typed "),
        ]);
        let (v, draft) = read(&f, &vocabulary);
        let draft = draft.unwrap();
        assert_eq!(v.clarity, Some(7));
        assert_eq!(v.note, "  kept as typed ");
        let words: Vec<_> = draft
            .feelings
            .iter()
            .map(|f| (f.word.as_str(), f.intensity))
            .collect();
        assert!(
            words.contains(&("calm", Some(3))) && words.contains(&("sad", None)),
            "{words:?}"
        );
        let (v, unknown) = read(&form(&[("feel", "calm")]), &vocabulary);
        assert_eq!(v.feelings["calm"], None, "an empty box is kept empty");
        let unknown = unknown.unwrap().feelings;
        assert_eq!(
            (unknown[0].word.as_str(), unknown[0].intensity),
            ("calm", None)
        );
        let (_, bad) = read(&form(&[("feel", "calm"), ("int_calm", "11")]), &vocabulary);
        assert!(bad
            .unwrap_err()
            .contains("The intensity of calm must be a whole number from 1 to 10"));
    }

    /// Issue 10, item 12: 40,000 fields took 2.1 s when every word's
    /// intensity was looked for by a scan of the whole form (quadratic: four
    /// times the fields, sixteen times the time). Now four times the fields
    /// take about four times as long (the best of three runs, so a busy
    /// machine does not decide).
    #[test]
    fn reading_grows_linearly_with_the_number_of_fields() {
        let vocabulary = Vocabulary::embedded();
        let form_of = |words: usize| -> Vec<(String, String)> {
            (0..words)
                .flat_map(|i| {
                    [
                        ("feel".into(), format!("word{i}")),
                        (format!("int_word{i}"), "4".into()),
                    ]
                })
                .collect()
        };
        let best_of_three = |f: &[(String, String)]| {
            (0..3)
                .map(|_| {
                    let started = std::time::Instant::now();
                    let (v, _) = read(f, &vocabulary);
                    assert!(v.feelings.values().all(|&i| i == Some(4)));
                    started.elapsed()
                })
                .min()
                .unwrap()
        };
        let small = best_of_three(&form_of(5_000));
        let large = best_of_three(&form_of(20_000));
        let ratio = large.as_secs_f64() / small.as_secs_f64();
        assert!(
            ratio < 9.0,
            "4x the fields took {ratio:.1}x as long ({small:?} -> {large:?})"
        );
    }

    #[test]
    fn more_fields_than_a_check_in_has_are_refused() {
        let f = vec![("feel".to_string(), "calm".to_string()); MAX_FIELDS + 1];
        let e = check_size(&f).unwrap_err();
        assert_eq!(e.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(e.message.contains("2001 fields"), "{}", e.message);
        assert!(check_size(&f[..MAX_FIELDS]).is_ok());
    }
}

/// A day a check-in may be added for: a date like 2026-11-01, not after
/// today (the earliest is checked with the rest of the check-in).
pub fn for_date(text: &str) -> Result<chrono::NaiveDate, String> {
    let day = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("The day '{text}' is not a date like 2026-11-01."))?;
    if day > chrono::Local::now().date_naive() {
        return Err(format!(
            "{day} has not come yet; a check-in can be added for today or a day before."
        ));
    }
    Ok(day)
}

/// When a new check-in is: now, or midday of the earlier day it is for
/// (in the offset of now).
pub fn moment(
    day: Option<chrono::NaiveDate>,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> chrono::DateTime<chrono::FixedOffset> {
    match day.filter(|d| *d != now.date_naive()) {
        None => now,
        Some(d) => d
            .and_hms_opt(12, 0, 0)
            .and_then(|t| t.and_local_timezone(*now.offset()).single())
            .unwrap_or(now),
    }
}

#[cfg(test)]
mod for_day_tests {
    use super::*;

    #[test]
    fn a_check_in_for_an_earlier_day_is_at_its_midday_and_today_is_now() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-20T08:15:00+01:00").unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 14).unwrap();
        assert_eq!(
            moment(Some(day), now).to_rfc3339(),
            "2026-11-14T12:00:00+01:00"
        );
        assert_eq!(moment(Some(now.date_naive()), now), now);
        assert_eq!(moment(None, now), now);
        assert!(for_date("2026-02-30").unwrap_err().contains("2026-02-30"));
        assert!(for_date("2999-01-01")
            .unwrap_err()
            .contains("has not come yet"));
    }
}
