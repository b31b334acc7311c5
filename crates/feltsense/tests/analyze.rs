//! `feltsense analyze` against reference values from an independent pandas
//! implementation (`bench/analyze_pandas.py`, run by `data/make_messy.py`'s
//! documented commands) on a deliberately messy data set.

use crate::util::{Env, Output};
use std::path::PathBuf;

pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn messy_args(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "analyze",
        "--id",
        "participant",
        "--time",
        "timestamp",
        "--positive",
        "happy,relaxed,content",
        "--negative",
        "sad,anxious,lonely",
        "--scale-min",
        "1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.insert(1, data("esm_messy.csv").to_string_lossy().into_owned());
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn run(env: &Env, args: &[String]) -> Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    env.run(&refs)
}

/// Every cell equal: ids and empties exactly, numbers to 1e-9 relative.
pub fn assert_same_metrics(ours: &str, expected_file: &str) {
    let expected = std::fs::read_to_string(data(expected_file)).unwrap();
    let parse = |text: &str| -> Vec<Vec<String>> {
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    };
    let header = |text: &str| text.lines().next().unwrap_or_default().to_string();
    assert_eq!(header(ours), header(&expected));
    let (a, b) = (parse(ours), parse(&expected));
    assert_eq!(a.len(), b.len());
    for (ra, rb) in a.iter().zip(&b) {
        assert_eq!(ra[0], rb[0], "participant order");
        for (col, (x, y)) in ra.iter().zip(rb).enumerate().skip(1) {
            if x.is_empty() || y.is_empty() {
                assert_eq!(x, y, "participant {} column {col}", ra[0]);
                continue;
            }
            let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
            assert!(
                (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                "participant {} column {col}: {x} vs {y}",
                ra[0]
            );
        }
    }
}

#[test]
fn matches_the_pandas_reference_on_messy_data() {
    let env = Env::empty();
    let out = run(&env, &messy_args(&[]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_same_metrics(&out.stdout, "esm_messy_expected.csv");
    // One participant's rows come in two blocks: the whole file is held.
    assert!(out.stderr.contains("appears again"), "{}", out.stderr);
    assert!(!out.stdout.to_lowercase().contains("nan"));
    // p04, p08 and p09 each have a prompt with an empty time: left out.
    assert!(
        out.stderr
            .contains("Left out 3 prompts with an empty time cell (the first on line 60)"),
        "{}",
        out.stderr
    );
}

#[test]
fn within_day_matches_the_pandas_reference() {
    let env = Env::empty();
    let out = run(&env, &messy_args(&["--within-day"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_same_metrics(&out.stdout, "esm_messy_within_day_expected.csv");
}

#[test]
fn standard_input_gives_the_same_figures() {
    let env = Env::empty();
    let mut args = messy_args(&[]);
    args[1] = "-".into();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let text = std::fs::read_to_string(data("esm_messy.csv")).unwrap();
    let out = env.run_with(&refs, &text, |_| {});
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_same_metrics(&out.stdout, "esm_messy_expected.csv");
}

fn write_csv(env: &Env, name: &str, text: &str) -> String {
    let path = env.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

const SMALL: &str =
    "pid,beep,h,r,s,a\np1,1,5,3,1,1\np1,2,,,,\np1,3,4,4,2,NA\np1,4,2,2,3,5\np1,5,3,5,2,2\n";

#[test]
fn a_bad_cell_is_located_and_nothing_is_written() {
    let env = Env::empty();
    let file = write_csv(
        &env,
        "bad.csv",
        &SMALL.replace("p1,4,2,2,3,5", "p1,4,2,lots,3,5"),
    );
    let out_file = env.dir.path().join("metrics.csv");
    let args = [
        "analyze",
        &file,
        "--id",
        "pid",
        "--time",
        "beep",
        "--positive",
        "h,r",
        "--negative",
        "s,a",
    ];
    let mut with_out = args.to_vec();
    with_out.extend(["--out", out_file.to_str().unwrap()]);
    let err = env.fails(&with_out, 2);
    assert!(
        err.contains("line 5, column 4 (r)") && err.contains("'lots'"),
        "{err}"
    );
    assert!(!out_file.exists());

    // One bad row in five is more than the 1% --skip-bad-rows allows.
    let mut skipping = with_out.clone();
    skipping.push("--skip-bad-rows");
    let err = env.fails(&skipping, 2);
    assert!(
        err.contains("1 of 5 rows could not be read (20.00%)")
            && err.contains("line 5")
            && err.contains("--max-bad-rows 1"),
        "{err}"
    );
    assert!(!out_file.exists());
    skipping.extend(["--max-bad-rows", "1"]);
    let out = env.run(&skipping);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("Skipped 1 row that") && out.stderr.contains("line 5"),
        "{}",
        out.stderr
    );
    let written = std::fs::read_to_string(&out_file).unwrap();
    assert!(written.starts_with("id,n,pa_mean,"));
    assert!(
        written.lines().nth(1).unwrap().starts_with("p1,3,"),
        "{written}"
    );
}

#[test]
fn short_rows_and_bad_times_are_located() {
    let env = Env::empty();
    let args = |f: &str| -> Vec<String> {
        [
            "analyze",
            f,
            "--id",
            "pid",
            "--time",
            "beep",
            "--positive",
            "h,r",
            "--negative",
            "s,a",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let file = write_csv(
        &env,
        "short.csv",
        &SMALL.replace("p1,3,4,4,2,NA", "p1,3,4,4"),
    );
    let out = run(&env, &args(&file));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("line 4") && out.stderr.contains("4 fields but the header has 6"),
        "{}",
        out.stderr
    );
    let file = write_csv(&env, "time.csv", &SMALL.replace("p1,2,,,,", "p1,soon,,,,"));
    let out = run(&env, &args(&file));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("line 3, column 2 (beep)"),
        "{}",
        out.stderr
    );
    let mut within = args(&write_csv(&env, "ok.csv", SMALL));
    within.push("--within-day".into());
    let out = run(&env, &within);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--within-day needs dates"),
        "{}",
        out.stderr
    );
}

#[test]
fn unknown_columns_name_the_flag_and_list_the_header() {
    let env = Env::empty();
    let file = write_csv(&env, "ok.csv", SMALL);
    let err = env.fails(
        &[
            "analyze",
            &file,
            "--id",
            "pid",
            "--time",
            "beep",
            "--positive",
            "h,happy",
            "--negative",
            "s,a",
        ],
        2,
    );
    assert!(
        err.contains("--positive")
            && err.contains("'happy'")
            && err.contains("pid, beep, h, r, s, a"),
        "{err}"
    );
    let err = env.fails(
        &[
            "analyze",
            &file,
            "--id",
            "who",
            "--time",
            "beep",
            "--positive",
            "h",
            "--negative",
            "s",
        ],
        2,
    );
    assert!(err.contains("--id"), "{err}");
    let err = env.fails(
        &[
            "analyze",
            &file,
            "--id",
            "pid",
            "--time",
            "beep",
            "--positive",
            "h",
            "--negative",
            "h",
        ],
        2,
    );
    assert!(err.contains("used twice"), "{err}");
}

#[test]
fn values_below_the_scale_minimum_are_refused() {
    let env = Env::empty();
    let file = write_csv(&env, "ok.csv", SMALL);
    let err = env.fails(
        &[
            "analyze",
            &file,
            "--id",
            "pid",
            "--time",
            "beep",
            "--positive",
            "h,r",
            "--negative",
            "s,a",
            "--scale-min",
            "2",
        ],
        2,
    );
    assert!(
        err.contains("line 2, column 4 (r)") || err.contains("below --scale-min 2"),
        "{err}"
    );
}
