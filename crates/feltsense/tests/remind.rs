//! Reminders: the schedule, and the calendar file read back by an
//! independent iCalendar parser.

use crate::util::Env;

#[test]
fn the_calendar_file_parses_and_matches_the_schedule() {
    let env = Env::empty();
    let file = env.dir.path().join("prompts.ics");
    let args = [
        "--days",
        "7",
        "--seed",
        "3",
        "--per-day",
        "5",
        "--min-gap",
        "60",
    ];
    let mut ics = vec!["remind", "ics", "--out", file.to_str().unwrap()];
    ics.extend(args);
    env.ok(&ics);
    let mut schedule = vec!["remind", "schedule", "--json"];
    schedule.extend(args);
    let times: Vec<String> = serde_json::from_str(&env.ok(&schedule)).unwrap();
    assert_eq!(times.len(), 35);

    let reader = std::io::BufReader::new(std::fs::File::open(&file).unwrap());
    let calendars: Vec<_> = ical::IcalParser::new(reader)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(calendars.len(), 1);
    let events = &calendars[0].events;
    assert_eq!(events.len(), 35);
    for (event, time) in events.iter().zip(&times) {
        let prop = |name: &str| {
            event
                .properties
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.clone())
                .unwrap()
        };
        assert_eq!(prop("DTSTART"), time.replace(['-', ':'], ""));
        assert!(prop("DTSTAMP").ends_with('Z'));
        assert!(
            prop("DESCRIPTION").contains("\"Nothing\" is an answer too"),
            "folded lines unfold"
        );
        assert_eq!(event.alarms.len(), 1);
    }
    let again: Vec<String> = serde_json::from_str(&env.ok(&schedule)).unwrap();
    assert_eq!(again, times, "the same seed gives the same moments");
}

#[test]
fn impossible_plans_and_bad_times_are_explained() {
    let env = Env::empty();
    let err = env.fails(
        &["remind", "schedule", "--per-day", "12", "--min-gap", "90"],
        2,
    );
    assert!(err.contains("do not fit"), "{err}");
    let err = env.fails(&["remind", "schedule", "--from", "nine"], 2);
    assert!(err.contains("--from") && err.contains("09:00"), "{err}");
}

/// Runs `remind notify` with one prompt a day in a one-minute window
/// starting `offset` minutes from now (the tests run with TZ=UTC).
fn notify_with_window_at(env: &Env, offset: i64) -> Option<crate::util::Output> {
    use chrono::Timelike;
    let start = chrono::Utc::now() + chrono::Duration::minutes(offset);
    let end = start + chrono::Duration::minutes(1);
    if end.date_naive() != start.date_naive()
        || start.date_naive() != chrono::Utc::now().date_naive()
    {
        return None; // too close to midnight to place the window today
    }
    let (from, until) = (
        format!("{:02}:{:02}", start.hour(), start.minute()),
        format!("{:02}:{:02}", end.hour(), end.minute()),
    );
    Some(env.run_with(
        &[
            "remind",
            "notify",
            "--per-day",
            "1",
            "--min-gap",
            "0",
            "--from",
            &from,
            "--until",
            &until,
        ],
        "",
        |c| {
            c.env("PATH", "/nonexistent"); // no notifier: the message goes to stdout instead
        },
    ))
}

#[test]
fn notify_speaks_only_when_a_prompt_has_just_come() {
    let env = Env::empty();
    if let Some(out) = notify_with_window_at(&env, 120) {
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(out.stdout, "", "a prompt two hours away is not due");
    }
    if let Some(out) = notify_with_window_at(&env, -2) {
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stdout.contains("A moment to check in"),
            "a prompt two minutes ago is due: {}",
            out.stdout
        );
    }
}

#[test]
fn the_config_file_sets_the_plan_and_flags_override_it() {
    let env = Env::empty();
    let config = env.dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[reminders]\nper_day = 2\nfrom = \"10:00\"\nuntil = \"12:00\"\nmin_gap = 30\nseed = 5\n",
    )
    .unwrap();
    let with = |extra: &[&str]| -> Vec<String> {
        let mut args = vec![
            "--config",
            config.to_str().unwrap(),
            "remind",
            "schedule",
            "--days",
            "3",
            "--json",
        ];
        args.extend(extra);
        serde_json::from_str(&env.ok(&args)).unwrap()
    };
    let times = with(&[]);
    assert_eq!(times.len(), 6, "two a day from the file");
    assert!(
        times
            .iter()
            .all(|t| ("10:00".."12:00").contains(&&t[11..16])),
        "{times:?}"
    );
    assert_eq!(
        with(&["--per-day", "3"]).len(),
        9,
        "a flag overrides the file"
    );
    std::fs::write(&config, "[reminders]\nper_day = \"two\"\n").unwrap();
    let err = env.fails(
        &["--config", config.to_str().unwrap(), "remind", "schedule"],
        2,
    );
    assert!(
        err.contains("config.toml") && err.contains("line 2, column 11"),
        "{err}"
    );
    let default = env.ok(&["default-config"]);
    assert!(default.contains("[reminders]") && default.contains("min_gap = 90"));
}

/// Issue 10, item 6: a link planted at the old predictable temporary name
/// receives nothing, and the calendar is written owner-only.
#[test]
fn the_calendar_file_is_written_privately_past_a_planted_link() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::empty();
    let victim = env.dir.path().join("theirs.txt");
    std::fs::write(&victim, "").unwrap();
    let out = env.dir.path().join("prompts.ics");
    std::os::unix::fs::symlink(&victim, env.dir.path().join(".prompts.ics.partial")).unwrap();
    env.ok(&[
        "remind",
        "ics",
        "--days",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "");
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("BEGIN:VCALENDAR"));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}
