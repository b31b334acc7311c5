//! `feltsense server audit verify`, `feltsense server audit export --fhir
//! FILE [--since DATE]` and `feltsense server consent export --fhir FILE`:
//! the audit trail and the grants of a feltsense server's database, for
//! admins and auditors. Wired into `feltsense server` as its `audit` and
//! `consent` subcommands ([`AuditArgs`] with [`run_audit`],
//! [`ConsentArgs`] with [`run_consent`]).

use crate::failure::{self, Failure};
use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use feltsense_server::sharing::audit::{self, Verified};
use feltsense_server::sharing::fhir;
use std::path::PathBuf;

/// Where the server's database is (as the app role).
#[derive(Debug, clap::Args)]
pub struct Database {
    /// A postgres:// URL of the server's database, as the role the
    /// server runs as.
    #[arg(long, env = "FELTSENSE_DATABASE_URL", hide_env_values = true)]
    database_url: String,
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(Debug, clap::Subcommand)]
enum AuditCommand {
    /// Check every chain of the audit trail: exit 0 when every event
    /// fits, 1 naming the first one that does not.
    Verify(#[command(flatten)] Database),
    /// Write the audit trail as a FHIR R4 Bundle of AuditEvent resources.
    Export(ExportAudit),
}

#[derive(Debug, clap::Args)]
struct ExportAudit {
    #[command(flatten)]
    database: Database,
    /// The file to write (JSON), replaced whole or not at all.
    #[arg(long)]
    fhir: PathBuf,
    /// Only events from this day (YYYY-MM-DD, UTC) or instant (RFC 3339) on.
    #[arg(long)]
    since: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ConsentArgs {
    #[command(subcommand)]
    command: ConsentCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ConsentCommand {
    /// Write every grant as FHIR R4 Consent resources (in a Bundle).
    Export(ExportConsent),
}

#[derive(Debug, clap::Args)]
struct ExportConsent {
    #[command(flatten)]
    database: Database,
    /// The file to write (JSON), replaced whole or not at all.
    #[arg(long)]
    fhir: PathBuf,
}

pub fn run_audit(args: AuditArgs) -> anyhow::Result<()> {
    match args.command {
        AuditCommand::Verify(db) => verify(&db),
        AuditCommand::Export(export) => {
            let since = export.since.as_deref().map(parse_since).transpose()?;
            let bundle = on_database(&export.database, async |pool| {
                fhir::audit_export(pool, since)
                    .await
                    .map_err(anyhow::Error::from)
            })?;
            write_json(&export.fhir, &bundle, "audit events")
        }
    }
}

pub fn run_consent(args: ConsentArgs) -> anyhow::Result<()> {
    let ConsentCommand::Export(export) = args.command;
    let bundle = on_database(&export.database, async |pool| {
        fhir::consent_export(pool)
            .await
            .map_err(anyhow::Error::from)
    })?;
    write_json(&export.fhir, &bundle, "consents")
}

fn verify(db: &Database) -> anyhow::Result<()> {
    let verified = on_database(db, async |pool| {
        audit::verify(pool).await.map_err(anyhow::Error::from)
    })?;
    match verified {
        Verified::Intact { chains, events } => {
            println!("The audit trail is whole: {events} events in {chains} chains, each fits the one before it.");
            Ok(())
        }
        Verified::Broken {
            chain,
            position,
            why,
        } => Err(Failure {
            code: failure::IO,
            message: format!(
                "the audit trail does not fit at event {position} of chain {chain}: {why}"
            ),
        }
        .into()),
    }
}

/// Runs `work` with a pool on the database, on a runtime of its own.
fn on_database<T>(
    db: &Database,
    work: impl AsyncFnOnce(&deadpool_postgres::Pool) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the database client")?;
    runtime.block_on(async {
        let pool = feltsense_server::db::pool(&db.database_url, 2)
            .map_err(|e| failure::input(format!("--database-url is not a postgres:// URL: {e}")))?;
        work(&pool)
            .await
            .context("could not read the server's database")
    })
}

/// `--since` as an instant: a day (its start, UTC) or an RFC 3339 time.
fn parse_since(text: &str) -> anyhow::Result<DateTime<Utc>> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            failure::input(format!(
                "--since {text:?} is not a day (2026-11-01) or a time (2026-11-01T09:00:00Z): {e}"
            ))
        })
}

fn write_json(
    path: &std::path::Path,
    bundle: &serde_json::Value,
    what: &str,
) -> anyhow::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(bundle).context("could not write the bundle")?;
    bytes.push(b'\n');
    super::write_file_atomically(path, &bytes)?;
    let n = bundle["entry"].as_array().map_or(0, Vec::len);
    println!("Wrote {n} {what} to {}.", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_day_or_a_time_and_names_what_it_could_not_read() {
        assert_eq!(
            parse_since("2026-11-01").unwrap().to_rfc3339(),
            "2026-11-01T00:00:00+00:00"
        );
        let t = parse_since("2026-11-01T09:30:00+01:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-01T08:30:00+00:00");
        let e = Failure::from(parse_since("last week").unwrap_err());
        assert_eq!(e.code, failure::INPUT);
        assert!(e.message.contains("--since \"last week\""), "{}", e.message);
    }
}
