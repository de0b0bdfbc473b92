//! Errors in GraphQL's shape: an [`ApiError`] (the crate's error table, `crate::error`) as a
//! GraphQL error with `extensions.code`, a domain validation failure as a payload's
//! `userErrors`, and the extension that gives every error of a response a code and keeps the
//! list and the messages short (and marks the requests that reached execution, which tells
//! request errors from field errors: `graphql::execution`).

use async_graphql::{
    ErrorExtensionValues, ErrorExtensions, Response, ServerError, SimpleObject,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextExecute, NextRequest, NextSubscribe,
    },
};
use futures::{StreamExt, stream::BoxStream};
use std::sync::Arc;

use crate::{
    domain::{DomainError, FieldError},
    error::{ApiError, ErrorCode},
    graphql::{execution, user_error_code::UserErrorCode},
};

impl From<ApiError> for async_graphql::Error {
    fn from(error: ApiError) -> Self {
        async_graphql::Error::new(error.message).extend_with(|_, extensions| {
            extensions.set("code", error.code.as_str());
            if let Some(seconds) = error.retry_after {
                extensions.set("retryAfter", seconds);
            }
        })
    }
}

/// A problem with one field of a mutation's input, returned in the payload's `userErrors`.
#[derive(Debug, Clone, SimpleObject)]
pub struct UserError {
    /// Path to the offending input field, starting with the argument name: `["input", "periodEnd"]`.
    pub field: Vec<String>,
    /// What is wrong, for a person.
    pub message: String,
    /// What is wrong, for a program.
    pub code: UserErrorCode,
}

impl From<FieldError> for UserError {
    fn from(error: FieldError) -> Self {
        Self {
            field: error.field,
            message: error.message,
            code: error.code.into(),
        }
    }
}

/// Splits a domain result for a mutation payload: validation problems become `userErrors`,
/// every other failure a coded GraphQL error.
pub fn into_payload<T>(
    result: Result<T, DomainError>,
) -> async_graphql::Result<(Option<T>, Vec<UserError>)> {
    match result {
        Ok(value) => Ok((Some(value), Vec::new())),
        Err(DomainError::Invalid(errors)) => {
            Ok((None, errors.into_iter().map(UserError::from).collect()))
        }
        Err(other) => Err(ApiError::from(other).into()),
    }
}

/// Puts every response through [`finish`]: queries, mutations and each event of a
/// subscription. Its `execute` hook marks the request's [`execution::ExecutionProbe`] as
/// execution begins: GraphQL over HTTP answers a request refused before that with 400 and no
/// `data`, the WebSocket with the protocol's `error` message. That is a hook of this extension
/// rather than an extension of its own because every extension deepens the stack of every
/// field's resolution (see `limits`, "Stack margins").
pub struct ErrorCodes;

/// Most errors shown in one response; the rest are summed up in one last error. A document can
/// be invalid in as many places as it has tokens, and a query can fail in as many fields as it
/// selects: the answer stays small however many there are.
pub const MAX_ERRORS: usize = 20;

/// Longest error message shown, in characters. Messages that echo the request (a syntax error
/// quotes the line, an unknown name is repeated) are cut here, so that an answer never grows
/// with the size of the request.
pub const MAX_MESSAGE_CHARS: usize = 1_000;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

#[async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        finish(next.run(ctx).await)
    }

    /// Called once per request, when it is about to run: the request passed validation.
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        execution::mark_executed(ctx);
        next.run(ctx, operation_name).await
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream).map(finish).boxed()
    }
}

/// Gives every error of `response` a code (errors raised by the engine itself, for syntax,
/// validation or input coercion, carry none and are the client's input problems), cuts long
/// messages at [`MAX_MESSAGE_CHARS`] and caps the number of errors at [`MAX_ERRORS`].
pub fn finish(mut response: Response) -> Response {
    cap_errors(&mut response.errors);
    for error in &mut response.errors {
        ensure_code(error);
        if let Some((cut, _)) = error.message.char_indices().nth(MAX_MESSAGE_CHARS) {
            error.message.truncate(cut);
            error.message.push('…');
        }
    }
    response
}

/// Keeps the first [`MAX_ERRORS`] errors and replaces the others with one error saying how many
/// were left out, coded like the first of them.
fn cap_errors(errors: &mut Vec<ServerError>) {
    if errors.len() <= MAX_ERRORS {
        return;
    }
    let mut left_out = errors.split_off(MAX_ERRORS);
    ensure_code(&mut left_out[0]);
    let code = left_out[0]
        .extensions
        .as_ref()
        .and_then(|extensions| match extensions.get("code") {
            Some(async_graphql::Value::String(code)) => Some(code.clone()),
            _ => None,
        })
        .unwrap_or_else(|| ErrorCode::BadUserInput.as_str().to_owned());
    let mut summary = ServerError::new(
        format!("too many errors; {} more not shown", left_out.len()),
        None,
    );
    summary
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default)
        .set("code", code);
    errors.push(summary);
}

/// Words of the messages of the engine's own shape limits (complexity, depth, recursion depth,
/// directives per field): the only uncoded errors that are about a query's size.
const SHAPE_LIMIT_MESSAGES: [&str; 4] = [
    "too complex",
    "nested too deep",
    "recursion depth",
    "number of directives",
];

fn ensure_code(error: &mut ServerError) {
    let extensions = error
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default);
    if extensions.get("code").is_none() {
        let code = if SHAPE_LIMIT_MESSAGES
            .iter()
            .any(|marker| error.message.contains(marker))
        {
            ErrorCode::QueryTooComplex
        } else {
            ErrorCode::BadUserInput
        };
        extensions.set("code", code.as_str());
    }
}

/// The first error code of a response, to choose the HTTP status.
pub fn first_code(response: &Response) -> Option<ErrorCode> {
    first_code_of(&response.errors)
}

/// The code of the first of `errors` that has one.
pub fn first_code_of(errors: &[ServerError]) -> Option<ErrorCode> {
    codes_of(errors).next().and_then(ErrorCode::from_name)
}

/// True when an error of `response` carries `code`.
pub fn has_code(response: &Response, code: ErrorCode) -> bool {
    codes(response).any(|found| found == code.as_str())
}

/// The codes of a response's errors, in order.
fn codes(response: &Response) -> impl Iterator<Item = &str> {
    codes_of(&response.errors)
}

/// The codes of `errors`, in order.
fn codes_of(errors: &[ServerError]) -> impl Iterator<Item = &str> {
    errors
        .iter()
        .filter_map(|error| match error.extensions.as_ref()?.get("code") {
            Some(async_graphql::Value::String(code)) => Some(code.as_str()),
            _ => None,
        })
}

/// Declares a mutation payload: the changed object (null with user errors) and `userErrors`.
#[macro_export]
macro_rules! payload {
    ($payload:ident, $field:ident, $object:ty, $doc:literal, $field_doc:literal) => {
        #[doc = $doc]
        #[derive(async_graphql::SimpleObject)]
        pub struct $payload {
            #[doc = $field_doc]
            pub $field: Option<$object>,
            /// Problems with the input; when not empty, nothing was written.
            pub user_errors: Vec<$crate::graphql::errors::UserError>,
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(message: &str, code: Option<ErrorCode>) -> ServerError {
        let mut error = ServerError::new(message, None);
        if let Some(code) = code {
            error
                .extensions
                .get_or_insert_with(ErrorExtensionValues::default)
                .set("code", code.as_str());
        }
        error
    }

    fn code(error: &ServerError) -> Option<String> {
        match error.extensions.as_ref().and_then(|e| e.get("code")) {
            Some(async_graphql::Value::String(code)) => Some(code.clone()),
            _ => None,
        }
    }

    #[test]
    fn a_response_keeps_its_first_errors_and_counts_the_rest() {
        let mut errors: Vec<ServerError> = (0..MAX_ERRORS)
            .map(|index| error(&format!("e{index}"), None))
            .collect();
        errors.push(error("e20", Some(ErrorCode::NotFound)));
        errors.extend((21..25).map(|index| error(&format!("e{index}"), None)));
        let response = finish(Response::from_errors(errors));
        assert_eq!(response.errors.len(), MAX_ERRORS + 1);
        assert_eq!(response.errors[MAX_ERRORS - 1].message, "e19");
        assert_eq!(code(&response.errors[0]).as_deref(), Some("BAD_USER_INPUT"));
        let summary = &response.errors[MAX_ERRORS];
        assert_eq!(summary.message, "too many errors; 5 more not shown");
        // Coded like the first error left out.
        assert_eq!(code(summary).as_deref(), Some("NOT_FOUND"));
    }

    #[test]
    fn long_messages_are_cut() {
        let long = "é".repeat(MAX_MESSAGE_CHARS + 500);
        let response = finish(Response::from_errors(vec![error(&long, None)]));
        let message = &response.errors[0].message;
        assert_eq!(message.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(message.ends_with("é…"), "{message}");
        let exact = "x".repeat(MAX_MESSAGE_CHARS);
        let response = finish(Response::from_errors(vec![error(&exact, None)]));
        assert_eq!(response.errors[0].message, exact);
    }

    #[test]
    fn a_response_within_the_cap_is_left_alone() {
        let errors: Vec<ServerError> = (0..MAX_ERRORS)
            .map(|index| error(&format!("e{index}"), Some(ErrorCode::Forbidden)))
            .collect();
        let response = finish(Response::from_errors(errors));
        assert_eq!(response.errors.len(), MAX_ERRORS);
        assert!(
            response
                .errors
                .iter()
                .all(|e| !e.message.contains("too many"))
        );
    }
}
