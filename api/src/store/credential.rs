//! What API keys and share links have in common as credentials: they are found by the prefix of
//! their secret before the tenant is known (the one unscoped read of their tables, decided by the
//! secret's digest), read again by id while a long-lived connection or a token they granted
//! stands, and stamped with their last use.

use chrono::{DateTime, Duration, Utc};
use entity::{Identified, api_key, share_link};
use sea_orm::{
    ColumnTrait, DatabaseConnection, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::StoreResult;

/// How long a recorded last use stands before the next use overwrites it.
pub const LAST_USED_GRANULARITY: Duration = Duration::seconds(60);

/// A table of secrets that authenticate: its secret's prefix and its last-use stamp.
pub trait CredentialTable: Identified {
    /// The column holding the secret's public prefix.
    fn prefix_column() -> Self::Column;
    /// The column stamped with the last use.
    fn last_used_column() -> Self::Column;
}

impl CredentialTable for api_key::Entity {
    fn prefix_column() -> api_key::Column {
        api_key::Column::Prefix
    }
    fn last_used_column() -> api_key::Column {
        api_key::Column::LastUsedAt
    }
}

impl CredentialTable for share_link::Entity {
    fn prefix_column() -> share_link::Column {
        share_link::Column::Prefix
    }
    fn last_used_column() -> share_link::Column {
        share_link::Column::LastUsedAt
    }
}

/// The credentials whose secret starts with `prefix`, whatever their tenant (authentication
/// only: the caller must match the digest before trusting any of them).
pub async fn find_by_prefix<E: CredentialTable>(
    db: &DatabaseConnection,
    prefix: &str,
) -> StoreResult<Vec<E::Model>> {
    Ok(E::find()
        .filter(E::prefix_column().eq(prefix))
        .all(db)
        .await?)
}

/// The credential `id` of `tenant_id` (authentication only: a long-lived connection or a token
/// it granted is accepted while it stands).
pub async fn find_for_authentication<E: CredentialTable>(
    db: &DatabaseConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> StoreResult<Option<E::Model>> {
    Ok(E::find()
        .filter(E::tenant_column().eq(tenant_id))
        .filter(E::id_column().eq(id))
        .one(db)
        .await?)
}

/// Records that the credential was used at `now`, unless a use was recorded within the last
/// minute: the comparison is in the statement, so most requests write nothing.
pub async fn record_use<E: CredentialTable>(
    db: &DatabaseConnection,
    tenant_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let last_used = E::last_used_column();
    E::update_many()
        .col_expr(last_used, Expr::value(now))
        .filter(E::tenant_column().eq(tenant_id))
        .filter(E::id_column().eq(id))
        .filter(
            last_used
                .is_null()
                .or(last_used.lt(now - LAST_USED_GRANULARITY)),
        )
        .exec(db)
        .await?;
    Ok(())
}
