//! `GET /metrics`: the Prometheus metrics (`observability::metrics`) in the text exposition
//! format, on the main port or on a listener of their own (`LEVIER_METRICS_BIND`), to whom
//! `config::MetricsConfig` lets: anyone, the holders of `LEVIER_METRICS_TOKEN`, or nobody (a
//! 404, as for an unknown route, so that the endpoint's existence tells nothing).

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, HeaderValue},
    web,
};
use metrics_exporter_prometheus::PrometheusHandle;
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{error_response, state::AppState};
use crate::{
    config::{MetricsConfig, MetricsExposure},
    error::{ApiError, ErrorCode},
    observability::metrics,
};

/// The media type of Prometheus' text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The metrics as one listener serves them.
pub struct MetricsEndpoint {
    handle: PrometheusHandle,
    exposure: MetricsExposure,
    /// The SHA-256 of the token, compared with the digest of the one a request sends: digests
    /// of the same length whatever was sent, compared in constant time.
    expected: Option<[u8; 32]>,
}

impl MetricsEndpoint {
    /// The endpoint of the main port.
    pub fn main_port(config: &MetricsConfig) -> Self {
        Self::new(config, config.main_port_exposure())
    }

    /// The endpoint of the metrics' own listener.
    pub fn own_listener(config: &MetricsConfig) -> Self {
        Self::new(config, config.own_listener_exposure())
    }

    fn new(config: &MetricsConfig, exposure: MetricsExposure) -> Self {
        Self {
            handle: metrics::handle(),
            exposure,
            expected: config
                .token
                .as_ref()
                .map(|token| digest(token.expose_secret())),
        }
    }

    /// True when `request` sends the token (one `Authorization: Bearer <token>`).
    fn admits(&self, request: &HttpRequest) -> bool {
        let Some(expected) = &self.expected else {
            return false;
        };
        let mut authorizations = request.headers().get_all(header::AUTHORIZATION);
        let (Some(authorization), None) = (authorizations.next(), authorizations.next()) else {
            return false;
        };
        let token = authorization
            .to_str()
            .ok()
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim());
        token.is_some_and(|token| bool::from(digest(token).ct_eq(expected)))
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// `GET /metrics`.
pub async fn metrics(
    endpoint: web::Data<MetricsEndpoint>,
    state: web::Data<AppState>,
    request: HttpRequest,
) -> HttpResponse {
    match endpoint.exposure {
        MetricsExposure::Hidden => return error_response(&ApiError::not_found()),
        MetricsExposure::Token if !endpoint.admits(&request) => {
            return error_response(&ApiError::new(
                ErrorCode::Unauthenticated,
                "send the metrics token: Authorization: Bearer <LEVIER_METRICS_TOKEN>",
            ));
        }
        MetricsExposure::Token | MetricsExposure::Open => {}
    }
    metrics::read_pool(&state.db, state.lanes.reads.as_ref());
    let mut response = HttpResponse::Ok().body(endpoint.handle.render());
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    response
}
