//! Sharing on the real PostgreSQL: grants, reads under a grant behind two
//! walls, the audit trail, "who saw what" and emergency access.

mod common;

use chrono::{Duration, Utc};
use common::{db, fresh_person, open, populate};
use feltsense_server::sharing::audit;
use feltsense_server::sharing::{
    grants, GrantChange, GrantDraft, GranteeKind, JournalSharing, Reader, RequestMeta, Role, Scope,
    SharedView, SharingError,
};
use uuid::Uuid;

fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    db().runtime.block_on(f)
}

fn request() -> RequestMeta {
    RequestMeta {
        address: "192.0.2.7".into(),
        request_id: Uuid::now_v7().to_string(),
    }
}

/// A person with data in every table, and a clinician of their clinic.
fn person_and_clinician() -> (Uuid, Uuid, Reader) {
    let (tenant, person) = fresh_person();
    populate(&mut open(tenant, person));
    let clinician = Reader {
        tenant,
        account: common::account(tenant),
        role: Role::Clinician,
    };
    (tenant, person, clinician)
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

fn grant(tenant: Uuid, person: Uuid, draft: &GrantDraft) -> grants::Grant {
    block(grants::create(&db().app, tenant, person, draft)).unwrap()
}

fn view(reader: Reader, person: Uuid) -> SharedView<'static> {
    SharedView::new(&db().app, &db().key, reader, person, request())
}

fn refused<T: std::fmt::Debug>(result: Result<T, SharingError>) {
    assert!(matches!(result, Err(SharingError::Refused)), "{result:?}");
}

#[test]
fn a_grant_of_check_ins_shows_check_ins_and_nothing_else() {
    let (tenant, person, clinician) = person_and_clinician();
    grant(
        tenant,
        person,
        &draft(clinician.account, &[Scope::CheckIns]),
    );
    let v = view(clinician, person);
    let ids: Vec<_> = block(v.checkins())
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["c2", "c1"]);
    refused(block(v.questionnaires()));
    refused(block(v.bridges()));
    refused(block(v.journal()));
    refused(block(v.safety_plan()));
}

#[test]
fn every_scope_granted_shows_each_but_the_journal_stays_off() {
    let (tenant, person, clinician) = person_and_clinician();
    let mut d = draft(clinician.account, &Scope::ALL);
    d.journal = JournalSharing::Off;
    grant(tenant, person, &d);
    let v = view(clinician, person);
    assert_eq!(block(v.questionnaires()).unwrap().len(), 1);
    assert_eq!(block(v.bridges()).unwrap()[0].label, "old-songs-bridge");
    let plan = block(v.safety_plan()).unwrap().unwrap();
    assert_eq!(plan.people_to_ask, "call-my-sister");
    refused(block(v.journal()));
}

#[test]
fn revoking_refuses_the_next_request_and_records_the_refusal() {
    let (tenant, person, clinician) = person_and_clinician();
    let g = grant(
        tenant,
        person,
        &draft(clinician.account, &[Scope::CheckIns]),
    );
    let v = view(clinician, person);
    assert_eq!(block(v.checkins()).unwrap().len(), 2);
    let revoked = block(grants::revoke(&db().app, tenant, person, g.id)).unwrap();
    assert!(revoked.revoked_at.is_some());
    refused(block(v.checkins()));
    let looks = block(audit::who_saw_what(&db().app, tenant, person)).unwrap();
    assert_eq!(looks.len(), 2);
    assert!(looks[0].refused, "newest first: the refusal");
    assert!(!looks[1].refused);
    assert_eq!(looks[1].grant, Some(g.id));
}

#[test]
fn a_grant_outside_its_period_shows_nothing() {
    let (tenant, person, clinician) = person_and_clinician();
    let mut ended = draft(clinician.account, &[Scope::CheckIns]);
    ended.starts_at = Utc::now() - Duration::hours(2);
    ended.ends_at = Some(Utc::now() - Duration::hours(1));
    grant(tenant, person, &ended);
    let mut later = draft(clinician.account, &[Scope::CheckIns]);
    later.starts_at = Utc::now() + Duration::hours(1);
    grant(tenant, person, &later);
    refused(block(view(clinician, person).checkins()));
}

#[test]
fn a_clinician_of_another_clinic_sees_nothing_even_with_a_grant_to_their_account() {
    let (tenant, person, clinician) = person_and_clinician();
    grant(tenant, person, &draft(clinician.account, &Scope::ALL));
    let elsewhere = Reader {
        tenant: Uuid::now_v7(),
        ..clinician
    };
    refused(block(view(elsewhere, person).checkins()));
    let raw = raw_count(&elsewhere, "checkins", person);
    assert_eq!(raw, 0);
    // The refusal is on the record, in the reader's clinic's chain (the
    // person is no one of that clinic), naming no one.
    let client = common::connect(&common::var("FELTSENSE_DATABASE_URL"));
    let refusals: Vec<(String, Option<Uuid>)> = block(async {
        client.batch_execute("BEGIN").await.unwrap();
        client
            .execute(
                "SELECT set_config('feltsense.tenant', $1, true)",
                &[&elsewhere.tenant.to_string()],
            )
            .await
            .unwrap();
        let rows = client
            .query(
                "SELECT chain, subject FROM audit_events WHERE actor = $1 AND outcome = 'refused'",
                &[&elsewhere.account],
            )
            .await
            .unwrap();
        client.batch_execute("ROLLBACK").await.unwrap();
        rows.iter().map(|r| (r.get(0), r.get(1))).collect()
    });
    assert_eq!(refusals, [(format!("clinic:{}", elsewhere.tenant), None)]);
}

#[test]
fn journal_entries_show_only_once_shared_one_by_one_or_marked() {
    let (tenant, person, clinician) = person_and_clinician();
    let mut d = draft(clinician.account, &[Scope::Journal]);
    d.journal = JournalSharing::Chosen;
    let g = grant(tenant, person, &d);
    let v = view(clinician, person);
    assert_eq!(block(v.journal()).unwrap(), vec![], "nothing shared yet");
    assert_eq!(raw_count(&clinician, "journal", person), 0);
    block(grants::share_entry(&db().app, tenant, person, g.id, "j1")).unwrap();
    assert_eq!(
        block(v.journal()).unwrap()[0].text,
        "journal-page-about-rain"
    );
    block(grants::unshare_entry(&db().app, tenant, person, g.id, "j1")).unwrap();
    assert_eq!(block(v.journal()).unwrap(), vec![]);
    let marked = GrantChange {
        journal: Some(JournalSharing::Marked),
        ..GrantChange::default()
    };
    block(grants::change(&db().app, tenant, person, g.id, &marked)).unwrap();
    assert_eq!(block(v.journal()).unwrap(), vec![]);
    block(grants::mark_entry(&db().app, tenant, person, "j1", true)).unwrap();
    assert_eq!(block(v.journal()).unwrap().len(), 1);
    assert_eq!(raw_count(&clinician, "journal", person), 1);
}

/// Rows of `table` of `person` that `reader`'s settings let through, with
/// no application check at all.
fn raw_count(reader: &Reader, table: &str, person: Uuid) -> i64 {
    let client = common::connect(&common::var("FELTSENSE_DATABASE_URL"));
    block(async {
        client.batch_execute("BEGIN").await.unwrap();
        client
            .execute(
                "SELECT set_config('feltsense.tenant', $1, true), set_config('feltsense.reader', $2, true)",
                &[&reader.tenant.to_string(), &reader.account.to_string()],
            )
            .await
            .unwrap();
        let id = if table == "people" { "id" } else { "person" };
        let sql = format!("SELECT count(*) FROM {table} WHERE {id} = $1");
        let n: i64 = client.query_one(&sql, &[&person]).await.unwrap().get(0);
        client.batch_execute("ROLLBACK").await.unwrap();
        n
    })
}

const TABLES: [&str; 7] = [
    "checkins",
    "journal",
    "bridges",
    "assessments",
    "safety_plans",
    "import_sources",
    "people",
];

#[test]
fn without_the_application_check_row_level_security_still_shows_only_the_grant() {
    let (tenant, person, clinician) = person_and_clinician();
    for table in TABLES {
        assert_eq!(
            raw_count(&clinician, table, person),
            0,
            "{table} before any grant"
        );
    }
    let g = grant(
        tenant,
        person,
        &draft(clinician.account, &[Scope::CheckIns]),
    );
    let counts: Vec<i64> = TABLES
        .iter()
        .map(|t| raw_count(&clinician, t, person))
        .collect();
    assert_eq!(counts, [2, 0, 0, 0, 0, 0, 1], "{TABLES:?}");
    block(grants::revoke(&db().app, tenant, person, g.id)).unwrap();
    for table in TABLES {
        assert_eq!(
            raw_count(&clinician, table, person),
            0,
            "{table} after revoking"
        );
    }
}

#[test]
fn a_reader_can_never_write_even_with_every_scope() {
    let (tenant, person, clinician) = person_and_clinician();
    grant(tenant, person, &draft(clinician.account, &Scope::ALL));
    let client = common::connect(&common::var("FELTSENSE_DATABASE_URL"));
    let writes = [
        "UPDATE checkins SET sealed = ''::bytea WHERE person = $1",
        "DELETE FROM checkins WHERE person = $1",
        "UPDATE people SET version = version + 1 WHERE id = $1",
        "DELETE FROM safety_plans WHERE person = $1",
        "UPDATE grants SET revoked_at = NULL, scopes = '{journal}' WHERE person = $1",
    ];
    for sql in writes {
        let changed = block(async {
            client.batch_execute("BEGIN").await.unwrap();
            client
                .execute(
                    "SELECT set_config('feltsense.tenant', $1, true), set_config('feltsense.reader', $2, true)",
                    &[&tenant.to_string(), &clinician.account.to_string()],
                )
                .await
                .unwrap();
            let n = client.execute(sql, &[&person]).await;
            client.batch_execute("ROLLBACK").await.unwrap();
            n
        });
        assert!(matches!(changed, Ok(0) | Err(_)), "{sql}: {changed:?}");
    }
    let inserted = block(async {
        client.batch_execute("BEGIN").await.unwrap();
        client
            .execute(
                "SELECT set_config('feltsense.tenant', $1, true), set_config('feltsense.reader', $2, true)",
                &[&tenant.to_string(), &clinician.account.to_string()],
            )
            .await
            .unwrap();
        let n = client
            .execute(
                "INSERT INTO checkins (tenant, person, id, at, sealed) VALUES ($1, $2, 'x', now(), ''::bytea)",
                &[&tenant, &person],
            )
            .await;
        client.batch_execute("ROLLBACK").await.unwrap();
        n
    });
    assert!(inserted.is_err(), "{inserted:?}");
}

#[test]
fn grants_are_listed_for_the_person_and_the_grantee_and_can_change() {
    let (tenant, person, clinician) = person_and_clinician();
    let g = grant(
        tenant,
        person,
        &draft(clinician.account, &[Scope::CheckIns]),
    );
    let change = GrantChange {
        scopes: Some(vec![Scope::Questionnaires, Scope::CheckIns]),
        ends_at: Some(Some(Utc::now() + Duration::days(30))),
        purpose: Some("  monthly review ".into()),
        ..GrantChange::default()
    };
    let changed = block(grants::change(&db().app, tenant, person, g.id, &change)).unwrap();
    assert_eq!(changed.scopes, [Scope::CheckIns, Scope::Questionnaires]);
    assert_eq!(changed.purpose, "monthly review");
    assert_eq!(
        block(grants::for_person(&db().app, tenant, person)).unwrap(),
        std::slice::from_ref(&changed)
    );
    let theirs = block(grants::for_grantee(&db().app, tenant, clinician.account)).unwrap();
    assert_eq!(theirs, [changed]);
    let other = block(grants::for_grantee(&db().app, tenant, Uuid::now_v7())).unwrap();
    assert!(other.is_empty());
}

#[test]
fn a_grant_with_bad_fields_is_refused_naming_the_field() {
    let (tenant, person, clinician) = person_and_clinician();
    let mut no_purpose = draft(clinician.account, &[Scope::CheckIns]);
    no_purpose.purpose = "   ".into();
    let mut backwards = draft(clinician.account, &[Scope::CheckIns]);
    backwards.ends_at = Some(backwards.starts_at - Duration::hours(1));
    let to_self = draft(person, &[Scope::CheckIns]);
    for (d, field) in [
        (no_purpose, "purpose"),
        (backwards, "ends_at"),
        (to_self, "grantee"),
    ] {
        let e = block(grants::create(&db().app, tenant, person, &d)).unwrap_err();
        assert!(
            matches!(e, SharingError::Invalid { field: f, .. } if f == field),
            "{e}"
        );
    }
    assert!(block(grants::for_person(&db().app, tenant, person))
        .unwrap()
        .is_empty());
    let missing = block(grants::revoke(&db().app, tenant, person, Uuid::now_v7()));
    assert!(matches!(missing, Err(SharingError::NoGrant(_))));
}

/// The page read: every kind shared, in one transaction with one event per
/// kind read (all under one request), check-ins only from `since` (the
/// older ones never leave the database); nothing shared: one refused event.
#[test]
fn a_page_is_one_read_of_every_kind_shared_with_one_event_each() {
    use feltsense_server::sharing::view::{Since, REFUSED_PAGE};
    let (tenant, person, clinician) = person_and_clinician();
    let v = view(clinician, person);
    refused(block(v.page(Since::default())));
    let scopes = [Scope::CheckIns, Scope::Questionnaires, Scope::SafetyPlan];
    grant(tenant, person, &draft(clinician.account, &scopes));
    let between = chrono::DateTime::parse_from_rfc3339("2026-03-01T20:00:00+00:00").unwrap();
    let since = Since {
        checkins: Some(between.to_utc()),
        report: None,
    };
    let read = block(v.page(since)).unwrap();
    let ids: Vec<_> = read.checkins.unwrap().into_iter().map(|c| c.id).collect();
    assert_eq!(ids, ["c2"], "only the period's check-ins");
    assert_eq!(read.questionnaires.unwrap().len(), 1);
    let plan = read.safety_plan.unwrap().unwrap();
    assert_eq!(plan.warning_signs, "warning-sign-sleepless");
    assert!(
        read.bridges.is_none() && read.journal.is_none(),
        "not shared"
    );
    let looks = block(audit::who_saw_what(&db().app, tenant, person)).unwrap();
    let mut seen: Vec<(&str, bool)> = looks.iter().map(|l| (l.what.as_str(), l.refused)).collect();
    seen.sort_unstable();
    let expected = [
        ("check-ins, calendar and insights", false),
        ("questionnaires", false),
        ("safety plan", false),
        (REFUSED_PAGE, true),
    ];
    assert_eq!(seen, expected);
    let sentence = looks.iter().find(|l| l.refused).unwrap().sentence("Dr Lee");
    assert!(
        sentence.contains("tried to see your shared data"),
        "{sentence}"
    );
}
