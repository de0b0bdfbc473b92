//! What the server tells its operators beyond its log format: colour in text logs (`NO_COLOR`)
//! and OpenTelemetry traces, read from the standard `OTEL_*` variables that collectors, agents
//! and platforms already set, rather than from `LEVIER_*` names nobody would guess.

use clap::Args;

use super::ConfigError;

/// The service name traces carry when `OTEL_SERVICE_NAME` is not set.
pub const DEFAULT_SERVICE_NAME: &str = "levier";

/// The one OTLP protocol the exporter speaks.
pub const OTLP_PROTOCOL: &str = "http/protobuf";

/// The telemetry flags and variables, before validation (flattened into `Settings`).
#[derive(Debug, Clone, Default, Args)]
pub struct TelemetrySettings {
    /// No colour codes in text logs, even on a terminal (any non-empty value, as no-color.org
    /// has it). Without it, colour is used only when the output is a terminal.
    #[arg(
        long = "no-color",
        env = "NO_COLOR",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "1",
        value_name = "ANY",
        global = true
    )]
    pub no_color: Option<String>,
    /// Export traces over OTLP/HTTP to this collector (its base URL, e.g.
    /// `http://127.0.0.1:4318`; spans are posted to `/v1/traces` under it). No traces without it.
    #[arg(long, env = "OTEL_EXPORTER_OTLP_ENDPOINT", global = true)]
    pub otel_exporter_otlp_endpoint: Option<String>,
    /// The full URL spans are posted to, used as is (instead of the endpoint's `/v1/traces`).
    #[arg(long, env = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", global = true)]
    pub otel_exporter_otlp_traces_endpoint: Option<String>,
    /// The OTLP protocol: only `http/protobuf` is built in.
    #[arg(long, env = "OTEL_EXPORTER_OTLP_PROTOCOL", global = true)]
    pub otel_exporter_otlp_protocol: Option<String>,
    /// The `service.name` of the traces.
    #[arg(long, env = "OTEL_SERVICE_NAME", global = true)]
    pub otel_service_name: Option<String>,
}

/// The validated telemetry settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TelemetryConfig {
    /// True when text logs must never carry colour codes.
    pub no_color: bool,
    /// Where traces go; `None`: no traces (and no tracing cost in the GraphQL engine).
    pub traces: Option<TracesConfig>,
}

/// Where and as what the traces are exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracesConfig {
    /// The URL spans are posted to (`…/v1/traces`).
    pub endpoint: String,
    /// The `service.name` resource attribute.
    pub service_name: String,
}

impl TelemetrySettings {
    /// Validates the settings: a traces endpoint is an `http://` URL, the protocol the one
    /// built in.
    pub fn into_config(self) -> Result<TelemetryConfig, ConfigError> {
        let no_color = self.no_color.is_some_and(|value| !value.is_empty());
        let non_empty = |value: Option<String>| {
            value
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let endpoint = match (
            non_empty(self.otel_exporter_otlp_traces_endpoint),
            non_empty(self.otel_exporter_otlp_endpoint),
        ) {
            (Some(traces), _) => Some(checked_url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces)?),
            // The specification's rule for the base endpoint: the signal's path is appended.
            (None, Some(base)) => {
                let base = checked_url("OTEL_EXPORTER_OTLP_ENDPOINT", base)?;
                Some(format!("{}/v1/traces", base.trim_end_matches('/')))
            }
            (None, None) => None,
        };
        if let Some(protocol) = non_empty(self.otel_exporter_otlp_protocol)
            && protocol != OTLP_PROTOCOL
        {
            return Err(ConfigError::OtlpProtocol(protocol));
        }
        let service_name =
            non_empty(self.otel_service_name).unwrap_or_else(|| DEFAULT_SERVICE_NAME.to_owned());
        Ok(TelemetryConfig {
            no_color,
            traces: endpoint.map(|endpoint| TracesConfig {
                endpoint,
                service_name,
            }),
        })
    }
}

/// `url` when it is a plain `http://` URL with a host. TLS to the collector is not built in
/// (it would bring a second TLS stack into the binary): traces go to a collector or agent
/// beside the server, which forwards them wherever they are kept.
fn checked_url(variable: &'static str, url: String) -> Result<String, ConfigError> {
    let refused = |reason: &'static str| ConfigError::OtlpEndpoint {
        variable,
        url: url.clone(),
        reason,
    };
    let lowercase = url.to_ascii_lowercase();
    if lowercase.starts_with("https://") {
        return Err(refused(
            "https is not built in: send to a collector or agent on the host or in the pod over http (e.g. http://127.0.0.1:4318), which forwards over TLS",
        ));
    }
    let Some(rest) = lowercase.strip_prefix("http://") else {
        return Err(refused("write http://host:port"));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') || url.chars().any(char::is_whitespace) {
        return Err(refused("write http://host:port"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traces(settings: TelemetrySettings) -> Result<Option<TracesConfig>, ConfigError> {
        settings.into_config().map(|config| config.traces)
    }

    #[test]
    fn no_endpoint_means_no_traces() {
        assert_eq!(traces(TelemetrySettings::default()), Ok(None));
        let blank = TelemetrySettings {
            otel_exporter_otlp_endpoint: Some("  ".into()),
            ..TelemetrySettings::default()
        };
        assert_eq!(traces(blank), Ok(None));
    }

    #[test]
    fn the_base_endpoint_gets_the_traces_path_and_the_default_service_name() {
        for base in ["http://collector:4318", "http://collector:4318/"] {
            let settings = TelemetrySettings {
                otel_exporter_otlp_endpoint: Some(base.into()),
                ..TelemetrySettings::default()
            };
            assert_eq!(
                traces(settings),
                Ok(Some(TracesConfig {
                    endpoint: "http://collector:4318/v1/traces".into(),
                    service_name: "levier".into(),
                }))
            );
        }
    }

    #[test]
    fn the_traces_endpoint_is_used_as_is_and_wins() {
        let settings = TelemetrySettings {
            otel_exporter_otlp_endpoint: Some("http://collector:4318".into()),
            otel_exporter_otlp_traces_endpoint: Some("http://agent:9000/ingest".into()),
            otel_exporter_otlp_protocol: Some("http/protobuf".into()),
            otel_service_name: Some("levier-eu".into()),
            ..TelemetrySettings::default()
        };
        assert_eq!(
            traces(settings),
            Ok(Some(TracesConfig {
                endpoint: "http://agent:9000/ingest".into(),
                service_name: "levier-eu".into(),
            }))
        );
    }

    #[test]
    fn other_protocols_and_urls_are_refused_with_the_variable() {
        let grpc = TelemetrySettings {
            otel_exporter_otlp_endpoint: Some("http://collector:4317".into()),
            otel_exporter_otlp_protocol: Some("grpc".into()),
            ..TelemetrySettings::default()
        };
        assert_eq!(traces(grpc), Err(ConfigError::OtlpProtocol("grpc".into())));
        for url in [
            "https://collector:4318",
            "collector:4318",
            "http://",
            "http://:4318",
        ] {
            let settings = TelemetrySettings {
                otel_exporter_otlp_endpoint: Some(url.into()),
                ..TelemetrySettings::default()
            };
            let error = traces(settings).err().map(|error| error.to_string());
            assert!(
                error
                    .as_deref()
                    .is_some_and(|message| message.starts_with("OTEL_EXPORTER_OTLP_ENDPOINT")),
                "{url}: {error:?}"
            );
        }
    }

    #[test]
    fn no_color_is_any_non_empty_value() {
        let no_color = |value: Option<&str>| {
            TelemetrySettings {
                no_color: value.map(str::to_owned),
                ..TelemetrySettings::default()
            }
            .into_config()
            .map(|config| config.no_color)
        };
        assert_eq!(no_color(None), Ok(false));
        assert_eq!(no_color(Some("")), Ok(false));
        assert_eq!(no_color(Some("1")), Ok(true));
        assert_eq!(no_color(Some("0")), Ok(true));
    }
}
