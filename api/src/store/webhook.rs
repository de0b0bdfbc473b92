//! Webhook endpoints and their delivery log. The API reads and writes them through the tenant
//! scope; the dispatcher claims endpoints across tenants (the one unscoped statement of these
//! tables: [`claim`], which only takes leases) and then works on each through its tenant's
//! scope. Every write of the dispatcher is conditional on still holding the endpoint's lease,
//! so that two processes never move one endpoint's cursor.

use chrono::{DateTime, Utc};
use entity::{webhook_delivery, webhook_endpoint};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{
    Scoped, StoreError, StoreResult,
    page::{self, Page, PageRequest},
};

/// One page of the tenant's endpoints, oldest first.
pub async fn list<C: ConnectionTrait>(
    scope: &Scoped<C>,
    request: &PageRequest,
) -> StoreResult<Page<webhook_endpoint::Model>> {
    page::fetch(scope, scope.select::<webhook_endpoint::Entity>(), request).await
}

/// How many endpoints the tenant has.
pub async fn count<C: ConnectionTrait>(scope: &Scoped<C>) -> StoreResult<u64> {
    Ok(scope
        .select::<webhook_endpoint::Entity>()
        .count(scope.connection())
        .await?)
}

/// One page of the attempts at delivering to `endpoint_id`, oldest first.
pub async fn deliveries<C: ConnectionTrait>(
    scope: &Scoped<C>,
    endpoint_id: Uuid,
    request: &PageRequest,
) -> StoreResult<Page<webhook_delivery::Model>> {
    let select = scope
        .select::<webhook_delivery::Entity>()
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id));
    page::fetch(scope, select, request).await
}

/// How many attempts at delivering to `endpoint_id` are logged.
pub async fn count_deliveries<C: ConnectionTrait>(
    scope: &Scoped<C>,
    endpoint_id: Uuid,
) -> StoreResult<u64> {
    Ok(scope
        .select::<webhook_delivery::Entity>()
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id))
        .count(scope.connection())
        .await?)
}

/// True when any tenant has an enabled endpoint (the dispatcher idles otherwise).
pub async fn any_enabled(db: &DatabaseConnection) -> StoreResult<bool> {
    Ok(webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .one(db)
        .await?
        .is_some())
}

/// Takes, for `owner` until `until`, the lease of every enabled endpoint that is due (no
/// backoff pending) and that no other process holds, and returns the endpoints `owner` holds.
/// One conditional `UPDATE`: two processes claiming at once never both win an endpoint.
pub async fn claim(
    db: &DatabaseConnection,
    owner: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<Vec<webhook_endpoint::Model>> {
    let free = Condition::any()
        .add(webhook_endpoint::Column::LeaseOwner.is_null())
        .add(webhook_endpoint::Column::LeaseOwner.eq(owner))
        .add(webhook_endpoint::Column::LeaseExpiresAt.lt(now));
    let due = Condition::any()
        .add(webhook_endpoint::Column::NextAttemptAt.is_null())
        .add(webhook_endpoint::Column::NextAttemptAt.lte(now));
    webhook_endpoint::Entity::update_many()
        .col_expr(webhook_endpoint::Column::LeaseOwner, Expr::value(owner))
        .col_expr(webhook_endpoint::Column::LeaseExpiresAt, Expr::value(until))
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .filter(free)
        .filter(due)
        .exec(db)
        .await?;
    Ok(webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .filter(webhook_endpoint::Column::LeaseOwner.eq(owner))
        .filter(webhook_endpoint::Column::LeaseExpiresAt.gte(now))
        .order_by_asc(webhook_endpoint::Column::Id)
        .all(db)
        .await?)
}

/// Gives up every lease `owner` holds (at shutdown), so that another process takes over at
/// once rather than when the leases expire.
pub async fn release_all(db: &DatabaseConnection, owner: &str) -> StoreResult<()> {
    webhook_endpoint::Entity::update_many()
        .col_expr(
            webhook_endpoint::Column::LeaseOwner,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            webhook_endpoint::Column::LeaseExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(webhook_endpoint::Column::LeaseOwner.eq(owner))
        .exec(db)
        .await?;
    Ok(())
}

/// The endpoint `id`, still enabled and leased by `owner`, with the lease extended to
/// `until`; `None` when the lease was lost (or the endpoint disabled or deleted meanwhile).
pub async fn renew<C: ConnectionTrait>(
    scope: &Scoped<C>,
    id: Uuid,
    owner: &str,
    until: DateTime<Utc>,
) -> StoreResult<Option<webhook_endpoint::Model>> {
    let result = webhook_endpoint::Entity::update_many()
        .col_expr(webhook_endpoint::Column::LeaseExpiresAt, Expr::value(until))
        .filter(held(scope, id, owner))
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .exec(scope.connection())
        .await?;
    if result.rows_affected == 0 {
        return Ok(None);
    }
    scope.find::<webhook_endpoint::Entity>(id).await
}

/// The endpoint `id` of the scope's tenant, leased by `owner`.
fn held<C: ConnectionTrait>(scope: &Scoped<C>, id: Uuid, owner: &str) -> Condition {
    Condition::all()
        .add(webhook_endpoint::Column::TenantId.eq(scope.tenant_id()))
        .add(webhook_endpoint::Column::Id.eq(id))
        .add(webhook_endpoint::Column::LeaseOwner.eq(owner))
}

/// What a delivery attempt did to its endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Acknowledged (or not subscribed to): the cursor moves past the event, the failures are
    /// forgotten.
    Passed {
        /// The event's transaction id.
        txid: i64,
        /// The event's sequence number.
        seq: i64,
    },
    /// Failed, to be tried again not before `retry_at`.
    Failed {
        /// When the event is tried again.
        retry_at: DateTime<Utc>,
        /// When the current run of failures began.
        failing_since: DateTime<Utc>,
    },
    /// Failed for too long: the endpoint is disabled.
    Disabled {
        /// When the current run of failures began.
        failing_since: DateTime<Utc>,
    },
}

/// Applies what an attempt did to the endpoint `id`, if `owner` still holds it; false when it
/// does not (nothing is written then).
pub async fn settle<C: ConnectionTrait>(
    scope: &Scoped<C>,
    id: Uuid,
    owner: &str,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let update = webhook_endpoint::Entity::update_many().filter(held(scope, id, owner));
    let update = match outcome {
        Outcome::Passed { txid, seq } => update
            .col_expr(webhook_endpoint::Column::CursorTxid, Expr::value(txid))
            .col_expr(webhook_endpoint::Column::CursorSeq, Expr::value(seq))
            .col_expr(
                webhook_endpoint::Column::ConsecutiveFailures,
                Expr::value(0),
            )
            .col_expr(
                webhook_endpoint::Column::FailingSince,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                webhook_endpoint::Column::NextAttemptAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            ),
        Outcome::Failed {
            retry_at,
            failing_since,
        } => update
            .col_expr(
                webhook_endpoint::Column::ConsecutiveFailures,
                Expr::col(webhook_endpoint::Column::ConsecutiveFailures).add(1),
            )
            .col_expr(
                webhook_endpoint::Column::FailingSince,
                Expr::value(failing_since),
            )
            .col_expr(
                webhook_endpoint::Column::NextAttemptAt,
                Expr::value(retry_at),
            ),
        Outcome::Disabled { failing_since } => update
            .col_expr(
                webhook_endpoint::Column::ConsecutiveFailures,
                Expr::col(webhook_endpoint::Column::ConsecutiveFailures).add(1),
            )
            .col_expr(
                webhook_endpoint::Column::FailingSince,
                Expr::value(failing_since),
            )
            .col_expr(
                webhook_endpoint::Column::NextAttemptAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(webhook_endpoint::Column::Enabled, Expr::value(false))
            .col_expr(webhook_endpoint::Column::DisabledAt, Expr::value(now))
            .col_expr(
                webhook_endpoint::Column::DisabledReason,
                Expr::value(format!(
                    "every delivery failed since {}",
                    failing_since.to_rfc3339()
                )),
            )
            .col_expr(
                webhook_endpoint::Column::Version,
                Expr::col(webhook_endpoint::Column::Version).add(1),
            )
            .col_expr(webhook_endpoint::Column::UpdatedAt, Expr::value(now))
            .col_expr(
                webhook_endpoint::Column::LeaseOwner,
                Expr::value(Option::<String>::None),
            ),
    };
    Ok(update.exec(scope.connection()).await?.rows_affected > 0)
}

/// Sets where the endpoint `id` reads the feed from (a plain statement: the dispatcher's own
/// bookkeeping, not a change to record).
pub async fn start_at<C: ConnectionTrait>(
    scope: &Scoped<C>,
    id: Uuid,
    cursor_txid: i64,
    cursor_seq: i64,
) -> StoreResult<()> {
    if scope.plan_id().is_some() {
        return Err(StoreError::NotFound);
    }
    webhook_endpoint::Entity::update_many()
        .col_expr(
            webhook_endpoint::Column::CursorTxid,
            Expr::value(cursor_txid),
        )
        .col_expr(webhook_endpoint::Column::CursorSeq, Expr::value(cursor_seq))
        .filter(webhook_endpoint::Column::TenantId.eq(scope.tenant_id()))
        .filter(webhook_endpoint::Column::Id.eq(id))
        .exec(scope.connection())
        .await?;
    Ok(())
}

/// Enables the endpoint `id` again: failures forgotten, next attempt at once. Its cursor stays
/// where it was, so the events it missed are delivered (those still kept).
pub async fn enable<C: ConnectionTrait>(
    scope: &Scoped<C>,
    id: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<webhook_endpoint::Model> {
    if scope.plan_id().is_some() {
        return Err(StoreError::NotFound);
    }
    webhook_endpoint::Entity::update_many()
        .col_expr(webhook_endpoint::Column::Enabled, Expr::value(true))
        .col_expr(
            webhook_endpoint::Column::DisabledReason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            webhook_endpoint::Column::DisabledAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            webhook_endpoint::Column::ConsecutiveFailures,
            Expr::value(0),
        )
        .col_expr(
            webhook_endpoint::Column::FailingSince,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            webhook_endpoint::Column::NextAttemptAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            webhook_endpoint::Column::Version,
            Expr::col(webhook_endpoint::Column::Version).add(1),
        )
        .col_expr(webhook_endpoint::Column::UpdatedAt, Expr::value(now))
        .filter(webhook_endpoint::Column::TenantId.eq(scope.tenant_id()))
        .filter(webhook_endpoint::Column::Id.eq(id))
        .exec(scope.connection())
        .await?;
    scope.get::<webhook_endpoint::Entity>(id).await
}

/// Logs one attempt.
pub async fn log_delivery<C: super::scope::ScopeConnection>(
    scope: &Scoped<C>,
    row: webhook_delivery::ActiveModel,
) -> StoreResult<()> {
    scope.insert(row).await?;
    Ok(())
}

/// The lowest feed position any enabled endpoint of `tenant_id` has not delivered past yet,
/// as `(txid, seq)`; `None` when the tenant has no enabled endpoint. The retention purge keeps
/// every event after it.
pub async fn lowest_enabled_cursor(
    db: &DatabaseConnection,
    tenant_id: Uuid,
) -> StoreResult<Option<(i64, i64)>> {
    Ok(webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::TenantId.eq(tenant_id))
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .order_by_asc(webhook_endpoint::Column::CursorTxid)
        .order_by_asc(webhook_endpoint::Column::CursorSeq)
        .one(db)
        .await?
        .map(|endpoint| (endpoint.cursor_txid, endpoint.cursor_seq)))
}
