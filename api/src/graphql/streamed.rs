//! Operations run over a stream transport (a WebSocket's `subscribe`), their refusals told apart
//! from their results.
//!
//! graphql-transport-ws answers an operation that never starts — a document that does not parse
//! or validate, variables that do not coerce, a subscription whose source stream is refused
//! (`FORBIDDEN`, `NOT_FOUND`, `BAD_USER_INPUT`) — with one `error` message, after which the
//! operation is over, and its results with `next`. async-graphql's stream yields a `Response`
//! either way. What tells them apart is whether execution began: the engine runs the `execute`
//! hook of the extensions for every result (each event of a subscription, the one answer of a
//! query or a mutation) and never for a request refused before, so that hook (the one of
//! `errors::ErrorCodes`, which every schema of the API runs with) marks the request's
//! [`ExecutionProbe`] (`graphql::execution`, which GraphQL over HTTP asks too), and a response
//! that arrives with the probe unmarked is a refusal.

use async_graphql::{Executor, Request, Response, ServerError};
use futures::{StreamExt, future, stream::BoxStream};

use super::{LevierSchema, context::RequestState, execution::ExecutionProbe};
use crate::domain::Session;

/// What an operation produces, for the transport to send.
#[derive(Debug)]
pub enum Outcome {
    /// The operation never started; these are why. Nothing follows.
    Refused(Vec<ServerError>),
    /// A result: the answer of a query or a mutation, or one event of a subscription.
    Result(Response),
}

/// Runs `request` for `session`: its results as they come, or its refusal. The operation gets
/// request state (and DataLoaders) of its own.
pub fn execute(
    schema: &LevierSchema,
    request: Request,
    session: Session,
) -> BoxStream<'static, Outcome> {
    outcomes(schema, request.data(RequestState::new(Some(session))))
}

/// [`execute`] on any executor whose `execute` hook calls [`super::execution::mark_executed`].
fn outcomes(executor: &impl Executor, request: Request) -> BoxStream<'static, Outcome> {
    let (request, probe) = ExecutionProbe::attach(request);
    let mut refused = false;
    executor
        .execute_stream(request, None)
        .map(move |response| {
            if probe.executed() || response.errors.is_empty() {
                Outcome::Result(response)
            } else {
                Outcome::Refused(response.errors)
            }
        })
        // A refusal is the last word, whatever the engine would add.
        .take_while(move |outcome| {
            let more = !refused;
            refused |= matches!(outcome, Outcome::Refused(_));
            future::ready(more)
        })
        .boxed()
}

#[cfg(test)]
mod tests {
    use async_graphql::{Error, Object, Schema, Subscription};
    use futures::{Stream, StreamExt};

    use super::*;

    struct Query;

    #[Object]
    impl Query {
        async fn ready(&self) -> bool {
            true
        }
    }

    struct Live;

    #[Subscription]
    impl Live {
        /// Counts to `to`; refused when `to` is negative. The count of 2 fails.
        async fn count(&self, to: i32) -> Result<impl Stream<Item = Result<i32, Error>>, Error> {
            if to < 0 {
                return Err(Error::new("refused"));
            }
            Ok(futures::stream::iter(1..=to).map(|n| {
                if n == 2 {
                    Err(Error::new("two failed"))
                } else {
                    Ok(n)
                }
            }))
        }
    }

    async fn run(query: &str) -> Vec<Outcome> {
        let schema = Schema::build(Query, async_graphql::EmptyMutation, Live)
            .extension(crate::graphql::errors::ErrorCodes)
            .finish();
        outcomes(&schema, Request::new(query)).collect().await
    }

    fn messages(errors: &[ServerError]) -> Vec<&str> {
        errors.iter().map(|error| error.message.as_str()).collect()
    }

    #[tokio::test]
    async fn a_refused_source_stream_is_a_refusal() {
        let outcomes = run("subscription { count(to: -1) }").await;
        assert!(
            matches!(&outcomes[..], [Outcome::Refused(errors)] if messages(errors) == ["refused"]),
            "{outcomes:?}"
        );
    }

    #[tokio::test]
    async fn an_invalid_document_is_a_refusal() {
        let outcomes = run("subscription { count(to: \"three\") }").await;
        assert!(
            matches!(&outcomes[..], [Outcome::Refused(errors)] if errors.len() == 1),
            "{outcomes:?}"
        );
        let outcomes = run("subscription { nope }").await;
        assert!(
            matches!(&outcomes[..], [Outcome::Refused(_)]),
            "{outcomes:?}"
        );
    }

    #[tokio::test]
    async fn events_are_results_even_when_one_fails() {
        let outcomes = run("subscription { count(to: 3) }").await;
        assert_eq!(outcomes.len(), 3, "{outcomes:?}");
        assert!(
            outcomes
                .iter()
                .all(|outcome| matches!(outcome, Outcome::Result(_))),
            "{outcomes:?}"
        );
        let Outcome::Result(failed) = &outcomes[1] else {
            unreachable!()
        };
        assert_eq!(messages(&failed.errors), ["two failed"]);
    }

    #[tokio::test]
    async fn a_query_over_the_stream_is_a_result() {
        let outcomes = run("{ ready }").await;
        assert!(
            matches!(&outcomes[..], [Outcome::Result(response)] if response.errors.is_empty()),
            "{outcomes:?}"
        );
    }
}
