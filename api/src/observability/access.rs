//! The middleware that observes every request: it times it, counts its SQL statements, and
//! when its response's head is ready writes its access line and records its metrics
//! (`metrics::http_request`).
//!
//! The access line is one `info` event of target [`TARGET`], whatever the status (401, 404,
//! 429… included), with structured fields — the subscriber (`telemetry`) writes them as text or
//! JSON:
//!
//! | field | value |
//! |---|---|
//! | `method`, `route`, `status` | the route is the matched pattern (`/plans/{id}/document.md`), `unmatched` for none |
//! | `latency_ms` | time to the response's head, in milliseconds (a streamed CSV export goes on after it) |
//! | `statements` | SQL statements run until then |
//! | `operation` | the GraphQL operations' names, comma-separated (bounded like the metrics' labels) |
//! | `codes` | the error codes: each operation's first error's, or the one that refused the request |
//! | `tenant` | the tenant key the caller was authenticated for |
//! | `credential` | the kind of the `Authorization` it carried: `none`, `jwt`, `api_key` (bearer or Basic), `other` — never the credential |
//! | `request_id` | the `x-request-id` of the response |
//!
//! Absent fields (no operation, no error, no tenant) are left out. What it costs a request: a
//! clock read, one small allocation for the statement counter, the route's pattern, and the
//! metrics' own lookups.

use std::{fmt, time::Instant};

use ::metrics::SharedString;
use actix_web::{
    Error, HttpMessage,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
};
use tracing_actix_web::RequestId;

use super::{
    metrics::{self, HttpExchange},
    record::{AnsweredError, CredentialKind, OperationRecord, RequestRecord},
    statements::RequestStatements,
};
use crate::error::ErrorCode;

/// The target of the access lines (`RUST_LOG=levier::access=off` silences them).
pub const TARGET: &str = "levier::access";

/// The route label of a request no route matched.
const UNMATCHED: &str = "unmatched";

/// Observes one request: see the module's doc.
pub async fn observe(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let statements = RequestStatements::default();
    let method = request.method().clone();
    let request_id = request.extensions().get::<RequestId>().copied();
    // What it carried, whether or not a handler got to check it.
    let mut authorizations = request.headers().get_all(header::AUTHORIZATION);
    let credential = match (authorizations.next(), authorizations.next()) {
        (None, _) => CredentialKind::None,
        (Some(value), None) => value
            .to_str()
            .map_or(CredentialKind::Other, CredentialKind::of_authorization),
        (Some(_), Some(_)) => CredentialKind::Other,
    };
    let result = statements.scope(next.call(request)).await;
    let elapsed = started.elapsed();
    let (status, route, answered) = match &result {
        Ok(response) => (
            response.status(),
            response.request().match_pattern(),
            response
                .response()
                .extensions()
                .get::<AnsweredError>()
                .map(|answered| answered.0),
        ),
        // Handlers' errors become responses before they get here; a middleware's may not.
        Err(error) => (error.as_response_error().status_code(), None, None),
    };
    let exchange = HttpExchange {
        method: &method,
        route: route.map_or(SharedString::const_str(UNMATCHED), SharedString::from_owned),
        status,
        elapsed,
        statements: statements.count(),
    };
    let extensions = result
        .as_ref()
        .ok()
        .map(|response| response.request().extensions());
    let record = extensions
        .as_ref()
        .and_then(|extensions| extensions.get::<RequestRecord>());
    let operations = record.map_or(&[][..], |record| &record.operations[..]);
    metrics::http_request(&exchange, operations, answered);
    tracing::info!(
        target: TARGET,
        method = method.as_str(),
        route = &*exchange.route,
        status = status.as_u16(),
        // Whole microseconds, so that the text shows no float noise.
        latency_ms = elapsed.as_micros() as f64 / 1000.0,
        statements = exchange.statements,
        operation = (!operations.is_empty()).then_some(tracing::field::display(Names(operations))),
        codes = Codes::of(operations, answered).map(tracing::field::display),
        tenant = record.and_then(|record| record.tenant.as_deref()),
        credential = credential.as_str(),
        request_id = request_id.map(tracing::field::display),
        "request"
    );
    drop(extensions);
    result
}

/// The operations' names, comma-separated.
struct Names<'a>(&'a [OperationRecord]);

impl fmt::Display for Names<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, operation) in self.0.iter().enumerate() {
            if index > 0 {
                formatter.write_str(",")?;
            }
            formatter.write_str(operation.name.as_str())?;
        }
        Ok(())
    }
}

/// The error codes of a request, comma-separated: each operation's (`ok` for one without
/// error, in a batch where another failed), or the one that refused it whole.
struct Codes<'a> {
    operations: &'a [OperationRecord],
    answered: Option<ErrorCode>,
}

impl<'a> Codes<'a> {
    /// The codes, if there is any.
    fn of(operations: &'a [OperationRecord], answered: Option<ErrorCode>) -> Option<Self> {
        let any = answered.is_some() || operations.iter().any(|operation| operation.code.is_some());
        any.then_some(Self {
            operations,
            answered,
        })
    }
}

impl fmt::Display for Codes<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.operations.is_empty() {
            return formatter.write_str(self.answered.map_or("", ErrorCode::as_str));
        }
        for (index, operation) in self.operations.iter().enumerate() {
            if index > 0 {
                formatter.write_str(",")?;
            }
            let code = operation.code.or(self.answered);
            formatter.write_str(code.map_or("ok", ErrorCode::as_str))?;
        }
        Ok(())
    }
}
