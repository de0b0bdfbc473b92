//! The tenant scope: the one access path to tenant-owned tables.
//!
//! A [`Scoped`] pairs a connection (or transaction) with a tenant id. Only the domain's session
//! creates one, after the policy has allowed the caller's permission; every method adds
//! `tenant_id = ?` to the statement it builds, so a row of another tenant behaves exactly like
//! a missing one.
//!
//! Every transaction is a write transaction, and starts as one: on SQLite it begins with
//! `BEGIN IMMEDIATE`, taking the database's single write lock at once (and waiting up to the
//! busy timeout for it). A deferred transaction would read first and then ask to upgrade to a
//! writer, which SQLite refuses at once ("database is locked") when another connection wrote
//! meanwhile: no amount of waiting can make its snapshot current again.

use chrono::{DateTime, Utc};
use entity::{Identified, TenantOwned, Versioned};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, IntoActiveModel, QueryFilter, Select, SqliteTransactionMode,
    TransactionOptions, TransactionTrait, Value,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use uuid::Uuid;

use super::{StoreError, StoreResult};

/// How every transaction starts: as a writer on SQLite (ignored by PostgreSQL, whose rows are
/// locked one by one as they are written).
const WRITE_TRANSACTION: TransactionOptions = TransactionOptions {
    isolation_level: None,
    access_mode: None,
    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
};

/// A connection bound to one tenant, and, for the holder of a share link, to one plan of it.
#[derive(Debug, Clone)]
pub struct Scoped<C> {
    connection: C,
    tenant_id: Uuid,
    /// The one plan this scope sees, when it is bound to one: every read then also keeps only
    /// that plan's rows (`plan_bound::condition`), and nothing is written.
    plan_id: Option<Uuid>,
}

impl Scoped<DatabaseConnection> {
    /// Binds a connection to a tenant. Only the domain session calls this, after authorization.
    pub(crate) fn new(connection: DatabaseConnection, tenant_id: Uuid) -> Self {
        Self {
            connection,
            tenant_id,
            plan_id: None,
        }
    }

    /// Binds a connection to one plan of a tenant (a share link's holder): reads see only that
    /// plan's rows, and writes are refused. Only the domain session calls this.
    pub(crate) fn within_plan(
        connection: DatabaseConnection,
        tenant_id: Uuid,
        plan_id: Uuid,
    ) -> Self {
        Self {
            connection,
            tenant_id,
            plan_id: Some(plan_id),
        }
    }

    /// Starts a write transaction bound to the same tenant. On SQLite it holds the write lock
    /// from the start, so other writers wait for its commit; when the lock cannot be had within
    /// the busy timeout the error is [`StoreError::Unavailable`].
    pub async fn begin(&self) -> StoreResult<Scoped<DatabaseTransaction>> {
        Ok(Scoped {
            connection: self
                .connection
                .begin_with_options(WRITE_TRANSACTION)
                .await?,
            tenant_id: self.tenant_id,
            plan_id: self.plan_id,
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

    /// The plan this scope is bound to, if it is (a share link's holder).
    pub fn plan_id(&self) -> Option<Uuid> {
        self.plan_id
    }

    /// The condition every statement of this scope carries: the tenant's rows, and, in a scope
    /// bound to a plan, that plan's.
    fn bounds<E: TenantOwned>(&self) -> Condition {
        let tenant = Condition::all().add(E::tenant_column().eq(self.tenant_id));
        match self.plan_id {
            Some(plan_id) => tenant.add(super::plan_bound::condition::<E>(self.tenant_id, plan_id)),
            None => tenant,
        }
    }

    /// Refuses a write in a scope bound to a plan: the policy gives a share link's holder no
    /// permission to write, and this is the store's own fence behind it.
    fn writable(&self) -> StoreResult<()> {
        match self.plan_id {
            Some(_) => Err(StoreError::NotFound),
            None => Ok(()),
        }
    }

    /// `column IN (ids)`, as a filter. On PostgreSQL it is `column = ANY($1)` with the ids
    /// bound as one array: the statement reads the same whatever their number, so it is
    /// prepared once and planned for one array rather than for a list of as many parameters
    /// (whose generic plans PostgreSQL falls back to after a few runs). SQLite keeps `IN (…)`.
    pub fn one_of<Col: ColumnTrait>(
        &self,
        column: Col,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> sea_orm::sea_query::SimpleExpr {
        match self.connection.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                let mut array = String::from("{");
                for (index, id) in ids.into_iter().enumerate() {
                    if index > 0 {
                        array.push(',');
                    }
                    array.push_str(id.as_hyphenated().encode_lower(&mut Uuid::encode_buffer()));
                }
                array.push('}');
                let column = format!(
                    "\"{}\".\"{}\" = ANY(CAST($1 AS uuid[]))",
                    column.entity_name(),
                    column.as_str()
                );
                Expr::cust_with_values(column, [array])
            }
            _ => column.is_in(ids),
        }
    }

    /// `SELECT … FROM table WHERE tenant_id = ?` (and, in a scope bound to a plan, only that
    /// plan's rows), to refine further.
    pub fn select<E: TenantOwned>(&self) -> Select<E> {
        E::find().filter(self.bounds::<E>())
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
            .filter(self.one_of(E::id_column(), ids.iter().copied()))
            .all(&self.connection)
            .await?)
    }

    /// A new row as written: its `tenant_id` forced to this scope's tenant, and the table's
    /// [`entity::Stamps`] (id, version, creation and update times) filled where the caller left
    /// them unset. The one place where new rows get them.
    fn new_row<E, A>(&self, mut row: A, now: DateTime<Utc>) -> A
    where
        E: TenantOwned,
        A: ActiveModelTrait<Entity = E>,
    {
        row.set(E::tenant_column(), self.tenant_id.into());
        let stamps = E::stamps();
        for (column, value) in [
            (stamps.id, Value::from(Uuid::now_v7())),
            (stamps.version, Value::from(1_i32)),
            (stamps.created_at, Value::from(now)),
            (stamps.updated_at, Value::from(now)),
        ] {
            if let Some(column) = column
                && row.is_not_set(column)
            {
                row.set(column, value);
            }
        }
        row
    }

    /// Inserts a new row (see [`Self::new_row`] for what the store fills in).
    pub async fn insert<E, A>(&self, row: A) -> StoreResult<E::Model>
    where
        E: TenantOwned,
        A: ActiveModelTrait<Entity = E> + sea_orm::ActiveModelBehavior + Send,
        E::Model: IntoActiveModel<A>,
    {
        self.writable()?;
        let row = self.new_row(row, Utc::now());
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
        self.writable()?;
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

    /// Inserts new rows in one statement (see [`Self::new_row`] for what the store fills in).
    pub async fn insert_many<E, A>(&self, rows: Vec<A>) -> StoreResult<()>
    where
        E: TenantOwned,
        A: ActiveModelTrait<Entity = E> + Send,
    {
        self.write_many(rows, None).await
    }

    /// Inserts new rows in one statement, as [`Self::insert_many`] does; a row that collides
    /// with an existing one on `on_conflict`'s unique key updates it instead. The conflict
    /// target must include `tenant_id`, so that a collision can only ever be with this tenant's
    /// row.
    pub async fn upsert_many<E, A>(&self, rows: Vec<A>, on_conflict: OnConflict) -> StoreResult<()>
    where
        E: TenantOwned,
        A: ActiveModelTrait<Entity = E> + Send,
    {
        self.write_many(rows, Some(on_conflict)).await
    }

    async fn write_many<E, A>(
        &self,
        rows: Vec<A>,
        on_conflict: Option<OnConflict>,
    ) -> StoreResult<()>
    where
        E: TenantOwned,
        A: ActiveModelTrait<Entity = E> + Send,
    {
        self.writable()?;
        if rows.is_empty() {
            return Ok(());
        }
        let now = Utc::now();
        let mut insert = E::insert_many(rows.into_iter().map(|row| self.new_row(row, now)));
        if let Some(on_conflict) = on_conflict {
            insert = insert.on_conflict(on_conflict);
        }
        insert.exec_without_returning(&self.connection).await?;
        Ok(())
    }

    /// Replaces the child rows of `parent` (the rows whose `parent_column` is it, such as a
    /// campaign's persona links) by `rows`, in two statements.
    pub async fn replace_children<E, A>(
        &self,
        parent_column: E::Column,
        parent: Uuid,
        rows: Vec<A>,
    ) -> StoreResult<()>
    where
        E: TenantOwned,
        A: ActiveModelTrait<Entity = E> + Send,
    {
        self.delete_where::<E>(Condition::all().add(parent_column.eq(parent)))
            .await?;
        self.insert_many::<E, A>(rows).await
    }

    /// Deletes the rows of a tenant-owned table that match `condition`, within this tenant.
    pub async fn delete_where<E: TenantOwned>(&self, condition: Condition) -> StoreResult<u64> {
        self.writable()?;
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
        self.writable()?;
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
        match self
            .delete_where::<E>(Condition::all().add(E::id_column().eq(id)))
            .await?
        {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
