//! Share-link secrets and the tokens a link grants.
//!
//! A secret is `lvs_` followed by 32 random bytes (from the operating system's CSPRNG) in
//! base64url; like an API key's, only its SHA-256 digest is stored, with its first characters
//! as a non-secret prefix to find it by ([`super::api_key`] does the hashing and comparing).
//!
//! A link whose scope includes the API opens its plan's read-only GraphQL graph in two ways:
//! the secret itself as a bearer credential, or a short-lived token from `POST /share/token`,
//! signed with the server's own HS256 secret. Such a token names the link (`shl`) and its plan
//! (`pid`); each request it authenticates reads the link again, so a revoked or expired link
//! stops its tokens at once.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::api_key::{NewSecret, digest};

/// What every share-link secret starts with.
pub const SECRET_MARKER: &str = "lvs_";

/// How many characters after the marker make the stored prefix.
pub const PREFIX_LEN: usize = 8;

/// Random bytes in a secret.
const SECRET_BYTES: usize = 32;

/// The longest a token granted by a link lives (it never outlives the link either).
pub const TOKEN_LIFETIME_SECONDS: i64 = 900;

/// The subject of every share token and share principal starts with this.
pub const SUBJECT_PREFIX: &str = "share-link:";

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

/// True when the bearer token is meant as a share-link secret.
pub fn is_share_link(token: &str) -> bool {
    token.starts_with(SECRET_MARKER)
}

/// The prefix of a presented secret, or `None` when it is too short to be one.
pub fn prefix_of(secret: &str) -> Option<&str> {
    secret
        .strip_prefix(SECRET_MARKER)
        .and_then(|rest| rest.get(..PREFIX_LEN))
}

/// The claims of a token granted by a share link, beside the usual ones (`sub`, `tid`, `exp`,
/// `iat`, and `iss`/`aud` when the server requires them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareClaims {
    /// The share link's id.
    pub shl: Uuid,
    /// The plan it opens.
    pub pid: Uuid,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::api_key::digest_matches;

    #[test]
    fn secrets_are_long_random_hashed_and_told_apart_from_api_keys() -> Result<(), getrandom::Error>
    {
        let first = generate()?;
        let second = generate()?;
        assert_ne!(first.secret, second.secret);
        assert!(is_share_link(&first.secret));
        assert!(!crate::auth::api_key::is_api_key(&first.secret));
        assert_eq!(first.secret.len(), 4 + 43);
        assert_eq!(prefix_of(&first.secret), Some(first.prefix.as_str()));
        assert!(digest_matches(&first.digest_hex, &digest(&first.secret)));
        assert!(!digest_matches(&first.digest_hex, &digest(&second.secret)));
        assert_eq!(prefix_of("lvs_abc"), None);
        Ok(())
    }
}
