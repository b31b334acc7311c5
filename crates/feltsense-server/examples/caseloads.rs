//! Issue 14's figure with many clinicians at once: CLINICIANS clinicians of
//! one clinic, each with 50 people who share check-ins and questionnaires
//! (two months of check-ins and three PHQ-9s each), every clinician in a
//! task of their own opening their caseload and then one of their people's
//! shared check-ins, ROUNDS times, all at once; p50 and p99 of each and the
//! audit events written per second. Run it beside the server's load
//! (`bench/server/run.sh`) for the issue's "with the server's load".
//!
//! ```text
//! eval "$(scripts/pg.sh start)"
//! cargo run --release -p feltsense-server --example caseloads -- 20 50
//! ```

use feltsense_server::sharing::caseload::caseload;
use feltsense_server::sharing::{Reader, RequestMeta, Role, SharedView};
use feltsense_server::ServerKey;
use std::time::{Duration, Instant};
use uuid::Uuid;

#[allow(dead_code)]
#[path = "sharing_reads.rs"]
mod sharing_reads;

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let number = |n: usize, default: usize| -> Result<usize, Error> {
        match std::env::args().nth(n) {
            Some(t) => Ok(t
                .parse()
                .map_err(|_| format!("'{t}' is not a whole number"))?),
            None => Ok(default),
        }
    };
    let (clinicians, rounds) = (number(1, 20)?, number(2, 50)?);
    let runtime = tokio::runtime::Runtime::new()?;
    let key: &'static ServerKey = Box::leak(Box::new(ServerKey::generate()));
    let pool = runtime.block_on(sharing_reads::migrated_pool(16))?;
    let tenant = Uuid::now_v7();
    let started = Instant::now();
    let mut each = Vec::new();
    for _ in 0..clinicians {
        let reader = Reader {
            tenant,
            account: Uuid::now_v7(),
            role: Role::Clinician,
        };
        each.push((
            reader,
            sharing_reads::populate(&runtime, &pool, key, &reader)?,
        ));
    }
    println!(
        "{clinicians} clinicians x {} people set up in {:.1} s",
        sharing_reads::PEOPLE,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let tasks: Vec<_> = each
        .into_iter()
        .map(|(reader, people)| {
            runtime.spawn(one_clinician(pool.clone(), key, reader, people, rounds))
        })
        .collect();
    let (mut lists, mut views) = (Vec::new(), Vec::new());
    for task in tasks {
        let (list, view) = runtime.block_on(task)??;
        lists.extend(list);
        views.extend(view);
    }
    let seconds = started.elapsed().as_secs_f64();
    let events = lists.len() * sharing_reads::PEOPLE + views.len();
    report(
        &format!("caseload of {} people", sharing_reads::PEOPLE),
        &mut lists,
    );
    report("one person's shared check-ins", &mut views);
    println!(
        "audit events: {events} in {seconds:.1} s, {:.0} events/s, from {clinicians} clinicians at once",
        events as f64 / seconds
    );
    Ok(())
}

type Times = (Vec<Duration>, Vec<Duration>);

/// One clinician's caseload and a person page, `rounds` times.
async fn one_clinician(
    pool: deadpool_postgres::Pool,
    key: &'static ServerKey,
    reader: Reader,
    people: Vec<Uuid>,
    rounds: usize,
) -> Result<Times, feltsense_server::sharing::SharingError> {
    let meta = RequestMeta {
        address: "192.0.2.1".into(),
        request_id: "bench".into(),
    };
    let (mut lists, mut views) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let started = Instant::now();
        caseload(&pool, key, &reader, &meta).await?;
        lists.push(started.elapsed());
        let person = people[round % people.len()];
        let started = Instant::now();
        SharedView::new(&pool, key, reader, person, meta.clone())
            .checkins()
            .await?;
        views.push(started.elapsed());
    }
    Ok((lists, views))
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms, p90 {:.1} ms, p99 {:.1} ms ({} reads)",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(0.99)),
        times.len()
    );
}
