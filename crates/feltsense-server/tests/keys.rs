//! The server key file, per-person keys, a key that does not belong to
//! the database, rotation, and deleting a person.

mod common;

use common::{connect, db, populate, scratch_database, var, with_database};
use deadpool_postgres::Pool;
use feltsense_server::{db as pg, people, rotate_key, DataError, PgStore, ServerKey};
use feltsense_store::Store;
use std::os::unix::fs::PermissionsExt;
use uuid::Uuid;

fn scratch_pool() -> Pool {
    scratch().0
}

/// A pool on a new database, and the superuser's URL of it.
fn scratch() -> (Pool, String) {
    let (_, app_url) = scratch_database();
    let name = app_url.rsplit('/').next().unwrap().to_string();
    let admin_url = with_database(&var("FELTSENSE_ADMIN_URL"), &name);
    let pool = db()
        .runtime
        .block_on(async { pg::pool(&app_url, 4).unwrap() });
    (pool, admin_url)
}

fn new_person(pool: &Pool, key: &ServerKey) -> (Uuid, Uuid) {
    let (tenant, person) = (Uuid::now_v7(), Uuid::now_v7());
    db().runtime
        .block_on(people::create(pool, key, tenant, person))
        .unwrap();
    (tenant, person)
}

fn open(
    pool: &Pool,
    key: &ServerKey,
    (tenant, person): (Uuid, Uuid),
) -> Result<PgStore, DataError> {
    PgStore::open(
        pool.clone(),
        db().runtime.handle().clone(),
        key,
        tenant,
        person,
    )
}

#[test]
fn a_key_file_is_created_owner_only_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.key");
    let made = ServerKey::load_or_create(&path).unwrap();
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_eq!(meta.len(), 32);
    let bytes = std::fs::read(&path).unwrap();
    let again = ServerKey::load_or_create(&path).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "an existing key is kept"
    );
    // The key read back opens what the one made wrapped.
    let pool = scratch_pool();
    let person = new_person(&pool, &made);
    assert!(open(&pool, &again, person).is_ok());
}

#[test]
fn a_key_file_others_can_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.key");
    ServerKey::load_or_create(&path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = ServerKey::load_or_create(&path).unwrap_err();
    let message = e.to_string();
    assert!(
        message.contains("can be read or changed by other users"),
        "{message}"
    );
    assert!(
        message.contains(&format!("chmod 600 {}", path.display())),
        "{message}"
    );
}

#[test]
fn a_file_that_is_not_a_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.key");
    std::fs::write(&path, b"not a key").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let message = ServerKey::load(&path).unwrap_err().to_string();
    assert!(message.contains("holds 9 bytes, a key is 32"), "{message}");
}

#[test]
fn a_fresh_key_file_does_not_start_on_a_database_with_keys() {
    let pool = scratch_pool();
    let first = ServerKey::generate();
    db().runtime.block_on(first.verify(&pool)).unwrap();
    let person = new_person(&pool, &first);
    let fresh = ServerKey::generate();
    let e = db().runtime.block_on(fresh.verify(&pool)).unwrap_err();
    assert!(matches!(e, DataError::WrongServerKey));
    assert!(e
        .to_string()
        .starts_with("this key file does not open the keys in this database; "));
    assert!(matches!(
        open(&pool, &fresh, person),
        Err(DataError::WrongServerKey)
    ));
    // The right one still does.
    db().runtime.block_on(first.verify(&pool)).unwrap();
}

#[test]
fn rotating_rewraps_every_key_and_keeps_every_record() {
    let pool = scratch_pool();
    let old = ServerKey::generate();
    let people = [new_person(&pool, &old), new_person(&pool, &old)];
    for p in people {
        populate(&mut open(&pool, &old, p).unwrap());
    }
    let before: Vec<_> = people
        .iter()
        .map(|p| open(&pool, &old, *p).unwrap().checkins(None).unwrap())
        .collect();
    let new = ServerKey::generate();
    let rewrapped = db()
        .runtime
        .block_on(rotate_key(&pool, &old, &new))
        .unwrap();
    assert_eq!(rewrapped.people, 2);
    for (p, checkins) in people.iter().zip(&before) {
        let store = open(&pool, &new, *p).unwrap();
        assert_eq!(&store.checkins(None).unwrap(), checkins);
        assert!(store.skipped().is_empty());
        assert!(matches!(
            open(&pool, &old, *p),
            Err(DataError::WrongServerKey)
        ));
    }
    db().runtime.block_on(new.verify(&pool)).unwrap();
    assert!(db().runtime.block_on(old.verify(&pool)).is_err());
}

#[test]
fn rotating_from_a_key_that_is_not_the_databases_changes_nothing() {
    let pool = scratch_pool();
    let key = ServerKey::generate();
    let person = new_person(&pool, &key);
    let stranger = ServerKey::generate();
    let e = db()
        .runtime
        .block_on(rotate_key(&pool, &stranger, &ServerKey::generate()))
        .unwrap_err();
    assert!(matches!(e, DataError::WrongServerKey));
    assert!(open(&pool, &key, person).is_ok());
}

#[test]
fn deleting_a_person_deletes_all_their_data_and_only_theirs() {
    let (pool, admin_url) = scratch();
    let key = ServerKey::generate();
    let (gone, kept) = (new_person(&pool, &key), new_person(&pool, &key));
    for p in [gone, kept] {
        populate(&mut open(&pool, &key, p).unwrap());
    }
    db().runtime
        .block_on(people::delete(&pool, gone.0, gone.1))
        .unwrap();
    assert!(matches!(
        open(&pool, &key, gone),
        Err(DataError::NoPerson { .. })
    ));
    assert_eq!(
        open(&pool, &key, kept)
            .unwrap()
            .checkins(None)
            .unwrap()
            .len(),
        2
    );
    let again = db().runtime.block_on(people::delete(&pool, gone.0, gone.1));
    assert!(matches!(again, Err(DataError::NoPerson { .. })));
    // Nothing of theirs is left in any table (read past row-level security).
    let admin = connect(&admin_url);
    for table in [
        "checkins",
        "journal",
        "bridges",
        "assessments",
        "safety_plans",
        "import_sources",
    ] {
        let sql = format!("SELECT count(*) FROM {table} WHERE person = $1");
        let n: i64 = db()
            .runtime
            .block_on(admin.query_one(&sql, &[&gone.1]))
            .unwrap()
            .get(0);
        assert_eq!(n, 0, "{table}");
    }
}
