//! The people whose data the server holds: each gets a fresh data key,
//! wrapped by the server key, when they are created; deleting a person
//! deletes all their data (every table cascades from `people`).

use crate::keys::{Secret, ServerKey};
use crate::store::{scoped, DataError};
use deadpool_postgres::Pool;
use uuid::Uuid;

/// Makes `person` of `tenant` (and the tenant, the first time) with a
/// fresh data key. [`DataError::PersonExists`] if they exist already.
pub async fn create(
    pool: &Pool,
    key: &ServerKey,
    tenant: Uuid,
    person: Uuid,
) -> Result<(), DataError> {
    let mut client = pool.get().await?;
    key.record_check(&client).await?;
    let tx = scoped(&mut client, tenant, person).await?;
    tx.execute(
        "INSERT INTO tenants (id) VALUES ($1) ON CONFLICT (id) DO NOTHING",
        &[&tenant],
    )
    .await?;
    let wrapped = key.wrap(tenant, person, &Secret::random());
    let added = tx
        .execute(
            "INSERT INTO people (tenant, id, wrapped_key) VALUES ($1, $2, $3)
             ON CONFLICT (tenant, id) DO NOTHING",
            &[&tenant, &person, &wrapped],
        )
        .await?;
    if added == 0 {
        return Err(DataError::PersonExists { tenant, person });
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes `person` of `tenant` and everything they stored, in one
/// transaction. [`DataError::NoPerson`] if there is no such person.
pub async fn delete(pool: &Pool, tenant: Uuid, person: Uuid) -> Result<(), DataError> {
    let mut client = pool.get().await?;
    let tx = scoped(&mut client, tenant, person).await?;
    let deleted = tx
        .execute(
            "DELETE FROM people WHERE tenant = $1 AND id = $2",
            &[&tenant, &person],
        )
        .await?;
    if deleted == 0 {
        return Err(DataError::NoPerson { tenant, person });
    }
    tx.commit().await?;
    Ok(())
}
