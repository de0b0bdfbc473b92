//! A scope's connection, with its reads outside a transaction run on connections kept out of
//! the pool (`db::ReadConnections`, PostgreSQL only; why there: that module's comment).
//!
//! Every statement of a scope goes through [`Routed`]: the store's modules hand it to SeaORM's
//! `.one()`, `.all()` and `.exec()` like any connection. Reads (`query_one_raw`,
//! `query_all_raw`) go to the kept connections when the scope has them, which only a scope on
//! the pool outside a transaction does; writes, and every statement of a transaction, run on
//! the connection itself.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, ExecResult, QueryResult, Statement};

use crate::db::{ReadConnections, WriterWaiting};

/// A connection (`C`), and where its reads run when it is the pool's.
#[derive(Debug, Clone)]
pub struct Routed<C> {
    pub(super) inner: C,
    /// The kept connections its reads run on; `None` in a transaction, on SQLite, and where
    /// the server keeps none.
    reads: Option<ReadConnections>,
}

impl<C> Routed<C> {
    /// `inner`, its reads run on `reads` when given.
    pub(super) fn new(inner: C, reads: Option<ReadConnections>) -> Self {
        Self { inner, reads }
    }

    /// Marks a write transaction about to begin on the pool (see
    /// [`ReadConnections::writer`]), when reads keep connections out of it.
    pub(super) fn writer(&self) -> Option<WriterWaiting> {
        self.reads.as_ref().map(ReadConnections::writer)
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
        match &self.reads {
            Some(reads) => reads.query_one(statement).await,
            None => self.inner.query_one_raw(statement).await,
        }
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match &self.reads {
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
