//! The report: self-contained, journal only by choice, bad dates refused.

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
    env.ok(&["assess", "who5", "--answers", "2,2,2,2,2"]);
    let file = env.dir.path().join("report.html");
    env.ok(&["report", "--out", file.to_str().unwrap()]);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(
        html.contains("In plain words") && html.contains("2 check-ins"),
        "summary"
    );
    assert!(
        html.contains("class=\"day numb\""),
        "the calendar shows the numb day"
    );
    assert!(html.contains("WHO-5") && html.contains("Screening, not diagnosis"));
    assert!(!html.contains("winter-harbour"), "no journal unless asked");
    assert!(
        !html.contains("<script")
            && !html.contains("<link")
            && !html.contains("http://")
            && !html.contains("https://")
            && !html.contains("src="),
        "nothing external"
    );
    assert!(html.contains("What it is not"));
    env.ok(&[
        "report",
        "--include-journal",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("winter-harbour"));
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
