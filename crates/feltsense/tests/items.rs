//! Fixed items for granularity: chosen once (3+ per valence), rated 0–10
//! on every check-in (flags or the guided check-in), counted towards
//! granularity, and carried by the JSON export.

use crate::util::Env;

const SIX: &str = "happy,calm,proud,sad,anxious,angry";

#[test]
fn items_are_chosen_checked_shown_and_cleared() {
    let env = Env::new();
    let none = env.ok(&["items", "show"]);
    assert!(none.contains("No feelings are chosen"), "{none}");
    let err = env.fails(&["items", "set", "happy,calm,sad,anxious,angry"], 2);
    assert!(
        err.contains("choose at least 3 pleasant feelings (happy, calm)"),
        "{err}"
    );
    let err = env.fails(&["items", "set", "happy,calm,proud,sad,anxious,angr"], 2);
    assert!(
        err.contains("'angr' is not in the feeling vocabulary"),
        "{err}"
    );
    let set = env.ok(&["items", "set", SIX]);
    assert!(
        set.contains("pleasant: happy, calm, proud; unpleasant: sad, anxious, angry"),
        "{set}"
    );
    assert!(env
        .ok(&["items", "show"])
        .contains("Rated on every check-in"));
    env.ok(&["items", "clear"]);
    assert!(env
        .ok(&["items", "show"])
        .contains("No feelings are chosen"));
}

#[test]
fn check_ins_rate_the_chosen_items_zero_included() {
    let env = Env::new();
    let err = env.fails(&["checkin", "--item", "calm=0"], 2);
    assert!(err.contains("no feelings are chosen yet"), "{err}");
    env.ok(&["items", "set", SIX]);
    let err = env.fails(&["checkin", "--item", "lonely=3"], 2);
    assert!(
        err.contains("'lonely' is not one of your chosen feelings"),
        "{err}"
    );
    let err = env.fails(&["checkin", "--item", "calm=11"], 2);
    assert!(
        err.contains("--item 'calm=11'") && err.contains("0 (not at all)"),
        "{err}"
    );
    env.ok(&["checkin", "--item", "calm=0", "--item", "sad=4"]);
    // Guided: one feeling, then the six items, then Enter through the rest.
    let typed = format!("tired\n3\n\n{}{}", "2\n0\n1\n5\n0\n3\n", "\n".repeat(9));
    let out = env.run_with(&["checkin"], &typed, |_| {});
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("0 (not at all) to 10"),
        "{}",
        out.stdout
    );
    let r = env.records();
    let guided = &r[0]["items"];
    assert_eq!(guided.as_array().unwrap().len(), 6, "{guided}");
    assert_eq!(
        (&guided[1]["word"], &guided[1]["rating"]),
        (&"calm".into(), &0.into())
    );
    assert_eq!(r[0]["feelings"][0]["intensity"], 3);
    assert_eq!(
        r[1]["items"][0]["rating"], 0,
        "0 is a rating, not 'nothing'"
    );
    assert_eq!(r[1]["nothing"], false);
    // Enter at the first item skips the whole step.
    let skip = format!("tired\n\n\n\n{}", "\n".repeat(9));
    assert_eq!(env.run_with(&["checkin"], &skip, |_| {}).code, 0);
    assert_eq!(env.records()[0].get("items"), None);
}

/// A feltsense export with the six chosen items rated at `n` check-ins.
fn export_with_items(n: usize) -> String {
    let words = ["happy", "calm", "proud", "sad", "anxious", "angry"];
    let checkins: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let items: Vec<_> = words
                .iter()
                .enumerate()
                .map(|(k, w)| serde_json::json!({"word": w, "rating": (i * (k + 1)) % 11}))
                .collect();
            serde_json::json!({
                "id": format!("c{i:02}"),
                "at": format!("2026-11-{:02}T09:00:00Z", 10 + i),
                "nothing": false, "feelings": [], "pleasantness": null, "energy": null,
                "clarity": null, "body": [], "body_overall": null, "showed": null,
                "context": {}, "note": null, "items": items
            })
        })
        .collect();
    serde_json::json!({
        "format": "feltsense", "version": 3, "checkins": checkins,
        "fixed_items": words
    })
    .to_string()
}

#[test]
fn granularity_counts_down_and_items_travel_in_the_export() {
    let env = Env::new();
    let file = env.dir.path().join("items.json");
    std::fs::write(&file, export_with_items(18)).unwrap();
    let out = env.ok(&["import", file.to_str().unwrap()]);
    assert!(
        out.contains("Imported the feelings chosen to rate on every check-in."),
        "{out}"
    );
    assert!(env.ok(&["items", "show"]).contains("happy, calm, proud"));
    let text = env.ok(&["insights", "--window", "3650d"]);
    assert!(
        text.contains("granularity: 12 more check-ins with all your chosen feelings rated"),
        "{text}"
    );
    let exported: serde_json::Value =
        serde_json::from_str(&env.ok(&["export", "--format", "json"])).unwrap();
    let mut expected: serde_json::Value = serde_json::from_str(&export_with_items(18)).unwrap();
    expected["journal"] = serde_json::json!([]);
    expected["bridges"] = serde_json::json!([]);
    expected["assessments"] = serde_json::json!([]);
    expected["safety_plan"] = serde_json::Value::Null;
    assert_eq!(exported, expected);
    let ins: serde_json::Value =
        serde_json::from_str(&env.ok(&["insights", "--json", "--window", "3650d"])).unwrap();
    assert_eq!(ins["current"]["granularity_positive"]["n"], 18);
    assert_eq!(
        ins["current"]["intensity"]["n"], 0,
        "items are not intensities"
    );
    // Different chosen items in a file need --replace, all or nothing.
    env.ok(&["items", "set", "happy,calm,proud,sad,anxious,lonely"]);
    let err = env.fails(&["import", file.to_str().unwrap()], 2);
    assert!(err.contains("add --replace"), "{err}");
    assert!(env.ok(&["items", "show"]).contains("lonely"));
}
