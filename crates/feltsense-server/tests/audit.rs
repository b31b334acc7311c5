//! The audit trail on the real PostgreSQL: append-only for the app role,
//! chained and verified, kept (pseudonymous) when a person is deleted,
//! "who saw what", emergency access, and concurrent appends to one chain.

mod common;

use chrono::{Duration, Utc};
use common::{db, fresh_person, open, populate};
use deadpool_postgres::Pool;
use feltsense_server::sharing::audit::{self, Verified};
use feltsense_server::sharing::{
    emergency, grants, GrantDraft, GranteeKind, JournalSharing, Reader, RequestMeta, Role, Scope,
    SharedView, SharingError,
};
use feltsense_server::{db as pg, people, ServerKey};
use uuid::Uuid;

fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    db().runtime.block_on(f)
}

fn request() -> RequestMeta {
    RequestMeta {
        address: "198.51.100.4".into(),
        request_id: "req-1".into(),
    }
}

fn reader(tenant: Uuid, role: Role) -> Reader {
    Reader {
        tenant,
        account: common::account(tenant),
        role,
    }
}

fn share(pool: &Pool, tenant: Uuid, person: Uuid, grantee: Uuid, scopes: &[Scope]) -> Uuid {
    let draft = GrantDraft {
        grantee,
        grantee_kind: GranteeKind::Clinician,
        scopes: scopes.to_vec(),
        journal: JournalSharing::Off,
        starts_at: Utc::now() - Duration::minutes(1),
        ends_at: None,
        purpose: "weekly sessions".into(),
    };
    block(grants::create(pool, tenant, person, &draft))
        .unwrap()
        .id
}

/// A person of a fresh clinic with data, and a clinician who read their
/// check-ins twice under a grant.
fn two_looks() -> (Uuid, Uuid, Reader) {
    let (tenant, person) = fresh_person();
    populate(&mut open(tenant, person));
    let clinician = reader(tenant, Role::Clinician);
    share(
        &db().app,
        tenant,
        person,
        clinician.account,
        &[Scope::CheckIns],
    );
    let view = SharedView::new(&db().app, &db().key, clinician, person, request());
    block(view.checkins()).unwrap();
    block(view.checkins()).unwrap();
    (tenant, person, clinician)
}

/// Runs `sql` as the app role in a transaction scoped to `tenant`.
fn as_app(tenant: Uuid, sql: &str) -> Result<u64, tokio_postgres::Error> {
    let client = common::connect(&common::var("FELTSENSE_DATABASE_URL"));
    block(async {
        client.batch_execute("BEGIN").await?;
        client
            .execute(
                "SELECT set_config('feltsense.tenant', $1, true)",
                &[&tenant.to_string()],
            )
            .await?;
        let n = client.execute(sql, &[]).await;
        client.batch_execute("ROLLBACK").await?;
        n
    })
}

#[test]
fn the_app_role_cannot_change_or_delete_audit_events() {
    let (tenant, _, _) = two_looks();
    for sql in [
        "UPDATE audit_events SET outcome = 'refused'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ] {
        let e = as_app(tenant, sql).unwrap_err();
        let code = e.code().cloned();
        assert_eq!(
            code,
            Some(tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
            "{sql}: {e}"
        );
    }
}

#[test]
fn every_read_of_another_persons_data_is_one_event_in_their_chain() {
    let (tenant, person, clinician) = two_looks();
    let looks = block(audit::who_saw_what(&db().app, tenant, person)).unwrap();
    assert_eq!(looks.len(), 2);
    assert!(looks[0].at >= looks[1].at, "newest first");
    assert_eq!(looks[0].who, clinician.account);
    assert_eq!(looks[0].role, "clinician");
    let words = looks[0].sentence("Dr Rivera");
    assert!(
        words.starts_with("Dr Rivera (clinician) saw your check-ins, calendar and insights on "),
        "{words}"
    );
    let verified = block(audit::verify(&db().app)).unwrap();
    assert!(matches!(verified, Verified::Intact { .. }), "{verified:?}");
}

#[test]
fn the_persons_own_reads_are_not_looks_by_someone_else() {
    let (tenant, person) = fresh_person();
    populate(&mut open(tenant, person));
    assert!(block(audit::who_saw_what(&db().app, tenant, person))
        .unwrap()
        .is_empty());
}

/// A database of its own, so tampering with it leaves the others intact.
struct Scratch {
    owner: String,
    app: Pool,
    key: ServerKey,
}

fn scratch() -> Scratch {
    let (owner, app_url) = common::scratch_database();
    let app = pg::pool(&app_url, 4).unwrap();
    Scratch {
        owner,
        app,
        key: ServerKey::generate(),
    }
}

/// `person` of a new clinic in `s`, shared with a clinician who looked
/// three times.
fn three_looks(s: &Scratch) -> (Uuid, Uuid, Reader) {
    let (tenant, person) = (Uuid::now_v7(), Uuid::now_v7());
    block(people::create(&s.app, &s.key, tenant, person)).unwrap();
    let clinician = reader(tenant, Role::Clinician);
    common::insert_account(&s.app, tenant, clinician.account);
    share(
        &s.app,
        tenant,
        person,
        clinician.account,
        &[Scope::CheckIns],
    );
    let view = SharedView::new(&s.app, &s.key, clinician, person, request());
    for _ in 0..3 {
        block(view.checkins()).unwrap();
    }
    (tenant, person, clinician)
}

/// Runs `sql` as the owner of `s`'s schema, in a transaction scoped to
/// `tenant` (row-level security is forced on the owner too).
fn as_owner(s: &Scratch, tenant: Uuid, sql: &str) -> u64 {
    let client = common::connect(&s.owner);
    block(async {
        client.batch_execute("BEGIN").await.unwrap();
        client
            .execute(
                "SELECT set_config('feltsense.tenant', $1, true)",
                &[&tenant.to_string()],
            )
            .await
            .unwrap();
        let n = client.execute(sql, &[]).await.unwrap();
        client.batch_execute("COMMIT").await.unwrap();
        n
    })
}

#[test]
fn verify_names_the_first_event_changed_behind_the_apps_back() {
    let s = scratch();
    let (tenant, _, _) = three_looks(&s);
    assert_eq!(
        block(audit::verify(&s.app)).unwrap(),
        Verified::Intact {
            chains: 1,
            events: 3
        }
    );
    let n = as_owner(
        &s,
        tenant,
        "UPDATE audit_events SET address = '203.0.113.9' WHERE position = 2",
    );
    assert_eq!(n, 1);
    match block(audit::verify(&s.app)).unwrap() {
        Verified::Broken {
            chain,
            position,
            why,
        } => {
            assert!(chain.starts_with("person:"), "{chain}");
            assert_eq!(position, 2);
            assert!(why.contains("changed"), "{why}");
        }
        intact => panic!("a changed event went unseen: {intact:?}"),
    }
}

#[test]
fn verify_notices_an_event_removed_from_the_middle_or_the_end() {
    let s = scratch();
    let (tenant, _, _) = three_looks(&s);
    as_owner(&s, tenant, "DELETE FROM audit_events WHERE position = 3");
    let end = block(audit::verify(&s.app)).unwrap();
    assert!(
        matches!(end, Verified::Broken { position: 3, .. }),
        "{end:?}"
    );
    as_owner(&s, tenant, "DELETE FROM audit_events WHERE position = 1");
    let middle = block(audit::verify(&s.app)).unwrap();
    assert!(
        matches!(middle, Verified::Broken { position: 2, .. }),
        "{middle:?}"
    );
}

#[test]
fn deleting_a_person_keeps_their_audit_events_under_a_pseudonym_only() {
    let s = scratch();
    let (tenant, person, clinician) = three_looks(&s);
    block(people::delete(&s.app, tenant, person)).unwrap();
    let client = common::connect(&s.owner);
    let rows = block(async {
        client.batch_execute("BEGIN").await.unwrap();
        client
            .execute(
                "SELECT set_config('feltsense.tenant', $1, true)",
                &[&tenant.to_string()],
            )
            .await
            .unwrap();
        let events = client
            .query(
                "SELECT subject, actor, chain FROM audit_events ORDER BY position",
                &[],
            )
            .await
            .unwrap();
        let mapped: i64 = client
            .query_one("SELECT count(*) FROM audit_pseudonyms", &[])
            .await
            .unwrap()
            .get(0);
        client.batch_execute("ROLLBACK").await.unwrap();
        (events, mapped)
    });
    let (events, mapped) = rows;
    assert_eq!(events.len(), 3, "the events stay");
    assert_eq!(mapped, 0, "nothing says whose pseudonym it was");
    for e in &events {
        let (subject, actor): (Option<Uuid>, Uuid) = (e.get(0), e.get(1));
        assert!(subject.is_some_and(|p| p != person));
        assert_eq!(actor, clinician.account);
        assert!(!e.get::<_, String>(2).contains(&person.to_string()));
    }
    assert_eq!(
        block(audit::verify(&s.app)).unwrap(),
        Verified::Intact {
            chains: 1,
            events: 3
        }
    );
}

#[test]
fn reads_on_one_chain_from_many_connections_at_once_keep_it_whole() {
    let s = scratch();
    let (tenant, person) = (Uuid::now_v7(), Uuid::now_v7());
    block(people::create(&s.app, &s.key, tenant, person)).unwrap();
    let clinician = reader(tenant, Role::Clinician);
    common::insert_account(&s.app, tenant, clinician.account);
    share(
        &s.app,
        tenant,
        person,
        clinician.account,
        &[Scope::CheckIns],
    );
    // Tasks outlive this borrow as far as the compiler knows: one copy
    // of the key for them all, kept for the test's life.
    let key: &'static ServerKey = Box::leak(Box::new(s.key.clone()));
    let handles: Vec<_> = (0..24)
        .map(|i| {
            let app = s.app.clone();
            let meta = RequestMeta {
                address: "192.0.2.1".into(),
                request_id: format!("r{i}"),
            };
            db().runtime.spawn(async move {
                SharedView::new(&app, key, clinician, person, meta)
                    .checkins()
                    .await
            })
        })
        .collect();
    for h in handles {
        block(h).unwrap().unwrap();
    }
    assert_eq!(
        block(audit::verify(&s.app)).unwrap(),
        Verified::Intact {
            chains: 1,
            events: 24
        }
    );
}

#[test]
fn emergency_access_needs_an_admin_a_reason_and_at_most_a_day() {
    let (tenant, person) = fresh_person();
    let admin = reader(tenant, Role::Admin);
    let clinician = reader(tenant, Role::Clinician);
    let hour = Duration::hours(1);
    let tries = [
        (clinician, "a reason", hour, "role"),
        (admin, "  ", hour, "reason"),
        (admin, "a reason", Duration::hours(25), "lasting"),
        (admin, "a reason", Duration::zero(), "lasting"),
    ];
    for (who, reason, lasting, field) in tries {
        let e = block(emergency::open(
            &db().app,
            &who,
            person,
            reason,
            lasting,
            &request(),
        ))
        .unwrap_err();
        assert!(
            matches!(e, SharingError::Invalid { field: f, .. } if f == field),
            "{e}"
        );
    }
    let nobody = block(emergency::open(
        &db().app,
        &admin,
        Uuid::now_v7(),
        "a reason",
        hour,
        &request(),
    ));
    assert!(matches!(nobody, Err(SharingError::Data(_))), "{nobody:?}");
    assert!(block(emergency::unseen(&db().app, tenant, person))
        .unwrap()
        .is_empty());
}

#[test]
fn emergency_access_opens_everything_for_its_time_and_the_person_is_told() {
    let (tenant, person) = fresh_person();
    populate(&mut open(tenant, person));
    let admin = reader(tenant, Role::Admin);
    let view = SharedView::new(&db().app, &db().key, admin, person, request());
    assert!(matches!(block(view.journal()), Err(SharingError::Refused)));
    let reason = "their clinician asked us to check on a safety plan";
    let opened = block(emergency::open(
        &db().app,
        &admin,
        person,
        reason,
        Duration::hours(2),
        &request(),
    ))
    .unwrap();
    assert_eq!(block(view.journal()).unwrap()[0].id, "j1");
    assert!(block(view.safety_plan()).unwrap().is_some());
    let unseen = block(emergency::unseen(&db().app, tenant, person)).unwrap();
    assert_eq!(unseen, std::slice::from_ref(&opened));
    let looks = block(audit::who_saw_what(&db().app, tenant, person)).unwrap();
    let actions: Vec<_> = looks
        .iter()
        .map(|l| (l.action.as_str(), l.refused))
        .collect();
    assert_eq!(
        actions,
        [
            ("read", false),
            ("read", false),
            ("opened emergency access", false),
            ("read", true)
        ]
    );
    assert!(looks[2].sentence("An admin").contains(reason));
    block(emergency::mark_seen(&db().app, tenant, person, opened.id)).unwrap();
    assert!(block(emergency::unseen(&db().app, tenant, person))
        .unwrap()
        .is_empty());
}
