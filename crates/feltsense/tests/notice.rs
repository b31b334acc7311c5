//! `feltsense notice`: the analysis on any text, no store, nothing kept.

use crate::util::Env;
use serde_json::Value;

fn notice(env: &Env, args: &[&str], stdin: &str) -> Vec<Value> {
    let out = env.run_with(args, stdin, |_| {});
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn each_line_is_an_entry_with_stable_fields_and_nothing_is_stored() {
    let env = Env::empty();
    let input = "i dont want to live anymore\n\
                 Two years ago I wanted to die. Therapy helped and I am better now.\n\
                 this commute is killing me\n\
                 my brother said he wanted to die\n\
                 Not really happy, I feel nothing\n";
    let e = notice(&env, &["notice", "--json", "-"], input);
    assert_eq!(e.len(), 5);
    assert_eq!(e[0]["safety"], true);
    assert_eq!(e[0]["safety_phrases"][0]["stance"], "own");
    let (start, end) = (
        e[0]["safety_phrases"][0]["start"].as_u64().unwrap() as usize,
        e[0]["safety_phrases"][0]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&input[start..end], "dont want to live anymore");
    assert_eq!(
        (e[1]["safety"].clone(), e[1]["safety_quiet"].clone()),
        (false.into(), true.into())
    );
    assert_eq!(e[2]["safety"], false);
    assert_eq!(e[3]["safety"], false, "someone else's words");
    assert_eq!(e[3]["safety_phrases"][0]["stance"], "others");
    assert_eq!(e[4]["numbness"][0]["text"], "I feel nothing");
    let happy = &e[4]["feelings"][0];
    assert_eq!(
        (happy["word"].as_str(), happy["negated"].as_bool()),
        (Some("happy"), Some(true))
    );
    assert_eq!(happy["named"], true);
    for entry in &e {
        for field in ["entry", "polarity", "language", "masking", "feelings"] {
            assert!(entry.get(field).is_some(), "{field} missing: {entry}");
        }
    }
    assert!(!env.data_dir().exists(), "notice stores nothing");
}

#[test]
fn whole_reads_one_entry_and_other_languages_are_named() {
    let env = Env::empty();
    let e = notice(
        &env,
        &["notice", "--json", "--whole"],
        "first line\nI want to die\n",
    );
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["safety"], true);
    let e = notice(
        &env,
        &["notice", "--json"],
        "Je ne veux plus vivre, tout est trop lourd\n",
    );
    assert_eq!(e[0]["language"], "unknown");
    let out = env.run_with(
        &["notice"],
        "Ich will nicht mehr, es ist alles zu viel\n",
        |_| {},
    );
    assert!(out.stdout.contains("only language"), "{}", out.stdout);
}

#[test]
fn unreadable_input_is_named_and_exits_with_its_code() {
    let env = Env::empty();
    let err = env.fails(&["notice", "/no/such/file.txt"], 1);
    assert!(err.contains("/no/such/file.txt"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"fine\nok \xff\n").unwrap();
    let err = env.fails(&["notice", bad.to_str().unwrap()], 2);
    assert!(err.contains("line 2") && err.contains("UTF-8"), "{err}");
}

/// Feelings the words show without naming them come from the GoEmotions
/// model, after the person's own words and marked `named: false`; a family
/// the person named is not repeated; polarity is the model's.
#[test]
fn feelings_shown_but_not_named_follow_the_named_ones() {
    let env = Env::empty();
    let e = notice(
        &env,
        &["notice", "--json"],
        "thank you so much for everything, you are wonderful\nI feel so grateful and loved today\n",
    );
    let inferred: Vec<&Value> = e[0]["feelings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["named"] == false)
        .collect();
    assert!(!inferred.is_empty(), "{:?}", e[0]);
    assert!(inferred
        .iter()
        .all(|f| f["start"].is_null() && f["score"].as_f64().unwrap() > 0.0));
    assert_eq!(e[0]["polarity"], "pleasant");
    let second = e[1]["feelings"].as_array().unwrap();
    assert!(second
        .iter()
        .any(|f| f["named"] == true && f["family"] == "love"));
    assert!(
        !second
            .iter()
            .any(|f| f["named"] == false && f["family"] == "love"),
        "a family the person named is not inferred again: {second:?}"
    );
    let plain = env.run_with(&["notice"], "thank you so much for everything\n", |_| {});
    assert!(
        plain.stdout.contains("may also be there: "),
        "{}",
        plain.stdout
    );
}
