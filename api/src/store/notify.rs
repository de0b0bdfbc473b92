//! PostgreSQL notifications sent from within a tenant's transaction: delivered to the listeners
//! only if, and when, that transaction commits.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use super::{Scoped, StoreResult};

/// Sends each of `payloads` on `channel` with `pg_notify`, in one statement, inside the scope's
/// transaction. The payloads carry the scope's tenant (they touch no table). Does nothing on a
/// database without notifications.
pub async fn notify<C: ConnectionTrait>(
    scope: &Scoped<C>,
    channel: &str,
    payloads: &[String],
) -> StoreResult<()> {
    if payloads.is_empty() || scope.connection().get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let calls: Vec<String> = (0..payloads.len())
        .map(|index| format!("pg_notify($1, ${})", index + 2))
        .collect();
    let mut values: Vec<Value> = Vec::with_capacity(payloads.len() + 1);
    values.push(channel.into());
    values.extend(payloads.iter().map(|payload| Value::from(payload.as_str())));
    scope
        .connection()
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("SELECT {}", calls.join(", ")),
            values,
        ))
        .await?;
    Ok(())
}
