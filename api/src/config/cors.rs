//! Which browser origins may call the API across origins (CORS), from `LEVIER_CORS_ORIGINS`.
//!
//! A browser app served from another origin than the API (a front-end team's dev server, an
//! agency's dashboard) can read an answer only if the API names its origin. The setting is a
//! comma-separated list of exact origins (`https://app.example.com,http://localhost:5173`), or
//! `*` for any origin (outside production only). Unset, development lets in
//! `http://localhost:<any port>` and `http://127.0.0.1:<any port>`, where front-end dev servers
//! run, and production lets in no other origin.

use super::{ConfigError, Environment};

/// The origins whose browser requests may read the API's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// `http://localhost:<port>` and `http://127.0.0.1:<port>`, any port: development's default.
    LocalDevelopment,
    /// Exactly these origins (none: no cross-origin access, production's default).
    Exact(Vec<String>),
    /// Any origin: a wildcard answer, never with credentials. Refused in production.
    Any,
}

impl CorsOrigins {
    /// The origins `setting` names (`LEVIER_CORS_ORIGINS`), or the default of `environment`.
    pub fn parse(setting: Option<&str>, environment: Environment) -> Result<Self, ConfigError> {
        let production = environment == Environment::Production;
        let Some(setting) = setting.map(str::trim).filter(|value| !value.is_empty()) else {
            return Ok(if production {
                Self::Exact(Vec::new())
            } else {
                Self::LocalDevelopment
            });
        };
        if setting == "*" {
            return if production {
                Err(ConfigError::CorsWildcardInProduction)
            } else {
                Ok(Self::Any)
            };
        }
        let origins = setting
            .split(',')
            .map(str::trim)
            .filter(|origin| !origin.is_empty())
            .map(|origin| {
                if is_exact_origin(origin) {
                    Ok(origin.to_owned())
                } else {
                    Err(ConfigError::CorsOrigin(origin.to_owned()))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::Exact(origins))
    }

    /// Whether a request from `origin` may read the answer.
    pub fn allows(&self, origin: &str) -> bool {
        match self {
            Self::LocalDevelopment => is_local_development(origin),
            Self::Exact(origins) => origins.iter().any(|allowed| allowed == origin),
            Self::Any => true,
        }
    }
}

/// `scheme://host[:port]` with `http` or `https`, as a browser sends it in `Origin`: no path, no
/// query, no trailing slash, no user info, no wildcard.
fn is_exact_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// `http://localhost:<port>` or `http://127.0.0.1:<port>` (or without a port).
fn is_local_development(origin: &str) -> bool {
    ["http://localhost", "http://127.0.0.1"].iter().any(|host| {
        origin.strip_prefix(host).is_some_and(|rest| {
            rest.is_empty()
                || rest.strip_prefix(':').is_some_and(|port| {
                    !port.is_empty() && port.chars().all(|c| c.is_ascii_digit())
                })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(setting: Option<&str>, environment: Environment) -> CorsOrigins {
        CorsOrigins::parse(setting, environment).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn unset_is_local_development_or_nothing() {
        let dev = parse(None, Environment::Development);
        assert!(dev.allows("http://localhost:5173"));
        assert!(dev.allows("http://127.0.0.1:3000"));
        assert!(dev.allows("http://localhost"));
        assert!(!dev.allows("http://localhost.evil.example"));
        assert!(!dev.allows("http://localhost:5173.evil.example"));
        assert!(!dev.allows("https://app.example.com"));
        let production = parse(Some(" "), Environment::Production);
        assert_eq!(production, CorsOrigins::Exact(Vec::new()));
        assert!(!production.allows("http://localhost:5173"));
    }

    #[test]
    fn a_list_names_exact_origins() {
        let origins = parse(
            Some("https://app.example.com, http://localhost:5173"),
            Environment::Production,
        );
        assert!(origins.allows("https://app.example.com"));
        assert!(origins.allows("http://localhost:5173"));
        assert!(!origins.allows("http://localhost:5174"));
        assert!(!origins.allows("https://app.example.com.evil.example"));
        for bad in [
            "app.example.com",
            "https://app.example.com/",
            "https://*.example.com",
            "ftp://files.example.com",
            "https://user@app.example.com",
        ] {
            assert!(
                matches!(
                    CorsOrigins::parse(Some(bad), Environment::Development),
                    Err(ConfigError::CorsOrigin(origin)) if origin == bad
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_wildcard_is_for_development_only() {
        assert_eq!(parse(Some("*"), Environment::Development), CorsOrigins::Any);
        assert!(matches!(
            CorsOrigins::parse(Some("*"), Environment::Production),
            Err(ConfigError::CorsWildcardInProduction)
        ));
    }
}
