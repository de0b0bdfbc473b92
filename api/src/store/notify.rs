//! PostgreSQL notifications sent from within a tenant's transaction: delivered to the listeners
//! only if, and when, that transaction commits.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value, sea_query::ArrayType};

use super::{Scoped, StoreResult};

/// Sends each of `payloads` on `channel` with `pg_notify`, in one statement, inside the scope's
/// transaction: the payloads are bound as one array, so that the statement is the same (and
/// prepared once) whatever their number. The payloads carry the scope's tenant (they touch no
/// table). Does nothing on a database without notifications.
pub async fn notify<C: ConnectionTrait>(
    scope: &Scoped<C>,
    channel: &str,
    payloads: &[String],
) -> StoreResult<()> {
    if payloads.is_empty() || scope.connection().get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let payloads = payloads
        .iter()
        .map(|payload| Value::from(payload.as_str()))
        .collect();
    scope
        .connection()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, payload) FROM UNNEST($2::text[]) AS payload",
            [
                Value::from(channel),
                Value::Array(ArrayType::String, Some(Box::new(payloads))),
            ],
        ))
        .await?;
    Ok(())
}
