//! The connection outlives the upgrade request, and its work (authentication, the operations'
//! resolvers and their DataLoaders) runs in the WebSocket actor, outside the request's span; it
//! runs in a span of its own instead, a child of the upgrade request's, so that what it logs
//! carries that request's id.

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use futures::Stream;
use tracing::Span;

/// A stream polled inside a span: whatever it runs while producing an item (here an operation,
/// its resolvers, and the DataLoaders they create) logs in that span.
pub struct InSpan<S> {
    stream: Pin<Box<S>>,
    span: Span,
}

impl<S> InSpan<S> {
    /// `stream`, polled in `span`.
    pub fn new(stream: S, span: Span) -> Self {
        Self {
            stream: Box::pin(stream),
            span,
        }
    }
}

impl<S: Stream> Stream for InSpan<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = &mut *self;
        let _entered = this.span.enter();
        this.stream.as_mut().poll_next(context)
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
        let seen: Vec<_> = InSpan::new(inner, connection.clone()).collect().await;
        assert!(connection.id().is_some());
        assert_eq!(seen, vec![connection.id(), connection.id()]);
    }
}
