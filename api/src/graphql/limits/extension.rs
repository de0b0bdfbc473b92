//! The admission extension: it admits the requests that were not admitted before they reached
//! the engine (operations over WebSocket, documents the HTTP handler found invalid), and
//! reports the cost of every request in its answers' `extensions.cost`.

use std::sync::{Arc, OnceLock};

use async_graphql::{
    Request, Response, ServerResult,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest,
        NextSubscribe,
    },
    futures_util::stream::{BoxStream, StreamExt},
};

use super::{Budget, Cost, admit, admitted_cost};
use crate::config::QueryLimits;

/// Factory of the admission extension.
pub struct QueryShapeLimits(pub QueryLimits);

impl ExtensionFactory for QueryShapeLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(QueryShapeExtension {
            limits: self.0,
            cost: Arc::default(),
        })
    }
}

/// The admission of one request (the engine makes one per request or subscription).
struct QueryShapeExtension {
    limits: QueryLimits,
    /// The cost of the request's operation, once admitted.
    cost: Arc<OnceLock<Cost>>,
}

/// `response`, with `extensions.cost` when the request was priced.
fn with_cost(response: Response, cost: &OnceLock<Cost>) -> Response {
    match cost.get() {
        Some(cost) => response.extension("cost", cost.to_value()),
        None => response,
    }
}

#[async_trait::async_trait]
impl Extension for QueryShapeExtension {
    /// Admits the request's document (unless it was, with its batch), before the engine parses
    /// it: the engine then takes the checked document instead.
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let admitted = admitted_cost(&request);
        let request = match admitted {
            Some(cost) => {
                let _ = self.cost.set(cost);
                request
            }
            None => {
                let admitted = admit(&request, &mut Budget::for_request(self.limits))?;
                let _ = self.cost.set(admitted.cost());
                admitted.hand_over(request)
            }
        };
        next.run(ctx, request).await
    }

    /// Reports the cost in the answer of a query or mutation.
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        with_cost(next.run(ctx, operation_name).await, &self.cost)
    }

    /// Reports the cost in every event of a subscription (it is priced when it starts, before
    /// the first event).
    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        let cost = Arc::clone(&self.cost);
        next.run(ctx, stream)
            .map(move |response| with_cost(response, &cost))
            .boxed()
    }
}
