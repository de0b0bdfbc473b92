//! Authentication and authorization as API.md describes them, over real HTTP with real JWTs:
//! what is refused (401 `UNAUTHENTICATED`, 403 `FORBIDDEN`), what is accepted, how agency tokens
//! pick a tenant, RS256/ES256 public keys, and the role matrix.
//!
//! Tokens are signed here with `jsonwebtoken` directly (not with Levier's own minting), so that
//! the server's verification is checked against an independent signer.

use std::path::PathBuf;

use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use levier::config::{DEVELOPMENT_SECRET, JwtKeySource};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, create_persona, create_plan, error_code};

/// Who is calling, as the server understood it.
const VIEWER: &str = "{ viewer { subject role tenant { key } } }";

/// The base64url encoding of `{"alg":"none","typ":"JWT"}` (computed once with
/// `printf '%s' '{"alg":"none","typ":"JWT"}' | base64 | tr '+/' '-_' | tr -d '='`).
const ALG_NONE_HEADER: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The claims of a one-hour user token, as JSON so that tests can remove or bend any of them.
fn claims(tenant: &str, role: &str) -> Value {
    json!({
        "sub": format!("{tenant}-{role}"),
        "tid": tenant,
        "role": role,
        "iat": now(),
        "exp": now() + 3600,
    })
}

/// Signs `claims` with `algorithm` and `key`.
fn sign(algorithm: Algorithm, key: &EncodingKey, claims: &Value) -> String {
    encode(&Header::new(algorithm), claims, key).expect("the test token is signed")
}

/// Signs `claims` with HS256 and the development secret the test server is configured with.
fn hs256(claims: &Value) -> String {
    sign(
        Algorithm::HS256,
        &EncodingKey::from_secret(DEVELOPMENT_SECRET.as_bytes()),
        claims,
    )
}

/// A file of tests/fixtures.
fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).expect("the fixture exists")
}

/// Asks who is calling, with an optional token and extra headers.
async fn viewer(
    app: &TestApp,
    token: Option<&str>,
    headers: &[(&str, &str)],
) -> (StatusCode, Value) {
    app.post(token, headers, &json!({ "query": VIEWER })).await
}

/// Asserts an HTTP status and the code of the (only) error; the answer has no data.
#[track_caller]
fn assert_refused(response: &(StatusCode, Value), status: StatusCode, code: &str, case: &str) {
    let (actual_status, body) = response;
    assert_eq!(*actual_status, status, "{case}: wrong status, body {body}");
    assert_eq!(error_code(body), Some(code), "{case}: wrong code in {body}");
    assert!(
        body["data"].is_null() || body["data"]["viewer"].is_null(),
        "{case}: data leaked in {body}"
    );
}

#[track_caller]
fn assert_unauthenticated(response: &(StatusCode, Value), case: &str) {
    assert_refused(response, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", case);
}

/// Asserts a successful `viewer` answer for `tenant` and `role` (as the `Role` enum spells it).
#[track_caller]
fn assert_viewer(response: &(StatusCode, Value), tenant: &str, role: &str, case: &str) {
    let (status, body) = response;
    assert_eq!(*status, StatusCode::OK, "{case}: {body}");
    assert!(body.get("errors").is_none(), "{case}: {body}");
    assert_eq!(
        body["data"]["viewer"]["tenant"]["key"], tenant,
        "{case}: {body}"
    );
    assert_eq!(body["data"]["viewer"]["role"], role, "{case}: {body}");
}

#[tokio::test]
async fn a_request_without_a_token_is_unauthenticated() {
    let app = TestApp::spawn().await;
    assert_unauthenticated(&viewer(&app, None, &[]).await, "viewer");
    let plans = app
        .post(None, &[], &json!({ "query": "{ plans { totalCount } }" }))
        .await;
    assert_unauthenticated(&plans, "plans");

    let create = app
        .post(
            None,
            &[],
            &json!({
                "query": "mutation { createPlan(input: { name: \"Anonymous\", periodStart: \"2027-01-01\", periodEnd: \"2027-12-31\", budget: \"1\" }) { plan { id } } }"
            }),
        )
        .await;
    assert_unauthenticated(&create, "createPlan");
    // Nothing was written: the first tenant that ever authenticates finds no plan.
    let data = app
        .data(
            &app.token("acme", "admin"),
            "{ plans { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(data["plans"]["totalCount"], 0);
}

#[tokio::test]
async fn schema_introspection_is_public_but_nothing_else() {
    let app = TestApp::spawn().await;
    let (status, body) = app
        .post(
            None,
            &[],
            &json!({ "query": "{ __schema { queryType { name } } }" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");

    // Introspection does not open the door to data asked for alongside it.
    let mixed = app
        .post(
            None,
            &[],
            &json!({ "query": "{ __schema { queryType { name } } plans { totalCount } }" }),
        )
        .await;
    assert_eq!(mixed.0, StatusCode::UNAUTHORIZED, "{}", mixed.1);
    assert_eq!(error_code(&mixed.1), Some("UNAUTHENTICATED"), "{}", mixed.1);
    assert!(mixed.1["data"]["plans"].is_null(), "{}", mixed.1);
}

#[tokio::test]
async fn a_malformed_authorization_header_is_unauthenticated() {
    let app = TestApp::spawn().await;
    let valid = app.token("acme", "admin");
    let cases = [
        ("Basic dXNlcjpwYXNzd29yZA==".to_owned(), "basic scheme"),
        ("Bearer".to_owned(), "scheme without token"),
        ("Token abc.def.ghi".to_owned(), "unknown scheme"),
        (format!("Bearer{valid}"), "no space after the scheme"),
        (valid.clone(), "token without scheme"),
        ("Bearer not-a-jwt".to_owned(), "not a JWT"),
        ("Bearer a.b.c".to_owned(), "three garbage segments"),
        (
            format!("Bearer {}", &valid[..valid.len() - 10]),
            "truncated signature",
        ),
    ];
    for (header, case) in cases {
        let response = viewer(&app, None, &[("Authorization", header.as_str())]).await;
        assert_unauthenticated(&response, case);
    }
    // The scheme is case-insensitive (RFC 7235), and the same token is then accepted.
    let lower = format!("bearer {valid}");
    assert_viewer(
        &viewer(&app, None, &[("Authorization", lower.as_str())]).await,
        "acme",
        "ADMIN",
        "lowercase scheme",
    );
}

#[tokio::test]
async fn a_token_with_critical_header_extensions_is_refused() {
    let app = TestApp::spawn().await;
    let key = EncodingKey::from_secret(DEVELOPMENT_SECRET.as_bytes());
    let claims = claims("acme", "admin");
    // Correctly signed, but its header says the token must not be accepted by a verifier that
    // does not understand `exp-policy` (RFC 7515 §4.1.11): this server understands none.
    let mut header = Header::new(Algorithm::HS256);
    header.crit = Some(vec!["exp-policy".to_owned()]);
    let critical = encode(&header, &claims, &key).expect("the test token is signed");
    assert_unauthenticated(&viewer(&app, Some(&critical), &[]).await, "unknown crit");
    // Even a `crit` naming a registered parameter (here `b64`, RFC 7797) is not understood.
    header.crit = Some(vec!["b64".to_owned()]);
    let b64 = encode(&header, &claims, &key).expect("the test token is signed");
    assert_unauthenticated(&viewer(&app, Some(&b64), &[]).await, "crit b64");
    // The same claims without `crit` are accepted, so the refusals are about the header.
    let plain = encode(&Header::new(Algorithm::HS256), &claims, &key).expect("signed");
    assert_viewer(
        &viewer(&app, Some(&plain), &[]).await,
        "acme",
        "ADMIN",
        "no crit",
    );
}

#[tokio::test]
async fn a_request_with_two_authorization_headers_is_refused() {
    let app = TestApp::spawn().await;
    let admin = format!("Bearer {}", app.token("acme", "admin"));
    let viewer_token = format!("Bearer {}", app.token("acme", "viewer"));
    for (first, second, case) in [
        (admin.as_str(), viewer_token.as_str(), "two valid tokens"),
        (admin.as_str(), admin.as_str(), "the same token twice"),
        (
            admin.as_str(),
            "Bearer forged",
            "a valid and a forged token",
        ),
        (
            "Bearer forged",
            admin.as_str(),
            "a forged and a valid token",
        ),
    ] {
        let response = viewer(
            &app,
            None,
            &[("Authorization", first), ("Authorization", second)],
        )
        .await;
        assert_unauthenticated(&response, case);
    }
    // The plain-HTTP endpoints take the same path.
    let export = app
        .client
        .get(format!(
            "{}/export/measurements.csv?from=2027-01-01&to=2027-01-31",
            app.address
        ))
        .header("Authorization", admin.as_str())
        .header("Authorization", admin.as_str())
        .send()
        .await
        .expect("the export answers");
    assert_eq!(export.status(), StatusCode::UNAUTHORIZED);
    // One header of the same token is accepted.
    assert_viewer(
        &viewer(&app, None, &[("Authorization", admin.as_str())]).await,
        "acme",
        "ADMIN",
        "one header",
    );
}

#[tokio::test]
async fn a_token_signed_with_another_secret_is_refused() {
    let app = TestApp::spawn().await;
    let forged = sign(
        Algorithm::HS256,
        &EncodingKey::from_secret(b"an-attacker-secret-that-is-long-enough-0123"),
        &claims("acme", "admin"),
    );
    assert_unauthenticated(&viewer(&app, Some(&forged), &[]).await, "other secret");

    // A valid token whose payload was swapped for another one (privilege escalation).
    let genuine = hs256(&claims("acme", "viewer"));
    let escalated = hs256(&claims("acme", "admin"));
    let genuine_parts: Vec<&str> = genuine.split('.').collect();
    let escalated_parts: Vec<&str> = escalated.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        genuine_parts[0], escalated_parts[1], genuine_parts[2]
    );
    assert_unauthenticated(
        &viewer(&app, Some(&tampered), &[]).await,
        "tampered payload",
    );
    // The untouched token still passes, so the refusals above are about the signature.
    assert_viewer(
        &viewer(&app, Some(&genuine), &[]).await,
        "acme",
        "VIEWER",
        "genuine",
    );
}

#[tokio::test]
async fn an_expired_token_is_refused_beyond_the_leeway() {
    let app = TestApp::spawn().await;
    let mut expired = claims("acme", "admin");
    expired["iat"] = json!(now() - 7200);
    expired["exp"] = json!(now() - 600);
    assert_unauthenticated(
        &viewer(&app, Some(&hs256(&expired)), &[]).await,
        "10 min ago",
    );
    expired["exp"] = json!(now() - 120);
    assert_unauthenticated(
        &viewer(&app, Some(&hs256(&expired)), &[]).await,
        "2 min ago",
    );

    // A few seconds of clock skew are tolerated (30 s by default).
    let mut just_expired = claims("acme", "admin");
    just_expired["exp"] = json!(now() - 5);
    assert_viewer(
        &viewer(&app, Some(&hs256(&just_expired)), &[]).await,
        "acme",
        "ADMIN",
        "5 s ago",
    );
}

#[tokio::test]
async fn a_token_without_expiry_is_refused() {
    let app = TestApp::spawn().await;
    let mut eternal = claims("acme", "admin");
    eternal.as_object_mut().expect("an object").remove("exp");
    assert_unauthenticated(&viewer(&app, Some(&hs256(&eternal)), &[]).await, "no exp");
}

#[tokio::test]
async fn a_token_not_yet_valid_is_refused() {
    let app = TestApp::spawn().await;
    let mut early = claims("acme", "admin");
    early["nbf"] = json!(now() + 600);
    assert_unauthenticated(
        &viewer(&app, Some(&hs256(&early)), &[]).await,
        "nbf in 10 min",
    );

    let mut valid_now = claims("acme", "admin");
    valid_now["nbf"] = json!(now() - 60);
    assert_viewer(
        &viewer(&app, Some(&hs256(&valid_now)), &[]).await,
        "acme",
        "ADMIN",
        "nbf a minute ago",
    );
}

#[tokio::test]
async fn only_the_configured_algorithm_is_accepted() {
    let app = TestApp::spawn().await;
    let secret = EncodingKey::from_secret(DEVELOPMENT_SECRET.as_bytes());
    let admin = claims("acme", "admin");
    for algorithm in [Algorithm::HS384, Algorithm::HS512] {
        let token = sign(algorithm, &secret, &admin);
        assert_unauthenticated(
            &viewer(&app, Some(&token), &[]).await,
            &format!("{algorithm:?} with the right secret"),
        );
    }

    // `alg: none`, with an empty signature or with a genuine HS256 one left in place.
    let genuine = hs256(&admin);
    let mut parts = genuine.split('.');
    let (_, payload, signature) = (
        parts.next().expect("header"),
        parts.next().expect("payload"),
        parts.next().expect("signature"),
    );
    let unsigned = format!("{ALG_NONE_HEADER}.{payload}.");
    assert_unauthenticated(&viewer(&app, Some(&unsigned), &[]).await, "alg none");
    let relabelled = format!("{ALG_NONE_HEADER}.{payload}.{signature}");
    assert_unauthenticated(
        &viewer(&app, Some(&relabelled), &[]).await,
        "alg none with a signature",
    );
    assert_viewer(
        &viewer(&app, Some(&genuine), &[]).await,
        "acme",
        "ADMIN",
        "HS256",
    );
}

#[tokio::test]
async fn an_unknown_or_missing_role_is_refused() {
    let app = TestApp::spawn().await;
    for role in ["owner", "superuser", "", "viewer,admin"] {
        let token = hs256(&claims("acme", role));
        assert_unauthenticated(
            &viewer(&app, Some(&token), &[]).await,
            &format!("role {role:?}"),
        );
    }
    let mut roleless = claims("acme", "admin");
    roleless.as_object_mut().expect("an object").remove("role");
    assert_unauthenticated(&viewer(&app, Some(&hs256(&roleless)), &[]).await, "no role");
}

#[tokio::test]
async fn an_invalid_tenant_key_is_refused() {
    let app = TestApp::spawn().await;
    let too_long = "a".repeat(64);
    for tenant in [
        "ACME",
        "acme corp",
        "-acme",
        "acme/../globex",
        "",
        too_long.as_str(),
    ] {
        let token = hs256(&claims(tenant, "admin"));
        assert_unauthenticated(
            &viewer(&app, Some(&token), &[]).await,
            &format!("tenant {tenant:?}"),
        );
    }
    let mut tenantless = claims("acme", "admin");
    tenantless.as_object_mut().expect("an object").remove("tid");
    assert_unauthenticated(
        &viewer(&app, Some(&hs256(&tenantless)), &[]).await,
        "no tid",
    );

    // The longest valid key passes.
    let longest = "a".repeat(63);
    assert_viewer(
        &viewer(&app, Some(&hs256(&claims(&longest, "editor"))), &[]).await,
        &longest,
        "EDITOR",
        "63 characters",
    );
}

#[tokio::test]
async fn issuer_and_audience_are_enforced_when_configured() {
    const ISSUER: &str = "https://id.example.com/";
    const AUDIENCE: &str = "levier-api";
    let app = TestApp::spawn_with(|config| {
        config.jwt.issuer = Some(ISSUER.to_owned());
        config.jwt.audience = Some(AUDIENCE.to_owned());
    })
    .await;
    let with = |iss: Option<Value>, aud: Option<Value>| {
        let mut claims = claims("acme", "editor");
        if let Some(iss) = iss {
            claims["iss"] = iss;
        }
        if let Some(aud) = aud {
            claims["aud"] = aud;
        }
        hs256(&claims)
    };

    let right = with(Some(json!(ISSUER)), Some(json!(AUDIENCE)));
    assert_viewer(
        &viewer(&app, Some(&right), &[]).await,
        "acme",
        "EDITOR",
        "right iss and aud",
    );
    let in_a_list = with(Some(json!(ISSUER)), Some(json!(["other-api", AUDIENCE])));
    assert_viewer(
        &viewer(&app, Some(&in_a_list), &[]).await,
        "acme",
        "EDITOR",
        "audience among several",
    );

    let refused = [
        (
            with(
                Some(json!("https://evil.example.com/")),
                Some(json!(AUDIENCE)),
            ),
            "wrong issuer",
        ),
        (with(None, Some(json!(AUDIENCE))), "missing issuer"),
        (
            with(Some(json!(ISSUER)), Some(json!("another-api"))),
            "wrong audience",
        ),
        (
            with(Some(json!(ISSUER)), Some(json!(["another-api", "a-third"]))),
            "audience not in the list",
        ),
        (with(Some(json!(ISSUER)), None), "missing audience"),
        (with(None, None), "neither"),
    ];
    for (token, case) in refused {
        assert_unauthenticated(&viewer(&app, Some(&token), &[]).await, case);
    }
}

#[tokio::test]
async fn issuer_and_audience_are_not_checked_when_not_configured() {
    let app = TestApp::spawn().await;
    let mut foreign = claims("acme", "viewer");
    foreign["iss"] = json!("https://anyone.example.com/");
    foreign["aud"] = json!("anything");
    assert_viewer(
        &viewer(&app, Some(&hs256(&foreign)), &[]).await,
        "acme",
        "VIEWER",
        "unconfigured iss and aud",
    );
}

#[tokio::test]
async fn an_agency_token_acts_in_the_tenant_the_header_names_with_its_role_there() {
    let app = TestApp::spawn().await;
    let agency = app.agency_token(&[("acme", "editor"), ("globex", "viewer")]);
    assert_viewer(
        &viewer(&app, Some(&agency), &[("X-Levier-Tenant", "acme")]).await,
        "acme",
        "EDITOR",
        "acme",
    );
    assert_viewer(
        &viewer(&app, Some(&agency), &[("X-Levier-Tenant", "globex")]).await,
        "globex",
        "VIEWER",
        "globex",
    );

    // What it writes as acme's editor lands in acme, and only there.
    let create = "mutation { createPlan(input: { name: \"Agency plan\", periodStart: \"2027-01-01\", periodEnd: \"2027-12-31\", budget: \"10\" }) { plan { name } userErrors { code } } }";
    let (_, created) = app
        .post(
            Some(&agency),
            &[("X-Levier-Tenant", "acme")],
            &json!({ "query": create }),
        )
        .await;
    assert_eq!(
        created["data"]["createPlan"]["plan"]["name"], "Agency plan",
        "{created}"
    );
    // As globex's viewer, it may not write.
    let (_, refused) = app
        .post(
            Some(&agency),
            &[("X-Levier-Tenant", "globex")],
            &json!({ "query": create }),
        )
        .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");

    assert_eq!(plan_count(&app, &agency, "acme").await, 1);
    assert_eq!(plan_count(&app, &agency, "globex").await, 0);
    let acme_admin = app.token("acme", "admin");
    let globex_admin = app.token("globex", "admin");
    let plans = "{ plans { nodes { name } } }";
    let acme = app.data(&acme_admin, plans, json!({})).await;
    assert_eq!(acme["plans"]["nodes"], json!([{ "name": "Agency plan" }]));
    let globex = app.data(&globex_admin, plans, json!({})).await;
    assert_eq!(globex["plans"]["nodes"], json!([]));
}

/// How many plans `token` sees in `tenant`.
async fn plan_count(app: &TestApp, token: &str, tenant: &str) -> Value {
    let (_, body) = app
        .post(
            Some(token),
            &[("X-Levier-Tenant", tenant)],
            &json!({ "query": "{ plans { totalCount } }" }),
        )
        .await;
    body["data"]["plans"]["totalCount"].clone()
}

#[tokio::test]
async fn an_agency_token_granting_several_tenants_needs_the_header() {
    let app = TestApp::spawn().await;
    let agency = app.agency_token(&[("acme", "editor"), ("globex", "viewer")]);
    assert_unauthenticated(&viewer(&app, Some(&agency), &[]).await, "no header");
}

#[tokio::test]
async fn an_agency_token_cannot_choose_a_tenant_it_was_not_granted() {
    let app = TestApp::spawn().await;
    let agency = app.agency_token(&[("acme", "editor"), ("globex", "viewer")]);
    let response = viewer(&app, Some(&agency), &[("X-Levier-Tenant", "initech")]).await;
    assert_refused(&response, StatusCode::FORBIDDEN, "FORBIDDEN", "initech");
}

#[tokio::test]
async fn a_user_token_cannot_switch_tenant_with_the_header() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let response = viewer(&app, Some(&token), &[("X-Levier-Tenant", "globex")]).await;
    assert_refused(&response, StatusCode::FORBIDDEN, "FORBIDDEN", "globex");
    // Naming its own tenant is harmless.
    assert_viewer(
        &viewer(&app, Some(&token), &[("X-Levier-Tenant", "acme")]).await,
        "acme",
        "ADMIN",
        "own tenant",
    );
}

/// Starts an app verifying with the public key in `fixture`.
async fn spawn_with_public_key(fixture_name: &str) -> TestApp {
    let path = fixture(fixture_name);
    TestApp::spawn_with(move |config| config.jwt.keys = JwtKeySource::PublicKeyPem(path)).await
}

#[tokio::test]
async fn rs256_tokens_are_verified_with_the_configured_public_key() {
    let app = spawn_with_public_key("rsa-public.pem").await;
    let private = EncodingKey::from_rsa_pem(&fixture_bytes("rsa-private.pem")).expect("RSA key");
    let token = sign(Algorithm::RS256, &private, &claims("acme", "editor"));
    assert_viewer(
        &viewer(&app, Some(&token), &[]).await,
        "acme",
        "EDITOR",
        "RS256",
    );

    let hs = hs256(&claims("acme", "admin"));
    assert_unauthenticated(
        &viewer(&app, Some(&hs), &[]).await,
        "HS256 development token",
    );
    // Algorithm confusion: HS256 keyed with the public key the server knows.
    let confused = sign(
        Algorithm::HS256,
        &EncodingKey::from_secret(&fixture_bytes("rsa-public.pem")),
        &claims("acme", "admin"),
    );
    assert_unauthenticated(
        &viewer(&app, Some(&confused), &[]).await,
        "HS256 keyed with the PEM",
    );
    // Another algorithm of the same family with the right key.
    let rs512 = sign(Algorithm::RS512, &private, &claims("acme", "admin"));
    assert_unauthenticated(&viewer(&app, Some(&rs512), &[]).await, "RS512");
    let ec = EncodingKey::from_ec_pem(&fixture_bytes("ec-private.pem")).expect("EC key");
    let es256 = sign(Algorithm::ES256, &ec, &claims("acme", "admin"));
    assert_unauthenticated(
        &viewer(&app, Some(&es256), &[]).await,
        "ES256 on an RSA key",
    );
}

#[tokio::test]
async fn es256_tokens_are_verified_with_the_configured_public_key() {
    let app = spawn_with_public_key("ec-public.pem").await;
    let private = EncodingKey::from_ec_pem(&fixture_bytes("ec-private.pem")).expect("EC key");
    let token = sign(Algorithm::ES256, &private, &claims("globex", "viewer"));
    assert_viewer(
        &viewer(&app, Some(&token), &[]).await,
        "globex",
        "VIEWER",
        "ES256",
    );

    let hs = hs256(&claims("globex", "admin"));
    assert_unauthenticated(
        &viewer(&app, Some(&hs), &[]).await,
        "HS256 development token",
    );
    let confused = sign(
        Algorithm::HS256,
        &EncodingKey::from_secret(&fixture_bytes("ec-public.pem")),
        &claims("globex", "admin"),
    );
    assert_unauthenticated(
        &viewer(&app, Some(&confused), &[]).await,
        "HS256 keyed with the PEM",
    );
    let rsa = EncodingKey::from_rsa_pem(&fixture_bytes("rsa-private.pem")).expect("RSA key");
    let rs256 = sign(Algorithm::RS256, &rsa, &claims("globex", "admin"));
    assert_unauthenticated(&viewer(&app, Some(&rs256), &[]).await, "RS256 on an EC key");
}

const CREATE_PLAN: &str = "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } userErrors { code } } }";
const CREATE_PERSONA: &str = "mutation($input: CreatePersonaInput!) { createPersona(input: $input) { persona { id } userErrors { code } } }";
const UPDATE_PLAN: &str = "mutation($input: UpdatePlanInput!) { updatePlan(input: $input) { plan { name version } userErrors { code } } }";
const DELETE_PLAN: &str = "mutation($input: DeletePlanInput!) { deletePlan(input: $input) { deletedId userErrors { code } } }";
const EVERYTHING: &str =
    "{ plans { totalCount nodes { id name version } } personas { totalCount nodes { name } } }";

fn new_plan(name: &str) -> Value {
    json!({ "input": { "name": name, "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "budget": "5000" } })
}

/// Asserts that the mutation `field` was refused with FORBIDDEN and returned nothing.
#[track_caller]
fn assert_forbidden(body: &Value, field: &str) {
    assert_eq!(error_code(body), Some("FORBIDDEN"), "{field}: {body}");
    assert_eq!(body["errors"][0]["path"], json!([field]), "{field}: {body}");
    assert!(
        body["data"].is_null() || body["data"][field].is_null(),
        "{field}: {body}"
    );
}

#[tokio::test]
async fn a_viewer_reads_but_cannot_write() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &admin, "Existing plan").await;
    create_persona(&app, &admin, "Existing persona").await;
    let viewer = app.token("acme", "viewer");

    let read = app
        .data(
            &viewer,
            "{ kpiDefinitions { key } plans { totalCount nodes { name version } } personas { nodes { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(read["plans"]["totalCount"], 1);
    assert_eq!(read["plans"]["nodes"][0]["name"], "Existing plan");
    assert_eq!(
        read["personas"]["nodes"],
        json!([{ "name": "Existing persona" }])
    );
    let keys: Vec<&str> = read["kpiDefinitions"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|kpi| kpi["key"].as_str())
        .collect();
    for key in [
        "impressions",
        "clicks",
        "spend",
        "conversions",
        "ctr",
        "cpa",
        "roas",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    let version = read["plans"]["nodes"][0]["version"].clone();

    let body = app.gql(&viewer, CREATE_PLAN, new_plan("Viewer plan")).await;
    assert_forbidden(&body, "createPlan");
    let body = app
        .gql(
            &viewer,
            CREATE_PERSONA,
            json!({ "input": { "name": "Viewer persona" } }),
        )
        .await;
    assert_forbidden(&body, "createPersona");
    let body = app
        .gql(
            &viewer,
            UPDATE_PLAN,
            json!({ "input": { "id": plan, "expectedVersion": version, "name": "Viewer rename" } }),
        )
        .await;
    assert_forbidden(&body, "updatePlan");
    let body = app
        .gql(&viewer, DELETE_PLAN, json!({ "input": { "id": plan } }))
        .await;
    assert_forbidden(&body, "deletePlan");

    // Nothing was written.
    let after = app.data(&admin, EVERYTHING, json!({})).await;
    assert_eq!(
        after["plans"]["nodes"],
        json!([{ "id": plan, "name": "Existing plan", "version": version }])
    );
    assert_eq!(after["personas"]["totalCount"], 1);
    assert_eq!(
        after["personas"]["nodes"],
        json!([{ "name": "Existing persona" }])
    );
}

#[tokio::test]
async fn an_editor_creates_and_updates_but_cannot_delete() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let created = app
        .data(&editor, CREATE_PLAN, new_plan("Editor plan"))
        .await;
    let plan = created["createPlan"]["plan"]["id"]
        .as_str()
        .expect("a plan")
        .to_owned();
    assert_eq!(created["createPlan"]["userErrors"], json!([]));
    let persona = app
        .data(
            &editor,
            CREATE_PERSONA,
            json!({ "input": { "name": "Editor persona" } }),
        )
        .await;
    assert!(
        persona["createPersona"]["persona"]["id"].is_string(),
        "{persona}"
    );

    let before = app.data(&editor, EVERYTHING, json!({})).await;
    let version = before["plans"]["nodes"][0]["version"]
        .as_i64()
        .expect("a version");
    let updated = app
        .data(
            &editor,
            UPDATE_PLAN,
            json!({ "input": { "id": plan, "expectedVersion": version, "name": "Renamed plan" } }),
        )
        .await;
    assert_eq!(
        updated["updatePlan"]["plan"],
        json!({ "name": "Renamed plan", "version": version + 1 })
    );

    let body = app
        .gql(&editor, DELETE_PLAN, json!({ "input": { "id": plan } }))
        .await;
    assert_forbidden(&body, "deletePlan");
    let after = app.data(&editor, EVERYTHING, json!({})).await;
    assert_eq!(
        after["plans"]["nodes"],
        json!([{ "id": plan, "name": "Renamed plan", "version": version + 1 }])
    );
    assert_eq!(
        after["personas"]["nodes"],
        json!([{ "name": "Editor persona" }])
    );
}

#[tokio::test]
async fn an_admin_deletes() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let doomed = create_plan(&app, &admin, "Doomed plan").await;
    let kept = create_plan(&app, &admin, "Kept plan").await;
    let deleted = app
        .data(&admin, DELETE_PLAN, json!({ "input": { "id": doomed } }))
        .await;
    assert_eq!(deleted["deletePlan"]["deletedId"], json!(doomed));
    assert_eq!(deleted["deletePlan"]["userErrors"], json!([]));

    let after = app
        .data(
            &admin,
            "query($id: ID!) { plans { totalCount nodes { id } } node(id: $id) { id } }",
            json!({ "id": doomed }),
        )
        .await;
    assert_eq!(after["plans"]["totalCount"], 1);
    assert_eq!(after["plans"]["nodes"], json!([{ "id": kept }]));
    assert!(after["node"].is_null(), "{after}");
}

#[tokio::test]
async fn every_401_names_the_bearer_scheme() {
    let app = TestApp::spawn().await;
    let viewer_query = json!({ "query": VIEWER });
    let forged = "Bearer not.a.token";
    let requests = [
        (
            "graphql without a credential",
            app.client
                .post(format!("{}/graphql", app.address))
                .json(&viewer_query),
        ),
        (
            "graphql with a forged token",
            app.client
                .post(format!("{}/graphql", app.address))
                .header("Authorization", forged)
                .json(&viewer_query),
        ),
        (
            "export without a credential",
            app.client.get(format!(
                "{}/export/measurements.csv?from=2027-01-01&to=2027-01-31",
                app.address
            )),
        ),
        (
            "document with a forged token",
            app.client
                .get(format!("{}/plans/UGxhbjox/document.md", app.address))
                .header("Authorization", forged),
        ),
    ];
    for (case, request) in requests {
        let response = request.send().await.expect("the server answers");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{case}");
        // The exports also name Basic (see api_keys.rs); Bearer comes first everywhere.
        let challenge = response
            .headers()
            .get("www-authenticate")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        assert!(
            challenge == "Bearer" || challenge.starts_with("Bearer, Basic realm="),
            "{case}: {challenge:?}"
        );
    }
    // A refusal of a valid credential is 403, and names no scheme to try.
    let viewer_token = app.token("acme", "viewer");
    let forbidden = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&viewer_token)
        .json(&json!({ "query": "mutation { createApiKey(input: { name: \"k\", scopes: [READ_PLANS] }) { apiKey { id } } }" }))
        .send()
        .await
        .expect("the server answers");
    assert!(forbidden.headers().get("www-authenticate").is_none());
    let body: Value = forbidden.json().await.expect("a JSON answer");
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
}
