//! The journal, the safety plan and help-now, end to end.

use crate::util::{contains, read_all, Env};

#[test]
fn an_entry_is_saved_encrypted_and_what_was_noticed_is_said_gently() {
    let env = Env::new();
    let text = "I put on a smile at work but honestly I feel nothing. Not happy, really tired. Bad day. quokka-lantern";
    let out = env.ok(&["journal", "--text", text]);
    assert!(out.contains("Saved your entry"), "{out}");
    assert!(out.contains("numbness"), "{out}");
    assert!(out.contains("tired"), "{out}");
    assert!(out.contains("said as not there: \"happy\""), "{out}");
    assert!(out.contains("you wrote \"bad\": closer might be"), "{out}");
    assert!(
        !out.contains("Samaritans") && !out.contains("emergency"),
        "no safety panel for this entry"
    );
    let files = [env.db(), env.db().with_extension("db-wal")];
    let paths: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    assert!(
        !contains(&read_all(&paths), "quokka-lantern"),
        "journal text is readable on disk"
    );

    let list = env.ok(&["journal", "list"]);
    assert!(list.contains("I put on a smile"), "{list}");
    let id = list
        .lines()
        .find_map(|l| l.trim().strip_prefix("id "))
        .unwrap()
        .to_string();
    assert!(env.ok(&["journal", "show", &id]).contains("quokka-lantern"));
    env.ok(&["journal", "forget", &id]);
    assert!(env.fails(&["journal", "show", &id], 3).contains(&id));
}

#[test]
fn crisis_language_shows_the_panel_first_with_the_plan() {
    let env = Env::new();
    env.ok(&[
        "safety-plan",
        "--set",
        "people_to_ask=my brother Tom, 0123 456",
    ]);
    let out = env.run_with(
        &[
            "journal",
            "--text",
            "I can't do this anymore. I want to kill myself.",
        ],
        "",
        |c| {
            c.env("FELTSENSE_LOCALE", "en_GB.UTF-8");
        },
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let panel = out.stdout.find("116 123").expect("UK crisis line");
    let saved = out.stdout.find("Saved your entry").unwrap();
    assert!(panel < saved, "the panel comes first");
    assert!(out.stdout.contains("my brother Tom"));
    assert!(out.stdout.contains("has not told anyone"));
    let calm = env.ok(&[
        "journal",
        "--text",
        "This traffic is killing me. I would never hurt myself.",
    ]);
    assert!(
        !calm.contains("116 123") && !calm.contains("findahelpline"),
        "{calm}"
    );
}

#[test]
fn a_journal_entry_can_become_a_check_in() {
    let env = Env::new();
    env.ok(&[
        "journal",
        "--checkin",
        "--text",
        "Really anxious today, and a bit lonely.",
    ]);
    let r = &env.records()[0];
    let words: Vec<&str> = r["feelings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["word"].as_str().unwrap())
        .collect();
    assert!(
        words.contains(&"anxious") && words.contains(&"lonely"),
        "{words:?}"
    );
    let anxious = r["feelings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["word"] == "anxious")
        .unwrap();
    assert!(
        anxious["intensity"].as_u64().unwrap() > 5,
        "'really' raises intensity"
    );
    let out = env.run_with(&["journal"], "   \n", |_| {});
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("empty"), "{}", out.stderr);
}

#[test]
fn help_now_works_without_a_store_or_passphrase() {
    let env = Env::empty();
    let out = env.run_with(&["help-now"], "", |c| {
        c.env_remove("FELTSENSE_PASSPHRASE")
            .env("FELTSENSE_LOCALE", "US");
    });
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("988"), "{}", out.stdout);
    assert!(!env.db().exists(), "help-now creates nothing");
    let unknown = env.run_with(&["help-now"], "", |c| {
        c.env_remove("FELTSENSE_PASSPHRASE")
            .env("FELTSENSE_LOCALE", "C");
    });
    assert!(unknown.stdout.contains("findahelpline.com"));
}

#[test]
fn help_now_shows_the_plan_after_the_passphrase() {
    let env = Env::new();
    env.ok(&[
        "safety-plan",
        "--set",
        "coping_alone=cold water on my face",
        "--set",
        "safer_surroundings=give the pills to Ana",
    ]);
    let shown = env.ok(&["safety-plan", "--show"]);
    assert!(
        shown.contains("cold water on my face") && shown.contains("(not written yet)"),
        "{shown}"
    );
    let out = env.ok(&["help-now"]);
    let lines = out.find("findahelpline").unwrap();
    let plan = out.find("cold water on my face").unwrap();
    assert!(
        lines < plan,
        "crisis lines before the passphrase, the plan after"
    );
    let err = env.fails(&["safety-plan", "--set", "hobbies=knitting"], 2);
    assert!(
        err.contains("'hobbies' is not a step") && err.contains("warning_signs"),
        "{err}"
    );
}

#[test]
fn a_past_experience_gets_the_quiet_line_and_other_languages_are_named() {
    let env = Env::new();
    let past = env.ok(&[
        "journal",
        "--text",
        "Years ago I used to think about killing myself. I'm better now.",
    ]);
    assert!(past.contains("If those thoughts come back"), "{past}");
    assert!(
        !past.contains("Samaritans") && !past.contains("emergency"),
        "{past}"
    );
    let french = env.ok(&[
        "journal",
        "--text",
        "Je ne veux plus vivre, tout est trop lourd",
    ]);
    assert!(french.contains("reads English only"), "{french}");
}
