//! The FHIR R4 exports: every element the R4 spec makes required (1..1,
//! 1..*) is present with a value of its type, and people appear only by
//! their pseudonym.

mod common;

use chrono::{Duration, Utc};
use common::{db, fresh_person, open, populate};
use feltsense_server::sharing::{
    fhir, grants, GrantDraft, GranteeKind, JournalSharing, Reader, RequestMeta, Role, Scope,
    SharedView,
};
use serde_json::Value;
use uuid::Uuid;

fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    db().runtime.block_on(f)
}

fn text(v: &Value, path: &str) -> String {
    let mut at = v;
    for key in path.split('.') {
        at = match key.parse::<usize>() {
            Ok(i) => &at[i],
            Err(_) => &at[key],
        };
    }
    at.as_str()
        .unwrap_or_else(|| panic!("{path} is not a string in {v:#}"))
        .to_string()
}

/// A person who shared check-ins; the clinician read them once and was
/// refused the journal once. Returns the person and the grant.
fn shared_and_read() -> (Uuid, Uuid, grants::Grant) {
    let (tenant, person) = fresh_person();
    populate(&mut open(tenant, person));
    let clinician = Reader {
        tenant,
        account: common::account(tenant),
        role: Role::Clinician,
    };
    let draft = GrantDraft {
        grantee: clinician.account,
        grantee_kind: GranteeKind::Clinician,
        scopes: vec![Scope::CheckIns, Scope::Questionnaires],
        journal: JournalSharing::Off,
        starts_at: Utc::now() - Duration::minutes(1),
        ends_at: Some(Utc::now() + Duration::days(90)),
        purpose: "weekly sessions".into(),
    };
    let grant = block(grants::create(&db().app, tenant, person, &draft)).unwrap();
    let meta = RequestMeta {
        address: "192.0.2.8".into(),
        request_id: "fhir-1".into(),
    };
    let view = SharedView::new(&db().app, &db().key, clinician, person, meta);
    block(view.checkins()).unwrap();
    assert!(block(view.journal()).is_err());
    (tenant, person, grant)
}

fn assert_collection(bundle: &Value) {
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    assert!(bundle["entry"].is_array());
}

#[test]
fn the_audit_trail_exports_as_audit_events_with_every_required_element() {
    let since = Utc::now() - Duration::seconds(1);
    let (_, person, grant) = shared_and_read();
    let bundle = block(fhir::audit_export(&db().app, Some(since))).unwrap();
    assert_collection(&bundle);
    let ours: Vec<&Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| {
            r["entity"][0]["detail"][0]["valueString"] == grant.id.to_string()
                || r["outcome"] == "4"
        })
        .collect();
    assert!(ours.len() >= 2, "{bundle:#}");
    for r in &ours {
        assert_eq!(r["resourceType"], "AuditEvent");
        // R4 AuditEvent: type 1..1, recorded 1..1, agent 1..*, each with
        // requestor 1..1; source 1..1 with observer 1..1.
        assert!(!text(r, "type.code").is_empty());
        let recorded = text(r, "recorded");
        assert!(
            chrono::DateTime::parse_from_rfc3339(&recorded).is_ok(),
            "{recorded}"
        );
        assert!(r["agent"][0]["requestor"].is_boolean());
        assert!(r["source"]["observer"].is_object());
        assert!(["0", "4", "8", "12"].contains(&text(r, "outcome").as_str()));
        assert!(["C", "R", "U", "D", "E"].contains(&text(r, "action").as_str()));
        assert!(
            !r.to_string().contains(&person.to_string()),
            "the person's id leaked"
        );
    }
    assert!(ours.iter().any(|r| r["outcome"] == "0"));
    assert!(ours.iter().any(|r| r["outcome"] == "4"));
}

#[test]
fn an_export_since_a_later_date_leaves_the_earlier_events_out() {
    shared_and_read();
    let later = Utc::now() + Duration::hours(1);
    let bundle = block(fhir::audit_export(&db().app, Some(later))).unwrap();
    assert_eq!(bundle["entry"].as_array().unwrap().len(), 0);
}

#[test]
fn grants_export_as_consents_with_every_required_element() {
    let (_, person, grant) = shared_and_read();
    let bundle = block(fhir::consent_export(&db().app)).unwrap();
    assert_collection(&bundle);
    let consent = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .find(|r| r["id"] == grant.id.to_string())
        .expect("the grant is exported");
    assert_eq!(consent["resourceType"], "Consent");
    // R4 Consent: status 1..1, scope 1..1, category 1..*; ppc-1 policy or
    // policyRule; ppc-2 a privacy consent has a patient.
    assert_eq!(consent["status"], "active");
    assert_eq!(text(consent, "scope.coding.0.code"), "patient-privacy");
    assert!(!text(consent, "category.0.coding.0.code").is_empty());
    assert!(consent["policyRule"].is_object());
    assert_eq!(
        text(consent, "patient.identifier.system"),
        "urn:feltsense:pseudonym"
    );
    assert_ne!(
        text(consent, "patient.identifier.value"),
        person.to_string()
    );
    assert_eq!(consent["performer"][0], consent["patient"]);
    let provision = &consent["provision"];
    assert_eq!(provision["type"], "permit");
    assert!(provision["period"]["end"].is_string());
    assert_eq!(
        text(provision, "actor.0.reference.identifier.value"),
        grant.grantee.to_string()
    );
    assert!(
        provision["actor"][0]["role"].is_object(),
        "actor.role is 1..1"
    );
    let classes: Vec<String> = provision["class"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| text(c, "code"))
        .collect();
    assert_eq!(classes, ["checkins", "questionnaires"]);
}

#[test]
fn a_revoked_grant_exports_as_an_inactive_consent_ending_when_revoked() {
    let (tenant, person, grant) = shared_and_read();
    let revoked = block(grants::revoke(&db().app, tenant, person, grant.id)).unwrap();
    let consent = fhir::consent(&revoked, None, Utc::now());
    assert_eq!(consent["status"], "inactive");
    let end = text(&consent, "provision.period.end");
    let end = chrono::DateTime::parse_from_rfc3339(&end).unwrap();
    assert_eq!(end, revoked.revoked_at.unwrap());
}
