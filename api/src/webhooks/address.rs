//! Where a webhook may be sent: the defence against server-side request forgery.
//!
//! A target URL must be `http` or `https`, and every address its host resolves to must be a
//! public unicast address. Refused: loopback, private (RFC 1918), link-local, unique-local,
//! unspecified, multicast, broadcast, shared address space (CGNAT, 100.64.0.0/10), the
//! documentation, benchmarking and reserved ranges, and the IPv6 forms that embed an IPv4
//! address (IPv4-mapped, IPv4-compatible, NAT64, 6to4) whose IPv4 address is any of these.
//! `LEVIER_WEBHOOK_ALLOW_PRIVATE` lets loopback, private, link-local, unique-local and CGNAT
//! addresses through (a receiver on the same host or network, as in the tests); unspecified,
//! multicast and broadcast addresses are never a receiver.
//!
//! The check runs when an endpoint is registered or changed, and again when each delivery
//! connects: host names go through [`GuardedResolver`], the resolver the delivery client uses,
//! so that a name that resolved to a public address at registration and to a private one later
//! (DNS rebinding) is refused at connection time; an IP literal in the URL is checked before
//! each request, since no resolver sees it.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use reqwest::{
    Url,
    dns::{Addrs, Name, Resolve, Resolving},
};

/// Why an address may not receive webhooks, or `None` when it may.
pub fn refusal(address: IpAddr, allow_private: bool) -> Option<&'static str> {
    match address {
        IpAddr::V4(v4) => refusal_v4(v4, allow_private),
        IpAddr::V6(v6) => refusal_v6(v6, allow_private),
    }
}

/// Ranges that no setting opens.
fn never_v4(address: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = address.octets();
    if a == 0 {
        Some("an unspecified (0.0.0.0/8) address")
    } else if address.is_multicast() {
        Some("a multicast address")
    } else if address.is_broadcast() {
        Some("the broadcast address")
    } else if a >= 240 {
        Some("a reserved (240.0.0.0/4) address")
    } else if (a, b, c) == (192, 0, 2) || (a, b, c) == (198, 51, 100) || (a, b, c) == (203, 0, 113)
    {
        Some("a documentation address")
    } else if a == 198 && (b == 18 || b == 19) {
        Some("a benchmarking (198.18.0.0/15) address")
    } else if (a, b, c) == (192, 0, 0) {
        Some("an IETF protocol assignment (192.0.0.0/24)")
    } else {
        None
    }
}

fn refusal_v4(address: Ipv4Addr, allow_private: bool) -> Option<&'static str> {
    if let Some(reason) = never_v4(address) {
        return Some(reason);
    }
    if allow_private {
        return None;
    }
    let [a, b, _, _] = address.octets();
    if address.is_loopback() {
        Some("a loopback address")
    } else if address.is_private() {
        Some("a private (RFC 1918) address")
    } else if address.is_link_local() {
        Some("a link-local address")
    } else if a == 100 && (64..128).contains(&b) {
        Some("a shared (CGNAT, 100.64.0.0/10) address")
    } else {
        None
    }
}

/// The IPv4 address an IPv6 address carries, for the forms that carry one: IPv4-mapped
/// (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`, deprecated), NAT64 (`64:ff9b::/96`) and
/// 6to4 (`2002:aabb:ccdd::/48`).
fn embedded_v4(address: Ipv6Addr) -> Option<Ipv4Addr> {
    let segments = address.segments();
    let octets = address.octets();
    let tail = Ipv4Addr::new(octets[12], octets[13], octets[14], octets[15]);
    if let Some(mapped) = address.to_ipv4_mapped() {
        Some(mapped)
    } else if (segments[..6] == [0, 0, 0, 0, 0, 0]
        && !address.is_unspecified()
        && !address.is_loopback())
        || segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0]
    {
        Some(tail)
    } else if segments[0] == 0x2002 {
        Some(Ipv4Addr::new(octets[2], octets[3], octets[4], octets[5]))
    } else {
        None
    }
}

fn refusal_v6(address: Ipv6Addr, allow_private: bool) -> Option<&'static str> {
    if let Some(v4) = embedded_v4(address) {
        return refusal_v4(v4, allow_private);
    }
    let first = address.segments()[0];
    if address.is_unspecified() {
        return Some("the unspecified address (::)");
    }
    if address.is_multicast() {
        return Some("a multicast address");
    }
    if first == 0x2001 && address.segments()[1] == 0x0db8 {
        return Some("a documentation (2001:db8::/32) address");
    }
    if first == 0x2001 && address.segments()[1] == 0 {
        return Some("a Teredo (2001::/32) address");
    }
    if allow_private {
        return None;
    }
    if address.is_loopback() {
        Some("a loopback address")
    } else if first & 0xfe00 == 0xfc00 {
        Some("a unique-local (fc00::/7) address")
    } else if first & 0xffc0 == 0xfe80 {
        Some("a link-local (fe80::/10) address")
    } else if first & 0xffc0 == 0xfec0 {
        Some("a site-local (fec0::/10) address")
    } else {
        None
    }
}

/// Checks the shape of a target URL: `http` or `https`, a host, no credentials, at most
/// [`MAX_URL_CHARS`] characters. Says what is wrong otherwise.
pub fn parse_target(text: &str) -> Result<Url, String> {
    if text.chars().count() > MAX_URL_CHARS {
        return Err(format!("must be at most {MAX_URL_CHARS} characters"));
    }
    let url = Url::parse(text).map_err(|error| format!("is not a URL ({error})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must be an http or https URL".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("must name a host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry credentials (put a token in the path if needed)".into());
    }
    Ok(url)
}

/// Longest target URL (the length of its column).
pub const MAX_URL_CHARS: usize = 2048;

/// The IP address written in the URL's host, when it is one.
pub fn literal_address(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    }
}

/// Resolves the URL's host (or reads its IP literal) and refuses it when any of its addresses
/// may not receive webhooks. Registration calls this; deliveries check again as they connect.
pub async fn check_target(url: &Url, allow_private: bool) -> Result<(), String> {
    if let Some(address) = literal_address(url) {
        return match refusal(address, allow_private) {
            Some(reason) => Err(refused(reason)),
            None => Ok(()),
        };
    }
    let host = url.host_str().unwrap_or_default();
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|error| format!("its host cannot be resolved ({error})"))?
        .collect();
    allowed(addresses, allow_private).map(|_| ())
}

fn refused(reason: &str) -> String {
    format!(
        "is refused: it points at {reason}, which webhooks may not reach \
         (LEVIER_WEBHOOK_ALLOW_PRIVATE lets private and loopback addresses through)"
    )
}

/// The addresses, when there are some and none is refused.
fn allowed(addresses: Vec<SocketAddr>, allow_private: bool) -> Result<Vec<SocketAddr>, String> {
    if addresses.is_empty() {
        return Err("its host resolves to no address".into());
    }
    if let Some(reason) = addresses
        .iter()
        .find_map(|address| refusal(address.ip(), allow_private))
    {
        return Err(refused(reason));
    }
    Ok(addresses)
}

/// The delivery client's resolver: the system's, with every answer checked as at
/// registration, so that a connection is never opened to a refused address whatever the DNS
/// answers by then.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    /// Whether private and loopback addresses are let through.
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            // The port is replaced by the URL's when connecting.
            let addresses: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let addresses = allowed(addresses, allow_private)
                .map_err(|message| format!("the host {} {message}", name.as_str()))?;
            let addrs: Addrs = Box::new(addresses.into_iter());
            Ok(addrs)
        })
    }
}

/// The resolver, shared, as reqwest takes it.
pub fn resolver(allow_private: bool) -> Arc<GuardedResolver> {
    Arc::new(GuardedResolver { allow_private })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn refused_at(text: &str, allow_private: bool) -> bool {
        refusal(text.parse().unwrap(), allow_private).is_some()
    }

    #[test]
    fn refuses_internal_ranges_unless_allowed() {
        for address in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
        ] {
            assert!(refused_at(address, false), "{address} must be refused");
            assert!(
                !refused_at(address, true),
                "{address} is allowed by the setting"
            );
        }
    }

    #[test]
    fn refuses_what_no_setting_opens() {
        for address in [
            "0.0.0.0",
            "::",
            "224.0.0.1",
            "255.255.255.255",
            "ff02::1",
            "::ffff:0.0.0.0",
            "240.0.0.1",
        ] {
            assert!(
                refused_at(address, true),
                "{address} must always be refused"
            );
        }
    }

    #[test]
    fn lets_public_addresses_through() {
        for address in [
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(!refused_at(address, false), "{address} is public");
        }
    }

    #[test]
    fn checks_the_url_shape() {
        assert!(parse_target("ftp://example.com/").is_err());
        assert!(parse_target("https://user:pw@example.com/").is_err());
        assert!(parse_target("not a url").is_err());
        assert!(parse_target("https://example.com/hooks").is_ok());
        let url = parse_target("http://[::ffff:127.0.0.1]:8080/").unwrap();
        assert_eq!(
            literal_address(&url),
            Some("::ffff:127.0.0.1".parse().unwrap())
        );
    }

    /// The connection-time check: the resolver the client uses refuses a name that resolves
    /// to loopback (as a rebinding name would after registration), unless allowed.
    #[tokio::test]
    async fn the_resolver_refuses_internal_answers() {
        let name = || "localhost".parse::<Name>().unwrap();
        let refused = GuardedResolver {
            allow_private: false,
        }
        .resolve(name())
        .await;
        assert!(refused.is_err());
        let mut allowed = GuardedResolver {
            allow_private: true,
        }
        .resolve(name())
        .await
        .unwrap();
        assert!(allowed.all(|address| address.ip().is_loopback()));
    }
}
