//! Importing a Daylio export: the mood map shown and overridable, a dry
//! run that writes nothing, all or nothing with the position of a bad row,
//! and no duplicates on a second import.

use crate::util::Env;

const EXPORT: &str = "full_date,date,weekday,time,mood,activities,note_title,note\n\
2026-11-24,November 24,Tuesday,21:30,meh,work | friends,,quiet\n\
2026-11-23,November 23,Monday,09:05,rad,walk,,\n\
2026-11-22,November 22,Sunday,18:00,awful,,,\n";

#[test]
fn a_daylio_export_imports_once_with_its_mood_map() {
    let env = Env::new();
    let file = env.dir.path().join("daylio.csv");
    std::fs::write(&file, EXPORT).unwrap();
    let path = file.to_str().unwrap();
    let dry = env.ok(&["import", "--from", "daylio", "--dry-run", path]);
    assert!(
        dry.contains("rad → pleasant +4") && dry.contains("3 check-ins would be imported"),
        "{dry}"
    );
    assert!(env.records().is_empty(), "a dry run writes nothing");
    let out = env.ok(&["import", "--from", "daylio", path]);
    assert!(out.contains("Imported 3 check-ins"), "{out}");
    let again = env.ok(&["import", "--from", "daylio", path]);
    assert!(
        again.contains("Imported 0 check-ins (3 were already here"),
        "{again}"
    );
    let r = env.records();
    assert_eq!(r.len(), 3);
    assert_eq!(r[0]["pleasantness"], 0);
    assert_eq!(r[0]["context"]["doing"], "work, friends");
    assert_eq!(r[2]["pleasantness"], -4);
}

#[test]
fn a_bad_row_stops_the_import_with_its_position() {
    let env = Env::new();
    let file = env.dir.path().join("daylio.csv");
    std::fs::write(&file, EXPORT.replace(",awful,", ",dreadful,")).unwrap();
    let err = env.fails(&["import", "--from", "daylio", file.to_str().unwrap()], 2);
    assert!(
        err.contains("line 4, column 5")
            && err.contains("--mood-map \"dreadful=N\"")
            && err.contains("Nothing was imported"),
        "{err}"
    );
    assert!(env.records().is_empty());
    env.ok(&[
        "import",
        "--from",
        "daylio",
        "--mood-map",
        "dreadful=-5",
        file.to_str().unwrap(),
    ]);
    assert_eq!(env.records()[2]["pleasantness"], -5);
    let err = env.fails(
        &[
            "import",
            "--from",
            "daylio",
            "--mood-map",
            "rad=9",
            file.to_str().unwrap(),
        ],
        2,
    );
    assert!(err.contains("--mood-map"), "{err}");
}

#[test]
fn an_esm_file_imports_through_its_mapping_once() {
    let env = Env::new();
    let data = env.dir.path().join("esm.csv");
    std::fs::write(&data, "pid,ts,joy_item,sad_item\nP1,2026-11-24 10:00:00,7,1\nP1,2026-11-24 14:00:00,,\nP2,2026-11-24 10:00:00,1,1\nP1,2026-11-24 18:00:00,1,1\n").unwrap();
    let map = env.dir.path().join("map.toml");
    std::fs::write(&map, "time = \"ts\"\n[scale]\nmin = 1\nmax = 7\n[items]\njoy_item = \"happy\"\nsad_item = \"sad\"\n[only]\ncolumn = \"pid\"\nvalue = \"P1\"\n").unwrap();
    let args = [
        "import",
        "--from",
        "esm",
        "--map",
        map.to_str().unwrap(),
        data.to_str().unwrap(),
    ];
    let out = env.ok(&args);
    assert!(
        out.contains("Imported 2 check-ins") && out.contains("1 prompts had no answer"),
        "{out}"
    );
    assert!(env
        .ok(&args)
        .contains("Imported 0 check-ins (2 were already here"));
    let r = env.records();
    assert_eq!(r[0]["nothing"], true);
    assert_eq!(r[1]["feelings"][0]["word"], "happy");
    assert_eq!(r[1]["feelings"][0]["intensity"], 10);
    std::fs::write(
        &map,
        "time = \"ts\"\n[scale]\nmin = 1\nmax = 7\n[items]\njoy_item = \"glee\"\n",
    )
    .unwrap();
    let err = env.fails(&args, 2);
    assert!(
        err.contains("'glee'") && err.contains("Nothing was imported"),
        "{err}"
    );
    let err = env.fails(&["import", "--from", "esm", data.to_str().unwrap()], 2);
    assert!(err.contains("--map"), "{err}");
}

#[test]
fn a_mood_only_row_keeps_its_label_and_has_no_intensity() {
    let env = Env::new();
    let file = env.dir.path().join("daylio.csv");
    std::fs::write(&file, EXPORT).unwrap();
    env.ok(&["import", "--from", "daylio", file.to_str().unwrap()]);
    env.ok(&["checkin", "--feel", "sad:6", "--at", "2026-11-25T09:00"]);
    env.ok(&["checkin", "--feel", "calm", "--at", "2026-11-25T12:00"]);
    let log = env.ok(&["log"]);
    assert!(
        log.contains("Daylio mood: awful (no feeling words, intensity not given)")
            && log.contains("calm (intensity not given)")
            && log.contains("sad 6"),
        "{log}"
    );
    assert!(
        !log.contains(" 0 ") && !log.contains("intensity 0"),
        "{log}"
    );
    let r = env.records();
    let awful = r.iter().find(|c| c["mood"] == "awful").unwrap();
    assert_eq!(
        (&awful["origin"], &awful["pleasantness"]),
        (&"daylio".into(), &(-4).into())
    );
    let ins: serde_json::Value =
        serde_json::from_str(&env.ok(&["insights", "--json", "--window", "3650d"])).unwrap();
    let now = &ins["current"];
    assert_eq!(now["checkins"], 5);
    assert_eq!(
        now["intensity"]["n"], 1,
        "only sad 6 gave an intensity: {now}"
    );
    assert_eq!(now["numb_rate"]["n"], 2, "the two check-ins with words");
    assert_eq!(now["pleasantness_mean"]["n"], 3, "the three Daylio moods");
    assert_eq!(
        now["body_awareness"]["n"], 2,
        "Daylio rows could hold no body"
    );
}
