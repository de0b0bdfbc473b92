//! The scope's write transactions on SQLite: a second writer waits for the lock, then gives up.

use std::time::{Duration, Instant};

use super::*;
use crate::{
    config::Config,
    db::{self, StatementCounter},
};

#[tokio::test]
async fn a_second_writer_waits_for_the_lock_then_is_unavailable() {
    let path =
        std::env::temp_dir().join(format!("levier-scope-{}.sqlite", Uuid::now_v7().simple()));
    let mut config = Config::development(format!("sqlite://{}?mode=rwc", path.display()));
    config.database_busy_timeout = Duration::from_millis(300);
    let connection = db::connect(&config, &StatementCounter::default())
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let scope = Scoped::new(connection, None, Uuid::now_v7());

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
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.clone().into_os_string();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}
