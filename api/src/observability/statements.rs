//! The SQL statements of one HTTP request, counted for the access line and the
//! `levier_http_request_sql_statements` histogram.
//!
//! The database's statement callback (`db::connect`) runs inside the future that runs the
//! statement, so a tokio task-local set around the request's handling tells it which request to
//! count for, without passing anything through the layers. Work a request hands to other tasks
//! — the DataLoaders' batches (`graphql::loaders`) — takes the counter along with
//! [`carried`]. Statements outside any request (start-up, the LISTEN task) count for none.

use std::{
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
};

use futures::future::Either;

tokio::task_local! {
    static REQUEST_STATEMENTS: Arc<AtomicU32>;
}

/// The statement counter of one request.
#[derive(Debug, Clone, Default)]
pub struct RequestStatements(Arc<AtomicU32>);

impl RequestStatements {
    /// Statements counted so far.
    pub fn count(&self) -> u32 {
        self.0.load(Ordering::Relaxed)
    }

    /// `future`, with the statements it runs counted here.
    pub fn scope<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
        REQUEST_STATEMENTS.scope(Arc::clone(&self.0), future)
    }
}

/// Counts one statement for the request whose work is running (none outside a request).
pub fn count_statement() {
    let _outside_a_request = REQUEST_STATEMENTS.try_with(|count| {
        count.fetch_add(1, Ordering::Relaxed);
    });
}

/// `future`, counting its statements for the request whose work is running now: for the tasks
/// a request spawns.
pub fn carried<F: Future>(future: F) -> impl Future<Output = F::Output> {
    match REQUEST_STATEMENTS.try_with(Arc::clone) {
        Ok(count) => Either::Left(REQUEST_STATEMENTS.scope(count, future)),
        Err(_) => Either::Right(future),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn statements_count_for_the_request_that_runs_them_and_its_tasks() {
        let first = RequestStatements::default();
        let second = RequestStatements::default();
        first
            .scope(async {
                count_statement();
                // A task the request spawns counts for it when it carries the counter.
                let spawned = tokio::spawn(carried(async { count_statement() }));
                let _ = spawned.await;
                // One it does not carry it to counts for nobody.
                let _ = tokio::spawn(async { count_statement() }).await;
            })
            .await;
        second.scope(async { count_statement() }).await;
        count_statement();
        assert_eq!((first.count(), second.count()), (2, 1));
    }
}
