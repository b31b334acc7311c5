//! The report: self-contained, journal only by choice, entry by entry,
//! then against now, bad dates and unknown ids refused.

use crate::util::Env;

#[test]
fn the_report_is_self_contained_and_leaves_the_journal_out_unless_asked() {
    let env = Env::new();
    env.ok(&["checkin", "--feel", "numb:6", "--clarity", "2"]);
    env.ok(&["checkin", "--nothing", "--clarity", "1"]);
    env.ok(&[
        "journal",
        "--text",
        "a private page about the winter-harbour",
    ]);
    env.ok(&["journal", "--text", "another page, the amber-orchard one"]);
    env.ok(&["assess", "who5", "--answers", "2,2,2,2,2"]);
    let file = env.dir.path().join("report.html");
    env.ok(&["report", "--out", file.to_str().unwrap()]);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(
        html.contains("Then and now") && html.contains("(2 check-ins)"),
        "summary"
    );
    assert!(html.contains("Checked in on 1 of 90 days"), "attendance");
    assert!(html.contains("not enough data yet"), "thin windows say so");
    assert!(
        html.contains("class=\"day numb\""),
        "the calendar shows the numb day"
    );
    assert!(html.contains("WHO-5") && html.contains("Screening, not diagnosis"));
    assert!(!html.contains("winter-harbour"), "no journal unless asked");
    assert!(
        !html.contains("Journal excerpts"),
        "no journal unless asked"
    );
    assert!(
        !html.contains("<script")
            && !html.contains("<link")
            && !html.contains("http://")
            && !html.contains("https://")
            && !html.contains("src="),
        "nothing external"
    );
    assert!(html.contains("What it is not"));
    let list = env.ok(&["journal", "list"]);
    let ids: Vec<&str> = list
        .lines()
        .filter_map(|l| l.trim().strip_prefix("id "))
        .collect();
    // Newest first: ids[0] is the amber-orchard entry.
    env.ok(&[
        "report",
        "--include-journal",
        ids[1],
        "--name",
        "Robin",
        "--out",
        file.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("winter-harbour"), "the chosen entry");
    assert!(!html.contains("amber-orchard"), "only the chosen entry");
    assert!(html.contains("feltsense report: Robin"), "the name");
    let err = env.fails(
        &[
            "report",
            "--include-journal",
            &format!("{},no-such-entry", ids[0]),
            "--out",
            file.to_str().unwrap(),
        ],
        2,
    );
    assert!(
        err.contains("--include-journal") && err.contains("no-such-entry"),
        "{err}"
    );
    assert!(
        std::fs::read_to_string(&file).unwrap().contains("Robin"),
        "a refused report leaves the last one as it was"
    );
    let err = env.fails(
        &[
            "report",
            "--from",
            "2026-12-01",
            "--to",
            "2026-11-01",
            "--out",
            file.to_str().unwrap(),
        ],
        2,
    );
    assert!(err.contains("--from"), "{err}");
    let err = env.fails(
        &[
            "report",
            "--from",
            "last week",
            "--out",
            file.to_str().unwrap(),
        ],
        2,
    );
    assert!(
        err.contains("--from") && err.contains("2026-11-01"),
        "{err}"
    );
}

#[test]
fn pick_journal_lists_the_period_and_includes_only_what_is_picked() {
    let env = Env::new();
    env.ok(&["checkin", "--feel", "numb:6"]);
    env.ok(&["journal", "--text", "the lantern-quay page"]);
    env.ok(&["journal", "--text", "the copper-meadow page"]);
    let file = env.dir.path().join("report.html");
    let out = env.run_with(
        &["report", "--pick-journal", "--out", file.to_str().unwrap()],
        "2\n",
        |_| {},
    );
    let asked = &out.stderr;
    assert_eq!(out.code, 0, "{asked}");
    assert!(
        asked.contains("1.") && asked.contains("copper-meadow") && asked.contains("lantern-quay"),
        "{asked}"
    );
    let html = std::fs::read_to_string(&file).unwrap();
    // Newest first: 2 is the first entry written.
    assert!(html.contains("lantern-quay") && !html.contains("copper-meadow"));
    let err = env.fails(
        &[
            "report",
            "--pick-journal",
            "--include-journal",
            "x",
            "--out",
            "r.html",
        ],
        2,
    );
    assert!(
        err.contains("--pick-journal") || err.contains("--include-journal"),
        "{err}"
    );
}
