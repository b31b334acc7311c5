//! No plaintext at rest: a dump of a database holding a person's
//! check-ins, journal, bridge, questionnaire and safety plan holds none of
//! what they wrote.

mod common;

use common::{db, populate, scratch_database, var, with_database, WRITTEN};
use feltsense_server::{db as pg, people, PgStore, ServerKey};
use uuid::Uuid;

#[test]
fn a_dump_of_the_database_holds_nothing_a_person_wrote() {
    let (_, app_url) = scratch_database();
    let rt = &db().runtime;
    let app = rt.block_on(async { pg::pool(&app_url, 2).unwrap() });
    let key = ServerKey::generate();
    let (tenant, person) = (Uuid::now_v7(), Uuid::now_v7());
    rt.block_on(people::create(&app, &key, tenant, person))
        .unwrap();
    let mut store = PgStore::open(app, rt.handle().clone(), &key, tenant, person).unwrap();
    populate(&mut store);

    let name = app_url.rsplit('/').next().unwrap();
    let admin_url = with_database(&var("FELTSENSE_ADMIN_URL"), name);
    let pg_dump = std::path::Path::new(&var("FELTSENSE_PG_BIN")).join("pg_dump");
    let out = std::process::Command::new(&pg_dump)
        .args(["--data-only", "--no-owner", "--dbname", &admin_url])
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", pg_dump.display()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump = String::from_utf8(out.stdout).unwrap();

    // The dump does hold this person's rows...
    assert!(dump.contains(&person.to_string()));
    for table in [
        "checkins",
        "journal",
        "bridges",
        "assessments",
        "safety_plans",
        "import_sources",
    ] {
        assert!(
            dump.contains(&format!("COPY public.{table} ")),
            "{table} is dumped"
        );
    }
    // ...and none of what they wrote.
    let lower = dump.to_lowercase();
    for word in WRITTEN {
        assert!(!lower.contains(word), "'{word}' is in the dump in clear");
    }
}
