//! The tenant scope: the one access path to tenant-owned tables.
//!
//! A [`Scoped`] pairs a connection (or transaction) with a tenant id. Only the domain's session
//! creates one, after the policy has allowed the caller's permission; every method adds
//! `tenant_id = ?` to the statement it builds, so a row of another tenant behaves exactly like
//! a missing one.

use entity::{Identified, TenantOwned, Versioned};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    IntoActiveModel, QueryFilter, Select, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{StoreError, StoreResult};

/// A connection bound to one tenant.
#[derive(Debug, Clone)]
pub struct Scoped<C> {
    connection: C,
    tenant_id: Uuid,
}

impl Scoped<DatabaseConnection> {
    /// Binds a connection to a tenant. Only the domain session calls this, after authorization.
    pub(crate) fn new(connection: DatabaseConnection, tenant_id: Uuid) -> Self {
        Self {
            connection,
            tenant_id,
        }
    }

    /// Starts a transaction bound to the same tenant.
    pub async fn begin(&self) -> StoreResult<Scoped<DatabaseTransaction>> {
        Ok(Scoped {
            connection: self.connection.begin().await?,
            tenant_id: self.tenant_id,
        })
    }
}

impl Scoped<DatabaseTransaction> {
    /// Commits the transaction; dropping it without committing rolls everything back.
    pub async fn commit(self) -> StoreResult<()> {
        Ok(self.connection.commit().await?)
    }
}

impl<C: ConnectionTrait> Scoped<C> {
    /// The tenant every statement is bound to.
    pub fn tenant_id(&self) -> Uuid {
        self.tenant_id
    }

    /// The connection, for the store's own modules only.
    pub(super) fn connection(&self) -> &C {
        &self.connection
    }

    /// `SELECT … FROM table WHERE tenant_id = ?`, to refine further.
    pub fn select<E: TenantOwned>(&self) -> Select<E> {
        E::find().filter(E::tenant_column().eq(self.tenant_id))
    }

    /// One row by id, or `None`.
    pub async fn find<E: Identified>(&self, id: Uuid) -> StoreResult<Option<E::Model>> {
        Ok(self
            .select::<E>()
            .filter(E::id_column().eq(id))
            .one(&self.connection)
            .await?)
    }

    /// One row by id, or [`StoreError::NotFound`].
    pub async fn get<E: Identified>(&self, id: Uuid) -> StoreResult<E::Model> {
        self.find::<E>(id).await?.ok_or(StoreError::NotFound)
    }

    /// The rows among `ids` that exist for this tenant, in no particular order.
    pub async fn find_many<E: Identified>(&self, ids: &[Uuid]) -> StoreResult<Vec<E::Model>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .select::<E>()
            .filter(E::id_column().is_in(ids.iter().copied()))
            .all(&self.connection)
            .await?)
    }

    /// Inserts a row after forcing its `tenant_id` to this scope's tenant.
    pub async fn insert<E, A>(&self, mut row: A) -> StoreResult<E::Model>
    where
        E: TenantOwned,
        A: ActiveModelTrait<Entity = E> + sea_orm::ActiveModelBehavior + Send,
        E::Model: IntoActiveModel<A>,
    {
        row.set(E::tenant_column(), self.tenant_id.into());
        Ok(row.insert(&self.connection).await?)
    }

    /// Updates the columns set in `changes` on the row `id` if its version is `expected_version`,
    /// and bumps the version. Reports [`StoreError::NotFound`] or [`StoreError::Conflict`].
    pub async fn update_versioned<E, A>(
        &self,
        id: Uuid,
        expected_version: i32,
        changes: A,
    ) -> StoreResult<E::Model>
    where
        E: Versioned,
        A: ActiveModelTrait<Entity = E> + Send,
    {
        let result = E::update_many()
            .set(changes)
            .col_expr(E::version_column(), Expr::col(E::version_column()).add(1))
            .col_expr(E::updated_at_column(), Expr::value(chrono::Utc::now()))
            .filter(E::tenant_column().eq(self.tenant_id))
            .filter(E::id_column().eq(id))
            .filter(E::version_column().eq(expected_version))
            .exec(&self.connection)
            .await?;
        if result.rows_affected == 0 {
            return Err(match self.find::<E>(id).await? {
                Some(_) => StoreError::Conflict,
                None => StoreError::NotFound,
            });
        }
        self.get::<E>(id).await
    }

    /// Inserts rows of a tenant-owned table (link rows), forcing their `tenant_id`.
    pub async fn insert_many<E, A>(&self, rows: Vec<A>) -> StoreResult<()>
    where
        E: TenantOwned,
        A: ActiveModelTrait<Entity = E> + Send,
    {
        if rows.is_empty() {
            return Ok(());
        }
        let rows = rows.into_iter().map(|mut row| {
            row.set(E::tenant_column(), self.tenant_id.into());
            row
        });
        E::insert_many(rows)
            .exec_without_returning(&self.connection)
            .await?;
        Ok(())
    }

    /// Inserts rows of a tenant-owned table, forcing their `tenant_id`; a row that collides with
    /// an existing one on `on_conflict`'s unique key updates it instead. The conflict target
    /// must include `tenant_id`, so that a collision can only ever be with this tenant's row.
    pub async fn upsert_many<E, A>(
        &self,
        rows: Vec<A>,
        on_conflict: sea_orm::sea_query::OnConflict,
    ) -> StoreResult<()>
    where
        E: TenantOwned,
        A: ActiveModelTrait<Entity = E> + Send,
    {
        if rows.is_empty() {
            return Ok(());
        }
        let rows = rows.into_iter().map(|mut row| {
            row.set(E::tenant_column(), self.tenant_id.into());
            row
        });
        E::insert_many(rows)
            .on_conflict(on_conflict)
            .exec_without_returning(&self.connection)
            .await?;
        Ok(())
    }

    /// Deletes the rows of a tenant-owned table that match `condition`, within this tenant.
    pub async fn delete_where<E: TenantOwned>(
        &self,
        condition: sea_orm::Condition,
    ) -> StoreResult<u64> {
        let result = E::delete_many()
            .filter(E::tenant_column().eq(self.tenant_id))
            .filter(condition)
            .exec(&self.connection)
            .await?;
        Ok(result.rows_affected)
    }

    /// Sets `link_column` to NULL on every row of this tenant that points at `target`, bumping
    /// their versions (a detached row has changed); returns how many rows were detached. Used
    /// before deleting a row that others point at without a cascading foreign key.
    pub async fn detach<E: Versioned>(
        &self,
        link_column: E::Column,
        target: Uuid,
    ) -> StoreResult<u64> {
        let result = E::update_many()
            .col_expr(link_column, Expr::value(Option::<Uuid>::None))
            .col_expr(E::version_column(), Expr::col(E::version_column()).add(1))
            .col_expr(E::updated_at_column(), Expr::value(chrono::Utc::now()))
            .filter(E::tenant_column().eq(self.tenant_id))
            .filter(link_column.eq(target))
            .exec(&self.connection)
            .await?;
        Ok(result.rows_affected)
    }

    /// Deletes the row `id`; [`StoreError::NotFound`] when there is none for this tenant.
    pub async fn delete<E: Identified>(&self, id: Uuid) -> StoreResult<()> {
        let result = E::delete_many()
            .filter(E::tenant_column().eq(self.tenant_id))
            .filter(E::id_column().eq(id))
            .exec(&self.connection)
            .await?;
        if result.rows_affected == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }
}
