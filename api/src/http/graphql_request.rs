//! The GraphQL requests an HTTP request carries: a POST's JSON body (one request, or a batch
//! when batching is allowed) or a GET's URL parameters (GraphQL over HTTP, "GET": `query`,
//! `operationName`, and `variables` and `extensions` as JSON text; an empty parameter is an
//! absent one). What is not a well-formed GraphQL-over-HTTP request is a `BAD_USER_INPUT`
//! (HTTP 400) here, before any document is read.

use actix_web::web;
use async_graphql::{Request, Variables};
use serde::Deserialize;

use crate::error::{ApiError, ErrorCode};

/// The GraphQL requests of one HTTP request.
pub enum Operations {
    /// One request.
    Single(Box<Request>),
    /// A batch: a JSON array of requests, answered by an array in the same order.
    Batch(Vec<Request>),
}

/// How many requests one POST may carry.
#[derive(Debug, Clone, Copy)]
pub struct BatchPolicy {
    /// Whether a JSON array of requests is accepted.
    pub allowed: bool,
    /// Most requests in one array.
    pub max_operations: usize,
}

/// The requests of a POST's JSON `body`.
///
/// The body's first significant byte says which of the two shapes it is (an array is a batch),
/// and it is read straight into that shape: async-graphql's own `BatchRequest` is an untagged
/// enum, which serde reads by first copying the whole body into a generic tree and then trying
/// each shape on it (a third of the parsing of a 1 000-row `recordMeasurements` batch).
pub fn from_body(body: &[u8], policy: BatchPolicy) -> Result<Operations, ApiError> {
    let malformed = |error: serde_json::Error| {
        ApiError::bad_input(format!("malformed GraphQL request: {error}"))
    };
    let is_batch = body
        .iter()
        .find(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
        == Some(&b'[');
    if !is_batch {
        let single: Request = serde_json::from_slice(body).map_err(malformed)?;
        return Ok(Operations::Single(Box::new(single)));
    }
    if !policy.allowed {
        return Err(ApiError::bad_input(
            "batched requests are not accepted; send one request per POST",
        ));
    }
    let requests: Vec<Request> = serde_json::from_slice(body).map_err(malformed)?;
    if requests.len() > policy.max_operations {
        return Err(ApiError::new(
            ErrorCode::QueryTooComplex,
            format!(
                "a batch holds at most {} operations, not {}",
                policy.max_operations,
                requests.len()
            ),
        ));
    }
    Ok(Operations::Batch(requests))
}

/// A GET's parameters, as the URL's query string has them.
#[derive(Deserialize)]
struct Parameters {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// The request of a GET's query string (`application/x-www-form-urlencoded`). A request
/// without `query` must name a persisted query in its `extensions`.
pub fn from_query_string(query_string: &str) -> Result<Request, ApiError> {
    let parameters = web::Query::<Parameters>::from_query(query_string)
        .map_err(|error| ApiError::bad_input(format!("malformed URL parameters: {error}")))?
        .into_inner();
    let present = |value: Option<String>| value.filter(|text| !text.is_empty());
    let variables = match present(parameters.variables) {
        Some(text) => serde_json::from_str::<Variables>(&text).map_err(|error| {
            ApiError::bad_input(format!(
                "the variables parameter must be a JSON object: {error}"
            ))
        })?,
        None => Variables::default(),
    };
    let extensions = match present(parameters.extensions) {
        Some(text) => serde_json::from_str(&text).map_err(|error| {
            ApiError::bad_input(format!(
                "the extensions parameter must be a JSON object: {error}"
            ))
        })?,
        None => Default::default(),
    };
    let mut request = Request::new(present(parameters.query).unwrap_or_default());
    request.extensions = extensions;
    if request.query.is_empty() && !request.extensions.0.contains_key("persistedQuery") {
        return Err(ApiError::bad_input(
            "a GET needs the document in its query parameter (or a persisted query's hash in extensions)",
        ));
    }
    request.operation_name = present(parameters.operation_name);
    Ok(request.variables(variables))
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: BatchPolicy = BatchPolicy {
        allowed: true,
        max_operations: 2,
    };

    fn refused(result: Result<impl Sized, ApiError>) -> ApiError {
        match result {
            Ok(_) => panic!("accepted"),
            Err(error) => error,
        }
    }

    #[test]
    fn get_parameters_make_a_request() {
        let request = from_query_string(
            "query=query%20Q(%24id%3A%20ID!)%7Bnode(id%3A%24id)%7Bid%7D%7D&operationName=Q&variables=%7B%22id%22%3A%22x%22%7D&unknown=ignored",
        )
        .unwrap_or_else(|error| panic!("a well-formed request: {error:?}"));
        assert_eq!(request.query, "query Q($id: ID!){node(id:$id){id}}");
        assert_eq!(request.operation_name.as_deref(), Some("Q"));
        assert_eq!(
            request
                .variables
                .into_value()
                .into_json()
                .unwrap_or_else(|error| panic!("JSON: {error:?}")),
            serde_json::json!({ "id": "x" })
        );
        let request = from_query_string("query=%7B__typename%7D&operationName=&variables=")
            .unwrap_or_else(|error| panic!("empty parameters are absent: {error:?}"));
        assert_eq!(request.operation_name, None);
        let request =
            from_query_string("extensions=%7B%22persistedQuery%22%3A%7B%22version%22%3A1%7D%7D")
                .unwrap_or_else(|error| panic!("a persisted query needs no text: {error:?}"));
        assert!(request.query.is_empty());
    }

    #[test]
    fn malformed_get_parameters_are_bad_input() {
        for query_string in [
            "",
            "operationName=Q",
            "query=%7Ba%7D&query=%7Bb%7D",
            "query=%7Ba%7D&variables=%5B7%5D",
            "query=%7Ba%7D&variables=%7B",
            "query=%7Ba%7D&extensions=42",
        ] {
            let error = refused(from_query_string(query_string));
            assert_eq!(error.code, ErrorCode::BadUserInput, "{query_string}");
        }
    }

    #[test]
    fn batches_follow_the_policy() {
        let batch = br#"[{"query":"{a}"},{"query":"{b}"}]"#;
        assert!(matches!(
            from_body(batch, POLICY),
            Ok(Operations::Batch(requests)) if requests.len() == 2
        ));
        let closed = BatchPolicy {
            allowed: false,
            ..POLICY
        };
        assert_eq!(
            refused(from_body(batch, closed)).code,
            ErrorCode::BadUserInput
        );
        let three = br#"[{"query":"{a}"},{"query":"{b}"},{"query":"{c}"}]"#;
        assert_eq!(
            refused(from_body(three, POLICY)).code,
            ErrorCode::QueryTooComplex
        );
        assert_eq!(
            refused(from_body(br#"{"query": 7}"#, POLICY)).code,
            ErrorCode::BadUserInput
        );
    }

    #[test]
    fn a_body_is_read_as_the_shape_its_first_byte_says() {
        let single = from_body(
            b" \n\t{\"query\":\"query($v: [Int!]!) { a }\",\"variables\":{\"v\":[1,2,{\"x\":null}]}}",
            POLICY,
        );
        let Ok(Operations::Single(request)) = single else {
            panic!("one request, after leading whitespace");
        };
        assert_eq!(request.query, "query($v: [Int!]!) { a }");
        assert_eq!(
            request
                .variables
                .into_value()
                .into_json()
                .unwrap_or_else(|error| panic!("JSON: {error:?}")),
            serde_json::json!({ "v": [1, 2, { "x": null }] })
        );
        assert!(matches!(
            from_body(b"\r\n [{\"query\":\"{a}\"}]", POLICY),
            Ok(Operations::Batch(requests)) if requests.len() == 1
        ));
        for body in [
            &b""[..],
            b"   ",
            b"[",
            b"{",
            b"null",
            b"\"{a}\"",
            b"[1]",
            b"[{\"query\":\"{a}\"}] x",
            b"{\"query\":\"{a}\"} {}",
        ] {
            assert_eq!(
                refused(from_body(body, POLICY)).code,
                ErrorCode::BadUserInput,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
