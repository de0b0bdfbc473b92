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

/// The generator's plausible operations (no chaos, every theme) are well-formed: documents the
/// engine's parser accepts and variables that are a JSON object, so that what the server
/// refuses in a fuzz run is the fuzzer's intent, not its bugs. No server needed.
#[test]
fn plausible_generated_operations_parse() {
    use self::{
        generate::{Generator, Pools, Root, Theme},
        model::Model,
        rng::Rng,
    };
    let model = Model::load();
    let mut pools = Pools {
        kpi_keys: vec!["clicks".to_owned(), "spend".to_owned()],
        ..Pools::default()
    };
    pools.harvest(&serde_json::json!({ "plan": { "id": generate::encode_id("Plan:0190") } }));
    let themes = [
        Theme::Plain,
        Theme::Nul,
        Theme::LongText,
        Theme::WidePeriod,
        Theme::BigAmounts,
    ];
    for case in 0..400u64 {
        let mut generator = Generator::new(&model, &pools, Rng::for_case(7, case), 0.0);
        generator.theme = themes[case as usize % themes.len()];
        let root = if case % 2 == 0 {
            Root::Query
        } else {
            Root::Mutation
        };
        let operation = generator.operation(root);
        if let Err(error) = async_graphql::parser::parse_query(&operation.document) {
            panic!(
                "case {case}: {error}
{}",
                operation.document
            );
        }
        let variables: serde_json::Value = serde_json::from_str(&operation.variables)
            .unwrap_or_else(|e| {
                panic!(
                    "case {case}: variables are not JSON ({e}): {}",
                    operation.variables
                )
            });
        assert!(
            variables.is_object(),
            "case {case}: variables are not an object"
        );
    }
}

/// A case depends only on the seed, its number and the pools: built twice, it is the same
/// request (what a failure report's replay line relies on).
#[test]
fn cases_are_the_same_for_the_same_seed() {
    use self::{
        case::{Credentials, build_case},
        generate::Pools,
        model::Model,
    };
    let model = Model::load();
    let pools = Pools::default();
    let credentials = Credentials::mint();
    for index in 0..300 {
        let first = build_case(42, index, &model, &pools, &credentials, true);
        let again = build_case(42, index, &model, &pools, &credentials, true);
        assert_eq!(
            (
                &first.kind,
                &first.request.path,
                &first.request.body,
                &first.variables
            ),
            (
                &again.kind,
                &again.request.path,
                &again.request.body,
                &again.variables
            ),
            "case {index} differs between two builds"
        );
    }
    let other = (0..20)
        .filter(|&index| {
            build_case(42, index, &model, &pools, &credentials, true)
                .request
                .body
                != build_case(43, index, &model, &pools, &credentials, true)
                    .request
                    .body
        })
        .count();
    assert!(
        other > 10,
        "another seed gives other cases ({other} of 20 differ)"
    );
}

/// The server process of the fuzz test, which starts this test binary again on this test alone
/// (see `server`): serves the app on a fresh database until its standard input closes.
#[tokio::test]
#[ignore = "the fuzz test's server process: the fuzz test starts it; alone it returns at once"]
async fn fuzz_server_process() {
    if std::env::var(CHILD_VARIABLE).is_err() {
        return;
    }
    let _telemetry = levier::telemetry::init(
        levier::config::LogFormat::Json,
        &levier::config::TelemetryConfig::default(),
    );
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
