//! The GraphiQL page (`GET /graphql` in a browser) and its files (`GET /graphiql/<name>`),
//! all embedded in the binary: the page works offline, behind a firewall, with no CDN.
//!
//! The page is static HTML that loads React, GraphiQL and its own start script
//! (`levier-graphiql.js`) from this server, by addresses relative to the page, so it also works
//! when a proxy serves the API under a path prefix. The script sends queries and mutations to
//! the page's own address and opens subscriptions on a WebSocket to the same address
//! (`ws:` or `wss:` as the page is `http:` or `https:`), with the headers of the headers editor
//! (kept in the browser's storage). A Content-Security-Policy lets the page load and connect to
//! its own origin only.

mod assets;

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, HeaderValue},
    web,
};
use std::sync::LazyLock;

use super::error_response;
use crate::error::ApiError;

/// What the page may load and connect to: its own origin only (`'self'` covers the WebSocket
/// to the same host and port), images also as `data:` URLs. No inline script or style sheet:
/// GraphiQL and CodeMirror set styles through the DOM, which the policy does not restrict.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";

/// How long a browser may keep a file named with its current digest: a year (the longest
/// `max-age` caches honour), and `immutable`, so it is not revalidated on reload.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The page's HTML, with each `{{<file name>}}` of the template replaced by that file's
/// address (with its digest), once.
static PAGE: LazyLock<String> = LazyLock::new(|| {
    assets::ASSETS
        .iter()
        .fold(include_str!("page.html").to_owned(), |page, asset| {
            let address = assets::address(asset.name).unwrap_or_default();
            page.replace(&format!("{{{{{}}}}}", asset.name), &address)
        })
});

/// The GraphiQL page. It is revalidated on each visit (`no-cache`), so that a new build's
/// files are picked up at once.
pub async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(PAGE.as_str())
}

/// A file of the page, `GET /graphiql/<name>`: 404 for a name not embedded, 304 when the
/// browser's copy is current (`If-None-Match`).
pub async fn asset(request: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let Some((asset, digest)) = assets::find(&name) else {
        return error_response(&ApiError::not_found());
    };
    // Weak: the same file may be sent compressed or not (the `Compress` middleware).
    let etag = format!("W/\"{digest}\"");
    let requested_digest = request
        .query_string()
        .split('&')
        .find_map(|pair| pair.strip_prefix("v="));
    let cache_control = if requested_digest == Some(digest) {
        IMMUTABLE
    } else {
        "no-cache"
    };
    let current = is_current(&request, digest);
    let mut response = if current {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache_control));
    if current {
        return response.finish();
    }
    response
        .content_type(HeaderValue::from_static(asset.content_type))
        .body(asset.body)
}

/// Whether the request's `If-None-Match` names the file's current entity tag (compared
/// weakly, as RFC 9110 asks for this header).
fn is_current(request: &HttpRequest, digest: &str) -> bool {
    request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/").trim_matches('"'))
        .any(|tag| tag == digest || tag == "*")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_every_file_it_uses_with_its_digest() {
        assert!(!PAGE.contains("{{"), "a placeholder is left: {}", *PAGE);
        for name in [
            "react.production.min.js",
            "react-dom.production.min.js",
            "graphiql.min.js",
            "graphiql.min.css",
            "levier-graphiql.js",
            "levier-graphiql.css",
        ] {
            let address = assets::address(name).unwrap_or_default();
            assert!(PAGE.contains(&format!("\"{address}\"")), "{name}");
        }
    }
}
