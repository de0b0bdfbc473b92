//! Graceful shutdown with readiness draining, for replicas behind a load balancer.
//!
//! On SIGTERM or SIGINT (or [`Shutdown::request`], which tests and embedders call):
//! 1. **draining**: `/readyz` answers 503 `draining` for `LEVIER_SHUTDOWN_DRAIN_SECONDS` while
//!    the server goes on serving everything, so that the load balancer's health checks take
//!    this replica out of rotation before it stops accepting: no request is sent to a closed
//!    port;
//! 2. **stopping**: subscription connections are closed with 1001 (Going Away), which
//!    `graphql-ws` clients answer by reconnecting (through the balancer, to another replica),
//!    the listener is closed, and requests in flight get `LEVIER_SHUTDOWN_TIMEOUT_SECONDS` to
//!    finish; then the server future resolves and the process exits 0.
//!
//! A second SIGTERM or SIGINT skips what is left of the drain, and during the stop drops the
//! connections still open at once. actix's own signal handling is turned off
//! (`HttpServer::disable_signals`): it would stop accepting at the first signal, before the
//! balancer knows.

use std::{sync::Arc, time::Duration};

use actix_web::dev::ServerHandle;
use tokio::sync::{Notify, watch};

/// Where the server is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Ready for traffic.
    Serving,
    /// Shutting down: still serving, but telling the load balancer to route elsewhere.
    Draining,
    /// No longer accepting; subscriptions are closed and in-flight requests finishing.
    Stopping,
}

/// The shutdown state one application shares between its server, `/readyz` and its
/// subscription connections. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Shutdown {
    phase: Arc<watch::Sender<Phase>>,
    requested: Arc<Notify>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self {
            phase: Arc::new(watch::Sender::new(Phase::Serving)),
            requested: Arc::new(Notify::new()),
        }
    }
}

impl Shutdown {
    /// Where the server is now.
    pub fn phase(&self) -> Phase {
        *self.phase.borrow()
    }

    /// Begins the shutdown a SIGTERM would (remembered if the server is not serving yet).
    pub fn request(&self) {
        self.requested.notify_one();
    }

    /// Resolves once the server stops accepting: the moment subscriptions are closed.
    pub fn stopping(&self) -> impl Future<Output = ()> + use<> {
        let mut phase = self.phase.subscribe();
        async move {
            // The sender lives as long as the application that holds this receiver's owner.
            let _ = phase.wait_for(|phase| *phase == Phase::Stopping).await;
        }
    }

    fn enter(&self, phase: Phase) {
        self.phase.send_replace(phase);
    }
}

/// The signals that shut the server down: SIGTERM (what service managers and orchestrators
/// send) and SIGINT (Ctrl-C). Registered before the server starts, so that none is missed.
pub struct Signals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl Signals {
    /// Takes over SIGTERM and SIGINT from their default action (ending the process at once).
    pub fn register() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                terminate: signal(SignalKind::terminate())?,
                interrupt: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    /// The next SIGTERM or SIGINT, by name.
    async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.terminate.recv() => "SIGTERM",
                _ = self.interrupt.recv() => "SIGINT",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}

/// Runs the shutdown of the server behind `server` when a signal comes or `shutdown` is
/// requested: drain for `drain`, then stop (actix gives in-flight requests its
/// `shutdown_timeout`). Spawned by `App::serve`; ends with the server.
pub async fn drive(
    shutdown: Shutdown,
    mut signals: Signals,
    server: ServerHandle,
    drain: Duration,
) {
    let cause = tokio::select! {
        signal = signals.next() => signal,
        () = shutdown.requested.notified() => "a shutdown request",
    };
    tracing::info!(
        drain_seconds = drain.as_secs_f64(),
        "{cause}: draining (/readyz answers 503) before the server stops accepting"
    );
    shutdown.enter(Phase::Draining);
    tokio::select! {
        () = tokio::time::sleep(drain) => {}
        signal = signals.next() => tracing::warn!("{signal} again: the drain is cut short"),
    }
    tracing::info!(
        "stopping: subscriptions closed, no new connections, in-flight requests finishing"
    );
    shutdown.enter(Phase::Stopping);
    let graceful = server.stop(true);
    tokio::select! {
        () = graceful => {}
        signal = signals.next() => {
            tracing::warn!("{signal} again: dropping the connections still open");
            server.stop(false).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stopping_resolves_only_once_the_server_stops_accepting() {
        let shutdown = Shutdown::default();
        assert_eq!(shutdown.phase(), Phase::Serving);
        let stopping = tokio::spawn(shutdown.stopping());
        shutdown.enter(Phase::Draining);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(
            !stopping.is_finished(),
            "draining still serves subscriptions"
        );
        shutdown.enter(Phase::Stopping);
        let resolved = tokio::time::timeout(Duration::from_secs(1), stopping).await;
        assert!(matches!(resolved, Ok(Ok(()))), "resolved once stopping");
        // A connection opened after the stop began learns it at once.
        let at_once = tokio::time::timeout(Duration::from_secs(1), shutdown.stopping()).await;
        assert!(at_once.is_ok(), "resolved at once");
    }
}
