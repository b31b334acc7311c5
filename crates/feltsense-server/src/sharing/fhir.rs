//! FHIR R4 exports: the audit trail as a `Bundle` (type `collection`) of
//! `AuditEvent` resources, and grants as `Consent` resources (in a
//! `Bundle` of their own). People appear only by their audit pseudonym
//! (an identifier in the `urn:feltsense:pseudonym` system), never by id.

use super::audit::{self, Event};
use super::grants::{self, Grant};
use super::{every_chain, SharingError};
use chrono::{DateTime, SecondsFormat, Utc};
use deadpool_postgres::Pool;
use serde_json::{json, Value};
use uuid::Uuid;

const PSEUDONYM: &str = "urn:feltsense:pseudonym";
const ACCOUNT: &str = "urn:feltsense:account";
const DATA_CLASS: &str = "urn:feltsense:data-class";

fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn by_identifier(system: &str, value: impl ToString, display: Option<&str>) -> Value {
    let mut r = json!({ "identifier": { "system": system, "value": value.to_string() } });
    if let Some(d) = display {
        r["display"] = json!(d);
    }
    r
}

/// A `Bundle` of type `collection` holding `resources`.
pub fn bundle(resources: Vec<Value>, at: DateTime<Utc>) -> Value {
    let entry: Vec<Value> = resources
        .into_iter()
        .map(|r| {
            let url = format!("urn:uuid:{}", r["id"].as_str().unwrap_or_default());
            json!({ "fullUrl": url, "resource": r })
        })
        .collect();
    json!({
        "resourceType": "Bundle",
        "id": Uuid::now_v7().to_string(),
        "type": "collection",
        "timestamp": instant(at),
        "entry": entry,
    })
}

/// One audit event as an R4 `AuditEvent`.
pub fn audit_event(e: &Event) -> Value {
    let refused = e.outcome == "refused";
    let purpose = match &e.emergency {
        Some(reason) => {
            json!([{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "ETREAT", "display": "Emergency Treatment" }], "text": reason }])
        }
        None => {
            json!([{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT", "display": "treatment" }] }])
        }
    };
    let mut entity = json!({
        "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "2", "display": "System Object" },
        "description": e.what,
    });
    if let Some(p) = e.subject {
        entity["what"] = by_identifier(PSEUDONYM, p, None);
    }
    if let Some(g) = e.grant {
        entity["detail"] = json!([{ "type": "grant", "valueString": g.to_string() }]);
    }
    json!({
        "resourceType": "AuditEvent",
        "id": event_id(e),
        "type": { "system": "http://dicom.nema.org/resources/ontology/DCM", "code": "110110", "display": "Patient Record" },
        "subtype": [{ "system": "urn:feltsense:audit-action", "code": e.action }],
        "action": if e.action == "read" { "R" } else { "E" },
        "recorded": instant(e.at),
        "outcome": if refused { "4" } else { "0" },
        "outcomeDesc": if refused { "refused: not shared with this reader" } else { "allowed" },
        "purposeOfEvent": purpose,
        "agent": [{
            "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP", "display": "information recipient" }] },
            "role": [{ "text": e.role }],
            "who": by_identifier(ACCOUNT, e.actor, None),
            "requestor": true,
            "network": { "address": e.address, "type": "2" },
        }],
        "source": {
            "site": e.chain,
            "observer": { "display": "feltsense server" },
            "type": [{ "system": "http://terminology.hl7.org/CodeSystem/security-source-type", "code": "4", "display": "Application Server" }],
        },
        "entity": [entity],
        "extension": [{ "url": "urn:feltsense:audit-chain", "valueString": format!("{}#{} request {} hash {}", e.chain, e.position, e.request, hex(&e.hash)) }],
    })
}

/// A stable id for event `e`: its chain and position, as a UUID-shaped
/// name (FHIR ids are at most 64 of `[A-Za-z0-9.-]`).
fn event_id(e: &Event) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{}#{}", e.chain, e.position));
    uuid::Builder::from_random_bytes(digest[..16].try_into().expect("16 bytes"))
        .into_uuid()
        .to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One grant as an R4 `Consent`; `pseudonym` names the person.
pub fn consent(g: &Grant, pseudonym: Option<Uuid>, now: DateTime<Utc>) -> Value {
    let patient = by_identifier(
        PSEUDONYM,
        pseudonym.map_or("unknown".into(), |p| p.to_string()),
        None,
    );
    let mut period = json!({ "start": instant(g.starts_at) });
    if let Some(end) = g.revoked_at.into_iter().chain(g.ends_at).min() {
        period["end"] = json!(instant(end));
    }
    let classes: Vec<Value> = g
        .scopes
        .iter()
        .map(|s| json!({ "system": DATA_CLASS, "code": s.name(), "display": s.words() }))
        .collect();
    json!({
        "resourceType": "Consent",
        "id": g.id.to_string(),
        "status": if g.active_at(now) || g.starts_at > now && g.revoked_at.is_none() { "active" } else { "inactive" },
        "scope": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy", "display": "Privacy Consent" }] },
        "category": [{ "coding": [{ "system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent" }] }],
        "patient": patient.clone(),
        "dateTime": instant(g.created_at),
        "performer": [patient],
        "policyRule": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN", "display": "opt-in" }] },
        "provision": {
            "type": "permit",
            "period": period,
            "actor": [{
                "role": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP", "display": "information recipient" }], "text": g.grantee_kind.name() },
                "reference": by_identifier(ACCOUNT, g.grantee, None),
            }],
            "action": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/consentaction", "code": "access" }] }],
            "purpose": [{ "system": "urn:feltsense:grant-purpose", "code": "stated", "display": g.purpose }],
            "class": classes,
        },
    })
}

/// Every audit event of every clinic recorded at or after `since`, as a
/// `Bundle` of `AuditEvent`s, in chain order.
pub async fn audit_export(
    pool: &Pool,
    since: Option<DateTime<Utc>>,
) -> Result<Value, SharingError> {
    let mut client = pool.get().await?;
    let tx = every_chain(&mut client).await?;
    let since = since.unwrap_or(DateTime::<Utc>::MIN_UTC);
    let sql = format!(
        "SELECT {} FROM audit_events WHERE at >= $1 ORDER BY at, chain, position",
        audit::COLUMNS
    );
    let rows = tx.query(&sql, &[&since]).await?;
    tx.commit().await?;
    let events = rows
        .iter()
        .map(audit::from_row)
        .map(|e| audit_event(&e))
        .collect();
    Ok(bundle(events, Utc::now()))
}

/// Every grant of every clinic as a `Bundle` of `Consent`s.
pub async fn consent_export(pool: &Pool) -> Result<Value, SharingError> {
    let mut client = pool.get().await?;
    let tx = every_chain(&mut client).await?;
    let sql = format!(
        "SELECT {}, (SELECT p.pseudonym FROM audit_pseudonyms p
                    WHERE p.tenant = g.tenant AND p.person = g.person)
         FROM grants g ORDER BY created_at, id",
        grants::COLUMNS
    );
    let rows = tx.query(&sql, &[]).await?;
    tx.commit().await?;
    let now = Utc::now();
    let consents = rows
        .iter()
        .map(|r| consent(&grants::from_row(r), r.get(13), now))
        .collect();
    Ok(bundle(consents, now))
}
