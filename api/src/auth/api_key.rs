//! API-key secrets: `lvk_` followed by 32 random bytes (from the operating system's CSPRNG) in
//! base64url. Only the SHA-256 digest of a secret is stored — enough, because the secret is
//! high-entropy — with its first characters as a non-secret prefix to find it by and show it.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// What every API-key secret starts with.
pub const SECRET_MARKER: &str = "lvk_";

/// How many characters after the marker make the stored prefix.
pub const PREFIX_LEN: usize = 8;

/// Random bytes in a secret.
const SECRET_BYTES: usize = 32;

/// A freshly generated secret with what is stored of it.
#[derive(Debug, Clone)]
pub struct NewSecret {
    /// The whole secret, shown once to its creator and never stored.
    pub secret: String,
    /// Its prefix (stored).
    pub prefix: String,
    /// Its SHA-256 digest in lowercase hex (stored).
    pub digest_hex: String,
}

/// Generates a new secret.
pub fn generate() -> Result<NewSecret, getrandom::Error> {
    let mut bytes = [0_u8; SECRET_BYTES];
    getrandom::fill(&mut bytes)?;
    let secret = format!("{SECRET_MARKER}{}", URL_SAFE_NO_PAD.encode(bytes));
    let prefix = secret[SECRET_MARKER.len()..SECRET_MARKER.len() + PREFIX_LEN].to_owned();
    let digest_hex = hex::encode(digest(&secret));
    Ok(NewSecret {
        secret,
        prefix,
        digest_hex,
    })
}

/// True when the bearer token is meant as an API key.
pub fn is_api_key(token: &str) -> bool {
    token.starts_with(SECRET_MARKER)
}

/// The prefix of a presented secret, or `None` when it is too short to be one.
pub fn prefix_of(secret: &str) -> Option<&str> {
    secret
        .strip_prefix(SECRET_MARKER)
        .and_then(|rest| rest.get(..PREFIX_LEN))
}

/// SHA-256 of the whole secret.
pub fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Compares a stored hex digest with a presented secret's digest in constant time.
pub fn digest_matches(stored_hex: &str, presented: &[u8; 32]) -> bool {
    let mut stored = [0_u8; 32];
    if hex::decode_to_slice(stored_hex, &mut stored).is_err() {
        return false;
    }
    stored.ct_eq(presented).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_hashed() -> Result<(), getrandom::Error> {
        let first = generate()?;
        let second = generate()?;
        assert_ne!(first.secret, second.secret);
        assert!(first.secret.starts_with("lvk_"));
        // 32 bytes in unpadded base64url are 43 characters.
        assert_eq!(first.secret.len(), 4 + 43);
        assert_eq!(prefix_of(&first.secret), Some(first.prefix.as_str()));
        assert_eq!(first.prefix.len(), PREFIX_LEN);
        assert!(digest_matches(&first.digest_hex, &digest(&first.secret)));
        assert!(!digest_matches(&first.digest_hex, &digest(&second.secret)));
        assert!(!first.digest_hex.contains(&first.secret[4..]));
        Ok(())
    }

    #[test]
    fn short_or_foreign_tokens_have_no_prefix() {
        assert_eq!(prefix_of("lvk_abc"), None);
        assert_eq!(prefix_of("eyJhbGciOi"), None);
        assert!(!digest_matches("not hex", &digest("lvk_x")));
    }
}
