//! What the PostgreSQL tests share: the database `scripts/pg.sh start`
//! made (migrated once per test binary), one runtime, the app role's pool,
//! and a fresh person for each test so tests run in parallel.
#![allow(dead_code)]

use deadpool_postgres::Pool;
use feltsense_server::{db, people, PgStore, ServerKey};
use std::sync::OnceLock;
use tokio::runtime::Runtime;
use tokio_postgres::NoTls;
use uuid::Uuid;

pub struct Db {
    pub runtime: Runtime,
    /// As `feltsense_app`, what the server runs as.
    pub app: Pool,
    pub key: ServerKey,
}

pub fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: these tests need a PostgreSQL; start one with \
             `eval \"$(scripts/pg.sh start)\"` (scripts/test.sh does) and stop it \
             with `scripts/pg.sh stop`"
        )
    })
}

/// The shared database, migrated, with the server key every test binary
/// uses (kept beside the throwaway cluster).
pub fn db() -> &'static Db {
    static DB: OnceLock<Db> = OnceLock::new();
    DB.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(migrate(&var("FELTSENSE_OWNER_URL")));
        let key_file = std::path::Path::new(&var("FELTSENSE_PG_DIR")).join("test-server.key");
        let key = ServerKey::load_or_create(&key_file).unwrap();
        let app = runtime.block_on(async { db::pool(&var("FELTSENSE_DATABASE_URL"), 16).unwrap() });
        runtime.block_on(key.verify(&app)).unwrap();
        Db { runtime, app, key }
    })
}

/// Runs the migrations as the owner role at `url`.
pub async fn migrate(url: &str) {
    let (mut client, connection) = tokio_postgres::connect(url, NoTls).await.unwrap();
    let task = tokio::spawn(connection);
    db::migrate(&mut client).await.unwrap();
    drop(client);
    let _ = task.await;
}

/// A new staff account of `tenant` (a grant's grantee must be one), as a
/// row of `accounts` with no password yet.
pub fn account(tenant: Uuid) -> Uuid {
    let id = Uuid::now_v7();
    insert_account(&db().app, tenant, id);
    id
}

/// The account row `id` of `tenant` in the database of `pool`.
pub fn insert_account(pool: &Pool, tenant: Uuid, id: Uuid) {
    let email = format!("reader-{}@example.org", id.simple());
    db().runtime.block_on(async {
        let client = pool.get().await.unwrap();
        client
            .execute(
                "INSERT INTO accounts (tenant, id, email, role) VALUES ($1, $2, $3, 'clinician')",
                &[&tenant, &id, &email],
            )
            .await
            .unwrap()
    });
}

/// A new person in a new tenant, created as the server would.
pub fn fresh_person() -> (Uuid, Uuid) {
    let db = db();
    let (tenant, person) = (Uuid::now_v7(), Uuid::now_v7());
    db.runtime
        .block_on(people::create(&db.app, &db.key, tenant, person))
        .unwrap();
    (tenant, person)
}

pub fn open(tenant: Uuid, person: Uuid) -> PgStore {
    let db = db();
    PgStore::open(
        db.app.clone(),
        db.runtime.handle().clone(),
        &db.key,
        tenant,
        person,
    )
    .unwrap()
}

/// The store of a fresh person: what every conformance check starts from.
pub fn fresh_store() -> PgStore {
    let (tenant, person) = fresh_person();
    open(tenant, person)
}

/// A connection as `url`'s role, its driver task on the shared runtime.
pub fn connect(url: &str) -> tokio_postgres::Client {
    db().runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, NoTls).await.unwrap();
        tokio::spawn(connection);
        client
    })
}

/// A new, empty database set up as `scripts/pg.sh` sets up `feltsense`
/// and migrated: for tests that need a database of their own (a key
/// rotation touches every person; a dump should hold only its data).
/// Returns its owner and app URLs.
pub fn scratch_database() -> (String, String) {
    let name = format!("feltsense_scratch_{}", Uuid::now_v7().simple());
    let admin = connect(&var("FELTSENSE_ADMIN_URL"));
    let rt = &db().runtime;
    // One statement each: CREATE DATABASE cannot run in a transaction.
    for sql in [
        format!("CREATE DATABASE {name} OWNER feltsense_owner"),
        format!("REVOKE ALL ON DATABASE {name} FROM PUBLIC"),
        format!("GRANT CONNECT ON DATABASE {name} TO feltsense_app"),
    ] {
        rt.block_on(admin.batch_execute(&sql)).unwrap();
    }
    let in_db = |url: String| with_database(&url, &name);
    let admin_here = connect(&in_db(var("FELTSENSE_ADMIN_URL")));
    rt.block_on(admin_here.batch_execute(
        "REVOKE ALL ON SCHEMA public FROM PUBLIC;
         ALTER SCHEMA public OWNER TO feltsense_owner;
         GRANT USAGE ON SCHEMA public TO feltsense_app;",
    ))
    .unwrap();
    let owner = in_db(var("FELTSENSE_OWNER_URL"));
    rt.block_on(migrate(&owner));
    (owner, in_db(var("FELTSENSE_DATABASE_URL")))
}

/// Every piece of text [`populate`] writes: none may be found at rest.
pub const WRITTEN: &[&str] = &[
    "quietly-unsettled",
    "heavy-shoulders-note",
    "lonely",
    "tired",
    "colleagues",
    "office",
    "calm",
    "tight",
    "journal-page-about-rain",
    "old-songs-bridge",
    "tenderness-after",
    "warning-sign-sleepless",
    "call-my-sister",
    "phq9",
    "answers",
];

/// A check-in with a note and feelings, a journal entry, a bridge, a
/// questionnaire response, a safety plan and an imported check-in (so
/// every table holds a row of this person's).
pub fn populate(store: &mut impl feltsense_store::Store) {
    use feltsense_core::assessments::{Instrument, Response};
    use feltsense_core::bridges::{Bridge, BridgeKind, Micro};
    use feltsense_core::{FeelingRating, JournalEntry, SafetyPlan};
    use feltsense_store::conformance::sample;
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
    let mut check_in = sample("c1", "2026-03-01T08:00:00+00:00");
    check_in.note = Some("heavy-shoulders-note".into());
    check_in.feelings.push(FeelingRating {
        word: "quietly-unsettled".into(),
        intensity: Some(3),
    });
    store.add_checkin(&check_in).unwrap();
    let entry = JournalEntry {
        id: "j1".into(),
        at: at("2026-03-01T09:00:00+00:00"),
        text: "journal-page-about-rain".into(),
    };
    store.add_journal(&entry).unwrap();
    let micro = |feeling: Option<&str>| Micro {
        feeling: feeling.map(String::from),
        intensity: Some(4),
        clarity: 3,
        body_noticed: true,
    };
    let bridge = Bridge {
        id: "b1".into(),
        kind: BridgeKind::Music,
        label: "old-songs-bridge".into(),
        started: at("2026-03-01T20:00:00+01:00"),
        before: micro(None),
        ended: Some(at("2026-03-01T20:20:00+01:00")),
        after: Some(micro(Some("tenderness-after"))),
    };
    store.add_bridge(&bridge).unwrap();
    let response = Response {
        id: "r1".into(),
        instrument: Instrument::Phq9,
        at: at("2026-03-01T08:00:00+01:00"),
        answers: vec![2; 9],
    };
    store.add_assessment(&response).unwrap();
    store
        .save_safety_plan(&SafetyPlan {
            warning_signs: "warning-sign-sleepless".into(),
            people_to_ask: "call-my-sister".into(),
            ..SafetyPlan::default()
        })
        .unwrap();
    store
        .import(&[sample("c2", "2026-03-02T08:00:00+00:00")], &[], &[])
        .unwrap();
}

/// `url` naming database `name` instead of its own.
pub fn with_database(url: &str, name: &str) -> String {
    let (server, _) = url
        .rsplit_once('/')
        .expect("a postgres:// URL names a database");
    format!("{server}/{name}")
}
