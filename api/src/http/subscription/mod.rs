//! `GET /graphql` with `Upgrade: websocket`: GraphQL subscriptions over the
//! `graphql-transport-ws` protocol (the protocol of the `graphql-ws` library).
//!
//! **Authentication.** The connection is authenticated by its `connection_init` payload, which
//! carries the headers an HTTP request would (`Authorization`, and `X-Levier-Tenant` for an
//! agency token), at its top level or in a `headers` object, names in any case ([`init`]); it is
//! verified by the same `session_from` as every HTTP request. There is no anonymous
//! subscription. A refused `connection_init` closes the socket with 4403 and the reason
//! ("missing credential: …", "token expired", "this API key was revoked", "this token does not
//! grant access to tenant `globex`"…); 1013 (Try Again Later) when the database cannot be
//! reached.
//!
//! **The credential's end.** A connection lasts as long as its credential, not longer:
//! - at the instant the token would be refused (its `exp`, plus the tolerated clock skew, which
//!   is when the server starts refusing it), or at an API key's `expiresAt`, the socket is
//!   closed with **4403** ("token expired", "API key expired"), by a timer set when the
//!   connection is acknowledged. `graphql-ws` clients retry a 4403, calling their
//!   `connectionParams` again: a client that refreshes its token there reconnects and
//!   resubscribes by itself. One that sends the expired token again is refused at
//!   `connection_init`, never acknowledged, so its `retryAttempts` run out: no endless loop;
//! - when an API key is revoked, its sockets are closed with **4401** ("API key revoked")
//!   within moments, on every server process of the database: the revocation is announced as it
//!   commits (`events::revocation`: PostgreSQL `NOTIFY`, or in-process on SQLite), and each
//!   connection watches for its key's. `graphql-ws` clients treat 4401 as fatal and do not
//!   retry: an administrator cut that access, and a client that would reconnect with the same
//!   key would only be refused. Should an announcement be lost (the listener reconnecting), the
//!   connections of API keys are told, and read their key again.
//!
//! **Shutdown.** When the server stops accepting (after its drain, see `shutdown`), every
//! connection is closed with **1001** ("the server is shutting down"): `graphql-ws` clients
//! connect again, and a load balancer sends them to another replica.
//!
//! **Operations.** A `subscribe` before the connection is acknowledged closes it with 4401, one
//! with the id of a running operation with 4409, a second `connection_init` with 4429, a
//! message that is not one of the protocol's with 4400; no `connection_init` within 10 s closes
//! it with 4408. An operation that never starts (a document that does not parse or validate, a
//! subscription refused as `FORBIDDEN`, `NOT_FOUND`, `BAD_USER_INPUT`) is answered with one
//! `error` message whose payload lists the errors, each with `extensions.code`, and nothing
//! after it; results come as `next` (an event whose resolution fails is a `next` with errors),
//! and `complete` when the operation ends. A client's `complete` stops the operation.
//!
//! The protocol is implemented here ([`protocol`], [`connection`]) rather than by
//! async-graphql's `WebSocket`, which answers a refusal with `next` and ends connections with
//! codes of its own.

mod connection;
mod init;
mod protocol;
mod span;

use actix_web::{HttpRequest, HttpResponse, guard::GuardContext, http::header, web};
use actix_web_actors::ws;

use super::error_response;
use crate::{error::ApiError, http::state::AppState};

/// The only subprotocol spoken.
const PROTOCOL: &str = "graphql-transport-ws";

/// True for a request asking to upgrade to a WebSocket.
pub fn is_websocket_upgrade(request: &GuardContext<'_>) -> bool {
    request
        .head()
        .headers()
        .get(header::UPGRADE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim().eq_ignore_ascii_case("websocket"))
}

/// Upgrades the request to a WebSocket speaking `graphql-transport-ws`.
pub async fn subscribe(
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, actix_web::Error> {
    let offers_protocol = request
        .headers()
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|offered| offered.split(',').any(|p| p.trim() == PROTOCOL));
    if !offers_protocol {
        return Ok(error_response(&ApiError::bad_input(format!(
            "subscriptions speak the {PROTOCOL} protocol: offer it in Sec-WebSocket-Protocol"
        ))));
    }
    // Created in the upgrade request's span, whose request id it inherits.
    let connection = connection::Connection::new(state);
    ws::WsResponseBuilder::new(connection, &request, payload)
        .protocols(&[PROTOCOL])
        .start()
}
