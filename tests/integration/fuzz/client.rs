//! The fuzzer's HTTP client: sends one case as built (any bytes, any content type, any
//! `Authorization`), reads at most [`READ_CAP`] bytes of the answer and times it.

use std::time::{Duration, Instant};

use reqwest::{Method, header};
use serde_json::Value;

use super::check::Answer;

/// The most of an answer read: past it the answer is a failure anyway, and reading on would
/// only cost the fuzzer memory.
pub const READ_CAP: usize = 8 * 1024 * 1024;

/// One HTTP request to send.
pub struct Request {
    /// GET or POST.
    pub method: Method,
    /// The path and query string (`/graphql`).
    pub path: String,
    /// The body, if any.
    pub body: Option<Vec<u8>>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The `Authorization` header value, if any.
    pub authorization: Option<String>,
    /// Other headers.
    pub headers: Vec<(String, String)>,
}

/// How long a health check waits: a server that cannot answer `/healthz` this fast is busy
/// with something it should not be.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// Why a request got no answer.
pub enum Failure {
    /// The request could not even be built (a header the client refuses): not the server's
    /// doing, the case is skipped.
    Unsendable(String),
    /// Sent, but no (complete) answer came back.
    NoAnswer(String),
}

/// A client of one server.
pub struct Client {
    http: reqwest::Client,
    address: String,
}

fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_connect() {
        "connection refused or reset".to_owned()
    } else {
        error.to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl Client {
    /// A client of the server at `address`, giving up on a request after `timeout`.
    pub fn new(address: &str, timeout: Duration) -> Self {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .unwrap_or_else(|e| panic!("no HTTP client: {e}"));
        Self {
            http,
            address: address.to_owned(),
        }
    }

    /// Sends `request` and reads the answer.
    pub async fn send(&self, request: &Request) -> Result<Answer, Failure> {
        self.send_within(request, None).await
    }

    /// Sends `request` and reads the answer, giving up after `timeout` if given (else after the
    /// client's timeout).
    async fn send_within(
        &self,
        request: &Request,
        timeout: Option<Duration>,
    ) -> Result<Answer, Failure> {
        let mut builder = self.http.request(
            request.method.clone(),
            format!("{}{}", self.address, request.path),
        );
        if let Some(content_type) = &request.content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        if let Some(authorization) = &request.authorization {
            builder = builder.header(header::AUTHORIZATION, authorization);
        }
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        let built = builder
            .build()
            .map_err(|e| Failure::Unsendable(describe(&e)))?;
        let started = Instant::now();
        let mut response = self
            .http
            .execute(built)
            .await
            .map_err(|e| Failure::NoAnswer(describe(&e)))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let mut body = Vec::new();
        let mut truncated = false;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > READ_CAP {
                        truncated = true;
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(error) => {
                    return Err(Failure::NoAnswer(format!("body cut: {}", describe(&error))));
                }
            }
        }
        Ok(Answer {
            status,
            content_type,
            body,
            truncated,
            elapsed: started.elapsed(),
            request_id,
        })
    }

    /// POSTs a GraphQL body as `token` and returns the JSON answer (for seeding).
    pub async fn graphql(&self, token: &str, body: &str) -> Result<Value, String> {
        self.graphql_within(token, body, None).await
    }

    async fn graphql_within(
        &self,
        token: &str,
        body: &str,
        timeout: Option<Duration>,
    ) -> Result<Value, String> {
        let request = Request {
            method: Method::POST,
            path: "/graphql".to_owned(),
            body: Some(body.as_bytes().to_vec()),
            content_type: Some("application/json".to_owned()),
            authorization: Some(format!("Bearer {token}")),
            headers: Vec::new(),
        };
        match self.send_within(&request, timeout).await {
            Ok(answer) => serde_json::from_slice(&answer.body).map_err(|e| {
                format!(
                    "HTTP {}, not JSON ({e}): {}",
                    answer.status,
                    String::from_utf8_lossy(&answer.body)
                )
            }),
            Err(Failure::NoAnswer(error) | Failure::Unsendable(error)) => Err(error),
        }
    }

    /// Whether the server still answers: `/healthz` says 200 and a trivial query runs.
    pub async fn healthy(&self, token: &str) -> Result<(), String> {
        let health = Request {
            method: Method::GET,
            path: "/healthz".to_owned(),
            body: None,
            content_type: None,
            authorization: None,
            headers: Vec::new(),
        };
        match self.send_within(&health, Some(HEALTH_TIMEOUT)).await {
            Ok(answer) if answer.status == 200 => {}
            Ok(answer) => return Err(format!("/healthz answered HTTP {}", answer.status)),
            Err(Failure::NoAnswer(error) | Failure::Unsendable(error)) => {
                return Err(format!("/healthz: {error}"));
            }
        }
        let answer = self
            .graphql_within(
                token,
                "{\"query\":\"{ __typename }\"}",
                Some(HEALTH_TIMEOUT),
            )
            .await?;
        if answer["data"]["__typename"] == "Query" {
            Ok(())
        } else {
            Err(format!("`{{ __typename }}` answered {answer}"))
        }
    }
}
