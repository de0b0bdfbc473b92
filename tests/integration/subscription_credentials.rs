//! A subscription connection lasts as long as its credential: it is closed with 4403 and
//! "token expired" when its token's expiry passes (by a timer, not at the next message), with
//! 4403 and "API key expired" at its API key's expiry, and with 4401 and "API key revoked"
//! moments after its API key is revoked — on PostgreSQL, by whichever server process of the
//! database the revocation went through. Connections of other credentials carry on, and the
//! ended credential is refused when the client comes back with it.

use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::{Value, json};

use crate::{
    subscriptions::{
        PATIENCE, Socket, assert_refused, connect, connect_as, receive, receive_or_close, row,
        send, subscribe, warm_up,
    },
    support::{TestApp, base_claims, mint, mutate_ok, on_postgres, user_errors},
};

/// How long after a credential ends its connection may take to close.
const PROMPTLY: Duration = Duration::from_secs(5);

/// Reads (and drops) messages until the server closes the connection; its code and reason.
/// Fails when nothing closes it within `patience`.
async fn closed_within(socket: &mut Socket, patience: Duration) -> (u16, String) {
    let deadline = tokio::time::Instant::now() + patience;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match receive_or_close(socket, left).await {
            Some(Ok(_)) => continue,
            Some(Err(closed)) => return closed,
            None => panic!("the connection is still open after {patience:?}"),
        }
    }
}

/// The connection answers a ping: it is still open.
async fn assert_open(socket: &mut Socket) {
    send(socket, json!({ "type": "ping" })).await;
    loop {
        let message = receive(socket, PATIENCE)
            .await
            .expect("an answer in time")
            .unwrap_or_else(|code| panic!("the connection closed with {code}"));
        if message["type"] == "pong" {
            return;
        }
    }
}

/// A new API key of the admin's tenant with `scopes`, expiring at `expires_at` if given: its
/// id and its secret.
async fn create_key(
    app: &TestApp,
    admin: &str,
    scopes: &[&str],
    expires_at: Option<chrono::DateTime<Utc>>,
) -> (String, String) {
    let payload = mutate_ok(
        app,
        admin,
        "createApiKey",
        "apiKey { id } secret userErrors { field code }",
        json!({ "name": "live dashboard", "scopes": scopes, "expiresAt": expires_at }),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    (
        payload["apiKey"]["id"].as_str().unwrap().to_owned(),
        payload["secret"].as_str().unwrap().to_owned(),
    )
}

/// Revokes the key `id` through the GraphQL mutation.
async fn revoke(app: &TestApp, admin: &str, id: &str) {
    let payload = mutate_ok(
        app,
        admin,
        "revokeApiKey",
        "apiKey { revokedAt } userErrors { code }",
        json!({ "id": id }),
    )
    .await;
    assert!(payload["apiKey"]["revokedAt"].is_string(), "{payload}");
}

/// A connection with `secret`, subscribed to every measurement and known to be live.
async fn live_subscriber(app: &TestApp, secret: &str, writer: &str) -> Socket {
    let mut socket = connect_as(app, secret).await;
    subscribe(&mut socket, "live", json!({})).await;
    warm_up(
        &mut socket,
        app,
        writer,
        row("clicks", "2027-03-01", "1", ""),
    )
    .await;
    socket
}

#[tokio::test]
async fn a_connection_is_closed_when_its_token_expires() {
    // No tolerated clock skew: the token is refused from the second after its `exp`.
    let app = TestApp::spawn_with(|config| config.jwt.leeway_seconds = 0).await;
    let editor = app.token("acme", "editor");
    let mut claims = base_claims("acme", "viewer");
    let exp = Utc::now().timestamp() + 3;
    claims.exp = exp as u64;
    let token = mint(&claims);
    let mut socket = live_subscriber(&app, &token, &editor).await;

    let (code, reason) = closed_within(&mut socket, Duration::from_secs(4) + PROMPTLY).await;
    assert_eq!((code, reason.as_str()), (4403, "token expired"));
    let closed_at = Utc::now().timestamp();
    assert!(
        closed_at >= exp,
        "closed at {closed_at}, before the expiry {exp}"
    );
    assert!(closed_at <= exp + 1 + PROMPTLY.as_secs() as i64);

    // The client that comes back with the same token is refused (and never acknowledged, so
    // its retries run out); with a fresh one it carries on.
    let payload = json!({ "Authorization": format!("Bearer {token}") });
    assert_refused(&app, payload, "token expired").await;
    live_subscriber(&app, &app.token("acme", "viewer"), &editor).await;
}

#[tokio::test]
async fn a_connection_is_closed_when_its_api_key_expires() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let expires_at = Utc::now() + chrono::Duration::seconds(3);
    let (_, secret) = create_key(&app, &admin, &["READ_KPIS"], Some(expires_at)).await;
    let mut socket = live_subscriber(&app, &secret, &app.token("acme", "editor")).await;

    let (code, reason) = closed_within(&mut socket, Duration::from_secs(3) + PROMPTLY).await;
    assert_eq!((code, reason.as_str()), (4403, "API key expired"));
    assert!(Utc::now() >= expires_at, "closed before the key's expiry");
    let payload = json!({ "Authorization": format!("Bearer {secret}") });
    assert_refused(&app, payload, "expired").await;
}

#[tokio::test]
async fn a_connection_is_closed_when_its_api_key_is_revoked() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let editor = app.token("acme", "editor");
    let (revoked_id, revoked) = create_key(&app, &admin, &["READ_KPIS"], None).await;
    let (_, kept) = create_key(&app, &admin, &["READ_KPIS"], None).await;
    let mut socket = live_subscriber(&app, &revoked, &editor).await;
    // The same key in the headers form: closed too.
    let mut second = connect(
        &app,
        json!({ "headers": { "authorization": format!("Bearer {revoked}") } }),
    )
    .await;
    let mut other_key = live_subscriber(&app, &kept, &editor).await;
    let mut user = connect_as(&app, &app.token("acme", "viewer")).await;

    let revoked_at = Instant::now();
    revoke(&app, &admin, &revoked_id).await;
    for socket in [&mut socket, &mut second] {
        let (code, reason) = closed_within(socket, PROMPTLY).await;
        assert_eq!((code, reason.as_str()), (4401, "API key revoked"));
    }
    assert!(revoked_at.elapsed() < PROMPTLY);

    // Other credentials carry on; the revoked key is refused when it comes back.
    assert_open(&mut other_key).await;
    assert_open(&mut user).await;
    let payload = json!({ "Authorization": format!("Bearer {revoked}") });
    assert_refused(&app, payload, "revoked").await;
}

#[tokio::test]
async fn a_revocation_on_one_server_closes_the_connections_of_another() {
    if !on_postgres() {
        return;
    }
    let revoking_app = TestApp::spawn().await;
    let serving_app = TestApp::spawn_beside(&revoking_app).await;
    let admin = revoking_app.token("acme", "admin");
    let (id, secret) = create_key(&revoking_app, &admin, &["READ_KPIS"], None).await;
    let (_, kept) = create_key(&revoking_app, &admin, &["READ_KPIS"], None).await;
    let editor = revoking_app.token("acme", "editor");
    let mut socket = live_subscriber(&serving_app, &secret, &editor).await;
    let mut other_key = connect_as(&serving_app, &kept).await;

    let revoked_at = Instant::now();
    revoke(&revoking_app, &admin, &id).await;
    let (code, reason) = closed_within(&mut socket, PROMPTLY).await;
    assert_eq!((code, reason.as_str()), (4401, "API key revoked"));
    assert!(revoked_at.elapsed() < PROMPTLY);
    assert_open(&mut other_key).await;
}

#[tokio::test]
async fn a_revocation_closes_nothing_of_another_tenant() {
    let app = TestApp::spawn().await;
    let acme_admin = app.token("acme", "admin");
    let globex_admin = app.token("globex", "admin");
    let (_, acme_key) = create_key(&app, &acme_admin, &["READ_KPIS"], None).await;
    let (globex_id, _) = create_key(&app, &globex_admin, &["READ_KPIS"], None).await;
    let mut socket = connect_as(&app, &acme_key).await;
    revoke(&app, &globex_admin, &globex_id).await;
    assert_open(&mut socket).await;
    let message: Option<Result<Value, u16>> =
        receive(&mut socket, Duration::from_millis(500)).await;
    assert!(message.is_none(), "unexpected: {message:?}");
}
