//! The delivery client: reqwest over rustls (no native TLS), the [`GuardedResolver`] for every
//! host name, no redirects followed (a 3xx is a failed delivery, retried like any other), no
//! proxy from the environment (a proxy would resolve the host where no check runs), timeouts
//! on connecting and on the whole request.

use std::time::{Duration, Instant};

use reqwest::{Client, Url, header::CONTENT_TYPE, redirect::Policy};

use super::{
    address::{self, GuardedResolver},
    signature::{self, EVENT_ID_HEADER, SIGNATURE_HEADER},
};
use crate::config::WebhookConfig;

/// The longest error message kept in the delivery log (the length of its column).
const MAX_ERROR_CHARS: usize = 500;

/// Builds the client for `config`.
pub fn build(config: &WebhookConfig) -> Result<Client, reqwest::Error> {
    Client::builder()
        .use_rustls_tls()
        .redirect(Policy::none())
        .no_proxy()
        .connect_timeout(config.connect_timeout)
        .timeout(config.request_timeout)
        .dns_resolver(std::sync::Arc::new(GuardedResolver {
            allow_private: config.allow_private,
        }))
        .user_agent(concat!("Levier-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// What one attempt gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The status the endpoint answered, if it answered.
    pub status: Option<u16>,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// How long it took.
    pub duration: Duration,
}

impl Attempt {
    /// True for a 2xx answer.
    pub fn succeeded(&self) -> bool {
        self.status
            .is_some_and(|status| (200..300).contains(&status))
    }
}

/// POSTs `body` to `url`, signed with `secret`, carrying the event's id and type.
pub async fn deliver(
    client: &Client,
    url: &str,
    secret: &str,
    event_id: &str,
    event_type: &str,
    body: Vec<u8>,
    allow_private: bool,
) -> Attempt {
    let started = Instant::now();
    let failed = |error: String| Attempt {
        status: None,
        error: Some(truncate(error)),
        duration: started.elapsed(),
    };
    // The URL was checked at registration; an IP literal is checked again here, since no
    // resolver sees it (a host name is checked by the resolver as the connection opens).
    let url = match Url::parse(url) {
        Ok(url) => url,
        Err(error) => return failed(format!("the URL cannot be parsed: {error}")),
    };
    if let Some(literal) = address::literal_address(&url)
        && let Some(reason) = address::refusal(literal, allow_private)
    {
        return failed(format!("refused: the URL points at {reason}"));
    }
    let timestamp = chrono::Utc::now().timestamp();
    let signed = match signature::header_value(secret, timestamp, &body) {
        Ok(signed) => signed,
        Err(error) => return failed(error.to_string()),
    };
    let sent = client
        .post(url)
        .header(CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signed)
        .header(EVENT_ID_HEADER, event_id)
        .header("Levier-Event-Type", event_type)
        .body(body)
        .send()
        .await;
    match sent {
        Ok(response) => {
            let status = response.status();
            // The body is not needed; dropping the response closes or reuses the connection.
            Attempt {
                status: Some(status.as_u16()),
                error: (!status.is_success()).then(|| {
                    if status.is_redirection() {
                        format!("answered {status}: redirects are not followed")
                    } else {
                        format!("answered {status}")
                    }
                }),
                duration: started.elapsed(),
            }
        }
        Err(error) => failed(chain(&error)),
    }
}

/// The error and its causes, as one line.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn truncate(mut text: String) -> String {
    if let Some((index, _)) = text.char_indices().nth(MAX_ERROR_CHARS) {
        text.truncate(index);
    }
    text
}
