//! PostgreSQL at start: one connection of our own, opened directly rather than through the
//! pool (whose timeout reports "pool timed out" whatever happened), so that a failure names the
//! server and the driver's cause; and the migration lock, held on that connection.
//!
//! The lock is a session-level advisory lock on ([`MIGRATION_LOCK_CLASS`], the oid of the
//! schema being migrated): replicas starting together on one database take turns, the first
//! applies the migrations, the others find none pending. Keying it by schema lets deployments
//! (and the tests) that live in separate schemas of one database migrate without waiting for
//! each other. PostgreSQL releases a session's locks when the session ends, so a process that
//! dies while migrating does not leave the others waiting.

use std::{str::FromStr, sync::Arc, time::Duration};

use sea_orm::{
    DbErr, RuntimeErr,
    sqlx::{
        self, ConnectOptions, Connection,
        postgres::{PgConnectOptions, PgConnection},
    },
};

use super::{
    error::{StartError, describe_sqlx},
    state::{DatabaseState, DatabaseStatus},
};

/// The first key of the migration lock: "levi" in ASCII.
pub const MIGRATION_LOCK_CLASS: i32 = 0x6c65_7669;

/// The longest wait for PostgreSQL to accept a connection at start (a host that drops packets
/// never refuses).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A connection of its own to the server.
pub(super) struct Session {
    connection: PgConnection,
    /// Whether this session holds the migration lock.
    locked: bool,
}

impl Session {
    /// Connects to the server of `url`, or says why it cannot: [`StartError::Unreachable`] when
    /// it does not answer or cannot serve yet (worth waiting for), [`StartError::Refused`]
    /// when it answers no (a password, a database, TLS).
    pub(super) async fn open(url: &str) -> Result<Self, StartError> {
        let options = PgConnectOptions::from_str(url).map_err(|error| StartError::Other {
            cause: format!("LEVIER_DATABASE_URL: {}", describe_sqlx(&error)),
            transient: false,
        })?;
        let options = without_tls_on_loopback(url, options);
        let server = server_name(&options);
        match tokio::time::timeout(CONNECT_TIMEOUT, options.connect()).await {
            Ok(Ok(connection)) => Ok(Self {
                connection,
                locked: false,
            }),
            Ok(Err(error)) => Err(classify(server, error)),
            Err(_) => Err(StartError::Unreachable {
                server,
                cause: format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
            }),
        }
    }

    /// Takes the migration lock, waiting (and saying so in `state` and the log) while another
    /// process holds it.
    pub(super) async fn lock_migrations(
        &mut self,
        state: &DatabaseState,
    ) -> Result<(), StartError> {
        let taken: bool = sqlx::query_scalar(
            "SELECT pg_try_advisory_lock($1, COALESCE((SELECT oid::int4 FROM pg_namespace \
             WHERE nspname = current_schema()), 0))",
        )
        .bind(MIGRATION_LOCK_CLASS)
        .fetch_one(&mut self.connection)
        .await
        .map_err(|error| StartError::migration(&into_db_err(error)))?;
        if !taken {
            tracing::info!("another process is applying the migrations: waiting for it");
            state.set(DatabaseStatus::Starting {
                reason: "waiting for another process to finish migrating".to_owned(),
            });
            sqlx::query(
                "SELECT pg_advisory_lock($1, COALESCE((SELECT oid::int4 FROM pg_namespace \
                 WHERE nspname = current_schema()), 0))",
            )
            .bind(MIGRATION_LOCK_CLASS)
            .execute(&mut self.connection)
            .await
            .map_err(|error| StartError::migration(&into_db_err(error)))?;
        }
        self.locked = true;
        Ok(())
    }

    /// Releases the lock (if held) and closes the connection; the server releases the lock
    /// itself if this fails.
    pub(super) async fn close(mut self) {
        if self.locked
            && let Err(error) = sqlx::query(
                "SELECT pg_advisory_unlock($1, COALESCE((SELECT oid::int4 FROM pg_namespace \
                 WHERE nspname = current_schema()), 0))",
            )
            .bind(MIGRATION_LOCK_CLASS)
            .execute(&mut self.connection)
            .await
        {
            tracing::debug!(%error, "unlocking the migrations failed; closing the session releases it");
        }
        let _ = self.connection.close().await;
    }
}

/// The server as a person would name it: `host:port`, or the Unix socket's folder.
fn server_name(options: &PgConnectOptions) -> String {
    match options.get_socket() {
        Some(socket) => format!("{} (port {})", socket.display(), options.get_port()),
        None if options.get_host().contains(':') => {
            format!("[{}]:{}", options.get_host(), options.get_port())
        }
        None => format!("{}:{}", options.get_host(), options.get_port()),
    }
}

/// Whether the URL (or `PGSSLMODE`) chooses a TLS mode itself.
fn chooses_tls_mode(url: &str) -> bool {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let in_url = query.split('&').any(|pair| {
        let name = pair.split_once('=').map_or(pair, |(name, _)| name);
        name.eq_ignore_ascii_case("sslmode") || name.eq_ignore_ascii_case("ssl-mode")
    });
    in_url || std::env::var_os("PGSSLMODE").is_some()
}

/// Whether `options` reach a server on this machine: a Unix socket, `localhost` or a loopback
/// address.
fn is_local(options: &PgConnectOptions) -> bool {
    if options.get_socket().is_some() {
        return true;
    }
    let host = options
        .get_host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.starts_with('/')
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

/// `options` without TLS when they reach a server on this machine and the URL does not choose
/// a TLS mode. The driver's default (`prefer`) would otherwise encrypt every statement and row
/// exchanged over loopback, where it protects nothing: it cost about 2 % of the server's
/// instructions on a nested read (bench/README.md, "CPU per nested read"). A URL that names
/// `sslmode` (or a `PGSSLMODE` in the environment) keeps its choice; remote servers keep the
/// driver's default.
pub(super) fn without_tls_on_loopback(url: &str, options: PgConnectOptions) -> PgConnectOptions {
    if is_local(&options) && !chooses_tls_mode(url) {
        options.ssl_mode(sqlx::postgres::PgSslMode::Disable)
    } else {
        options
    }
}

/// `error` of connecting to `server`, by whether waiting can cure it (the store's judgement of
/// an unavailable database: I/O errors, and the SQLSTATEs of a server starting, shutting down
/// or out of connections).
fn classify(server: String, error: sqlx::Error) -> StartError {
    let cause = describe_sqlx(&error);
    if crate::store::error::is_unavailable(&into_db_err(error)) {
        StartError::Unreachable { server, cause }
    } else {
        StartError::Refused { server, cause }
    }
}

fn into_db_err(error: sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(Arc::new(error)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_servers_are_reached_without_tls_unless_the_url_says_otherwise() {
        use sqlx::postgres::PgSslMode;
        let mode = |url: &str| {
            let options = PgConnectOptions::from_str(url).unwrap_or_else(|e| panic!("{e}"));
            without_tls_on_loopback(url, options).get_ssl_mode()
        };
        if std::env::var_os("PGSSLMODE").is_some() {
            return; // the environment chooses; nothing here to decide
        }
        for local in [
            "postgres://u@127.0.0.1:5432/levier",
            "postgres://u@localhost/levier",
            "postgres://u@[::1]:5432/levier",
            "postgres://u@%2Fvar%2Frun%2Fpostgresql/levier",
        ] {
            assert!(matches!(mode(local), PgSslMode::Disable), "{local}");
        }
        assert!(matches!(
            mode("postgres://u@127.0.0.1/levier?sslmode=require"),
            PgSslMode::Require
        ));
        assert!(matches!(
            mode("postgres://u@db.internal/levier"),
            PgSslMode::Prefer
        ));
        assert!(matches!(
            mode("postgres://u@10.0.0.5/levier"),
            PgSslMode::Prefer
        ));
    }

    #[test]
    fn the_server_is_named_by_host_and_port_or_socket() {
        let name = |url: &str| {
            PgConnectOptions::from_str(url)
                .map(|options| server_name(&options))
                .unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(
            name("postgres://u:p@db.internal:5433/levier"),
            "db.internal:5433"
        );
        assert_eq!(name("postgres://u@127.0.0.1/levier"), "127.0.0.1:5432");
        assert_eq!(
            name("postgres://u@%2Fvar%2Frun%2Fpostgresql/levier"),
            "/var/run/postgresql (port 5432)"
        );
    }

    #[tokio::test]
    async fn a_closed_port_is_unreachable_with_the_drivers_cause() {
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let port = free.local_addr().map(|a| a.port()).unwrap_or_default();
        drop(free);
        let error = Session::open(&format!("postgres://levier@127.0.0.1:{port}/levier"))
            .await
            .err();
        assert_eq!(
            error.map(|e| e.to_string()),
            Some(format!(
                "cannot reach PostgreSQL at 127.0.0.1:{port}: connection refused"
            ))
        );
    }
}
