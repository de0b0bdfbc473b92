//! Content negotiation for `/graphql` (GraphQL over HTTP, "Body" and "Accept"): which of the
//! two GraphQL media types an answer is written in, and whether a `GET` comes from a browser
//! that wants the GraphiQL page.
//!
//! - `application/graphql-response+json` when the `Accept` header gives it a higher quality
//!   than `application/json`, or names both with the same quality (the specification asks
//!   clients to list it; they list `application/json` beside it for older servers).
//! - `application/json` otherwise: without `Accept`, with `*/*` or `application/*` (a wildcard
//!   names no preference, and `application/json` is what every client reads), or when it is
//!   preferred.
//! - An `Accept` that accepts neither (`text/csv`, `application/xml`, or both types at `q=0`)
//!   is answered 406 Not Acceptable, as the specification recommends: a client cannot read an
//!   answer in a type it did not ask for. The 406 itself is written in `application/json`.
//!
//! A more specific range decides over a wildcard (RFC 9110 §12.5.1): `application/json;q=0,
//! */*` refuses JSON. Unparsable items of the header are ignored, as actix-web's typed header
//! does.

use actix_web::{
    HttpRequest,
    http::header::{Accept, Header, Quality},
    mime::{self, Mime},
};

/// The media type of a GraphQL answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// `application/json`, for legacy clients and wildcards.
    Json,
    /// `application/graphql-response+json`, the type of the GraphQL-over-HTTP specification.
    GraphqlResponse,
}

/// The essence of the specification's response media type.
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

impl Media {
    /// The `Content-Type` of an answer in this media type (both are UTF-8).
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json; charset=utf-8",
            Self::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
        }
    }
}

/// The request's `Accept` ranges; empty when it has none (or none that parse).
fn ranges(request: &HttpRequest) -> Vec<(Mime, Quality)> {
    Accept::parse(request)
        .map(|accept| {
            accept
                .0
                .into_iter()
                .map(|item| (item.item, item.quality))
                .collect()
        })
        .unwrap_or_default()
}

/// How specifically a range names `essence`: 3 by its name, 2 by `type/*`, 1 by `*/*`, 0 not
/// at all.
fn specificity(range: &Mime, essence: &str) -> u8 {
    let (kind, _) = essence.split_once('/').unwrap_or((essence, ""));
    if range.essence_str().eq_ignore_ascii_case(essence) {
        3
    } else if range.type_() == kind && range.subtype() == mime::STAR {
        2
    } else if range.type_() == mime::STAR && range.subtype() == mime::STAR {
        1
    } else {
        0
    }
}

/// The quality the ranges give `essence` (from the most specific range that names it) and
/// that range's specificity; `None` when no range names it.
fn acceptance(ranges: &[(Mime, Quality)], essence: &str) -> Option<(Quality, u8)> {
    ranges
        .iter()
        .filter_map(|(range, quality)| {
            let specificity = specificity(range, essence);
            (specificity > 0).then_some((*quality, specificity))
        })
        .max_by_key(|(quality, specificity)| (*specificity, *quality))
}

/// The media type to answer `request` in, or `None` when its `Accept` accepts neither (406).
pub fn negotiate(request: &HttpRequest) -> Option<Media> {
    let ranges = ranges(request);
    if ranges.is_empty() {
        return Some(Media::Json);
    }
    let accepted = |essence| acceptance(&ranges, essence).filter(|(q, _)| *q > Quality::ZERO);
    match (
        accepted(mime::APPLICATION_JSON.essence_str()),
        accepted(GRAPHQL_RESPONSE),
    ) {
        (None, None) => None,
        (Some(_), None) => Some(Media::Json),
        (None, Some(_)) => Some(Media::GraphqlResponse),
        // The higher quality wins, then the more specific range; when both are named with
        // the same quality, the specification's type (listed together, it is the one the
        // specification asks clients to add); when only a wildcard covers both, JSON.
        (Some(json), Some(graphql)) => {
            if graphql > json || (graphql == json && graphql.1 == 3) {
                Some(Media::GraphqlResponse)
            } else {
                Some(Media::Json)
            }
        }
    }
}

/// True when a `GET` asks for an HTML page (a browser's address bar): `text/html` named, and
/// wanted at least as much as each GraphQL media type named. A GraphQL client names a JSON
/// type or sends `*/*`; a browser names `text/html` first and JSON only through `*/*`.
pub fn wants_html(request: &HttpRequest) -> bool {
    let ranges = ranges(request);
    let named = |essence: &str| {
        ranges
            .iter()
            .filter(|(range, _)| specificity(range, essence) == 3)
            .map(|(_, quality)| *quality)
            .max()
    };
    let Some(html) =
        named(mime::TEXT_HTML.essence_str()).filter(|quality| *quality > Quality::ZERO)
    else {
        return false;
    };
    [mime::APPLICATION_JSON.essence_str(), GRAPHQL_RESPONSE]
        .into_iter()
        .filter_map(named)
        .all(|json| html >= json)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn with_accept(accept: Option<&str>) -> HttpRequest {
        let request = TestRequest::default();
        match accept {
            Some(accept) => request.insert_header(("accept", accept)),
            None => request,
        }
        .to_http_request()
    }

    fn media(accept: Option<&str>) -> Option<Media> {
        negotiate(&with_accept(accept))
    }

    #[test]
    fn json_without_a_preference() {
        for accept in [
            None,
            Some("*/*"),
            Some("application/*"),
            Some("application/json"),
            Some("application/json; charset=utf-8"),
            Some("text/html, */*;q=0.8"),
            Some("application/json, application/graphql-response+json;q=0.9"),
            Some("application/graphql-response+json;q=0.5, application/json"),
            Some("application/json, */*"),
            // A type that cannot be parsed is ignored.
            Some("application/json, nonsense"),
        ] {
            assert_eq!(media(accept), Some(Media::Json), "{accept:?}");
        }
    }

    #[test]
    fn the_specification_type_when_asked_for() {
        for accept in [
            "application/graphql-response+json",
            "application/graphql-response+json; charset=utf-8, application/json; charset=utf-8",
            "application/graphql-response+json, application/json;q=0.9",
            "application/json;q=0.9, application/graphql-response+json",
            "application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed",
            "Application/GraphQL-Response+JSON",
            "application/graphql-response+json;q=0.2, */*;q=0.1",
        ] {
            assert_eq!(
                media(Some(accept)),
                Some(Media::GraphqlResponse),
                "{accept}"
            );
        }
    }

    #[test]
    fn unacceptable_types_are_none() {
        for accept in [
            "text/csv",
            "application/xml, text/plain",
            "application/json;q=0, application/graphql-response+json;q=0",
            "application/json;q=0, */*;q=0",
            "*/*;q=0",
        ] {
            assert_eq!(media(Some(accept)), None, "{accept}");
        }
    }

    #[test]
    fn a_wildcard_covers_what_is_not_refused_by_name() {
        assert_eq!(
            media(Some("application/json;q=0, */*")),
            Some(Media::GraphqlResponse)
        );
        assert_eq!(
            media(Some("application/graphql-response+json;q=0, */*")),
            Some(Media::Json)
        );
        // Qualities decide before names do.
        assert_eq!(
            media(Some("application/json;q=0.5, */*")),
            Some(Media::GraphqlResponse)
        );
    }

    #[test]
    fn browsers_want_html_and_clients_do_not() {
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(wants_html(&with_accept(Some(firefox))));
        assert!(wants_html(&with_accept(Some("text/html"))));
        for accept in [
            None,
            Some("*/*"),
            Some("application/json"),
            Some("application/graphql-response+json, application/json;q=0.9"),
            Some("application/json, text/html;q=0.5"),
            Some("text/html;q=0"),
        ] {
            assert!(!wants_html(&with_accept(accept)), "{accept:?}");
        }
    }
}
