//! Reading one CSV row of an ESM data set into numbers, fast: ratings and
//! times are parsed by hand for the common shapes, falling back to the
//! standard library for the rest.

/// Why one cell cannot be read.
#[derive(Debug, Clone, PartialEq)]
pub enum CellError {
    NotANumber,
    NotFinite,
    TooLarge,
    BelowScaleMin(f64),
    AboveScaleMax(f64),
    NotATime,
    NotADay,
    NotABeep,
    NeedsDates,
    EmptyId,
}

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CellError::NotANumber => {
                f.write_str("is not a number (leave it empty, or NA, when missing)")
            }
            CellError::NotFinite => f.write_str("is not a finite number"),
            CellError::TooLarge => write!(
                f,
                "is too large to be a rating (at most {MAX_RATING:e} either side of 0)"
            ),
            CellError::BelowScaleMin(min) => write!(f, "is below --scale-min {min}"),
            CellError::AboveScaleMax(max) => write!(
                f,
                "is above --scale-max {max} (a code for a missing answer? --missing names it)"
            ),
            CellError::NotATime => f.write_str(
                "is neither a number (beep index) nor a date-time like 2026-11-25 08:30:00",
            ),
            CellError::NotADay => {
                f.write_str("is neither a whole number nor a date like 2026-11-25 (the day)")
            }
            CellError::NotABeep => f.write_str("is not a number (the prompt within its day)"),
            CellError::NeedsDates => {
                f.write_str("is a number, but --within-day needs dates in the --time column")
            }
            CellError::EmptyId => f.write_str("is empty: every row needs a participant id"),
        }
    }
}

/// The largest rating, either side of 0: far beyond any scale, and small
/// enough that sums of squares over billions of prompts stay finite (a
/// 1e308 would overflow them to inf).
pub const MAX_RATING: f64 = 1e12;

/// What a rating may be: the scale's bounds, and the codes a study uses
/// for "no answer" (`--missing 9999,N/A`), matched as written or, for a
/// number, by value.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub min: f64,
    /// `f64::INFINITY` when not given.
    pub max: f64,
    pub missing: Vec<Vec<u8>>,
    pub missing_values: Vec<f64>,
}

impl Scale {
    pub fn new(min: f64, max: Option<f64>, missing: &[&str]) -> Scale {
        Scale {
            min,
            max: max.unwrap_or(f64::INFINITY),
            missing: missing.iter().map(|m| m.as_bytes().to_vec()).collect(),
            missing_values: missing.iter().filter_map(|m| m.parse().ok()).collect(),
        }
    }

    fn check(&self, value: f64) -> Result<f64, CellError> {
        if self.missing_values.contains(&value) {
            Ok(f64::NAN)
        } else if value < self.min {
            Err(CellError::BelowScaleMin(self.min))
        } else if value > self.max {
            Err(CellError::AboveScaleMax(self.max))
        } else {
            Ok(value)
        }
    }
}

/// A rating: `Ok(NaN)` for a missing cell (empty, `NA`, `NaN`, `.`,
/// `null`, or one of the study's codes); infinities, numbers beyond
/// [`MAX_RATING`] and ratings outside the scale are refused.
pub fn rating(cell: &[u8], scale: &Scale) -> Result<f64, CellError> {
    // The common case first: one digit, no spaces.
    if let [d @ b'0'..=b'9'] = cell {
        return scale.check(f64::from(d - b'0'));
    }
    let cell = trim(cell);
    if scale.missing.iter().any(|m| m == cell) {
        return Ok(f64::NAN);
    }
    let value = match cell {
        [] | b"NA" | b"na" | b"NaN" | b"nan" | b"." | b"null" | b"NULL" => return Ok(f64::NAN),
        [d @ b'0'..=b'9'] => f64::from(d - b'0'),
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => f64::from((a - b'0') * 10 + (b - b'0')),
        _ => number(cell)?,
    };
    scale.check(value)
}

fn number(cell: &[u8]) -> Result<f64, CellError> {
    let value = std::str::from_utf8(cell)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .ok_or(CellError::NotANumber)?;
    if !value.is_finite() {
        Err(CellError::NotFinite)
    } else if value.abs() > MAX_RATING {
        Err(CellError::TooLarge)
    } else {
        Ok(value)
    }
}

/// Whether a time cell is empty: such a prompt has no place in the order
/// and is left out (counted and reported), never given an invented one.
pub fn no_time(cell: &[u8]) -> bool {
    trim(cell).is_empty()
}

/// Where a prompt falls in time: the order key (seconds, or the beep
/// number as given) and the calendar day as written (`None` for numbers).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct When {
    /// The day, with `--day` (else 0): prompts sort by it first.
    pub major: i64,
    pub order: f64,
    pub day: Option<i64>,
}

impl When {
    /// Where the prompt sorts: by `major`, then `order`.
    pub fn cmp(&self, other: &When) -> std::cmp::Ordering {
        self.major
            .cmp(&other.major)
            .then(self.order.total_cmp(&other.order))
    }
}

/// A prompt placed by a day (a whole number, or a date `YYYY-MM-DD`) and
/// its number within the day (`--day COL --beep COL`); pairs within a day
/// follow the day column. `Err` names which cell is wrong (false: the day).
pub fn day_beep(day: &[u8], beep: &[u8]) -> Result<When, (bool, CellError)> {
    let day = day_number(trim(day)).ok_or((false, CellError::NotADay))?;
    let order = std::str::from_utf8(trim(beep))
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|v| v.is_finite())
        .ok_or((true, CellError::NotABeep))?;
    Ok(When {
        major: day,
        order,
        day: Some(day),
    })
}

fn day_number(cell: &[u8]) -> Option<i64> {
    if cell.len() == 10 && cell[4] == b'-' && cell[7] == b'-' {
        return date_time(cell).and_then(|w| w.day);
    }
    let v: f64 = std::str::from_utf8(cell).ok()?.parse().ok()?;
    (v.fract() == 0.0 && v.abs() < 1e15).then_some(v as i64)
}

/// A beep index / number, or a date-time `YYYY-MM-DD[ T]HH:MM[:SS[.f]]`
/// with an optional `Z` or `±HH:MM` offset, or a date `YYYY-MM-DD`. Times
/// with an offset are ordered by instant; the day is the date as written.
pub fn when(cell: &[u8]) -> Result<When, CellError> {
    let cell = trim(cell);
    if cell.len() >= 10 && cell[4] == b'-' && cell[7] == b'-' {
        return date_time(cell).ok_or(CellError::NotATime);
    }
    let order = std::str::from_utf8(cell)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|v| v.is_finite())
        .ok_or(CellError::NotATime)?;
    Ok(When {
        major: 0,
        order,
        day: None,
    })
}

fn date_time(s: &[u8]) -> Option<When> {
    let year = digits(&s[0..4])?;
    let month = digits(&s[5..7])?;
    let day = digits(&s[8..10])?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(When {
            major: 0,
            order: (days * 86_400) as f64,
            day: Some(days),
        });
    }
    if rest.len() < 6 || !(rest[0] == b'T' || rest[0] == b' ') || rest[3] != b':' {
        return None;
    }
    let hour = digits(&rest[1..3])?;
    let minute = digits(&rest[4..6])?;
    let mut i = 6;
    let mut second = 0.0;
    if rest.get(i) == Some(&b':') {
        let whole = digits(rest.get(i + 1..i + 3)?)?;
        i += 3;
        let frac_end = if rest.get(i) == Some(&b'.') {
            i + 1
                + rest[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count()
        } else {
            i
        };
        let frac: f64 = if frac_end > i {
            std::str::from_utf8(&rest[i..frac_end]).ok()?.parse().ok()?
        } else {
            0.0
        };
        if whole > 60 {
            return None;
        }
        second = whole as f64 + frac;
        i = frac_end;
    }
    if hour > 23 || minute > 59 {
        return None;
    }
    let offset = match &rest[i..] {
        [] => 0,
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let o = digits(&[*h1, *h2])? * 3600 + digits(&[*m1, *m2])? * 60;
            if *sign == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    let seconds = days * 86_400 + hour * 3600 + minute * 60 - offset;
    Some(When {
        major: 0,
        order: seconds as f64 + second,
        day: Some(days),
    })
}

fn digits(s: &[u8]) -> Option<i64> {
    s.iter().try_fold(0i64, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn trim(s: &[u8]) -> &[u8] {
    s.trim_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale(min: f64) -> Scale {
        Scale::new(min, None, &[])
    }

    #[test]
    fn ratings_and_missing_cells() {
        assert_eq!(rating(b"4", &scale(0.0)), Ok(4.0));
        assert_eq!(rating(b" 12 ", &scale(0.0)), Ok(12.0));
        assert_eq!(rating(b"3.5", &scale(0.0)), Ok(3.5));
        assert_eq!(rating(b"-1.25", &scale(-3.0)), Ok(-1.25));
        assert!(rating(b"", &scale(0.0)).unwrap().is_nan());
        assert!(rating(b"NA", &scale(0.0)).unwrap().is_nan());
        assert_eq!(rating(b"abc", &scale(0.0)), Err(CellError::NotANumber));
        assert_eq!(rating(b"inf", &scale(0.0)), Err(CellError::NotFinite));
        assert_eq!(rating(b"-infinity", &scale(0.0)), Err(CellError::NotFinite));
        assert_eq!(rating(b"NAN", &scale(0.0)), Err(CellError::NotFinite));
        assert_eq!(rating(b"1e308", &scale(0.0)), Err(CellError::TooLarge));
        assert_eq!(rating(b"-2e12", &scale(-5.0)), Err(CellError::TooLarge));
        assert_eq!(rating(b"1e12", &scale(0.0)), Ok(1e12));
    }

    #[test]
    fn study_codes_are_missing_and_the_scale_has_a_top() {
        let s = Scale::new(1.0, Some(100.0), &["9999", "N/A", "-9"]);
        assert!(rating(b"9999", &s).unwrap().is_nan());
        assert!(rating(b" 9999.0 ", &s).unwrap().is_nan(), "by value too");
        assert!(rating(b"N/A", &s).unwrap().is_nan());
        assert!(
            rating(b"-9", &s).unwrap().is_nan(),
            "a code below the scale is still a code"
        );
        assert_eq!(rating(b"100", &s), Ok(100.0));
        assert_eq!(rating(b"101", &s), Err(CellError::AboveScaleMax(100.0)));
        assert_eq!(rating(b"9998", &s), Err(CellError::AboveScaleMax(100.0)));
        let digit = Scale::new(0.0, Some(7.0), &["8"]);
        assert!(
            rating(b"8", &digit).unwrap().is_nan(),
            "the one-digit fast path knows codes"
        );
        assert_eq!(
            rating(b"0", &scale(1.0)),
            Err(CellError::BelowScaleMin(1.0))
        );
    }

    #[test]
    fn times_order_by_instant_and_keep_the_written_day() {
        let a = when(b"2026-11-25 08:30:00").unwrap();
        let b = when(b"2026-11-25T08:30:01").unwrap();
        assert_eq!(b.order - a.order, 1.0);
        assert_eq!(a.day, b.day);
        assert_eq!(a.day, Some(days_from_civil(2026, 11, 25)));
        let tokyo = when(b"2026-11-25T09:00:00+09:00").unwrap();
        let london = when(b"2026-11-25T01:00:00Z").unwrap();
        assert!(tokyo.order < london.order);
        assert_eq!(when(b"2026-11-25T08:30").unwrap().order, a.order);
        assert_eq!(when(b"2026-11-25T08:30:00.5").unwrap().order, a.order + 0.5);
        assert_eq!(
            when(b"2026-11-26").unwrap().order,
            (days_from_civil(2026, 11, 26) * 86_400) as f64
        );
        assert_eq!(
            when(b"17"),
            Ok(When {
                major: 0,
                order: 17.0,
                day: None
            })
        );
        assert_eq!(when(b"2026-02-30 10:00:00"), Err(CellError::NotATime));
        assert_eq!(when(b"2026-11-25 25:00:00"), Err(CellError::NotATime));
        assert_eq!(when(b"yesterday"), Err(CellError::NotATime));
    }

    #[test]
    fn a_day_and_a_beep_place_a_prompt() {
        let a = day_beep(b"2", b"10").unwrap();
        let b = day_beep(b" 3 ", b"1").unwrap();
        assert_eq!((a.day, b.day), (Some(2), Some(3)));
        assert_eq!(a.cmp(&b), std::cmp::Ordering::Less, "day first, then beep");
        let dated = day_beep(b"2026-11-25", b"4").unwrap();
        assert_eq!(dated.day, Some(days_from_civil(2026, 11, 25)));
        assert_eq!(
            day_beep(b"2.5", b"1").unwrap_err(),
            (false, CellError::NotADay)
        );
        assert_eq!(
            day_beep(b"Monday", b"1").unwrap_err(),
            (false, CellError::NotADay)
        );
        assert_eq!(
            day_beep(b"1", b"first").unwrap_err(),
            (true, CellError::NotABeep)
        );
    }

    #[test]
    fn civil_days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }
}
