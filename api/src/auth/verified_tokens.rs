//! The tokens verified recently, so that a client sending the same token on every request
//! (what every client does until the token expires) has its signature checked once, not on
//! every request.
//!
//! Why: checking a signature is the largest single step of a light read with an HS256 secret
//! (an eighth of its instructions, `bench/README.md`), and an RS256 or ES256 signature from an
//! identity provider costs many times more. Verification is a pure function of the token, the
//! keys (loaded once at start) and the time, so a token verified before gives the same claims
//! now, with one exception this cache handles: time. An entry is used only while the token
//! would still pass the time checks, `exp` (with the tolerated skew) and `nbf`; past them the
//! token is verified again, and refused with the usual message. Only tokens that verified are
//! kept: a refused token is checked anew every time.
//!
//! Bounds: entries are keyed by the whole token, at most [`MAX_CACHED_TOKEN_BYTES`] each and
//! [`CACHED_TOKEN_BYTES`] of tokens in all (with their claims, well under a few megabytes),
//! the least recently used dropped first.

use chrono::{DateTime, Utc};

use super::{Claims, share_link::ShareClaims};
use crate::text_lru::TextLru;

/// The longest token kept, in bytes: more than the tokens identity providers issue (under
/// 2 KiB even with many claims), less than what a hostile client may send.
pub const MAX_CACHED_TOKEN_BYTES: usize = 4 * 1024;

/// The tokens kept, in bytes in all.
pub const CACHED_TOKEN_BYTES: usize = 1024 * 1024;

/// What verifying a token gave, and while it holds.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The token's claims.
    pub claims: Claims,
    /// Its share claims, for a token a share link granted.
    pub share: Option<ShareClaims>,
    /// The first instant the token is refused as expired (`None`: never, within what a date
    /// can hold).
    pub refused_from: Option<DateTime<Utc>>,
    /// The first instant its `nbf` lets it through (with the skew), when it has one.
    pub valid_from: Option<DateTime<Utc>>,
}

impl Verified {
    /// Whether the token passes the time checks at `now`.
    fn holds_at(&self, now: DateTime<Utc>) -> bool {
        self.refused_from.is_none_or(|refused| now < refused)
            && self.valid_from.is_none_or(|valid| valid <= now)
    }
}

/// Recently verified tokens, the least recently used first out.
pub struct VerifiedTokens {
    tokens: TextLru<Verified>,
}

impl VerifiedTokens {
    /// An empty cache keeping at most `capacity` bytes of tokens.
    pub fn new(capacity: usize) -> Self {
        Self {
            tokens: TextLru::new(capacity, MAX_CACHED_TOKEN_BYTES),
        }
    }

    /// What verifying `token` gave, if it was verified before and still passes the time
    /// checks at `now`. A kept token past them is dropped.
    pub fn get(&self, token: &str, now: DateTime<Utc>) -> Option<Verified> {
        self.tokens.get_if(token, |verified| verified.holds_at(now))
    }

    /// Keeps what verifying `token` gave, when the token is short enough.
    pub fn keep(&self, token: &str, verified: Verified) {
        self.tokens.keep(token, verified);
    }

    /// How many tokens are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether no token is kept.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    fn verified(
        refused_from: Option<DateTime<Utc>>,
        valid_from: Option<DateTime<Utc>>,
    ) -> Verified {
        Verified {
            claims: Claims {
                sub: "alice".into(),
                tid: Some("acme".into()),
                role: Some("viewer".into()),
                tenants: None,
                exp: 0,
                iat: None,
                nbf: None,
                iss: None,
                aud: None,
            },
            share: None,
            refused_from,
            valid_from,
        }
    }

    #[test]
    fn a_kept_token_is_given_back_only_while_it_passes_the_time_checks() {
        let cache = VerifiedTokens::new(CACHED_TOKEN_BYTES);
        let now = Utc::now();
        let second = TimeDelta::seconds(1);
        cache.keep("a.b.c", verified(Some(now + second), None));
        let kept = cache.get("a.b.c", now).map(|verified| verified.claims.sub);
        assert_eq!(kept.as_deref(), Some("alice"));
        assert!(cache.get("a.b.d", now).is_none(), "another token");
        // From the instant it is refused, it is dropped.
        assert!(cache.get("a.b.c", now + second).is_none());
        assert_eq!(cache.len(), 0);

        cache.keep("e.f.g", verified(None, Some(now - second)));
        assert!(cache.get("e.f.g", now).is_some(), "no expiry, valid since");
        assert!(
            cache.get("e.f.g", now - second * 2).is_none(),
            "before its nbf (a clock set back)"
        );
    }

    #[test]
    fn long_tokens_are_not_kept_and_the_least_recently_used_go_first() {
        let cache = VerifiedTokens::new(30);
        let now = Utc::now();
        cache.keep(&"x".repeat(31), verified(None, None));
        assert_eq!(cache.len(), 0);
        let roomy = VerifiedTokens::new(CACHED_TOKEN_BYTES);
        roomy.keep(
            &"y".repeat(MAX_CACHED_TOKEN_BYTES + 1),
            verified(None, None),
        );
        roomy.keep(&"y".repeat(MAX_CACHED_TOKEN_BYTES), verified(None, None));
        assert_eq!(roomy.len(), 1, "only the token within the bound");

        for token in ["first.token", "other.token"] {
            cache.keep(token, verified(None, None));
        }
        assert!(cache.get("first.token", now).is_some());
        // 33 bytes: the least recently used (other.token) goes.
        cache.keep("third.token", verified(None, None));
        assert!(cache.get("other.token", now).is_none());
        assert!(cache.get("first.token", now).is_some());
        assert!(cache.get("third.token", now).is_some());
        assert_eq!(cache.len(), 2);
    }
}
