//! Whether the engine executed a request: what tells a request error (the document did not
//! validate, no operation could be chosen, a variable could not be coerced) from an answer of
//! an executed operation, whose errors are field errors. GraphQL over HTTP answers the first
//! with 400 and no `data` entry, the second with 200 and `data`.
//!
//! async-graphql answers both as a `Response` with errors and a null `data`; it calls the
//! extensions' `execute` hook only once the request is prepared (parsed, validated, its
//! operation chosen) and about to run. The hook of [`crate::graphql::errors::ErrorCodes`]
//! marks the request's [`ExecutionProbe`] there: no message is read, and no extension is
//! added to the chain every field resolves through. Queries and mutations over HTTP run on a
//! schema without extensions (`graphql::plain`), which tells them apart by their errors: the
//! engine's refusals carry no path, every error of an executed operation is a field's.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use async_graphql::{Request, extensions::ExtensionContext};

/// Set by the engine when it starts executing the request it travels in.
#[derive(Debug, Clone, Default)]
pub struct ExecutionProbe(Arc<AtomicBool>);

impl ExecutionProbe {
    /// Puts a probe into `request`; keep the returned one to ask [`ExecutionProbe::executed`].
    pub fn attach(request: Request) -> (Request, Self) {
        let probe = Self::default();
        (request.data(probe.clone()), probe)
    }

    /// True once the engine has started executing the request.
    pub fn executed(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// Marks the probe of the request `ctx` belongs to, if it carries one (called from an
/// extension's `execute` hook).
pub fn mark_executed(ctx: &ExtensionContext<'_>) {
    if let Some(probe) = ctx.data_opt::<ExecutionProbe>() {
        probe.0.store(true, Ordering::Release);
    }
}
