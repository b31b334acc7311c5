//! Bridges end to end: start and end, log after the fact, the ranking, and
//! the records travelling through export and import.

use crate::util::Env;

#[test]
fn bridges_are_ranked_only_with_enough_sessions() {
    let env = Env::new();
    for (before, after) in [
        ("nothing,2,no", "tender:4,5,yes"),
        ("sad:2,3,no", "calm:5,6,yes"),
        ("flat:2,1,no", "hopeful:5,4,no"),
    ] {
        env.ok(&[
            "bridge",
            "log",
            "music",
            "old songs",
            "--before",
            before,
            "--after",
            after,
        ]);
    }
    env.ok(&[
        "bridge",
        "start",
        "nature",
        "river walk",
        "--feel",
        "nothing",
        "--clarity",
        "1",
        "--body",
        "no",
    ]);
    let ended = env.ok(&[
        "bridge",
        "end",
        "--feel",
        "calm:3",
        "--clarity",
        "4",
        "--body",
        "yes",
    ]);
    assert!(ended.contains("river walk"), "{ended}");
    let ranked: Vec<serde_json::Value> =
        serde_json::from_str(&env.ok(&["bridges", "--json"])).unwrap();
    assert_eq!(ranked[0]["name"], "music");
    assert_eq!(ranked[0]["n"], 3);
    // Clarity rose by 3 every time, so the verdict says so too.
    assert_eq!(
        ranked[0]["words"],
        "seems to help you feel more, and more clearly"
    );
    // Changes 4 ("nothing" is 0), 3, 3 in intensity.
    assert!((ranked[0]["intensity"]["mean"].as_f64().unwrap() - 10.0 / 3.0).abs() < 1e-9);
    let nature = ranked.iter().find(|e| e["name"] == "nature").unwrap();
    assert_eq!(nature["words"], "too early to tell (1 of 3 sessions)");
    assert!(nature["intensity"].is_null());
    let text = env.ok(&["bridges"]);
    assert!(text.contains("not general findings"), "{text}");
}

#[test]
fn bad_bridge_input_is_explained() {
    let env = Env::new();
    let err = env.fails(
        &[
            "bridge",
            "log",
            "cooking",
            "soup",
            "--before",
            "nothing,1,no",
            "--after",
            "calm:3,2,no",
        ],
        2,
    );
    assert!(
        err.contains("'cooking' is not a kind") && err.contains("music"),
        "{err}"
    );
    let err = env.fails(
        &[
            "bridge",
            "log",
            "art",
            "clay",
            "--before",
            "nothing,11,no",
            "--after",
            "calm:3,2,no",
        ],
        2,
    );
    assert!(err.contains("--before") && err.contains("0 to 10"), "{err}");
    let err = env.fails(
        &[
            "bridge",
            "log",
            "art",
            "clay",
            "--before",
            "nothing,1,no",
            "--after",
            "calmm:3,2,no",
        ],
        2,
    );
    assert!(err.contains("--after") && err.contains("calm"), "{err}");
    let err = env.fails(
        &[
            "bridge",
            "end",
            "--feel",
            "calm:3",
            "--clarity",
            "4",
            "--body",
            "yes",
        ],
        3,
    );
    assert!(err.contains("no bridge to end"), "{err}");
}

#[test]
fn bridges_travel_through_export_and_import() {
    let env = Env::new();
    env.ok(&[
        "bridge",
        "log",
        "senses",
        "cold water",
        "--before",
        "nothing,1,no",
        "--after",
        "alert:4,5,yes",
    ]);
    env.ok(&[
        "bridge",
        "start",
        "movement",
        "stretching",
        "--feel",
        "tired:3",
        "--clarity",
        "2",
        "--body",
        "yes",
    ]);
    let file = env.dir.path().join("export.json");
    env.ok(&["export", "--out", file.to_str().unwrap()]);
    let fresh = Env::new();
    let out = fresh.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("Imported 2 bridges"), "{out}");
    let export =
        |e: &Env| -> serde_json::Value { serde_json::from_str(&e.ok(&["export"])).unwrap() };
    assert_eq!(export(&fresh)["bridges"], export(&env)["bridges"]);
}
