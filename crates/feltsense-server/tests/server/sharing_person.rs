//! The person's sharing pages through the HTTP router: sharing with a
//! clinician found by name or by code and with a trusted person by code
//! (a wrong code refused and counted), changing, revoking (the reader's
//! next read refused), journal entries one by one, who saw what, the
//! emergency notice, CSRF and bad input.

use crate::people::*;
use crate::support::*;
use axum::http::StatusCode;
use feltsense_server::accounts::Role;
use feltsense_server::sharing::{self, Reader, SharedView, SharingError};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_shares_with_a_clinician_found_by_name_and_by_code_and_sees_only_their_clinics_clinicians(
) {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (ada, other, friend) = (unique("Dr Ada"), unique("Dr Other"), unique("Robin"));
    let clinician = Browser::new();
    let clinician_id = account(&on, &clinician, tenant, Role::Clinician, &ada).await;
    account(
        &on,
        &Browser::new(),
        Uuid::now_v7(),
        Role::Clinician,
        &other,
    )
    .await;
    account(&on, &Browser::new(), tenant, Role::Person, &friend).await;
    let person = Browser::new();
    account(&on, &person, tenant, Role::Person, &unique("Kim")).await;

    let form = person.get(&on, "/sharing/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(&ada), "{}", form.body);
    assert!(
        !form.body.contains(&other),
        "another clinic's clinician is listed"
    );
    assert!(!form.body.contains(&friend), "a person is listed by name");

    let by_name = share(
        &on,
        &person,
        &[
            ("clinician", &clinician_id.to_string()),
            ("scope", "checkins"),
            ("journal", "off"),
            ("purpose", "weekly sessions"),
        ],
    )
    .await;
    let first = made(&by_name);
    let list = person.get(&on, by_name.location()).await;
    assert!(
        list.body
            .contains(&format!("Saved: {ada} sees what you chose")),
        "{}",
        list.body
    );
    assert!(list.body.contains("feltsense does not alert anyone"));
    assert!(list.body.contains("weekly sessions") && list.body.contains("shared now"));
    let emergency_numbers = "call your local emergency number (112 in most of Europe";
    assert!(
        list.body.contains(emergency_numbers),
        "no country chosen yet"
    );
    let csrf = person.csrf(&on).await;
    let country = [
        ("csrf", csrf.as_str()),
        ("country", "GB"),
        ("back", "/settings"),
    ];
    assert!(person
        .post(&on, "/settings/country", &country)
        .await
        .status
        .is_redirection());
    let list = person.get(&on, "/sharing").await;
    assert!(list.body.contains("href=\"tel:116123\""), "{}", list.body);

    let code = code_of(&on, &clinician).await;
    let by_code = share(
        &on,
        &person,
        &[
            ("code", &code),
            ("scope", "questionnaires"),
            ("journal", "off"),
        ],
    )
    .await;
    let second = made(&by_code);
    let grants = grants_of(&on, &person).await;
    let kinds: Vec<_> = grants
        .iter()
        .map(|g| (g.id, g.grantee, g.grantee_kind))
        .collect();
    assert!(kinds.contains(&(first, clinician_id, sharing::GranteeKind::Clinician)));
    assert!(kinds.contains(&(second, clinician_id, sharing::GranteeKind::Clinician)));
    let second = grants.iter().find(|g| g.id == second).unwrap();
    assert_eq!(second.scopes, vec![sharing::Scope::Questionnaires]);
    assert_eq!(second.purpose, "not said");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_person_is_found_only_by_their_code_and_wrong_codes_are_counted_then_rest() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (a, b) = (Browser::new(), Browser::new());
    let a_id = account(&on, &a, tenant, Role::Person, &unique("Alex")).await;
    let b_id = account(&on, &b, tenant, Role::Person, &unique("Bo")).await;
    let code = code_of(&on, &b).await;
    assert_eq!(code, code_of(&on, &b).await, "the code stays until renewed");

    let shared = share(
        &on,
        &a,
        &[
            ("code", &code),
            ("scope", "checkins"),
            ("journal", "marked"),
        ],
    )
    .await;
    let grant = made(&shared);
    let grants = grants_of(&on, &a).await;
    let grant = grants.iter().find(|g| g.id == grant).unwrap();
    assert_eq!(
        (grant.grantee, grant.grantee_kind),
        (b_id, sharing::GranteeKind::TrustedPerson)
    );

    for n in 0..5 {
        let wrong = share(
            &on,
            &a,
            &[
                ("code", "ABCDE-23456"),
                ("scope", "checkins"),
                ("purpose", "kept words"),
            ],
        )
        .await;
        assert_eq!(
            wrong.status,
            StatusCode::BAD_REQUEST,
            "try {n}: {}",
            wrong.body
        );
        assert!(wrong.body.contains("no one here has that code"));
        assert!(
            wrong.body.contains("value=\"kept words\"")
                && wrong.body.contains("value=\"ABCDE-23456\"")
        );
    }
    let rested = share(&on, &a, &[("code", &code), ("scope", "checkins")]).await;
    assert_eq!(
        rested.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        rested.body
    );
    let counted: i64 = database()
        .await
        .query_one(
            "SELECT count(*) FROM login_attempts WHERE key = $1",
            &[&format!("sharing-code:{a_id}")],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(counted, 5);
    assert_eq!(grants_of(&on, &a).await.len(), 1, "nothing more was shared");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewed_code_finds_them_and_the_old_one_finds_nobody() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (a, b) = (Browser::new(), Browser::new());
    account(&on, &a, tenant, Role::Person, &unique("Ari")).await;
    account(&on, &b, tenant, Role::Person, &unique("Bea")).await;
    let old = code_of(&on, &b).await;
    let csrf = b.csrf(&on).await;
    let renewed = b
        .post(&on, "/account/sharing-code/renew", &[("csrf", &csrf)])
        .await;
    assert_eq!(renewed.location(), "/account/sharing-code?renewed");
    let new = code_of(&on, &b).await;
    assert_ne!(old, new);
    let refused = share(&on, &a, &[("code", &old), ("scope", "checkins")]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    made(&share(&on, &a, &[("code", &new), ("scope", "checkins")]).await);
    let stale = b
        .post(&on, "/account/sharing-code/renew", &[("csrf", "not it")])
        .await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    // A person's own code does not share with themselves.
    let own = share(&on, &b, &[("code", &new), ("scope", "checkins")]).await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_and_a_revocation_hold_from_the_readers_next_read_and_every_look_is_listed() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let ada = unique("Dr Ada");
    let clinician_id = account(&on, &Browser::new(), tenant, Role::Clinician, &ada).await;
    let person = Browser::new();
    let person_id = account(&on, &person, tenant, Role::Person, &unique("Kim")).await;
    check_in(&on, &person, "a quiet day").await;
    let grant = made(
        &share(
            &on,
            &person,
            &[
                ("clinician", &clinician_id.to_string()),
                ("scope", "checkins"),
            ],
        )
        .await,
    );
    let key = key();
    let reader = Reader {
        tenant,
        account: clinician_id,
        role: sharing::Role::Clinician,
    };
    let pool = on.server.accounts.pool();
    let view = || SharedView::new(pool, &key, reader, person_id, request());
    assert_eq!(view().checkins().await.unwrap().len(), 1);

    let csrf = person.csrf(&on).await;
    let page = person.get(&on, &format!("/sharing/{grant}")).await;
    assert!(
        page.body.contains("checked") && page.body.contains(&format!("What you share with {ada}"))
    );
    let change = [
        ("csrf", csrf.as_str()),
        ("scope", "questionnaires"),
        ("journal", "off"),
        ("until", "2999-12-31"),
    ];
    let changed = person
        .post(&on, &format!("/sharing/{grant}"), &change)
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert!(matches!(
        view().checkins().await,
        Err(SharingError::Refused)
    ));
    assert!(view().questionnaires().await.is_ok());

    let revoke = format!("/sharing/{grant}/revoke");
    let asked = person.post(&on, &revoke, &[("csrf", &csrf)]).await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.body.contains(&format!("Stop sharing with {ada}?")));
    assert!(
        view().questionnaires().await.is_ok(),
        "asking once more revokes nothing"
    );
    let done = person
        .post(&on, &revoke, &[("csrf", &csrf), ("confirm", "revoke")])
        .await;
    assert_eq!(done.location(), format!("/sharing?revoked={grant}"));
    assert!(matches!(
        view().questionnaires().await,
        Err(SharingError::Refused)
    ));
    let list = person.get(&on, done.location()).await;
    assert!(
        list.body
            .contains(&format!("You stopped sharing with {ada}"))
            && list.body.contains("revoked")
    );

    let looks = person.get(&on, "/sharing/looks").await;
    assert_eq!(looks.status, StatusCode::OK);
    let saw = format!("{ada} (clinician) saw your check-ins, calendar and insights, under what you share with them since");
    assert!(looks.body.contains(&saw), "{}", looks.body);
    assert!(looks.body.contains(&format!(
        "{ada} (clinician) tried to open your questionnaires"
    )));
    let newest_first = looks
        .body
        .find("tried to open your questionnaires")
        .unwrap()
        < looks.body.find(&saw).unwrap();
    assert!(newest_first);
    let after = person
        .post(&on, &format!("/sharing/{grant}"), &change)
        .await;
    assert_eq!(
        after.status,
        StatusCode::CONFLICT,
        "a revoked grant does not change"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journal_entries_are_shared_one_by_one_or_as_marked() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (clinician_id, person, person_id) = clinician_and_person(&on, tenant, "Dr Lee").await;
    let first = write(&on, &person, "The first entry, about the morning walk").await;
    let second = write(&on, &person, "The second entry, about nothing much at all").await;
    let grant = made(
        &share(
            &on,
            &person,
            &[
                ("clinician", &clinician_id.to_string()),
                ("journal", "chosen"),
            ],
        )
        .await,
    );
    let path = format!("/sharing/{grant}/entries");
    let page = person.get(&on, &path).await;
    assert_eq!(page.status, StatusCode::OK);
    let (at_first, at_second) = (
        page.body.find("morning walk").unwrap(),
        page.body.find("nothing much").unwrap(),
    );
    assert!(at_second < at_first, "newest first");
    let csrf = person.csrf(&on).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("page", "1"),
        ("shown", &first),
        ("shown", &second),
        ("share", &first),
        ("share", "not-an-entry"),
    ];
    let saved = person.post(&on, &path, &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let key = key();
    let reader = Reader {
        tenant,
        account: clinician_id,
        role: sharing::Role::Clinician,
    };
    let pool = on.server.accounts.pool();
    let view = || SharedView::new(pool, &key, reader, person_id, request());
    let seen: Vec<String> = view()
        .journal()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(seen, vec![first.clone()]);
    assert!(
        view().checkins().await.is_err(),
        "only the journal is shared"
    );

    let change = [("csrf", csrf.as_str()), ("journal", "marked")];
    person
        .post(&on, &format!("/sharing/{grant}"), &change)
        .await;
    let mark = [
        ("csrf", csrf.as_str()),
        ("page", "1"),
        ("shown", &first),
        ("shown", &second),
        ("share", &second),
    ];
    person.post(&on, &path, &mark).await;
    let seen: Vec<String> = view()
        .journal()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(seen, vec![second.clone()]);
    let page = person.get(&on, &path).await;
    assert!(page.body.contains("marked as shared"), "{}", page.body);
}
