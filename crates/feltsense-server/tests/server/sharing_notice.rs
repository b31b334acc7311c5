//! The emergency notice on the person's side, and the sharing form's
//! refusals: a missing token, bad input named by its field.

use crate::people::{
    account, clinician_and_person, grants_of, made, request, share, unique, write,
};
use crate::support::*;
use axum::http::StatusCode;
use feltsense_server::accounts::Role;
use feltsense_server::sharing::{self, emergency, Reader};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_access_is_told_once_before_the_app_and_then_not() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let admin_id = account(&on, &Browser::new(), tenant, Role::Admin, &unique("Admin")).await;
    let person = Browser::new();
    let person_id = account(&on, &person, tenant, Role::Person, &unique("Kim")).await;
    let page = |path: &str| {
        person
            .request("GET", path)
            .header("accept", "text/html")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    assert_eq!(
        person.send(&on, page("/journal")).await.status,
        StatusCode::OK
    );
    let admin = Reader {
        tenant,
        account: admin_id,
        role: sharing::Role::Admin,
    };
    let pool = on.server.accounts.pool();
    emergency::open(
        pool,
        &admin,
        person_id,
        "no answer after a worrying message",
        chrono::Duration::hours(1),
        &request(),
    )
    .await
    .unwrap();

    let first = person.send(&on, page("/journal?x=1")).await;
    assert_eq!(first.location(), "/sharing/notice?next=/journal%3Fx%3D1");
    let notice = person.get(&on, first.location()).await;
    assert!(
        notice
            .body
            .contains("because: “no answer after a worrying message”"),
        "{}",
        notice.body
    );
    let csrf = notice.field("csrf");
    let id = notice.field("emergency");
    let next = notice.field("next");
    assert_eq!(next, "/journal?x=1");
    let script = person
        .send(
            &on,
            person
                .request("GET", "/export.json")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        script.status,
        StatusCode::OK,
        "only pages a browser opens wait for the notice"
    );
    let seen = person
        .post(
            &on,
            "/sharing/notice/seen",
            &[("csrf", &csrf), ("emergency", &id), ("next", &next)],
        )
        .await;
    assert_eq!(seen.location(), "/journal?x=1");
    assert_eq!(
        person.send(&on, page("/journal")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        person.get(&on, "/sharing/notice").await.location(),
        "/checkin"
    );
    let looks = person.get(&on, "/sharing/looks").await;
    assert!(looks
        .body
        .contains("opened emergency access to your data, giving the reason"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_without_its_token_or_with_bad_input_shares_nothing_and_says_which_field() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let clinician = Browser::new();
    let clinician_id = account(&on, &clinician, tenant, Role::Clinician, &unique("Dr Sol")).await;
    let person = Browser::new();
    account(&on, &person, tenant, Role::Person, &unique("Kim")).await;
    let to = clinician_id.to_string();
    let stale = person
        .post(
            &on,
            "/sharing/new",
            &[("csrf", "old"), ("clinician", &to), ("scope", "checkins")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    let cases: [(&[(&str, &str)], &str); 6] = [
        (
            &[("clinician", &to), ("purpose", "typed words")],
            "scope: choose at least one kind",
        ),
        (
            &[
                ("clinician", &to),
                ("scope", "checkins"),
                ("from", "tomorrow"),
            ],
            "from: “tomorrow” is not a date",
        ),
        (
            &[
                ("clinician", &to),
                ("scope", "checkins"),
                ("until", "2001-01-01"),
            ],
            "until: the last day of sharing must be",
        ),
        (
            &[("scope", "checkins")],
            "clinician: choose a clinician, or type the code",
        ),
        (
            &[("clinician", &to), ("code", "ABC"), ("scope", "checkins")],
            "code: choose a clinician or type a code, not both",
        ),
        (
            &[
                ("clinician", &Uuid::now_v7().to_string()),
                ("scope", "checkins"),
            ],
            "clinician: choose one of the clinicians listed",
        ),
    ];
    for (fields, says) in cases {
        let reply = share(&on, &person, fields).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{says}");
        assert!(
            reply.body.contains(&says.replacen(": ", "</a>: ", 1)),
            "{says}: {}",
            reply.body
        );
    }
    let kept = share(
        &on,
        &person,
        &[
            ("clinician", &to),
            ("purpose", "typed words"),
            ("journal", "chosen"),
            ("from", "nope"),
        ],
    )
    .await;
    assert!(
        kept.body.contains("value=\"typed words\"")
            && kept.body.contains("value=\"chosen\" checked")
    );
    assert!(grants_of(&on, &person).await.is_empty());
    let staff = clinician.get(&on, "/sharing").await;
    assert_eq!(staff.status, StatusCode::FORBIDDEN);
    assert_eq!(
        clinician.get(&on, "/account/sharing-code").await.status,
        StatusCode::OK
    );
    assert_eq!(
        person.get(&on, "/sharing/not-a-grant").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_is_shared_from_its_own_page_with_each_grant_that_takes_entries() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let lee = unique("Dr Lee");
    let clinician_id = account(&on, &Browser::new(), tenant, Role::Clinician, &lee).await;
    let friend = Browser::new();
    let friend_id = account(&on, &friend, tenant, Role::Person, &unique("Robin")).await;
    let person = Browser::new();
    let person_id = account(&on, &person, tenant, Role::Person, &unique("Kim")).await;
    let entry = write(&on, &person, "An entry about the long afternoon").await;
    let alone = person.get(&on, &format!("/sharing/entry/{entry}")).await;
    assert!(
        alone.body.contains("this entry is yours alone"),
        "{}",
        alone.body
    );
    let journal_page = person.get(&on, &format!("/journal/{entry}")).await;
    assert!(journal_page
        .body
        .contains(&format!("href=\"/sharing/entry/{entry}\"")));

    let to = clinician_id.to_string();
    let chosen = made(&share(&on, &person, &[("clinician", &to), ("journal", "chosen")]).await);
    let code = friend_code(&on, &friend).await;
    made(&share(&on, &person, &[("code", &code), ("journal", "marked")]).await);
    let page = person.get(&on, &format!("/sharing/entry/{entry}")).await;
    assert!(
        page.body.contains(&format!("Share with {lee}")),
        "{}",
        page.body
    );
    assert!(page.body.contains("Mark as shared"));
    let csrf = person.csrf(&on).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("shown", &chosen.to_string()),
        ("grant", &chosen.to_string()),
        ("mark_shown", "1"),
    ];
    let saved = person
        .post(&on, &format!("/sharing/entry/{entry}"), &form)
        .await;
    assert_eq!(saved.location(), format!("/journal/{entry}"));
    let key = &crate::people::key();
    let pool = on.server.accounts.pool();
    let read = |account, role| async move {
        let reader = Reader {
            tenant,
            account,
            role,
        };
        let view = sharing::SharedView::new(pool, key, reader, person_id, request());
        view.journal().await.unwrap().len()
    };
    assert_eq!(
        read(clinician_id, sharing::Role::Clinician).await,
        1,
        "shared with the clinician's grant"
    );
    assert_eq!(
        read(friend_id, sharing::Role::TrustedPerson).await,
        0,
        "not marked, so not the friend's"
    );
    let missing = person.get(&on, "/sharing/entry/not-an-entry").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let other = friend.get(&on, &format!("/sharing/entry/{entry}")).await;
    assert_eq!(
        other.status,
        StatusCode::NOT_FOUND,
        "another person's entry is not found"
    );
}

async fn friend_code(on: &Instance, browser: &Browser) -> String {
    let page = browser.get(on, "/account/sharing-code").await;
    let start = page.body.find("<code id=\"code\">").unwrap() + "<code id=\"code\">".len();
    page.body[start..start + 11].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_lists_of_entries_and_looks_come_a_page_at_a_time() {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let tenant = Uuid::now_v7();
    let (clinician_id, person, person_id) = clinician_and_person(&on, tenant, "Dr Pym").await;
    let oldest = write(&on, &person, "oldest-entry-words").await;
    for n in 0..20 {
        write(&on, &person, &format!("entry number {n}")).await;
    }
    let to = clinician_id.to_string();
    let grant = made(&share(&on, &person, &[("clinician", &to), ("journal", "chosen")]).await);
    let first = person.get(&on, &format!("/sharing/{grant}/entries")).await;
    assert!(!first.body.contains("oldest-entry-words") && first.body.contains("page=2\">Older"));
    let second = person
        .get(&on, &format!("/sharing/{grant}/entries?page=2"))
        .await;
    assert!(second.body.contains("oldest-entry-words") && second.body.contains(&oldest));
    assert!(second.body.contains("page=1\">Newer") && !second.body.contains("Older"));

    let key = crate::people::key();
    let reader = Reader {
        tenant,
        account: clinician_id,
        role: sharing::Role::Clinician,
    };
    for _ in 0..26 {
        let view = sharing::SharedView::new(
            on.server.accounts.pool(),
            &key,
            reader,
            person_id,
            request(),
        );
        view.journal().await.unwrap();
    }
    let looks = person.get(&on, "/sharing/looks").await;
    assert_eq!(
        looks
            .body
            .matches("saw your shared journal entries")
            .count(),
        25
    );
    let older = person.get(&on, "/sharing/looks?page=2").await;
    assert_eq!(
        older
            .body
            .matches("saw your shared journal entries")
            .count(),
        1
    );
    let nonsense = person.get(&on, "/sharing/looks?page=-3").await;
    assert_eq!(
        nonsense
            .body
            .matches("saw your shared journal entries")
            .count(),
        25
    );
}
