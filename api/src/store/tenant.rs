//! Tenants: created on the first verified request that names them. This is the one table the
//! store reads without a tenant scope, because it is how a scope's tenant is found.

use chrono::Utc;
use entity::{
    json_lists::StringList,
    review_enums::{ApprovedBudgetChanges, ReviewRole},
    tenant,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use uuid::Uuid;

use super::StoreResult;

/// The currency a new tenant starts with, until an admin changes it.
pub const DEFAULT_CURRENCY: &str = "EUR";

/// Finds the tenant with this key, creating it if it does not exist yet. Safe under concurrent
/// first requests and several server processes (`ON CONFLICT DO NOTHING`, then read).
pub async fn ensure(db: &DatabaseConnection, key: &str) -> StoreResult<tenant::Model> {
    if let Some(existing) = find_by_key(db, key).await? {
        return Ok(existing);
    }
    let row = tenant::ActiveModel {
        id: Set(Uuid::now_v7()),
        key: Set(key.to_owned()),
        name: Set(key.to_owned()),
        currency: Set(DEFAULT_CURRENCY.to_owned()),
        created_at: Set(Utc::now()),
        version: Set(1),
        // The review settings start as the migration's defaults.
        ..Default::default()
    };
    tenant::Entity::insert(row)
        .on_conflict(
            OnConflict::column(tenant::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    find_by_key(db, key)
        .await?
        .ok_or(super::StoreError::NotFound)
}

/// The tenant with this key.
pub async fn find_by_key(db: &DatabaseConnection, key: &str) -> StoreResult<Option<tenant::Model>> {
    Ok(tenant::Entity::find()
        .filter(tenant::Column::Key.eq(key))
        .one(db)
        .await?)
}

/// The tenant with this id (how an API key's tenant is found).
pub async fn find_by_id(db: &DatabaseConnection, id: Uuid) -> StoreResult<Option<tenant::Model>> {
    Ok(tenant::Entity::find_by_id(id).one(db).await?)
}

/// The scope's own tenant.
pub async fn current<C: sea_orm::ConnectionTrait>(
    scope: &super::Scoped<C>,
) -> StoreResult<tenant::Model> {
    tenant::Entity::find_by_id(scope.tenant_id())
        .one(scope.connection())
        .await?
        .ok_or(super::StoreError::NotFound)
}

/// The currency of the scope's tenant.
pub async fn currency<C: sea_orm::ConnectionTrait>(
    scope: &super::Scoped<C>,
) -> StoreResult<String> {
    Ok(current(scope).await?.currency)
}

/// Changes to the tenant's review settings; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewSettingsChanges {
    /// The least role that approves plans (`Some(None)`: no role, only the named approvers).
    pub approver_role: Option<Option<ReviewRole>>,
    /// The subjects that approve plans whatever their role.
    pub approvers: Option<Vec<String>>,
    /// What a change to the budgets of an approved plan does.
    pub approved_budget_changes: Option<ApprovedBudgetChanges>,
}

/// Changes the scope's tenant's name, currency and review settings if its version is
/// `expected_version`, and bumps the version. Reports [`super::StoreError::Conflict`] on a
/// stale version.
pub async fn update_settings<C: sea_orm::ConnectionTrait>(
    scope: &super::Scoped<C>,
    expected_version: i32,
    name: Option<String>,
    currency: Option<String>,
    review: ReviewSettingsChanges,
) -> StoreResult<tenant::Model> {
    use sea_orm::{
        ActiveEnum,
        sea_query::{Expr, ExprTrait},
    };
    let mut update = tenant::Entity::update_many()
        .col_expr(
            tenant::Column::Version,
            Expr::col(tenant::Column::Version).add(1),
        )
        .filter(tenant::Column::Id.eq(scope.tenant_id()))
        .filter(tenant::Column::Version.eq(expected_version));
    if let Some(name) = name {
        update = update.col_expr(tenant::Column::Name, Expr::value(name));
    }
    if let Some(currency) = currency {
        update = update.col_expr(tenant::Column::Currency, Expr::value(currency));
    }
    if let Some(role) = review.approver_role {
        update = update.col_expr(
            tenant::Column::ReviewApproverRole,
            Expr::value(role.map(|role| role.to_value())),
        );
    }
    if let Some(approvers) = review.approvers {
        update = update.col_expr(
            tenant::Column::ReviewApprovers,
            Expr::value(StringList(approvers)),
        );
    }
    if let Some(policy) = review.approved_budget_changes {
        update = update.col_expr(
            tenant::Column::ApprovedBudgetChanges,
            Expr::value(policy.to_value()),
        );
    }
    let result = update.exec(scope.connection()).await?;
    if result.rows_affected == 0 {
        current(scope).await?;
        return Err(super::StoreError::Conflict);
    }
    current(scope).await
}
