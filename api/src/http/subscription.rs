//! `GET /graphql` with `Upgrade: websocket`: GraphQL subscriptions over the
//! `graphql-transport-ws` protocol.
//!
//! The connection is authenticated by its `connection_init` payload, which carries the headers
//! an HTTP request would (`Authorization`, and `X-Levier-Tenant` for an agency token; names in
//! any case), verified by the same [`session_from`] as every HTTP request. There is no anonymous
//! subscription: a missing or refused credential closes the socket with 4403 (Forbidden), and
//! a `subscribe` before the connection is acknowledged with 4401 (Unauthorized), the codes the
//! protocol gives. The credential is checked once, when the connection starts: a key revoked
//! (or a token expiring) later keeps its open connections until they close.
//!
//! The protocol itself is async-graphql's [`WebSocket`]; this module only carries its messages
//! over actix's WebSocket actor (like `async_graphql_actix_web::GraphQLSubscription`, which
//! closes a refused connection with a generic 1002 instead) and keeps it alive with pings.
//!
//! The connection outlives the upgrade request, and its work (authentication, the
//! subscriptions' resolvers and their DataLoaders) runs in the WebSocket actor, outside the
//! request's span; it runs in a span of its own instead, a child of the upgrade request's, so
//! that what it logs carries that request's id.

use std::{
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll},
    time::{Duration, Instant},
};

use actix::{
    Actor, ActorContext, ActorStreamExt, AsyncContext, ContextFutureSpawner, StreamHandler,
    WrapStream,
};
use actix_web::{HttpRequest, HttpResponse, guard::GuardContext, http::header, web};
use actix_web_actors::ws::{self, CloseCode, CloseReason, Message, ProtocolError};
use async_graphql::{
    Data,
    http::{WebSocket, WebSocketProtocols, WsMessage},
};
use futures::{Stream, channel::mpsc};
use tracing::Span;

use super::{
    credentials::{TENANT_HEADER, session_from},
    error_response,
};
use crate::{error::ApiError, graphql::context::RequestState, http::state::AppState};

/// The only subprotocol spoken.
const PROTOCOL: &str = "graphql-transport-ws";

/// How often the server pings the client.
const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(5);

/// How long the client may stay silent (no pong, no message) before the server hangs up.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);

/// The close code of a refused `connection_init` (graphql-transport-ws: `4403: Forbidden`).
const FORBIDDEN: u16 = 4403;

/// The close code of a `subscribe` before `connection_ack` (`4401: Unauthorized`).
const UNAUTHORIZED: u16 = 4401;

/// The close code async-graphql uses for a refused `connection_init`.
const REFUSED_INIT: u16 = 1002;

/// The close code async-graphql uses for a `subscribe` before the handshake.
const NO_HANDSHAKE: u16 = 1011;

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
    let connection = Connection {
        // Created in the upgrade request's span, whose request id it inherits.
        span: tracing::info_span!("graphql_ws_connection"),
        state,
        last_heard: Instant::now(),
        messages: None,
        refused: Arc::new(AtomicBool::new(false)),
    };
    ws::WsResponseBuilder::new(connection, &request, payload)
        .protocols(&[PROTOCOL])
        .start()
}

/// The session named by a `connection_init` payload, as the connection's data; an error (which
/// closes the connection) without a valid credential.
async fn authenticate(
    state: web::Data<AppState>,
    payload: serde_json::Value,
) -> async_graphql::Result<Data> {
    let value_of = |name: &str| {
        payload.as_object().and_then(|fields| {
            fields
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .and_then(|(_, value)| value.as_str())
        })
    };
    let session = session_from(&state, value_of("authorization"), value_of(TENANT_HEADER))
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    let mut data = Data::default();
    data.insert(RequestState::new(Some(session)));
    Ok(data)
}

/// One WebSocket connection.
struct Connection {
    /// The span everything the connection does runs in.
    span: Span,
    state: web::Data<AppState>,
    /// When the client last sent anything (a pong included).
    last_heard: Instant,
    /// The client's messages, on their way to the protocol.
    messages: Option<mpsc::UnboundedSender<Vec<u8>>>,
    /// Set when `connection_init` was refused, to close with the protocol's code.
    refused: Arc<AtomicBool>,
}

impl Actor for Connection {
    type Context = ws::WebsocketContext<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(HEARTBEAT_INTERVAL, |connection, ctx| {
            if connection.last_heard.elapsed() > CLIENT_TIMEOUT {
                connection.span.in_scope(|| {
                    tracing::info!("subscription client silent for too long; disconnecting");
                });
                ctx.stop();
            } else {
                ctx.ping(b"");
            }
        });
        let (sender, receiver) = mpsc::unbounded();
        self.messages = Some(sender);
        let state = self.state.clone();
        let refused = self.refused.clone();
        let protocol = WebSocket::new(
            self.state.schema.clone(),
            receiver,
            WebSocketProtocols::GraphQLWS,
        )
        .on_connection_init(move |payload| async move {
            let result = authenticate(state, payload).await;
            if result.is_err() {
                refused.store(true, Ordering::SeqCst);
            }
            result
        });
        InSpan {
            stream: Box::pin(protocol),
            span: self.span.clone(),
        }
        .into_actor(self)
        .map(|message, connection, ctx| match message {
            WsMessage::Text(text) => ctx.text(text),
            WsMessage::Close(code, reason) => {
                let (code, reason) =
                    if code == REFUSED_INIT && connection.refused.load(Ordering::SeqCst) {
                        (FORBIDDEN, "Forbidden".to_owned())
                    } else if code == NO_HANDSHAKE {
                        (UNAUTHORIZED, "Unauthorized".to_owned())
                    } else {
                        (code, reason)
                    };
                ctx.close(Some(CloseReason {
                    code: CloseCode::from(code),
                    description: Some(reason),
                }));
                ctx.stop();
            }
        })
        .finish()
        .spawn(ctx);
    }
}

/// A stream polled inside a span: whatever it runs while producing an item (here the protocol,
/// the subscriptions' resolvers, and the DataLoaders they create) logs in that span.
struct InSpan<S> {
    stream: Pin<Box<S>>,
    span: Span,
}

impl<S: Stream> Stream for InSpan<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = &mut *self;
        let _entered = this.span.enter();
        this.stream.as_mut().poll_next(context)
    }
}

impl StreamHandler<Result<Message, ProtocolError>> for Connection {
    fn handle(&mut self, message: Result<Message, ProtocolError>, ctx: &mut Self::Context) {
        let message = match message {
            Ok(message) => message,
            Err(_) => {
                ctx.stop();
                return;
            }
        };
        self.last_heard = Instant::now();
        let text = match message {
            Message::Ping(bytes) => {
                ctx.pong(&bytes);
                None
            }
            Message::Text(text) => Some(text.as_bytes().to_vec()),
            Message::Binary(bytes) => Some(bytes.to_vec()),
            Message::Close(reason) => {
                ctx.close(reason);
                ctx.stop();
                None
            }
            // Fragmented messages are not expected from GraphQL clients: refuse them rather than
            // buffer them without bound.
            Message::Continuation(_) => {
                ctx.close(Some(CloseReason {
                    code: CloseCode::Size,
                    description: Some("fragmented messages are not accepted".to_owned()),
                }));
                ctx.stop();
                None
            }
            Message::Pong(_) | Message::Nop => None,
        };
        if let Some(text) = text
            && let Some(messages) = &self.messages
            && messages.unbounded_send(text).is_err()
        {
            ctx.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use futures::StreamExt;
    use tracing::Span;

    use super::InSpan;

    #[tokio::test]
    async fn a_stream_in_a_span_produces_its_items_inside_that_span() {
        // Spans only get ids under a subscriber.
        let _subscriber = tracing::subscriber::set_default(tracing_subscriber::registry());
        let connection = tracing::info_span!("graphql_ws_connection");
        let inner = futures::stream::repeat_with(|| Span::current().id()).take(2);
        let seen: Vec<_> = InSpan {
            stream: Box::pin(inner),
            span: connection.clone(),
        }
        .collect()
        .await;
        assert!(connection.id().is_some());
        assert_eq!(seen, vec![connection.id(), connection.id()]);
    }
}
