//! End-to-end tests of the `feltsense` binary: what a person types, what
//! they see, and what is (and is not) on disk afterwards.

mod analyze;
mod analyze_hardening;
mod analyze_research;
mod assess;
mod bridges;
mod dated;
mod daylio;
mod exchange;
mod flags;
mod imports;
mod insights;
mod items;
mod journal;
mod notice;
mod practice;
mod remind;
mod report;
mod server;
mod server_rotate;
mod store;
mod unlock;
mod util;

use std::os::unix::fs::PermissionsExt;
use util::{contains, read_all, Env};

const FULL: &[&str] = &[
    "checkin",
    "--feel",
    "sad:6",
    "--feel",
    "tired:4",
    "--pleasant",
    "-2",
    "--energy",
    "-3",
    "--clarity",
    "3",
    "--body",
    "chest:tight:5",
    "--showed",
    "calm",
    "--doing",
    "work",
    "--with",
    "colleagues",
    "--where",
    "office",
    "--note",
    "quiet day",
];

#[test]
fn init_makes_an_owner_only_store_once() {
    let env = Env::empty();
    let out = env.ok(&["init"]);
    assert!(out.contains("ready"));
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&env.data_dir()), 0o700);
    assert_eq!(mode(&env.db()), 0o600);
    let err = env.fails(&["init"], 2);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn the_first_check_in_creates_the_store() {
    let env = Env::empty();
    let out = env.run(&["checkin", "--nothing"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("Welcome") && out.stderr.contains("feltsense.db"),
        "{}",
        out.stderr
    );
    assert_eq!(env.records().len(), 1);
}

#[test]
fn init_refuses_a_short_passphrase_and_leaves_nothing() {
    let env = Env::empty();
    let out = env.run_with(&["init"], "", |c| {
        c.env("FELTSENSE_PASSPHRASE", "short");
    });
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("at least 8 characters"));
    assert!(!env.db().exists());
}

#[test]
fn a_full_check_in_from_flags_is_logged_with_stable_fields() {
    let env = Env::new();
    let out = env.ok(FULL);
    assert!(out.contains("Thank you"));
    let records = env.records();
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r["feelings"][0]["word"], "sad");
    assert_eq!(r["feelings"][1]["intensity"], 4);
    assert_eq!(r["pleasantness"], -2);
    assert_eq!(r["energy"], -3);
    assert_eq!(r["clarity"], 3);
    assert_eq!(r["body"][0]["region"], "chest");
    assert_eq!(r["body"][0]["sensation"], "tight");
    assert_eq!(r["showed"], "calm");
    assert_eq!(r["context"]["with"], "colleagues");
    assert_eq!(r["context"]["where"], "office");
    assert_eq!(r["note"], "quiet day");
    assert_eq!(r["nothing"], false);
}

#[test]
fn nothing_is_a_check_in_and_is_thanked() {
    let env = Env::new();
    let out = env.ok(&["checkin", "--nothing", "--clarity", "1"]);
    assert!(out.contains("information too"));
    let r = &env.records()[0];
    assert_eq!(r["nothing"], true);
    assert_eq!(r["feelings"].as_array().unwrap().len(), 0);
    assert_eq!(r["clarity"], 1);
}

#[test]
fn unknown_words_suggest_the_closest_and_save_nothing() {
    let env = Env::new();
    let err = env.fails(&["checkin", "--feel", "anxous:5"], 2);
    assert!(err.contains("--feel"), "{err}");
    assert!(err.contains("anxious"), "{err}");
    assert!(env.records().is_empty());
}

#[test]
fn out_of_range_values_name_the_flag_and_range() {
    let env = Env::new();
    let err = env.fails(&["checkin", "--pleasant", "7"], 2);
    assert!(
        err.contains("--pleasant") && err.contains("choose -5 to 5"),
        "{err}"
    );
    let err = env.fails(&["checkin", "--clarity", "11"], 2);
    assert!(
        err.contains("--clarity") && err.contains("choose 0 to 10"),
        "{err}"
    );
    let err = env.fails(&["checkin", "--feel", "sad:12"], 2);
    assert!(err.contains("--feel") && err.contains("1 to 10"), "{err}");
    let err = env.fails(&["checkin", "--body", "elbow:tight"], 2);
    assert!(
        err.contains("--body") && err.contains("not a body region"),
        "{err}"
    );
    let err = env.fails(&["checkin", "--clarity", "2", "--at", "yesterday"], 2);
    assert!(err.contains("--at"), "{err}");
    assert!(env.records().is_empty());
}

#[test]
fn wrong_passphrase_exits_2_and_leaves_the_file_untouched() {
    let env = Env::new();
    env.ok(FULL);
    let files = [env.db(), env.db().with_extension("db-wal")];
    let paths: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    let before = read_all(&paths);
    let out = env.run_with(&["log"], "", |c| {
        c.env("FELTSENSE_PASSPHRASE", "not the passphrase");
    });
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("does not open"), "{}", out.stderr);
    assert!(
        !out.stderr.contains("ERROR"),
        "SQLCipher noise: {}",
        out.stderr
    );
    assert_eq!(read_all(&paths), before);
    assert_eq!(env.records().len(), 1);
}

#[test]
fn without_a_store_commands_point_to_init() {
    let env = Env::empty();
    let err = env.fails(&["log"], 3);
    assert!(err.contains("feltsense init"), "{err}");
    assert!(!env.db().exists());
}

#[test]
fn nothing_written_is_readable_on_disk() {
    let env = Env::new();
    env.ok(&[
        "checkin",
        "--feel",
        "lonely:7",
        "--note",
        "pineapple-umbrella-quartz",
    ]);
    let files = [env.db(), env.db().with_extension("db-wal")];
    let paths: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    let bytes = read_all(&paths);
    assert!(bytes.len() > 4096);
    for needle in ["pineapple-umbrella-quartz", "lonely", "SQLite format 3"] {
        assert!(!contains(&bytes, needle), "'{needle}' is readable on disk");
    }
}

#[test]
fn export_then_import_into_a_fresh_store_reproduces_every_record() {
    let env = Env::new();
    env.ok(FULL);
    env.ok(&["checkin", "--nothing", "--at", "2026-01-02T03:04:05+05:30"]);
    env.ok(&[
        "checkin",
        "--feel",
        "hopeful:3",
        "--body",
        "hands:cant-feel",
        "--body-overall",
        "2",
    ]);
    env.ok(&["journal", "--text", "A “grey” page 🌧\nwith two lines"]);
    let file = env.dir.path().join("export.json");
    env.ok(&["export", "--out", file.to_str().unwrap()]);
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let fresh = Env::new();
    let out = fresh.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("Imported 3"), "{out}");
    assert_eq!(fresh.records(), env.records());
    assert_eq!(fresh.records()[2]["at"], "2026-01-02T03:04:05+05:30");
    assert!(out.contains("Imported 1 journal entries"), "{out}");
    assert_eq!(fresh.ok(&["journal", "list"]), env.ok(&["journal", "list"]));

    let again = fresh.ok(&["import", file.to_str().unwrap()]);
    assert!(
        again.contains("Imported 0") && again.contains("3 were already here"),
        "{again}"
    );
    assert_eq!(fresh.records().len(), 3);
}

#[test]
fn a_malformed_import_names_the_position_and_imports_nothing() {
    let env = Env::new();
    env.ok(FULL);
    let file = env.dir.path().join("export.json");
    env.ok(&["export", "--out", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text.replacen("\"clarity\": 3", "\"clarity\": three", 1);
    let bad = env.dir.path().join("bad.json");
    std::fs::write(&bad, broken).unwrap();

    let fresh = Env::new();
    fresh.ok(&["checkin", "--nothing"]);
    let err = fresh.fails(&["import", bad.to_str().unwrap()], 2);
    assert!(err.contains("line ") && err.contains("column "), "{err}");
    assert!(err.contains("Nothing was imported"), "{err}");
    assert_eq!(fresh.records().len(), 1);

    let invalid = text.replacen("\"word\": \"sad\"", "\"word\": \"sadd\"", 1);
    std::fs::write(&bad, invalid).unwrap();
    let err = fresh.fails(&["import", bad.to_str().unwrap()], 2);
    assert!(err.contains("check-in 1") && err.contains("sadd"), "{err}");
    assert_eq!(fresh.records().len(), 1);
}

#[test]
fn csv_export_has_a_header_and_a_row_per_check_in() {
    let env = Env::new();
    env.ok(FULL);
    env.ok(&["checkin", "--nothing"]);
    let csv = env.ok(&["export", "--format", "csv"]);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("id,at,nothing,feelings"));
    assert_eq!(lines.count(), 2);
    assert!(csv.contains("sad:6;tired:4"));
}

#[test]
fn forget_deletes_for_good() {
    let env = Env::new();
    env.ok(FULL);
    env.ok(&["checkin", "--nothing"]);
    let id = env.records()[0]["id"].as_str().unwrap().to_string();
    env.ok(&["forget", &id]);
    let left = env.records();
    assert_eq!(left.len(), 1);
    assert_ne!(left[0]["id"], id.as_str());
    let err = env.fails(&["forget", &id], 3);
    assert!(err.contains(&id), "{err}");
}

#[test]
fn log_since_filters_and_lists_newest_first() {
    let env = Env::new();
    env.ok(&["checkin", "--nothing", "--at", "2020-01-01T10:00:00Z"]);
    env.ok(&["checkin", "--clarity", "4", "--at", "2020-01-03T10:00:00Z"]);
    env.ok(&["checkin", "--clarity", "5"]);
    let all = env.records();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0]["clarity"], 5);
    assert_eq!(all[2]["nothing"], true);
    let recent: Vec<serde_json::Value> =
        serde_json::from_str(&env.ok(&["log", "--since", "7d", "--json"])).unwrap();
    assert_eq!(recent.len(), 1);
    let since_date: Vec<serde_json::Value> =
        serde_json::from_str(&env.ok(&["log", "--since", "2020-01-02", "--json"])).unwrap();
    assert_eq!(since_date.len(), 2);
    let err = env.fails(&["log", "--since", "lately"], 2);
    assert!(err.contains("--since"), "{err}");
    let text = env.ok(&["log"]);
    assert!(
        text.contains("can't feel much") && text.contains("3 check-ins"),
        "{text}"
    );
}

#[test]
fn guided_check_in_reads_answers_one_at_a_time() {
    let env = Env::new();
    let typed = "lonly\n1\n7\n\n-1\n\n2\nthroat:tight\n\n\n\nalone\n\nfirst guided\n";
    let out = env.run_with(&["checkin"], typed, |_| {});
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("1) lonely"), "{}", out.stdout);
    let r = &env.records()[0];
    assert_eq!(r["feelings"][0]["word"], "lonely");
    assert_eq!(r["feelings"][0]["intensity"], 7);
    assert_eq!(r["pleasantness"], -1);
    assert_eq!(r["clarity"], 2);
    assert_eq!(r["body"][0]["region"], "throat");
    assert_eq!(r["context"]["with"], "alone");
    assert_eq!(r["note"], "first guided");
}

#[test]
fn closing_a_guided_check_in_saves_nothing() {
    let env = Env::new();
    let out = env.run_with(&["checkin"], "sad\n", |_| {});
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("Nothing was saved"));
    assert!(env.records().is_empty());
}

#[test]
fn vocabulary_lists_words_by_family() {
    let env = Env::empty();
    let numb = env.ok(&["vocabulary", "--family", "numb"]);
    assert!(numb.contains("numb") && numb.contains("foggy"), "{numb}");
    assert!(!numb.contains("joyful"));
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&env.ok(&["vocabulary", "--json"])).unwrap();
    assert!(all.len() >= 120);
    assert!(all
        .iter()
        .all(|w| w["signal"].as_str().is_some_and(|s| !s.is_empty())));
    let err = env.fails(&["vocabulary", "--family", "happyish"], 2);
    assert!(err.contains("--family") && err.contains("numb"), "{err}");
}

#[test]
fn help_documents_exit_codes() {
    let out = Env::empty().ok(&["--help"]);
    assert!(
        out.contains("Exit codes") && out.contains("3  not there"),
        "{out}"
    );
}
