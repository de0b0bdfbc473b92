//! `connection_init`: its payload (the client's `connectionParams`) carries the headers an HTTP
//! request would, `Authorization` and, for an agency token, `X-Levier-Tenant` (names in any
//! case), either at its top level or in a `headers` object, as clients that reuse their HTTP
//! headers send them:
//! `{"Authorization": "Bearer …", "X-Levier-Tenant": "acme"}` or
//! `{"headers": {"authorization": "Bearer …", "x-levier-tenant": "acme"}}`.

use serde_json::{Map, Value};

use super::protocol::Close;
use crate::{
    domain::Session,
    http::{
        credentials::{TENANT_HEADER, session_from},
        state::AppState,
    },
};

/// The refusal of a payload without a credential.
const MISSING_CREDENTIAL: &str =
    "missing credential: send Authorization: Bearer <token> in connectionParams";

/// The session the payload's credential opens, or the close that refuses it, with its reason.
pub async fn authenticate(
    state: &AppState,
    payload: Option<Map<String, Value>>,
) -> Result<Session, Close> {
    let payload = payload.unwrap_or_default();
    let headers = Headers::of(&payload).map_err(|reason| Close::forbidden(&reason))?;
    let authorization = headers
        .authorization
        .ok_or_else(|| Close::forbidden(MISSING_CREDENTIAL))?;
    session_from(state, Some(authorization), headers.tenant)
        .await
        .map_err(|error| Close::refused(&error))?
        .ok_or_else(|| Close::forbidden(MISSING_CREDENTIAL))
}

/// The headers a payload carries.
#[derive(Debug, PartialEq, Eq)]
struct Headers<'a> {
    authorization: Option<&'a str>,
    tenant: Option<&'a str>,
}

impl<'a> Headers<'a> {
    /// The headers of `payload`, or why they cannot be read: a header given twice (in two
    /// cases, or at both places) is ambiguous, as two `Authorization` headers are over HTTP.
    fn of(payload: &'a Map<String, Value>) -> Result<Self, String> {
        let mut places = vec![payload];
        for (key, value) in payload {
            if key.eq_ignore_ascii_case("headers") {
                match value {
                    Value::Object(headers) => places.push(headers),
                    Value::Null => {}
                    _ => return Err("connectionParams.headers must be an object".to_owned()),
                }
            }
        }
        Ok(Self {
            authorization: single(&places, "Authorization")?,
            tenant: single(&places, TENANT_HEADER)?,
        })
    }
}

/// The value of header `name` in `places`: `None` when absent (or null).
fn single<'a>(places: &[&'a Map<String, Value>], name: &str) -> Result<Option<&'a str>, String> {
    let mut values = places
        .iter()
        .flat_map(|place| place.iter())
        .filter(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value);
    let (first, second) = (values.next(), values.next());
    if second.is_some() {
        return Err(format!("send {name} once"));
    }
    match first {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(format!("{name} must be a string")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn headers(payload: Value) -> Result<(Option<String>, Option<String>), String> {
        let Value::Object(payload) = payload else {
            return Err("not an object".to_owned());
        };
        Headers::of(&payload).map(|headers| {
            (
                headers.authorization.map(str::to_owned),
                headers.tenant.map(str::to_owned),
            )
        })
    }

    fn found(
        authorization: &str,
        tenant: Option<&str>,
    ) -> Result<(Option<String>, Option<String>), String> {
        Ok((Some(authorization.to_owned()), tenant.map(str::to_owned)))
    }

    #[test]
    fn headers_are_read_at_the_top_level_or_in_headers_in_any_case() {
        assert_eq!(
            headers(json!({ "Authorization": "Bearer t", "X-Levier-Tenant": "acme" })),
            found("Bearer t", Some("acme"))
        );
        assert_eq!(
            headers(
                json!({ "headers": { "authorization": "Bearer t", "x-levier-tenant": "acme" } })
            ),
            found("Bearer t", Some("acme"))
        );
        assert_eq!(
            headers(json!({ "HEADERS": { "AUTHORIZATION": "Bearer t" }, "other": 1 })),
            found("Bearer t", None)
        );
        assert_eq!(headers(json!({})), Ok((None, None)));
        assert_eq!(
            headers(json!({ "Authorization": null, "headers": null })),
            Ok((None, None))
        );
    }

    #[test]
    fn ambiguous_or_malformed_headers_are_refused_with_a_reason() {
        assert_eq!(
            headers(
                json!({ "Authorization": "Bearer a", "headers": { "Authorization": "Bearer b" } })
            ),
            Err("send Authorization once".to_owned())
        );
        assert_eq!(
            headers(json!({ "Authorization": "Bearer a", "authorization": "Bearer b" })),
            Err("send Authorization once".to_owned())
        );
        assert_eq!(
            headers(json!({ "Authorization": ["Bearer a"] })),
            Err("Authorization must be a string".to_owned())
        );
        assert_eq!(
            headers(json!({ "headers": "Authorization: Bearer a" })),
            Err("connectionParams.headers must be an object".to_owned())
        );
    }
}
