//! A scope's connection, with its reads outside a transaction run on connections kept out of
//! the pool (`db::ReadConnections`, PostgreSQL only; why there: that module's comment), and its
//! write transactions begun in their turn (`db::WriteQueue`, SQLite only).
//!
//! Every statement of a scope goes through [`Routed`]: the store's modules hand it to SeaORM's
//! `.one()`, `.all()` and `.exec()` like any connection. Reads (`query_one_raw`,
//! `query_all_raw`) go to the kept connections when the scope has them, which only a scope on
//! the pool outside a transaction does; writes, and every statement of a transaction, run on
//! the connection itself.

use std::sync::Arc;

use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult, Statement,
    TransactionOptions, TransactionTrait,
};

use crate::db::{Lanes, ReadConnections, WriteTurn};
use crate::store::StoreResult;

/// A connection (`C`), and where its reads run when it is the pool's.
#[derive(Debug, Clone)]
pub struct Routed<C> {
    pub(super) inner: C,
    /// The kept connections and the writers' queue of the pool; empty in a transaction.
    lanes: Lanes,
    /// In a write transaction on SQLite, the turn it holds: the next writer of the process
    /// begins when the transaction ends and this is dropped (after `inner`, declared first).
    _turn: Option<Arc<WriteTurn>>,
}

impl<C> Routed<C> {
    /// `inner`, its reads run and its transactions begun through `lanes`.
    pub(super) fn new(inner: C, lanes: Lanes) -> Self {
        Self {
            inner,
            lanes,
            _turn: None,
        }
    }

    /// A transaction begun by [`Routed::begin_write`], holding `turn` for its life.
    pub(super) fn transaction(inner: C, turn: Option<WriteTurn>) -> Self {
        Self {
            inner,
            lanes: Lanes::default(),
            _turn: turn.map(Arc::new),
        }
    }

    fn reads(&self) -> Option<&ReadConnections> {
        self.lanes.reads.as_ref()
    }
}

impl<C: TransactionTrait<Transaction = DatabaseTransaction>> Routed<C> {
    /// Begins a write transaction with `options`: on SQLite after the process's earlier
    /// writers, whose turns come first (`db::WriteQueue`); on PostgreSQL after marking a
    /// writer waiting, so that reads give kept connections back to the pool
    /// ([`ReadConnections::writer`]). The turn is returned for the transaction to hold.
    pub(super) async fn begin_write(
        &self,
        options: TransactionOptions,
    ) -> StoreResult<(DatabaseTransaction, Option<WriteTurn>)> {
        let turn = match &self.lanes.writes {
            Some(queue) => Some(queue.turn().await?),
            None => None,
        };
        let _writer = self.reads().map(ReadConnections::writer);
        let transaction = self.inner.begin_with_options(options).await?;
        Ok((transaction, turn))
    }
}

#[async_trait::async_trait]
impl<C: ConnectionTrait> ConnectionTrait for Routed<C> {
    fn get_database_backend(&self) -> DbBackend {
        self.inner.get_database_backend()
    }

    async fn execute_raw(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        self.inner.execute_raw(statement).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.inner.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        match self.reads() {
            Some(reads) => reads.query_one(statement).await,
            None => self.inner.query_one_raw(statement).await,
        }
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self.reads() {
            Some(reads) => reads.query_all(statement).await,
            None => self.inner.query_all_raw(statement).await,
        }
    }

    fn support_returning(&self) -> bool {
        self.inner.support_returning()
    }

    fn is_mock_connection(&self) -> bool {
        self.inner.is_mock_connection()
    }
}
