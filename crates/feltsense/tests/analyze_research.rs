//! Issue 11, for researchers: `analyze` on data shaped like the openESM
//! archive's (TSV, `id`/`day`/`beep`, 9999 for missing, a 1..100 scale),
//! against the pandas reference; `;` files; duplicate column names.

use crate::analyze::{assert_same_metrics, data};
use crate::util::Env;

fn openesm(env: &Env, extra: &[&str]) -> crate::util::Output {
    let file = data("openesm_like.tsv");
    let mut args = vec![
        "analyze",
        file.to_str().unwrap(),
        "--id",
        "id",
        "--day",
        "day",
        "--beep",
        "beep",
        "--positive",
        "happy,cheerful,relaxed",
        "--negative",
        "sad,anxious,irritated",
        "--scale-min",
        "1",
    ];
    args.extend(extra);
    env.run(&args)
}

#[test]
fn an_openesm_shaped_tsv_matches_the_pandas_reference() {
    let env = Env::empty();
    let out = openesm(&env, &["--missing", "9999,N/A", "--scale-max", "100"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("as tab-separated"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("Left out 1 prompt with an empty time cell (the first on line 64)"),
        "{}",
        out.stderr
    );
    assert_same_metrics(&out.stdout, "openesm_like_expected.csv");
    let out = openesm(
        &env,
        &[
            "--missing",
            "9999,N/A",
            "--scale-max",
            "100",
            "--within-day",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_same_metrics(&out.stdout, "openesm_like_within_day_expected.csv");
    // Pairs within a day are fewer: each day's first prompt pairs with nothing.
    assert!(out.stdout.contains(",20,20\n"), "{}", out.stdout);
}

#[test]
fn a_missing_code_left_unnamed_is_refused_by_the_scale_with_its_position() {
    let env = Env::empty();
    let out = openesm(&env, &["--missing", "N/A", "--scale-max", "100"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("line 29, column 5 (cheerful): '9999' is above --scale-max 100")
            && out.stderr.contains("--missing"),
        "{}",
        out.stderr
    );
    let out = openesm(&env, &["--missing", "9999,N/A", "--scale-max", "0.5"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("--scale-max 0.5 must be a number above --scale-min 1"),
        "{}",
        out.stderr
    );
}

fn analyze_text(env: &Env, name: &str, text: &str, extra: &[&str]) -> crate::util::Output {
    let path = env.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let mut args = vec![
        "analyze",
        path.to_str().unwrap(),
        "--id",
        "pid",
        "--time",
        "beep",
    ];
    args.extend(["--positive", "h", "--negative", "s"]);
    args.extend(extra);
    env.run(&args)
}

#[test]
fn semicolon_files_read_the_same_as_commas_and_the_delimiter_can_be_given() {
    let env = Env::empty();
    let comma = "pid,beep,h,s\np1,1,3,1\np1,2,4,2\np1,3,2,2\np1,4,5,1\n";
    let semicolon = comma.replace(',', ";");
    let a = analyze_text(&env, "a.csv", comma, &[]);
    let b = analyze_text(&env, "b.csv", &semicolon, &[]);
    assert_eq!((a.code, b.code), (0, 0), "{}{}", a.stderr, b.stderr);
    assert_eq!(a.stdout, b.stdout);
    assert!(b.stderr.contains("as semicolon-separated"), "{}", b.stderr);
    let c = analyze_text(&env, "c.csv", &semicolon, &["--delimiter", ";"]);
    assert_eq!(c.stdout, a.stdout);
    assert!(
        !c.stderr.contains("semicolon-separated"),
        "given, not guessed"
    );
    let wrong = analyze_text(&env, "d.csv", &semicolon, &["--delimiter", "tab"]);
    assert_eq!(wrong.code, 2, "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("--id: there is no column 'pid'"),
        "{}",
        wrong.stderr
    );
}

#[test]
fn a_column_name_given_twice_is_warned_about() {
    let env = Env::empty();
    let text = "pid,beep,h,s,h\np1,1,3,1,9\np1,2,4,2,9\n";
    let out = analyze_text(&env, "dup.csv", text, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "The header names 'h' more than once (columns 3, 5); the first of them is used."
        ),
        "{}",
        out.stderr
    );
}
