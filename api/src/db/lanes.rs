//! Where a scope's statements go besides the pool: its reads outside a transaction to the
//! connections kept for them (PostgreSQL, `read_connections.rs`), its write transactions through
//! the process's queue of writers (SQLite, `write_queue.rs`). Built once with the pool and
//! handed to every session.

use sea_orm::DatabaseConnection;

use super::{ReadConnections, StatementCounter, WriteQueue};
use crate::config::Config;

/// The kept read connections and the writers' queue of one database; either is `None` where
/// the database does not need it (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct Lanes {
    /// The connections kept out of the pool for reads (PostgreSQL, when the server keeps any).
    pub reads: Option<ReadConnections>,
    /// The queue write transactions wait in before they begin (SQLite).
    pub writes: Option<WriteQueue>,
}

impl Lanes {
    /// The lanes of `connection`'s database as `config` sets them. Must be called within the
    /// Tokio runtime (see [`ReadConnections::for_pool`]).
    pub fn for_pool(
        connection: &DatabaseConnection,
        config: &Config,
        counter: &StatementCounter,
    ) -> Self {
        Self {
            reads: ReadConnections::for_pool(connection, config.kept_read_connections(), counter),
            writes: WriteQueue::for_database(connection, config.database_busy_timeout),
        }
    }
}
