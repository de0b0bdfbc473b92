//! The scope's write transactions on SQLite: a second writer waits for the lock (or, with the
//! server's lanes, for its turn), then gives up.

use std::{
    path::PathBuf,
    time::{Duration, Instant},
};

use super::*;
use crate::{
    config::Config,
    db::{self, Lanes, StatementCounter},
};

/// A new SQLite file (named with `prefix`) and a configuration on it whose busy timeout is
/// 300 ms.
fn sqlite_file(prefix: &str) -> (PathBuf, Config) {
    let path = std::env::temp_dir().join(format!("{prefix}-{}.sqlite", Uuid::now_v7().simple()));
    let mut config = Config::development(format!("sqlite://{}?mode=rwc", path.display()));
    config.database_busy_timeout = Duration::from_millis(300);
    (path, config)
}

/// Removes the SQLite file at `path` with its WAL and shared-memory files.
fn remove_sqlite_file(path: PathBuf) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.clone().into_os_string();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

#[tokio::test]
async fn a_second_writer_waits_for_the_lock_then_is_unavailable() {
    let (path, config) = sqlite_file("levier-scope");
    let connection = db::connect(&config, &StatementCounter::default())
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let scope = Scoped::new(connection, Lanes::default(), Uuid::now_v7());

    let first = scope
        .begin()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let started = Instant::now();
    // A deferred BEGIN would succeed here and fail later, at its first write.
    let second = scope.begin().await;
    let waited = started.elapsed();
    match second {
        Ok(_) => panic!("a second writer began while the first held the lock"),
        Err(StoreError::Unavailable(_)) => {}
        Err(other) => panic!("unexpected {other}"),
    }
    assert!(
        waited >= Duration::from_millis(250),
        "the busy timeout was not waited out: {waited:?}"
    );

    first
        .connection
        .inner
        .rollback()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let third = scope.begin().await;
    assert!(third.is_ok(), "the lock is free again");
    drop(third);
    remove_sqlite_file(path);
}

/// With the server's lanes, the process's writers queue for their turn: a second writer waits
/// for the first transaction to end, not for SQLite's busy handler, and gives up after the
/// busy timeout all the same; a transaction dropped without a commit gives the turn back.
#[tokio::test]
async fn writers_of_the_process_wait_their_turn_then_are_unavailable() {
    let (path, config) = sqlite_file("levier-queue");
    let counter = StatementCounter::default();
    let connection = db::connect(&config, &counter)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let lanes = Lanes::for_pool(&connection, &config, &counter);
    assert!(lanes.writes.is_some(), "SQLite's writers are queued");
    let scope = Scoped::new(connection, lanes, Uuid::now_v7());

    let first = scope
        .begin()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let started = Instant::now();
    match scope.begin().await {
        Ok(_) => panic!("a second writer began while the first held its turn"),
        Err(StoreError::Unavailable(cause)) => {
            assert!(cause.to_string().contains("no turn to write"), "{cause}");
        }
        Err(other) => panic!("unexpected {other}"),
    }
    assert!(started.elapsed() >= Duration::from_millis(250));

    // The next writer asks while the first still holds its turn, and begins once it commits.
    let next = tokio::spawn({
        let scope = scope.clone();
        async move {
            scope
                .begin()
                .await
                .map(|transaction| transaction.tenant_id())
        }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    first
        .commit()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let begun = next.await.unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(begun.ok(), Some(scope.tenant_id()));

    // Dropped without a commit: rolled back, and the turn is free.
    let abandoned = scope.begin().await;
    assert!(abandoned.is_ok());
    drop(abandoned);
    assert!(scope.begin().await.is_ok(), "the turn is free again");
    remove_sqlite_file(path);
}
