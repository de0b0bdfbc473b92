//! One WebSocket connection: the actor that reads the client's frames, runs the protocol's
//! steps (see the module above), and ends the connection when its credential ends.

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use actix::{
    Actor, ActorContext, ActorFutureExt, ActorStreamExt, AsyncContext, SpawnHandle, StreamHandler,
    WrapFuture, WrapStream,
};
use actix_web::web;
use actix_web_actors::ws::{self, CloseCode, CloseReason, Message, ProtocolError};
use async_graphql::Request;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use tracing::{Instrument, Span};

use super::{
    init,
    protocol::{self, ClientMessage, Close},
    span::InSpan,
};
use crate::{
    auth::{
        Grant,
        principal::{self, CredentialEnd},
    },
    domain::Session,
    events::revocation::{KeyNotice, KeyWatch},
    http::{rate, state::AppState},
    observability::metrics::OpenSubscription,
};

/// How often the server pings the client.
const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(5);

/// How long the client may stay silent (no pong, no message) before the server hangs up.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long the client has to send `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest a timer waits: an expiry further away is reached in steps (timers of years
/// are not what runtimes are built for).
const LONGEST_WAIT: Duration = Duration::from_secs(24 * 3600);

/// Where the connection is in the protocol.
enum Phase {
    /// Waiting for `connection_init`.
    Opened,
    /// `connection_init` is being checked; nothing else is read meanwhile.
    Initialising,
    /// Acknowledged: operations run as this session.
    Ready(Session),
    /// Closed by the server: nothing more is read or sent.
    Closing,
}

/// One WebSocket connection.
pub struct Connection {
    /// The span everything the connection does runs in.
    span: Span,
    state: web::Data<AppState>,
    /// When the client last sent anything (a pong included).
    last_heard: Instant,
    phase: Phase,
    /// The running operations, by id.
    operations: HashMap<String, SpawnHandle>,
}

impl Connection {
    /// A connection opened by the upgrade request whose span is current.
    pub fn new(state: web::Data<AppState>) -> Self {
        Self {
            span: tracing::info_span!("graphql_ws_connection"),
            state,
            last_heard: Instant::now(),
            phase: Phase::Opened,
            operations: HashMap::new(),
        }
    }

    /// Acts on one message of the client.
    fn receive(&mut self, text: &[u8], ctx: &mut ws::WebsocketContext<Self>) {
        if matches!(self.phase, Phase::Closing) {
            return;
        }
        match ClientMessage::parse(text) {
            Err(close) => self.close(close, ctx),
            Ok(ClientMessage::ConnectionInit { payload }) => match self.phase {
                Phase::Opened => self.initialise(payload, ctx),
                _ => self.close(Close::too_many_inits(), ctx),
            },
            Ok(ClientMessage::Ping { payload }) => ctx.text(protocol::pong(payload)),
            Ok(ClientMessage::Pong {}) => {}
            Ok(ClientMessage::Subscribe { id, payload }) => self.start(id, *payload, ctx),
            Ok(ClientMessage::Complete { id }) => {
                // The client stopped listening: nothing more is sent for the operation.
                if let Some(handle) = self.operations.remove(&id) {
                    ctx.cancel_future(handle);
                }
            }
        }
    }

    /// Checks the credential of `connection_init`, reading nothing else until it is done.
    fn initialise(
        &mut self,
        payload: Option<Map<String, Value>>,
        ctx: &mut ws::WebsocketContext<Self>,
    ) {
        self.phase = Phase::Initialising;
        // Watching before the key is checked: a revocation committed in between is not missed.
        let revocations = self.state.events.watch_api_keys();
        let state = self.state.clone();
        let check = async move { init::authenticate(&state, payload).await };
        ctx.wait(check.instrument(self.span.clone()).into_actor(self).map(
            move |result, connection, ctx| match result {
                Ok(session) => connection.acknowledge(session, revocations, ctx),
                Err(close) => connection.close(close, ctx),
            },
        ));
    }

    /// Acknowledges the connection, and arranges for it to end with its credential: at its
    /// expiry, and, for an API key, at its revocation.
    fn acknowledge(
        &mut self,
        session: Session,
        revocations: KeyWatch,
        ctx: &mut ws::WebsocketContext<Self>,
    ) {
        let principal = session.principal().clone();
        let api_key = match principal.grant {
            Grant::ApiKey { id, .. } => Some(id),
            Grant::Role(_) | Grant::SharedPlan { .. } => None,
        };
        self.phase = Phase::Ready(session);
        ctx.text(protocol::connection_ack());
        if let Some(valid_until) = principal.valid_until {
            self.end_at(valid_until, api_key.is_some(), ctx);
        }
        if let Some(key_id) = api_key {
            let tenant_id = principal.tenant_id;
            ctx.spawn(
                revocations
                    .of(tenant_id, key_id)
                    .into_actor(self)
                    .map(move |notice, connection, ctx| match notice {
                        KeyNotice::Revoked => connection
                            .close(Close::credential_ended(CredentialEnd::Revoked, true), ctx),
                        KeyNotice::MaybeMissed => connection.check_key(tenant_id, key_id, ctx),
                    })
                    .finish(),
            );
        }
    }

    /// Closes the connection at `valid_until`, when its credential stops being accepted.
    fn end_at(
        &mut self,
        valid_until: DateTime<Utc>,
        api_key: bool,
        ctx: &mut ws::WebsocketContext<Self>,
    ) {
        let wait = (valid_until - Utc::now()).to_std().unwrap_or_default();
        ctx.run_later(wait.min(LONGEST_WAIT), move |connection, ctx| {
            if Utc::now() >= valid_until {
                connection.close(
                    Close::credential_ended(CredentialEnd::Expired, api_key),
                    ctx,
                );
            } else {
                connection.end_at(valid_until, api_key, ctx);
            }
        });
    }

    /// Checks the connection's API key against the database, after an announcement of its
    /// revocation may have been lost; closes the connection if it no longer stands.
    fn check_key(
        &mut self,
        tenant_id: uuid::Uuid,
        key_id: uuid::Uuid,
        ctx: &mut ws::WebsocketContext<Self>,
    ) {
        let db = self.state.db.clone();
        let check = async move { principal::api_key_end(&db, tenant_id, key_id).await };
        ctx.spawn(check.instrument(self.span.clone()).into_actor(self).map(
            |standing, connection, ctx| match standing {
                Ok(None) => {}
                Ok(Some(end)) => connection.close(Close::credential_ended(end, true), ctx),
                Err(error) => connection.span.in_scope(|| {
                    // The next announcement, or the next loss, checks again.
                    tracing::warn!(?error, "the connection's API key could not be checked");
                }),
            },
        ));
    }

    /// Starts operation `id`.
    fn start(&mut self, id: String, request: Request, ctx: &mut ws::WebsocketContext<Self>) {
        let Phase::Ready(session) = &self.phase else {
            return self.close(Close::unauthorized(), ctx);
        };
        if self.operations.contains_key(&id) {
            return self.close(Close::subscriber_exists(&id), ctx);
        }
        let outcomes = rate::charged_operation(self.state.clone(), session.clone(), request);
        let messages = protocol::operation_messages(id.clone(), outcomes);
        let finished = id.clone();
        // Counted open until the operation ends or is stopped (the future dropped).
        let open = OpenSubscription::start();
        let handle = ctx.spawn(
            InSpan::new(messages, self.span.clone())
                .into_actor(self)
                .map(|text, _, ctx| ctx.text(text))
                .finish()
                .map(move |(), connection, _| {
                    drop(open);
                    connection.operations.remove(&finished);
                }),
        );
        self.operations.insert(id, handle);
    }

    /// Closes the connection with `close`'s code and reason, once.
    fn close(&mut self, close: Close, ctx: &mut ws::WebsocketContext<Self>) {
        if matches!(self.phase, Phase::Closing) {
            return;
        }
        self.phase = Phase::Closing;
        self.span.in_scope(|| {
            tracing::info!(code = close.code, reason = %close.reason, "closing a subscription connection");
        });
        ctx.close(Some(CloseReason {
            code: CloseCode::from(close.code),
            description: Some(close.reason),
        }));
        ctx.stop();
    }
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
        // On shutdown, a close frame rather than a dropped connection: clients reconnect.
        ctx.spawn(
            self.state
                .shutdown
                .stopping()
                .into_actor(self)
                .map(|(), connection, ctx| connection.close(Close::going_away(), ctx)),
        );
        ctx.run_later(INIT_TIMEOUT, |connection, ctx| {
            if matches!(connection.phase, Phase::Opened) {
                connection.close(Close::init_timeout(), ctx);
            }
        });
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
        match message {
            Message::Ping(bytes) => ctx.pong(&bytes),
            Message::Text(text) => self.receive(text.as_bytes(), ctx),
            Message::Binary(bytes) => self.receive(&bytes, ctx),
            Message::Close(reason) => {
                ctx.close(reason);
                ctx.stop();
            }
            // Fragmented messages are not expected from GraphQL clients: refuse them rather than
            // buffer them without bound.
            Message::Continuation(_) => {
                ctx.close(Some(CloseReason {
                    code: CloseCode::Size,
                    description: Some("fragmented messages are not accepted".to_owned()),
                }));
                ctx.stop();
            }
            Message::Pong(_) | Message::Nop => {}
        }
    }
}
