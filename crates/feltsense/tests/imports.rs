//! Importing, the hard parts: impossible times refused where they are,
//! re-importing with a corrected mapping (`--replace`, listed by
//! `--dry-run`), and the messages a newcomer meets first.

use crate::util::Env;

const DAYLIO: &str = "full_date,date,weekday,time,mood,activities,note_title,note\n\
2026-11-24,November 24,Tuesday,21:30,meh,work | friends,,quiet\n\
2026-11-23,November 23,Monday,09:05,rad,walk,,\n\
2026-11-22,November 22,Sunday,18:00,awful,,,\n";

const ESM: &str =
    "pid,ts,joy_item,sad_item\nP1,2026-11-24 10:00:00,7,1\nP1,2026-11-24 18:00:00,4,3\n";
const MAP: &str = "time = \"ts\"\nparticipant = \"pid\"\n[scale]\nmin = 1\nmax = 7\n[items]\njoy_item = \"happy\"\nsad_item = \"sad\"\n";

fn write(env: &Env, name: &str, text: &str) -> String {
    let path = env.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn export_with(checkin_at: &str, journal_at: &str, bridge_end: &str) -> String {
    serde_json::json!({
        "format": "feltsense", "version": 1,
        "checkins": [
            {"id": "c-1", "at": "2026-11-20T10:00:00+00:00", "nothing": true, "feelings": [], "body": [], "context": {}},
            {"id": "c-2", "at": checkin_at, "nothing": true, "feelings": [], "body": [], "context": {}}
        ],
        "journal": [{"id": "j-1", "at": journal_at, "text": "a page"}],
        "bridges": [{
            "id": "b-1", "kind": "music", "label": "old songs", "started": "2026-11-20T20:00:00+00:00",
            "before": {"feeling": null, "intensity": null, "clarity": 2, "body_noticed": false},
            "ended": bridge_end
        }]
    })
    .to_string()
}

#[test]
fn impossible_times_are_refused_where_they_are_and_nothing_is_imported() {
    let env = Env::new();
    let daylio = write(
        &env,
        "d.csv",
        &DAYLIO.replace("2026-11-22,", "-2026-11-22,"),
    );
    let err = env.fails(&["import", "--from", "daylio", &daylio], 2);
    assert!(
        err.contains("line 4, column 1:") && err.contains("outside the times feltsense accepts"),
        "{err}"
    );
    let esm = write(
        &env,
        "e.csv",
        &ESM.replace("P1,2026-11-24 18", "P1,+12026-11-24 18"),
    );
    let map = write(&env, "map.toml", MAP);
    let err = env.fails(&["import", "--from", "esm", "--map", &map, &esm], 2);
    assert!(
        err.contains("line 3, column 2:")
            && err.contains("from 1900-01-01 to one day ahead of now"),
        "{err}"
    );
    let good = "2026-11-20T11:00:00+00:00";
    let cases = [
        (
            export_with("-0001-01-01T00:00:00Z", good, good),
            "check-in 2 (id c-2)",
        ),
        (
            export_with(good, "-0001-01-01T00:00:00Z", good),
            "journal entry 1 (id j-1)",
        ),
        (
            export_with(good, good, "+12026-01-01T00:00:00Z"),
            "bridge 1 (id b-1): its end",
        ),
    ];
    for (text, named) in cases {
        let json = write(&env, "x.json", &text);
        let err = env.fails(&["import", &json], 2);
        assert!(
            err.contains(named) && err.contains("outside the times"),
            "{err}"
        );
    }
    assert!(env.records().is_empty(), "nothing of any refused file");
    assert!(env
        .ok(&["journal", "list"])
        .contains("No journal entries yet"));
    let json = write(&env, "x.json", &export_with(good, good, good));
    let out = env.ok(&["import", &json]);
    assert!(
        out.contains("Imported 2 check-ins") && out.contains("Imported 1 bridges"),
        "{out}"
    );
}

#[test]
fn a_corrected_esm_mapping_replaces_what_the_first_import_brought() {
    let env = Env::new();
    let data = write(&env, "esm.csv", ESM);
    let map = write(&env, "map.toml", MAP);
    let args = ["import", "--from", "esm", "--map", &map, &data];
    assert!(env.ok(&args).contains("Imported 2 check-ins"));
    // The first mapping had the items the wrong way round.
    write(
        &env,
        "map.toml",
        &MAP.replace("\"happy\"", "\"x\"")
            .replace("\"sad\"", "\"happy\"")
            .replace("\"x\"", "\"sad\""),
    );
    let err = env.fails(&args, 2);
    assert!(
        err.contains("add --replace to swap the 2 records this file brought before")
            && err.contains("Nothing was imported"),
        "{err}"
    );
    assert_eq!(
        env.records()[1]["feelings"][0]["word"],
        "happy",
        "unchanged"
    );
    let dry = env.ok(&[&args[..], &["--replace", "--dry-run"]].concat());
    assert!(
        dry.contains("2 check-ins would be imported: 0 new, 2 replacing 2 from an earlier import")
            && dry.contains("Nothing was written"),
        "{dry}"
    );
    assert_eq!(
        env.records()[1]["feelings"][0]["word"],
        "happy",
        "a dry run writes nothing"
    );
    let out = env.ok(&[&args[..], &["--replace"]].concat());
    assert!(
        out.contains("Imported 2 check-ins (2 in place of 2 from an earlier import)"),
        "{out}"
    );
    let r = env.records();
    assert_eq!(r.len(), 2);
    assert_eq!(r[1]["feelings"][0]["word"], "sad");
    assert!(env.ok(&args).contains("2 were already here, unchanged"));
}

#[test]
fn a_re_exported_daylio_file_swaps_only_the_rows_that_changed() {
    let env = Env::new();
    let file = write(&env, "d.csv", DAYLIO);
    env.ok(&["import", "--from", "daylio", &file]);
    env.ok(&["checkin", "--nothing", "--at", "2026-11-21T08:00"]);
    // A note edited in Daylio (a new id, the same date and time) and a
    // corrected mood map for "awful".
    write(
        &env,
        "d.csv",
        &DAYLIO.replace(",,quiet", ",,\"quiet, then better\""),
    );
    let fixed = [
        "import",
        "--from",
        "daylio",
        "--mood-map",
        "awful=-5",
        &file,
    ];
    let err = env.fails(&fixed, 2);
    assert!(
        err.contains("swap the 2 records this file brought before"),
        "{err}"
    );
    let dry = env.ok(&[&fixed[..], &["--dry-run"]].concat());
    assert!(
        dry.contains("0 new, 2 replacing 2 from an earlier import; 1 already here"),
        "{dry}"
    );
    let out = env.ok(&[&fixed[..], &["--replace"]].concat());
    assert!(
        out.contains("2 in place of 2") && out.contains("1 were already here"),
        "{out}"
    );
    let r = env.records();
    assert_eq!(
        r.len(),
        4,
        "three imported rows and the person's own check-in"
    );
    assert_eq!(r[0]["note"], "quiet, then better");
    assert_eq!(r[2]["pleasantness"], -5);
}

#[test]
fn a_csv_without_from_and_a_wrong_mapping_say_what_to_do() {
    let env = Env::new();
    let csv = write(&env, "d.csv", DAYLIO);
    let err = env.fails(&["import", &csv], 2);
    assert!(
        err.contains("this looks like a CSV; add --from daylio or --from esm")
            && !err.contains("expected"),
        "{err}"
    );
    let data = write(&env, "esm.csv", ESM);
    let map = write(&env, "map.toml", &MAP.replace("\"sad\"", "\"glum-ish\""));
    let err = env.fails(&["import", "--from", "esm", "--map", &map, &data], 2);
    assert!(
        err.contains(&format!("{map}: line 8, column 12: 'glum-ish'")) && !err.contains("line 0"),
        "{err}"
    );
    let map = write(&env, "map.toml", &MAP.replace("max = 7", "max = seven"));
    let err = env.fails(&["import", "--from", "esm", "--map", &map, &data], 2);
    assert!(err.contains(&format!("{map}: line 5, column 7:")), "{err}");
    assert!(env.records().is_empty());
}

#[test]
fn import_help_names_every_format() {
    let env = Env::empty();
    let help = env.ok(&["import", "--help"]);
    for format in ["feltsense", "daylio", "esm", "--replace", "--dry-run"] {
        assert!(help.contains(format), "{format} missing from {help}");
    }
    let short = env.ok(&["--help"]);
    assert!(short.contains("Daylio") && short.contains("ESM"), "{short}");
}
