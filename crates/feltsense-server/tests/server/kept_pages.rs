//! The calendar and insights pages are kept as rendered per store version
//! (`feltsense_web`'s `kept_pages`): a check-in written through one
//! instance shows on the other's kept pages at once, and a person's kept
//! page never shows another person's data.

use crate::support::*;
use feltsense_server::accounts::Role;
use uuid::Uuid;

/// The count a page says: "… N check-ins …" after `before`.
fn count_after(body: &str, before: &str) -> usize {
    let start = body
        .find(before)
        .unwrap_or_else(|| panic!("{before}: {body}"))
        + before.len();
    let digits: String = body[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("{before}: {body}"))
}

/// How many check-ins the calendar says this year has.
fn this_year(body: &str) -> usize {
    let end = body
        .find(" this year, newest month first")
        .unwrap_or_else(|| panic!("the calendar's count: {body}"));
    let words = body[..end]
        .trim_end_matches("s")
        .trim_end_matches(" check-in");
    let digits = words.len() - words.chars().rev().take_while(char::is_ascii_digit).count();
    words[digits..].parse().unwrap_or_else(|_| panic!("{body}"))
}

async fn counts(on: &Instance, browser: &Browser) -> (usize, usize) {
    let calendar = browser.get(on, "/calendar").await.body;
    let insights = browser.get(on, "/insights").await.body;
    let window = match insights.contains("Nothing to show yet") {
        true => 0,
        false => count_after(&insights, "The last 28 days: "),
    };
    (this_year(&calendar), window)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_on_one_instance_shows_on_the_others_kept_pages() {
    let cluster = Cluster::new().await;
    let (one, two) = (cluster.instance(), cluster.instance());
    let tenant = Uuid::now_v7();
    let (browser, other) = (Browser::new(), Browser::new());
    invited(&one, &browser, tenant, Role::Person, &email("kept-a")).await;
    invited(&one, &other, tenant, Role::Person, &email("kept-b")).await;
    let csrf = browser.csrf(&one).await;
    for n in 1..=3 {
        let form = [("csrf", csrf.as_str()), ("feel", "calm"), ("int_calm", "3")];
        let writer = if n % 2 == 1 { &one } else { &two };
        let saved = browser.post(writer, "/checkin", &form).await;
        assert!(saved.status.is_redirection(), "{}", saved.body);
        for reader in [&two, &one, &two] {
            assert_eq!(counts(reader, &browser).await, (n, n), "after check-in {n}");
        }
        assert_eq!(
            counts(&two, &other).await,
            (0, 0),
            "nothing of A's on B's pages"
        );
    }
}

/// Check-ins and pages of one person at once, on two async workers: a
/// check-in letting go of the page snapshot must never wait for a page
/// that holds it over a store call (which waits for those same workers).
/// On a runtime of its own, so a stall fails the test instead of hanging.
#[test]
fn check_ins_and_pages_at_once_never_stall_the_workers() {
    let (done, answered) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        done.send(runtime.block_on(at_once())).unwrap();
    });
    let counts = answered
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("every request answered within two minutes");
    assert_eq!(counts, (100, 100));
}

/// 20 people's worth of check-ins (5 each) and 20 of pages, at once, for
/// one person; what the pages say after.
async fn at_once() -> (usize, usize) {
    let cluster = Cluster::new().await;
    let on = cluster.instance();
    let browser = Browser::new();
    invited(
        &on,
        &browser,
        Uuid::now_v7(),
        Role::Person,
        &email("at-once"),
    )
    .await;
    let csrf = browser.csrf(&on).await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..40 {
        let (on, browser, csrf) = (on.clone(), browser.clone(), csrf.clone());
        tasks.spawn(async move {
            for _ in 0..5 {
                if n % 2 == 0 {
                    let form = [("csrf", csrf.as_str()), ("feel", "calm"), ("int_calm", "3")];
                    assert!(browser
                        .post(&on, "/checkin", &form)
                        .await
                        .status
                        .is_redirection());
                } else {
                    let page = if n % 4 == 1 { "/calendar" } else { "/insights" };
                    assert!(browser.get(&on, page).await.status.is_success());
                }
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    counts(&on, &browser).await
}
