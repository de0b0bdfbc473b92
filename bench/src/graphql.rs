//! Speaking GraphQL to the server: the benchmarked query, a token minted in-process with the
//! development secret, and a small client for the seeding mutations.

use anyhow::{Context, bail};
use levier::{
    auth::{Claims, jwt::mint_hs256},
    config::DEVELOPMENT_SECRET,
};
use serde_json::{Value, json};

/// The tenant every run seeds and reads.
pub const TENANT: &str = "bench";

/// The page size of both lists of [`QUERY`].
pub const PAGE_SIZE: u64 = 20;

/// The query under load: a page of plans with their personas, and a page of campaigns per
/// plan with their levers and personas.
pub const QUERY: &str = "{ plans(first: 20) { totalCount edges { node { id name budget personas { name } campaigns(first: 20) { totalCount edges { node { name levers budget personas { name } } } } } } } }";

/// An admin token for [`TENANT`], valid for a day, signed with the development secret the
/// server falls back to when no key is configured.
pub fn admin_token() -> anyhow::Result<String> {
    admin_token_of(TENANT)
}

/// An admin token of subject `levier-bench` for `tenant`, as [`admin_token`].
pub fn admin_token_of(tenant: &str) -> anyhow::Result<String> {
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or_default();
    let claims = Claims {
        sub: "levier-bench".to_owned(),
        tid: Some(tenant.to_owned()),
        role: Some("admin".to_owned()),
        tenants: None,
        exp: now + 24 * 3600,
        iat: Some(now),
        nbf: None,
        iss: None,
        aud: None,
    };
    mint_hs256(DEVELOPMENT_SECRET, &claims).context("minting the bench token")
}

/// A GraphQL endpoint with a token.
#[derive(Clone)]
pub struct GraphqlClient {
    /// The shared HTTP client.
    pub http: reqwest::Client,
    /// `http://127.0.0.1:PORT/graphql`.
    pub url: String,
    /// The bearer token.
    pub token: String,
}

impl GraphqlClient {
    /// Runs an operation and returns its `data`; any error (transport, status, `errors`) fails.
    pub async fn data(&self, query: &str, variables: Value) -> anyhow::Result<Value> {
        let response = self
            .http
            .post(&self.url)
            .bearer_auth(&self.token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .context("sending a GraphQL request")?;
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .context("reading a GraphQL response")?;
        if !status.is_success() || body.get("errors").is_some() {
            bail!("GraphQL request failed ({status}): {body}");
        }
        Ok(body.get("data").cloned().unwrap_or(Value::Null))
    }

    /// Runs a mutation whose payload is `data[field]` and returns `payload[object].id`, failing
    /// on `userErrors`.
    pub async fn create(
        &self,
        mutation: &str,
        field: &str,
        object: &str,
        input: Value,
    ) -> anyhow::Result<String> {
        let data = self.data(mutation, json!({ "input": input })).await?;
        let payload = &data[field];
        if payload["userErrors"]
            .as_array()
            .is_some_and(|errors| !errors.is_empty())
        {
            bail!("{field} refused the input: {}", payload["userErrors"]);
        }
        payload[object]["id"]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("{field} returned no {object} id: {data}"))
    }
}
