//! What the phone adds to a new check-in's form (app.js fills it in; a
//! form without it works as before): the check-in's id, made on the phone
//! so that a check-in kept offline and sent again later is stored once,
//! and the moment Save was tapped, so one sent hours later keeps its time.

use chrono::{DateTime, FixedOffset};

/// The id and the moment a phone gave, each optional.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FromPhone {
    pub id: Option<String>,
    pub made_at: Option<DateTime<FixedOffset>>,
}

/// Reads `checkin_id` (a UUID) and `made_at` (RFC 3339), or names the
/// field that could not be read.
pub fn read(id: Option<&str>, made_at: Option<&str>) -> Result<FromPhone, String> {
    let id = match id {
        None => None,
        Some(text) => match uuid::Uuid::parse_str(text) {
            Ok(uuid) => Some(uuid.hyphenated().to_string()),
            Err(_) => {
                return Err(format!(
                    "The check-in's id '{}' (field checkin_id) is not a UUID, so it was not saved; \
                     please reload the check-in page and try again.",
                    shorten(text)
                ))
            }
        },
    };
    let made_at = match made_at {
        None => None,
        Some(text) => Some(DateTime::parse_from_rfc3339(text).map_err(|_| {
            format!(
                "The moment '{}' (field made_at) is not a time like 2026-11-01T08:30:00Z, so it was not saved; \
                 please reload the check-in page and try again.",
                shorten(text)
            )
        })?),
    };
    Ok(FromPhone { id, made_at })
}

fn shorten(text: &str) -> String {
    text.chars().take(60).collect()
}

/// When a new check-in is: the phone's moment (never later than now), in
/// the offset of `now`; `now` without one.
pub fn moment(
    phone: Option<DateTime<FixedOffset>>,
    now: DateTime<FixedOffset>,
) -> DateTime<FixedOffset> {
    match phone {
        Some(made) if made < now => made.with_timezone(now.offset()),
        _ => now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_and_a_moment_from_the_phone_are_read_and_a_bad_one_is_named() {
        let read_back = read(
            Some("0190A3B4-5C6D-7E8F-9012-3456789ABCDE"),
            Some("2026-11-01T08:30:00.250Z"),
        )
        .unwrap();
        assert_eq!(
            read_back.id.as_deref(),
            Some("0190a3b4-5c6d-7e8f-9012-3456789abcde")
        );
        assert_eq!(
            read_back.made_at.unwrap().to_rfc3339(),
            "2026-11-01T08:30:00.250+00:00"
        );
        assert_eq!(read(None, None).unwrap(), FromPhone::default());
        let bad = read(Some("x'; drop"), None).unwrap_err();
        assert!(
            bad.contains("checkin_id") && bad.contains("x'; drop"),
            "{bad}"
        );
        let late = read(None, Some("yesterday")).unwrap_err();
        assert!(
            late.contains("made_at") && late.contains("yesterday"),
            "{late}"
        );
    }

    #[test]
    fn a_moment_from_the_phone_is_kept_unless_it_is_still_to_come() {
        let now = DateTime::parse_from_rfc3339("2026-11-01T18:00:00+01:00").unwrap();
        let bus = DateTime::parse_from_rfc3339("2026-11-01T08:30:00Z").unwrap();
        assert_eq!(
            moment(Some(bus), now).to_rfc3339(),
            "2026-11-01T09:30:00+01:00"
        );
        let ahead = DateTime::parse_from_rfc3339("2026-11-02T08:30:00Z").unwrap();
        assert_eq!(moment(Some(ahead), now), now);
        assert_eq!(moment(None, now), now);
    }
}
