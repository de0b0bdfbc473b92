//! The validated webhook settings (`LEVIER_WEBHOOK_*`).

use std::time::Duration;

use super::{ConfigError, WebhookSettings};

/// How webhooks are delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookConfig {
    /// Whether loopback, private, link-local, unique-local and CGNAT targets are let through.
    pub allow_private: bool,
    /// Longest wait to connect.
    pub connect_timeout: Duration,
    /// Longest time for a whole delivery.
    pub request_timeout: Duration,
    /// How often the dispatcher looks for new events while endpoints are enabled.
    pub poll_interval: Duration,
    /// The wait before the first retry; doubled at each failure up to [`MAX_RETRY_WAIT`].
    pub first_retry: Duration,
    /// How long an endpoint may fail without a success before it is disabled.
    pub retry_for: Duration,
    /// How long one process owns an endpoint's deliveries without renewing.
    pub lease: Duration,
}

/// The longest wait between two attempts at one event.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(3600);

impl WebhookConfig {
    /// Validates the settings: no zero durations, and a lease longer than a delivery may take
    /// (so that a delivery never outlives its process's ownership of the endpoint).
    pub(super) fn from_settings(settings: &WebhookSettings) -> Result<Self, ConfigError> {
        for (value, name) in [
            (
                settings.webhook_connect_timeout_seconds,
                "LEVIER_WEBHOOK_CONNECT_TIMEOUT_SECONDS",
            ),
            (
                settings.webhook_timeout_seconds,
                "LEVIER_WEBHOOK_TIMEOUT_SECONDS",
            ),
            (settings.webhook_poll_ms, "LEVIER_WEBHOOK_POLL_MS"),
            (
                settings.webhook_first_retry_ms,
                "LEVIER_WEBHOOK_FIRST_RETRY_MS",
            ),
            (
                settings.webhook_retry_seconds,
                "LEVIER_WEBHOOK_RETRY_SECONDS",
            ),
            (
                settings.webhook_lease_seconds,
                "LEVIER_WEBHOOK_LEASE_SECONDS",
            ),
        ] {
            if value == 0 {
                return Err(ConfigError::ZeroLimit(name));
            }
        }
        if settings.webhook_lease_seconds <= settings.webhook_timeout_seconds {
            return Err(ConfigError::WebhookLease {
                lease: settings.webhook_lease_seconds,
                timeout: settings.webhook_timeout_seconds,
            });
        }
        Ok(Self {
            allow_private: settings.webhook_allow_private,
            connect_timeout: Duration::from_secs(settings.webhook_connect_timeout_seconds),
            request_timeout: Duration::from_secs(settings.webhook_timeout_seconds),
            poll_interval: Duration::from_millis(settings.webhook_poll_ms),
            first_retry: Duration::from_millis(settings.webhook_first_retry_ms),
            retry_for: Duration::from_secs(settings.webhook_retry_seconds),
            lease: Duration::from_secs(settings.webhook_lease_seconds),
        })
    }
}
