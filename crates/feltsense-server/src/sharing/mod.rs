//! Sharing with a clinician or a trusted person (issue 14), below the
//! pages: grants, reads under a grant, the hash-chained audit trail,
//! "who saw what", emergency access and the FHIR exports.
//!
//! Two walls stand between a reader and a person's data: the application
//! checks the grant before each read ([`view::SharedView`]), and the SQL
//! runs in a transaction that sets `feltsense.tenant` and
//! `feltsense.reader` (never `feltsense.person`), so PostgreSQL's
//! row-level security lets through only rows an active grant of the
//! right scope and period (or an open emergency access) allows, and no
//! write at all. Nothing is cached beyond one transaction: a revoked
//! grant is refused on the reader's next request.

pub mod audit;
pub mod audit_batch;
pub mod caseload;
pub mod emergency;
pub mod entries;
pub mod fhir;
pub mod grants;
pub mod summary;
pub mod view;

use crate::store::DataError;
use deadpool_postgres::{Client, Transaction};
use uuid::Uuid;

pub use grants::{Grant, GrantChange, GrantDraft, GranteeKind, JournalSharing, Scope};
pub use view::SharedView;

/// Who is reading: their clinic, their account and the role they act in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    pub tenant: Uuid,
    pub account: Uuid,
    pub role: Role,
}

/// The role a reader acts in, as the audit trail names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Clinician,
    TrustedPerson,
    Admin,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Clinician => "clinician",
            Role::TrustedPerson => "trusted person",
            Role::Admin => "admin",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        [Role::Clinician, Role::TrustedPerson, Role::Admin]
            .into_iter()
            .find(|r| r.name() == name)
    }
}

/// Where a request came from, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestMeta {
    pub address: String,
    pub request_id: String,
}

/// Why a sharing operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SharingError {
    #[error("this is not shared with you (or no longer): nothing was read")]
    Refused,
    #[error("there is no grant {0} of this person")]
    NoGrant(Uuid),
    #[error("{field}: {why}")]
    Invalid { field: &'static str, why: String },
    #[error(transparent)]
    Data(#[from] DataError),
}

impl From<tokio_postgres::Error> for SharingError {
    fn from(e: tokio_postgres::Error) -> SharingError {
        SharingError::Data(e.into())
    }
}

impl From<deadpool_postgres::PoolError> for SharingError {
    fn from(e: deadpool_postgres::PoolError) -> SharingError {
        SharingError::Data(e.into())
    }
}

pub(crate) fn invalid(field: &'static str, why: impl Into<String>) -> SharingError {
    SharingError::Invalid {
        field,
        why: why.into(),
    }
}

/// Whether reads leave out their audit events: only ever in a build with
/// the `bench` feature (never the default build) started with
/// `FELTSENSE_BENCH_NO_AUDIT=1`, for the benchmark that puts the same
/// pages with and without the audit write side by side over HTTP.
pub fn audit_off() -> bool {
    #[cfg(feature = "bench")]
    {
        static OFF: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *OFF.get_or_init(|| {
            let off = std::env::var("FELTSENSE_BENCH_NO_AUDIT").is_ok_and(|v| v == "1");
            if off {
                eprintln!("benchmark build: reads of shared data write NO audit events");
            }
            off
        })
    }
    #[cfg(not(feature = "bench"))]
    false
}

/// A transaction as `reader`: their clinic and account set, no person.
pub(crate) async fn as_reader<'c>(
    client: &'c mut Client,
    reader: &Reader,
) -> Result<Transaction<'c>, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    let settings = tx
        .prepare_cached(
            "SELECT set_config('feltsense.tenant', $1, true), set_config('feltsense.reader', $2, true)",
        )
        .await?;
    tx.execute(
        &settings,
        &[&reader.tenant.to_string(), &reader.account.to_string()],
    )
    .await?;
    Ok(tx)
}

/// A transaction that reads every audit chain and grant (verify, export).
pub(crate) async fn every_chain(
    client: &mut Client,
) -> Result<Transaction<'_>, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute(
        "SELECT set_config('feltsense.audit', 'every chain', true)",
        &[],
    )
    .await?;
    tx.execute("SET TRANSACTION READ ONLY", &[]).await?;
    Ok(tx)
}

#[cfg(all(test, not(feature = "bench")))]
mod tests {
    /// The benchmark's switch does nothing in a default build, whatever
    /// the environment says.
    #[test]
    fn a_default_build_always_writes_the_audit_events() {
        std::env::set_var("FELTSENSE_BENCH_NO_AUDIT", "1");
        assert!(!super::audit_off());
    }
}
