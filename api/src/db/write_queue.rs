//! SQLite's writers, queued in the process in the order they came, rather than left to SQLite's
//! busy handler.
//!
//! Why: SQLite has one write lock per file. A connection that finds it taken does not wait on
//! it; its busy handler sleeps and tries again, sleeping longer each time (1, 2, 5, 10 … up to
//! 100 ms between tries, until the busy timeout). The lock is then won by whichever writer
//! happens to try just after it is released, not by the one that waited longest, and the
//! writer is idle while every waiter sleeps. With four batches of 1 000 measurements in flight,
//! a batch's p50 was 60–82 ms and its p99 1.4–2.2 s; queued, its p99 is 0.16–0.26 s
//! (bench/README.md, "Ninth round"). Here a
//! write transaction first waits for its turn behind the earlier ones (a fair, first-come
//! first-served lock), then begins (`BEGIN IMMEDIATE`), and holds the turn until it commits or
//! rolls back: within the process the lock is never contended, and the next writer begins as
//! soon as the previous one ends. Another process writing the same file still meets SQLite's
//! busy handler, as before.
//!
//! The wait for a turn is bounded by the busy timeout (`LEVIER_DATABASE_BUSY_TIMEOUT_MS`), as
//! the wait for the lock was: a writer that cannot begin within it is told to retry (503).

use std::{sync::Arc, time::Duration};

use sea_orm::{DatabaseConnection, DbBackend};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// The queue of the process's write transactions on one SQLite database (cheap to clone).
#[derive(Debug, Clone)]
pub struct WriteQueue(Arc<Queue>);

#[derive(Debug)]
struct Queue {
    turn: Arc<Mutex<()>>,
    wait_at_most: Duration,
}

/// A write transaction's turn: the next one in the queue begins when it is dropped.
#[derive(Debug)]
pub struct WriteTurn {
    _held: OwnedMutexGuard<()>,
}

/// No turn came within the busy timeout.
#[derive(Debug, thiserror::Error)]
#[error("no turn to write within {0:?}: other write transactions held the database")]
pub struct NoTurn(pub Duration);

impl WriteQueue {
    /// A queue for the writers of `connection`'s database when it is SQLite's (`None` on
    /// PostgreSQL, whose writers lock rows, not the database); a writer waits for its turn at
    /// most `wait_at_most`.
    pub fn for_database(connection: &DatabaseConnection, wait_at_most: Duration) -> Option<Self> {
        (connection.get_database_backend() == DbBackend::Sqlite).then(|| Self::new(wait_at_most))
    }

    fn new(wait_at_most: Duration) -> Self {
        Self(Arc::new(Queue {
            turn: Arc::new(Mutex::new(())),
            wait_at_most,
        }))
    }

    /// Waits for the turn of a write transaction that is about to begin: after every writer
    /// that asked before, and at most the busy timeout.
    pub async fn turn(&self) -> Result<WriteTurn, NoTurn> {
        let queue = &self.0;
        tokio::time::timeout(queue.wait_at_most, queue.turn.clone().lock_owned())
            .await
            .map(|held| WriteTurn { _held: held })
            .map_err(|_| NoTurn(queue.wait_at_most))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex as StdMutex;

    use super::*;

    fn queue(wait_at_most: Duration) -> WriteQueue {
        WriteQueue::new(wait_at_most)
    }

    #[tokio::test]
    async fn writers_get_their_turns_in_the_order_they_asked() {
        let queue = queue(Duration::from_secs(5));
        let order = Arc::new(StdMutex::new(Vec::new()));
        let first = queue.turn().await.unwrap_or_else(|error| panic!("{error}"));
        let mut waiting = Vec::new();
        for writer in 0..5 {
            let (queue, order) = (queue.clone(), order.clone());
            waiting.push(tokio::spawn(async move {
                let turn = queue.turn().await.unwrap_or_else(|error| panic!("{error}"));
                order.lock().unwrap_or_else(|e| e.into_inner()).push(writer);
                tokio::task::yield_now().await;
                drop(turn);
            }));
            // Each waiter is queued before the next one asks.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        drop(first);
        for task in waiting {
            task.await.unwrap_or_else(|error| panic!("{error}"));
        }
        assert_eq!(
            *order.lock().unwrap_or_else(|e| e.into_inner()),
            vec![0, 1, 2, 3, 4]
        );
    }

    #[tokio::test]
    async fn a_writer_gives_up_after_the_busy_timeout_and_the_next_one_gets_the_turn() {
        let queue = queue(Duration::from_millis(100));
        let held = queue.turn().await.unwrap_or_else(|error| panic!("{error}"));
        let started = tokio::time::Instant::now();
        let refused = queue.turn().await;
        assert!(matches!(refused, Err(NoTurn(wait)) if wait == Duration::from_millis(100)));
        assert!(started.elapsed() >= Duration::from_millis(100));
        drop(held);
        assert!(queue.turn().await.is_ok(), "the turn is free again");
    }
}
