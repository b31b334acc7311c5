//! `unlock` and `lock` (issue 11): the key held by an agent for a while,
//! dropped by `lock`, by its time running out, and by a new passphrase.

use crate::util::{Env, Output};
use std::time::{Duration, Instant};

/// Runs with no passphrase in the environment and no terminal.
fn without_passphrase(env: &Env, args: &[&str]) -> Output {
    env.run_with(args, "", |cmd| {
        cmd.env_remove("FELTSENSE_PASSPHRASE");
    })
}

fn opens_without_passphrase(env: &Env) -> bool {
    let out = without_passphrase(env, &["log", "--json"]);
    match out.code {
        0 => true,
        2 => {
            assert!(
                out.stderr.contains("FELTSENSE_PASSPHRASE"),
                "{}",
                out.stderr
            );
            false
        }
        code => panic!("exit {code}: {}", out.stderr),
    }
}

#[test]
fn unlock_opens_later_commands_without_the_passphrase_until_lock() {
    let env = Env::new();
    env.ok(&["checkin", "--nothing"]);
    assert!(!opens_without_passphrase(&env), "locked before unlock");
    let said = env.ok(&["unlock", "--for", "1h"]);
    assert!(said.contains("Unlocked for 1h"), "{said}");
    let out = without_passphrase(&env, &["log", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"nothing\""), "{}", out.stdout);
    let said = env.ok(&["lock"]);
    assert!(said.contains("Locked"), "{said}");
    assert!(!opens_without_passphrase(&env), "locked again after lock");
    assert!(env.ok(&["lock"]).contains("Nothing to lock"));
}

#[test]
fn the_unlock_ends_when_its_time_is_up() {
    let env = Env::new();
    env.ok(&["unlock", "--for", "2s"]);
    let started = Instant::now();
    assert!(opens_without_passphrase(&env));
    std::thread::sleep(Duration::from_secs(3).saturating_sub(started.elapsed()));
    assert!(!opens_without_passphrase(&env), "still open after 2s");
}

#[test]
fn a_new_passphrase_drops_the_kept_key() {
    let env = Env::new();
    env.ok(&["unlock", "--for", "1h"]);
    let out = env.run_with(&["change-passphrase"], "", |cmd| {
        cmd.env("FELTSENSE_NEW_PASSPHRASE", "a different long passphrase");
    });
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(env.ok(&["lock"]).contains("Nothing to lock"));
    assert!(!opens_without_passphrase(&env), "the old key is gone");
}

#[test]
fn a_wrong_passphrase_unlocks_nothing_and_bad_spans_are_refused() {
    let env = Env::new();
    let out = env.run_with(&["unlock"], "", |cmd| {
        cmd.env("FELTSENSE_PASSPHRASE", "not the passphrase");
    });
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!opens_without_passphrase(&env));
    let err = env.fails(&["unlock", "--for", "3d"], 2);
    assert!(err.contains("--for") && err.contains("24h"), "{err}");
}

#[test]
fn a_restore_drops_the_kept_key_and_the_restored_store_asks_again() {
    let env = Env::new();
    let backup = env.dir.path().join("backup.db");
    env.ok(&["backup", "--out", backup.to_str().unwrap()]);
    env.ok(&["unlock", "--for", "1h"]);
    env.ok(&["restore", backup.to_str().unwrap(), "--yes"]);
    // Asked before any open, which would also drop a key gone stale.
    assert!(env.ok(&["lock"]).contains("Nothing to lock"));
    assert!(
        !opens_without_passphrase(&env),
        "the restored store is locked"
    );
}
