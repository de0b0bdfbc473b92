//! The claims of a Levier token (API.md, "Authentication").

use std::{collections::BTreeMap, fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// What a user may do within a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads everything of the tenant.
    Viewer,
    /// Reads and writes the plan.
    Editor,
    /// Everything, including deletes, tenant settings and API keys.
    Admin,
}

impl FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "viewer" => Ok(Self::Viewer),
            "editor" => Ok(Self::Editor),
            "admin" => Ok(Self::Admin),
            other => Err(format!(
                "unknown role `{other}` (expected viewer, editor or admin)"
            )),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
            Self::Admin => "admin",
        })
    }
}

/// The claims Levier reads. A user token carries `tid` and `role`; an agency token carries
/// `tenants` (tenant key → role) and the request picks one with `X-Levier-Tenant`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The subject (user id at the identity provider).
    pub sub: String,
    /// The tenant key, for single-tenant tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<String>,
    /// The role in `tid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Roles per tenant key, for agency tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenants: Option<BTreeMap<String, String>>,
    /// Expiry (seconds since the epoch); required.
    pub exp: u64,
    /// Issued at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// Not before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// Issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<serde_json::Value>,
}

/// True for a valid tenant key: a lowercase slug of 1 to 63 characters.
pub fn is_valid_tenant_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes[0].is_ascii_alphanumeric()
        && bytes.iter().all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || *byte == b'-' || *byte == b'_'
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_keys_are_slugs() {
        assert!(is_valid_tenant_key("acme"));
        assert!(is_valid_tenant_key("acme-2_fr"));
        assert!(!is_valid_tenant_key(""));
        assert!(!is_valid_tenant_key("Acme"));
        assert!(!is_valid_tenant_key("-acme"));
        assert!(!is_valid_tenant_key("acme corp"));
        assert!(!is_valid_tenant_key(&"a".repeat(64)));
    }

    #[test]
    fn roles_parse_case_insensitively() {
        assert_eq!("EDITOR".parse::<Role>(), Ok(Role::Editor));
        assert!("owner".parse::<Role>().is_err());
    }
}
