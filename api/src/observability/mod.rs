//! What operators see of the running server besides its answers: the Prometheus metrics
//! ([`metrics`], served by `http::metrics`) and one access line per request ([`access`]).
//!
//! One middleware ([`access::observe`]) times every HTTP request, counts its SQL statements
//! ([`statements`]), and when the response is ready emits its access line and its metrics. What
//! only the handlers know — the GraphQL operations, the caller's credential kind and tenant —
//! they write into the request's extensions as a [`RequestRecord`] ([`record`]); the code of an
//! error answered from the error table travels in the response's extensions
//! ([`record::AnsweredError`], set by `http::response_for_error`). Elsewhere, counters are
//! incremented where the event happens (a rate-limit refusal, a refused query, recorded
//! measurements, an open subscription), through the functions of [`metrics`], which name every
//! family in one place.

pub mod access;
pub mod metrics;
pub mod operation_names;
pub mod record;
pub mod statements;

pub use operation_names::OperationNames;
pub use record::{CredentialKind, OperationRecord, RequestRecord};
