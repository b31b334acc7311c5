//! The four kinds of dated record (check-ins, journal entries, bridges,
//! questionnaire responses), each in a table of one shape: `(tenant,
//! person, id, at, sealed)`, the record sealed whole as JSON under the
//! person's data key, bound to its table, tenant, person and id.

use super::{Done, Fail, Scope};
use chrono::{DateTime, FixedOffset, Utc};
use deadpool_postgres::Transaction;
use feltsense_core::assessments::Response;
use feltsense_core::bridges::Bridge;
use feltsense_core::when::TimeRange;
use feltsense_core::{CheckIn, JournalEntry};
use feltsense_store::import_plan::Imported;
use feltsense_store::{StoreError, Unreadable};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// One kind of dated record.
pub(crate) trait Kind: Imported + Serialize + DeserializeOwned + Sized {
    /// Its name in messages ("check-in").
    const WHAT: &'static str;
    const TABLE: &'static str;
    /// Its name in `import_sources.record_kind` (`None`: not remembered,
    /// as only a feltsense export carries it, keyed by its id).
    const SOURCE: Option<&'static str>;
    /// The time it is ordered by.
    fn at(&self) -> DateTime<FixedOffset>;
}

impl Kind for CheckIn {
    const WHAT: &'static str = "check-in";
    const TABLE: &'static str = "checkins";
    const SOURCE: Option<&'static str> = Some("checkin");
    fn at(&self) -> DateTime<FixedOffset> {
        self.at
    }
}

impl Kind for JournalEntry {
    const WHAT: &'static str = "journal entry";
    const TABLE: &'static str = "journal";
    const SOURCE: Option<&'static str> = Some("journal");
    fn at(&self) -> DateTime<FixedOffset> {
        self.at
    }
}

impl Kind for Bridge {
    const WHAT: &'static str = "bridge";
    const TABLE: &'static str = "bridges";
    const SOURCE: Option<&'static str> = Some("bridge");
    fn at(&self) -> DateTime<FixedOffset> {
        self.started
    }
}

impl Kind for Response {
    const WHAT: &'static str = "questionnaire response";
    const TABLE: &'static str = "assessments";
    const SOURCE: Option<&'static str> = None;
    fn at(&self) -> DateTime<FixedOffset> {
        self.at
    }
}

/// What a sealed value of `table` for record `id` is bound to.
pub(crate) fn bound(table: &str, scope: &Scope, id: &str) -> Vec<u8> {
    [
        table.as_bytes(),
        &[0],
        scope.tenant.as_bytes(),
        scope.person.as_bytes(),
        id.as_bytes(),
    ]
    .concat()
}

pub(crate) fn seal<T: Serialize>(table: &str, scope: &Scope, id: &str, value: &T) -> Done<Vec<u8>> {
    let json = zeroize::Zeroizing::new(
        serde_json::to_vec(value).map_err(|e| Fail(StoreError::Backend(e.to_string())))?,
    );
    Ok(scope.key.seal(&bound(table, scope, id), &json))
}

/// The value sealed in `sealed`, or why it cannot be read (never quoting it).
pub(crate) fn open<T: DeserializeOwned>(
    table: &str,
    scope: &Scope,
    id: &str,
    sealed: &[u8],
) -> Result<T, String> {
    let json = scope
        .key
        .open(&bound(table, scope, id), sealed)
        .ok_or_else(|| "it does not open with this person's key".to_string())?;
    serde_json::from_slice(&json).map_err(|e| {
        format!(
            "its stored form cannot be read (line {}, column {})",
            e.line(),
            e.column()
        )
    })
}

/// What a read found, and what it left out.
pub(crate) struct Loaded<T> {
    pub found: Vec<T>,
    pub skipped: Vec<Unreadable>,
}

/// Which records of a kind a read wants.
pub(crate) enum Filter<'a> {
    All,
    Id(&'a str),
    Since(DateTime<Utc>),
}

/// Records of kind `T`, newest first, ties by id (newest id first).
pub(crate) async fn load<T: Kind>(
    tx: &Transaction<'_>,
    scope: &Scope,
    filter: Filter<'_>,
) -> Done<Loaded<T>> {
    let base = format!(
        "SELECT id, sealed FROM {} WHERE tenant = $1 AND person = $2",
        T::TABLE
    );
    let order = "ORDER BY at DESC, id DESC";
    let people = [
        &scope.tenant as &(dyn tokio_postgres::types::ToSql + Sync),
        &scope.person,
    ];
    // Prepared once per connection (a handful of statements a kind).
    let rows = match filter {
        Filter::All => {
            let select = tx.prepare_cached(&format!("{base} {order}")).await?;
            tx.query(&select, &people).await?
        }
        Filter::Id(id) => {
            let select = tx.prepare_cached(&format!("{base} AND id = $3")).await?;
            tx.query(&select, &[people[0], people[1], &id]).await?
        }
        Filter::Since(t) => {
            let sql = format!("{base} AND at >= $3 {order}");
            let select = tx.prepare_cached(&sql).await?;
            tx.query(&select, &[people[0], people[1], &t]).await?
        }
    };
    let accepted = TimeRange::around(Utc::now());
    let mut loaded = Loaded {
        found: Vec::new(),
        skipped: Vec::new(),
    };
    for row in rows {
        let id: String = row.get(0);
        let record = open::<T>(T::TABLE, scope, &id, row.get(1)).and_then(|r| {
            accepted
                .check(r.at())
                .map_err(|e| format!("its time {e}"))?;
            match r.id() == id {
                true => Ok(r),
                false => Err("it holds another record's id".to_string()),
            }
        });
        match record {
            Ok(r) => loaded.found.push(r),
            Err(why) => loaded.skipped.push(Unreadable {
                what: T::WHAT,
                id,
                why,
            }),
        }
    }
    Ok(loaded)
}

/// Stores `record` unless its id is taken; whether it was stored.
pub(crate) async fn insert<T: Kind>(tx: &Transaction<'_>, scope: &Scope, record: &T) -> Done<bool> {
    let sql = format!(
        "INSERT INTO {} (tenant, person, id, at, sealed) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant, person, id) DO NOTHING",
        T::TABLE
    );
    let sealed = seal(T::TABLE, scope, record.id(), record)?;
    let at = record.at().with_timezone(&Utc);
    let insert = tx.prepare_cached(&sql).await?;
    let n = tx
        .execute(
            &insert,
            &[&scope.tenant, &scope.person, &record.id(), &at, &sealed],
        )
        .await?;
    Ok(n == 1)
}

/// Whether the person has no record of kind `T` at all.
pub(crate) async fn none_stored<T: Kind>(tx: &Transaction<'_>, scope: &Scope) -> Done<bool> {
    let sql = format!(
        "SELECT NOT EXISTS (SELECT 1 FROM {} WHERE tenant = $1 AND person = $2)",
        T::TABLE
    );
    let row = tx.query_one(&sql, &[&scope.tenant, &scope.person]).await?;
    Ok(row.get(0))
}

/// Stores every one of `records` (ids not taken, as an import's plan
/// found) in one statement; a taken id refuses them all as a conflict.
pub(crate) async fn insert_all<T: Kind>(
    tx: &Transaction<'_>,
    scope: &Scope,
    records: &[&T],
) -> Done<()> {
    let sql = format!(
        "INSERT INTO {} (tenant, person, id, at, sealed)
         SELECT $1, $2, r.id, r.at, r.sealed
         FROM unnest($3::text[], $4::timestamptz[], $5::bytea[]) AS r(id, at, sealed)
         ON CONFLICT (tenant, person, id) DO NOTHING RETURNING id",
        T::TABLE
    );
    let ids: Vec<&str> = records.iter().map(|r| r.id()).collect();
    let ats: Vec<DateTime<Utc>> = records.iter().map(|r| r.at().to_utc()).collect();
    let sealed = records
        .iter()
        .map(|r| seal(T::TABLE, scope, r.id(), r))
        .collect::<Done<Vec<Vec<u8>>>>()?;
    let rows = tx
        .query(&sql, &[&scope.tenant, &scope.person, &ids, &ats, &sealed])
        .await?;
    if rows.len() == records.len() {
        return Ok(());
    }
    let stored: std::collections::HashSet<String> = rows.iter().map(|r| r.get(0)).collect();
    let taken = ids.iter().find(|id| !stored.contains(**id)).unwrap_or(&"");
    Err(Fail(StoreError::Conflict {
        id: taken.to_string(),
    }))
}

/// Replaces the stored record with `record`'s id; whether there was one.
pub(crate) async fn update<T: Kind>(tx: &Transaction<'_>, scope: &Scope, record: &T) -> Done<bool> {
    let sql = format!(
        "UPDATE {} SET at = $4, sealed = $5 WHERE tenant = $1 AND person = $2 AND id = $3",
        T::TABLE
    );
    let sealed = seal(T::TABLE, scope, record.id(), record)?;
    let at = record.at().with_timezone(&Utc);
    let update = tx.prepare_cached(&sql).await?;
    let n = tx
        .execute(
            &update,
            &[&scope.tenant, &scope.person, &record.id(), &at, &sealed],
        )
        .await?;
    Ok(n == 1)
}

/// Deletes the record `id` of kind `T`; whether there was one.
pub(crate) async fn delete<T: Kind>(tx: &Transaction<'_>, scope: &Scope, id: &str) -> Done<bool> {
    let sql = format!(
        "DELETE FROM {} WHERE tenant = $1 AND person = $2 AND id = $3",
        T::TABLE
    );
    let n = tx
        .execute(&sql, &[&scope.tenant, &scope.person, &id])
        .await?;
    Ok(n == 1)
}
