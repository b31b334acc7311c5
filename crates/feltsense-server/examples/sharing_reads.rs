//! Sharing's figures: a clinician with 50 people who share check-ins and
//! questionnaires (each with two months of check-ins and three PHQ-9s);
//! p99 of `caseload` and of one person's shared view (check-ins), that
//! view with and without its audit write side by side, audit events per
//! second from 8 readers at once, and a check-in write now that it also
//! recomputes the person's summaries. Then a person page of someone with
//! a year of check-ins (two a day, PHQ-9s, a safety plan): its one
//! transaction read ([`SharedView::page`]) with and without its audit
//! writes, and that read with the page's render, over everything shared
//! and over 90 days.
//!
//! ```text
//! eval "$(scripts/pg.sh start)"
//! cargo run --release -p feltsense-server --example sharing_reads -- 200
//! cargo run -p feltsense-server --example sharing_reads -- 100 person-page
//! scripts/pg.sh stop
//! ```

use chrono::{Duration as Days, Utc};
use feltsense_core::assessments::{Instrument, Response};
use feltsense_server::sharing::caseload::caseload;
use feltsense_server::sharing::{
    grants, GrantDraft, GranteeKind, JournalSharing, Reader, RequestMeta, Role, Scope, SharedView,
};
use feltsense_server::web::{page_html, Look, Period};
use feltsense_server::{db, people, PgStore, ServerKey};
use feltsense_store::conformance::sample;
use feltsense_store::Store;
use std::time::{Duration, Instant};
use uuid::Uuid;

type Error = Box<dyn std::error::Error>;

pub(crate) const PEOPLE: usize = 50;

fn main() -> Result<(), Error> {
    let rounds: usize = match std::env::args().nth(1) {
        Some(n) => n
            .parse()
            .map_err(|_| format!("the number of rounds '{n}' is not a number"))?,
        None => 200,
    };
    let runtime = tokio::runtime::Runtime::new()?;
    let key: &'static ServerKey = Box::leak(Box::new(ServerKey::generate()));
    let pool = runtime.block_on(migrated_pool(8))?;
    let tenant = Uuid::now_v7();
    let clinician = Reader {
        tenant,
        account: Uuid::now_v7(),
        role: Role::Clinician,
    };
    let people = populate(&runtime, &pool, key, &clinician)?;
    let meta = view_meta();
    // `sharing_reads ROUNDS person-page`: only the person page's figures.
    if std::env::args().nth(2).as_deref() == Some("person-page") {
        return person_page(&runtime, &pool, key, &clinician, rounds);
    }

    let list = time(rounds, || {
        runtime
            .block_on(caseload(&pool, key, &clinician, &meta))
            .map(|_| ())
    })?;
    report(&format!("caseload of {PEOPLE} people"), &list);
    let view = || SharedView::new(&pool, key, clinician, people[0], meta.clone());
    let with = time(rounds, || runtime.block_on(view().checkins()).map(|_| ()))?;
    let bare = view().without_audit_for_benchmark();
    let without = time(rounds, || runtime.block_on(bare.checkins()).map(|_| ()))?;
    report("one person's check-ins, with the audit write", &with);
    report("one person's check-ins, without it", &without);
    events_per_second(&runtime, &pool, key, clinician, &people, rounds)?;
    writes(&runtime, &pool, key, tenant, people[1], rounds)?;
    person_page(&runtime, &pool, key, &clinician, rounds)
}

/// A person with a year of check-ins (two a day), sharing check-ins,
/// questionnaires and their safety plan with `clinician`.
fn a_year_shared(
    runtime: &tokio::runtime::Runtime,
    pool: &deadpool_postgres::Pool,
    key: &ServerKey,
    clinician: &Reader,
) -> Result<Uuid, Error> {
    let person = Uuid::now_v7();
    runtime.block_on(people::create(pool, key, clinician.tenant, person))?;
    let mut store = PgStore::open(
        pool.clone(),
        runtime.handle().clone(),
        key,
        clinician.tenant,
        person,
    )?;
    let check_ins: Vec<_> = (0..730)
        .map(|i| {
            sample(
                &format!("y{i:04}"),
                &(Utc::now() - Days::hours(12 * i + 1)).to_rfc3339(),
            )
        })
        .collect();
    store.import(&check_ins, &[], &[])?;
    for i in 0..6 {
        let at = (Utc::now() - Days::days(14 * i + 1)).fixed_offset();
        let answers = vec![(i % 3) as u8; 9];
        store.add_assessment(&Response {
            id: format!("r{i}"),
            instrument: Instrument::Phq9,
            at,
            answers,
        })?;
    }
    let mut plan = feltsense_core::SafetyPlan::default();
    plan.set("warning_signs", "when I stop answering messages");
    store.save_safety_plan(&plan)?;
    let draft = GrantDraft {
        grantee: clinician.account,
        grantee_kind: GranteeKind::Clinician,
        scopes: vec![Scope::CheckIns, Scope::Questionnaires, Scope::SafetyPlan],
        journal: JournalSharing::Off,
        starts_at: Utc::now() - Days::minutes(1),
        ends_at: None,
        purpose: "benchmark".into(),
    };
    runtime.block_on(grants::create(pool, clinician.tenant, person, &draft))?;
    Ok(person)
}

/// The person page of someone with a year of check-ins: its read with and
/// without the audit writes, and read and render, over all and 90 days.
fn person_page(
    runtime: &tokio::runtime::Runtime,
    pool: &deadpool_postgres::Pool,
    key: &ServerKey,
    clinician: &Reader,
    rounds: usize,
) -> Result<(), Error> {
    let person = a_year_shared(runtime, pool, key, clinician)?;
    let meta = RequestMeta {
        address: "192.0.2.1".into(),
        request_id: "bench".into(),
    };
    let view = SharedView::new(pool, key, *clinician, person, meta);
    let bare =
        SharedView::new(pool, key, *clinician, person, view_meta()).without_audit_for_benchmark();
    let today = Utc::now().date_naive();
    println!("load average before the person page: {}", load_average());
    for (words, period) in [
        ("everything shared (a year)", Period::All),
        ("90 days", Period::Days(90)),
    ] {
        let since = period.since(today);
        let with = time(rounds, || runtime.block_on(view.page(since)).map(|_| ()))?;
        report(
            &format!("person page read, {words}, with its audit writes (3 events)"),
            &with,
        );
        let without = time(rounds, || runtime.block_on(bare.page(since)).map(|_| ()))?;
        report(
            &format!("person page read, {words}, without them"),
            &without,
        );
        let page = time(rounds, || {
            let read = runtime.block_on(view.page(since))?;
            page_html(&read, look(person), period, today)
                .map(|_| ())
                .map_err(Error::from)
        })?;
        report(
            &format!("person page read and render, {words}, with its audit writes"),
            &page,
        );
        let read = runtime.block_on(bare.page(since))?;
        let render = time(rounds, || {
            page_html(&read, look(person), period, today).map(|_| ())
        })?;
        report(&format!("person page render alone, {words}"), &render);
    }
    println!("load average after: {}", load_average());
    Ok(())
}

fn view_meta() -> RequestMeta {
    RequestMeta {
        address: "192.0.2.1".into(),
        request_id: "bench".into(),
    }
}

fn look(person: Uuid) -> Look {
    Look {
        address: format!("/clinician/person/{person}"),
        banner: "Sam's shared data — read-only".into(),
        back: ("/clinician".into(), "Back".into()),
        gentle: false,
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map_or_else(|_| "unknown".into(), |l| l.trim().to_string())
}

/// 50 people of `clinician`'s clinic, each with 60 check-ins over the
/// last 30 days and three PHQ-9s, sharing check-ins and questionnaires.
pub(crate) fn populate(
    runtime: &tokio::runtime::Runtime,
    pool: &deadpool_postgres::Pool,
    key: &ServerKey,
    clinician: &Reader,
) -> Result<Vec<Uuid>, Error> {
    // A grant's grantee is an account (migration 0007).
    runtime.block_on(async {
        let email = format!("clinician-{}@example.org", clinician.account.simple());
        pool.get()
            .await?
            .execute(
                "INSERT INTO accounts (tenant, id, email, role) VALUES ($1, $2, $3, 'clinician')",
                &[&clinician.tenant, &clinician.account, &email],
            )
            .await?;
        Ok::<_, Error>(())
    })?;
    let mut people = Vec::new();
    for _ in 0..PEOPLE {
        let person = Uuid::now_v7();
        runtime.block_on(people::create(pool, key, clinician.tenant, person))?;
        let mut store = PgStore::open(
            pool.clone(),
            runtime.handle().clone(),
            key,
            clinician.tenant,
            person,
        )?;
        let check_ins: Vec<_> = (0..60)
            .map(|i| {
                sample(
                    &format!("c{i:03}"),
                    &(Utc::now() - Days::hours(12 * i + 1)).to_rfc3339(),
                )
            })
            .collect();
        store.import(&check_ins, &[], &[])?;
        for (i, answer) in [2u8, 1, 0].into_iter().enumerate() {
            let at = (Utc::now() - Days::days(28 - 14 * i as i64)).fixed_offset();
            let r = Response {
                id: format!("r{i}"),
                instrument: Instrument::Phq9,
                at,
                answers: vec![answer; 9],
            };
            store.add_assessment(&r)?;
        }
        let draft = GrantDraft {
            grantee: clinician.account,
            grantee_kind: GranteeKind::Clinician,
            scopes: vec![Scope::CheckIns, Scope::Questionnaires],
            journal: JournalSharing::Off,
            starts_at: Utc::now() - Days::minutes(1),
            ends_at: None,
            purpose: "benchmark".into(),
        };
        runtime.block_on(grants::create(pool, clinician.tenant, person, &draft))?;
        people.push(person);
    }
    Ok(people)
}

fn time<E: Into<Error>>(
    rounds: usize,
    mut once: impl FnMut() -> Result<(), E>,
) -> Result<Vec<Duration>, Error> {
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        once().map_err(Into::into)?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times)
}

fn report(what: &str, times: &[Duration]) {
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.2} ms, p99 {:.2} ms ({} rounds)",
        ms(at(0.5)),
        ms(at(0.99)),
        times.len()
    );
}

/// 8 readers at once, each reading one person's check-ins `rounds` times
/// (so 8 chains appended to at once).
fn events_per_second(
    runtime: &tokio::runtime::Runtime,
    pool: &deadpool_postgres::Pool,
    key: &'static ServerKey,
    clinician: Reader,
    people: &[Uuid],
    rounds: usize,
) -> Result<(), Error> {
    let started = Instant::now();
    let tasks: Vec<_> = people[..8]
        .iter()
        .map(|&person| {
            let pool = pool.clone();
            runtime.spawn(async move {
                let meta = RequestMeta {
                    address: "192.0.2.1".into(),
                    request_id: "bench".into(),
                };
                let view = SharedView::new(&pool, key, clinician, person, meta);
                for _ in 0..rounds {
                    view.checkins().await?;
                }
                Ok::<_, feltsense_server::sharing::SharingError>(())
            })
        })
        .collect();
    for task in tasks {
        runtime.block_on(task)??;
    }
    let events = 8 * rounds;
    println!("audit events: {events} reads with their events from 8 readers at once in {:.2} s: {:.0} events/s", started.elapsed().as_secs_f64(), events as f64 / started.elapsed().as_secs_f64());
    Ok(())
}

/// Check-in writes of a person with 60 recent check-ins: each now also
/// recomputes their summaries in its transaction.
fn writes(
    runtime: &tokio::runtime::Runtime,
    pool: &deadpool_postgres::Pool,
    key: &ServerKey,
    tenant: Uuid,
    person: Uuid,
    rounds: usize,
) -> Result<(), Error> {
    let mut store = PgStore::open(pool.clone(), runtime.handle().clone(), key, tenant, person)?;
    let mut i = 0;
    let times = time(rounds, || {
        i += 1;
        store.add_checkin(&sample(&format!("w{i:05}"), &Utc::now().to_rfc3339()))
    })?;
    report(
        "a check-in write with its summaries recomputed (60+ recent check-ins)",
        &times,
    );
    Ok(())
}

/// A pool of `size` connections to `FELTSENSE_DATABASE_URL`, after running
/// the migrations as `FELTSENSE_OWNER_URL` (both from `scripts/pg.sh start`).
pub async fn migrated_pool(size: usize) -> Result<deadpool_postgres::Pool, Error> {
    let var = |name: &str| {
        std::env::var(name)
            .map_err(|_| format!("{name} is not set: run `eval \"$(scripts/pg.sh start)\"` first"))
    };
    let (mut client, connection) =
        tokio_postgres::connect(&var("FELTSENSE_OWNER_URL")?, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    db::migrate(&mut client).await?;
    Ok(db::pool(&var("FELTSENSE_DATABASE_URL")?, size)?)
}
