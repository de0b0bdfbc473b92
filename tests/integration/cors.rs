//! Cross-origin access for browser apps: which origins may read the API's answers (preflight
//! and actual requests, on GraphQL, the CSV exports and the plan document), and that requests
//! from other origins are answered without the permission to read them.

use levier::config::CorsOrigins;
use reqwest::{Method, Response, StatusCode};
use serde_json::json;

use crate::support::TestApp;

const PATHS: [(&str, &str); 3] = [
    ("/graphql", "POST"),
    ("/export/measurements.csv", "GET"),
    ("/plans/UGxhbjox/document.md", "GET"),
];

/// A browser's preflight from `origin` for `method` on `path` with the API's headers.
async fn preflight(app: &TestApp, path: &str, method: &str, origin: &str) -> Response {
    app.client
        .request(Method::OPTIONS, format!("{}{path}", app.address))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method)
        .header(
            "Access-Control-Request-Headers",
            "authorization,content-type,x-levier-tenant",
        )
        .send()
        .await
        .expect("the server answers")
}

/// A `{ __typename }` query sent from `origin`.
async fn query_from(app: &TestApp, origin: &str) -> Response {
    app.client
        .post(format!("{}/graphql", app.address))
        .header("Origin", origin)
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("the server answers")
}

fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

#[tokio::test]
async fn a_local_dev_server_may_call_the_api_in_development() {
    let app = TestApp::spawn().await;
    for origin in ["http://localhost:5173", "http://127.0.0.1:3000"] {
        for (path, method) in PATHS {
            let response = preflight(&app, path, method, origin).await;
            assert_eq!(response.status(), StatusCode::OK, "{origin} {path}");
            assert_eq!(
                header(&response, "access-control-allow-origin"),
                Some(origin)
            );
            let allowed = header(&response, "access-control-allow-headers")
                .unwrap_or_default()
                .to_ascii_lowercase();
            for name in ["authorization", "content-type", "x-levier-tenant"] {
                assert!(allowed.contains(name), "{path}: {name} not in {allowed}");
            }
            assert!(
                header(&response, "access-control-allow-credentials").is_none(),
                "no credentials mode: the API reads no cookie"
            );
        }
        let answer = query_from(&app, origin).await;
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(header(&answer, "access-control-allow-origin"), Some(origin));
        let exposed = header(&answer, "access-control-expose-headers")
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(exposed.contains("x-request-id"), "{exposed}");
        assert!(header(&answer, "x-request-id").is_some());
    }
}

#[tokio::test]
async fn an_origin_not_listed_gets_no_permission_but_other_clients_are_served() {
    let app = TestApp::spawn_with(|config| {
        config.cors_origins = CorsOrigins::Exact(vec!["https://app.example.com".into()]);
    })
    .await;
    for (path, method) in PATHS {
        let allowed = preflight(&app, path, method, "https://app.example.com").await;
        assert_eq!(
            header(&allowed, "access-control-allow-origin"),
            Some("https://app.example.com"),
            "{path}"
        );
        for origin in [
            "https://evil.example",
            "http://localhost:5173",
            "https://app.example.com.evil.example",
        ] {
            let refused = preflight(&app, path, method, origin).await;
            assert!(
                header(&refused, "access-control-allow-origin").is_none(),
                "{origin} {path}"
            );
        }
    }
    // The request itself is answered (a browser will not let the page read it), and clients
    // without an Origin (curl, BI tools) see no CORS header at all.
    let foreign = query_from(&app, "https://evil.example").await;
    assert_eq!(foreign.status(), StatusCode::OK);
    assert!(header(&foreign, "access-control-allow-origin").is_none());
    let no_origin = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(no_origin.status(), StatusCode::OK);
    assert!(header(&no_origin, "access-control-allow-origin").is_none());
}

#[tokio::test]
async fn a_wildcard_answers_any_origin_without_credentials() {
    let app = TestApp::spawn_with(|config| config.cors_origins = CorsOrigins::Any).await;
    let answer = query_from(&app, "https://anywhere.example").await;
    assert_eq!(header(&answer, "access-control-allow-origin"), Some("*"));
    assert!(header(&answer, "access-control-allow-credentials").is_none());
}
