//! The caseload on the real PostgreSQL: summaries kept current by each
//! write, and each person shown only as far as their grant allows.

mod common;

use chrono::{Duration, Utc};
use common::{db, fresh_person, open, populate};
use feltsense_core::assessments::{Instrument, Response};
use feltsense_server::sharing::caseload::caseload;
use feltsense_server::sharing::{
    audit, grants, GrantDraft, GranteeKind, JournalSharing, Reader, RequestMeta, Role, Scope,
};
use feltsense_store::conformance::sample;
use feltsense_store::Store;
use uuid::Uuid;

fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    db().runtime.block_on(f)
}

fn request() -> RequestMeta {
    RequestMeta {
        address: "192.0.2.9".into(),
        request_id: "caseload-1".into(),
    }
}

fn draft(grantee: Uuid, scopes: &[Scope]) -> GrantDraft {
    GrantDraft {
        grantee,
        grantee_kind: GranteeKind::Clinician,
        scopes: scopes.to_vec(),
        journal: JournalSharing::Off,
        starts_at: Utc::now() - Duration::minutes(1),
        ends_at: None,
        purpose: "weekly sessions".into(),
    }
}

/// A person of `tenant` with the usual data and a later, lower PHQ-9.
fn person_in(tenant: Uuid) -> Uuid {
    let person = Uuid::now_v7();
    block(feltsense_server::people::create(
        &db().app,
        &db().key,
        tenant,
        person,
    ))
    .unwrap();
    let mut store = open(tenant, person);
    populate(&mut store);
    let later = Response {
        id: "r2".into(),
        instrument: Instrument::Phq9,
        at: chrono::DateTime::parse_from_rfc3339("2026-03-20T08:00:00+01:00").unwrap(),
        answers: vec![1, 1, 1, 1, 0, 0, 0, 0, 0],
    };
    store.add_assessment(&later).unwrap();
    person
}

#[test]
fn the_caseload_shows_each_person_only_as_far_as_their_grant() {
    let (tenant, first) = fresh_person();
    populate(&mut open(tenant, first));
    let clinician = Reader {
        tenant,
        account: common::account(tenant),
        role: Role::Clinician,
    };
    let both = person_in(tenant);
    let only_check_ins = person_in(tenant);
    let revoked = person_in(tenant);
    let _not_shared = person_in(tenant);
    let app = &db().app;
    block(grants::create(
        app,
        tenant,
        both,
        &draft(clinician.account, &[Scope::CheckIns, Scope::Questionnaires]),
    ))
    .unwrap();
    block(grants::create(
        app,
        tenant,
        only_check_ins,
        &draft(clinician.account, &[Scope::CheckIns]),
    ))
    .unwrap();
    let g = block(grants::create(
        app,
        tenant,
        revoked,
        &draft(clinician.account, &Scope::ALL),
    ))
    .unwrap();
    block(grants::revoke(app, tenant, revoked, g.id)).unwrap();

    let entries = block(caseload(app, &db().key, &clinician, &request())).unwrap();
    let people: Vec<Uuid> = entries.iter().map(|e| e.person).collect();
    assert_eq!(people, [both, only_check_ins]);
    let full = &entries[0];
    let check_ins = full.check_ins.as_ref().unwrap();
    assert_eq!(
        check_ins.last_at.unwrap().to_rfc3339(),
        "2026-03-02T08:00:00+00:00"
    );
    assert!(!check_ins.change.is_empty());
    let q = full.questionnaires.as_ref().unwrap();
    assert_eq!(q.latest[0].title, "PHQ-9");
    assert_eq!((q.latest[0].score, q.latest[0].previous), (4, Some(18)));
    assert_eq!(q.latest[0].trend, "lower");
    let item9 = q.phq9_item9_positive.unwrap();
    assert_eq!(
        item9.to_rfc3339(),
        "2026-03-01T08:00:00+01:00",
        "the earlier PHQ-9 answered item 9"
    );
    assert!(entries[1].check_ins.is_some());
    assert_eq!(entries[1].questionnaires, None);
    block(caseload(app, &db().key, &clinician, &request())).unwrap();
    let looks = block(audit::who_saw_what(app, tenant, both)).unwrap();
    assert_eq!(looks.len(), 2, "one event per person per caseload");
    assert_eq!(looks[0].what, "caseload summary");
    let verified = block(audit::verify(app)).unwrap();
    assert!(
        matches!(verified, audit::Verified::Intact { .. }),
        "{verified:?}"
    );
    assert!(block(audit::who_saw_what(app, tenant, revoked))
        .unwrap()
        .is_empty());
}

#[test]
fn a_summary_is_current_after_each_write_and_hidden_beyond_the_grant() {
    let (tenant, person) = fresh_person();
    let clinician = Reader {
        tenant,
        account: common::account(tenant),
        role: Role::Clinician,
    };
    block(grants::create(
        &db().app,
        tenant,
        person,
        &draft(clinician.account, &[Scope::CheckIns]),
    ))
    .unwrap();
    let mut store = open(tenant, person);
    let at = Utc::now() - Duration::minutes(5);
    store.add_checkin(&sample("now", &at.to_rfc3339())).unwrap();
    let entries = block(caseload(&db().app, &db().key, &clinician, &request())).unwrap();
    let last = entries[0].check_ins.as_ref().unwrap().last_at.unwrap();
    assert_eq!(last.timestamp(), at.timestamp());
    let client = common::connect(&common::var("FELTSENSE_DATABASE_URL"));
    let scopes: Vec<String> = block(async {
        client.batch_execute("BEGIN").await.unwrap();
        client
            .execute(
                "SELECT set_config('feltsense.tenant', $1, true), set_config('feltsense.reader', $2, true)",
                &[&tenant.to_string(), &clinician.account.to_string()],
            )
            .await
            .unwrap();
        let rows = client
            .query(
                "SELECT scope FROM summaries WHERE person = $1 ORDER BY scope",
                &[&person],
            )
            .await
            .unwrap();
        client.batch_execute("ROLLBACK").await.unwrap();
        rows.iter().map(|r| r.get(0)).collect()
    });
    assert_eq!(
        scopes,
        ["checkins"],
        "row-level security hides the questionnaires summary"
    );
}
