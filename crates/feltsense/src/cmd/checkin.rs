use super::{guided, present};
use crate::failure;
use crate::settings::Settings;
use chrono::{DateTime, FixedOffset, Local, TimeZone};
use feltsense_core::{
    Activation, BodyRegion, BodySensation, CheckInDraft, Context, FeelingRating, Field, Sensation,
    ValidationError, Vocabulary,
};
use feltsense_store::Store;

#[derive(Debug, Default, clap::Args)]
pub struct Args {
    /// A feeling and its intensity 1–10, e.g. `sad:6`, or the word alone
    /// when you can't say how strong it is. Repeat for more.
    #[arg(long = "feel", value_name = "WORD[:1-10]")]
    feel: Vec<String>,
    /// "I can't feel much right now". A valid answer, thank you for it.
    #[arg(long)]
    nothing: bool,
    /// How pleasant this moment is, −5 (very unpleasant) to +5 (very pleasant).
    #[arg(long, value_name = "-5..5", value_parser = clap::value_parser!(i8).range(-5..=5))]
    pleasant: Option<i8>,
    /// How much energy there is, −5 (very low) to +5 (very high).
    #[arg(long, value_name = "-5..5", value_parser = clap::value_parser!(i8).range(-5..=5))]
    energy: Option<i8>,
    /// How clearly you can feel what is there, 0 (not at all) to 10 (very clearly).
    #[arg(long, value_name = "0..10", value_parser = clap::value_parser!(u8).range(0..=10))]
    clarity: Option<u8>,
    /// Something noticed in the body: REGION[:more|less|cant-feel][:SENSATION][:1-10],
    /// e.g. `chest:tight:5` or `hands:cant-feel`. Repeat for more.
    #[arg(long, value_name = "REGION:...")]
    body: Vec<String>,
    /// The whole body, −5 (heavy) to +5 (light).
    #[arg(long, value_name = "-5..5", value_parser = clap::value_parser!(i8).range(-5..=5))]
    body_overall: Option<i8>,
    /// The feeling you showed others, if it differed from what you felt.
    #[arg(long, value_name = "WORD")]
    showed: Option<String>,
    /// What you were doing.
    #[arg(long, value_name = "TEXT")]
    doing: Option<String>,
    /// Who you were with.
    #[arg(long, value_name = "TEXT")]
    with: Option<String>,
    /// Where you were.
    #[arg(long = "where", value_name = "TEXT")]
    place: Option<String>,
    /// A note, in your own words. Others on this computer can see a
    /// command's arguments while it runs, so for private words leave this
    /// out and run `feltsense checkin` without flags: it asks for the note.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// When this was, if not now: `2026-11-25T08:30` (local time) or RFC 3339.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
}

impl Args {
    fn has_answers(&self) -> bool {
        let Args {
            feel,
            nothing,
            pleasant,
            energy,
            clarity,
            body,
            body_overall,
            ..
        } = self;
        let Args {
            showed,
            doing,
            with,
            place,
            note,
            ..
        } = self;
        !feel.is_empty()
            || *nothing
            || pleasant.is_some()
            || energy.is_some()
            || clarity.is_some()
            || !body.is_empty()
            || body_overall.is_some()
            || showed.is_some()
            || doing.is_some()
            || with.is_some()
            || place.is_some()
            || note.is_some()
    }

    fn into_draft(self) -> anyhow::Result<CheckInDraft> {
        let feelings = self
            .feel
            .iter()
            .map(|f| parse_feel(f))
            .collect::<Result<_, _>>()?;
        let body = self
            .body
            .iter()
            .map(|b| parse_body(b))
            .collect::<Result<_, _>>()?;
        Ok(CheckInDraft {
            nothing: self.nothing,
            feelings,
            pleasantness: self.pleasant,
            energy: self.energy,
            clarity: self.clarity,
            body,
            body_overall: self.body_overall,
            showed: self.showed,
            context: Context {
                doing: self.doing,
                with: self.with,
                place: self.place,
            },
            note: self.note,
            ..CheckInDraft::default()
        })
    }
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let vocabulary = Vocabulary::embedded();
    let at = match args.at.as_deref() {
        Some(text) => parse_time(text).map_err(|e| failure::input(format!("--at: {e}")))?,
        None => super::now(),
    };
    let guided = !args.has_answers();
    // Flags are checked before the store is opened, so a typo costs nothing.
    let draft = if guided {
        None
    } else {
        Some(args.into_draft()?)
    };
    let mut store = settings.open_or_create_store()?;
    let draft = match draft {
        Some(d) => d,
        None => {
            let stdin = std::io::stdin();
            match guided::ask(&vocabulary, &mut stdin.lock(), &mut std::io::stdout())? {
                Some(d) => d,
                None => {
                    println!("Nothing was saved. That's okay; come back whenever you like.");
                    return Ok(());
                }
            }
        }
    };
    let id = uuid::Uuid::now_v7().to_string();
    let check_in = draft
        .validate(&vocabulary, id, at, &super::accepted())
        .map_err(|e| flag_error(&e))?;
    if guided {
        let answers = present::summary(&check_in, &vocabulary);
        let stdin = std::io::stdin();
        guided::save(&mut stdin.lock(), &mut std::io::stdout(), &answers, || {
            store.add_checkin(&check_in)
        })?;
    } else {
        store.add_checkin(&check_in)?;
    }
    println!("{}", present::thanks(&check_in));
    println!("{}", present::summary(&check_in, &vocabulary));
    Ok(())
}

/// The flag a core field is given with.
pub fn flag(field: Field) -> &'static str {
    match field {
        Field::Feeling | Field::Intensity => "--feel",
        Field::Pleasantness => "--pleasant",
        Field::Energy => "--energy",
        Field::Clarity => "--clarity",
        Field::Body => "--body",
        Field::BodyOverall => "--body-overall",
        Field::Showed => "--showed",
        Field::Doing => "--doing",
        Field::With => "--with",
        Field::Where => "--where",
        Field::Note => "--note",
        Field::Mood => "mood",
        Field::Item => "--item",
        Field::Nothing => "--nothing",
        Field::Id => "id",
        Field::At => "--at",
    }
}

fn flag_error(e: &ValidationError) -> anyhow::Error {
    match e {
        ValidationError::Empty => failure::input(e.to_string()),
        _ => failure::input(format!("{}: {e}", flag(e.field()))),
    }
}

/// `WORD:INTENSITY`, e.g. `sad:6`, or `WORD` alone when the intensity is
/// not known (kept as unknown, never as a number).
pub fn parse_feel(text: &str) -> anyhow::Result<FeelingRating> {
    let Some((word, intensity)) = text.rsplit_once(':') else {
        return Ok(FeelingRating::new(text.trim(), None));
    };
    let intensity: u8 = intensity
        .trim()
        .parse()
        .ok()
        .filter(|i| (1..=10).contains(i))
        .ok_or_else(|| {
            failure::input(format!(
                "--feel '{text}': the intensity must be a whole number from 1 to 10"
            ))
        })?;
    Ok(FeelingRating::new(word.trim(), Some(intensity)))
}

/// `REGION[:more|less|cant-feel][:SENSATION][:1-10]`, parts in any order
/// after the region.
pub fn parse_body(text: &str) -> anyhow::Result<BodySensation> {
    let mut parts = text.split(':');
    let region_word = parts.next().unwrap_or_default();
    let region: BodyRegion = region_word.parse().map_err(|()| {
        let all: Vec<&str> = BodyRegion::ALL.iter().map(|r| r.as_str()).collect();
        failure::input(format!(
            "--body '{text}': '{region_word}' is not a body region; choose one of {}",
            all.join(", ")
        ))
    })?;
    let mut sensation = BodySensation {
        region,
        activation: None,
        sensation: None,
        intensity: None,
    };
    for part in parts.map(str::trim).filter(|p| !p.is_empty()) {
        if let Ok(n) = part.parse::<u8>() {
            if !(1..=10).contains(&n) {
                return Err(failure::input(format!(
                    "--body '{text}': the intensity must be from 1 to 10"
                )));
            }
            sensation.intensity = Some(n);
        } else if let Ok(a) = part.parse::<Activation>() {
            sensation.activation = Some(a);
        } else if let Ok(s) = part.parse::<Sensation>() {
            sensation.sensation = Some(s);
        } else {
            let all: Vec<&str> = Sensation::ALL.iter().map(|s| s.as_str()).collect();
            return Err(failure::input(format!(
                "--body '{text}': '{part}' is not a sensation; choose one of {}, \
                 or more, less, cant-feel, or an intensity 1 to 10",
                all.join(", ")
            )));
        }
    }
    Ok(sensation)
}

/// `--at` as typed: RFC 3339 or a local time, given this computer's
/// offset at that moment (the earlier one when clocks went back).
pub fn parse_time(text: &str) -> Result<DateTime<FixedOffset>, String> {
    feltsense_core::when::parse(text, |naive| {
        Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.fixed_offset())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feel_takes_an_intensity_in_range_or_none() {
        assert_eq!(
            parse_feel("sad:6").unwrap(),
            FeelingRating::new("sad", Some(6))
        );
        assert_eq!(
            parse_feel(" sad ").unwrap(),
            FeelingRating::new("sad", None)
        );
        assert!(parse_feel("sad:11")
            .unwrap_err()
            .to_string()
            .contains("1 to 10"));
        assert!(parse_feel("sad:x").is_err());
    }

    #[test]
    fn body_parts_come_in_any_order() {
        let b = parse_body("chest:tight:5").unwrap();
        assert_eq!(b.region, BodyRegion::Chest);
        assert_eq!(b.sensation, Some(Sensation::Tight));
        assert_eq!(b.intensity, Some(5));
        let b = parse_body("hands:cant-feel").unwrap();
        assert_eq!(b.activation, Some(Activation::CantFeel));
        let b = parse_body("belly:4:less:heavy").unwrap();
        assert_eq!(b.region, BodyRegion::LowerBelly);
        assert_eq!(b.activation, Some(Activation::Less));
        assert!(parse_body("elbow:tight")
            .unwrap_err()
            .to_string()
            .contains("not a body region"));
        assert!(parse_body("chest:sparkly")
            .unwrap_err()
            .to_string()
            .contains("not a sensation"));
        assert!(parse_body("chest:0")
            .unwrap_err()
            .to_string()
            .contains("1 to 10"));
    }

    #[test]
    fn times_are_local_or_rfc3339() {
        let t = parse_time("2026-11-25T08:30:00+02:00").unwrap();
        assert_eq!(t.offset().local_minus_utc(), 7200);
        assert!(parse_time("2026-11-25 08:30").is_ok());
        assert!(parse_time("yesterday").unwrap_err().contains("not a time"));
    }
}
