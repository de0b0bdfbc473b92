//! The connections kept out of the pool for reads outside a transaction (PostgreSQL only:
//! `api/src/db/read_connections.rs`): reads keep them up to the limit and give them back when
//! idle, when they fail, when they are cancelled, when a write transaction would wait for one,
//! and at shutdown; the API's reads run on them; SQLite keeps none.

use std::time::Duration;

use levier::{
    Config,
    db::{self, ReadConnections, StatementCounter},
};
use sea_orm::{DatabaseConnection, DbErr, Statement};
use serde_json::json;

use crate::support::{TestApp, create_plan, fresh_database_url, on_postgres};

/// A pool of `max` connections on a fresh database, and its kept read connections (`kept` of
/// them, or the default).
async fn pool_of(
    max: u32,
    kept: Option<u32>,
) -> (
    DatabaseConnection,
    Option<ReadConnections>,
    StatementCounter,
) {
    let mut config = Config::development(fresh_database_url().await);
    config.database_max_connections = max;
    config.database_kept_read_connections = kept;
    config.database_acquire_timeout = Duration::from_millis(500);
    let counter = StatementCounter::default();
    let connection = db::connect(&config, &counter)
        .await
        .unwrap_or_else(|e| panic!("cannot connect: {e}"));
    let reads = ReadConnections::for_pool(&connection, config.kept_read_connections(), &counter);
    (connection, reads, counter)
}

fn statement(sql: &str) -> Statement {
    Statement::from_string(sea_orm::DbBackend::Postgres, sql)
}

/// `SELECT 1` on a kept connection, read back.
async fn select_one(reads: &ReadConnections) -> i32 {
    let row = reads
        .query_one(statement("SELECT 1 AS one"))
        .await
        .unwrap_or_else(|e| panic!("the read failed: {e}"))
        .unwrap_or_else(|| panic!("no row"));
    row.try_get::<i32>("", "one")
        .unwrap_or_else(|e| panic!("no column: {e}"))
}

#[tokio::test]
async fn reads_keep_at_most_the_limit_and_give_idle_connections_back() {
    if !on_postgres() {
        let (_, reads, _) = pool_of(10, None).await;
        assert!(reads.is_none(), "SQLite keeps no connection");
        return;
    }
    let (connection, reads, counter) = pool_of(5, None).await;
    let reads = reads.unwrap_or_else(|| panic!("PostgreSQL keeps connections"));
    assert_eq!(reads.limit(), 3, "two of five are left to the pool");

    // One read at a time reuses one kept connection.
    for _ in 0..5 {
        assert_eq!(select_one(&reads).await, 1);
    }
    assert_eq!((reads.kept(), reads.idle()), (1, 1));
    assert_eq!(counter.get(), 5, "each read is counted");

    // Reads in parallel keep more, never beyond the limit; the rest go back to the pool.
    let rows = futures::future::join_all((0..5).map(|_| {
        reads.query_all(statement(
            "SELECT pg_sleep(0.2), n FROM generate_series(1, 3) AS n",
        ))
    }))
    .await;
    for rows in rows {
        assert_eq!(rows.map(|rows| rows.len()).ok(), Some(3));
    }
    assert_eq!(reads.kept(), 3);
    assert_eq!(reads.idle(), 3);
    // The two others are checked on their way back to the pool.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pool = connection.get_postgres_connection_pool();
    assert_eq!(
        pool.size() as usize - pool.num_idle(),
        3,
        "the kept connections are out of the pool"
    );

    // Idle for longer than a second, they go back to the pool.
    tokio::time::sleep(Duration::from_millis(2_300)).await;
    assert_eq!((reads.kept(), reads.idle()), (0, 0));
    assert_eq!(select_one(&reads).await, 1);
}

#[tokio::test]
async fn a_failed_or_cancelled_read_gives_its_connection_back_to_the_pool() {
    if !on_postgres() {
        return;
    }
    let (_connection, reads, counter) = pool_of(5, None).await;
    let reads = reads.unwrap_or_else(|| panic!("PostgreSQL keeps connections"));

    let failed = reads.query_one(statement("SELECT 1 / 0")).await;
    assert!(
        matches!(failed, Err(DbErr::Query(_))),
        "a failed read is a query error, as SeaORM reports it: {failed:?}"
    );
    assert_eq!(
        reads.kept(),
        0,
        "a connection that failed a read is not kept"
    );
    assert_eq!(counter.get(), 1, "a failed read is counted too");

    // Cancelled mid-way: the reply still due is the pool's to discard, not the next read's.
    let cancelled = tokio::time::timeout(
        Duration::from_millis(100),
        reads.query_one(statement("SELECT pg_sleep(2)")),
    )
    .await;
    assert!(cancelled.is_err(), "the read was cancelled");
    assert_eq!(reads.kept(), 0, "a cancelled read's connection is not kept");
    for _ in 0..3 {
        assert_eq!(select_one(&reads).await, 1);
    }
    assert_eq!(reads.kept(), 1);
}

#[tokio::test]
async fn reads_waiting_for_a_kept_connection_get_it_in_the_order_they_asked() {
    if !on_postgres() {
        return;
    }
    // Two connections, one kept for reads; the other is held elsewhere, so that the pool has
    // nothing to give: the waiting reads can only be served by the kept connection.
    let (connection, reads, _) = pool_of(2, Some(1)).await;
    let reads = reads.unwrap_or_else(|| panic!("PostgreSQL keeps connections"));
    assert_eq!(reads.limit(), 1);
    assert_eq!(select_one(&reads).await, 1);
    let _elsewhere = connection
        .get_postgres_connection_pool()
        .acquire()
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let read = |sql: &'static str| {
        let reads = reads.clone();
        tokio::spawn(async move {
            let rows = reads.query_all(statement(sql)).await;
            (rows.map(|rows| rows.len()), std::time::Instant::now())
        })
    };
    let slow = read("SELECT pg_sleep(0.3)");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let first = read("SELECT 1");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let second = read("SELECT 2");
    let mut finished = Vec::new();
    for read in [slow, first, second] {
        let (rows, at) = read.await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            rows.ok(),
            Some(1),
            "each read is served by the kept connection"
        );
        finished.push(at);
    }
    assert!(
        finished[0] <= finished[1] && finished[1] <= finished[2],
        "served in the order they asked"
    );
    assert_eq!((reads.kept(), reads.idle()), (1, 1));
}

#[tokio::test]
async fn a_write_transaction_takes_an_idle_kept_connection_back_when_the_pool_has_none() {
    if !on_postgres() {
        return;
    }
    // Three connections, one kept for reads.
    let (connection, reads, _) = pool_of(3, None).await;
    let reads = reads.unwrap_or_else(|| panic!("PostgreSQL keeps connections"));
    let pool = connection.get_postgres_connection_pool();
    assert_eq!(select_one(&reads).await, 1);
    assert_eq!(reads.kept(), 1);
    // The two others in use elsewhere.
    let first = pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
    let second = pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pool.num_idle(), 0);

    // Without a writer's mark, the pool has nothing to give within its timeout.
    assert!(pool.acquire().await.is_err(), "the pool is exhausted");

    // A writer about to wait takes the kept connection back, and gets it.
    let writer = reads.writer();
    assert_eq!(reads.kept(), 0);
    let third = pool.acquire().await;
    assert!(third.is_ok(), "the writer gets a connection: {third:?}");
    // While it waits, reads give their connections back rather than keep them.
    drop((first, second));
    assert_eq!(select_one(&reads).await, 1);
    assert_eq!(reads.kept(), 0);
    drop(writer);
    assert_eq!(select_one(&reads).await, 1);
    assert_eq!(reads.kept(), 1);

    // Closed (the server stopping), nothing is kept any more.
    reads.close();
    assert_eq!((reads.kept(), reads.idle()), (0, 0));
    assert_eq!(select_one(&reads).await, 1);
    assert_eq!(reads.kept(), 0);
}

#[tokio::test]
async fn the_apis_reads_run_on_kept_connections() {
    let app = TestApp::spawn().await;
    let Some(reads) = app.app.read_connections() else {
        assert!(
            !on_postgres(),
            "PostgreSQL keeps connections for the API's reads"
        );
        return;
    };
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let before = app.app.statement_count();
    let (status, body) = app
        .post(
            Some(&token),
            &[],
            &json!({
                "query": "query($id: ID!) { plan(id: $id) { id name } }",
                "variables": { "id": plan },
            }),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    assert_eq!(body["data"]["plan"]["name"], "Plan 2027", "{body}");
    assert!(reads.kept() >= 1, "the read kept its connection");
    assert!(
        app.app.statement_count() > before,
        "reads on kept connections are counted"
    );
}
