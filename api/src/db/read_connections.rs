//! Connections kept out of the pool for the reads a scope makes outside a transaction, on
//! PostgreSQL.
//!
//! Why: SeaORM takes a pooled connection for each statement run outside a transaction and drops
//! it after, and sqlx checks every connection given back to its pool with one more exchange with
//! the server (`Sync`, then waiting for `ReadyForQuery`), with no way to turn it off. For a read
//! of one row by id that exchange is as long as the read: it cost PostgreSQL about 27 µs on top
//! of a 35–37 µs `SELECT`, and the light read ran 1.38× faster without it (bench/README.md,
//! "CPU per nested read", sixth round). Reads that run on a kept connection skip it: the
//! connection goes back on a stack here, not to the pool.
//!
//! What keeps this safe:
//! - Only statements that run outside a transaction come here, and each is one statement: a
//!   kept connection carries no state from one read to the next.
//! - A statement that fails, or whose future is dropped mid-way (a cancelled request), gives
//!   its connection back to the pool, whose check on release finds a connection left in an
//!   unknown state.
//! - A connection idle for [`IDLE_BEFORE_CHECK`] or more is never lent again from here: it goes
//!   back to the pool, which checks it as it would check any connection idle that long. A task
//!   does the same every [`IDLE_BEFORE_CHECK`], so that after a burst of reads the pool gets
//!   its connections back.
//! - A connection is kept for at most [`KEPT_AT_MOST`] before it goes back to the pool, so
//!   that the pool's own rules (its connections' maximum lifetime) still apply under a load that
//!   never lets it idle.
//! - Reads are served in the order they asked: when every kept connection is lent, a read waits
//!   both for the pool and, in a queue of its own, for the next kept connection given back,
//!   which goes to the longest-waiting read rather than onto the stack. (Without the queue, a
//!   kept connection went to whichever read asked next, while earlier ones waited in the
//!   pool's queue for the two connections left to it: the nested read's p99 grew by 1.66×.)
//! - At most [`ReadConnections::limit`] connections are kept
//!   (`LEVIER_DATABASE_KEPT_READ_CONNECTIONS`, by default two fewer than the pool holds), so
//!   that writes and the server's own statements always find connections in the pool; and a
//!   write transaction that is about to wait for one takes a kept connection back to the pool
//!   ([`ReadConnections::writer`]).

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex, PoisonError, Weak,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant, SystemTime},
};

use sea_orm::{
    ConnAcquireErr, DatabaseConnection, DbBackend, DbErr, QueryResult, RuntimeErr, Statement,
    sqlx::{self, PgConnection, PgPool, Postgres, pool::PoolConnection},
};

use tokio::sync::oneshot;

use super::{IDLE_BEFORE_CHECK, StatementCounter};

/// The longest a connection is kept before it goes back to the pool.
const KEPT_AT_MOST: Duration = Duration::from_secs(60);

/// The connections kept for reads, shared by every request of the server (cheap to clone).
#[derive(Clone)]
pub struct ReadConnections(Arc<Kept>);

impl std::fmt::Debug for ReadConnections {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ReadConnections")
            .field("kept", &self.0.kept.load(Ordering::Relaxed))
            .field("limit", &self.0.limit)
            .finish()
    }
}

/// A connection on the stack, since when it has been idle there, and since when it is kept.
struct Idle {
    connection: PoolConnection<Postgres>,
    since: Instant,
    kept_since: Instant,
}

/// The idle kept connections and the reads waiting for one: never both at once, except for
/// waiters that gave up (their senders are closed).
#[derive(Default)]
struct Shelf {
    /// The idle kept connections, the most recently used on top (it is the likeliest to be
    /// warm in the server's caches, and the others age out).
    idle: Vec<Idle>,
    /// The reads waiting for a kept connection, the longest-waiting first.
    waiting: VecDeque<oneshot::Sender<Lent>>,
}

struct Kept {
    pool: PgPool,
    shelf: Mutex<Shelf>,
    /// Connections out of the pool on our account: idle on the stack, or lent as kept.
    kept: AtomicUsize,
    limit: usize,
    /// Write transactions waiting to begin: while there are any, connections go back to the
    /// pool rather than onto the stack.
    writers: AtomicUsize,
    closed: AtomicBool,
    counter: StatementCounter,
}

impl ReadConnections {
    /// At most `limit` kept connections for the pool of `connection`, when it is PostgreSQL's;
    /// `None` on SQLite (whose statements cost no round trip) or when `limit` is 0. The limit
    /// is lowered to leave at least one connection to the pool. Must be called within the Tokio
    /// runtime: it starts the task that gives idle connections back.
    pub fn for_pool(
        connection: &DatabaseConnection,
        limit: u32,
        counter: &StatementCounter,
    ) -> Option<Self> {
        if connection.get_database_backend() != DbBackend::Postgres {
            return None;
        }
        let pool = connection.get_postgres_connection_pool().clone();
        let limit = limit.min(pool.options().get_max_connections().saturating_sub(1));
        if limit == 0 {
            return None;
        }
        let kept = Arc::new(Kept {
            pool,
            shelf: Mutex::new(Shelf::default()),
            kept: AtomicUsize::new(0),
            limit: limit as usize,
            writers: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
            counter: counter.clone(),
        });
        tokio::spawn(give_back_idle(Arc::downgrade(&kept)));
        Some(Self(kept))
    }

    /// The most connections kept at once.
    pub fn limit(&self) -> usize {
        self.0.limit
    }

    /// How many connections are kept now, idle or lent.
    pub fn kept(&self) -> usize {
        self.0.kept.load(Ordering::Relaxed)
    }

    /// How many kept connections are idle on the stack now (for the pool's gauges: they are
    /// idle, though out of the pool).
    pub fn idle(&self) -> usize {
        self.0.lock_shelf().idle.len()
    }

    /// Runs one read and returns its rows.
    pub async fn query_all(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let rows = self
            .run(&statement, async |query, connection| {
                query.fetch_all(connection).await
            })
            .await?;
        Ok(rows.into_iter().map(QueryResult::from).collect())
    }

    /// Runs one read and returns its first row, if any.
    pub async fn query_one(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        let row = self
            .run(&statement, async |query, connection| {
                query.fetch_optional(connection).await
            })
            .await?;
        Ok(row.map(QueryResult::from))
    }

    /// Runs `statement` with `fetch` on a lent connection, reports it, and gives the
    /// connection back.
    async fn run<T>(
        &self,
        statement: &Statement,
        fetch: impl AsyncFnOnce(SqlxQuery<'_>, &mut PgConnection) -> Result<T, sqlx::Error>,
    ) -> Result<T, DbErr> {
        let mut lent = self.0.lend().await?;
        let started = SystemTime::now();
        let query = sea_query_sqlx_statement(statement);
        let result = match lent.connection.as_deref_mut() {
            Some(connection) => fetch(query, connection).await,
            None => Err(sqlx::Error::PoolClosed),
        };
        self.0.observe(statement, started, result.is_err());
        lent.give_back(result.is_ok());
        result.map_err(query_error)
    }

    /// Marks a write transaction about to take a connection from the pool, until the returned
    /// guard is dropped: when the pool has no idle connection, one kept idle connection goes
    /// back to it now, and while the guard lives, reads give theirs back to the pool too.
    pub fn writer(&self) -> WriterWaiting {
        self.0.writers.fetch_add(1, Ordering::AcqRel);
        if self.0.pool.num_idle() == 0
            && let Some(idle) = self.0.lock_shelf().idle.pop()
        {
            self.0.release(idle.connection);
        }
        WriterWaiting(self.0.clone())
    }

    /// Gives every kept connection back to the pool and keeps none from now on (at shutdown);
    /// the reads waiting for one wait for the pool alone.
    pub fn close(&self) {
        self.0.closed.store(true, Ordering::Release);
        let shelf = std::mem::take(&mut *self.0.lock_shelf());
        for connection in shelf.idle {
            self.0.release(connection.connection);
        }
    }
}

/// A write transaction waiting for a pooled connection (see [`ReadConnections::writer`]).
pub struct WriterWaiting(Arc<Kept>);

impl Drop for WriterWaiting {
    fn drop(&mut self) {
        self.0.writers.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A statement as sqlx runs it.
type SqlxQuery<'a> = sqlx::query::Query<'a, Postgres, sea_query_sqlx::SqlxValues>;

/// The statement as sqlx runs it, its values bound as SeaORM binds them (a copy: the statement
/// is reported afterwards with their count).
fn sea_query_sqlx_statement(statement: &Statement) -> SqlxQuery<'_> {
    let values = statement
        .values
        .clone()
        .unwrap_or(sea_orm::sea_query::Values(Vec::new()));
    sqlx::query_with(
        sqlx::AssertSqlSafe(statement.sql.as_str()),
        sea_query_sqlx::SqlxValues(values),
    )
}

/// A failed read, as SeaORM reports one.
fn query_error(error: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(Arc::new(error)))
}

/// A connection that could not be had, as SeaORM reports one.
fn acquire_error(error: sqlx::Error) -> DbErr {
    match error {
        sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
        sqlx::Error::PoolClosed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
        error => DbErr::Conn(RuntimeErr::SqlxError(Arc::new(error))),
    }
}

impl Kept {
    fn lock_shelf(&self) -> std::sync::MutexGuard<'_, Shelf> {
        self.shelf.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a connection may go (or stay) on the stack now.
    fn keeping(&self) -> bool {
        !self.closed.load(Ordering::Acquire) && self.writers.load(Ordering::Acquire) == 0
    }

    /// A connection for one read: the most recently used idle kept one; else one from the
    /// pool, kept after the read while fewer than the limit are kept; else, every kept one
    /// being lent, whichever comes first of the next kept one given back (to the reads in the
    /// order they asked) and one from the pool (used once).
    async fn lend(self: &Arc<Self>) -> Result<Lent, DbErr> {
        let way = {
            let mut shelf = self.lock_shelf();
            loop {
                let Some(idle) = shelf.idle.pop() else {
                    break;
                };
                if idle.since.elapsed() < IDLE_BEFORE_CHECK {
                    return Ok(Lent {
                        connection: Some(idle.connection),
                        kept: Some(self.clone()),
                        kept_since: idle.kept_since,
                    });
                }
                // Idle too long to lend unchecked: the pool checks it on its way back.
                self.release(idle.connection);
            }
            if !self.keeping() {
                Way::Pool
            } else if self
                .kept
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |kept| {
                    (kept < self.limit).then_some(kept + 1)
                })
                .is_ok()
            {
                Way::PoolToKeep
            } else {
                let (sender, receiver) = oneshot::channel();
                shelf.waiting.retain(|waiter| !waiter.is_closed());
                shelf.waiting.push_back(sender);
                Way::Either(receiver)
            }
        };
        let pooled = |kept: Option<Arc<Self>>| {
            move |connection| Lent {
                connection: Some(connection),
                kept,
                kept_since: Instant::now(),
            }
        };
        match way {
            Way::Pool => self
                .pool
                .acquire()
                .await
                .map(pooled(None))
                .map_err(acquire_error),
            Way::PoolToKeep => match self.pool.acquire().await {
                Ok(connection) => Ok(pooled(Some(self.clone()))(connection)),
                Err(error) => {
                    self.kept.fetch_sub(1, Ordering::AcqRel);
                    Err(acquire_error(error))
                }
            },
            Way::Either(mut receiver) => {
                tokio::select! {
                    biased;
                    Ok(lent) = &mut receiver => Ok(lent),
                    connection = self.pool.acquire() => {
                        // A kept connection handed over meanwhile goes back to the pool with
                        // the receiver (`Lent`'s drop).
                        connection.map(pooled(None)).map_err(acquire_error)
                    }
                }
            }
        }
    }

    /// Gives a kept connection back to the pool.
    fn release(&self, connection: PoolConnection<Postgres>) {
        self.kept.fetch_sub(1, Ordering::AcqRel);
        drop(connection);
    }

    /// Counts and reports a statement as SeaORM's metric callback does for the pool's.
    fn observe(&self, statement: &Statement, started: SystemTime, failed: bool) {
        super::observe_statement(
            &self.counter,
            &sea_orm::metric::Info {
                elapsed: started.elapsed().unwrap_or_default(),
                statement,
                failed,
            },
        );
    }

    /// Gives back the connections idle for [`IDLE_BEFORE_CHECK`] or more.
    fn give_back_idle(&self) {
        let stale: Vec<Idle> = {
            let idle = &mut self.lock_shelf().idle;
            // The oldest are at the bottom of the stack.
            let fresh_from = idle
                .iter()
                .position(|idle| idle.since.elapsed() < IDLE_BEFORE_CHECK)
                .unwrap_or(idle.len());
            idle.drain(..fresh_from).collect()
        };
        for idle in stale {
            self.release(idle.connection);
        }
    }
}

impl Drop for Kept {
    fn drop(&mut self) {
        // Giving a connection back to the pool spawns a task; without a runtime (the process
        // ending) the connections are detached and closed with it instead.
        let shelf = std::mem::take(self.shelf.get_mut().unwrap_or_else(PoisonError::into_inner));
        let in_runtime = tokio::runtime::Handle::try_current().is_ok();
        for idle in shelf.idle {
            if in_runtime {
                drop(idle.connection);
            } else {
                drop(idle.connection.detach());
            }
        }
    }
}

/// Every [`IDLE_BEFORE_CHECK`], gives back the connections idle that long, until the kept
/// connections are dropped.
async fn give_back_idle(kept: Weak<Kept>) {
    let mut interval = tokio::time::interval(IDLE_BEFORE_CHECK);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match kept.upgrade() {
            Some(kept) => kept.give_back_idle(),
            None => return,
        }
    }
}

/// How a read gets its connection when no kept one is idle.
enum Way {
    /// From the pool, given back after the read: connections are not being kept.
    Pool,
    /// From the pool, kept after the read (the count is already raised).
    PoolToKeep,
    /// From the pool (used once), or a kept one handed over, whichever comes first.
    Either(oneshot::Receiver<Lent>),
}

/// A connection lent for one read.
struct Lent {
    /// Present until it is given back.
    connection: Option<PoolConnection<Postgres>>,
    /// Where it goes back to when it is kept; `None` for a pooled one (dropped back to the
    /// pool after the read).
    kept: Option<Arc<Kept>>,
    kept_since: Instant,
}

impl Lent {
    /// After the read: a kept connection that succeeded, while connections are being kept and
    /// it has not been kept for [`KEPT_AT_MOST`] yet, goes to the longest-waiting read, or onto
    /// the stack when none waits; any other goes back to the pool (`drop`).
    fn give_back(self, succeeded: bool) {
        let Some(kept) = self.kept.clone() else {
            return;
        };
        if !(succeeded && kept.keeping() && self.kept_since.elapsed() < KEPT_AT_MOST) {
            return;
        }
        let mut shelf = kept.lock_shelf();
        let mut lent = self;
        while let Some(waiter) = shelf.waiting.pop_front() {
            match waiter.send(lent) {
                Ok(()) => return,
                // That read stopped waiting (it got a pooled connection, or was cancelled).
                Err(back) => lent = back,
            }
        }
        if let Some(connection) = lent.connection.take() {
            lent.kept = None;
            shelf.idle.push(Idle {
                connection,
                since: Instant::now(),
                kept_since: lent.kept_since,
            });
        }
    }
}

impl Drop for Lent {
    /// A read whose future was dropped mid-way: its connection may have a reply pending, so it
    /// goes back to the pool, whose check on release reads or discards it.
    fn drop(&mut self) {
        if let (Some(connection), Some(kept)) = (self.connection.take(), self.kept.take()) {
            kept.release(connection);
        }
    }
}
