//! How many SQL statements the API runs for a benchmarked query: the same application
//! (`levier::build_app`) started in this process on the same database, asked the query twice,
//! and its statement counter read around the second request (the first also looks the tenant
//! up, which the server then caches).

use std::net::{Ipv4Addr, TcpListener};

use anyhow::{Context, bail};
use levier::Config;
use serde_json::Value;

use crate::graphql::GraphqlClient;

/// Statements run by the API for one request of `query` with `variables`.
pub async fn api_statements_per_request(
    database_url: &str,
    http: &reqwest::Client,
    token: &str,
    query: &str,
    variables: Value,
) -> anyhow::Result<u64> {
    let mut config = Config::development(database_url);
    config.workers = Some(1);
    config.database_max_connections = 2;
    let app = levier::build_app(config)
        .await
        .context("starting the in-process app")?;
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("binding the in-process app")?;
    let address = listener
        .local_addr()
        .context("reading the in-process port")?;
    let server = app.serve(listener).context("serving the in-process app")?;
    let handle = server.handle();
    let running = tokio::spawn(server);
    let client = GraphqlClient {
        http: http.clone(),
        url: format!("http://{address}/graphql"),
        token: token.to_owned(),
    };
    let counted = async {
        client.data(query, variables.clone()).await?;
        let before = app.statement_count();
        client.data(query, variables).await?;
        anyhow::Ok(app.statement_count() - before)
    }
    .await;
    handle.stop(true).await;
    running.await.ok();
    app.database().clone().close().await.ok();
    let statements = counted?;
    if statements == 0 {
        bail!("the in-process app ran no statement for the query");
    }
    Ok(statements)
}
