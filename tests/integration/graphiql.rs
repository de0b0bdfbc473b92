//! The GraphiQL page works offline: `GET /graphql` in a browser answers a page that loads only
//! files of this server (embedded in the binary), each with its content type and cache headers,
//! under a Content-Security-Policy that lets it load and connect nowhere else. The page itself
//! is driven in headless Chromium by `clients/browser` (`clients/run browser`).

use reqwest::{StatusCode, header};

use crate::support::TestApp;

/// The page, as a browser asks for it.
async fn page(app: &TestApp) -> (reqwest::header::HeaderMap, String) {
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    (headers, response.text().await.expect("a text body"))
}

/// The values of every `src="…"` and `href="…"` attribute of `html`.
fn references(html: &str) -> Vec<String> {
    ["src=\"", "href=\""]
        .iter()
        .flat_map(|attribute| {
            html.match_indices(attribute).map(|(at, _)| {
                let rest = &html[at + attribute.len()..];
                rest[..rest.find('"').unwrap_or(rest.len())].to_owned()
            })
        })
        .collect()
}

fn header_of<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_page_loads_only_files_of_this_server() {
    let app = TestApp::spawn().await;
    let (headers, html) = page(&app).await;
    assert!(header_of(&headers, "content-type").starts_with("text/html"));
    assert_eq!(header_of(&headers, "cache-control"), "no-cache");
    let policy = header_of(&headers, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
    ] {
        assert!(policy.contains(directive), "{directive} missing: {policy}");
    }
    assert!(!policy.contains("http"), "{policy}");

    // No URL of another host anywhere in the page, nor an inline script the policy would block.
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "an inline script: {html}");
    let references = references(&html);
    // The one reference that is not a file: an empty icon, so that no /favicon.ico is asked for.
    assert!(references.iter().any(|reference| reference == "data:,"));
    let files: Vec<_> = references
        .iter()
        .filter(|reference| *reference != "data:,")
        .collect();
    assert_eq!(files.len(), 6, "{references:?}");
    for reference in files {
        assert!(
            reference.starts_with("graphiql/") && !reference.contains("//"),
            "not a file of this server: {reference}"
        );
        let response = app
            .client
            .get(format!("{}/{reference}", app.address))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status(), StatusCode::OK, "{reference}");
        let content_type = header_of(response.headers(), "content-type").to_owned();
        let expected = if reference.contains(".css?") {
            "text/css; charset=utf-8"
        } else {
            "text/javascript; charset=utf-8"
        };
        assert_eq!(content_type, expected, "{reference}");
        assert_eq!(
            header_of(response.headers(), "cache-control"),
            "public, max-age=31536000, immutable",
            "{reference}"
        );
        let body = response.text().await.expect("a text body");
        assert!(body.len() > 100, "{reference} is nearly empty");
        if reference.contains("levier-graphiql") || reference.contains(".css?") {
            // Our own files name no other host; the style sheets load nothing at all.
            assert!(
                !body.contains("http://") && !body.contains("https://"),
                "{reference}"
            );
            assert!(
                !body.contains("@import") && !body.contains("url(http"),
                "{reference}"
            );
        }
    }
}

#[tokio::test]
async fn the_files_are_cached_by_digest_and_revalidated_otherwise() {
    let app = TestApp::spawn().await;
    let (_, html) = page(&app).await;
    let script = references(&html)
        .into_iter()
        .find(|reference| reference.starts_with("graphiql/graphiql.min.js?v="))
        .expect("the page loads GraphiQL");
    let digest = script.rsplit("?v=").next().unwrap_or_default().to_owned();
    let url = |path: &str| format!("{}/{path}", app.address);

    let current = app.client.get(url(&script)).send().await.unwrap();
    let etag = header_of(current.headers(), "etag").to_owned();
    assert_eq!(etag, format!("W/\"{digest}\""));

    // Without the digest (or with an old one) the file is served, but must be revalidated.
    for stale in [
        "graphiql/graphiql.min.js",
        "graphiql/graphiql.min.js?v=0123",
    ] {
        let response = app.client.get(url(stale)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{stale}");
        assert_eq!(header_of(response.headers(), "cache-control"), "no-cache");
    }
    let revalidated = app
        .client
        .get(url("graphiql/graphiql.min.js"))
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    assert!(revalidated.bytes().await.unwrap().is_empty());
    let changed = app
        .client
        .get(url("graphiql/graphiql.min.js"))
        .header(header::IF_NONE_MATCH, "W/\"0000000000000000\"")
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);

    // Compressed for a browser that accepts it.
    let plain = current.bytes().await.unwrap();
    let compressed = app
        .client
        .get(url(&script))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(header_of(compressed.headers(), "content-encoding"), "gzip");
    let compressed = compressed.bytes().await.unwrap();
    assert!(
        compressed.len() * 2 < plain.len(),
        "{} bytes compressed, {} plain",
        compressed.len(),
        plain.len()
    );
}

#[tokio::test]
async fn only_embedded_files_are_served() {
    let app = TestApp::spawn().await;
    for path in [
        "/graphiql/nope.js",
        "/graphiql/..%2FCargo.toml",
        "/graphiql/../Cargo.toml",
        "/graphiql/",
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let licence = app
        .client
        .get(format!("{}/graphiql/LICENSE.graphiql", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(licence.status(), StatusCode::OK);
    assert!(licence.text().await.unwrap().contains("MIT License"));
}
