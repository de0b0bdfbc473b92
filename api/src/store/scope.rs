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
//! meanwhile: no amount of waiting can make its snapshot current again. Before it begins, a
//! write transaction of the server waits for its turn behind the server's earlier ones
//! (`db::WriteQueue`), so that SQLite's lock goes to the writers in the order they came.

use chrono::{DateTime, Utc};
use entity::{Identified, TenantOwned, Versioned};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseExecutor, DatabaseTransaction, DbErr, FromQueryResult, IntoActiveModel, QueryFilter,
    QueryResult, QueryTrait, Select, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    Value,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use sea_orm::{IdenStatic, ModelTrait};
use std::sync::Arc;

use uuid::Uuid;

use super::{StoreError, StoreResult, audit};
use crate::db::Lanes;

mod by_id;
mod routed;

pub use routed::Routed;

/// How every transaction starts: as a writer on SQLite (ignored by PostgreSQL, whose rows are
/// locked one by one as they are written).
const WRITE_TRANSACTION: TransactionOptions = TransactionOptions {
    isolation_level: None,
    access_mode: None,
    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
};

/// The condition on the rows of tenant `tenant_id`, which every statement of a scope carries.
fn tenant_rows<E: TenantOwned>(tenant_id: Uuid) -> Condition {
    Condition::all().add(E::tenant_column().eq(tenant_id))
}

/// The statement of [`Scoped::find`] in a scope not bound to a plan, as `Select::one` builds
/// it: the tenant's rows, that id, at most one row.
fn find_in_tenant<E: Identified>(
    backend: sea_orm::DbBackend,
    tenant_id: Uuid,
    id: Uuid,
) -> sea_orm::Statement {
    let mut query = E::find()
        .filter(tenant_rows::<E>(tenant_id))
        .filter(E::id_column().eq(id))
        .into_query();
    query.limit(1);
    backend.build(&query)
}

/// A connection a scope can write on: a pooled connection, or a transaction. Its writes run on
/// a [`DatabaseExecutor`] borrowed from it.
pub trait ScopeConnection:
    ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>
{
    /// The connection as an executor.
    fn executor(&self) -> DatabaseExecutor<'_>;
}

impl ScopeConnection for DatabaseConnection {
    fn executor(&self) -> DatabaseExecutor<'_> {
        DatabaseExecutor::Connection(self)
    }
}

impl ScopeConnection for DatabaseTransaction {
    fn executor(&self) -> DatabaseExecutor<'_> {
        DatabaseExecutor::Transaction(self)
    }
}

/// Runs `$body` (an expression giving a `StoreResult`) with `$scope` bound to `$self` on its
/// transaction, or, outside one, on a new transaction committed when `$body` succeeds: a write
/// and its audit rows commit together or not at all.
macro_rules! atomically {
    ($self:ident, $scope:ident => $body:expr) => {{
        // The transaction of this one write, and its turn among SQLite's writers, held until
        // it commits (or, on an error, rolls back as both are dropped: the transaction first,
        // as it is declared last).
        let (_turn, own) = if $self.in_transaction {
            (None, None)
        } else {
            let (transaction, turn) = $self.connection.begin_write(WRITE_TRANSACTION).await?;
            (turn, Some(transaction))
        };
        let result = {
            let $scope = $self.borrowed(match &own {
                Some(transaction) => DatabaseExecutor::Transaction(transaction),
                None => $self.connection.inner.executor(),
            });
            $body
        }?;
        if let Some(transaction) = own {
            transaction.commit().await?;
        }
        Ok(result)
    }};
}

/// A connection bound to one tenant, and, for the holder of a share link, to one plan of it.
#[derive(Debug, Clone)]
pub struct Scoped<C> {
    /// The connection; outside a transaction, its reads may run on connections kept out of the
    /// pool (`routed.rs`).
    connection: Routed<C>,
    tenant_id: Uuid,
    /// The one plan this scope sees, when it is bound to one: every read then also keeps only
    /// that plan's rows (`plan_bound::condition`), and nothing is written.
    plan_id: Option<Uuid>,
    /// Who the writes are made by, for the audit trail.
    audit: Arc<audit::AuditContext>,
    /// Whether `connection` is a transaction: a write outside one opens its own, so that its
    /// audit rows commit with it.
    in_transaction: bool,
}

/// PostgreSQL's form of [`Scoped::one_of`]: `column IN (SELECT unnest(CAST($1 AS uuid[])))`,
/// the ids bound as one array literal. Public for the test that checks its plan.
pub fn postgres_one_of<Col: ColumnTrait>(
    column: Col,
    ids: impl IntoIterator<Item = Uuid>,
) -> sea_orm::sea_query::SimpleExpr {
    let mut array = String::from("{");
    for (index, id) in ids.into_iter().enumerate() {
        if index > 0 {
            array.push(',');
        }
        array.push_str(id.as_hyphenated().encode_lower(&mut Uuid::encode_buffer()));
    }
    array.push('}');
    let column = format!(
        "\"{}\".\"{}\" IN (SELECT unnest(CAST($1 AS uuid[])))",
        column.entity_name(),
        column.as_str()
    );
    Expr::cust_with_values(column, [array])
}

impl Scoped<DatabaseConnection> {
    /// Binds a connection to a tenant, its reads run and its transactions begun through
    /// `lanes`. Only the domain session calls this, after authorization.
    pub(crate) fn new(connection: DatabaseConnection, lanes: Lanes, tenant_id: Uuid) -> Self {
        Self {
            connection: Routed::new(connection, lanes),
            tenant_id,
            plan_id: None,
            audit: Arc::default(),
            in_transaction: false,
        }
    }

    /// Binds a connection to one plan of a tenant (a share link's holder): reads see only that
    /// plan's rows, and writes are refused. Only the domain session calls this.
    pub(crate) fn within_plan(
        connection: DatabaseConnection,
        lanes: Lanes,
        tenant_id: Uuid,
        plan_id: Uuid,
    ) -> Self {
        Self {
            connection: Routed::new(connection, lanes),
            tenant_id,
            plan_id: Some(plan_id),
            audit: Arc::default(),
            in_transaction: false,
        }
    }

    /// Starts a write transaction bound to the same tenant. On SQLite it waits for its turn
    /// among the server's writers, then holds the write lock from the start, so other writers
    /// wait for its commit; when the turn or the lock cannot be had within the busy timeout the
    /// error is [`StoreError::Unavailable`].
    pub async fn begin(&self) -> StoreResult<Scoped<DatabaseTransaction>> {
        let (transaction, turn) = self.connection.begin_write(WRITE_TRANSACTION).await?;
        Ok(Scoped {
            connection: Routed::transaction(transaction, turn),
            tenant_id: self.tenant_id,
            plan_id: self.plan_id,
            audit: self.audit.clone(),
            in_transaction: true,
        })
    }

    /// The same scope, its writes recorded in the audit trail as made by `context`'s actor.
    /// Only the domain session calls this.
    pub(crate) fn audited_as(mut self, context: Arc<audit::AuditContext>) -> Self {
        self.audit = context;
        self
    }
}

impl Scoped<DatabaseTransaction> {
    /// Commits the transaction; dropping it without committing rolls everything back.
    pub async fn commit(self) -> StoreResult<()> {
        Ok(self.connection.inner.commit().await?)
    }
}

impl<C: ConnectionTrait> Scoped<C> {
    /// The tenant every statement is bound to.
    pub fn tenant_id(&self) -> Uuid {
        self.tenant_id
    }

    /// The connection, for the store's own modules only.
    pub(super) fn connection(&self) -> &Routed<C> {
        &self.connection
    }

    /// The plan this scope is bound to, if it is (a share link's holder).
    pub fn plan_id(&self) -> Option<Uuid> {
        self.plan_id
    }

    /// The condition every statement of this scope carries: the tenant's rows, and, in a scope
    /// bound to a plan, that plan's.
    fn bounds<E: TenantOwned>(&self) -> Condition {
        let tenant = tenant_rows::<E>(self.tenant_id);
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

    /// `column IN (ids)`, as a filter. On PostgreSQL it is `column IN (SELECT unnest($1))` with
    /// the ids bound as one array: the statement reads the same whatever their number, so it is
    /// prepared once and planned for one array rather than for a list of as many parameters.
    /// The ids are unnested in a subquery, which the database evaluates once and joins (a hash
    /// semi-join, or one index probe per id). The earlier `column = ANY(CAST($1 AS uuid[]))`
    /// became, in the generic plan PostgreSQL switches a prepared statement to after five runs,
    /// a filter that cast the whole array again for every row it looked at: 300–400 ms for the
    /// levers of 400 campaigns on a table not yet analysed, against 2 ms now (bench/README.md).
    /// SQLite keeps `IN (…)`.
    pub fn one_of<Col: ColumnTrait>(
        &self,
        column: Col,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> sea_orm::sea_query::SimpleExpr {
        match self.connection.get_database_backend() {
            sea_orm::DbBackend::Postgres => postgres_one_of(column, ids),
            _ => column.is_in(ids),
        }
    }

    /// `SELECT … FROM table WHERE tenant_id = ?` (and, in a scope bound to a plan, only that
    /// plan's rows), to refine further.
    pub fn select<E: TenantOwned>(&self) -> Select<E> {
        E::find().filter(self.bounds::<E>())
    }

    /// One row by id, or `None`. Outside a plan-bound scope its statement is built once per
    /// table (`by_id`).
    pub async fn find<E: Identified>(&self, id: Uuid) -> StoreResult<Option<E::Model>> {
        if self.plan_id.is_some() {
            return Ok(self
                .select::<E>()
                .filter(E::id_column().eq(id))
                .one(&self.connection)
                .await?);
        }
        let backend = self.connection.get_database_backend();
        let statement = by_id::statement::<E>(backend, self.tenant_id, id, find_in_tenant::<E>);
        match self.connection.query_one_raw(statement).await? {
            Some(row) => Ok(Some(E::Model::from_query_result(&row, "")?)),
            None => Ok(None),
        }
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

    /// Like [`Scoped::find_many`], each row made into a model by `decode`, which gets the row
    /// as `SELECT` of the entity's columns reads it (in the order of its `Column` enum).
    pub async fn find_many_decoded<E: Identified>(
        &self,
        ids: &[Uuid],
        decode: impl Fn(&QueryResult) -> Result<E::Model, DbErr>,
    ) -> StoreResult<Vec<E::Model>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let statement = self
            .select::<E>()
            .filter(self.one_of(E::id_column(), ids.iter().copied()))
            .build(self.connection.get_database_backend());
        let rows = self.connection.query_all_raw(statement).await?;
        Ok(rows.iter().map(decode).collect::<Result<_, _>>()?)
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

    /// Appends explicit audit entries (a batch's, an arbitrage's) for this scope's tenant and
    /// actor, on this scope's connection: inside a transaction, they commit with it.
    pub async fn audit(&self, entries: Vec<audit::Entry>) -> StoreResult<()> {
        self.writable()?;
        audit::append(&self.connection, self.tenant_id, &self.audit, entries).await
    }

    /// The audit rows of rows written, deleted or detached: per object, or on the parent of
    /// link rows (`key` says whether they were `"added"` or `"removed"`).
    fn entries_of<E: TenantOwned>(
        rows: Vec<(Option<JsonRow>, Option<JsonRow>)>,
        action: Option<&str>,
    ) -> Vec<audit::Entry> {
        match audit::audited(E::default().table_name()) {
            audit::Audited::Object(object_type) => rows
                .into_iter()
                .filter_map(|(before, after)| {
                    audit::object_entry(object_type, before, after, action)
                })
                .collect(),
            audit::Audited::Link {
                parent,
                parent_type,
                field,
            } => {
                let (removed, added): (Vec<_>, Vec<_>) =
                    rows.into_iter().partition(|(before, _)| before.is_some());
                let mut entries = audit::link_entries(
                    parent,
                    parent_type,
                    field,
                    removed
                        .into_iter()
                        .filter_map(|(before, _)| before)
                        .collect(),
                    "removed",
                );
                entries.extend(audit::link_entries(
                    parent,
                    parent_type,
                    field,
                    added.into_iter().filter_map(|(_, after)| after).collect(),
                    "added",
                ));
                entries
            }
            audit::Audited::Batch => Vec::new(),
        }
    }
}

/// A row as the audit trail records it: camelCase field names, JSON values.
type JsonRow = serde_json::Map<String, serde_json::Value>;

/// The writes. Each appends its audit rows (`store::audit`) on the same connection; a scope that
/// is not a transaction runs the write and its audit rows in one of their own, so that neither
/// is ever committed without the other.
impl<C: ScopeConnection> Scoped<C> {
    /// This scope on another connection: its own transaction, or one opened for one write.
    fn borrowed<'a>(&self, connection: DatabaseExecutor<'a>) -> Scoped<DatabaseExecutor<'a>> {
        Scoped {
            connection: Routed::new(connection, Lanes::default()),
            tenant_id: self.tenant_id,
            plan_id: self.plan_id,
            audit: self.audit.clone(),
            in_transaction: true,
        }
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
        atomically!(self, scope => async {
            let model = row.insert(&scope.connection).await?;
            let entries =
                Self::entries_of::<E>(vec![(None, Some(audit::model_json(&model)))], None);
            scope.audit(entries).await?;
            Ok::<_, StoreError>(model)
        }
        .await)
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
        atomically!(self, scope => async {
            // The row as it was, for the trail's `before`; a missing row or another version is
            // refused without writing.
            let before = scope.get::<E>(id).await?;
            let update = E::update_many()
                .set(changes)
                .col_expr(E::version_column(), Expr::col(E::version_column()).add(1))
                .col_expr(E::updated_at_column(), Expr::value(chrono::Utc::now()))
                .filter(E::tenant_column().eq(scope.tenant_id))
                .filter(E::id_column().eq(id))
                .filter(E::version_column().eq(expected_version));
            // PostgreSQL returns the row as updated; SQLite (built without `RETURNING`) reads it.
            let after = if scope.connection.support_returning() {
                update.exec_with_returning(&scope.connection).await?.pop()
            } else if update.exec(&scope.connection).await?.rows_affected == 0 {
                None
            } else {
                Some(scope.get::<E>(id).await?)
            };
            let Some(after) = after else {
                return Err(StoreError::Conflict);
            };
            let entries = Self::entries_of::<E>(
                vec![(
                    Some(audit::model_json(&before)),
                    Some(audit::model_json(&after)),
                )],
                None,
            );
            scope.audit(entries).await?;
            Ok::<_, StoreError>(after)
        }
        .await)
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
    /// row. On an object table each row is recorded as `UPSERTED`, with the values written.
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
        atomically!(self, scope => async {
            let action = on_conflict.is_some().then_some(audit::UPSERTED);
            let entries = scope.write_rows(rows, on_conflict).await?;
            scope
                .audit(Self::entries_of::<E>(
                    entries.into_iter().map(|row| (None, Some(row))).collect(),
                    action,
                ))
                .await
        }
        .await)
    }

    /// Replaces the child rows of `parent` (the rows whose `parent_column` is it, such as a
    /// campaign's persona links) by `rows`: one statement reads the old rows, one deletes them,
    /// one inserts the new; the change is recorded on the parent as one entry with the list
    /// before and after (none when it did not change).
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
        self.writable()?;
        atomically!(self, scope => async {
            let condition = Condition::all().add(parent_column.eq(parent));
            let old = scope.delete_rows::<E>(condition).await?;
            let new = scope.write_rows(rows, None).await?;
            let entries = match audit::audited(E::default().table_name()) {
                audit::Audited::Link {
                    parent: parent_name,
                    parent_type,
                    field,
                } => {
                    let members = |rows: Vec<JsonRow>| {
                        let parent_key = audit::camel(parent_name);
                        serde_json::Value::Array(
                            rows.into_iter()
                                .map(|mut row| {
                                    row.remove(&parent_key);
                                    audit::link_member(row)
                                })
                                .collect(),
                        )
                    };
                    let (before, after) = (members(old), members(new));
                    if before == after {
                        Vec::new()
                    } else {
                        vec![audit::Entry {
                            action: audit::UPDATED.to_owned(),
                            object_type: parent_type.to_owned(),
                            object_id: parent,
                            plan_id: (parent_type == "Plan").then_some(parent),
                            before: Some(serde_json::json!({ field: before })),
                            after: Some(serde_json::json!({ field: after })),
                            changed_fields: vec![field.to_owned()],
                            details: None,
                        }]
                    }
                }
                _ => {
                    let mut rows: Vec<_> = old.into_iter().map(|row| (Some(row), None)).collect();
                    rows.extend(new.into_iter().map(|row| (None, Some(row))));
                    Self::entries_of::<E>(rows, None)
                }
            };
            scope.audit(entries).await
        }
        .await)
    }

    /// Deletes the rows of a tenant-owned table that match `condition`, within this tenant.
    pub async fn delete_where<E: TenantOwned>(&self, condition: Condition) -> StoreResult<u64> {
        self.writable()?;
        atomically!(self, scope => async {
            let deleted = scope.delete_rows::<E>(condition).await?;
            let count = deleted.len() as u64;
            scope
                .audit(Self::entries_of::<E>(
                    deleted.into_iter().map(|row| (Some(row), None)).collect(),
                    None,
                ))
                .await?;
            Ok::<_, StoreError>(count)
        }
        .await)
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
        atomically!(self, scope => async {
            // The rows before, for the trail; after, they differ only by the link, the version
            // and the update time, so they are rebuilt rather than read again.
            let detached = scope
                .select::<E>()
                .filter(link_column.eq(target))
                .all(&scope.connection)
                .await?;
            if detached.is_empty() {
                return Ok::<_, StoreError>(0);
            }
            let now = chrono::Utc::now();
            E::update_many()
                .col_expr(link_column, Expr::value(Option::<Uuid>::None))
                .col_expr(E::version_column(), Expr::col(E::version_column()).add(1))
                .col_expr(E::updated_at_column(), Expr::value(now))
                .filter(E::tenant_column().eq(scope.tenant_id))
                .filter(scope.one_of(
                    E::id_column(),
                    detached.iter().filter_map(|model| {
                        <Uuid as sea_orm::sea_query::ValueType>::try_from(
                            model.get(E::id_column()),
                        )
                        .ok()
                    }),
                ))
                .exec(&scope.connection)
                .await?;
            let count = detached.len() as u64;
            let (link, version, updated_at) = (
                audit::camel(link_column.as_str()),
                audit::camel(E::version_column().as_str()),
                audit::camel(E::updated_at_column().as_str()),
            );
            let rows = detached
                .iter()
                .map(|model| {
                    let before = audit::model_json(model);
                    let mut after = before.clone();
                    after.insert(link.clone(), serde_json::Value::Null);
                    if let Some(number) = before.get(&version).and_then(|v| v.as_i64()) {
                        after.insert(version.clone(), serde_json::Value::from(number + 1));
                    }
                    after.insert(updated_at.clone(), audit::json_of(&Value::from(now)));
                    (Some(before), Some(after))
                })
                .collect();
            scope
                .audit(Self::entries_of::<E>(rows, None))
                .await?;
            Ok::<_, StoreError>(count)
        }
        .await)
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

/// The statements of the writes, on a connection already in a transaction; they return the rows
/// they wrote or deleted as the trail records them, and append nothing themselves.
impl Scoped<DatabaseExecutor<'_>> {
    /// Inserts (or upserts) `rows` in one statement; returns the values written.
    async fn write_rows<E, A>(
        &self,
        rows: Vec<A>,
        on_conflict: Option<OnConflict>,
    ) -> StoreResult<Vec<JsonRow>>
    where
        E: TenantOwned,
        A: ActiveModelTrait<Entity = E> + Send,
    {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let now = Utc::now();
        let rows: Vec<A> = rows.into_iter().map(|row| self.new_row(row, now)).collect();
        let written = match audit::audited(E::default().table_name()) {
            audit::Audited::Batch => Vec::new(),
            _ => rows.iter().map(audit::active_json).collect(),
        };
        let mut insert = E::insert_many(rows);
        if let Some(on_conflict) = on_conflict {
            insert = insert.on_conflict(on_conflict);
        }
        insert.exec_without_returning(&self.connection).await?;
        Ok(written)
    }

    /// Deletes the rows matching `condition`; returns them as they were (read first, in the same
    /// transaction; a batch table's rows are counted but not read).
    async fn delete_rows<E: TenantOwned>(&self, condition: Condition) -> StoreResult<Vec<JsonRow>> {
        let condition = Condition::all()
            .add(E::tenant_column().eq(self.tenant_id))
            .add(condition);
        if audit::audited(E::default().table_name()) == audit::Audited::Batch {
            let result = E::delete_many()
                .filter(condition)
                .exec(&self.connection)
                .await?;
            return Ok(vec![JsonRow::new(); result.rows_affected as usize]);
        }
        let rows = E::find()
            .filter(condition.clone())
            .all(&self.connection)
            .await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        E::delete_many()
            .filter(condition)
            .exec(&self.connection)
            .await?;
        Ok(rows.iter().map(audit::model_json).collect())
    }
}

#[cfg(test)]
mod tests;
