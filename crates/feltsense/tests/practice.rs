//! Guided practices driven through a real pseudo-terminal (`script` from
//! util-linux), as a person at a terminal would use them.

use crate::util::{Env, PASSPHRASE};
use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `feltsense practice ARGS` in a pseudo-terminal, typing `keys`.
fn in_terminal(env: &Env, args: &str, keys: &str) -> (i32, String) {
    let command = format!("{} practice {args}", env!("CARGO_BIN_EXE_feltsense"));
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("FELTSENSE_DATA_DIR", env.data_dir())
        .env("FELTSENSE_PASSPHRASE", PASSPHRASE)
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) runs the practice in a pseudo-terminal");
    let mut stdin = child.stdin.take().unwrap();
    for line in keys.lines() {
        stdin.write_all(format!("{line}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(150));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).replace('\r', ""),
    )
}

#[test]
fn grounding_step_by_step_with_a_check_in_before_and_after() {
    let env = Env::new();
    let keys = "y\nnothing\n2\nno\n\n\n\n\n\nhopeful:4\n5\nyes\n";
    let (code, out) = in_terminal(&env, "grounding --step-seconds 30", keys);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("You can stop at any time"), "{out}");
    assert!(
        out.contains("(1 of 5) Look around") && out.contains("(5 of 5)"),
        "{out}"
    );
    assert!(out.contains("You are here, in this moment"), "{out}");
    assert!(out.contains("Noted, with your other bridges"), "{out}");
    let ranked: Vec<serde_json::Value> =
        serde_json::from_str(&env.ok(&["bridges", "--json"])).unwrap();
    let practice = ranked
        .iter()
        .find(|e| e["name"] == "practice")
        .expect("recorded as a practice bridge");
    assert_eq!(practice["n"], 1);
}

#[test]
fn q_stops_at_once_and_kindly() {
    let env = Env::new();
    let started = std::time::Instant::now();
    let (code, out) = in_terminal(&env, "body-scan", "n\nq\n");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(1 of 8)"), "{out}");
    assert!(!out.contains("(2 of 8)"), "{out}");
    assert!(out.contains("stopping is always allowed"), "{out}");
    assert!(
        started.elapsed().as_secs() < 20,
        "the 50-second step did not have to run out"
    );
}

#[test]
fn pause_waits_for_enter() {
    let env = Env::new();
    let (code, out) = in_terminal(
        &env,
        "breathing --in 2 --out 3 --minutes 1 --no-checkin --step-seconds 1",
        "p\n\nq\n",
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Paused. Press Enter to go on."), "{out}");
    assert!(out.contains("Breathe in… (2)"), "{out}");
}

#[test]
fn unknown_practices_are_named() {
    let env = Env::empty();
    let err = env.fails(&["practice", "yoga"], 2);
    assert!(
        err.contains("'yoga' is not a practice") && err.contains("body-scan"),
        "{err}"
    );
}

/// Issue 11: a "before" answer that cannot be read is asked again, so the
/// "after" check-in and the bridge are not silently dropped.
#[test]
fn a_mistyped_before_answer_is_asked_again_and_the_bridge_is_kept() {
    let env = Env::new();
    let keys = "y\ncalm:99\n2\nno\ncalm:3\n2\nno\n\n\n\n\n\nhopeful:4\n5\nyes\n";
    let (code, out) = in_terminal(&env, "grounding --step-seconds 30", keys);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Once more, if you like"), "{out}");
    assert!(out.contains("Noted, with your other bridges"), "{out}");
    let ranked: Vec<serde_json::Value> =
        serde_json::from_str(&env.ok(&["bridges", "--json"])).unwrap();
    assert!(
        ranked
            .iter()
            .any(|e| e["name"] == "practice" && e["n"] == 1),
        "{ranked:?}"
    );
}
