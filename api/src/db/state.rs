//! Where the database stands for this process: being prepared at start, waiting for a database
//! that does not answer yet, waiting for `levier migrate`, or ready. `/readyz` reports it, and
//! requests that need the database are answered `SERVICE_UNAVAILABLE` until it is ready.

use std::sync::{Arc, PoisonError, RwLock};

/// The database's state for this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseStatus {
    /// Being connected to or migrated.
    Starting {
        /// What is being done.
        reason: String,
    },
    /// It did not answer at start; the server keeps trying.
    Unavailable {
        /// Why, without addresses or names (anyone may read `/readyz`).
        reason: String,
    },
    /// It answers, and lacks migrations this program needs (`LEVIER_NO_MIGRATE`).
    MigrationsPending {
        /// Which, and what to do.
        reason: String,
    },
    /// Reached, migrated: requests are served (an outage later is the store's to report).
    Ready,
}

impl DatabaseStatus {
    /// The `status` of `/readyz`.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Starting { .. } => "starting",
            Self::Unavailable { .. } => "database unavailable",
            Self::MigrationsPending { .. } => "migrations pending",
            Self::Ready => "ready",
        }
    }

    /// Why it is not ready.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Starting { reason }
            | Self::Unavailable { reason }
            | Self::MigrationsPending { reason } => Some(reason),
            Self::Ready => None,
        }
    }
}

/// The database's state, shared by the start-up sequence and the request handlers.
#[derive(Debug, Clone)]
pub struct DatabaseState(Arc<RwLock<DatabaseStatus>>);

impl Default for DatabaseState {
    fn default() -> Self {
        Self(Arc::new(RwLock::new(DatabaseStatus::Starting {
            reason: "connecting to the database".to_owned(),
        })))
    }
}

impl DatabaseState {
    /// The state now.
    pub fn status(&self) -> DatabaseStatus {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// True once the database is reached and migrated.
    pub fn is_ready(&self) -> bool {
        matches!(
            *self.0.read().unwrap_or_else(PoisonError::into_inner),
            DatabaseStatus::Ready
        )
    }

    /// Sets the state.
    pub fn set(&self, status: DatabaseStatus) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = status;
    }
}
