//! The messages of `graphql-transport-ws` (the protocol of the `graphql-ws` library): what the
//! client sends, what the server answers, and the close codes and reasons the server ends a
//! connection with.

use async_graphql::{Request, Response, ServerError};
use futures::{Stream, StreamExt, stream::BoxStream};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{
    auth::principal::CredentialEnd,
    error::{ApiError, ErrorCode},
    graphql::streamed::Outcome,
};

/// The longest close reason, in bytes: a close frame's body is at most 125 bytes, two of which
/// carry the code.
pub const MAX_REASON_BYTES: usize = 123;

/// A message from the client.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// The first message: the `connectionParams`, which carry the credential.
    ConnectionInit {
        /// The parameters (an object, when present).
        #[serde(default)]
        payload: Option<Map<String, Value>>,
    },
    /// Asks for a `pong`.
    Ping {
        /// Anything, echoed.
        #[serde(default)]
        payload: Option<Value>,
    },
    /// The answer to a `ping` (the server sends none: WebSocket pings keep the connection);
    /// its payload, if any, is ignored.
    Pong {},
    /// Starts operation `id`.
    Subscribe {
        /// The operation's id, unique among the connection's running operations.
        id: String,
        /// The GraphQL request (boxed: it is much larger than the other messages).
        payload: Box<Request>,
    },
    /// Stops operation `id`.
    Complete {
        /// The operation's id.
        id: String,
    },
}

impl ClientMessage {
    /// The message in `text`, or the close of a connection that sent something else.
    pub fn parse(text: &[u8]) -> Result<Self, Close> {
        serde_json::from_slice(text).map_err(|error| Close::bad_request(&error.to_string()))
    }
}

/// A message of the server.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ServerMessage<'a> {
    ConnectionAck,
    Pong {
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<Value>,
    },
    Next {
        id: &'a str,
        payload: &'a Response,
    },
    Error {
        id: &'a str,
        payload: &'a [ServerError],
    },
    Complete {
        id: &'a str,
    },
}

impl ServerMessage<'_> {
    fn text(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|error| {
            // Values the engine produced always serialise; should one not, the client gets an
            // error it can act on rather than nothing.
            tracing::error!(%error, "a subscription message could not be serialised");
            let id = match self {
                Self::Next { id, .. } | Self::Error { id, .. } | Self::Complete { id } => id,
                Self::ConnectionAck | Self::Pong { .. } => "",
            };
            serde_json::json!({ "id": id, "type": "error", "payload": [{
                "message": "internal server error",
                "extensions": { "code": ErrorCode::InternalServerError.as_str() },
            }] })
            .to_string()
        })
    }
}

/// `connection_ack`.
pub fn connection_ack() -> String {
    ServerMessage::ConnectionAck.text()
}

/// The `pong` answering a `ping` with `payload`.
pub fn pong(payload: Option<Value>) -> String {
    ServerMessage::Pong { payload }.text()
}

/// The messages of operation `id`: `next` for each result then `complete`, or a single `error`
/// when it is refused.
pub fn operation_messages(
    id: String,
    outcomes: BoxStream<'static, Outcome>,
) -> impl Stream<Item = String> + Send + 'static {
    futures::stream::unfold(Some(outcomes), move |outcomes| {
        let id = id.clone();
        async move {
            let mut outcomes = outcomes?;
            Some(match outcomes.next().await {
                Some(Outcome::Result(response)) => (
                    ServerMessage::Next {
                        id: &id,
                        payload: &response,
                    }
                    .text(),
                    Some(outcomes),
                ),
                Some(Outcome::Refused(errors)) => (
                    ServerMessage::Error {
                        id: &id,
                        payload: &errors,
                    }
                    .text(),
                    None,
                ),
                None => (ServerMessage::Complete { id: &id }.text(), None),
            })
        }
    })
}

/// How the server ends a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Close {
    /// The close code.
    pub code: u16,
    /// Why, for a person; at most [`MAX_REASON_BYTES`].
    pub reason: String,
}

impl Close {
    fn new(code: u16, reason: &str) -> Self {
        let mut end = reason.len().min(MAX_REASON_BYTES);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        Self {
            code,
            reason: reason[..end].to_owned(),
        }
    }

    /// 4400: a message that is not one of the protocol's. Fatal for `graphql-ws` clients.
    pub fn bad_request(detail: &str) -> Self {
        Self::new(4400, &format!("invalid message: {detail}"))
    }

    /// 4401: an operation before `connection_ack`. Fatal for `graphql-ws` clients.
    pub fn unauthorized() -> Self {
        Self::new(4401, "Unauthorized")
    }

    /// 4403: a refused `connection_init`, for `reason`. `graphql-ws` clients try again, calling
    /// their `connectionParams` again: a refusal is never acknowledged, so each counts against
    /// their `retryAttempts`.
    pub fn forbidden(reason: &str) -> Self {
        Self::new(4403, reason)
    }

    /// 4408: no `connection_init` in time. `graphql-ws` clients try again.
    pub fn init_timeout() -> Self {
        Self::new(4408, "Connection initialisation timeout")
    }

    /// 4409: a `subscribe` with the id of a running operation. Fatal for `graphql-ws` clients.
    pub fn subscriber_exists(id: &str) -> Self {
        Self::new(4409, &format!("Subscriber for {id} already exists"))
    }

    /// 4429: a second `connection_init`. Fatal for `graphql-ws` clients.
    pub fn too_many_inits() -> Self {
        Self::new(4429, "Too many initialisation requests")
    }

    /// The close of a `connection_init` refused with `error`: 4403 with its message when the
    /// credential (or the tenant it asks for) is refused; 1013 (Try Again Later) when the
    /// database is unavailable, which clients try again; 4500 for a fault of the server.
    pub fn refused(error: &ApiError) -> Self {
        match error.code {
            ErrorCode::ServiceUnavailable | ErrorCode::RateLimited => {
                Self::new(1013, "service unavailable: try again later")
            }
            ErrorCode::InternalServerError => Self::new(4500, "internal server error"),
            _ => Self::forbidden(&error.message),
        }
    }

    /// 1001 (Going Away): the server is shutting down. `graphql-ws` clients connect again,
    /// which a load balancer sends to another replica.
    pub fn going_away() -> Self {
        Self::new(1001, "the server is shutting down")
    }

    /// The close of an acknowledged connection whose credential (an API key when `api_key`,
    /// a token otherwise) stopped being valid. An expiry closes with 4403, which `graphql-ws`
    /// clients answer by connecting again with fresh `connectionParams` (a refreshed token); a
    /// revocation with 4401, which they do not try again: an administrator cut that access.
    pub fn credential_ended(end: CredentialEnd, api_key: bool) -> Self {
        match (end, api_key) {
            (CredentialEnd::Expired, false) => Self::new(4403, "token expired"),
            (CredentialEnd::Expired, true) => Self::new(4403, "API key expired"),
            (CredentialEnd::Revoked, _) => Self::new(4401, "API key revoked"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_fit_a_close_frame_whatever_their_characters() {
        let long = Close::forbidden(&"é".repeat(100));
        assert!(long.reason.len() <= MAX_REASON_BYTES);
        assert_eq!(long.reason.len(), 122, "cut on a character boundary");
        assert_eq!(Close::forbidden("token expired").reason, "token expired");
        assert!(Close::subscriber_exists(&"x".repeat(500)).reason.len() <= MAX_REASON_BYTES);
    }

    #[test]
    fn client_messages_parse_and_anything_else_is_a_bad_request() {
        assert!(matches!(
            ClientMessage::parse(br#"{"type":"connection_init"}"#),
            Ok(ClientMessage::ConnectionInit { payload: None })
        ));
        assert!(matches!(
            ClientMessage::parse(br#"{"type":"subscribe","id":"1","payload":{"query":"{ a }"}}"#),
            Ok(ClientMessage::Subscribe { id, .. }) if id == "1"
        ));
        for invalid in [
            &br#"{"type":"connection_init","payload":"token"}"#[..],
            br#"{"type":"subscribe","id":"1"}"#,
            br#"{"type":"start","id":"1","payload":{"query":"{ a }"}}"#,
            b"not json",
        ] {
            let close = ClientMessage::parse(invalid).err();
            assert_eq!(close.map(|close| close.code), Some(4400));
        }
    }

    #[test]
    fn a_refusal_before_the_operation_starts_is_one_error_message() {
        let refused =
            futures::stream::iter([Outcome::Refused(vec![ServerError::new("no", None)])]).boxed();
        let messages: Vec<Value> = futures::executor::block_on(
            operation_messages("7".into(), refused).collect::<Vec<_>>(),
        )
        .iter()
        .map(|text| serde_json::from_str(text).unwrap_or_default())
        .collect();
        assert_eq!(
            messages,
            [serde_json::json!({ "id": "7", "type": "error", "payload": [{ "message": "no" }] })]
        );

        let results =
            futures::stream::iter([Outcome::Result(Response::new(async_graphql::Value::Null))])
                .boxed();
        let types: Vec<Value> = futures::executor::block_on(
            operation_messages("8".into(), results).collect::<Vec<_>>(),
        )
        .iter()
        .map(|text| serde_json::from_str::<Value>(text).unwrap_or_default()["type"].clone())
        .collect();
        assert_eq!(types, ["next", "complete"]);
    }
}
