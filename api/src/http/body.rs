//! Request bodies that are not read to their end close their connection, so that a client
//! stalling a body cannot hold a connection through any endpoint.
//!
//! When a handler answers without reading the whole body (an endpoint that reads none, or the
//! GraphQL handler giving up on a late body with 408), actix either closes the connection or,
//! for a chunked body whose reader is gone, reads and discards the rest before it goes on —
//! with no deadline, so a client that stalls that body keeps the connection for ever. actix
//! closes instead when the body's reader is still alive as the response is sent; this
//! middleware keeps it alive that long: the handler reads the body through one handle, and the
//! response body holds the other until it has been sent.

use std::{
    cell::RefCell,
    pin::Pin,
    rc::Rc,
    task::{Context, Poll},
};

use actix_web::{
    Error, HttpMessage,
    body::{BodySize, BoxBody, MessageBody},
    dev::{Payload, ServiceRequest, ServiceResponse},
    error::PayloadError,
    middleware::Next,
    web::Bytes,
};
use futures::Stream;

/// A request body shared between the handler that reads it and the response that outlives it
/// (a request lives on one worker thread).
type SharedPayload = Rc<RefCell<Payload>>;

/// The handler's end of a [`SharedPayload`].
struct Reader(SharedPayload);

impl Stream for Reader {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut *self.0.borrow_mut()).poll_next(context)
    }
}

/// A response body that holds the request's body until it has been sent.
struct Holding {
    body: BoxBody,
    _request_body: SharedPayload,
}

impl MessageBody for Holding {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_next(context)
    }
}

/// The middleware: see the module's documentation.
pub async fn close_unread(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let payload = request.take_payload();
    if matches!(payload, Payload::None) {
        return Ok(next.call(request).await?.map_into_boxed_body());
    }
    let shared: SharedPayload = Rc::new(RefCell::new(payload));
    request.set_payload(Payload::Stream {
        payload: Box::pin(Reader(shared.clone())),
    });
    let response = next.call(request).await?;
    Ok(response.map_body(move |_, body| {
        BoxBody::new(Holding {
            body: body.boxed(),
            _request_body: shared,
        })
    }))
}
