//! The connection pool and the embedded migrations.
//!
//! Row-level security reads two settings, set per transaction (never per
//! pooled connection) with `set_config(name, value, true)`:
//! `feltsense.tenant` (the clinic) and `feltsense.person` (whose rows).

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

/// The schema, in order. Each runs once, in its own transaction, and is
/// recorded in `schema_migrations`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_data", include_str!("../migrations/0001_data.sql")),
    (
        "0002_accounts",
        include_str!("../migrations/0002_accounts.sql"),
    ),
    (
        "0003_sharing",
        include_str!("../migrations/0003_sharing.sql"),
    ),
    (
        "0005_person_settings",
        include_str!("../migrations/0005_person_settings.sql"),
    ),
    (
        "0006_sharing_codes",
        include_str!("../migrations/0006_sharing_codes.sql"),
    ),
    (
        "0007_grantee_account",
        include_str!("../migrations/0007_grantee_account.sql"),
    ),
    (
        "0008_feed_secret",
        include_str!("../migrations/0008_feed_secret.sql"),
    ),
    (
        "0009_read_policies",
        include_str!("../migrations/0009_read_policies.sql"),
    ),
];

/// A pool of connections to `url` (a `postgres://` URL).
pub fn pool(url: &str, size: usize) -> Result<Pool, tokio_postgres::Error> {
    let config: tokio_postgres::Config = url.parse()?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Ok(Pool::builder(manager)
        .max_size(size)
        .build()
        .expect("a pool with a runtime and a size always builds"))
}

/// Runs the migrations not yet applied. Needs a role that owns the schema.
pub async fn migrate(
    client: &mut tokio_postgres::Client,
) -> Result<Vec<&'static str>, tokio_postgres::Error> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                name text PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .await?;
    let mut applied = Vec::new();
    for (name, sql) in MIGRATIONS {
        let tx = client.transaction().await?;
        tx.batch_execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
            .await?;
        let done = tx
            .query_opt("SELECT 1 FROM schema_migrations WHERE name = $1", &[name])
            .await?
            .is_some();
        if !done {
            tx.batch_execute(sql).await?;
            tx.execute("INSERT INTO schema_migrations (name) VALUES ($1)", &[name])
                .await?;
            applied.push(*name);
        }
        tx.commit().await?;
    }
    Ok(applied)
}
