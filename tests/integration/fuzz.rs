//! The fuzz test of issue 8: for a bounded time, random and mutated GraphQL requests generated
//! from `schema.graphql` (plausible ones that reach the domain, edge and wrong-shaped values,
//! edited documents, the attack shapes of the issue, malformed bodies, odd credentials, the CSV
//! and Markdown endpoints) against the real app on a little real data; after each answer it
//! checks no 5xx (but a coded 503), no `INTERNAL_SERVER_ERROR`, every error coded with one of
//! API.md's codes, no `null` where the schema promises a value and no field left out, bounded
//! time, answer size, error count and list length, no error logged without its request id;
//! and that the server still answers (no crash, no panic, no hang), periodically and at the
//! end. Failures are collected, deduplicated by what failed and why (the logged cause of an
//! internal error), and reported with the first request that showed each.
//!
//! Settings (environment):
//! - `LEVIER_FUZZ_SECONDS` (default 25): how long to send requests, setup not counted;
//! - `LEVIER_FUZZ_SEED` (default [`run::DEFAULT_SEED`]; `random` for a new one, printed): the
//!   cases;
//! - `LEVIER_FUZZ_CASE`: replay only this case of the seed (after the same seeding);
//! - `LEVIER_FUZZ_BATCHING=1`: start the server with batching on and send batches;
//! - `LEVIER_FUZZ_VERBOSE=1`: print every case as it is sent.
//!
//! The server runs in a child process (see [`server`]), so that a request that aborts it is
//! reported like any other failure.

mod attacks;
mod case;
mod check;
mod client;
mod generate;
mod model;
mod rng;
mod run;
mod seed;
mod server;
mod value;

use std::io::{Read as _, Write as _};

use self::{
    run::{Run, Settings},
    server::{ADDRESS_PREFIX, BATCHING_VARIABLE, CHILD_VARIABLE},
};
use crate::support::TestApp;

#[tokio::test]
async fn random_and_mutated_requests_never_crash_or_fail_internally() {
    let run = Run::start(Settings::from_environment()).await;
    if let Some(report) = run.go().await {
        panic!("{report}");
    }
}

/// The server process of the fuzz test, which starts this test binary again on this test alone
/// (see `server`): serves the app on a fresh database until its standard input closes.
#[tokio::test]
#[ignore = "the fuzz test's server process: the fuzz test starts it; alone it returns at once"]
async fn fuzz_server_process() {
    if std::env::var(CHILD_VARIABLE).is_err() {
        return;
    }
    levier::telemetry::init(levier::config::LogFormat::Json);
    let batching = std::env::var(BATCHING_VARIABLE).is_ok_and(|value| value == "1");
    let app = TestApp::spawn_with(|config| config.allow_batching = batching).await;
    println!("{ADDRESS_PREFIX}{}", app.address);
    let _ = std::io::stdout().flush();
    // The parent holds our standard input open while it fuzzes; it closes when it is done or
    // gone, and this process ends with it.
    let _ = tokio::task::spawn_blocking(|| {
        let mut buffer = [0u8; 64];
        let mut input = std::io::stdin();
        while matches!(input.read(&mut buffer), Ok(read) if read > 0) {}
    })
    .await;
    drop(app);
}
