//! Signing deliveries, as Stripe signs its webhooks: the header
//! `Levier-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, whose key
//! is the whole secret (`whsec_…`) as UTF-8. A receiver recomputes the HMAC over the timestamp,
//! a dot and the raw body, compares in constant time, and refuses a timestamp too far from its
//! clock (replays). The README's "Webhooks" section has a verification snippet.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The name of the signature header.
pub const SIGNATURE_HEADER: &str = "Levier-Signature";

/// The name of the header carrying the event id (receivers deduplicate on it).
pub const EVENT_ID_HEADER: &str = "Levier-Event-Id";

/// What every secret starts with.
pub const SECRET_MARKER: &str = "whsec_";

/// How many characters after the marker are shown as the secret's prefix.
pub const PREFIX_LEN: usize = 8;

/// A new secret and its displayable prefix.
#[derive(Debug, Clone)]
pub struct NewSecret {
    /// The whole secret (`whsec_` and 43 base64url characters).
    pub secret: String,
    /// Its first characters after the marker.
    pub prefix: String,
}

/// Generates a new secret from 32 bytes of the system's random generator.
pub fn generate() -> Result<NewSecret, getrandom::Error> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes)?;
    let secret = format!("{SECRET_MARKER}{}", URL_SAFE_NO_PAD.encode(bytes));
    let prefix = secret[SECRET_MARKER.len()..SECRET_MARKER.len() + PREFIX_LEN].to_owned();
    Ok(NewSecret { secret, prefix })
}

/// The value of the signature header for `body` sent at `timestamp` (unix seconds).
pub fn header_value(secret: &str, timestamp: i64, body: &[u8]) -> Result<String, InvalidKey> {
    Ok(format!(
        "t={timestamp},v1={}",
        sign(secret, timestamp, body)?
    ))
}

/// A key HMAC refused (it accepts any length: kept only so that no code path can panic).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the signing key cannot be used")]
pub struct InvalidKey;

/// Hex HMAC-SHA256 of `"<timestamp>.<body>"` keyed by the secret.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> Result<String, InvalidKey> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|_| InvalidKey)?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Expected values computed by Python's `hmac` module, independently.
    #[test]
    fn is_hmac_sha256_over_timestamp_dot_body() {
        assert_eq!(
            header_value("whsec_test", 1_700_000_000, br#"{"a":1}"#).unwrap(),
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
    }

    #[test]
    fn secrets_are_random_and_prefixed() {
        let one = generate().unwrap();
        let two = generate().unwrap();
        assert_ne!(one.secret, two.secret);
        assert!(one.secret.starts_with(SECRET_MARKER));
        assert_eq!(one.secret.len(), SECRET_MARKER.len() + 43);
        assert_eq!(&one.secret[6..14], one.prefix);
    }
}
