//! Issue 10, item 13: `analyze` on broken files. A runaway quote stops the
//! run at the line where it opened, skipped rows are counted and capped,
//! echoed cells are cut short, non-finite or absurd numbers are refused
//! with their position, and prompts without a time are left out and
//! counted (the messy reference data covers their figures).

use crate::util::Env;

fn analyze(env: &Env, text: &str, extra: &[&str]) -> crate::util::Output {
    let path = env.dir.path().join("data.csv");
    std::fs::write(&path, text).unwrap();
    let mut args = vec![
        "analyze",
        path.to_str().unwrap(),
        "--id",
        "pid",
        "--time",
        "beep",
        "--positive",
        "h",
        "--negative",
        "s",
    ];
    args.extend(extra);
    env.run(&args)
}

/// `n` good rows of one participant, beeps from 1.
fn good_rows(n: usize) -> String {
    let mut text = String::from("pid,beep,h,s\n");
    for i in 1..=n {
        text += &format!("p1,{i},{},{}\n", i % 5, (i + 2) % 5);
    }
    text
}

#[test]
fn an_unmatched_quote_stops_the_run_at_the_line_where_it_opened() {
    let env = Env::empty();
    // Line 4 opens a quote that never closes; 3,000 rows follow.
    let mut text = good_rows(2);
    text += "p1,3,\"2,1\n";
    text += &good_rows(3000).replacen("pid,beep,h,s\n", "", 1);
    for skip in [
        &[][..],
        &["--skip-bad-rows"][..],
        &["--max-bad-rows", "100%"][..],
    ] {
        let out = analyze(&env, &text, skip);
        assert_eq!(out.code, 2, "{skip:?}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("line 4: a quoted field opens here and runs on"),
            "{skip:?}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "nothing written");
    }
    // A quote left open in the last few lines is caught too.
    let out = analyze(
        &env,
        &(good_rows(3) + "p1,4,\"1,1\np1,5,2,2\n"),
        &["--skip-bad-rows"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("line 5: a quoted field opens here and never closes"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_quoted_field_over_a_mebibyte_is_refused() {
    let env = Env::empty();
    let text = format!(
        "{}p1,9,\"{}\",1\n",
        good_rows(2),
        "7".repeat((1 << 20) + 10)
    );
    let out = analyze(&env, &text, &["--skip-bad-rows"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("line 4: a quoted field"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.len() < 400, "{}", out.stderr.len());
}

#[test]
fn skipped_rows_over_the_allowance_fail_with_their_count() {
    let env = Env::empty();
    // 2 of 200 is 1%, allowed; a third is more.
    let two = good_rows(200)
        .replace("p1,50,", "p1,50x,")
        .replace("p1,60,0", "p1,60,zero");
    let out = analyze(&env, &two, &["--skip-bad-rows"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Skipped 2 rows"), "{}", out.stderr);
    let text = two.replace("p1,70,0", "p1,70,none");
    let out = analyze(&env, &text, &["--skip-bad-rows"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("3 of 200 rows could not be read (1.50%)")
            && out.stderr.contains("more than the 1% of the rows allowed")
            && out.stderr.contains("--max-bad-rows 3"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("line 51"),
        "the first one: {}",
        out.stderr
    );
    for allowed in ["3", "1.5%", "100%"] {
        let out = analyze(&env, &text, &["--max-bad-rows", allowed]);
        assert_eq!(out.code, 0, "{allowed}: {}", out.stderr);
        assert!(out.stderr.contains("Skipped 3 rows"), "{}", out.stderr);
        assert!(out.stdout.starts_with("id,n,"), "{}", out.stdout);
    }
    let out = analyze(&env, &text, &["--max-bad-rows", "1"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("more than the 1 row allowed"),
        "{}",
        out.stderr
    );
    for nonsense in ["-1", "lots", "120%"] {
        let flag = format!("--max-bad-rows={nonsense}");
        let out = analyze(&env, &text, &[&flag]);
        assert_eq!(out.code, 2, "{nonsense}: {}", out.stderr);
        assert!(out.stderr.contains("--max-bad-rows"), "{}", out.stderr);
    }
}

#[test]
fn when_every_row_is_bad_it_says_so() {
    let env = Env::empty();
    let text = "pid,beep,h,s\np1,a,1,1\np1,b,1,1\n";
    let out = analyze(&env, text, &["--max-bad-rows", "100%"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("none of the 2 rows could be read"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn huge_cells_are_cut_short_in_messages() {
    let env = Env::empty();
    let text = format!("{}p1,3,{},1\n", good_rows(2), "9".repeat(3_000_000) + "x");
    let out = analyze(&env, &text, &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("line 4, column 3 (h)"),
        "{}",
        &out.stderr[..300.min(out.stderr.len())]
    );
    assert!(
        out.stderr.contains("… (3000001 bytes)"),
        "{}",
        &out.stderr[..300.min(out.stderr.len())]
    );
    assert!(
        out.stderr.len() < 400,
        "{} bytes of message",
        out.stderr.len()
    );
}

#[test]
fn infinite_and_absurd_numbers_are_refused_with_their_position() {
    let env = Env::empty();
    for (cell, why) in [
        ("1e308", "too large to be a rating"),
        ("inf", "not a finite number"),
        ("-Infinity", "not a finite number"),
    ] {
        let text = good_rows(3).replace("p1,2,2,4", &format!("p1,2,{cell},4"));
        let out = analyze(&env, &text, &[]);
        assert_eq!(out.code, 2, "{cell}: {}", out.stderr);
        assert!(
            out.stderr
                .contains(&format!("line 3, column 3 (h): '{cell}' is {why}")),
            "{cell}: {}",
            out.stderr
        );
    }
    let out = analyze(&env, &good_rows(3).replace("p1,2,2,4", "p1,2,1e11,4"), &[]);
    assert_eq!(
        out.code, 0,
        "large but finite ratings are fine: {}",
        out.stderr
    );
    assert!(
        !out.stdout.contains("inf") && !out.stdout.contains("NaN"),
        "{}",
        out.stdout
    );
}

#[test]
fn prompts_without_a_time_are_left_out_and_counted() {
    let env = Env::empty();
    let text = good_rows(5)
        .replace("p1,2,", "p1,,")
        .replace("p1,4,", "p1,  ,");
    let out = analyze(&env, &text, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("Left out 2 prompts with an empty time cell (the first on line 3)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.lines().nth(1).unwrap().starts_with("p1,3,"),
        "{}",
        out.stdout
    );
    // Their ratings are still checked.
    let out = analyze(&env, &good_rows(3).replace("p1,2,2,4", "p1,,x,4"), &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}
