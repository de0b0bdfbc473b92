//! How `/graphql` answers over HTTP: the status, the media type and the body of what happened
//! to each operation (GraphQL over HTTP, "Status Codes").
//!
//! - An operation that executed answers `data` (and its field errors): HTTP 200, except the two
//!   statuses HTTP clients and proxies act on (see [`executed_status`]).
//! - An operation refused before execution (its document does not parse, is over a bound, does
//!   not validate, names no operation to run, leaves out a required variable) answers its
//!   errors and no `data` entry, with HTTP 400, in both media types. The specification makes
//!   this status a "should" for `application/json` and a rule for
//!   `application/graphql-response+json`; one rule for both keeps clients simple.
//! - One exception: a persisted query's unknown hash (`PersistedQueryNotFound`) answers 200 in
//!   `application/json`, as Apollo Server does, since older Apollo links give up persisted
//!   queries for good on a 400. In `application/graphql-response+json`, whose 2xx always
//!   carries `data`, it is a 400 like the others; the clients that ask for that type (Apollo
//!   Client 4, urql) read the errors of a 400 and retry.
//! - A batch answers one status: the executed operations' when any executed, else the one of
//!   its refusals (200 only if all are unknown hashes in `application/json`). Each of its
//!   answers has `data` only if its operation executed.
//! - A request refused whole (its body, its batch, its credential, its `Accept`) answers the
//!   status of its error (`crate::error`) or of the transport, with one error and no `data`.

use actix_web::{HttpResponse, http::StatusCode};
use async_graphql::{Response, ServerError};
use serde::{Serialize, Serializer};

use super::{error_body, negotiation::Media, response_for_error, response_with_status};
use crate::{
    error::{ApiError, ErrorCode},
    graphql::errors::{self, first_code, has_code},
};

/// What happened to one operation.
#[derive(Debug)]
pub enum Outcome {
    /// It executed: the engine's answer, `data` and field errors.
    Executed(Response),
    /// It was refused before executing: request errors, answered without `data`.
    Refused {
        /// The errors (coded, capped and cut).
        errors: Vec<ServerError>,
        /// True for a persisted query's unknown hash.
        persisted_query_not_found: bool,
    },
}

impl Outcome {
    /// The engine's answer to a request (its errors already coded and capped), which
    /// `executed` says it began to run.
    pub fn of(response: Response, executed: bool) -> Self {
        if executed {
            Self::Executed(response)
        } else {
            Self::Refused {
                errors: response.errors,
                persisted_query_not_found: false,
            }
        }
    }

    /// An operation refused with `errors` before reaching the engine: they are coded, capped
    /// and cut here.
    pub fn refused(errors: Vec<ServerError>) -> Self {
        Self::Refused {
            errors: errors::finish(Response::from_errors(errors)).errors,
            persisted_query_not_found: false,
        }
    }

    /// A persisted query's unknown hash.
    pub fn persisted_query_not_found(error: ServerError) -> Self {
        Self::Refused {
            errors: vec![error],
            persisted_query_not_found: true,
        }
    }

    /// The code of its first error, if it has any (for the access line and the metrics).
    pub fn first_code(&self) -> Option<ErrorCode> {
        match self {
            Self::Executed(response) => errors::first_code(response),
            Self::Refused { errors, .. } => errors::first_code_of(errors),
        }
    }
}

/// A request error's body: `errors` only. An executed operation's is the engine's response.
#[derive(Serialize)]
struct RequestErrors<'a> {
    errors: &'a [ServerError],
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Executed(response) => response.serialize(serializer),
            Self::Refused { errors, .. } => RequestErrors { errors }.serialize(serializer),
        }
    }
}

/// The answer to the operations of one request: one outcome, or a batch's list of them.
pub fn answer(media: Media, outcomes: Vec<Outcome>, batch: bool) -> HttpResponse {
    let status = status(media, &outcomes);
    let mut builder = response_with_status(status);
    builder.content_type(media.content_type());
    let body = if batch {
        serde_json::to_vec(&outcomes)
    } else {
        serde_json::to_vec(&outcomes.first())
    };
    match body {
        Ok(body) => builder.body(body),
        Err(error) => refusal(media, &ApiError::internal(&error)),
    }
}

/// The status of a request's outcomes (see the module's doc).
fn status(media: Media, outcomes: &[Outcome]) -> StatusCode {
    let executed: Vec<&Response> = outcomes
        .iter()
        .filter_map(|outcome| match outcome {
            Outcome::Executed(response) => Some(response),
            Outcome::Refused { .. } => None,
        })
        .collect();
    if !executed.is_empty() {
        return executed_status(&executed);
    }
    let only_unknown_hashes = outcomes.iter().all(|outcome| {
        matches!(
            outcome,
            Outcome::Refused {
                persisted_query_not_found: true,
                ..
            }
        )
    });
    if media == Media::Json && only_unknown_hashes {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    }
}

/// The HTTP status of executed operations: 200, with their errors in the body, except where
/// the status of the error table is one that HTTP clients and proxies act on:
/// - `SERVICE_UNAVAILABLE` anywhere: its status (503, with a `Retry-After`), so that clients
///   retry and load balancers notice, however much else succeeded;
/// - `UNAUTHENTICATED` first in an operation's errors: its status (401). A request without
///   credentials may read the schema; an operation whose first error is that it needs a
///   credential asked for nothing else.
fn executed_status(responses: &[&Response]) -> StatusCode {
    if responses
        .iter()
        .any(|response| has_code(response, ErrorCode::ServiceUnavailable))
    {
        ErrorCode::ServiceUnavailable.http_status()
    } else if responses
        .iter()
        .any(|response| first_code(response) == Some(ErrorCode::Unauthenticated))
    {
        ErrorCode::Unauthenticated.http_status()
    } else {
        StatusCode::OK
    }
}

/// A request refused whole with `error`, with the status of its code.
pub fn refusal(media: Media, error: &ApiError) -> HttpResponse {
    refusal_with_status(media, error.code.http_status(), error)
}

/// A request refused whole with `error` and a status of the transport (413, 408, 415, 405,
/// 406): the client still reads a coded GraphQL error.
pub fn refusal_with_status(media: Media, status: StatusCode, error: &ApiError) -> HttpResponse {
    response_for_error(status, error)
        .content_type(media.content_type())
        .body(error_body(error).to_string())
}

#[cfg(test)]
mod tests {
    use async_graphql::Value;

    use super::*;

    fn executed(errors: Vec<ServerError>) -> Outcome {
        let mut response = Response::new(Value::Null);
        response.errors = errors;
        Outcome::Executed(errors::finish(response))
    }

    fn coded(code: ErrorCode) -> ServerError {
        let mut error = ServerError::new("x", None);
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", code.as_str());
        error
    }

    fn miss() -> Outcome {
        Outcome::persisted_query_not_found(ServerError::new("PersistedQueryNotFound", None))
    }

    #[test]
    fn refused_operations_are_400_in_both_media() {
        for media in [Media::Json, Media::GraphqlResponse] {
            let refused = || Outcome::refused(vec![ServerError::new("syntax", None)]);
            assert_eq!(status(media, &[refused()]), StatusCode::BAD_REQUEST);
            assert_eq!(status(media, &[refused(), miss()]), StatusCode::BAD_REQUEST);
            // Any executed operation decides a batch's status.
            assert_eq!(
                status(media, &[refused(), executed(vec![])]),
                StatusCode::OK
            );
        }
    }

    #[test]
    fn an_unknown_hash_is_200_only_in_json() {
        assert_eq!(status(Media::Json, &[miss()]), StatusCode::OK);
        assert_eq!(status(Media::Json, &[miss(), miss()]), StatusCode::OK);
        assert_eq!(
            status(Media::GraphqlResponse, &[miss()]),
            StatusCode::BAD_REQUEST
        );
    }

    #[test]
    fn executed_operations_keep_their_statuses() {
        let unavailable = executed(vec![coded(ErrorCode::ServiceUnavailable)]);
        let unauthenticated = executed(vec![coded(ErrorCode::Unauthenticated)]);
        let forbidden_first = executed(vec![
            coded(ErrorCode::Forbidden),
            coded(ErrorCode::Unauthenticated),
        ]);
        for media in [Media::Json, Media::GraphqlResponse] {
            assert_eq!(
                status(media, &[executed(vec![coded(ErrorCode::NotFound)])]),
                StatusCode::OK
            );
            assert_eq!(
                status(media, std::slice::from_ref(&unavailable)),
                StatusCode::SERVICE_UNAVAILABLE
            );
            assert_eq!(
                status(media, std::slice::from_ref(&unauthenticated)),
                StatusCode::UNAUTHORIZED
            );
            assert_eq!(
                status(media, std::slice::from_ref(&forbidden_first)),
                StatusCode::OK
            );
        }
    }

    #[test]
    fn the_engines_errors_are_capped_once() {
        let many: Vec<ServerError> = (0..errors::MAX_ERRORS + 5)
            .map(|index| ServerError::new(format!("e{index}"), None))
            .collect();
        let response = errors::finish(Response::from_errors(many));
        let Outcome::Refused { errors, .. } = Outcome::of(response, false) else {
            panic!("not executed");
        };
        assert_eq!(errors.len(), errors::MAX_ERRORS + 1);
        assert!(errors[errors::MAX_ERRORS].message.contains("5 more"));
    }

    #[test]
    fn a_refused_operation_has_no_data_entry() {
        let body = serde_json::to_value(Outcome::refused(vec![ServerError::new("bad", None)]))
            .unwrap_or_else(|error| panic!("serialisable: {error:?}"));
        let object = body
            .as_object()
            .unwrap_or_else(|| panic!("an object: {body}"));
        assert!(!object.contains_key("data"), "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        let body = serde_json::to_value(executed(vec![]))
            .unwrap_or_else(|error| panic!("serialisable: {error:?}"));
        assert!(
            body.as_object()
                .unwrap_or_else(|| panic!("an object: {body}"))
                .contains_key("data")
        );
    }
}
