//! [`SharedView`]: what a reader may see of one person, each read one
//! transaction that checks the grant (the application's wall), runs its
//! SQL as the reader (row-level security's wall) and writes its audit
//! event, allowed or refused, before it commits. [`SharedView::page`]
//! reads a reader's whole page of someone so: one transaction, one check,
//! every kind shared, one event per kind read.

use super::audit::{self, Basis, Happened, Outcome};
use super::grants::{self, Grant, Scope};
use super::{as_reader, Reader, RequestMeta, SharingError};
use crate::keys::ServerKey;
use crate::store::import;
use crate::store::kinds::{self, Filter, Kind};
use crate::store::Scope as Sealed;
use chrono::{DateTime, Utc};
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

impl Access {
    fn basis(&self) -> Basis {
        match self {
            Access::Grant(g) => Basis::Grant(g.id),
            Access::Emergency(reason) => Basis::Emergency(reason.clone()),
        }
    }
}

/// What a refused page read records: it would have shown whatever is shared.
pub const REFUSED_PAGE: &str = "shared data";

/// A page's read of someone, kind by kind (`None`: not shared, not read).
#[derive(Debug, Default)]
pub struct PageRead {
    pub checkins: Option<Vec<CheckIn>>,
    pub questionnaires: Option<Vec<Response>>,
    pub bridges: Option<Vec<Bridge>>,
    /// `Some(None)`: shared, but not written yet.
    pub safety_plan: Option<Option<SafetyPlan>>,
    pub journal: Option<Vec<JournalEntry>>,
}

/// From when a page wants the dated kinds (`None`: all of them). Check-ins,
/// questionnaires and bridges keep their time in the clear (`at`), so the
/// rest is left in the database, never opened; shared journal entries are
/// read whole, as the person chose each one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Since {
    pub checkins: Option<DateTime<Utc>>,
    /// Questionnaires and bridges (the report's sections).
    pub report: Option<DateTime<Utc>>,
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
            safety_plan(tx, sealed).await
        })
        .await
    }

    async fn records<T: Kind>(&self, scope: Scope) -> Result<Vec<T>, SharingError> {
        self.read(scope, async |tx, sealed| records(tx, sealed, None).await)
            .await
    }

    /// Everything shared with this reader now, in one transaction: one
    /// check of the grants (and emergency access), each kind it allows
    /// read as the reader under row-level security, one audit event per
    /// kind read, committed together. Nothing shared: one refused event
    /// ([`REFUSED_PAGE`]) and [`SharingError::Refused`].
    pub async fn page(&self, since: Since) -> Result<PageRead, SharingError> {
        let mut client = self.pool.get().await?;
        let tx = as_reader(&mut client, &self.reader).await?;
        let allowed = self.allowed(&tx).await?;
        if allowed.is_empty() {
            self.record(&tx, REFUSED_PAGE, Basis::Nothing, Outcome::Refused)
                .await?;
            tx.commit().await?;
            return Err(SharingError::Refused);
        }
        let sealed = self.unsealer(&tx).await?;
        let mut read = PageRead::default();
        for (scope, access) in allowed {
            read_kind(&tx, &sealed, scope, since, &mut read).await?;
            self.record(&tx, scope.words(), access.basis(), Outcome::Allowed)
                .await?;
        }
        tx.commit().await?;
        Ok(read)
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
            self.record(&tx, scope.words(), Basis::Nothing, Outcome::Refused)
                .await?;
            tx.commit().await?;
            return Err(SharingError::Refused);
        };
        let sealed = self.unsealer(&tx).await?;
        let value = work(&tx, &sealed).await?;
        self.record(&tx, scope.words(), access.basis(), Outcome::Allowed)
            .await?;
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
        let granted = self.grants_now(tx).await?;
        if let Some(g) = granted.into_iter().find(|g| shares(g, scope)) {
            return Ok(Some(Access::Grant(g)));
        }
        let emergency = super::emergency::open_reason(tx, &self.reader, self.person).await?;
        Ok(emergency.map(Access::Emergency))
    }

    /// The same check for every kind at once: each kind shared now, with
    /// what lets it through (the emergency looked up only if a grant
    /// leaves a kind out).
    async fn allowed(&self, tx: &Transaction<'_>) -> Result<Vec<(Scope, Access)>, SharingError> {
        let granted = self.grants_now(tx).await?;
        let by_grant = |s: Scope| granted.iter().find(|g| shares(g, s)).cloned();
        let mut emergency = None;
        if Scope::ALL.into_iter().any(|s| by_grant(s).is_none()) {
            emergency = super::emergency::open_reason(tx, &self.reader, self.person).await?;
        }
        let access = |s: Scope| match by_grant(s) {
            Some(g) => Some(Access::Grant(g)),
            None => emergency.clone().map(Access::Emergency),
        };
        Ok(Scope::ALL
            .into_iter()
            .filter_map(|s| access(s).map(|a| (s, a)))
            .collect())
    }

    /// This reader's grants of this person active now.
    async fn grants_now(&self, tx: &Transaction<'_>) -> Result<Vec<Grant>, SharingError> {
        let now = Utc::now();
        let sql = format!(
            "SELECT {} FROM grants WHERE tenant = $1 AND person = $2 AND grantee = $3",
            grants::COLUMNS
        );
        let r = &self.reader;
        let rows = tx
            .query(&sql, &[&r.tenant, &self.person, &r.account])
            .await?;
        let active = rows
            .iter()
            .map(grants::from_row)
            .filter(|g| g.active_at(now));
        Ok(active.collect())
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
        what: &str,
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
            what,
            basis,
            outcome,
        };
        audit::append(tx, &happened).await.map(|_| ())
    }
}

/// Whether `grant` shares `scope` (the journal only when its mode shares
/// entries).
fn shares(grant: &Grant, scope: Scope) -> bool {
    grant.allows(scope) && (scope != Scope::Journal || grant.journal != grants::JournalSharing::Off)
}

/// Records of kind `T` (from `since`, where given), newest first.
async fn records<T: Kind>(
    tx: &Transaction<'_>,
    sealed: &Sealed,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<T>, SharingError> {
    let filter = since.map_or(Filter::All, Filter::Since);
    let loaded = kinds::load::<T>(tx, sealed, filter)
        .await
        .map_err(|f| super::invalid(T::WHAT, f.message()))?;
    Ok(loaded.found)
}

async fn safety_plan(
    tx: &Transaction<'_>,
    sealed: &Sealed,
) -> Result<Option<SafetyPlan>, SharingError> {
    let stored = import::stored_safety(tx, sealed)
        .await
        .map_err(|f| super::invalid("safety plan", f.message()))?;
    stored
        .transpose()
        .map_err(|why| super::invalid("safety plan", why))
}

/// Reads `scope` of the page into `read`.
async fn read_kind(
    tx: &Transaction<'_>,
    sealed: &Sealed,
    scope: Scope,
    since: Since,
    read: &mut PageRead,
) -> Result<(), SharingError> {
    match scope {
        Scope::CheckIns => read.checkins = Some(records(tx, sealed, since.checkins).await?),
        Scope::Questionnaires => {
            read.questionnaires = Some(records(tx, sealed, since.report).await?);
        }
        Scope::Bridges => read.bridges = Some(records(tx, sealed, since.report).await?),
        Scope::SafetyPlan => read.safety_plan = Some(safety_plan(tx, sealed).await?),
        Scope::Journal => read.journal = Some(records(tx, sealed, None).await?),
    }
    Ok(())
}
