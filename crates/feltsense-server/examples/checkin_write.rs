//! "Check-in write to committed row": times `PgStore::add_checkin` (one
//! transaction: the settings, the version raised, the sealed row
//! inserted, the commit) over a number of writes for one new person, and
//! prints the median and the 99th percentile.
//!
//! ```text
//! eval "$(scripts/pg.sh start)"
//! cargo run -p feltsense-server --example checkin_write -- 1000
//! cargo run -p feltsense-server --example checkin_write -- 1000 year
//! scripts/pg.sh stop
//! ```
//!
//! With `year`, the person first has a year of check-ins (five a day,
//! imported in one transaction) and their list read once, as their first
//! page does; each write is then timed as the server's check-in POST
//! makes it, caseload summaries included, its time now.
//!
//! It migrates the database at `FELTSENSE_OWNER_URL` and writes as the
//! app role at `FELTSENSE_DATABASE_URL`, with a server key in memory.

use feltsense_server::{db, people, PgStore, ServerKey};
use feltsense_store::conformance::sample;
use feltsense_store::Store;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let year = std::env::args().nth(2).is_some_and(|a| a == "year");
    let writes: usize = match std::env::args().nth(1) {
        Some(n) => n
            .parse()
            .map_err(|_| format!("the number of writes '{n}' is not a number"))?,
        None => 1000,
    };
    let var = |name: &str| {
        std::env::var(name)
            .map_err(|_| format!("{name} is not set: run `eval \"$(scripts/pg.sh start)\"` first"))
    };
    let (owner, app) = (var("FELTSENSE_OWNER_URL")?, var("FELTSENSE_DATABASE_URL")?);
    let runtime = tokio::runtime::Runtime::new()?;
    let key = ServerKey::generate();
    let (tenant, person) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let pool = runtime.block_on(async {
        let (mut client, connection) =
            tokio_postgres::connect(&owner, tokio_postgres::NoTls).await?;
        tokio::spawn(connection);
        db::migrate(&mut client).await?;
        let pool = db::pool(&app, 4)?;
        people::create(&pool, &key, tenant, person).await?;
        Ok::<_, Box<dyn std::error::Error>>(pool)
    })?;
    let mut store = PgStore::open(pool, runtime.handle().clone(), &key, tenant, person)?;
    if year {
        a_year(&mut store)?;
    }
    let mut times = Vec::with_capacity(writes);
    for i in 0..writes {
        let at = match year {
            true => chrono::Utc::now().fixed_offset().to_rfc3339(),
            false => "2026-03-01T08:00:00+00:00".to_string(),
        };
        let check_in = sample(&format!("bench-{i:05}"), &at);
        let started = Instant::now();
        store.add_checkin(&check_in)?;
        times.push(started.elapsed());
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{writes} check-in writes: median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0))
    );
    Ok(())
}

/// A year of check-ins, five a day up to an hour ago, imported; then read
/// once.
fn a_year(store: &mut PgStore) -> Result<(), Box<dyn std::error::Error>> {
    let now = chrono::Utc::now() - chrono::Duration::hours(1);
    let year: Vec<_> = (0..365 * 5)
        .map(|i| {
            let at = (now - chrono::Duration::minutes(i * 24 * 60 / 5)).fixed_offset();
            sample(&format!("year-{i:05}"), &at.to_rfc3339())
        })
        .collect();
    store.import(&year, &[], &[])?;
    println!("a year: {} check-ins", store.every_checkin()?.len());
    Ok(())
}
