//! `LEVIER_BIND`: where the server listens, as `host:port`. The host is an IP address
//! (`127.0.0.1`, `[::1]`, `0.0.0.0`) or a name (`localhost`, `myhost`) resolved when the server
//! starts (`crate::listen`), so only its shape is checked here.

use std::{fmt, net::Ipv6Addr, net::SocketAddr};

use super::ConfigError;

/// A listen address: a host (an IP address or a name) and a port (0: any free port).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindAddress {
    /// The host as given, without the brackets of an IPv6 address.
    pub host: String,
    /// The port.
    pub port: u16,
}

impl BindAddress {
    /// Reads `host:port` (an IPv6 address in brackets: `[::1]:8080`).
    pub fn parse(value: &str) -> Result<Self, ConfigError> {
        let refused = |reason: &'static str| ConfigError::Bind {
            value: value.to_owned(),
            reason,
        };
        if let Ok(address) = value.parse::<SocketAddr>() {
            return Ok(Self {
                host: address.ip().to_string(),
                port: address.port(),
            });
        }
        let Some((host, port)) = value.rsplit_once(':') else {
            return Err(refused("has no port"));
        };
        let port = port
            .parse::<u16>()
            .map_err(|_| refused("has no port number (0 to 65535) after its last `:`"))?;
        if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            // A valid bracketed address would have parsed as a socket address above.
            inner.parse::<Ipv6Addr>().map_err(|_| {
                refused("has brackets around something that is not an IPv6 address")
            })?;
        }
        if host.contains(':') {
            return Err(refused("holds an IPv6 address without brackets"));
        }
        if !is_host_name(host) {
            return Err(refused("has no valid host name before its port"));
        }
        Ok(Self {
            host: host.to_owned(),
            port,
        })
    }
}

/// True for a DNS host name (RFC 1123 labels; `_` tolerated, as resolvers do).
fn is_host_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.trim_end_matches('.').split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

impl fmt::Display for BindAddress {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(formatter, "[{}]:{}", self.host, self.port)
        } else {
            write!(formatter, "{}:{}", self.host, self.port)
        }
    }
}
