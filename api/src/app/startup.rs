//! The database side of starting the application: the database reached, migrated (or checked,
//! with `LEVIER_NO_MIGRATE`), and, on PostgreSQL, the event listener started. When the
//! database does not answer (or is not migrated yet), the server starts anyway, unready: the
//! error is logged once, `/readyz` answers 503 with a reason, requests that need the database
//! answer `SERVICE_UNAVAILABLE`, and the sequence is tried again with an exponential backoff
//! ([`FIRST_RETRY`] doubling up to [`MAX_RETRY`]) until it succeeds. With
//! `LEVIER_EXIT_ON_DB_FAILURE`, or for a failure that waiting cannot cure (a wrong password, a
//! missing database or file, a failing migration), the start fails with the error instead.

use std::time::Duration;

use sea_orm::{DatabaseConnection, DbBackend};

use crate::{
    config::Config,
    db::{self, DatabaseState, DatabaseStatus, SchemaAction, StartError},
    events::{self, EventBus},
};

/// The wait before the first retry.
pub const FIRST_RETRY: Duration = Duration::from_secs(1);

/// The longest wait between two attempts.
pub const MAX_RETRY: Duration = Duration::from_secs(30);

/// What one attempt needs.
#[derive(Clone)]
pub(super) struct Start {
    pub(super) database_url: String,
    pub(super) connection: DatabaseConnection,
    pub(super) events: EventBus,
    pub(super) state: DatabaseState,
    pub(super) action: SchemaAction,
}

impl Start {
    /// The start-up of `connection` for `config`, reporting to `state`.
    pub(super) fn new(
        config: &Config,
        connection: &DatabaseConnection,
        events: &EventBus,
        state: &DatabaseState,
    ) -> Self {
        Self {
            database_url: config.database_url.clone(),
            connection: connection.clone(),
            events: events.clone(),
            state: state.clone(),
            action: if config.database_start.migrate {
                SchemaAction::Migrate
            } else {
                SchemaAction::Check
            },
        }
    }

    /// Runs the sequence once; on a failure worth waiting for (unless `exit_on_failure`),
    /// logs it, leaves the process unready and keeps trying in the background.
    pub(super) async fn run(self, exit_on_failure: bool) -> Result<(), StartError> {
        let error = match self.attempt().await {
            Ok(()) => return Ok(()),
            Err(error) if error.is_transient() && !exit_on_failure => error,
            Err(error) => return Err(error),
        };
        tracing::error!(
            "{error}; the server starts unready (/readyz answers 503) and tries again in {} s, \
             then with a backoff up to every {} s (LEVIER_EXIT_ON_DB_FAILURE exits instead)",
            FIRST_RETRY.as_secs(),
            MAX_RETRY.as_secs()
        );
        self.state.set(unready(&error, FIRST_RETRY));
        tokio::spawn(self.retry(error.to_string()));
        Ok(())
    }

    /// One attempt: the schema prepared, the listener started, the process ready.
    async fn attempt(&self) -> Result<(), StartError> {
        db::prepare(
            &self.database_url,
            &self.connection,
            self.action,
            &self.state,
        )
        .await?;
        if self.connection.get_database_backend() == DbBackend::Postgres {
            events::listener::start(self.events.clone(), &self.database_url)
                .await
                .map_err(|error| StartError::database(&error))?;
        }
        self.state.set(DatabaseStatus::Ready);
        Ok(())
    }

    /// Tries again until an attempt succeeds, logging each new error once (the same error
    /// again only at debug level).
    async fn retry(self, mut last: String) {
        let mut wait = FIRST_RETRY;
        let mut attempts = 1_u32;
        loop {
            tokio::time::sleep(wait).await;
            attempts += 1;
            wait = (wait * 2).min(MAX_RETRY);
            match self.attempt().await {
                Ok(()) => {
                    tracing::info!(attempts, "the database is ready: serving");
                    return;
                }
                Err(error) => {
                    let message = error.to_string();
                    if message == last {
                        tracing::debug!(
                            attempts,
                            "{message}; trying again in {} s",
                            wait.as_secs()
                        );
                    } else {
                        tracing::warn!("{message}; trying again in {} s", wait.as_secs());
                        last = message;
                    }
                    self.state.set(unready(&error, wait));
                }
            }
        }
    }
}

/// The state of a process whose attempt failed with `error`, trying again in `wait`.
fn unready(error: &StartError, wait: Duration) -> DatabaseStatus {
    let reason = format!(
        "{}; next attempt in {} s",
        error.public_reason(),
        wait.as_secs()
    );
    match error {
        StartError::MigrationsPending { .. } => DatabaseStatus::MigrationsPending { reason },
        _ => DatabaseStatus::Unavailable { reason },
    }
}
