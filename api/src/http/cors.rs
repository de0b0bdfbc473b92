//! Cross-origin access for browser apps (CORS), with `actix-cors`: which origins may read the
//! API's answers ([`crate::config::CorsOrigins`]), with which methods and headers.
//!
//! Requests from other origins are never refused here: curl, BI tools and server-side clients
//! send no `Origin` or any `Origin` they like, and CORS protects browsers' users, not the
//! server. A request from an origin not allowed is answered as usual, without the
//! `Access-Control-Allow-Origin` that would let the page read it; a preflight from such an
//! origin gets no permission, so the browser does not send the request at all.

use actix_cors::Cors;
use actix_web::http::{Method, header};

use crate::config::CorsOrigins;

/// How long a browser may cache a preflight's answer, in seconds.
const PREFLIGHT_MAX_AGE_SECONDS: usize = 600;

/// The CORS middleware for `origins`: `GET` and `POST` (queries, mutations, CSV exports, the plan
/// document) with `Authorization`, `Content-Type` and `X-Levier-Tenant`; `x-request-id` (to
/// quote in a bug report) and `Retry-After` readable by the page. No credentials mode: the API
/// reads no cookie, a browser app sends its token in `Authorization`.
pub fn middleware(origins: &CorsOrigins) -> Cors {
    let cors = Cors::default()
        .allowed_methods([Method::GET, Method::POST])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("x-levier-tenant"),
        ])
        .expose_headers([
            header::HeaderName::from_static("x-request-id"),
            header::RETRY_AFTER,
        ])
        .max_age(PREFLIGHT_MAX_AGE_SECONDS);
    match origins {
        CorsOrigins::Any => cors.allow_any_origin().send_wildcard(),
        CorsOrigins::LocalDevelopment => {
            let origins = origins.clone();
            cors.allowed_origin_fn(move |origin, _| {
                origin.to_str().is_ok_and(|origin| origins.allows(origin))
            })
        }
        CorsOrigins::Exact(list) => list
            .iter()
            .fold(cors, |cors, origin| cors.allowed_origin(origin)),
    }
}
