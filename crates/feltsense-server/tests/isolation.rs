//! Isolation by construction: row-level security keeps one person's rows
//! from another even for a query that forgets its own `WHERE`, shows
//! nothing without the settings, and the app role cannot switch it off.

mod common;

use common::{connect, db, fresh_person, open, populate, var};
use feltsense_store::conformance::sample;
use feltsense_store::Store;
use tokio_postgres::Client;
use uuid::Uuid;

/// Every table that holds a person's rows, with its person column.
const PERSON_TABLES: &[(&str, &str)] = &[
    ("checkins", "person"),
    ("journal", "person"),
    ("bridges", "person"),
    ("assessments", "person"),
    ("safety_plans", "person"),
    ("import_sources", "person"),
    ("people", "id"),
];

/// A fresh person with a row in every table.
fn populated() -> (Uuid, Uuid) {
    let (tenant, person) = fresh_person();
    populate(&mut open(tenant, person));
    (tenant, person)
}

/// The (tenant, person) of every row of `table` that `client` sees in a
/// transaction with `settings` (or none), with no WHERE of its own.
fn seen(
    client: &mut Client,
    settings: Option<(Uuid, Uuid)>,
    table: &str,
    who: &str,
) -> Vec<(Uuid, Uuid)> {
    db().runtime.block_on(async {
        let tx = client.transaction().await.unwrap();
        if let Some((tenant, person)) = settings {
            tx.execute(
                "SELECT set_config('feltsense.tenant', $1, true), set_config('feltsense.person', $2, true)",
                &[&tenant.to_string(), &person.to_string()],
            )
            .await
            .unwrap();
        }
        let rows = tx.query(&format!("SELECT * FROM {table}"), &[]).await.unwrap();
        tx.rollback().await.unwrap();
        rows.iter()
            .map(|r| (r.get::<_, Uuid>("tenant"), r.get::<_, Uuid>(who)))
            .collect()
    })
}

#[test]
fn a_query_without_its_own_scoping_sees_only_the_settings_person() {
    let a = populated();
    let b = populated();
    // Same tenant as A, another person.
    let (a_tenant, _) = a;
    let c_person = Uuid::now_v7();
    db().runtime
        .block_on(feltsense_server::people::create(
            &db().app,
            &db().key,
            a_tenant,
            c_person,
        ))
        .unwrap();
    let mut client = connect(&var("FELTSENSE_DATABASE_URL"));
    for (table, who) in PERSON_TABLES {
        let rows = seen(&mut client, Some(a), table, who);
        assert!(!rows.is_empty(), "{table}: A's own rows are visible");
        assert!(
            rows.iter().all(|r| *r == a),
            "{table}: only A's rows, saw {rows:?}"
        );
        assert!(!rows.contains(&b) && !rows.contains(&(a_tenant, c_person)));
    }
}

#[test]
fn without_the_settings_nothing_at_all_is_visible() {
    populated();
    let mut client = connect(&var("FELTSENSE_DATABASE_URL"));
    for (table, who) in PERSON_TABLES {
        assert_eq!(seen(&mut client, None, table, who), [], "{table}");
    }
    let tenants = db()
        .runtime
        .block_on(client.query("SELECT * FROM tenants", &[]))
        .unwrap();
    assert!(tenants.is_empty());
}

#[test]
fn a_row_for_another_person_cannot_be_written_under_ones_settings() {
    let a = populated();
    let b = populated();
    let mut client = connect(&var("FELTSENSE_DATABASE_URL"));
    let refused = db().runtime.block_on(async {
        let tx = client.transaction().await.unwrap();
        tx.execute(
            "SELECT set_config('feltsense.tenant', $1, true), set_config('feltsense.person', $2, true)",
            &[&a.0.to_string(), &a.1.to_string()],
        )
        .await
        .unwrap();
        tx.execute(
            "INSERT INTO checkins (tenant, person, id, at, sealed) VALUES ($1, $2, 'x', now(), '\\x00')",
            &[&b.0, &b.1],
        )
        .await
        .unwrap_err()
    });
    let message = refused.as_db_error().unwrap().message().to_string();
    assert!(message.contains("row-level security"), "{message}");
}

#[test]
fn the_app_role_cannot_turn_row_level_security_off() {
    let client = connect(&var("FELTSENSE_DATABASE_URL"));
    let attempts = [
        "ALTER TABLE checkins DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE checkins NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY own_rows ON checkins",
        "CREATE POLICY everything ON checkins USING (true)",
        "DROP TABLE checkins",
        "ALTER TABLE people ADD COLUMN x int",
        "TRUNCATE checkins",
    ];
    for sql in attempts {
        let e = db()
            .runtime
            .block_on(client.batch_execute(sql))
            .unwrap_err();
        let message = e
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_default();
        assert!(
            message.contains("must be owner") || message.contains("permission denied"),
            "{sql}: {message}"
        );
    }
    // Without the policies' check the app role reads nothing: PostgreSQL
    // refuses the query instead.
    let e = db()
        .runtime
        .block_on(client.batch_execute("SET row_security = off; SELECT * FROM checkins"))
        .unwrap_err();
    let message = e.as_db_error().unwrap().message().to_string();
    assert!(message.contains("row-level security"), "{message}");
}

#[test]
fn a_sealed_value_moved_to_another_row_does_not_open() {
    let (tenant, person) = fresh_person();
    let mut store = open(tenant, person);
    store
        .add_checkin(&sample("kept", "2026-03-01T08:00:00+00:00"))
        .unwrap();
    store
        .add_checkin(&sample("moved", "2026-03-02T08:00:00+00:00"))
        .unwrap();
    // Another person's sealed value in this person's row, by the superuser.
    let (other_tenant, other) = fresh_person();
    open(other_tenant, other)
        .add_checkin(&sample("theirs", "2026-03-03T08:00:00+00:00"))
        .unwrap();
    let admin = connect(&var("FELTSENSE_ADMIN_URL"));
    db().runtime
        .block_on(admin.execute(
            "UPDATE checkins SET sealed = (SELECT sealed FROM checkins WHERE person = $3)
             WHERE tenant = $1 AND person = $2 AND id = 'moved'",
            &[&tenant, &person, &other],
        ))
        .unwrap();
    let ids: Vec<String> = store
        .checkins(None)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["kept"]);
    let skipped = store.skipped();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].id, "moved");
    assert!(
        skipped[0].why.contains("does not open"),
        "{}",
        skipped[0].why
    );
    assert!(matches!(
        store.checkin("moved"),
        Err(feltsense_store::StoreError::Corrupt(_))
    ));
}
