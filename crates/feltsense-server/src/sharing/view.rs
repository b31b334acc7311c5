//! [`SharedView`]: what a reader may see of one person, each read one
//! transaction that checks the grant (the application's wall), runs its
//! SQL as the reader (row-level security's wall) and writes its audit
//! event, allowed or refused, before it commits.

use super::audit::{self, Basis, Happened, Outcome};
use super::grants::{self, Grant, Scope};
use super::{as_reader, Reader, RequestMeta, SharingError};
use crate::keys::ServerKey;
use crate::store::import;
use crate::store::kinds::{self, Filter, Kind};
use crate::store::Scope as Sealed;
use chrono::Utc;
use deadpool_postgres::{Pool, Transaction};
use feltsense_core::assessments::Response;
use feltsense_core::bridges::Bridge;
use feltsense_core::{CheckIn, JournalEntry, SafetyPlan};
use uuid::Uuid;

/// One reader's view of one person's shared data, for one request.
pub struct SharedView<'a> {
    pool: &'a Pool,
    key: &'a ServerKey,
    reader: Reader,
    person: Uuid,
    request: RequestMeta,
    /// Off only in the benchmark that measures what the audit write costs.
    audit: bool,
}

/// What lets a read through.
#[derive(Debug, Clone)]
enum Access {
    Grant(Grant),
    Emergency(String),
}

impl<'a> SharedView<'a> {
    pub fn new(
        pool: &'a Pool,
        key: &'a ServerKey,
        reader: Reader,
        person: Uuid,
        request: RequestMeta,
    ) -> Self {
        SharedView {
            pool,
            key,
            reader,
            person,
            request,
            audit: !super::audit_off(),
        }
    }

    /// The same view without its audit writes: for the benchmark only.
    #[doc(hidden)]
    pub fn without_audit_for_benchmark(mut self) -> Self {
        self.audit = false;
        self
    }

    pub async fn checkins(&self) -> Result<Vec<CheckIn>, SharingError> {
        self.records(Scope::CheckIns).await
    }

    pub async fn questionnaires(&self) -> Result<Vec<Response>, SharingError> {
        self.records(Scope::Questionnaires).await
    }

    pub async fn bridges(&self) -> Result<Vec<Bridge>, SharingError> {
        self.records(Scope::Bridges).await
    }

    /// The journal entries shared with this reader (none is not refused
    /// when the grant shares the journal but no entry yet).
    pub async fn journal(&self) -> Result<Vec<JournalEntry>, SharingError> {
        self.records(Scope::Journal).await
    }

    pub async fn safety_plan(&self) -> Result<Option<SafetyPlan>, SharingError> {
        self.read(Scope::SafetyPlan, async |tx, sealed| {
            let stored = import::stored_safety(tx, sealed)
                .await
                .map_err(|f| super::invalid("safety plan", f.message()))?;
            stored
                .transpose()
                .map_err(|why| super::invalid("safety plan", why))
        })
        .await
    }

    async fn records<T: Kind>(&self, scope: Scope) -> Result<Vec<T>, SharingError> {
        self.read(scope, async |tx, sealed| {
            let loaded = kinds::load::<T>(tx, sealed, Filter::All)
                .await
                .map_err(|f| super::invalid(T::WHAT, f.message()))?;
            Ok(loaded.found)
        })
        .await
    }

    /// Runs `work` under the reader's settings if `scope` is shared, and
    /// writes the audit event either way, in the one transaction.
    async fn read<T>(
        &self,
        scope: Scope,
        work: impl AsyncFnOnce(&Transaction<'_>, &Sealed) -> Result<T, SharingError>,
    ) -> Result<T, SharingError> {
        let mut client = self.pool.get().await?;
        let tx = as_reader(&mut client, &self.reader).await?;
        let Some(access) = self.access(&tx, scope).await? else {
            self.record(&tx, scope, Basis::Nothing, Outcome::Refused)
                .await?;
            tx.commit().await?;
            return Err(SharingError::Refused);
        };
        let sealed = self.unsealer(&tx).await?;
        let value = work(&tx, &sealed).await?;
        let basis = match access {
            Access::Grant(g) => Basis::Grant(g.id),
            Access::Emergency(reason) => Basis::Emergency(reason),
        };
        self.record(&tx, scope, basis, Outcome::Allowed).await?;
        tx.commit().await?;
        Ok(value)
    }

    /// The application's check: an active grant of this reader, of this
    /// person, sharing `scope` now; or an open emergency access.
    async fn access(
        &self,
        tx: &Transaction<'_>,
        scope: Scope,
    ) -> Result<Option<Access>, SharingError> {
        let now = Utc::now();
        let sql = format!(
            "SELECT {} FROM grants WHERE tenant = $1 AND person = $2 AND grantee = $3",
            grants::COLUMNS
        );
        let r = &self.reader;
        let rows = tx
            .query(&sql, &[&r.tenant, &self.person, &r.account])
            .await?;
        let granted = rows.iter().map(grants::from_row).find(|g| {
            g.active_at(now)
                && g.allows(scope)
                && (scope != Scope::Journal || g.journal != grants::JournalSharing::Off)
        });
        if let Some(g) = granted {
            return Ok(Some(Access::Grant(g)));
        }
        let emergency = super::emergency::open_reason(tx, r, self.person).await?;
        Ok(emergency.map(Access::Emergency))
    }

    /// The person's data key, through row-level security's own check.
    async fn unsealer(&self, tx: &Transaction<'_>) -> Result<Sealed, SharingError> {
        let (tenant, person) = (self.reader.tenant, self.person);
        let row = tx
            .query_opt(
                "SELECT wrapped_key FROM people WHERE tenant = $1 AND id = $2",
                &[&tenant, &person],
            )
            .await?
            .ok_or(SharingError::Refused)?;
        let key = self.key.unwrap(tenant, person, row.get(0))?;
        Ok(Sealed {
            tenant,
            person,
            key,
        })
    }

    async fn record(
        &self,
        tx: &Transaction<'_>,
        scope: Scope,
        basis: Basis,
        outcome: Outcome,
    ) -> Result<(), SharingError> {
        if !self.audit && outcome == Outcome::Allowed {
            return Ok(());
        }
        let happened = Happened {
            reader: &self.reader,
            request: &self.request,
            action: "read",
            person: Some(self.person),
            what: scope.words(),
            basis,
            outcome,
        };
        audit::append(tx, &happened).await.map(|_| ())
    }
}
