//! Token verification with the algorithm pinned by configuration (never taken from the token),
//! and minting of development tokens.

use std::{collections::HashMap, sync::Arc};

use chrono::{DateTime, Utc};
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode,
    errors::ErrorKind,
    jwk::{AlgorithmParameters, EllipticCurve, JwkSet},
};
use secrecy::ExposeSecret;

use super::{
    AuthError, Claims,
    share_link::ShareClaims,
    verified_tokens::{CACHED_TOKEN_BYTES, Verified, VerifiedTokens},
};
use crate::config::{JwtConfig, JwtKeySource};

/// A verification key with the one algorithm it accepts.
#[derive(Clone)]
struct PinnedKey {
    key: DecodingKey,
    validation: Validation,
}

/// Verifies tokens against the configured key(s).
#[derive(Clone)]
pub struct Verifier {
    /// The single key (secret or PEM), when not using a JWKS.
    single: Option<PinnedKey>,
    /// JWKS keys by `kid`.
    by_kid: HashMap<String, PinnedKey>,
    /// The tolerated clock skew on `exp` and `nbf`, in seconds.
    leeway_seconds: u64,
    /// The server's own signing key, when it verifies with a shared HS256 secret: the tokens
    /// share links grant are signed with it.
    signer: Option<Signer>,
    /// The tokens verified recently (shared by the verifier's clones).
    verified: Arc<VerifiedTokens>,
}

/// What the server signs share tokens with, and the claims its verification requires.
#[derive(Clone)]
struct Signer {
    key: EncodingKey,
    issuer: Option<String>,
    audience: Option<String>,
}

/// A token's claims with those of a share token, when it is one.
#[derive(serde::Deserialize)]
struct VerifiedClaims {
    #[serde(flatten)]
    claims: Claims,
    #[serde(default)]
    shl: Option<uuid::Uuid>,
    #[serde(default)]
    pid: Option<uuid::Uuid>,
}

/// The claims the server writes in a share token.
#[derive(serde::Serialize)]
struct ShareTokenClaims<'a> {
    sub: String,
    tid: &'a str,
    exp: u64,
    iat: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    iss: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aud: Option<&'a str>,
    #[serde(flatten)]
    share: ShareClaims,
}

fn validation_for(algorithm: Algorithm, config: &JwtConfig) -> Validation {
    let mut validation = Validation::new(algorithm);
    validation.leeway = config.leeway_seconds;
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.set_required_spec_claims(&["exp", "sub"]);
    match &config.issuer {
        Some(issuer) => {
            validation.set_issuer(&[issuer]);
            validation.required_spec_claims.insert("iss".into());
        }
        None => validation.iss = None,
    }
    match &config.audience {
        Some(audience) => {
            validation.set_audience(&[audience]);
            validation.required_spec_claims.insert("aud".into());
        }
        None => validation.validate_aud = false,
    }
    validation
}

impl Verifier {
    /// Loads the key material named by the configuration.
    pub fn from_config(config: &JwtConfig) -> Result<Self, AuthError> {
        let pinned = |key: DecodingKey, algorithm: Algorithm| PinnedKey {
            key,
            validation: validation_for(algorithm, config),
        };
        match &config.keys {
            JwtKeySource::Secret(secret) => Ok(Self {
                single: Some(pinned(
                    DecodingKey::from_secret(secret.expose_secret().as_bytes()),
                    Algorithm::HS256,
                )),
                by_kid: HashMap::new(),
                leeway_seconds: config.leeway_seconds,
                signer: Some(Signer {
                    key: EncodingKey::from_secret(secret.expose_secret().as_bytes()),
                    issuer: config.issuer.clone(),
                    audience: config.audience.clone(),
                }),
                verified: Arc::new(VerifiedTokens::new(CACHED_TOKEN_BYTES)),
            }),
            JwtKeySource::PublicKeyPem(path) => {
                let pem = std::fs::read(path).map_err(|error| {
                    AuthError::KeyMaterial(format!("{}: {error}", path.display()))
                })?;
                let (key, algorithm) = if let Ok(key) = DecodingKey::from_rsa_pem(&pem) {
                    (key, Algorithm::RS256)
                } else if let Ok(key) = DecodingKey::from_ec_pem(&pem) {
                    (key, Algorithm::ES256)
                } else {
                    return Err(AuthError::KeyMaterial(format!(
                        "{} is neither an RSA nor an EC public key",
                        path.display()
                    )));
                };
                Ok(Self {
                    single: Some(pinned(key, algorithm)),
                    by_kid: HashMap::new(),
                    leeway_seconds: config.leeway_seconds,
                    signer: None,
                    verified: Arc::new(VerifiedTokens::new(CACHED_TOKEN_BYTES)),
                })
            }
            JwtKeySource::JwksFile(path) => {
                let text = std::fs::read_to_string(path).map_err(|error| {
                    AuthError::KeyMaterial(format!("{}: {error}", path.display()))
                })?;
                let set: JwkSet = serde_json::from_str(&text)
                    .map_err(|error| AuthError::KeyMaterial(error.to_string()))?;
                let mut by_kid = HashMap::new();
                for jwk in &set.keys {
                    let Some(kid) = jwk.common.key_id.clone() else {
                        continue;
                    };
                    // The key's own type decides the algorithm: RSA → RS256, EC P-256 → ES256.
                    let algorithm = match &jwk.algorithm {
                        AlgorithmParameters::RSA(_) => Algorithm::RS256,
                        AlgorithmParameters::EllipticCurve(ec)
                            if ec.curve == EllipticCurve::P256 =>
                        {
                            Algorithm::ES256
                        }
                        _ => continue,
                    };
                    let key = DecodingKey::from_jwk(jwk)
                        .map_err(|error| AuthError::KeyMaterial(error.to_string()))?;
                    by_kid.insert(kid, pinned(key, algorithm));
                }
                if by_kid.is_empty() {
                    return Err(AuthError::KeyMaterial(format!(
                        "{} holds no usable RS256 or ES256 key with a kid",
                        path.display()
                    )));
                }
                Ok(Self {
                    single: None,
                    by_kid,
                    leeway_seconds: config.leeway_seconds,
                    signer: None,
                    verified: Arc::new(VerifiedTokens::new(CACHED_TOKEN_BYTES)),
                })
            }
        }
    }

    /// Verifies a token's signature, algorithm, expiry, not-before, issuer and audience.
    /// A token whose header lists critical extensions (`crit`) is refused: this server
    /// understands none, and RFC 7515 §4.1.11 requires refusing what it does not understand.
    pub fn verify(&self, token: &str) -> Result<Claims, AuthError> {
        self.verify_with_share(token).map(|(claims, _)| claims)
    }

    /// [`Verifier::verify`], also returning the share claims of a token a share link granted
    /// (`shl` and `pid`, both present), `None` for any other token. A token verified recently
    /// is not checked again while it passes the time checks (`verified_tokens`).
    pub fn verify_with_share(
        &self,
        token: &str,
    ) -> Result<(Claims, Option<ShareClaims>), AuthError> {
        if let Some(verified) = self.verified.get(token, Utc::now()) {
            return Ok((verified.claims, verified.share));
        }
        let (claims, share) = self.check(token)?;
        self.verified.keep(
            token,
            Verified {
                claims: claims.clone(),
                share,
                refused_from: self.refuses_from(&claims),
                valid_from: self.valid_from(&claims),
            },
        );
        Ok((claims, share))
    }

    /// Checks a token: its header, signature and claims.
    fn check(&self, token: &str) -> Result<(Claims, Option<ShareClaims>), AuthError> {
        let header = decode_header(token).map_err(|_| unauthenticated("malformed token"))?;
        if header.crit.is_some() {
            return Err(unauthenticated(
                "token header lists critical extensions (crit) this server does not support",
            ));
        }
        let pinned = match &self.single {
            Some(single) => single,
            None => {
                let kid = header
                    .kid
                    .ok_or_else(|| unauthenticated("token has no kid"))?;
                self.by_kid
                    .get(&kid)
                    .ok_or_else(|| unauthenticated("unknown signing key"))?
            }
        };
        decode::<VerifiedClaims>(token, &pinned.key, &pinned.validation)
            .map(|data| {
                let VerifiedClaims { claims, shl, pid } = data.claims;
                let share = shl.zip(pid).map(|(shl, pid)| ShareClaims { shl, pid });
                (claims, share)
            })
            .map_err(|error| {
                unauthenticated(match error.kind() {
                    ErrorKind::ExpiredSignature => "token expired",
                    ErrorKind::ImmatureSignature => "token not yet valid",
                    ErrorKind::InvalidIssuer => "wrong token issuer",
                    ErrorKind::InvalidAudience => "wrong token audience",
                    ErrorKind::InvalidAlgorithm => "token algorithm not accepted",
                    ErrorKind::MissingRequiredClaim(_) => "token lacks a required claim",
                    ErrorKind::InvalidSignature => "invalid token signature",
                    _ => "invalid token",
                })
            })
    }

    /// The first instant at which [`Verifier::verify`] refuses a token with these claims as
    /// expired: `exp` plus the tolerated clock skew, plus one second (`exp` counts whole
    /// seconds, and a token is accepted through the last one). `None` when that instant is past
    /// what a date can hold.
    pub fn refuses_from(&self, claims: &Claims) -> Option<DateTime<Utc>> {
        let seconds = claims
            .exp
            .checked_add(self.leeway_seconds)?
            .checked_add(1)?;
        DateTime::from_timestamp(i64::try_from(seconds).ok()?, 0)
    }

    /// The first instant at which [`Verifier::verify`] accepts a token with these claims as
    /// valid already: `nbf` less the tolerated clock skew; `None` without an `nbf`.
    fn valid_from(&self, claims: &Claims) -> Option<DateTime<Utc>> {
        let seconds = claims.nbf?.saturating_sub(self.leeway_seconds);
        // An `nbf` past what a date can hold never passed verification.
        Some(
            i64::try_from(seconds)
                .ok()
                .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        )
    }
}

impl Verifier {
    /// True when the server can sign the tokens share links grant (it verifies with an HS256
    /// secret, which it then also signs with).
    pub fn can_sign(&self) -> bool {
        self.signer.is_some()
    }

    /// Signs a share token for `tenant_key` with `share`'s claims, expiring at `expires_at`
    /// (seconds since the epoch), issued at `issued_at`; the issuer and audience the server
    /// requires are written in. `KeyMaterial` when the server cannot sign.
    pub fn sign_share_token(
        &self,
        subject: String,
        tenant_key: &str,
        share: ShareClaims,
        issued_at: u64,
        expires_at: u64,
    ) -> Result<String, AuthError> {
        let signer = self.signer.as_ref().ok_or_else(|| {
            AuthError::KeyMaterial(
                "the server holds no signing key (it verifies with public keys)".into(),
            )
        })?;
        let claims = ShareTokenClaims {
            sub: subject,
            tid: tenant_key,
            exp: expires_at,
            iat: issued_at,
            iss: signer.issuer.as_deref(),
            aud: signer.audience.as_deref(),
            share,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &signer.key)
            .map_err(|error| AuthError::KeyMaterial(error.to_string()))
    }
}

fn unauthenticated(reason: &str) -> AuthError {
    AuthError::Unauthenticated(reason.to_owned())
}

/// Signs claims with an HS256 secret (development tokens and tests).
pub fn mint_hs256(secret: &str, claims: &Claims) -> Result<String, AuthError> {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .map_err(|error| AuthError::KeyMaterial(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn claims(exp: u64) -> Claims {
        Claims {
            sub: "alice".into(),
            tid: Some("acme".into()),
            role: Some("viewer".into()),
            tenants: None,
            exp,
            iat: None,
            nbf: None,
            iss: None,
            aud: None,
        }
    }

    #[test]
    fn a_token_is_refused_from_the_second_after_its_expiry_and_the_skew() -> Result<(), AuthError> {
        let config = Config::development("sqlite::memory:");
        let verifier = Verifier::from_config(&config.jwt)?;
        let secret = config.hs256_secret().unwrap_or_default();
        let skew = config.jwt.leeway_seconds;
        assert_eq!(
            verifier.refuses_from(&claims(1_000)),
            DateTime::from_timestamp((1_000 + skew + 1) as i64, 0)
        );
        assert_eq!(verifier.refuses_from(&claims(u64::MAX)), None);

        // Away from the boundary, so that the clock ticking does not matter: a token refused
        // from two seconds ahead is still accepted, one refused from two seconds ago is not.
        let now = Utc::now().timestamp() as u64;
        let accepted = claims(now + 2 - skew - 1);
        let refused = claims(now - 2 - skew - 1);
        assert!(verifier.refuses_from(&accepted) > Some(Utc::now()));
        assert!(verifier.verify(&mint_hs256(secret, &accepted)?).is_ok());
        assert!(verifier.refuses_from(&refused) < Some(Utc::now()));
        assert_eq!(
            verifier.verify(&mint_hs256(secret, &refused)?),
            Err(AuthError::Unauthenticated("token expired".into()))
        );
        Ok(())
    }

    #[test]
    fn a_token_verified_before_gives_the_same_claims_until_it_expires() -> Result<(), AuthError> {
        let config = Config::development("sqlite::memory:");
        let verifier = Verifier::from_config(&config.jwt)?;
        let secret = config.hs256_secret().unwrap_or_default();
        let now = Utc::now().timestamp() as u64;
        let token = mint_hs256(secret, &claims(now + 3_600))?;
        let first = verifier.verify(&token)?;
        assert_eq!(verifier.verified.len(), 1, "kept once verified");
        assert_eq!(verifier.verify(&token)?, first);
        assert_eq!(verifier.clone().verify(&token)?, first, "clones share it");

        // A token differing in its signature only is checked, not taken for the kept one.
        let (signed, _) = token.rsplit_once('.').unwrap_or_default();
        let forged = format!("{signed}.{}", "A".repeat(43));
        assert_eq!(
            verifier.verify(&forged),
            Err(AuthError::Unauthenticated("invalid token signature".into()))
        );
        assert_eq!(verifier.verified.len(), 1, "refused tokens are not kept");

        // A kept token past its expiry is verified again, and refused as any expired token.
        let expired = mint_hs256(secret, &claims(now - 3_600))?;
        verifier.verified.keep(
            &expired,
            Verified {
                claims: claims(now - 3_600),
                share: None,
                refused_from: verifier.refuses_from(&claims(now - 3_600)),
                valid_from: None,
            },
        );
        assert_eq!(
            verifier.verify(&expired),
            Err(AuthError::Unauthenticated("token expired".into()))
        );
        assert_eq!(verifier.verified.len(), 1, "the expired token was dropped");
        Ok(())
    }
}
