//! The store from the command line: impossible times, unreadable rows,
//! passphrases, backup, restore, a new passphrase, the data directory.

use crate::util::{Env, PASSPHRASE};
use std::fs::File;
use std::os::unix::fs::PermissionsExt;

/// Changes the store by SQL, as an older build or a bit flip could have.
fn spoil(env: &Env, sql: &str) {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.pragma_update(None, "key", PASSPHRASE).unwrap();
    conn.execute_batch(sql).unwrap();
}

fn ids(env: &Env) -> Vec<String> {
    env.records()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_impossible_at_is_refused_naming_the_flag_and_the_range() {
    let env = Env::new();
    let err = env.fails(&["checkin", "--nothing", "--at", "+12026-01-01T10:00"], 2);
    assert!(err.contains("--at") && err.contains("1900-01-01"), "{err}");
    assert!(err.contains("one day ahead of now"), "{err}");
    assert!(env.records().is_empty());
}

#[test]
fn one_unreadable_row_is_named_and_everything_else_still_comes_out() {
    let env = Env::new();
    for at in [
        "2026-01-01T10:00:00Z",
        "2026-01-02T10:00:00Z",
        "2026-01-03T10:00:00Z",
    ] {
        env.ok(&["checkin", "--nothing", "--at", at]);
    }
    let all = ids(&env);
    spoil(
        &env,
        &format!(
            "UPDATE checkins SET at = '+12026-01-01T10:00:00+00:00' WHERE id = '{}'",
            all[1]
        ),
    );
    let out = env.run(&["log"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("2 check-ins"), "{}", out.stdout);
    assert!(
        out.stderr.contains(&format!("check-in {}", all[1])),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.matches("could not be read").count(),
        1,
        "{}",
        out.stderr
    );
    let file = env.dir.path().join("out.json");
    let out = env.run(&["export", "--out", file.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains(&all[1]), "{}", out.stderr);
    let export: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let exported: Vec<&str> = export["checkins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(exported, [all[2].as_str(), all[0].as_str()]);
    let out = env.run(&["insights"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains(&all[1]), "{}", out.stderr);
}

#[test]
fn an_empty_passphrase_is_a_wrong_one() {
    let env = Env::new();
    env.ok(&["checkin", "--nothing"]);
    let wrong = env.run_with(&["log"], "", |c| {
        c.env("FELTSENSE_PASSPHRASE", "not it at all");
    });
    let empty = env.run_with(&["log"], "", |c| {
        c.env("FELTSENSE_PASSPHRASE", "");
    });
    assert_eq!((empty.code, wrong.code), (2, 2), "{}", empty.stderr);
    assert_eq!(empty.stderr, wrong.stderr);
}

#[test]
fn backup_then_restore_brings_back_what_was_there() {
    let env = Env::new();
    env.ok(&["checkin", "--nothing", "--at", "2026-01-01T10:00:00Z"]);
    let backup = env.dir.path().join("backup.db");
    let b = backup.to_str().unwrap();
    let out = env.run(&["backup", "--out", b]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mode = std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let err = env.fails(&["backup", "--out", b], 2);
    assert!(err.contains("already exists"), "{err}");
    env.ok(&["checkin", "--nothing"]);
    let err = env.fails(&["restore", b], 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(env.records().len(), 2, "nothing replaced without a yes");
    let out = env.run(&["restore", b, "--yes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("kept at"), "{}", out.stdout);
    assert_eq!(env.records().len(), 1);
    let out = env.run_with(&["restore", b, "--yes"], "", |c| {
        c.env("FELTSENSE_PASSPHRASE", "not the one it has");
    });
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn change_passphrase_rekeys_and_refuses_while_the_store_is_open() {
    let env = Env::new();
    env.ok(&["checkin", "--nothing"]);
    let new = "a new and longer passphrase";
    // What `serve` holds while it runs.
    let lock = File::open(env.data_dir().join("feltsense.lock")).unwrap();
    lock.lock_shared().unwrap();
    let out = env.run_with(&["change-passphrase"], "", |c| {
        c.env("FELTSENSE_NEW_PASSPHRASE", new);
    });
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("stop it first"), "{}", out.stderr);
    drop(lock);
    let short = env.run_with(&["change-passphrase"], "", |c| {
        c.env("FELTSENSE_NEW_PASSPHRASE", "short");
    });
    assert_eq!(short.code, 2, "{}", short.stderr);
    let out = env.run_with(&["change-passphrase"], "", |c| {
        c.env("FELTSENSE_NEW_PASSPHRASE", new);
    });
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(env.fails(&["log"], 2).matches("does not open").count(), 1);
    let out = env.run_with(&["log", "--json"], "", |c| {
        c.env("FELTSENSE_PASSPHRASE", new);
    });
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"nothing\": true"), "{}", out.stdout);
}

#[test]
fn a_data_directory_others_can_read_is_tightened_once() {
    let env = Env::new();
    std::fs::set_permissions(env.data_dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = env.run(&["log"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("yours alone"), "{}", out.stderr);
    let mode = std::fs::metadata(env.data_dir())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o700);
    assert!(!env.run(&["log"]).stderr.contains("yours alone"));
}

#[test]
fn a_guided_nothing_is_saved_at_once_and_thanked_once() {
    let env = Env::new();
    let out = env.run_with(&["checkin"], "nothing\n\n", |_| {});
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.matches("information too").count(),
        1,
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("energy"), "{}", out.stdout);
    assert_eq!(env.records()[0]["nothing"], true);
}

/// A store made by the feltsense of 2026-12-01 12:49 UTC (schema 5), with
/// two Daylio rows ("meh" and "awful"), a check-in with sad 6 and a body
/// sensation, a "nothing", a journal entry and a PHQ-9.
const SCHEMA_5: &[u8] = include_bytes!("data/store-schema5.db");

#[test]
fn a_schema_5_store_marks_its_daylio_rows_as_mood_only() {
    let env = Env::empty();
    std::fs::create_dir_all(env.data_dir()).unwrap();
    std::fs::write(env.db(), SCHEMA_5).unwrap();
    let r = env.records();
    assert_eq!(r.len(), 4);
    let daylio: Vec<_> = r.iter().filter(|c| c["origin"] == "daylio").collect();
    assert_eq!(daylio.len(), 2, "{r:?}");
    assert!(daylio
        .iter()
        .all(|c| c["feelings"].as_array().unwrap().is_empty()));
    let sad = r
        .iter()
        .find(|c| !c["feelings"].as_array().unwrap().is_empty())
        .unwrap();
    assert_eq!(sad["feelings"][0]["intensity"], 6);
    assert_eq!(sad.get("origin"), None, "made in feltsense");
    let ins: serde_json::Value =
        serde_json::from_str(&env.ok(&["insights", "--json", "--window", "3650d"])).unwrap();
    assert_eq!(ins["current"]["intensity"]["n"], 2, "sad 6 and the nothing");
    assert_eq!(ins["current"]["body_awareness"]["n"], 2);
    let log = env.ok(&["log"]);
    assert!(!log.contains("intensity 0"), "{log}");
    // A new check-in with an unknown intensity is kept on the migrated store.
    env.ok(&["checkin", "--feel", "tired"]);
    assert!(env.ok(&["log"]).contains("tired (intensity not given)"));
}
